"""Arrays the reasoning tools share: the causes' joint state of each core configuration, and
evidence as a list of additive log-rows of the compiled engine."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import CompiledNetwork
from ..vocabulary import Vocabulary

__all__ = [
    "EvidenceItem",
    "cause_configuration_index",
    "evidence_items",
    "log_sum_exp",
    "small_products",
]

#: Multiply-adds per BLAS call in small_products (below OpenBLAS's threading threshold).
BLOCK = 2**17


@dataclass(frozen=True)
class EvidenceItem:
    """One observed item: ``variable`` with ``state`` (a state name, or ``"soft"``)."""

    variable: str
    state: str
    log_row: np.ndarray  # (K,) what the item adds to the log posterior weights

    @property
    def name(self) -> str:
        return f"{self.variable}={self.state}"


def cause_configuration_index(engine: CompiledNetwork) -> np.ndarray:
    """For each core configuration k, the index of its causes' joint state (0 .. 2^n - 1).

    The index runs over the causes in vocabulary order, the first cause the slowest (the
    order of ``itertools.product``), each cause's absent state (0) before its present one.
    """
    present = engine.likelihood[engine.cause_present_rows] > 0.5  # (n_causes, K), indicators
    powers = 2 ** np.arange(len(engine.cause_present_rows))[::-1]
    return (powers @ present).astype(np.intp)


def evidence_items(
    engine: CompiledNetwork,
    vocabulary: Vocabulary,
    hard: dict[int, int],
    soft: dict[int, tuple[float, ...]],
) -> list[EvidenceItem]:
    """Hard then soft evidence, each as its log-row."""
    names = vocabulary.names  # built on each access: take it once
    items = [
        EvidenceItem(
            names[v],
            vocabulary.variables[v].states[s],
            engine.log_likelihood[engine.offsets[v] + s],
        )
        for v, s in hard.items()
    ]
    soft_rows = engine.soft_log_rows(soft)
    items += [EvidenceItem(names[v], "soft", row) for v, row in zip(soft, soft_rows, strict=True)]
    return items


def log_sum_exp(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(sum(exp(values))) along ``axis``, -inf where every value is -inf."""
    peak = values.max(axis=axis, keepdims=True)
    safe = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(divide="ignore"):
        total = np.log(np.exp(values - safe).sum(axis=axis, keepdims=True)) + safe
    return np.squeeze(total, axis=axis)


def small_products(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """left @ right, as blocks small enough that BLAS computes each on one thread.

    OpenBLAS splits a product over threads above about 2^18 multiply-adds; on a machine
    whose cores are busy, waking the second thread costs ~20 ms, far more than these
    products take on one core (well under a millisecond here).
    """
    inner = left.shape[1]
    cols = max(1, min(right.shape[1], BLOCK // (inner * 64)))
    rows = max(1, BLOCK // (inner * cols))
    out = np.empty((left.shape[0], right.shape[1]))
    for i in range(0, left.shape[0], rows):
        for j in range(0, right.shape[1], cols):
            out[i : i + rows, j : j + cols] = left[i : i + rows] @ right[:, j : j + cols]
    return out
