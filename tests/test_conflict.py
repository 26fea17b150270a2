"""conflict: Hugin's log2(prod P(e_i) / P(e)), against an independent computation with pgmpy."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn import EvidenceError
from gluteal_bn.network import quiet, variable_elimination

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
ORACLE = variable_elimination(MODEL.network)
OBSERVABLE = MODEL.risk_factors + MODEL.findings


def pgmpy_probability(evidence):
    """P(e) by the chain rule over pgmpy marginal queries."""
    probability, seen = 1.0, {}
    for name, state in evidence.items():
        with quiet():
            factor = ORACLE.query([name], evidence=seen or None, show_progress=False)
        probability *= float(factor.values[factor.state_names[name].index(state)])
        seen[name] = state
    return probability


def pgmpy_conflict(evidence):
    single = sum(math.log2(pgmpy_probability({k: v})) for k, v in evidence.items())
    return single - math.log2(pgmpy_probability(evidence))


@st.composite
def evidence_sets(draw):
    names = draw(st.lists(st.sampled_from(OBSERVABLE), unique=True, max_size=8))
    return {name: draw(st.sampled_from(MODEL.states(name))) for name in names}


@settings(max_examples=25, deadline=None)
@given(evidence_sets())
def test_conflict_equals_pgmpy(evidence):
    assert float(MODEL.conflict(evidence)) == pytest.approx(pgmpy_conflict(evidence), abs=1e-9)


def test_conflicting_case_is_positive_and_coherent_case_negative():
    # An abscess picture: fever, redness, subcutaneous pain fit one cause together.
    coherent = {"fever": "yes", "local_redness_swelling": "yes", "pain_layer": "subcutaneous"}
    # Visible redness and swelling (an abscess sign) yet no fever, no malaise and the pain
    # felt deep, not in the skin or fat: the findings point to different causes.
    conflicting = {
        "local_redness_swelling": "yes",
        "pain_layer": "deep",
        "fever": "no",
        "weakness_malaise": "no",
    }
    assert float(MODEL.conflict(coherent)) < 0 < float(MODEL.conflict(conflicting))


def test_single_item_and_no_evidence_have_no_conflict():
    assert float(MODEL.conflict({})) == 0.0
    assert float(MODEL.conflict({"fever": "yes"})) == pytest.approx(0.0, abs=1e-12)


def test_soft_items_count_with_their_expected_likelihood():
    soft = {"fever": {"yes": 0.8, "no": 0.2}}
    evidence = {"local_redness_swelling": "yes"}
    expected = math.log2(
        MODEL.probability_of_evidence(evidence) * MODEL.probability_of_evidence(soft=soft)
    ) - math.log2(MODEL.probability_of_evidence(evidence, soft=soft))
    assert float(MODEL.conflict(evidence, soft=soft)) == pytest.approx(expected, abs=1e-12)


def test_impossible_evidence_is_refused(data_copy, edit_cell):
    edit_cell("likelihoods.csv", {"finding": "fever", "cause": "leak"}, "probability", "0")
    model = gb.load_model(data_copy)
    evidence = {**{name: "no" for name in model.causes}, "fever": "yes"}
    with pytest.raises(EvidenceError, match=r"has probability zero in this model"):
        model.conflict(evidence)


def test_bad_evidence_is_refused():
    with pytest.raises(
        EvidenceError, match=r"evidence fever=1 is not a state name \(text, int given\)"
    ):
        MODEL.conflict({"fever": 1})


def test_conflict_is_a_frozen_result_whose_parts_make_the_measure():
    evidence = {"local_redness_swelling": "yes", "pain_layer": "deep", "fever": "no"}
    result = MODEL.conflict(evidence)
    table = result.to_frame()
    assert list(table.index) == [f"{name}={state}" for name, state in evidence.items()]
    for name, state in evidence.items():  # each P(e_i) and P(e) against pgmpy
        assert table.loc[f"{name}={state}", "probability"] == pytest.approx(
            pgmpy_probability({name: state}), abs=1e-12
        )
    assert result.joint_probability == pytest.approx(pgmpy_probability(evidence), abs=1e-12)
    assert result.bits == pytest.approx(
        math.log2(table["probability"].prod() / result.joint_probability), abs=1e-9
    )
    assert float(result) == result.bits and f"{result:+.4f}" == f"{result.bits:+.4f}"
    data = json.loads(json.dumps(result.to_dict()))
    assert data["conflict_bits"] == pytest.approx(result.bits)
    assert [item["variable"] for item in data["items"]] == list(evidence)
    text = str(result)
    assert f"{result.bits:+.3f} bits" in text and MODEL.labels["fever"] in text
    assert repr(result) == f"Conflict({result.bits:+.3f} bits; 3 items)"
    assert "<table" in result._repr_html_()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.bits = 0.0  # type: ignore[misc]
    empty = MODEL.conflict({})
    assert float(empty) == 0.0 and empty.table.empty and empty.joint_probability == 1.0
