"""The Engine protocol: what every exact engine offers, with the same return types.

Two engines satisfy it: :class:`~gluteal_bn.engine.compiled.CompiledNetwork` (exact, on
numpy arrays over the core configurations) and :class:`~gluteal_bn.engine.fallback.PgmpyEngine`
(pgmpy's exact VariableElimination, for networks too large to compile). The inference layer
(:mod:`gluteal_bn.inference`) and the batch scorer work with either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from ..vocabulary import Vocabulary
    from .grouped import GroupedTables

__all__ = ["Engine"]


class Engine(Protocol):
    """What every exact engine offers: the compiled one and the pgmpy fallback alike.

    Evidence reaches an engine already checked, as likelihood-table ``rows`` (one per observed
    state: ``offsets[variable] + state``) and an optional ``extra`` log-row for soft evidence.
    Impossible evidence gives NaN values and log P(evidence) = -inf; the engines never raise
    for it (the inference layer does, with a message).
    """

    @property
    def vocabulary(self) -> Vocabulary: ...

    @property
    def offsets(self) -> np.ndarray:
        """First row of each variable (vocabulary order)."""
        ...

    @property
    def grouped(self) -> GroupedTables | None:
        """The grouped tables of the fast path, or None (answer through the general path)."""
        ...

    def rows(self, evidence: Mapping[int, int]) -> np.ndarray:
        """Checked evidence {variable index: state index} as likelihood-table rows."""
        ...

    def soft_log_rows(self, soft: Mapping[int, Sequence[float]]) -> np.ndarray:
        """Checked soft evidence as log-rows, one per variable."""
        ...

    def log_evidence(self, rows: np.ndarray, extra: np.ndarray | None = None) -> float:
        """log P(evidence)."""
        ...

    def cause_posterior(
        self, rows: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """P(cause present | evidence) for every cause, and log P(evidence)."""
        ...

    def state_marginals(
        self, rows: np.ndarray, extra: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """P(variable = state | evidence) for every row of the table, and log P(evidence)."""
        ...
