"""``gluteal-bn score`` / ``score_csv``: streamed, chunked, atomic scoring of a CSV file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gluteal_bn as gb
from gluteal_bn import DataError
from gluteal_bn.cli import main
from gluteal_bn.scoring import score_csv

CASES = "fever,age,radiation\nyes,over_60,none\n,under_40,\nno,,below_knee\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_score_writes_one_row_of_posteriors_per_case(tmp_path, capsys, model):
    source = write(tmp_path / "cases.csv", CASES)
    assert main(["score", str(source), "-o", str(tmp_path / "out.csv")]) == 0
    assert "3 cases scored" in capsys.readouterr().err
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns) == list(model.causes)
    expected = [
        {"fever": "yes", "age": "over_60", "radiation": "none"},  # 'none' is a state, not NA
        {"age": "under_40"},
        {"fever": "no", "radiation": "below_knee"},
    ]
    for position, evidence in enumerate(expected):
        np.testing.assert_allclose(out.iloc[position], model.posterior(evidence), atol=1e-15)


def test_an_id_column_is_carried_to_the_output(tmp_path, model):
    source = write(tmp_path / "cases.csv", "patient,fever\np1,yes\np2,no\n")
    assert main(["score", str(source), "-o", str(tmp_path / "out.csv"), "--id", "patient"]) == 0
    out = pd.read_csv(tmp_path / "out.csv", index_col="patient")
    assert list(out.index) == ["p1", "p2"]
    np.testing.assert_allclose(out.loc["p2"], model.posterior({"fever": "no"}), atol=1e-15)
    with pytest.raises(
        DataError, match=r"cases.csv: has no column 'case' to use as the identifier"
    ):
        score_csv(model, source, tmp_path / "x.csv", id_column="case", progress=False)


def test_a_bad_cell_names_the_line_and_writes_nothing(tmp_path, capsys):
    source = write(tmp_path / "cases.csv", CASES + "maybe,,\n")
    target = tmp_path / "out.csv"
    assert main(["score", str(source), "-o", str(target), "--chunksize", "2"]) == 2
    err = capsys.readouterr().err
    assert (
        "cases.csv line 5: column 'fever': 'maybe' is not a state of fever; expected one of "
        "['no', 'yes']" in err
    )
    assert list(tmp_path.iterdir()) == [source]  # no output, no temporary file left


def test_coerce_leaves_the_bad_row_empty(tmp_path):
    source = write(tmp_path / "cases.csv", CASES + "maybe,,\n")
    target = tmp_path / "out.csv"
    assert main(["score", str(source), "-o", str(target), "--errors", "coerce"]) == 0
    out = pd.read_csv(target)
    causes = list(gb.load_model().causes)
    assert out[causes].iloc[3].isna().all() and not out[causes].iloc[:3].isna().any().any()
    # issue 10.6: the reason is in the output, the empty row is not counted as scored
    assert out["not_scored"].iloc[:3].isna().all()
    assert out["not_scored"].iloc[3] == (
        "bad cell: column 'fever': 'maybe' is not a state of fever; expected one of ['no', 'yes']"
    )


def test_an_existing_output_survives_a_failed_run(tmp_path):
    target = write(tmp_path / "out.csv", "precious\n")
    source = write(tmp_path / "cases.csv", "feverr\nyes\n")
    with pytest.raises(
        DataError,
        match=r"cases.csv: cases has column\(s\) that are not variables of this model: 'feverr'",
    ):
        score_csv(gb.load_model(), source, target, progress=False)
    assert target.read_text() == "precious\n"


def test_file_problems_are_data_errors(tmp_path, model):
    empty = write(tmp_path / "empty.csv", "")
    with pytest.raises(DataError, match=r"empty.csv: is empty; expected a header line"):
        score_csv(model, empty, tmp_path / "out.csv", progress=False)
    with pytest.raises(DataError, match=r"folder '.*nowhere' does not exist"):
        score_csv(model, empty, tmp_path / "nowhere" / "out.csv", progress=False)
    with pytest.raises(
        DataError, match=r"chunksize must be a positive whole number of rows; got 0"
    ):
        score_csv(model, empty, tmp_path / "out.csv", chunksize=0, progress=False)
    ragged = write(tmp_path / "ragged.csv", "fever,age\nyes,over_60\nno,under_40,extra\n")
    with pytest.raises(DataError, match=r"ragged.csv line 3: has 3 fields but the header has 2"):
        score_csv(model, ragged, tmp_path / "out.csv", progress=False)


def test_a_header_only_file_gives_a_header_only_output(tmp_path, model):
    source = write(tmp_path / "cases.csv", "fever,age\n")
    assert score_csv(model, source, tmp_path / "out.csv", progress=False) == 0
    assert (tmp_path / "out.csv").read_text().strip() == ",".join(model.causes)


def test_chunks_are_scored_one_at_a_time(tmp_path, monkeypatch, model):
    # Constant memory: the scorer never holds more than one chunk of the file.
    rng = np.random.default_rng(0)
    n = 23
    frame = pd.DataFrame(
        {"fever": rng.choice(["yes", "no"], n), "age": rng.choice(["over_60", ""], n)}
    )
    source = tmp_path / "cases.csv"
    frame.to_csv(source, index=False)
    seen = []
    original = gb.DiagnosticModel.posterior_batch

    def spy(self, cases, **kwargs):
        seen.append(len(cases))
        return original(self, cases, **kwargs)

    monkeypatch.setattr(gb.DiagnosticModel, "posterior_batch", spy)
    assert score_csv(model, source, tmp_path / "out.csv", chunksize=5, progress=False) == n
    assert seen == [5, 5, 5, 5, 3]
    out = pd.read_csv(tmp_path / "out.csv")
    evidence = {"fever": frame["fever"].iloc[-1]}
    if frame["age"].iloc[-1]:
        evidence["age"] = frame["age"].iloc[-1]
    np.testing.assert_allclose(out.iloc[-1], model.posterior(evidence), atol=1e-15)


def test_the_progress_bar_goes_to_stderr(tmp_path, capsys, model):
    source = write(tmp_path / "cases.csv", CASES)
    score_csv(model, source, tmp_path / "out.csv", progress=True)
    captured = capsys.readouterr()
    assert "scoring cases.csv" in captured.err and captured.out == ""


def test_score_does_not_import_pgmpy_or_matplotlib(tmp_path):
    source = write(tmp_path / "cases.csv", CASES)
    code = (
        "import sys; from gluteal_bn.cli import main; "
        f"main(['score', {str(source)!r}, '-o', {str(tmp_path / 'o.csv')!r}]); "
        "print([m for m in ('pgmpy', 'matplotlib') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
