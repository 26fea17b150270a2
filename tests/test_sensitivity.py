"""One-way sensitivity and tipping points: exact against pgmpy and brute-force enumeration."""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn import EvidenceError
from gluteal_bn.i18n import translation
from gluteal_bn.network import quiet, variable_elimination

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
EVIDENCE = {"fever": "yes", "diabetes": "yes", "pain_layer": "subcutaneous"}


def _index(label):
    return [n.label for n in MODEL.numbers].index(label)


def _pgmpy_posterior(model, evidence, cause):
    with quiet():
        factor = variable_elimination(model.network).query(
            [cause], evidence=evidence, show_progress=False
        )
    return float(factor.values[list(factor.state_names[cause]).index("yes")])


def _brute_force_posterior(model, evidence, cause):
    """P(cause=yes | evidence) by summing the full joint over every configuration."""
    names = model.variables
    tables = {name: model.cpd_table(name) for name in names}
    numerator = denominator = 0.0
    hidden = [n for n in names if n not in evidence and model.vocabulary[n].role != "finding"]
    for states in itertools.product(*(model.states(n) for n in hidden)):
        point = {**dict(zip(hidden, states, strict=True)), **evidence}
        probability = 1.0
        for name in names:
            if name not in point:
                continue  # an unobserved finding sums to one
            parents = model.parents(name)
            row = tuple(point[p] for p in parents) if parents else "(no parents)"
            probability *= tables[name].loc[row, point[name]]
        denominator += probability
        numerator += probability * (point[cause] == "yes")
    return numerator / denominator


@pytest.fixture(scope="module")
def table():
    return MODEL.sensitivity(EVIDENCE, "local_infection")


@pytest.mark.parametrize(
    "label",
    [
        "P(fever=yes | no cause (leak))",
        "OR(local_infection=yes | smoker=yes)",
        "P(local_infection=yes | risk factors at reference)",
        "P(fever=yes | local_infection alone)",
    ],
)
def test_endpoints_equal_pgmpy(table, label):
    row = table.set_index("label").loc[label]
    for end in ("low", "high"):
        changed = MODEL.with_numbers({int(row["number"]): row[end]})
        expected = _pgmpy_posterior(changed, EVIDENCE, "local_infection")
        assert row[f"posterior_at_{end}"] == pytest.approx(expected, abs=1e-9)


def test_a_two_row_distribution_covaries_like_brute_force(table):
    row = table.set_index("label").loc["P(smoker=yes)"]
    no, yes = _index("P(smoker=no)"), _index("P(smoker=yes)")
    for end in ("low", "high"):
        changed = MODEL.with_numbers({no: 1 - row[end], yes: row[end]})
        expected = _brute_force_posterior(changed, EVIDENCE, "local_infection")
        assert row[f"posterior_at_{end}"] == pytest.approx(expected, abs=1e-9)


def test_a_multi_state_distribution_covaries_proportionally():
    evidence = {"pain_layer": "muscle", "radiation": "thigh"}
    result = MODEL.sensitivity(evidence, "sciatic_neuralgia").set_index("label")
    label = "P(pain_layer=muscle | sciatic_neuralgia alone)"
    row = result.loc[label]
    layer = [
        n for n in MODEL.numbers if n.variable == "pain_layer" and n.parent == "sciatic_neuralgia"
    ]
    target = next(n for n in layer if n.label == label)
    rest = sum(n.value for n in layer) - target.value
    changes = {
        MODEL.numbers.index(n): (row["high"] if n is target else n.value * (1 - row["high"]) / rest)
        for n in layer
    }
    expected = _brute_force_posterior(MODEL.with_numbers(changes), evidence, "sciatic_neuralgia")
    assert row["posterior_at_high"] == pytest.approx(expected, abs=1e-9)


def test_ranking_and_ranges(table):
    assert len(table) == len(MODEL.numbers)
    assert sorted(table["number"]) == list(range(len(MODEL.numbers)))
    assert table["swing"].is_monotonic_decreasing
    np.testing.assert_allclose(
        table["swing"], (table["posterior_at_high"] - table["posterior_at_low"]).abs()
    )
    assert (table["low"] <= table["value"]).all() and (table["value"] <= table["high"]).all()
    assert table.posterior == pytest.approx(MODEL.posterior(EVIDENCE)["local_infection"])


def test_range_is_the_odds_halved_and_doubled(table):
    row = table.set_index("label").loc["P(fever=yes | local_infection alone)"]
    odds = row["value"] / (1 - row["value"])
    assert row["low"] / (1 - row["low"]) == pytest.approx(odds / 2)
    assert row["high"] / (1 - row["high"]) == pytest.approx(odds * 2)
    ratio = table.set_index("label").loc["OR(local_infection=yes | smoker=yes)"]
    assert (ratio["low"], ratio["high"]) == pytest.approx((1.17 / 2, 1.17 * 2))


