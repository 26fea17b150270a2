"""plot_next_questions and plot_explanation: bars, words, values, on the caller's Axes."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import gluteal_bn as gb


def test_next_questions_bars_are_the_gains_best_on_top(model):
    result = model.next_questions({"fever": "yes"})
    ax = gb.plot_next_questions(result)
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx(list(result.ranking["information_gain"]))
    top_down = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in top_down] == list(result.ranking["label"])
    assert f"{result.ranking['information_gain'].iloc[0]:.2f}" in [t.get_text() for t in ax.texts]
    assert ax.get_xlabel() == "expected information gain (bits)"
    assert "(given Fever: yes)" in ax.get_title(loc="left")


def test_next_questions_top_and_given_axes(model):
    _, (left, right) = plt.subplots(1, 2)
    result = model.next_questions({}, target="local_infection")
    assert gb.plot_next_questions(result, ax=right, top=3) is right
    assert len(right.patches) == 3 and not left.patches
    assert model.labels["local_infection"] in " ".join(right.get_title(loc="left").split())


def test_next_questions_title_names_soft_evidence(model):
    result = model.next_questions({"age": "over_60"}, soft={"fever": {"yes": 2, "no": 1}})
    title = gb.plot_next_questions(result).get_title(loc="left")
    assert "Age group: over 60 years; Fever: uncertain" in " ".join(title.split())


def test_explanation_diverges_around_zero(model):
    evidence = {"fever": "yes", "local_redness_swelling": "no", "pain_layer": "subcutaneous"}
    why = model.explain(evidence, "local_infection")
    ax = gb.plot_explanation(why)
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx(list(why["contribution"]))
    assert min(widths) < 0 < max(widths)
    negative = next(p for p in ax.patches if p.get_width() < 0)
    assert negative.get_hatch() == "//"  # told apart from positive bars in grey print
    assert f"{why['contribution'].iloc[0]:+.2f}" in [t.get_text() for t in ax.texts]
    assert model.labels["local_infection"] in ax.get_title(loc="left")
    left, right = ax.get_xlim()
    assert left == pytest.approx(-right)


def test_explanation_on_given_axes(model):
    _, ax = plt.subplots()
    why = model.explain({"fever": "yes"}, "local_infection")
    assert gb.plot_explanation(why, ax=ax) is ax


@pytest.mark.parametrize(
    ("function", "message"),
    [
        (gb.plot_next_questions, r"plot_next_questions needs the result of model.next_questions"),
        (gb.plot_explanation, r"plot_explanation needs the result of model.explain"),
    ],
)
def test_wrong_input_is_refused(function, message):
    with pytest.raises(TypeError, match=message):
        function([1, 2, 3])


def test_explanation_names_soft_evidence_uncertain_not_soft(model):
    soft = {"fever": {"yes": 0.8, "no": 0.2}}
    why = model.explain({"age": "over_60"}, "local_infection", soft=soft)
    ticks = [t.get_text() for t in gb.plot_explanation(why).get_yticklabels()]
    assert "Fever: uncertain" in ticks and not any("soft" in tick for tick in ticks)
    assert "Fever: uncertain" in str(why)
    russian = gb.plot_explanation(why, language="ru").get_yticklabels()
    assert "Лихорадка: неопределённо" in [t.get_text() for t in russian]


@pytest.mark.parametrize(("language", "decimal"), [("en", "."), ("ru", ",")])
def test_every_explanation_bar_is_labelled_with_its_signed_contribution(model, language, decimal):
    # Issue 13, item 7: each bar reads +0.12 or -0.34 (two decimals, the sign always shown),
    # not only the largest one; the label sits at the end of its own bar.
    evidence = {
        "fever": "yes",
        "local_redness_swelling": "no",
        "pain_layer": "subcutaneous",
        "age": "over_60",
        "claudication": "yes",
    }
    why = model.explain(evidence, "local_infection")
    contributions = list(why["contribution"])
    assert sum(c > 0.005 for c in contributions) >= 2 and sum(c < -0.005 for c in contributions)
    ax = gb.plot_explanation(why, language=language)
    labels = [text for text in ax.texts if text.get_text()]
    assert len(labels) == len(ax.patches) == len(contributions)
    for text, bar, contribution in zip(labels, ax.patches, contributions, strict=True):
        expected = f"{contribution:+.2f}".replace(".", decimal)
        if expected in ("+0" + decimal + "00", "-0" + decimal + "00"):
            expected = "0" + decimal + "00"  # zero has no sign
        assert text.get_text() == expected
        assert re.fullmatch(r"[+-]\d+[.,]\d\d|0[.,]00", text.get_text())
        assert text.xy[0] == pytest.approx(bar.get_width())
