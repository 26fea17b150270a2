"""The result of :meth:`DiagnosticModel.next_questions`: what to ask next, and what each
answer would change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...display import Column, escape, given, text_table
from ...i18n import Translation
from ._base import Result, cause_words, frame_html, json_number, state_words

__all__ = ["NextQuestions"]


@dataclass(frozen=True, repr=False, eq=False)
class NextQuestions(Result):
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

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> result = gb.load_model().next_questions({"fever": "yes"})
    >>> list(result.to_dict())
    ['evidence', 'target', 'entropy_bits', 'questions']
    >>> result.to_text("ru").splitlines()[1].startswith("Неопределённость (все причины):")
    True
    >>> "Следующие вопросы" in result.to_html("ru")
    True
    """

    ranking: pd.DataFrame
    answers: pd.DataFrame
    entropy: float
    target: str | None
    evidence: dict[str, str] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)
    vocabulary: Any = field(default=None, repr=False, compare=False)  # for words in plots

    @property
    def best(self) -> str | None:
        """The variable with the largest expected information gain (None if none is left)."""
        return None if self.ranking.empty else str(self.ranking.index[0])

    def to_frame(self) -> pd.DataFrame:
        """The ranking (a copy); :attr:`answers` holds each answer's posteriors.

        Returns
        -------
        pandas.DataFrame
            One row per candidate variable, best first.
        """
        return self.ranking.copy()

    def _document(self) -> dict[str, Any]:
        """JSON: the ranking with each answer's probability and posteriors."""
        questions = []
        for variable, row in self.ranking.iterrows():
            answers = self.answers.loc[variable]
            questions.append(
                {
                    "variable": variable,
                    "label": row["label"],
                    "information_gain_bits": float(row["information_gain"]),
                    "answers": {
                        str(state): {
                            "probability": float(values["probability"]),
                            "posterior": {
                                cause: json_number(values[cause])
                                for cause in answers.columns.drop("probability")
                            },
                        }
                        for state, values in answers.iterrows()
                    },
                }
            )
        return {
            "evidence": dict(self.evidence),
            "target": self.target,
            "entropy_bits": self.entropy,
            "questions": questions,
        }

    def __repr__(self) -> str:
        about = self.target or "all causes"
        if self.best is None:
            return f"NextQuestions(about {about}: nothing left to ask)"
        gain = self.ranking["information_gain"].iloc[0]
        return (
            f"NextQuestions(about {about}: ask {self.best} first ({gain:.3f} bits); "
            f"{len(self.ranking)} candidates)"
        )

    def _text(self, t: Translation) -> str:
        about = cause_words(self.vocabulary, self.target, t) if self.target else None
        lines = [
            t.gettext("Evidence: {evidence}").format(
                evidence=given(self.evidence, self.soft, self.vocabulary, t)
            ),
            t.gettext("Uncertainty about {about}: {entropy} bits").format(
                about=about or t.gettext("all causes"), entropy=t.number(self.entropy, 3)
            ),
            "",
        ]
        if self.ranking.empty:
            return "\n".join(
                [*lines, t.gettext("Nothing left to ask: every risk factor and finding is known.")]
            )
        columns = [
            Column(t.gettext("Question"), "<"),
            Column(t.gettext("Gain (bits)"), width=11),
            Column(t.gettext("Answers"), "<"),
        ]
        rows = []
        for label, (variable, row) in zip(
            self.ranking["label"], self.ranking.iterrows(), strict=True
        ):
            answers = self.answers.loc[variable, "probability"]
            chances = ", ".join(
                f"{state_words(self.vocabulary, str(variable), state, t)} "
                f"{t.percent(p, decimals=0)}"
                for state, p in answers.items()
            )
            rows.append((t.label(label), t.number(row["information_gain"], 3), chances))
        return "\n".join(lines + text_table(columns, rows))

    def _html(self, t: Translation) -> str:
        about = (
            cause_words(self.vocabulary, self.target, t)
            if self.target
            else t.gettext("the joint state of all causes")
        )
        heading = t.gettext("Next questions about {about} (uncertainty now {entropy} bits)")
        # every number of the answers' table is a probability
        percent = dict.fromkeys(map(str, self.answers.columns), "percent")
        return (
            "<p><b>"
            + escape(heading.format(about=about, entropy=t.number(self.entropy, 3)))
            + "</b></p>"
            + frame_html(self.ranking, t, self.vocabulary)
            + "<p>"
            + escape(t.gettext("Each answer's probability and the posteriors it would give"))
            + "</p>"
            + frame_html(self._answers_in_words(t), t, self.vocabulary, percent)
        )

    def _answers_in_words(self, t: Translation) -> pd.DataFrame:
        """The answers' table indexed by each question's label and each answer's words."""
        keys = [
            (
                cause_words(self.vocabulary, str(v), t),
                state_words(self.vocabulary, str(v), str(a), t),
            )
            for v, a in self.answers.index
        ]
        index = pd.MultiIndex.from_tuples(keys, names=self.answers.index.names)
        return self.answers.set_axis(index)
