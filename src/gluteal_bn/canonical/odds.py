"""Log odds and back, exact at the extremes (shared by the logistic and logit-sum models)."""

from __future__ import annotations

import numpy as np

__all__ = ["logit", "two_states"]


def logit(p: np.ndarray) -> np.ndarray:
    """``log(p / (1 - p))``, elementwise."""
    return np.log(p) - np.log1p(-p)


def two_states(log_odds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(absent), P(present) from log odds, each computed, never ``1 - present``.

    Subtracting would turn an absent probability of 1e-17 into 0 and call possible evidence
    impossible. ``exp`` overflows to inf for extreme odds, and 1 / (1 + inf) = 0 is the right
    limit; dividing by the sum (1 within a rounding error) makes each pair sum to 1.
    """
    log_odds = np.asarray(log_odds, dtype=float)
    with np.errstate(over="ignore"):
        present = 1.0 / (1.0 + np.exp(-log_odds))
        absent = 1.0 / (1.0 + np.exp(log_odds))
    total = present + absent
    return absent / total, present / total
