"""model.diagnose: a frozen result with the evidence, prior and posterior, that renders."""

from __future__ import annotations

import dataclasses
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn.i18n import translation

from .conftest import bundled_model

ABSCESS = {"fever": "yes", "local_redness_swelling": "yes", "pain_layer": "subcutaneous"}


def test_holds_evidence_prior_posterior_and_labels(model):
    d = model.diagnose(ABSCESS)
    assert isinstance(d, gb.Diagnosis)
    assert dict(d.evidence) == ABSCESS
    pd.testing.assert_series_equal(d.prior, model.prior())
    pd.testing.assert_series_equal(d.posterior, model.posterior(ABSCESS))
    assert dict(d.labels) == {c: model.labels[c] for c in model.causes}
    assert d.most_likely == model.posterior(ABSCESS).idxmax()


def test_is_frozen_and_does_not_share_the_callers_dict(model):
    evidence = dict(ABSCESS)
    d = model.diagnose(evidence)
    evidence["age"] = "over_60"
    assert "age" not in d.evidence
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.prior = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        d.evidence["age"] = "over_60"  # type: ignore[index]


def test_to_frame_has_prior_posterior_and_change_per_cause(model):
    d = model.diagnose(ABSCESS)
    frame = d.to_frame()
    assert list(frame.index) == list(model.causes)
    assert list(frame.columns) == ["label", "prior", "posterior", "change"]
    assert (frame["change"] == frame["posterior"] - frame["prior"]).all()
    assert frame.loc["local_infection", "posterior"] == d.posterior["local_infection"]


def test_repr_is_one_line_naming_the_most_likely_cause(model):
    d = model.diagnose(ABSCESS)
    value = 100 * d.posterior["local_infection"]
    assert repr(d) == f"Diagnosis(most likely local_infection {value:.1f}%, 3 findings)"
    assert repr(model.diagnose({"fever": "yes"})).endswith(", 1 finding)")
    assert "\n" not in repr(d)


def test_str_is_a_plain_text_table(model):
    d = model.diagnose(ABSCESS)
    text = str(d)
    lines = text.splitlines()
    depth = model.vocabulary.state_label("pain_layer", "subcutaneous")  # from variables.csv
    assert lines[0] == (
        f"Given Fever: yes; Redness / swelling of buttock: yes; Depth of the pain: {depth}"
    )
    assert len(lines) == 2 + len(model.causes) + 1
    for cause in model.causes:
        assert any(
            line.startswith(model.labels[cause]) and f"{100 * d.posterior[cause]:.1f}%" in line
            for line in lines
        )
    assert lines[-1] == f"Most likely: {model.labels['local_infection']}"
    assert str(model.diagnose()).splitlines()[0] == "No evidence"


def test_html_has_a_bar_per_number_and_escapes_text(model):
    d = model.diagnose(ABSCESS)
    page = d._repr_html_()
    assert "<script" not in page
    widths = [float(w) for w in re.findall(r"height:7px;width:([0-9.]+)px", page)]
    expected = [round(160 * p, 1) for pair in zip(d.prior, d.posterior, strict=True) for p in pair]
    assert widths == pytest.approx(expected)
    tricky = gb.Diagnosis(
        evidence={"fever": "yes"},
        prior=d.prior,
        posterior=d.posterior,
        labels={"local_infection": "<b>abscess</b> & co"},
    )
    page = tricky._repr_html_()
    assert "&lt;b&gt;abscess&lt;/b&gt; &amp; co" in page
    assert "<b>abscess</b>" not in page


def test_plot_draws_prior_and_posterior(model):
    d = model.diagnose(ABSCESS)
    _, ax = plt.subplots()
    returned = d.plot(ax=ax)
    assert returned is ax
    assert len(ax.patches) == 2 * len(model.causes)
    assert ax.get_title(loc="left").startswith("Given Fever: yes; Redness")
    assert d.plot() is not ax


def test_diagnose_checks_evidence(model):
    with pytest.raises(gb.EvidenceError, match=r"unknown variable 'fevr' in evidence"):
        model.diagnose({"fevr": "yes"})


def test_labels_default_to_readable_names(model):
    d = gb.Diagnosis(evidence={}, prior=model.prior(), posterior=model.prior())
    assert d.labels["local_infection"] == "Local infection"


MODEL = bundled_model()  # the session's model (conftest.py), loaded once


@st.composite
def evidence_sets(draw):
    names = draw(st.lists(st.sampled_from(MODEL.variables), unique=True, max_size=6))
    return {name: draw(st.sampled_from(MODEL.states(name))) for name in names}


@settings(max_examples=40, deadline=None)
@given(evidence_sets())
def test_any_evidence_gives_a_consistent_result(evidence):
    try:
        d = MODEL.diagnose(evidence)
    except gb.EvidenceError:  # impossible evidence is refused exactly like posterior()
        with pytest.raises(gb.EvidenceError, match="has probability zero"):
            MODEL.posterior(evidence)
        return
    frame = d.to_frame()
    assert (frame["posterior"].between(0, 1)).all()
    assert frame["change"].to_numpy() == pytest.approx(
        (frame["posterior"] - frame["prior"]).to_numpy()
    )
    best = frame["posterior"].idxmax()
    assert repr(d).startswith(f"Diagnosis(most likely {best} ")
    assert str(d).splitlines()[-1] == f"Most likely: {MODEL.labels[best]}"
    assert len(re.findall(r"height:7px", d._repr_html_())) == 2 * len(MODEL.causes)


def test_alias_evidence_is_displayed_under_its_own_name(model):
    d = model.diagnose({"worse_with_sitting": "yes", "fever": "no"})
    assert str(d).splitlines()[0] == "Given Worse with sitting: yes; Fever: no"
    assert "Worse with sitting" in d.to_html()
    direct = model.diagnose({"sitting_effect": "worse", "fever": "no"})
    assert (d.posterior == direct.posterior).all()


def test_soft_evidence_is_diagnosed_named_and_kept_out_of_the_report(model):
    soft = {"fever": {"yes": 0.8, "no": 0.2}}
    result = model.diagnose({"age": "over_60"}, soft=soft)
    np.testing.assert_array_equal(result.posterior, model.posterior({"age": "over_60"}, soft=soft))
    assert dict(result.soft["fever"]) == soft["fever"]
    soft["fever"]["yes"] = 0.1  # the result keeps its own copy
    assert result.soft["fever"]["yes"] == 0.8
    for language in ("en", "ru"):
        title = result.to_text(language).splitlines()[0]
        fever = translation(language).variable(model.vocabulary, "fever")
        assert fever in title, title  # the soft evidence is named, not "No evidence"
    only_soft = model.diagnose(soft={"fever": {"yes": 0.8, "no": 0.2}})
    assert "No evidence" not in only_soft.to_text("en")
    with pytest.raises(gb.ArgumentError, match=r"hard evidence only; .*soft evidence on fever"):
        result.to_html()
