"""model.fit: CSV numbers as a prior, updated with cases; recovers known numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import EvidenceError
from gluteal_bn.network import quiet

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
LABELS = [n.label for n in MODEL.numbers]
TRUE_CHANGES = {
    "P(fever=yes | no cause (leak))": 0.08,
    "OR(spinal_disorder=yes | smoker=yes)": 3.0,
    "P(spinal_disorder=yes | risk factors at reference)": 0.45,
    "P(low_back_pain=yes | spinal_type=degenerative alone)": 0.5,
}
TRUTH = MODEL.with_numbers({LABELS.index(k): v for k, v in TRUE_CHANGES.items()})
# complete cases: every risk factor, cause and subtype (v2 findings hang on subtype states, so
# without the subtypes only their mixture P(low_back_pain | spinal_disorder) is identifiable)
COLUMNS = [
    *MODEL.risk_factors,
    *MODEL.causes,
    *MODEL.vocabulary.subtypes,
    "fever",
    "low_back_pain",
]


def _sample(model, size, seed):
    with quiet():
        from pgmpy.sampling import BayesianModelSampling

        return BayesianModelSampling(model.network).forward_sample(
            size=size, seed=seed, show_progress=False
        )


@pytest.fixture(scope="module")
def cases():
    return _sample(TRUTH, 8000, seed=11)[COLUMNS]


def _value(model, label):
    return model.numbers[LABELS.index(label)].value


def _assert_recovered(learned):
    """Within about 3 standard errors of the truth for 8000 cases; the CSV numbers start far
    outside that (0.02 vs 0.08, OR 1.46 vs 3, 0.28 vs 0.45, 0.9 vs 0.5)."""
    for label, true_value in TRUE_CHANGES.items():
        got = _value(learned, label)
        if label.startswith("OR("):
            assert abs(np.log(got / true_value)) < 0.2, (label, got)
        else:
            assert abs(got - true_value) < 0.03, (label, got)


def test_complete_cases_recover_the_numbers_they_were_sampled_from(cases):
    _assert_recovered(MODEL.fit(cases, equivalent_sample_size=1))


def test_missing_values_by_em_still_recover_them(cases):
    rng = np.random.default_rng(5)
    holes = cases.mask(rng.random(cases.shape) < 0.2)  # a fifth of all values missing
    _assert_recovered(MODEL.fit(holes, equivalent_sample_size=1))


def test_a_hidden_cause_is_learned_through_its_findings(cases):
    hidden = cases.drop(columns=["spinal_disorder", "spinal_type"])  # the subtype reveals it
    learned = MODEL.fit(hidden, equivalent_sample_size=1)
    label = "P(spinal_disorder=yes | risk factors at reference)"
    assert learned.numbers[LABELS.index(label)].source.startswith("learned: 8000 cases")
    # EM moves the baseline towards the truth even though no case shows the cause
    assert abs(_value(learned, label) - 0.45) < abs(_value(MODEL, label) - 0.45)


def test_risk_factor_counts_are_exact_dirichlet_updates():
    cases = pd.DataFrame({"smoker": ["yes"] * 30 + ["no"] * 70})
    learned = MODEL.fit(cases, equivalent_sample_size=50)
    expected = (0.22 * 50 + 30) / (50 + 100)
    assert _value(learned, "P(smoker=yes)") == pytest.approx(expected, abs=1e-12)


def test_the_prior_weight_pulls_towards_the_csv_numbers(cases):
    weak = MODEL.fit(cases[["smoker"]], equivalent_sample_size=1)
    strong = MODEL.fit(cases[["smoker"]], equivalent_sample_size=1e6)
    assert _value(strong, "P(smoker=yes)") == pytest.approx(0.22, abs=1e-3)
    assert abs(_value(weak, "P(smoker=yes)") - 0.22) > abs(_value(strong, "P(smoker=yes)") - 0.22)


def test_learned_rows_are_marked_and_others_kept(cases, tmp_path):
    learned = MODEL.fit(cases[["smoker", "fever"]], equivalent_sample_size=20)
    fever_leak = learned.numbers[LABELS.index("P(fever=yes | no cause (leak))")]
    assert fever_leak.source.startswith("learned: 8000 cases + 20 virtual (prior: estimate:")
    assert fever_leak.sample_size == 8020
    untouched = LABELS.index("P(pain_layer=skin | spinal_disorder alone)")
    assert learned.numbers[untouched] == MODEL.numbers[untouched]
    saved = gb.load_model(learned.save(tmp_path / "learned"))
    assert saved.numbers == learned.numbers
    for name in MODEL.variables:
        assert np.array_equal(saved.cpd_table(name), learned.cpd_table(name))


def test_default_prior_weight_is_each_variables_sample_size():
    cases = pd.DataFrame({"smoker": ["yes"] * 10})
    learned = MODEL.fit(cases)
    size = min(n.effective_sample_size for n in MODEL.numbers if n.variable == "smoker")
    expected = (0.22 * size + 10) / (size + 10)
    assert _value(learned, "P(smoker=yes)") == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("cases", "kwargs", "error", "message"),
    [
        ([{"fever": "yes"}], {}, TypeError, r"cases must be a pandas DataFrame"),
        (pd.DataFrame({"fever": []}), {}, ValueError, r"cases is empty"),
        (
            pd.DataFrame({"fever": ["yes", "hot"]}, index=["a", "b"]),
            {},
            EvidenceError,
            r"case 'b': evidence fever='hot' is not a state of fever",
        ),
        (
            pd.DataFrame({"feverr": [None]}),
            {},
            EvidenceError,
            r"cases column 'feverr': unknown variable 'feverr'",
        ),
        (
            pd.DataFrame({"fever": ["yes"]}),
            {"equivalent_sample_size": -1},
            ValueError,
            r"equivalent_sample_size must be a number >= 0",
        ),
    ],
)
def test_bad_cases_are_named(cases, kwargs, error, message):
    with pytest.raises(error, match=message):
        MODEL.fit(cases, **kwargs)


def test_a_column_named_by_an_alias_learns_what_its_state_column_learns(cases):
    # worse_with_sitting=yes is sitting_effect=worse (data/aliases.csv)
    subset = cases[["smoker", "spinal_disorder", "sciatic_neuralgia"]].head(300).copy()
    rng = np.random.default_rng(3)
    worse = rng.random(len(subset)) < 0.4
    by_state = subset.assign(sitting_effect=np.where(worse, "worse", None))
    by_alias = subset.assign(worse_with_sitting=np.where(worse, "yes", None))
    expected = [n.value for n in MODEL.fit(by_state, equivalent_sample_size=5).numbers]
    got = [n.value for n in MODEL.fit(by_alias, equivalent_sample_size=5).numbers]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_soft_evidence_from_an_alias_counts_each_state_by_its_posterior():
    # worse_with_sitting=no stands for soft evidence (no_change or relieved): the E-step counts
    # each state of sitting_effect by its posterior given the case, and each cause likewise
    from gluteal_bn.reasoning.learning import _case_patterns, _Context

    evidence = {"worse_with_sitting": "no", "fever": "yes", "age": "over_60"}
    patterns, counts = _case_patterns(MODEL, pd.DataFrame([evidence] * 3))
    assert patterns[0].soft and counts.tolist() == [3.0]
    context = _Context(MODEL)
    expected_counts, log_likelihood = context.case_counts(MODEL.inference, patterns, counts)
    marginal = MODEL.query(["sitting_effect", *MODEL.causes], evidence)
    np.testing.assert_allclose(
        expected_counts["sitting_effect"].sum(axis=1),
        3 * marginal["sitting_effect"].to_numpy(),
        rtol=1e-12,
    )
    for cause in MODEL.causes:
        np.testing.assert_allclose(
            expected_counts[cause].sum(axis=1), 3 * marginal[cause].to_numpy(), rtol=1e-12
        )
    observation = MODEL.inference.observe(evidence)
    assert log_likelihood == pytest.approx(3 * MODEL.inference.log_evidence(observation), rel=1e-12)
