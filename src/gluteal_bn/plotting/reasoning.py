"""Plots of the reasoning tools' results: next questions, explanation, sensitivity."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..checks import check_scalar
from ..i18n import translation
from .style import (
    AGAINST_COLOR,
    AGAINST_EDGE,
    FONT_LABEL,
    FONT_SMALL,
    FONT_TITLE,
    GAIN_COLOR,
    POSTERIOR_COLOR,
    PRIOR_COLOR,
    PRIOR_EDGE,
    evidence_text,
    state_text,
    tidy_axes,
    title_for,
    variable_text,
    wrap_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_next_questions(
    result: Any, *, ax: Axes | None = None, top: int | None = None, language: str | None = None
) -> Axes:
    """Horizontal bars of each candidate question's expected information gain, in bits.

    Parameters
    ----------
    result : NextQuestions
        From :meth:`DiagnosticModel.next_questions`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    top : int, optional
        Show only the ``top`` best questions.
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

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
    from matplotlib.ticker import FuncFormatter

    t = translation(language)
    ranking = getattr(result, "ranking", None)
    if ranking is None:
        raise TypeError(
            "plot_next_questions needs the result of model.next_questions(...); got "
            f"{type(result).__name__}"
        )
    if top is not None:
        ranking = ranking.head(top)
    names = [t.label(label) for label in ranking["label"]]
    gains = ranking["information_gain"].to_numpy()
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.45 * len(names) + 1.8), layout="constrained")
    positions = list(range(len(names)))[::-1]  # best on top
    bars = ax.barh(positions, gains, height=0.65, color=GAIN_COLOR)
    ax.bar_label(bars, labels=[t.number(g) for g in gains], padding=3, fontsize=FONT_SMALL)
    ax.set_yticks(positions, [wrap_label(name, 36) for name in names], fontsize=FONT_LABEL)
    ax.set_xlim(0, max(float(gains.max(initial=0.0)) * 1.18, 0.05))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: t.number(x)))
    ax.tick_params(axis="x", labelsize=FONT_SMALL)
    ax.set_xlabel(t.gettext("expected information gain (bits)"), fontsize=FONT_SMALL)
    tidy_axes(ax, "x")
    vocabulary = result.vocabulary
    about = (
        variable_text(t, vocabulary, result.target) if result.target else t.gettext("the causes")
    )
    given = evidence_text(t, vocabulary, result.evidence, getattr(result, "soft", None))
    ax.set_title(
        title_for(
            ax,
            t.gettext("What to ask next about {about} (given {evidence})").format(
                about=about, evidence=given
            ),
        ),
        loc="left",
        fontsize=FONT_TITLE,
    )
    return ax


