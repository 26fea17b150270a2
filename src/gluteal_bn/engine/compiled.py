"""Compiled exact inference on numpy arrays.

The network has three layers, risk factors -> causes -> findings, and findings are leaves
whose parents are all causes. So the joint distribution factorises as::

    P(r, c, f) = P(r) P(c | r) prod_j P(f_j | c)

Call a configuration of every risk factor and cause a *core configuration* (12 x 32 = 384 of
them in the bundled network). Compiling builds, once:

* ``log_prior[k]`` = log P(core configuration k);
* ``likelihood[row, k]`` with one row per (variable, state): for a finding,
  P(finding = state | k); for a risk factor or cause, 1 if k has that state, else 0;
* its logarithm, ``log_likelihood``.

A query with evidence rows ``e`` is then one sum and one matrix product::

    log w = log_prior + sum_{row in e} log_likelihood[row]      (unnormalised log posterior)
    P(variable = state | e) = likelihood[row] . w / sum(w)        (for unobserved variables)

Soft (likelihood) evidence ``lambda`` on variable v is one more log-row, built per query::

    log sum_s lambda_s * likelihood[offsets[v] + s]

passed to the query methods as ``extra`` (the sum of such rows, or None).

This is exact (enumeration of the core, with the findings summed out analytically because
each is a leaf), runs in log space so that many findings or tiny probabilities cannot
underflow, and takes no per-query allocation beyond a few vectors of length K. The compiled
arrays are read-only, so one engine can serve many threads at once.

The fast path for the causes' posterior lives in :mod:`gluteal_bn.engine.grouped`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..canonical import Cpt
from ..vocabulary import Vocabulary
from .grouped import GroupedTables

__all__ = [
    "MAX_CORE_CONFIGURATIONS",
    "CompiledNetwork",
    "TooLargeToCompile",
    "on_core_grid",
]

#: Largest core (risk factors x causes) the engine compiles: beyond it the likelihood table
#: (rows x configurations of float64) would take hundreds of megabytes.
MAX_CORE_CONFIGURATIONS = 2**18


class TooLargeToCompile(Exception):
    """The network's core has more configurations than MAX_CORE_CONFIGURATIONS."""


