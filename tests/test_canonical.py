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


def test_mixture_single_cause_columns_are_that_causes_distribution():
    # Issue 13, item 9: every column, the single-cause ones first, against brute force. Links
    # may sit on the states of one parent (a subtype's kinds); a parent state without a link
    # contributes nothing, like "none".
    import itertools

    rng = np.random.default_rng(9)
    parent_cards = (2, 4, 2)
    links = ((0, 1), (1, 1), (1, 3), (2, 1))  # parent 1's state 2 has no block
    leak = rng.dirichlet(np.ones(3))
    alone = tuple(rng.dirichlet(np.ones(3)) for _ in links)
    table = mixture_table(leak, alone, links, parent_cards)
    assert table.shape == (3, *parent_cards)
    for configuration in itertools.product(*(range(c) for c in parent_cards)):
        present = [
            a for (axis, state), a in zip(links, alone, strict=True) if configuration[axis] == state
        ]
        expected = np.mean(present, axis=0) if present else leak
        np.testing.assert_allclose(table[(slice(None), *configuration)], expected, atol=1e-15)
    np.testing.assert_array_equal(table[:, 1, 0, 0], alone[0])  # one cause: exactly its own
    np.testing.assert_array_equal(table[:, 0, 3, 0], alone[2])
    np.testing.assert_array_equal(table[:, 0, 2, 0], leak)  # a state without a block
    batched = mixture_table(
        np.stack([leak, leak]), tuple(np.stack([a, a]) for a in alone), links, parent_cards
    )
    np.testing.assert_array_equal(batched[0], table)
    np.testing.assert_array_equal(batched[1], table)


@pytest.mark.parametrize("finding", ["pain_layer", "sitting_effect"])
def test_the_models_mixture_columns_are_the_files_distributions(model, finding):
    # The bundled model's mixture findings, column by column, from the numbers of the file.
    states = model.states(finding)
    blocks = {}
    for number in model.numbers:
        if number.variable == finding:
            blocks.setdefault(number.parent, {})[number.state] = number.value
    distribution = {}
    for parent, values in blocks.items():
        p = np.array([values.get(s, np.nan) for s in states])
        if np.isnan(p[0]):
            p[0] = 1 - np.nansum(p)
        distribution[parent] = p / p.sum()
    table = model.cpd_table(finding)
    parents = table.index.names
    assert len(table) > 2**3
    singles = 0
    for configuration, row in table.iterrows():
        present = []
        for parent, state in zip(parents, configuration, strict=True):
            if f"{parent}={state}" in distribution:
                present.append(distribution[f"{parent}={state}"])
            elif parent in distribution and state == model.states(parent)[1]:
                present.append(distribution[parent])
        singles += len(present) == 1
        expected = np.mean(present, axis=0) if present else distribution["leak"]
        np.testing.assert_allclose(row.to_numpy(), expected, rtol=0, atol=1e-12)
    assert singles >= len(distribution) - 1  # every cause's single-cause column was checked
