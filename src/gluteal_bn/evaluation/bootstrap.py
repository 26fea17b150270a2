"""Percentile bootstrap of one outcome's metrics, compressed to counts per distinct prediction.

Rows with the same (prediction, truth) are interchangeable, so a resample is a table of counts
over the distinct pairs, and every metric is computed from the counts, vectorised across
resamples (see :mod:`gluteal_bn.evaluation`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Cells"]

# Working memory of one block of bootstrap resamples (counts per distinct pair).
_BLOCK_CELLS = 4_000_000


@dataclass(frozen=True)
class Cells:
    """One outcome's rows compressed to distinct predictions, with counts of each truth.

    ``p`` is sorted ascending and unique; ``positives[j]`` / ``negatives[j]`` count the rows
    predicted ``p[j]`` whose outcome is 1 / 0; ``bin_starts`` are the first cell of each
    non-empty reliability bin. Every metric is a function of the counts, so a bootstrap
    resample of the rows is a resample of the counts.
    """

    p: np.ndarray
    positives: np.ndarray
    negatives: np.ndarray
    bin_starts: np.ndarray

    @classmethod
    def of(cls, y: np.ndarray, p: np.ndarray, bins: int) -> Cells:
        distinct, inverse = np.unique(p, return_inverse=True)
        inverse = np.asarray(inverse).reshape(-1)
        positives = np.bincount(inverse, weights=y, minlength=len(distinct))
        negatives = np.bincount(inverse, minlength=len(distinct)) - positives
        edges = np.linspace(0.0, 1.0, bins + 1)
        which = np.searchsorted(edges[1:-1], distinct)
        starts = np.flatnonzero(np.r_[True, which[1:] != which[:-1]])
        return cls(distinct, positives, negatives, starts)

    def metrics(self, positives: np.ndarray, negatives: np.ndarray) -> dict[str, np.ndarray]:
        """Each metric for each row of counts (resamples x cells), vectorised.

        With the counts of the data themselves these equal scikit-learn's (log loss clipped
        to [eps, 1 - eps] as scikit-learn does).
        """
        p = self.p
        n_pos = positives.sum(axis=1)
        n_neg = negatives.sum(axis=1)
        n = n_pos + n_neg
        eps = np.finfo(float).eps
        loss_pos = -np.log(np.clip(p, eps, 1 - eps))
        loss_neg = -np.log(np.clip(1 - p, eps, 1 - eps))
        below = np.cumsum(negatives, axis=1) - negatives  # negatives strictly below each cell
        with np.errstate(invalid="ignore", divide="ignore"):
            auc = (positives * (below + negatives / 2)).sum(axis=1) / (n_pos * n_neg)
        total = positives + negatives
        gap = np.add.reduceat(positives, self.bin_starts, axis=1) - np.add.reduceat(
            total * p, self.bin_starts, axis=1
        )
        return {
            "prevalence": n_pos / n,
            "brier": (positives @ (1 - p) ** 2 + negatives @ p**2) / n,
            "log_loss": (positives @ loss_pos + negatives @ loss_neg) / n,
            "roc_auc": auc,
            "ece": np.abs(gap).sum(axis=1) / n,
        }

    def bootstrap(self, n_boot: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Each metric on ``n_boot`` resamples of the rows (multinomial draws of the counts)."""
        counts = np.concatenate([self.positives, self.negatives]).astype(np.int64)
        n = int(counts.sum())
        block = max(1, _BLOCK_CELLS // max(n, len(counts)))
        parts: dict[str, list[np.ndarray]] = {}
        half = len(self.p)
        for start in range(0, n_boot, block):
            drawn = _resample_counts(counts, min(block, n_boot - start), rng).astype(float)
            for metric, values in self.metrics(drawn[:, :half], drawn[:, half:]).items():
                parts.setdefault(metric, []).append(values)
        return {metric: np.concatenate(values) for metric, values in parts.items()}


def _resample_counts(counts: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` bootstrap resamples of rows, as counts per cell (resamples x cells).

    Resampling n rows with replacement makes the counts Multinomial(n, counts / n). With
    few filled cells numpy draws that directly (about 250 ns a cell); with about as many
    cells as rows, drawing n row numbers and counting them per cell is ten times cheaper.
    """
    n = int(counts.sum())
    filled = np.flatnonzero(counts)
    drawn = np.zeros((size, len(counts)), dtype=np.int64)
    if 25 * len(filled) < n:
        drawn[:, filled] = rng.multinomial(n, counts[filled] / n, size=size)
        return drawn
    cell_of_row = np.repeat(filled, counts[filled])  # n < 2**31: int32 row numbers
    cells = cell_of_row[rng.integers(0, n, size=(size, n), dtype=np.int32)]
    cells += np.arange(size)[:, None] * len(counts)
    return np.bincount(cells.ravel(), minlength=size * len(counts)).reshape(size, -1)
