"""What the readers of a model folder share: file names and columns, the checked result
(:class:`NetworkSpecification`), and the checks of rows that every file uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ...canonical import Parameters
from ...vocabulary import Variable, Vocabulary
from ..rows import Row, read_csv_rows, suggestion

if TYPE_CHECKING:
    from ..numbers import Number

#: How far a distribution's probabilities may sum from 1 (spreadsheet rounding); within it,
#: the numbers are rescaled to sum to exactly 1.
SUM_TOLERANCE = 1e-6

#: The parent name in likelihoods.csv for "none of the causes present".
LEAK = "leak"

VARIABLES_FILE = "variables.csv"
PRIORS_FILE = "priors.csv"
LIKELIHOODS_FILE = "likelihoods.csv"
#: Optional: evidence names that stand for likelihood evidence on a variable.
ALIASES_FILE = "aliases.csv"
ALIAS_COLUMNS = ("alias", "alias_state", "variable", "likelihoods")

COLUMNS = {
    VARIABLES_FILE: ("variable", "role", "states", "model", "label", "description"),
    PRIORS_FILE: ("variable", "state", "parent", "parent_state", "measure", "value", "source"),
    LIKELIHOODS_FILE: ("finding", "cause", "state", "probability", "source"),
}

#: Columns a file may leave out (older files do not have them).
OPTIONAL_COLUMNS = {
    VARIABLES_FILE: ("group", "state_labels"),
    PRIORS_FILE: ("sample_size",),
    LIKELIHOODS_FILE: ("sample_size",),
}

MEASURES = ("probability", "odds_ratio")


@dataclass(frozen=True)
class NetworkSpecification:
    """A validated model folder: the vocabulary and each variable's canonical parameters."""

    folder: Path
    vocabulary: Vocabulary
    parameters: tuple[Parameters, ...]  # one per variable, in vocabulary order
    numbers: tuple[Number, ...] = ()  # every number of priors.csv and likelihoods.csv


def read_rows(path: Path) -> list[Row]:
    """Read a model file into rows, checking the header against the file's expected columns."""
    return read_csv_rows(
        path,
        COLUMNS[path.name],
        OPTIONAL_COLUMNS[path.name],
        missing=f"file not found (a model folder needs {VARIABLES_FILE}, {PRIORS_FILE} and "
        f"{LIKELIHOODS_FILE})",
    )


# ---------------------------------------------------------------------------------------------
# Shared checks


def _distribution(block: list[Row], variable: Variable, column: str) -> np.ndarray:
    """One distribution from its rows: every state listed, or every state but the first.

    The first state, if left out, takes the remainder. Sums within SUM_TOLERANCE of 1 are
    rescaled to exactly 1.
    """
    probabilities = np.full(variable.card, np.nan)
    for row in block:
        probabilities[variable.states.index(row.text("state"))] = row.probability(column)
    listed = ~np.isnan(probabilities)
    first = block[0]
    lines = f"lines {first.line}-{block[-1].line}" if len(block) > 1 else f"line {first.line}"
    where = f"P({variable.name}{_block_condition(first, variable)}) ({lines})"
    if listed.all():
        total = probabilities.sum()
        if abs(total - 1.0) > SUM_TOLERANCE:
            raise first.error(
                column,
                f"{where} sums to {total:.6g}; expected 1 (tolerance {SUM_TOLERANCE:g})",
            )
        return probabilities / total
    if listed[1:].all():
        rest = 1.0 - probabilities[1:].sum()
        if rest < -SUM_TOLERANCE:
            raise first.error(
                column,
                f"{where} sums to {1.0 - rest:.6g} without the first state "
                f"{variable.states[0]!r}; expected at most 1 (tolerance {SUM_TOLERANCE:g})",
            )
        probabilities[0] = max(rest, 0.0)
        return probabilities / probabilities.sum()
    missing = [s for s, given in zip(variable.states, listed, strict=True) if not given]
    raise first.error(
        "state",
        f"{where} gives no number for {missing}; list every state of {variable.name} "
        f"{list(variable.states)}, or every state but the first, which takes the remainder",
    )


def _block_condition(row: Row, variable: Variable) -> str:
    if "cause" in row.cells:
        cause = row.text("cause")
        return " | no cause (leak)" if cause == LEAK else f" | {cause} alone"
    return " | risk factors at reference" if variable.role == "cause" else ""


def _known_variable(row: Row, column: str, vocabulary: Vocabulary) -> Variable:
    name = row.required(column, "a variable name")
    if name not in vocabulary:
        raise row.error(column, f"unknown variable {name!r}{suggestion(name, vocabulary.names)}")
    return vocabulary[name]


def _check_state(row: Row, column: str, variable: Variable) -> str:
    state = row.required(column, f"a state of {variable.name} {list(variable.states)}")
    if state not in variable.states:
        raise row.error(
            column,
            f"{state!r} is not a state of {variable.name}; expected one of {list(variable.states)}",
        )
    return state


def _check_unique(row: Row, key: tuple[str, ...], seen: dict[tuple[str, ...], int]) -> None:
    if key in seen:
        described = ", ".join(part for part in key if part)
        raise row.error(None, f"duplicate row ({described}); the same entry is on line {seen[key]}")
    seen[key] = row.line
