"""Every value in priors.csv and likelihoods.csv as an addressable :class:`Number`.

A number knows its file, line, condition, kind, value and source.
:func:`specification_from_numbers` rebuilds canonical parameters from changed numbers through
the same checks as loading the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..vocabulary import Vocabulary
from .rows import Row
from .specification import (
    LEAK,
    LIKELIHOODS_FILE,
    PRIORS_FILE,
    NetworkSpecification,
    likelihoods_from_rows,
    priors_from_rows,
)

__all__ = [
    "DEFAULT_SAMPLE_SIZES",
    "NUMBER_KINDS",
    "Number",
    "likelihood_number",
    "number_cells",
    "prior_number",
    "source_quality",
    "specification_from_numbers",
]


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


def prior_number(row: Row, vocabulary: Vocabulary) -> Number:
    """The number of one (checked) row of ``priors.csv``."""
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


def likelihood_number(row: Row, vocabulary: Vocabulary) -> Number:
    """The number of one (checked) row of ``likelihoods.csv``.

    The condition of a cause's row is the cause in its present state, the second of its
    states in ``variables.csv`` (``yes``, ``present``, ...); the leak's row has none.
    """
    cause = row.text("cause")
    return Number(
        file=LIKELIHOODS_FILE,
        line=row.line,
        variable=row.text("finding"),
        state=row.text("state"),
        parent=cause,
        parent_state=(
            "" if cause == LEAK else cause.partition("=")[2] or vocabulary[cause].states[1]
        ),
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
    priors = priors_from_rows(prior_rows, folder / PRIORS_FILE, vocabulary)
    likelihoods = likelihoods_from_rows(likelihood_rows, folder / LIKELIHOODS_FILE, vocabulary)
    parameters = {**priors, **likelihoods}
    return NetworkSpecification(
        folder=folder,
        vocabulary=vocabulary,
        parameters=tuple(parameters[v.name] for v in vocabulary),
        numbers=tuple(numbers),
    )


def number_cells(number: Number) -> dict[str, str]:
    """The cells of the row that holds ``number``, floats written exactly (``repr``)."""
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
    return Row(folder / PRIORS_FILE, number.line, number_cells(number))


def _likelihood_row(folder: Path, number: Number) -> Row:
    return Row(folder / LIKELIHOODS_FILE, number.line, number_cells(number))
