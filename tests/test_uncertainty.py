"""Credible intervals from the numbers' equivalent sample sizes."""

from __future__ import annotations

import io
import math
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import gluteal_bn as gb
from gluteal_bn import EvidenceError
from gluteal_bn.canonical import project_onto_leak_rule
from gluteal_bn.reasoning.uncertainty import (
    PROGRESS_DRAWS,
    _bar_setting,
    _draw_posteriors,
)

from .conftest import read_table, write_table

EVIDENCE = {"age": "over_60", "claudication": "yes", "radiation": "thigh", "pain_layer": "muscle"}


@pytest.mark.parametrize(
    "evidence", [{}, EVIDENCE, {"fever": "yes", "local_redness_swelling": "yes"}]
)
def test_intervals_contain_the_point_posterior(model, evidence):
    table = model.posterior_interval(evidence, n=1000, seed=3)
    assert list(table.index) == list(model.causes)
    np.testing.assert_array_equal(table["posterior"], model.posterior(evidence))
    assert (table["lower"] <= table["posterior"]).all()
    assert (table["posterior"] <= table["upper"]).all()
    assert ((table["lower"] <= table["mean"]) & (table["mean"] <= table["upper"])).all()
    assert table["lower"].between(0, 1).all() and table["upper"].between(0, 1).all()


def test_reproducible_with_a_seed(model):
    first = model.posterior_interval(EVIDENCE, n=300, seed=7)
    again = model.posterior_interval(EVIDENCE, n=300, seed=7)
    other = model.posterior_interval(EVIDENCE, n=300, seed=8)
    assert first.table.equals(again.table)
    assert not first.equals(other)


def test_intervals_widen_with_the_level(model):
    narrow = model.posterior_interval(EVIDENCE, level=0.5, n=500, seed=1)
    wide = model.posterior_interval(EVIDENCE, level=0.95, n=500, seed=1)
    assert ((wide["upper"] - wide["lower"]) > (narrow["upper"] - narrow["lower"])).all()


def _with_sample_size(data_copy, size):
    for filename in ("priors.csv", "likelihoods.csv"):
        header, rows = read_table(data_copy / filename)
        write_table(data_copy / filename, [*header, "sample_size"], [[*r, size] for r in rows])
    return gb.load_model(data_copy)


def test_intervals_shrink_as_sample_sizes_grow(model, data_copy):
    default = model.posterior_interval(EVIDENCE, n=800, seed=2)
    sure = _with_sample_size(data_copy, "100000").posterior_interval(EVIDENCE, n=800, seed=2)
    assert ((sure["upper"] - sure["lower"]) < (default["upper"] - default["lower"]) / 10).all()
    np.testing.assert_allclose(sure["mean"], sure["posterior"], atol=0.01)


def test_an_observed_cause_has_a_zero_width_interval(model):
    table = model.posterior_interval({"local_infection": "yes"}, n=200, seed=0)
    assert table.loc["local_infection", ["lower", "upper", "mean"]].tolist() == [1.0, 1.0, 1.0]


def test_draws_with_no_uncertainty_reproduce_the_exact_posterior(model, data_copy):
    """With enormous sample sizes every drawn model is the model: the vectorised factors
    then equal the engine's exact posterior (which is checked against pgmpy elsewhere)."""
    sure = _with_sample_size(data_copy, "1e15")
    draws = _draw_posteriors(sure, sure.inference.observe(EVIDENCE), 3, np.random.default_rng(0))
    for row in draws:
        np.testing.assert_allclose(row, sure.posterior(EVIDENCE), atol=1e-6)
    # soft evidence on a finding and on a risk factor, weighed by each drawn model's numbers
    soft = {"fever": {"yes": 0.8, "no": 0.3}, "smoker": {"yes": 0.9, "no": 0.2}}
    observation = sure.inference.observe(EVIDENCE, soft)
    for row in _draw_posteriors(sure, observation, 3, np.random.default_rng(0)):
        np.testing.assert_allclose(row, sure.posterior(EVIDENCE, soft=soft), atol=1e-6)


def test_projection_keeps_a_cause_no_milder_than_the_leak():
    leak = np.array([[0.6, 0.3, 0.1]])
    alone = np.array([[0.7, 0.2, 0.1]])  # milder than the leak: P(none) above it
    projected = project_onto_leak_rule(leak, alone)
    assert projected.sum() == pytest.approx(1.0)
    assert (np.cumsum(projected) <= np.cumsum(leak) + 1e-12).all()
    fine = np.array([[0.3, 0.4, 0.3]])
    np.testing.assert_allclose(project_onto_leak_rule(leak, fine), fine)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"level": 1.0}, ValueError, r"level must be a probability between 0 and 1"),
        ({"level": "0.9"}, ValueError, r"level must be a probability between 0 and 1"),
        ({"n": 1}, ValueError, r"n must be a whole number of draws of at least 2; got 1"),
        ({"n": 2.5}, ValueError, r"n must be a whole number of draws"),
        ({"progress": "yes"}, ValueError, r"progress must be True .* or None .*; got 'yes'"),
    ],
)
def test_bad_arguments_are_named(model, kwargs, error, message):
    with pytest.raises(error, match=message):
        model.posterior_interval({}, **kwargs)


