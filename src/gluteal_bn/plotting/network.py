"""plot_network: the network as a picture, every node a box of its current beliefs."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..evidence import describe
from .style import POSTERIOR_COLOR, percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes

NETWORK_FIGSIZE = (18.0, 12.5)
_CANVAS_WIDTH = 17.8  # data units: room for two staggered rows of five boxes
_MARGIN = 0.15
_BOX_WIDTH = 2.6
_STEP = 3.2  # centre to centre; the 0.6 gap lets second-row edges pass between boxes
_EDGE_COLOR = "#8a8a8a"
_HEADER = 0.42  # height of a box's title line
_STATE_ROW = 0.3  # height of one state's bar
_LAYER_NAMES = {"risk_factor": "Risk factors", "cause": "Causes", "finding": "Findings"}
_OBSERVED_EDGE = 3.2
_BAR_BACK = "#e3e3e3"


def plot_network(
    model: Any, evidence: Mapping[str, str] | None = None, *, ax: Axes | None = None
) -> Axes:
    """The network as a picture: every node a box showing its current beliefs.

    Three layers, top to bottom: risk factors, causes, findings (in two staggered rows).
    Each box shows the variable's label and one small horizontal bar per state with its
    probability given ``evidence`` (all marginals come from one ``model.query``). Observed
    nodes have a thick border and an "observed" tag; arrows run from parent to child.
    Drawn for a lecture slide: on a new figure of ``NETWORK_FIGSIZE`` inches nothing
    overlaps; on a smaller Axes of your own the text may crowd.

    Parameters
    ----------
    model : DiagnosticModel
    evidence : mapping of str to str, optional
        Observed states; checked like :meth:`DiagnosticModel.posterior`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

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

    evidence = dict(evidence or {})
    marginals = model.query(model.variables, evidence)
    if ax is None:
        _, ax = plt.subplots(figsize=NETWORK_FIGSIZE, layout="constrained")
    boxes, junctions = _network_layout(model)
    for variable, parent in _edges(model):
        _draw_edge(ax, boxes[parent], boxes[variable], junctions.get(variable))
    for variable, junction in junctions.items():
        _draw_arrow(ax, junction, (boxes[variable][0], boxes[variable][1]))
    for name, (x, y_top, height) in boxes.items():
        _draw_node(ax, model, name, marginals[name], (x, y_top, height), name in evidence)
    for role, name in _LAYER_NAMES.items():
        tops = [boxes[v][1] for v in model.variables if model.vocabulary[v].role == role]
        ax.text(
            0.1,
            max(tops) + 0.12,
            name.upper(),
            fontsize=12,
            fontweight="bold",
            color="#444444",
            va="bottom",
        )
    bottom = min(y - h for _, y, h in boxes.values())
    ax.set_xlim(0, _CANVAS_WIDTH)
    ax.set_ylim(bottom - 0.15, 0.65)
    ax.set_axis_off()
    title = "Given " + describe(evidence) if evidence else "No evidence: the prior beliefs"
    ax.set_title(textwrap.fill(title, width=110), loc="left", fontsize=14)
    return ax


def _node_height(model: Any, name: str) -> float:
    return _HEADER + _STATE_ROW * len(model.states(name)) + 0.12


