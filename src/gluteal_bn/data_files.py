"""The only code that reads and writes the parameter CSV files; every problem is a DataError.

A model folder holds three files (``data/README.md`` documents them for people):

* ``variables.csv`` — each variable's role, ordered states, canonical model and label;
* ``priors.csv`` — risk-factor distributions, and each cause's baseline probability with the
  odds ratios of its risk factors;
* ``likelihoods.csv`` — for each finding, P(finding | this cause alone) per parent cause and
  P(finding | no cause), the leak.

Everything is checked here, once, and the result is a :class:`NetworkSpecification` of
canonical parameters that the rest of the package trusts, with every number of the files as a
:class:`Number` (file, line, condition, kind, value, source). :func:`specification_from_numbers`
rebuilds parameters from changed numbers through the same checks, and :func:`write_folder`
writes a folder back (atomically, floats exactly). Files may carry a UTF-8 byte-order
mark and CRLF line endings (what spreadsheet programs write); blank lines are skipped.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .canonical import (
    FindingParameters,
    LogisticPrior,
    Parameters,
    RiskFactorDistribution,
)
from .errors import DataError
from .vocabulary import MODELS_BY_ROLE, ROLES, Variable, Vocabulary

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_SAMPLE_SIZES",
    "LEAK",
    "NUMBER_KINDS",
    "SUM_TOLERANCE",
    "NetworkSpecification",
    "Number",
    "bundled_data_folder",
    "load_cases",
    "read_folder",
    "specification_from_numbers",
    "write_folder",
]

#: How far a distribution's probabilities may sum from 1 (spreadsheet rounding); within it,
#: the numbers are rescaled to sum to exactly 1.
SUM_TOLERANCE = 1e-6

#: The parent name in likelihoods.csv for "none of the causes present".
LEAK = "leak"

VARIABLES_FILE = "variables.csv"
PRIORS_FILE = "priors.csv"
LIKELIHOODS_FILE = "likelihoods.csv"

COLUMNS = {
    VARIABLES_FILE: ("variable", "role", "states", "model", "label", "description"),
    PRIORS_FILE: ("variable", "state", "parent", "parent_state", "measure", "value", "source"),
    LIKELIHOODS_FILE: ("finding", "cause", "state", "probability", "source"),
}

#: Columns a file may leave out (older files do not have them).
OPTIONAL_COLUMNS = {
    VARIABLES_FILE: ("state_labels",),
    PRIORS_FILE: ("sample_size",),
    LIKELIHOODS_FILE: ("sample_size",),
}

MEASURES = ("probability", "odds_ratio")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True)
class NetworkSpecification:
    """A validated model folder: the vocabulary and each variable's canonical parameters."""

    folder: Path
    vocabulary: Vocabulary
    parameters: tuple[Parameters, ...]  # one per variable, in vocabulary order
    numbers: tuple[Number, ...] = ()  # every number of priors.csv and likelihoods.csv


def bundled_data_folder() -> Path:
    """The folder of CSV files that ships with the package.

    In an installed wheel the files sit inside the package; in a source checkout or an
    editable install they are the repository's ``data/`` folder, the single source of truth.
    """
    here = Path(__file__).resolve().parent
    for folder in (here / "data", here.parents[1] / "data"):
        if (folder / VARIABLES_FILE).is_file():
            return folder
    raise DataError(f"the bundled data folder is missing: looked in {here / 'data'}")


def read_folder(folder: str | Path) -> NetworkSpecification:
    """Read and check a model folder; raise DataError naming the first problem found."""
    folder = Path(folder)
    if folder.is_file():
        raise DataError(
            f"{folder} is a file; load_model expects the folder that holds {VARIABLES_FILE}, "
            f"{PRIORS_FILE} and {LIKELIHOODS_FILE}"
        )
    if not folder.is_dir():
        raise DataError(
            f"model folder not found: {folder} (expected a folder holding "
            f"{VARIABLES_FILE}, {PRIORS_FILE} and {LIKELIHOODS_FILE})"
        )
    vocabulary = _read_variables(folder / VARIABLES_FILE)
    prior_rows = read_rows(folder / PRIORS_FILE)
    priors = _priors_from_rows(prior_rows, folder / PRIORS_FILE, vocabulary)
    likelihood_rows = read_rows(folder / LIKELIHOODS_FILE)
    likelihoods = _likelihoods_from_rows(likelihood_rows, folder / LIKELIHOODS_FILE, vocabulary)
    parameters = {**priors, **likelihoods}
    numbers = [_prior_number(row, vocabulary) for row in prior_rows]
    numbers += [_likelihood_number(row) for row in likelihood_rows]
    return NetworkSpecification(
        folder=folder,
        vocabulary=vocabulary,
        parameters=tuple(parameters[v.name] for v in vocabulary),
        numbers=tuple(numbers),
    )


