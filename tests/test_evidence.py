"""Every number in data/ names a source that resolves inside the repository (issue 9).

A source is `estimate: <reasoning>`, `PROXY: ...` or a citation; every citation of
docs/evidence.md must name a section that exists there, and nothing may cite the shared notes
(medical-evidence.md, "gap N") that are not part of the repository.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from gluteal_bn.io.model_folder import bundled_data_folder

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = ROOT / "docs" / "evidence.md"
DATA = bundled_data_folder()
ANCHOR = re.compile(r'<a id="([a-z0-9-]+)"></a>')
CITATION = re.compile(r"docs/evidence\.md#([A-Za-z0-9_-]+)")


def _sections() -> set[str]:
    return set(ANCHOR.findall(EVIDENCE.read_text(encoding="utf-8")))


def _cells(filename: str, column: str) -> list[tuple[int, str]]:
    with (DATA / filename).open(encoding="utf-8", newline="") as handle:
        return [(line, row[column]) for line, row in enumerate(csv.DictReader(handle), start=2)]


SOURCES = [
    (f"{name}:{line}", cell)
    for name in ("priors.csv", "likelihoods.csv")
    for line, cell in _cells(name, "source")
]


@pytest.mark.skipif(not EVIDENCE.is_file(), reason="docs/ is not shipped in the wheel")
@pytest.mark.parametrize(("where", "source"), SOURCES, ids=[w for w, _ in SOURCES])
def test_every_source_resolves_inside_the_repository(where, source):
    assert source.strip(), f"{where}: empty source"
    lowered = source.lower()
    assert "medical-evidence" not in lowered and not re.search(r"\bgap \d", lowered), where
    cited = CITATION.findall(source)
    assert cited or source.startswith("estimate: "), f"{where}: no citation of docs/evidence.md"
    missing = set(cited) - _sections()
    assert not missing, f"{where}: no section {sorted(missing)} in docs/evidence.md"


@pytest.mark.skipif(not EVIDENCE.is_file(), reason="docs/ is not shipped in the wheel")
def test_every_validation_citation_and_internal_link_resolves():
    sections = _sections()
    for line, citation in _cells("validation.csv", "citation"):
        (anchor,) = CITATION.findall(citation)
        assert anchor in sections, f"validation.csv line {line}: {citation}"
    links = set(re.findall(r"\]\(#([a-z0-9-]+)\)", EVIDENCE.read_text(encoding="utf-8")))
    assert links <= sections, sorted(links - sections)


@pytest.mark.skipif(not EVIDENCE.is_file(), reason="docs/ is not shipped in the wheel")
def test_every_section_is_used_and_no_file_cites_the_shared_notes():
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(DATA.glob("*.csv")))
    assert "medical-evidence" not in text
    used = set(CITATION.findall(text))
    assert _sections() - used == set(), "sections nothing in data/ cites"
