"""model.evaluate and sample_cases: metrics against scikit-learn, calibration on the model's
own cases (tolerances from the sample size), the bootstrap, the result object, errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    brier_score_loss,
    confusion_matrix,
    log_loss,
    roc_auc_score,
)

import gluteal_bn as gb
from gluteal_bn.errors import EvidenceError
from gluteal_bn.evaluation import METRICS, Cells, _resample_counts, evaluate, sample_cases


@pytest.fixture(scope="module")
def drawn(model: gb.DiagnosticModel) -> pd.DataFrame:
    """Cases drawn from the model, a fifth of the observed cells blank."""
    return model.sample_cases(40_000, seed=11, missing=0.2)


@pytest.fixture(scope="module")
def result(model: gb.DiagnosticModel, drawn: pd.DataFrame):
    return model.evaluate(drawn, model.causes, n_boot=100, seed=5)


def evidence_of(model: gb.DiagnosticModel, cases: pd.DataFrame) -> pd.DataFrame:
    hidden = [*model.causes, *model.vocabulary.subtypes]  # the truth, and what gives it away
    return cases[[c for c in cases.columns if c not in hidden]]


# -- metrics against scikit-learn ---------------------------------------------------------------


def test_metrics_equal_scikit_learn(model, drawn, result):
    posterior = model.posterior_batch(evidence_of(model, drawn))
    for cause in model.causes:
        y = (drawn[cause] == "yes").to_numpy().astype(int)
        p = posterior[cause].to_numpy()
        row = result.metrics.loc[cause]
        assert row["n"] == len(drawn) and row["positives"] == y.sum()
        assert row["prevalence"] == pytest.approx(y.mean(), abs=1e-15)
        assert row["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)
        assert row["log_loss"] == pytest.approx(log_loss(y, p), abs=1e-12)
        assert row["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-12)


def test_blank_truth_leaves_the_row_out_of_that_outcome_only(model, drawn):
    cases = drawn.iloc[:3000].copy()
    truth = cases[list(model.causes)].astype(object)
    truth.iloc[::3, 0] = None  # a third of spinal_disorder unknown
    truth.iloc[1::7, 1] = ""  # an empty cell is blank too
    result = model.evaluate(evidence_of(model, cases), truth, n_boot=0)
    posterior = model.posterior_batch(evidence_of(model, cases))
    for k, cause in enumerate(model.causes[:2]):
        known = truth[cause].notna().to_numpy() & (truth[cause] != "").to_numpy()
        y = (truth[cause][known] == "yes").to_numpy().astype(int)
        p = posterior[cause].to_numpy()[known]
        assert result.metrics.loc[cause, "n"] == known.sum() < 3000
        assert result.metrics.loc[cause, "roc_auc"] == pytest.approx(roc_auc_score(y, p))
        assert result.metrics.loc[cause, "brier"] == pytest.approx(brier_score_loss(y, p))
        assert k < 2
    assert result.metrics.loc["hip_joint_disease", "n"] == 3000
    # ... and out of the confusion matrix (truth needed for every cause)
    assert result.confusion.to_numpy().sum() == (truth.notna() & (truth != "")).all(axis=1).sum()


def test_reliability_table_and_ece(model, drawn, result):
    posterior = model.posterior_batch(evidence_of(model, drawn))
    from sklearn.calibration import calibration_curve

    for cause in model.causes:
        y = (drawn[cause] == "yes").to_numpy().astype(int)
        p = posterior[cause].to_numpy()
        table = result.reliability_of(cause)
        assert len(table) == 10 and table["count"].sum() == len(y)
        filled = table[table["count"] > 0]
        observed, predicted = calibration_curve(y, p, n_bins=10, strategy="uniform")
        np.testing.assert_allclose(filled["observed"], observed, atol=1e-12)
        np.testing.assert_allclose(filled["predicted"], predicted, atol=1e-12)
        edges = np.linspace(0, 1, 11)
        bin_of = np.clip(np.searchsorted(edges, p, side="left") - 1, 0, 9)  # (lower, upper]
        ece = sum(
            (bin_of == b).sum() / len(p) * abs(y[bin_of == b].mean() - p[bin_of == b].mean())
            for b in range(10)
            if (bin_of == b).any()
        )
        assert result.ece(cause) == pytest.approx(ece, abs=1e-12)


def test_cases_drawn_from_the_model_are_calibrated(model, drawn, result):
    """|observed - predicted| within 4 binomial standard errors in every bin.

    Given the predictions, a bin's observed frequency has standard error
    sqrt(sum p (1 - p)) / count (the outcomes are independent Bernoulli(p) draws).
    """
    posterior = model.posterior_batch(evidence_of(model, drawn))
    edges = np.linspace(0, 1, 11)
    checked = 0
    for cause in model.causes:
        p = posterior[cause].to_numpy()
        bin_of = np.searchsorted(edges[1:-1], p)
        table = result.reliability_of(cause)
        for b, row in table[table["count"] > 0].iterrows():
            inside = p[bin_of == b]
            se = np.sqrt(np.sum(inside * (1 - inside))) / len(inside)
            assert abs(row["observed"] - row["predicted"]) <= 4 * se + 1e-12, (cause, b)
            checked += 1
        assert result.ece(cause) < 0.02
    assert checked >= 40


def test_the_calibration_check_can_fail(model, drawn):
    """Cases drawn from a model whose spinal baseline is doubled are not calibrated."""
    index = next(
        i for i, n in enumerate(model.numbers) if n.label.startswith("P(spinal_disorder=yes")
    )
    value = model.numbers[index].value
    changed = model.with_numbers({index: min(0.95, 2 * value)})
    cases = changed.sample_cases(40_000, seed=11, missing=0.2)
    result = model.evaluate(cases, model.causes, n_boot=0)
    posterior = model.posterior_batch(evidence_of(model, cases))
    p = posterior["spinal_disorder"].to_numpy()
    bin_of = np.searchsorted(np.linspace(0, 1, 11)[1:-1], p)
    table = result.reliability_of("spinal_disorder")
    worst = max(
        abs(row["observed"] - row["predicted"])
        / (np.sqrt(np.sum(p[bin_of == b] * (1 - p[bin_of == b]))) / (bin_of == b).sum())
        for b, row in table[table["count"] > 0].iterrows()
    )
    assert worst > 4
    assert result.ece("spinal_disorder") > 0.05


# -- a variable with more than two states (one-vs-rest) ----------------------------------------


def test_multi_state_truth_is_scored_one_vs_rest(model, drawn):
    cases = drawn.iloc[:400]
    evidence = cases.drop(columns=[*model.causes, "pain_layer"])
    truth = {"pain_layer": cases["pain_layer"]}
    result = model.evaluate(evidence, truth, n_boot=20, seed=1)
    states = model.states("pain_layer")
    assert result.outcomes == tuple(f"pain_layer={s}" for s in states)
    known = cases["pain_layer"].notna().to_numpy()
    # the probabilities are the model's own query, row by row
    expected = np.array(
        [
            model.query(
                "pain_layer",
                {k: v for k, v in row.items() if isinstance(v, str)},
            )["pain_layer"].to_numpy()
            for _, row in evidence.astype(object).iterrows()
        ]
    )
    for s, state in enumerate(states):
        y = (cases["pain_layer"][known] == state).to_numpy().astype(int)
        p = expected[known, s]
        row = result.metrics.loc[f"pain_layer={state}"]
        assert row["variable"] == "pain_layer" and row["state"] == state
        assert row["n"] == known.sum()
        assert row["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)
        assert row["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert result.confusion is None
    words = model.vocabulary.state_label("pain_layer", "subcutaneous")
    assert f"{model.labels['pain_layer']}: {words}" in str(result)


# -- the most likely cause -----------------------------------------------------------------------


def test_confusion_matrix_and_accuracy(model, drawn, result):
    posterior = model.posterior_batch(evidence_of(model, drawn))
    present = (drawn[list(model.causes)] == "yes").to_numpy()
    top = posterior.to_numpy().argmax(axis=1)
    count = present.sum(axis=1)
    k = len(model.causes)
    label = np.where(count == 1, present.argmax(axis=1), np.where(count > 1, k, k + 1))
    expected = confusion_matrix(label, top, labels=range(k + 2))[:, :k]
    np.testing.assert_array_equal(result.confusion.to_numpy(), expected)
    assert list(result.confusion.index) == [*model.causes, "(several)", "(none)"]
    hits = present[np.arange(len(top)), top] & (count > 0)
    assert result.accuracy == pytest.approx(hits.sum() / (count > 0).sum())
    assert result.accuracy_lower < result.accuracy < result.accuracy_upper


def test_true_cause_when_several_or_none_are_present(model):
    cases = pd.DataFrame(
        {
            "local_redness_swelling": ["yes", "yes", "yes", "no"],
            "fever": ["yes", "yes", "yes", "no"],
            "local_infection": ["yes", "yes", "no", "no"],
            "spinal_disorder": ["no", "yes", "yes", "no"],
        }
    )
    result = model.evaluate(cases, ["local_infection", "spinal_disorder"], n_boot=0)
    posterior = model.posterior_batch(cases[["local_redness_swelling", "fever"]])
    assert posterior.iloc[0].idxmax() == "local_infection"  # the premise of the test
    table = result.confusion
    assert table.loc["local_infection", "local_infection"] == 1  # one present, the top
    assert table.loc["(several)"].sum() == 1
    assert table.loc["spinal_disorder"].sum() == 1
    assert table.loc["(none)"].sum() == 1
    # row 2 (several present) is a hit, row 3 (spinal only, infection top) a miss, row 4 none
    assert result.accuracy == pytest.approx(2 / 3)


def test_one_cause_has_no_accuracy(model, drawn):
    result = model.evaluate(drawn.drop(columns=list(model.causes[1:])), "spinal_disorder", n_boot=0)
    assert result.confusion is None and np.isnan(result.accuracy)
    assert "Top-1" not in str(result)


# -- the bootstrap ----------------------------------------------------------------------------


def test_count_formulas_equal_scikit_learn_with_weights():
    """Every bootstrap resample is a table of counts; on it the formulas equal sklearn's."""
    rng = np.random.default_rng(3)
    p = rng.choice(np.r_[0.0, 1.0, rng.random(40)], size=300)  # ties, 0 and 1 included
    y = (rng.random(300) < p).astype(int)
    cells = Cells.of(y, p, 10)
    counts = np.concatenate([cells.positives, cells.negatives]).astype(np.int64)
    for drawn in [counts[None, :], *_resample_counts(counts, 5, rng)[:, None, :]]:
        half = len(cells.p)
        metrics = cells.metrics(drawn[:, :half].astype(float), drawn[:, half:].astype(float))
        weights = drawn[0]
        labels = np.r_[np.ones(half), np.zeros(half)].astype(int)
        probabilities = np.r_[cells.p, cells.p]
        keep = weights > 0
        args = (labels[keep], probabilities[keep])
        w = weights[keep]
        assert metrics["brier"][0] == pytest.approx(brier_score_loss(*args, sample_weight=w))
        assert metrics["log_loss"][0] == pytest.approx(
            log_loss(*args, sample_weight=w, labels=[0, 1])
        )
        assert metrics["roc_auc"][0] == pytest.approx(roc_auc_score(*args, sample_weight=w))
        assert metrics["prevalence"][0] == pytest.approx(np.average(args[0], weights=w))


