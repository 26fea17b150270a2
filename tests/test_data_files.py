"""The loader: the bundled files load, and every kind of bad file is a DataError that says where."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import DataError
from gluteal_bn.io.model_folder import bundled_data_folder, read_folder
from gluteal_bn.io.specification import SUM_TOLERANCE

from .conftest import read_table, write_table

CAUSES = (
    "spinal_disorder",
    "local_infection",
    "sciatic_neuralgia",
    "hip_joint_disease",
    "circulatory_disorder",
)


def test_bundled_folder_loads_with_the_public_vocabulary(model):
    assert model.causes == CAUSES
    assert model.risk_factors == (
        "age",
        "smoker",
        "diabetes",
        "recent_buttock_injection",
        "prolonged_sitting",
    )
    assert model.states("age") == ("under_40", "40_to_60", "over_60")
    assert model.states("pain_layer") == ("skin", "subcutaneous", "muscle", "deep")
    assert model.states("radiation") == ("none", "thigh", "below_knee")
    assert model.states("sitting_effect") == ("no_change", "worse", "relieved")
    assert model.states("spinal_type") == (
        "none",
        "disc_herniation",
        "spinal_stenosis",
        "degenerative",
    )
    assert model.states("infection_type") == ("none", "abscess", "phlegmon")
    assert model.states("hip_type") == ("none", "osteoarthritis", "inflammatory")
    assert set(model.findings) == {
        "pain_layer",
        "radiation",
        "fever",
        "weakness_malaise",
        "sitting_effect",
        "local_redness_swelling",
        "fluctuance",
        "low_back_pain",
        "claudication",
        "pain_on_standing",
        "eased_by_bending_forward",
        "bilateral_symptoms",
        "weak_leg_pulses",
        "femoral_bruit",
        "straight_leg_raise",
        "fair_test",
        "hip_movement_pain",
        "groin_pain",
        "numbness_tingling",
    }


def test_every_row_has_a_source():
    for name in ("priors.csv", "likelihoods.csv"):
        header, rows = read_table(bundled_data_folder() / name)
        for row in rows:
            source = row[header.index("source")]
            assert source.strip(), f"{name}: row {row} has no source"
            assert not source.startswith("estimate") or source.startswith("estimate: ")


def test_every_cpt_column_is_a_distribution(model):
    for variable in model.variables:
        table = model.cpd_table(variable)
        np.testing.assert_allclose(table.sum(axis=1), 1.0, atol=1e-12)
        assert (table.to_numpy() >= 0).all()


def test_load_model_reads_a_copied_folder(data_copy):
    assert gb.load_model(data_copy).prior().equals(gb.load_model().prior())


def test_a_teachers_change_moves_the_answer(data_copy, edit_cell):
    edit_cell("likelihoods.csv", {"finding": "fever", "cause": "leak"}, "probability", "0.1")
    before = gb.load_model().posterior({"fever": "yes"})["local_infection"]
    after = gb.load_model(data_copy).posterior({"fever": "yes"})["local_infection"]
    assert after < before


def test_bom_and_crlf_load_normally(data_copy):
    for path in data_copy.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert gb.load_model(data_copy).prior().equals(gb.load_model().prior())


def test_blank_lines_are_skipped(data_copy, model):
    path = data_copy / "priors.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\n\n", 3), encoding="utf-8")
    spaced = gb.load_model(data_copy)
    assert [n.value for n in spaced.numbers] == [n.value for n in model.numbers]
    for name in model.variables:
        pd.testing.assert_frame_equal(spaced.cpd_table(name), model.cpd_table(name))
    # the line numbers count the blank lines: the third number now sits on line 7, not 4
    assert [n.line for n in spaced.numbers[:4]] == [3, 5, 7, 8]


def test_sums_within_tolerance_are_rescaled_exactly(data_copy, edit_cell):
    edit_cell("priors.csv", {"variable": "age", "state": "under_40"}, "value", "0.3000004")
    age = read_folder(data_copy).parameters[0]
    assert age.probabilities.sum() == pytest.approx(1.0, abs=1e-15)


# --- missing and empty -------------------------------------------------------------------------


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match=r"model folder not found: .*nowhere"):
        gb.load_model(tmp_path / "nowhere")


def test_a_file_instead_of_a_folder(data_copy):
    with pytest.raises(
        DataError, match=r"priors.csv is a file; load_model expects the folder that holds"
    ):
        gb.load_model(data_copy / "priors.csv")


@pytest.mark.parametrize("name", ["variables.csv", "priors.csv", "likelihoods.csv"])
def test_missing_file(data_copy, name):
    (data_copy / name).unlink()
    with pytest.raises(DataError, match=rf"{name}: file not found \(a model folder needs"):
        gb.load_model(data_copy)


@pytest.mark.parametrize("name", ["variables.csv", "priors.csv", "likelihoods.csv"])
def test_empty_file(data_copy, name):
    (data_copy / name).write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=rf"{name}: file is empty; expected a header line: "):
        gb.load_model(data_copy)


def test_header_only_priors_reports_the_missing_prior(data_copy):
    (data_copy / "priors.csv").write_text(
        "variable,state,parent,parent_state,measure,value,source\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"priors.csv: no prior for 'age'; add one probability row"):
        gb.load_model(data_copy)


def test_not_utf8(data_copy):
    path = data_copy / "variables.csv"
    path.write_bytes(path.read_bytes().replace(b"38 \xc2\xb0C", b"38 \xb0C"))
    with pytest.raises(
        DataError, match=r"variables.csv: is not UTF-8 text \(bad byte at offset \d+\)"
    ):
        gb.load_model(data_copy)


# --- columns and cells --------------------------------------------------------------------------


def test_missing_column(data_copy):
    header, rows = read_table(data_copy / "likelihoods.csv")
    drop = header.index("source")
    write_table(
        data_copy / "likelihoods.csv",
        [c for c in header if c != "source"],
        [[c for i, c in enumerate(r) if i != drop] for r in rows],
    )
    with pytest.raises(
        DataError, match=r"likelihoods.csv line 1, column source: missing column 'source'"
    ):
        gb.load_model(data_copy)


def test_unknown_column_lists_the_expected_ones(data_copy):
    header, rows = read_table(data_copy / "priors.csv")
    header[header.index("source")] = "sorce"
    write_table(data_copy / "priors.csv", header, rows)
    with pytest.raises(
        DataError,
        match=r"priors.csv line 1, column sorce: unknown column 'sorce'; "
        r"expected columns: variable, state, parent",
    ):
        gb.load_model(data_copy)


def test_row_with_too_many_cells(data_copy):
    path = data_copy / "priors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"priors.csv line 3: has 8 cells but the header has 7 columns"
    ):
        gb.load_model(data_copy)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", r"'abc' is not a number"),
        ("", r"blank; expected a number"),
        ("nan", r"'nan' is not a finite number"),
        ("inf", r"'inf' is not a finite number"),
        ("1.7", r"1.7 is not a probability \(expected 0 to 1\)"),
        ("-0.1", r"-0.1 is not a probability \(expected 0 to 1\)"),
    ],
)
def test_bad_probability_names_file_line_column_and_value(edit_cell, data_copy, value, message):
    line = edit_cell("likelihoods.csv", {"finding": "fever", "cause": "leak"}, "probability", value)
    with pytest.raises(
        DataError, match=rf"likelihoods.csv line {line}, column probability: {message}"
    ) as info:
        gb.load_model(data_copy)
    assert (info.value.line, info.value.column) == (line, "probability")
    assert Path(info.value.path).name == "likelihoods.csv"


def test_bad_odds_ratio(edit_cell, data_copy):
    line = edit_cell(
        "priors.csv", {"variable": "circulatory_disorder", "parent": "smoker"}, "value", "-2"
    )
    with pytest.raises(
        DataError,
        match=rf"priors.csv line {line}, column value: -2 is not an odds ratio \(expected > 0\)",
    ):
        gb.load_model(data_copy)


@pytest.mark.parametrize(
    "where",
    [
        {"variable": "circulatory_disorder", "parent": "smoker"},
        {"variable": "infection_type", "parent": "recent_buttock_injection"},  # a subtype's
    ],
)
@pytest.mark.parametrize("value", ["0", "0.0", "-0"])
def test_an_odds_ratio_of_exactly_zero_is_refused(edit_cell, data_copy, where, value):
    # Issue 13, item 3: 0 is the edge of "expected > 0" (only -2 was tested).
    line = edit_cell("priors.csv", where, "value", value)
    with pytest.raises(
        DataError,
        match=rf"priors.csv line {line}, column value: {value} is not an odds ratio \(expected > 0\)",
    ):
        gb.load_model(data_copy)


def test_blank_source(edit_cell, data_copy):
    line = edit_cell("priors.csv", {"variable": "smoker", "state": "yes"}, "source", "")
    with pytest.raises(
        DataError, match=rf"priors.csv line {line}, column source: blank; expected a citation"
    ):
        gb.load_model(data_copy)


# --- distributions ------------------------------------------------------------------------------


def test_distribution_that_does_not_sum_to_one_states_the_tolerance(edit_cell, data_copy):
    line = edit_cell("priors.csv", {"variable": "age", "state": "under_40"}, "value", "0.2")
    pattern = (
        rf"priors.csv line {line}, column value: P\(age\) \(lines {line}-{line + 2}\) sums "
        rf"to 0.9; expected 1 \(tolerance {SUM_TOLERANCE:g}\)"
    )
    with pytest.raises(DataError, match=pattern):
        gb.load_model(data_copy)


def test_a_sum_off_by_1e_5_is_refused_and_one_off_by_1e_7_rescaled(edit_cell, data_copy):
    # Issue 13, item 2: the tolerance is 1e-6 (data/README.md); a thousandfold looser one
    # would accept 1.00001, a thousandfold tighter one would refuse 1.0000001.
    assert SUM_TOLERANCE == 1e-6
    line = edit_cell("priors.csv", {"variable": "age", "state": "under_40"}, "value", "0.30001")
    pattern = (
        rf"priors.csv line {line}, column value: P\(age\) \(lines {line}-{line + 2}\) sums "
        rf"to 1.00001; expected 1 \(tolerance 1e-06\)"
    )
    with pytest.raises(DataError, match=pattern):
        gb.load_model(data_copy)
    edit_cell("priors.csv", {"variable": "age", "state": "under_40"}, "value", "0.3000001")
    prior = gb.load_model(data_copy).cpd_table("age").to_numpy().ravel()
    assert prior.sum() == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_allclose(prior, np.array([0.3000001, 0.4, 0.3]) / 1.0000001, rtol=1e-15)


def test_a_remainder_below_zero_by_1e_5_is_refused(edit_cell, data_copy):
    # The same tolerance when the first state takes the remainder: 0.5 + 0.50001 = 1.00001.
    where = {"finding": "radiation", "cause": "leak"}
    line = edit_cell("likelihoods.csv", {**where, "state": "thigh"}, "probability", "0.5")
    edit_cell("likelihoods.csv", {**where, "state": "below_knee"}, "probability", "0.50001")
    with pytest.raises(
        DataError,
        match=rf"likelihoods.csv line {line}, column probability: P\(radiation \| no cause "
        rf"\(leak\)\) \(lines {line}-{line + 1}\) sums to 1.00001 without the first state "
        rf"'none'; expected at most 1 \(tolerance 1e-06\)",
    ):
        gb.load_model(data_copy)


def test_remainder_below_zero(edit_cell, data_copy):
    line = edit_cell(
        "likelihoods.csv",
        {"finding": "radiation", "cause": "leak", "state": "thigh"},
        "probability",
        "0.99",
    )
    with pytest.raises(
        DataError,
        match=rf"likelihoods.csv line {line}, column probability: "
        r"P\(radiation \| no cause \(leak\)\) .* without the first state 'none'",
    ):
        gb.load_model(data_copy)


def test_missing_state_in_a_block(data_copy):
    header, rows = read_table(data_copy / "likelihoods.csv")
    keep = [r for r in rows if not (r[0] == "pain_layer" and r[1] == "leak" and r[2] == "muscle")]
    write_table(data_copy / "likelihoods.csv", header, keep)
    with pytest.raises(
        DataError,
        match=r"P\(pain_layer \| no cause \(leak\)\) .* gives no number for "
        r"\['muscle'\]; list every state",
    ):
        gb.load_model(data_copy)


def test_cause_milder_than_the_leak_is_refused(edit_cell, data_copy):
    line = edit_cell(
        "likelihoods.csv", {"finding": "fever", "cause": "local_infection"}, "probability", "0.001"
    )
    with pytest.raises(
        DataError,
        match=rf"likelihoods.csv line {line}, column probability: "
        r"P\(fever=yes \| local_infection alone\) = 0.001 is below the leak",
    ):
        gb.load_model(data_copy)


def test_baseline_of_zero_is_refused(edit_cell, data_copy):
    line = edit_cell("priors.csv", {"variable": "local_infection", "parent": ""}, "value", "0")
    with pytest.raises(
        DataError,
        match=rf"priors.csv line {line}, column value: the baseline "
        r"P\(local_infection=yes\) is 0.0; a logistic prior needs it strictly",
    ):
        gb.load_model(data_copy)


# --- names ----------------------------------------------------------------------------------------


def test_unknown_variable_suggests_the_closest(edit_cell, data_copy):
    line = edit_cell("likelihoods.csv", {"finding": "fever", "cause": "leak"}, "finding", "fevr")
    with pytest.raises(
        DataError,
        match=rf"likelihoods.csv line {line}, column finding: unknown variable "
        r"'fevr'; did you mean 'fever'\? Known variables: age, ",
    ):
        gb.load_model(data_copy)


def test_unknown_state_lists_the_valid_ones(edit_cell, data_copy):
    line = edit_cell("priors.csv", {"variable": "age", "state": "over_60"}, "state", "old")
    with pytest.raises(
        DataError,
        match=rf"priors.csv line {line}, column state: 'old' is not a state "
        r"of age; expected one of \['under_40', '40_to_60', 'over_60'\]",
    ):
        gb.load_model(data_copy)


def test_unknown_measure(edit_cell, data_copy):
    line = edit_cell("priors.csv", {"variable": "age", "state": "over_60"}, "measure", "odds")
    with pytest.raises(
        DataError,
        match=rf"line {line}, column measure: 'odds' is not a measure; "
        r"expected one of \['probability', 'odds_ratio'\]",
    ):
        gb.load_model(data_copy)


def test_unknown_role_and_model(edit_cell, data_copy):
    line = edit_cell("variables.csv", {"variable": "fever"}, "role", "symptom")
    with pytest.raises(
        DataError, match=rf"variables.csv line {line}, column role: 'symptom' is not a role"
    ):
        gb.load_model(data_copy)


def test_model_not_allowed_for_role(edit_cell, data_copy):
    line = edit_cell("variables.csv", {"variable": "fever"}, "model", "logistic")
    with pytest.raises(
        DataError,
        match=rf"line {line}, column model: 'logistic' is not a model for a "
        r"finding; expected one of \['noisy_or', 'noisy_max', 'mixture', 'logit_sum'\]",
    ):
        gb.load_model(data_copy)


def test_bad_state_list(edit_cell, data_copy):
    line = edit_cell("variables.csv", {"variable": "radiation"}, "states", "none|thigh|thigh")
    with pytest.raises(
        DataError,
        match=rf"line {line}, column states: 'none\|thigh\|thigh' repeats the state 'thigh'",
    ):
        gb.load_model(data_copy)


def test_cause_with_three_states(edit_cell, data_copy):
    line = edit_cell("variables.csv", {"variable": "local_infection"}, "states", "no|maybe|yes")
    with pytest.raises(
        DataError,
        match=rf"line {line}, column states: 'local_infection' \(cause, "
        r"logistic\) needs exactly two states",
    ):
        gb.load_model(data_copy)


def test_invalid_variable_name(edit_cell, data_copy):
    line = edit_cell("variables.csv", {"variable": "fever"}, "variable", "high fever")
    with pytest.raises(
        DataError, match=rf"line {line}, column variable: 'high fever' is not a valid name"
    ):
        gb.load_model(data_copy)


# --- duplicates, missing entries, structure ------------------------------------------------------


def test_duplicate_row_names_both_lines(data_copy):
    header, rows = read_table(data_copy / "likelihoods.csv")
    index = next(i for i, r in enumerate(rows) if r[0] == "fever" and r[1] == "leak")
    rows.append(list(rows[index]))
    write_table(data_copy / "likelihoods.csv", header, rows)
    with pytest.raises(
        DataError,
        match=rf"likelihoods.csv line {len(rows) + 1}: duplicate row "
        rf"\(fever, leak, yes\); the same entry is on line {index + 2}",
    ):
        gb.load_model(data_copy)


def test_duplicate_variable(data_copy):
    header, rows = read_table(data_copy / "variables.csv")
    rows.append(list(rows[0]))
    write_table(data_copy / "variables.csv", header, rows)
    with pytest.raises(
        DataError,
        match=rf"line {len(rows) + 1}, column variable: variable 'age' is "
        r"defined twice \(first on line 2\)",
    ):
        gb.load_model(data_copy)


def test_missing_leak(data_copy):
    header, rows = read_table(data_copy / "likelihoods.csv")
    write_table(
        data_copy / "likelihoods.csv",
        header,
        [r for r in rows if not (r[0] == "claudication" and r[1] == "leak")],
    )
    with pytest.raises(
        DataError, match=r"likelihoods.csv: no leak for 'claudication': add rows with cause 'leak'"
    ):
        gb.load_model(data_copy)


def test_missing_odds_ratio_for_one_state(data_copy):
    header, rows = read_table(data_copy / "priors.csv")
    index = next(i for i, r in enumerate(rows) if r[0] == "spinal_disorder" and r[3] == "40_to_60")
    del rows[index]
    write_table(data_copy / "priors.csv", header, rows)
    with pytest.raises(
        DataError,
        match=r"'spinal_disorder' has odds ratios for 'age' but none for "
        r"age='40_to_60'; give every non-reference state one",
    ):
        gb.load_model(data_copy)


def test_odds_ratio_for_the_reference_state(edit_cell, data_copy):
    line = edit_cell(
        "priors.csv",
        {"variable": "spinal_disorder", "parent_state": "40_to_60"},
        "parent_state",
        "under_40",
    )
    with pytest.raises(
        DataError,
        match=rf"line {line}, column parent_state: 'under_40' is the reference state of 'age'",
    ):
        gb.load_model(data_copy)


def test_edge_between_causes_is_refused_so_no_cycle_can_form(data_copy):
    header, rows = read_table(data_copy / "priors.csv")
    rows.append(
        ["spinal_disorder", "yes", "hip_joint_disease", "yes", "odds_ratio", "2", "estimate: test"]
    )
    rows.append(
        ["hip_joint_disease", "yes", "spinal_disorder", "yes", "odds_ratio", "2", "estimate: test"]
    )
    write_table(data_copy / "priors.csv", header, rows)
    with pytest.raises(
        DataError,
        match=rf"priors.csv line {len(rows)}, column parent: 'hip_joint_disease' is a "
        r"cause, not a risk factor; edges run risk factors -> causes -> "
        r"findings, which keeps the network free of cycles",
    ):
        gb.load_model(data_copy)


def test_finding_as_parent_of_a_finding_is_refused(edit_cell, data_copy):
    line = edit_cell(
        "likelihoods.csv",
        {"finding": "fever", "cause": "local_infection"},
        "cause",
        "weakness_malaise",
    )
    with pytest.raises(
        DataError, match=rf"line {line}, column cause: 'weakness_malaise' is a finding, not a cause"
    ):
        gb.load_model(data_copy)


def test_finding_numbers_in_priors_are_refused(edit_cell, data_copy):
    line = edit_cell("priors.csv", {"variable": "smoker", "state": "yes"}, "variable", "fever")
    with pytest.raises(
        DataError,
        match=rf"line {line}, column variable: 'fever' is a finding; its numbers belong in likelihoods.csv",
    ):
        gb.load_model(data_copy)


def test_probability_row_with_a_parent(edit_cell, data_copy):
    line = edit_cell("priors.csv", {"variable": "age", "state": "over_60"}, "parent", "smoker")
    with pytest.raises(
        DataError, match=rf"line {line}, column parent: a probability row has no parent"
    ):
        gb.load_model(data_copy)


def test_no_cause_at_all(data_copy):
    header, rows = read_table(data_copy / "variables.csv")
    write_table(data_copy / "variables.csv", header, [r for r in rows if r[1] != "cause"])
    with pytest.raises(DataError, match=r"variables.csv: defines no cause"):
        gb.load_model(data_copy)


def test_reserved_leak_name(edit_cell, data_copy):
    line = edit_cell("variables.csv", {"variable": "fever"}, "variable", "leak")
    with pytest.raises(DataError, match=rf"line {line}, column variable: 'leak' is reserved"):
        gb.load_model(data_copy)


def test_errors_are_value_errors_and_nothing_else_escapes(data_copy):
    assert issubclass(DataError, ValueError)
    for path in data_copy.glob("*.csv"):
        path.write_text("garbage\n\x00,,,\n", encoding="utf-8")
    with pytest.raises(DataError):
        gb.load_model(data_copy)


def test_a_failed_load_leaves_the_files_untouched(data_copy, edit_cell):
    edit_cell("priors.csv", {"variable": "age", "state": "under_40"}, "value", "abc")
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    with pytest.raises(DataError):
        gb.load_model(data_copy)
    assert before == {p.name: p.read_bytes() for p in data_copy.iterdir()}


def test_editable_install_reads_the_repository_data_folder():
    # The single source of truth: an editable install must not read a stale copy.
    repo_data = Path(__file__).resolve().parents[1] / "data"
    assert bundled_data_folder() == repo_data
    assert re.search(r"numbers from .*data\)$", repr(gb.load_model()))


def test_noisy_max_cause_whose_own_effect_would_be_negative(data_copy, edit_cell):
    # Leak: none 0.7, thigh 0.1, below_knee 0.2. Cause alone: none 0.1, thigh 0.0, below 0.9:
    # F_cause/F_leak = 0.1/0.7 = 0.143 then 0.1/0.8 = 0.125, a decrease -> impossible.
    edit_cell(
        "likelihoods.csv",
        {"finding": "radiation", "cause": "leak", "state": "thigh"},
        "probability",
        "0.1",
    )
    edit_cell(
        "likelihoods.csv",
        {"finding": "radiation", "cause": "leak", "state": "below_knee"},
        "probability",
        "0.2",
    )
    line = edit_cell(
        "likelihoods.csv",
        {"finding": "radiation", "cause": "sciatic_neuralgia", "state": "thigh"},
        "probability",
        "0.0",
    )
    edit_cell(
        "likelihoods.csv",
        {"finding": "radiation", "cause": "sciatic_neuralgia", "state": "below_knee"},
        "probability",
        "0.9",
    )
    with pytest.raises(
        DataError,
        match=rf"likelihoods.csv line {line}, column probability: with the leak divided out, "
        r"sciatic_neuralgia alone would give radiation='thigh' a negative probability",
    ):
        gb.load_model(data_copy)


def _rename_cause_states(folder: Path, absent: str, present: str) -> None:
    """Every cause's states become ``absent|present`` in variables.csv and priors.csv."""
    header, rows = read_table(folder / "variables.csv")
    causes = set()
    for row in rows:
        if row[header.index("role")] == "cause":
            row[header.index("states")] = f"{absent}|{present}"
            causes.add(row[header.index("variable")])
    write_table(folder / "variables.csv", header, rows)
    header, rows = read_table(folder / "priors.csv")
    for row in rows:
        if row[header.index("variable")] in causes:
            state = header.index("state")
            row[state] = {"no": absent, "yes": present}[row[state]]
    write_table(folder / "priors.csv", header, rows)


