"""Plots of the reasoning tools' results: next questions, explanation, sensitivity."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from ..checks import check_scalar
from .style import (
    AGAINST_COLOR,
    AGAINST_EDGE,
    GAIN_COLOR,
    POSTERIOR_COLOR,
    PRIOR_COLOR,
    PRIOR_EDGE,
    percent,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_next_questions(result: Any, *, ax: Axes | None = None, top: int | None = None) -> Axes:
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


def plot_explanation(result: Any, *, ax: Axes | None = None) -> Axes:
    """Diverging horizontal bars: each observed item's contribution to a cause's log-odds.

    Bars to the right push the cause up, to the left push it down; they add up to the
    change from prior to posterior log-odds, shown in the title.

    Parameters
    ----------
    result : pandas.DataFrame
        From :meth:`DiagnosticModel.explain`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

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

    if not hasattr(result, "attrs") or "posterior_log_odds" not in result.attrs:
        raise TypeError(
            f"plot_explanation needs the result of model.explain(...); got {type(result).__name__}"
        )
    contributions = result["contribution"].to_numpy()
    names = [
        f"{label}: {state}" for label, state in zip(result["label"], result["state"], strict=True)
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
    attrs = result.attrs
    headline = textwrap.fill(
        f"Why {attrs['cause_label']} went from {percent(attrs['prior'])} to "
        f"{percent(attrs['posterior'])}",
        width=60,
    )
    ax.set_title(
        f"{headline}\nlog-odds {attrs['prior_log_odds']:+.2f} → {attrs['posterior_log_odds']:+.2f}"
        " (exact Shapley values)",
        loc="left",
        fontsize=12,
    )
    return ax


def plot_sensitivity(
    result: Any, *, ax: Axes | None = None, top: int = 12, title: str | None = None
) -> Axes:
    """Tornado chart of a sensitivity table: the numbers that move the posterior most, on top.

    Each bar spans the posterior from the number at the low end of its range (light,
    hatched) to the high end (dark); the vertical line is the posterior with the numbers as
    they are.

    Parameters
    ----------
    result : pandas.DataFrame
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
    import pandas as pd
    from matplotlib.ticker import PercentFormatter

    needed = {"label", "posterior_at_low", "posterior_at_high", "swing"}
    if not isinstance(result, pd.DataFrame) or not needed <= set(result.columns):
        raise TypeError(
            "plot_sensitivity needs the table from model.sensitivity(evidence, cause); got "
            f"{type(result).__name__}"
        )
    top = int(check_scalar(top, "top", expected="a positive whole number", integer=True, minimum=1))
    shown = result.sort_values("swing", ascending=False, kind="stable").head(top)
    shown = shown[shown["swing"] > 1e-9] if (shown["swing"] > 1e-9).any() else shown.iloc[:1]
    if ax is None:
        _, ax = plt.subplots(figsize=(9.0, 0.45 * len(shown) + 1.8), layout="constrained")
    centre = result.attrs.get("posterior")
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
    cause = result.attrs.get("cause_label", result.attrs.get("cause", "the cause"))
    ax.set_xlabel(f"P({cause} | evidence)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False, fontsize=9)
    if title is None:
        evidence = result.attrs.get("evidence") or {}
        given = ", ".join(f"{k}={v}" for k, v in evidence.items()) or "no evidence"
        factor = result.attrs.get("factor")
        scale = f" (odds ÷{factor:g} to ×{factor:g})" if factor else ""
        title = f"What moves {cause}{scale}; given {given}"
    ax.set_title(textwrap.fill(title, width=48), loc="left", fontsize=12)
    return ax
