"""Canonical models: the few numbers a clinician can estimate, expanded into full CPTs.

Each parameter class holds the numbers of one variable exactly as the CSV files give them;
:func:`expand` turns it into a :class:`Cpt`, a full conditional probability table.

* ``table`` (risk factors): the distribution itself.
* ``logistic`` (causes): ``logit P(present | r) = logit(baseline) + sum_j log OR_j(r_j)``,
  where the baseline is P(present) with every risk factor at its first (reference) state and
  ``OR_j`` is the odds ratio of risk factor ``j``'s state against its reference state.
* ``noisy_or`` / ``noisy_max`` (binary / ordered findings), leaky, in Henrion's
  parameterisation: the numbers are P(finding | this cause alone) and P(finding | no cause)
  (the leak), so each includes the background. With ``F`` the cumulative distribution,
  ``F(y | causes present) = F_leak(y) * prod_i F_i(y) / F_leak(y)``.
  Noisy-OR is the two-state case.
* ``mixture`` (an unordered finding such as the pain's layer): with no cause present the leak
  distribution; otherwise the equal-weight mixture of the present causes' distributions
  ("the pain is equally likely to come from each cause the patient has").

Expansion is exact arithmetic on the given numbers; nothing is learned or approximated.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Cpt",
    "FindingParameters",
    "LogisticPrior",
    "RiskFactorDistribution",
    "expand",
]


@dataclass(frozen=True)
class Cpt:
    """A full conditional probability table.

    ``table[s, p1, p2, ...]`` is P(variable = state s | parents in states p1, p2, ...), so the
    first axis sums to one. Parents are listed in ``parents`` in axis order.
    """

    variable: str
    parents: tuple[str, ...]
    table: np.ndarray


@dataclass(frozen=True)
class RiskFactorDistribution:
    """A root node's distribution, one probability per state."""

    variable: str
    probabilities: np.ndarray


@dataclass(frozen=True)
class LogisticPrior:
    """A binary cause: a baseline probability and odds ratios for its risk factors.

    ``odds_ratios[j][s]`` is the odds ratio of ``parents[j]`` being in state ``s`` against its
    reference (first) state, so ``odds_ratios[j][0] == 1``.
    """

    variable: str
    baseline: float
    parents: tuple[str, ...]
    odds_ratios: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class FindingParameters:
    """A finding with binary cause parents: a leak and one distribution per parent cause.

    ``alone[i][s]`` is P(finding = s | parents[i] present, every other cause absent);
    ``leak[s]`` is P(finding = s | every cause absent). ``model`` names the combination rule.
    """

    variable: str
    model: str
    leak: np.ndarray
    parents: tuple[str, ...]
    alone: tuple[np.ndarray, ...]


Parameters = RiskFactorDistribution | LogisticPrior | FindingParameters


def expand(parameters: Parameters, parent_cards: dict[str, int] | None = None) -> Cpt:
    """Expand one variable's canonical parameters into its full CPT."""
    if isinstance(parameters, RiskFactorDistribution):
        return Cpt(parameters.variable, (), np.asarray(parameters.probabilities, dtype=float))
    if isinstance(parameters, LogisticPrior):
        return Cpt(parameters.variable, parameters.parents, logistic_table(parameters))
    combine = {"noisy_or": noisy_max_table, "noisy_max": noisy_max_table, "mixture": mixture_table}
    table = combine[parameters.model](parameters.leak, parameters.alone)
    return Cpt(parameters.variable, parameters.parents, table)


def logistic_table(prior: LogisticPrior) -> np.ndarray:
    """P(cause | risk factors) of shape (2, *risk factor cards) from a baseline and odds ratios."""
    log_odds = np.log(prior.baseline) - np.log1p(-prior.baseline)
    for axis, odds_ratios in enumerate(prior.odds_ratios):
        shape = [1] * len(prior.odds_ratios)
        shape[axis] = len(odds_ratios)
        log_odds = log_odds + np.log(np.asarray(odds_ratios, dtype=float)).reshape(shape)
    log_odds = np.asarray(log_odds, dtype=float)
    # Both states from the log odds, never absent = 1 - present: that would turn an absent
    # probability of 1e-17 into 0 and call possible evidence impossible. exp overflows to
    # inf for extreme odds, and 1 / (1 + inf) = 0 is the right limit.
    with np.errstate(over="ignore"):
        present = 1.0 / (1.0 + np.exp(-log_odds))
        absent = 1.0 / (1.0 + np.exp(log_odds))
    total = present + absent  # 1 within a rounding error; dividing keeps the sum exactly 1
    return np.stack([absent / total, present / total])


def noisy_max_table(leak: np.ndarray, alone: tuple[np.ndarray, ...]) -> np.ndarray:
    """Leaky noisy-MAX (Henrion): CPT of shape (card, 2, 2, ...), one binary axis per cause.

    Works on cumulative distributions: each present cause multiplies the leak's CDF by
    ``F_i / F_leak``, which is at most one because a cause never makes the finding milder.
    """
    leak_cdf = np.cumsum(leak)
    n_causes = len(alone)
    cdf = np.broadcast_to(leak_cdf.reshape((-1,) + (1,) * n_causes), (len(leak),) + (2,) * n_causes)
    cdf = cdf.copy()
    for axis, distribution in enumerate(alone):
        ratio = _safe_ratio(np.cumsum(distribution), leak_cdf)
        factor = np.stack([np.ones_like(ratio), ratio], axis=-1)  # absent -> 1, present -> ratio
        shape = [len(leak)] + [1] * n_causes
        shape[axis + 1] = 2
        cdf = cdf * factor.reshape(shape)
    cdf[-1] = 1.0  # the last state closes the distribution exactly, whatever the rounding
    return np.diff(cdf, axis=0, prepend=0.0)


def mixture_table(leak: np.ndarray, alone: tuple[np.ndarray, ...]) -> np.ndarray:
    """Equal-weight mixture of the present causes' distributions; the leak when none is present."""
    n_causes = len(alone)
    present = _presence(n_causes)  # (2^n, n), C order: the CPT's axis order
    counts = present.sum(axis=1)
    mixed = present @ np.stack(alone).reshape(n_causes, len(leak)) / np.maximum(counts, 1)[:, None]
    mixed[counts == 0] = leak
    return mixed.T.reshape((len(leak),) + (2,) * n_causes)


@functools.cache
def _presence(n_causes: int) -> np.ndarray:
    """Every absent/present configuration of n causes, one row each, in C order."""
    return np.array(list(itertools.product((0.0, 1.0), repeat=n_causes))).reshape(-1, n_causes)


def _safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, with 0/0 taken as 1 (a state the leak never reaches stays so)."""
    ratio = np.ones_like(numerator, dtype=float)
    np.divide(numerator, denominator, out=ratio, where=denominator > 0)
    return ratio
