"""Score a file of cases (CSV or Parquet) into a file of posteriors, streamed in constant memory.

The input is read in record batches of at most ``chunksize`` rows; each batch is scored with
``DiagnosticModel.posterior_batch`` (exact, the same numbers as ``posterior``) and appended to a
hidden temporary file beside the target, which replaces the target only when every row has
been read: on any error or interruption nothing is written and the temporary file is removed.

Two readers give the same answers:

* the **fast reader** (pyarrow, ``pip install "gluteal-bn[arrow]"``): pyarrow's multi-threaded
  CSV reader turns each variable's column straight into a dictionary-encoded array (one hash
  per cell, in C++), the model's states are looked up once per distinct value, and pyarrow's
  writers write CSV or Parquet. Anything it cannot report exactly (a malformed row, bytes that
  are not UTF-8, a bad cell in ``errors="raise"``) makes the run start again with
  the exact reader, which names the line.
* the **exact reader** (Python's ``csv`` module, no extra dependency): reads line by line,
  knows every physical line number, and is the reference for every rule below.

The rules (the same for both readers):

* the first line is the header: one name per column; every column is a variable of the model,
  the identifier (``id_column``) or a column kept as it is (``keep``); a variable that is also
  kept stays evidence;
* an empty cell and the markers in :data:`MISSING_MARKERS` (any letter case) mean "not
  observed" in a variable's column (``none`` is never a marker: it is a state of radiation);
* blank lines are skipped; a row with one field more than the header whose extra field is
  empty (a trailing comma) is read as if the comma were not there; any other row with more or
  fewer fields than the header is an error naming the line;
* a cell must not hold a line break; a line holds at most :data:`MAX_LINE_BYTES` bytes, a cell
  at most :data:`MAX_CELL_CHARS` characters; the file is UTF-8 (a UTF-8 byte-order mark is
  fine, UTF-16 is refused with advice);
* in CSV output, pass-through cells that a spreadsheet would run as a formula (starting with
  ``=``, ``+``, ``-``, ``@``, tab or carriage return, and not a plain number) are prefixed with
  ``'`` unless ``escape_formulas=False``; Parquet output is never altered.

The output holds the identifier and kept columns, one column per cause, and with
``errors="coerce"`` a last column ``not_scored`` saying why a row's posteriors are empty. Its
provenance (package version, model folder, a SHA-256 fingerprint of the model's data files,
row counts) is stored in the Parquet file's metadata (key ``gluteal_bn``) or, for CSV, in a
sidecar file ``<output>.meta.json``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..batch import CaseError
from ..errors import DataError
from .atomic import atomic_path

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = [
    "DEFAULT_CHUNKSIZE",
    "MAX_CELL_CHARS",
    "MAX_LINE_BYTES",
    "MISSING_MARKERS",
    "REASON_COLUMN",
    "ScoreReport",
    "data_fingerprint",
    "score_csv",
    "score_file",
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

_MISSING = -1
_INVALID = -2
_FORMULA = re.compile(r"[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
_NUMBER_PATTERN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


@dataclass(frozen=True)
class ScoreReport:
    """What a scoring run did: rows read, scored and not scored (and why), and where it wrote.

    Parameters
    ----------
    rows : int
        Data rows read (blank lines not counted).
    scored : int
        Rows whose posteriors were written.
    not_scored : dict of str to int
        Rows left empty, by reason (``"bad cell"``, ``"impossible evidence"``); only with
        ``errors="coerce"``.
    target : pathlib.Path
        The file written.
    metadata : dict
        The provenance stored with the output.
    """

    rows: int
    scored: int
    not_scored: dict[str, int]
    target: Path
    metadata: dict[str, Any] = field(repr=False)

    def __str__(self) -> str:
        if not self.not_scored:
            return f"{self.rows:,} cases scored; posteriors written to {self.target}"
        missed = self.rows - self.scored
        why = ", ".join(f"{count:,} {reason}" for reason, count in self.not_scored.items())
        return (
            f"{self.rows:,} rows read: {self.scored:,} scored, {missed:,} NOT scored ({why}; "
            f"reasons in column {REASON_COLUMN!r}); posteriors written to {self.target}"
        )


def score_file(
    model: DiagnosticModel,
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    errors: Errors = "raise",
    chunksize: int = DEFAULT_CHUNKSIZE,
    id_column: str | None = None,
    keep: Sequence[str] = (),
    escape_formulas: bool = True,
    progress: bool | None = None,
    reader: Reader = "auto",
) -> ScoreReport:
    """Write P(cause present) for every case of ``source`` to ``target``, streamed.

    Parameters
    ----------
    model : DiagnosticModel
        The model that scores.
    source : path
        The cases: ``.csv`` (a header line, one column per observed variable, any subset) or
        ``.parquet`` (text columns). The rules for cells and rows are in the module docstring.
    target : path
        Where to write: ``.parquet`` writes Parquet (needs pyarrow), anything else CSV. It may
        not be the input (also through a link) nor lie in the bundled data folder.
    errors : {"raise", "coerce", "report"}
        A cell that is not a state, or a case the model gives probability zero: stop at the
        first with a DataError naming the line (``"raise"``, the default); leave that row's
        posteriors empty, say why in the column ``not_scored`` and count it in the report
        (``"coerce"``); or read the whole file and raise one DataError listing every bad cell
        (``"report"``; nothing is written if there is one).
    chunksize : int
        At most this many rows are held and scored at once.
    id_column : str, optional
        A column copied to the output as its first column (e.g. a patient number).
    keep : sequence of str
        Further columns copied to the output, after the identifier, as they are.
    escape_formulas : bool
        In CSV output, prefix ``'`` to kept cells that a spreadsheet would run as a formula
        (default True). Parquet output is never altered.
    progress : bool, optional
        Show a progress bar (tqdm) on stderr; by default only when stderr is a terminal.
    reader : {"auto", "arrow", "exact"}
        The pyarrow reader when pyarrow is installed (``"auto"``), or the exact reader. Both
        give the same output.

    Returns
    -------
    ScoreReport
        Rows read, scored and not scored (by reason); ``str()`` is a one-line summary.

    Raises
    ------
    DataError
        The file cannot be read or holds a bad row or cell (named by line), the target is not
        allowed, or a column asked for does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.io.scoring import score_file
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "cases.csv").write_text("id,fever,age\\np1,yes,over_60\\np2,maybe,NA\\n")
    >>> report = score_file(
    ...     gb.load_model(), folder / "cases.csv", folder / "out.csv", id_column="id",
    ...     errors="coerce", progress=False)
    >>> report.rows, report.scored, report.not_scored
    (2, 1, {'bad cell': 1})
    >>> (folder / "out.csv").read_text().splitlines()[0]
    'id,spinal_disorder,local_infection,sciatic_neuralgia,hip_joint_disease,circulatory_disorder,not_scored'
    """
    if errors not in ("raise", "coerce", "report"):
        raise DataError(
            f"errors={errors!r} is not an option; expected 'raise', 'coerce' or 'report'"
        )
    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise DataError(f"chunksize must be a positive whole number of rows; got {chunksize!r}")
    if reader not in ("auto", "arrow", "exact"):
        raise DataError(f"reader={reader!r} is not an option; expected 'auto', 'arrow' or 'exact'")
    source, target = Path(source), Path(target)
    _check_target(source, target)
    keep = [keep] if isinstance(keep, str) else list(keep)  # one name, not its letters
    passthrough = list(dict.fromkeys([*([id_column] if id_column is not None else []), *keep]))
    parquet_in = source.suffix.lower() == ".parquet"
    parquet_out = target.suffix.lower() == ".parquet"
    if (parquet_in or parquet_out or reader == "arrow") and not _has_pyarrow():
        what = (
            "reading Parquet"
            if parquet_in
            else "writing Parquet"
            if parquet_out
            else "reader='arrow'"
        )
        raise DataError(
            f"{what} needs pyarrow, which is not installed; "
            "install it with: pip install 'gluteal-bn[arrow]'"
        )
    use_arrow = parquet_in or (reader != "exact" and _has_pyarrow())
    plan = _Plan(
        model=model,
        source=source,
        target=target,
        errors=errors,
        chunksize=chunksize,
        passthrough=passthrough,
        id_column=id_column,
        escape=escape_formulas and not parquet_out,
        parquet_out=parquet_out,
        progress=progress,
    )
    if parquet_in:
        return plan.run(_ParquetInput(source, chunksize))
    if use_arrow:
        try:
            return plan.run(_ArrowCsvInput(source, chunksize))
        except _NeedExact:
            pass  # start again with the reader that names lines: same output, or the error
    return plan.run(_ExactCsvInput(source, chunksize))


def score_csv(
    model: DiagnosticModel,
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    errors: Errors = "raise",
    chunksize: int = DEFAULT_CHUNKSIZE,
    id_column: str | None = None,
    progress: bool | None = None,
) -> int:
    """Score ``source`` into ``target`` like :func:`score_file`; returns the number of rows read.

    Kept for programs written against the first version; :func:`score_file` takes the same
    arguments and more, and returns a :class:`ScoreReport`.

    Parameters
    ----------
    model : DiagnosticModel
        The model that scores.
    source, target : path
        The cases and where to write the posteriors (see :func:`score_file`).
    errors : {"raise", "coerce", "report"}
        See :func:`score_file`.
    chunksize : int
        Rows read and scored at once.
    id_column : str, optional
        A column that is not evidence, copied to the output as its first column.
    progress : bool, optional
        Show a progress bar (tqdm) on stderr; by default only when stderr is a terminal.

    Returns
    -------
    int
        The number of data rows read.

    Raises
    ------
    DataError
        As :func:`score_file`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.io.scoring import score_csv
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "cases.csv").write_text("fever,age\\nyes,over_60\\n,under_40\\n")
    >>> score_csv(gb.load_model(), folder / "cases.csv", folder / "out.csv", progress=False)
    2
    >>> (folder / "out.csv").read_text().splitlines()[0]
    'spinal_disorder,local_infection,sciatic_neuralgia,hip_joint_disease,circulatory_disorder'
    """
    report = score_file(
        model,
        source,
        target,
        errors=errors,
        chunksize=chunksize,
        id_column=id_column,
        progress=progress,
    )
    return report.rows


def data_fingerprint(model: DiagnosticModel) -> dict[str, Any]:
    """SHA-256 of the model's data files (the CSV files of its folder) and of its numbers.

    Parameters
    ----------
    model : DiagnosticModel
        The model whose provenance is wanted.

    Returns
    -------
    dict
        ``data_fingerprint`` ("sha256:..." over each file's name and bytes, in name order),
        ``data_files`` (the names hashed), ``numbers_fingerprint`` (over the numbers the model
        holds in memory, which differ from the files for a changed or fitted model) and
        ``model_folder``.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> data_fingerprint(gb.load_model())["data_fingerprint"][:7]
    'sha256:'
    """
    folder = Path(model.folder)
    files = sorted(path for path in folder.glob("*.csv") if path.is_file())
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    numbers = hashlib.sha256(
        repr(
            [
                (n.variable, n.state, n.parent, n.parent_state, n.kind, n.value)
                for n in model.numbers
            ]
        ).encode()
    )
    return {
        "model_folder": str(folder),
        "data_files": [path.name for path in files],
        "data_fingerprint": f"sha256:{digest.hexdigest()}",
        "numbers_fingerprint": f"sha256:{numbers.hexdigest()}",
    }


# -- checks before reading -----------------------------------------------------------------


def _check_target(source: Path, target: Path) -> None:
    folder = target.parent
    if not folder.is_dir():
        raise DataError(f"cannot write {str(target)!r}: folder {str(folder)!r} does not exist")
    if target.is_dir():
        raise DataError(f"cannot write {str(target)!r}: it is a folder; give a file name")
    if not source.is_file():
        raise DataError("no such file", path=source)
    same = target.exists() and os.path.samefile(source, target)
    if same or target.resolve() == source.resolve():
        raise DataError(
            f"cannot write the posteriors to {str(target)!r}: it is the input file "
            f"{str(source)!r}, which would be lost; choose another output file"
        )
    from .model_folder import bundled_data_folder

    bundled = bundled_data_folder().resolve()
    if target.resolve().parent == bundled or bundled in target.resolve().parents:
        raise DataError(
            f"cannot write the posteriors to {str(target)!r}: it is inside the bundled data "
            f"folder {str(bundled)!r}, which holds the model's own files; choose another folder"
        )


def _has_pyarrow() -> bool:
    try:
        import pyarrow
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


def _echo(value: object) -> str:
    """``repr`` of a cell, cut to :data:`ECHO_CHARS` characters (a cell may be megabytes)."""
    if isinstance(value, str) and len(value) > ECHO_CHARS:
        return f"{value[:ECHO_CHARS]!r}... ({len(value):,} characters)"
    return repr(value)


class _NeedExact(Exception):
    """The fast reader met something only the exact reader can report or read."""


# -- the inputs: each yields chunks of the same shape ----------------------------------------


@dataclass
class _Chunk:
    """At most ``chunksize`` rows: each variable column as (codes into ``values``, values)."""

    size: int
    variables: dict[str, tuple[np.ndarray, list[Any]]]  # indices (-1 = null) and distinct values
    passthrough: dict[str, Any]  # column -> pyarrow array or list of str
    lines: list[int] | None  # physical line of each row (exact reader only)


class _Input:
    source: Path
    header: list[str]
    unit: str = "row"  # how errors point at a row: "line" (CSV) or "row" (Parquet)
    total: int = 0  # for the progress bar
    progress_unit: str = "B"

    def open(self, variables: list[str], passthrough: list[str]) -> Iterator[_Chunk]:
        raise NotImplementedError

    def position(self) -> int:
        return 0

    def locate(self, row: int, chunk: _Chunk, position: int) -> tuple[int, str]:
        """(number, unit) of a data row: the physical line, or the 1-based Parquet row."""
        if chunk.lines is not None:
            return chunk.lines[position], "line"
        raise _NeedExact

    def schema_types(self) -> dict[str, Any]:
        return {}


class _ExactCsvInput(_Input):
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

    def open(self, variables: list[str], passthrough: list[str]) -> Iterator[_Chunk]:
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
    ) -> _Chunk:
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
        return _Chunk(n, coded, kept, lines)


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


class _ArrowCsvInput(_Input):
    """pyarrow's CSV reader, variables read straight into dictionary arrays."""

    unit = "line"

    def __init__(self, source: Path, chunksize: int) -> None:
        self.source, self.chunksize = source, chunksize
        self.total = source.stat().st_size
        self._file: Any = None
        with source.open("rb") as stream:
            self.header, self.trailing = _read_header(stream, source)
            if not self.trailing:  # rows may end in a comma where the header does not
                self.trailing = _first_row_has_trailing_comma(stream, len(self.header))

    def position(self) -> int:
        return self._file.tell() if self._file is not None else 0

    def open(self, variables: list[str], passthrough: list[str]) -> Iterator[_Chunk]:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv

        names = list(self.header)
        if self.trailing:
            names.append("\0trailing")
        text = pa.dictionary(pa.int32(), pa.string())
        types = {name: (text if name in variables else pa.string()) for name in names}
        read = pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=MAX_LINE_BYTES)
        # A row with too many or too few fields raises ArrowInvalid: the exact reader takes over.
        parse = pcsv.ParseOptions(newlines_in_values=False)
        convert = pcsv.ConvertOptions(
            column_types=types,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            include_columns=[*dict.fromkeys([*variables, *passthrough])]
            + (["\0trailing"] if self.trailing else []),
        )
        with pa.OSFile(str(self.source), "rb") as file:
            self._file = file
            try:
                batches = pcsv.open_csv(
                    file, read_options=read, parse_options=parse, convert_options=convert
                )
                for batch in batches:
                    _check_arrow_batch(batch, variables, passthrough, self.trailing, pc)
                    for start in range(0, batch.num_rows, self.chunksize):
                        part = batch.slice(start, self.chunksize)
                        yield _arrow_chunk(part, variables, passthrough, pc)
            except (pa.ArrowInvalid, pa.ArrowException, UnicodeDecodeError):
                raise _NeedExact from None
            finally:
                self._file = None


