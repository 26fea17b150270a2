"""The results of the reasoning tools: frozen data first, presentation second.

Each tool returns one of these small frozen objects rather than a bare DataFrame whose
meaning hides in ``DataFrame.attrs``. Every result has the same four faces:

* ``to_frame()`` — the data as a pandas DataFrame (a copy);
* ``to_dict()`` — plain JSON-ready data (what ``gluteal-bn ... --json`` prints);
* ``str(result)`` — a plain-text table (what the command line prints);
* ``_repr_html_()`` — the table in Jupyter; ``repr`` is one line.

``str`` and ``_repr_html_`` speak the language of ``GLUTEAL_BN_LANG`` or the locale (labels,
words and rounded numbers from the catalogue, :mod:`gluteal_bn.i18n`); ``to_text(language)``
and ``to_html(language)`` choose it. ``to_dict`` and ``to_frame`` keep the identifiers.

The numbers of the table are also reachable as on a DataFrame (``result["swing"]``,
``result.loc[...]``, ``len(result)``), so code written when the tools returned DataFrames
keeps working; the other fields (the cause, the evidence, the prior and posterior...) are
attributes of the result.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..i18n import N_

if TYPE_CHECKING:
    from ..i18n import Translation

__all__ = [
    "Conflict",
    "Explanation",
    "MostProbableExplanations",
    "NextQuestions",
    "PosteriorIntervals",
    "Sensitivity",
    "TippingPoints",
]


def _translation(language: str | None) -> Translation:
    from ..i18n import translation

    return translation(language)


def _given(
    evidence: Mapping[str, str],
    soft: Mapping[str, Any] | None = None,
    vocabulary: Any = None,
    t: Translation | None = None,
) -> str:
    """The evidence as a person reads it: labels when the vocabulary is known."""
    t = t or _translation(None)
    if vocabulary is not None and (evidence or soft):
        return t.evidence(vocabulary, evidence, soft)
    text = ", ".join(f"{k}={v}" for k, v in evidence.items()) or t.gettext("(no evidence)")
    if soft:
        text += t.gettext("; soft evidence on {names}").format(names=", ".join(soft))
    return text


def _state(vocabulary: Any, name: str, state: str, t: Translation | None = None) -> str:
    """A state's label when the vocabulary is known, else its name."""
    t = t or _translation(None)
    if vocabulary is not None and name in vocabulary and state in vocabulary[name].states:
        return t.state(vocabulary, name, state)
    return t.gettext("uncertain") if state == "soft" else str(state)


def _cause(vocabulary: Any, name: str, t: Translation) -> str:
    """A cause's (or any variable's) label, translated; its name without a vocabulary."""
    if vocabulary is not None and name in vocabulary:
        return t.variable(vocabulary, name)
    return str(name)


def _present(text: str, vocabulary: Any, t: Translation) -> str:
    """``spinal_disorder + hip_type=osteoarthritis`` in words, translated."""
    if text == "(none)":
        return t.gettext("(none)")
    parts = []
    for part in text.split(" + "):
        name, _, state = part.partition("=")
        if state and vocabulary is not None and name in vocabulary:
            parts.append(f"{t.variable(vocabulary, name)}: {_state(vocabulary, name, state, t)}")
        else:
            parts.append(_cause(vocabulary, part, t))
    return " + ".join(parts)


def _g(value: float, t: Translation, digits: int = 3) -> str:
    """A number in ``digits`` significant digits, with the language's decimal sign."""
    text = f"{float(value):.{digits}g}"
    return text.replace(".", ",") if t.language == "ru" else text


def _method(method: str, t: Translation) -> str:
    """The explanation's method in words, translated."""
    found = re.fullmatch(r"exact Shapley values over all (\d+) subsets of the items", method)
    if found:
        return t.gettext("exact Shapley values over all {count} subsets of the items").format(
            count=found.group(1)
        )
    return method


