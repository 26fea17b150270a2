"""Results are data: frozen objects with to_frame, to_dict, str and HTML, no DataFrame.attrs."""

from __future__ import annotations

import dataclasses
import html
import json
import re

import numpy as np
import pandas as pd
import pytest

from gluteal_bn.cli import main
from gluteal_bn.i18n import translation
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


# -- what people read, in Russian (issue 11): headers, captions and cells in words -------------

#: Latin words a Russian result may show: file names, FAIR (the piriformis test) and the
#: acronyms of the evaluation's metrics, which Russian texts write in Latin letters too.
_LATIN_ALLOWED = {"csv", "priors", "likelihoods", "FAIR", "ROC", "AUC", "ECE"}


def _russian_results(model):
    evidence = {"fever": "yes", "age": "over_60"}
    cases = model.sample_cases(400, seed=3)
    return {
        "evaluation": model.evaluate(cases, [*model.causes, "spinal_type"], n_boot=20, seed=4),
        "sensitivity": model.sensitivity(evidence, "local_infection").top(5),
        "tipping_points": model.tipping_points({"low_back_pain": "yes"}),
        "explanation": model.explain(evidence, "local_infection"),
        "mpe": model.most_probable_explanation(evidence, k=3),
        "intervals": model.posterior_interval(evidence, n=30, seed=1),
        "conflict": model.conflict({"fever": "no", "local_redness_swelling": "yes"}),
        "diagnosis": model.diagnose(evidence),
    }


def _html_of(result, language):
    if hasattr(result, "model"):  # Diagnosis.to_html is the case report: Jupyter's view
        from gluteal_bn.i18n import translation

        return result._html(translation(language))
    return result.to_html(language)


def _texts(page, tags):
    found = []
    for tag in tags:
        found += re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page, flags=re.S)
    return [re.sub(r"<[^>]+>", " ", html.unescape(text)) for text in found]


@pytest.mark.parametrize(
    "name",
    [
        "evaluation",
        "sensitivity",
        "tipping_points",
        "explanation",
        "mpe",
        "intervals",
        "conflict",
        "diagnosis",
    ],
)
def test_russian_html_has_no_english_header_caption_or_cell_left(model, name):
    result = _russian_results(model)[name]
    page = _html_of(result, "ru")
    heads = _texts(page, ["th", "caption", "p"])
    assert heads and any(re.search("[а-яё]", h) for h in heads)
    # the heads (column names, captions, headings) are in Russian, every one of them
    for text in heads:
        english = set(re.findall(r"\b[A-Za-z]{2,}\b", text)) - _LATIN_ALLOWED
        assert not english, (text, english)
    # and so are the cells: no identifier, no English word, numbers with a decimal comma
    cells = " ".join(_texts(page, ["td"]))
    english = set(re.findall(r"\b[A-Za-z]{3,}\b", cells)) - _LATIN_ALLOWED
    assert not english, english
    assert not re.search(r"\d\.\d", cells), cells
    # the English view of the same result is English; the data keep their identifiers
    assert not re.search("[а-яё]", _html_of(result, "en"))
    assert not re.search(
        "[а-яё]", json.dumps(result.to_dict()) if hasattr(result, "to_dict") else ""
    )


@pytest.mark.parametrize("name", ["evaluation", "sensitivity", "tipping_points", "conflict"])
def test_russian_text_of_the_new_views_has_no_english_word(model, name):
    result = _russian_results(model)[name]
    text = result.to_text("ru")
    english = set(re.findall(r"\b[A-Za-z]{3,}\b", text)) - _LATIN_ALLOWED
    assert not english, english
    assert text != result.to_text("en")


def test_html_tables_round_numbers_as_people_read_them(model):
    result = model.sensitivity({"fever": "yes"}, "local_infection").top(3)
    page = result.to_html("en")
    # probabilities in percent as the text shows them, never a bare float with noise
    for swing in result.table["swing"]:
        assert f"<td>{translation('en').percent(swing)}</td>" in page
    for number in re.findall(r"<td>-?(\d+\.\d+)%?</td>", page):  # at most 4 significant digits
        assert len(number.replace(".", "").lstrip("0")) <= 4, number
    assert not re.search(r"e-\d\d", page)
    frame = result.table.assign(swing=[-1e-17, 1e-16, 0.5])
    noisy = dataclasses.replace(result, table=frame)
    shown = noisy.to_html("en")
    assert "-0.0%" not in shown and "e-1" not in shown and "<td>50.0%</td>" in shown


def test_evaluation_html_keeps_its_rows_and_intervals_in_both_languages(model):
    result = _russian_results(model)["evaluation"]
    for language in ("en", "ru"):
        page = result.to_html(language)
        rows = 1 + len(result.metrics) + 1 + len(result.confusion)
        assert page.count("<tr>") == rows
        assert page.count("<small>") == 5 * len(result.metrics)  # every metric's interval
    t = translation("ru")
    lower = result.metrics["brier"].iloc[0]
    assert t.number(lower, 3) in result.to_html("ru")
    assert result.to_html() == result._repr_html_()