class _ParquetInput(_Input):
    """A Parquet file, read in record batches; rows are named by number (1 = first row)."""

    unit = "row"
    progress_unit = "row"

    def __init__(self, source: Path, chunksize: int) -> None:
        import pyarrow.parquet as pq

        self.source, self.chunksize = source, chunksize
        try:
            self._file = pq.ParquetFile(source)
        except Exception as error:  # pyarrow says why in its own words
            raise DataError(
                f"is not a readable Parquet file: {_short(error)}", path=source
            ) from None
        self.header = list(self._file.schema_arrow.names)
        self.total = self._file.metadata.num_rows
        self.trailing = False
        self._rows = 0

    def position(self) -> int:
        return self._rows

    def schema_types(self) -> dict[str, Any]:
        schema = self._file.schema_arrow
        return {name: schema.field(name).type for name in schema.names}

    def locate(self, row: int, chunk: _Chunk, position: int) -> tuple[int, str]:
        return row + 1, "row"

    def open(self, variables: list[str], passthrough: list[str]) -> Iterator[_Chunk]:
        import pyarrow as pa
        import pyarrow.compute as pc

        schema = self._file.schema_arrow
        for name in variables:
            kind = schema.field(name).type
            if pa.types.is_dictionary(kind):
                kind = kind.value_type
            if not (
                pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
            ):
                raise DataError(
                    f"column {name!r} holds {kind} values; expected text (state names, "
                    "empty for not observed)",
                    path=self.source,
                )
        columns = list(dict.fromkeys([*variables, *passthrough]))
        try:
            import pyarrow.parquet as pq

            # Text columns straight into dictionary arrays (Parquet stores them so already).
            file = pq.ParquetFile(self.source, read_dictionary=variables)
            for batch in file.iter_batches(batch_size=self.chunksize, columns=columns):
                self._rows += batch.num_rows
                yield _arrow_chunk(batch, variables, passthrough, pc)
        except (pa.ArrowException, OSError) as error:
            raise DataError(
                f"is not a readable Parquet file: {_short(error)}", path=self.source
            ) from None


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
    shown = _echo(",".join(row[: width + 2]))
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


