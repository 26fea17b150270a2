"""posterior_batch: equal to posterior row by row, and every bad input is a clear error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn import EvidenceError, engine
from gluteal_bn.batch import CaseError

from .conftest import bundled_model

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
OBSERVABLE = [*MODEL.risk_factors, *MODEL.findings]


def row_evidence(row: pd.Series) -> dict[str, str]:
    return {name: value for name, value in row.items() if isinstance(value, str)}


# pandas 3 has a default "str" dtype that keeps missing cells missing; on pandas 2 (Python 3.10)
# astype("str") writes them as the text "None", so only the nullable "string" dtype is tested.
STRING_KINDS = ["object", "string", "category"] + (
    ["str"] if int(pd.__version__.split(".")[0]) >= 3 else []
)


@st.composite
def case_tables(draw):
    """Small frames over a random subset of variables (causes sometimes), None = unobserved."""
    columns = draw(st.lists(st.sampled_from(MODEL.variables), unique=True, min_size=0, max_size=10))
    n = draw(st.integers(0, 6))
    data = {
        name: draw(
            st.lists(
                st.one_of(st.none(), st.sampled_from(MODEL.states(name))), min_size=n, max_size=n
            )
        )
        for name in columns
    }
    frame = pd.DataFrame(data, index=pd.RangeIndex(n) * 10 + 7, dtype=object)
    kind = draw(st.sampled_from(STRING_KINDS))
    return frame if kind == "object" or not columns else frame.astype(kind)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=case_tables())
def test_batch_equals_posterior_row_by_row(cases):
    if any(MODEL.probability_of_evidence(row_evidence(row)) == 0 for _, row in cases.iterrows()):
        return  # impossible rows have their own test
    result = MODEL.posterior_batch(cases)
    assert list(result.columns) == list(MODEL.causes)
    assert result.index.equals(cases.index)
    for label, row in cases.iterrows():
        expected = MODEL.posterior(row_evidence(row))
        np.testing.assert_allclose(result.loc[label], expected, rtol=0, atol=1e-12)


def test_an_observed_cause_is_exactly_zero_or_one():
    cases = pd.DataFrame({"local_infection": ["yes", "no", None], "fever": ["yes", "yes", "no"]})
    result = MODEL.posterior_batch(cases)["local_infection"]
    assert result.iloc[0] == 1.0 and result.iloc[1] == 0.0
    assert 0 < result.iloc[2] < 1


def test_missing_columns_nan_none_and_na_mean_unobserved():
    cases = pd.DataFrame({"fever": ["yes", np.nan, None, pd.NA], "age": ["over_60"] * 4})
    result = MODEL.posterior_batch(cases)
    expected_unobserved = MODEL.posterior({"age": "over_60"})
    for position in (1, 2, 3):
        np.testing.assert_allclose(result.iloc[position], expected_unobserved, atol=1e-12)
    np.testing.assert_allclose(
        result.iloc[0], MODEL.posterior({"fever": "yes", "age": "over_60"}), atol=1e-12
    )
    empty = MODEL.posterior_batch(pd.DataFrame(index=["a", "b"]))
    np.testing.assert_allclose(empty.loc["b"], MODEL.prior(), atol=1e-12)


def test_an_empty_table_gives_an_empty_result():
    result = MODEL.posterior_batch(pd.DataFrame({"fever": pd.Series([], dtype=object)}))
    assert result.shape == (0, 5)


def test_a_bad_cell_names_row_column_value_and_states():
    cases = pd.DataFrame(
        {"fever": ["yes", "no", "maybe", "nope"], "age": ["over_60", "old", "under_40", None]},
        index=["p1", "p2", "p3", "p4"],
    )
    message = (
        r"row 'p2', column 'age': 'old' is not a state of age; "
        r"expected one of \['under_40', '40_to_60', 'over_60'\]"
    )
    with pytest.raises(EvidenceError, match=message) as caught:
        MODEL.posterior_batch(cases)
    assert (caught.value.position, caught.value.label, caught.value.column) == (1, "p2", "age")
    coerced = MODEL.posterior_batch(cases, errors="coerce")
    assert coerced.loc[["p2", "p3", "p4"]].isna().all().all()
    np.testing.assert_allclose(
        coerced.loc["p1"], MODEL.posterior({"fever": "yes", "age": "over_60"}), atol=1e-12
    )


def test_a_cell_that_is_not_text_is_named():
    cases = pd.DataFrame({"fever": ["yes", 1]}, dtype=object)
    with pytest.raises(
        EvidenceError,
        match=r"row 1, column 'fever': 1 is not a state name \(text\) of fever; expected one of \['no', 'yes'\]",
    ):
        MODEL.posterior_batch(cases)


def test_categorical_with_unused_foreign_categories_is_fine_and_used_ones_are_errors():
    column = pd.Categorical(["yes", "no"], categories=["no", "yes", "maybe"])
    result = MODEL.posterior_batch(pd.DataFrame({"fever": column}))
    np.testing.assert_allclose(result.iloc[0], MODEL.posterior({"fever": "yes"}), atol=1e-12)
    used = pd.DataFrame({"fever": pd.Categorical(["maybe"], categories=["no", "yes", "maybe"])})
    with pytest.raises(EvidenceError, match=r"row 0, column 'fever': 'maybe' is not a state"):
        MODEL.posterior_batch(used)


def test_unknown_or_repeated_columns_are_errors_listing_known_names():
    with pytest.raises(
        EvidenceError,
        match=r"cases has column\(s\) that are not variables of this model: 'feverr', 'id'\. "
        r"Known variables: age, smoker, diabetes, recent_buttock_injection, prolonged_sitting, "
        r"spinal_disorder",
    ):
        MODEL.posterior_batch(pd.DataFrame({"feverr": ["yes"], "id": [1], "fever": ["no"]}))
    twice = pd.DataFrame([["yes", "no"]], columns=["fever", "fever"])
    with pytest.raises(EvidenceError, match=r"cases has more than one column named 'fever'"):
        MODEL.posterior_batch(twice)


def test_bad_arguments():
    with pytest.raises(
        EvidenceError, match=r"errors='ignore' is not an option; expected 'raise' or 'coerce'"
    ):
        MODEL.posterior_batch(pd.DataFrame(), errors="ignore")
    with pytest.raises(EvidenceError, match=r"cases must be a pandas DataFrame .*; got dict"):
        MODEL.posterior_batch({"fever": ["yes"]})


def test_impossible_rows_raise_or_become_nan(data_copy, edit_cell):
    edit_cell("likelihoods.csv", {"finding": "fever", "cause": "leak"}, "probability", "0")
    model = gb.load_model(data_copy)
    cases = pd.DataFrame(
        {"fever": ["yes", "yes", "no"], "local_infection": [None, "no", "no"]},
        index=["a", "b", "c"],
    )
    with pytest.raises(
        CaseError,
        match=r"row 'b', evidence \{fever=yes, local_infection=no\} has probability zero in this model",
    ):
        model.posterior_batch(cases)
    coerced = model.posterior_batch(cases, errors="coerce")
    assert coerced.loc["b"].isna().all()
    assert not coerced.loc[["a", "c"]].isna().any().any()
    np.testing.assert_allclose(
        coerced.loc["c"], model.posterior({"fever": "no", "local_infection": "no"}), atol=1e-12
    )


def test_the_log_space_path_gives_the_same_answers(monkeypatch):
    cases = pd.DataFrame({"fever": ["yes", "no", None], "radiation": ["thigh", None, "below_knee"]})
    fast = MODEL.posterior_batch(cases)
    monkeypatch.setattr(engine.grouped, "UNDERFLOW", np.inf)  # every case takes the log-space path
    np.testing.assert_allclose(MODEL.posterior_batch(cases), fast, rtol=0, atol=1e-13)
    np.testing.assert_allclose(
        MODEL.posterior_array({"fever": "yes", "radiation": "thigh"}),
        fast.iloc[0],
        rtol=0,
        atol=1e-13,
    )


def test_large_tables_are_scored_in_chunks(monkeypatch):
    from gluteal_bn import batch

    monkeypatch.setattr(batch, "CHUNK_ROWS", 3)
    rng = np.random.default_rng(1)
    cases = pd.DataFrame(
        {name: rng.choice(MODEL.states(name), 10) for name in ("age", "fever", "pain_layer")}
    )
    chunked = MODEL.posterior_batch(cases)
    for position in range(10):
        np.testing.assert_allclose(
            chunked.iloc[position], MODEL.posterior(row_evidence(cases.iloc[position])), atol=1e-12
        )


def test_concurrent_batches_equal_serial_ones():
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(5)
    tables = [
        pd.DataFrame({name: rng.choice(MODEL.states(name), 200) for name in OBSERVABLE[i : i + 6]})
        for i in range(8)
    ]
    serial = [MODEL.posterior_batch(table) for table in tables]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(MODEL.posterior_batch, tables))
    for one, other in zip(serial, parallel, strict=True):
        pd.testing.assert_frame_equal(one, other, check_exact=True)
