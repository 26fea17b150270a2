"""The grouped tables (the fast path) equal the full log-space engine, even where they underflow."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn.evidence import check_evidence

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once


@st.composite
def evidence_dicts(draw, model=MODEL):
    names = draw(st.lists(st.sampled_from(model.variables), unique=True, max_size=12))
    return {name: draw(st.sampled_from(model.states(name))) for name in names}


def full_engine(model, evidence):
    """P(cause present | e) and log P(e) from the (rows x K) log-space engine."""
    engine = model.inference.engine
    return engine.cause_posterior(engine.rows(check_evidence(evidence, model.vocabulary)))


@settings(max_examples=200, deadline=None)
@given(evidence=evidence_dicts())
def test_grouped_tables_equal_the_full_engine(evidence):
    checked = check_evidence(evidence, MODEL.vocabulary)
    grouped = MODEL.inference.engine.grouped
    values, log_evidence = grouped.cause_posterior(grouped.codes(checked))
    expected, expected_log = full_engine(MODEL, evidence)
    if expected_log == -np.inf:
        assert log_evidence == -np.inf and np.isnan(values).all()
        return
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-12)
    assert abs(log_evidence - expected_log) < 1e-9


def test_extreme_probabilities_fall_back_to_log_space(data_copy, edit_cell):
    # A cause with a prior of 1e-250, observed: every configuration the evidence allows has a
    # linear weight ~1e-250, below engine.UNDERFLOW, so the answer comes from log space.
    edit_cell(
        "priors.csv", {"variable": "local_infection", "measure": "probability"}, "value", "1e-250"
    )
    model = gb.load_model(data_copy)
    evidence = {"local_infection": "yes", "fever": "yes", "age": "over_60", "radiation": "thigh"}
    expected, log_evidence = full_engine(model, evidence)
    assert -1000 < log_evidence < np.log(1e-240)
    posterior = model.posterior(evidence)
    assert np.isfinite(posterior).all() and posterior["local_infection"] == 1.0
    np.testing.assert_allclose(posterior, expected, rtol=0, atol=1e-12)
    batch = model.posterior_batch(pd.DataFrame([evidence]))
    np.testing.assert_allclose(batch.iloc[0], expected, rtol=0, atol=1e-12)
    assert model.posterior({"fever": "yes"})["local_infection"] < 1e-240


def test_a_total_that_underflows_is_recomputed_in_log_space(data_copy, edit_cell, monkeypatch):
    # Issue 13, item 1. The 1e-250 prior above stays inside the normal path: each grouped table
    # is scaled by its row maximum, so its linear product stays large. Here the product itself
    # is subnormal: a 1e-300 baseline, observed present, and two of its findings at 1 - 1e-10
    # observed absent give a linear total near 1e-300 * 1e-10 * 1e-10 = 1e-320, which keeps
    # only a few significant digits. Both paths, single and batch, must take the log-space
    # route and equal the full engine.
    from gluteal_bn.engine.grouped import UNDERFLOW, GroupedTables

    edit_cell(
        "priors.csv", {"variable": "local_infection", "measure": "probability"}, "value", "1e-300"
    )
    for finding in ("fever", "weakness_malaise"):
        edit_cell(
            "likelihoods.csv",
            {"finding": finding, "cause": "local_infection"},
            "probability",
            "0.9999999999",
        )
    model = gb.load_model(data_copy)
    grouped = model.inference.engine.grouped
    evidence = {
        "local_infection": "yes",
        "fever": "no",
        "weakness_malaise": "no",
        "claudication": "yes",
        "age": "over_60",
    }
    # The precondition: the linear-scale product of the rows underflows below UNDERFLOW.
    codes = grouped.codes(check_evidence(evidence, model.vocabulary))
    weights = np.prod(
        [table[code] for table, code in zip(grouped.tables, codes, strict=True)], axis=0
    )
    assert 0 < weights.sum() < 1e-300 and weights.sum() < UNDERFLOW
    expected, log_evidence = full_engine(model, evidence)
    assert log_evidence < np.log(1e-300)
    assert 0.01 < expected[model.causes.index("circulatory_disorder")] < 0.99  # a real answer

    calls = []
    original = GroupedTables._cause_posterior_in_logs

    def spy(self, codes):
        calls.append(np.asarray(codes).tolist())
        return original(self, codes)

    monkeypatch.setattr(GroupedTables, "_cause_posterior_in_logs", spy)
    posterior = model.posterior(evidence)
    assert calls == [list(codes)]  # the single path took the log-space route, once
    np.testing.assert_allclose(posterior, expected, rtol=0, atol=1e-12)
    assert posterior["local_infection"] == 1.0

    calls.clear()
    ordinary = {"fever": "no", "claudication": "yes"}
    cases = pd.DataFrame([ordinary, evidence, ordinary], index=["a", "b", "c"])
    batch = model.posterior_batch(cases)
    assert calls == [list(codes)]  # only row "b" took the log-space route
    np.testing.assert_allclose(batch.loc["b"], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(batch.loc["a"], full_engine(model, ordinary)[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(batch.loc["c"], batch.loc["a"], rtol=0, atol=0)
    # the log-space route's log P(evidence) is the full engine's too
    assert abs(grouped.cause_posterior(codes)[1] - log_evidence) < 1e-9
