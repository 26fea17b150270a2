"""Plots of an :class:`~gluteal_bn.evaluation.Evaluation`: reliability, ROC curves, confusion.

Each takes the result, ``ax=None`` and keyword-only options, and returns the Axes it drew on
(a new figure only when no Axes is given; never ``plt.show()``). Lines differ in marker and
dash as well as colour, so the charts stay readable printed in grey; no text is under 10 pt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .style import GRID_COLOR, POSTERIOR_COLOR, percent

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
_DIAGONAL = {"color": "#b0b0b0", "linewidth": 1.0, "linestyle": (0, (4, 3)), "zorder": 0}
_FONT = 10


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


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
    result: Evaluation, *, ax: Axes | None = None, outcomes: Sequence[str] | None = None
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
    names = _chosen(result, outcomes)
    ax = _axes(ax, (6.4, 5.6))
    ax.plot([0, 1], [0, 1], **_DIAGONAL, label="Perfect calibration")
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
            label=f"{result.labels.get(outcome, outcome)} (ECE {result.ece(outcome):.3f})",
        )
    _unit_square(ax, "Mean predicted probability", "Observed frequency")
    ax.set_title("Reliability diagram", loc="left", fontsize=12)
    ax.legend(loc="lower right", fontsize=_FONT, frameon=False)
    return ax


def plot_roc(
    result: Evaluation, *, ax: Axes | None = None, outcomes: Sequence[str] | None = None
) -> Axes:
    """ROC curves (true against false positive rate), the AUC of each in the legend.

    Outcomes whose AUC is undefined (only positives or only negatives) are left out.

    Parameters
    ----------
    result : Evaluation
    ax : matplotlib Axes, optional
    outcomes : sequence of str, optional
        Which outcomes to draw (default: all with an AUC).

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
    names = _chosen(result, outcomes)
    ax = _axes(ax, (6.4, 5.6))
    ax.plot([0, 1], [0, 1], **_DIAGONAL, label="Chance")
    for i, outcome in enumerate(names):
        curve = result.roc[outcome]
        if curve.empty:
            continue
        color, _, dash = _STYLES[i % len(_STYLES)]
        auc = result.metrics.loc[outcome, "roc_auc"]
        ax.plot(
            curve["fpr"],
            curve["tpr"],
            color=color,
            linestyle=dash,
            linewidth=1.8,
            drawstyle="default",
            label=f"{result.labels.get(outcome, outcome)} (AUC {auc:.3f})",
        )
    _unit_square(ax, "False positive rate (1 - specificity)", "True positive rate (sensitivity)")
    ax.set_title("ROC curves", loc="left", fontsize=12)
    ax.legend(loc="lower right", fontsize=_FONT, frameon=False)
    return ax


def plot_confusion(result: Evaluation, *, ax: Axes | None = None, normalize: bool = True) -> Axes:
    """The most likely cause against the true cause: counts in cells, shaded by row share.

    Parameters
    ----------
    result : Evaluation
        Needs at least two causes as truth (otherwise it has no confusion matrix).
    ax : matplotlib Axes, optional
    normalize : bool, default True
        Shade each cell by its share of its row (the true label); False shades by count.

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
            f"{int(count):,}",
            ha="center",
            va="center",
            fontsize=_FONT,
            color="white" if dark else "black",
            fontweight="bold" if row == column else "normal",
        )

    def words(name: Any, width: int) -> str:
        return textwrap.fill(result.labels.get(str(name), str(name)), width)

    ax.set_xticks(range(counts.shape[1]), [words(c, 14) for c in table.columns], fontsize=_FONT)
    ax.set_yticks(range(counts.shape[0]), [words(r, 28) for r in table.index], fontsize=_FONT)
    ax.set_xlabel("Most likely cause", fontsize=11)
    ax.set_ylabel("True cause", fontsize=11)
    ax.tick_params(length=0)
    ax.set_title(
        f"Most likely vs true cause (top-1 accuracy {percent(result.accuracy)})",
        loc="left",
        fontsize=12,
    )
    return ax


def _unit_square(ax: Axes, xlabel: str, ylabel: str) -> None:
    ax.set_xlim(-0.02, 1.02)  # room for the markers at 0 and 1
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel, fontsize=11)
    ax.set_ylabel(ylabel, fontsize=11)
    ax.tick_params(labelsize=_FONT)
    ax.grid(color=GRID_COLOR, linewidth=0.8)
    ax.set_axisbelow(True)