def test_resampled_counts_have_the_multinomial_mean_on_both_paths():
    rng = np.random.default_rng(0)
    few = np.array([400, 0, 250, 350])  # few cells: a multinomial draw
    many = np.ones(300, dtype=np.int64)  # one row per cell: counted row draws
    for counts in (few, many):
        drawn = _resample_counts(counts, 2000, rng)
        assert (drawn.sum(axis=1) == counts.sum()).all()
        assert (drawn[:, counts == 0] == 0).all()
        mean = drawn.mean(axis=0)
        se = np.sqrt(counts * (1 - counts / counts.sum()) / 2000)
        assert np.all(np.abs(mean - counts) <= 5 * se + 1e-12)


def test_intervals_are_reproducible_and_contain_the_estimate(model, drawn, result):
    again = model.evaluate(drawn, model.causes, n_boot=100, seed=5)
    pd.testing.assert_frame_equal(result.metrics, again.metrics)
    other = model.evaluate(drawn, model.causes, n_boot=100, seed=6)
    assert not other.metrics["brier_lower"].equals(result.metrics["brier_lower"])
    for metric in ("prevalence", "brier", "log_loss", "roc_auc"):
        low, high = result.metrics[f"{metric}_lower"], result.metrics[f"{metric}_upper"]
        assert (low <= result.metrics[metric]).all() and (result.metrics[metric] <= high).all()
        assert (low < high).all()