#: What a column of a result's table is called in HTML, marked for the catalogue.
_COLUMNS = {
    "variable": N_("variable"),
    "state": N_("state"),
    "label": N_("label"),
    "role": N_("role"),
    "contribution": N_("contribution"),
    "weight_of_evidence": N_("weight of evidence"),
    "information_gain": N_("information gain (bits)"),
    "expected_entropy": N_("expected entropy (bits)"),
    "probability": N_("probability"),
    "present": N_("causes present"),
    "rank": N_("rank"),
    "answer": N_("answer"),
    "number": N_("number"),
    "kind": N_("kind"),
    "file": N_("file"),
    "line": N_("line"),
    "value": N_("value"),
    "low": N_("low"),
    "high": N_("high"),
    "posterior_at_low": N_("posterior at low"),
    "posterior_at_high": N_("posterior at high"),
    "swing": N_("swing"),
    "flips_at": N_("flips at"),
    "change_in_log_odds": N_("change in log-odds"),
    "new_top_cause": N_("new top cause"),
    "posterior": N_("posterior"),
    "mean": N_("mean"),
    "lower": N_("lower"),
    "upper": N_("upper"),
    "cause": N_("cause"),
    "item": N_("item"),
}


def _frame_html(frame: pd.DataFrame, t: Translation, vocabulary: Any, digits: str) -> str:
    """A result's table as HTML, its column and index names in words (the data unchanged)."""

    def name(column: Any) -> Any:
        if not isinstance(column, str):
            return column
        if column in _COLUMNS:
            return t.marked(_COLUMNS[column])
        return _cause(vocabulary, column, t)

    shown = frame.rename(columns=name)
    shown.index = shown.index.set_names([name(n) for n in shown.index.names])
    return shown.to_html(float_format=lambda x: f"{x:{digits}}")


def _number(value: float) -> float | None:
    """JSON has no NaN or infinity: an undefined number is null."""
    value = float(value)
    return value if math.isfinite(value) else None


