"""plot_network, plot_evidence_impact and plot_compare: the teaching pictures."""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn.plotting import evidence_impact_table

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
HIP = {"age": "over_60", "hip_movement_pain": "yes", "radiation": "thigh", "low_back_pain": "no"}


def texts(ax):
    """Each text as a person reads it: lines joined by a space."""
    return [" ".join(t.get_text().split()) for t in ax.texts]


# -- plot_network -----------------------------------------------------------------------------


def test_network_shows_every_node_with_its_states_and_percentages(model):
    ax = gb.plot_network(model, HIP)
    marginals = model.query(model.variables, HIP)
    shown = texts(ax)
    for name in model.variables:
        assert model.labels[name] in shown
        for state, probability in marginals[name].items():
            assert model.vocabulary.state_label(name, state) in shown
            assert (f"{100 * probability:.1f}%" if probability < 1 else "100%") in shown
    assert shown.count("observed") == len(HIP)
    first, second = list(HIP)[:2]  # the title names the evidence in words, in order
    expected = (
        f"Given {model.labels[first]}: {model.vocabulary.state_label(first, HIP[first])}; "
        f"{model.labels[second]}: {model.vocabulary.state_label(second, HIP[second])}"
    )
    assert ax.get_title(loc="left").startswith(expected)


def test_network_draws_one_arrow_per_edge(model):
    from matplotlib.patches import FancyArrowPatch

    from gluteal_bn.i18n import translation
    from gluteal_bn.plotting.network import _layout, _shown

    ax = gb.plot_network(model)
    edges = sum(len(model.parents(v)) for v in model.variables)
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == edges
    # An edge that skips a row runs as a line through that row's gaps, then its arrow.
    boxes, _, _ = _layout(model, {}, translation("en"), _shown(model, None, {}))
    skipping = sum(
        boxes[child].row - boxes[parent].row > 1
        for child in model.variables
        for parent in model.parents(child)
    )
    assert skipping > 0 and len(ax.lines) == skipping
    heads = {(round(b.centre, 6), round(b.top, 6)) for b in boxes.values()}
    for arrow in arrows:  # every arrow ends at the top middle of a box
        (x, y), *_ = arrow._posA_posB[1:]
        assert (round(x, 6), round(y, 6)) in heads
    assert ax.get_title(loc="left") == "No evidence: the prior beliefs"


