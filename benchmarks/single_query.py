"""Single queries: gluteal_bn against pgmpy VE and pyAgrum LazyPropagation, one process.

    python benchmarks/single_query.py [--cases N] [--data FOLDER]

Each case observes about half the observable variables (risk factors and findings) at random
and asks for P(present) of all five causes. Every peer's answer is checked against ours.
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import (
    describe_model,
    machine,
    median_seconds,
    pgmpy_query,
    pyagrum_query,
    random_cases,
)

import gluteal_bn as gb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--data", metavar="FOLDER", help="model folder (default: bundled)")
    args = parser.parse_args()

    model = gb.load_model(args.data)
    cases = random_cases(model, args.cases)
    peers = {"pgmpy VariableElimination": pgmpy_query(model)}
    peers["pyAgrum LazyPropagation"] = pyagrum_query(model)
    # Same answers, or the comparison means nothing. pyAgrum reads the network from BIF text,
    # which pgmpy writes with fewer digits than a double holds, hence its looser tolerance.
    tolerances = {"pgmpy VariableElimination": 1e-9, "pyAgrum LazyPropagation": 1e-6}
    for name, query in peers.items():
        for evidence in cases:
            np.testing.assert_allclose(
                query(evidence),
                model.posterior_array(evidence),
                rtol=0,
                atol=tolerances[name],
                err_msg=name,
            )

    ours = {
        "gluteal_bn posterior (Series)": median_seconds(model.posterior, cases, repeat=20),
        "gluteal_bn posterior_array": median_seconds(model.posterior_array, cases, repeat=20),
    }
    theirs = {name: median_seconds(query, cases, repeat=2) for name, query in peers.items()}
    print(
        f"single query, {len(cases)} random cases, median per query, "
        f"{describe_model(model)} ({machine()})"
    )
    for name, seconds in {**ours, **theirs}.items():
        print(f"  {name:<32} {seconds * 1e6:10.1f} µs")
    for mine, my_seconds in ours.items():
        for name, seconds in theirs.items():
            print(f"  {mine} is {seconds / my_seconds:6.0f}x faster than {name}")


if __name__ == "__main__":
    main()
