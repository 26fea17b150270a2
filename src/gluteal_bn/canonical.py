"""Canonical models: the few numbers a clinician can estimate, expanded into full CPTs.

This module is the one home of the formulas; the loader, sensitivity analysis, credible
intervals and learning all call it. Each parameter class holds the numbers of one variable
exactly as the CSV files give them; :func:`expand` turns it into a :class:`Cpt`, a full
conditional probability table, and :func:`expand_many` does the same for ``m`` stacked sets of
numbers at once (every array with a leading batch axis of length ``m``).

* ``table`` (risk factors): the distribution itself.
* ``logistic`` (causes): ``logit P(present | r) = logit(baseline) + sum_j log OR_j(r_j)``,
  where the baseline is P(present) with every risk factor at its first (reference) state and
  ``OR_j`` is the odds ratio of risk factor ``j``'s state against its reference state.
* ``subtype_logistic`` (subtypes of a cause): the first state ``none`` exactly when the cause
  is absent; with the cause present a multinomial logistic over the other states, with the
  first of them as reference: ``P(s | present, r) ∝ p_s prod_j OR_j,s(r_j)``, where ``p`` is
  the distribution with every risk factor at its reference state.
* ``noisy_or`` / ``noisy_max`` (binary / ordered findings), leaky, in Henrion's
  parameterisation: the numbers are P(finding | this parent state alone) and P(finding | no
  cause) (the leak), so each includes the background. With ``F`` the cumulative distribution,
  ``F(y | parents) = F_leak(y) * prod_{links present} F_link(y) / F_leak(y)``. A parent with
  several states (a subtype) has one link per state it lists; its other states contribute
  nothing. Noisy-OR is the two-state case.
* ``mixture`` (an unordered finding such as the pain's layer): with no link present the leak
  distribution; otherwise the equal-weight mixture of the present links' distributions
  ("the pain is equally likely to come from each cause the patient has").
* ``logit_sum`` (binary findings where a cause can *lower* the finding):
  ``logit P(f | parents) = logit(leak) + sum_{links present} [logit(alone) - logit(leak)]``.

The *leak rule* of noisy-OR/MAX (a link never makes its finding milder than the leak: its own
cumulative effect ``F_link / F_leak`` is a cumulative distribution) is written once, in
:func:`own_effect`, :func:`leak_rule_holds`, :func:`leak_rule_violation` and
:func:`project_onto_leak_rule`.

Adding a canonical model for findings means adding its table function to
:data:`FINDING_MODELS` (and to :data:`LEAK_RULE_MODELS` or :data:`TWO_STATE_MODELS` if it
has those constraints). Expansion is exact arithmetic on the given numbers; nothing is learned
or approximated.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np

__all__ = [
    "FINDING_MODELS",
    "LEAK_RULE_MODELS",
    "TWO_STATE_MODELS",
    "Cpt",
    "FindingParameters",
    "LogisticPrior",
    "Parameters",
    "RiskFactorDistribution",
    "SubtypePrior",
    "alone_from_own_effect",
    "cpt_parents",
    "expand",
    "expand_many",
    "leak_rule_holds",
    "leak_rule_violation",
    "logistic_table",
    "logit_sum_table",
    "mixture_table",
    "noisy_max_table",
    "own_effect",
    "project_onto_leak_rule",
    "stack",
    "subtype_table",
    "valid_tables",
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
    baseline: float | np.ndarray  # an array of m baselines when stacked
    parents: tuple[str, ...]
    odds_ratios: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class SubtypePrior:
    """A subtype of a binary cause (``group``): P(subtype | group, risk factors).

    ``probabilities[s]`` is P(subtype = s | group present, every risk factor at its reference
    state), with ``probabilities[0] == 0`` (the state ``none``). ``odds_ratios[j][s, t]``
    multiplies the odds of state ``s`` against the reference state (index 1, the first state
    that is not ``none``) when ``parents[j]`` is in state ``t``; rows 0 and 1 and column 0 are
    one. The CPT's parents are ``(group, *parents)``.
    """

    variable: str
    group: str
    probabilities: np.ndarray
    parents: tuple[str, ...]
    odds_ratios: tuple[np.ndarray, ...]
    states: tuple[str, ...] = ()  # the subtype's states (for looking numbers up)


@dataclass(frozen=True)
class FindingParameters:
    """A finding: a leak and one distribution per *link* (a parent in one of its states).

    ``leak[s]`` is P(finding = s | no link present); ``alone[i][s]`` is P(finding = s | link
    ``i`` present, no other). ``parents`` are the CPT's parent variables in axis order,
    ``parent_cards`` their numbers of states, and ``links[i] = (axis, state)`` says which
    parent state link ``i`` is; ``link_names[i]`` is its name in likelihoods.csv (``cause`` or
    ``subtype=state``). For binary causes (the default when ``links`` is empty) link ``i`` is
    parent ``i`` present. ``model`` names the combination rule (:data:`FINDING_MODELS`).
    """

    variable: str
    model: str
    leak: np.ndarray
    parents: tuple[str, ...]
    alone: tuple[np.ndarray, ...]
    links: tuple[tuple[int, int], ...] = ()
    link_names: tuple[str, ...] = ()
    parent_cards: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.links:
            object.__setattr__(self, "links", tuple((i, 1) for i in range(len(self.parents))))
        if not self.link_names:
            object.__setattr__(self, "link_names", tuple(self.parents))
        if not self.parent_cards:
            object.__setattr__(self, "parent_cards", (2,) * len(self.parents))

    def link(self, name: str) -> int:
        """The position of the link called ``name`` (a cause, or ``subtype=state``)."""
        return self.link_names.index(name)


Parameters = RiskFactorDistribution | LogisticPrior | SubtypePrior | FindingParameters


# -- the leak rule (noisy-OR / noisy-MAX) -------------------------------------------------------


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


# -- the tables, batched ------------------------------------------------------------------------


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
    log_odds = (np.log(baseline) - np.log1p(-baseline)).reshape((m,) + (1,) * n_parents)
    for axis, ratios in enumerate(odds_ratios):
        shape = [m] + [1] * n_parents
        shape[axis + 1] = ratios.shape[1]
        log_odds = log_odds + np.log(np.asarray(ratios, dtype=float)).reshape(shape)
    absent, present = _two_states(log_odds)
    return np.stack([absent, present], axis=1)


def _two_states(log_odds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def noisy_max_table(
    leak: np.ndarray,
    alone: Sequence[np.ndarray],
    links: Sequence[tuple[int, int]] | None = None,
    parent_cards: Sequence[int] | None = None,
) -> np.ndarray:
    """Leaky noisy-MAX (Henrion): CPT of shape ([m,] card, *parent_cards).

    Works on cumulative distributions: each present link multiplies the leak's CDF by its own
    effect ``F_link / F_leak`` (:func:`own_effect`), which is at most one because a link never
    makes the finding milder. ``leak`` is (card,) or (m, card), each ``alone[i]`` the same;
    ``links`` and ``parent_cards`` default to binary causes (link ``i`` = parent ``i``
    present). The result has the batch axis exactly when ``leak`` has.

    Examples
    --------
    >>> noisy_max_table(np.array([0.9, 0.1]), (np.array([0.2, 0.8]),))[1]
    array([0.1, 0.8])
    """
    leak, alone, links, parent_cards, batched = _finding_arrays(leak, alone, links, parent_cards)
    m, card = leak.shape
    n_parents = len(parent_cards)
    leak_cdf = np.cumsum(leak, axis=1)
    cdf = np.broadcast_to(
        leak_cdf.reshape((m, card) + (1,) * n_parents), (m, card, *parent_cards)
    ).copy()
    for (axis, state), distribution in zip(links, alone, strict=True):
        factor = np.ones((m, card, parent_cards[axis]))
        factor[:, :, state] = own_effect(leak, distribution)  # other states of the parent: 1
        shape = [m, card] + [1] * n_parents
        shape[axis + 2] = parent_cards[axis]
        cdf = cdf * factor.reshape(shape)
    cdf[:, -1] = 1.0  # the last state closes the distribution exactly, whatever the rounding
    table = np.diff(cdf, axis=1, prepend=0.0)
    return table if batched else table[0]


def mixture_table(
    leak: np.ndarray,
    alone: Sequence[np.ndarray],
    links: Sequence[tuple[int, int]] | None = None,
    parent_cards: Sequence[int] | None = None,
) -> np.ndarray:
    """Equal-weight mixture of the present links' distributions; the leak when none is present.

    Shapes as in :func:`noisy_max_table`.

    Examples
    --------
    >>> leak = np.array([1.0, 0.0])
    >>> mixture_table(leak, (np.array([0.0, 1.0]), np.array([0.5, 0.5])))[:, 1, 1]
    array([0.25, 0.75])
    """
    leak, alone, links, parent_cards, batched = _finding_arrays(leak, alone, links, parent_cards)
    m, card = leak.shape
    present = _presence(tuple(links), tuple(parent_cards))  # (P, links), C order
    counts = present.sum(axis=1)
    stacked = np.stack(alone, axis=1) if alone else np.zeros((m, 0, card))  # (m, L, card)
    mixed = present @ stacked / np.maximum(counts, 1)[:, None]  # (m, P, card)
    mixed[:, counts == 0] = leak[:, None, :]
    table = mixed.transpose(0, 2, 1).reshape((m, card, *parent_cards))
    return table if batched else table[0]


def logit_sum_table(
    leak: np.ndarray,
    alone: Sequence[np.ndarray],
    links: Sequence[tuple[int, int]] | None = None,
    parent_cards: Sequence[int] | None = None,
) -> np.ndarray:
    """Binary finding whose log odds add up: CPT of shape ([m,] 2, *parent_cards).

    ``logit P(f | parents) = logit(leak) + sum_{links present} [logit(alone) - logit(leak)]``,
    so a link whose number is below the leak lowers the finding. Probabilities must be
    strictly between 0 and 1. Shapes as in :func:`noisy_max_table`.

    Examples
    --------
    >>> leak = np.array([0.5, 0.5])
    >>> table = logit_sum_table(leak, (np.array([0.2, 0.8]), np.array([0.8, 0.2])))
    >>> round(float(table[1, 1, 1]), 12)  # the two links' log odds ratios cancel
    0.5
    """
    leak, alone, links, parent_cards, batched = _finding_arrays(leak, alone, links, parent_cards)
    m = leak.shape[0]
    present = _presence(tuple(links), tuple(parent_cards))  # (P, links)
    base = _logit(leak[:, 1])  # (m,)
    shifts = np.stack([_logit(a[:, 1]) - base for a in alone], axis=1) if alone else None
    log_odds = np.repeat(base[:, None], present.shape[0], axis=1)
    if shifts is not None:
        log_odds = log_odds + shifts @ present.T  # (m, P)
    no, yes = _two_states(log_odds)
    table = np.stack([no, yes], axis=1).reshape((m, 2, *parent_cards))
    return table if batched else table[0]


#: Finding models: name -> table function (leak, alone, links, parent_cards).
FINDING_MODELS: dict[str, Callable[..., np.ndarray]] = {
    "noisy_or": noisy_max_table,
    "noisy_max": noisy_max_table,
    "mixture": mixture_table,
    "logit_sum": logit_sum_table,
}

#: Finding models in which a link may never make the finding milder than the leak.
LEAK_RULE_MODELS: tuple[str, ...] = ("noisy_or", "noisy_max")

#: Finding models defined for two states only (absent, present).
TWO_STATE_MODELS: tuple[str, ...] = ("noisy_or", "logit_sum")


# -- parameters -> tables -------------------------------------------------------------------------


def expand(parameters: Parameters) -> Cpt:
    """Expand one variable's canonical parameters into its full CPT.

    Parameters
    ----------
    parameters : Parameters
        One variable's numbers, as the loader builds them.

    Returns
    -------
    Cpt

    Examples
    --------
    >>> expand(RiskFactorDistribution("smoker", np.array([0.7, 0.3]))).table
    array([0.7, 0.3])
    """
    table = expand_many(stack([parameters]))[0]
    return Cpt(parameters.variable, cpt_parents(parameters), table)


def cpt_parents(parameters: Parameters) -> tuple[str, ...]:
    """The parents of the variable's CPT, in axis order.

    Examples
    --------
    >>> cpt_parents(LogisticPrior("c", 0.1, ("age",), (np.array([1.0, 2.0]),)))
    ('age',)
    """
    if isinstance(parameters, RiskFactorDistribution):
        return ()
    if isinstance(parameters, SubtypePrior):
        return (parameters.group, *parameters.parents)
    return parameters.parents


def stack(sets: Sequence[Parameters]) -> Parameters:
    """``m`` parameter sets of one variable as one set whose arrays have a leading batch axis.

    Examples
    --------
    >>> stack([RiskFactorDistribution("s", np.array([0.7, 0.3]))] * 2).probabilities.shape
    (2, 2)
    """
    first = sets[0]
    if isinstance(first, RiskFactorDistribution):
        rf = cast("Sequence[RiskFactorDistribution]", sets)
        return dataclasses.replace(
            first, probabilities=np.stack([np.asarray(s.probabilities, float) for s in rf])
        )
    if isinstance(first, LogisticPrior):
        logistic = cast("Sequence[LogisticPrior]", sets)
        return dataclasses.replace(
            first,
            baseline=np.array([s.baseline for s in logistic], dtype=float),
            odds_ratios=tuple(
                np.stack([np.asarray(s.odds_ratios[j], float) for s in logistic])
                for j in range(len(first.parents))
            ),
        )
    if isinstance(first, SubtypePrior):
        subtype = cast("Sequence[SubtypePrior]", sets)
        return dataclasses.replace(
            first,
            probabilities=np.stack([np.asarray(s.probabilities, float) for s in subtype]),
            odds_ratios=tuple(
                np.stack([np.asarray(s.odds_ratios[j], float) for s in subtype])
                for j in range(len(first.parents))
            ),
        )
    findings = cast("Sequence[FindingParameters]", sets)
    return dataclasses.replace(
        first,
        leak=np.stack([np.asarray(s.leak, float) for s in findings]),
        alone=tuple(
            np.stack([np.asarray(s.alone[i], float) for s in findings])
            for i in range(len(first.alone))
        ),
    )


def expand_many(stacked: Parameters) -> np.ndarray:
    """Expand stacked parameters (see :func:`stack`): the CPTs, shape (m, *CPT shape).

    Parameters
    ----------
    stacked : Parameters
        One variable's parameters with a leading batch axis on every array.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> prior = LogisticPrior("c", 0.5, ("age",), (np.array([1.0, 3.0]),))
    >>> expand_many(stack([prior, prior])).shape
    (2, 2, 2)
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if isinstance(stacked, RiskFactorDistribution):
            return np.asarray(stacked.probabilities, dtype=float)
        if isinstance(stacked, LogisticPrior):
            return logistic_table(np.asarray(stacked.baseline), stacked.odds_ratios)
        if isinstance(stacked, SubtypePrior):
            return subtype_table(stacked.probabilities, stacked.odds_ratios)
        return FINDING_MODELS[stacked.model](
            stacked.leak, stacked.alone, stacked.links, stacked.parent_cards
        )


