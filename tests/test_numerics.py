"""Numerics at the edges (issue 10, item 11): probabilities stay in [0, 1], tiny ones stay
possible, extreme numbers never overflow, and plots refuse what is not a probability."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import ArgumentError, DataError
from gluteal_bn.canonical import FindingParameters, LogisticPrior, expand
from gluteal_bn.io.specification.priors import SMALLEST_PROBABILITY
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
    [
        {BASELINE: 0.9999999999999999},
        {ODDS_RATIO: 1e300},
        {BASELINE: SMALLEST_PROBABILITY},  # the smallest baseline the loader takes (5e-324 was)
        {ODDS_RATIO: 1e-300},
    ],
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


@pytest.mark.parametrize(
    "changes", [{BASELINE: SMALLEST_PROBABILITY}, {ODDS_RATIO: 1e305}, {ODDS_RATIO: 1e-305}]
)
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


# -- issue 13: a logistic prior below the smallest normal float is refused at load -------------


def test_the_smallest_baseline_keeps_its_cause_possible_and_exact():
    # 2.2e-308 (the smallest normal float) is the floor: the cause stays possible, exactly.
    model = MODEL.with_numbers({BASELINE: SMALLEST_PROBABILITY})
    cause = MODEL.numbers[BASELINE].variable
    table = model.cpd_table(cause).to_numpy()
    assert table[:, 1].min() >= SMALLEST_PROBABILITY  # never rounded to 0
    evidence = {cause: model.states(cause)[1]}
    assert 0 < model.probability_of_evidence(evidence) < 1e-300
    evidence["fever"] = "yes"
    posterior = model.posterior(evidence)
    assert posterior[cause] == 1.0
    oracle = variable_elimination(model.network)
    for other in (c for c in model.causes if c != cause):
        with quiet():
            factor = oracle.query([other], evidence=evidence, joint=False, show_progress=False)
        present = factor[other].state_names[other].index(model.states(other)[1])
        assert posterior[other] == pytest.approx(factor[other].values[present], abs=1e-9)


@pytest.mark.parametrize("value", ["1e-315", "5e-324", "2.2e-308"])
def test_a_subnormal_baseline_is_refused_at_load(data_copy, edit_cell, value):
    # 1e-315 used to load and overflow to exactly 0 in the expansion: evidence of the cause
    # was then "impossible".
    line = edit_cell(
        "priors.csv", {"variable": "local_infection", "measure": "probability"}, "value", value
    )
    with pytest.raises(
        DataError,
        match=rf"priors.csv line {line}, column value: the baseline P\(local_infection=yes\) is "
        rf"{value}, below 2.225e-308, the smallest probability computed exactly \(a smaller one "
        r"rounds to 0, which makes evidence of the cause impossible\); expected a baseline "
        r"between 2.225e-308 and 1$",
    ) as caught:
        gb.load_model(data_copy)
    assert (caught.value.line, caught.value.column) == (line, "value")


@pytest.mark.parametrize(
    ("baseline", "smoker", "rare", "about"),
    [
        ("1e-300", "1e-10", "yes", "1e-310"),  # presence below the floor
        ("0.5", "1e-310", "yes", "1e-310"),
        ("0.5", "1e310", None, None),  # not a finite number: refused as before
        ("0.999", "1e306", "no", r"\d.\d+e-31\d"),  # absence below the floor
    ],
)
def test_odds_ratios_that_push_a_probability_below_the_floor_are_refused(
    data_copy, edit_cell, baseline, smoker, rare, about
):
    where = {"variable": "local_infection"}
    baseline_line = edit_cell("priors.csv", {**where, "measure": "probability"}, "value", baseline)
    line = edit_cell("priors.csv", {**where, "parent": "smoker"}, "value", smoker)
    if rare is None:
        with pytest.raises(DataError, match=rf"line {line}, column value: '1e310' is not a finite"):
            gb.load_model(data_copy)
        return
    condition = (
        "smoker=yes" if rare == "yes" else "smoker=yes, diabetes=yes, recent_buttock_injection=yes"
    )
    with pytest.raises(
        DataError,
        match=rf"priors.csv line {line}, column value: with the baseline {baseline} \(line "
        rf"{baseline_line}\), P\(local_infection={rare} \| {condition}\) is about {about}, below "
        r"2.225e-308, .*; expected odds ratios that keep it at or above 2.225e-308$",
    ):
        gb.load_model(data_copy)


def test_the_log_space_path_never_gives_a_posterior_above_one(monkeypatch):
    # The same regression as above on the grouped tables' log-space route (every case sent
    # there): the sums can exceed the total by a rounding error, the result never does.
    from gluteal_bn.engine import grouped as module
    from gluteal_bn.evidence import check_evidence

    model = MODEL.with_numbers({BASELINE: 0.9999999999999999})
    tables = model.inference.engine.grouped
    monkeypatch.setattr(module, "UNDERFLOW", np.inf)
    evidences = [{}, {"age": "over_60"}, {"low_back_pain": "yes"}, {"fever": "yes"}]
    above = 0
    for evidence in evidences:
        codes = tables.codes(check_evidence(evidence, model.vocabulary))
        log_weights = sum(t[c] for t, c in zip(tables.log_tables, codes, strict=True))
        sums = tables.summary @ np.exp(log_weights - log_weights.max())
        above += bool((sums[:-1] / sums[-1] > 1).any())
        assert model.posterior(evidence).max() <= 1.0
        assert model.posterior_array(evidence).max() <= 1.0
        # and the route's log P(evidence) is the full engine's (no cause observed here)
        engine = model.inference.engine
        full = engine.cause_posterior(engine.rows(check_evidence(evidence, model.vocabulary)))
        assert abs(tables.cause_posterior(codes)[1] - full[1]) < 1e-9
    assert above  # without the clamp, some answer would be 1 + 2e-16
