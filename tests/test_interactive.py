"""gluteal_bn.explorer: driven by setting widget values and reading what the widgets show."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest

import gluteal_bn as gb
from gluteal_bn.interactive import UNKNOWN, Explorer


def shown_percentages(html_text):
    return re.findall(r"<td><b>([0-9.]+)%</b></td>", html_text)


def test_one_dropdown_per_observable_variable_starting_unknown(model):
    view = gb.explorer(model)
    assert isinstance(view, Explorer)
    assert list(view.dropdowns) == [*model.risk_factors, *model.findings]
    for name, dropdown in view.dropdowns.items():
        labels = [label for label, _ in dropdown.options]
        variable = model.vocabulary[name]
        assert labels == [UNKNOWN, *(variable.state_label(s) for s in variable.states)]
        assert [value for _, value in dropdown.options] == ["", *variable.states]
        assert dropdown.description == model.labels[name]
    assert view.evidence == {}
    prior = model.prior()
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in prior]
    best = prior.idxmax()
    assert view.answer.value == (
        f"<p>Most likely cause: <b>{model.labels[best]}</b> ({100 * prior[best]:.1f}%)</p>"
    )


def test_setting_dropdowns_updates_bars_and_answer(model):
    view = gb.explorer(model)
    view.dropdowns["fever"].value = "yes"
    view.dropdowns["local_redness_swelling"].value = "yes"
    evidence = {"fever": "yes", "local_redness_swelling": "yes"}
    assert view.evidence == evidence
    posterior = model.posterior(evidence)
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in posterior]
    assert "Gluteal abscess / phlegmon" in view.answer.value
    # the evidence above the bars reads in words, not identifiers
    assert "local_redness_swelling" not in view.bars.value
    assert model.labels["local_redness_swelling"] in view.bars.value
    assert repr(view) == f"Explorer(2 of {len(view.dropdowns)} variables observed)"

    view.dropdowns["fever"].value = ""  # back to unknown
    assert view.evidence == {"local_redness_swelling": "yes"}
    posterior = model.posterior({"local_redness_swelling": "yes"})
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in posterior]

    view.reset()
    assert view.evidence == {}
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in model.prior()]


def test_impossible_evidence_is_shown_not_raised(data_copy, edit_cell):
    # a teacher's copy in which nobody is over 60
    edit_cell("priors.csv", {"variable": "age", "state": "over_60"}, "value", "0")
    edit_cell("priors.csv", {"variable": "age", "state": "under_40"}, "value", "0.6")
    view = gb.explorer(gb.load_model(data_copy))
    view.dropdowns["age"].value = "over_60"
    assert view.answer.value.startswith(
        "<p><b>Cannot answer:</b> evidence {age=over_60} has probability zero"
    )
    assert view.bars.value == ""
    view.dropdowns["age"].value = "under_40"
    assert view.answer.value.startswith("<p>Most likely cause:")


def test_displays_as_its_widget(model):
    view = gb.explorer(model)
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    assert bundle["text/plain"] == repr(view)
    assert bundle["text/html"] == view.snapshot_html()


def test_missing_ipywidgets_names_the_extra(model, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r'pip install "gluteal-bn\[notebook\]"'):
        gb.explorer(model)


def test_a_click_on_a_node_cycles_its_evidence(model):
    view = gb.explorer(model)
    states = model.states("radiation")
    seen = []
    for _ in range(len(states) + 1):
        view.click("radiation")
        seen.append(view.evidence.get("radiation"))
    assert seen == [*states, None]
    # the same through the message the browser sends
    view._on_message(view.network, {"click": "fever"}, [])
    assert view.evidence == {"fever": model.states("fever")[0]}
    view._on_message(view.network, {"click": "spinal_disorder"}, [])  # causes do nothing
    view._on_message(view.network, "not a mapping", [])
    assert view.evidence == {"fever": model.states("fever")[0]}


def test_causes_are_not_clickable(model):
    view = gb.explorer(model)
    with pytest.raises(
        gb.EvidenceError, match=r"'spinal_disorder' is not a risk factor or finding"
    ):
        view.click("spinal_disorder")
    svg = view.network.svg
    assert 'data-node="fever"' in svg
    assert 'data-node="spinal_disorder"' not in svg


def test_the_picture_shows_every_node_and_marks_the_observed_ones(model):
    view = gb.explorer(model)
    svg = view.network.svg
    # people read labels: "40-60 years", not 40_to_60
    shown = re.findall(r">([^<>]+)</text>", svg)
    assert (
        "below_knee" not in shown
        and model.vocabulary["radiation"].state_label("below_knee") in shown
    )
    for name in model.variables:
        assert f">{model.labels[name][:21]}" in svg
    assert 'stroke-width="3"' not in svg
    view.click("fever")
    view.click("fever")  # yes
    fever = view.network.svg.split('data-node="fever"')[1].split("</g>")[0]
    assert 'stroke-width="3"' in fever
    assert 'data-state="yes" x=' in fever
    full = re.search(r'data-state="yes" x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)"', fever)
    assert float(full.group(1)) == 52.0  # the whole bar: observed


def test_next_questions_are_the_top_three_and_answer_on_click(model):
    view = gb.explorer(model)
    view.click("fever")
    view.click("fever")
    ranking = model.next_questions({"fever": "yes"}).ranking
    rows = view.question_buttons.children
    assert len(rows) == 3
    for row, (name, expected) in zip(rows, ranking.head(3).iterrows(), strict=True):
        title, *buttons = row.children
        assert expected["label"] in title.value
        assert f"{expected['information_gain']:.2f} bits" in title.value
        variable = model.vocabulary[name]
        assert [b.description for b in buttons] == list(variable.state_labels)
    best = ranking.index[0]
    rows[0].children[-1].click()  # the last answer of the best question
    assert view.evidence == {"fever": "yes", best: model.states(best)[-1]}
    posterior = model.posterior(view.evidence)
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in posterior]
    with pytest.raises(gb.EvidenceError, match=r"'maybe' is not a state of fever"):
        view.answer_question("fever", "maybe")


def test_soft_evidence_from_the_slider(model):
    view = gb.explorer(model)
    view.set_soft("fever", 0.8)
    assert view.soft == {"fever": {"yes": 0.8, "no": pytest.approx(0.2)}}
    expected = model.posterior(soft={"fever": {"yes": 0.8, "no": 0.2}})
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in expected]
    assert 'stroke-dasharray="6 3"' in view.network.svg  # a soft node has a dashed border
    # the slider itself, as a person moves it
    view.soft_variable.value = "smoker"
    assert view.soft_slider.value == 0.5
    view.soft_slider.value = 0.3
    assert set(view.soft) == {"fever", "smoker"}
    view.soft_variable.value = "fever"
    assert view.soft_slider.value == 0.8
    # hard evidence on the same variable wins; 0.5 removes soft evidence
    view.answer_question("fever", "no")
    assert set(view.soft) == {"smoker"}
    view.set_soft("smoker", 0.5)
    assert view.soft == {}
    with pytest.raises(gb.EvidenceError, match="for yes/no variables; 'age' is not one"):
        view.set_soft("age", 0.7)
    with pytest.raises(gb.EvidenceError, match=r"likelihood 1.5 is not in 0..1"):
        view.set_soft("fever", 1.5)
    view.set_soft("diabetes", 0.9)
    view.reset()
    assert view.evidence == {} and view.soft == {}
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in model.prior()]


def svg_probabilities(svg: str) -> dict[tuple[str, str], float]:
    """(variable, state) -> the exact probability each bar of the explorer's picture carries."""
    found = {}
    for node in re.findall(r"<g[^>]*>.*?</g>", svg, flags=re.S):
        name = re.search(r'data-node="([^"]+)"', node)  # risk factors and findings
        for state, value in re.findall(
            r'data-state="([^"]+)"[^>]*data-probability="([^"]+)"', node
        ):
            if name:
                found[(name.group(1), state)] = float(value)
    return found


