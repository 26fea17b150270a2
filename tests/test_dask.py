"""The README's Dask recipe: posterior_batch per partition with map_partitions.

The synchronous scheduler runs in this process; the process-based one pickles the model to
worker processes, so a model must arrive there with its own numbers (issue 10.2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb


def random_cases(model: gb.DiagnosticModel, n: int = 50) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    index = pd.RangeIndex(100, 100 + n)  # the Series share it: no misaligned all-NaN columns
    cases = pd.DataFrame(
        {
            name: pd.Series(rng.choice(model.states(name), n), index=index, dtype=object).where(
                rng.random(n) < 0.6
            )
            for name in ("age", "fever", "radiation", "local_infection")
        },
        index=index,
    )
    assert cases.notna().any(axis=None)
    return cases


def score_on_dask(model: gb.DiagnosticModel, cases: pd.DataFrame, **compute: object):
    import dask.dataframe as dd

    partitions = dd.from_pandas(cases, npartitions=4)
    meta = model.posterior_batch(cases.iloc[:0])  # the output's columns and dtypes, no rows
    scored = partitions.map_partitions(model.posterior_batch, meta=meta)
    return scored.compute(**compute)


def test_posterior_batch_runs_on_dask_partitions(model):
    cases = random_cases(model)
    result = score_on_dask(model, cases, scheduler="synchronous")
    pd.testing.assert_frame_equal(
        result, model.posterior_batch(cases), check_exact=False, atol=1e-12
    )


@pytest.mark.parametrize("how", ["changed", "fitted"])
def test_worker_processes_score_with_the_models_own_numbers(model, how):
    cases = random_cases(model)
    if how == "changed":
        index = [n.label for n in model.numbers].index("P(fever=yes | local_infection alone)")
        other = model.with_numbers({index: 0.05})
    else:
        other = model.fit(pd.DataFrame({"fever": ["yes"] * 90 + ["no"] * 10}))
    expected = other.posterior_batch(cases)
    assert not np.allclose(expected, model.posterior_batch(cases), equal_nan=True)
    result = score_on_dask(other, cases, scheduler="processes", num_workers=2)
    pd.testing.assert_frame_equal(result, expected, check_exact=False, atol=1e-12)


def test_the_dask_recipe_reads_parquet(tmp_path, model):
    # issue 12: analysts keep millions of rows in Parquet; the recipe reads it as it reads CSV
    import dask.dataframe as dd

    rng = np.random.default_rng(4)
    n = 60
    cases = pd.DataFrame(
        {
            name: pd.Series(rng.choice(model.states(name), n), dtype=object).where(
                rng.random(n) < 0.6
            )
            for name in ("age", "fever", "radiation", "pain_layer")
        }
    )
    for part in range(3):
        cases.iloc[part * 20 : (part + 1) * 20].to_parquet(tmp_path / f"cases-{part}.parquet")
    partitions = dd.read_parquet(str(tmp_path / "cases-*.parquet"))
    meta = model.posterior_batch(pd.DataFrame())
    scores = partitions.map_partitions(model.posterior_batch, meta=meta)
    result = scores.compute(scheduler="synchronous")
    np.testing.assert_allclose(
        result.to_numpy(), model.posterior_batch(cases).to_numpy(), rtol=0, atol=1e-12
    )
    assert len(result) == n
