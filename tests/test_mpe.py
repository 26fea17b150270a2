"""most_probable_explanation: the k most probable joint states of the causes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluteal_bn import EvidenceError
from gluteal_bn.network import quiet, variable_elimination

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
ORACLE = variable_elimination(MODEL.network)
OBSERVABLE = MODEL.risk_factors + MODEL.findings


def pgmpy_cause_joint(evidence):
    """{(state of each cause): P} from pgmpy's joint query over the causes."""
    with quiet():
        factor = ORACLE.query(
            list(MODEL.causes), evidence=evidence or None, joint=True, show_progress=False
        )
    result = {}
    for states in itertools.product(("no", "yes"), repeat=len(MODEL.causes)):
        assignment = dict(zip(MODEL.causes, states, strict=True))
        result[states] = float(factor.get_value(**assignment))
    return result


@st.composite
def evidence_sets(draw):
    names = draw(st.lists(st.sampled_from(OBSERVABLE), unique=True, max_size=7))
    return {name: draw(st.sampled_from(MODEL.states(name))) for name in names}


@settings(max_examples=25, deadline=None)
@given(evidence_sets(), st.integers(1, 8))
def test_top_k_equals_pgmpy_joint(evidence, k):
    top = MODEL.most_probable_explanation(evidence, k=k)
    joint = pgmpy_cause_joint(evidence)
    expected = sorted(joint.values(), reverse=True)[:k]
    np.testing.assert_allclose(top["probability"].to_numpy(), expected, atol=1e-12)
    for _, row in top.iterrows():
        states = tuple(row[list(MODEL.causes)])
        assert row["probability"] == pytest.approx(joint[states], abs=1e-12)
    assert list(top.index) == list(range(1, k + 1))


def test_map_query_agrees_on_the_best_state():
    evidence = {"claudication": "yes", "age": "over_60", "smoker": "yes"}
    with quiet():
        best = ORACLE.map_query(list(MODEL.causes), evidence=evidence, show_progress=False)
    top = MODEL.most_probable_explanation(evidence, k=1)
    assert dict(top.loc[1, list(MODEL.causes)]) == best


def test_present_column_names_the_causes_present():
    top = MODEL.most_probable_explanation({}, k=32)
    assert len(top) == 32
    assert top["probability"].sum() == pytest.approx(1.0, abs=1e-12)
    for _, row in top.iterrows():
        present = [c for c in MODEL.causes if row[c] == "yes"]
        assert row["present"] == (" + ".join(present) or "(none)")


def test_observed_causes_leave_only_possible_states():
    top = MODEL.most_probable_explanation({"local_infection": "yes"}, k=32)
    assert len(top) == 16
    assert (top["local_infection"] == "yes").all()


def test_soft_evidence():
    soft = {"fever": {"yes": 0.9, "no": 0.1}}
    top = MODEL.most_probable_explanation({"pain_layer": "subcutaneous"}, k=3, soft=soft)
    for _, row in top.iterrows():
        causes = {c: row[c] for c in MODEL.causes}
        p = MODEL.probability_of_evidence(
            {"pain_layer": "subcutaneous", **causes}, soft=soft
        ) / MODEL.probability_of_evidence({"pain_layer": "subcutaneous"}, soft=soft)
        assert row["probability"] == pytest.approx(p, abs=1e-12)


@pytest.mark.parametrize("k", [0, -1, 2.5, "3", True])
def test_bad_k_is_refused(k):
    with pytest.raises(
        ValueError, match=r"most_probable_explanation: k must be a whole number >= 1; got"
    ):
        MODEL.most_probable_explanation({}, k=k)


def test_bad_evidence_is_refused():
    with pytest.raises(
        EvidenceError, match=r"unknown variable 'fver' in evidence; did you mean 'fever'"
    ):
        MODEL.most_probable_explanation({"fver": "yes"})
