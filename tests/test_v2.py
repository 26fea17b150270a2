"""Clinical v2 machinery on a small v2-shaped fixture (tests/data_v2, made-up numbers).

Subtypes (children of a cause whose first state ``none`` holds exactly when the cause is
absent), findings linked to subtype states (noisy-OR/MAX, mixture, logit_sum), aliases, the
pruned core grid, and every expected value derived from pgmpy or brute force.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn import DataError, EvidenceError
from gluteal_bn.canonical import (
    FindingParameters,
    expand,
    logit_sum_table,
    mixture_table,
    noisy_max_table,
    subtype_table,
)
from gluteal_bn.io.rows import Row
from gluteal_bn.io.specification import _check_expands_to_distributions
from gluteal_bn.network import quiet, variable_elimination

from .conftest import read_table, write_table

FIXTURE = Path(__file__).parent / "data_v2"
TOLERANCE = 1e-9
MODEL = gb.load_model(FIXTURE)
ORACLE = variable_elimination(MODEL.network)
SUBTYPES = MODEL.vocabulary.subtypes


def oracle(variables, evidence):
    with quiet():
        factors = ORACLE.query(
            list(variables), evidence=evidence or None, joint=False, show_progress=False
        )
    result = {}
    for name in variables:
        factor = factors[name]
        order = [factor.state_names[name].index(s) for s in MODEL.states(name)]
        result[name] = np.asarray(factor.values)[order]
    return result


def oracle_probability(evidence):
    probability, seen = 1.0, {}
    for name, state in evidence.items():
        probability *= oracle([name], seen)[name][MODEL.states(name).index(state)]
        seen[name] = state
        if probability == 0:
            break
    return probability


@st.composite
def evidence_sets(draw):
    names = MODEL.variables
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=6))
    return {name: draw(st.sampled_from(MODEL.states(name))) for name in chosen}


# -- the network -------------------------------------------------------------------------------


def test_the_fixture_has_subtypes_and_the_core_is_pruned():
    assert SUBTYPES == ("spinal_type", "infection_type")
    engine = MODEL.inference.engine
    rf = np.prod([len(MODEL.states(r)) for r in MODEL.risk_factors])
    assert engine.n_configurations == rf * 4 * 3 * 2 * 2  # (1 + 3 subtypes) (1 + 2) 2 2
    prior = np.exp(engine.log_prior)
    assert (prior > 0).all()  # every zero-prior configuration was pruned
    assert prior.sum() == pytest.approx(1.0, abs=1e-12)
    none = engine.core.states_of("spinal_type") == 0
    np.testing.assert_array_equal(none, engine.core.states_of("spinal_disorder") == 0)


def test_a_subtype_is_none_exactly_when_its_group_is_absent():
    for subtype in SUBTYPES:
        group = MODEL.vocabulary[subtype].group
        absent = MODEL.query(subtype, {group: "no"})[subtype]
        assert absent["none"] == pytest.approx(1.0, abs=1e-12)
        present = MODEL.query(subtype, {group: "yes"})[subtype]
        assert present["none"] == 0.0
        assert present.sum() == pytest.approx(1.0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence_sets())
def test_every_marginal_equals_variable_elimination_on_v2(evidence):
    hidden = [v for v in MODEL.variables if v not in evidence]
    try:
        ours = MODEL.query(hidden, evidence)
    except EvidenceError:
        assert oracle_probability(evidence) == 0.0
        return
    expected = oracle(hidden, evidence)
    for name in hidden:
        np.testing.assert_allclose(ours[name].to_numpy(), expected[name], rtol=0, atol=TOLERANCE)
    causes = [c for c in MODEL.causes if c not in evidence]
    posterior = MODEL.posterior(evidence)
    for cause in causes:
        assert posterior[cause] == pytest.approx(expected[cause][1], abs=TOLERANCE)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence_sets())
def test_the_batch_path_equals_posterior_on_v2(evidence):
    try:
        expected = MODEL.posterior_array(evidence)
    except EvidenceError:
        return
    table = pd.DataFrame([evidence], dtype=object) if evidence else pd.DataFrame(index=[0])
    np.testing.assert_allclose(
        MODEL.posterior_batch(table).to_numpy()[0], expected, rtol=0, atol=1e-12
    )


def test_the_subtype_prior_is_a_multinomial_logistic_with_a_reference_state():
    """P(s | present, r) is proportional to p_s times the odds ratios of r (brute force)."""
    prior = MODEL.parameters("spinal_type")
    age = MODEL.states("age")
    for a, state in enumerate(age):
        evidence = {"spinal_disorder": "yes", "age": state}
        got = MODEL.query("spinal_type", evidence)["spinal_type"].to_numpy()
        weights = prior.probabilities * prior.odds_ratios[0][:, a]
        np.testing.assert_allclose(got, weights / weights.sum(), atol=1e-12)


# -- canonical tables with multi-state parents -------------------------------------------------


def test_noisy_max_with_subtype_links_multiplies_each_present_links_own_effect():
    leak = np.array([0.8, 0.15, 0.05])
    links = ((0, 1), (0, 2), (1, 1))
    alone = (np.array([0.3, 0.3, 0.4]), np.array([0.5, 0.4, 0.1]), np.array([0.6, 0.3, 0.1]))
    table = noisy_max_table(leak, alone, links, (3, 2))
    leak_cdf = np.cumsum(leak)
    for a, b in itertools.product(range(3), range(2)):
        cdf = leak_cdf.copy()
        for (axis, state), distribution in zip(links, alone, strict=True):
            if (a, b)[axis] == state:
                cdf = cdf * np.cumsum(distribution) / leak_cdf
        np.testing.assert_allclose(table[:, a, b], np.diff(cdf, prepend=0.0), atol=1e-12)
    np.testing.assert_allclose(table[:, 0, 0], leak)  # the parent's state 0 adds nothing


def test_mixture_with_subtype_links_averages_the_present_links():
    leak = np.array([0.7, 0.2, 0.1])
    links = ((0, 1), (0, 2), (1, 1))
    alone = (np.array([0.2, 0.7, 0.1]), np.array([0.2, 0.05, 0.75]), np.array([0.4, 0.1, 0.5]))
    table = mixture_table(leak, alone, links, (3, 2))
    np.testing.assert_allclose(table[:, 0, 0], leak)
    np.testing.assert_allclose(table[:, 2, 0], alone[1])
    np.testing.assert_allclose(table[:, 1, 1], (alone[0] + alone[2]) / 2)


def test_logit_sum_adds_each_present_links_log_odds_ratio_and_can_lower_a_finding():
    leak = np.array([0.9, 0.1])
    alone = (np.array([0.4, 0.6]), np.array([0.97, 0.03]))
    table = logit_sum_table(leak, alone)

    def logit(p):
        return np.log(p / (1 - p))

    both = logit(0.1) + (logit(0.6) - logit(0.1)) + (logit(0.03) - logit(0.1))
    assert table[1, 1, 1] == pytest.approx(1 / (1 + np.exp(-both)), abs=1e-12)
    assert table[1, 0, 1] == pytest.approx(0.03) and table[1, 0, 1] < leak[1]  # lowered
    np.testing.assert_allclose(table.sum(axis=0), 1.0)


def test_subtype_table_is_none_when_the_group_is_absent():
    table = subtype_table(np.array([[0.0, 0.5, 0.5]]), [np.ones((1, 3, 2))])[0]
    np.testing.assert_array_equal(table[:, 0, 0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(table[:, 1, 0], [0.0, 0.5, 0.5])


def test_a_cpt_that_is_not_a_distribution_is_refused_at_load():
    bad = FindingParameters("f", "mixture", np.array([0.5, 0.5]), ("c",), (np.array([0.5, 0.7]),))
    row = Row(Path("likelihoods.csv"), 7, {"finding": "f"})
    with pytest.raises(
        DataError,
        match=r"likelihoods.csv line 7: the expanded CPT of 'f' is not a distribution at "
        r"parent states \(c=1\): \[0.5, 0.7\]",
    ):
        _check_expands_to_distributions(bad, [row])
    assert expand(bad).table.shape == (2, 2)


# -- aliases -----------------------------------------------------------------------------------


def test_an_alias_yes_is_hard_evidence_and_no_is_likelihood_evidence():
    base = {"age": "over_60"}
    yes = MODEL.posterior({**base, "worse_with_sitting": "yes"})
    np.testing.assert_array_equal(yes, MODEL.posterior({**base, "sitting_effect": "worse"}))
    no = MODEL.posterior({**base, "worse_with_sitting": "no"})
    # brute force: P(c | e, not worse) from pgmpy over the two other states
    weights = oracle(["sitting_effect"], base)["sitting_effect"]
    expected = sum(
        weights[s]
        * np.array([oracle([c], {**base, "sitting_effect": state})[c][1] for c in MODEL.causes])
        for s, state in enumerate(MODEL.states("sitting_effect"))
        if state != "worse"
    ) / (weights.sum() - weights[1])
    np.testing.assert_allclose(no.to_numpy(), expected, atol=TOLERANCE)


def test_aliases_work_in_queries_and_table_columns():
    base = {"worse_with_sitting": "no", "fever": "yes"}
    soft = {"sitting_effect": {"no_change": 1.0, "relieved": 1.0}}
    got = MODEL.query("spinal_type", base)["spinal_type"]
    want = MODEL.query("spinal_type", {"fever": "yes"}, soft=soft)["spinal_type"]
    np.testing.assert_allclose(got, want, atol=1e-12)
    cases = pd.DataFrame(
        {"worse_with_sitting": ["no", "yes", None], "fever": ["yes", None, "no"]}, dtype=object
    )
    batch = MODEL.posterior_batch(cases).to_numpy()
    for row, (_, case) in zip(batch, cases.iterrows(), strict=True):
        evidence = {k: v for k, v in case.items() if isinstance(v, str)}
        np.testing.assert_allclose(row, MODEL.posterior_array(evidence), atol=1e-12)


def test_alias_errors_name_the_alias_and_what_is_valid():
    with pytest.raises(
        EvidenceError,
        match=r"evidence worse_with_sitting='maybe' is not a state of worse_with_sitting "
        r"\(an alias for sitting_effect\); expected one of \['yes', 'no'\]",
    ):
        MODEL.posterior({"worse_with_sitting": "maybe"})
    with pytest.raises(
        EvidenceError,
        match=r"worse_with_sitting stands for evidence on sitting_effect, which is given too",
    ):
        MODEL.posterior({"worse_with_sitting": "no", "sitting_effect": "worse"})
    cases = pd.DataFrame({"worse_with_sitting": ["no"], "sitting_effect": ["worse"]})
    with pytest.raises(
        EvidenceError,
        match=r"row 0, column 'sitting_effect' is observed together with an alias that stands "
        r"for it",
    ):
        MODEL.posterior_batch(cases)


# -- reasoning tools on v2 ---------------------------------------------------------------------


EVIDENCE = {"age": "over_60", "sitting_effect": "relieved", "claudication": "yes"}


def test_mpe_over_subtypes_sums_to_the_posterior_of_the_group_states():
    table = MODEL.most_probable_explanation(EVIDENCE, k=1000, over="subtypes")
    assert table["probability"].sum() == pytest.approx(1.0)
    stenosis = table.loc[table["spinal_type"] == "spinal_stenosis", "probability"].sum()
    expected = MODEL.query("spinal_type", EVIDENCE)["spinal_type"]["spinal_stenosis"]
    assert stenosis == pytest.approx(expected, abs=1e-12)
    groups = MODEL.most_probable_explanation(EVIDENCE, k=1000)
    assert groups["probability"].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"over must be 'groups' or 'subtypes'; got 'x'"):
        MODEL.most_probable_explanation(EVIDENCE, over="x")


def test_next_questions_rank_findings_not_subtypes():
    ranking = MODEL.next_questions(EVIDENCE).ranking
    asked = (
        set(ranking.index.get_level_values(0))
        if "variable" not in ranking
        else set(ranking["variable"])
    )
    assert asked and not asked & set(SUBTYPES) and not asked & set(MODEL.causes)


def test_reasoning_tools_run_on_v2(tmp_path):
    sensitivity = MODEL.sensitivity(EVIDENCE, "spinal_disorder")
    assert (sensitivity["swing"] >= 0).all()
    assert MODEL.posterior_interval(EVIDENCE, n=50, seed=1).shape[0] == len(MODEL.causes)
    explained = MODEL.explain(EVIDENCE, "spinal_disorder")
    assert len(explained) == len(EVIDENCE)
    saved = gb.load_model(MODEL.save(tmp_path / "saved"))
    np.testing.assert_array_equal(saved.posterior(EVIDENCE), MODEL.posterior(EVIDENCE))
    assert saved.vocabulary == MODEL.vocabulary
    MODEL.to_bif(tmp_path / "v2.bif")
    MODEL.to_xmlbif(tmp_path / "v2.xml")
    assert "spinal_type" in (tmp_path / "v2.bif").read_text()


def test_sensitivity_of_a_subtype_number_equals_changing_it_in_the_file(tmp_path):
    index = next(
        i
        for i, n in enumerate(MODEL.numbers)
        if n.variable == "spinal_type" and n.kind == "odds_ratio"
    )
    table = MODEL.sensitivity(EVIDENCE, "spinal_disorder").set_index("number")
    low = table.loc[index, "low"]
    changed = MODEL.with_numbers({index: low})
    assert table.loc[index, "posterior_at_low"] == pytest.approx(
        changed.posterior(EVIDENCE)["spinal_disorder"], abs=1e-12
    )


def test_fit_learns_subtype_numbers_from_cases():
    rng = np.random.default_rng(0)
    cases = pd.DataFrame(
        {
            "spinal_disorder": ["yes"] * 400,
            "age": rng.choice(MODEL.states("age"), 400),
            "spinal_type": rng.choice(["disc_herniation", "spinal_stenosis"], 400, p=[0.2, 0.8]),
        }
    )
    fitted = MODEL.fit(cases)
    present = fitted.parameters("spinal_type").probabilities
    assert present[2] > MODEL.parameters("spinal_type").probabilities[2]


# -- the loader's v2 messages ------------------------------------------------------------------


@pytest.fixture
def v2_copy(tmp_path):
    folder = tmp_path / "v2"
    shutil.copytree(FIXTURE, folder)
    return folder


def edit(folder, filename, where, column, value):
    header, rows = read_table(folder / filename)
    for index, row in enumerate(rows):
        if all(row[header.index(k)] == v for k, v in where.items()):
            row[header.index(column)] = value
            write_table(folder / filename, header, rows)
            return index + 2
    raise AssertionError(f"no row of {filename} matches {where}")


@pytest.mark.parametrize(
    ("filename", "where", "column", "value", "message"),
    [
        (
            "variables.csv",
            {"variable": "spinal_type"},
            "group",
            "",
            r"column group: blank; the subtype 'spinal_type' needs the cause it refines",
        ),
        (
            "variables.csv",
            {"variable": "spinal_type"},
            "group",
            "age",
            r"column group: 'age' is not a cause; the subtype 'spinal_type' must refine one of",
        ),
        (
            "variables.csv",
            {"variable": "infection_type"},
            "group",
            "spinal_disorder",
            r"column group: 'spinal_disorder' already has the subtype 'spinal_type'",
        ),
        (
            "variables.csv",
            {"variable": "infection_type"},
            "states",
            "abscess|phlegmon|none",
            r"column states: the first state of the subtype 'infection_type' must be 'none'",
        ),
        (
            "variables.csv",
            {"variable": "fever"},
            "group",
            "local_infection",
            r"column group: 'fever' is a finding; only a subtype names a group",
        ),
        (
            "variables.csv",
            {"variable": "age"},
            "state_labels",
            "young|old",
            r"column state_labels: .young\|old. gives 2 labels for the 3 states",
        ),
        (
            "priors.csv",
            {"variable": "spinal_type", "state": "disc_herniation"},
            "state",
            "none",
            r"column state: 'none' is structural \(exactly when spinal_disorder is absent\)",
        ),
        (
            "priors.csv",
            {"variable": "infection_type", "parent": "smoker"},
            "state",
            "abscess",
            r"column state: 'abscess' cannot have an odds ratio: a subtype's odds ratios are "
            r"against its reference state 'abscess'",
        ),
        (
            "priors.csv",
            {"variable": "spinal_type", "parent": "age", "parent_state": "over_60"},
            "parent_state",
            "40_to_60",
            r"duplicate row \(spinal_type, spinal_stenosis, age, 40_to_60\)",
        ),
        (
            "likelihoods.csv",
            {"finding": "fluctuance", "cause": "infection_type=abscess"},
            "cause",
            "infection_typo=abscess",
            r"column cause: 'infection_typo=abscess': 'infection_typo' is not a subtype",
        ),
        (
            "likelihoods.csv",
            {"finding": "fluctuance", "cause": "infection_type=abscess"},
            "cause",
            "infection_type=none",
            r"column cause: 'infection_type=none': 'none' is not a state of infection_type "
            r"that can link to a finding; expected one of \['abscess', 'phlegmon'\]",
        ),
        (
            "likelihoods.csv",
            {"finding": "fluctuance", "cause": "infection_type=phlegmon"},
            "cause",
            "local_infection",
            r"'fluctuance' has both 'local_infection' and its subtype 'infection_type' as parents",
        ),
        (
            "likelihoods.csv",
            {"finding": "pain_on_standing", "cause": "circulatory_disorder"},
            "probability",
            "0",
            r"column probability: 0 is not strictly between 0 and 1; in a logit_sum model",
        ),
        (
            "aliases.csv",
            {"alias_state": "no"},
            "alias",
            "fever",
            r"column alias: 'fever' is a variable of the model; an alias needs a new name",
        ),
        (
            "aliases.csv",
            {"alias_state": "no"},
            "likelihoods",
            "no_change=1;better=1",
            r"column likelihoods: 'better' in 'no_change=1;better=1' is not a state of "
            r"sitting_effect",
        ),
        (
            "aliases.csv",
            {"alias_state": "no"},
            "likelihoods",
            "no_change=0",
            r"column likelihoods: 'no_change=0' gives every state likelihood 0",
        ),
        (
            "aliases.csv",
            {"alias_state": "no"},
            "likelihoods",
            "no_change=x",
            r"column likelihoods: 'no_change=x' in 'no_change=x' is not state=number",
        ),
        (
            "aliases.csv",
            {"alias_state": "no"},
            "likelihoods",
            "no_change=-1;worse=1",
            r"column likelihoods: 'no_change=-1': a likelihood is a finite number >= 0",
        ),
        (
            "aliases.csv",
            {"alias_state": "no"},
            "variable",
            "fever",
            r"column variable: the alias 'worse_with_sitting' already stands for "
            r"'sitting_effect'; one alias, one variable",
        ),
        (
            "aliases.csv",
            {"alias_state": "no"},
            "alias_state",
            "yes",
            r"column alias_state: worse_with_sitting=yes is given twice",
        ),
    ],
)
def test_v2_loader_errors_name_file_line_column(v2_copy, filename, where, column, value, message):
    line = edit(v2_copy, filename, where, column, value)
    with pytest.raises(DataError, match=rf"{filename}.*line {line}.*" + message):
        gb.load_model(v2_copy)


def test_a_subtype_without_priors_and_an_incomplete_odds_ratio_are_refused(v2_copy):
    header, rows = read_table(v2_copy / "priors.csv")
    kept = [r for r in rows if not (r[0] == "spinal_type" and r[4] == "odds_ratio")]
    kept = [r for r in kept if not (r[0] == "spinal_type" and r[2:4] == ["age", "over_60"])]
    write_table(
        v2_copy / "priors.csv",
        header,
        kept + [r for r in rows if r[0] == "spinal_type" and r[2:4] == ["age", "40_to_60"]],
    )
    with pytest.raises(
        DataError,
        match=r"spinal_type='spinal_stenosis' has odds ratios for 'age' but none for "
        r"age='over_60'",
    ):
        gb.load_model(v2_copy)
    write_table(v2_copy / "priors.csv", header, [r for r in rows if r[0] != "spinal_type"])
    with pytest.raises(
        DataError,
        match=r"no prior for 'spinal_type'; add probability rows for its states "
        r"\['disc_herniation', 'spinal_stenosis', 'degenerative'\] given spinal_disorder present",
    ):
        gb.load_model(v2_copy)


V1_FIXTURE = Path(__file__).parent / "data_v1"  # the last v1 data/ (git show 0f20c71:data/...)


def test_a_v1_folder_still_loads_unchanged():
    model = gb.load_model(V1_FIXTURE)
    assert model.vocabulary.subtypes == () and model.vocabulary.aliases == ()
    assert model.inference.engine.n_configurations == np.prod(
        [len(model.states(v)) for v in model.vocabulary.core]
    )
    evidence = {"claudication": "yes", "age": "over_60"}
    oracle = variable_elimination(model.network)
    posterior = model.posterior(evidence)
    for cause in model.causes:
        with quiet():
            expected = oracle.query([cause], evidence=evidence, show_progress=False)
        assert posterior[cause] == pytest.approx(expected.values[1], abs=TOLERANCE)