def _tidy(value: float) -> float:
    """Rounded to the digits shown, without a '-0.000' from rounding noise."""
    return round(float(value), 3) + 0.0


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (numpy scalars as Python numbers, NaN as None)."""
    records = []
    for row in frame.to_dict(orient="records"):
        records.append(
            {
                str(key): (
                    _number(float(value))
                    if isinstance(value, float | np.floating)
                    else value.item()
                    if isinstance(value, np.generic)
                    else value
                )
                for key, value in row.items()
            }
        )
    return records


class _TableResult:
    """What every result whose data is one table shares."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The result's table (a copy).

        Returns
        -------
        pandas.DataFrame
            The table described under ``table`` in the class's attributes.
        """
        return self.table.copy()

    # The table's numbers as on a DataFrame, for code written when tools returned one.
    def __getitem__(self, key: Any) -> Any:
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "table":  # never the table's dunders or privates
            raise AttributeError(name)
        return getattr(self.table, name)

    vocabulary: Any = None  # each result with a vocabulary sets it as a field

    def _heading(self, t: Translation) -> str:
        return type(self).__name__

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, language: str | None = None) -> str:
        """The plain-text table that ``print`` shows (and the command line prints).

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

        Returns
        -------
        str
            Labels and rounded numbers, in ``language``.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> why = gb.load_model().explain({"fever": "yes"}, "local_infection")
        >>> why.to_text("ru").splitlines()[0]
        'Данные: Лихорадка: да'
        """
        return self._text(_translation(language))

    def _text(self, t: Translation) -> str:
        return self._heading(t)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: str | None = None) -> str:
        """The heading and the table as HTML (what Jupyter shows), in ``language``.

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

        Returns
        -------
        str
            An HTML fragment; column names in words, the table's data as it is.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> top = gb.load_model().most_probable_explanation({"fever": "yes"}, k=2)
        >>> "<th>вероятность</th>" in top.to_html("ru")
        True
        """
        t = _translation(language)
        return f"<p>{html.escape(self._heading(t))}</p>" + _frame_html(
            self.table, t, self.vocabulary, ".4g"
        )


# -- explain -----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class Explanation(_TableResult):
    """Each observed item's exact Shapley contribution to a cause's log-odds.

    Attributes
    ----------
    cause, cause_label : str
        The cause explained, and its label.
    table : pandas.DataFrame
        Indexed by item (``name=state``, or ``name=soft``), largest contribution first:
        ``variable``, ``state``, ``label``, ``contribution``, ``weight_of_evidence``.
    prior, posterior : float
        P(cause present) with no evidence and with all of it.
    prior_log_odds, posterior_log_odds : float
        The same as natural log-odds; the contributions add up to their difference.
    method : str
        How the contributions were computed.
    evidence, soft : dict
        The evidence explained.
    subset_log_odds : numpy.ndarray
        The log-odds given every subset of the items (bit i of the index = item i, in the
        order the evidence was given: hard items, then soft ones).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> why = gb.load_model().explain({"fever": "yes"}, "local_infection")
    >>> why.cause, list(why.table.index)
    ('local_infection', ['fever=yes'])
    >>> bool(abs(why.table["contribution"].sum()
    ...          - (why.posterior_log_odds - why.prior_log_odds)) < 1e-9)
    True
    """

    cause: str
    cause_label: str
    table: pd.DataFrame
    prior: float
    posterior: float
    prior_log_odds: float
    posterior_log_odds: float
    method: str
    evidence: dict[str, str] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)
    subset_log_odds: np.ndarray = field(default_factory=lambda: np.zeros(1))
    items: tuple[str, ...] = ()
    vocabulary: Any = field(default=None, repr=False, compare=False)  # for words in plots

    def __repr__(self) -> str:
        return (
            f"Explanation({self.cause}: {self.prior:.1%} -> {self.posterior:.1%}, "
            f"{len(self.table)} items)"
        )

    def _heading(self, t: Translation) -> str:
        return t.gettext(
            "Why {cause} went from {prior} to {posterior} "
            "(log-odds {prior_log_odds} -> {posterior_log_odds}); {method}"
        ).format(method=_method(self.method, t), **self._numbers(t))

    def _numbers(self, t: Translation) -> dict[str, str]:
        return {
            "cause": t.label(self.cause_label),
            "prior": t.percent(self.prior),
            "posterior": t.percent(self.posterior),
            "prior_log_odds": t.number(self.prior_log_odds, 3, signed=True),
            "posterior_log_odds": t.number(self.posterior_log_odds, 3, signed=True),
        }

    def steps(self, order: Sequence[str] | None = None) -> pd.DataFrame:
        """P(cause present) as the items are added one after another, from the subsets.

        Parameters
        ----------
        order : sequence of str, optional
            The items' variable names in the order to add them (default: as given).

        Returns
        -------
        pandas.DataFrame
            One row per step ("prior", each ``name=state`` in order, "posterior") with
            ``start`` (P(cause) before the step), ``probability`` (after it) and
            ``weight_of_evidence`` (the item alone; NaN for the prior and posterior).
        """
        variables = [item.split("=", 1)[0] for item in self.items]
        names = variables if order is None else list(order)
        mask = 0
        rows = [("prior", 0.0, _probability(self.subset_log_odds[0]), math.nan)]
        for name in names:
            bit = 1 << variables.index(name)
            mask |= bit
            weight = float(self.subset_log_odds[bit] - self.subset_log_odds[0])
            rows.append(
                (
                    self.items[variables.index(name)],
                    rows[-1][2],
                    _probability(self.subset_log_odds[mask]),
                    weight,
                )
            )
        rows.append(("posterior", 0.0, rows[-1][2], math.nan))
        frame = pd.DataFrame(rows, columns=["step", "start", "probability", "weight_of_evidence"])
        return frame.set_index("step")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the headline numbers and one entry per item.

        Returns
        -------
        dict
            Plain JSON types (``json.dumps`` writes it as it is).
        """
        return {
            "cause": self.cause,
            "prior": self.prior,
            "posterior": self.posterior,
            "prior_log_odds": self.prior_log_odds,
            "posterior_log_odds": self.posterior_log_odds,
            "method": self.method,
            "items": [
                {
                    "variable": row["variable"],
                    "state": row["state"],
                    "contribution": float(row["contribution"]),
                    "weight_of_evidence": float(row["weight_of_evidence"]),
                }
                for _, row in self.table.iterrows()
            ],
        }

    def _text(self, t: Translation) -> str:
        lines = [
            t.gettext("Evidence: {evidence}").format(
                evidence=_given(self.evidence, self.soft, self.vocabulary, t)
            ),
            t.gettext(
                "{cause}: {prior} -> {posterior} (log-odds {prior_log_odds} -> "
                "{posterior_log_odds})"
            ).format(**self._numbers(t)),
            "",
        ]
        table = self.table
        if table.empty:
            return "\n".join([*lines, t.gettext("No evidence: nothing to explain.")])
        names = [
            f"{t.label(label)}: {_state(self.vocabulary, variable, state, t)}"
            for variable, label, state in zip(
                table["variable"], table["label"], table["state"], strict=True
            )
        ]
        heads = [t.gettext("Item"), t.gettext("Contribution"), t.gettext("Alone")]
        cells = [
            (
                t.number(row["contribution"], 3, signed=True),
                t.number(row["weight_of_evidence"], 3, signed=True),
            )
            for _, row in table.iterrows()
        ]
        width = max(len(name) for name in [*names, heads[0]])
        first = max(len(heads[1]), *(len(c) for c, _ in cells))
        second = max(len(heads[2]), *(len(a) for _, a in cells))
        lines.append(f"{heads[0]:<{width}}  {heads[1]:>{first}}  {heads[2]:>{second}}")
        for name, (contribution, alone) in zip(names, cells, strict=True):
            lines.append(f"{name:<{width}}  {contribution:>{first}}  {alone:>{second}}")
        lines.append(
            t.gettext("Contributions: {method}; they add up to the change in log-odds.").format(
                method=_method(self.method, t)
            )
        )
        return "\n".join(lines)


