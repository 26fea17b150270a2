"""Why the model believes what it does: each observed item's share of a cause's log-odds.

For a cause c and evidence items e_1 .. e_n (hard observations and soft evidence), let
``v(S) = log P(c present | S) / P(c absent | S)`` for a subset S of the items (natural log).
Each item's contribution is its exact **Shapley value**::

    phi_i = sum over S not containing i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))

the average, over every order in which the items could be learnt, of how much item i moved
the log-odds when it arrived. The contributions add up exactly:
``sum_i phi_i = v(all items) - v(no items)`` = posterior log-odds - prior log-odds. Because
findings interact through shared causes (explaining away), an item's effect depends on what
else is known, so no single order is privileged; Shapley values treat all orders alike.

Also reported: the item's **weight of evidence** on its own, ``v({i}) - v({})``, what it
would do if it were the only thing known.

Exact: all 2^n subsets are evaluated through the compiled engine in one batch: the
unnormalised posterior over the K core configurations of every subset is built by doubling
(the subsets with item i are those without it times item i's likelihood row), then summed
over the configurations where c is present and where it is absent. Sums that come near the
bottom of the float range are redone in log space. With at most 17 items (every other variable of
the bundled network observed) that is 131,072 subsets.
"""

from __future__ import annotations

from math import factorial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import EvidenceError
from ..evidence import check_variable, describe
from ._arrays import EvidenceItem, evidence_items, log_sum_exp

if TYPE_CHECKING:
    from ..engine import CompiledNetwork
    from ..model import DiagnosticModel, Evidence, SoftEvidence

__all__ = ["explain", "subset_log_odds"]

#: Subsets evaluated per batch: bounds memory to CHUNK x K floats.
CHUNK = 4096
#: Items whose 2^LOW_ITEMS subset products are held at once (the rest are looped over).
LOW_ITEMS = 12
#: Sums below this are recomputed in log space (subnormal floats lose digits).
TINY = 1e-250


def explain(
    model: DiagnosticModel,
    evidence: Evidence | None,
    cause: str,
    soft: SoftEvidence | None = None,
) -> pd.DataFrame:
    """Exact Shapley contributions of each observed item to ``cause``'s log-odds."""
    vocabulary, engine = model.vocabulary, model._engine
    variable = check_variable(cause, vocabulary, what="explain")
    if variable.role != "cause":
        raise EvidenceError(
            f"explain: {cause!r} is not a cause; expected one of {list(vocabulary.causes)}"
        )
    checked, soft_checked, rows, extra = model._observe(evidence, soft)
    if vocabulary.names.index(cause) in checked:
        raise EvidenceError(
            f"explain: {cause} is itself observed ({cause}={evidence[cause]}), so its "
            "log-odds are infinite; remove it from the evidence to explain it"
        )
    _, log_evidence = engine.posterior_weights(rows, extra)
    model._check_possible(evidence, log_evidence, soft)
    items = evidence_items(engine, vocabulary, checked, soft_checked)
    present = engine.likelihood[engine.cause_present_rows[vocabulary.causes.index(cause)]] > 0.5
    values = subset_log_odds(engine, items, present)
    if not np.isfinite(values).all():
        raise EvidenceError(
            f"explain: with {{{describe(dict(evidence or {}))}}} and soft evidence "
            f"{dict(soft or {})}, some subset of the items makes {cause} certain (log-odds "
            "infinite), so its log-odds cannot be shared out; soften the soft evidence"
        )
    contributions = shapley_values(values, len(items))
    single = np.array([values[1 << i] - values[0] for i in range(len(items))])
    return _frame(model, cause, items, contributions, single, values)