def test_bad_evidence_is_named(model):
    with pytest.raises(EvidenceError, match=r"unknown variable 'feverr'"):
        model.posterior_interval({"feverr": "yes"})


def test_error_bars_on_the_posterior_chart(model):
    table = model.posterior_interval(EVIDENCE, n=300, seed=1)
    ax = gb.plot_posterior(model.prior(), model.posterior(EVIDENCE), intervals=table)
    assert len(ax.patches) == 2 * len(model.causes)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["prior", "posterior", "90% credible interval"]
    segments = ax.collections[0].get_segments()
    ends = sorted((round(s[0][0], 9), round(s[1][0], 9)) for s in segments)
    assert ends == sorted(
        (round(lo, 9), round(hi, 9)) for lo, hi in zip(table["lower"], table["upper"], strict=True)
    )


def test_chart_refuses_something_else_as_intervals(model):
    with pytest.raises(
        TypeError, match=r"intervals must be the result of model.posterior_interval"
    ):
        gb.plot_posterior(model.prior(), model.prior(), intervals=model.prior())


def test_progress_true_draws_a_bar_on_stderr_and_false_draws_nothing(model, capsys):
    shown = model.posterior_interval(EVIDENCE, n=50, seed=4, progress=True)
    captured = capsys.readouterr()
    assert "drawing 50 models" in captured.err and "variable" in captured.err
    assert captured.out == ""
    hidden = model.posterior_interval(EVIDENCE, n=50, seed=4, progress=False)
    assert capsys.readouterr() == ("", "")
    np.testing.assert_array_equal(shown.to_numpy(), hidden.to_numpy())  # same draws


class _Terminal(io.StringIO):
    def __init__(self, is_terminal):
        super().__init__()
        self.is_terminal = is_terminal

    def isatty(self):
        return self.is_terminal


@pytest.mark.parametrize("is_terminal", [True, False])
def test_progress_none_shows_the_bar_only_on_a_terminal(model, monkeypatch, is_terminal):
    stderr = _Terminal(is_terminal)
    monkeypatch.setattr(sys, "stderr", stderr)
    _draw_posteriors(
        model, model.inference.observe(EVIDENCE), 20, np.random.default_rng(0), progress=None
    )
    assert ("drawing 20 models" in stderr.getvalue()) == is_terminal


def test_progress_none_asks_for_a_bar_only_from_many_draws():
    assert _bar_setting(None, PROGRESS_DRAWS - 1) is False
    assert _bar_setting(None, PROGRESS_DRAWS) is None  # then tqdm checks for a terminal
    assert _bar_setting(True, 2) is True and _bar_setting(False, 10**6) is False


def test_default_progress_with_few_draws_writes_nothing(model, monkeypatch):
    stderr = _Terminal(True)
    monkeypatch.setattr(sys, "stderr", stderr)
    model.posterior_interval(EVIDENCE, n=50, seed=4)
    assert stderr.getvalue() == ""


def _with_prior_sample_sizes(data_copy, baseline: str, odds_ratio: str):
    """Every probability row of priors.csv gets ``baseline``, every odds ratio ``odds_ratio``."""
    path = data_copy / "priors.csv"
    header, rows = read_table(path)
    if "sample_size" not in header:
        header, rows = [*header, "sample_size"], [[*r, ""] for r in rows]
    measure, size = header.index("measure"), header.index("sample_size")
    for row in rows:
        row[size] = odds_ratio if row[measure] == "odds_ratio" else baseline
    write_table(path, header, rows)
    return gb.load_model(data_copy)


def _quantile_tolerance(distribution, q, n_draws):
    """Five standard errors of the sample quantiles ``q`` of ``n_draws`` draws."""
    return 5 * np.sqrt(q * (1 - q) / n_draws) / distribution.pdf(distribution.ppf(q))


