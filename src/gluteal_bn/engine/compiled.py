"""Compiled exact inference on numpy arrays.

The network has three layers, risk factors -> causes (with their subtypes) -> findings, and
findings are leaves whose parents are all causes or subtypes. So the joint distribution
factorises as::

    P(r, c, f) = P(r) P(c | r) prod_j P(f_j | c)

where ``c`` is a *cause configuration* (every cause and subtype). Call a configuration of every
risk factor, cause and subtype with positive prior a *core configuration* (see
:mod:`gluteal_bn.engine.core`; 12 x 32 = 384 without subtypes). Compiling builds, once:

* ``log_prior[k]`` = log P(core configuration k);
* ``likelihood[row, k]`` with one row per (variable, state): for a finding,
  P(finding = state | k); for a risk factor, cause or subtype, 1 if k has that state, else 0;
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
from .core import CoreGrid
from .grouped import GroupedTables

__all__ = [
    "MAX_CORE_CONFIGURATIONS",
    "CompiledNetwork",
    "TooLargeToCompile",
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
    core: CoreGrid  # which state each core variable has in each configuration k

    @classmethod
    def compile(cls, vocabulary: Vocabulary, cpts: Sequence[Cpt]) -> CompiledNetwork:
        n_configurations = CoreGrid.size(vocabulary)
        if n_configurations > MAX_CORE_CONFIGURATIONS:
            raise TooLargeToCompile(
                f"the network has {n_configurations:,} configurations of its risk factors and "
                f"causes; the compiled engine handles at most {MAX_CORE_CONFIGURATIONS:,}"
            )
        if any(vocabulary[name].card != 2 for name in vocabulary.causes):
            # the loader guarantees it; the grouped tables need it
            raise TooLargeToCompile("every cause must have exactly two states")
        grid = CoreGrid.of(vocabulary)
        by_variable = {cpt.variable: cpt for cpt in cpts}
        with np.errstate(divide="ignore"):
            log_prior = sum(
                (
                    np.log(grid.gather(cpt.table, (cpt.variable, *cpt.parents)))
                    for cpt in (by_variable[name] for name in grid.names)
                ),
                np.zeros(n_configurations),
            )
            likelihood = np.concatenate(
                [
                    _likelihood_block(vocabulary, name, by_variable, grid)
                    for name in vocabulary.names
                ]
            )
            log_likelihood = np.log(likelihood)
        cards = [v.card for v in vocabulary]
        offsets = np.concatenate([[0], np.cumsum(cards)[:-1]]).astype(np.intp)
        cause_rows = np.array(
            [offsets[vocabulary.names.index(name)] + 1 for name in vocabulary.causes],
            dtype=np.intp,
        )
        arrays = (offsets, np.ascontiguousarray(log_prior), likelihood, log_likelihood, cause_rows)
        for array in arrays:
            array.setflags(write=False)
        grouped = GroupedTables.compile(vocabulary, grid, arrays[1], log_likelihood)
        return cls(vocabulary, *arrays, grouped, grid)

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
            values = np.asarray(likelihoods, dtype=float)
            largest = values.max()
            with np.errstate(divide="ignore"):
                rows[position] = np.log((values / largest) @ block) + np.log(largest)
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
        values = self.likelihood[self.cause_present_rows] @ weights
        return np.minimum(values, 1.0), log_evidence  # never 1 + a rounding error

    def state_marginals(
        self, rows: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """P(variable = state | evidence) for every row of the table, and log P(evidence).

        For an observed finding the value is its predictive probability given the causes'
        posterior, not the point mass on the observed state: callers replace those.
        """
        weights, log_evidence = self.posterior_weights(rows, extra)
        return np.minimum(self.likelihood @ weights, 1.0), log_evidence


def _likelihood_block(
    vocabulary: Vocabulary, name: str, by_variable: dict[str, Cpt], grid: CoreGrid
) -> np.ndarray:
    """The rows of one variable, shaped (card, K)."""
    variable = vocabulary[name]
    if variable.role != "finding":  # an indicator: 1 where the configuration has that state
        states = grid.states_of(name)
        return (states[None, :] == np.arange(variable.card)[:, None]).astype(float)
    cpt = by_variable[name]
    return np.ascontiguousarray(grid.gather(cpt.table, cpt.parents))
