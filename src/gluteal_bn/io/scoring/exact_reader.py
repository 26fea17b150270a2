"""The exact reader: Python's ``csv`` module over blocks of whole lines.

It knows every physical line number and is the reference for every rule of
:mod:`gluteal_bn.io.scoring`; the header of a CSV file is read and checked here, for both readers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataError
from .common import MAX_CELL_CHARS, MAX_LINE_BYTES, Chunk, Input, echo


class _ExactCsvInput(Input):
    """Python's csv module over blocks of whole lines: exact line numbers, every rule."""

    unit = "line"

    def __init__(self, source: Path, chunksize: int) -> None:
        self.source, self.chunksize = source, chunksize
        self.total = source.stat().st_size
        self._stream: Any = None
        with source.open("rb") as stream:
            self.header, self.trailing = _read_header(stream, source)

    def position(self) -> int:
        return self._stream.tell() if self._stream is not None else 0

    def open(self, variables: list[str], passthrough: list[str]) -> Iterator[Chunk]:
        source, width, chunksize = self.source, len(self.header), self.chunksize
        rows: list[list[str]] = []
        numbers: list[int] = []
        with source.open("rb") as stream:
            self._stream = stream
            stream.readline(MAX_LINE_BYTES + 1)  # the header, read and checked before
            for base, lines in _blocks_of_lines(stream, source):
                # Lenient quoting, as pyarrow's ('"a"b' is 'ab'); the blank line after the
                # block makes a quote left open on its last line run over a line end.
                reader = csv.reader(chain(lines, ("",)))
                previous = 0  # the reader's line count after the last record
                while True:
                    try:
                        row = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as error:
                        raise _csv_problem(error, source, base + previous + 1) from None
                    if reader.line_num != previous + 1:  # a quoted cell ran over a line end
                        raise DataError(_UNCLOSED, path=source, line=base + previous + 1)
                    previous = reader.line_num
                    if len(row) != width:
                        if not row:
                            continue  # a blank line
                        if len(row) == width + 1 and row[-1] == "":
                            row.pop()  # a trailing comma
                        else:
                            raise _field_count_problem(
                                source, base + previous, len(row), width, row
                            )
                    rows.append(row)
                    numbers.append(base + previous)
                    if len(rows) == chunksize:
                        yield self._chunk(rows, numbers, variables, passthrough)
                        rows, numbers = [], []
            if rows:
                yield self._chunk(rows, numbers, variables, passthrough)
        self._stream = None

    def _chunk(
        self, rows: list[list[str]], lines: list[int], variables: list[str], passthrough: list[str]
    ) -> Chunk:
        n, where = len(rows), {name: i for i, name in enumerate(self.header)}
        table = np.array(list(chain.from_iterable(rows)), dtype=object).reshape(n, -1)
        coded = {}
        if variables:
            # One hash table for all variable columns: their distinct values are few.
            codes, uniques = pd.factorize(table[:, [where[name] for name in variables]].ravel())
            codes = codes.reshape(n, len(variables))
            distinct = list(uniques)
            coded = {name: (codes[:, k], distinct) for k, name in enumerate(variables)}
        kept = {name: table[:, where[name]].tolist() for name in passthrough}
        return Chunk(n, coded, kept, lines)


_UNCLOSED = (
    "a quoted cell is not closed before the end of the line (a cell may not hold a line break)"
)

#: Bytes read at once by the exact reader (whole lines are cut from each block).
_BLOCK_BYTES = 1 << 20


def _blocks_of_lines(stream: Any, source: Path) -> Iterator[tuple[int, list[str]]]:
    """(lines before the block, its decoded lines) for the rest of ``stream``; checks length."""
    base, rest = 1, b""  # the header is line 1
    while True:
        block = stream.read(_BLOCK_BYTES)
        data = rest + block
        if not data:
            return
        cut = len(data) if not block else data.rfind(b"\n") + 1
        if cut == 0:  # no line end yet
            if len(data) > MAX_LINE_BYTES:
                raise DataError(_TOO_LONG, path=source, line=base + 1)
            rest = data
            continue
        whole, rest = data[:cut], data[cut:]
        try:
            text = whole.decode("utf-8")
        except UnicodeDecodeError as error:
            line = base + len(_LINE_END_BYTES.findall(whole, 0, error.start)) + 1
            start = max(whole.rfind(b"\n", 0, error.start), whole.rfind(b"\r", 0, error.start)) + 1
            raise DataError(
                f"byte {whole[error.start]:#04x} at position {error.start - start + 1} is not "
                "UTF-8 text; save the file as UTF-8 (in Excel: 'CSV UTF-8')",
                path=source,
                line=line,
            ) from None
        # Lines end in \n, \r\n or a lone \r, as for pyarrow's reader.
        lines = _LINE_END.split(text) if "\r" in text else text.split("\n")
        if lines[-1] == "":
            lines.pop()
        if max(map(len, lines)) >= MAX_LINE_BYTES:  # characters <= bytes: check the bytes
            for offset, raw in enumerate(_LINE_END_BYTES.split(whole)):
                if len(raw) + 1 > MAX_LINE_BYTES:
                    raise DataError(_TOO_LONG, path=source, line=base + offset + 1)
        yield base, lines
        base += len(lines)


