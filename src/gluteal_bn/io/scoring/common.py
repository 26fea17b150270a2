"""What every part of scoring shares: the limits and markers, the chunk every reader yields.

The rules these constants set are in the docstring of :mod:`gluteal_bn.io.scoring`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

__all__ = [
    "DEFAULT_CHUNKSIZE",
    "ECHO_CHARS",
    "MAX_CELL_CHARS",
    "MAX_LINE_BYTES",
    "MISSING_MARKERS",
    "REASON_COLUMN",
    "REPORT_LIMIT",
    "Chunk",
    "Errors",
    "Input",
    "NeedExact",
    "Reader",
    "echo",
    "has_pyarrow",
]

DEFAULT_CHUNKSIZE = 100_000

#: Cells that mean "not observed" in a variable's column, compared without regard to case.
MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "null", "#n/a"})

#: The longest line read, in bytes (and so the most memory one line can take).
MAX_LINE_BYTES = 1 << 20

#: The longest cell, in characters (the limit of Python's csv module).
MAX_CELL_CHARS = 131_072

#: With ``errors="coerce"``, the output column that says why a row was not scored.
REASON_COLUMN = "not_scored"

#: How much of a bad cell an error message echoes.
ECHO_CHARS = 40

#: Bad cells listed by ``errors="report"`` (the rest are counted).
REPORT_LIMIT = 1000

Errors = Literal["raise", "coerce", "report"]
Reader = Literal["auto", "arrow", "exact"]


def has_pyarrow() -> bool:
    try:
        import pyarrow
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


def echo(value: object) -> str:
    """``repr`` of a cell, cut to :data:`ECHO_CHARS` characters (a cell may be megabytes)."""
    if isinstance(value, str) and len(value) > ECHO_CHARS:
        return f"{value[:ECHO_CHARS]!r}... ({len(value):,} characters)"
    return repr(value)


class NeedExact(Exception):
    """The fast reader met something only the exact reader can report or read."""


@dataclass
class Chunk:
    """At most ``chunksize`` rows: each variable column as (codes into ``values``, values)."""

    size: int
    variables: dict[str, tuple[np.ndarray, list[Any]]]  # indices (-1 = null) and distinct values
    passthrough: dict[str, Any]  # column -> pyarrow array or list of str
    lines: list[int] | None  # physical line of each row (exact reader only)


class Input:
    source: Path
    header: list[str]
    unit: str = "row"  # how errors point at a row: "line" (CSV) or "row" (Parquet)
    total: int = 0  # for the progress bar
    progress_unit: str = "B"

    def open(self, variables: list[str], passthrough: list[str]) -> Iterator[Chunk]:
        raise NotImplementedError

    def position(self) -> int:
        return 0

    def locate(self, row: int, chunk: Chunk, position: int) -> tuple[int, str]:
        """(number, unit) of a data row: the physical line, or the 1-based Parquet row."""
        if chunk.lines is not None:
            return chunk.lines[position], "line"
        raise NeedExact

    def schema_types(self) -> dict[str, Any]:
        return {}