def test_unobserved_findings_cannot_move_the_posterior(table):
    unobserved = {n for n in MODEL.findings if n not in EVIDENCE}
    rows = table[[MODEL.numbers[i].variable in unobserved for i in table["number"]]]
    assert len(rows) > 0 and (rows["swing"] == 0).all()


def test_range_stops_where_noisy_or_would_break():
    result = MODEL.sensitivity({"low_back_pain": "yes"}, "sciatic_neuralgia")
    row = result.set_index("label").loc["P(low_back_pain=yes | sciatic_neuralgia alone)"]
    leak = MODEL.numbers[_index("P(low_back_pain=yes | no cause (leak))")].value
    assert row["low"] == pytest.approx(leak, abs=1e-9)  # odds/2 would be 0.099, below the leak


def test_an_endpoint_with_negative_cpt_entries_is_pulled_back_not_evaluated():
    # factor 4 takes P(low_back_pain=yes | sciatic_neuralgia alone) far below the leak, where
    # noisy-OR gives negative entries: no log of a negative number (warnings are errors here)
    result = MODEL.sensitivity({"low_back_pain": "yes"}, "spinal_disorder", factor=4.0)
    row = result.set_index("label").loc["P(low_back_pain=yes | sciatic_neuralgia alone)"]
    leak = MODEL.numbers[_index("P(low_back_pain=yes | no cause (leak))")].value
    assert row["low"] == pytest.approx(leak, abs=1e-9)
    assert 0 <= row["posterior_at_low"] <= 1


RISK_FACTOR_STATES = st.fixed_dictionaries(
    {name: st.sampled_from(MODEL.states(name)) for name in MODEL.risk_factors}
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(MODEL.causes),
    st.dictionaries(st.sampled_from(MODEL.findings), st.sampled_from(["yes", "no"]), max_size=4),
    RISK_FACTOR_STATES,
    st.floats(1.1, 5.0),
)
def test_endpoints_are_probabilities_and_swing_grows_with_the_factor(
    cause, findings, risk_factors, factor
):
    evidence = {k: v for k, v in findings.items() if v in MODEL.states(k)} | risk_factors
    narrow = MODEL.sensitivity(evidence, cause, factor=factor).set_index("number")
    wide = MODEL.sensitivity(evidence, cause, factor=factor * 2).set_index("number")
    for column in ("posterior_at_low", "posterior_at_high"):
        assert narrow[column].between(0, 1).all()
    # with the risk factors observed, the cause's baseline sets the one entry P(cause | r)
    # that matters, and the posterior is a monotone (linear-fractional) function of it: a
    # wider range moves it at least as far
    baseline = _index(f"P({cause}=yes | risk factors at reference)")
    assert wide.loc[baseline, "swing"] >= narrow.loc[baseline, "swing"] - 1e-12
    assert narrow.loc[baseline, "swing"] > 0


MOVABLE = [n for n in MODEL.numbers if n.kind == "odds_ratio" or 0 < n.value < 1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted({n.variable for n in MOVABLE})), st.data())
def test_batched_endpoints_equal_one_number_at_a_time(variable, data):
    """The batch path (all of a variable's numbers at once) against replace_value + expand."""
    from gluteal_bn.canonical import expand
    from gluteal_bn.reasoning.sensitivity import (
        OneNumberPosterior,
        _expand_many,
        _replace_many,
        _states_of,
        is_valid,
        replace_value,
    )
    from gluteal_bn.reasoning.tipping_points import _from_log_odds, _log_odds_of

    candidates = [n for n in MOVABLE if n.variable == variable]
    numbers = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=6))
    shifts = data.draw(st.lists(st.floats(-6, 6), min_size=len(numbers), max_size=len(numbers)))
    values = [
        _from_log_odds(n, _log_odds_of(n, n.value) + t)
        for n, t in zip(numbers, shifts, strict=True)
    ]
    parameters = MODEL.parameters(variable)
    states = [_states_of(MODEL, n) for n in numbers]
    stacked = _replace_many(parameters, numbers, np.array(values), states)
    tables, valid = _expand_many(stacked, len(numbers))
    evaluator = OneNumberPosterior(MODEL, EVIDENCE)
    batch = np.full((len(numbers), len(MODEL.causes)), np.nan)
    if valid.any():
        batch[valid] = evaluator.posteriors_of(variable, tables[valid])
    for j, (number, value, own) in enumerate(zip(numbers, values, states, strict=True)):
        changed = replace_value(parameters, number, value, own)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            cpt = expand(changed)
        assert np.allclose(tables[j], cpt.table, rtol=1e-12, atol=1e-15, equal_nan=True)
        assert bool(valid[j]) == is_valid(changed, cpt)
        if valid[j]:
            assert np.allclose(batch[j], evaluator.posterior(cpt), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("cause", "evidence", "factor", "error", "message"),
    [
        ("fever", {}, 2.0, EvidenceError, r"'fever' is a finding, not a cause; expected one of"),
        ("abscess", {}, 2.0, EvidenceError, r"unknown cause 'abscess'"),
        (
            "local_infection",
            {"local_infection": "yes"},
            2.0,
            EvidenceError,
            r"cause 'local_infection' is observed in the evidence \(local_infection=yes\)",
        ),
        ("local_infection", {}, 1.0, ValueError, r"factor must be a number greater than 1"),
        ("local_infection", {}, "2", ValueError, r"factor must be a number greater than 1"),
        ("local_infection", {"fever": "maybe"}, 2.0, EvidenceError, r"not a state of fever"),
    ],
)
def test_bad_inputs_are_named(cause, evidence, factor, error, message):
    with pytest.raises(error, match=message):
        MODEL.sensitivity(evidence, cause, factor=factor)


