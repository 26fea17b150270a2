"""A model pickles as its specification (the numbers), never as "load this folder again"."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb

EVIDENCE = {"fever": "yes", "local_redness_swelling": "yes"}


def round_trip(model: gb.DiagnosticModel) -> gb.DiagnosticModel:
    return pickle.loads(pickle.dumps(model))


def assert_same_model(copy: gb.DiagnosticModel, model: gb.DiagnosticModel) -> None:
    assert copy.numbers == model.numbers
    assert copy.folder == model.folder
    for name in model.variables:
        np.testing.assert_array_equal(copy.cpd_table(name), model.cpd_table(name))
    pd.testing.assert_series_equal(copy.posterior(EVIDENCE), model.posterior(EVIDENCE))


def test_the_bundled_model_pickles(model):
    assert_same_model(round_trip(model), model)


def test_a_changed_model_pickles_with_its_changes(model):
    # The number that moves P(local_infection | EVIDENCE) most: its own baseline.
    index = [n.label for n in model.numbers].index(
        "P(local_infection=yes | risk factors at reference)"
    )
    changed = model.with_numbers({index: 0.9})
    assert not np.allclose(changed.posterior_array(EVIDENCE), model.posterior_array(EVIDENCE))
    assert_same_model(round_trip(changed), changed)


def test_a_fitted_model_pickles_as_fitted(model):
    cases = pd.DataFrame({"smoker": ["yes"] * 80 + ["no"] * 20})
    fitted = model.fit(cases, equivalent_sample_size=10)
    assert fitted.cpd_table("smoker")["yes"].iloc[0] != model.cpd_table("smoker")["yes"].iloc[0]
    assert_same_model(round_trip(fitted), fitted)


def test_editing_the_folder_after_loading_changes_no_pickled_model(data_copy, edit_cell):
    loaded = gb.load_model(data_copy)
    before = loaded.posterior(EVIDENCE)
    edit_cell("likelihoods.csv", {"finding": "fever", "cause": "leak"}, "probability", "0.001")
    edited = gb.load_model(data_copy)
    assert not np.allclose(edited.posterior_array(EVIDENCE), before.to_numpy())
    copy = round_trip(loaded)
    assert_same_model(copy, loaded)
    pd.testing.assert_series_equal(copy.posterior(EVIDENCE), before)


def test_a_pickled_model_is_independent_of_its_folder(data_copy):
    loaded = gb.load_model(data_copy)
    data = pickle.dumps(loaded)
    for path in data_copy.iterdir():
        path.unlink()
    data_copy.rmdir()
    assert_same_model(pickle.loads(data), loaded)


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_every_pickle_protocol(model, protocol):
    assert_same_model(pickle.loads(pickle.dumps(model, protocol=protocol)), model)