# ---------------------------------------------------------------------------------------------
# Rows and cells


@dataclass(frozen=True)
class Row:
    """One data line of a CSV file, with enough context to point at any of its cells."""

    path: Path
    line: int
    cells: dict[str, str]

    def error(self, column: str | None, message: str) -> DataError:
        return DataError(message, path=self.path, line=self.line, column=column)

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def required(self, column: str, what: str) -> str:
        value = self.cells[column]
        if not value:
            raise self.error(column, f"blank; expected {what}")
        return value

    def number(self, column: str) -> float:
        raw = self.required(column, "a number")
        try:
            value = float(raw)
        except ValueError:
            raise self.error(column, f"{raw!r} is not a number") from None
        if not math.isfinite(value):
            raise self.error(column, f"{raw!r} is not a finite number")
        return value

    def probability(self, column: str) -> float:
        value = self.number(column)
        if not 0.0 <= value <= 1.0:
            raise self.error(column, f"{self.cells[column]} is not a probability (expected 0 to 1)")
        return value


def read_rows(path: Path) -> list[Row]:
    """Read a model file into rows, checking the header against the file's expected columns."""
    return read_csv_rows(
        path,
        COLUMNS[path.name],
        OPTIONAL_COLUMNS[path.name],
        missing=f"file not found (a model folder needs {VARIABLES_FILE}, {PRIORS_FILE} and "
        f"{LIKELIHOODS_FILE})",
    )