def _check_arrow_batch(
    batch: Any, variables: list[str], passthrough: list[str], trailing: bool, pc: Any
) -> None:
    """Send the file to the exact reader if this batch hides something only it can judge."""
    if trailing:
        extra = batch.column("\0trailing")
        if pc.any(pc.not_equal(extra, "")).as_py():
            raise _NeedExact
    for name in variables:
        values = batch.column(name).dictionary
        if len(values) and pc.max(pc.utf8_length(values)).as_py() > MAX_CELL_CHARS:
            raise _NeedExact
        if pc.any(pc.match_substring_regex(values, "[\r\n]")).as_py():
            raise _NeedExact  # a quote left open swallowed lines
    for name in passthrough:
        if name in variables:
            continue
        values = batch.column(name)
        if len(values) and (
            pc.max(pc.utf8_length(values)).as_py() > MAX_CELL_CHARS
            or pc.any(pc.match_substring_regex(values, "[\r\n]")).as_py()
        ):
            raise _NeedExact


def _arrow_chunk(batch: Any, variables: list[str], passthrough: list[str], pc: Any) -> _Chunk:
    import pyarrow as pa

    coded = {}
    for name in variables:
        column = batch.column(name)
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        indices = column.indices
        if indices.null_count:
            indices = pc.fill_null(indices, -1)
        coded[name] = (
            indices.to_numpy(zero_copy_only=False),
            column.dictionary.to_pylist(),
        )
    kept = {}
    for name in passthrough:
        column = batch.column(name)
        if name in variables and pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        kept[name] = column
    return _Chunk(batch.num_rows, coded, kept, None)


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]


