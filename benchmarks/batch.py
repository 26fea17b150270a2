"""Batch scoring: posterior_batch on a 1-million-row DataFrame against pgmpy VE per case.

    python benchmarks/batch.py [--rows N] [--pgmpy-sample N] [--data FOLDER]

pgmpy has no batch query: its time per case is measured on a small sample of the same cases
and extrapolated (said so in the output). The sample's answers are checked against ours.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import cases_frame, describe_model, machine, median_seconds, pgmpy_query

import gluteal_bn as gb


def best_of(repeat: int, function, *args) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pgmpy-sample", type=int, default=100)
    parser.add_argument("--data", metavar="FOLDER", help="model folder (default: bundled)")
    args = parser.parse_args()

    model = gb.load_model(args.data)
    frame = cases_frame(model, args.rows)
    inputs = {
        "object strings": frame,
        "pandas str dtype": frame.astype("str"),
        "Categorical": frame.astype("category"),
    }
    print(f"batch, {args.rows:,} random cases, best of 3, {describe_model(model)} ({machine()})")
    rates = {}
    for name, cases in inputs.items():
        seconds = best_of(3, model.posterior_batch, cases)
        rates[name] = args.rows / seconds
        print(f"  posterior_batch, {name:<18} {seconds:7.3f} s  {rates[name]:12,.0f} cases/s")

    sample = frame.iloc[: args.pgmpy_sample]
    evidence = [
        {k: v for k, v in row.items() if isinstance(v, str)} for _, row in sample.iterrows()
    ]
    pgmpy = pgmpy_query(model)
    ours = model.posterior_batch(sample).to_numpy()
    for position, case in enumerate(evidence):
        np.testing.assert_allclose(pgmpy(case), ours[position], rtol=0, atol=1e-9)
    per_case = median_seconds(pgmpy, evidence)
    print(
        f"  pgmpy VariableElimination: {per_case * 1e3:.2f} ms per case (median of "
        f"{len(evidence)} cases), i.e. {1 / per_case:,.0f} cases/s; a {args.rows:,}-row table "
        f"would take about {per_case * args.rows / 3600:.1f} h (extrapolated)"
    )
    for name, rate in rates.items():
        print(f"  posterior_batch ({name}) is {rate * per_case:,.0f}x pgmpy VE per case")


if __name__ == "__main__":
    main()
