"""gluteal_bn.explorer: driven by setting widget values and reading what the widgets show."""

from __future__ import annotations

import re
import sys

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
        assert labels == [UNKNOWN, *model.states(name)]
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


def test_missing_ipywidgets_names_the_extra(model, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r'pip install "gluteal-bn\[notebook\]"'):
        gb.explorer(model)
