"""The only code that imports matplotlib (lazily, inside each function).

Every plot takes ``ax=None`` and returns the Axes it drew on: give it an Axes to place the
chart in your own figure, or let it make a figure of its own. Nothing here calls
``plt.show()``. Colours are chosen to stay distinct when printed in grey: the prior is a
light hatched bar, the posterior a dark solid one.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from .evidence import describe

__all__ = [
    "evidence_impact_table",
    "plot_compare",
    "plot_evidence_impact",
    "plot_explanation",
    "plot_network",
    "plot_next_questions",
    "plot_posterior",
    "plot_sensitivity",
]

PRIOR_COLOR = "#c9c9c9"
PRIOR_EDGE = "#6b6b6b"
POSTERIOR_COLOR = "#1f4e79"


def plot_posterior(
    prior: Any,
    posterior: Any = None,
    *,
    ax: Any = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    intervals: Any = None,
) -> Any:
    """Horizontal bars of each cause's prior beside its posterior, with percentages.

    Parameters
    ----------
    prior : pandas.Series or result
        P(cause present) with no evidence, indexed by cause; or any object with ``prior`` and
        ``posterior`` attributes (and optionally ``evidence``), such as a diagnosis result.
    posterior : pandas.Series, optional
        P(cause present | evidence), same index as ``prior``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    labels : mapping, optional
        Words for each cause; by default the labels the model attached to the Series.
    title : str, optional
        Defaults to the evidence, when the result carries it.
    intervals : PosteriorIntervals or pandas.DataFrame, optional
        Credible intervals from :meth:`DiagnosticModel.posterior_interval` (or a table with
        columns ``lower`` and ``upper``, indexed by cause), drawn as error bars on the
        posterior.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_posterior(model.prior(), model.posterior({"fever": "yes"}))
    >>> len(ax.patches)
    10
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    evidence = None
    if posterior is None and hasattr(prior, "posterior") and hasattr(prior, "prior"):
        evidence = getattr(prior, "evidence", None)
        prior, posterior = prior.prior, prior.posterior
    _check_series(prior, posterior)
    labels = {
        **prior.attrs.get("labels", {}),
        **posterior.attrs.get("labels", {}),
        **(labels or {}),
    }
    causes = list(posterior.index)
    names = [labels.get(cause, cause.replace("_", " ").capitalize()) for cause in causes]
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.75 * len(causes) + 1.4), layout="constrained")

    positions = list(range(len(causes)))[::-1]  # first cause on top
    height = 0.38
    prior_bars = ax.barh(
        [p + height / 2 for p in positions],
        prior.loc[causes],
        height=height,
        color=PRIOR_COLOR,
        edgecolor=PRIOR_EDGE,
        hatch="//",
        linewidth=0.8,
        label="prior",
    )
    posterior_bars = ax.barh(
        [p - height / 2 for p in positions],
        posterior.loc[causes],
        height=height,
        color=POSTERIOR_COLOR,
        edgecolor=POSTERIOR_COLOR,
        label="posterior",
    )
    ax.bar_label(
        prior_bars, labels=[_percent(b.get_width()) for b in prior_bars], padding=3, fontsize=10
    )
    if intervals is None:
        ax.bar_label(
            posterior_bars,
            labels=[_percent(b.get_width()) for b in posterior_bars],
            padding=3,
            fontsize=10,
            fontweight="bold",
        )
    else:
        _draw_intervals(ax, intervals, posterior.loc[causes], positions, height)

    ax.set_yticks(positions, names, fontsize=11)
    ax.set_xlim(0, 1.14)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel("probability the cause is present")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    if intervals is None:
        ax.legend(loc="lower right", frameon=False, fontsize=10)
    else:  # below the chart: long error bars reach the lower right corner
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False, fontsize=10
        )
    if title is None:
        title = (
            "Prior and posterior"
            if not evidence
            else "Given " + ", ".join(f"{k}={v}" for k, v in evidence.items())
        )
    ax.set_title(textwrap.fill(title, width=60), loc="left", fontsize=12)
    return ax


