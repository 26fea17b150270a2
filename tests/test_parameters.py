"""Numbers with provenance, replacing numbers, and saving a model folder."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gluteal_bn as gb
from gluteal_bn import DataError
from gluteal_bn.io.model_folder import bundled_data_folder
from gluteal_bn.io.numbers import DEFAULT_SAMPLE_SIZES
from gluteal_bn.io.specification import LIKELIHOODS_FILE, PRIORS_FILE

from .conftest import read_table, write_table


def _csv_values(folder, filename, column):
    with (folder / filename).open(newline="", encoding="utf-8") as handle:
        return [(line + 2, float(row[column])) for line, row in enumerate(csv.DictReader(handle))]


def test_every_number_of_the_csv_files_is_addressable(model):
    folder = bundled_data_folder()
    expected = [(PRIORS_FILE, line, v) for line, v in _csv_values(folder, PRIORS_FILE, "value")]
    expected += [
        (LIKELIHOODS_FILE, line, v)
        for line, v in _csv_values(folder, LIKELIHOODS_FILE, "probability")
    ]
    assert [(n.file, n.line, n.value) for n in model.numbers] == expected


def test_numbers_say_what_they_are(model):
    by_label = {n.label: n for n in model.numbers}
    odds_ratio = by_label["OR(spinal_disorder=yes | smoker=yes)"]
    assert (odds_ratio.kind, odds_ratio.value) == ("odds_ratio", 1.46)
    assert odds_ratio.source.startswith("docs/evidence.md#shiri-2016")
    assert by_label["P(fever=yes | no cause (leak))"].kind == "leak"
    assert by_label["P(fever=yes | local_infection alone)"].kind == "cause_alone"
    assert by_label["P(local_infection=yes | risk factors at reference)"].kind == "baseline"
    assert by_label["P(age=over_60)"].kind == "probability"


def test_number_table_has_one_row_per_number(model):
    table = model.number_table()
    assert len(table) == len(model.numbers)
    assert list(table.columns[:4]) == ["file", "line", "variable", "state"]
    assert table["label"].is_unique


def test_blank_sample_size_defaults_by_source_quality(model):
    qualities = {n.source.split(":")[0].strip().lower(): n for n in model.numbers}
    assert qualities["estimate"].effective_sample_size == DEFAULT_SAMPLE_SIZES["estimate"]
    assert qualities["proxy"].effective_sample_size == DEFAULT_SAMPLE_SIZES["proxy"]
    cited = next(n for n in model.numbers if n.source.startswith("docs/evidence.md#shiri"))
    assert cited.effective_sample_size == DEFAULT_SAMPLE_SIZES["cited"]


def _add_sample_sizes(folder, filename, sizes):
    header, rows = read_table(folder / filename)
    header.append("sample_size")
    for index, row in enumerate(rows):
        row.append(sizes.get(index, ""))
    write_table(folder / filename, header, rows)


def test_sample_size_column_is_optional_and_read(data_copy):
    _add_sample_sizes(data_copy, PRIORS_FILE, {0: "120"})
    model = gb.load_model(data_copy)
    assert model.numbers[0].sample_size == 120.0
    assert model.numbers[0].effective_sample_size == 120.0
    assert model.numbers[1].sample_size is None


@pytest.mark.parametrize("bad", ["0", "-3", "many"])
def test_bad_sample_size_is_named(data_copy, bad):
    _add_sample_sizes(data_copy, LIKELIHOODS_FILE, {1: bad})
    with pytest.raises(DataError, match=r"likelihoods.csv line 3, column sample_size: .*"):
        gb.load_model(data_copy)


def test_unknown_column_lists_optional_ones(data_copy):
    header, rows = read_table(data_copy / PRIORS_FILE)
    header[header.index("source")] = "sorce"
    write_table(data_copy / PRIORS_FILE, header, rows)
    with pytest.raises(DataError, match=r"sample_size \(optional\)"):
        gb.load_model(data_copy)


# -- replacing numbers ------------------------------------------------------------------------


def _index(model, label):
    return [n.label for n in model.numbers].index(label)


def test_with_numbers_changes_only_that_number(model):
    index = _index(model, "P(fever=yes | no cause (leak))")
    changed = model.with_numbers({index: 0.05})
    assert changed.numbers[index].value == 0.05
    assert changed.cpd_table("fever").iloc[0]["yes"] == pytest.approx(0.05, abs=1e-15)
    for name in model.variables:
        if name != "fever":
            assert changed.cpd_table(name).equals(model.cpd_table(name))


def test_with_no_changes_is_identical(model):
    same = model.with_numbers({})
    for name in model.variables:
        assert np.array_equal(same.cpd_table(name), model.cpd_table(name))


def test_with_numbers_checks_like_the_files(model):
    index = _index(model, "P(fever=yes | no cause (leak))")
    with pytest.raises(DataError, match=r"likelihoods.csv line \d+, column probability: 1.5 is"):
        model.with_numbers({index: 1.5})
    odds = _index(model, "OR(spinal_disorder=yes | smoker=yes)")
    line = model.numbers[odds].line
    with pytest.raises(
        DataError, match=rf"priors.csv line {line}, column value: -1.0 is not an odds"
    ):
        model.with_numbers({odds: -1.0})


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (10_000, r"number index 10000 is out of range; model.numbers has \d+ numbers"),
        ("3", r"number index '3' is not an integer"),
        (True, r"number index True is not an integer"),
    ],
)
def test_with_numbers_bad_index(model, index, message):
    with pytest.raises(DataError, match=message):
        model.with_numbers({index: 0.5})


def test_with_numbers_rejects_non_finite(model):
    with pytest.raises(DataError, match=r"new value nan for P\(age=under_40\) is not finite"):
        model.with_numbers({0: float("nan")})


# -- saving -----------------------------------------------------------------------------------


def _assert_same_model(a, b):
    assert a.variables == b.variables
    assert a.numbers == b.numbers
    for name in a.variables:
        assert np.array_equal(a.cpd_table(name).to_numpy(), b.cpd_table(name).to_numpy())
        assert a.vocabulary[name] == b.vocabulary[name]


def test_save_then_load_round_trips_exactly(model, tmp_path):
    saved = gb.load_model(model.save(tmp_path / "copy"))
    _assert_same_model(model, saved)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.0001, 0.9999), st.floats(0.01, 50.0))
def test_changed_numbers_round_trip_exactly(tmp_path_factory, leak, odds_ratio):
    model = gb.load_model()
    changed = model.with_numbers(
        {
            _index(model, "P(fever=yes | no cause (leak))"): min(leak, 0.16),
            _index(model, "OR(circulatory_disorder=yes | smoker=yes)"): odds_ratio,
        }
    )
    folder = tmp_path_factory.mktemp("saved")
    _assert_same_model(changed, gb.load_model(changed.save(folder)))


def test_save_keeps_sample_sizes(data_copy, tmp_path):
    _add_sample_sizes(data_copy, PRIORS_FILE, {2: "75.5"})
    model = gb.load_model(data_copy)
    saved = gb.load_model(model.save(tmp_path / "copy"))
    assert saved.numbers[2].sample_size == 75.5
    header, _ = read_table(tmp_path / "copy" / LIKELIHOODS_FILE)
    assert header[-1] == "sample_size"


def test_save_refuses_to_overwrite_without_permission(model, tmp_path):
    model.save(tmp_path)
    with pytest.raises(DataError, match=r"already holds variables.csv, priors.csv, likelihoods"):
        model.save(tmp_path)
    model.save(tmp_path, overwrite=True)
    _assert_same_model(model, gb.load_model(tmp_path))


def test_save_never_overwrites_the_bundled_data(model):
    with pytest.raises(DataError, match=r"refusing to overwrite the bundled data folder"):
        model.save(bundled_data_folder(), overwrite=True)


def test_save_into_a_file_is_refused(model, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(DataError, match=r"it is a file, not a folder"):
        model.save(target)


def test_save_leaves_no_temporary_files(model, tmp_path):
    model.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "aliases.csv",  # the model's evidence aliases are part of the folder
        LIKELIHOODS_FILE,
        "manifest.json",
        PRIORS_FILE,
        "variables.csv",
    ]


# -- survivors of mutation testing (issue 13): io/numbers.py ----------------------------------


def test_a_sample_size_below_one_is_valid_and_zero_is_named_in_full(data_copy):
    _add_sample_sizes(data_copy, LIKELIHOODS_FILE, {1: "0.5"})
    numbers = gb.load_model(data_copy).numbers
    number = next(n for n in numbers if n.file == LIKELIHOODS_FILE and n.line == 3)
    assert number.effective_sample_size == 0.5
    _add_sample_sizes(data_copy, PRIORS_FILE, {0: "0"})
    with pytest.raises(
        DataError,
        match=r"priors.csv line 2, column sample_size: 0 is not a sample size \(expected a "
        r"number > 0, or blank for the default of the row's source quality\)$",
    ):
        gb.load_model(data_copy)


def test_changed_numbers_keep_the_folder_and_name_the_files_of_missing_blocks(model):
    from gluteal_bn.io.numbers import specification_from_numbers

    changed = model.with_numbers({0: model.numbers[0].value})
    assert changed.folder == model.folder
    numbers = [n for n in model.numbers if not (n.variable == "fever" and n.kind == "leak")]
    with pytest.raises(DataError, match=r"likelihoods.csv: no leak for 'fever'") as caught:
        specification_from_numbers(model.folder, model.vocabulary, numbers)
    assert Path(caught.value.path) == model.folder / LIKELIHOODS_FILE
    numbers = [n for n in model.numbers if n.kind != "baseline"]
    with pytest.raises(DataError, match=r"priors.csv: no prior for ") as caught:
        specification_from_numbers(model.folder, model.vocabulary, numbers)
    assert Path(caught.value.path) == model.folder / PRIORS_FILE
