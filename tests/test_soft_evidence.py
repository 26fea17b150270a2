"""Soft (likelihood, virtual) evidence: checking in evidence.py, exactness against pgmpy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn import EvidenceError
from gluteal_bn.network import quiet, variable_elimination

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
OBSERVABLE = MODEL.risk_factors + MODEL.findings


def pgmpy_marginals(variables, evidence, soft):
    """pgmpy VE with virtual evidence: a hidden binary child per soft variable, observed.

    The child ``__name`` has P(child = 0 | name = s) = likelihood of s (scaled so the largest
    is 1; only ratios matter), the construction pgmpy's own ``virtual_evidence`` uses. The
    network is extended once and each variable is queried on its own with the MinNeighbors
    order: a query of many variables at once makes pgmpy build their joint table, which on
    the v2 network does not fit in memory.
    """
    from pgmpy.factors.discrete import TabularCPD

    network = MODEL.network.copy()
    observed = dict(evidence or {})
    for name, likelihoods in soft.items():
        values = np.array([likelihoods.get(s, 0.0) for s in MODEL.states(name)])
        values = values / values.max()
        child = "__" + name
        network.add_edge(name, child)
        network.add_cpds(
            TabularCPD(
                child,
                2,
                np.vstack([values, 1 - values]),
                evidence=[name],
                evidence_card=[len(values)],
                state_names={child: [0, 1], name: list(MODEL.states(name))},
            )
        )
        observed[child] = 0
    oracle = variable_elimination(network)
    result = {}
    with quiet():
        for name in variables:
            factor = oracle.query(
                [name],
                evidence=observed or None,
                joint=True,
                show_progress=False,
                elimination_order="MinNeighbors",
            )
            order = [factor.state_names[name].index(s) for s in MODEL.states(name)]
            result[name] = np.asarray(factor.values)[order]
    return result


@st.composite
def hard_and_soft(draw):
    names = draw(st.lists(st.sampled_from(OBSERVABLE), unique=True, min_size=1, max_size=6))
    n_soft = draw(st.integers(1, len(names)))
    soft = {}
    for name in names[:n_soft]:
        states = MODEL.states(name)
        values = draw(st.lists(st.floats(0, 5), min_size=len(states), max_size=len(states)))
        if not any(values):
            values[0] = 1.0
        soft[name] = dict(zip(states, values, strict=True))
    hard = {name: draw(st.sampled_from(MODEL.states(name))) for name in names[n_soft:]}
    return hard, soft


@settings(max_examples=60, deadline=None)
@given(hard_and_soft())
def test_soft_evidence_equals_pgmpy_virtual_evidence(case):
    hard, soft = case
    hidden = [v for v in MODEL.variables if v not in hard]
    ours = MODEL.query(hidden, hard, soft=soft)
    expected = pgmpy_marginals(hidden, hard, soft)
    for name in hidden:
        np.testing.assert_allclose(ours[name].to_numpy(), expected[name], atol=1e-9, rtol=0)
    posterior = MODEL.posterior(hard, soft=soft)
    for cause in MODEL.causes:
        assert posterior[cause] == pytest.approx(expected[cause][1], abs=1e-9)


def test_soft_evidence_equals_brute_force_with_an_added_child():
    # Virtual evidence = a child O of fever with P(O | fever) = lambda, O observed.
    hard, lam = {"pain_layer": "subcutaneous"}, {"no": 0.3, "yes": 0.7}
    joint = {
        fever: MODEL.probability_of_evidence({**hard, "fever": fever}) * lam[fever]
        for fever in ("no", "yes")
    }
    joint_with_cause = {
        fever: MODEL.probability_of_evidence({**hard, "fever": fever, "local_infection": "yes"})
        * lam[fever]
        for fever in ("no", "yes")
    }
    expected = sum(joint_with_cause.values()) / sum(joint.values())
    posterior = MODEL.posterior(hard, soft={"fever": lam})
    assert posterior["local_infection"] == pytest.approx(expected, abs=1e-12)
    assert MODEL.probability_of_evidence(hard, soft={"fever": lam}) == pytest.approx(
        sum(joint.values()), rel=1e-12
    )


def test_a_single_state_with_likelihood_is_hard_evidence():
    hard = MODEL.posterior({"fever": "yes", "age": "over_60"})
    soft = MODEL.posterior({"age": "over_60"}, soft={"fever": {"yes": 0.2}})
    np.testing.assert_allclose(soft.to_numpy(), hard.to_numpy(), atol=1e-12, rtol=0)


def test_only_ratios_matter_and_flat_likelihoods_change_nothing():
    a = MODEL.posterior(soft={"radiation": {"none": 1, "thigh": 2, "below_knee": 4}})
    b = MODEL.posterior(soft={"radiation": {"none": 0.25, "thigh": 0.5, "below_knee": 1}})
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), atol=1e-12, rtol=0)
    flat = MODEL.posterior(soft={"fever": {"no": 3, "yes": 3}})
    np.testing.assert_allclose(flat.to_numpy(), MODEL.prior().to_numpy(), atol=1e-12, rtol=0)


def test_soft_evidence_on_a_cause_moves_its_posterior():
    posterior = MODEL.posterior(soft={"local_infection": {"no": 1, "yes": 9}})
    prior = MODEL.prior()["local_infection"]
    odds = prior / (1 - prior) * 9
    assert posterior["local_infection"] == pytest.approx(odds / (1 + odds), abs=1e-12)


@pytest.mark.parametrize(
    ("soft", "message"),
    [
        ({"fever": {"yes": 0, "no": 0}}, r"soft evidence for fever gives every state likelihood 0"),
        ({"fever": {}}, r"soft evidence for fever gives every state likelihood 0"),
        (
            {"fever": {"yes": -0.5}},
            r"soft evidence fever\['yes'\] = -0.5 is not a finite likelihood >= 0",
        ),
        ({"fever": {"yes": math.inf}}, r"soft evidence fever\['yes'\] = inf is not a finite"),
        ({"fever": {"yes": math.nan}}, r"soft evidence fever\['yes'\] = nan is not a finite"),
        ({"fever": {"yes": "0.7"}}, r"soft evidence fever\['yes'\] = '0.7' is not a number"),
        ({"fever": {"yes": True}}, r"soft evidence fever\['yes'\] = True is not a number"),
        (
            {"fever": {"maybe": 1}},
            r"soft evidence fever: 'maybe' is not a state of fever; expected states from \['no', 'yes'\]",
        ),
        ({"fevr": {"yes": 1}}, r"unknown variable 'fevr' in soft evidence; did you mean 'fever'\?"),
        (
            {"fever": 0.7},
            r"soft evidence for fever must map states to likelihoods, such as \{'yes': 0.7, 'no': 0.3\}; got 0.7",
        ),
        (["fever"], r"soft evidence must be a mapping of variable name to \{state: likelihood\}"),
    ],
)
def test_bad_soft_evidence_is_refused(soft, message):
    with pytest.raises(EvidenceError, match=message):
        MODEL.posterior(soft=soft)


def test_a_variable_cannot_be_hard_and_soft():
    with pytest.raises(
        EvidenceError, match=r"fever is given both as evidence \(fever=yes\) and as soft evidence"
    ):
        MODEL.query("age", {"fever": "yes"}, soft={"fever": {"yes": 0.7, "no": 0.3}})


def test_impossible_soft_evidence_is_refused(data_copy, edit_cell):
    edit_cell("likelihoods.csv", {"finding": "fever", "cause": "leak"}, "probability", "0")
    model = gb.load_model(data_copy)
    # no cause is present, and fever has no leak: fever=yes is impossible
    evidence = {name: "no" for name in model.causes}
    with pytest.raises(
        EvidenceError, match=r"with soft evidence on fever has probability zero in this model"
    ):
        model.posterior(evidence, soft={"fever": {"yes": 1.0}})


def test_tiny_soft_likelihoods_only_count_by_their_ratios():
    # A subnormal likelihood must act like 1: only ratios matter (found on numpy 2.2).
    tiny = MODEL.query(["age"], soft={"age": {"under_40": 0.0, "40_to_60": 0.0, "over_60": 5e-324}})
    plain = MODEL.query(["age"], {"age": "over_60"})
    np.testing.assert_allclose(tiny["age"], plain["age"], atol=1e-12)


def test_tiny_soft_likelihood_on_a_finding_is_not_impossible():
    tiny = MODEL.posterior(soft={"fever": {"no": 0.0, "yes": 5e-324}})
    np.testing.assert_allclose(tiny, MODEL.posterior({"fever": "yes"}), atol=1e-12)


SOFT = [
    {"fever": {"no": 0.3, "yes": 0.7}},
    {"radiation": {"none": 1, "thigh": 2, "below_knee": 4}},
    {"sitting_effect": {"no_change": 0.2, "worse": 0.5, "relieved": 0.3}},
    {"age": {"under_40": 1, "40_to_60": 2, "over_60": 3}},
]
OTHER = [{}, {"claudication": "yes"}, {"smoker": "yes", "low_back_pain": "yes"}]


def test_an_observed_cause_is_exactly_one_or_zero_with_soft_evidence_too():
    # Issue 13, item 6: the exact-value guarantee of hard evidence (posterior() sets an
    # observed cause to exactly 1.0 or 0.0, not 1 - 1e-16) holds on the soft-evidence path,
    # through aliases (soft evidence given as a name=state pair), and in a batch.
    engine = MODEL.inference.engine
    rounded = 0  # combinations where the sums alone give 1 - 1e-16: the test can fail
    for cause, state, other, soft in (
        (c, s, o, soft)
        for c in MODEL.causes
        for s in MODEL.states(c)
        for o in OTHER
        for soft in SOFT
    ):
        hard = {cause: state, **other}
        exact = float(MODEL.states(cause).index(state) == 1)
        posterior = MODEL.posterior(hard, soft=soft)
        assert posterior[cause] == exact, (hard, soft, posterior[cause])
        assert MODEL.posterior_array(hard, soft=soft)[MODEL.causes.index(cause)] == exact
        table = MODEL.query(cause, hard, soft=soft)[cause]
        assert table.to_dict() == {s: float(s == state) for s in MODEL.states(cause)}
        observation = MODEL.inference.observe(hard, soft)
        raw = engine.cause_posterior(observation.rows, observation.extra)[0]
        rounded += raw[MODEL.causes.index(cause)] != exact
        aliased = MODEL.posterior({**hard, "worse_with_sitting": "no"})  # soft, via the alias
        assert aliased[cause] == exact
    assert rounded > 0
    cases = pd.DataFrame(
        {
            "local_infection": ["yes", "no", "yes"],
            "spinal_disorder": ["yes", "yes", None],
            "worse_with_sitting": ["no", "no", "no"],  # soft evidence in every row
            "claudication": [None, "yes", "yes"],
        }
    )
    batch = MODEL.posterior_batch(cases)
    assert batch["local_infection"].tolist() == [1.0, 0.0, 1.0]
    assert batch["spinal_disorder"].tolist()[:2] == [1.0, 1.0]
    assert 0 < batch["spinal_disorder"].iloc[2] < 1