def test_impossible_evidence_is_refused(data_copy):
    from .conftest import read_table, write_table

    header, rows = read_table(data_copy / "likelihoods.csv")
    for row in rows:
        if row[0] == "fever" and row[1] == "leak":
            row[3] = "0"
    write_table(data_copy / "likelihoods.csv", header, rows)
    model = gb.load_model(data_copy)
    evidence = {"fever": "yes", "local_infection": "no"}
    with pytest.raises(EvidenceError, match=r"has probability zero in this model"):
        model.sensitivity(evidence, "spinal_disorder")


# -- tipping points ---------------------------------------------------------------------------

# sitting_effect=worse is the v1 alias worse_with_sitting=yes (the sensitivity tools take no aliases)
FLIP_EVIDENCE = {"low_back_pain": "yes", "sitting_effect": "worse"}


@pytest.fixture(scope="module")
def flips():
    return MODEL.tipping_points(FLIP_EVIDENCE)


def _leader(model, evidence):
    return _brute_force_posterior_all(model, evidence).idxmax()


def _brute_force_posterior_all(model, evidence):
    import pandas as pd

    return pd.Series({c: _brute_force_posterior(model, evidence, c) for c in model.causes})


def test_tipping_points_are_sorted_and_name_the_current_leader(flips):
    assert flips.top_cause == MODEL.posterior(FLIP_EVIDENCE).idxmax()
    assert flips["change_in_log_odds"].abs().is_monotonic_increasing
    assert (flips["new_top_cause"] != flips.top_cause).all()


@pytest.mark.parametrize("rank", [0, 1])
def test_each_side_of_a_tipping_point_by_brute_force(flips, rank):
    row = flips.iloc[rank]
    number = MODEL.numbers[row["number"]]
    assert number.kind == "baseline"  # a single-row distribution: with_numbers co-varies alike
    logit = math.log(row["flips_at"] / (1 - row["flips_at"]))
    for shift, leader in ((-1e-6, None), (1e-6, None)):
        value = 1 / (1 + math.exp(-(logit + shift)))
        leader = _leader(MODEL.with_numbers({int(row["number"]): value}), FLIP_EVIDENCE)
        toward_original = (shift < 0) == (row["change_in_log_odds"] > 0)
        expected = flips.top_cause if toward_original else row["new_top_cause"]
        assert leader == expected


def test_a_number_that_cannot_flip_is_left_out(flips):
    # with only these findings the fever numbers are barren, so they never appear
    assert not any(MODEL.numbers[i].variable == "fever" for i in flips["number"])


def test_tipping_points_refuse_bad_evidence():
    with pytest.raises(EvidenceError, match=r"unknown variable 'feverr' in evidence"):
        MODEL.tipping_points({"feverr": "yes"})


# -- the tornado chart ------------------------------------------------------------------------


def test_tornado_bars_span_low_to_high(table):
    ax = gb.plot_sensitivity(table, top=4)
    assert len(ax.patches) == 8
    shown = table.head(4)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    # ticks listed as set: largest swing first, on top; each number in words
    model = gb.load_model()
    words = [
        translation("en").number_text(model.vocabulary, model.numbers[i]) for i in shown["number"]
    ]
    assert [" ".join(tick.split()) for tick in ticks] == words
    assert words[0].startswith("P(") or words[0].startswith("OR(")
    ends = sorted(round(p.get_x() + p.get_width(), 12) for p in ax.patches)
    expected = [*shown["posterior_at_low"], *shown["posterior_at_high"]]
    assert ends == sorted(round(v, 12) for v in expected)


def test_tornado_on_given_axes(table):
    _, (left, right) = plt.subplots(1, 2)
    assert gb.plot_sensitivity(table, ax=right) is right
    assert not left.patches


@pytest.mark.parametrize(
    ("result", "top", "message"),
    [
        ("table", 0, r"top must be a positive whole number; got 0"),
        (MODEL.prior(), 5, r"plot_sensitivity needs the result of model.sensitivity"),
    ],
)
def test_tornado_bad_inputs(table, result, top, message):
    result = table if isinstance(result, str) else result
    with pytest.raises((TypeError, ValueError), match=message):
        gb.plot_sensitivity(result, top=top)