def test_causes_named_absent_present_condition_on_their_own_present_state(model, data_copy):
    # Regression (issue 8.7): the loader wrote parent_state="yes" for every cause's number.
    _rename_cause_states(data_copy, "absent", "present")
    renamed = gb.load_model(data_copy)
    # (numbers linked to a subtype's state condition on that state, not on the cause's)
    alone = [n for n in renamed.numbers if n.kind == "cause_alone" and n.parent in renamed.causes]
    assert alone and {n.parent_state for n in alone} == {"present"}
    assert {n.parent_state for n in renamed.numbers if n.kind == "leak"} == {""}
    original = {(n.variable, n.state, n.parent): n.value for n in model.numbers}
    assert all(original[n.variable, n.state, n.parent] == n.value for n in alone)
    evidence = {"fever": "yes", "low_back_pain": "yes"}
    assert np.allclose(renamed.posterior(evidence), model.posterior(evidence), atol=1e-12)
    assert renamed.states("local_infection") == ("absent", "present")


def test_a_cell_over_the_csv_field_limit_is_a_data_error_naming_the_file(data_copy):
    path = data_copy / "priors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, 'age,under_40,,,probability,0.1,"' + "x" * 200_000)  # a quote never closed
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"priors.csv line \d+: a cell is longer than 131,072 characters; most often a "
        r"double quote \(\"\) opens a cell that is never closed",
    ):
        read_folder(data_copy)


@pytest.mark.parametrize("raw", ["1_0", "0.1_5", "1__0"])
def test_numbers_with_underscores_are_not_numbers(edit_cell, data_copy, raw):
    line = edit_cell("priors.csv", {"measure": "odds_ratio"}, "value", raw)
    with pytest.raises(
        DataError, match=rf"priors.csv line {line}, column value: '{raw}' is not a number"
    ):
        read_folder(data_copy)