def valid_tables(stacked: Parameters, tables: np.ndarray, tolerance: float) -> np.ndarray:
    """(m,) whether each stacked parameter set obeys its model's rules and expands to a CPT.

    Every entry of the table must be a finite probability (within ``tolerance``), and in a
    noisy-OR/MAX model every link must obey the leak rule (:func:`leak_rule_holds`).

    Examples
    --------
    >>> stacked = stack([FindingParameters("f", "noisy_or", np.array([0.8, 0.2]), ("c",),
    ...                                    (np.array([0.9, 0.1]),))])
    >>> valid_tables(stacked, expand_many(stacked), 1e-12)
    array([False])
    """
    flat = tables.reshape(len(tables), -1)
    with np.errstate(invalid="ignore"):
        valid = (
            np.isfinite(flat).all(axis=1)
            & (flat.min(axis=1) >= -tolerance)
            & (flat.max(axis=1) <= 1 + tolerance)
        )
    if isinstance(stacked, FindingParameters) and stacked.model in LEAK_RULE_MODELS:
        for alone in stacked.alone:
            valid &= leak_rule_holds(stacked.leak, alone, tolerance)
    return valid


# -- helpers --------------------------------------------------------------------------------------


def _finding_arrays(
    leak: np.ndarray,
    alone: Sequence[np.ndarray],
    links: Sequence[tuple[int, int]] | None,
    parent_cards: Sequence[int] | None,
) -> tuple[np.ndarray, list[np.ndarray], tuple, tuple[int, ...], bool]:
    """Inputs of a finding's table function, with a batch axis added when there is none."""
    leak = np.asarray(leak, dtype=float)
    batched = leak.ndim == 2
    if not batched:
        leak = leak[None]
    arrays = [np.asarray(a, dtype=float).reshape(leak.shape) for a in alone]
    if not links:
        links = tuple((i, 1) for i in range(len(arrays)))
    if not parent_cards:
        parent_cards = (2,) * len(arrays)
    return leak, arrays, tuple(links), tuple(parent_cards), batched


@functools.cache
def _presence(links: tuple[tuple[int, int], ...], parent_cards: tuple[int, ...]) -> np.ndarray:
    """(P, links): 1 where the parent configuration (C order) has the link's parent state."""
    configurations = np.array(list(itertools.product(*(range(c) for c in parent_cards))))
    configurations = configurations.reshape(-1, len(parent_cards))
    present = np.zeros((len(configurations), len(links)))
    for position, (axis, state) in enumerate(links):
        present[:, position] = configurations[:, axis] == state
    present.setflags(write=False)
    return present


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p) - np.log1p(-p)
