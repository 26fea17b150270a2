"""The numbers of one variable as the CSV files give them, and the full table they expand to.

Every parameter class may also hold ``m`` stacked sets of numbers (:func:`stack`): each array
then has a leading batch axis of length ``m``. :func:`expand` turns one set into a :class:`Cpt`;
:func:`expand_many` turns ``m`` stacked sets into ``m`` tables at once, dispatching on the
parameter class (and, for findings, on the model's name in
:data:`~gluteal_bn.canonical.findings.FINDING_MODELS`); :func:`valid_tables` says which of them
obey their model's rules. Expansion is exact arithmetic on the given numbers; nothing is
learned or approximated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from .findings import FINDING_MODELS, LEAK_RULE_MODELS
from .leak_rule import leak_rule_holds
from .priors import logistic_table, subtype_table

__all__ = [
    "Cpt",
    "FindingParameters",
    "LogisticPrior",
    "Parameters",
    "RiskFactorDistribution",
    "SubtypePrior",
    "cpt_parents",
    "expand",
    "expand_many",
    "stack",
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
        return dataclasses.replace(first, probabilities=_stacked(s.probabilities for s in rf))
    if isinstance(first, LogisticPrior):
        logistic = cast("Sequence[LogisticPrior]", sets)
        return dataclasses.replace(
            first,
            baseline=np.array([s.baseline for s in logistic], dtype=float),
            odds_ratios=_stacked_each([s.odds_ratios for s in logistic], len(first.parents)),
        )
    if isinstance(first, SubtypePrior):
        subtype = cast("Sequence[SubtypePrior]", sets)
        return dataclasses.replace(
            first,
            probabilities=_stacked(s.probabilities for s in subtype),
            odds_ratios=_stacked_each([s.odds_ratios for s in subtype], len(first.parents)),
        )
    findings = cast("Sequence[FindingParameters]", sets)
    return dataclasses.replace(
        first,
        leak=_stacked(s.leak for s in findings),
        alone=_stacked_each([s.alone for s in findings], len(first.alone)),
    )


def _stacked(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """The arrays as floats, stacked along a new first axis."""
    return np.stack([np.asarray(array, dtype=float) for array in arrays])


def _stacked_each(sets: Sequence[Sequence[np.ndarray]], count: int) -> tuple[np.ndarray, ...]:
    """Position ``j`` of every set, stacked, for each ``j < count``."""
    return tuple(_stacked(arrays[j] for arrays in sets) for j in range(count))


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
