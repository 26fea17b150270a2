"""Plots of an Evaluation: reliability diagram, ROC curves, confusion matrix, on given Axes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from gluteal_bn.errors import EvidenceError
from gluteal_bn.plotting import plot_confusion, plot_reliability, plot_roc


@pytest.fixture(scope="module")
def result(model):
    cases = model.sample_cases(3000, seed=3, missing=0.2)
    return model.evaluate(cases, model.causes, n_boot=0)


def font_sizes(ax) -> list[float]:
    texts = [*ax.texts, ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label]
    texts += ax.get_xticklabels() + ax.get_yticklabels()
    legend = ax.get_legend()
    if legend is not None:
        texts += legend.get_texts()
    return [t.get_fontsize() for t in texts if t.get_text()]


def test_reliability_points_are_the_table(model, result):
    ax = plot_reliability(result)
    lines = ax.get_lines()
    assert len(lines) == 1 + len(model.causes)
    assert list(lines[0].get_xdata()) == [0, 1]  # the diagonal
    for line, cause in zip(lines[1:], model.causes, strict=True):
        table = result.reliability_of(cause)
        table = table[table["count"] > 0]
        np.testing.assert_allclose(line.get_xdata(), table["predicted"])
        np.testing.assert_allclose(line.get_ydata(), table["observed"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[1] == f"{model.labels[model.causes[0]]} (ECE {result.ece(model.causes[0]):.3f})"
    assert min(font_sizes(ax)) >= 10


def test_lines_differ_without_colour(result):
    """Printed in grey, every line is told apart by its marker or its dash."""
    lines = plot_reliability(result).get_lines()[1:]
    styles = {(line.get_marker(), str(line.get_linestyle())) for line in lines}
    assert len(styles) == len(lines)
    assert len({line.get_marker() for line in lines}) == len(lines)


def test_roc_curves_are_sklearns(model, result):
    _, (left, right) = plt.subplots(1, 2)
    assert plot_roc(result, ax=right, outcomes=model.causes[:2]) is right
    assert not left.lines
    lines = right.get_lines()
    assert len(lines) == 3
    curve = result.roc[model.causes[1]]
    np.testing.assert_allclose(lines[2].get_xdata(), curve["fpr"])
    np.testing.assert_allclose(lines[2].get_ydata(), curve["tpr"])
    auc = result.metrics.loc[model.causes[1], "roc_auc"]
    assert f"(AUC {auc:.3f})" in right.get_legend().get_texts()[2].get_text()
    assert len({str(line.get_linestyle()) for line in lines[1:]}) == 2
    assert min(font_sizes(right)) >= 10


def test_confusion_cells_show_the_counts(model, result):
    ax = plot_confusion(result)
    counts = result.confusion.to_numpy()
    assert [t.get_text() for t in ax.texts] == [str(int(c)) for c in counts.ravel()]
    image = ax.get_images()[0].get_array()
    np.testing.assert_allclose(image.sum(axis=1)[counts.sum(axis=1) > 0], 1)
    rows = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert rows[-2:] == ["Several causes present", "No cause present"]
    assert f"{result.accuracy:.1%}" in ax.get_title(loc="left")
    assert min(font_sizes(ax)) >= 10


def test_plot_errors(model):
    cases = model.sample_cases(200, seed=1)
    single = model.evaluate(cases.drop(columns=list(model.causes[1:])), "spinal_disorder", n_boot=0)
    with pytest.raises(
        EvidenceError, match="has no confusion matrix: it needs at least two causes"
    ):
        plot_confusion(single)
    with pytest.raises(EvidenceError, match=r"outcome 'fever' is not in this evaluation"):
        plot_roc(single, outcomes=["fever"])


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("draw", [plot_reliability, plot_roc, plot_confusion])
def test_legible_on_a_1280_pixel_slide(result, draw, language):
    """The package's legibility measure (tests/test_legibility.py) on the evaluation plots."""
    from tests.test_legibility import SMALLEST_TEXT, legend_marks_apart_in_grey, measure

    ax = draw(result, language=language)
    measured = measure(ax.figure)
    assert measured["smallest"] >= SMALLEST_TEXT, measured
    assert not measured["clipped"], measured["clipped"]
    assert not measured["overlapping"], measured["overlapping"]
    assert not legend_marks_apart_in_grey(ax.figure)


def test_words_follow_the_language(model, result):
    from gluteal_bn.i18n import translation

    ru = translation("ru")
    ax = plot_roc(result, language="ru")
    assert ax.get_title(loc="left") == ru.gettext("ROC curves")
    first = ax.get_legend().get_texts()[1].get_text()
    assert first.startswith(ru.variable(model.vocabulary, model.causes[0]))
    assert ax.xaxis.get_major_formatter()(0.2, 1) == ru.number(0.2, 1) == "0,2"
