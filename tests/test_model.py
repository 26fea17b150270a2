"""The public API: what a query returns, what evidence it accepts, and what it refuses."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import EvidenceError


def test_posterior_is_a_series_of_the_five_causes_in_order(model):
    posterior = model.posterior(
        {"fever": "yes", "local_redness_swelling": "yes", "age": "40_to_60"}
    )
    assert isinstance(posterior, pd.Series)
    assert tuple(posterior.index) == model.causes
    assert posterior.name == "posterior"
    assert ((posterior > 0) & (posterior < 1)).all()
    assert posterior.idxmax() == "local_infection"


def test_prior_equals_posterior_without_evidence(model):
    assert model.prior().to_numpy() == pytest.approx(model.posterior({}).to_numpy(), abs=0)
    assert model.prior().name == "prior"
    pd.testing.assert_series_equal(model.posterior(None), model.posterior({}))


def test_results_carry_the_plain_language_labels(model):
    labels = model.posterior({"fever": "yes"}).attrs["labels"]
    assert set(labels) == set(model.causes)
    assert labels["local_infection"] == model.labels["local_infection"]


def test_query_gives_full_distributions_of_any_variable(model):
    result = model.query(["age", "radiation", "spinal_disorder"], {"low_back_pain": "yes"})
    assert list(result) == ["age", "radiation", "spinal_disorder"]
    assert list(result["radiation"].index) == ["none", "thigh", "below_knee"]
    for series in result.values():
        assert series.sum() == pytest.approx(1.0, abs=1e-12)
    assert result["spinal_disorder"]["yes"] == pytest.approx(
        model.posterior({"low_back_pain": "yes"})["spinal_disorder"], abs=1e-15
    )


def test_query_of_an_observed_variable_is_a_point_mass(model):
    result = model.query("fever", {"fever": "yes"})
    assert result["fever"].to_dict() == {"no": 0.0, "yes": 1.0}


def test_query_accepts_a_single_name(model):
    assert list(model.query("age")) == ["age"]


def test_evidence_on_a_cause_is_allowed(model):
    confirmed = model.posterior({"local_infection": "yes"})
    assert confirmed["local_infection"] == 1.0
    fever = model.query("fever", {"local_infection": "yes"})["fever"]["yes"]
    assert fever > model.query("fever")["fever"]["yes"]


def test_evidence_on_a_cause_in_any_mapping_gives_the_same_answer(model):
    # The fast path reads plain dicts; any other mapping, or an alias, takes the checked path,
    # which must fix an observed cause the same way (issue 13, a surviving mutant).
    from types import MappingProxyType

    evidence = {"local_infection": "yes", "spinal_disorder": "no", "fever": "yes"}
    expected = model.posterior(evidence)
    assert (expected["local_infection"], expected["spinal_disorder"]) == (1.0, 0.0)
    np.testing.assert_array_equal(model.posterior(MappingProxyType(evidence)), expected)
    aliased = {**evidence, "worse_with_sitting": "yes"}  # an alias for a hard state
    direct = model.posterior({**evidence, "sitting_effect": "worse"})
    np.testing.assert_allclose(model.posterior(aliased), direct, rtol=0, atol=1e-15)
    assert model.posterior(aliased)["local_infection"] == 1.0


def test_explaining_away(model):
    # Two causes of claudication compete: confirming one lowers the other.
    base = {"claudication": "yes"}
    alone = model.posterior(base)["circulatory_disorder"]
    explained = model.posterior({**base, "spinal_disorder": "yes"})["circulatory_disorder"]
    assert explained < alone


def test_evidence_order_does_not_matter(model):
    a = model.posterior({"fever": "yes", "age": "over_60", "radiation": "thigh"})
    b = model.posterior({"radiation": "thigh", "fever": "yes", "age": "over_60"})
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-15)


def test_cpd_table_is_readable(model):
    table = model.cpd_table("fever")
    assert list(table.columns) == ["no", "yes"]
    assert table.index.names == list(model.parents("fever"))
    assert model.cpd_table("age").shape == (1, 3)
    prior_table = model.cpd_table("spinal_disorder")
    assert prior_table.index.names == list(model.parents("spinal_disorder"))


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (
            {"fevr": "yes"},
            r"unknown variable 'fevr' in evidence; did you mean 'fever'\? Known variables: age, ",
        ),
        ({"zzz": "yes"}, r"unknown variable 'zzz' in evidence\. Known variables: age, "),
        (
            {"fever": "maybe"},
            r"evidence fever='maybe' is not a state of fever; expected one of \['no', 'yes'\]",
        ),
        (
            {"age": "old"},
            r"evidence age='old' is not a state of age; expected one of \['under_40', '40_to_60', 'over_60'\]",
        ),
        (
            {"fever": True},
            r"evidence fever=True is not a state name \(text, bool given\); expected one of \['no', 'yes'\]",
        ),
        ({"fever": None}, r"evidence fever=None is not a state name \(text, NoneType given\)"),
        ({1: "yes"}, r"evidence names variables by text; got 1 \(int\)"),
        (
            [("fever", "yes")],
            r"evidence must be a mapping of variable name to state, such as \{'fever': 'yes'\}; got list",
        ),
        ("fever=yes", r"evidence must be a mapping .* got str"),
    ],
)
def test_bad_evidence_is_an_evidence_error(model, evidence, message):
    with pytest.raises(EvidenceError, match=message):
        model.posterior(evidence)
    with pytest.raises(EvidenceError, match=message):
        model.query("age", evidence)


def test_impossible_evidence_names_the_culprits(data_copy, edit_cell):
    # With no leak, fever needs an infection: fever=yes with the infection ruled out is impossible.
    edit_cell("likelihoods.csv", {"finding": "fever", "cause": "leak"}, "probability", "0")
    model = gb.load_model(data_copy)
    evidence = {"age": "over_60", "fever": "yes", "local_infection": "no"}
    message = (
        r"evidence \{age=over_60, fever=yes, local_infection=no\} has probability zero in "
        r"this model; it becomes possible without any one of: fever, local_infection$"
    )
    with pytest.raises(EvidenceError, match=message):
        model.posterior(evidence)
    with pytest.raises(EvidenceError, match=message):
        model.query("age", evidence)
    assert model.probability_of_evidence(evidence) == 0.0
    assert model.posterior({"fever": "yes"})["local_infection"] == pytest.approx(1.0)


def test_unknown_variable_in_query_and_helpers(model):
    with pytest.raises(
        EvidenceError, match=r"unknown variable 'feverr' in query; did you mean 'fever'\?"
    ):
        model.query(["feverr"])
    with pytest.raises(
        EvidenceError, match=r"unknown variable 'agee' in query; did you mean 'age'\?"
    ):
        model.cpd_table("agee")
    with pytest.raises(EvidenceError, match=r"query names variables by text; got 3"):
        model.states(3)


def test_probability_of_evidence(model):
    assert model.probability_of_evidence({}) == pytest.approx(1.0)
    p_yes = model.probability_of_evidence({"fever": "yes"})
    p_no = model.probability_of_evidence({"fever": "no"})
    assert p_yes + p_no == pytest.approx(1.0, abs=1e-12)
    assert p_yes == pytest.approx(model.query("fever")["fever"]["yes"], abs=1e-15)


def test_model_is_immutable(model):
    with pytest.raises(AttributeError, match=r"DiagnosticModel is immutable"):
        model.causes = ()  # type: ignore[misc]
    with pytest.raises(AttributeError, match=r"DiagnosticModel is immutable"):
        model.inference = None  # type: ignore[misc]
    with pytest.raises(AttributeError, match=r"DiagnosticModel is immutable"):
        model.specification = None  # type: ignore[misc]
    with pytest.raises(AttributeError, match=r"DiagnosticModel is immutable"):
        del model.inference
    with pytest.raises(ValueError, match="read-only"):
        model.inference.engine.log_prior[0] = 0.0


def test_concurrent_queries_equal_serial_ones(model):
    cases = [
        {"fever": "yes"},
        {"claudication": "yes", "age": "over_60"},
        {"low_back_pain": "yes"},
        {"hip_movement_pain": "yes", "radiation": "thigh"},
    ] * 25
    serial = [model.posterior(case) for case in cases]
    results: list = [None] * len(cases)

    def work(start: int) -> None:
        for i in range(start, len(cases), 4):
            results[i] = model.posterior(cases[i])

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for a, b in zip(serial, results, strict=True):
        pd.testing.assert_series_equal(a, b)


def test_repr_says_what_it_is(model):
    subtypes = model.vocabulary.subtypes
    counts = len(model.risk_factors), len(model.causes), len(subtypes), len(model.findings)
    assert repr(model).startswith(
        "DiagnosticModel({} risk factors, {} causes, {} subtypes, {} findings; "
        "numbers from ".format(*counts)
    )
    assert counts[1] == 5
    assert set(subtypes) == {"spinal_type", "infection_type", "hip_type"}


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_import_is_light_and_silent():
    done = run_python("""
        import sys, gluteal_bn
        heavy = [m for m in ("pgmpy", "matplotlib", "pandas", "numpy", "torch") if m in sys.modules]
        print(heavy)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert done.stderr == ""