def _network_layout(
    model: Any,
) -> tuple[dict[str, tuple[float, float, float]], dict[str, tuple[float, float]]]:
    """Each node's box as (centre x, top y, height), top down in rows of at most five.

    The findings fill two rows, the second shifted half a step so that each of its boxes
    sits below a gap of the first. Edges into the second row meet at a junction above that
    gap and go down through it, so no arrow seems to leave a first-row box; the junctions
    are returned too.
    """
    findings = list(model.findings)
    half = (len(findings) + 1) // 2
    rows = [list(model.risk_factors), list(model.causes), findings[:half], findings[half:]]
    centre = _CANVAS_WIDTH / 2
    starts = [
        centre - _STEP * (len(rows[0]) - 1) / 2,
        centre - _STEP * (len(rows[1]) - 1) / 2,
        _MARGIN + _BOX_WIDTH / 2,
        _MARGIN + _BOX_WIDTH / 2 + _STEP / 2,
    ]
    gaps = (1.0, 1.4, 0.7)  # below each row: room for arrows and the layer names
    boxes: dict[str, tuple[float, float, float]] = {}
    junctions: dict[str, tuple[float, float]] = {}
    y_top = 0.0
    for number, row in enumerate(rows):
        for position, name in enumerate(row):
            boxes[name] = (starts[number] + _STEP * position, y_top, _node_height(model, name))
        if number == 2:
            row_top = y_top
        y_top -= max(_node_height(model, name) for name in row) + (
            gaps[number] if number < len(gaps) else 0
        )
    for name in rows[3]:
        junctions[name] = (boxes[name][0], row_top + 0.3)
    return boxes, junctions


def _edges(model: Any) -> list[tuple[str, str]]:
    return [(v, parent) for v in model.variables for parent in model.parents(v)]


def _draw_edge(
    ax: Axes,
    parent: tuple[float, float, float],
    child: tuple[float, float, float],
    junction: tuple[float, float] | None,
) -> None:
    start = (parent[0], parent[1] - parent[2])
    if junction is None:
        _draw_arrow(ax, start, (child[0], child[1]))
    else:
        ax.plot(*zip(start, junction, strict=True), color=_EDGE_COLOR, linewidth=1.0, zorder=1)


def _draw_arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=13,
            color=_EDGE_COLOR,
            linewidth=1.0,
            shrinkA=0,
            shrinkB=1,
            zorder=1,
        )
    )


def _draw_node(
    ax: Axes,
    model: Any,
    name: str,
    distribution: Any,
    box: tuple[float, float, float],
    observed: bool,
) -> None:
    from matplotlib.patches import FancyBboxPatch, Rectangle

    x, y_top, height = box
    left = x - _BOX_WIDTH / 2
    ax.add_patch(
        FancyBboxPatch(
            (left, y_top - height),
            _BOX_WIDTH,
            height,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor="white",
            edgecolor="black" if observed else "#7a7a7a",
            linewidth=_OBSERVED_EDGE if observed else 1.0,
            zorder=2,
        )
    )
    label = textwrap.shorten(model.labels[name], width=32, placeholder="…")
    ax.text(left + 0.08, y_top - 0.2, label, fontsize=10, fontweight="bold", va="center", zorder=3)
    if observed:
        ax.text(
            left + _BOX_WIDTH - 0.06,
            y_top + 0.02,
            "observed",
            fontsize=9,
            ha="right",
            va="bottom",
            fontweight="bold",
            zorder=3,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "black", "edgecolor": "none"},
            color="white",
        )
    bar_left, bar_width = left + 1.05, 1.05
    for row, (state, probability) in enumerate(distribution.items()):
        y = y_top - _HEADER - _STATE_ROW * (row + 0.5)
        ax.text(
            bar_left - 0.06,
            y,
            textwrap.shorten(str(state), 12, placeholder="…"),
            fontsize=9,
            ha="right",
            va="center",
            zorder=3,
        )
        ax.add_patch(
            Rectangle(
                (bar_left, y - 0.1), bar_width, 0.2, facecolor=_BAR_BACK, edgecolor="none", zorder=3
            )
        )
        ax.add_patch(
            Rectangle(
                (bar_left, y - 0.1),
                bar_width * float(probability),
                0.2,
                facecolor=POSTERIOR_COLOR,
                edgecolor="none",
                zorder=4,
            )
        )
        ax.text(
            bar_left + bar_width + 0.05,
            y,
            percent(float(probability)),
            fontsize=9,
            va="center",
            zorder=3,
        )