# -- scoring, shared by every input ---------------------------------------------------------


@dataclass
class _Plan:
    model: DiagnosticModel
    source: Path
    target: Path
    errors: Errors
    chunksize: int
    passthrough: list[str]
    id_column: str | None
    escape: bool
    parquet_out: bool
    progress: bool | None

    def run(self, data: _Input) -> ScoreReport:
        from tqdm import tqdm

        variables = self._check_columns(data)
        output = _Output(self, data)
        reasons: Counter[str] = Counter()
        problems: list[str] = []
        rows = scored = 0
        with ExitStack() as stack:
            temporary = stack.enter_context(atomic_path(self.target))
            bar = stack.enter_context(
                tqdm(
                    total=data.total,
                    unit=data.progress_unit,
                    unit_scale=True,
                    desc=f"scoring {self.source.name}",
                    file=sys.stderr,
                    disable=None if self.progress is None else not self.progress,
                )
            )
            writer = stack.enter_context(output.writer(temporary))
            for chunk in data.open(variables, self.passthrough):
                values, why, missed = self._score(chunk, data, rows, problems)
                if not problems:
                    writer(chunk, values, why)
                reasons += missed
                scored += chunk.size - sum(missed.values())
                rows += chunk.size
                bar.update(data.position() - bar.n)
                bar.set_postfix(rows=f"{rows:,}", refresh=False)
            if problems:
                shown = problems[:REPORT_LIMIT]
                more = len(problems) - len(shown)
                raise DataError(
                    f"{len(problems):,} bad cells or cases; nothing written:\n  "
                    + "\n  ".join(shown)
                    + (f"\n  ... and {more:,} more" if more else ""),
                    path=self.source,
                )
            metadata = self._metadata(rows, scored, reasons)
            output.finish(writer, metadata)
        if not self.parquet_out:
            _write_sidecar(self.target, metadata)
        return ScoreReport(rows, scored, dict(sorted(reasons.items())), self.target, metadata)

    def _check_columns(self, data: _Input) -> list[str]:
        header = data.header
        for name in self.passthrough:
            if name not in header:
                what = "to use as the identifier" if name == self.id_column else "to keep"
                raise DataError(
                    f"has no column {name!r} {what}; columns: {', '.join(header)}",
                    path=self.source,
                )
        causes = set(self.model.causes) | ({REASON_COLUMN} if self.errors == "coerce" else set())
        clash = [name for name in self.passthrough if name in causes]
        if clash:
            raise DataError(
                f"cannot copy column {clash[0]!r} to the output: the output has a column of "
                "that name already (a cause's posterior, or the reasons column); rename it",
                path=self.source,
            )
        variables = [name for name in header if name in self.model.vocabulary]
        others = [name for name in header if name not in variables and name not in self.passthrough]
        if others:
            raise DataError(
                f"cases has column(s) that are not variables of this model: "
                f"{', '.join(map(repr, others))}. Known variables: "
                f"{', '.join(self.model.variables)}; to copy a column to the output as it "
                "is, name it with id_column / keep (--id / --keep)",
                path=self.source,
            )
        return variables

    def _score(
        self, chunk: _Chunk, data: _Input, before: int, problems: list[str]
    ) -> tuple[np.ndarray, list[str] | None, Counter[str]]:
        """Posteriors of a chunk; with coerce, the reason per row (empty if scored)."""
        model, n, errors = self.model, chunk.size, self.errors
        frame = {}
        bad = np.zeros(n, dtype=bool)
        found: list[tuple[int, str]] = []  # (position, message) of bad cells and cases
        for name, (indices, values) in chunk.variables.items():
            states = model.states(name)
            lookup = np.array(
                [*(_classify(value, states) for value in values), _MISSING], dtype=np.int64
            )
            codes = lookup[indices]
            invalid = codes == _INVALID
            if invalid.any():
                bad |= invalid
                positions = np.flatnonzero(invalid)
                for position in positions[:1] if errors == "raise" else positions:
                    value = values[indices[position]]
                    what = "a state of" if isinstance(value, str) else "a state name (text) of"
                    found.append(
                        (
                            int(position),
                            f"column {name!r}: {_echo(value)} is not {what} {name}; "
                            f"expected one of {list(states)}",
                        )
                    )
                codes = np.where(invalid, _MISSING, codes)
            frame[name] = pd.Categorical.from_codes(codes, categories=list(states))
        cases = pd.DataFrame(frame, index=pd.RangeIndex(n))
        values = model.posterior_batch(cases, errors="coerce").to_numpy()
        impossible = np.isnan(values[:, 0]) & ~bad
        for position in np.flatnonzero(impossible)[: 1 if errors == "raise" else None]:
            try:
                model.posterior_batch(cases.iloc[[position]])
                text = "evidence has probability zero in this model"
            except CaseError as error:
                text = error.reason
            found.append((int(position), f"impossible evidence: {text}"))
        found.sort(key=lambda item: item[0])  # stable: a row's cells stay in column order
        if found and errors == "raise":
            position, text = found[0]
            number, unit = data.locate(before + position, chunk, position)
            self._raise_at(number, unit, text.removeprefix("impossible evidence: "))
        if errors == "report":
            for position, text in found:
                number, unit = data.locate(before + position, chunk, position)
                problems.append(f"{unit} {number}: {text.removeprefix('impossible evidence: ')}")
        reasons: Counter[str] = Counter()
        if errors != "coerce":
            return values, None, reasons
        why: list[str] = [""] * n
        for position, text in found:
            if not why[position]:
                why[position] = text if text.startswith("impossible") else f"bad cell: {text}"
        reasons.update(
            "impossible evidence" if why[p].startswith("impossible") else "bad cell"
            for p in {position for position, _ in found}
        )
        values = values.copy()  # pandas may hand out a read-only view
        values[bad | impossible] = np.nan
        return values, why, reasons

    def _raise_at(self, number: int, unit: str, text: str) -> None:
        if unit == "line":
            raise DataError(text, path=self.source, line=number)
        raise DataError(f"{unit} {number}: {text}", path=self.source)

    def _metadata(self, rows: int, scored: int, reasons: Counter[str]) -> dict[str, Any]:
        from .. import __version__

        return {
            "gluteal_bn_version": __version__,
            **data_fingerprint(self.model),
            "source": self.source.name,
            "rows": rows,
            "scored": scored,
            "not_scored": rows - scored,
            "errors": self.errors,
            "escaped_formulas": self.escape,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }


def _classify(value: object, states: tuple[str, ...]) -> int:
    if value is None:
        return _MISSING
    if isinstance(value, str):
        if value in states:
            return states.index(value)
        if value.lower() in MISSING_MARKERS:
            return _MISSING
    return _INVALID


# -- the outputs ------------------------------------------------------------------------------


class _Output:
    """CSV (pyarrow's writer, or pandas without pyarrow) or Parquet, one chunk at a time."""

    def __init__(self, plan: _Plan, data: _Input) -> None:
        self.plan = plan
        self.causes = list(plan.model.causes)
        self.reasons = plan.errors == "coerce"
        self.names = [*plan.passthrough, *self.causes, *([REASON_COLUMN] if self.reasons else [])]
        self.types = data.schema_types()
        self.arrow = plan.parquet_out or _has_pyarrow()

    @contextmanager
    def writer(
        self, temporary: Path
    ) -> Iterator[Callable[[_Chunk, np.ndarray, list[str] | None], None]]:
        if not self.arrow:
            with temporary.open("w", encoding="utf-8", newline="") as out:
                csv.writer(out).writerow(self.names)

                def write_pandas(chunk: _Chunk, values: np.ndarray, why: list[str] | None) -> None:
                    columns: dict[str, Any] = {}
                    for name in self.plan.passthrough:
                        kept = pd.Series(chunk.passthrough[name], dtype=object)
                        columns[name] = _escape_pandas(kept) if self.plan.escape else kept
                    for i, cause in enumerate(self.causes):
                        columns[cause] = values[:, i]
                    if why is not None:
                        columns[REASON_COLUMN] = why
                    pd.DataFrame(columns).to_csv(out, header=False, index=False)

                yield write_pandas
            return
        import pyarrow as pa
        import pyarrow.compute as pc

        fields = [pa.field(name, self._kept_type(name, pa)) for name in self.plan.passthrough]
        fields += [pa.field(cause, pa.float64()) for cause in self.causes]
        if self.reasons:
            fields.append(pa.field(REASON_COLUMN, pa.string()))
        schema = pa.schema(fields)
        self.schema = schema

        def batch_of(chunk: _Chunk, values: np.ndarray, why: list[str] | None) -> Any:
            arrays = []
            for name in self.plan.passthrough:
                kept = chunk.passthrough[name]
                kept = (
                    kept
                    if isinstance(kept, (pa.Array, pa.ChunkedArray))
                    else pa.array(kept, pa.string())
                )
                if not self.plan.parquet_out and not pa.types.is_string(kept.type):
                    kept = kept.cast(pa.string())
                if self.plan.escape and pa.types.is_string(kept.type):
                    kept = _escape_arrow(kept, pc)
                arrays.append(kept.cast(schema.field(name).type))
            nan = np.isnan(values)
            for i in range(len(self.causes)):
                column = np.ascontiguousarray(values[:, i])
                arrays.append(pa.array(column, mask=nan[:, i] if nan[:, i].any() else None))
            if why is not None:
                if any(why):
                    arrays.append(pa.array([reason or None for reason in why], pa.string()))
                else:
                    arrays.append(pa.nulls(len(why), pa.string()))
            return pa.RecordBatch.from_arrays(arrays, schema=schema)

        if self.plan.parquet_out:
            import pyarrow.parquet as pq

            # Dictionary pages pay only for kept columns (ids may repeat); never for posteriors.
            self.parquet = pq.ParquetWriter(
                str(temporary), schema, use_dictionary=list(self.plan.passthrough)
            )
            try:
                yield lambda chunk, values, why: self.parquet.write_batch(
                    batch_of(chunk, values, why)
                )
            finally:
                self.parquet.close()
            return
        import pyarrow.csv as pcsv

        with temporary.open("wb") as binary:
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerow(self.names)
            binary.write(text.getvalue().encode("utf-8"))
            options = pcsv.WriteOptions(include_header=False)
            with pcsv.CSVWriter(binary, schema, write_options=options) as sink:
                yield lambda chunk, values, why: sink.write_batch(batch_of(chunk, values, why))

    def _kept_type(self, name: str, pa: Any) -> Any:
        kind = self.types.get(name)
        if kind is None or not self.plan.parquet_out:
            return pa.string()
        if pa.types.is_dictionary(kind):
            return kind.value_type
        return kind

    def finish(self, writer: Any, metadata: dict[str, Any]) -> None:
        if self.plan.parquet_out:
            self.parquet.add_key_value_metadata({"gluteal_bn": json.dumps(metadata)})


def _escape_arrow(values: Any, pc: Any) -> Any:
    risky = pc.and_(
        pc.match_substring_regex(values, _FORMULA_PATTERN),
        pc.invert(pc.match_substring_regex(values, _NUMBER_PATTERN)),
    )
    if not pc.any(risky).as_py():
        return values
    return pc.if_else(risky, pc.binary_join_element_wise("'", values, ""), values)


def _escape_pandas(values: pd.Series) -> pd.Series:
    def escape(cell: object) -> object:
        if isinstance(cell, str) and _FORMULA.match(cell) and not _NUMBER.fullmatch(cell):
            return "'" + cell
        return cell

    return values.map(escape)


def _write_sidecar(target: Path, metadata: dict[str, Any]) -> None:
    sidecar = target.with_name(target.name + ".meta.json")
    with atomic_path(sidecar) as temporary:
        temporary.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