def test_queries_do_not_import_pgmpy_or_matplotlib_and_emit_no_warning():
    done = run_python("""
        import sys, gluteal_bn as gb
        m = gb.load_model()
        m.posterior({"fever": "yes"}); m.query(["age"], {"fever": "yes"}); m.cpd_table("fever")
        print([x for x in ("pgmpy", "matplotlib") if x in sys.modules])
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert done.stderr == ""


def test_building_the_pgmpy_network_emits_no_warning():
    done = run_python("""
        import gluteal_bn as gb
        net = gb.load_model().network
        print(type(net).__name__, net.check_model())
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "DiscreteBayesianNetwork True"
    assert done.stderr == ""


def test_public_names():
    assert set(gb.__all__) <= set(dir(gb))
    assert len(set(gb.__all__)) == len(gb.__all__)  # no name listed twice
    for name in gb.__all__:
        value = getattr(gb, name)
        # every public name is the library's own: a function, class or constant defined in a
        # gluteal_bn module (not, say, a re-exported pandas or numpy object)
        module = getattr(value, "__module__", None)
        if module is not None and not isinstance(value, str | int | float):
            assert module.startswith("gluteal_bn"), (name, module)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        gb.nope  # noqa: B018


def test_the_expanded_tables_are_read_only(data_copy):
    # The CPTs are shared by the engine, pgmpy's network and the reasoning tools: a write
    # through one of them must fail, not change the model (issue 13, a surviving mutant).
    model = gb.load_model(data_copy)  # loaded inside the test, so mutation testing sees it
    table = model.inference.cpts["fever"].table
    assert not table.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        table[...] = 0.5
    assert model.inference.folder == model.folder == data_copy