def _draw_intervals(
    ax: Any, intervals: Any, posterior: Any, positions: list[int], height: float
) -> None:
    """Error bars from each interval's lower to upper end; the percentage just beyond them."""
    import numpy as np
    import pandas as pd
    from matplotlib import patheffects

    from .reasoning.results import PosteriorIntervals

    level = None
    if isinstance(intervals, PosteriorIntervals):
        level, intervals = intervals.level, intervals.table
    if not (
        isinstance(intervals, pd.DataFrame)
        and {"lower", "upper"} <= set(intervals.columns)
        and set(posterior.index) <= set(intervals.index)
    ):
        raise TypeError(
            "intervals must be the result of model.posterior_interval(evidence), or a table "
            "with columns "
            f"'lower' and 'upper' indexed by cause; got {type(intervals).__name__}"
        )
    lower = intervals.loc[posterior.index, "lower"].to_numpy()
    upper = intervals.loc[posterior.index, "upper"].to_numpy()
    values = posterior.to_numpy()
    y = [p - height / 2 for p in positions]
    errors = np.vstack([np.maximum(values - lower, 0), np.maximum(upper - values, 0)])
    bars = ax.errorbar(
        values,
        y,
        xerr=errors,
        fmt="none",
        ecolor="black",
        elinewidth=1.2,
        capsize=4,
        label=f"{level:.0%} credible interval" if level else "credible interval",
    )
    halo = [patheffects.Stroke(linewidth=3.2, foreground="white"), patheffects.Normal()]
    for artist in (*bars.lines[1], *bars.lines[2]):  # visible on the dark bars too
        artist.set_path_effects(halo)
    for value, end, where in zip(values, np.maximum(upper, values), y, strict=True):
        ax.text(end + 0.012, where, _percent(value), va="center", fontsize=10, fontweight="bold")


def _check_series(prior: Any, posterior: Any) -> None:
    import pandas as pd

    for name, series in (("prior", prior), ("posterior", posterior)):
        if not isinstance(series, pd.Series):
            raise TypeError(
                f"plot_posterior needs {name} as a pandas Series indexed by cause "
                f"(from model.prior() / model.posterior()); got {type(series).__name__}"
            )
    if set(prior.index) != set(posterior.index):
        raise ValueError(
            "prior and posterior must cover the same causes; got "
            f"{list(prior.index)} and {list(posterior.index)}"
        )


def _percent(probability: float) -> str:
    return "100%" if probability == 1 else f"{100 * probability:.1f}%"


# ---------------------------------------------------------------------------------------------
# Teaching in Jupyter (issue 4): the network with its beliefs, evidence impact, case comparison

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


def plot_network(model: Any, evidence: Mapping[str, str] | None = None, *, ax: Any = None) -> Any:
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
    ax: Any,
    parent: tuple[float, float, float],
    child: tuple[float, float, float],
    junction: tuple[float, float] | None,
) -> None:
    start = (parent[0], parent[1] - parent[2])
    if junction is None:
        _draw_arrow(ax, start, (child[0], child[1]))
    else:
        ax.plot(*zip(start, junction, strict=True), color=_EDGE_COLOR, linewidth=1.0, zorder=1)


def _draw_arrow(ax: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
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


def _draw_node(ax: Any, model: Any, name: str, distribution: Any, box: tuple, observed: bool):
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
            _percent(float(probability)),
            fontsize=9,
            va="center",
            zorder=3,
        )


