"""next_questions: information gain equals a brute-force computation with pgmpy's joint."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluteal_bn import EvidenceError
from gluteal_bn.network import quiet, variable_elimination
from gluteal_bn.reasoning.next_question import NextQuestions

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
ORACLE = variable_elimination(MODEL.network)
OBSERVABLE = MODEL.risk_factors + MODEL.findings


def entropy_bits(p):
    p = np.asarray(p, dtype=float).ravel()
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def pgmpy_cause_distribution(evidence, target):
    """P(C | evidence) from pgmpy: the joint of all causes, or one cause."""
    variables = [target] if target else list(MODEL.causes)
    with quiet():
        factor = ORACLE.query(variables, evidence=evidence or None, joint=True, show_progress=False)
    return np.asarray(factor.values)


def pgmpy_probability(variable, state, evidence):
    with quiet():
        factor = ORACLE.query([variable], evidence=evidence or None, show_progress=False)
    return float(factor.values[factor.state_names[variable].index(state)])


def brute_force_gain(evidence, variable, target):
    now = entropy_bits(pgmpy_cause_distribution(evidence, target))
    expected = 0.0
    for state in MODEL.states(variable):
        p = pgmpy_probability(variable, state, evidence)
        if p > 0:
            expected += p * entropy_bits(
                pgmpy_cause_distribution({**evidence, variable: state}, target)
            )
    return now - expected


@st.composite
def cases(draw):
    names = draw(st.lists(st.sampled_from(OBSERVABLE), unique=True, max_size=5))
    evidence = {name: draw(st.sampled_from(MODEL.states(name))) for name in names}
    target = draw(st.sampled_from([None, *MODEL.causes]))
    return evidence, target


@settings(max_examples=8, deadline=None)
@given(cases())
def test_information_gain_equals_brute_force(case):
    evidence, target = case
    result = MODEL.next_questions(evidence, target)
    assert set(result.ranking.index) == {v for v in OBSERVABLE if v not in evidence}
    assert result.entropy == pytest.approx(
        entropy_bits(pgmpy_cause_distribution(evidence, target)), abs=1e-9
    )
    for variable in result.ranking.index:
        assert result.ranking.loc[variable, "information_gain"] == pytest.approx(
            max(0.0, brute_force_gain(evidence, variable, target)), abs=1e-9
        )


def test_answers_are_the_posteriors_each_answer_would_give():
    evidence = {"fever": "yes", "age": "over_60"}
    result = MODEL.next_questions(evidence)
    for (variable, answer), row in result.answers.iterrows():
        expected_p = MODEL.query(variable, evidence)[variable][answer]
        assert row["probability"] == pytest.approx(expected_p, abs=1e-12)
        posterior = MODEL.posterior({**evidence, variable: answer})
        np.testing.assert_allclose(row[list(MODEL.causes)].to_numpy(float), posterior, atol=1e-12)
    assert list(result.answers.index.get_level_values("variable").unique()) == list(
        result.ranking.index
    )


def test_ranking_is_sorted_and_gains_are_consistent():
    result = MODEL.next_questions({"pain_layer": "deep"})
    gains = result.ranking["information_gain"].to_numpy()
    assert (np.diff(gains) <= 0).all()
    np.testing.assert_allclose(
        gains, result.entropy - result.ranking["expected_entropy"].to_numpy(), atol=1e-12
    )
    assert result.best == result.ranking.index[0]
    assert repr(result).startswith(f"NextQuestions(about all causes: ask {result.best} first")
    html = result._repr_html_()
    assert "Next questions" in html and result.best in html


def test_soft_evidence_is_used_and_its_variable_is_not_a_candidate():
    soft = {"fever": {"yes": 0.8, "no": 0.2}}
    result = MODEL.next_questions({"pain_layer": "subcutaneous"}, soft=soft)
    assert "fever" not in result.ranking.index
    posterior = MODEL.posterior(
        {"pain_layer": "subcutaneous", "local_redness_swelling": "yes"}, soft=soft
    )
    row = result.answers.loc[("local_redness_swelling", "yes")]
    np.testing.assert_allclose(row[list(MODEL.causes)].to_numpy(float), posterior, atol=1e-12)
    now = MODEL.next_questions({"pain_layer": "subcutaneous"})
    assert result.entropy != pytest.approx(now.entropy)


def test_nothing_left_to_ask():
    evidence = {name: MODEL.states(name)[0] for name in OBSERVABLE}
    result = MODEL.next_questions(evidence)
    assert result.ranking.empty and result.answers.empty and result.best is None
    assert repr(result) == "NextQuestions(about all causes: nothing left to ask)"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("fever", r"'fever' is a finding, not a cause; expected one of \['spinal_disorder'"),
        ("local_infektion", r"next_questions target: unknown cause 'local_infektion'"),
    ],
)
def test_bad_target_is_refused(target, message):
    with pytest.raises(EvidenceError, match=message):
        MODEL.next_questions({}, target)


def test_bad_evidence_is_refused():
    with pytest.raises(EvidenceError, match=r"evidence fever='maybe' is not a state of fever"):
        MODEL.next_questions({"fever": "maybe"})


def test_result_type():
    assert isinstance(MODEL.next_questions(), NextQuestions)
