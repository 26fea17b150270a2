"""Reading ``validation.csv``: every row checked against the model's names, states and roles.

The population column is ``name=state`` items separated by ``;``, where ``name=state1|state2``
means "one of these states" (soft evidence, likelihood 1 on each). Every problem is a
:class:`~gluteal_bn.errors.DataError` naming the line, the column, the bad value and what is
valid.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import DataError, EvidenceError
from .verdicts import MEASURES

if TYPE_CHECKING:
    from ...model import DiagnosticModel

__all__ = ["COLUMNS", "VALIDATION_FILE", "CheckedRow", "read_validation"]

VALIDATION_FILE = "validation.csv"

COLUMNS: tuple[str, ...] = (
    "id",
    "finding",
    "finding_state",
    "condition",
    "population",
    "measure",
    "value",
    "ci_low",
    "ci_high",
    "citation",
    "sets_model_number",
)

_ID = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True)
class CheckedRow:
    """A checked row of validation.csv, before the model has been asked.

    ``hard`` and ``soft`` are the population as evidence; ``condition_variable`` and
    ``condition_state`` the condition split (``None`` for a cause).
    """

    id: str
    finding: str
    finding_state: str
    condition: str
    condition_variable: str
    condition_state: str | None
    population: str
    hard: dict[str, str]
    soft: dict[str, dict[str, float]]
    measure: str
    value: float
    ci_low: float | None
    ci_high: float | None
    citation: str
    dependent: bool
    line: int


def read_validation(path: str | Path, model: DiagnosticModel) -> tuple[CheckedRow, ...]:
    """Read and check a validation file against a model's vocabulary.

    Parameters
    ----------
    path : str or path-like
        The CSV file (columns as ``data/validation.csv``, documented in ``data/README.md``).
    model : DiagnosticModel
        Supplies the names, states and roles the rows may use.

    Returns
    -------
    tuple
        One checked row per line, in file order.

    Raises
    ------
    DataError
        For a missing file or column, or a malformed row: the message names the file, the
        line, the column, the bad value and what is valid.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> rows = read_validation(model.folder / "validation.csv", model)
    >>> rows[0].measure in MEASURES
    True
    """
    from ...io.rows import read_csv_rows

    path = Path(path)
    rows = read_csv_rows(
        path,
        COLUMNS,
        missing="no validation file here; expected a CSV with the columns "
        f"{', '.join(COLUMNS)} (see data/README.md)",
    )
    seen: dict[str, int] = {}
    return tuple(_check_row(row.cells, row.line, path, model, seen) for row in rows)


def _check_row(
    row: dict[str, str], line: int, path: Path, model: DiagnosticModel, seen: dict[str, int]
) -> CheckedRow:
    def error(column: str, message: str) -> DataError:
        return DataError(message, path=path, line=line, column=column)

    identifier = row["id"]
    if not _ID.match(identifier):
        raise error("id", f"{identifier!r} is not an id; use letters, digits and underscores")
    if identifier in seen:
        raise error("id", f"id {identifier!r} is used twice (first on line {seen[identifier]})")
    seen[identifier] = line

    names = list(model.variables)
    finding = row["finding"]
    if finding not in names:
        raise error("finding", f"{finding!r} is not a variable; expected one of {names}")
    states = list(model.states(finding))
    if row["finding_state"] not in states:
        raise error(
            "finding_state",
            f"{row['finding_state']!r} is not a state of {finding}; expected one of {states}",
        )

    condition = row["condition"]
    variable, _, wanted = condition.partition("=")
    roles = {v.name: v.role for v in model.vocabulary.variables}
    subtypes = [name for name, role in roles.items() if role == "subtype"]
    if wanted:
        if variable not in subtypes:
            raise error(
                "condition",
                f"{condition!r}: {variable!r} is not a subtype; expected a cause "
                f"{list(model.causes)} or subtype=state with a subtype of {subtypes}",
            )
        sub_states = list(model.states(variable))[1:]
        if wanted not in sub_states:
            raise error(
                "condition",
                f"{condition!r}: {wanted!r} is not a state of {variable}; "
                f"expected one of {sub_states}",
            )
    elif variable not in model.causes:
        raise error(
            "condition",
            f"{condition!r} is not a cause; expected a cause {list(model.causes)} "
            f"or subtype=state with a subtype of {subtypes}",
        )
    if variable == finding:
        raise error("finding", f"{finding!r} is also the condition; compare two variables")

    hard, soft = _population(row["population"], model, error, (finding, variable))

    measure = row["measure"]
    if measure not in MEASURES:
        raise error("measure", f"{measure!r} is not a measure; expected one of {list(MEASURES)}")
    value = _number(row, "value", error, required=True)
    assert value is not None
    ci_low = _number(row, "ci_low", error, required=False)
    ci_high = _number(row, "ci_high", error, required=False)
    probability = measure in ("sensitivity", "specificity")
    for column, number in (("value", value), ("ci_low", ci_low), ("ci_high", ci_high)):
        if number is None:
            continue
        if probability and not 0 < number < 1:
            raise error(column, f"{number} is not a {measure} strictly between 0 and 1")
        if not probability and not number > 0:
            raise error(column, f"{number} is not a likelihood ratio (a positive number)")
    if (ci_low is None) != (ci_high is None):
        blank = "ci_high" if ci_high is None else "ci_low"
        raise error(blank, "blank while the other bound is given; give both bounds or neither")
    if ci_low is not None and ci_high is not None and not ci_low <= value <= ci_high:
        raise error(
            "value", f"{value} lies outside its interval {ci_low}-{ci_high}; check the bounds"
        )

    citation = row["citation"]
    if not citation:
        raise error("citation", "blank; expected a section of docs/evidence.md")
    dependent = row["sets_model_number"]
    if dependent not in ("yes", "no"):
        raise error(
            "sets_model_number",
            f"{dependent!r}: expected 'yes' (the study set a number of the model) or 'no'",
        )
    return CheckedRow(
        id=identifier,
        finding=finding,
        finding_state=row["finding_state"],
        condition=condition,
        condition_variable=variable,
        condition_state=wanted or None,
        population=row["population"],
        hard=hard,
        soft=soft,
        measure=measure,
        value=value,
        ci_low=ci_low,
        ci_high=ci_high,
        citation=citation,
        dependent=dependent == "yes",
        line=line,
    )


def _population(
    text: str, model: DiagnosticModel, error: Any, reserved: tuple[str, str]
) -> tuple[dict[str, str], dict[str, dict[str, float]]]:
    hard: dict[str, str] = {}
    soft: dict[str, dict[str, float]] = {}
    for item in (part.strip() for part in text.split(";")):
        if not item:
            continue
        name, equals, value = (part.strip() for part in item.partition("="))
        if not equals or not name or not value:
            raise error("population", f"{item!r} is not name=state (or name=state1|state2)")
        if name in hard or name in soft:
            raise error("population", f"{name!r} appears twice")
        if name in reserved:
            raise error(
                "population",
                f"{name!r} is the finding or the condition of this row; it cannot also "
                "define the population",
            )
        try:
            states = list(model.states(name))
        except EvidenceError:
            raise error(
                "population", f"{name!r} is not a variable; expected one of {list(model.variables)}"
            ) from None
        wanted = [state.strip() for state in value.split("|")]
        for state in wanted:
            if state not in states:
                raise error(
                    "population", f"{state!r} is not a state of {name}; expected one of {states}"
                )
        if len(wanted) == 1:
            hard[name] = wanted[0]
        else:
            soft[name] = {state: 1.0 for state in wanted}
    return hard, soft


def _number(row: dict[str, str], column: str, error: Any, *, required: bool) -> float | None:
    text = row[column]
    if not text:
        if required:
            raise error(column, "blank; expected a number")
        return None
    try:
        number = float(text)
    except ValueError:
        raise error(column, f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise error(column, f"{text!r} is not a finite number")
    return number
