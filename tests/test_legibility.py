"""Lecture legibility, measured: every figure, scaled to 1280 pixels wide, in both languages.

For each plot's default figure: the smallest text is at least 14 pixels tall (the height of
each drawn text's own extent, ``get_window_extent``, at the dpi that makes the figure 1280
pixels wide), no text reaches outside the figure, no two texts overlap, no label is cut
short with "…", and the marks that carry meaning stay apart in grey (luminance, or a
hatch). A figure meant for one slide (the network's focus view) is also at most 720 pixels
tall there (16:9).

Run it as a script to print each figure's size and smallest text height at 1280 px wide and
save the PNGs (colour and grey) into ``folder``; ``data`` is a model folder (default: the
bundled one):

    python tests/test_legibility.py [folder] [data]
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch
from matplotlib.text import Text

import gluteal_bn as gb

SLIDE_WIDTH = 1280  # pixels
SMALLEST_TEXT = 14  # pixels
SLIDE_HEIGHT = 720  # pixels: a 16:9 slide 1280 pixels wide
#: The figures meant for one slide, not a handout.
SLIDE_FIGURES = {"network_focus"}

HIP = {"age": "over_60", "hip_movement_pain": "yes", "radiation": "thigh", "low_back_pain": "no"}
CASES = {
    "hip OA": HIP,
    "abscess": {"fever": "yes", "local_redness_swelling": "yes"},
    "stenosis": {"claudication": "yes", "age": "over_60"},
}


_EVALUATIONS: dict = {}


def evaluation(model: gb.DiagnosticModel):
    """One evaluation on sampled cases, computed once per model."""
    if id(model) not in _EVALUATIONS:
        cases = model.sample_cases(3000, seed=3, missing=0.2)
        _EVALUATIONS[id(model)] = model.evaluate(cases, model.causes, n_boot=0)
    return _EVALUATIONS[id(model)]


def figures(model: gb.DiagnosticModel, language: str) -> dict[str, Callable[[], object]]:
    """Every plot of the package, drawn on its own default figure."""
    return {
        "posterior": lambda: gb.plot_posterior(model.diagnose(HIP), language=language),
        "posterior_intervals": lambda: gb.plot_posterior(
            model.diagnose(HIP),
            intervals=model.posterior_interval(HIP, n=300, seed=1),
            language=language,
        ),
        "diagnosis_plot": lambda: model.diagnose(HIP).plot(language=language),
        "network": lambda: gb.plot_network(model, language=language),
        "network_evidence": lambda: gb.plot_network(model, HIP, language=language),
        "network_focus": lambda: gb.plot_network(
            model, HIP, focus="hip_joint_disease", language=language
        ),
        "evidence_impact": lambda: gb.plot_evidence_impact(
            model, HIP, "hip_joint_disease", language=language
        ),
        "compare": lambda: gb.plot_compare(model, CASES, language=language),
        "next_questions": lambda: gb.plot_next_questions(
            model.next_questions({"fever": "yes"}), language=language
        ),
        "explanation": lambda: gb.plot_explanation(
            model.explain(HIP, "hip_joint_disease"), language=language
        ),
        "sensitivity": lambda: gb.plot_sensitivity(
            model.sensitivity({"fever": "yes"}, "local_infection"), language=language
        ),
        "reliability": lambda: gb.plot_reliability(evaluation(model), language=language),
        "roc": lambda: gb.plot_roc(evaluation(model), language=language),
        "confusion": lambda: gb.plot_confusion(evaluation(model), language=language),
        "validation": lambda: gb.plot_validation(model.validate(), language=language),
    }


def drawn_texts(figure) -> list:
    """(text, window extent) of every text the figure actually draws, at 1280 px wide."""
    figure.set_dpi(SLIDE_WIDTH / figure.get_figwidth())
    drawn: list = []
    original = Text.draw

    def record(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    Text.draw = record
    try:
        figure.canvas.draw()
    finally:
        Text.draw = original
    renderer = figure.canvas.get_renderer()
    unique = list(dict.fromkeys(drawn))
    return [(text, text.get_window_extent(renderer)) for text in unique]


def measure(figure) -> dict:
    texts = drawn_texts(figure)
    box = figure.bbox
    clipped = [
        text.get_text()
        for text, extent in texts
        if extent.x0 < box.x0 - 0.5
        or extent.y0 < box.y0 - 0.5
        or extent.x1 > box.x1 + 0.5
        or extent.y1 > box.y1 + 0.5
    ]
    overlapping = [
        (a.get_text(), b.get_text())
        for (a, ea), (b, eb) in itertools.combinations(texts, 2)
        if _overlap(ea, eb)
    ]
    return {
        "smallest": min(extent.height for _, extent in texts),
        "smallest_text": min(texts, key=lambda item: item[1].height)[0].get_text(),
        "count": len(texts),
        "clipped": clipped,
        "overlapping": overlapping,
        "truncated": [text.get_text() for text, _ in texts if "…" in text.get_text()],
        "size": (round(box.width), round(box.height)),
    }


def _overlap(a, b, tolerance: float = 0.5) -> bool:
    return (
        min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
        and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance
    )


def luminance(colour) -> float:
    """Relative luminance (sRGB, WCAG), what is left of a colour in grey print."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def legend_marks_apart_in_grey(figure) -> list[tuple[str, str]]:
    """Pairs of legend entries that neither differ in luminance (>= 0.2) nor in hatch."""
    close = []
    for ax in figure.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        marks = [
            (text.get_text(), handle)
            for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
            if isinstance(handle, Patch)
        ]
        for (a, pa), (b, pb) in itertools.combinations(marks, 2):
            apart = abs(luminance(pa.get_facecolor()) - luminance(pb.get_facecolor())) >= 0.2
            if not apart and (pa.get_hatch() or None) == (pb.get_hatch() or None):
                close.append((a, b))
    return close


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", list(figures(gb.load_model(), "en")))
def test_every_figure_is_legible_on_a_1280_pixel_slide(model, name, language):
    ax = figures(model, language)[name]()
    result = measure(ax.figure)
    assert result["smallest"] >= SMALLEST_TEXT, (name, result["smallest_text"], result)
    assert not result["clipped"], result["clipped"]
    assert not result["overlapping"], result["overlapping"]
    assert not result["truncated"], result["truncated"]
    assert not legend_marks_apart_in_grey(ax.figure)
    if name in SLIDE_FIGURES:
        assert result["size"][0] == SLIDE_WIDTH and result["size"][1] <= SLIDE_HEIGHT, result


