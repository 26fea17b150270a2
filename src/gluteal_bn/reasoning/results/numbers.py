"""The results of :meth:`DiagnosticModel.sensitivity` and :meth:`DiagnosticModel.tipping_points`:
what each number of the CSV files does to the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...display import Column, given, text_table
from ...i18n import N_, Translation, translation
from ._base import TableResult, cause_words, records, significant

__all__ = ["Sensitivity", "TippingPoints"]

#: Each kind of number in words, marked for the catalogue.
KINDS = {
    "baseline": N_("baseline"),
    "odds_ratio": N_("odds ratio"),
    "probability": N_("probability"),
    "leak": N_("leak"),
    "cause_alone": N_("cause alone"),
}


class _NumbersResult(TableResult):
    """A table of the model's numbers (``number``, ``label``, ``kind``, ...) said in words."""

    numbers: tuple[Any, ...] = ()

    def _words(self, t: Translation | None = None) -> dict[int, str]:
        """Each number of the table in words (empty without the model's numbers)."""
        if self.vocabulary is None or not self.numbers:
            return {}
        t = t or translation("en")
        return {i: t.number_text(self.vocabulary, self.numbers[i]) for i in self.table["number"]}

    def _view(self, t: Translation) -> pd.DataFrame:
        """The numbers in words and their kinds translated; the rest as it is."""
        words = self._words(t)
        return self.table.assign(
            label=[
                words.get(n, label)
                for n, label in zip(self.table["number"], self.table["label"], strict=True)
            ],
            kind=[t.marked(KINDS[k]) if k in KINDS else k for k in self.table["kind"]],
        )


@dataclass(frozen=True, repr=False, eq=False)
class Sensitivity(_NumbersResult):
    """How P(cause | evidence) moves as each number of the CSV files varies on its own.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per number, largest ``swing`` first: ``number``, ``label``, ``kind``,
        ``file``, ``line``, ``value``, ``low``, ``high``, ``posterior_at_low``,
        ``posterior_at_high``, ``swing``.
    cause, cause_label : str
        The cause studied.
    evidence : dict
        The evidence.
    posterior : float
        P(cause | evidence) with the numbers as they are.
    factor : float
        How far each number's odds moved either way.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> result = gb.load_model().sensitivity({"fever": "yes"}, "local_infection")
    >>> result.cause, len(result.top(3))
    ('local_infection', 3)
    """

    table: pd.DataFrame
    cause: str
    cause_label: str
    evidence: dict[str, str]
    posterior: float
    factor: float
    #: The model's numbers (``table["number"]`` indexes them) and vocabulary, so that a
    #: plot can say each number in words.
    numbers: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    vocabulary: Any = field(default=None, repr=False, compare=False)

    def top(self, n: int) -> Sensitivity:
        """The same result with only the ``n`` numbers of largest swing.

        Parameters
        ----------
        n : int
            How many numbers to keep.

        Returns
        -------
        Sensitivity
            A new result; this one is unchanged.
        """
        return Sensitivity(
            self.table.head(n),
            self.cause,
            self.cause_label,
            self.evidence,
            self.posterior,
            self.factor,
            self.numbers,
            self.vocabulary,
        )

    def __repr__(self) -> str:
        return (
            f"Sensitivity(P({self.cause} | evidence) = {self.posterior:.1%}; "
            f"{len(self.table)} numbers, factor {self.factor:g})"
        )

    def _heading(self, t: Translation) -> str:
        return t.gettext(
            "P({cause} | {evidence}) = {posterior}; each number's odds divided and "
            "multiplied by {factor}"
        ).format(
            cause=t.label(self.cause_label),
            evidence=given(self.evidence, vocabulary=self.vocabulary, t=t),
            posterior=t.percent(self.posterior),
            factor=significant(self.factor, t),
        )

    def _document(self) -> dict[str, Any]:
        """JSON: the cause, posterior, factor and one record per number."""
        return {
            "evidence": dict(self.evidence),
            "cause": self.cause,
            "posterior": self.posterior,
            "factor": self.factor,
            "numbers": records(self.table),
        }

    def _text(self, t: Translation) -> str:
        lines = [
            t.gettext("Evidence: {evidence}").format(
                evidence=given(self.evidence, vocabulary=self.vocabulary, t=t)
            ),
            t.gettext(
                "P({cause} | evidence) = {posterior}; each number's odds divided and "
                "multiplied by {factor}:"
            ).format(
                cause=t.label(self.cause_label),
                posterior=t.percent(self.posterior),
                factor=significant(self.factor, t),
            ),
            "",
        ]
        words = self._words(t)
        span = moves = t.gettext("{low} to {high}")
        rows = [
            (
                words.get(row.number, row.label),
                significant(row.value, t),
                span.format(low=significant(row.low, t), high=significant(row.high, t)),
                moves.format(
                    low=t.percent(row.posterior_at_low), high=t.percent(row.posterior_at_high)
                ),
                t.percent(row.swing),
            )
            for row in self.table.itertuples()
        ]
        columns = [
            Column(t.gettext("Number"), "<", 56),
            Column(t.gettext("value"), width=8, gap=" "),
            Column(t.gettext("range"), width=19, gap=" "),
            Column(t.gettext("posterior"), width=15, gap=" "),
            Column(t.gettext("swing"), width=6, gap=" "),
        ]
        return "\n".join(lines + text_table(columns, rows))


