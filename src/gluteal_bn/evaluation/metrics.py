"""The metrics of one outcome (scikit-learn's, plus the reliability table and the ECE) and the
top-1 accuracy of the most likely cause with its confusion matrix."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .bootstrap import Cells

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["METRICS", "NONE", "SEVERAL", "outcome_metrics", "top_cause"]

#: The metrics of each outcome that get a bootstrap interval, in table order.
METRICS = ("prevalence", "brier", "log_loss", "roc_auc", "ece")

#: The true-cause labels of rows with several causes present, and with none.
SEVERAL = "(several)"
NONE = "(none)"


def outcome_metrics(
    y: np.ndarray,
    p: np.ndarray,
    bins: int,
    n_boot: int,
    rng: np.random.Generator,
    tail: float,
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """Point metrics (scikit-learn), reliability table, ROC curve and intervals of one outcome."""
    from sklearn.metrics import auc, brier_score_loss, log_loss, roc_curve

    n = len(y)
    positives = int(y.sum())
    both = 0 < positives < n
    row: dict[str, Any] = {
        "n": n,
        "positives": positives,
        "prevalence": positives / n,
        "brier": float(brier_score_loss(y, p, pos_label=1)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "roc_auc": math.nan,
    }
    curve = pd.DataFrame({"fpr": [], "tpr": [], "threshold": []})
    if both:
        # roc_auc_score is the area under roc_curve (sklearn computes it so): sort once.
        fpr, tpr, threshold = roc_curve(y, p)
        row["roc_auc"] = float(auc(fpr, tpr))
        curve = pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": threshold})
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.searchsorted(edges[1:-1], p)  # as sklearn.calibration.calibration_curve
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        predicted = np.bincount(which, weights=p, minlength=bins) / count
        observed = np.bincount(which, weights=y, minlength=bins) / count
    table = pd.DataFrame(
        {
            "bin": np.arange(bins),
            "lower": edges[:-1],
            "upper": edges[1:],
            "count": count,
            "predicted": predicted,
            "observed": observed,
        }
    )
    seen = count > 0
    row["ece"] = float(np.sum(count[seen] * np.abs(observed[seen] - predicted[seen])) / n)
    for metric in METRICS:
        row[f"{metric}_lower"] = row[f"{metric}_upper"] = math.nan
    if n_boot:
        cells = Cells.of(y, p, bins)
        draws = cells.bootstrap(n_boot, rng)
        for metric in METRICS:
            values = draws[metric]
            values = values[~np.isnan(values)]
            if len(values):
                row[f"{metric}_lower"], row[f"{metric}_upper"] = np.quantile(
                    values, [tail, 1 - tail]
                )
    return row, table, curve


def top_cause(
    model: DiagnosticModel,
    causes: list[str],
    codes: Mapping[str, np.ndarray],
    posteriors: pd.DataFrame,
    n_boot: int,
    rng: np.random.Generator,
    tail: float,
) -> tuple[float, float, float, pd.DataFrame]:
    """Top-1 accuracy with its interval, and the confusion matrix (see the module docstring)."""
    from sklearn.metrics import confusion_matrix

    truth = np.column_stack([codes[c] for c in causes])
    known = (truth >= 0).all(axis=1)
    present = truth[known] == 1
    predicted = posteriors[causes].to_numpy()[known].argmax(axis=1)
    count = present.sum(axis=1)
    k = len(causes)
    true_label = np.where(count == 1, present.argmax(axis=1), np.where(count > 1, k, k + 1))
    matrix = confusion_matrix(true_label, predicted, labels=np.arange(k + 2))[:, :k]
    confusion = pd.DataFrame(
        matrix,
        index=pd.Index([*causes, SEVERAL, NONE], name="true"),
        columns=pd.Index(causes, name="most_likely"),
    )
    scored = count > 0
    m = int(scored.sum())
    if m == 0:
        return math.nan, math.nan, math.nan, confusion
    hits = int(present[scored, predicted[scored]].sum())
    accuracy = hits / m
    lower = upper = math.nan
    if n_boot:
        # The multinomial bootstrap over two cells (hit, miss) is a binomial draw.
        draws = rng.binomial(m, accuracy, size=n_boot) / m
        lower, upper = (float(q) for q in np.quantile(draws, [tail, 1 - tail]))
    return accuracy, lower, upper, confusion
