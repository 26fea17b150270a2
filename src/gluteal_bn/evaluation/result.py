"""The result of :func:`~gluteal_bn.evaluation.evaluate`: metrics, reliability, ROC curves and
the confusion matrix, as data, and as tables people read (:mod:`gluteal_bn.display`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from ..display import Column, DisplayedTable, Html, escape, html_table, text_table
from .metrics import METRICS, NONE, SEVERAL

if TYPE_CHECKING:
    from ..i18n import Translation
    from ..vocabulary import Vocabulary

__all__ = ["Evaluation"]


@dataclass(frozen=True)
class Evaluation(DisplayedTable):
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
    >>> small = model.evaluate(model.sample_cases(300, seed=1), model.causes, n_boot=0)
    >>> print(small.to_text("en").splitlines()[0])
    Evaluation on 300 cases (no bootstrap)
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
        """The expected calibration error of one outcome: its ``ece`` in :attr:`metrics`.

        Parameters
        ----------
        outcome : str
            The outcome's name, as in :attr:`outcomes`.

        Returns
        -------
        float
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

    # -- what a person reads (str, to_text, to_html: see gluteal_bn.display) ----------------------

    def _heads(self, t: Translation) -> list[Column]:
        """The outcome table's columns: outcome, n and one per metric."""
        words = (
            t.gettext("Prevalence"),
            t.gettext("Brier"),
            t.gettext("Log loss"),
            t.gettext("ROC AUC"),
            t.gettext("ECE"),
        )
        return [
            Column(t.gettext("Outcome"), "<"),
            Column("n", width=9),
            *(Column(word, width=_CELL, gap="") for word in words),
        ]

    def _title(self, t: Translation) -> str:
        if self.n_boot:
            how = t.gettext("({level} bootstrap intervals, {n_boot} resamples)").format(
                level=t.percent(self.level, decimals=0), n_boot=self.n_boot
            )
        else:
            how = t.gettext("(no bootstrap)")
        return t.gettext("Evaluation on {n} cases").format(n=_count(t, self.n_cases)) + " " + how

    def _accuracy(self, t: Translation) -> str:
        accuracy = t.gettext("Top-1 accuracy: {accuracy}").format(
            accuracy=_percent(t, self.accuracy)
        )
        if self.n_boot and not math.isnan(self.accuracy):
            accuracy += " " + t.gettext("({lower} to {upper})").format(
                lower=_percent(t, self.accuracy_lower), upper=_percent(t, self.accuracy_upper)
            )
        return accuracy

    def _text(self, t: Translation) -> str:
        rows = []
        for outcome, row in self.metrics.iterrows():
            rows.append(
                [
                    self._outcome_text(t, str(outcome)),
                    _count(t, int(row["n"])),
                    *(_value(t, row[m], m) for m in METRICS),
                ]
            )
            if self.n_boot:
                intervals = (_interval(t, row[f"{m}_lower"], row[f"{m}_upper"], m) for m in METRICS)
                rows.append(["", "", *intervals])
        lines = [self._title(t), "", *text_table(self._heads(t), rows)]
        if self.confusion is not None:
            lines += ["", self._accuracy(t), ""]
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

    def _outcome_text(self, t: Translation, outcome: str) -> str:
        """An outcome, a cause or the special rows of the confusion matrix, in words."""
        if outcome == SEVERAL:
            return t.gettext("Several causes present")
        if outcome == NONE:
            return t.gettext("No cause present")
        if outcome not in self.metrics.index or self.vocabulary is None:
            if self.vocabulary is not None and outcome in self.vocabulary:
                return t.variable(self.vocabulary, outcome)
            return self.labels.get(outcome, outcome)
        variable = str(self.metrics.at[outcome, "variable"])
        words = t.variable(self.vocabulary, variable)
        if outcome == variable:
            return words
        state = str(self.metrics.at[outcome, "state"])
        return f"{words}: {t.state(self.vocabulary, variable, state)}"

    def _confusion_text(self, t: Translation) -> str:
        assert self.confusion is not None
        table = self.confusion
        keys = [f"C{i + 1}" for i in range(len(table.columns))]
        names = [self._outcome_text(t, str(r)) for r in table.index]
        true = t.gettext("True")
        counts = [[_count(t, int(v)) for v in row] for row in table.to_numpy()]
        cell = max(6, *(len(c) for row in counts for c in row))
        columns = [
            Column(true, "<", max(len(r) for r in [*names, true]) + 5),
            *(Column(key, width=cell + 2, gap="") for key in keys),
        ]
        rows = [
            [(f"{keys[i]} " if i < len(keys) else "   ") + name, *row]
            for i, (name, row) in enumerate(zip(names, counts, strict=True))
        ]
        legend = "  ".join(
            f"{key} = {self._outcome_text(t, str(c))}"
            for key, c in zip(keys, table.columns, strict=True)
        )
        return "\n".join([*text_table(columns, rows), legend])

    def _html(self, t: Translation) -> str:
        rows = []
        for outcome, row in self.metrics.iterrows():
            cells: list[object] = [self._outcome_text(t, str(outcome)), _count(t, int(row["n"]))]
            for metric in METRICS:
                value = escape(_value(t, row[metric], metric))
                interval = _interval(t, row[f"{metric}_lower"], row[f"{metric}_upper"], metric)
                if self.n_boot and interval:
                    value += f"<br><small>{escape(interval.replace('-', _DASH))}</small>"
                cells.append(Html(value))
            rows.append(cells)
        parts = [f"<p><b>{escape(self._title(t))}</b></p>", html_table(self._heads(t), rows)]
        if self.confusion is not None:
            columns = [
                Column("", "<"),
                *(Column(self._outcome_text(t, str(c))) for c in self.confusion.columns),
            ]
            counts = [
                [self._outcome_text(t, str(name)), *(_count(t, int(v)) for v in row)]
                for name, row in zip(self.confusion.index, self.confusion.to_numpy(), strict=True)
            ]
            caption = t.gettext("True cause (rows) by most likely cause (columns)")
            parts += [
                f"<p>{escape(self._accuracy(t))}</p>",
                html_table(columns, counts, caption=caption, row_heads=True),
            ]
        return "".join(parts)


_CELL = 13  # width of a metric column in the text table
_DASH = "\u2013"  # between an interval's ends in HTML


def _number(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _count(t: Translation, n: int) -> str:
    """A whole number with thousands separated (a narrow space in Russian)."""
    text = f"{n:,}"
    return text.replace(",", "\u202f") if t.language == "ru" else text


def _value(t: Translation, value: float, metric: str) -> str:
    if math.isnan(value):
        return t.gettext("n/a")
    return t.percent(value) if metric == "prevalence" else t.number(value, 3)


def _interval(t: Translation, low: float, high: float, metric: str) -> str:
    if math.isnan(low):
        return ""
    if metric == "prevalence":
        return f"{t.number(100 * low, 1)}-{t.percent(high)}"
    return f"{t.number(low, 3)}-{t.number(high, 3)}"


def _percent(t: Translation, value: float) -> str:
    return t.gettext("n/a") if math.isnan(value) else t.percent(value)
