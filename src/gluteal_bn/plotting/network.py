"""plot_network: the network as a picture, every node a box of its current beliefs.

Drawn for a 16:9 lecture slide: the figure is 13.33 inches wide (1280 pixels at 96 dpi) and
as tall as the layers need (7.5 inches for the bundled network), its coordinates are inches,
and no text is smaller than 11 points, which is at least 14 pixels tall on a 1280-pixel-wide
slide (``tests/test_legibility.py`` measures it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..i18n import N_, translation
from .style import fit_text, text_width, wrap_to

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..i18n import Translation

#: Width of a new figure, inches: a 16:9 slide at 96 dpi is 1280 pixels wide.
NETWORK_WIDTH = 13.33
NETWORK_FIGSIZE = (NETWORK_WIDTH, 7.5)  # the bundled network's size
_MARGIN = 0.12
_MAX_PER_ROW = 6
_GAP = 0.25  # between boxes of one row
_LAYER_GAP = 0.46  # between rows: room for the arrows and a layer's name
_PAD = 0.06  # inside a box
_LINE = 0.23  # one line of a box's title
_STATE_ROW = 0.235  # one state
_TITLE_SPACE = 0.72  # above the first row, for the title and the first layer's name
_FONT_NODE = 12
_FONT_STATE = 11  # 14.7 pixels on a 1280-pixel-wide slide
_EDGE_COLOR = "#a0a0a0"
_BOX_EDGE = "#6b6b6b"
_OBSERVED_EDGE = 3.0
_BAR_BACK = "#eeeeee"
_BAR_FILL = "#9dbbdb"  # light enough for black text on it, darker than the empty part
_LAYER_NAMES = {  # marked for the catalogue, translated where drawn
    "risk_factor": N_("Risk factors"),
    "cause": N_("Causes"),
    "subtype": N_("Subtypes"),
    "finding": N_("Findings"),
}


@dataclass(frozen=True)
class _Box:
    x: float  # left edge, inches
    top: float  # top edge (y grows upwards; rows go down from 0)
    width: float
    height: float
    title: tuple[str, ...]  # the label's lines
    junction: float | None = None  # where edges meet above the row before, for a second row

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.top - self.height


def plot_network(
    model: Any,
    evidence: Mapping[str, str] | None = None,
    *,
    ax: Axes | None = None,
    language: str | None = None,
) -> Axes:
    """The network as a picture: every node a box showing its current beliefs.

    Layers, top to bottom: risk factors, causes, findings (in rows of at most six). Each
    box shows the variable's label and one bar per state, the state's label on the left and
    its probability given ``evidence`` on the right (all marginals come from one
    ``model.query``). Observed nodes have a thick border and an "observed" tag; arrows run
    from parent to child, behind the boxes. A new figure is 13.33 inches wide (a 16:9
    slide) with text of at least 11 points; on a smaller Axes of your own the text may
    crowd.

    Parameters
    ----------
    model : DiagnosticModel
    evidence : mapping of str to str, optional
        Observed states; checked like :meth:`DiagnosticModel.posterior`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_network(model, {"fever": "yes"})
    >>> sum(t.get_text() == "observed" for t in ax.texts)
    1
    """
    import matplotlib.pyplot as plt

    t = translation(language)
    evidence = dict(evidence or {})
    marginals = model.query(model.variables, evidence)
    boxes, layers = _layout(model, evidence, t)
    bottom = min(box.bottom for box in boxes.values()) - _MARGIN
    if ax is None:
        figure = plt.figure(figsize=(NETWORK_WIDTH, _TITLE_SPACE - bottom))
        ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    for variable in model.variables:
        for parent in model.parents(variable):
            _draw_edge(ax, boxes[parent], boxes[variable])
    for box in boxes.values():
        if box.junction is not None:
            _draw_arrow(ax, (box.centre, box.junction), (box.centre, box.top))
    for name, box in boxes.items():
        _draw_node(ax, model, t, name, marginals[name], box, name in evidence)
    for role, top in layers.items():
        ax.text(
            _MARGIN,
            top + 0.05,
            t.marked(_LAYER_NAMES.get(role, role.replace("_", " ").capitalize())).upper(),
            fontsize=_FONT_STATE,
            fontweight="bold",
            color="#333333",
            va="bottom",
        )
    ax.set_xlim(0, NETWORK_WIDTH)
    ax.set_ylim(bottom, _TITLE_SPACE)
    ax.set_axis_off()
    if evidence:
        title = t.gettext("Given {evidence}").format(
            evidence=t.evidence(model.vocabulary, evidence)
        )
    else:
        title = t.gettext("No evidence: the prior beliefs")
    ax.set_title(
        wrap_to(title, NETWORK_WIDTH - 2 * _MARGIN, 13),
        loc="left",
        fontsize=13,
        x=_MARGIN / NETWORK_WIDTH,
        y=1 - 0.1 / (_TITLE_SPACE - bottom),
        va="top",
        pad=0,
    )
    return ax


def _layout(
    model: Any, evidence: Mapping[str, str], t: Translation
) -> tuple[dict[str, _Box], dict[str, float]]:
    """Each node's box, in rows per layer; and each layer's top, for its name.

    A layer of up to six nodes is one row. Up to eleven make two rows, the second shifted so
    that each of its boxes sits under a gap of the first: edges into the second row meet at
    a junction above that gap and go down through it, so no arrow seems to leave a
    first-row box. Larger layers fill rows of six, their arrows drawn behind the boxes.
    """
    roles = list(dict.fromkeys(v.role for v in model.vocabulary))
    boxes: dict[str, _Box] = {}
    layers: dict[str, float] = {}
    top = 0.0
    for role in roles:
        names = [v.name for v in model.vocabulary if v.role == role]
        if len(names) <= _MAX_PER_ROW:
            rows = [names]
        elif len(names) < 2 * _MAX_PER_ROW:
            first = math.ceil((len(names) + 1) / 2)
            rows = [names[:first], names[first:]]
        else:
            rows = [names[i : i + _MAX_PER_ROW] for i in range(0, len(names), _MAX_PER_ROW)]
        per_row = len(rows[0])
        width = (NETWORK_WIDTH - 2 * _MARGIN - (per_row - 1) * _GAP) / per_row
        layers[role] = top
        first_top = top
        for number, row in enumerate(rows):
            titles = {
                name: _title_lines(t.variable(model.vocabulary, name), width - 2 * _PAD - 0.04)
                for name in row
            }
            height = max(
                _PAD * 2
                + _LINE * len(titles[name])
                + _STATE_ROW * (model.vocabulary[name].card + (name in evidence))
                for name in row
            )
            step = width + _GAP
            if number == 1 and len(rows) == 2:  # under the gaps of the first row
                skip = (per_row - 1 - len(row)) // 2
                lefts = [
                    _MARGIN + step * (skip + i + 1) - _GAP / 2 - width / 2 for i in range(len(row))
                ]
                junction: float | None = first_top + 0.14
            else:
                used = len(row) * width + (len(row) - 1) * _GAP
                lefts = [(NETWORK_WIDTH - used) / 2 + step * i for i in range(len(row))]
                junction = None
            for name, left in zip(row, lefts, strict=True):
                boxes[name] = _Box(left, top, width, height, titles[name], junction)
            top -= height + _LAYER_GAP
    return boxes, layers


def _title_lines(label: str, room: float) -> tuple[str, ...]:
    """``label`` over at most three lines of at most ``room`` inches, broken between words."""
    lines: list[str] = []
    for word in label.split():
        if lines and text_width(f"{lines[-1]} {word}", _FONT_NODE, "bold") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])]
    return tuple(fit_text(line, room, _FONT_NODE, "bold") for line in lines) or ("",)


def _draw_edge(ax: Axes, parent: _Box, child: _Box) -> None:
    start = (parent.centre, parent.bottom)
    if child.junction is None:
        _draw_arrow(ax, start, (child.centre, child.top))
    else:
        end = (child.centre, child.junction)
        ax.plot(*zip(start, end, strict=True), color=_EDGE_COLOR, linewidth=0.9, zorder=1)


def _draw_arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=12,
            color=_EDGE_COLOR,
            linewidth=0.9,
            shrinkA=0,
            shrinkB=1,
            zorder=1,
        )
    )


def _draw_node(
    ax: Axes,
    model: Any,
    t: Translation,
    name: str,
    distribution: Any,
    box: _Box,
    observed: bool,
) -> None:
    from matplotlib.patches import FancyBboxPatch, Rectangle

    ax.add_patch(
        FancyBboxPatch(
            (box.x, box.bottom),
            box.width,
            box.height,
            boxstyle="round,pad=0,rounding_size=0.06",
            facecolor="white",
            edgecolor="black" if observed else _BOX_EDGE,
            linewidth=_OBSERVED_EDGE if observed else 1.0,
            zorder=2,
        )
    )
    y = box.top - _PAD
    ax.text(
        box.x + _PAD,
        y,
        "\n".join(box.title),
        fontsize=_FONT_NODE,
        fontweight="bold",
        va="top",
        linespacing=1.1,
        zorder=3,
        transform=ax.transData,
    )
    y -= _LINE * len(box.title)
    inner = box.width - 2 * _PAD
    for state, probability in distribution.items():
        middle = y - _STATE_ROW / 2
        bar = _STATE_ROW - 0.04
        ax.add_patch(
            Rectangle(
                (box.x + _PAD, middle - bar / 2),
                inner,
                bar,
                facecolor=_BAR_BACK,
                edgecolor="none",
                zorder=3,
            )
        )
        ax.add_patch(
            Rectangle(
                (box.x + _PAD, middle - bar / 2),
                inner * float(probability),
                bar,
                facecolor=_BAR_FILL,
                edgecolor="none",
                zorder=4,
            )
        )
        shown = t.percent(float(probability))
        room = inner - 0.08 - 0.1 - text_width(shown, _FONT_STATE, "bold")
        ax.text(
            box.x + _PAD + 0.04,
            middle,
            fit_text(t.state(model.vocabulary, name, state), room, _FONT_STATE),
            fontsize=_FONT_STATE,
            va="center",
            zorder=5,
        )
        ax.text(
            box.x + box.width - _PAD - 0.04,
            middle,
            shown,
            fontsize=_FONT_STATE,
            ha="right",
            va="center",
            fontweight="bold",
            zorder=5,
        )
        y -= _STATE_ROW
    if observed:
        ax.text(
            box.x + _PAD + 0.04,
            y - _STATE_ROW / 2,
            t.gettext("observed"),
            fontsize=_FONT_STATE,
            va="center",
            fontweight="bold",
            zorder=5,
            color="white",
            bbox={"boxstyle": "round,pad=0.12", "facecolor": "black", "edgecolor": "none"},
        )