def test_the_measure_sees_small_overlapping_clipped_and_cut_text():
    figure = plt.figure(figsize=(8, 4))
    figure.text(0.5, 0.5, "small", fontsize=5)
    figure.text(0.5, 0.5, "on top", fontsize=12)
    figure.text(0.99, 0.5, "cut off at the right", fontsize=12)
    figure.text(0.1, 0.1, "a label cut sh…", fontsize=12)
    result = measure(figure)
    assert result["smallest"] < SMALLEST_TEXT and result["smallest_text"] == "small"
    assert result["clipped"] == ["cut off at the right"]
    assert ("small", "on top") in result["overlapping"]
    assert result["truncated"] == ["a label cut sh…"]
    assert result["size"] == (SLIDE_WIDTH, SLIDE_WIDTH // 2)


def test_the_grey_check_sees_two_bars_of_one_grey():
    _, ax = plt.subplots()
    ax.bar([0], [1], color="#ff0000", label="red")
    ax.bar([1], [1], color="#d50000", label="darker red")
    ax.bar([2], [1], color="#ffffff", hatch="//", label="hatched")
    ax.legend()
    assert legend_marks_apart_in_grey(ax.figure) == [("red", "darker red")]


def test_prior_and_posterior_bars_differ_in_grey():
    from gluteal_bn.plotting.network import _BAR_BACK, _BAR_FILL
    from gluteal_bn.plotting.style import POSTERIOR_COLOR, PRIOR_COLOR

    assert abs(luminance(PRIOR_COLOR) - luminance(POSTERIOR_COLOR)) >= 0.4
    assert abs(luminance(_BAR_BACK) - luminance(_BAR_FILL)) >= 0.2
    assert luminance(_BAR_FILL) >= 0.4  # black state names stay readable on the filled part


def main(folder: str | None = None, data: str | None = None) -> None:
    """Print each figure's smallest text height at 1280 px wide; save PNGs (colour and grey)."""
    from PIL import Image

    model = gb.load_model(data) if data else gb.load_model()
    print(f"{'figure':<22} {'lang':<4} {'size px':>10} {'smallest text px':>17}  problems")
    for language in ("en", "ru"):
        for name, draw in figures(model, language).items():
            figure = draw().figure
            result = measure(figure)
            problems = len(result["clipped"]) + len(result["overlapping"])
            problems += len(result["truncated"])
            problems += len(legend_marks_apart_in_grey(figure))
            size = "x".join(map(str, result["size"]))
            print(
                f"{name:<22} {language:<4} {size:>10} {result['smallest']:>17.1f}  "
                f"{problems or 'none'}"
            )
            if folder:
                path = Path(folder) / f"{name}_{language}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                figure.savefig(path, dpi=figure.dpi)
                Image.open(path).convert("L").save(path.with_name(path.stem + "_grey.png"))
            plt.close(figure)


if __name__ == "__main__":
    main(*(argument or None for argument in sys.argv[1:3]))


#: Latin words a Russian figure may show: abbreviations of the trade (FAIR: the piriformis
#: test, so named in Russian too) and user-given case names.
LATIN_ALLOWED = {"AUC", "ECE", "ROC", "FAIR", "top", "hip", "OA", "abscess", "stenosis", "ln"}


@pytest.mark.parametrize("name", list(figures(gb.load_model(), "ru")))
def test_russian_figures_show_no_english_words(model, name):
    import re

    ax = figures(model, "ru")[name]()
    words = {
        word
        for text, _ in drawn_texts(ax.figure)
        for word in re.findall(r"[A-Za-z]{2,}", text.get_text())
    }
    # the literature check names its studies by first author, in Latin as Russian lists do
    studies = {
        word
        for row in model.validate().rows
        for word in re.findall(r"[A-Za-z]{2,}", row.citation.split("#")[-1])
    }
    allowed = LATIN_ALLOWED | (studies if name == "validation" else set())
    assert words <= allowed, words - allowed


V2_FIXTURE = Path(__file__).parent / "data_v2"
V2_EVIDENCE = {"age": "over_60", "claudication": "yes", "fever": "no"}


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("evidence", [{}, V2_EVIDENCE], ids=["prior", "ev"])
def test_the_network_of_a_v2_model_is_legible(language, evidence):
    """Subtypes and a larger findings layer (the v2 fixture) keep every text at 14 px."""
    model = gb.load_model(V2_FIXTURE)
    ax = gb.plot_network(model, evidence, language=language)
    result = measure(ax.figure)
    assert result["smallest"] >= SMALLEST_TEXT, result
    assert not result["clipped"], result["clipped"]
    assert not result["overlapping"], result["overlapping"]
    assert not result["truncated"], result["truncated"]
    plt.close(ax.figure)


def _cause_slides(model: gb.DiagnosticModel):
    """The focus view of every cause, both languages, without and with evidence."""
    observed = HIP if set(HIP) <= set(model.variables) else V2_EVIDENCE
    for language in ("en", "ru"):
        for cause in model.causes:
            for evidence in ({}, observed):
                yield language, cause, evidence


@pytest.mark.parametrize("folder", [None, V2_FIXTURE], ids=["bundled", "v2"])
def test_the_focus_view_of_every_cause_fits_a_720_pixel_slide(folder):
    """A cause's neighbourhood is one 16:9 slide, 1280 x 720 pixels, with 14 px text."""
    model = gb.load_model(folder) if folder else gb.load_model()
    for language, cause, evidence in _cause_slides(model):
        ax = gb.plot_network(model, evidence, focus=cause, language=language)
        result = measure(ax.figure)
        where = (language, cause, evidence, result)
        assert result["size"][0] == SLIDE_WIDTH and result["size"][1] <= SLIDE_HEIGHT, where
        assert result["smallest"] >= SMALLEST_TEXT, where
        assert not result["clipped"] and not result["overlapping"], where
        assert not result["truncated"], where
        plt.close(ax.figure)


def test_the_whole_bundled_network_is_a_handout_taller_than_a_slide(model):
    """The size check can fail: the whole network of 32 nodes does not fit 720 pixels."""
    assert len(model.variables) > 30
    ax = gb.plot_network(model, language="en")
    assert measure(ax.figure)["size"][1] > SLIDE_HEIGHT
    plt.close(ax.figure)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("focus", [None, "hip_joint_disease"])
def test_every_label_of_the_network_is_drawn_whole(model, language, focus):
    """No variable or state label is cut short: each one is a text, its lines joined."""
    from gluteal_bn.i18n import translation

    t = translation(language)
    ax = gb.plot_network(model, HIP, focus=focus, language=language)
    shown = {" ".join(text.get_text().split()) for text in ax.texts}
    drawn = [name for name in model.variables if t.variable(model.vocabulary, name) in shown]
    assert drawn and (focus is not None or drawn == list(model.variables))
    for name in drawn:
        for state in model.states(name):
            assert t.state(model.vocabulary, name, state) in shown, (name, state)
    assert not [text for text in shown if "…" in text]
    plt.close(ax.figure)


def _boxes_behind(points, boxes: dict, skip: tuple[str, ...] = ()) -> list[str]:
    """The boxes (not in ``skip``) that the polyline ``points`` passes behind."""
    import numpy as np

    points = np.asarray(points, dtype=float)
    hit = []
    for a, b in itertools.pairwise(points):
        samples = a + np.linspace(0, 1, 200)[:, None] * (b - a)
        for name, box in boxes.items():
            inside = (
                (samples[:, 0] > box.x + 0.01)
                & (samples[:, 0] < box.x + box.width - 0.01)
                & (samples[:, 1] < box.top - 0.01)
                & (samples[:, 1] > box.bottom + 0.01)
            )
            if inside.any() and name not in skip:
                hit.append(name)
    return hit


def _edges_crossing_boxes(model, focus=None) -> list[tuple[str, str, list[str]]]:
    """(parent, child, boxes) for every edge of the network picture that passes behind a box."""
    from gluteal_bn.i18n import translation
    from gluteal_bn.plotting.network import _layout, _route, _shown

    shown = _shown(model, focus, {})
    boxes, _, rows = _layout(model, {}, translation("en"), shown, slide=focus is not None)
    crossing = []
    for child in shown:
        for parent in model.parents(child):
            if parent in boxes:
                hit = _boxes_behind(_route(boxes[parent], boxes[child], rows), boxes)
                if hit:
                    crossing.append((parent, child, hit))
    return crossing


@pytest.mark.parametrize("folder", [None, V2_FIXTURE], ids=["bundled", "v2"])
def test_no_edge_of_the_network_passes_behind_a_box(folder):
    model = gb.load_model(folder) if folder else gb.load_model()
    assert not _edges_crossing_boxes(model)
    assert not _edges_crossing_boxes(model, focus=model.causes[0])


def test_the_check_sees_an_edge_behind_a_box():
    from gluteal_bn.plotting.network import _Box, _route

    boxes = {
        name: _Box(0, top, 2, 1, ("x",), row)
        for row, (name, top) in enumerate((("above", 0), ("between", -2), ("below", -4)))
    }
    straight = _route(boxes["above"], boxes["below"], [])  # as if no row were in between
    assert _boxes_behind(straight, boxes) == ["between"]


def test_focus_draws_a_cause_with_its_neighbours_only(model):
    cause = model.causes[0]
    ax = gb.plot_network(model, focus=cause, language="en")
    shown = {t.get_text() for t in ax.texts}
    children = [v for v in model.variables if cause in model.parents(v)]
    for name in (cause, *model.parents(cause), *children):
        assert model.vocabulary[name].label in " ".join(shown).replace("\n", " ")
    others = set(model.variables) - {cause, *model.parents(cause), *children}
    assert others  # the focus leaves something out
    plt.close(ax.figure)
    with pytest.raises(gb.EvidenceError, match=r"unknown variable 'fevr' in focus"):
        gb.plot_network(model, focus="fevr")