def test_soft_evidence_on_a_finding_of_three_states(model):
    name = "sitting_effect"
    assert len(model.states(name)) == 3
    view = gb.explorer(model)
    view.soft_variable.value = name
    # one slider per state, labelled in words, all at 1 (no information); no yes/no slider
    assert list(view.soft_sliders) == list(model.states(name))
    assert [s.description for s in view.soft_sliders.values()] == [
        model.vocabulary.state_label(name, state) for state in model.states(name)
    ]
    assert all(slider.value == 1.0 for slider in view.soft_sliders.values())
    assert tuple(view.soft_states.children) == tuple(view.soft_sliders.values())
    assert view.soft_slider.layout.display == "none"
    assert "under each state" in view.soft_help.value
    assert view.soft == {}
    before = shown_percentages(view.bars.value)

    # moving the sliders, as a person does
    view.soft_sliders["worse"].value = 0.9
    view.soft_sliders["relieved"].value = 0.2
    likelihood = {"no_change": 1.0, "worse": 0.9, "relieved": 0.2}
    assert view.soft == {name: likelihood}
    expected = model.posterior(soft={name: likelihood})
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in expected]
    assert shown_percentages(view.bars.value) != before
    assert f"<p>Soft evidence on: {model.labels[name]}</p>" in view.answer.value
    marginals = model.query(model.variables, soft={name: likelihood})
    shown = svg_probabilities(view.network.svg)
    for variable in model.risk_factors + model.findings:
        for state, probability in marginals[variable].items():
            assert shown[(variable, state)] == pytest.approx(probability, abs=1e-9)
    node = view.network.svg.split(f'data-node="{name}"')[1].split("</g>")[0]
    assert 'stroke-dasharray="6 3"' in node  # a soft node has a dashed border

    # another variable and back: the sliders keep their values
    view.soft_variable.value = "fever"
    assert view.soft_sliders == {} and view.soft_slider.layout.display is None
    view.soft_variable.value = name
    assert {s: slider.value for s, slider in view.soft_sliders.items()} == likelihood

    # set in code: a state left out gets 0; all equal removes the soft evidence
    view.set_soft("radiation", {"thigh": 0.5, "below_knee": 1.0})
    assert view.soft["radiation"] == {"none": 0.0, "thigh": 0.5, "below_knee": 1.0}
    assert view.soft_variable.value == "radiation"
    assert view.soft_sliders["none"].value == 0.0
    both = {name: likelihood, "radiation": view.soft["radiation"]}
    expected = model.posterior(soft=both)
    assert shown_percentages(view.bars.value) == [f"{100 * p:.1f}" for p in expected]
    view.set_soft("radiation", {"none": 0.4, "thigh": 0.4, "below_knee": 0.4})
    assert set(view.soft) == {name}
    # hard evidence wins; reset clears the sliders
    view.click(name)
    assert view.soft == {}
    view.reset()
    assert view.soft == {} and view.evidence == {}
    assert all(slider.value == 1.0 for slider in view.soft_sliders.values())
    assert shown_percentages(view.bars.value) == before
    assert "Soft evidence" not in view.answer.value

    with pytest.raises(gb.EvidenceError, match=r"'sideways' is not a state of radiation"):
        view.set_soft("radiation", {"sideways": 1.0})
    with pytest.raises(gb.EvidenceError, match=r"likelihood -0.5 is not in 0..1"):
        view.set_soft("radiation", {"thigh": -0.5})
    with pytest.raises(gb.EvidenceError, match=r"likelihood 'high' is not in 0..1"):
        view.set_soft("radiation", {"thigh": "high"})
    with pytest.raises(gb.EvidenceError, match=r"likelihood nan is not in 0..1"):
        view.set_soft("radiation", {"thigh": float("nan")})
    view.set_soft("radiation", {"thigh": np.float32(0.25), "none": np.int64(1)})  # numpy numbers
    assert view.soft["radiation"] == {"none": 1.0, "thigh": 0.25, "below_knee": 0.0}
    with pytest.raises(gb.EvidenceError, match=r"give one likelihood per state of radiation"):
        view.set_soft("radiation", 0.7)
    with pytest.raises(gb.EvidenceError, match=r"'hip_type' is not a risk factor or finding"):
        view.set_soft("hip_type", {"none": 1.0})