def test_interval_width_follows_the_sample_size(model, drawn):
    """The prevalence interval is about 2 * 1.96 * sqrt(p (1 - p) / n) wide."""
    small = model.evaluate(drawn.iloc[:2000], model.causes, n_boot=400, seed=1)
    for cause in model.causes:
        prevalence = small.metrics.loc[cause, "prevalence"]
        width = (
            small.metrics.loc[cause, "prevalence_upper"]
            - small.metrics.loc[cause, "prevalence_lower"]
        )
        expected = 2 * 1.96 * np.sqrt(prevalence * (1 - prevalence) / 2000)
        assert 0.75 * expected < width < 1.25 * expected


def test_no_bootstrap_gives_no_intervals(model, drawn):
    result = model.evaluate(drawn.iloc[:500], model.causes, n_boot=0)
    for metric in METRICS:
        assert result.metrics[f"{metric}_lower"].isna().all()
    assert np.isnan(result.accuracy_lower)
    assert "no bootstrap" in str(result)


def test_auc_is_undefined_with_one_class(model):
    cases = pd.DataFrame({"fever": ["yes", "no"], "local_infection": ["no", "no"]})
    result = model.evaluate(cases, "local_infection", n_boot=10, seed=1)
    row = result.metrics.loc["local_infection"]
    assert np.isnan(row["roc_auc"]) and np.isnan(row["roc_auc_lower"])
    assert row["brier"] == pytest.approx(
        brier_score_loss([0, 0], model.posterior_batch(cases[["fever"]])["local_infection"])
    )
    assert result.roc["local_infection"].empty
    assert json.loads(json.dumps(result.to_dict()))["outcomes"]["local_infection"]["roc_auc"] == {
        "value": None,
        "lower": None,
        "upper": None,
    }


