"""The only code that imports matplotlib (lazily, inside each function).

Every plot takes ``ax=None`` and returns the Axes it drew on: give it an Axes to place the
chart in your own figure, or let it make a figure of its own. Nothing here calls
``plt.show()``. Colours are chosen to stay distinct when printed in grey: the prior is a
light hatched bar, the posterior a dark solid one.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

__all__ = ["plot_posterior", "plot_sensitivity"]

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
    intervals : pandas.DataFrame, optional
        Credible intervals from :meth:`DiagnosticModel.posterior_interval` (columns
        ``lower`` and ``upper``, indexed by cause), drawn as error bars on the posterior.

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

    if not (
        isinstance(intervals, pd.DataFrame)
        and {"lower", "upper"} <= set(intervals.columns)
        and set(posterior.index) <= set(intervals.index)
    ):
        raise TypeError(
            "intervals must be the table from model.posterior_interval(evidence): columns "
            f"'lower' and 'upper' indexed by cause; got {type(intervals).__name__}"
        )
    lower = intervals.loc[posterior.index, "lower"].to_numpy()
    upper = intervals.loc[posterior.index, "upper"].to_numpy()
    values = posterior.to_numpy()
    y = [p - height / 2 for p in positions]
    errors = np.vstack([np.maximum(values - lower, 0), np.maximum(upper - values, 0)])
    level = intervals.attrs.get("level")
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
    if not (isinstance(top, int) and top >= 1):
        raise ValueError(f"top must be a positive whole number; got {top!r}")
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
