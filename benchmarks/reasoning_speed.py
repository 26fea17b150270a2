"""How fast are the reasoning tools, against one pgmpy VariableElimination query?

    python benchmarks/reasoning_speed.py [--repeats 50]

Times, in one process and side by side (interleaved: one call of each per round, so that
load from other processes falls on all alike), the median wall time of

* ``model.next_questions(evidence)`` over every unobserved risk factor and finding,
* ``model.explain(evidence, cause)`` (exact Shapley values over all 2^n subsets),
* ``model.most_probable_explanation(evidence)`` and ``model.conflict(evidence)``,

and of a single ``VariableElimination(model.network).query(causes, evidence, joint=False)``,
for a small case (4 findings) and a full one (every risk factor and finding observed but
one), and prints each tool's time as a ratio to the pgmpy query (< 1 means faster than a
single pgmpy query). Not part of the test run: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

import gluteal_bn as gb
from gluteal_bn.network import quiet, variable_elimination

CASES = {
    "4 findings": {
        "fever": "yes",
        "pain_layer": "subcutaneous",
        "local_redness_swelling": "yes",
        "age": "40_to_60",
    },
    "12 of 13 observed": {
        "age": "over_60",
        "smoker": "yes",
        "diabetes": "yes",
        "pain_layer": "muscle",
        "radiation": "thigh",
        "fever": "no",
        "weakness_malaise": "no",
        "worse_with_sitting": "yes",
        "local_redness_swelling": "no",
        "low_back_pain": "yes",
        "claudication": "yes",
        "hip_movement_pain": "no",
    },
}


def interleaved_medians(functions: dict, repeats: int) -> dict[str, float]:
    """Median seconds of each function, timed in rounds (one call of each per round) so that
    load from other processes falls on every function alike."""
    for function in functions.values():
        function()  # warm up (imports, caches)
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()

    model = gb.load_model()
    oracle = variable_elimination(model.network)
    causes = list(model.causes)

    print(f"median of {args.repeats} runs; ratio = tool time / one pgmpy VE query\n")
    print(f"{'case':<19} {'tool':<34} {'median':>10} {'ratio':>8}")
    for case, evidence in CASES.items():

        def pgmpy_query(evidence=evidence):
            with quiet():
                oracle.query(causes, evidence=evidence, joint=False, show_progress=False)

        n_candidates = len(model.risk_factors) + len(model.findings) - len(evidence)
        tools = {
            "pgmpy VE query (the reference)": pgmpy_query,
            f"next_questions ({n_candidates} candidates)": lambda e=evidence: model.next_questions(
                e
            ),
            f"explain (2^{len(evidence)} subsets)": lambda e=evidence: model.explain(
                e, "local_infection"
            ),
            "most_probable_explanation (k=5)": lambda e=evidence: model.most_probable_explanation(
                e
            ),
            "conflict": lambda e=evidence: model.conflict(e),
        }
        medians = interleaved_medians(tools, args.repeats)
        reference = medians["pgmpy VE query (the reference)"]
        for name, seconds in medians.items():
            print(f"{case:<19} {name:<34} {seconds * 1e3:8.2f}ms {seconds / reference:8.3f}")
        print()


if __name__ == "__main__":
    main()
