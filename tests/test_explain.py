"""explain: exact Shapley values that add up to the change in log-odds."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluteal_bn import EvidenceError
from gluteal_bn.reasoning.explain import shapley_values

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
OBSERVABLE = MODEL.risk_factors + MODEL.findings


def log_odds(evidence, cause, soft=None):
    """v(S) through the public posterior (not the batch the module uses)."""
    p = MODEL.posterior(evidence, soft=soft)[cause]
    return math.log(p / (1 - p))


def naive_shapley(evidence, cause, soft=None):
    """Average marginal contribution over every order in which the items arrive."""
    items = [("hard", k) for k in evidence] + [("soft", k) for k in soft or {}]
    totals = dict.fromkeys(items, 0.0)
    orders = list(itertools.permutations(items))
    for order in orders:
        hard, soft_seen = {}, {}
        before = log_odds(hard, cause)
        for kind, name in order:
            if kind == "hard":
                hard[name] = evidence[name]
            else:
                soft_seen[name] = soft[name]
            after = log_odds(hard, cause, soft_seen or None)
            totals[(kind, name)] += after - before
            before = after
    return {item: total / len(orders) for item, total in totals.items()}


@st.composite
def cases(draw, max_size=13):
    names = draw(st.lists(st.sampled_from(OBSERVABLE), unique=True, max_size=max_size))
    evidence = {name: draw(st.sampled_from(MODEL.states(name))) for name in names}
    return evidence, draw(st.sampled_from(MODEL.causes))


@settings(max_examples=40, deadline=None)
@given(cases())
def test_contributions_sum_to_the_change_in_log_odds(case):
    evidence, cause = case
    why = MODEL.explain(evidence, cause)
    assert len(why) == len(evidence)
    assert why.prior_log_odds == pytest.approx(log_odds({}, cause), abs=1e-9)
    assert why.posterior_log_odds == pytest.approx(log_odds(evidence, cause), abs=1e-9)
    total = why.posterior_log_odds - why.prior_log_odds
    assert why["contribution"].sum() == pytest.approx(total, abs=1e-9)
    assert why.posterior == pytest.approx(MODEL.posterior(evidence)[cause], abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(cases(max_size=4))
def test_shapley_values_equal_the_permutation_average(case):
    evidence, cause = case
    why = MODEL.explain(evidence, cause)
    expected = naive_shapley(evidence, cause)
    for (_, name), value in expected.items():
        assert why.loc[f"{name}={evidence[name]}", "contribution"] == pytest.approx(value, abs=1e-9)


def test_weight_of_evidence_is_the_item_alone():
    evidence = {"fever": "yes", "pain_layer": "subcutaneous", "claudication": "yes"}
    why = MODEL.explain(evidence, "local_infection")
    for name, state in evidence.items():
        alone = log_odds({name: state}, "local_infection") - log_odds({}, "local_infection")
        assert why.loc[f"{name}={state}", "weight_of_evidence"] == pytest.approx(alone, abs=1e-9)
    assert list(why.index) == list(
        why.reindex(why["contribution"].abs().sort_values(ascending=False).index).index
    )
    assert why.method == "exact Shapley values over all 8 subsets of the items"


def test_soft_items_are_explained_too():
    evidence = {"pain_layer": "subcutaneous", "age": "over_60"}
    soft = {"fever": {"yes": 0.8, "no": 0.2}}
    why = MODEL.explain(evidence, "local_infection", soft=soft)
    assert "fever=soft" in why.index
    total = log_odds(evidence, "local_infection", soft) - log_odds({}, "local_infection")
    assert why["contribution"].sum() == pytest.approx(total, abs=1e-9)
    expected = naive_shapley(evidence, "local_infection", soft)
    assert why.loc["fever=soft", "contribution"] == pytest.approx(
        expected[("soft", "fever")], abs=1e-9
    )


def test_other_causes_can_be_items():
    # Explaining away: a confirmed spinal disorder lowers the odds of sciatic neuralgia given
    # radiation below the knee.
    evidence = {"radiation": "below_knee", "spinal_disorder": "yes"}
    why = MODEL.explain(evidence, "sciatic_neuralgia")
    assert why["contribution"].sum() == pytest.approx(
        log_odds(evidence, "sciatic_neuralgia") - log_odds({}, "sciatic_neuralgia"), abs=1e-9
    )


def test_all_seventeen_other_variables_observed():
    from gluteal_bn.reasoning.explain import MAX_ITEMS

    others = [v for v in MODEL.variables if v != "local_infection" and v != "infection_type"]
    evidence = {v: MODEL.states(v)[-1] for v in others[:MAX_ITEMS]}
    why = MODEL.explain(evidence, "local_infection")
    assert len(why) == MAX_ITEMS == 17
    assert why["contribution"].sum() == pytest.approx(
        log_odds(evidence, "local_infection") - log_odds({}, "local_infection"), abs=1e-8
    )


def test_more_items_than_the_exact_limit_are_refused():
    evidence = {v: MODEL.states(v)[-1] for v in MODEL.variables if v != "local_infection"}
    assert len(evidence) > 17
    with pytest.raises(EvidenceError, match=r"exact Shapley values need all 2\^n subsets"):
        MODEL.explain(evidence, "local_infection")


def test_no_evidence_gives_an_empty_table():
    why = MODEL.explain({}, "hip_joint_disease")
    assert why.empty
    assert why.prior_log_odds == why.posterior_log_odds


def test_shapley_values_of_a_known_game():
    # v(S) = |S|^2 for 3 players: symmetric, so each gets v(N) / 3 = 3.
    values = np.array([bin(m).count("1") ** 2 for m in range(8)], dtype=float)
    np.testing.assert_allclose(shapley_values(values, 3), [3.0, 3.0, 3.0])


@pytest.mark.parametrize(
    ("evidence", "cause", "soft", "message"),
    [
        (
            {},
            "fever",
            None,
            r"explain: 'fever' is a finding, not a cause; expected one of \['spinal_disorder'",
        ),
        ({}, "abscess", None, r"unknown cause 'abscess'"),
        (
            {"local_infection": "yes"},
            "local_infection",
            None,
            r"explain: local_infection is itself observed \(local_infection=yes\), so its log-odds are infinite",
        ),
        (
            {},
            "local_infection",
            {"local_infection": {"yes": 1.0}},
            r"some subset of the items makes local_infection certain \(log-odds infinite\)",
        ),
        (
            {"fever": "hot"},
            "local_infection",
            None,
            r"evidence fever='hot' is not a state of fever",
        ),
    ],
)
def test_bad_requests_are_refused(evidence, cause, soft, message):
    with pytest.raises(EvidenceError, match=message):
        MODEL.explain(evidence, cause, soft=soft)


def test_fast_path_equals_log_space_on_every_subset():
    from gluteal_bn.reasoning._arrays import evidence_items
    from gluteal_bn.reasoning.explain import (
        _general_subset_log_odds,
        _log_space_log_odds,
        subset_log_odds,
    )

    engine = MODEL.inference.engine
    # risk-factor items between cause-side items: the layered path reorders and maps back
    evidence = {"fever": "yes", "age": "over_60", "radiation": "thigh", "claudication": "no"}
    observation = MODEL.inference.observe(evidence, {"diabetes": {"yes": 0.3, "no": 1}})
    items = evidence_items(engine, MODEL.vocabulary, observation.hard, observation.likelihoods)
    present = engine.likelihood[engine.cause_present_rows[3]] > 0.5
    fast = subset_log_odds(engine, items, present)
    stacked = np.stack([item.log_row for item in items])
    slow = _log_space_log_odds(engine, stacked, present, np.arange(2 ** len(items)))
    np.testing.assert_allclose(fast, slow, atol=1e-12, rtol=0)
    general = _general_subset_log_odds(engine, items, present)
    np.testing.assert_allclose(general, slow, atol=1e-12, rtol=0)


def test_tiny_likelihoods_fall_back_to_log_space(monkeypatch):
    # Two items that each rule out (almost) what the other allows: in probability space their
    # product underflows to 0 everywhere; the log-space path gives the exact log-odds.
    from gluteal_bn.reasoning import explain as module
    from gluteal_bn.reasoning._arrays import EvidenceItem

    redone = []
    original = module._log_space_log_odds

    def spy(engine, stacked, present, masks):
        redone.append(list(masks))
        return original(engine, stacked, present, masks)

    monkeypatch.setattr(module, "_log_space_log_odds", spy)
    engine = MODEL.inference.engine
    present = engine.likelihood[engine.cause_present_rows[0]] > 0.5
    items = [
        EvidenceItem("a", "x", np.where(present, 0.0, -800.0)),
        EvidenceItem("b", "y", np.where(present, -800.0, 0.0)),
    ]
    values = module.subset_log_odds(engine, items, present)
    assert redone == [[1, 2, 3]]  # a or b alone leaves one side at e^-800: redone too
    prior = values[0]
    np.testing.assert_allclose(values, [prior, prior + 800, prior - 800, prior], atol=1e-9)
