"""Human labels for states: variables.csv's state_labels column, its checks and accessors."""

from __future__ import annotations

import pytest

import gluteal_bn as gb
from gluteal_bn import DataError
from gluteal_bn.io.model_folder import bundled_data_folder
from gluteal_bn.vocabulary import Variable, default_state_label

from .conftest import read_table, write_table


def test_every_bundled_variable_has_one_label_per_state(model):
    header, rows = read_table(bundled_data_folder() / "variables.csv")
    assert "state_labels" in header
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        labels = cells["state_labels"].split("|")
        assert len(labels) == len(cells["states"].split("|")), cells["variable"]
        assert model.vocabulary[cells["variable"]].state_labels == tuple(labels)


def test_state_label_reads_the_csv_column(model):
    vocabulary = model.vocabulary
    assert vocabulary.state_label("age", "40_to_60") == "40-60 years"
    assert vocabulary["radiation"].state_label("below_knee") == "below the knee"
    for variable in vocabulary:
        for state, label in zip(variable.states, variable.state_labels, strict=True):
            assert vocabulary.state_label(variable.name, state) == label
            assert "_" not in label, (variable.name, state, label)


def test_state_label_of_an_unknown_state_names_the_valid_ones(model):
    with pytest.raises(KeyError, match=r"'maybe' is not a state of fever; expected one of"):
        model.vocabulary.state_label("fever", "maybe")


def test_blank_state_labels_default_to_the_state_names(data_copy):
    path = data_copy / "variables.csv"
    header, rows = read_table(path)
    for row in rows:
        row[header.index("state_labels")] = ""
    write_table(path, header, rows)
    vocabulary = gb.load_model(data_copy).vocabulary
    assert vocabulary.state_label("radiation", "below_knee") == "below knee"
    assert vocabulary.state_label("age", "40_to_60") == "40 to 60"


def test_a_folder_without_the_column_still_loads(data_copy):
    path = data_copy / "variables.csv"
    header, rows = read_table(path)
    column = header.index("state_labels")
    write_table(
        path,
        [c for i, c in enumerate(header) if i != column],
        [[c for i, c in enumerate(row) if i != column] for row in rows],
    )
    model = gb.load_model(data_copy)
    assert model.vocabulary["age"].state_labels == ("under 40", "40 to 60", "over 60")


@pytest.mark.parametrize("cell", ["young|old", "a||c", "a|b|c|d"])
def test_wrong_number_of_state_labels_is_a_data_error(data_copy, cell):
    path = data_copy / "variables.csv"
    header, rows = read_table(path)
    line = next(i for i, row in enumerate(rows) if row[0] == "age") + 2
    rows[line - 2][header.index("state_labels")] = cell
    write_table(path, header, rows)
    with pytest.raises(
        DataError,
        match=rf"variables.csv line {line}, column state_labels: '{cell}' gives \d labels for "
        r"the 3 states under_40\|40_to_60\|over_60; expected one non-empty label per state",
    ):
        gb.load_model(data_copy)


def test_state_labels_survive_save_and_load(model, tmp_path):
    model.save(tmp_path / "copy")
    again = gb.load_model(tmp_path / "copy")
    for variable in model.vocabulary:
        assert again.vocabulary[variable.name].state_labels == variable.state_labels


def test_variable_rejects_a_label_count_that_does_not_match():
    with pytest.raises(ValueError, match=r"x: 1 state labels for 2 states \['no', 'yes'\]"):
        Variable("x", "finding", ("no", "yes"), "noisy_or", "X", "", state_labels=("only",))
    assert default_state_label("below_knee") == "below knee"
