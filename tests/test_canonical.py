"""The canonical models expand to the CPTs their definitions promise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluteal_bn.canonical import (
    FindingParameters,
    LogisticPrior,
    expand,
    mixture_table,
    noisy_max_table,
)


def test_noisy_or_matches_the_textbook_formula():
    leak, p1, p2 = 0.05, 0.6, 0.3
    table = noisy_max_table(
        np.array([1 - leak, leak]), (np.array([1 - p1, p1]), np.array([1 - p2, p2]))
    )
    # Henrion: P(no | both) = (1-leak) * (1-p1)/(1-leak) * (1-p2)/(1-leak)
    assert table[1, 0, 0] == pytest.approx(leak)
    assert table[1, 1, 0] == pytest.approx(p1)
    assert table[1, 0, 1] == pytest.approx(p2)
    assert table[0, 1, 1] == pytest.approx((1 - p1) * (1 - p2) / (1 - leak))


def test_noisy_max_combines_cumulative_distributions():
    leak = np.array([0.8, 0.15, 0.05])
    a = np.array([0.2, 0.3, 0.5])
    b = np.array([0.4, 0.5, 0.1])
    table = noisy_max_table(leak, (a, b))
    np.testing.assert_allclose(table[:, 1, 0], a)
    np.testing.assert_allclose(table[:, 0, 1], b)
    expected_cdf = (
        np.cumsum(leak) * (np.cumsum(a) / np.cumsum(leak)) * (np.cumsum(b) / np.cumsum(leak))
    )
    np.testing.assert_allclose(np.cumsum(table[:, 1, 1]), expected_cdf)


def test_mixture_averages_the_present_causes():
    leak = np.array([0.25, 0.25, 0.25, 0.25])
    a = np.array([0.6, 0.4, 0.0, 0.0])
    b = np.array([0.0, 0.0, 0.2, 0.8])
    table = mixture_table(leak, (a, b))
    np.testing.assert_allclose(table[:, 0, 0], leak)
    np.testing.assert_allclose(table[:, 1, 1], [0.3, 0.2, 0.1, 0.4])


def test_logistic_prior_applies_odds_ratios_to_the_baseline():
    prior = LogisticPrior("c", 0.2, ("r", "s"), (np.array([1.0, 2.0, 4.0]), np.array([1.0, 3.0])))
    cpt = expand(prior)
    assert cpt.table.shape == (2, 3, 2)
    odds = cpt.table[1] / cpt.table[0]
    np.testing.assert_allclose(odds, 0.25 * np.outer([1, 2, 4], [1, 3]))


distributions = st.integers(2, 4).flatmap(
    lambda card: st.lists(
        st.lists(st.floats(0.01, 1.0), min_size=card, max_size=card), min_size=2, max_size=4
    )
)


@given(distributions)
def test_every_expanded_column_is_a_distribution(raw):
    weights = [np.array(w) / sum(w) for w in raw]
    leak, causes = weights[0], weights[1:]
    for model in ("noisy_max", "mixture"):
        alone = causes
        if model == "noisy_max":  # Henrion: a cause's numbers are its own effect times the leak
            alone = [np.diff(np.cumsum(a) * np.cumsum(leak), prepend=0.0) for a in causes]
        cpt = expand(
            FindingParameters(
                "f", model, leak, tuple(f"c{i}" for i in range(len(alone))), tuple(alone)
            )
        )
        assert np.all(cpt.table >= -1e-12)
        np.testing.assert_allclose(cpt.table.sum(axis=0), 1.0, atol=1e-12)
