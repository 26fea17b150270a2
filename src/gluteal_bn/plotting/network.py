"""plot_network: the network as a picture, every node a box of its current beliefs.

Drawn for a 16:9 lecture slide: the figure is 13.33 inches wide (1280 pixels at 96 dpi) and
as tall as the layers need: 7.5 inches (one slide) for the 18 nodes of clinical v1, about
12.5 inches (a handout) for the 32 of v2, where ``focus=`` draws the part a slide is about
in a slide's layout (subtypes beside their cause, tighter rows): at most 7.5 inches, 720
pixels at 1280 wide, for the neighbourhood of any cause of the bundled model. Its
coordinates are inches, and no text is smaller than 11 points, which is at least 14 pixels
tall on a 1280-pixel-wide slide (``tests/test_legibility.py`` measures both). Labels are
never cut: a long variable or state label wraps over more lines and its box grows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..i18n import N_, translation
from .style import text_width, wrap_to

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..i18n import Translation

#: Width of a new figure, inches: a 16:9 slide at 96 dpi is 1280 pixels wide.
NETWORK_WIDTH = 13.33
NETWORK_FIGSIZE = (NETWORK_WIDTH, 7.5)  # the bundled network's size
_MARGIN = 0.12
_MAX_PER_ROW = 6
_GAP = 0.25  # between boxes of one row
_MAX_WIDTH = 3.0  # of a box, in a layer of few nodes
_LAYER_GAP = 0.46  # between rows: room for the arrows and a layer's name
_SLIDE_GAP = 0.36  # the same, in the slide layout of a focus view
_PAD = 0.06  # inside a box
_LINE = 0.23  # one line of a box's title
_STATE_ROW = 0.235  # one state
_STATE_LINE = 0.19  # each further line of a state's label that wraps
_PERCENT_ROOM = "100.0 %"  # the widest percentage, kept free right of a state's label
_TITLE_SPACE = 0.72  # above the first row, for the title and the first layer's name
_TITLE_LINE = 0.23  # one more line of the figure's title
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
_LAYER_NAMES["cause+subtype"] = N_("Causes and subtypes")  # one row of a focus view


@dataclass(frozen=True)
class _Box:
    x: float  # left edge, inches
    top: float  # top edge (y grows upwards; rows go down from 0)
    width: float
    height: float
    title: tuple[str, ...]  # the label's lines
    row: int = 0  # which row of the whole picture, counted from the top
    states: tuple[tuple[str, ...], ...] = ()  # each state's label, in lines

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.top - self.height


@dataclass(frozen=True)
class _Row:
    top: float
    bottom: float
    spans: tuple[tuple[float, float], ...]  # the boxes' (left, right), left to right

    def gaps(self) -> list[tuple[float, float]]:
        """The free stretches of this row an edge can pass through, left to right."""
        edges = [0.0, *(x for span in self.spans for x in span), NETWORK_WIDTH]
        free = [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]
        return [(lo, hi) for lo, hi in free if hi - lo >= _GAP - 1e-9]


def plot_network(
    model: Any,
    evidence: Mapping[str, str] | None = None,
    *,
    ax: Axes | None = None,
    language: str | None = None,
    focus: str | Sequence[str] | None = None,
) -> Axes:
    """The network as a picture: every node a box showing its current beliefs.

    Layers, top to bottom: risk factors, causes, subtypes (each under its cause) and
    findings, in rows of at most six (a shorter row under the gaps of a longer one). Each
    box shows the variable's label and one bar per state, the state's label on the left and
    its probability given ``evidence`` on the right (all marginals come from one
    ``model.query``). Observed nodes have a thick border and an "observed" tag. Arrows run
    from parent to child; one that skips a row runs down that row's gaps, so no arrow
    passes behind a box. A new figure is 13.33 inches wide (a 16:9 slide is 1280 pixels
    wide) with text of at least 11 points (14 pixels there), as tall as the layers need:
    one slide for a network of about twenty nodes; a larger one is a handout, and
    ``focus`` draws the part of it that a slide is about, laid out for a slide: each
    subtype beside its cause in one row (when the row holds at most six boxes) and tighter
    gaps between rows, so that the neighbourhood of a cause fits 1280 x 720 pixels. No
    label is cut short: a long one wraps over more lines. On a smaller Axes of your own the
    text may crowd.

    Parameters
    ----------
    model : DiagnosticModel
    evidence : mapping of str to str, optional
        Observed states; checked like :meth:`DiagnosticModel.posterior`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.
    focus : str or sequence of str, optional
        Draw only these variables, their parents and children, and the observed ones
        (for a slide about one cause, in the slide layout described above); by default
        every variable.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EvidenceError
        If ``focus`` names a variable the model does not have.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_network(model, {"fever": "yes"})
    >>> sum(t.get_text() == "observed" for t in ax.texts)
    1
    >>> ax = gb.plot_network(model, focus="hip_joint_disease")
    """
    import matplotlib.pyplot as plt

    t = translation(language)
    evidence = dict(evidence or {})
    marginals = model.query(model.variables, evidence)
    shown = _shown(model, focus, evidence)
    boxes, layers, rows = _layout(model, evidence, t, shown, slide=focus is not None)
    if evidence:
        title = t.gettext("Given {evidence}").format(
            evidence=t.evidence(model.vocabulary, evidence)
        )
    else:
        title = t.gettext("No evidence: the prior beliefs")
    title = wrap_to(title, NETWORK_WIDTH - 2 * _MARGIN, 13)
    space = _TITLE_SPACE + _TITLE_LINE * title.count("\n")  # above the first row
    bottom = min(box.bottom for box in boxes.values()) - _MARGIN
    if ax is None:
        figure = plt.figure(figsize=(NETWORK_WIDTH, space - bottom))
        ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    for variable in shown:
        for parent in model.parents(variable):
            if parent in boxes:
                _draw_edge(ax, _route(boxes[parent], boxes[variable], rows))
    for name, box in boxes.items():
        states = list(model.vocabulary[name].states)  # the order of box.states
        _draw_node(ax, t, marginals[name].loc[states], box, name in evidence)
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
    ax.set_ylim(bottom, space)
    ax.set_axis_off()
    ax.set_title(
        title,
        loc="left",
        fontsize=13,
        x=_MARGIN / NETWORK_WIDTH,
        y=1 - 0.1 / (space - bottom),
        va="top",
        pad=0,
    )
    return ax


def _shown(model: Any, focus: str | Sequence[str] | None, evidence: Mapping[str, str]) -> list[str]:
    """The variables to draw, in the model's order: all, or the focus and its neighbours."""
    if focus is None:
        return list(model.variables)
    from ..evidence import check_variable

    names = [focus] if isinstance(focus, str) else list(focus)
    wanted = set(evidence)
    for name in names:
        check_variable(name, model.vocabulary, what="focus")
        children = [child for child in model.variables if name in model.parents(child)]
        wanted |= {name, *model.parents(name), *children}
    return [name for name in model.variables if name in wanted]


