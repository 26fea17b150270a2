"""The compiled engine equals pgmpy's VariableElimination on model.network (within 1e-9)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn import EvidenceError
from gluteal_bn.network import quiet, variable_elimination

from .conftest import bundled_model

TOLERANCE = 1e-9
MODEL = bundled_model()  # the session's model (conftest.py), loaded once
ORACLE = variable_elimination(MODEL.network)


def oracle_marginals(variables, evidence):
    """pgmpy's marginals, one variable per query.

    A multi-variable query (even ``joint=False``) makes pgmpy build the joint over all of
    them, which on the v2 model takes minutes and gigabytes; one variable at a time with a
    min-neighbours elimination order takes a fraction of a second and stays exact.
    """
    result = {}
    for name in variables:
        with quiet():
            factor = ORACLE.query(
                [name],
                evidence=evidence or None,
                joint=True,
                show_progress=False,
                elimination_order="MinNeighbors",
            )
        order = [factor.state_names[name].index(s) for s in MODEL.states(name)]
        result[name] = np.asarray(factor.values)[order]
    return result


def oracle_probability_of_evidence(evidence):
    """P(e) by the chain rule over pgmpy queries."""
    probability, seen = 1.0, {}
    for name, state in evidence.items():
        probability *= oracle_marginals([name], seen)[name][MODEL.states(name).index(state)]
        seen[name] = state
        if probability == 0:
            break
    return probability


@st.composite
def evidence_sets(draw, variables=MODEL.variables):
    chosen = draw(st.lists(st.sampled_from(variables), unique=True, max_size=len(variables) - 1))
    return {name: draw(st.sampled_from(MODEL.states(name))) for name in chosen}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence_sets())
def test_every_marginal_equals_variable_elimination(evidence):
    hidden = [v for v in MODEL.variables if v not in evidence]
    try:
        ours = MODEL.query(hidden, evidence)
    except EvidenceError:
        assert oracle_probability_of_evidence(evidence) == 0.0
        return
    expected = oracle_marginals(hidden, evidence)
    for name in hidden:
        np.testing.assert_allclose(ours[name].to_numpy(), expected[name], rtol=0, atol=TOLERANCE)


@settings(max_examples=60, deadline=None)
@given(evidence_sets(variables=MODEL.risk_factors + MODEL.findings))
def test_cause_posterior_equals_variable_elimination(evidence):
    ours = MODEL.posterior(evidence)
    expected = oracle_marginals(MODEL.causes, evidence)
    for cause in MODEL.causes:
        assert ours[cause] == pytest.approx(expected[cause][1], abs=TOLERANCE)


@settings(max_examples=30, deadline=None)
@given(evidence_sets(variables=MODEL.risk_factors + MODEL.findings))
def test_probability_of_evidence_equals_the_chain_rule(evidence):
    assert MODEL.probability_of_evidence(evidence) == pytest.approx(
        oracle_probability_of_evidence(evidence), rel=1e-9, abs=1e-300
    )


@given(evidence_sets())
@settings(max_examples=100, deadline=None)
def test_posteriors_are_probabilities(evidence):
    try:
        posterior = MODEL.posterior(evidence)
    except EvidenceError:
        return
    assert ((posterior >= 0) & (posterior <= 1)).all()


def test_pgmpy_network_holds_the_same_cpts():
    for variable in MODEL.variables:
        cpd = MODEL.network.get_cpds(variable)
        assert cpd.state_names[variable] == list(MODEL.states(variable))
        np.testing.assert_allclose(cpd.get_values(), MODEL.cpd_table(variable).to_numpy().T, atol=0)


def test_many_findings_with_extreme_probabilities_do_not_underflow(data_copy, edit_cell):
    # Push every finding's leak to the edge: log space keeps the answer finite and exact.
    for finding in ("claudication", "numbness_tingling", "low_back_pain"):
        edit_cell("likelihoods.csv", {"finding": finding, "cause": "leak"}, "probability", "1e-300")
    model = gb.load_model(data_copy)
    evidence = {
        "claudication": "yes",
        "numbness_tingling": "yes",
        "low_back_pain": "yes",
        "fever": "no",
        "local_redness_swelling": "no",
        "radiation": "below_knee",
    }
    posterior = model.posterior(evidence)
    assert np.isfinite(posterior).all()
    oracle = variable_elimination(model.network)
    with quiet():
        expected = oracle.query(
            ["spinal_disorder"], evidence=evidence, joint=False, show_progress=False
        )["spinal_disorder"]
    assert posterior["spinal_disorder"] == pytest.approx(expected.values[1], abs=TOLERANCE)