@dataclass(frozen=True)
class CompiledNetwork:
    """Read-only arrays that answer every query about one network."""

    vocabulary: Vocabulary
    offsets: np.ndarray  # offsets[v] = first row of variable v (vocabulary order)
    log_prior: np.ndarray  # (K,)
    likelihood: np.ndarray  # (rows, K)
    log_likelihood: np.ndarray  # (rows, K)
    cause_present_rows: np.ndarray  # the row of each cause's present state
    grouped: GroupedTables

    @classmethod
    def compile(cls, vocabulary: Vocabulary, cpts: Sequence[Cpt]) -> CompiledNetwork:
        core = list(vocabulary.core)
        core_cards = tuple(vocabulary[name].card for name in core)
        n_configurations = int(np.prod(core_cards))
        if n_configurations > MAX_CORE_CONFIGURATIONS:
            raise TooLargeToCompile(
                f"the network has {n_configurations:,} configurations of its risk factors and "
                f"causes; the compiled engine handles at most {MAX_CORE_CONFIGURATIONS:,}"
            )
        by_variable = {cpt.variable: cpt for cpt in cpts}
        with np.errstate(divide="ignore"):
            log_prior = sum(
                np.log(on_core_grid(cpt.table, (cpt.variable, *cpt.parents), core, core_cards))
                for cpt in (by_variable[name] for name in core)
            )
            blocks = [
                _likelihood_block(vocabulary, name, by_variable, core, core_cards)
                for name in vocabulary.names
            ]
            likelihood = np.concatenate(blocks).reshape(-1, n_configurations)
            log_likelihood = np.log(likelihood)
        cards = [v.card for v in vocabulary]
        offsets = np.concatenate([[0], np.cumsum(cards)[:-1]]).astype(np.intp)
        cause_rows = np.array(
            [offsets[vocabulary.names.index(name)] + 1 for name in vocabulary.causes],
            dtype=np.intp,
        )
        arrays = (
            offsets,
            np.ascontiguousarray(np.broadcast_to(log_prior, core_cards).ravel()),
            likelihood,
            log_likelihood,
            cause_rows,
        )
        for array in arrays:
            array.setflags(write=False)
        if any(vocabulary[name].card != 2 for name in vocabulary.causes):
            # the loader guarantees it; the grouped batch path needs it
            raise TooLargeToCompile("every cause must have exactly two states")
        grouped = GroupedTables.compile(vocabulary, core, core_cards, arrays[1], log_likelihood)
        return cls(vocabulary, *arrays, grouped)

    @property
    def n_configurations(self) -> int:
        return self.log_prior.shape[0]

    def rows(self, evidence: Mapping[int, int]) -> np.ndarray:
        """Evidence {variable index: state index} as likelihood-table rows."""
        return np.fromiter(
            (self.offsets[v] + s for v, s in evidence.items()), dtype=np.intp, count=len(evidence)
        )

    def soft_log_rows(self, soft: Mapping[int, Sequence[float]]) -> np.ndarray:
        """Soft evidence {variable index: likelihood per state} as log-rows, shape (n, K)."""
        rows = np.empty((len(soft), self.n_configurations))
        for position, (variable, likelihoods) in enumerate(soft.items()):
            start = self.offsets[variable]
            block = self.likelihood[start : start + len(likelihoods)]
            # Factor out the largest likelihood so tiny (even subnormal) ones cannot underflow.
            likelihoods = np.asarray(likelihoods, dtype=float)
            largest = likelihoods.max()
            with np.errstate(divide="ignore"):
                rows[position] = np.log((likelihoods / largest) @ block) + np.log(largest)
        return rows

    def posterior_weights(
        self, rows: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """Normalised posterior over core configurations and log P(evidence).

        ``extra`` is an optional log-row (K,) added to the evidence rows (soft evidence).
        With impossible evidence the weights are NaN and log P(evidence) is -inf.
        """
        log_weights = self.log_prior + self.log_likelihood[rows].sum(axis=0)
        if extra is not None:
            log_weights = log_weights + extra
        peak = log_weights.max()
        if peak == -np.inf:
            return np.full_like(log_weights, np.nan), -np.inf
        weights = np.exp(log_weights - peak)
        total = weights.sum()
        return weights / total, float(peak + np.log(total))

    def log_evidence(self, rows: np.ndarray, extra: np.ndarray | None = None) -> float:
        """log P(evidence) (-inf for impossible evidence)."""
        return self.posterior_weights(rows, extra)[1]

    def cause_posterior(
        self, rows: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """P(cause present | evidence) for every cause, and log P(evidence)."""
        weights, log_evidence = self.posterior_weights(rows, extra)
        return self.likelihood[self.cause_present_rows] @ weights, log_evidence

    def state_marginals(
        self, rows: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """P(variable = state | evidence) for every row of the table, and log P(evidence).

        For an observed finding the value is its predictive probability given the causes'
        posterior, not the point mass on the observed state: callers replace those.
        """
        weights, log_evidence = self.posterior_weights(rows, extra)
        return self.likelihood @ weights, log_evidence


def on_core_grid(
    table: np.ndarray, axis_variables: Sequence[str], core: list[str], core_cards: tuple[int, ...]
) -> np.ndarray:
    """A table over some core variables, broadcast to the whole core grid.

    ``axis_variables[i]`` names the core variable of the table's axis ``i``; the value at grid
    point k is the table's entry at k's states of those variables.
    """
    if not axis_variables:
        return np.broadcast_to(table, core_cards)
    axes = [core.index(name) for name in axis_variables]
    table = np.transpose(table, np.argsort(axes))
    shape = [1] * len(core)
    for axis, size in zip(sorted(axes), table.shape, strict=True):
        shape[axis] = size
    return np.broadcast_to(table.reshape(shape), core_cards)


def _likelihood_block(
    vocabulary: Vocabulary,
    name: str,
    by_variable: dict[str, Cpt],
    core: list[str],
    core_cards: tuple[int, ...],
) -> np.ndarray:
    """The rows of one variable, shaped (card, *core_cards)."""
    variable = vocabulary[name]
    if variable.role != "finding":  # an indicator: 1 where the configuration has that state
        identity = np.eye(variable.card)
        return np.stack(
            [
                on_core_grid(identity[state], [name], core, core_cards)
                for state in range(variable.card)
            ]
        )
    cpt = by_variable[name]
    return np.stack(
        [
            on_core_grid(cpt.table[state], cpt.parents, core, core_cards)
            for state in range(variable.card)
        ]
    )
