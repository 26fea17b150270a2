"""The fast readers (pyarrow): CSV read straight into dictionary arrays, and Parquet.

Anything the CSV reader cannot report exactly raises :class:`~.common.NeedExact`, and the run
starts again with the exact reader (:mod:`.exact_reader`), which names the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import DataError
from .common import MAX_CELL_CHARS, MAX_LINE_BYTES, Chunk, Input, NeedExact
from .exact_reader import _first_row_has_trailing_comma, _read_header


class _ArrowCsvInput(Input):
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

    def open(self, variables: list[str], passthrough: list[str]) -> Iterator[Chunk]:
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
                raise NeedExact from None
            finally:
                self._file = None


class _ParquetInput(Input):
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

    def locate(self, row: int, chunk: Chunk, position: int) -> tuple[int, str]:
        return row + 1, "row"

    def open(self, variables: list[str], passthrough: list[str]) -> Iterator[Chunk]:
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


def _check_arrow_batch(
    batch: Any, variables: list[str], passthrough: list[str], trailing: bool, pc: Any
) -> None:
    """Send the file to the exact reader if this batch hides something only it can judge."""
    if trailing:
        extra = batch.column("\0trailing")
        if pc.any(pc.not_equal(extra, "")).as_py():
            raise NeedExact
    for name in variables:
        values = batch.column(name).dictionary
        if len(values) and pc.max(pc.utf8_length(values)).as_py() > MAX_CELL_CHARS:
            raise NeedExact
        if pc.any(pc.match_substring_regex(values, "[\r\n]")).as_py():
            raise NeedExact  # a quote left open swallowed lines
    for name in passthrough:
        if name in variables:
            continue
        values = batch.column(name)
        if len(values) and (
            pc.max(pc.utf8_length(values)).as_py() > MAX_CELL_CHARS
            or pc.any(pc.match_substring_regex(values, "[\r\n]")).as_py()
        ):
            raise NeedExact


def _arrow_chunk(batch: Any, variables: list[str], passthrough: list[str], pc: Any) -> Chunk:
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
    return Chunk(batch.num_rows, coded, kept, None)


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]
