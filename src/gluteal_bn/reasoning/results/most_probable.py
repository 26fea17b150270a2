"""The result of :meth:`DiagnosticModel.most_probable_explanation`: the likeliest joint
states of the causes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...display import Column, given, text_table
from ...i18n import Translation
from ._base import TableResult, cause_words, records, state_words

__all__ = ["MostProbableExplanations"]


@dataclass(frozen=True, repr=False, eq=False)
class MostProbableExplanations(TableResult):
    """The k most probable joint states of the causes, with P(causes | evidence).

    Attributes
    ----------
    table : pandas.DataFrame
        Ranked from 1: ``present`` (the causes present, or "(none)"), one column per cause
        (its state), ``probability``.
    evidence, soft : dict
        The evidence they were computed for.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> top = gb.load_model().most_probable_explanation({"fever": "yes"}, k=2)
    >>> len(top), list(top.to_dict())
    (2, ['evidence', 'soft', 'states'])
    """

    table: pd.DataFrame
    evidence: dict[str, str] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)
    vocabulary: Any = field(default=None, repr=False, compare=False)  # for words

    def __repr__(self) -> str:
        if self.table.empty:
            return "MostProbableExplanations(none)"
        best = self.table.iloc[0]
        return (
            f"MostProbableExplanations(best {best['present']} {best['probability']:.1%}; "
            f"{len(self.table)} states)"
        )

    def _heading(self, t: Translation) -> str:
        return t.gettext("Most probable states of the causes given {evidence}").format(
            evidence=given(self.evidence, self.soft, self.vocabulary, t)
        )

    def _view(self, t: Translation) -> pd.DataFrame:
        """The causes present, and each cause's state, in words."""
        present = [present_words(text, self.vocabulary, t) for text in self.table["present"]]
        states = {
            str(cause): [state_words(self.vocabulary, str(cause), str(s), t) for s in column]
            for cause, column in self.table.items()
            if cause not in ("present", "probability")
        }
        return self.table.assign(present=present, **states)

    def _document(self) -> dict[str, Any]:
        """JSON: the evidence and the ranked states."""
        return {
            "evidence": dict(self.evidence),
            "soft": {k: dict(v) for k, v in self.soft.items()},
            "states": records(self.table.reset_index()),
        }

    def _text(self, t: Translation) -> str:
        evidence = given(self.evidence, self.soft, self.vocabulary, t)
        lines = [t.gettext("Evidence: {evidence}").format(evidence=evidence), ""]
        columns = [
            Column(t.gettext("Rank"), width=4),
            Column(t.gettext("Causes present"), "<"),
            Column(t.gettext("Probability"), width=11),
        ]
        rows = [
            (str(rank), present_words(text, self.vocabulary, t), t.percent(row["probability"]))
            for text, (rank, row) in zip(self.table["present"], self.table.iterrows(), strict=True)
        ]
        return "\n".join(lines + text_table(columns, rows))


def present_words(text: str, vocabulary: Any, t: Translation) -> str:
    """``spinal_disorder + hip_type=osteoarthritis`` in words, translated."""
    if text == "(none)":
        return t.gettext("(none)")
    parts = []
    for part in text.split(" + "):
        name, _, state = part.partition("=")
        if state and vocabulary is not None and name in vocabulary:
            parts.append(
                f"{t.variable(vocabulary, name)}: {state_words(vocabulary, name, state, t)}"
            )
        else:
            parts.append(cause_words(vocabulary, part, t))
    return " + ".join(parts)
