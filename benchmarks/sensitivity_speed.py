"""Sensitivity over every number of the CSV files vs ten pgmpy VariableElimination queries.

The issue's goal: one-way sensitivity of a cause's posterior to *every* number (each at both
ends of its range, each end exact) within the time of ten pgmpy VE queries of that posterior.
Both run here, side by side in one process, on the same evidence; best of several repeats.

    python benchmarks/sensitivity_speed.py
"""

from __future__ import annotations

import time

import gluteal_bn as gb
from gluteal_bn.network import quiet, variable_elimination

EVIDENCE = {"fever": "yes", "diabetes": "yes", "pain_layer": "subcutaneous", "radiation": "none"}
CAUSE = "local_infection"
REPEATS = 5


def best_of(function, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    model = gb.load_model()
    inference = variable_elimination(model.network)

    def ten_pgmpy_queries():
        with quiet():
            for _ in range(10):
                inference.query([CAUSE], evidence=EVIDENCE, show_progress=False)

    def sensitivity():
        model.sensitivity(EVIDENCE, CAUSE)

    ten_pgmpy_queries()  # warm both up (imports, caches)
    sensitivity()
    pgmpy_time = best_of(ten_pgmpy_queries)
    ours = best_of(sensitivity)
    n = len(model.numbers)
    print(f"evidence: {EVIDENCE}; cause: {CAUSE}")
    print(f"ten pgmpy VE queries:                     {pgmpy_time * 1000:8.1f} ms")
    print(f"sensitivity over all {n} numbers (x2 ends): {ours * 1000:8.1f} ms")
    print(f"ratio sensitivity / ten VE queries:       {ours / pgmpy_time:8.2f} (goal: <= 1)")


if __name__ == "__main__":
    main()
