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
bottom of the float range are redone in log space. At most ``MAX_ITEMS`` = 17 items
are explained (131,072 subsets, about 200 MB); with more, explain refuses with an
EvidenceError naming the items rather than allocating gigabytes (26 items would need 72 GiB).
"""

from __future__ import annotations

from math import factorial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import EvidenceError
from ..evidence import check_cause, describe
from ._arrays import (
    EvidenceItem,
    evidence_items,
    log_sum_exp,
    small_products,
)
from .results import Explanation

if TYPE_CHECKING:
    from ..engine import CompiledNetwork
    from ..inference import Evidence, Inference, SoftEvidence

__all__ = ["explain", "subset_log_odds"]

#: Most evidence items explained exactly: 2^n subsets, so memory grows as 2^n; above this
#: :func:`explain` refuses with an EvidenceError instead of allocating gigabytes.
MAX_ITEMS = 17
#: Subsets evaluated per batch: bounds memory to CHUNK x K floats.
CHUNK = 4096
#: Sums below this are recomputed in log space (subnormal floats lose digits).
TINY = 1e-250


def explain(
    inference: Inference,
    evidence: Evidence | None,
    cause: str,
    soft: SoftEvidence | None = None,
) -> Explanation:
    """Exact Shapley contributions of each observed item to ``cause``'s log-odds.

    See :meth:`gluteal_bn.DiagnosticModel.explain`, which calls this with its inference
    layer.
    """
    vocabulary, engine = inference.vocabulary, inference.compiled("explain")
    check_cause(cause, vocabulary, what="explain")
    observation = inference.observe(evidence, soft)
    checked, soft_checked = observation.hard, observation.likelihoods
    if vocabulary.names.index(cause) in checked:
        raise EvidenceError(
            f"explain: {cause} is itself observed ({cause}={observation.evidence[cause]}), so its "
            "log-odds are infinite; remove it from the evidence to explain it"
        )
    log_evidence = engine.log_evidence(observation.rows, observation.extra)
    inference.check_possible(observation, log_evidence)
    items = evidence_items(engine, vocabulary, checked, soft_checked)
    if len(items) > MAX_ITEMS:
        raise EvidenceError(
            f"explain: {len(items)} evidence items observed, but exact Shapley values need all "
            f"2^n subsets and are computed for at most {MAX_ITEMS} items; drop some of "
            f"{', '.join(item.name for item in items)}"
        )
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
    table = _frame(vocabulary.labels, items, contributions, single)
    return Explanation(
        cause=cause,
        cause_label=vocabulary.labels[cause],
        table=table,
        prior=_probability(values[0]),
        posterior=_probability(values[-1]),
        prior_log_odds=float(values[0]),
        posterior_log_odds=float(values[-1]),
        method=f"exact Shapley values over all {2 ** len(items)} subsets of the items",
        evidence=observation.evidence,
        soft=observation.soft,
        subset_log_odds=values,
        items=tuple(item.name for item in items),
        vocabulary=vocabulary,
    )


def subset_log_odds(
    engine: CompiledNetwork, items: list[EvidenceItem], present: np.ndarray
) -> np.ndarray:
    """v(S) for every subset S of the items; S is the bit mask (bit i set = item i in S).

    Uses the network's layers when it can: every item depends either on the risk factors
    only (evidence on a risk factor) or on the causes only (a finding or a cause), and
    P(r, c) is a table over (risk-factor state r, cause state c). Then, with S = S_r + S_c,
    ``sum_(r,c) P(r,c) prod_(S_r) row(r) prod_(S_c) row(c) [c present]`` is one small matrix
    product of the two sides' subset products, over 2^n_r x 2^n_c x |C| terms instead of
    2^n x K (findings' parents are causes, so this holds for every network the engine
    compiles; ``_general_subset_log_odds`` does the same over K and checks it in the tests).
    """
    risk_side, cause_side = _split_by_layer(engine, items)
    n_r = len(risk_side)
    order = risk_side + cause_side  # positions of the items, risk-factor side first
    r_of_k, c_of_k = _layer_indices(engine)
    stacked = np.stack([items[i].log_row for i in order]) if items else np.zeros((0, present.size))
    scaled = np.exp(stacked - stacked.max(axis=1, keepdims=True))  # exact zeros stay zeros
    n_r_states, n_c_states = r_of_k.max() + 1, c_of_k.max() + 1
    joint = np.zeros((n_r_states, n_c_states))
    joint[r_of_k, c_of_k] = np.exp(engine.log_prior - engine.log_prior.max())
    on_c = np.zeros(n_c_states, dtype=bool)
    on_c[c_of_k] = present
    rows_r = np.zeros((n_r, n_r_states))
    rows_r[:, r_of_k] = scaled[:n_r]
    rows_c = np.zeros((len(cause_side), n_c_states))
    rows_c[:, c_of_k] = scaled[n_r:]
    risk = _products(np.ones(n_r_states), rows_r) @ joint  # (2^n_r, C)
    causes = _products(np.ones(n_c_states), rows_c)  # (2^n_c, C)
    p_on = small_products(risk * on_c, causes.T).T.ravel()  # mask = S_r + S_c << n_r
    p_off = small_products(risk * ~on_c, causes.T).T.ravel()
    with np.errstate(divide="ignore", invalid="ignore"):  # underflow: redone below
        values = np.log(p_on) - np.log(p_off)
    redo = np.flatnonzero((p_on < TINY) | (p_off < TINY))
    if redo.size:
        values[redo] = _log_space_log_odds(engine, stacked, present, redo)
    # back from the layer order to the caller's item order
    masks = np.arange(2 ** len(items))
    reordered = sum(((masks >> original) & 1) << j for j, original in enumerate(order))
    return values[reordered] if items else values


def _layer_indices(engine: CompiledNetwork) -> tuple[np.ndarray, np.ndarray]:
    """For each core configuration k, the index of its risk-factor state and cause state.

    The cause state is the joint state of every cause and subtype (``engine.core``), on which
    findings depend.
    """
    return engine.core.r_of_k, engine.core.c_of_k


def _split_by_layer(
    engine: CompiledNetwork, items: list[EvidenceItem]
) -> tuple[list[int], list[int]]:
    """Positions of the items on risk factors, and of the items on causes and findings."""
    risk_factors = set(engine.vocabulary.risk_factors)
    risk = [i for i, item in enumerate(items) if item.variable in risk_factors]
    return risk, [i for i, item in enumerate(items) if item.variable not in risk_factors]


def _general_subset_log_odds(
    engine: CompiledNetwork, items: list[EvidenceItem], present: np.ndarray
) -> np.ndarray:
    """v(S) for every subset over the full core (any network the engine compiles).

    Fast path in probability space: each item's likelihood row is scaled to a maximum of 1
    (a constant factor cancels in the odds); the products over each half of the items are
    built by doubling, and the sums for all 2^n subsets are one matrix product of the halves.
    Subsets whose sums come near the bottom of the float range are recomputed in log space,
    so the result stays exact.
    """
    n = len(items)
    stacked = np.stack([item.log_row for item in items]) if items else np.zeros((0, present.size))
    scaled = np.exp(stacked - stacked.max(axis=1, keepdims=True))  # exact zeros stay zeros
    base = np.exp(engine.log_prior - engine.log_prior.max())
    # Split the items in two halves: subset S = (low part, high part). Its sums over the
    # configurations with c present / absent are one matrix product of the halves' products:
    # sum_k low[l, k] * high[h, k] * present[k].
    low = (n + 1) // 2
    lows = _products(base, scaled[:low])  # (2^low, K)
    highs = _products(np.ones_like(base), scaled[low:])  # (2^(n-low), K)
    sums = small_products(lows, np.concatenate([(highs * present).T, (highs * ~present).T], 1))
    p_on, p_off = sums[:, : len(highs)].T.ravel(), sums[:, len(highs) :].T.ravel()  # by mask
    with np.errstate(divide="ignore", invalid="ignore"):  # underflow: redone below
        values = np.log(p_on) - np.log(p_off)
    redo = np.flatnonzero((p_on < TINY) | (p_off < TINY))
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
    sizes: np.ndarray = (
        np.sum([(masks >> i) & 1 for i in range(n)], axis=0) if n else np.zeros(1, dtype=np.intp)
    )
    weight_by_size = np.array(
        [factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)]
    )
    result = np.empty(n)
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        result[i] = weight_by_size[sizes[without]] @ (values[without | (1 << i)] - values[without])
    return result


def _frame(
    labels: dict[str, str],
    items: list[EvidenceItem],
    contributions: np.ndarray,
    single: np.ndarray,
) -> pd.DataFrame:
    order = np.argsort(-np.abs(contributions), kind="stable")  # largest effect first
    ranked = [items[i] for i in order]
    return pd.DataFrame(
        {
            "variable": np.array([item.variable for item in ranked], dtype=object),
            "state": np.array([item.state for item in ranked], dtype=object),
            "label": np.array([labels[item.variable] for item in ranked], dtype=object),
            "contribution": contributions[order],
            "weight_of_evidence": single[order],
        },
        index=pd.Index([item.name for item in ranked], name="item", dtype=object),
    )


def _probability(log_odds: float) -> float:
    return float(1.0 / (1.0 + np.exp(-log_odds)))