def plot_evidence_impact(
    model: Any,
    evidence: Mapping[str, str],
    cause: str,
    *,
    order: Sequence[str] | None = None,
    ax: Any = None,
) -> Any:
    """A waterfall: how P(cause) moves from prior to posterior as each item is added.

    The rows, top to bottom, are the prior, one step per observed item added to those above
    it (in ``order``; by default the order of ``evidence``), and the posterior. A step's size
    depends on the order; so beside each item is its order-free **weight of evidence**:

        WoE(e_i) = ln P(e_i | cause present) - ln P(e_i | cause absent),

    the natural log of the likelihood ratio of that item alone, given no other evidence
    (positive: the item favours the cause). Steps and weights are exact, from
    :meth:`DiagnosticModel.explain` (the cause's log-odds given every subset of the items).
    A step and its item's weight can point different ways: the step is conditional on the
    items above it, so a finding that is weak evidence against the cause on its own may
    still raise it by ruling out a competing cause (explaining away). Steps up are dark,
    steps down white and cross-hatched.

    Parameters
    ----------
    model : DiagnosticModel
    evidence : mapping of str to str
        The observed items; ``cause`` itself may not be among them.
    cause : str
        One of ``model.causes``.
    order : sequence of str, optional
        The evidence's variable names in the order to add them.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EvidenceError
        For an unknown cause, a cause that is observed, empty evidence, or an ``order`` that
        is not the evidence's names each once.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_evidence_impact(model, {"fever": "yes", "age": "over_60"}, "local_infection")
    >>> len(ax.patches)  # prior, two steps, posterior
    4
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    table = evidence_impact_table(model, evidence, cause, order=order)
    if ax is None:
        _, ax = plt.subplots(figsize=(9.5, 0.62 * len(table) + 2.0), layout="constrained")
    rows = list(range(len(table)))[::-1]  # prior on top
    for y, (name, step) in zip(rows, table.iterrows(), strict=True):
        start, end = step["start"], step["probability"]
        if name in ("prior", "posterior"):
            style = {
                "color": POSTERIOR_COLOR if name == "posterior" else PRIOR_COLOR,
                "edgecolor": POSTERIOR_COLOR if name == "posterior" else PRIOR_EDGE,
                "hatch": None if name == "posterior" else "//",
            }
            ax.barh(y, end, height=0.6, linewidth=0.8, **style)
        else:
            up = end >= start
            ax.barh(
                y,
                end - start,
                left=start,
                height=0.6,
                linewidth=0.8,
                color="#404040" if up else "white",
                edgecolor="#404040",
                hatch=None if up else "xx",
            )
        if y != rows[-1]:
            ax.plot([end, end], [y - 0.3, y - 0.7], color="#8a8a8a", linewidth=0.8)
        # the number sits where the step ends: left of a step down (if there is room)
        left_of_bar = end < start and end > 0.09
        ax.text(
            end - 0.015 if left_of_bar else max(start, end) + 0.015,
            y,
            _percent(end),
            va="center",
            ha="right" if left_of_bar else "left",
            fontsize=10,
            fontweight="bold" if name == "posterior" else "normal",
        )
        if name not in ("prior", "posterior"):
            ax.text(
                1.17, y, f"{step['weight_of_evidence']:+.2f}", va="center", ha="right", fontsize=10
            )
    labels = [_step_label(name) for name in table.index]
    ax.set_yticks(rows, labels, fontsize=10)
    ax.text(1.17, rows[0] + 0.55, "WoE", ha="right", va="bottom", fontsize=10, fontweight="bold")
    ax.set_xlim(0, 1.2)
    ax.set_ylim(-0.6, len(table) - 0.2)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel(
        "P(cause present) after adding the items top to bottom, in the order shown\n"
        "WoE = ln P(item | cause) − ln P(item | no cause), each item alone (order-free)",
        fontsize=9,
    )
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    label = model.labels[cause]
    stated = "in the order given" if order is None else "in the chosen order"
    ax.set_title(
        textwrap.fill(f"How each finding moved P({label}), {stated}", width=70),
        loc="left",
        fontsize=12,
    )
    return ax


def evidence_impact_table(
    model: Any, evidence: Mapping[str, str], cause: str, *, order: Sequence[str] | None = None
) -> Any:
    """The numbers behind :func:`plot_evidence_impact`, as a DataFrame.

    One row per step ("prior", each ``name=state`` added in order, "posterior") with
    columns ``start`` (P(cause) before the step), ``probability`` (after it) and
    ``weight_of_evidence`` (NaN for the prior and posterior rows). The numbers are those of
    :meth:`DiagnosticModel.explain` (its log-odds of every subset of the items), computed
    once there.
    """
    from .errors import EvidenceError
    from .evidence import check_cause

    check_cause(cause, model.vocabulary, what="plot_evidence_impact")
    evidence = dict(evidence or {})
    if not evidence:
        raise EvidenceError("plot_evidence_impact needs at least one observed item")
    if cause in evidence:
        raise EvidenceError(
            f"the cause {cause!r} is itself observed; remove it from the evidence to see how "
            "the other items move it"
        )
    names = list(evidence) if order is None else list(order)
    if sorted(names) != sorted(evidence):
        raise EvidenceError(
            f"order must name each evidence variable once: {list(evidence)}; got {names}"
        )
    return model.explain(evidence, cause).steps(names)


def _wrap_name(name: str, width: int = 14) -> str:
    """A case name over lines, broken after its underscores or spaces, never inside a word."""
    lines: list[str] = []
    current = ""
    for word in re.split(r"(?<=[_ ])", name):
        if current and len(current + word) > width:
            lines.append(current.rstrip())
            current = ""
        current += word
    return "\n".join([*lines, current])


def _step_label(name: str) -> str:
    if name in ("prior", "posterior"):
        return name
    return "+ " + name.replace("=", " = ")


def plot_compare(model: Any, cases: Mapping[str, Mapping[str, str]], *, ax: Any = None) -> Any:
    """Several cases side by side: a table of P(cause present), one column per case.

    Each cell holds the posterior in percent, shaded from white (0%) to dark (100%) in a
    single-hue scale that keeps its order in grey print; each case's most likely cause is
    boxed. The top row is the prior, for reference.

    Parameters
    ----------
    model : DiagnosticModel
    cases : mapping of str to evidence
        Case name -> evidence mapping, e.g. ``{"hip OA": {...}, "stenosis": {...}}``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EvidenceError
        If ``cases`` is empty, or for bad evidence in a case (the message names the case).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_compare(model, {"A": {"fever": "yes"}, "B": {"claudication": "yes"}})
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['prior', 'A', 'B']
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Rectangle

    from .errors import EvidenceError

    if not isinstance(cases, Mapping) or not cases:
        raise EvidenceError(
            "plot_compare needs a non-empty mapping of case name to evidence, such as "
            "{'hip OA': {'hip_movement_pain': 'yes'}}"
        )
    columns = {"prior": model.prior()}
    for name, evidence in cases.items():
        try:
            columns[str(name)] = model.posterior(evidence)
        except EvidenceError as error:
            raise EvidenceError(f"case {name!r}: {error}") from None
    values = np.column_stack([columns[name].to_numpy() for name in columns])
    if ax is None:
        width = 3.2 + 1.45 * len(columns)
        _, ax = plt.subplots(figsize=(width, 0.62 * len(model.causes) + 2.2), layout="constrained")
    ax.imshow(values, cmap="Blues", vmin=0, vmax=1.25, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        ax.text(
            column,
            row,
            _percent(value),
            ha="center",
            va="center",
            fontsize=11,
            color="white" if value > 0.6 else "black",
        )
    for column in range(1, values.shape[1]):
        best = int(np.argmax(values[:, column]))
        ax.add_patch(
            Rectangle(
                (column - 0.46, best - 0.44),
                0.92,
                0.88,
                fill=False,
                edgecolor="black",
                linewidth=2.5,
            )
        )
    ax.axvline(0.5, color="white", linewidth=4)
    names = [_wrap_name(name) for name in columns]
    ax.set_xticks(range(len(columns)), names, fontsize=10)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(model.causes)), [model.labels[c] for c in model.causes], fontsize=11)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    lines = max(name.count("\n") + 1 for name in names)
    ax.set_title(
        "P(cause present) in each case; the most likely cause is boxed",
        loc="left",
        fontsize=12,
        pad=10 + 14 * lines,
    )
    return ax