def _probability(log_odds: float) -> float:
    with np.errstate(over="ignore"):
        return float(1.0 / (1.0 + np.exp(-log_odds)))


# -- next questions ----------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
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

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> result = gb.load_model().next_questions({"fever": "yes"})
    >>> list(result.to_dict())
    ['evidence', 'target', 'entropy_bits', 'questions']
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the ranking with each answer's probability and posteriors.

        Returns
        -------
        dict
            Plain JSON types (``json.dumps`` writes it as it is).
        """
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
                                cause: _number(values[cause])
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

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, language: str | None = None) -> str:
        """The plain-text ranking that ``print`` shows (and ``gluteal-bn ask`` prints).

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

        Returns
        -------
        str
            The evidence, the uncertainty now, and one line per question: its label, the
            expected information gain and each answer's probability.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> asked = gb.load_model().next_questions({"fever": "yes"})
        >>> asked.to_text("ru").splitlines()[1].startswith("Неопределённость (все причины):")
        True
        """
        t = _translation(language)
        about = _cause(self.vocabulary, self.target, t) if self.target else t.gettext("all causes")
        lines = [
            t.gettext("Evidence: {evidence}").format(
                evidence=_given(self.evidence, self.soft, self.vocabulary, t)
            ),
            t.gettext("Uncertainty about {about}: {entropy} bits").format(
                about=about, entropy=t.number(self.entropy, 3)
            ),
            "",
        ]
        if self.ranking.empty:
            return "\n".join(
                [*lines, t.gettext("Nothing left to ask: every risk factor and finding is known.")]
            )
        heads = [t.gettext("Question"), t.gettext("Gain (bits)"), t.gettext("Answers")]
        labels = [t.label(label) for label in self.ranking["label"]]
        width = max(len(label) for label in [*labels, heads[0]])
        gain_width = max(11, len(heads[1]))
        lines.append(f"{heads[0]:<{width}}  {heads[1]:>{gain_width}}  {heads[2]}")
        for label, (variable, row) in zip(labels, self.ranking.iterrows(), strict=True):
            answers = self.answers.loc[variable, "probability"]
            chances = ", ".join(
                f"{_state(self.vocabulary, str(variable), state, t)} {t.percent(p, decimals=0)}"
                for state, p in answers.items()
            )
            gain = t.number(row["information_gain"], 3)
            lines.append(f"{label:<{width}}  {gain:>{gain_width}}  {chances}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: str | None = None) -> str:
        """The ranking and each answer's posteriors as HTML (what Jupyter shows).

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

        Returns
        -------
        str
            An HTML fragment; column names in words, the tables' data as they are.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> asked = gb.load_model().next_questions({"fever": "yes"})
        >>> "Следующие вопросы" in asked.to_html("ru")
        True
        """
        t = _translation(language)
        about = (
            _cause(self.vocabulary, self.target, t)
            if self.target
            else t.gettext("the joint state of all causes")
        )
        heading = t.gettext("Next questions about {about} (uncertainty now {entropy} bits)")
        return (
            "<p><b>"
            + html.escape(heading.format(about=about, entropy=t.number(self.entropy, 3)))
            + "</b></p>"
            + _frame_html(self.ranking, t, self.vocabulary, ".3f")
            + "<p>"
            + html.escape(t.gettext("Each answer's probability and the posteriors it would give"))
            + "</p>"
            + _frame_html(self.answers, t, self.vocabulary, ".3f")
        )


# -- most probable explanations ----------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class MostProbableExplanations(_TableResult):
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
            evidence=_given(self.evidence, self.soft, self.vocabulary, t)
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the evidence and the ranked states.

        Returns
        -------
        dict
            Plain JSON types (``json.dumps`` writes it as it is).
        """
        return {
            "evidence": dict(self.evidence),
            "soft": {k: dict(v) for k, v in self.soft.items()},
            "states": _records(self.table.reset_index()),
        }

    def _text(self, t: Translation) -> str:
        given = _given(self.evidence, self.soft, self.vocabulary, t)
        lines = [t.gettext("Evidence: {evidence}").format(evidence=given), ""]
        heads = [t.gettext("Rank"), t.gettext("Causes present"), t.gettext("Probability")]
        present = [_present(text, self.vocabulary, t) for text in self.table["present"]]
        width = max(len(p) for p in [*present, heads[1]])
        rank_width, chance_width = max(4, len(heads[0])), max(11, len(heads[2]))
        lines.append(f"{heads[0]:>{rank_width}}  {heads[1]:<{width}}  {heads[2]:>{chance_width}}")
        for text, (rank, row) in zip(present, self.table.iterrows(), strict=True):
            chance = t.percent(row["probability"])
            lines.append(f"{rank:>{rank_width}}  {text:<{width}}  {chance:>{chance_width}}")
        return "\n".join(lines)