def subset_log_odds(
    engine: CompiledNetwork, items: list[EvidenceItem], present: np.ndarray
) -> np.ndarray:
    """v(S) for every subset S of the items; S is the bit mask (bit i set = item i in S).

    Fast path in probability space: each item's likelihood row is scaled to a maximum of 1
    (a constant factor cancels in the odds) and the 2^n products are built by doubling, one
    multiplication per subset and configuration. Subsets whose sums come near the bottom of
    the float range are recomputed in log space, so the result stays exact.
    """
    n = len(items)
    stacked = np.stack([item.log_row for item in items]) if items else np.zeros((0, present.size))
    scaled = np.exp(stacked - stacked.max(axis=1, keepdims=True))  # exact zeros stay zeros
    base = np.exp(engine.log_prior - engine.log_prior.max())
    low = min(n, LOW_ITEMS)
    block = _products(base, scaled[:low])  # (2^low, K)
    highs = _products(np.ones_like(base), scaled[low:])  # (2^(n-low), K)
    on, off = present.astype(float), (~present).astype(float)
    values = np.empty(2**n)
    suspicious = []
    for high, factor in enumerate(highs):
        weights = block * factor
        p_on, p_off = weights @ on, weights @ off
        masks = np.arange(high << low, (high + 1) << low)
        with np.errstate(divide="ignore", invalid="ignore"):  # underflow: redone below
            values[masks] = np.log(p_on) - np.log(p_off)
        suspicious.append(masks[(p_on < TINY) | (p_off < TINY)])
    redo = np.concatenate(suspicious)
    if redo.size:
        values[redo] = _log_space_log_odds(engine, stacked, present, redo)
    return values


def _products(base: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """base * prod of the rows in each subset, for all subsets (by bit mask), by doubling."""
    products = np.empty((2 ** len(rows), base.size))
    products[0] = base
    for i, row in enumerate(rows):
        products[2**i : 2 ** (i + 1)] = products[: 2**i] * row
    return products


def _log_space_log_odds(
    engine: CompiledNetwork, stacked: np.ndarray, present: np.ndarray, masks: np.ndarray
) -> np.ndarray:
    """v(S) for the given subsets, in log space (slow, but never underflows)."""
    # Split each row into its finite part and where it is log 0: a product with -inf
    # entries would give 0 * -inf = NaN for the items left out of a subset.
    impossible = np.isneginf(stacked).astype(float)
    finite_rows = np.where(impossible > 0, 0.0, stacked)
    bits = np.arange(stacked.shape[0])
    values = np.empty(masks.size)
    for start in range(0, masks.size, CHUNK):
        chunk = masks[start : start + CHUNK]
        membership = ((chunk[:, None] >> bits) & 1).astype(float)
        log_weights = engine.log_prior + membership @ finite_rows
        log_weights[membership @ impossible > 0] = -np.inf
        with np.errstate(invalid="ignore"):  # -inf - -inf: both sides impossible, NaN
            values[start : start + CHUNK] = log_sum_exp(log_weights[:, present]) - log_sum_exp(
                log_weights[:, ~present]
            )
    return values


def shapley_values(values: np.ndarray, n: int) -> np.ndarray:
    """Shapley value of each of n players from the value of every coalition (by bit mask)."""
    masks = np.arange(2**n)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight_by_size = np.array(
        [factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)]
    )
    result = np.empty(n)
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        result[i] = weight_by_size[sizes[without]] @ (values[without | (1 << i)] - values[without])
    return result


def _frame(
    model: DiagnosticModel,
    cause: str,
    items: list[EvidenceItem],
    contributions: np.ndarray,
    single: np.ndarray,
    values: np.ndarray,
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "variable": [item.variable for item in items],
            "state": [item.state for item in items],
            "label": [model.labels[item.variable] for item in items],
            "contribution": contributions,
            "weight_of_evidence": single,
        },
        index=pd.Index([item.name for item in items], name="item", dtype=object),
    )
    frame = frame.iloc[np.argsort(-np.abs(contributions), kind="stable")]
    frame.attrs.update(
        cause=cause,
        cause_label=model.labels[cause],
        prior_log_odds=float(values[0]),
        posterior_log_odds=float(values[-1]),
        prior=float(_probability(values[0])),
        posterior=float(_probability(values[-1])),
        method=f"exact Shapley values over all {2 ** len(items)} subsets of the items",
    )
    return frame


def _probability(log_odds: float) -> float:
    return 1.0 / (1.0 + np.exp(-log_odds))
