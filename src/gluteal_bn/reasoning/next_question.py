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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..evidence import check_variable
from ._arrays import cause_configuration_index

if TYPE_CHECKING:
    from ..model import DiagnosticModel, Evidence, SoftEvidence

__all__ = ["NextQuestions", "next_questions"]


@dataclass(frozen=True)
class NextQuestions:
    """The result of :meth:`DiagnosticModel.next_questions`.

    Attributes
    ----------
    ranking : pandas.DataFrame
        One row per candidate variable, best first, indexed by variable: ``label``,
        ``role``, ``information_gain`` (bits), ``expected_entropy`` (bits, after the answer).
    answers : pandas.DataFrame
        Long format, indexed by (variable, answer), variables in ranking order: the
        ``probability`` of each answer, then for each cause the posterior
        P(cause present | evidence, answer) that answer would give (NaN for an answer of
        probability zero).
    entropy : float
        H(C | evidence) now, in bits.
    target : str or None
        The cause the gain is about, or None for the joint state of all causes.
    evidence : dict
        The hard evidence the ranking was computed for.
    soft : dict
        The soft evidence it was computed with ({} if none).
    """

    ranking: pd.DataFrame
    answers: pd.DataFrame
    entropy: float
    target: str | None
    evidence: dict[str, str] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def best(self) -> str | None:
        """The variable with the largest expected information gain (None if none is left)."""
        return None if self.ranking.empty else str(self.ranking.index[0])

    def __repr__(self) -> str:
        about = self.target or "all causes"
        if self.best is None:
            return f"NextQuestions(about {about}: nothing left to ask)"
        gain = self.ranking["information_gain"].iloc[0]
        return (
            f"NextQuestions(about {about}: ask {self.best} first ({gain:.3f} bits); "
            f"{len(self.ranking)} candidates)"
        )

    def _repr_html_(self) -> str:
        about = self.target or "the joint state of all causes"
        return (
            f"<p><b>Next questions</b> about {about} (uncertainty now {self.entropy:.3f} "
            "bits)</p>"
            + self.ranking.to_html(float_format=lambda x: f"{x:.3f}")
            + "<p>Each answer's probability and the posteriors it would give</p>"
            + self.answers.to_html(float_format=lambda x: f"{x:.3f}")
        )


def next_questions(
    model: DiagnosticModel,
    evidence: Evidence | None = None,
    target: str | None = None,
    soft: SoftEvidence | None = None,
) -> NextQuestions:
    """Rank the unobserved risk factors and findings by expected information gain."""
    vocabulary, engine = model.vocabulary, model._engine
    if target is not None:
        variable = check_variable(target, vocabulary, what="next_questions target")
        if variable.role != "cause":
            raise _not_a_cause(target, vocabulary.causes)
    checked, soft_checked, rows, extra = model._observe(evidence, soft)
    weights, log_evidence = engine.posterior_weights(rows, extra)
    model._check_possible(evidence, log_evidence, soft)

    groups = _group_matrix(engine, vocabulary, target)  # (K, G)
    candidates = [
        v
        for v in vocabulary
        if v.role != "cause"
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
        conditional = (joint @ groups) / p_answer[:, None]
        cause_posteriors = (joint @ engine.likelihood[engine.cause_present_rows].T) / p_answer[
            :, None
        ]
    answer_entropy = np.array(
        [_entropy_bits(row) if p > 0 else 0.0 for row, p in zip(conditional, p_answer, strict=True)]
    )

    records, answer_rows, position = [], [], 0
    for variable in candidates:
        span = slice(position, position + variable.card)
        position += variable.card
        expected = float(p_answer[span] @ answer_entropy[span])
        records.append(
            {
                "variable": variable.name,
                "label": variable.label,
                "role": variable.role,
                "information_gain": max(0.0, entropy_now - expected),
                "expected_entropy": expected,
            }
        )
        for state, p, posterior in zip(
            variable.states, p_answer[span], cause_posteriors[span], strict=True
        ):
            answer_rows.append((variable.name, state, p, *posterior))

    ranking = pd.DataFrame.from_records(
        records, columns=["variable", "label", "role", "information_gain", "expected_entropy"]
    ).set_index("variable")
    ranking = ranking.sort_values("information_gain", ascending=False, kind="stable")
    answers = pd.DataFrame.from_records(
        answer_rows, columns=["variable", "answer", "probability", *vocabulary.causes]
    ).set_index(["variable", "answer"])
    if not answers.empty:
        order = {name: i for i, name in enumerate(ranking.index)}
        answers = answers.sort_index(
            level="variable", key=lambda names: names.map(order), sort_remaining=False
        )
    return NextQuestions(
        ranking,
        answers,
        entropy_now,
        target,
        dict(evidence or {}),
        {name: dict(values) for name, values in (soft or {}).items()},
    )


def _group_matrix(engine: Any, vocabulary: Any, target: str | None) -> np.ndarray:
    """One-hot (K, G): which state of C (all causes jointly, or the target) k belongs to."""
    if target is None:
        index = cause_configuration_index(engine)
        return np.eye(2 ** len(vocabulary.causes))[index]
    present = engine.likelihood[engine.cause_present_rows[vocabulary.causes.index(target)]]
    return np.stack([1.0 - present, present], axis=1)


def _entropy_bits(distribution: np.ndarray) -> float:
    positive = distribution[distribution > 0]
    return float(-(positive * np.log2(positive)).sum())


def _not_a_cause(name: str, causes: tuple[str, ...]) -> ValueError:
    from ..errors import EvidenceError

    return EvidenceError(f"{name!r} is not a cause; expected one of {list(causes)}")
