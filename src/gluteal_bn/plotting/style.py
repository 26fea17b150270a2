"""Shared look of every plot: colours that stay distinct in grey print, and text sizes.

The prior is a light hatched bar, the posterior a dark solid one; steps up are dark and
steps down white and cross-hatched. Text sizes are chosen for a lecture slide: every plot's
default figure, scaled to 1280 pixels wide, has no text under 14 pixels tall
(``tests/test_legibility.py`` measures it). Numbers are formatted by
:class:`gluteal_bn.i18n.Translation` (``percent``, ``number``), in the reader's language.
Nothing here imports matplotlib.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, Literal

from ..vocabulary import default_state_label

if TYPE_CHECKING:
    from collections.abc import Mapping

    from matplotlib.axes import Axes

    from ..i18n import Translation
    from ..vocabulary import Vocabulary

PRIOR_COLOR = "#c9c9c9"
PRIOR_EDGE = "#6b6b6b"
POSTERIOR_COLOR = "#1f4e79"
GAIN_COLOR = "#1f4e79"
AGAINST_COLOR = "#d9d9d9"
AGAINST_EDGE = "#4d4d4d"
GRID_COLOR = "#e5e5e5"
STEP_UP_COLOR = "#404040"
STEP_DOWN_COLOR = "white"

#: Font sizes in points, for figures about 8-10 inches wide.
FONT_SMALL = 10
FONT_LABEL = 11
FONT_TITLE = 12


#: Longest line of a label on an axis, in characters; longer labels wrap.
LABEL_WIDTH = 30


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """A label over lines of at most ``width`` characters, broken between words."""
    return "\n".join(textwrap.wrap(text, width)) or text


#: The share of a figure's width a title may take: it starts where the Axes start, right of
#: the labels on the y axis.
TITLE_SHARE = 0.56


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width of one line of ``text`` in inches, in the default font, without drawing it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(size=size, weight=weight)
    width, _, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return float(width) / 72


def fit_text(text: str, room: float, size: float, weight: str = "normal") -> str:
    """``text``, cut with "…" until it is at most ``room`` inches wide."""
    if text_width(text, size, weight) <= room:
        return text
    for end in range(len(text) - 1, 0, -1):
        shorter = text[:end].rstrip() + "…"
        if text_width(shorter, size, weight) <= room:
            return shorter
    return "…"


def wrap_to(text: str, room: float, size: float, weight: str = "normal") -> str:
    """``text`` broken between words into lines at most ``room`` inches wide (measured)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            trial = f"{current} {word}" if current else word
            if current and text_width(trial, size, weight) > room:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return "\n".join(lines)


def title_for(ax: Axes, text: str, size: float = FONT_TITLE) -> str:
    """``text`` wrapped to fit above ``ax`` on its figure (see :data:`TITLE_SHARE`)."""
    width = ax.figure.get_figwidth()  # type: ignore[union-attr]  # a Figure, for our Axes
    return wrap_to(text, TITLE_SHARE * width, size)


def tidy_axes(ax: Axes, grid: Literal["both", "x", "y"] = "x") -> None:
    """No top or right spine, a light grid on ``grid`` behind the bars."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid, color=GRID_COLOR, linewidth=0.8)
    ax.set_axisbelow(True)


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


# -- words for identifiers, when a result may or may not carry the vocabulary --------------------


def variable_text(t: Translation, vocabulary: Vocabulary | None, name: str) -> str:
    """A variable's label in ``t``'s language (its name in words without a vocabulary)."""
    if vocabulary is not None and name in vocabulary:
        return t.variable(vocabulary, name)
    return t.label(name.replace("_", " ").capitalize())


def state_text(t: Translation, vocabulary: Vocabulary | None, name: str, state: str) -> str:
    """A state's label in ``t``'s language (its name in words without a vocabulary)."""
    if state == "soft" and (vocabulary is None or state not in vocabulary[name].states):
        return t.gettext("uncertain")  # soft (likelihood) evidence, as explain lists it
    if vocabulary is not None and name in vocabulary:
        return t.state(vocabulary, name, state)
    return t.state_label(default_state_label(state))


def evidence_text(
    t: Translation,
    vocabulary: Vocabulary | None,
    evidence: Mapping[str, str],
    soft: Mapping[str, object] | None = None,
) -> str:
    """Evidence in words, ``Fever: yes; Age group: over 60 years``, or "no evidence"."""
    if vocabulary is not None:
        return t.evidence(vocabulary, evidence, soft)
    parts = [
        f"{variable_text(t, None, name)}: {state_text(t, None, name, state)}"
        for name, state in evidence.items()
    ]
    parts += [
        t.gettext("{variable}: uncertain").format(variable=variable_text(t, None, name))
        for name in (soft or {})
    ]
    return "; ".join(parts) or t.gettext("no evidence")
