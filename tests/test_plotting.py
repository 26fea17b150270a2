"""plot_posterior: bars, words, percentages, on the caller's Axes or a new one."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import gluteal_bn as gb


def test_bars_labels_and_percentages(model):
    prior, posterior = (
        model.prior(),
        model.posterior({"fever": "yes", "local_redness_swelling": "yes"}),
    )
    ax = gb.plot_posterior(prior, posterior)
    assert len(ax.patches) == 2 * len(model.causes)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == [model.labels[c] for c in model.causes]
    texts = [t.get_text() for t in ax.texts]
    assert f"{100 * posterior['local_infection']:.1f}%" in texts
    widths = sorted(round(p.get_width(), 12) for p in ax.patches)
    assert widths == sorted(round(v, 12) for v in [*prior, *posterior])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["prior", "posterior"]


def test_draws_on_the_given_axes(model):
    _, (left, right) = plt.subplots(1, 2)
    returned = gb.plot_posterior(model.prior(), model.posterior({"fever": "yes"}), ax=right)
    assert returned is right
    assert not left.patches


def test_accepts_a_result_holding_prior_posterior_and_evidence(model):
    from types import SimpleNamespace

    result = SimpleNamespace(
        evidence={"fever": "yes"}, prior=model.prior(), posterior=model.posterior({"fever": "yes"})
    )
    ax = gb.plot_posterior(result)
    assert ax.get_title(loc="left") == "Given Fever: yes"


def test_custom_labels_and_title(model):
    ax = gb.plot_posterior(
        model.prior(), model.prior(), labels={"local_infection": "Abscess"}, title="T"
    )
    assert "Abscess" in [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_title(loc="left") == "T"


def test_rejects_what_is_not_a_series(model):
    with pytest.raises(
        TypeError, match=r"plot_posterior needs posterior as a pandas Series indexed by cause"
    ):
        gb.plot_posterior(model.prior(), [0.1, 0.2])
    with pytest.raises(ValueError, match=r"prior and posterior must cover the same causes"):
        gb.plot_posterior(model.prior(), model.prior().iloc[:2])
