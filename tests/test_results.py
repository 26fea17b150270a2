"""Results are data: frozen objects with to_frame, to_dict, str and HTML, no DataFrame.attrs."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from gluteal_bn.cli import main
from gluteal_bn.reasoning.results import (
    Explanation,
    MostProbableExplanations,
    NextQuestions,
    PosteriorIntervals,
    Sensitivity,
    TippingPoints,
)

EVIDENCE = {"fever": "yes", "local_redness_swelling": "yes", "age": "over_60"}


@pytest.fixture(scope="module")
def results(model):
    return {
        Explanation: model.explain(EVIDENCE, "local_infection"),
        NextQuestions: model.next_questions(EVIDENCE),
        MostProbableExplanations: model.most_probable_explanation(EVIDENCE, k=3),
        Sensitivity: model.sensitivity(EVIDENCE, "local_infection"),
        TippingPoints: model.tipping_points(EVIDENCE),
        PosteriorIntervals: model.posterior_interval(EVIDENCE, n=100, seed=2),
    }


@pytest.mark.parametrize(
    "kind",
    [
        Explanation,
        NextQuestions,
        MostProbableExplanations,
        Sensitivity,
        TippingPoints,
        PosteriorIntervals,
    ],
)
def test_every_result_has_the_four_faces(results, kind):
    result = results[kind]
    assert type(result) is kind
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame) and not frame.empty
    assert frame.attrs == {}  # meaning lives in the result's fields, not in attrs
    frame["added"] = 1  # a copy: the result does not change
    assert "added" not in result.to_frame().columns
    document = result.to_dict()
    assert json.loads(json.dumps(document, allow_nan=False)) == document
    text = str(result)
    assert "\n" in text and text != repr(result)
    assert "\n" not in repr(result) and repr(result).startswith(kind.__name__ + "(")
    assert "<table" in result._repr_html_()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.evidence = {}


def test_explanation_fields_agree_with_the_posterior(model, results):
    why = results[Explanation]
    assert why.posterior == pytest.approx(model.posterior(EVIDENCE)["local_infection"], abs=1e-12)
    assert why.prior == pytest.approx(model.prior()["local_infection"], abs=1e-12)
    assert why.evidence == EVIDENCE
    assert why.to_dict()["items"][0]["variable"] == why.table["variable"].iloc[0]
    # the subsets' log-odds: the empty set is the prior, the full set the posterior
    assert why.subset_log_odds[0] == why.prior_log_odds
    assert why.subset_log_odds[-1] == why.posterior_log_odds


def test_explanation_steps_follow_the_posterior(model, results):
    why = results[Explanation]
    order = ["age", "fever", "local_redness_swelling"]
    steps = why.steps(order)
    assert list(steps.index) == [
        "prior",
        "age=over_60",
        "fever=yes",
        "local_redness_swelling=yes",
        "posterior",
    ]
    for k in range(1, len(order) + 1):
        seen = {name: EVIDENCE[name] for name in order[:k]}
        expected = model.posterior(seen)["local_infection"]
        assert steps["probability"].iloc[k] == pytest.approx(expected, abs=1e-12)
    assert np.isnan(steps["weight_of_evidence"].iloc[0])


def test_a_result_still_reads_like_its_table(results):
    table = results[Sensitivity]
    assert len(table) == len(table.table)
    pd.testing.assert_series_equal(table["swing"], table.table["swing"])
    assert table.loc[0, "label"] == table.table.loc[0, "label"]
    with pytest.raises(AttributeError):
        table._private_name  # noqa: B018


def test_sensitivity_top_keeps_the_fields(results):
    table = results[Sensitivity]
    top = table.top(2)
    assert len(top) == 2
    assert (top.cause, top.posterior, top.factor) == (table.cause, table.posterior, table.factor)


@pytest.mark.parametrize(
    ("command", "method"),
    [
        (["ask", *(f"{k}={v}" for k, v in EVIDENCE.items())], "next_questions"),
        (
            ["explain", "--cause", "local_infection", *(f"{k}={v}" for k, v in EVIDENCE.items())],
            "explain",
        ),
    ],
)
def test_the_cli_prints_the_result_itself(capsys, model, command, method):
    if method == "explain":
        result = model.explain(EVIDENCE, "local_infection")
    else:
        result = model.next_questions(EVIDENCE)
    assert main(command) == 0
    assert capsys.readouterr().out.startswith(str(result) + "\n")
    assert main([*command, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    document.pop("disclaimer")
    assert document == json.loads(json.dumps(result.to_dict()))


def test_the_cli_prints_sensitivity_as_the_result(capsys, model):
    result = model.sensitivity(EVIDENCE, "local_infection").top(4)
    args = ["sensitivity", "--cause", "local_infection", "--top", "4"]
    assert main([*args, *(f"{k}={v}" for k, v in EVIDENCE.items())]) == 0
    assert capsys.readouterr().out.startswith(str(result) + "\n")
