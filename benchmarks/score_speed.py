"""`gluteal-bn score` end to end against "pyarrow read + posterior_batch + pyarrow write".

    python benchmarks/score_speed.py [--rows N] [--repeat N] [--folder DIR]

Issue 12 part 2: the same 1,000,000-row, 13-column file (risk factors and findings, about half
the cells empty, as `_common.cases_frame` draws them) is scored five ways in one process:

* baseline, CSV: `pyarrow.csv.read_csv` (whole file, text columns as dictionaries) ->
  `to_pandas` -> `model.posterior_batch` -> `pyarrow.csv.write_csv`, all in memory;
* baseline, Parquet: `pyarrow.parquet.read_table` -> same -> `pyarrow.parquet.write_table`;
* `score_file` CSV -> CSV and Parquet -> Parquet (streamed, constant memory, atomic, checked);
* `score_file(reader="exact")`: the fallback without pyarrow (Python's csv module);
* the pandas-based `score` of the previous version (kept below as `pandas_score`).

Each is timed as the best of ``--repeat`` runs (wall clock), the runs taken round robin so that
the machine's load falls on every entry alike; the outputs are checked to agree with the
baseline to 1e-12. Ratios are ours / baseline (the goal: <= 1.5).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import cases_frame, machine

import gluteal_bn as gb
from gluteal_bn.io.scoring import score_file


def pandas_score(model: gb.DiagnosticModel, source: Path, target: Path) -> None:
    """The `score` of the previous version: pandas read_csv chunks -> posterior_batch -> to_csv."""
    with target.open("w", newline="", encoding="utf-8") as out:
        reader = pd.read_csv(
            source, chunksize=100_000, dtype="category", keep_default_na=False, na_values=[""]
        )
        with reader:
            for number, chunk in enumerate(reader):
                model.posterior_batch(chunk).to_csv(out, header=number == 0, index=False)


def baseline_csv(model: gb.DiagnosticModel, source: Path, target: Path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    with source.open(encoding="utf-8") as file:
        names = file.readline().strip().split(",")
    text = pa.dictionary(pa.int32(), pa.string())
    table = pcsv.read_csv(
        source,
        convert_options=pcsv.ConvertOptions(
            column_types={name: text for name in names}, strings_can_be_null=True
        ),
    )
    scores = model.posterior_batch(table.to_pandas())
    pcsv.write_csv(pa.Table.from_pandas(scores, preserve_index=False), target)


def baseline_parquet(model: gb.DiagnosticModel, source: Path, target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    scores = model.posterior_batch(pq.read_table(source).to_pandas())
    pq.write_table(pa.Table.from_pandas(scores, preserve_index=False), target)


def best(repeat: int, function, *args) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=None, help="keep the files here")
    args = parser.parse_args()

    model = gb.load_model()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="score_speed-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_in, parquet_in = folder / "cases.csv", folder / "cases.parquet"
    if not csv_in.exists():
        frame = cases_frame(model, args.rows)
        frame.to_csv(csv_in, index=False)
        frame.to_parquet(parquet_in, index=False)
    size = csv_in.stat().st_size / 1e6
    columns = len(pd.read_csv(csv_in, nrows=1).columns)
    print(
        f"score, {args.rows:,} rows x {columns} columns ({size:.0f} MB CSV), best of "
        f"{args.repeat} ({machine()})"
    )

    runs = {
        "baseline: pyarrow read + posterior_batch + pyarrow write, CSV": (
            baseline_csv,
            csv_in,
            folder / "base.csv",
        ),
        "baseline: same, Parquet": (baseline_parquet, parquet_in, folder / "base.parquet"),
        "score_file CSV -> CSV": (
            lambda m, s, t: score_file(m, s, t, progress=False),
            csv_in,
            folder / "out.csv",
        ),
        "score_file Parquet -> Parquet": (
            lambda m, s, t: score_file(m, s, t, progress=False),
            parquet_in,
            folder / "out.parquet",
        ),
        "score_file CSV -> CSV, exact reader (no pyarrow)": (
            lambda m, s, t: score_file(m, s, t, progress=False, reader="exact"),
            csv_in,
            folder / "exact.csv",
        ),
        "previous pandas-based score, CSV -> CSV": (pandas_score, csv_in, folder / "pandas.csv"),
    }
    # Round robin (each repeat runs every entry once), so that a change in the machine's load
    # falls on every entry alike; the best time of each entry is kept.
    seconds = dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeat):
        for name, (function, source, target) in runs.items():
            seconds[name] = min(seconds[name], best(1, function, model, source, target))

    expected = pd.read_csv(folder / "base.csv").to_numpy()
    for name in ("out.csv", "exact.csv", "pandas.csv"):
        np.testing.assert_allclose(pd.read_csv(folder / name).to_numpy(), expected, atol=1e-12)
    np.testing.assert_allclose(
        pd.read_parquet(folder / "out.parquet").to_numpy(), expected, atol=1e-12
    )

    base = {
        "CSV": seconds["baseline: pyarrow read + posterior_batch + pyarrow write, CSV"],
        "Parquet": seconds["baseline: same, Parquet"],
    }
    print("| run | time | rows/s | vs pyarrow baseline (same format) |")
    print("| --- | ---: | ---: | ---: |")
    for name, value in seconds.items():
        kind = "Parquet" if "Parquet" in name and "CSV" not in name else "CSV"
        ratio = value / base[kind]
        print(f"| {name} | {value:.2f} s | {args.rows / value / 1e6:.2f} M | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
