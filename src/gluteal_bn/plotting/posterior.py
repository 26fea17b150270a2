"""plot_posterior: each cause's prior beside its posterior, optionally with credible intervals."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ArgumentError
from .style import POSTERIOR_COLOR, PRIOR_COLOR, PRIOR_EDGE, percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_posterior(
    prior: Any,
    posterior: Any = None,
    *,
    ax: Axes | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    intervals: Any = None,
) -> Axes:
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
        prior_bars, labels=[percent(b.get_width()) for b in prior_bars], padding=3, fontsize=10
    )
    if intervals is None:
        ax.bar_label(
            posterior_bars,
            labels=[percent(b.get_width()) for b in posterior_bars],
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
    ax: Axes, intervals: Any, posterior: Any, positions: list[int], height: float
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
        ax.text(end + 0.012, where, percent(value), va="center", fontsize=10, fontweight="bold")


def _check_series(prior: Any, posterior: Any) -> None:
    import pandas as pd

    for name, series in (("prior", prior), ("posterior", posterior)):
        if not isinstance(series, pd.Series):
            raise TypeError(
                f"plot_posterior needs {name} as a pandas Series indexed by cause "
                f"(from model.prior() / model.posterior()); got {type(series).__name__}"
            )
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        outside = ~((values >= 0) & (values <= 1))  # NaN is outside too
        if outside.any():
            first = int(outside.argmax())
            raise ArgumentError(
                f"plot_posterior: {name} must hold probabilities between 0 and 1; "
                f"{series.index[first]!r} is {series.iloc[first]!r}"
            )
    if set(prior.index) != set(posterior.index):
        raise ValueError(
            "prior and posterior must cover the same causes; got "
            f"{list(prior.index)} and {list(posterior.index)}"
        )
