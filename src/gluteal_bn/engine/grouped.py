"""Grouped tables: the fast path for the causes' posterior, single and batch.

Findings depend on the causes and subtypes only, so the risk factors can be summed out once per
pattern of risk factor evidence. A *cause configuration* fixes every cause and subtype (the
joint group states of :mod:`gluteal_bn.engine.core`: C = 32 without subtypes, 144 with the v2
subtypes). The observable variables are split into small groups (all risk factors; the causes
and subtypes; a few findings at a time) and for every *pattern* of a group (each variable
unobserved or in one of its states) compiling stores one row over the C cause configurations:

* risk-factor group: ``log sum_{r matching the pattern} P(r, c)``;
* cause group: 0 where c agrees with the observed causes and subtypes, else -inf;
* finding group: ``sum_{observed f} log P(f | c)``; an alias state (likelihood evidence
  ``lambda`` on a finding, e.g. ``worse_with_sitting=no``) is one more pattern of its finding,
  ``log sum_s lambda_s P(f = s | c)``.

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

A cause's posterior sums the cause configurations where its group state is not 0: the batch
path reads the weights (C, n) as (group states of cause 1, ..., of cause G, n) and sums
blocks, with no BLAS call (a threaded BLAS is slow on small products).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from ..vocabulary import Vocabulary

if TYPE_CHECKING:
    from .core import CoreGrid

__all__ = ["MAX_GROUP_PATTERNS", "UNDERFLOW", "GroupedTables"]

#: Most patterns one group table holds (rows of C values): small enough to stay in cache.
MAX_GROUP_PATTERNS = 4096

#: A linear-scale total below this is recomputed in log space (no precision is lost above it).
UNDERFLOW = 1e-200

#: Cases per block of the batch path's final product: (BLOCK_ROWS x C) @ (C x causes + 1)
#: stays below the size at which OpenBLAS splits a product over threads.
BLOCK_ROWS = 256


@dataclass(frozen=True)
class _Group:
    """One group while compiling: its variables and its log table over cause configurations."""

    members: tuple[int, ...]  # variable indices, in pattern-code order
    log_table: np.ndarray  # (patterns, C)
    neutral: bool  # pattern 0 (nothing observed) leaves the posterior unchanged
    patterns: tuple[int, ...] = ()  # patterns per member (default: its states + 1)


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
    log_scales: tuple[np.ndarray, ...]  # (patterns,) the maximum each row was divided by
    neutral: tuple[bool, ...]  # pattern 0 of the group leaves the posterior unchanged
    summary: np.ndarray  # (causes + 1, C): each cause's present indicator, then ones
    summary_columns: np.ndarray  # the same transposed, contiguous: (C, causes + 1)
    cause_positions: np.ndarray  # (V,) position among the causes, or -1
    group_cards: tuple[int, ...]  # group states per cause: C reads as their C-order product
    alias_increments: Mapping[tuple[str, str], tuple[int, int]]  # soft alias states' patterns

    @classmethod
    def compile(
        cls,
        vocabulary: Vocabulary,
        grid: CoreGrid,
        log_prior: np.ndarray,
        log_likelihood: np.ndarray,
    ) -> GroupedTables:
        prior = log_prior.reshape(grid.n_risk, grid.n_cause)
        groups = [_risk_factor_group(vocabulary, grid, prior)]
        rows, extra = _observation_rows(vocabulary, grid, log_likelihood)
        causal = [name for name in grid.names if vocabulary[name].role != "risk_factor"]
        for members in (causal, vocabulary.findings):
            groups.extend(_pattern_groups(vocabulary, members, rows))
        return cls._assemble(vocabulary, grid, groups, extra)

    @classmethod
    def _assemble(
        cls,
        vocabulary: Vocabulary,
        grid: CoreGrid,
        groups: list[_Group],
        extra: dict[str, list[tuple[str, str]]],
    ) -> GroupedTables:
        group_of, strides = _pattern_strides(vocabulary, groups)
        increments = tuple(
            tuple((int(group_of[v]), (s + 1) * int(strides[v])) for s in range(variable.card))
            for v, variable in enumerate(vocabulary)
        )
        alias_increments = {}
        for target, keys in extra.items():
            v = vocabulary.names.index(target)
            for position, key in enumerate(keys):
                pattern = vocabulary[target].card + 1 + position
                alias_increments[key] = (int(group_of[v]), pattern * int(strides[v]))
        scaled = [_linear_scale(group.log_table) for group in groups]
        tables = [table for table, _ in scaled]
        log_scales = [scale for _, scale in scaled]
        summary = np.vstack(
            [
                (grid.cause_states[grid.names.index(cause)] == 1).astype(float)
                for cause in grid.causes
            ]
            + [np.ones(grid.n_cause)]
        )
        cause_positions = np.full(len(vocabulary), -1, dtype=np.intp)
        for position, name in enumerate(grid.causes):
            cause_positions[vocabulary.names.index(name)] = position
        log_tables = [group.log_table for group in groups]
        summary_columns = np.ascontiguousarray(summary.T)
        arrays = [group_of, strides, summary, summary_columns, cause_positions, *log_tables]
        arrays += tables
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
            tuple(log_scales),
            tuple(group.neutral for group in groups),
            summary,
            summary_columns,
            cause_positions,
            grid.group_cards,
            MappingProxyType(alias_increments),
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
            # Sums in another order can pass 1 by a rounding error: a probability never does.
            return np.minimum(sums[:-1] / total, 1.0), float(log_scale) + math.log(total)
        return self._cause_posterior_in_logs(codes)

    def _cause_posterior_in_logs(
        self, codes: Sequence[int] | np.ndarray
    ) -> tuple[np.ndarray, float]:
        log_weights = sum(table[code] for table, code in zip(self.log_tables, codes, strict=True))
        peak = log_weights.max()
        if peak == -np.inf:
            return np.full(len(self.summary) - 1, np.nan), -np.inf
        sums = self.summary @ np.exp(log_weights - peak)
        return np.minimum(sums[:-1] / sums[-1], 1.0), float(peak + math.log(sums[-1]))

    def cause_posterior_batch(self, codes: np.ndarray) -> np.ndarray:
        """The same for many cases: ``codes`` is (groups, n); returns (n, causes).

        Impossible cases get NaN rows. Each group's rows are gathered whole (one contiguous
        row of C values per case, (n, C)) and multiplied in place; the sums over the cause
        configurations where each cause is present (and the total) are one product with
        ``summary``, done in blocks of :data:`BLOCK_ROWS` cases so that BLAS keeps each on one
        thread (a threaded BLAS is slow on such small products).
        """
        n = codes.shape[1]
        weights = None
        for table, is_neutral, group_codes in zip(self.tables, self.neutral, codes, strict=True):
            if is_neutral and not group_codes.any():
                continue
            if weights is None:
                weights = np.take(table, group_codes, axis=0)
            else:
                weights *= np.take(table, group_codes, axis=0)
        if weights is None:  # no group at all (no risk factors and nothing observed)
            weights = np.ones((n, self.summary.shape[1]))
        sums = np.empty((n, len(self.summary)))
        summary = self.summary_columns
        for start in range(0, n, BLOCK_ROWS):
            np.dot(
                weights[start : start + BLOCK_ROWS], summary, out=sums[start : start + BLOCK_ROWS]
            )
        total = sums[:, -1]
        with np.errstate(divide="ignore", invalid="ignore"):
            values = sums[:, :-1] / total[:, None]
        for row in np.flatnonzero(~(total >= UNDERFLOW)):  # rare: recompute in log space
            values[row] = self._cause_posterior_in_logs(codes[:, row])[0]
        return np.minimum(values, 1.0, out=values)  # never 1 + a rounding error


def _risk_factor_group(vocabulary: Vocabulary, grid: CoreGrid, prior: np.ndarray) -> _Group:
    """One group for all risk factors: each evidence pattern sums the matching prior rows.

    ``prior`` is the log prior as (R, C); the row of a pattern is
    ``log sum_{r matching the pattern} P(r, c)``.
    """
    rf_cards = [vocabulary[n].card for n in grid.risk_factors]
    rf_states = [grid.states_of(n)[:: grid.n_cause] for n in grid.risk_factors]  # (R,) each
    table = np.full((math.prod(c + 1 for c in rf_cards), grid.n_cause), -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        for code, pattern in enumerate(np.ndindex(*(c + 1 for c in rf_cards))):
            match = np.ones(prior.shape[0], dtype=bool)
            for axis, observed in enumerate(pattern):
                if observed:
                    match &= rf_states[axis] == observed - 1
            if match.any():
                table[code] = _log_sum_exp(prior[match])
    members = tuple(vocabulary.names.index(n) for n in grid.risk_factors)
    return _Group(members, table, neutral=False, patterns=tuple(c + 1 for c in rf_cards))


def _observation_rows(
    vocabulary: Vocabulary, grid: CoreGrid, log_likelihood: np.ndarray
) -> tuple[dict[str, np.ndarray], dict[str, list[tuple[str, str]]]]:
    """Each cause's, subtype's and finding's rows over the cause configurations.

    Row 0 is "unobserved" (zeros); row ``s + 1`` is the log-weight of observing state ``s``:
    for a cause or subtype 0 where the configuration agrees and -inf elsewhere, for a finding
    log P(finding = s | cause configuration). A finding's soft alias states follow as extra
    rows, listed (alias, state) per finding in the second result.
    """
    rows: dict[str, np.ndarray] = {}
    for name in grid.names:
        variable = vocabulary[name]
        if variable.role == "risk_factor":
            continue
        states = grid.cause_states[grid.names.index(name)]
        block = np.zeros((variable.card + 1, grid.n_cause))
        for state in range(variable.card):
            block[state + 1][states != state] = -np.inf
        rows[name] = block
    offsets = np.concatenate([[0], np.cumsum([v.card for v in vocabulary])[:-1]])
    extra: dict[str, list[tuple[str, str]]] = {}
    for name in vocabulary.findings:
        start = offsets[vocabulary.names.index(name)]
        block = log_likelihood[start : start + vocabulary[name].card, : grid.n_cause]
        soft = []
        for alias in vocabulary.aliases:
            if alias.variable != name:
                continue
            for alias_state, likelihoods in alias.likelihoods.items():
                if alias.hard_state(alias_state) is None:
                    weights = np.asarray(likelihoods, dtype=float)
                    with np.errstate(divide="ignore"):
                        soft.append(np.log(weights @ np.exp(block)))
                    extra.setdefault(name, []).append((alias.name, alias_state))
        rows[name] = np.vstack([np.zeros(grid.n_cause), block, *soft])
    return rows, extra


def _pattern_groups(
    vocabulary: Vocabulary, members: Sequence[str], rows: dict[str, np.ndarray]
) -> list[_Group]:
    """Pack variables into groups of at most MAX_GROUP_PATTERNS patterns, one table each."""
    return [
        _Group(
            tuple(vocabulary.names.index(n) for n in group),
            _outer_sum([rows[n] for n in group]),
            neutral=True,
            patterns=tuple(len(rows[n]) for n in group),
        )
        for group in _split(members, lambda n: len(rows[n]))
    ]


def _pattern_strides(
    vocabulary: Vocabulary, groups: Sequence[_Group]
) -> tuple[np.ndarray, np.ndarray]:
    """Each variable's group and its stride in the group's pattern code (last member: 1)."""
    group_of = np.zeros(len(vocabulary), dtype=np.intp)
    strides = np.zeros(len(vocabulary), dtype=np.int64)
    for g, group in enumerate(groups):
        stride = 1
        for v, patterns in zip(reversed(group.members), reversed(group.patterns), strict=True):
            group_of[v], strides[v] = g, stride
            stride *= patterns
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
