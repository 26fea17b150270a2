"""The API page's safety net: public names that ``api.rst`` does not list yet.

``conf.py`` writes them to ``_api_other.rst`` (included at the end of ``api.rst``), so a new
public name is documented (and its docstring validated) from the day it is added; giving it
its proper section in ``api.rst`` is then a matter of moving a line.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def listed_names() -> set[str]:
    """Names that ``api.rst`` documents (autosummary entries and autodata directives)."""
    text = (DOCS / "api.rst").read_text(encoding="utf-8")
    names = set(re.findall(r"^   ([A-Za-z_][\w.]*)$", text, re.M))
    return names | set(re.findall(r"^\.\. autodata:: (\S+)$", text, re.M))


def other_names_rst() -> str:
    """reStructuredText for every name of ``gluteal_bn.__all__`` missing from ``api.rst``."""
    import gluteal_bn

    missing = [name for name in gluteal_bn.__all__ if name not in listed_names()]
    if not missing:
        return ""
    lines = ["Other public names", "------------------", ""]
    documented = [
        n
        for n in missing
        if inspect.isclass(getattr(gluteal_bn, n)) or callable(getattr(gluteal_bn, n))
    ]
    if documented:
        lines += [".. autosummary::", "   :toctree: generated", ""]
        lines += [f"   {name}" for name in documented] + [""]
    for name in missing:
        if name not in documented:
            lines += [f".. autodata:: {name}", "   :no-value:", ""]
    return "\n".join(lines) + "\n"


def write_other_names() -> None:
    """Write ``_api_other.rst`` (only when its content changes, to keep rebuilds quick)."""
    target = DOCS / "_api_other.rst"
    text = other_names_rst()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
