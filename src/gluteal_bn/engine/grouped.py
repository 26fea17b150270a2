"""Grouped tables: the fast path for the causes' posterior, single and batch.

Findings depend on the causes only, so the risk factors can be summed out once per pattern of
risk factor evidence. Call a configuration of the causes alone a *cause configuration*
(C = 32 in the bundled network). The observable variables are split into small groups (all
risk factors; the causes; a few findings at a time) and for every *pattern* of a group (each
variable unobserved or in one of its states) compiling stores one row over the C cause
configurations:

* risk-factor group: ``log sum_{r matching the pattern} P(r, c)``;
* cause group: 0 where c agrees with the observed causes, else -inf;
* finding group: ``sum_{observed f} log P(f | c)``.

The unnormalised log posterior over cause configurations is then the sum of one row per
group, so a query is a handful of row look-ups, and a million cases are a handful of
gathers. Each table is also kept in linear scale with every row divided by its maximum
(``scale``); the product of those rows is the posterior up to a known factor, and a case
whose product underflows (total below ``UNDERFLOW``) is recomputed in log space, so the
result is exact either way.

Compiling runs in named steps over one :class:`_Group` record per group: reshape the prior
over (risk factor configuration, cause configuration); build the risk-factor group; build
each variable's rows over the cause configurations and pack them into pattern groups; number
the patterns (strides); scale the tables to linear.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..vocabulary import Vocabulary

__all__ = ["MAX_GROUP_PATTERNS", "UNDERFLOW", "GroupedTables"]

#: Most patterns one group table holds (rows of C values): small enough to stay in cache.
MAX_GROUP_PATTERNS = 4096

#: A linear-scale total below this is recomputed in log space (no precision is lost above it).
UNDERFLOW = 1e-200


@dataclass(frozen=True)
class _Group:
    """One group while compiling: its variables and its log table over cause configurations."""

    members: tuple[int, ...]  # variable indices, in pattern-code order
    log_table: np.ndarray  # (patterns, C)
    neutral: bool  # pattern 0 (nothing observed) leaves the posterior unchanged


@dataclass(frozen=True)
class _Layout:
    """How the core grid splits into risk-factor and cause configurations."""

    risk_factors: tuple[str, ...]
    causes: tuple[str, ...]
    rf_grid: np.ndarray  # (risk factors, R): each configuration's states
    cause_grid: np.ndarray  # (causes, C)
    order: tuple[int, ...]  # core axes in (risk factors, causes) order
    core_cards: tuple[int, ...]

    @classmethod
    def of(cls, vocabulary: Vocabulary, core: Sequence[str], core_cards: tuple[int, ...]):
        risk_factors = tuple(n for n in core if vocabulary[n].role == "risk_factor")
        causes = tuple(n for n in core if vocabulary[n].role == "cause")
        rf_cards = [vocabulary[n].card for n in risk_factors]
        cause_cards = [vocabulary[n].card for n in causes]
        return cls(
            risk_factors,
            causes,
            np.indices(rf_cards).reshape(len(risk_factors), -1),
            np.indices(cause_cards).reshape(len(causes), -1),
            tuple(core.index(n) for n in (*risk_factors, *causes)),
            core_cards,
        )

    @property
    def n_causes(self) -> int:
        return self.cause_grid.shape[1]

    def by_rf_and_cause(self, flat: np.ndarray) -> np.ndarray:
        """A row over the core grid as (R, C)."""
        grid = np.transpose(flat.reshape(self.core_cards), self.order)
        return grid.reshape(self.rf_grid.shape[1], self.n_causes)


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
        layout = _Layout.of(vocabulary, core, core_cards)
        groups = [_risk_factor_group(vocabulary, layout, layout.by_rf_and_cause(log_prior))]
        rows = _observation_rows(vocabulary, layout, log_likelihood)
        for members in (layout.causes, vocabulary.findings):
            groups.extend(_pattern_groups(vocabulary, members, rows))
        return cls._assemble(vocabulary, layout, groups)

    @classmethod
    def _assemble(
        cls, vocabulary: Vocabulary, layout: _Layout, groups: list[_Group]
    ) -> GroupedTables:
        group_of, strides = _pattern_strides(vocabulary, groups)
        increments = tuple(
            tuple((int(group_of[v]), (s + 1) * int(strides[v])) for s in range(variable.card))
            for v, variable in enumerate(vocabulary)
        )
        scaled = [_linear_scale(group.log_table) for group in groups]
        tables = [table for table, _ in scaled]
        log_scales = [scale for _, scale in scaled]
        summary = np.vstack(
            [(layout.cause_grid[axis] == 1).astype(float) for axis in range(len(layout.causes))]
            + [np.ones(layout.n_causes)]
        )
        cause_positions = np.full(len(vocabulary), -1, dtype=np.intp)
        for position, name in enumerate(layout.causes):
            cause_positions[vocabulary.names.index(name)] = position
        log_tables = [group.log_table for group in groups]
        transposed = [np.ascontiguousarray(table.T) for table in tables]
        arrays = [group_of, strides, summary, cause_positions, *log_tables, *tables, *transposed]
        arrays += log_scales
        for array in arrays:
            array.setflags(write=False)
        return cls(
            tuple(group.members for group in groups),
            group_of,
            strides,
            increments,
            tuple(log_tables),
            tuple(tables),
            tuple(transposed),
            tuple(log_scales),
            tuple(group.neutral for group in groups),
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


def _risk_factor_group(vocabulary: Vocabulary, layout: _Layout, prior: np.ndarray) -> _Group:
    """One group for all risk factors: each evidence pattern sums the matching prior rows.

    ``prior`` is the log prior as (R, C); the row of a pattern is
    ``log sum_{r matching the pattern} P(r, c)``.
    """
    rf_cards = [vocabulary[n].card for n in layout.risk_factors]
    table = np.full((math.prod(c + 1 for c in rf_cards), layout.n_causes), -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        for code, pattern in enumerate(np.ndindex(*(c + 1 for c in rf_cards))):
            match = np.ones(prior.shape[0], dtype=bool)
            for axis, observed in enumerate(pattern):
                if observed:
                    match &= layout.rf_grid[axis] == observed - 1
            if match.any():
                table[code] = _log_sum_exp(prior[match])
    members = tuple(vocabulary.names.index(n) for n in layout.risk_factors)
    return _Group(members, table, neutral=False)


def _observation_rows(
    vocabulary: Vocabulary, layout: _Layout, log_likelihood: np.ndarray
) -> dict[str, np.ndarray]:
    """Each cause's and finding's rows over the cause configurations, (1 + card, C).

    Row 0 is "unobserved" (zeros); row ``s + 1`` is the log-weight of observing state ``s``:
    for a cause 0 where the configuration agrees and -inf elsewhere, for a finding
    log P(finding = s | cause configuration).
    """
    rows: dict[str, np.ndarray] = {}
    for axis, name in enumerate(layout.causes):
        card = vocabulary[name].card
        block = np.zeros((card + 1, layout.n_causes))
        for state in range(card):
            block[state + 1][layout.cause_grid[axis] != state] = -np.inf
        rows[name] = block
    offsets = np.concatenate([[0], np.cumsum([v.card for v in vocabulary])[:-1]])
    for name in vocabulary.findings:
        start = offsets[vocabulary.names.index(name)]
        block = log_likelihood[start : start + vocabulary[name].card]
        per_cause = np.stack([layout.by_rf_and_cause(row)[0] for row in block])
        rows[name] = np.vstack([np.zeros(layout.n_causes), per_cause])
    return rows


def _pattern_groups(
    vocabulary: Vocabulary, members: Sequence[str], rows: dict[str, np.ndarray]
) -> list[_Group]:
    """Pack variables into groups of at most MAX_GROUP_PATTERNS patterns, one table each."""
    return [
        _Group(
            tuple(vocabulary.names.index(n) for n in group),
            _outer_sum([rows[n] for n in group]),
            neutral=True,
        )
        for group in _split(members, lambda n: vocabulary[n].card + 1)
    ]


def _pattern_strides(
    vocabulary: Vocabulary, groups: Sequence[_Group]
) -> tuple[np.ndarray, np.ndarray]:
    """Each variable's group and its stride in the group's pattern code (last member: 1)."""
    group_of = np.zeros(len(vocabulary), dtype=np.intp)
    strides = np.zeros(len(vocabulary), dtype=np.int64)
    for g, group in enumerate(groups):
        stride = 1
        for v in reversed(group.members):
            group_of[v], strides[v] = g, stride
            stride *= vocabulary.variables[v].card + 1
    return group_of, strides


def _linear_scale(log_table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The table in linear scale with every row divided by its maximum, and those maxima (log)."""
    peak = log_table.max(axis=1)
    finite = np.isfinite(peak)
    with np.errstate(invalid="ignore"):
        linear = np.exp(log_table - np.where(finite, peak, 0.0)[:, None])
    linear[~finite] = 0.0
    return linear, np.where(finite, peak, -np.inf)


def _log_sum_exp(values: np.ndarray) -> np.ndarray:
    """log(sum(exp(values), axis=0)), safe for -inf columns and huge ranges."""
    peak = values.max(axis=0)
    safe = np.where(np.isfinite(peak), peak, 0.0)
    return safe + np.log(np.exp(values - safe).sum(axis=0))


def _split(names: Sequence[str], patterns: Callable[[str], int]) -> list[list[str]]:
    """Consecutive groups whose pattern counts multiply to at most MAX_GROUP_PATTERNS."""
    groups: list[list[str]] = []
    size = 0
    for name in names:
        count = patterns(name)
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
