"""The canonical models of causes and subtypes: logistic and multinomial logistic.

* ``logistic`` (causes): ``logit P(present | r) = logit(baseline) + sum_j log OR_j(r_j)``,
  where the baseline is P(present) with every risk factor at its first (reference) state and
  ``OR_j`` is the odds ratio of risk factor ``j``'s state against its reference state.
* ``subtype_logistic`` (subtypes of a cause): the first state ``none`` exactly when the cause
  is absent; with the cause present a multinomial logistic over the other states, with the
  first of them as reference: ``P(s | present, r) ∝ p_s prod_j OR_j,s(r_j)``, where ``p`` is
  the distribution with every risk factor at its reference state.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .odds import logit, two_states

__all__ = ["logistic_table", "subtype_table"]


def logistic_table(baseline: np.ndarray, odds_ratios: Sequence[np.ndarray]) -> np.ndarray:
    """P(cause | risk factors), shape (m, 2, *risk factor cards).

    Parameters
    ----------
    baseline : numpy.ndarray
        (m,) P(present) with every risk factor at its reference state.
    odds_ratios : sequence of numpy.ndarray
        (m, card_j) per risk factor, one odds ratio per state (1 at the reference).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> logistic_table(np.array([0.5]), [np.array([[1.0, 3.0]])])[0, 1]
    array([0.5 , 0.75])
    """
    baseline = np.asarray(baseline, dtype=float)
    m, n_parents = len(baseline), len(odds_ratios)
    log_odds = logit(baseline).reshape((m,) + (1,) * n_parents)
    for axis, ratios in enumerate(odds_ratios):
        shape = [m] + [1] * n_parents
        shape[axis + 1] = ratios.shape[1]
        log_odds = log_odds + np.log(np.asarray(ratios, dtype=float)).reshape(shape)
    absent, present = two_states(log_odds)
    return np.stack([absent, present], axis=1)


def subtype_table(probabilities: np.ndarray, odds_ratios: Sequence[np.ndarray]) -> np.ndarray:
    """P(subtype | group, risk factors), shape (m, card, 2, *risk factor cards).

    Parameters
    ----------
    probabilities : numpy.ndarray
        (m, card) the subtype's distribution with the group present and every risk factor at
        its reference state; the first state (``none``) has probability 0.
    odds_ratios : sequence of numpy.ndarray
        (m, card, card_j) per risk factor (see :class:`SubtypePrior`).

    Returns
    -------
    numpy.ndarray
        With the group absent the first state has probability one.

    Examples
    --------
    >>> table = subtype_table(np.array([[0.0, 0.5, 0.5]]), [np.array([[[1, 1], [1, 1], [1, 3]]])])
    >>> table[0, :, 1, 1]
    array([0.  , 0.25, 0.75])
    """
    probabilities = np.asarray(probabilities, dtype=float)
    m, card = probabilities.shape
    n_parents = len(odds_ratios)
    weights = probabilities.reshape((m, card) + (1,) * n_parents)
    for axis, ratios in enumerate(odds_ratios):
        shape = [m, card] + [1] * n_parents
        shape[axis + 2] = ratios.shape[2]
        weights = weights * np.asarray(ratios, dtype=float).reshape(shape)
    present = weights / weights.sum(axis=1, keepdims=True)
    absent = np.zeros_like(present)
    absent[:, 0] = 1.0
    return np.stack([absent, present], axis=2)