def plot_explanation(result: Any, *, ax: Axes | None = None, language: str | None = None) -> Axes:
    """Diverging horizontal bars: each observed item's contribution to a cause's log-odds.

    Bars to the right push the cause up, to the left push it down; they add up to the
    change from prior to posterior log-odds, shown in the title.

    Parameters
    ----------
    result : Explanation
        From :meth:`DiagnosticModel.explain`.
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
    >>> why = model.explain({"fever": "yes", "claudication": "yes"}, "local_infection")
    >>> len(gb.plot_explanation(why).patches)
    2
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    from ..reasoning.results import Explanation

    t = translation(language)
    if not isinstance(result, Explanation):
        raise TypeError(
            f"plot_explanation needs the result of model.explain(...); got {type(result).__name__}"
        )
    table = result.table
    contributions = table["contribution"].to_numpy()
    vocabulary = result.vocabulary
    names = [
        f"{t.label(label)}: {state_text(t, vocabulary, variable, state)}"
        for variable, label, state in zip(
            table["variable"], table["label"], table["state"], strict=True
        )
    ]
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 0.5 * len(names) + 2.2), layout="constrained")
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
        bars,
        labels=[t.number(c, signed=True) for c in contributions],
        padding=3,
        fontsize=FONT_SMALL,
    )
    ax.axvline(0, color="black", linewidth=0.8)
    span = max(float(np.abs(contributions).max(initial=0.0)), 0.1) * 1.3
    ax.set_xlim(-span, span)
    ax.set_yticks(positions, [wrap_label(name, 36) for name in names], fontsize=FONT_LABEL)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: t.number(x, 1)))
    ax.tick_params(axis="x", labelsize=FONT_SMALL)
    ax.set_xlabel(
        title_for(
            ax,
            t.gettext("contribution to the log-odds (natural log; right = for, left = against)"),
            FONT_SMALL,
        ),
        fontsize=FONT_SMALL,
    )
    tidy_axes(ax, "x")
    headline = t.gettext("Why {cause} went from {prior} to {posterior}").format(
        cause=t.label(result.cause_label),
        prior=t.percent(result.prior),
        posterior=t.percent(result.posterior),
    )
    odds = t.gettext("log-odds {prior} → {posterior} (exact Shapley values)").format(
        prior=t.number(result.prior_log_odds, signed=True),
        posterior=t.number(result.posterior_log_odds, signed=True),
    )
    ax.set_title(title_for(ax, f"{headline}\n{odds}"), loc="left", fontsize=FONT_TITLE)
    return ax


def plot_sensitivity(
    result: Any,
    *,
    ax: Axes | None = None,
    top: int = 12,
    title: str | None = None,
    language: str | None = None,
) -> Axes:
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
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

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
    from matplotlib.ticker import FuncFormatter

    from ..reasoning.results import Sensitivity

    t = translation(language)
    if not isinstance(result, Sensitivity):
        raise TypeError(
            "plot_sensitivity needs the result of model.sensitivity(evidence, cause); got "
            f"{type(result).__name__}"
        )
    meta, result = result, result.table
    top = int(check_scalar(top, "top", expected="a positive whole number", integer=True, minimum=1))
    shown = result.sort_values("swing", ascending=False, kind="stable").head(top)
    shown = shown[shown["swing"] > 1e-9] if (shown["swing"] > 1e-9).any() else shown.iloc[:1]
    if ax is None:
        _, ax = plt.subplots(figsize=(9.0, 0.45 * len(shown) + 2.2), layout="constrained")
    centre = meta.posterior
    positions = list(range(len(shown)))[::-1]  # largest swing on top
    for name, color, edge, hatch, legend in (
        ("low", PRIOR_COLOR, PRIOR_EDGE, "//", t.gettext("number at the low end of its range")),
        (
            "high",
            POSTERIOR_COLOR,
            POSTERIOR_COLOR,
            None,
            t.gettext("number at the high end of its range"),
        ),
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
            label=legend,
        )
    if centre is not None:
        ax.axvline(centre, color="black", linewidth=1.2)
    if meta.vocabulary is not None and meta.numbers:
        labels = [t.number_text(meta.vocabulary, meta.numbers[i]) for i in shown["number"]]
    else:
        labels = list(shown["label"])
    ax.set_yticks(positions, [wrap_label(label, 48) for label in labels], fontsize=FONT_SMALL)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: t.percent(x, decimals=0)))
    ax.tick_params(axis="x", labelsize=FONT_SMALL)
    cause = t.label(meta.cause_label)
    ax.set_xlabel(t.gettext("P({cause} | evidence)").format(cause=cause), fontsize=FONT_SMALL)
    tidy_axes(ax, "x")
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=1,
        frameon=False,
        fontsize=FONT_SMALL,
    )
    if title is None:
        given = evidence_text(t, meta.vocabulary, meta.evidence)
        factor = meta.factor
        if factor:
            title = t.gettext("What moves {cause} (odds ÷{factor} to ×{factor}); given {evidence}")
        else:
            title = t.gettext("What moves {cause}; given {evidence}")
        title = title.format(
            cause=cause,
            factor=t.number(factor, 0 if float(factor).is_integer() else 2),
            evidence=given,
        )
    ax.set_title(title_for(ax, title), loc="left", fontsize=FONT_TITLE)
    return ax