# -- sensitivity and tipping points ------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class Sensitivity(_TableResult):
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

    def _words(self, t: Translation | None = None) -> dict[int, str]:
        """Each number of the table in words (empty without the model's numbers)."""
        if self.vocabulary is None or not self.numbers:
            return {}
        t = t or _translation("en")
        return {i: t.number_text(self.vocabulary, self.numbers[i]) for i in self.table["number"]}

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
            evidence=_given(self.evidence, vocabulary=self.vocabulary, t=t),
            posterior=t.percent(self.posterior),
            factor=_g(self.factor, t),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the cause, posterior, factor and one record per number.

        Returns
        -------
        dict
            Plain JSON types (``json.dumps`` writes it as it is).
        """
        return {
            "evidence": dict(self.evidence),
            "cause": self.cause,
            "posterior": self.posterior,
            "factor": self.factor,
            "numbers": _records(self.table),
        }

    def _text(self, t: Translation) -> str:
        lines = [
            t.gettext("Evidence: {evidence}").format(
                evidence=_given(self.evidence, vocabulary=self.vocabulary, t=t)
            ),
            t.gettext(
                "P({cause} | evidence) = {posterior}; each number's odds divided and "
                "multiplied by {factor}:"
            ).format(
                cause=t.label(self.cause_label),
                posterior=t.percent(self.posterior),
                factor=_g(self.factor, t),
            ),
            "",
        ]
        words = self._words(t)
        labels = [words.get(row.number, row.label) for row in self.table.itertuples()]
        span = moves = t.gettext("{low} to {high}")
        rows = [
            (
                label,
                _g(row.value, t),
                span.format(low=_g(row.low, t), high=_g(row.high, t)),
                moves.format(
                    low=t.percent(row.posterior_at_low), high=t.percent(row.posterior_at_high)
                ),
                t.percent(row.swing),
            )
            for label, row in zip(labels, self.table.itertuples(), strict=True)
        ]
        heads = (
            t.gettext("Number"),
            t.gettext("value"),
            t.gettext("range"),
            t.gettext("posterior"),
            t.gettext("swing"),
        )
        widths = [
            max(
                [56 if i == 0 else (8, 19, 15, 6)[i - 1], len(heads[i])] + [len(r[i]) for r in rows]
            )
            for i in range(5)
        ]
        for cells in (heads, *rows):
            lines.append(
                f"{cells[0]:<{widths[0]}} "
                + " ".join(f"{c:>{w}}" for c, w in zip(cells[1:], widths[1:], strict=True))
            )
        return "\n".join(lines)


@dataclass(frozen=True, repr=False, eq=False)
class TippingPoints(_TableResult):
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
            cause=_cause(self.vocabulary, self.top_cause, t),
            evidence=_given(self.evidence, vocabulary=self.vocabulary, t=t),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the top cause, the posteriors and one record per number.

        Returns
        -------
        dict
            Plain JSON types (``json.dumps`` writes it as it is).
        """
        return {
            "evidence": dict(self.evidence),
            "top_cause": self.top_cause,
            "posterior": dict(self.posterior),
            "numbers": _records(self.table),
        }

    def _text(self, t: Translation) -> str:
        lines = [
            t.gettext("Evidence: {evidence}").format(
                evidence=_given(self.evidence, vocabulary=self.vocabulary, t=t)
            ),
            t.gettext("Most likely now: {cause}").format(
                cause=_cause(self.vocabulary, self.top_cause, t)
            ),
            "",
        ]
        if self.table.empty:
            return "\n".join(
                [*lines, t.gettext("No single number can change the most likely cause.")]
            )
        heads = (
            t.gettext("Number"),
            t.gettext("value"),
            t.gettext("flips at"),
            t.gettext("new top cause"),
        )
        words = (
            {i: t.number_text(self.vocabulary, self.numbers[i]) for i in self.table["number"]}
            if self.vocabulary is not None and self.numbers
            else {}
        )
        rows = [
            (
                words.get(row.number, row.label)[:56],
                _g(row.value, t),
                _g(row.flips_at, t),
                _cause(self.vocabulary, row.new_top_cause, t),
            )
            for row in self.table.itertuples()
        ]
        value_width, flip_width = max(8, len(heads[1])), max(9, len(heads[2]))
        for cells in (heads, *rows):
            lines.append(
                f"{cells[0]:<56} {cells[1]:>{value_width}} {cells[2]:>{flip_width}}  {cells[3]}"
            )
        return "\n".join(lines)


