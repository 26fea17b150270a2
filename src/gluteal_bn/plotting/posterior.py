"""plot_posterior: each cause's prior beside its posterior, optionally with credible intervals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ..errors import ArgumentError
from ..i18n import translation
from .style import (
    FONT_LABEL,
    FONT_SMALL,
    FONT_TITLE,
    POSTERIOR_COLOR,
    PRIOR_COLOR,
    PRIOR_EDGE,
    evidence_text,
    text_width,
    tidy_axes,
    title_for,
    wrap_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..i18n import Translation


def plot_posterior(
    prior: Any,
    posterior: Any = None,
    *,
    ax: Axes | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    intervals: Any = None,
    language: str | None = None,
) -> Axes:
    """Horizontal bars of each cause's prior beside its posterior, with percentages.

    Parameters
    ----------
    prior : pandas.Series or Diagnosis
        P(cause present) with no evidence, indexed by cause; or a result with ``prior`` and
        ``posterior`` (and optionally ``evidence`` and ``vocabulary``), such as
        :class:`~gluteal_bn.Diagnosis`.
    posterior : pandas.Series, optional
        P(cause present | evidence), same index as ``prior``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    labels : mapping, optional
        Words for each cause (used as given, not translated); by default the causes' labels
        in ``language``.
    title : str, optional
        Defaults to the evidence in words, when the result carries it.
    intervals : pandas.DataFrame, optional
        Credible intervals from :meth:`DiagnosticModel.posterior_interval` (columns
        ``lower`` and ``upper``, indexed by cause), drawn as error bars on the posterior;
        each posterior's label then reads ``12.3% (8.1–17.0%)``: the point, then the interval.
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale
        (see :mod:`gluteal_bn.i18n`).

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
    from matplotlib.ticker import FuncFormatter

    t = translation(language)
    evidence: Mapping[str, str] | None = None
    vocabulary = None
    if posterior is None and hasattr(prior, "posterior") and hasattr(prior, "prior"):
        evidence = getattr(prior, "evidence", None)
        vocabulary = getattr(prior, "vocabulary", None)
        given_labels = dict(getattr(prior, "labels", {}) or {})
        prior, posterior = prior.prior, prior.posterior
        _check_series(prior, posterior)
    else:
        _check_series(prior, posterior)
        given_labels = {**prior.attrs.get("labels", {}), **posterior.attrs.get("labels", {})}
    causes = list(posterior.index)
    names = [
        (labels or {}).get(cause)
        or t.label(given_labels.get(cause, cause.replace("_", " ").capitalize()))
        for cause in causes
    ]
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.75 * len(causes) + 1.6), layout="constrained")

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
        label=t.gettext("prior"),
    )
    posterior_bars = ax.barh(
        [p - height / 2 for p in positions],
        posterior.loc[causes],
        height=height,
        color=POSTERIOR_COLOR,
        edgecolor=POSTERIOR_COLOR,
        label=t.gettext("posterior"),
    )
    ax.bar_label(
        prior_bars,
        labels=[t.percent(b.get_width()) for b in prior_bars],
        padding=3,
        fontsize=FONT_SMALL,
    )
    level = None
    if intervals is None:
        ax.bar_label(
            posterior_bars,
            labels=[t.percent(b.get_width()) for b in posterior_bars],
            padding=3,
            fontsize=FONT_SMALL,
            fontweight="bold",
        )
        ax.set_xlim(0, 1.14)
    else:
        level = _draw_intervals(ax, intervals, posterior.loc[causes], positions, height, t)

    ax.set_yticks(positions, [wrap_label(name) for name in names], fontsize=FONT_LABEL)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: t.percent(x, decimals=0)))
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.tick_params(axis="x", labelsize=FONT_SMALL)
    ax.set_xlabel(t.gettext("probability the cause is present"), fontsize=FONT_SMALL)
    tidy_axes(ax, "x")
    if intervals is None:
        ax.legend(loc="lower right", frameon=False, fontsize=FONT_SMALL)
    else:  # below the chart: long error bars reach the lower right corner
        texts = ax.get_legend_handles_labels()[1]
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncol=3 if sum(len(text) for text in texts) < 45 else 2,
            frameon=False,
            fontsize=FONT_SMALL,
        )
    if title is None:
        if evidence and vocabulary is not None:
            given = t.evidence(vocabulary, evidence)
        elif evidence:
            given = evidence_text(t, None, evidence)
        else:
            given = ""
        if level is not None:
            title = (
                t.gettext("Prior and posterior with {level} credible intervals").format(
                    level=t.percent(level, decimals=0)
                )
                if not given
                else t.gettext("Given {evidence}, with {level} credible intervals").format(
                    evidence=given, level=t.percent(level, decimals=0)
                )
            )
        elif intervals is not None:
            title = (
                t.gettext("Prior and posterior with credible intervals")
                if not given
                else t.gettext("Given {evidence}, with credible intervals").format(evidence=given)
            )
        else:
            title = (
                t.gettext("Given {evidence}").format(evidence=given)
                if given
                else t.gettext("Prior and posterior")
            )
    ax.set_title(title_for(ax, title), loc="left", fontsize=FONT_TITLE)
    return ax


def _draw_intervals(
    ax: Axes,
    intervals: Any,
    posterior: Any,
    positions: list[int],
    height: float,
    t: Translation,
) -> float | None:
    """Error bars from each interval's lower to upper end; beyond them "point (lower–upper)".

    Returns the interval's level, when the table carries it.
    """
    import numpy as np
    import pandas as pd
    from matplotlib import patheffects

    from ..reasoning.results import PosteriorIntervals

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
        label=(
            t.gettext("{level} credible interval").format(level=t.percent(level, decimals=0))
            if level
            else t.gettext("credible interval")
        ),
    )
    halo = [patheffects.Stroke(linewidth=3.2, foreground="white"), patheffects.Normal()]
    for artist in (*bars.lines[1], *bars.lines[2]):  # visible on the dark bars too
        artist.set_path_effects(halo)
    # The axes' width once the layout has made room for the cause names (about 0.8 of it).
    width = 0.8 * ax.get_position().width * cast("Figure", ax.figure).get_figwidth()
    reach = 1.32
    for value, low, high, where in zip(values, lower, upper, y, strict=True):
        end = max(high, value)
        label = f"{t.percent(value)} ({t.number(100 * low, 1)}–{t.percent(high)})"
        ax.text(end + 0.012, where, label, va="center", fontsize=FONT_SMALL, fontweight="bold")
        share = min(text_width(label, FONT_SMALL, "bold") / width, 0.6)  # of the axes' width
        reach = max(reach, (end + 0.03) / (1 - share))  # the label ends inside the axes
    ax.set_xlim(0, reach)
    return float(level) if level else None


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
