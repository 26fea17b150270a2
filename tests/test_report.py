"""The printable case report: its content, its fingerprint, atomic writes and the CLI.

The browser half (renders without console errors, prints on A4 with nothing cut) is in
``tests/test_browser.py``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from html.parser import HTMLParser

import pytest

import gluteal_bn as gb
from gluteal_bn.cli import main
from gluteal_bn.io.scoring import data_fingerprint
from gluteal_bn.report import _field, case_report_html, write_case_report

EVIDENCE = {"fever": "yes", "local_redness_swelling": "yes", "age": "40_to_60"}


class _Collector(HTMLParser):
    """Tags and attributes of a document, to check it needs nothing from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _percent(p: float) -> str:
    return f"{100 * p:.1f}%"


def test_report_holds_every_part(model):
    page = case_report_html(model, EVIDENCE)
    assert page.startswith("<!DOCTYPE html>")
    assert gb.DISCLAIMER in page.replace("&#x27;", "'")
    # the evidence in words: variable labels, not identifiers
    for name in EVIDENCE:
        assert model.labels[name] in page
    # prior and posterior of each cause, as numbers and as an inline chart
    diagnosis = model.diagnose(EVIDENCE)
    for _, row in diagnosis.to_frame().iterrows():
        assert f"<td>{row['label']}</td><td>{_percent(row['prior'])}</td>" in page.replace(
            '<tr class="best">', ""
        ).replace('<tr class="">', "")
        assert _percent(row["posterior"]) in page
    assert page.count("<svg") == 2  # the posterior chart and the explanation chart
    # each finding's contribution: the totals row equals posterior - prior log-odds per cause
    for cause in model.causes:
        why = model.explain(EVIDENCE, cause)
        total = _field(why, "posterior_log_odds") - _field(why, "prior_log_odds")
        assert f"{total:+.2f}" in page
    # the next questions, best first, with their gain
    ranking = model.next_questions(EVIDENCE).ranking
    best_label = ranking["label"].iloc[0]
    assert best_label in page
    assert f"{ranking['information_gain'].iloc[0]:.2f}" in page
    # the version and the data fingerprint
    assert f"gluteal_bn {gb.__version__}" in page
    assert data_fingerprint(model)["data_fingerprint"] in page


