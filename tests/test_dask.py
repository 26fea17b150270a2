"""The README's Dask recipe: posterior_batch per partition with map_partitions."""

from __future__ import annotations

import numpy as np
import pandas as pd

import gluteal_bn as gb


def test_posterior_batch_runs_on_dask_partitions(model):
    import dask.dataframe as dd

    rng = np.random.default_rng(3)
    n = 50
    cases = pd.DataFrame(
        {
            name: pd.Series(rng.choice(model.states(name), n), dtype=object).where(
                rng.random(n) < 0.6
            )
            for name in ("age", "fever", "radiation", "local_infection")
        },
        index=pd.RangeIndex(100, 100 + n),
    )
    partitions = dd.from_pandas(cases, npartitions=4)
    meta = model.posterior_batch(cases.iloc[:0])  # the output's columns and dtypes, no rows
    scored = partitions.map_partitions(model.posterior_batch, meta=meta)
    result = scored.compute(scheduler="synchronous")
    pd.testing.assert_frame_equal(
        result, model.posterior_batch(cases), check_exact=False, atol=1e-12
    )
    assert isinstance(model, gb.DiagnosticModel)


def test_a_model_pickles_as_its_folder(model):
    import pickle

    copy = pickle.loads(pickle.dumps(model))
    assert copy.folder == model.folder
    pd.testing.assert_series_equal(
        copy.posterior({"fever": "yes"}), model.posterior({"fever": "yes"})
    )


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
