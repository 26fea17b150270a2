"""Shared set-up for the benchmark scripts: the model, random cases, the peers, a timer."""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import gluteal_bn as gb
from gluteal_bn.network import quiet, variable_elimination


def observable(model: gb.DiagnosticModel) -> list[str]:
    """What a clinician can observe: risk factors and findings (the causes are the question)."""
    return [*model.risk_factors, *model.findings]


def random_cases(model: gb.DiagnosticModel, n: int, seed: int = 0) -> list[dict[str, str]]:
    """``n`` evidence dicts, each observing about half the observable variables at random."""
    rng = np.random.default_rng(seed)
    names = observable(model)
    cases = []
    for _ in range(n):
        chosen = [name for name in names if rng.random() < 0.5]
        cases.append({name: str(rng.choice(model.states(name))) for name in chosen})
    return cases


def cases_frame(model: gb.DiagnosticModel, n: int, seed: int = 0) -> pd.DataFrame:
    """The same kind of cases as a DataFrame of strings (None = unobserved), vectorised."""
    rng = np.random.default_rng(seed)
    columns = {}
    for name in observable(model):
        states = np.array(model.states(name), dtype=object)
        values = states[rng.integers(0, len(states), n)]
        values[rng.random(n) < 0.5] = None
        columns[name] = values
    return pd.DataFrame(columns, dtype=object)


def pgmpy_query(model: gb.DiagnosticModel) -> Callable[[dict[str, str]], np.ndarray]:
    """pgmpy VariableElimination: P(cause present | evidence) for the five causes."""
    inference = variable_elimination(model.network)
    causes = list(model.causes)

    def query(evidence: dict[str, str]) -> np.ndarray:
        with quiet():
            result = inference.query(causes, evidence, joint=False, show_progress=False)
        return np.array([result[c].get_value(**{c: model.states(c)[1]}) for c in causes])

    return query


def pyagrum_query(model: gb.DiagnosticModel) -> Callable[[dict[str, str]], np.ndarray]:
    """pyAgrum LazyPropagation on the same network, exported to BIF by pgmpy."""
    try:
        import pyagrum as gum
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise SystemExit("pyAgrum is missing: pip install 'gluteal-bn[bench]'") from error
    with quiet(), tempfile.TemporaryDirectory() as folder:
        from pgmpy.readwrite import BIFWriter

        path = Path(folder) / "gluteal.bif"
        BIFWriter(model.network).write_bif(str(path))
        bn = gum.loadBN(str(path))
    inference = gum.LazyPropagation(bn)
    causes = list(model.causes)
    present = [bn.variable(c).labels().index(model.states(c)[1]) for c in causes]

    def query(evidence: dict[str, str]) -> np.ndarray:
        inference.eraseAllEvidence()
        inference.setEvidence(evidence)
        inference.makeInference()
        return np.array(
            [inference.posterior(c).toarray()[i] for c, i in zip(causes, present, strict=True)]
        )

    return query


def median_seconds(function: Callable[..., object], arguments: list, repeat: int = 1) -> float:
    """Median wall time of one call over ``arguments`` (each timed alone)."""
    times = []
    for _ in range(repeat):
        for argument in arguments:
            start = time.perf_counter()
            function(argument)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def describe_model(model: gb.DiagnosticModel) -> str:
    """Which network was measured: its folder and the size of its core."""
    engine = model.inference.engine
    size = getattr(engine, "n_configurations", None)
    core = f"{size:,} core configurations" if size else "not compiled"
    return f"model {model.folder}, {core}"


def machine() -> str:
    import os

    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    )