def read_csv_rows(
    path: Path, expected: Sequence[str], optional: Sequence[str] = (), *, missing: str
) -> list[Row]:
    """Rows of a UTF-8 CSV file (BOM and CRLF allowed, blank lines skipped) under a checked header.

    ``missing`` is the message when the file does not exist.
    """
    if not path.is_file():
        raise DataError(missing, path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(
            f"is not UTF-8 text (bad byte at offset {error.start}); save it as UTF-8 CSV",
            path=path,
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _read_header(path, reader, expected, optional)
    return [
        _make_row(path, reader.line_num, header, cells)
        for cells in reader
        if any(cell.strip() for cell in cells)
    ]


def _read_header(
    path: Path, reader: Iterable[list[str]], expected: Sequence[str], optional: Sequence[str] = ()
) -> list[str]:
    header_line = next(iter(reader), None)
    if header_line is None or not any(cell.strip() for cell in header_line):
        raise DataError(f"file is empty; expected a header line: {','.join(expected)}", path=path)
    header = [cell.strip() for cell in header_line]
    for name in header:
        if name not in expected and name not in optional:
            allowed = ", ".join(expected) + "".join(f", {o} (optional)" for o in optional)
            raise DataError(
                f"unknown column {name!r}; expected columns: {allowed}",
                path=path,
                line=1,
                column=name,
            )
        if header.count(name) > 1:
            raise DataError(f"column {name!r} appears twice", path=path, line=1, column=name)
    for name in expected:
        if name not in header:
            raise DataError(
                f"missing column {name!r}; expected columns: {', '.join(expected)}",
                path=path,
                line=1,
                column=name,
            )
    return header


def _make_row(path: Path, line: int, header: list[str], cells: list[str]) -> Row:
    cells = [cell.strip() for cell in cells]
    extra = cells[len(header) :]
    if len(cells) < len(header) or any(extra):
        raise DataError(
            f"has {len(cells)} cells but the header has {len(header)} columns "
            "(a comma inside a cell needs the cell in double quotes)",
            path=path,
            line=line,
        )
    return Row(path=path, line=line, cells=dict(zip(header, cells, strict=False)))


# ---------------------------------------------------------------------------------------------
# variables.csv


def _read_variables(path: Path) -> Vocabulary:
    rows = read_rows(path)
    variables: list[Variable] = []
    first_line: dict[str, int] = {}
    for row in rows:
        variable = _read_variable(row)
        if variable.name in first_line:
            raise row.error(
                "variable",
                f"variable {variable.name!r} is defined twice (first on line "
                f"{first_line[variable.name]})",
            )
        first_line[variable.name] = row.line
        variables.append(variable)
    vocabulary = Vocabulary(tuple(variables))
    if not vocabulary.causes:
        raise DataError("defines no cause; at least one variable needs role 'cause'", path=path)
    return vocabulary


def _read_variable(row: Row) -> Variable:
    name = _name(row, "variable", "a variable name")
    if name == LEAK:
        raise row.error("variable", f"{LEAK!r} is reserved for the leak in {LIKELIHOODS_FILE}")
    role = row.required("role", f"one of {list(ROLES)}")
    if role not in ROLES:
        raise row.error("role", f"{role!r} is not a role; expected one of {list(ROLES)}")
    states = _states(row)
    model = row.required("model", f"one of {list(MODELS_BY_ROLE[role])}")
    if model not in MODELS_BY_ROLE[role]:
        raise row.error(
            "model",
            f"{model!r} is not a model for a {role}; expected one of {list(MODELS_BY_ROLE[role])}",
        )
    if (role == "cause" or model == "noisy_or") and len(states) != 2:
        raise row.error(
            "states",
            f"{name!r} ({role}, {model}) needs exactly two states, absent then present; "
            f"got {list(states)}",
        )
    label = row.text("label") or name.replace("_", " ").capitalize()
    state_labels = _state_labels(row, states)
    return Variable(name, role, states, model, label, row.text("description"), state_labels)


def _state_labels(row: Row, states: tuple[str, ...]) -> tuple[str, ...]:
    """The optional ``state_labels`` cell: one label per state, '|'-separated, or blank."""
    raw = row.text("state_labels")
    if not raw:
        return ()
    labels = tuple(label.strip() for label in raw.split("|"))
    if len(labels) != len(states) or not all(labels):
        raise row.error(
            "state_labels",
            f"{raw!r} gives {len(labels)} labels for the {len(states)} states "
            f"{'|'.join(states)}; expected one non-empty label per state, in that order, "
            "separated by '|'",
        )
    return labels


def _name(row: Row, column: str, what: str) -> str:
    name = row.required(column, what)
    if not NAME_PATTERN.match(name):
        raise row.error(
            column, f"{name!r} is not a valid name (letters, digits and underscores only)"
        )
    return name


def _states(row: Row) -> tuple[str, ...]:
    raw = row.required("states", "states separated by '|', e.g. no|yes")
    states = tuple(state.strip() for state in raw.split("|"))
    for state in states:
        if not NAME_PATTERN.match(state):
            raise row.error(
                "states",
                f"state {state!r} in {raw!r} is not a valid name "
                "(letters, digits and underscores, separated by '|')",
            )
    if len(states) < 2:
        raise row.error("states", f"{raw!r} has fewer than two states; expected e.g. no|yes")
    duplicated = sorted({s for s in states if states.count(s) > 1})
    if duplicated:
        raise row.error("states", f"{raw!r} repeats the state {duplicated[0]!r}")
    return states


# ---------------------------------------------------------------------------------------------
# priors.csv


def _priors_from_rows(rows: list[Row], path: Path, vocabulary: Vocabulary) -> dict[str, Parameters]:
    blocks: dict[str, list[Row]] = {}
    odds_ratio_rows: dict[str, dict[str, list[Row]]] = {}
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        variable = _known_variable(row, "variable", vocabulary)
        if variable.role == "finding":
            raise row.error(
                "variable",
                f"{variable.name!r} is a finding; its numbers belong in {LIKELIHOODS_FILE}",
            )
        _check_state(row, "state", variable)
        measure = row.required("measure", f"one of {list(MEASURES)}")
        if measure not in MEASURES:
            raise row.error(
                "measure", f"{measure!r} is not a measure; expected one of {list(MEASURES)}"
            )
        key = (variable.name, row.text("state"), row.text("parent"), row.text("parent_state"))
        _check_unique(row, key, seen)
        row.required("source", "a citation or 'estimate: <reasoning>'")
        if measure == "probability":
            _check_no_parent(row)
            row.probability("value")
            blocks.setdefault(variable.name, []).append(row)
        else:
            parent = _odds_ratio_parent(row, variable, vocabulary)
            odds_ratio_rows.setdefault(variable.name, {}).setdefault(parent.name, []).append(row)
    parameters: dict[str, Parameters] = {}
    for variable in vocabulary:
        if variable.role == "finding":
            continue
        block = blocks.get(variable.name)
        if not block:
            what = (
                "one probability row per state"
                if variable.role == "risk_factor"
                else (f"a probability row for state {variable.states[1]!r} (the baseline)")
            )
            raise DataError(f"no prior for {variable.name!r}; add {what}", path=path)
        probabilities = _distribution(block, variable, "value")
        if variable.role == "risk_factor":
            parameters[variable.name] = RiskFactorDistribution(variable.name, probabilities)
        else:
            parameters[variable.name] = _logistic_prior(
                variable, probabilities, block, odds_ratio_rows.get(variable.name, {}), vocabulary
            )
    return parameters


def _check_no_parent(row: Row) -> None:
    for column in ("parent", "parent_state"):
        if row.text(column):
            raise row.error(
                column,
                f"a probability row has no {column} (got {row.text(column)!r}); "
                "use measure odds_ratio for a risk factor's effect",
            )


def _odds_ratio_parent(row: Row, variable: Variable, vocabulary: Vocabulary) -> Variable:
    if variable.role != "cause":
        raise row.error(
            "measure", f"{variable.name!r} is a risk factor; only causes have odds ratios"
        )
    if row.text("state") != variable.states[1]:
        raise row.error(
            "state",
            f"an odds ratio is for the present state {variable.states[1]!r} of "
            f"{variable.name!r}; got {row.text('state')!r}",
        )
    parent = _known_variable(row, "parent", vocabulary)
    if parent.role != "risk_factor":
        raise row.error(
            "parent",
            f"{parent.name!r} is a {parent.role}, not a risk factor; edges run risk factors -> "
            "causes -> findings, which keeps the network free of cycles",
        )
    parent_state = _check_state(row, "parent_state", parent)
    if parent_state == parent.states[0]:
        raise row.error(
            "parent_state",
            f"{parent_state!r} is the reference state of {parent.name!r} (odds ratio 1 by "
            f"definition); give odds ratios for {list(parent.states[1:])}",
        )
    value = row.number("value")
    if value <= 0:
        raise row.error("value", f"{row.text('value')} is not an odds ratio (expected > 0)")
    return parent


def _logistic_prior(
    variable: Variable,
    probabilities: np.ndarray,
    block: list[Row],
    rows_by_parent: dict[str, list[Row]],
    vocabulary: Vocabulary,
) -> LogisticPrior:
    baseline = float(probabilities[1])
    if not 0.0 < baseline < 1.0:
        raise block[0].error(
            "value",
            f"the baseline P({variable.name}={variable.states[1]}) is {baseline}; a logistic "
            "prior needs it strictly between 0 and 1",
        )
    parents = tuple(name for name in vocabulary.risk_factors if name in rows_by_parent)
    odds_ratios = []
    for name in parents:
        parent = vocabulary[name]
        ratios = np.ones(parent.card)
        for row in rows_by_parent[name]:
            ratios[parent.states.index(row.text("parent_state"))] = row.number("value")
        given = {row.text("parent_state") for row in rows_by_parent[name]}
        missing = [s for s in parent.states[1:] if s not in given]
        if missing:
            row = rows_by_parent[name][0]
            raise row.error(
                "parent_state",
                f"{variable.name!r} has odds ratios for {name!r} but none for "
                f"{name}={missing[0]!r}; give every non-reference state one (1 = no effect)",
            )
        odds_ratios.append(ratios)
    return LogisticPrior(variable.name, baseline, parents, tuple(odds_ratios))


# ---------------------------------------------------------------------------------------------
# likelihoods.csv


def _likelihoods_from_rows(
    rows: list[Row], path: Path, vocabulary: Vocabulary
) -> dict[str, Parameters]:
    blocks: dict[str, dict[str, list[Row]]] = {}
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        finding = _known_variable(row, "finding", vocabulary)
        if finding.role != "finding":
            raise row.error(
                "finding",
                f"{finding.name!r} is a {finding.role}; its numbers belong in {PRIORS_FILE}",
            )
        cause = row.required("cause", f"a cause or {LEAK!r}")
        if cause != LEAK:
            parent = _known_variable(row, "cause", vocabulary)
            if parent.role != "cause":
                raise row.error(
                    "cause",
                    f"{parent.name!r} is a {parent.role}, not a cause; findings' parents are "
                    f"causes or {LEAK!r} (edges run risk factors -> causes -> findings, which "
                    "keeps the network free of cycles)",
                )
        _check_state(row, "state", finding)
        _check_unique(row, (finding.name, cause, row.text("state")), seen)
        row.probability("probability")
        row.required("source", "a citation or 'estimate: <reasoning>'")
        blocks.setdefault(finding.name, {}).setdefault(cause, []).append(row)
    parameters: dict[str, Parameters] = {}
    for variable in vocabulary.with_role("finding"):
        by_parent = blocks.get(variable.name, {})
        if LEAK not in by_parent:
            raise DataError(
                f"no leak for {variable.name!r}: add rows with cause {LEAK!r} giving "
                f"P({variable.name} | none of the causes)",
                path=path,
            )
        parameters[variable.name] = _finding_parameters(variable, by_parent, vocabulary)
    return parameters


def _finding_parameters(
    variable: Variable, by_parent: dict[str, list[Row]], vocabulary: Vocabulary
) -> FindingParameters:
    leak = _distribution(by_parent[LEAK], variable, "probability")
    parents = tuple(name for name in vocabulary.causes if name in by_parent)
    alone = tuple(_distribution(by_parent[name], variable, "probability") for name in parents)
    if variable.model in ("noisy_or", "noisy_max"):
        for name, distribution in zip(parents, alone, strict=True):
            _check_not_milder_than_leak(variable, name, distribution, leak, by_parent)
    return FindingParameters(variable.name, variable.model, leak, parents, alone)


def _check_not_milder_than_leak(
    variable: Variable,
    cause: str,
    alone: np.ndarray,
    leak: np.ndarray,
    by_parent: dict[str, list[Row]],
) -> None:
    """Noisy-OR/MAX: a cause can only make a finding more likely, or more severe, than the leak.

    Dividing the leak out of the cause's numbers leaves the cause's own effect, whose cumulative
    distribution F_cause / F_leak must be a distribution too: at most 1, and non-decreasing.
    """
    row = by_parent[cause][0]
    for index in range(1, variable.card):
        at_least = variable.states[index:]
        p_cause, p_leak = alone[index:].sum(), leak[index:].sum()
        if p_cause < p_leak - SUM_TOLERANCE:
            states = at_least[0] if len(at_least) == 1 else " or ".join(at_least)
            raise row.error(
                "probability",
                f"P({variable.name}={states} | {cause} alone) = {p_cause:.6g} is below the leak "
                f"P({variable.name}={states} | no cause) = {p_leak:.6g}; in a {variable.model} "
                "model a cause can only make a finding more likely, so raise it or lower the leak",
            )
    leak_cdf = np.cumsum(leak)
    own_cdf = np.divide(np.cumsum(alone), leak_cdf, out=np.ones(variable.card), where=leak_cdf > 0)
    own = np.diff(own_cdf, prepend=0.0)
    for index in range(1, variable.card):
        if own[index] < -SUM_TOLERANCE:
            raise row.error(
                "probability",
                f"with the leak divided out, {cause} alone would give {variable.name}="
                f"{variable.states[index]!r} a negative probability ({own[index]:.6g}); in a "
                f"noisy_max model P({variable.name} <= y | {cause} alone) / "
                f"P({variable.name} <= y | no cause) must not decrease as y grows",
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
        raise row.error(column, f"unknown variable {name!r}{_suggestion(name, vocabulary.names)}")
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


def _suggestion(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{hint} Known variables: {', '.join(known)}"


# ---------------------------------------------------------------------------------------------
# cases.csv: teaching vignettes (issue 4)

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
    vocabulary = _read_variables(
        beside if beside.is_file() else bundled_data_folder() / VARIABLES_FILE
    )
    records = []
    first_line: dict[str, int] = {}
    for row in _read_case_rows(path):
        case_id = _name(row, "case_id", "a case id (letters, digits and underscores)")
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
        if name not in vocabulary:
            raise row.error(
                "evidence", f"unknown variable {name!r}{_suggestion(name, vocabulary.names)}"
            )
        states = vocabulary[name].states
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
        raise row.error("intended_answer", f"{answer!r} is not a cause; expected one of {causes}")
    return answer


def _clear(row: Row) -> bool:
    value = row.required("clear", "yes or no")
    if value not in CLEAR_VALUES:
        raise row.error("clear", f"{value!r} is not yes or no")
    return value == "yes"


# ---------------------------------------------------------------------------------------------
# Numbers: every value in priors.csv and likelihoods.csv as an addressable parameter, and
# writing a model folder back out.

#: What a number is, by file and row: see :class:`Number`.
NUMBER_KINDS = ("probability", "baseline", "odds_ratio", "cause_alone", "leak")

#: Equivalent sample size of a row whose ``sample_size`` cell is blank, by source quality:
#: a row whose source starts with "estimate" is an expert's guess, "PROXY" borrows a figure
#: from a related population, anything else cites a direct figure (data/README.md).
DEFAULT_SAMPLE_SIZES = {"estimate": 30.0, "proxy": 50.0, "cited": 100.0}


@dataclass(frozen=True)
class Number:
    """One number of priors.csv or likelihoods.csv, with where it came from.

    ``file`` and ``line`` point at the row; ``variable`` and ``state`` say which probability
    (or, for an odds ratio, which state of the cause); ``parent`` and ``parent_state`` give the
    condition: blank for a risk factor's or a cause's baseline probability, the risk factor and
    its state for an odds ratio, the cause (or ``"leak"``) for a finding. ``kind`` is one of
    :data:`NUMBER_KINDS`. ``value`` is the number exactly as the file gives it;
    ``sample_size`` the row's equivalent sample size (``None`` when its cell is blank).
    """

    file: str
    line: int
    variable: str
    state: str
    parent: str
    parent_state: str
    kind: str
    value: float
    source: str
    sample_size: float | None = None

    @property
    def label(self) -> str:
        """The number in words, e.g. ``P(fever=yes | local_infection alone)``."""
        if self.kind == "odds_ratio":
            return f"OR({self.variable}={self.state} | {self.parent}={self.parent_state})"
        condition = {
            "probability": "",
            "baseline": " | risk factors at reference",
            "cause_alone": f" | {self.parent} alone",
            "leak": " | no cause (leak)",
        }[self.kind]
        return f"P({self.variable}={self.state}{condition})"

    @property
    def block(self) -> tuple[str, str, str]:
        """The distribution the number belongs to: numbers of one block sum to one."""
        if self.kind == "odds_ratio":
            return (self.variable, self.parent, self.parent_state)
        return (self.variable, self.parent, "")

    @property
    def effective_sample_size(self) -> float:
        """``sample_size``, or the default for the row's source quality."""
        if self.sample_size is not None:
            return self.sample_size
        return DEFAULT_SAMPLE_SIZES[source_quality(self.source)]


def source_quality(source: str) -> str:
    """``"estimate"``, ``"proxy"`` or ``"cited"``, from how a source cell begins."""
    start = source.strip().lower()
    if start.startswith("estimate"):
        return "estimate"
    if start.startswith("proxy"):
        return "proxy"
    return "cited"


def _prior_number(row: Row, vocabulary: Vocabulary) -> Number:
    variable = vocabulary[row.text("variable")]
    if row.text("measure") == "odds_ratio":
        kind = "odds_ratio"
    else:
        kind = "probability" if variable.role == "risk_factor" else "baseline"
    return Number(
        file=PRIORS_FILE,
        line=row.line,
        variable=variable.name,
        state=row.text("state"),
        parent=row.text("parent"),
        parent_state=row.text("parent_state"),
        kind=kind,
        value=row.number("value"),
        source=row.text("source"),
        sample_size=_sample_size(row),
    )


def _likelihood_number(row: Row) -> Number:
    cause = row.text("cause")
    return Number(
        file=LIKELIHOODS_FILE,
        line=row.line,
        variable=row.text("finding"),
        state=row.text("state"),
        parent=cause,
        parent_state="" if cause == LEAK else "yes",
        kind="leak" if cause == LEAK else "cause_alone",
        value=row.number("probability"),
        source=row.text("source"),
        sample_size=_sample_size(row),
    )


def _sample_size(row: Row) -> float | None:
    if not row.text("sample_size"):
        return None
    value = row.number("sample_size")
    if value <= 0:
        raise row.error(
            "sample_size",
            f"{row.text('sample_size')} is not a sample size (expected a number > 0, or blank "
            "for the default of the row's source quality)",
        )
    return value


def specification_from_numbers(
    folder: str | Path, vocabulary: Vocabulary, numbers: Sequence[Number]
) -> NetworkSpecification:
    """Check numbers and expand them into canonical parameters, exactly as loading would.

    The numbers go through the same checks as the files (so a DataError names the file and
    line each number came from), and ``float(repr(value))`` is the value itself, so writing
    them with :func:`write_folder` and loading the folder gives identical parameters.
    """
    folder = Path(folder)
    prior_rows = [_prior_row(folder, n) for n in numbers if n.file == PRIORS_FILE]
    likelihood_rows = [_likelihood_row(folder, n) for n in numbers if n.file == LIKELIHOODS_FILE]
    priors = _priors_from_rows(prior_rows, folder / PRIORS_FILE, vocabulary)
    likelihoods = _likelihoods_from_rows(likelihood_rows, folder / LIKELIHOODS_FILE, vocabulary)
    parameters = {**priors, **likelihoods}
    return NetworkSpecification(
        folder=folder,
        vocabulary=vocabulary,
        parameters=tuple(parameters[v.name] for v in vocabulary),
        numbers=tuple(numbers),
    )


def _cells(number: Number) -> dict[str, str]:
    size = "" if number.sample_size is None else repr(float(number.sample_size))
    if number.file == PRIORS_FILE:
        return {
            "variable": number.variable,
            "state": number.state,
            "parent": number.parent,
            "parent_state": number.parent_state,
            "measure": "odds_ratio" if number.kind == "odds_ratio" else "probability",
            "value": repr(float(number.value)),
            "source": number.source,
            "sample_size": size,
        }
    return {
        "finding": number.variable,
        "cause": number.parent,
        "state": number.state,
        "probability": repr(float(number.value)),
        "source": number.source,
        "sample_size": size,
    }


def _prior_row(folder: Path, number: Number) -> Row:
    return Row(folder / PRIORS_FILE, number.line, _cells(number))


def _likelihood_row(folder: Path, number: Number) -> Row:
    return Row(folder / LIKELIHOODS_FILE, number.line, _cells(number))


def write_folder(
    folder: str | Path,
    vocabulary: Vocabulary,
    numbers: Sequence[Number],
    *,
    overwrite: bool = False,
) -> Path:
    """Write variables.csv, priors.csv and likelihoods.csv into ``folder``, each atomically.

    Each file is written to a temporary file in the folder, then renamed over the target, so a
    reader never sees half a file. Floats are written with ``repr`` (shortest exact form).
    The ``sample_size`` column is written only when some number has one. Existing model files
    are replaced only with ``overwrite=True``, and the bundled data folder never.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"cannot save a model into {folder}: it is a file, not a folder")
    if folder.is_dir() and folder.resolve() == bundled_data_folder().resolve():
        raise DataError(
            f"refusing to overwrite the bundled data folder {folder}; save to another folder "
            "(edit the CSV files themselves to change the shipped numbers)"
        )
    existing = [name for name in COLUMNS if (folder / name).exists()]
    if existing and not overwrite:
        raise DataError(
            f"{folder} already holds {', '.join(existing)}; pass overwrite=True to replace them"
        )
    folder.mkdir(parents=True, exist_ok=True)
    with_sizes = any(n.sample_size is not None for n in numbers)
    tables = {
        VARIABLES_FILE: (
            COLUMNS[VARIABLES_FILE] + ("state_labels",),
            [_variable_cells(v) for v in vocabulary],
        ),
        PRIORS_FILE: (
            COLUMNS[PRIORS_FILE] + (("sample_size",) if with_sizes else ()),
            [_cells(n) for n in numbers if n.file == PRIORS_FILE],
        ),
        LIKELIHOODS_FILE: (
            COLUMNS[LIKELIHOODS_FILE] + (("sample_size",) if with_sizes else ()),
            [_cells(n) for n in numbers if n.file == LIKELIHOODS_FILE],
        ),
    }
    for name, (header, rows) in tables.items():
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([row[column] for column in header] for row in rows)
        write_text_atomically(folder / name, text.getvalue())
    return folder


def _variable_cells(variable: Variable) -> dict[str, str]:
    return {
        "variable": variable.name,
        "role": variable.role,
        "states": "|".join(variable.states),
        "model": variable.model,
        "label": variable.label,
        "description": variable.description,
        "state_labels": "|".join(variable.state_labels),
    }


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file next to ``path``, then rename it over ``path``."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