def _state_room(width: float) -> float:
    """The room for a state's label in a box ``width`` inches wide, inches."""
    return width - 2 * _PAD - 0.18 - text_width(_PERCENT_ROOM, _FONT_STATE, "bold")


def _fits(model: Any, t: Translation, name: str, width: float) -> bool:
    """Whether every state label of ``name`` fits on one line in a box ``width`` inches wide."""
    room = _state_room(width)
    return all(
        text_width(t.state(model.vocabulary, name, state), _FONT_STATE) <= room
        for state in model.vocabulary[name].states
    )


def _state_lines(
    model: Any, t: Translation, name: str, width: float
) -> tuple[tuple[str, ...], ...]:
    """Each state label of ``name`` in lines that fit a box ``width`` inches wide, whole."""
    room = _state_room(width)
    return tuple(
        _wrap_words(t.state(model.vocabulary, name, state), room, _FONT_STATE)
        for state in model.vocabulary[name].states
    )


def _states_height(states: tuple[tuple[str, ...], ...]) -> float:
    return sum(_STATE_ROW + _STATE_LINE * (len(lines) - 1) for lines in states)


def _row_counts(count: int) -> list[int]:
    """How many boxes each row of a layer of ``count`` holds.

    One row up to :data:`_MAX_PER_ROW`; a larger layer takes as few rows as fit, as even as
    can be, the longer rows first at every other place (19 -> 5, 5, 5, 4 for rows of at
    most six), so that a shorter row sits under the gaps of a longer one.
    """
    if count <= _MAX_PER_ROW:
        return [count]
    rows = math.ceil(count / _MAX_PER_ROW)
    base, extra = divmod(count, rows)
    counts = [base] * rows
    for place in [*range(0, rows, 2), *range(1, rows, 2)][:extra]:
        counts[place] += 1
    return counts