def test_soft_sliders_in_russian(model):
    from gluteal_bn.i18n import translation

    ru = translation("ru")
    view = gb.explorer(model, language="ru")
    view.soft_variable.value = "pain_layer"
    assert [s.description for s in view.soft_sliders.values()] == [
        ru.state(model.vocabulary, "pain_layer", state) for state in model.states("pain_layer")
    ]
    assert "under each state" not in view.soft_help.value
    assert view.soft_help.value == (
        "<small>"
        + ru.gettext(
            "Likelihood of what was seen under each state (0 rules the state out); "
            "equal values say nothing."
        )
        + "</small>"
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_explorer_picture_shows_every_label_whole(model, language):
    import html

    from gluteal_bn.i18n import translation

    t = translation(language)
    svg = gb.explorer(model, language=language).network.svg
    assert "…" not in svg
    words = html.unescape(" ".join(re.findall(r">([^<>]+)<", svg)))
    words = " ".join(words.split())
    for name in model.variables:
        assert " ".join(t.variable(model.vocabulary, name).split()) in words
        for state in model.states(name):
            label = t.state(model.vocabulary, name, state)
            assert " ".join(label.split()) in words, (name, label)


def test_static_snapshot_for_a_notebook_exported_to_html(model):
    view = gb.explorer(model)
    view.click("fever")
    snapshot = view.snapshot_html()
    assert "<script" not in snapshot
    assert view.network.snapshot_class in snapshot
    assert view.network.svg in snapshot and view.bars.value in snapshot
    ranking = model.next_questions({"fever": "no"}).ranking
    for label in ranking["label"].head(3):
        assert label in snapshot
    assert ranking["label"].iloc[3] not in view.questions.value


def test_the_explorer_in_russian(model):
    from gluteal_bn.i18n import translation

    ru = translation("ru")
    view = gb.explorer(model, language="ru")
    fever = view.dropdowns["fever"]
    assert fever.description == ru.variable(model.vocabulary, "fever")
    assert [label for label, _ in fever.options] == [
        "неизвестно",
        *(ru.state(model.vocabulary, "fever", s) for s in model.states("fever")),
    ]
    best = model.prior().idxmax()
    assert view.answer.value == (
        "<p>"
        + ru.gettext("Most likely cause: {cause} ({probability})").format(
            cause=f"<b>{ru.variable(model.vocabulary, best)}</b>",
            probability=ru.percent(model.prior()[best]),
        )
        + "</p>"
    )
    assert ru.variable(model.vocabulary, "spinal_disorder") in view.network.svg
    assert "Reset" not in view.reset_button.description
