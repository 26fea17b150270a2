"""Numerics at the edges (issue 10, item 11): probabilities stay in [0, 1], tiny ones stay
possible, extreme numbers never overflow, and plots refuse what is not a probability."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import ArgumentError
from gluteal_bn.canonical import FindingParameters, LogisticPrior, expand
from gluteal_bn.network import quiet, variable_elimination

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
BASELINE = next(i for i, n in enumerate(MODEL.numbers) if n.kind == "baseline")
ODDS_RATIO = next(i for i, n in enumerate(MODEL.numbers) if n.kind == "odds_ratio")


def _pgmpy_posterior(model, evidence):
    oracle = variable_elimination(model.network)
    with quiet():
        factors = oracle.query(
            list(model.causes), evidence=evidence or None, joint=False, show_progress=False
        )
    return {
        cause: float(
            np.asarray(factors[cause].values)[
                factors[cause].state_names[cause].index(model.states(cause)[1])
            ]
        )
        for cause in model.causes
    }


@pytest.mark.parametrize(
    "changes",
    [{BASELINE: 0.9999999999999999}, {ODDS_RATIO: 1e300}, {BASELINE: 5e-324}, {ODDS_RATIO: 1e-300}],
)
def test_extreme_numbers_give_probabilities_in_range_equal_to_pgmpy(changes):
    model = MODEL.with_numbers(changes)
    number = MODEL.numbers[next(iter(changes))]
    evidences = [{}, {"fever": "yes"}]
    if number.kind == "odds_ratio":
        evidences.append({number.parent: number.parent_state})
    for evidence in evidences:
        posterior = model.posterior(evidence)
        assert ((posterior >= 0) & (posterior <= 1)).all(), posterior
        expected = _pgmpy_posterior(model, evidence)
        for cause in model.causes:
            assert posterior[cause] == pytest.approx(expected[cause], abs=1e-9)
        for name, table in model.query(list(model.variables), evidence).items():
            assert ((table >= 0) & (table <= 1)).all(), (name, table)
            assert table.sum() == pytest.approx(1.0, abs=1e-12)
    batch = model.posterior_batch(pd.DataFrame({"fever": ["yes", None, "no"]}))
    assert ((batch >= 0) & (batch <= 1)).all().all()


def test_baseline_next_to_one_never_gives_a_posterior_above_one():
    # Regression: 0.9999999999999999 gave 1.0000000000000002.
    model = MODEL.with_numbers({BASELINE: 0.9999999999999999})
    assert model.prior().max() <= 1.0
    assert model.posterior_array({}).max() <= 1.0


def test_absent_probability_is_computed_not_subtracted():
    # Regression: absent = 1 - present turned 1e-17 into 0, so "cause absent" was impossible.
    prior = LogisticPrior("c", 0.5, ("r",), (np.array([1.0, 1e17]),))
    table = expand(prior).table
    assert table[0, 1] == pytest.approx(1e-17, rel=1e-12)
    assert table[1, 1] == 1.0
    np.testing.assert_allclose(table.sum(axis=0), 1.0, rtol=0, atol=1e-15)
    huge = expand(LogisticPrior("c", 0.5, ("r",), (np.array([1.0, 1e305]),))).table
    assert huge[0, 1] == pytest.approx(1e-305, rel=1e-9)
    assert np.isfinite(huge).all()


def test_logit_sum_absent_state_is_computed_not_subtracted():
    leak = np.array([0.5, 0.5])
    alone = (np.array([1e-12, 1 - 1e-12]),) * 2  # both present: odds of about 1e24
    table = expand(FindingParameters("f", "logit_sum", leak, ("a", "b"), alone)).table
    assert table[0, 1, 1] == pytest.approx(1e-24, rel=1e-3)  # was 1 - P(yes) = 0
    np.testing.assert_allclose(table.sum(axis=0), 1.0, rtol=0, atol=1e-15)


def test_evidence_of_probability_1e_17_is_possible():
    number = MODEL.numbers[ODDS_RATIO]
    model = MODEL.with_numbers({ODDS_RATIO: 1e17 * (1 - MODEL.numbers[BASELINE].value)})
    absent = model.states(number.variable)[0]
    evidence = {number.parent: number.parent_state, number.variable: absent}
    assert model.probability_of_evidence(evidence) > 0
    posterior = model.posterior(evidence)
    assert posterior[number.variable] == 0.0
    assert ((posterior >= 0) & (posterior <= 1)).all()


@pytest.mark.parametrize("changes", [{BASELINE: 5e-324}, {ODDS_RATIO: 1e305}, {ODDS_RATIO: 1e-305}])
def test_tipping_points_with_extreme_numbers_do_not_overflow(changes):
    table = MODEL.with_numbers(changes).tipping_points({"fever": "yes"})
    assert len(table) > 0
    assert np.isfinite(table["flips_at"]).all()
    probabilities = table[table["kind"] != "odds_ratio"]["flips_at"]
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert (table[table["kind"] == "odds_ratio"]["flips_at"] > 0).all()


@pytest.mark.parametrize(
    ("bad", "shown"), [(math.nan, "nan"), (1.2, "1.2"), (-0.1, "-0.1"), ("x", "'x'")]
)
def test_plot_posterior_refuses_values_that_are_not_probabilities(bad, shown):
    prior = MODEL.prior()
    posterior = MODEL.posterior({"fever": "yes"}).astype(object)
    posterior.iloc[2] = bad
    cause = posterior.index[2]
    with pytest.raises(
        ArgumentError,
        match=rf"plot_posterior: posterior must hold probabilities between 0 and 1; '{cause}' is {shown}",
    ):
        gb.plot_posterior(prior, posterior)