# -- the result object ------------------------------------------------------------------------


def test_result_renders(model, result):
    assert repr(result).startswith("Evaluation(40,000 cases, 5 outcomes, top-1 accuracy ")
    assert "\n" not in repr(result)
    text = str(result)
    for cause in model.causes:
        assert model.labels[cause] in text
    assert "Top-1 accuracy" in text and "No cause present" in text
    page = result._repr_html_()
    assert page.count("<tr>") == 1 + len(model.causes) + 1 + len(model.causes) + 2
    assert "Gluteal abscess / phlegmon" in page
    frame = result.to_frame()
    assert list(frame.index) == list(model.causes)
    assert {"n", "prevalence", "brier", "log_loss", "roc_auc", "ece", "ece_lower"} <= set(frame)
    frame.loc[:, "n"] = 0  # a copy
    assert (result.metrics["n"] > 0).all()


def test_to_dict_is_json(model, result):
    document = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert document["n_cases"] == 40_000 and document["n_boot"] == 100 and document["seed"] == 5
    entry = document["outcomes"]["local_infection"]
    assert entry["roc_auc"]["value"] == pytest.approx(
        result.metrics.loc["local_infection", "roc_auc"]
    )
    assert len(entry["reliability"]) == 10
    assert document["confusion"]["counts"] == result.confusion.to_numpy().tolist()
    assert document["confusion"]["true"][-2:] == ["(several)", "(none)"]


