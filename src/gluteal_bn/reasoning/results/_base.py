"""What the reasoning tools' results share: words for evidence and causes, JSON numbers, and
:class:`TableResult`, a result whose data is one table (rendered by :mod:`gluteal_bn.display`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from ...display import Column, DisplayedTable, escape, figure, html_table
from ...i18n import N_, translation

if TYPE_CHECKING:
    from ...i18n import Translation


def state_words(vocabulary: Any, name: str, state: str, t: Translation | None = None) -> str:
    """A state's label when the vocabulary is known, else its name."""
    t = t or translation(None)
    if vocabulary is not None and name in vocabulary and state in vocabulary[name].states:
        return t.state(vocabulary, name, state)
    return t.gettext("uncertain") if state == "soft" else str(state)


def cause_words(vocabulary: Any, name: str, t: Translation) -> str:
    """A cause's (or any variable's) label, translated; its name without a vocabulary."""
    if vocabulary is not None and name in vocabulary:
        return t.variable(vocabulary, name)
    return str(name)


def significant(value: float, t: Translation, digits: int = 3) -> str:
    """A number in ``digits`` significant digits, with the language's decimal sign."""
    return figure(t, value, digits)


def method_words(method: str, t: Translation) -> str:
    """The explanation's method in words, translated."""
    found = re.fullmatch(r"exact Shapley values over all (\d+) subsets of the items", method)
    if found:
        return t.gettext("exact Shapley values over all {count} subsets of the items").format(
            count=found.group(1)
        )
    return method


