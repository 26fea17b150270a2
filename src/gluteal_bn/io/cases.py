"""The teaching vignettes (``data/cases.csv``): read and checked against a vocabulary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError
from ..evidence import not_a_cause_message
from ..vocabulary import Vocabulary
from .model_folder import bundled_data_folder
from .rows import Row, read_csv_rows, suggestion, valid_name
from .specification import ALIASES_FILE, VARIABLES_FILE, read_aliases, read_variables

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CASES_FILE", "CASE_COLUMNS", "load_cases"]


CASES_FILE = "cases.csv"
CASE_COLUMNS = (
    "case_id",
    "title",
    "story",
    "evidence",
    "intended_answer",
    "clear",
    "teaching_point",
    "source",
)
CLEAR_VALUES = ("yes", "no")


def load_cases(path: str | Path | None = None) -> pd.DataFrame:
    """The teaching vignettes: a short story, its evidence, the intended answer and why.

    Parameters
    ----------
    path : str or path-like, optional
        A cases CSV file in the layout of the bundled ``data/cases.csv`` (documented in
        ``data/README.md``). Its names are checked against the ``variables.csv`` beside it,
        or the bundled one if there is none.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``case_id``, with columns ``title``, ``story``, ``evidence`` (a dict of
        variable to state, ready for ``model.posterior``), ``intended_answer`` (a cause),
        ``clear`` (bool: is the intended answer meant to be the most likely one?),
        ``teaching_point`` and ``source``.

    Raises
    ------
    DataError
        For a missing file or column, or a malformed row; the message names the file, line,
        column, the bad value and what is expected (an unknown variable, state or cause, a
        repeated case id, an evidence item that is not ``name=state``).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> cases = gb.load_cases()
    >>> cases.loc["abscess_classic", "intended_answer"]
    'local_infection'
    >>> gb.load_model().posterior(cases.loc["abscess_classic", "evidence"]).idxmax()
    'local_infection'
    """
    import pandas as pd

    path = bundled_data_folder() / CASES_FILE if path is None else Path(path)
    beside = path.parent / VARIABLES_FILE
    variables = beside if beside.is_file() else bundled_data_folder() / VARIABLES_FILE
    vocabulary = read_aliases(variables.parent / ALIASES_FILE, read_variables(variables))
    records = []
    first_line: dict[str, int] = {}
    for row in _read_case_rows(path):
        case_id = valid_name(row, "case_id", "a case id (letters, digits and underscores)")
        if case_id in first_line:
            raise row.error(
                "case_id",
                f"case id {case_id!r} is used twice (first on line {first_line[case_id]})",
            )
        first_line[case_id] = row.line
        records.append(
            {
                "case_id": case_id,
                "title": row.required("title", "a short title"),
                "story": row.required("story", "the case as told to students"),
                "evidence": _case_evidence(row, vocabulary),
                "intended_answer": _intended_answer(row, vocabulary),
                "clear": _clear(row),
                "teaching_point": row.required("teaching_point", "what the case teaches"),
                "source": row.required("source", "a citation, or 'estimate: <reasoning>'"),
            }
        )
    if not records:
        raise DataError("holds no cases; expected one case per line after the header", path=path)
    return pd.DataFrame.from_records(records).set_index("case_id")


def _read_case_rows(path: Path) -> list[Row]:
    missing = f"file not found (a cases file with columns {', '.join(CASE_COLUMNS)})"
    return read_csv_rows(path, CASE_COLUMNS, missing=missing)


def _case_evidence(row: Row, vocabulary: Vocabulary) -> dict[str, str]:
    """``name=state; name=state`` as a dict; blank means no evidence."""
    evidence: dict[str, str] = {}
    for item in (part.strip() for part in row.text("evidence").split(";")):
        if not item:
            continue
        name, equals, state = (part.strip() for part in item.partition("="))
        if not equals or not name or not state:
            raise row.error(
                "evidence",
                f"{item!r} is not name=state; write items like 'fever=yes; age=over_60'",
            )
        alias = vocabulary.alias_of.get(name)
        if name not in vocabulary and alias is None:
            raise row.error(
                "evidence", f"unknown variable {name!r}{suggestion(name, vocabulary.names)}"
            )
        states = alias.states if alias is not None else vocabulary[name].states
        if state not in states:
            raise row.error(
                "evidence", f"{state!r} is not a state of {name}; expected one of {list(states)}"
            )
        if name in evidence:
            raise row.error("evidence", f"{name!r} is observed twice")
        evidence[name] = state
    return evidence


def _intended_answer(row: Row, vocabulary: Vocabulary) -> str:
    causes = list(vocabulary.causes)
    answer = row.required("intended_answer", f"one of the causes {causes}")
    if answer not in causes:
        raise row.error("intended_answer", not_a_cause_message(answer, vocabulary))
    return answer


def _clear(row: Row) -> bool:
    value = row.required("clear", "yes or no")
    if value not in CLEAR_VALUES:
        raise row.error("clear", f"{value!r} is not yes or no")
    return value == "yes"
