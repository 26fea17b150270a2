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
