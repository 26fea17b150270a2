"""Errors of the library's own kind for every public argument (issue 10, item 10).

Each path pins its message. Numeric options share one check (``gluteal_bn.checks``) and one
exception, ArgumentError; evidence problems stay EvidenceError, file and number problems
DataError. All three are ValueErrors.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import ArgumentError, DataError, EvidenceError
from gluteal_bn.checks import check_scalar

HUGE = 10**400  # an int no float can hold


def test_argument_error_is_a_value_error_and_exported():
    assert issubclass(ArgumentError, ValueError)
    assert "ArgumentError" in gb.__all__


@pytest.mark.parametrize(
    ("value", "kwargs", "ok"),
    [
        (3, {"integer": True, "minimum": 1}, 3),
        (np.int64(3), {"integer": True, "minimum": 1}, 3),
        (0.5, {"minimum": 0, "maximum": 1}, 0.5),
        (np.float32(0.5), {"minimum": 0, "maximum": 1}, 0.5),
        (1, {"minimum": 1}, 1.0),
        (1, {"maximum": 1}, 1.0),  # a bound is valid by default, the maximum too
        (0.0, {"minimum": 0.0, "maximum": 0.0}, 0.0),
    ],
)
def test_check_scalar_accepts_numbers_within_bounds(value, kwargs, ok):
    result = check_scalar(value, "x", expected="valid", **kwargs)
    assert result == ok and type(result) is (int if kwargs.get("integer") else float)


@pytest.mark.parametrize(
    ("value", "kwargs"),
    [
        (True, {}),
        ("2", {}),
        (None, {}),
        ([1], {}),
        (float("nan"), {}),
        (float("inf"), {}),
        (HUGE, {}),
        (2.0, {"integer": True}),
        (0, {"minimum": 1}),
        (1, {"minimum": 1, "include_minimum": False}),
        (2, {"maximum": 1}),
        (1, {"maximum": 1, "include_maximum": False}),
    ],
)
def test_check_scalar_refuses_with_one_message_shape(value, kwargs):
    with pytest.raises(ArgumentError, match=r"^opt must be a thing; got .+"):
        check_scalar(value, "opt", expected="a thing", **kwargs)


def test_short_repr_cuts_at_the_limit_exactly():
    from gluteal_bn.checks import short_repr

    assert short_repr("x" * 58) == repr("x" * 58)  # 60 characters: the default limit, kept
    assert short_repr("x" * 59) == "'" + "x" * 56 + "..."  # 61: cut to 60 with the dots
    assert len(short_repr("x" * 1000)) == 60
    assert short_repr("abcdefghij", limit=12) == "'abcdefghij'"
    assert short_repr("abcdefghijk", limit=12) == "'abcdefgh..."


def test_check_scalar_shortens_what_it_echoes():
    with pytest.raises(ArgumentError) as caught:
        check_scalar(HUGE, "factor", expected="a number")
    assert len(str(caught.value)) < 150 and str(caught.value).endswith("...")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda m: m.most_probable_explanation({}, k=0),
            r"most_probable_explanation: k must be a whole number >= 1; got 0",
        ),
        (
            lambda m: m.most_probable_explanation({}, k=2.0),
            r"k must be a whole number >= 1; got 2.0",
        ),
        (
            lambda m: m.posterior_interval({}, level=2),
            r"level must be a probability between 0 and 1 \(e.g. 0.9\); got 2",
        ),
        (
            lambda m: m.posterior_interval({}, level=HUGE),
            r"level must be a probability between 0 and 1",
        ),
        (
            lambda m: m.posterior_interval({}, n=1),
            r"n must be a whole number of draws of at least 2; got 1",
        ),
        (
            lambda m: m.posterior_interval({}, n=True),
            r"n must be a whole number of draws of at least 2; got True",
        ),
        (
            lambda m: m.sensitivity({}, "local_infection", factor=HUGE),
            r"factor must be a number greater than 1 \(e.g. 2\); got 1000",
        ),
        (
            lambda m: m.sensitivity({}, "local_infection", factor=float("nan")),
            r"factor must be a number greater than 1 \(e.g. 2\); got nan",
        ),
    ],
)
def test_numeric_options_raise_argument_errors(model, call, message):
    with pytest.raises(ArgumentError, match=message):
        call(model)


def test_plot_sensitivity_top_is_an_argument_error(model):
    table = model.sensitivity({"fever": "yes"}, "local_infection")
    with pytest.raises(ArgumentError, match=r"top must be a positive whole number; got 1.5"):
        gb.plot_sensitivity(table, top=1.5)


def test_huge_soft_likelihood_is_an_evidence_error(model):
    with pytest.raises(
        EvidenceError,
        match=r"soft evidence fever\['yes'\] = 1000.* is not a finite likelihood >= 0",
    ):
        model.posterior(soft={"fever": {"yes": HUGE, "no": 1}})


@pytest.mark.parametrize("variables", [None, 5, 2.5])
def test_query_needs_names(model, variables):
    with pytest.raises(
        EvidenceError,
        match=rf"query needs a variable name or a list of names, such as 'radiation' or "
        rf"\['radiation', 'fever'\]; got {type(variables).__name__}",
    ):
        model.query(variables)


@pytest.mark.parametrize(("values", "kind"), [(None, "NoneType"), ([0.1], "list"), (0.1, "float")])
def test_with_numbers_needs_a_mapping(model, values, kind):
    with pytest.raises(
        DataError,
        match=rf"with_numbers needs a mapping of number index to new value, such as \{{3: 0.2\}} "
        rf"\(indices are positions in model.numbers\); got {kind}",
    ):
        model.with_numbers(values)


@pytest.mark.parametrize("value", [None, "0.2", True, [0.2]])
def test_with_numbers_values_must_be_numbers(model, value):
    label = re.escape(model.numbers[0].label)
    with pytest.raises(
        DataError,
        match=rf"new value {re.escape(repr(value))} for {label} is not a number; give a float",
    ):
        model.with_numbers({0: value})


def test_with_numbers_huge_value_is_not_finite(model):
    with pytest.raises(DataError, match=r"new value 1000.* is not finite"):
        model.with_numbers({0: HUGE})


@pytest.mark.parametrize("cell", [{"yes": 1}, ["yes"], {"yes"}])
def test_posterior_batch_unhashable_cells_are_case_errors(model, cell):
    cases = pd.DataFrame({"fever": [cell, "yes"]})
    with pytest.raises(
        EvidenceError, match=r"row 0, column 'fever': .* is not a state name \(text\) of fever"
    ):
        model.posterior_batch(cases)
    coerced = model.posterior_batch(cases, errors="coerce")
    assert coerced.iloc[0].isna().all() and coerced.iloc[1].notna().all()