def _layout(
    model: Any,
    evidence: Mapping[str, str],
    t: Translation,
    shown: list[str],
    *,
    slide: bool = False,
) -> tuple[dict[str, _Box], dict[str, float], list[_Row]]:
    """Each node's box, in rows per layer; each layer's top, for its name; and the rows.

    Every box of a layer has one width, that of its longest row, so the rows stagger: a row
    one box shorter than the row above is centred under that row's gaps. Subtypes whose
    group cause is drawn sit each right under their cause, as wide as it; in the ``slide``
    layout (a focus view) they sit beside it, in the causes' row, when that row then holds
    at most six boxes, and the rows are closer. Edges reach a box from above through the
    gaps of the rows in between (:func:`_route`), so no edge passes behind a box.
    """
    vocabulary = model.vocabulary
    roles = list(dict.fromkeys(vocabulary[name].role for name in shown))
    of_role = {role: [name for name in shown if vocabulary[name].role == role] for role in roles}
    beside: dict[str, list[str]] = {}  # a cause -> its subtypes drawn beside it
    if slide and "cause" in of_role and "subtype" in of_role:
        subtypes = of_role["subtype"]
        groups = [getattr(vocabulary[name], "group", "") for name in subtypes]
        if (
            all(group in of_role["cause"] for group in groups)
            and len(of_role["cause"]) + len(subtypes) <= _MAX_PER_ROW
        ):
            for name, group in zip(subtypes, groups, strict=True):
                beside.setdefault(group, []).append(name)
            of_role["cause"] = [
                item for cause in of_role["cause"] for item in (cause, *beside.get(cause, []))
            ]
            del of_role["subtype"]
            roles.remove("subtype")
    gap = _SLIDE_GAP if slide else _LAYER_GAP
    boxes: dict[str, _Box] = {}
    layers: dict[str, float] = {}
    all_rows: list[_Row] = []
    top = 0.0
    for role in roles:
        names = of_role[role]
        groups = [getattr(vocabulary[name], "group", "") for name in names]
        under_group = (
            role == "subtype"
            and all(group in boxes for group in groups)
            and len(set(groups)) == len(groups)
            and all(
                _fits(model, t, name, boxes[group].width)
                for name, group in zip(names, groups, strict=True)
            )
        )
        counts = [len(names)] if under_group else _row_counts(len(names))
        per_row = max(counts)
        width = min((NETWORK_WIDTH - 2 * _MARGIN - (per_row - 1) * _GAP) / per_row, _MAX_WIDTH)
        if slide and len(counts) > 1:  # the tallest boxes share a row: the slide is shorter
            order = {name: place for place, name in enumerate(names)}
            tall = sorted(names, key=lambda name: -_natural_height(model, t, name, width, evidence))
            rows = []
            for count in counts:
                rows.append(sorted(tall[:count], key=order.__getitem__))
                tall = tall[count:]
        else:
            rows = []
            for count in counts:
                rows.append(names[:count])
                names = names[count:]
        layers["cause+subtype" if role == "cause" and beside else role] = top
        previous: list[float] = []  # the lefts of the row above, in this layer
        for row in rows:
            widths = {
                name: boxes[vocabulary[name].group].width if under_group else width for name in row
            }
            titles = {
                name: _title_lines(t.variable(vocabulary, name), widths[name] - 2 * _PAD - 0.04)
                for name in row
            }
            states = {name: _state_lines(model, t, name, widths[name]) for name in row}
            height = max(_natural_height(model, t, name, widths[name], evidence) for name in row)
            step = width + _GAP
            if under_group:
                lefts = [boxes[vocabulary[name].group].x for name in row]
            elif previous and len(row) < len(previous):  # under the gaps of the row above
                skip = (len(previous) - 1 - len(row)) // 2
                lefts = [previous[skip + i] + step / 2 for i in range(len(row))]
            else:
                used = len(row) * width + (len(row) - 1) * _GAP
                lefts = [(NETWORK_WIDTH - used) / 2 + step * i for i in range(len(row))]
            for name, left in zip(row, lefts, strict=True):
                boxes[name] = _Box(
                    left, top, widths[name], height, titles[name], len(all_rows), states[name]
                )
            spans = tuple(
                (left, left + widths[name]) for name, left in zip(row, lefts, strict=True)
            )
            all_rows.append(_Row(top, top - height, spans))
            previous = lefts
            top -= height + gap
    return boxes, layers, all_rows