def test_network_boxes_do_not_overlap(model):
    from matplotlib.patches import FancyBboxPatch

    ax = gb.plot_network(model)
    boxes = [p.get_bbox() for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == len(model.variables)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    x_low, x_high = ax.get_xlim()
    assert all(x_low <= box.x0 and box.x1 <= x_high for box in boxes)


def test_network_text_does_not_overlap_at_lecture_size(model):
    ax = gb.plot_network(model, HIP)
    figure = ax.figure
    figure.canvas.draw()  # constrained layout places the Axes at draw time
    renderer = figure.canvas.get_renderer()
    extents = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    figure_box = figure.bbox
    for extent in extents:
        assert figure_box.x0 <= extent.x0 and extent.x1 <= figure_box.x1
    overlapping = [(a, b) for a, b in itertools.combinations(extents, 2) if a.overlaps(b)]
    assert not overlapping
    # every label lies inside its own box
    from matplotlib.patches import FancyBboxPatch

    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    for text in ax.texts:
        words = " ".join(text.get_text().split())
        if words in set(model.labels.values()) or words.endswith("…"):
            extent = text.get_window_extent(renderer)
            assert any(
                box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 <= box.y1
                for box in boxes
            ), text.get_text()


def test_network_draws_on_the_given_axes_and_checks_evidence(model):
    _, (left, right) = plt.subplots(1, 2)
    assert gb.plot_network(model, ax=right) is right
    assert not left.patches
    with pytest.raises(gb.EvidenceError, match=r"evidence fever='maybe' is not a state"):
        gb.plot_network(model, {"fever": "maybe"})


# -- plot_evidence_impact ---------------------------------------------------------------------


def brute_probability(model, fixed):
    """P(fixed) by enumerating risk factors, causes, subtypes (and fixed findings) from cpd_table."""
    core = [*model.risk_factors, *model.causes, *model.vocabulary.subtypes]
    findings = [v for v in fixed if v in model.findings]
    parents = {name: model.parents(name) for name in [*core, *findings]}
    rows = {}  # name -> {parent states: {state: probability}}, read once from cpd_table
    for name in parents:
        table = model.cpd_table(name)
        keys = table.index if parents[name] else [()]
        rows[name] = {
            (key if isinstance(key, tuple) else (key,)): {
                state: float(p) for state, p in table.iloc[i].items()
            }
            for i, key in enumerate(keys)
        }
    total = 0.0
    for states in itertools.product(*(model.states(v) for v in core)):
        world = dict(zip(core, states, strict=True))
        if any(world[v] != s for v, s in fixed.items() if v in world):
            continue
        weight = 1.0
        for name, names in parents.items():
            key = tuple(world[p] for p in names)
            weight *= rows[name][key][fixed.get(name, world.get(name))]
            if weight == 0.0:
                break
        total += weight
    return total


@pytest.mark.parametrize(
    ("item", "cause"),
    [
        ({"fever": "yes"}, "local_infection"),
        ({"hip_movement_pain": "yes"}, "hip_joint_disease"),
        ({"radiation": "below_knee"}, "spinal_disorder"),
        ({"smoker": "yes"}, "circulatory_disorder"),
        ({"low_back_pain": "no"}, "hip_joint_disease"),
    ],
)
def test_weight_of_evidence_matches_brute_force(model, item, cause):
    table = evidence_impact_table(model, item, cause)
    yes, no = {cause: "yes"}, {cause: "no"}
    expected = math.log(
        brute_probability(model, {**item, **yes}) / brute_probability(model, yes)
    ) - math.log(brute_probability(model, {**item, **no}) / brute_probability(model, no))
    ((name, state),) = item.items()
    assert table.loc[f"{name}={state}", "weight_of_evidence"] == pytest.approx(expected, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    st.permutations(list(HIP)),
    st.sampled_from(MODEL.causes),
)
def test_steps_run_from_prior_to_posterior_in_the_chosen_order(order, cause):
    table = evidence_impact_table(MODEL, HIP, cause, order=order)
    assert list(table.index) == ["prior", *(f"{n}={HIP[n]}" for n in order), "posterior"]
    assert table["probability"].iloc[0] == pytest.approx(MODEL.prior()[cause], abs=1e-12)
    assert table["probability"].iloc[-1] == pytest.approx(MODEL.posterior(HIP)[cause], abs=1e-12)
    steps = table.iloc[1:-1]
    assert (steps["start"].to_numpy()[1:] == steps["probability"].to_numpy()[:-1]).all()
    for k in range(len(order)):
        seen = {n: HIP[n] for n in order[: k + 1]}
        assert steps["probability"].iloc[k] == pytest.approx(MODEL.posterior(seen)[cause])
    # the weight of evidence does not depend on the order
    default = evidence_impact_table(MODEL, HIP, cause)
    for step in steps.index:
        assert steps.loc[step, "weight_of_evidence"] == default.loc[step, "weight_of_evidence"]


def test_impact_plot_draws_the_table(model):
    ax = gb.plot_evidence_impact(model, HIP, "hip_joint_disease", order=list(HIP)[::-1])
    table = evidence_impact_table(model, HIP, "hip_joint_disease", order=list(HIP)[::-1])
    assert len(ax.patches) == len(table)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    # each step reads "+ <label>: <state label>" from the model's vocabulary, in the chosen
    # order, wrapped between words onto lines of at most 36 characters
    steps = [
        f"+ {model.labels[name]}: {model.vocabulary.state_label(name, HIP[name])}"
        for name in list(HIP)[::-1]
    ]
    assert [" ".join(tick.split()) for tick in ticks] == ["prior", *steps, "posterior"]
    assert all(len(line) <= 36 for tick in ticks for line in tick.split("\n"))
    assert "+ Age group: over 60 years" in ticks
    for weight in table["weight_of_evidence"].dropna():
        assert f"{weight:+.2f}" in texts(ax)
    assert "in the chosen order" in " ".join(ax.get_title(loc="left").split())
    assert "in the order given" in " ".join(
        gb.plot_evidence_impact(model, HIP, "hip_joint_disease").get_title(loc="left").split()
    )


@pytest.mark.parametrize(
    ("evidence", "cause", "order", "message"),
    [
        (HIP, "hip", None, r"unknown cause 'hip'; expected one of \['spinal_disorder'"),
        ({}, "hip_joint_disease", None, r"needs at least one observed item"),
        (
            {"hip_joint_disease": "yes"},
            "hip_joint_disease",
            None,
            r"the cause 'hip_joint_disease' is itself observed",
        ),
        (HIP, "hip_joint_disease", ["age"], r"order must name each evidence variable once"),
        ({"fevr": "yes"}, "local_infection", None, r"unknown variable 'fevr' in evidence"),
    ],
)
def test_impact_errors(model, evidence, cause, order, message):
    with pytest.raises(gb.EvidenceError, match=message):
        gb.plot_evidence_impact(model, evidence, cause, order=order)


# -- plot_compare -----------------------------------------------------------------------------


def test_compare_shows_each_case_and_boxes_the_most_likely(model):
    cases = {
        "hip osteoarthritis": HIP,
        "abscess": {"fever": "yes", "local_redness_swelling": "yes"},
    }
    ax = gb.plot_compare(model, cases)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "prior",
        "hip\nosteoarthritis",
        "abscess",
    ]
    assert [t.get_text() for t in ax.get_yticklabels()] == [model.labels[c] for c in model.causes]
    shown = texts(ax)
    for evidence in cases.values():
        for value in model.posterior(evidence):
            assert f"{100 * value:.1f}%" in shown
    boxes = [p for p in ax.patches if not p.get_fill()]
    rows = sorted(round(b.get_y() + b.get_height() / 2) for b in boxes)
    expected = sorted(model.causes.index(model.posterior(e).idxmax()) for e in cases.values())
    assert rows == expected


def test_compare_errors(model):
    with pytest.raises(gb.EvidenceError, match=r"plot_compare needs a non-empty mapping"):
        gb.plot_compare(model, {})
    with pytest.raises(gb.EvidenceError, match=r"case 'B': unknown variable 'fevr'"):
        gb.plot_compare(model, {"A": {"fever": "yes"}, "B": {"fevr": "yes"}})


def test_compare_breaks_case_names_between_words_only():
    from gluteal_bn.plotting.style import wrap_name as _wrap_name

    assert _wrap_name("abscess_classic") == "abscess_\nclassic"
    assert _wrap_name("Hip OA vs stenosis") == "Hip OA vs\nstenosis"
    assert _wrap_name("prior") == "prior"
