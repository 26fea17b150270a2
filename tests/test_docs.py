"""The documentation site's sources cover the whole public API and every plot.

The site itself is built by ``.ci/run`` with the README's "Documentation" command (Sphinx,
warnings as errors, numpydoc validation on); these tests keep its pages from silently
falling behind the code.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import gluteal_bn as gb

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _api_names() -> set[str]:
    text = (DOCS / "api.rst").read_text(encoding="utf-8")
    listed = set(re.findall(r"^   ([A-Za-z_][\w.]*)$", text, re.M))
    listed |= set(re.findall(r"^\.\. autodata:: (\S+)$", text, re.M))
    return listed


def _safety_net():
    spec = importlib.util.spec_from_file_location("docs_api", DOCS / "_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_reference_lists_every_public_name():
    """Names missing from api.rst still get a page (the safety net); this test names them."""
    missing = set(gb.__all__) - _api_names()
    net = _safety_net()
    assert net.listed_names() == _api_names()
    other = net.other_names_rst()
    for name in missing:
        assert re.search(rf"^(   |\.\. autodata:: ){re.escape(name)}$", other, re.M), name
    assert (other == "") == (not missing)
    assert ".. include:: _api_other.rst" in (DOCS / "api.rst").read_text(encoding="utf-8")


def test_api_reference_lists_only_names_that_exist():
    for name in _api_names():
        obj = gb
        for part in name.split("."):
            if not hasattr(obj, part):  # a submodule, imported on first use
                import importlib

                obj = importlib.import_module(f"{obj.__name__}.{part}")
            else:
                obj = getattr(obj, part)


def test_gallery_draws_every_plot_function():
    gallery = (DOCS / "gallery.md").read_text(encoding="utf-8")
    plots = [name for name in gb.__all__ if name.startswith("plot_")]
    assert plots
    for name in plots:
        assert re.search(rf"^gb\.{name}\(", gallery, re.M), f"docs/gallery.md lacks {name}"


def test_every_page_is_in_a_toctree():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    tutorials = (DOCS / "tutorials.md").read_text(encoding="utf-8")
    for page in (
        "getting_started",
        "tutorials",
        "gallery",
        "api",
        "cli",
        "data_format",
        "evidence",
    ):
        assert re.search(rf"^{page}$", index, re.M), page
        assert any((DOCS / f"{page}{suffix}").exists() for suffix in (".md", ".rst")), page
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"_notebooks/{notebook.stem}" in tutorials, notebook.name


def test_readme_documentation_command_builds_with_warnings_as_errors():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Documentation", 1)[1].split("\n## ", 1)[0]
    command = re.search(r"```bash\n(.*?)```", section, re.S).group(1).strip()
    assert "\n" not in command
    assert 'pip install -e ".[docs]"' in command
    assert re.search(r"sphinx -W .*docs docs/_build/html$", command)
    assert "docs/_build/html" in readme
    for picture in ("docs/demo_posterior.png", "docs/network.png"):
        assert f"({picture})" in readme and (ROOT / picture).exists()
