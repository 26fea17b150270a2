"""Exact inference through pgmpy, for networks too large for the compiled engine.

A network read from a user's CSV folder may have so many risk factors and causes that the
compiled tables (one column per configuration of them) would not fit in memory. Such a model
answers through pgmpy's ``VariableElimination`` instead: exact too, but milliseconds per
query rather than microseconds. ``DiagnosticModel`` warns (GlutealBNWarning) when it falls back.

:class:`PgmpyEngine` satisfies the same :class:`~gluteal_bn.engine.protocol.Engine` protocol as the
compiled engine, with the same return types: evidence arrives as likelihood-table rows
(``offsets[variable] + state``), which it turns back into {variable: state} for pgmpy.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import EvidenceError
from ..network import quiet, variable_elimination
from ..vocabulary import Vocabulary

__all__ = ["PgmpyEngine"]


class PgmpyEngine:
    """pgmpy VariableElimination behind the compiled engine's interface."""

    grouped: None = None  # no grouped tables: callers take their per-case path

    def __init__(self, vocabulary: Vocabulary, network: Callable[[], Any]) -> None:
        self.vocabulary = vocabulary
        self._network = network  # built lazily by the model (and shared with model.network)
        self._inference: Any = None
        self._lock = threading.Lock()
        cards = [v.card for v in vocabulary]
        self.offsets = np.concatenate([[0], np.cumsum(cards)[:-1]]).astype(np.intp)

    def rows(self, evidence: Mapping[int, int]) -> np.ndarray:
        """Checked evidence {variable index: state index} as likelihood-table rows."""
        return np.fromiter(
            (self.offsets[v] + s for v, s in evidence.items()), dtype=np.intp, count=len(evidence)
        )

    def _evidence(self, rows: np.ndarray) -> dict[int, int]:
        """Rows back to {variable index: state index}, in the order given."""
        variables = np.searchsorted(self.offsets, rows, side="right") - 1
        return {int(v): int(row - self.offsets[v]) for v, row in zip(variables, rows, strict=True)}

    def soft_log_rows(self, soft: Mapping[int, Sequence[float]]) -> np.ndarray:
        raise EvidenceError(
            "soft evidence needs the compiled engine; this network is too large to compile, "
            "so give hard evidence only"
        )

    def log_evidence(self, rows: np.ndarray, extra: np.ndarray | None = None) -> float:
        """log P(evidence) by the chain rule, one pgmpy query per observed variable."""
        return self.log_probability(self._evidence(rows))

    def log_probability(self, evidence: dict[int, int]) -> float:
        """log P(evidence) by the chain rule, one pgmpy query per observed variable."""
        log_p = 0.0
        seen: dict[int, int] = {}
        for v, s in evidence.items():
            p = self._marginals([v], seen)[v][s]
            if p <= 0:
                return -math.inf
            log_p += math.log(p)
            seen[v] = s
        return log_p

    def cause_posterior(
        self, rows: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """P(cause present | evidence) for every cause, and log P(evidence)."""
        evidence = self._evidence(rows)
        names = self.vocabulary.names
        causes = [names.index(c) for c in self.vocabulary.causes]
        log_evidence = self.log_probability(evidence)
        if log_evidence == -math.inf:
            return np.full(len(causes), np.nan), log_evidence
        wanted = [v for v in causes if v not in evidence]
        marginals = self._marginals(wanted, evidence)
        values = np.array(
            [float(evidence[v] == 1) if v in evidence else marginals[v][1] for v in causes]
        )
        return values, log_evidence

    def state_marginals(
        self, rows: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """P(variable = state | evidence) for every row of the table, and log P(evidence)."""
        evidence = self._evidence(rows)
        log_evidence = self.log_probability(evidence)
        result = np.full(int(self.offsets[-1]) + self.vocabulary.variables[-1].card, np.nan)
        if log_evidence == -math.inf:
            return result, log_evidence
        wanted = [v for v in range(len(self.vocabulary)) if v not in evidence]
        for v, values in self._marginals(wanted, evidence).items():
            result[self.offsets[v] : self.offsets[v] + len(values)] = values
        return result, log_evidence

    def _marginals(self, variables: list[int], evidence: dict[int, int]) -> dict[int, np.ndarray]:
        if not variables:
            return {}
        vocabulary = self.vocabulary
        with self._lock:  # pgmpy's inference objects are not documented as thread-safe
            if self._inference is None:
                self._inference = variable_elimination(self._network())
            with quiet():
                factors = self._inference.query(
                    [vocabulary.variables[v].name for v in variables],
                    evidence={
                        vocabulary.variables[v].name: vocabulary.variables[v].states[s]
                        for v, s in evidence.items()
                    }
                    or None,
                    joint=False,
                    show_progress=False,
                )
        result = {}
        for v in variables:
            variable = vocabulary.variables[v]
            factor = factors[variable.name]
            order = [factor.state_names[variable.name].index(s) for s in variable.states]
            result[v] = np.asarray(factor.values, dtype=float)[order]
        return result
