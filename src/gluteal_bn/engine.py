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

**Grouped tables (the fast path for the causes' posterior, single and batch).** Findings
depend on the causes only, so the risk factors can be summed out once per pattern of risk
factor evidence. Call a configuration of the causes alone a *cause configuration* (C = 32).
The observable variables are split into small groups (all risk factors; the causes; a few
findings at a time) and for every *pattern* of a group (each variable unobserved or in one
of its states) compiling stores one row over the C cause configurations:

* risk-factor group: ``log sum_{r matching the pattern} P(r, c)``;
* cause group: 0 where c agrees with the observed causes, else -inf;
* finding group: ``sum_{observed f} log P(f | c)``.

The unnormalised log posterior over cause configurations is then the sum of one row per
group, so a query is a handful of row look-ups, and a million cases are a handful of
gathers. Each table is also kept in linear scale with every row divided by its maximum
(``scale``); the product of those rows is the posterior up to a known factor, and a case
whose product underflows (total below ``UNDERFLOW``) is recomputed in log space, so the
result is exact either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .canonical import Cpt
from .vocabulary import Vocabulary

__all__ = [
    "MAX_CORE_CONFIGURATIONS",
    "MAX_GROUP_PATTERNS",
    "CompiledNetwork",
    "GroupedTables",
    "TooLargeToCompile",
    "on_core_grid",
]

#: Largest core (risk factors x causes) the engine compiles: beyond it the likelihood table
#: (rows x configurations of float64) would take hundreds of megabytes.
MAX_CORE_CONFIGURATIONS = 2**18


#: Most patterns one group table holds (rows of C values): small enough to stay in cache.
MAX_GROUP_PATTERNS = 4096

#: A linear-scale total below this is recomputed in log space (no precision is lost above it).
UNDERFLOW = 1e-200


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
        core = [v.name for v in vocabulary if v.role != "finding"]
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


@dataclass(frozen=True)
class GroupedTables:
    """Per-group tables over the cause configurations (see the module docstring).

    ``groups[g]`` lists the variable indices of group ``g``; a case's pattern code in group
    ``g`` is ``sum_v (state_v + 1) * strides[v]`` over its observed variables (0 = nothing
    observed). ``increments[v][s]`` is ``(g, (s + 1) * strides[v])``.
    """

    groups: tuple[tuple[int, ...], ...]
    group_of: np.ndarray  # (V,) group of each variable
    strides: np.ndarray  # (V,) stride of each variable inside its group
    increments: tuple[tuple[tuple[int, int], ...], ...]
    log_tables: tuple[np.ndarray, ...]  # (patterns, C) each
    tables: tuple[np.ndarray, ...]  # linear, each row divided by its maximum
    transposed_tables: tuple[np.ndarray, ...]  # the same as (C, patterns), for batches
    log_scales: tuple[np.ndarray, ...]  # (patterns,) the maximum each row was divided by
    neutral: tuple[bool, ...]  # pattern 0 of the group leaves the posterior unchanged
    summary: np.ndarray  # (causes + 1, C): each cause's present indicator, then ones
    cause_positions: np.ndarray  # (V,) position among the causes, or -1

    @classmethod
    def compile(
        cls,
        vocabulary: Vocabulary,
        core: list[str],
        core_cards: tuple[int, ...],
        log_prior: np.ndarray,
        log_likelihood: np.ndarray,
    ) -> GroupedTables:
        names = vocabulary.names
        risk_factors = [n for n in core if vocabulary[n].role == "risk_factor"]
        causes = [n for n in core if vocabulary[n].role == "cause"]
        order = [core.index(n) for n in (*risk_factors, *causes)]
        rf_cards = [vocabulary[n].card for n in risk_factors]
        cause_cards = [vocabulary[n].card for n in causes]
        n_rf, n_causes = math.prod(rf_cards), math.prod(cause_cards)

        def by_rf_and_cause(flat: np.ndarray) -> np.ndarray:
            return np.transpose(flat.reshape(core_cards), order).reshape(n_rf, n_causes)

        prior = by_rf_and_cause(log_prior)  # (R, C)
        cause_grid = np.indices(cause_cards).reshape(len(causes), n_causes)
        rf_grid = np.indices(rf_cards).reshape(len(risk_factors), n_rf)

        groups: list[list[int]] = []
        log_tables: list[np.ndarray] = []
        neutral: list[bool] = []

        # One group for all risk factors: their evidence patterns select rows of the prior.
        rf_table = np.full((math.prod(c + 1 for c in rf_cards), n_causes), -np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):
            for code, pattern in enumerate(np.ndindex(*(c + 1 for c in rf_cards))):
                match = np.ones(n_rf, dtype=bool)
                for axis, observed in enumerate(pattern):
                    if observed:
                        match &= rf_grid[axis] == observed - 1
                if match.any():
                    rf_table[code] = _log_sum_exp(prior[match])
        groups.append([names.index(n) for n in risk_factors])
        log_tables.append(rf_table)
        neutral.append(False)

        # Causes: indicator tables (0 where the configuration agrees, -inf elsewhere).
        offsets = np.concatenate([[0], np.cumsum([v.card for v in vocabulary])[:-1]])
        extended: dict[str, np.ndarray] = {}  # (1 + card, C): row 0 = unobserved
        for axis, name in enumerate(causes):
            card = vocabulary[name].card
            rows = np.zeros((card + 1, n_causes))
            for state in range(card):
                rows[state + 1][cause_grid[axis] != state] = -np.inf
            extended[name] = rows
        for name in vocabulary.findings:
            start = offsets[names.index(name)]
            card = vocabulary[name].card
            block = log_likelihood[start : start + card]
            per_cause = np.stack([by_rf_and_cause(row)[0] for row in block])
            extended[name] = np.vstack([np.zeros(n_causes), per_cause])
        for members in (causes, list(vocabulary.findings)):
            for group in _split(members, lambda n: vocabulary[n].card + 1):
                groups.append([names.index(n) for n in group])
                log_tables.append(_outer_sum([extended[n] for n in group]))
                neutral.append(True)

        n_variables = len(names)
        group_of = np.zeros(n_variables, dtype=np.intp)
        strides = np.zeros(n_variables, dtype=np.int64)
        for g, members in enumerate(groups):
            stride = 1
            for v in reversed(members):
                group_of[v], strides[v] = g, stride
                stride *= vocabulary.variables[v].card + 1
        increments = tuple(
            tuple((int(group_of[v]), (s + 1) * int(strides[v])) for s in range(variable.card))
            for v, variable in enumerate(vocabulary)
        )
        tables, log_scales = [], []
        for log_table in log_tables:
            peak = log_table.max(axis=1)
            finite = np.isfinite(peak)
            with np.errstate(invalid="ignore"):
                linear = np.exp(log_table - np.where(finite, peak, 0.0)[:, None])
            linear[~finite] = 0.0
            tables.append(linear)
            log_scales.append(np.where(finite, peak, -np.inf))
        summary = np.vstack(
            [(cause_grid[axis] == 1).astype(float) for axis in range(len(causes))]
            + [np.ones(n_causes)]
        )
        cause_positions = np.full(n_variables, -1, dtype=np.intp)
        for position, name in enumerate(causes):
            cause_positions[names.index(name)] = position
        if n_causes != 2 ** len(causes):  # data_files guarantees it; the batch path needs it
            raise TooLargeToCompile("every cause must have exactly two states")
        transposed = [np.ascontiguousarray(table.T) for table in tables]
        arrays = [group_of, strides, summary, cause_positions, *log_tables, *tables, *transposed]
        arrays += log_scales
        for array in arrays:
            array.setflags(write=False)
        return cls(
            tuple(tuple(g) for g in groups),
            group_of,
            strides,
            increments,
            tuple(log_tables),
            tuple(tables),
            tuple(transposed),
            tuple(log_scales),
            tuple(neutral),
            summary,
            cause_positions,
        )

    def empty_codes(self) -> list[int]:
        return [0] * len(self.groups)

    def codes(self, evidence: dict[int, int]) -> list[int]:
        """Checked evidence {variable index: state index} as one pattern code per group."""
        codes = self.empty_codes()
        for v, s in evidence.items():
            group, increment = self.increments[v][s]
            codes[group] += increment
        return codes

    def cause_posterior(self, codes: Sequence[int]) -> tuple[np.ndarray, float]:
        """P(cause present | evidence) for every cause, and log P(evidence), from codes.

        Impossible evidence gives NaN values and log P(evidence) = -inf.
        """
        weights = None
        log_scale = 0.0
        for table, scales, is_neutral, code in zip(
            self.tables, self.log_scales, self.neutral, codes, strict=True
        ):
            if is_neutral and code == 0:
                continue
            log_scale += scales[code]
            weights = table[code] if weights is None else weights * table[code]
        sums = self.summary @ weights
        total = sums[-1]
        if total >= UNDERFLOW:
            return sums[:-1] / total, float(log_scale) + math.log(total)
        return self._cause_posterior_in_logs(codes)

    def _cause_posterior_in_logs(self, codes: Sequence[int]) -> tuple[np.ndarray, float]:
        log_weights = sum(table[code] for table, code in zip(self.log_tables, codes, strict=True))
        peak = log_weights.max()
        if peak == -np.inf:
            return np.full(len(self.summary) - 1, np.nan), -np.inf
        sums = self.summary @ np.exp(log_weights - peak)
        return sums[:-1] / sums[-1], float(peak + math.log(sums[-1]))

    def cause_posterior_batch(self, codes: np.ndarray) -> np.ndarray:
        """The same for many cases: ``codes`` is (groups, n); returns (n, causes).

        Impossible cases get NaN rows. Works on the transposed tables (C, patterns) so that
        every step runs along contiguous rows of n cases: gathers, products, and the sums
        over the cause configurations where a cause is present (causes are binary, so those
        are halves of the grid). No BLAS call: a threaded BLAS is slow on small products.
        """
        n = codes.shape[1]
        weights = None
        for table, is_neutral, group_codes in zip(
            self.transposed_tables, self.neutral, codes, strict=True
        ):
            if is_neutral and not group_codes.any():
                continue
            if weights is None:
                weights = np.take(table, group_codes, axis=1)
            else:
                weights *= np.take(table, group_codes, axis=1)
        n_causes = len(self.summary) - 1
        total = weights.sum(axis=0)
        values = np.empty((n, n_causes))
        with np.errstate(divide="ignore", invalid="ignore"):
            for k in range(n_causes):
                halves = weights.reshape(2**k, 2, 2 ** (n_causes - k - 1), n)
                values[:, k] = halves[:, 1].sum(axis=(0, 1)) / total
        for row in np.flatnonzero(~(total >= UNDERFLOW)):  # rare: recompute in log space
            values[row] = self._cause_posterior_in_logs(codes[:, row])[0]
        return values


def _log_sum_exp(values: np.ndarray) -> np.ndarray:
    """log(sum(exp(values), axis=0)), safe for -inf columns and huge ranges."""
    peak = values.max(axis=0)
    safe = np.where(np.isfinite(peak), peak, 0.0)
    return safe + np.log(np.exp(values - safe).sum(axis=0))


def _split(names: Sequence[str], patterns: object) -> list[list[str]]:
    """Consecutive groups whose pattern counts multiply to at most MAX_GROUP_PATTERNS."""
    groups: list[list[str]] = []
    size = 0
    for name in names:
        count = patterns(name)  # type: ignore[operator]
        if groups and size * count <= MAX_GROUP_PATTERNS:
            groups[-1].append(name)
            size *= count
        else:
            groups.append([name])
            size = count
    return groups


def _outer_sum(blocks: Sequence[np.ndarray]) -> np.ndarray:
    """Rows ``(p1, p2, ...)`` of ``blocks[0][p1] + blocks[1][p2] + ...``, C-order flattened."""
    total = blocks[0]
    for block in blocks[1:]:
        total = (total[:, None, :] + block[None, :, :]).reshape(-1, block.shape[1])
    return np.ascontiguousarray(total)