# -- credible intervals ------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class PosteriorIntervals(_TableResult):
    """Credible intervals for each cause's posterior, from uncertainty in the numbers.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by cause: ``posterior`` (the point value), ``mean``, ``lower``, ``upper``.
    level : float
        Probability mass inside each interval.
    n : int
        Number of models drawn.
    evidence : dict
        The evidence.
    labels : dict of str to str
        Each cause's label.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> bands = gb.load_model().posterior_interval({"fever": "yes"}, n=200, seed=1)
    >>> bands.level, list(bands.to_frame().columns)
    (0.9, ['posterior', 'mean', 'lower', 'upper'])
    """

    table: pd.DataFrame
    level: float
    n: int
    evidence: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    vocabulary: Any = field(default=None, repr=False, compare=False)  # for words

    def __repr__(self) -> str:
        return f"PosteriorIntervals({self.level:.0%} intervals from {self.n} drawn models)"

    def _heading(self, t: Translation) -> str:
        return t.gettext(
            "{level} credible intervals from {n} drawn models, given {evidence}"
        ).format(
            level=t.percent(self.level, decimals=0),
            n=self.n,
            evidence=_given(self.evidence, vocabulary=self.vocabulary, t=t),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: level, draws and each cause's point value and interval.

        Returns
        -------
        dict
            Plain JSON types (``json.dumps`` writes it as it is).
        """
        return {
            "evidence": dict(self.evidence),
            "level": self.level,
            "n": self.n,
            "causes": {
                str(cause): {column: _number(value) for column, value in row.items()}
                for cause, row in self.table.iterrows()
            },
        }

    def _text(self, t: Translation) -> str:
        lines = [self._heading(t), ""]
        names = [t.label(self.labels.get(str(c), str(c))) for c in self.table.index]
        heads = (t.gettext("Cause"), t.gettext("Posterior"), t.gettext("Interval"))
        span = t.gettext("{low} to {high}")
        rows = [
            (
                name,
                t.percent(row["posterior"]),
                span.format(low=t.percent(row["lower"]), high=t.percent(row["upper"])),
            )
            for name, (_, row) in zip(names, self.table.iterrows(), strict=True)
        ]
        width = max(len(name) for name in [*names, heads[0]])
        middle = max(9, len(heads[1]))
        last = max(17, len(heads[2]), *(len(r[2]) for r in rows))
        for cells in (heads, *rows):
            lines.append(f"{cells[0]:<{width}}  {cells[1]:>{middle}}  {cells[2]:>{last}}")
        return "\n".join(lines)


# -- conflict ----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class Conflict:
    """Hugin's conflict measure of a case, log2(P(e_1) ... P(e_n) / P(e)), with its parts.

    ``float(result)`` is the measure in bits, as :meth:`DiagnosticModel.conflict` returned
    before it returned this object; a format spec formats that number
    (``f"{result:+.2f}"``).

    Attributes
    ----------
    bits : float
        The measure: positive when the items are jointly less probable than if they were
        unrelated (they do not fit together: look at the case again); 0 for fewer than two
        items.
    table : pandas.DataFrame
        One row per evidence item (hard ones, then soft ones), indexed by ``name=state``:
        ``variable``, ``state`` (``"soft"`` for soft evidence) and ``probability``, P(e_i)
        (for soft evidence the likelihood-weighted sum, as in the measure).
    joint_probability : float
        P(e), all the items together (1 for no evidence).
    evidence, soft : dict
        The evidence measured.
    vocabulary : Vocabulary, optional
        For labels in the text and HTML.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> result = gb.load_model().conflict({"fever": "no", "local_redness_swelling": "yes"})
    >>> list(result.table.index)
    ['fever=no', 'local_redness_swelling=yes']
    >>> bool(abs(float(result) - result.bits) == 0)
    True
    """

    bits: float
    table: pd.DataFrame
    joint_probability: float
    evidence: dict[str, str] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)
    vocabulary: Any = field(default=None, repr=False, compare=False)

    def __float__(self) -> float:
        return float(self.bits)

    def __format__(self, spec: str) -> str:
        return format(self.bits, spec) if spec else str(self)

    def __repr__(self) -> str:
        return f"Conflict({self.bits:+.3f} bits; {len(self.table)} items)"

    def _verdict(self) -> str:
        if len(self.table) < 2:
            return "fewer than two items: nothing to conflict"
        if self.bits > 0:
            return "the items are less probable together than apart: look at the case again"
        return "the items support one another"

    def _heading(self) -> str:
        return f"Conflict: {_tidy(self.bits):+.3f} bits ({self._verdict()})"

    def to_frame(self) -> pd.DataFrame:
        """One row per evidence item with its probability P(e_i) (a copy).

        Returns
        -------
        pandas.DataFrame
            ``variable``, ``state``, ``probability``, indexed by ``name=state``.
        """
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the measure in bits, P(e) and one record per item.

        Returns
        -------
        dict
            Plain JSON types (``json.dumps`` writes it as it is).
        """
        return {
            "evidence": dict(self.evidence),
            "soft": {name: dict(values) for name, values in self.soft.items()},
            "conflict_bits": _number(self.bits),
            "joint_probability": _number(self.joint_probability),
            "items": _records(self.table.reset_index(drop=True)),
        }

    def __str__(self) -> str:
        lines = [f"Evidence: {_given(self.evidence, self.soft, self.vocabulary)}", self._heading()]
        if self.table.empty:
            return "\n".join(lines)
        names = [
            f"{self._label(variable)}: {_state(self.vocabulary, variable, state)}"
            for variable, state in zip(self.table["variable"], self.table["state"], strict=True)
        ]
        width = max(len(name) for name in [*names, "All items together"])
        lines += ["", f"{'Item':<{width}}  Probability"]
        for name, probability in zip(names, self.table["probability"], strict=True):
            lines.append(f"{name:<{width}}  {probability:11.4g}")
        lines.append(f"{'All items together':<{width}}  {self.joint_probability:11.4g}")
        return "\n".join(lines)

    def _label(self, variable: str) -> str:
        if self.vocabulary is not None and variable in self.vocabulary:
            return str(self.vocabulary.labels[variable])
        return variable

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self._heading())}</p>" + self.table.to_html(
            float_format=lambda x: f"{x:.4g}"
        )