#: What a column of a result's table is called in HTML, marked for the catalogue.
COLUMNS = {
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

#: How the numbers of a column read in HTML: probabilities in percent, log-odds signed,
#: bits to three places; any other number in four significant digits.
FORMATS = {
    **dict.fromkeys(["probability", "posterior", "mean", "lower", "upper", "swing"], "percent"),
    **dict.fromkeys(["posterior_at_low", "posterior_at_high"], "percent"),
    **dict.fromkeys(["contribution", "weight_of_evidence", "change_in_log_odds"], "signed"),
    **dict.fromkeys(["information_gain", "expected_entropy"], "bits"),
}


def cell(value: Any, t: Translation, how: str = "figure") -> str:
    """One cell of a table as people read it (``how``: percent, signed, bits or figure)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, float | np.floating):
        return str(value.item() if isinstance(value, np.generic) else value)
    if how == "percent":
        return t.percent(float(value))
    if how in ("signed", "bits"):
        return t.number(float(value), 3, signed=how == "signed")
    return figure(t, float(value))


#: Each role of a variable in words, marked for the catalogue.
ROLES = {
    "risk_factor": N_("risk factor"),
    "cause": N_("cause"),
    "subtype": N_("subtype"),
    "finding": N_("finding"),
}


def in_words(frame: pd.DataFrame, t: Translation, vocabulary: Any) -> pd.DataFrame:
    """The text cells people read, in words: labels for ``variable`` (and its ``state``),
    ``label`` and ``role`` translated, ``name=state`` row keys as ``Label: state``."""
    shown = frame.copy()
    if "state" in frame and "variable" in frame:
        shown["state"] = [
            state_words(vocabulary, str(v), str(s), t)
            for v, s in zip(frame["variable"], frame["state"], strict=True)
        ]
    if "variable" in frame:
        shown["variable"] = [cause_words(vocabulary, str(v), t) for v in frame["variable"]]
    if "label" in frame:
        shown["label"] = [t.label(str(label)) for label in frame["label"]]
    if "role" in frame:
        shown["role"] = [t.marked(ROLES[r]) if r in ROLES else r for r in frame["role"]]

    def item(key: Any) -> Any:
        name, _, state = str(key).partition("=")
        if not state or vocabulary is None or name not in vocabulary:
            return key
        return f"{cause_words(vocabulary, name, t)}: {state_words(vocabulary, name, state, t)}"

    if frame.index.nlevels == 1 and all(isinstance(key, str) for key in frame.index):
        shown.index = pd.Index([item(key) for key in frame.index], name=frame.index.name)
    return shown


def frame_html(
    frame: pd.DataFrame,
    t: Translation,
    vocabulary: Any,
    formats: Mapping[str, str] | None = None,
) -> str:
    """A result's table as HTML: column and index names in words, numbers rounded for reading.

    The index is shown as the first columns unless it is a plain row count (an unnamed
    RangeIndex); the text cells are put in words by :func:`in_words`.
    """
    how = {**FORMATS, **(formats or {})}
    frame = in_words(frame, t, vocabulary)

    def name(column: Any) -> str:
        if not isinstance(column, str):
            return "" if column is None else str(column)
        if column in COLUMNS:
            return t.marked(COLUMNS[column])
        return cause_words(vocabulary, column, t)

    shown = frame
    index_columns = 0
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None):
        index_columns = frame.index.nlevels
        shown = frame.reset_index(names=[f"\x00{i}" for i in range(index_columns)])
    columns = [Column(name(n), "<") for n in frame.index.names][:index_columns]
    columns += [
        Column(name(c), ">" if pd.api.types.is_numeric_dtype(frame[c]) else "<")
        for c in frame.columns
    ]
    keys = [str(c) for c in frame.columns]
    rows = [
        [str(v) for v in values[:index_columns]]
        + [
            cell(v, t, how.get(key, "figure"))
            for key, v in zip(keys, values[index_columns:], strict=True)
        ]
        for values in shown.itertuples(index=False, name=None)
    ]
    return html_table(columns, rows, row_heads=index_columns == 1)


def json_number(value: float) -> float | None:
    """JSON has no NaN or infinity: an undefined number is null."""
    value = float(value)
    return value if math.isfinite(value) else None


def tidy(value: float) -> float:
    """Rounded to the digits shown, without a '-0.000' from rounding noise."""
    return round(float(value), 3) + 0.0


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (numpy scalars as Python numbers, NaN as None)."""
    return [
        {
            str(key): (
                json_number(float(value))
                if isinstance(value, float | np.floating)
                else value.item()
                if isinstance(value, np.generic)
                else value
            )
            for key, value in row.items()
        }
        for row in frame.to_dict(orient="records")
    ]


class Result(DisplayedTable):
    """What every reasoning result shares: its JSON (:meth:`to_dict`) and its displays."""

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON types: identifiers, and numbers with NaN as None.

        Returns
        -------
        dict
            ``json.dumps`` writes it as it is (what ``gluteal-bn ... --json`` prints).
        """
        return self._document()

    def _document(self) -> dict[str, Any]:
        raise NotImplementedError


class TableResult(Result):
    """What every result whose data is one table shares.

    ``to_frame`` copies the table; the table's numbers are reachable as on a DataFrame
    (``result["swing"]``, ``len(result)``); ``str``/``to_text`` and ``to_html`` come from
    :class:`~gluteal_bn.display.DisplayedTable`. A subclass writes ``_heading(t)`` and
    ``_text(t)``, and may change what its HTML table shows with ``_view(t)`` and
    ``_formats``.
    """

    table: pd.DataFrame
    vocabulary: Any = None  # each result with a vocabulary sets it as a field
    #: How the numbers of some columns read in HTML (see :data:`FORMATS`).
    _formats: ClassVar[Mapping[str, str]] = {}

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

    def _heading(self, t: Translation) -> str:
        return type(self).__name__

    def _text(self, t: Translation) -> str:
        return self._heading(t)

    def _view(self, t: Translation) -> pd.DataFrame:
        """The table as HTML shows it (a subclass may put words in its cells)."""
        return self.table

    def _html(self, t: Translation) -> str:
        return f"<p>{escape(self._heading(t))}</p>" + frame_html(
            self._view(t), t, self.vocabulary, self._formats
        )