@dataclass(frozen=True, repr=False, eq=False)
class TippingPoints(_NumbersResult):
    """The single-number changes that would make another cause the most likely one.

    Attributes
    ----------
    table : pandas.DataFrame
        ``number``, ``label``, ``kind``, ``file``, ``line``, ``value``, ``flips_at``,
        ``change_in_log_odds``, ``new_top_cause``; smallest absolute change first.
    top_cause : str
        The most likely cause with the numbers as they are.
    evidence : dict
        The evidence.
    posterior : dict of str to float
        P(cause | evidence) of every cause, with the numbers as they are.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> flips = gb.load_model().tipping_points({"low_back_pain": "yes"})
    >>> flips.top_cause
    'spinal_disorder'
    """

    table: pd.DataFrame
    top_cause: str
    evidence: dict[str, str]
    posterior: dict[str, float]
    #: The model's numbers and vocabulary, so that the text says each number in words.
    numbers: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    vocabulary: Any = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        return f"TippingPoints(top cause {self.top_cause}; {len(self.table)} numbers can flip it)"

    def _heading(self, t: Translation) -> str:
        return t.gettext("Most likely now: {cause} (given {evidence})").format(
            cause=cause_words(self.vocabulary, self.top_cause, t),
            evidence=given(self.evidence, vocabulary=self.vocabulary, t=t),
        )

    def _document(self) -> dict[str, Any]:
        """JSON: the top cause, the posteriors and one record per number."""
        return {
            "evidence": dict(self.evidence),
            "top_cause": self.top_cause,
            "posterior": dict(self.posterior),
            "numbers": records(self.table),
        }

    def _text(self, t: Translation) -> str:
        lines = [
            t.gettext("Evidence: {evidence}").format(
                evidence=given(self.evidence, vocabulary=self.vocabulary, t=t)
            ),
            t.gettext("Most likely now: {cause}").format(
                cause=cause_words(self.vocabulary, self.top_cause, t)
            ),
            "",
        ]
        if self.table.empty:
            return "\n".join(
                [*lines, t.gettext("No single number can change the most likely cause.")]
            )
        words = self._words(t)
        rows = [
            (
                words.get(row.number, row.label)[:56],
                significant(row.value, t),
                significant(row.flips_at, t),
                cause_words(self.vocabulary, row.new_top_cause, t),
            )
            for row in self.table.itertuples()
        ]
        columns = [
            Column(t.gettext("Number"), "<", 56),
            Column(t.gettext("value"), width=8, gap=" "),
            Column(t.gettext("flips at"), width=9, gap=" "),
            Column(t.gettext("new top cause"), "<"),
        ]
        return "\n".join(lines + text_table(columns, rows))

    def _view(self, t: Translation) -> pd.DataFrame:
        view = super()._view(t)
        causes = [cause_words(self.vocabulary, c, t) for c in view["new_top_cause"]]
        return view.assign(new_top_cause=causes)
