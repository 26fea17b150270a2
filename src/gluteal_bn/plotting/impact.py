"""plot_evidence_impact: a waterfall of P(cause) as each observed item is added."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..i18n import translation
from .style import (
    FONT_SMALL,
    FONT_TITLE,
    POSTERIOR_COLOR,
    PRIOR_COLOR,
    PRIOR_EDGE,
    STEP_DOWN_COLOR,
    STEP_UP_COLOR,
    tidy_axes,
    title_for,
    wrap_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..i18n import Translation
    from ..vocabulary import Vocabulary


def plot_evidence_impact(
    model: Any,
    evidence: Mapping[str, str],
    cause: str,
    *,
    order: Sequence[str] | None = None,
    ax: Axes | None = None,
    language: str | None = None,
) -> Axes:
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
    steps down white and cross-hatched (a legend above the chart says so).

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
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

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
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    t = translation(language)
    table = evidence_impact_table(model, evidence, cause, order=order)
    if ax is None:
        _, ax = plt.subplots(figsize=(9.5, 0.62 * len(table) + 2.8), layout="constrained")
    rows = list(range(len(table)))[::-1]  # prior on top
    for y, (name, step) in zip(rows, table.iterrows(), strict=True):
        start, end = step["start"], step["probability"]
        if name in ("prior", "posterior"):
            style: dict[str, Any] = {
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
                color=STEP_UP_COLOR if up else STEP_DOWN_COLOR,
                edgecolor=STEP_UP_COLOR,
                hatch=None if up else "xx",
            )
        if y != rows[-1]:
            ax.plot([end, end], [y - 0.3, y - 0.7], color="#8a8a8a", linewidth=0.8)
        # the number sits where the step ends: left of a step down (if there is room)
        left_of_bar = end < start and end > 0.11
        ax.text(
            end - 0.015 if left_of_bar else max(start, end) + 0.015,
            y,
            t.percent(end),
            va="center",
            ha="right" if left_of_bar else "left",
            fontsize=FONT_SMALL,
            fontweight="bold" if name == "posterior" else "normal",
        )
        if name not in ("prior", "posterior"):
            ax.text(
                1.19,
                y,
                t.number(step["weight_of_evidence"], signed=True),
                va="center",
                ha="right",
                fontsize=FONT_SMALL,
            )
    labels = [wrap_label(_step_label(t, model.vocabulary, name), 36) for name in table.index]
    ax.set_yticks(rows, labels, fontsize=FONT_SMALL)
    ax.text(
        1.19,
        rows[0] + 0.5,
        t.gettext("WoE"),
        ha="right",
        va="bottom",
        fontsize=FONT_SMALL,
        fontweight="bold",
    )
    ax.set_xlim(0, 1.2)
    ax.set_ylim(-0.6, len(table) - 0.05)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: t.percent(x, decimals=0)))
    ax.tick_params(axis="x", labelsize=FONT_SMALL)
    ax.set_xlabel(
        title_for(
            ax,
            t.gettext("P(cause present) after adding the items top to bottom, in the order shown")
            + "\n"
            + t.gettext(
                "WoE = ln P(item | cause) − ln P(item | no cause), each item alone (order-free)"
            ),
            FONT_SMALL,
        ),
        fontsize=FONT_SMALL,
    )
    tidy_axes(ax, "x")
    ax.legend(
        handles=[
            Patch(
                facecolor=STEP_UP_COLOR,
                edgecolor=STEP_UP_COLOR,
                label=t.gettext("the item raised P(cause)"),
            ),
            Patch(
                facecolor=STEP_DOWN_COLOR,
                edgecolor=STEP_UP_COLOR,
                hatch="xx",
                label=t.gettext("the item lowered P(cause)"),
            ),
        ],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=2,
        frameon=False,
        fontsize=FONT_SMALL,
        borderaxespad=0.2,
    )
    label = t.variable(model.vocabulary, cause)
    if order is None:
        title = t.gettext("How each finding moved P({cause}), in the order given")
    else:
        title = t.gettext("How each finding moved P({cause}), in the chosen order")
    ax.set_title(
        title_for(ax, title.format(cause=label)),
        loc="left",
        fontsize=FONT_TITLE,
        pad=34,
    )
    return ax


def evidence_impact_table(
    model: Any, evidence: Mapping[str, str], cause: str, *, order: Sequence[str] | None = None
) -> Any:
    """The numbers behind :func:`plot_evidence_impact`, as a DataFrame.

    One row per step ("prior", each ``name=state`` added in order, "posterior") with
    columns ``start`` (P(cause) before the step), ``probability`` (after it) and
    ``weight_of_evidence`` (NaN for the prior and posterior rows). The numbers are those of
    :meth:`DiagnosticModel.explain` (the cause's log-odds given every subset of the items),
    computed once there.
    """
    from ..errors import EvidenceError
    from ..evidence import check_cause

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


def _step_label(t: Translation, vocabulary: Vocabulary, name: str) -> str:
    if name == "prior":
        return t.gettext("prior")
    if name == "posterior":
        return t.gettext("posterior")
    variable, _, state = name.partition("=")
    return f"+ {t.variable(vocabulary, variable)}: {t.state(vocabulary, variable, state)}"
