"""Rows of a CSV file, each able to point at any of its cells in an error message.

:func:`read_csv_rows` is the one CSV reader for the model files and the teaching cases:
UTF-8 (a byte-order mark allowed), CRLF or LF line endings (what spreadsheet programs write),
blank lines skipped, the header checked against the expected columns. Every problem is a
:class:`~gluteal_bn.errors.DataError` naming the file, line and column.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from ..evidence import closest_name_hint

__all__ = ["NAME_PATTERN", "Row", "read_csv_rows", "suggestion", "valid_name"]

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_]+$")


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
            if "_" in raw:  # Python reads 1_0 as 10; a spreadsheet never writes it
                raise ValueError(raw)
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
    try:
        header = _read_header(path, reader, expected, optional)
        return [
            _make_row(path, reader.line_num, header, cells)
            for cells in reader
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error as error:
        raise DataError(_csv_problem(error), path=path, line=max(reader.line_num, 1)) from None


def _csv_problem(error: csv.Error) -> str:
    """The csv module's complaint, in words that say what to fix."""
    if "field larger than field limit" in str(error):
        return (
            f"a cell is longer than {csv.field_size_limit():,} characters; most often a "
            'double quote (") opens a cell that is never closed'
        )
    return f"is not valid CSV ({error}); check the quotes on this line"


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


def valid_name(row: Row, column: str, what: str) -> str:
    """The cell ``column`` as a name: letters, digits and underscores; else a DataError."""
    name = row.required(column, what)
    if not NAME_PATTERN.match(name):
        raise row.error(
            column, f"{name!r} is not a valid name (letters, digits and underscores only)"
        )
    return name


def suggestion(name: str, known: Sequence[str]) -> str:
    """A "did you mean" hint for an unknown name, then the known names."""
    return f"{closest_name_hint(name, known)} Known variables: {', '.join(known)}"
