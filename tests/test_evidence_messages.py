"""One message per evidence problem, whichever tool meets it (issue 8.3)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import EvidenceError
from gluteal_bn.evidence import closest_name_hint, impossible_evidence, not_a_cause_message

CAUSES = r"\['spinal_disorder', 'local_infection'"


@pytest.mark.parametrize(
    ("tool", "call"),
    [
        ("explain", lambda m, c: m.explain({"fever": "yes"}, c)),
        ("next_questions target", lambda m, c: m.next_questions({"fever": "yes"}, c)),
        ("sensitivity", lambda m, c: m.sensitivity({"fever": "yes"}, c)),
        ("plot_evidence_impact", lambda m, c: gb.plot_evidence_impact(m, {"age": "over_60"}, c)),
    ],
)
def test_not_a_cause_reads_the_same_in_every_tool(model, tool, call):
    with pytest.raises(
        EvidenceError,
        match=rf"^{tool}: 'fever' is a finding, not a cause; expected one of {CAUSES}",
    ):
        call(model, "fever")
    with pytest.raises(
        EvidenceError,
        match=rf"^{tool}: unknown cause 'local_infektion'; did you mean 'local_infection'\? "
        rf"Expected one of {CAUSES}",
    ):
        call(model, "local_infektion")
    with pytest.raises(EvidenceError, match=rf"^{tool}: unknown cause 'hip'; expected one of"):
        call(model, "hip")


def test_the_closest_name_hint_is_shared():
    assert closest_name_hint("fevr", ["fever", "age"]) == "; did you mean 'fever'?"
    assert closest_name_hint("zzz", ["fever", "age"]) == ""


@pytest.fixture(scope="module")
def impossible_model(tmp_path_factory):
    """No leak for fever: fever=yes with the infection ruled out has probability zero."""
    import shutil

    from gluteal_bn.io.model_folder import bundled_data_folder

    folder = tmp_path_factory.mktemp("impossible") / "model"
    shutil.copytree(bundled_data_folder(), folder)
    path = folder / "likelihoods.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("fever,leak,yes,"):
            cells = line.split(",")
            cells[3] = "0"
            lines[i] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    (folder / "MANIFEST").unlink(missing_ok=True)
    return gb.load_model(folder)


EVIDENCE = {"age": "over_60", "fever": "yes", "local_infection": "no"}
MESSAGE = (
    "evidence {age=over_60, fever=yes, local_infection=no} has probability zero in this "
    "model; it becomes possible without any one of: fever, local_infection"
)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.posterior(EVIDENCE),
        lambda m: m.posterior_array(EVIDENCE),
        lambda m: m.query("radiation", EVIDENCE),
        lambda m: m.next_questions(EVIDENCE),
        lambda m: m.most_probable_explanation(EVIDENCE),
        lambda m: m.conflict(EVIDENCE),
        lambda m: m.explain(EVIDENCE, "spinal_disorder"),
        lambda m: m.sensitivity(EVIDENCE, "spinal_disorder"),
        lambda m: m.diagnose(EVIDENCE),
    ],
)
def test_impossible_evidence_reads_the_same_in_every_tool(impossible_model, call):
    with pytest.raises(EvidenceError, match=f"^{re.escape(MESSAGE)}$"):
        call(impossible_model)


def test_a_batch_names_the_row_and_the_culprits(impossible_model):
    cases = pd.DataFrame([{"fever": "no"}, EVIDENCE], index=["a", "b"], columns=list(EVIDENCE))
    with pytest.raises(EvidenceError, match=f"^row 'b', {re.escape(MESSAGE)}$"):
        impossible_model.posterior_batch(cases)


def test_fit_names_the_culprits(impossible_model):
    cases = pd.DataFrame([EVIDENCE] * 3)
    with pytest.raises(
        EvidenceError,
        match=re.escape(
            "evidence {age=over_60, local_infection=no, fever=yes} has probability zero in the "
            "model being fitted; it becomes possible without any one of: local_infection, fever"
        ),
    ):
        impossible_model.fit(cases, equivalent_sample_size=1000)


def test_soft_evidence_is_named_among_the_culprits(impossible_model):
    with pytest.raises(
        EvidenceError,
        match=re.escape(
            "evidence {age=over_60, local_infection=no} with soft evidence on fever has "
            "probability zero in this model; it becomes possible without any one of: "
            "local_infection, fever"
        ),
    ):
        impossible_model.posterior(
            {"age": "over_60", "local_infection": "no"}, soft={"fever": {"yes": 1.0}}
        )


def test_the_messages_come_from_one_function_each(model):
    assert str(impossible_evidence({"a": "x"}, None, ["a"])).endswith("without any one of: a")
    assert "several of them contradict one another: a, b" in str(
        impossible_evidence({"a": "x", "b": "y"}, None, [])
    )
    assert str(impossible_evidence({"a": "x"}, None, None, where="a drawn model")) == (
        "evidence {a=x} has probability zero in a drawn model"
    )
    assert not_a_cause_message("age", model.vocabulary).startswith(
        "'age' is a risk factor, not a cause"
    )


# -- survivors of mutation testing (issue 13): evidence.py --------------------------------------


def test_aliases_alone_are_resolved_and_given_soft_evidence_is_kept(model):
    from gluteal_bn.evidence import resolve_aliases

    vocabulary = model.vocabulary
    alias = vocabulary.aliases[0]
    hard_state = next(s for s in alias.likelihoods if alias.hard_state(s) is not None)
    soft_state = next(s for s in alias.likelihoods if alias.hard_state(s) is None)
    target = vocabulary[alias.variable]
    # only aliases in the evidence: still resolved (not returned as given)
    resolved = resolve_aliases({alias.name: hard_state}, None, vocabulary)
    assert resolved == ({target.name: target.states[alias.hard_state(hard_state)]}, None)
    # an alias that stands for soft evidence joins the soft evidence already given
    given = {"fever": {"yes": 0.7, "no": 0.3}}
    hard, soft = resolve_aliases({alias.name: soft_state, "age": "over_60"}, given, vocabulary)
    assert hard == {"age": "over_60"}
    expected = dict(zip(target.states, alias.likelihoods[soft_state], strict=True))
    assert soft == {"fever": {"yes": 0.7, "no": 0.3}, target.name: expected}
    assert given == {"fever": {"yes": 0.7, "no": 0.3}}  # the caller's mapping is not changed
    both = model.posterior({alias.name: soft_state}, soft=given)
    assert both["local_infection"] != model.posterior({alias.name: soft_state})["local_infection"]


def test_a_cause_named_by_something_other_than_text_is_refused(model):
    from gluteal_bn.evidence import check_cause

    with pytest.raises(
        EvidenceError,
        match=r"^explain names variables by text; got 3 \(int\)\. Known variables: age, ",
    ):
        check_cause(3, model.vocabulary, what="explain")


def test_impossible_evidence_hints_only_when_the_culprits_were_searched():
    # culprits None: not searched, no hint; [] with one item: nothing to say either
    assert str(impossible_evidence({"fever": "yes", "age": "over_60"}, None, None)) == (
        "evidence {fever=yes, age=over_60} has probability zero in this model"
    )
    assert str(impossible_evidence({"fever": "yes"}, None, [])) == (
        "evidence {fever=yes} has probability zero in this model"
    )
    assert str(impossible_evidence({}, {"fever": {}, "radiation": {}}, [])) == (
        "evidence {no evidence} with soft evidence on fever, radiation has probability zero in "
        "this model; it stays impossible without any one of its items, so several of them "
        "contradict one another: fever, radiation"
    )


@pytest.mark.parametrize(
    ("soft", "message"),
    [
        (
            [1],
            r"^soft evidence must be a mapping of variable name to \{state: likelihood\}, such "
            r"as \{'fever': \{'yes': 0.7, 'no': 0.3\}\}; got list$",
        ),
        (
            {"radiation": [1, 2]},
            r"^soft evidence for radiation must map states to likelihoods, such as "
            r"\{'below_knee': 0.7, 'none': 0.3\}; got \[1, 2\]$",
        ),
        (
            {"radiation": {"thigh": "x"}},
            r"^soft evidence radiation\['thigh'\] = 'x' is not a number; expected a finite "
            r"likelihood >= 0$",
        ),
    ],
)
def test_bad_soft_evidence_messages_in_full(model, soft, message):
    with pytest.raises(EvidenceError, match=message):
        model.posterior(soft=soft)


@pytest.mark.parametrize(
    ("evidence", "soft", "message"),
    [
        (
            {"worse_with_sitting": "maybe"},
            None,
            r"^evidence worse_with_sitting='maybe' is not a state of worse_with_sitting \(an "
            r"alias for sitting_effect\); expected one of \['yes', 'no'\]$",
        ),
        (
            {"worse_with_sitting": 3},
            None,
            r"^evidence worse_with_sitting=3 is not a state of worse_with_sitting \(an alias for "
            r"sitting_effect\); expected one of \['yes', 'no'\]$",
        ),
        (
            {"worse_with_sitting": "yes", "sitting_effect": "worse"},
            None,
            r"^worse_with_sitting stands for evidence on sitting_effect, which is given too; give "
            r"one of them$",
        ),
        (
            {"worse_with_sitting": "no"},
            {"sitting_effect": {"worse": 1.0, "relieved": 0.5}},
            r"^worse_with_sitting stands for evidence on sitting_effect, which is given too; give "
            r"one of them$",
        ),
    ],
)
def test_an_alias_with_a_bad_state_or_beside_its_variable_is_refused(
    model, evidence, soft, message
):
    from gluteal_bn.evidence import resolve_aliases

    with pytest.raises(EvidenceError, match=message):
        resolve_aliases(evidence, soft, model.vocabulary)
    with pytest.raises(EvidenceError, match=message):
        model.posterior(evidence, soft=soft)
