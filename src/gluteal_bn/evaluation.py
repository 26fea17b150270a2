"""Evaluate the model on labelled cases, and draw labelled cases from the model itself.

:func:`evaluate` scores a table of cases (evidence, as :meth:`DiagnosticModel.posterior_batch`
takes it) whose true state of one or more variables is known, and measures how good the
predicted probabilities are. It uses only the model's public API: ``posterior_batch`` for the
causes, ``query`` (once per distinct evidence pattern) for any other truth variable, such as a
subtype node.

Outcomes
    Every truth variable gives binary outcomes, "this variable is in this state". A two-state
    variable (a cause: ``no|yes``) gives one outcome named after it, its second (present)
    state. A variable with more states (a subtype such as ``spinal_type`` with states
    ``none|disc_herniation|...``) gives one outcome per state, named ``variable=state``, each
    scored one-vs-rest (the state ``none`` included). A blank truth cell leaves that row out
    of that variable's outcomes only.

Per outcome
    number of cases with a known truth, prevalence, Brier score, log loss, ROC AUC (all from
    scikit-learn's ``brier_score_loss``, ``log_loss``, ``roc_auc_score``), a reliability table
    (``bins`` equal-width bins of the predicted probability, closed on the right as in
    ``sklearn.calibration.calibration_curve``: count, mean predicted, observed frequency) and
    the expected calibration error, ECE = sum over bins of count / n * |observed - predicted|.
    AUC is undefined (NaN) when an outcome has only positives or only negatives.

Over the table: the most likely vs the true cause
    Among the causes given as truth (at least two), the *most likely cause* of a row is the one
    with the highest posterior. Only rows whose truth is known for every one of those causes
    count. The *true cause* is the present cause when exactly one is present; rows with several
    present are labelled ``(several)`` and rows with none ``(none)``. The confusion matrix has
    one row per true label (causes, then ``(several)``, ``(none)``) and one column per most
    likely cause. Top-1 accuracy is the share of rows with at least one cause present whose most
    likely cause is one of the present ones (a ``(none)`` row cannot be a hit or a miss: the
    model's ranking of causes always names one).

Confidence intervals
    Percentile bootstrap intervals (``n_boot`` resamples of the rows, with replacement, from
    ``seed``) for every metric. Each outcome is resampled on its own (and the accuracy on its
    own), compressed: rows with the same (prediction, truth) are interchangeable, so a resample
    is a table of counts over the distinct pairs (a multinomial draw when there are few pairs,
    counted row draws otherwise), and the metrics are computed from the counts, vectorised
    across resamples. On every table of counts these formulas equal scikit-learn's metrics
    with the counts as sample weights (tested). The ECE is biased upwards in small bins, and
    so is its resampled distribution: its interval can sit above the value.

:func:`sample_cases` draws cases by forward sampling from the model's CPTs (``cpd_table``),
vectorised over cases; cases drawn from the model are the self-consistency check: on them
calibration must be near perfect.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import numpy as np
import pandas as pd

from .errors import EvidenceError

if TYPE_CHECKING:
    from .model import DiagnosticModel
    from .vocabulary import Vocabulary

__all__ = ["METRICS", "Evaluation", "evaluate", "sample_cases"]

#: The metrics of each outcome that get a bootstrap interval, in table order.
METRICS = ("prevalence", "brier", "log_loss", "roc_auc", "ece")

SEVERAL = "(several)"
NONE = "(none)"

Truth: TypeAlias = "str | Sequence[str] | pd.DataFrame | Mapping[str, Any]"

# Working memory of one block of bootstrap resamples (counts per distinct pair).
_BLOCK_CELLS = 4_000_000


# -- the result --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """How well the model's probabilities match the known truth of a table of cases.

    Attributes
    ----------
    metrics : pandas.DataFrame
        One row per outcome (index ``outcome``): ``variable``, ``state``, ``label``, ``n``,
        ``positives``, then each of :data:`METRICS` with ``<metric>_lower`` and
        ``<metric>_upper`` (the bootstrap interval; NaN without bootstrap).
    reliability : pandas.DataFrame
        One row per outcome and bin (empty bins included): ``outcome``, ``bin``, ``lower``,
        ``upper``, ``count``, ``predicted`` (mean predicted probability) and ``observed``
        (share of positives); NaN in an empty bin.
    roc : mapping of str to pandas.DataFrame
        Per outcome, the ROC curve from ``sklearn.metrics.roc_curve``: ``fpr``, ``tpr``,
        ``threshold`` (empty where AUC is undefined).
    accuracy : float
        Top-1 accuracy of the most likely cause (NaN with fewer than two truth causes or no
        row with a cause present); ``accuracy_lower`` / ``accuracy_upper`` its interval.
    confusion : pandas.DataFrame or None
        Counts: rows the true label (causes, ``(several)``, ``(none)``), columns the most
        likely cause. None with fewer than two truth causes.
    n_cases : int
        Rows in the table.
    n_boot, level, seed, bins
        The settings the result was computed with.
    labels : mapping of str to str
        Words for every outcome and cause, for tables and plots (English).
    vocabulary : Vocabulary, optional
        The model's vocabulary, so that plots can put labels in another language.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> cases = model.sample_cases(2000, seed=1)
    >>> result = model.evaluate(cases, model.causes, n_boot=100, seed=2)
    >>> int(result.metrics.loc["local_infection", "n"])
    2000
    >>> bool(0.5 < result.metrics.loc["local_infection", "roc_auc"] <= 1)
    True
    """

    metrics: pd.DataFrame
    reliability: pd.DataFrame
    roc: Mapping[str, pd.DataFrame]
    accuracy: float
    accuracy_lower: float
    accuracy_upper: float
    confusion: pd.DataFrame | None
    n_cases: int
    n_boot: int
    level: float
    seed: int | None
    bins: int
    labels: Mapping[str, str] = field(default_factory=dict)
    vocabulary: Vocabulary | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roc", MappingProxyType(dict(self.roc)))
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The outcome names, in table order."""
        return tuple(self.metrics.index)

    def ece(self, outcome: str) -> float:
        """The expected calibration error of one outcome.

        Parameters
        ----------
        outcome : str
            A row of :attr:`metrics` (an outcome's name).

        Returns
        -------
        float
            Its ``ece`` column.
        """
        return float(cast(float, self.metrics.at[outcome, "ece"]))

    def reliability_of(self, outcome: str) -> pd.DataFrame:
        """The reliability table (one row per bin) of one outcome.

        Parameters
        ----------
        outcome : str
            A row of :attr:`metrics` (an outcome's name).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``bin``: ``lower``, ``upper``, ``count``, ``predicted``, ``observed``.
        """
        table = self.reliability[self.reliability["outcome"] == outcome]
        return table.drop(columns="outcome").set_index("bin")

    def to_frame(self) -> pd.DataFrame:
        """The per-outcome metrics with their intervals (a copy of :attr:`metrics`).

        Returns
        -------
        pandas.DataFrame
            One row per outcome.
        """
        return self.metrics.copy()

    def to_dict(self) -> dict[str, Any]:
        """Everything but the ROC curves as plain JSON types (NaN becomes None).

        Returns
        -------
        dict
            Ready for :func:`json.dumps`.
        """
        outcomes = {}
        for outcome, row in self.metrics.iterrows():
            entry: dict[str, Any] = {
                "variable": row["variable"],
                "state": row["state"],
                "label": row["label"],
                "n": int(row["n"]),
                "positives": int(row["positives"]),
            }
            for metric in METRICS:
                entry[metric] = {
                    "value": _number(row[metric]),
                    "lower": _number(row[f"{metric}_lower"]),
                    "upper": _number(row[f"{metric}_upper"]),
                }
            entry["reliability"] = [
                {
                    "lower": _number(b["lower"]),
                    "upper": _number(b["upper"]),
                    "count": int(b["count"]),
                    "predicted": _number(b["predicted"]),
                    "observed": _number(b["observed"]),
                }
                for _, b in self.reliability_of(str(outcome)).iterrows()
            ]
            outcomes[str(outcome)] = entry
        confusion = None
        if self.confusion is not None:
            confusion = {
                "true": list(self.confusion.index),
                "most_likely": list(self.confusion.columns),
                "counts": self.confusion.to_numpy().astype(int).tolist(),
            }
        return {
            "n_cases": self.n_cases,
            "outcomes": outcomes,
            "accuracy": {
                "value": _number(self.accuracy),
                "lower": _number(self.accuracy_lower),
                "upper": _number(self.accuracy_upper),
            },
            "confusion": confusion,
            "n_boot": self.n_boot,
            "level": self.level,
            "seed": self.seed,
            "bins": self.bins,
        }

    def __repr__(self) -> str:
        accuracy = "" if math.isnan(self.accuracy) else f", top-1 accuracy {self.accuracy:.1%}"
        return f"Evaluation({self.n_cases:,} cases, {len(self.metrics)} outcomes{accuracy})"

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, language: str | None = None) -> str:
        """The plain-text tables that ``print`` shows, in ``language``.

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

        Returns
        -------
        str
            One row per outcome (its interval under it), then the top-1 accuracy and the
            confusion matrix.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> result = model.evaluate(model.sample_cases(300, seed=1), model.causes, n_boot=0)
        >>> print(result.to_text("en").splitlines()[0])
        Evaluation on 300 cases (no bootstrap)
        """
        from .i18n import translation

        t = translation(language)
        if self.n_boot:
            how = t.gettext("({level} bootstrap intervals, {n_boot} resamples)").format(
                level=t.percent(self.level, decimals=0), n_boot=self.n_boot
            )
        else:
            how = t.gettext("(no bootstrap)")
        title = t.gettext("Evaluation on {n} cases").format(n=_count(t, self.n_cases))
        lines = [f"{title} {how}", ""]
        names = [self._outcome_text(t, str(o)) for o in self.metrics.index]
        outcome = t.gettext("Outcome")
        width = max(len(name) for name in [*names, outcome])
        heads = (
            t.gettext("Prevalence"),
            t.gettext("Brier"),
            t.gettext("Log loss"),
            "ROC AUC",
            "ECE",
        )
        lines.append(f"{outcome:<{width}}  {'n':>9}" + "".join(f"{h:>{_CELL}}" for h in heads))
        for name, (_, row) in zip(names, self.metrics.iterrows(), strict=True):
            lines.append(
                f"{name:<{width}}  {_count(t, int(row['n'])):>9}"
                + "".join(_value(t, row[m], m).rjust(_CELL) for m in METRICS)
            )
            if self.n_boot:
                lines.append(
                    f"{'':<{width}}  {'':>9}"
                    + "".join(
                        _interval(t, row[f"{m}_lower"], row[f"{m}_upper"], m).rjust(_CELL)
                        for m in METRICS
                    )
                )
        if self.confusion is not None:
            accuracy = t.gettext("Top-1 accuracy: {accuracy}").format(
                accuracy=_percent(t, self.accuracy)
            )
            if self.n_boot and not math.isnan(self.accuracy):
                accuracy += " " + t.gettext("({lower} to {upper})").format(
                    lower=_percent(t, self.accuracy_lower), upper=_percent(t, self.accuracy_upper)
                )
            lines += ["", accuracy, ""]
            lines.append(t.gettext("Most likely cause (columns) by true cause (rows):"))
            lines.append(self._confusion_text(t))
        lines.append("")
        if self.n_boot:
            lines.append(
                t.gettext(
                    "ECE: expected calibration error; the interval of each value is under it."
                )
            )
        else:
            lines.append(t.gettext("ECE: expected calibration error."))
        return "\n".join(lines)

    def _outcome_text(self, t: Any, outcome: str) -> str:
        """An outcome, a cause or the special rows of the confusion matrix, in words."""
        if outcome == SEVERAL:
            return str(t.gettext("Several causes present"))
        if outcome == NONE:
            return str(t.gettext("No cause present"))
        if outcome not in self.metrics.index or self.vocabulary is None:
            if self.vocabulary is not None and outcome in self.vocabulary:
                return str(t.variable(self.vocabulary, outcome))
            return self.labels.get(outcome, outcome)
        variable = str(self.metrics.at[outcome, "variable"])
        words = str(t.variable(self.vocabulary, variable))
        if outcome == variable:
            return words
        state = str(self.metrics.at[outcome, "state"])
        return f"{words}: {t.state(self.vocabulary, variable, state)}"

    def _confusion_text(self, t: Any) -> str:
        assert self.confusion is not None
        table = self.confusion
        columns = [str(c) for c in table.columns]
        keys = [f"C{i + 1}" for i in range(len(columns))]
        rows = [self._outcome_text(t, str(r)) for r in table.index]
        true = t.gettext("True")
        width = max(len(r) for r in [*rows, true]) + 5
        cells = [_count(t, int(v)) for v in table.to_numpy().ravel()]
        cell = max(6, *(len(c) for c in cells))
        out = [f"{true:<{width}}" + "".join(f"{k:>{cell + 2}}" for k in keys)]
        for i, (name, (_, row)) in enumerate(zip(rows, table.iterrows(), strict=True)):
            key = f"C{i + 1} " if i < len(keys) else "   "
            out.append(
                f"{key + name:<{width}}"
                + "".join(f"{_count(t, int(v)):>{cell + 2}}" for v in row.to_numpy())
            )
        out.append(
            "  ".join(
                f"{k} = {self._outcome_text(t, c)}" for k, c in zip(keys, columns, strict=True)
            )
        )
        return "\n".join(out)

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{h}</th>"
            for h in ("Outcome", "n", "Prevalence", "Brier", "Log loss", "ROC AUC", "ECE")
        )
        body = []
        for outcome, row in self.metrics.iterrows():
            cells = [
                html.escape(self.labels.get(str(outcome), str(outcome))),
                f"{int(row['n']):,}",
            ]
            for metric, style in zip(METRICS, (".1%", ".3f", ".3f", ".3f", ".3f"), strict=True):
                value = "n/a" if math.isnan(row[metric]) else format(row[metric], style)
                if self.n_boot and not math.isnan(row[f"{metric}_lower"]):
                    low = format(row[f"{metric}_lower"], style)
                    high = format(row[f"{metric}_upper"], style)
                    value += f"<br><small>{low}&ndash;{high}</small>"
                cells.append(value)
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts = [
            f"<p><b>Evaluation on {self.n_cases:,} cases</b>"
            + (
                f" ({self.level:.0%} bootstrap intervals, {self.n_boot} resamples)"
                if self.n_boot
                else ""
            )
            + "</p>",
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
        ]
        if self.confusion is not None:
            from .i18n import translation

            en = translation("en")
            accuracy = _percent(en, self.accuracy)
            if self.n_boot and not math.isnan(self.accuracy):
                low, high = _percent(en, self.accuracy_lower), _percent(en, self.accuracy_upper)
                interval = f"{low}&ndash;{high}"
                accuracy += f" ({interval})"
            columns = "".join(
                f"<th>{html.escape(self.labels.get(str(c), str(c)))}</th>"
                for c in self.confusion.columns
            )
            rows = "".join(
                f"<tr><th>{html.escape(self.labels.get(str(t), str(t)))}</th>"
                + "".join(f"<td>{int(v):,}</td>" for v in row.to_numpy())
                + "</tr>"
                for t, row in self.confusion.iterrows()
            )
            parts += [
                f"<p>Top-1 accuracy: {accuracy}</p>",
                "<table><caption>True cause (rows) by most likely cause (columns)</caption>"
                f"<thead><tr><th></th>{columns}</tr></thead><tbody>{rows}</tbody></table>",
            ]
        return "".join(parts)