# -- reasoning -------------------------------------------------------------------------------

GAIN_COLOR = "#1f4e79"
AGAINST_COLOR = "#d9d9d9"
AGAINST_EDGE = "#4d4d4d"


def plot_next_questions(result: Any, *, ax: Any = None, top: int | None = None) -> Any:
    """Horizontal bars of each candidate question's expected information gain, in bits.

    Parameters
    ----------
    result : NextQuestions
        From :meth:`DiagnosticModel.next_questions`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    top : int, optional
        Show only the ``top`` best questions.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> ax = gb.plot_next_questions(model.next_questions({"fever": "yes"}))
    >>> len(ax.patches) == len(model.risk_factors) + len(model.findings) - 1
    True
    """
    import matplotlib.pyplot as plt

    ranking = getattr(result, "ranking", None)
    if ranking is None:
        raise TypeError(
            "plot_next_questions needs the result of model.next_questions(...); got "
            f"{type(result).__name__}"
        )
    if top is not None:
        ranking = ranking.head(top)
    names = list(ranking["label"])
    gains = ranking["information_gain"].to_numpy()
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.45 * len(names) + 1.6), layout="constrained")
    positions = list(range(len(names)))[::-1]  # best on top
    bars = ax.barh(positions, gains, height=0.65, color=GAIN_COLOR)
    ax.bar_label(bars, labels=[f"{g:.2f}" for g in gains], padding=3, fontsize=10)
    ax.set_yticks(positions, names, fontsize=11)
    ax.set_xlim(0, max(float(gains.max(initial=0.0)) * 1.18, 0.05))
    ax.set_xlabel("expected information gain (bits)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    about = result.target.replace("_", " ") if result.target else "the causes"
    given = [f"{k}={v}" for k, v in result.evidence.items()]
    given += [f"{name} (soft)" for name in getattr(result, "soft", {})]
    ax.set_title(
        textwrap.fill(
            f"What to ask next about {about} (given {', '.join(given) or 'no evidence'})", width=60
        ),
        loc="left",
        fontsize=12,
    )
    return ax


def plot_explanation(result: Any, *, ax: Any = None) -> Any:
    """Diverging horizontal bars: each observed item's contribution to a cause's log-odds.

    Bars to the right push the cause up, to the left push it down; they add up to the
    change from prior to posterior log-odds, shown in the title.

    Parameters
    ----------
    result : Explanation
        From :meth:`DiagnosticModel.explain`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``result`` is not an Explanation.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> why = model.explain({"fever": "yes", "claudication": "yes"}, "local_infection")
    >>> len(gb.plot_explanation(why).patches)
    2
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from .reasoning.results import Explanation

    if not isinstance(result, Explanation):
        raise TypeError(
            f"plot_explanation needs the result of model.explain(...); got {type(result).__name__}"
        )
    table = result.table
    contributions = table["contribution"].to_numpy()
    names = [
        f"{label}: {state}" for label, state in zip(table["label"], table["state"], strict=True)
    ]
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 0.5 * len(names) + 1.8), layout="constrained")
    positions = list(range(len(names)))[::-1]  # largest on top
    supports = contributions >= 0
    bars = ax.barh(
        positions,
        contributions,
        height=0.65,
        color=[GAIN_COLOR if s else AGAINST_COLOR for s in supports],
        edgecolor=[GAIN_COLOR if s else AGAINST_EDGE for s in supports],
        hatch=None,
        linewidth=0.8,
    )
    for bar, support in zip(bars, supports, strict=True):
        if not support:
            bar.set_hatch("//")
    ax.bar_label(
        bars, labels=[f"{round(c, 2) + 0.0:+.2f}" for c in contributions], padding=3, fontsize=10
    )
    ax.axvline(0, color="black", linewidth=0.8)
    span = max(float(np.abs(contributions).max(initial=0.0)), 0.1) * 1.3
    ax.set_xlim(-span, span)
    ax.set_yticks(positions, names, fontsize=11)
    ax.set_xlabel("contribution to the log-odds (natural log; right = for, left = against)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    headline = textwrap.fill(
        f"Why {result.cause_label} went from {_percent(result.prior)} to "
        f"{_percent(result.posterior)}",
        width=60,
    )
    ax.set_title(
        f"{headline}\nlog-odds {result.prior_log_odds:+.2f} → {result.posterior_log_odds:+.2f}"
        " (exact Shapley values)",
        loc="left",
        fontsize=12,
    )
    return ax


# -- parameters and learning --------------------------------------------------------------------


def plot_sensitivity(
    result: Any, *, ax: Any = None, top: int = 12, title: str | None = None
) -> Any:
    """Tornado chart of a sensitivity table: the numbers that move the posterior most, on top.

    Each bar spans the posterior from the number at the low end of its range (light,
    hatched) to the high end (dark); the vertical line is the posterior with the numbers as
    they are.

    Parameters
    ----------
    result : Sensitivity
        From :meth:`DiagnosticModel.sensitivity`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    top : int, default 12
        How many numbers to show (those with the largest swing).
    title : str, optional
        Defaults to the cause and the evidence.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> table = gb.load_model().sensitivity({"fever": "yes"}, "local_infection")
    >>> ax = gb.plot_sensitivity(table, top=5)
    >>> len(ax.patches)
    10
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from .reasoning.results import Sensitivity

    if not isinstance(result, Sensitivity):
        raise TypeError(
            "plot_sensitivity needs the result of model.sensitivity(evidence, cause); got "
            f"{type(result).__name__}"
        )
    meta, result = result, result.table
    if not (isinstance(top, int) and top >= 1):
        raise ValueError(f"top must be a positive whole number; got {top!r}")
    shown = result.sort_values("swing", ascending=False, kind="stable").head(top)
    shown = shown[shown["swing"] > 1e-9] if (shown["swing"] > 1e-9).any() else shown.iloc[:1]
    if ax is None:
        _, ax = plt.subplots(figsize=(9.0, 0.45 * len(shown) + 1.8), layout="constrained")
    centre = meta.posterior
    positions = list(range(len(shown)))[::-1]  # largest swing on top
    for name, color, edge, hatch in (
        ("low", PRIOR_COLOR, PRIOR_EDGE, "//"),
        ("high", POSTERIOR_COLOR, POSTERIOR_COLOR, None),
    ):
        ends = shown[f"posterior_at_{name}"].to_numpy()
        base = centre if centre is not None else shown["posterior_at_low"].to_numpy()
        ax.barh(
            positions,
            ends - base,
            left=base,
            height=0.6,
            color=color,
            edgecolor=edge,
            hatch=hatch,
            linewidth=0.8,
            label=f"number at the {name} end of its range",
        )
    if centre is not None:
        ax.axvline(centre, color="black", linewidth=1.2)
    ax.set_yticks(positions, [textwrap.shorten(t, 60) for t in shown["label"]], fontsize=10)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    cause = meta.cause_label
    ax.set_xlabel(f"P({cause} | evidence)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False, fontsize=9)
    if title is None:
        given = ", ".join(f"{k}={v}" for k, v in meta.evidence.items()) or "no evidence"
        factor = meta.factor
        scale = f" (odds ÷{factor:g} to ×{factor:g})" if factor else ""
        title = f"What moves {cause}{scale}; given {given}"
    ax.set_title(textwrap.fill(title, width=48), loc="left", fontsize=12)
    return ax
