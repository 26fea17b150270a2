"""The core grid: every possible joint configuration of the risk factors, causes and subtypes.

A *core configuration* fixes every risk factor, every cause (a binary group) and every subtype
(a refinement of one group whose first state ``none`` holds exactly when the group is absent).
Configurations with prior probability zero (a subtype other than ``none`` under an absent
group, or ``none`` under a present one) are pruned, so each group and its subtype form one
*group state*: 0 = absent, ``j >= 1`` = present (with subtype state ``j`` when there is one).

Configurations are numbered ``k = r * C + c``: ``r`` runs over the risk factors' joint states
(C order, vocabulary order) and ``c`` over the *cause configurations*, the joint group states
(C order over the causes in vocabulary order). Without subtypes this is the plain product grid
of the causes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..vocabulary import Vocabulary

__all__ = ["CoreGrid"]


@dataclass(frozen=True)
class CoreGrid:
    """The pruned core configurations of one vocabulary (see the module docstring)."""

    names: tuple[str, ...]  # the core variables (vocabulary order)
    cards: tuple[int, ...]  # their numbers of states
    risk_factors: tuple[str, ...]
    causes: tuple[str, ...]
    subtypes: tuple[str | None, ...]  # per cause: its subtype, or None
    group_cards: tuple[int, ...]  # per cause: number of group states
    n_risk: int  # R
    n_cause: int  # C
    states: np.ndarray  # (core variables, K): each variable's state in each configuration
    r_of_k: np.ndarray  # (K,)
    c_of_k: np.ndarray  # (K,)
    cause_states: np.ndarray  # (core variables, C): states at each cause configuration

    @classmethod
    def of(cls, vocabulary: Vocabulary) -> CoreGrid:
        """The grid of ``vocabulary``'s risk factors, causes and subtypes.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> grid = CoreGrid.of(gb.load_model().vocabulary)
        >>> grid.n_configurations == grid.n_risk * grid.n_cause
        True
        """
        names = vocabulary.core
        risk_factors = vocabulary.risk_factors
        causes = vocabulary.causes
        subtypes = tuple(vocabulary.subtype_of(cause) for cause in causes)
        group_cards = tuple(2 if sub is None else vocabulary[sub].card for sub in subtypes)
        rf_cards = [vocabulary[name].card for name in risk_factors]
        n_risk, n_cause = math.prod(rf_cards), math.prod(group_cards)
        rf_grid = np.indices(rf_cards).reshape(len(risk_factors), n_risk)
        group_grid = np.indices(group_cards).reshape(len(causes), n_cause)
        cause_states = np.zeros((len(names), n_cause), dtype=np.intp)
        for axis, (cause, sub) in enumerate(zip(causes, subtypes, strict=True)):
            cause_states[names.index(cause)] = group_grid[axis] > 0
            if sub is not None:
                cause_states[names.index(sub)] = group_grid[axis]
        r_of_k = np.repeat(np.arange(n_risk, dtype=np.intp), n_cause)
        c_of_k = np.tile(np.arange(n_cause, dtype=np.intp), n_risk)
        states = cause_states[:, c_of_k]
        for axis, name in enumerate(risk_factors):
            states[names.index(name)] = rf_grid[axis][r_of_k]
        for array in (states, r_of_k, c_of_k, cause_states):
            array.setflags(write=False)
        return cls(
            names,
            tuple(vocabulary[name].card for name in names),
            risk_factors,
            causes,
            subtypes,
            group_cards,
            n_risk,
            n_cause,
            states,
            r_of_k,
            c_of_k,
            cause_states,
        )

    @staticmethod
    def size(vocabulary: Vocabulary) -> int:
        """The number of core configurations, without building the grid."""
        rf = math.prod(vocabulary[name].card for name in vocabulary.risk_factors)
        groups = 1
        for cause in vocabulary.causes:
            subtype = vocabulary.subtype_of(cause)
            groups *= 2 if subtype is None else vocabulary[subtype].card
        return rf * groups

    @property
    def n_configurations(self) -> int:
        """K, the number of core configurations."""
        return self.states.shape[1]

    def states_of(self, name: str) -> np.ndarray:
        """(K,) the state of core variable ``name`` in each configuration."""
        return self.states[self.names.index(name)]

    def gather(self, table: np.ndarray, axis_variables: Sequence[str]) -> np.ndarray:
        """A table over some core variables, read at every configuration: shape (..., K).

        The table's *last* ``len(axis_variables)`` axes belong to ``axis_variables`` (in that
        order); leading axes (states of a child, a batch) are kept.
        """
        table = np.asarray(table)
        if not axis_variables:
            return np.repeat(table[..., None], self.n_configurations, axis=-1)
        index: tuple[Any, ...] = (Ellipsis, *(self.states_of(n) for n in axis_variables))
        return table[index]

    def gather_cause(self, table: np.ndarray, axis_variables: Sequence[str]) -> np.ndarray:
        """As :meth:`gather`, over the C cause configurations; variables are causes/subtypes."""
        table = np.asarray(table)
        if not axis_variables:
            return np.repeat(table[..., None], self.n_cause, axis=-1)
        index: tuple[Any, ...] = (
            Ellipsis,
            *(self.cause_states[self.names.index(n)] for n in axis_variables),
        )
        return table[index]

    def family_sum(self, counts: np.ndarray, parents: Sequence[str]) -> np.ndarray:
        """(card, K) values summed onto (card, *parent cards), parents in the given order."""
        cards = [self.cards[self.names.index(p)] for p in parents]
        code = np.zeros(self.n_configurations, dtype=np.intp)
        for parent, card in zip(parents, cards, strict=True):
            code = code * card + self.states_of(parent)
        size = math.prod(cards)
        out = np.stack([np.bincount(code, weights=row, minlength=size) for row in counts])
        return out.reshape((counts.shape[0], *cards))