def test_result_is_frozen(result):
    with pytest.raises(AttributeError):
        result.accuracy = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.roc["x"] = None  # type: ignore[index]


def test_model_method_equals_the_function(model, drawn):
    cases = drawn.iloc[:1000]
    a = model.evaluate(cases, model.causes, n_boot=30, seed=2, bins=5)
    b = evaluate(model, cases, list(model.causes), n_boot=30, seed=2, bins=5)
    pd.testing.assert_frame_equal(a.metrics, b.metrics)
    pd.testing.assert_frame_equal(a.reliability, b.reliability)
    assert len(a.reliability_of("spinal_disorder")) == 5


def test_truth_forms_agree(model, drawn):
    cases = drawn.iloc[:800]
    truth = list(model.causes[:2])
    subtypes = [model.vocabulary.subtype_of(c) for c in truth]  # they give the truth away
    evidence = cases.drop(columns=[*truth, *(s for s in subtypes if s)])
    by_column = model.evaluate(cases, truth, n_boot=0)
    frame = model.evaluate(evidence, cases[truth], n_boot=0)
    renamed = cases.rename(columns={"spinal_disorder": "true_spine"}).drop(
        columns="local_infection"
    )
    mapping = model.evaluate(
        renamed,
        {"spinal_disorder": "true_spine", "local_infection": list(cases["local_infection"])},
        n_boot=0,
    )
    for other in (frame, mapping):
        pd.testing.assert_frame_equal(by_column.metrics, other.metrics)


# -- sample_cases -------------------------------------------------------------------------------


def test_sample_cases_is_reproducible_and_categorical(model):
    a = model.sample_cases(1000, seed=4)
    assert a.equals(model.sample_cases(1000, seed=4))
    assert not a.equals(model.sample_cases(1000, seed=5))
    assert a.equals(sample_cases(model, 1000, seed=np.random.default_rng(4)))
    hidden = [*model.causes, *model.vocabulary.subtypes]
    assert list(a.columns) == [*model.risk_factors, *model.findings, *hidden]
    for column in a:
        assert list(a[column].cat.categories) == list(model.states(column))
    assert a.notna().all().all()
    assert len(model.sample_cases(0, seed=1)) == 0


def test_sample_cases_follow_the_cpts(model):
    """Frequencies within 4 binomial standard errors of the CPT, root and child."""
    n = 60_000
    cases = model.sample_cases(n, seed=8)
    for state, p in model.cpd_table("age").iloc[0].items():
        share = (cases["age"] == state).mean()
        assert abs(share - p) <= 4 * np.sqrt(p * (1 - p) / n)
    table = model.cpd_table("fever")
    parents = list(table.index.names)
    for config, row in table.iterrows():
        inside = (cases[parents] == pd.Series(config, index=parents)).all(axis=1)
        m = inside.sum()
        if m < 200:
            continue
        p = row["yes"]
        share = (cases.loc[inside, "fever"] == "yes").mean()
        assert abs(share - p) <= 4 * np.sqrt(p * (1 - p) / m) + 1e-12, config


