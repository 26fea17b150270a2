"""A network too large to compile answers through pgmpy's exact inference, with a warning."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import EvidenceError, GlutealBNWarning, engine

N_CAUSES = 7  # 2 x 2**7 = 256 core configurations; the tests lower the limit below that
LIMIT = 100  # pgmpy is slow on a truly large network: lower the engine's limit instead
BASELINE = [0.05 + 0.01 * i for i in range(N_CAUSES)]
SENSITIVITY = 0.6
LEAK = 0.1


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def many_causes_folder(folder: Path) -> Path:
    """One risk factor, N_CAUSES independent causes, one noisy-OR finding per cause."""
    folder.mkdir()
    variables = [["sex", "risk_factor", "female|male", "table", "Sex", ""]]
    variables += [
        [f"c{i}", "cause", "no|yes", "logistic", f"Cause {i}", ""] for i in range(N_CAUSES)
    ]
    variables += [
        [f"f{i}", "finding", "no|yes", "noisy_or", f"Finding {i}", ""] for i in range(N_CAUSES)
    ]
    write_csv(
        folder / "variables.csv",
        ["variable", "role", "states", "model", "label", "description"],
        variables,
    )
    priors = [
        ["sex", "female", "", "", "probability", 0.5, "test"],
        ["sex", "male", "", "", "probability", 0.5, "test"],
    ]
    priors += [
        [f"c{i}", "yes", "", "", "probability", BASELINE[i], "test"] for i in range(N_CAUSES)
    ]
    write_csv(
        folder / "priors.csv",
        ["variable", "state", "parent", "parent_state", "measure", "value", "source"],
        priors,
    )
    likelihoods = []
    for i in range(N_CAUSES):
        likelihoods.append([f"f{i}", f"c{i}", "yes", SENSITIVITY, "test"])
        likelihoods.append([f"f{i}", "leak", "yes", LEAK, "test"])
    write_csv(
        folder / "likelihoods.csv",
        ["finding", "cause", "state", "probability", "source"],
        likelihoods,
    )
    return folder


def bayes(prior: float, finding: str) -> float:
    """P(cause | its own finding) by hand: the causes are independent, each finding has one."""
    p_yes, p_no = (SENSITIVITY, LEAK) if finding == "yes" else (1 - SENSITIVITY, 1 - LEAK)
    return prior * p_yes / (prior * p_yes + (1 - prior) * p_no)


@pytest.fixture(scope="module")
def large_model(tmp_path_factory) -> gb.DiagnosticModel:
    folder = many_causes_folder(tmp_path_factory.mktemp("large") / "model")
    with (
        pytest.MonkeyPatch.context() as patch,
        pytest.warns(
            GlutealBNWarning,
            match=r"the network has 256 configurations of its risk factors and causes; the "
            r"compiled engine handles at most 100; this model answers through pgmpy's "
            r"VariableElimination instead",
        ),
    ):
        patch.setattr(engine.compiled, "MAX_CORE_CONFIGURATIONS", LIMIT)
        return gb.load_model(folder)


def test_the_fallback_answers_exactly(large_model):
    np.testing.assert_allclose(large_model.prior(), BASELINE, rtol=0, atol=1e-12)
    evidence = {"f0": "yes", "f3": "no", "c5": "yes", "sex": "male"}
    posterior = large_model.posterior(evidence)
    expected = list(BASELINE)
    expected[0], expected[3], expected[5] = bayes(BASELINE[0], "yes"), bayes(BASELINE[3], "no"), 1
    np.testing.assert_allclose(posterior, expected, rtol=0, atol=1e-12)
    finding = large_model.query("f1", {"c1": "yes"})["f1"]
    np.testing.assert_allclose(finding, [1 - SENSITIVITY, SENSITIVITY], atol=1e-12)
    p_f0 = BASELINE[0] * SENSITIVITY + (1 - BASELINE[0]) * LEAK
    assert large_model.probability_of_evidence({"f0": "yes"}) == pytest.approx(p_f0, abs=1e-12)


def test_the_fallback_scores_batches_and_checks_evidence(large_model):
    cases = pd.DataFrame({"f2": ["yes", None, "maybe"]})
    scores = large_model.posterior_batch(cases, errors="coerce")
    assert scores.loc[0, "c2"] == pytest.approx(bayes(BASELINE[2], "yes"), abs=1e-12)
    assert scores.loc[1, "c2"] == pytest.approx(BASELINE[2], abs=1e-12)
    assert scores.loc[2].isna().all()
    with pytest.raises(EvidenceError, match=r"evidence f2='maybe' is not a state of f2"):
        large_model.posterior({"f2": "maybe"})


def test_a_ruled_out_cause_is_exactly_zero_in_the_fallback(large_model):
    # c4 = no with f4 = yes is possible through the leak.
    assert large_model.posterior({"c4": "no", "f4": "yes"})["c4"] == 0.0


def test_the_fallback_refuses_soft_evidence_clearly(large_model):
    with pytest.raises(
        EvidenceError, match=r"soft evidence needs the compiled engine; this network is too large"
    ):
        large_model.posterior(soft={"f0": {"yes": 0.8, "no": 0.2}})


@pytest.mark.parametrize(
    ("tool", "call"),
    [
        ("next_questions", lambda m: m.next_questions({"f0": "yes"})),
        ("explain", lambda m: m.explain({"f0": "yes"}, "c0")),
        ("most_probable_explanation", lambda m: m.most_probable_explanation({"f0": "yes"})),
        ("conflict", lambda m: m.conflict({"f0": "yes"})),
        ("sensitivity", lambda m: m.sensitivity({"f0": "yes"}, "c0")),
        ("tipping_points", lambda m: m.tipping_points({"f0": "yes"})),
        ("posterior_interval", lambda m: m.posterior_interval({"f0": "yes"}, n=10, seed=0)),
        ("fit", lambda m: m.fit(pd.DataFrame({"f0": ["yes"]}))),
    ],
)
def test_reasoning_tools_say_they_need_the_compiled_engine(large_model, tool, call):
    with pytest.raises(
        gb.DataError, match=rf"{tool} needs the compiled engine, but this network has too many"
    ) as caught:
        call(large_model)
    # the whole message, and the folder it names (issue 13: mutants survived in both)
    assert str(caught.value).endswith(
        f"{tool} needs the compiled engine, but this network has too many configurations of "
        "its risk factors and causes to compile; on it only posterior, posterior_array, query, "
        "probability_of_evidence, posterior_batch and diagnose work"
    )
    assert caught.value.path is not None and Path(caught.value.path) == large_model.folder


def test_the_fallback_warning_reads_in_full_and_points_at_the_caller(tmp_path, monkeypatch):
    # issue 13: mutants of the warning's category, text and stacklevel survived
    folder = many_causes_folder(tmp_path / "model")
    monkeypatch.setattr(engine.compiled, "MAX_CORE_CONFIGURATIONS", LIMIT)
    with pytest.warns(GlutealBNWarning) as record:
        gb.load_model(folder)
    [warning] = record
    assert warning.category is GlutealBNWarning
    assert str(warning.message).endswith(
        "this model answers through pgmpy's VariableElimination instead (exact, but about a "
        "thousand times slower per query)"
    )
    assert Path(warning.filename) == Path(__file__)  # the line that called load_model