def _number(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


_CELL = 13  # width of a metric column in the text table


def _count(t: Any, n: int) -> str:
    """A whole number with thousands separated (a narrow space in Russian)."""
    text = f"{n:,}"
    return text.replace(",", "\u202f") if t.language == "ru" else text


def _value(t: Any, value: float, metric: str) -> str:
    if math.isnan(value):
        return "n/a"
    return t.percent(value) if metric == "prevalence" else t.number(value, 3)


def _interval(t: Any, low: float, high: float, metric: str) -> str:
    if math.isnan(low):
        return ""
    if metric == "prevalence":
        return f"{t.number(100 * low, 1)}-{t.percent(high)}"
    return f"{t.number(low, 3)}-{t.number(high, 3)}"


def _percent(t: Any, value: float) -> str:
    return "n/a" if math.isnan(value) else str(t.percent(value))


# -- evaluation --------------------------------------------------------------------------------


def evaluate(
    model: DiagnosticModel,
    cases: pd.DataFrame,
    truth: Truth,
    *,
    n_boot: int = 200,
    seed: int | None = None,
    bins: int = 10,
    level: float = 0.95,
) -> Evaluation:
    """Measure the model's probabilities against the known truth of each case.

    See the module docstring for the definitions (outcomes, true cause, intervals).

    Parameters
    ----------
    model : DiagnosticModel
    cases : pandas.DataFrame
        The evidence, one column per observed variable, as :meth:`posterior_batch` takes it.
    truth : str, sequence of str, DataFrame or mapping
        The known states: names of columns of ``cases`` (each named after a variable, such as
        a cause; they are taken out of the evidence); or a DataFrame with one column per
        variable and one row per case (in the order of ``cases``); or a mapping of variable
        name to a column name of ``cases`` or to a sequence of states. Blank cells (NaN,
        None, empty text) mean "unknown". A column of ``cases`` holding the subtype of a
        truth cause, or the cause of a truth subtype, is left out of the evidence too (it
        would give the answer away), so the hidden columns of :func:`sample_cases` may stay.
    n_boot : int, default 200
        Bootstrap resamples for the intervals (0: no intervals).
    seed : int, optional
        Makes the bootstrap reproducible.
    bins : int, default 10
        Equal-width bins of the predicted probability in the reliability tables.
    level : float, default 0.95
        Probability mass inside each interval.

    Returns
    -------
    Evaluation

    Raises
    ------
    EvidenceError
        For a bad case (as :meth:`posterior_batch`), an empty table, a truth column that is
        missing, not a variable, also given as evidence, blank in every row, or holds a value
        that is not a state; or a bad option.

    Examples
    --------
    >>> import pandas as pd
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> cases = pd.DataFrame({
    ...     "fever": ["yes", "no", "no", None],
    ...     "local_redness_swelling": ["yes", "no", "yes", "no"],
    ...     "local_infection": ["yes", "no", "yes", "no"],
    ... })
    >>> result = gb.evaluate(model, cases, "local_infection", n_boot=0)
    >>> float(result.metrics.loc["local_infection", "roc_auc"])
    1.0
    """
    _check_options(n_boot, seed, bins, level)
    if not isinstance(cases, pd.DataFrame):
        raise EvidenceError(
            f"cases must be a pandas DataFrame with one column per observed variable; "
            f"got {type(cases).__name__}"
        )
    if len(cases) == 0:
        raise EvidenceError("cases is empty: there is no case to evaluate")
    evidence, truth_columns = _split_truth(model, cases, truth)
    codes = {
        variable: _truth_codes(column, variable, model.states(variable), cases.index)
        for variable, column in truth_columns.items()
    }
    posteriors = model.posterior_batch(evidence)  # checks every evidence cell
    probabilities = _probabilities(model, evidence, posteriors, list(codes))

    rng = np.random.default_rng(seed)
    tail = (1 - level) / 2
    labels = {**model.labels, SEVERAL: "Several causes present", NONE: "No cause present"}
    metric_rows, reliability_rows, roc = [], [], {}
    for variable, truth_codes in codes.items():
        states = model.states(variable)
        positive_states = [states[1]] if len(states) == 2 else list(states)
        for state in positive_states:
            outcome = variable if len(states) == 2 else f"{variable}={state}"
            if outcome != variable:
                words = model.vocabulary.state_label(variable, state)
                labels[outcome] = f"{model.labels[variable]}: {words}"
            known = truth_codes >= 0
            y = (truth_codes[known] == states.index(state)).astype(np.int8)
            p = probabilities[variable][known, states.index(state)]
            row, table, curve = _outcome_metrics(y, p, bins, n_boot, rng, tail)
            metric_rows.append({"outcome": outcome, "variable": variable, "state": state, **row})
            reliability_rows.append(table.assign(outcome=outcome))
            roc[outcome] = curve
    metrics = pd.DataFrame(metric_rows).set_index("outcome")
    metrics.insert(2, "label", [labels.get(o, o) for o in metrics.index])
    reliability = pd.concat(reliability_rows, ignore_index=True)
    reliability = reliability[["outcome", *[c for c in reliability if c != "outcome"]]]

    causes = [v for v in codes if v in model.causes]
    accuracy = lower = upper = math.nan
    confusion = None
    if len(causes) >= 2:
        accuracy, lower, upper, confusion = _top_cause(
            model, causes, codes, posteriors, n_boot, rng, tail
        )
    return Evaluation(
        metrics=metrics,
        reliability=reliability,
        roc=roc,
        accuracy=accuracy,
        accuracy_lower=lower,
        accuracy_upper=upper,
        confusion=confusion,
        n_cases=len(cases),
        n_boot=n_boot,
        level=level,
        seed=seed,
        bins=bins,
        labels=labels,
        vocabulary=model.vocabulary,
    )


def _check_options(n_boot: Any, seed: Any, bins: Any, level: Any) -> None:
    whole = (int, np.integer)
    if isinstance(n_boot, bool) or not isinstance(n_boot, whole) or n_boot < 0:
        raise EvidenceError(f"n_boot must be a whole number >= 0 (0: no intervals); got {n_boot!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, whole)):
        raise EvidenceError(f"seed must be a whole number or None; got {seed!r}")
    if isinstance(bins, bool) or not isinstance(bins, whole) or bins < 1:
        raise EvidenceError(f"bins must be a whole number >= 1; got {bins!r}")
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise EvidenceError(f"level must be a probability strictly between 0 and 1; got {level!r}")


def _split_truth(
    model: DiagnosticModel, cases: pd.DataFrame, truth: Truth
) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The evidence (truth columns of ``cases`` removed) and variable -> truth column."""
    columns: dict[str, Any] = {}
    taken: list[str] = []
    if isinstance(truth, str):
        truth = [truth]
    if isinstance(truth, pd.DataFrame):
        if truth.columns.has_duplicates:
            twice = sorted(set(truth.columns[truth.columns.duplicated()]))
            raise EvidenceError(f"truth has more than one column named {twice}")
        columns = {str(name): truth[name] for name in truth.columns}
    elif isinstance(truth, Mapping):
        for variable, column in truth.items():
            if isinstance(column, str):
                columns[variable] = _case_column(cases, column)
                taken.append(column)
            else:
                columns[variable] = column
    elif isinstance(truth, Iterable):
        for column in truth:
            if not isinstance(column, str):
                raise EvidenceError(
                    f"truth column names must be text; got {column!r} ({type(column).__name__})"
                )
            if column in columns:
                raise EvidenceError(f"truth names column {column!r} twice")
            columns[column] = _case_column(cases, column)
            taken.append(column)
    else:
        raise EvidenceError(
            "truth must be a column name of cases, a list of them, a DataFrame or a mapping "
            f"of variable to states; got {type(truth).__name__}"
        )
    if not columns:
        raise EvidenceError("truth names no variable: give at least one truth column")
    result = {}
    for variable, column in columns.items():
        if variable not in model.variables:
            raise EvidenceError(
                f"truth {variable!r} is not a variable of this model; expected one of "
                f"{list(model.causes)} or another variable of the model"
            )
        values = column if isinstance(column, pd.Series) else pd.Series(list(column))
        if len(values) != len(cases):
            raise EvidenceError(
                f"truth {variable!r} has {len(values):,} values but cases has "
                f"{len(cases):,} rows; give one truth value per case (blank for unknown)"
            )
        result[variable] = values
    evidence = cases.drop(columns=taken)
    # A truth cause's subtype, or a truth subtype's group, would give the answer away (the
    # subtype is ``none`` exactly when its group is absent): it is truth, not evidence.
    vocabulary = model.vocabulary
    related = [vocabulary.subtype_of(v) for v in result if v in model.causes]
    related += [vocabulary[v].group for v in result if v in vocabulary.subtypes]
    revealing = [v for v in related if v and v not in result and v in evidence.columns]
    evidence = evidence.drop(columns=revealing)
    both = [variable for variable in result if variable in evidence.columns]
    if both:
        raise EvidenceError(
            f"{both[0]!r} is both a truth variable and a column of evidence in cases; "
            "the model would be given the answer: drop it from the evidence"
        )
    return evidence, result


def _case_column(cases: pd.DataFrame, column: str) -> pd.Series:
    if column not in cases.columns:
        raise EvidenceError(
            f"truth column {column!r} is not a column of cases; its columns are "
            f"{[str(c) for c in cases.columns]}"
        )
    return cases[column]


def _truth_codes(
    column: pd.Series, variable: str, states: tuple[str, ...], index: pd.Index
) -> np.ndarray:
    """Each row's state index (-1 for a blank); EvidenceError for a value that is not a state."""
    if isinstance(column.dtype, pd.CategoricalDtype):  # one look-up per category, not per cell
        codes, distinct = column.cat.codes.to_numpy(), column.cat.categories.to_numpy(object)
    else:
        codes, distinct = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    lookup = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last entry: blank (code -1)
    for position, value in enumerate(distinct):
        if isinstance(value, str) and value in states:
            lookup[position] = states.index(value)
        elif isinstance(value, str) and value.strip() == "":
            continue  # an empty cell is a blank
        else:
            if not (codes == position).any():
                continue  # an unused category
            row = int(np.argmax(codes == position))
            raise EvidenceError(
                f"truth {variable!r}, row {index[row]!r}: {value!r} is not a state of "
                f"{variable}; expected one of {list(states)} (or a blank for unknown)"
            )
    result = lookup[codes]
    if (result < 0).all():
        raise EvidenceError(
            f"truth {variable!r} is blank in every row: there is nothing to evaluate it against"
        )
    return result


def _probabilities(
    model: DiagnosticModel,
    evidence: pd.DataFrame,
    posteriors: pd.DataFrame,
    variables: list[str],
) -> dict[str, np.ndarray]:
    """variable -> (rows x states) predicted probabilities, from the public API."""
    result = {}
    others = [v for v in variables if v not in model.causes]
    for variable in variables:
        if variable in model.causes:
            present = posteriors[variable].to_numpy(dtype=float)
            result[variable] = np.column_stack([1 - present, present])
    if others:
        # Any other variable (a subtype, a finding): one exact query per distinct pattern.
        factorized = [pd.factorize(evidence[c].to_numpy(dtype=object)) for c in evidence.columns]
        if factorized:
            matrix = np.column_stack([codes for codes, _ in factorized])
            patterns, inverse = np.unique(matrix, axis=0, return_inverse=True)
        else:
            patterns, inverse = np.zeros((1, 0), dtype=np.intp), np.zeros(len(evidence), int)
        inverse = np.asarray(inverse).reshape(-1)
        tables = {v: np.empty((len(patterns), len(model.states(v)))) for v in others}
        for k, pattern in enumerate(patterns):
            case = {
                str(column): str(uniques[code])
                for column, code, (_, uniques) in zip(
                    evidence.columns, pattern, factorized, strict=True
                )
                if code >= 0
            }
            marginals = model.query(others, case)
            for variable in others:
                tables[variable][k] = marginals[variable].to_numpy()
        for variable in others:
            result[variable] = tables[variable][inverse]
    return result


def _outcome_metrics(
    y: np.ndarray,
    p: np.ndarray,
    bins: int,
    n_boot: int,
    rng: np.random.Generator,
    tail: float,
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """Point metrics (scikit-learn), reliability table, ROC curve and intervals of one outcome."""
    from sklearn.metrics import auc, brier_score_loss, log_loss, roc_curve

    n = len(y)
    positives = int(y.sum())
    both = 0 < positives < n
    row: dict[str, Any] = {
        "n": n,
        "positives": positives,
        "prevalence": positives / n,
        "brier": float(brier_score_loss(y, p, pos_label=1)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "roc_auc": math.nan,
    }
    curve = pd.DataFrame({"fpr": [], "tpr": [], "threshold": []})
    if both:
        # roc_auc_score is the area under roc_curve (sklearn computes it so): sort once.
        fpr, tpr, threshold = roc_curve(y, p)
        row["roc_auc"] = float(auc(fpr, tpr))
        curve = pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": threshold})
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.searchsorted(edges[1:-1], p)  # as sklearn.calibration.calibration_curve
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        predicted = np.bincount(which, weights=p, minlength=bins) / count
        observed = np.bincount(which, weights=y, minlength=bins) / count
    table = pd.DataFrame(
        {
            "bin": np.arange(bins),
            "lower": edges[:-1],
            "upper": edges[1:],
            "count": count,
            "predicted": predicted,
            "observed": observed,
        }
    )
    seen = count > 0
    row["ece"] = float(np.sum(count[seen] * np.abs(observed[seen] - predicted[seen])) / n)
    for metric in METRICS:
        row[f"{metric}_lower"] = row[f"{metric}_upper"] = math.nan
    if n_boot:
        cells = Cells.of(y, p, bins)
        draws = cells.bootstrap(n_boot, rng)
        for metric in METRICS:
            values = draws[metric]
            values = values[~np.isnan(values)]
            if len(values):
                row[f"{metric}_lower"], row[f"{metric}_upper"] = np.quantile(
                    values, [tail, 1 - tail]
                )
    return row, table, curve


@dataclass(frozen=True)
class Cells:
    """One outcome's rows compressed to distinct predictions, with counts of each truth.

    ``p`` is sorted ascending and unique; ``positives[j]`` / ``negatives[j]`` count the rows
    predicted ``p[j]`` whose outcome is 1 / 0; ``bin_starts`` are the first cell of each
    non-empty reliability bin. Every metric is a function of the counts, so a bootstrap
    resample of the rows is a resample of the counts.
    """

    p: np.ndarray
    positives: np.ndarray
    negatives: np.ndarray
    bin_starts: np.ndarray

    @classmethod
    def of(cls, y: np.ndarray, p: np.ndarray, bins: int) -> Cells:
        distinct, inverse = np.unique(p, return_inverse=True)
        inverse = np.asarray(inverse).reshape(-1)
        positives = np.bincount(inverse, weights=y, minlength=len(distinct))
        negatives = np.bincount(inverse, minlength=len(distinct)) - positives
        edges = np.linspace(0.0, 1.0, bins + 1)
        which = np.searchsorted(edges[1:-1], distinct)
        starts = np.flatnonzero(np.r_[True, which[1:] != which[:-1]])
        return cls(distinct, positives, negatives, starts)

    def metrics(self, positives: np.ndarray, negatives: np.ndarray) -> dict[str, np.ndarray]:
        """Each metric for each row of counts (resamples x cells), vectorised.

        With the counts of the data themselves these equal scikit-learn's (log loss clipped
        to [eps, 1 - eps] as scikit-learn does).
        """
        p = self.p
        n_pos = positives.sum(axis=1)
        n_neg = negatives.sum(axis=1)
        n = n_pos + n_neg
        eps = np.finfo(float).eps
        loss_pos = -np.log(np.clip(p, eps, 1 - eps))
        loss_neg = -np.log(np.clip(1 - p, eps, 1 - eps))
        below = np.cumsum(negatives, axis=1) - negatives  # negatives strictly below each cell
        with np.errstate(invalid="ignore", divide="ignore"):
            auc = (positives * (below + negatives / 2)).sum(axis=1) / (n_pos * n_neg)
        total = positives + negatives
        gap = np.add.reduceat(positives, self.bin_starts, axis=1) - np.add.reduceat(
            total * p, self.bin_starts, axis=1
        )
        return {
            "prevalence": n_pos / n,
            "brier": (positives @ (1 - p) ** 2 + negatives @ p**2) / n,
            "log_loss": (positives @ loss_pos + negatives @ loss_neg) / n,
            "roc_auc": auc,
            "ece": np.abs(gap).sum(axis=1) / n,
        }

    def bootstrap(self, n_boot: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Each metric on ``n_boot`` resamples of the rows (multinomial draws of the counts)."""
        counts = np.concatenate([self.positives, self.negatives]).astype(np.int64)
        n = int(counts.sum())
        block = max(1, _BLOCK_CELLS // max(n, len(counts)))
        parts: dict[str, list[np.ndarray]] = {}
        half = len(self.p)
        for start in range(0, n_boot, block):
            drawn = _resample_counts(counts, min(block, n_boot - start), rng).astype(float)
            for metric, values in self.metrics(drawn[:, :half], drawn[:, half:]).items():
                parts.setdefault(metric, []).append(values)
        return {metric: np.concatenate(values) for metric, values in parts.items()}


def _resample_counts(counts: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` bootstrap resamples of rows, as counts per cell (resamples x cells).

    Resampling n rows with replacement makes the counts Multinomial(n, counts / n). With
    few filled cells numpy draws that directly (about 250 ns a cell); with about as many
    cells as rows, drawing n row numbers and counting them per cell is ten times cheaper.
    """
    n = int(counts.sum())
    filled = np.flatnonzero(counts)
    drawn = np.zeros((size, len(counts)), dtype=np.int64)
    if 25 * len(filled) < n:
        drawn[:, filled] = rng.multinomial(n, counts[filled] / n, size=size)
        return drawn
    cell_of_row = np.repeat(filled, counts[filled])  # n < 2**31: int32 row numbers
    cells = cell_of_row[rng.integers(0, n, size=(size, n), dtype=np.int32)]
    cells += np.arange(size)[:, None] * len(counts)
    return np.bincount(cells.ravel(), minlength=size * len(counts)).reshape(size, -1)


def _top_cause(
    model: DiagnosticModel,
    causes: list[str],
    codes: Mapping[str, np.ndarray],
    posteriors: pd.DataFrame,
    n_boot: int,
    rng: np.random.Generator,
    tail: float,
) -> tuple[float, float, float, pd.DataFrame]:
    """Top-1 accuracy with its interval, and the confusion matrix (see the module docstring)."""
    from sklearn.metrics import confusion_matrix

    truth = np.column_stack([codes[c] for c in causes])
    known = (truth >= 0).all(axis=1)
    present = truth[known] == 1
    predicted = posteriors[causes].to_numpy()[known].argmax(axis=1)
    count = present.sum(axis=1)
    k = len(causes)
    true_label = np.where(count == 1, present.argmax(axis=1), np.where(count > 1, k, k + 1))
    matrix = confusion_matrix(true_label, predicted, labels=np.arange(k + 2))[:, :k]
    confusion = pd.DataFrame(
        matrix,
        index=pd.Index([*causes, SEVERAL, NONE], name="true"),
        columns=pd.Index(causes, name="most_likely"),
    )
    scored = count > 0
    m = int(scored.sum())
    if m == 0:
        return math.nan, math.nan, math.nan, confusion
    hits = int(present[scored, predicted[scored]].sum())
    accuracy = hits / m
    lower = upper = math.nan
    if n_boot:
        # The multinomial bootstrap over two cells (hit, miss) is a binomial draw.
        draws = rng.binomial(m, accuracy, size=n_boot) / m
        lower, upper = (float(q) for q in np.quantile(draws, [tail, 1 - tail]))
    return accuracy, lower, upper, confusion


# -- cases from the model ----------------------------------------------------------------------


def sample_cases(
    model: DiagnosticModel,
    n: int,
    *,
    seed: int | np.random.Generator | None = None,
    observed: Iterable[str] | None = None,
    missing: float | Mapping[str, float] = 0.0,
) -> pd.DataFrame:
    """Draw ``n`` cases from the model itself, with every variable's true state.

    Forward sampling: each variable, parents first, is drawn from its CPT
    (:meth:`DiagnosticModel.cpd_table`) given its parents' drawn states, for all cases at once.

    Parameters
    ----------
    model : DiagnosticModel
    n : int
        Number of cases.
    seed : int or numpy Generator, optional
        Makes the draw reproducible.
    observed : iterable of str, optional
        The variables that are evidence (by default the risk factors and findings). They
        come first, in the model's order; the other variables follow, complete: the truth.
    missing : float or mapping of str to float, default 0
        Probability that an observed cell is left blank (not observed), for every observed
        variable or per variable; blanks are independent of everything else.

    Returns
    -------
    pandas.DataFrame
        One row per case, one categorical column per variable (its states as categories;
        NaN where blank). Pass the hidden columns as ``truth`` to :func:`evaluate`, which
        takes them out of the evidence.

    Raises
    ------
    EvidenceError
        For an unknown variable, a bad ``n`` or a missing rate outside [0, 1].

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> cases = model.sample_cases(5, seed=1, observed=["fever", "age"])
    >>> list(cases.columns)[:3]
    ['age', 'fever', 'smoker']
    >>> cases.equals(model.sample_cases(5, seed=1, observed=["fever", "age"]))
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise EvidenceError(f"n must be a whole number of cases >= 0; got {n!r}")
    if n > 2**40:  # numpy cannot even shape the array (10**400 raised a bare ValueError)
        raise EvidenceError(f"n must be a whole number of cases >= 0; got {n!r}, too many")
    variables = list(model.variables)
    shown = [*model.risk_factors, *model.findings] if observed is None else _names(model, observed)
    rates = _missing_rates(model, shown, missing)
    rng = np.random.default_rng(seed)
    drawn: dict[str, np.ndarray] = {}
    for variable in _parents_first(model):
        table = model.cpd_table(variable)
        parents = model.parents(variable)
        cumulative = np.cumsum(table.to_numpy(), axis=1)
        if parents:
            dims = [len(model.states(p)) for p in parents]
            row = np.ravel_multi_index(tuple(drawn[p] for p in parents), dims)
        else:
            row = np.zeros(n, dtype=np.intp)
        u = rng.random(n)
        limits = cumulative[row]
        state = (u[:, None] >= limits[:, :-1]).sum(axis=1)  # the last limit is 1 (rounding)
        drawn[variable] = state.astype(np.int64)
    columns = {}
    ordered = [v for v in variables if v in shown] + [v for v in variables if v not in shown]
    for variable in ordered:
        codes = drawn[variable]
        rate = rates.get(variable, 0.0)
        if rate > 0:
            codes = np.where(rng.random(n) < rate, -1, codes)
        states = pd.Index(model.states(variable))
        columns[variable] = pd.Categorical.from_codes(codes, categories=states)
    return pd.DataFrame(columns)


def _names(model: DiagnosticModel, names: Iterable[str]) -> list[str]:
    if isinstance(names, str):
        names = [names]
    names = list(names)
    for name in names:
        if name not in model.variables:
            model.states(name)  # the model's own EvidenceError, with the closest name
    return names


def _missing_rates(
    model: DiagnosticModel, shown: list[str], missing: float | Mapping[str, float]
) -> dict[str, float]:
    rates = dict(missing) if isinstance(missing, Mapping) else dict.fromkeys(shown, missing)
    for name, rate in rates.items():
        if name not in shown:
            raise EvidenceError(
                f"missing rate given for {name!r}, which is not an observed variable; "
                f"observed: {shown}"
            )
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise EvidenceError(
                f"missing rate of {name!r} must be a probability in [0, 1]; got {rate!r}"
            )
    return {name: float(rate) for name, rate in rates.items()}


def _parents_first(model: DiagnosticModel) -> list[str]:
    """The variables in an order where every parent comes before its children."""
    order: list[str] = []
    placed: set[str] = set()
    pending = list(model.variables)
    while pending:
        ready = [v for v in pending if set(model.parents(v)) <= placed]
        order += ready
        placed.update(ready)
        pending = [v for v in pending if v not in placed]
    return order