_LINE_END = re.compile("\r\n?|\n")
_LINE_END_BYTES = re.compile(b"\r\n?|\n")

_TOO_LONG = f"the line is longer than {MAX_LINE_BYTES:,} bytes, the most a line of cases may hold"


def _read_header(stream: Any, source: Path) -> tuple[list[str], bool]:
    """The header's names, checked; and whether it ended in a trailing comma."""
    raw = stream.readline(MAX_LINE_BYTES + 1)
    if not raw:
        raise DataError("is empty; expected a header line of variable names", path=source)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in raw:
        raise DataError(
            "is UTF-16 (or another wide) text; save it as UTF-8 (in Excel: 'CSV UTF-8')",
            path=source,
        )
    if len(raw) > MAX_LINE_BYTES:
        raise DataError(f"the header is longer than {MAX_LINE_BYTES:,} bytes", path=source, line=1)
    text = _decode(raw.removeprefix(b"\xef\xbb\xbf"), source, 1)
    reader = csv.reader([text.rstrip("\r\n"), ""])
    try:
        rows = [next(reader)]
    except csv.Error as error:
        raise _csv_problem(error, source, 1) from None
    if reader.line_num != 1:
        raise DataError(_UNCLOSED, path=source, line=1)
    if not rows[0] or rows[0] == [""]:
        raise DataError("is empty; expected a header line of variable names", path=source, line=1)
    names = rows[0]
    trailing = names[-1] == "" and len(names) > 1
    if trailing:
        names.pop()
    for position, name in enumerate(names, start=1):
        if name == "":
            raise DataError(
                f"column {position} of the header has no name; every column needs one",
                path=source,
                line=1,
            )
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise DataError(
            f"the header names more than one column {', '.join(map(repr, twice))}",
            path=source,
            line=1,
        )
    return names, trailing


def _first_row_has_trailing_comma(stream: Any, width: int) -> bool:
    """Whether the first non-blank data line has one empty field more than the header."""
    for _ in range(100):
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw or len(raw) > MAX_LINE_BYTES:
            return False
        if raw.strip(b"\r\n"):
            try:
                row = next(csv.reader([raw.decode("utf-8").rstrip("\r\n")]))
            except (UnicodeDecodeError, csv.Error, StopIteration):
                return False  # the exact reader will say what is wrong
            return len(row) == width + 1 and row[-1] == ""
    return False


def _decode(raw: bytes, source: Path, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(
            f"byte {raw[error.start]:#04x} at position {error.start + 1} is not UTF-8 text; "
            "save the file as UTF-8 (in Excel: 'CSV UTF-8')",
            path=source,
            line=line,
        ) from None


def _csv_problem(error: csv.Error, source: Path, line: int) -> DataError:
    message = str(error)
    if "field larger than field limit" in message:
        message = f"a cell is longer than {MAX_CELL_CHARS:,} characters, the most a cell may hold"
    elif "end of data" in message or "new-line character" in message:
        message = (
            "a quoted cell is not closed before the end of the line (a cell may not hold a "
            "line break)"
        )
    else:
        message = f"is not valid CSV: {message}"
    return DataError(message, path=source, line=line)


def _field_count_problem(
    source: Path, line: int, count: int, width: int, row: list[str]
) -> DataError:
    shown = echo(",".join(row[: width + 2]))
    if count > width:
        advice = "more fields than the header (a comma too many, or a cell that needs quotes?)"
    else:
        advice = (
            "fewer fields than the header; write an empty cell for a variable not observed "
            "(e.g. 'yes,,no')"
        )
    return DataError(
        f"has {count:,} fields but the header has {width}: {advice}; the row starts {shown}",
        path=source,
        line=line,
    )
