"""What to ask next: every unobserved variable ranked by expected information gain.

For a candidate variable V with answers s, given the evidence e::

    IG(V) = H(C | e) - sum_s P(V = s | e) H(C | e, V = s)          (bits)

where C is the joint state of all causes (2^5 = 32 states in the bundled network) or, with
``target``, one cause. Risk factors are marginalised, not part of C. The candidates are the
risk factors and findings that are neither observed nor given as soft evidence; causes are
not candidates, since they are what the questions are about (a cause confirmed by a test can
be entered as evidence instead).

Exact and fast: one posterior over the K core configurations (risk factors x causes), then
for every candidate row at once ``P(V = s, k | e) = likelihood[row_s, k] * w_k``, summed onto
the cause configurations by one matrix product. No call to ``posterior`` per answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..evidence import check_cause
from ._arrays import cause_configuration_index, small_products
from .results import NextQuestions

if TYPE_CHECKING:
    from ..inference import Evidence, Inference, SoftEvidence

__all__ = ["NextQuestions", "next_questions"]


def next_questions(
    inference: Inference,
    evidence: Evidence | None = None,
    target: str | None = None,
    soft: SoftEvidence | None = None,
) -> NextQuestions:
    """Rank the unobserved risk factors and findings by expected information gain.

    See :meth:`gluteal_bn.DiagnosticModel.next_questions`, which calls this with its
    inference layer.
    """
    vocabulary, engine = inference.vocabulary, inference.compiled("next_questions")
    if target is not None:
        check_cause(target, vocabulary, what="next_questions target")
    observation = inference.observe(evidence, soft)
    checked, soft_checked = observation.hard, observation.likelihoods
    weights, log_evidence = engine.posterior_weights(observation.rows, observation.extra)
    inference.check_possible(observation, log_evidence)

    groups = _group_matrix(engine, vocabulary, target)  # (K, G)
    candidates = [
        v
        for v in vocabulary
        if v.role not in ("cause", "subtype")
        and vocabulary.names.index(v.name) not in checked
        and vocabulary.names.index(v.name) not in soft_checked
    ]
    entropy_now = _entropy_bits(weights @ groups)
    starts = [engine.offsets[vocabulary.names.index(v.name)] for v in candidates]
    candidate_rows = (
        np.concatenate([np.arange(s, s + v.card) for s, v in zip(starts, candidates, strict=True)])
        if candidates
        else np.empty(0, dtype=np.intp)
    )
    joint = engine.likelihood[candidate_rows] * weights  # P(answer, k | e), one row per answer
    p_answer = joint.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        conditional = small_products(joint, groups) / p_answer[:, None]
        cause_posteriors = (joint @ engine.likelihood[engine.cause_present_rows].T) / p_answer[
            :, None
        ]
    answer_entropy = _entropies_bits(conditional)  # (answers,), 0 for impossible answers

    cards = np.array([v.card for v in candidates], dtype=np.intp)
    owner = np.repeat(np.arange(len(candidates)), cards)  # candidate of each answer row
    expected = np.bincount(owner, weights=p_answer * answer_entropy, minlength=len(candidates))
    gains = np.maximum(0.0, entropy_now - expected)
    order = np.argsort(-gains, kind="stable")
    ranked = [candidates[i] for i in order]
    ranking = pd.DataFrame(
        {
            "label": [v.label for v in ranked],
            "role": [v.role for v in ranked],
            "information_gain": gains[order],
            "expected_entropy": expected[order],
        },
        index=pd.Index([v.name for v in ranked], name="variable", dtype=object),
    )
    answers = _answers_frame(ranked, order, cards, p_answer, cause_posteriors, vocabulary.causes)
    return NextQuestions(
        ranking,
        answers,
        entropy_now,
        target,
        observation.evidence,
        observation.soft,
        vocabulary,
    )


def _group_matrix(engine: Any, vocabulary: Any, target: str | None) -> np.ndarray:
    """One-hot (K, G): which state of C (all causes jointly, or the target) k belongs to."""
    if target is None:
        index = cause_configuration_index(engine)
        return np.eye(2 ** len(vocabulary.causes))[index]
    present = engine.likelihood[engine.cause_present_rows[vocabulary.causes.index(target)]]
    return np.stack([1.0 - present, present], axis=1)


def _answers_frame(
    ranked: list[Any],
    order: np.ndarray,
    cards: np.ndarray,
    p_answer: np.ndarray,
    cause_posteriors: np.ndarray,
    causes: tuple[str, ...],
) -> pd.DataFrame:
    """The long (variable, answer) table in ranking order, built from arrays directly."""
    starts = np.concatenate([[0], np.cumsum(cards)[:-1]]).astype(np.intp)
    rows = (
        np.concatenate([np.arange(starts[i], starts[i] + cards[i]) for i in order])
        if len(order)
        else np.empty(0, dtype=np.intp)
    )
    states: dict[str, int] = {}
    state_codes = [states.setdefault(s, len(states)) for v in ranked for s in v.states]
    index = pd.MultiIndex(
        levels=[
            pd.Index([v.name for v in ranked], dtype=object),
            pd.Index(list(states), dtype=object),
        ],
        codes=[np.repeat(np.arange(len(ranked)), cards[order]), state_codes],
        names=["variable", "answer"],
        verify_integrity=False,
    )
    values = np.column_stack([p_answer[rows], cause_posteriors[rows]])
    return pd.DataFrame(values, index=index, columns=["probability", *causes])


def _entropies_bits(distributions: np.ndarray) -> np.ndarray:
    """Entropy of each row in bits (rows of NaN, from impossible answers, give 0)."""
    safe = np.where(distributions > 0, distributions, 1.0)  # NaN > 0 is False
    return -(np.where(distributions > 0, distributions, 0.0) * np.log2(safe)).sum(axis=1)


def _entropy_bits(distribution: np.ndarray) -> float:
    positive = distribution[distribution > 0]
    return float(-(positive * np.log2(positive)).sum())
