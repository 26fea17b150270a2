"""The outputs of scoring: CSV or Parquet written a chunk at a time, and their provenance.

Provenance (package version, model folder, a SHA-256 fingerprint of the model's data files, row
counts) goes into the Parquet file's metadata or, for CSV, a sidecar ``<output>.meta.json``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..atomic import atomic_path
from .common import REASON_COLUMN, Chunk, Input, has_pyarrow

if TYPE_CHECKING:
    from ...model import DiagnosticModel
    from .run import _Plan

__all__ = ["data_fingerprint"]

_FORMULA = re.compile(r"[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
_NUMBER_PATTERN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


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


class _Output:
    """CSV (pyarrow's writer, or pandas without pyarrow) or Parquet, one chunk at a time."""

    def __init__(self, plan: _Plan, data: Input) -> None:
        self.plan = plan
        self.causes = list(plan.model.causes)
        self.reasons = plan.errors == "coerce"
        self.names = [*plan.passthrough, *self.causes, *([REASON_COLUMN] if self.reasons else [])]
        self.types = data.schema_types()
        self.arrow = plan.parquet_out or has_pyarrow()

    @contextmanager
    def writer(
        self, temporary: Path
    ) -> Iterator[Callable[[Chunk, np.ndarray, list[str] | None], None]]:
        if not self.arrow:
            with temporary.open("w", encoding="utf-8", newline="") as out:
                csv.writer(out).writerow(self.names)

                def write_pandas(chunk: Chunk, values: np.ndarray, why: list[str] | None) -> None:
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

        def batch_of(chunk: Chunk, values: np.ndarray, why: list[str] | None) -> Any:
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
