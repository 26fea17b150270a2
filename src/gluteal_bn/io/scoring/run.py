"""A scoring run: check the request, pick the reader, score each chunk, write atomically.

The rules and the two readers are described in :mod:`gluteal_bn.io.scoring`.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...batch import CaseError
from ...errors import DataError
from ..atomic import atomic_path
from .arrow_reader import _ArrowCsvInput, _ParquetInput
from .common import (
    DEFAULT_CHUNKSIZE,
    MISSING_MARKERS,
    REASON_COLUMN,
    REPORT_LIMIT,
    Chunk,
    Errors,
    Input,
    NeedExact,
    Reader,
    echo,
    has_pyarrow,
)
from .exact_reader import _ExactCsvInput
from .writers import _Output, _write_sidecar, data_fingerprint

if TYPE_CHECKING:
    from ...model import DiagnosticModel

__all__ = ["ScoreReport", "score_csv", "score_file"]

_MISSING = -1
_INVALID = -2


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
    if (parquet_in or parquet_out or reader == "arrow") and not has_pyarrow():
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
    use_arrow = parquet_in or (reader != "exact" and has_pyarrow())
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
        except NeedExact:
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
    from ..model_folder import bundled_data_folder

    bundled = bundled_data_folder().resolve()
    if target.resolve().parent == bundled or bundled in target.resolve().parents:
        raise DataError(
            f"cannot write the posteriors to {str(target)!r}: it is inside the bundled data "
            f"folder {str(bundled)!r}, which holds the model's own files; choose another folder"
        )


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

    def run(self, data: Input) -> ScoreReport:
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

    def _check_columns(self, data: Input) -> list[str]:
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
        self, chunk: Chunk, data: Input, before: int, problems: list[str]
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
                            f"column {name!r}: {echo(value)} is not {what} {name}; "
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
        from ... import __version__

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
