"""Score a CSV file of cases into a CSV file of posteriors, in chunks, in constant memory.

The file is read ``chunksize`` rows at a time (``pandas.read_csv`` with ``chunksize``), each
chunk is scored with ``DiagnosticModel.posterior_batch`` and appended to a temporary file in
the target's folder, which replaces the target only when every row has been scored: on any
error nothing is written. Memory holds one chunk at a time, whatever the file's length.

The input has one column per observed variable (any subset, any order); an empty cell means
"not observed" (and only an empty cell: a state may be called ``none``). An optional identifier
column (``id_column``) is copied to the output in front of the causes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from .batch import CaseError
from .errors import DataError, EvidenceError

if TYPE_CHECKING:
    from .model import DiagnosticModel

__all__ = ["DEFAULT_CHUNKSIZE", "score_csv"]

DEFAULT_CHUNKSIZE = 100_000


def score_csv(
    model: DiagnosticModel,
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    errors: Literal["raise", "coerce"] = "raise",
    chunksize: int = DEFAULT_CHUNKSIZE,
    id_column: str | None = None,
    progress: bool | None = None,
) -> int:
    """Write P(cause present) for every case of ``source`` to ``target``; returns the row count.

    Parameters
    ----------
    model : DiagnosticModel
    source, target : path
        The cases (CSV with a header line) and the posteriors to write (CSV).
    errors : {"raise", "coerce"}
        As in ``posterior_batch``. With "raise" the DataError names the file and line
        (counting the header as line 1; a record spanning several lines shifts the count).
    chunksize : int
        Rows read and scored at once.
    id_column : str, optional
        A column that is not a variable, copied to the output as its first column.
    progress : bool, optional
        Show a progress bar (tqdm) on stderr; by default only when stderr is a terminal.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.scoring import score_csv
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "cases.csv").write_text("fever,age\\nyes,over_60\\n,under_40\\n")
    >>> score_csv(gb.load_model(), folder / "cases.csv", folder / "out.csv", progress=False)
    2
    >>> (folder / "out.csv").read_text().splitlines()[0]
    'spinal_disorder,local_infection,sciatic_neuralgia,hip_joint_disease,circulatory_disorder'
    """
    if not isinstance(chunksize, int) or chunksize < 1:
        raise DataError(f"chunksize must be a positive whole number of rows; got {chunksize!r}")
    source, target = Path(source), Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise DataError(f"cannot write {str(target)!r}: folder {str(folder)!r} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".csv")
    os.close(handle)
    try:
        rows = _score_into(model, source, Path(temporary), errors, chunksize, id_column, progress)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return rows


def _score_into(
    model: DiagnosticModel,
    source: Path,
    temporary: Path,
    errors: Literal["raise", "coerce"],
    chunksize: int,
    id_column: str | None,
    progress: bool | None,
) -> int:
    from tqdm import tqdm

    size = source.stat().st_size
    rows = 0
    with (
        source.open("rb") as cases,
        temporary.open("w", newline="", encoding="utf-8") as out,
        tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc=f"scoring {source.name}",
            file=sys.stderr,
            disable=None if progress is None else not progress,
        ) as bar,
    ):
        try:
            reader = pd.read_csv(
                cases,
                chunksize=chunksize,
                dtype="category",  # the parser builds the codes: no string hashing per cell
                keep_default_na=False,
                na_values=[""],
            )
        except pd.errors.EmptyDataError:
            raise DataError(
                "is empty; expected a header line of variable names", path=source
            ) from None
        with reader:
            for chunk in _chunks(reader, source):
                if id_column is not None:
                    chunk = _set_id(chunk, id_column, source)
                try:
                    scores = model.posterior_batch(chunk, errors=errors)
                except CaseError as error:
                    line = rows + error.position + 2  # the header is line 1
                    raise DataError(error.reason, path=source, line=line) from None
                except EvidenceError as error:  # columns: not about one line
                    raise DataError(str(error), path=source) from None
                scores.to_csv(out, header=rows == 0, index=id_column is not None)
                rows += len(chunk)
                bar.update(cases.tell() - bar.n)
                bar.set_postfix(rows=f"{rows:,}", refresh=False)
    if rows == 0:  # a header-only file: still write the header
        model.posterior_batch(pd.DataFrame()).to_csv(temporary, index=id_column is not None)
    return rows


def _chunks(reader: Iterator[pd.DataFrame], source: Path) -> Iterator[pd.DataFrame]:
    """The reader's chunks, with pandas' parsing errors as DataError naming the file."""
    try:
        yield from reader
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(f"is not a readable CSV file: {error}", path=source) from None


def _set_id(chunk: pd.DataFrame, id_column: str, source: Path) -> pd.DataFrame:
    if id_column not in chunk.columns:
        raise DataError(
            f"has no column {id_column!r} to use as the identifier; columns: "
            f"{', '.join(map(str, chunk.columns))}",
            path=source,
        )
    return chunk.set_index(id_column)