def _natural_height(
    model: Any, t: Translation, name: str, width: float, evidence: Mapping[str, str]
) -> float:
    """The height of ``name``'s box ``width`` inches wide, alone in its row, inches."""
    title = _title_lines(t.variable(model.vocabulary, name), width - 2 * _PAD - 0.04)
    states = _state_lines(model, t, name, width)
    return _PAD * 2 + _LINE * len(title) + _states_height(states) + _STATE_ROW * (name in evidence)


def _wrap_words(label: str, room: float, size: float, weight: str = "normal") -> tuple[str, ...]:
    """``label`` over as many lines of at most ``room`` inches as it needs, between words."""
    lines: list[str] = []
    for word in label.split():
        if lines and text_width(f"{lines[-1]} {word}", size, weight) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def _title_lines(label: str, room: float) -> tuple[str, ...]:
    """``label`` over lines of at most ``room`` inches, broken between words, never cut."""
    return _wrap_words(label, room, _FONT_NODE, "bold")


def _route(parent: _Box, child: _Box, rows: list[_Row]) -> list[tuple[float, float]]:
    """The points of the edge from ``parent`` to ``child``, down through the rows between.

    Straight from the parent's bottom to the child's top when they are in neighbouring
    rows; otherwise, in each row in between, down the free stretch nearest to the straight
    line (0.12 inch from the boxes), so that the edge crosses no box. A subtype beside its
    cause (one row) is reached sideways, from the cause's right edge to its left edge.
    """
    if parent.row == child.row:
        y = parent.top - _PAD - _LINE / 2
        return [(parent.x + parent.width, y), (child.x, y)]
    points = [(parent.centre, parent.bottom)]
    end = (child.centre, child.top)
    for row in rows[parent.row + 1 : child.row]:
        x0, y0 = points[-1]
        share = (y0 - row.top) / max(y0 - end[1], 1e-9)
        ideal = x0 + share * (end[0] - x0)
        options = []
        for lo, hi in row.gaps():
            inset = min(0.12, (hi - lo) / 2)
            options.append(min(max(ideal, lo + inset), hi - inset))
        if not options:  # a row as wide as the figure: pass at its edge
            options = [_MARGIN / 2, NETWORK_WIDTH - _MARGIN / 2]
        x = min(options, key=lambda option: abs(option - ideal))
        points += [(x, row.top), (x, row.bottom)]
    return [*points, end]


def _draw_edge(ax: Axes, points: list[tuple[float, float]]) -> None:
    if len(points) > 2:
        ax.plot(*zip(*points[:-1], strict=True), color=_EDGE_COLOR, linewidth=0.9, zorder=1)
    _draw_arrow(ax, points[-2], points[-1])


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
    t: Translation,
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
    for lines, probability in zip(box.states, distribution.to_numpy(), strict=True):
        row = _STATE_ROW + _STATE_LINE * (len(lines) - 1)
        middle = y - row / 2
        bar = row - 0.04
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
        ax.text(
            box.x + _PAD + 0.04,
            middle,
            "\n".join(lines),
            fontsize=_FONT_STATE,
            va="center",
            linespacing=1.05,
            zorder=5,
        )
        ax.text(
            box.x + box.width - _PAD - 0.04,
            middle,
            t.percent(float(probability)),
            fontsize=_FONT_STATE,
            ha="right",
            va="center",
            fontweight="bold",
            zorder=5,
        )
        y -= row
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