def test_report_needs_no_network(model):
    page = case_report_html(model, EVIDENCE)
    collector = _Collector()
    collector.feed(page)
    tags = {tag for tag, _ in collector.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags
    for _, attributes in collector.tags:
        for key in ("src", "href"):
            value = attributes.get(key) or ""
            assert not re.match(r"(https?:)?//", value), (key, value)
    assert not re.search(r"url\((?!#)", page)  # only references inside the page
    assert "@import" not in page


def test_report_without_evidence_is_the_prior(model):
    page = case_report_html(model, {})
    assert "Nothing is known about the patient yet" in page
    assert "What each finding contributes" not in page
    assert page.count("<svg") == 1


def _fingerprints(model):
    provenance = data_fingerprint(model)
    return provenance["data_fingerprint"], provenance["numbers_fingerprint"]


def test_report_fingerprints_the_files_and_the_numbers_in_use(data_copy, edit_cell):
    model = gb.load_model(data_copy)
    files, numbers = _fingerprints(model)
    assert files.startswith("sha256:") and numbers.startswith("sha256:")
    page = case_report_html(model, {"fever": "yes"})
    assert files in page and numbers in page
    # a changed number in memory: same files, other numbers
    table = model.number_table()
    odds_ratio = int(table.index[table["kind"] == "odds_ratio"][0])
    changed = model.with_numbers({odds_ratio: model.numbers[odds_ratio].value * 2})
    page = case_report_html(changed, {"fever": "yes"})
    assert files in page and numbers not in page
    assert _fingerprints(changed)[1] in page
    # an edited CSV file: another file fingerprint
    edit_cell("priors.csv", {"variable": "age", "state": "over_60"}, "source", "estimate: other")
    page = case_report_html(gb.load_model(data_copy), {"fever": "yes"})
    assert files not in page


def test_diagnosis_to_html_writes_the_file_atomically(model, tmp_path, monkeypatch):
    target = tmp_path / "case.html"
    written = model.diagnose(EVIDENCE).to_html(target)
    assert written == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["case.html"]
    assert model.diagnose(EVIDENCE).to_html().startswith("<!DOCTYPE html>")

    # a failure while writing leaves the old file as it was and no temporary file behind
    import gluteal_bn.report as report

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        model.diagnose({"fever": "no"}).to_html(target)
    assert target.read_text(encoding="utf-8") == written.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["case.html"]


def test_diagnosis_without_a_model_says_what_to_use(model):
    made = model.diagnose({})
    bare = gb.Diagnosis(evidence={}, prior=made.prior, posterior=made.posterior)
    with pytest.raises(ValueError, match=r"has no model .*report.write_case_report"):
        bare.to_html()
    # the model is not part of a diagnosis's value nor of its repr
    compared = {f.name: f.compare for f in dataclasses.fields(gb.Diagnosis)}
    assert compared["model"] is False and compared["posterior"] is True
    assert repr(bare) == repr(made) and made.model is model


def test_bad_evidence_writes_nothing(model, tmp_path):
    with pytest.raises(gb.EvidenceError, match="fevr"):
        write_case_report(model, {"fevr": "yes"}, tmp_path / "case.html")
    assert list(tmp_path.iterdir()) == []


def test_cli_report_writes_the_file(tmp_path, capsys, model):
    target = tmp_path / "case.html"
    assert main(["report", "fever=yes", "local_redness_swelling=yes", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"case report written to {target}\n"
    page = target.read_text(encoding="utf-8")
    assert model.labels["local_redness_swelling"] in page
    assert data_fingerprint(model)["data_fingerprint"] in page


def test_cli_report_with_a_data_copy_fingerprints_that_copy(tmp_path, data_copy, edit_cell):
    edit_cell("priors.csv", {"variable": "age", "state": "over_60"}, "source", "estimate: other")
    target = tmp_path / "case.html"
    assert main(["report", "fever=yes", "--data", str(data_copy), "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert data_fingerprint(gb.load_model(data_copy))["data_fingerprint"] in page
    assert data_fingerprint(gb.load_model())["data_fingerprint"] not in page


def test_cli_report_errors(tmp_path, capsys):
    assert main(["report", "fever=maybe", "-o", str(tmp_path / "case.html")]) == 2
    assert "maybe" in capsys.readouterr().err
    assert main(["report", "fever=yes", "-o", str(tmp_path / "case.png")]) == 2
    assert re.search(r"must end in \.html or \.htm", capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_report_percentages_have_no_rounding_noise(model):
    page = case_report_html(model, {})
    assert "-0.0%" not in page and "e-1" not in page
    assert not math.isnan(model.prior().sum())


def test_cli_help_lists_the_report_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "a printable case report" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "-o CASE.html" in capsys.readouterr().out


def test_report_in_russian(model, tmp_path):
    from gluteal_bn.i18n import translation

    ru = translation("ru")
    page = case_report_html(model, EVIDENCE, language="ru")
    assert '<html lang="ru">' in page
    for english in ("Case report", "What is known", "What to ask next", "all together"):
        assert english not in page
        assert ru.gettext(english) in page
    assert ru.marked(gb.DISCLAIMER) in page
    assert ru.state(model.vocabulary, "age", "40_to_60") in page
    assert ru.variable(model.vocabulary, "local_redness_swelling") in page
    # the command line's --lang
    target = tmp_path / "case.html"
    assert main(["report", "fever=yes", "--lang", "ru", "-o", str(target)]) == 0
    assert ru.gettext("Case report") in target.read_text(encoding="utf-8")
    english = model.diagnose(EVIDENCE).to_html(language="en")
    assert "Case report" in english and '<html lang="en">' in english
