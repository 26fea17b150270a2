"""The literature check as a chart: model / published per row, on a log scale."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ...i18n import translation
from .result import VERDICT_COLOURS, ValidationResult, counts_text, verdict_words
from .verdicts import ratio_to_published

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_validation"]

#: A marker shape per verdict, so the chart reads in grey too (green and red have one grey).
MARKERS = {"inside_ci": "o", "within_2x": "s", "off": "D"}


def plot_validation(
    result: ValidationResult,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    language: str | None = None,
) -> Axes:
    """How far the model's figures lie from the published ones, row by row.

    Each row is drawn on a log scale as the ratio model / published (of the odds for
    sensitivity and specificity, directly for likelihood ratios), with the published
    interval as a whisker converted the same way. The band from 1/2 to 2 is shaded; filled
    markers are dependent rows, hollow markers independent ones; colour is the verdict.

    Parameters
    ----------
    result : ValidationResult
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        The Axes title (a default one otherwise).
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import gluteal_bn as gb
    >>> ax = gb.load_model().validate().plot()
    >>> ax.get_xscale()
    'log'
    """
    t = translation(language)
    own_figure = ax is None
    if ax is None:
        import matplotlib.pyplot as plt

        height = max(3.0, 0.3 * len(result.rows) + 2.0)
        _, ax = plt.subplots(figsize=(8, height), layout="constrained")
    colours = VERDICT_COLOURS
    rows = list(result.rows)
    for position, row in enumerate(reversed(rows)):
        ratio = ratio_to_published(row.measure, row.implied, row.published)
        if row.ci_low is not None and row.ci_high is not None:
            low = ratio_to_published(row.measure, row.ci_low, row.published)
            high = ratio_to_published(row.measure, row.ci_high, row.published)
            ax.plot([low, high], [position, position], color="0.55", linewidth=1.5)
        face = colours[row.verdict] if row.dependent else "white"
        ax.plot(
            [_clip(ratio)],
            [position],
            marker=MARKERS[row.verdict],
            markersize=6,
            markerfacecolor=face,
            markeredgecolor=colours[row.verdict],
            linestyle="none",
        )
    ax.axvspan(0.5, 2.0, color="0.92", zorder=0)
    ax.axvline(1.0, color="0.4", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([result.row_label(row, t) for row in reversed(rows)], fontsize=8)
    ax.set_ylim(-0.8, len(rows) - 0.2)
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ratios = [_clip(ratio_to_published(row.measure, row.implied, row.published)) for row in rows]
    low, high = min([0.25, *ratios]), max([4.0, *ratios])
    powers = range(math.floor(math.log2(low)), math.ceil(math.log2(high)) + 1)
    step = 1 if len(powers) <= 8 else 2  # labels like 1/16 need room: every other power
    ticks = [2.0**k for k in powers if k % step == 0]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}" if x >= 1 else f"1/{1 / x:g}"))
    ax.set_xlim(low / 1.3, high * 1.3)
    handles = [
        Line2D(
            [],
            [],
            marker=MARKERS[verdict],
            linestyle="none",
            color=colour,
            label=verdict_words(verdict, t),
        )
        for verdict, colour in colours.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            color="0.3",
            markerfacecolor="white",
            label=t.gettext("independent (hollow)"),
        )
    )
    if own_figure:  # below everything, placed by the layout engine
        ax.figure.legend(handles=handles, fontsize=8, loc="outside lower right", ncol=2)
    else:
        ax.legend(handles=handles, fontsize=8, loc="best")
    ax.set_xlabel(
        t.gettext("model / published\n(odds for sensitivity and specificity; log scale)"),
        fontsize=9,
        loc="right",  # the axes sit right of long row labels: the text may reach over them
    )
    ax.set_title(
        title
        or t.gettext("Literature check\ndependent: {dependent}\nindependent: {independent}").format(
            dependent=counts_text(result.counts(dependent=True), t),
            independent=counts_text(result.counts(dependent=False), t),
        ),
        fontsize=10,
        loc="right",
    )
    return ax


def _clip(value: float) -> float:
    """Ratios beyond 1000 (or 1/1000) drawn at the edge."""
    return min(max(value, 1e-3), 1e3)
