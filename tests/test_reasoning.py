"""Properties shared by the reasoning tools: light imports, and invariants of the answers."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluteal_bn.reasoning._arrays import small_products

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
OBSERVABLE = MODEL.risk_factors + MODEL.findings


def test_reasoning_tools_import_neither_pgmpy_nor_matplotlib():
    code = """
        import sys, gluteal_bn as gb
        m = gb.load_model()
        e = {"fever": "yes", "age": "over_60"}
        soft = {"claudication": {"yes": 0.6, "no": 0.4}}
        m.next_questions(e, soft=soft); m.explain(e, "local_infection", soft=soft)
        m.most_probable_explanation(e, soft=soft); m.conflict(e, soft=soft)
        print([x for x in ("pgmpy", "matplotlib") if x in sys.modules])
    """
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert done.stderr == ""


@st.composite
def cases(draw):
    names = draw(st.lists(st.sampled_from(OBSERVABLE), unique=True, max_size=6))
    evidence = {name: draw(st.sampled_from(MODEL.states(name))) for name in names}
    soft = {}
    free = [v for v in OBSERVABLE if v not in evidence]
    if free and draw(st.booleans()):
        name = draw(st.sampled_from(free))
        values = draw(
            st.lists(
                st.floats(0.01, 10),
                min_size=len(MODEL.states(name)),
                max_size=len(MODEL.states(name)),
            )
        )
        soft[name] = dict(zip(MODEL.states(name), values, strict=True))
    return evidence, soft


@settings(max_examples=40, deadline=None)
@given(cases(), st.sampled_from([None, *MODEL.causes]))
def test_answers_average_back_to_the_current_posterior(case, target):
    # Conservation of belief: sum_s P(s | e) P(cause | e, s) = P(cause | e), for every question.
    evidence, soft = case
    result = MODEL.next_questions(evidence, target, soft=soft)
    now = MODEL.posterior(evidence, soft=soft).to_numpy()
    for variable in result.ranking.index:
        answers = result.answers.loc[variable]
        p = answers["probability"].to_numpy()
        assert p.sum() == pytest.approx(1.0, abs=1e-12)
        possible = p > 0
        posteriors = answers[list(MODEL.causes)].to_numpy(float)[possible]
        np.testing.assert_allclose(p[possible] @ posteriors, now, atol=1e-12)
    gains = result.ranking["information_gain"].to_numpy()
    assert ((gains >= 0) & (gains <= result.entropy + 1e-12)).all()


@settings(max_examples=40, deadline=None)
@given(cases())
def test_most_probable_explanations_agree_with_the_posterior(case):
    # Summing P(joint state) over the states where a cause is present gives its posterior.
    evidence, soft = case
    table = MODEL.most_probable_explanation(evidence, k=32, soft=soft)
    assert table["probability"].sum() == pytest.approx(1.0, abs=1e-12)
    posterior = MODEL.posterior(evidence, soft=soft)
    for cause in MODEL.causes:
        present = table.loc[table[cause] == "yes", "probability"].sum()
        assert present == pytest.approx(posterior[cause], abs=1e-12)


@pytest.mark.parametrize(("m", "k", "n"), [(1, 384, 1), (64, 384, 128), (70, 1000, 33), (3, 7, 5)])
def test_blocked_product_equals_matmul(m, k, n):
    rng = np.random.default_rng(m * k * n)
    left, right = rng.random((m, k)), rng.random((k, n))
    np.testing.assert_allclose(small_products(left, right), left @ right, rtol=1e-13)
