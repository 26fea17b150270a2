"""Shared look of every plot: colours that stay distinct in grey print, and number formats.

The prior is a light hatched bar, the posterior a dark solid one; steps up are dark and
steps down white and cross-hatched. Nothing here imports matplotlib.
"""

from __future__ import annotations

import re

PRIOR_COLOR = "#c9c9c9"
PRIOR_EDGE = "#6b6b6b"
POSTERIOR_COLOR = "#1f4e79"
GAIN_COLOR = "#1f4e79"
AGAINST_COLOR = "#d9d9d9"
AGAINST_EDGE = "#4d4d4d"
GRID_COLOR = "#e5e5e5"


def percent(probability: float) -> str:
    """A probability as a percentage with one decimal, for the text a person reads."""
    return "100%" if probability == 1 else f"{100 * probability:.1f}%"


def wrap_name(name: str, width: int = 14) -> str:
    """A case name over lines, broken after its underscores or spaces, never inside a word."""
    lines: list[str] = []
    current = ""
    for word in re.split(r"(?<=[_ ])", name):
        if current and len(current + word) > width:
            lines.append(current.rstrip())
            current = ""
        current += word
    return "\n".join([*lines, current])
