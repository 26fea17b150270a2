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

from .common import (
    DEFAULT_CHUNKSIZE,
    MAX_CELL_CHARS,
    MAX_LINE_BYTES,
    MISSING_MARKERS,
    REASON_COLUMN,
)

# The limits, the option types and the exact reader (a test spies on it) stay importable
# from here, as before the split into a package.
from .common import ECHO_CHARS as ECHO_CHARS
from .common import REPORT_LIMIT as REPORT_LIMIT
from .common import Errors as Errors
from .common import Reader as Reader
from .exact_reader import _ExactCsvInput as _ExactCsvInput
from .run import ScoreReport, score_csv, score_file
from .writers import data_fingerprint

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