def test_sample_cases_observed_and_missing(model):
    n = 20_000
    cases = model.sample_cases(n, seed=2, observed=["fever", "age"], missing={"fever": 0.3})
    assert list(cases.columns)[:2] == ["age", "fever"]
    assert cases["age"].notna().all()
    share = cases["fever"].isna().mean()
    assert abs(share - 0.3) <= 4 * np.sqrt(0.3 * 0.7 / n)
    assert cases["smoker"].notna().all()  # not observed: the truth, complete
    everything = model.sample_cases(n, seed=2, missing=0.5)
    assert everything[list(model.causes)].notna().all().all()
    assert abs(everything[list(model.findings)].isna().to_numpy().mean() - 0.5) < 0.01


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": -1}, r"n must be a whole number of cases >= 0; got -1"),
        ({"n": 2.5}, r"n must be a whole number of cases >= 0; got 2.5"),
        ({"n": 5, "observed": ["fevr"]}, r"fevr"),
        ({"n": 5, "missing": 1.5}, r"missing rate of 'age' must be a probability in \[0, 1\]"),
        (
            {"n": 5, "observed": ["fever"], "missing": {"age": 0.1}},
            r"missing rate given for 'age', which is not an observed variable",
        ),
    ],
)
def test_sample_cases_errors(model, kwargs, message):
    with pytest.raises(EvidenceError, match=message):
        model.sample_cases(**kwargs)


# -- errors -------------------------------------------------------------------------------------


@pytest.fixture
def small(model) -> pd.DataFrame:
    return pd.DataFrame(
        {"fever": ["yes", "no", None], "spinal_disorder": ["yes", "no", None]},
        index=["a", "b", "c"],
    )


@pytest.mark.parametrize(
    ("truth", "message"),
    [
        ("spinal", r"truth column 'spinal' is not a column of cases; its columns are \['fever'"),
        ({"backache": ["yes"] * 3}, r"truth 'backache' is not a variable of this model"),
        ([], r"truth names no variable: give at least one truth column"),
        ({"local_infection": ["yes"]}, r"truth 'local_infection' has 1 values but cases has 3"),
        (
            {"fever": ["yes", "no", "no"]},
            r"'fever' is both a truth variable and a column of evidence in cases",
        ),
        (["spinal_disorder", "spinal_disorder"], r"truth names column 'spinal_disorder' twice"),
        ([1], r"truth column names must be text; got 1 \(int\)"),
        (3, r"truth must be a column name of cases, a list of them, a DataFrame or a mapping"),
    ],
)
def test_truth_errors(model, small, truth, message):
    with pytest.raises(EvidenceError, match=message):
        model.evaluate(small, truth)


def test_truth_value_not_a_state(model, small):
    small.loc["b", "spinal_disorder"] = "maybe"
    with pytest.raises(
        EvidenceError,
        match=r"truth 'spinal_disorder', row 'b': 'maybe' is not a state of spinal_disorder; "
        r"expected one of \['no', 'yes'\] \(or a blank for unknown\)",
    ):
        model.evaluate(small, "spinal_disorder")
    with pytest.raises(EvidenceError, match=r"row 'b': True is not a state of spinal_disorder"):
        model.evaluate(
            small.drop(columns="spinal_disorder"), {"spinal_disorder": ["yes", True, None]}
        )


def test_all_blank_truth(model, small):
    small["spinal_disorder"] = [None, "", np.nan]
    with pytest.raises(
        EvidenceError,
        match=r"truth 'spinal_disorder' is blank in every row: there is nothing to evaluate",
    ):
        model.evaluate(small, "spinal_disorder")


def test_empty_table(model, small):
    with pytest.raises(EvidenceError, match=r"cases is empty: there is no case to evaluate"):
        model.evaluate(small.iloc[:0], "spinal_disorder")
    with pytest.raises(EvidenceError, match=r"cases must be a pandas DataFrame .* got dict"):
        model.evaluate({"fever": ["yes"]}, "spinal_disorder")  # type: ignore[arg-type]


