"""The leak rule of noisy-OR / noisy-MAX, written once.

A link (a parent in one of its states) never makes its finding milder than the leak: its own
cumulative effect ``F_link / F_leak`` (:func:`own_effect`) is a cumulative distribution. The
loader checks it (:func:`leak_rule_violation`, for the message), sensitivity analysis and
credible intervals test it on batches (:func:`leak_rule_holds`), and learning keeps its
estimates inside it (:func:`project_onto_leak_rule`, :func:`alone_from_own_effect`).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "alone_from_own_effect",
    "leak_rule_holds",
    "leak_rule_violation",
    "own_effect",
    "project_onto_leak_rule",
]


def own_effect(leak: np.ndarray, alone: np.ndarray) -> np.ndarray:
    """A link's own cumulative effect ``F_alone / F_leak`` (0/0 taken as 1), shape (..., card).

    Parameters
    ----------
    leak, alone : numpy.ndarray
        Distributions over the finding's states, last axis; any leading (batch) axes.

    Returns
    -------
    numpy.ndarray
        The ratio of the cumulative distributions, one per state.

    Examples
    --------
    >>> own_effect(np.array([0.8, 0.2]), np.array([0.4, 0.6]))
    array([0.5, 1. ])
    """
    leak_cdf = np.cumsum(leak, axis=-1)
    alone_cdf = np.cumsum(alone, axis=-1)
    leak_cdf, alone_cdf = np.broadcast_arrays(leak_cdf, alone_cdf)
    ratio = np.ones(leak_cdf.shape)
    np.divide(alone_cdf, leak_cdf, out=ratio, where=leak_cdf > 0)
    return ratio


def leak_rule_holds(leak: np.ndarray, alone: np.ndarray, tolerance: float = 0.0) -> np.ndarray:
    """Whether a link never makes its finding milder than the leak, per batch entry.

    The own effect (:func:`own_effect`) must be a cumulative distribution: at most one and
    non-decreasing, within ``tolerance``.

    Parameters
    ----------
    leak, alone : numpy.ndarray
        Distributions over the finding's states, last axis; any leading (batch) axes.
    tolerance : float
        Slack for rounding.

    Returns
    -------
    numpy.ndarray of bool
        One value per batch entry (a 0-d array without batch axes).

    Examples
    --------
    >>> bool(leak_rule_holds(np.array([0.8, 0.2]), np.array([0.9, 0.1])))
    False
    """
    own = own_effect(leak, alone)
    return ~(own.max(axis=-1) > 1 + tolerance) & ~(np.diff(own, axis=-1) < -tolerance).any(axis=-1)


def leak_rule_violation(
    leak: np.ndarray, alone: np.ndarray, tolerance: float = 0.0
) -> tuple[str, int] | None:
    """Where one link breaks the leak rule, for a message; None if it does not.

    Parameters
    ----------
    leak, alone : numpy.ndarray
        One distribution each, shape (card,).
    tolerance : float
        Slack for rounding.

    Returns
    -------
    tuple of (str, int) or None
        ``("below_leak", y)``: P(finding >= y | link alone) is below the leak's;
        ``("decreasing", y)``: with the leak divided out, state ``y`` would get a negative
        probability.

    Examples
    --------
    >>> leak_rule_violation(np.array([0.8, 0.2]), np.array([0.9, 0.1]))
    ('below_leak', 1)
    """
    own = own_effect(leak, alone)
    card = len(own)
    for index in range(1, card):
        if own[index - 1] > 1 + tolerance:
            return "below_leak", index
    increments = np.diff(own, prepend=0.0)
    for index in range(1, card):
        if increments[index] < -tolerance:
            return "decreasing", index
    return None


def project_onto_leak_rule(leak: np.ndarray, alone: np.ndarray) -> np.ndarray:
    """The nearest distribution that obeys the leak rule, shape (..., card).

    The own effect is capped at one and made non-decreasing; the distribution is rebuilt
    from it with :func:`alone_from_own_effect`.

    Examples
    --------
    >>> project_onto_leak_rule(np.array([0.8, 0.2]), np.array([0.9, 0.1]))
    array([0.8, 0.2])
    """
    own = np.maximum.accumulate(np.clip(own_effect(leak, alone), 0.0, 1.0), axis=-1)
    own[..., -1] = 1.0
    return alone_from_own_effect(leak, own)


def alone_from_own_effect(leak: np.ndarray, own: np.ndarray) -> np.ndarray:
    """The link's distribution whose own cumulative effect is ``own``, shape (..., card).

    Examples
    --------
    >>> alone_from_own_effect(np.array([0.8, 0.2]), np.array([0.5, 1.0]))
    array([0.4, 0.6])
    """
    return np.diff(own * np.cumsum(leak, axis=-1), axis=-1, prepend=0.0)
