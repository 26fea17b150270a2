"""Plots of an :class:`~gluteal_bn.evaluation.Evaluation`: reliability, ROC curves, confusion.

Each takes the result, ``ax=None`` and keyword-only options, and returns the Axes it drew on
(a new figure only when no Axes is given; never ``plt.show()``). Lines differ in marker and
dash as well as colour, so the charts stay readable printed in grey; no text is under 10 pt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ..i18n import Translation, translation
from .style import GRID_COLOR, POSTERIOR_COLOR, state_text, variable_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..evaluation import Evaluation

__all__ = ["plot_confusion", "plot_reliability", "plot_roc"]

# (colour, marker, dash): distinct in colour and in grey print.
_STYLES = (
    (POSTERIOR_COLOR, "o", "-"),
    ("#000000", "s", "--"),
    ("#7f7f7f", "^", "-."),
    ("#2e8b57", "D", ":"),
    ("#b35806", "v", (0, (5, 1, 1, 1, 1, 1))),
    ("#5e3c99", "P", (0, (8, 2))),
    ("#4d4d4d", "X", (0, (1, 1))),
)
_DIAGONAL: dict[str, Any] = {
    "color": "#b0b0b0",
    "linewidth": 1.0,
    "linestyle": (0, (4, 3)),
    "zorder": 0,
}
_FONT = 10


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _wrap(text: str, width: int = 58) -> str:
    """A legend entry over lines that fit the figure's width."""
    import textwrap

    return textwrap.fill(text, width, subsequent_indent="  ")


def _square(ax: Axes | None, entries: list[str]) -> tuple[Axes, float]:
    """The Axes of a square plot with room for a legend of ``entries`` below it.

    Returns the Axes and where the legend's top goes, in axes units. Placed by hand: a
    legend outside the plot is not something constrained layout accounts for reliably.
    """
    if ax is not None:
        return ax, -0.14
    import matplotlib.pyplot as plt

    side, left, top, axis = 4.6, 0.9, 0.45, 0.75  # inches
    lines = sum(entry.count("\n") + 1 for entry in entries)
    legend = 0.3 + 0.2 * lines + 0.06 * len(entries)
    width, height = 6.4, top + side + axis + legend
    figure = plt.figure(figsize=(width, height))
    ax = figure.add_axes((left / width, (axis + legend) / height, side / width, side / height))
    return ax, -axis / side


def _outcome_text(t: Translation, result: Evaluation, outcome: str) -> str:
    """An outcome in words, in ``t``'s language: the cause, or "variable: state"."""
    row = result.metrics.loc[outcome]
    variable, state = str(row["variable"]), str(row["state"])
    if outcome == variable:
        return variable_text(t, result.vocabulary, variable)
    words = state_text(t, result.vocabulary, variable, state)
    return f"{variable_text(t, result.vocabulary, variable)}: {words}"


def _chosen(result: Evaluation, outcomes: Sequence[str] | None) -> list[str]:
    from ..errors import EvidenceError

    names = list(result.outcomes) if outcomes is None else list(outcomes)
    unknown = [name for name in names if name not in result.outcomes]
    if unknown:
        raise EvidenceError(
            f"outcome {unknown[0]!r} is not in this evaluation; expected one of "
            f"{list(result.outcomes)}"
        )
    return names


def plot_reliability(
    result: Evaluation,
    *,
    ax: Axes | None = None,
    outcomes: Sequence[str] | None = None,
    language: str | None = None,
) -> Axes:
    """Reliability diagram: observed frequency against mean predicted probability, per bin.

    A perfectly calibrated model lies on the diagonal. Empty bins are left out; the legend
    gives each outcome's expected calibration error (ECE).

    Parameters
    ----------
    result : Evaluation
        From :func:`gluteal_bn.evaluate` or :meth:`DiagnosticModel.evaluate`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    outcomes : sequence of str, optional
        Which outcomes to draw (default: all).
    language : str, optional
        Language of the words (see :mod:`gluteal_bn.i18n`).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EvidenceError
        For an outcome that is not in the result.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.plotting import plot_reliability
    >>> model = gb.load_model()
    >>> result = model.evaluate(model.sample_cases(500, seed=1), model.causes, n_boot=0)
    >>> ax = plot_reliability(result)
    >>> len(ax.lines)  # the diagonal and one line per cause
    6
    """
    t = translation(language)
    names = _chosen(result, outcomes)
    entries = [t.gettext("Perfect calibration")] + [
        _wrap(
            t.gettext("{outcome} (ECE {ece})").format(
                outcome=_outcome_text(t, result, o), ece=t.number(result.ece(o), 3)
            )
        )
        for o in names
    ]
    ax, below = _square(ax, entries)
    ax.plot([0, 1], [0, 1], **_DIAGONAL, label=entries[0])
    for i, outcome in enumerate(names):
        color, marker, dash = _STYLES[i % len(_STYLES)]
        table = result.reliability_of(outcome)
        table = table[table["count"] > 0]
        ax.plot(
            table["predicted"],
            table["observed"],
            color=color,
            marker=marker,
            linestyle=dash,
            linewidth=1.6,
            markersize=6,
            label=entries[i + 1],
        )
    _unit_square(ax, t, t.gettext("Mean predicted probability"), t.gettext("Observed frequency"))
    ax.set_title(t.gettext("Reliability diagram"), loc="left", fontsize=12)
    ax.legend(loc="upper left", bbox_to_anchor=(-0.02, below), fontsize=_FONT, frameon=False)
    return ax