def test_bad_evidence_is_the_batch_error(model, small):
    small.loc["a", "fever"] = "hot"
    with pytest.raises(EvidenceError, match=r"row 'a', column 'fever': 'hot' is not a state"):
        model.evaluate(small, "spinal_disorder")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"n_boot": -1}, r"n_boot must be a whole number >= 0 \(0: no intervals\); got -1"),
        ({"n_boot": 1.5}, r"n_boot must be a whole number"),
        ({"bins": 0}, r"bins must be a whole number >= 1; got 0"),
        ({"level": 1.0}, r"level must be a probability strictly between 0 and 1; got 1.0"),
        ({"seed": "x"}, r"seed must be a whole number or None; got 'x'"),
    ],
)
def test_option_errors(model, small, option, message):
    with pytest.raises(EvidenceError, match=message):
        model.evaluate(small, "spinal_disorder", **option)


# -- subtypes (clinical v2) -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def v2_model() -> gb.DiagnosticModel:
    from pathlib import Path

    return gb.load_model(Path(__file__).parent / "data_v2")


def test_subtypes_are_hidden_truth_consistent_with_their_group(v2_model):
    cases = v2_model.sample_cases(3000, seed=2)
    for subtype in v2_model.vocabulary.subtypes:
        assert subtype in cases and subtype not in [*v2_model.findings, *v2_model.risk_factors]
        group = v2_model.vocabulary[subtype].group
        assert ((cases[subtype] == "none") == (cases[group] == "no")).all()


def test_a_subtype_column_is_not_evidence_for_its_group_as_truth(v2_model):
    cases = v2_model.sample_cases(400, seed=4, missing=0.3)
    subtypes = list(v2_model.vocabulary.subtypes)
    kept = v2_model.evaluate(cases, v2_model.causes, n_boot=0).metrics
    dropped = v2_model.evaluate(cases.drop(columns=subtypes), v2_model.causes, n_boot=0).metrics
    pd.testing.assert_frame_equal(kept, dropped)
    assert (kept["brier"] > 0).all()  # with the subtype as evidence the groups would be certain
    # and a subtype as truth does not take its group as evidence
    subtype = subtypes[0]
    group = v2_model.vocabulary[subtype].group
    other = cases.drop(columns=[c for c in (*v2_model.causes, *subtypes) if c != group])
    with_group = v2_model.evaluate(other.assign(**{subtype: cases[subtype]}), subtype, n_boot=0)
    without = v2_model.evaluate(
        other.drop(columns=group).assign(**{subtype: cases[subtype]}), subtype, n_boot=0
    )
    pd.testing.assert_frame_equal(with_group.metrics, without.metrics)


def test_subtype_truth_is_scored_one_state_against_the_rest(v2_model):
    cases = v2_model.sample_cases(300, seed=3, missing=0.3)
    truth = [*v2_model.causes, "spinal_type"]
    result = v2_model.evaluate(cases.drop(columns="infection_type"), truth, n_boot=20, seed=1)
    states = v2_model.states("spinal_type")
    assert result.outcomes == (*v2_model.causes, *(f"spinal_type={s}" for s in states))
    evidence = cases.drop(columns=[*v2_model.causes, *v2_model.vocabulary.subtypes])
    expected = np.array(
        [
            v2_model.query("spinal_type", {k: v for k, v in row.items() if isinstance(v, str)})[
                "spinal_type"
            ].to_numpy()
            for _, row in evidence.astype(object).iterrows()
        ]
    )
    for s, state in enumerate(states):
        y = (cases["spinal_type"] == state).to_numpy().astype(int)
        row = result.metrics.loc[f"spinal_type={state}"]
        assert row["brier"] == pytest.approx(brier_score_loss(y, expected[:, s]), abs=1e-12)
        assert row["roc_auc"] == pytest.approx(roc_auc_score(y, expected[:, s]), abs=1e-12)
    # "none" is "the group is absent": the same numbers as the group's outcome
    none = result.metrics.loc["spinal_type=none"]
    group = result.metrics.loc["spinal_disorder"]
    assert none["brier"] == pytest.approx(group["brier"], abs=1e-12)
    # (AUC only nearly: rounding in the last bit can break a tie between two rows differently)
    assert none["roc_auc"] == pytest.approx(group["roc_auc"], abs=2e-3)
    assert list(result.confusion.columns) == list(v2_model.causes)


