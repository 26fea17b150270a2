"""load_cases and data/cases.csv: the teaching vignettes, and the model's answers to them.

When a clear case fails after a change in data/, fix the numbers in priors.csv or
likelihoods.csv (with a cited reason in the source cell), never the case.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import gluteal_bn as gb
from gluteal_bn.io.model_folder import bundled_data_folder

from .conftest import bundled_model, read_table, write_table

CASES = gb.load_cases()
MODEL = bundled_model()  # the session's model (conftest.py), loaded once


@pytest.mark.parametrize("case_id", list(CASES.index[CASES["clear"]]))
def test_every_clear_case_gets_its_intended_answer(case_id):
    case = CASES.loc[case_id]
    posterior = MODEL.posterior(case["evidence"])
    assert posterior.idxmax() == case["intended_answer"], (
        f"{case_id}: {posterior.round(3).to_dict()}"
    )


def test_cases_cover_every_cause_and_the_look_alike_pairs():
    assert len(CASES) >= 24
    counts = CASES["intended_answer"].value_counts()
    assert all(counts.get(cause, 0) >= 4 for cause in MODEL.causes), counts.to_dict()
    pairs = [
        ("hip_vs_stenosis", "stenosis_vs_hip"),
        ("piriformis_vs_disc", "disc_vs_piriformis"),
        ("vascular_claudication", "neurogenic_claudication"),
        ("abscess_deep", "deep_muscle_pain"),
    ]
    for first, second in pairs:
        assert CASES.loc[first, "clear"] and CASES.loc[second, "clear"]
        assert CASES.loc[first, "intended_answer"] != CASES.loc[second, "intended_answer"]
    assert CASES["clear"].sum() >= 20 and (~CASES["clear"]).sum() >= 1


def test_loaded_columns_and_types():
    assert CASES.index.name == "case_id"
    assert list(CASES.columns) == [
        "title",
        "story",
        "evidence",
        "intended_answer",
        "clear",
        "teaching_point",
        "source",
    ]
    first = CASES.loc["abscess_classic"]
    assert first["evidence"] == {
        "fever": "yes",
        "local_redness_swelling": "yes",
        "pain_layer": "subcutaneous",
    }
    assert CASES.loc["no_clues", "evidence"] == {}
    assert CASES["clear"].dtype == bool
    assert all(s.startswith("estimate: ") or len(s) > 10 for s in CASES["source"])


@pytest.fixture
def cases_copy(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    shutil.copy(bundled_data_folder() / "cases.csv", path)
    return path


def set_cell(path: Path, case_id: str, column: str, value: str) -> int:
    header, rows = read_table(path)
    for index, row in enumerate(rows):
        if row[0] == case_id:
            row[header.index(column)] = value
            write_table(path, header, rows)
            return index + 2
    raise AssertionError(case_id)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "evidence",
            "fever",
            r"'fever' is not name=state; write items like 'fever=yes; age=over_60'",
        ),
        (
            "evidence",
            "fevr=yes",
            r"unknown variable 'fevr'; did you mean 'fever'\? Known variables: age",
        ),
        (
            "evidence",
            "fever=maybe",
            r"'maybe' is not a state of fever; expected one of \['no', 'yes'\]",
        ),
        ("evidence", "fever=yes; fever=no", r"'fever' is observed twice"),
        (
            "intended_answer",
            "fever",
            r"'fever' is a finding, not a cause; expected one of \['spinal_disorder'",
        ),
        ("intended_answer", "", r"blank; expected one of the causes"),
        ("clear", "maybe", r"'maybe' is not yes or no"),
        ("case_id", "abscess classic", r"'abscess classic' is not a valid name"),
        (
            "case_id",
            "abscess_diabetic",
            r"case id 'abscess_diabetic' is used twice \(first on line 3\)",
        ),
        ("title", "", r"blank; expected a short title"),
    ],
)
def test_malformed_rows_name_line_and_column(cases_copy, column, value, message):
    # a repeated id needs a row after the first use; every other check edits the first row
    target = "abscess_afebrile" if "twice" in message else "abscess_classic"
    line = set_cell(cases_copy, target, column, value)
    with pytest.raises(gb.DataError, match=message) as caught:
        gb.load_cases(cases_copy)
    assert caught.value.line == line
    assert caught.value.column == column
    assert str(caught.value).startswith(f"{cases_copy} line {line}, column {column}: ")


def test_file_level_errors(tmp_path, cases_copy):
    with pytest.raises(
        gb.DataError, match=r"nowhere.csv: file not found \(a cases file with columns case_id"
    ):
        gb.load_cases(tmp_path / "nowhere.csv")
    header, rows = read_table(cases_copy)
    write_table(cases_copy, [c for c in header if c != "source"], [r[:-1] for r in rows])
    with pytest.raises(gb.DataError, match=r"line 1, column source: missing column 'source'"):
        gb.load_cases(cases_copy)
    write_table(cases_copy, header, [])
    with pytest.raises(gb.DataError, match=r"holds no cases"):
        gb.load_cases(cases_copy)
    (tmp_path / "bad.csv").write_bytes(b"case_id\n\xff\n")
    with pytest.raises(gb.DataError, match=r"is not UTF-8 text"):
        gb.load_cases(tmp_path / "bad.csv")
    header, rows = read_table(bundled_data_folder() / "cases.csv")
    write_table(cases_copy, header, [[*rows[0], "extra"]])
    with pytest.raises(gb.DataError, match=r"line 2: has 9 cells but the header has 8 columns"):
        gb.load_cases(cases_copy)


def test_checks_names_against_the_variables_beside_the_file(data_copy):
    shutil.copy(bundled_data_folder() / "cases.csv", data_copy / "cases.csv")
    header, rows = read_table(data_copy / "variables.csv")
    for row in rows:
        if row[0] == "fever":
            row[2] = "no|low|high"
            row[3] = "noisy_max"
            row[header.index("state_labels")] = ""  # the labels would no longer match
    write_table(data_copy / "variables.csv", header, rows)
    with pytest.raises(
        gb.DataError,
        match=r"'yes' is not a state of fever; expected one of \['no', 'low', 'high'\]",
    ):
        gb.load_cases(data_copy / "cases.csv")


#: The look-alike cases of clinical v2 also teach which *kind* of disease: the most likely
#: non-none state of the subtype must be the one the story describes.
SUBTYPE_ANSWERS = {
    "abscess_fluctuant": ("infection_type", "abscess"),
    "phlegmon_diffuse": ("infection_type", "phlegmon"),
    "post_injection_abscess": ("infection_type", "abscess"),
    "disc_straight_leg": ("spinal_type", "disc_herniation"),
    "disc_vs_piriformis": ("spinal_type", "disc_herniation"),
    "stenosis_sits_and_bends": ("spinal_type", "spinal_stenosis"),
    "stenosis_no_groin": ("spinal_type", "spinal_stenosis"),
    "neurogenic_claudication": ("spinal_type", "spinal_stenosis"),
    "hip_groin_walker": ("hip_type", "osteoarthritis"),
}


@pytest.mark.parametrize("case_id", sorted(SUBTYPE_ANSWERS))
def test_look_alike_cases_get_their_subtype(case_id):
    subtype, expected = SUBTYPE_ANSWERS[case_id]
    distribution = MODEL.query(subtype, CASES.loc[case_id, "evidence"])[subtype]
    assert distribution.drop("none").idxmax() == expected, distribution.round(3).to_dict()


def test_every_discriminating_sign_of_v2_appears_in_a_clear_case():
    signs = {
        "sitting_effect",
        "pain_on_standing",
        "eased_by_bending_forward",
        "bilateral_symptoms",
        "weak_leg_pulses",
        "femoral_bruit",
        "straight_leg_raise",
        "fair_test",
        "groin_pain",
        "fluctuance",
        "recent_buttock_injection",
        "prolonged_sitting",
    }
    used = set().union(*(set(e) for e in CASES.loc[CASES["clear"], "evidence"]))
    assert signs <= used, sorted(signs - used)


def test_an_alias_is_valid_evidence_in_a_case(cases_copy):
    # the bundled cases keep the version-1 name worse_with_sitting (declared in aliases.csv)
    assert CASES.loc["piriformis_classic", "evidence"]["worse_with_sitting"] == "yes"
    line = set_cell(cases_copy, "piriformis_classic", "evidence", "worse_with_sitting=maybe")
    with pytest.raises(
        gb.DataError,
        match=rf"line {line}, column evidence: 'maybe' is not a state of worse_with_sitting; "
        r"expected one of \['yes', 'no'\]|\['no', 'yes'\]",
    ):
        gb.load_cases(cases_copy)