def test_a_causes_drawn_posterior_at_reference_is_its_baselines_beta(data_copy):
    """Risk factors at reference, no findings: P(cause | r) is the drawn baseline itself, and
    the baseline b with sample size n is drawn from Beta(n b, n (1 - b)), not n b + 1."""
    from scipy import stats

    size = 40.0
    model = _with_prior_sample_sizes(data_copy, f"{size:g}", f"{size:g}")
    reference = {name: model.states(name)[0] for name in model.risk_factors}
    n_draws = 20_000
    draws = _draw_posteriors(
        model, model.inference.observe(reference), n_draws, np.random.default_rng(7)
    )
    q = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    for position, cause in enumerate(model.causes):
        b = model.parameters(cause).baseline
        expected = stats.beta(size * b, size * (1 - b))
        plus_one = stats.beta(size * b + 1, size * (1 - b) + 1)  # the Dirichlet(n p + 1) mistake
        tolerance = _quantile_tolerance(expected, q, n_draws)
        ours = np.quantile(draws[:, position], q)
        np.testing.assert_array_less(np.abs(ours - expected.ppf(q)), tolerance)
        assert (np.abs(ours - plus_one.ppf(q)) > tolerance).any(), cause  # the test can fail


def test_a_drawn_log_odds_ratio_has_spread_two_over_root_n(data_copy):
    """logit P(cause | r) = logit(b) + log OR(r): with b ~ Beta(n b, n (1 - b)) and
    log OR ~ Normal(log OR, 2 / sqrt(n_OR)) its variance is trigamma(n b) +
    trigamma(n (1 - b)) + 4 / n_OR exactly (1 / sqrt(n_OR) would give 1 / n_OR)."""
    from scipy.special import digamma, polygamma

    size, or_size = 400.0, 25.0
    model = _with_prior_sample_sizes(data_copy, f"{size:g}", f"{or_size:g}")
    cause = next(c for c in model.causes if model.parameters(c).parents)
    prior = model.parameters(cause)
    parent, ratios = prior.parents[0], prior.odds_ratios[0]
    evidence = {name: model.states(name)[0] for name in model.risk_factors}
    evidence[parent] = model.states(parent)[1]
    draws = _draw_posteriors(
        model, model.inference.observe(evidence), 20_000, np.random.default_rng(3)
    )
    logits = np.log(draws[:, model.causes.index(cause)]) - np.log1p(
        -draws[:, model.causes.index(cause)]
    )
    a, c = size * prior.baseline, size * (1 - prior.baseline)
    beta_variance = float(polygamma(1, a) + polygamma(1, c))
    expected_variance = beta_variance + 4 / or_size
    assert logits.var() == pytest.approx(expected_variance, rel=0.05)
    assert abs(beta_variance + 1 / or_size - expected_variance) > 0.15 * expected_variance
    expected_mean = float(digamma(a) - digamma(c)) + math.log(ratios[1])
    assert logits.mean() == pytest.approx(expected_mean, abs=0.02)


def test_an_alias_draws_the_same_intervals_as_the_state_it_stands_for(model):
    # worse_with_sitting=yes is sitting_effect=worse (data/aliases.csv): the same draws
    by_alias = model.posterior_interval({"worse_with_sitting": "yes"}, n=200, seed=5)
    by_state = model.posterior_interval({"sitting_effect": "worse"}, n=200, seed=5)
    assert by_alias.table.equals(by_state.table)


def test_one_hot_soft_evidence_draws_what_hard_evidence_draws(model):
    hard = model.posterior_interval({"fever": "yes"}, n=200, seed=4)
    soft = model.posterior_interval(soft={"fever": {"yes": 1.0, "no": 0.0}}, n=200, seed=4)
    np.testing.assert_allclose(soft.table.to_numpy(), hard.table.to_numpy(), rtol=0, atol=1e-12)


def test_uninformative_soft_evidence_draws_what_no_evidence_draws(model):
    # a finding is drawn after every risk factor and cause, so the core draws are the same;
    # equal likelihoods sum its CPT column to one in every drawn model
    none = model.posterior_interval(n=200, seed=6)
    flat = model.posterior_interval(
        soft={"pain_layer": dict.fromkeys(model.states("pain_layer"), 0.5)}, n=200, seed=6
    )
    np.testing.assert_allclose(flat.table.to_numpy(), none.table.to_numpy(), rtol=0, atol=1e-12)


def test_soft_evidence_from_an_alias_moves_the_drawn_posteriors(model):
    # worse_with_sitting=no stands for soft evidence: no_change or relieved
    soft = model.posterior_interval({"worse_with_sitting": "no"}, n=300, seed=2)
    np.testing.assert_array_equal(
        soft.table["posterior"], model.posterior({"worse_with_sitting": "no"})
    )
    none = model.posterior_interval(n=300, seed=2)
    assert not np.allclose(soft.table["mean"], none.table["mean"], rtol=0, atol=1e-6)
    assert (soft.table["lower"] <= soft.table["upper"]).all()