def test_text_in_russian(model, result):
    from gluteal_bn.i18n import translation

    ru = translation("ru")
    text = result.to_text("ru")
    assert text.splitlines()[0].startswith(
        ru.gettext("Evaluation on {n} cases").format(n="40\u202f000")
    )
    assert ru.variable(model.vocabulary, "local_infection") in text
    assert ru.gettext("Several causes present") in text
    assert ru.percent(result.accuracy) in text
    assert str(result) == result.to_text("en")  # the tests' default language is English


# -- the batch path for truth that is not a cause -----------------------------------------------


def test_subtype_and_finding_truth_come_from_one_batch_equal_to_query_and_pgmpy(model, monkeypatch):
    """The batched posteriors equal query's (the old path: one query per pattern) to
    rounding, and pgmpy's VariableElimination within 1e-9."""
    from gluteal_bn.evaluation.marginals import marginals, patterns
    from gluteal_bn.network import quiet, variable_elimination

    cases = model.sample_cases(300, seed=21, missing=0.3)
    hidden = [*model.causes, *model.vocabulary.subtypes, "pain_layer"]
    evidence = cases.drop(columns=hidden)
    # an alias as evidence: soft evidence on its target, through the engine's extra log-row
    evidence = evidence.drop(columns="sitting_effect").assign(
        worse_with_sitting=np.where(np.arange(len(cases)) % 3 == 0, "no", "yes")
    )
    truth = ["spinal_type", "hip_type", "pain_layer"]
    distinct, inverse = patterns(evidence)
    assert 1 < len(distinct) <= len(cases) and inverse.max() == len(distinct) - 1
    batched = marginals(model, distinct, truth)
    for k, case in enumerate(distinct):
        old = model.query(truth, case)
        for variable in truth:
            np.testing.assert_allclose(batched[variable][k], old[variable], rtol=1e-14, atol=1e-16)
    oracle = variable_elimination(model.network)
    for k in range(0, len(distinct), max(1, len(distinct) // 6)):  # a few against pgmpy
        hard = {n: s for n, s in distinct[k].items() if n in model.variables}
        if len(hard) < len(distinct[k]):
            continue  # pgmpy has no aliases
        for variable in truth:
            with quiet():
                factor = oracle.query(
                    [variable],
                    evidence=hard or None,
                    show_progress=False,
                    elimination_order="MinNeighbors",
                )
            order = [factor.state_names[variable].index(s) for s in model.states(variable)]
            np.testing.assert_allclose(
                batched[variable][k], np.asarray(factor.values)[order], atol=1e-9
            )
    # evaluate takes that path: query is not called for a pattern the batch answers ...
    expected = model.evaluate(cases.drop(columns="sitting_effect"), truth, n_boot=0)

    def refuse(*args, **kwargs):
        raise AssertionError("query called")

    monkeypatch.setattr(gb.DiagnosticModel, "query", refuse)
    again = model.evaluate(cases.drop(columns="sitting_effect"), truth, n_boot=0)
    pd.testing.assert_frame_equal(again.metrics, expected.metrics)
    # ... and is for a pattern whose truth the evidence reaches through an alias
    aliased = evidence.assign(sitting_effect=cases["sitting_effect"])
    with pytest.raises(AssertionError, match="query called"):
        model.evaluate(aliased, "sitting_effect", n_boot=0)