def plot_roc(
    result: Evaluation,
    *,
    ax: Axes | None = None,
    outcomes: Sequence[str] | None = None,
    language: str | None = None,
) -> Axes:
    """ROC curves (true against false positive rate), the AUC of each in the legend.

    Outcomes whose AUC is undefined (only positives or only negatives) are left out.

    Parameters
    ----------
    result : Evaluation
    ax : matplotlib Axes, optional
    outcomes : sequence of str, optional
        Which outcomes to draw (default: all with an AUC).
    language : str, optional
        Language of the words (see :mod:`gluteal_bn.i18n`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.plotting import plot_roc
    >>> model = gb.load_model()
    >>> result = model.evaluate(model.sample_cases(500, seed=1), model.causes, n_boot=0)
    >>> len(plot_roc(result).lines)  # the chance diagonal and one curve per cause
    6
    """
    t = translation(language)
    names = _chosen(result, outcomes)
    shown = [o for o in names if not result.roc[o].empty]
    entries = [t.gettext("Chance")] + [
        _wrap(
            t.gettext("{outcome} (AUC {auc})").format(
                outcome=_outcome_text(t, result, o),
                auc=t.number(float(cast(float, result.metrics.at[o, "roc_auc"])), 3),
            )
        )
        for o in shown
    ]
    ax, below = _square(ax, entries)
    ax.plot([0, 1], [0, 1], **_DIAGONAL, label=entries[0])
    for k, outcome in enumerate(shown):
        color, _, dash = _STYLES[names.index(outcome) % len(_STYLES)]
        curve = result.roc[outcome]
        ax.plot(
            curve["fpr"],
            curve["tpr"],
            color=color,
            linestyle=dash,
            linewidth=1.8,
            label=entries[k + 1],
        )
    _unit_square(
        ax,
        t,
        t.gettext("False positive rate (1 - specificity)"),
        t.gettext("True positive rate (sensitivity)"),
    )
    ax.set_title(t.gettext("ROC curves"), loc="left", fontsize=12)
    ax.legend(loc="upper left", bbox_to_anchor=(-0.02, below), fontsize=_FONT, frameon=False)
    return ax


def plot_confusion(
    result: Evaluation,
    *,
    ax: Axes | None = None,
    normalize: bool = True,
    language: str | None = None,
) -> Axes:
    """The most likely cause against the true cause: counts in cells, shaded by row share.

    Parameters
    ----------
    result : Evaluation
        Needs at least two causes as truth (otherwise it has no confusion matrix).
    ax : matplotlib Axes, optional
    normalize : bool, default True
        Shade each cell by its share of its row (the true label); False shades by count.
    language : str, optional
        Language of the words (see :mod:`gluteal_bn.i18n`).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EvidenceError
        If the result has no confusion matrix.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.plotting import plot_confusion
    >>> model = gb.load_model()
    >>> result = model.evaluate(model.sample_cases(500, seed=1), model.causes, n_boot=0)
    >>> len(plot_confusion(result).texts)  # one count per cell
    35
    """
    import textwrap

    from ..errors import EvidenceError
    from ..evaluation import NONE, SEVERAL

    t = translation(language)

    if result.confusion is None:
        raise EvidenceError(
            "this evaluation has no confusion matrix: it needs at least two causes as truth"
        )
    table = result.confusion
    counts = table.to_numpy()
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shade = np.where(totals > 0, counts / totals, 0.0) if normalize else counts / counts.max()
    ax = _axes(ax, (1.4 * counts.shape[1] + 3.2, 0.6 * counts.shape[0] + 2.6))
    ax.imshow(shade, cmap="Greys", vmin=0, vmax=1, aspect="auto")
    for (row, column), count in np.ndenumerate(counts):
        dark = shade[row, column] > 0.55
        ax.text(
            column,
            row,
            t.number(int(count), 0),
            ha="center",
            va="center",
            fontsize=_FONT,
            color="white" if dark else "black",
            fontweight="bold" if row == column else "normal",
        )

    special = {
        SEVERAL: t.gettext("Several causes present"),
        NONE: t.gettext("No cause present"),
    }

    def words(name: Any, width: int) -> str:
        text = special.get(name) or variable_text(t, result.vocabulary, str(name))
        return textwrap.fill(text, width)

    ax.set_xticks(range(counts.shape[1]), [words(c, 14) for c in table.columns], fontsize=_FONT)
    ax.set_yticks(range(counts.shape[0]), [words(r, 28) for r in table.index], fontsize=_FONT)
    ax.set_xlabel(t.gettext("Most likely cause"), fontsize=11)
    ax.set_ylabel(t.gettext("True cause"), fontsize=11)
    ax.tick_params(length=0)
    ax.set_title(
        t.gettext("Most likely vs true cause (top-1 accuracy {accuracy})").format(
            accuracy=t.percent(result.accuracy)
        ),
        loc="left",
        fontsize=12,
    )
    return ax


def _unit_square(ax: Axes, t: Translation, xlabel: str, ylabel: str) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.set_xlim(-0.02, 1.02)  # room for the markers at 0 and 1
    ax.set_ylim(-0.02, 1.02)
    ax.set_box_aspect(1)
    ax.set_xlabel(xlabel, fontsize=11)
    ax.set_ylabel(ylabel, fontsize=11)
    ax.tick_params(labelsize=_FONT)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: t.number(x, 1)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: t.number(x, 1)))
    ax.grid(color=GRID_COLOR, linewidth=0.8)
    ax.set_axisbelow(True)
