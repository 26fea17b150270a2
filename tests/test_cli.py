"""The gluteal-bn command: tables, JSON, charts, the demo, and clean errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import gluteal_bn as gb
from gluteal_bn.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_query_prints_prior_and_posterior_side_by_side(capsys, model):
    assert main(["query", "fever=yes", "local_redness_swelling=yes"]) == 0
    out = capsys.readouterr().out
    assert "Evidence: Fever: yes; Redness / swelling of buttock: yes" in out
    assert "Prior  Posterior" in out
    posterior = model.posterior({"fever": "yes", "local_redness_swelling": "yes"})
    line = next(row for row in out.splitlines() if row.startswith(model.labels["local_infection"]))
    assert line.split()[-1] == f"{posterior['local_infection']:.1%}"
    assert "not for clinical decisions" in out


def test_query_json_is_machine_readable(capsys, model):
    assert main(["query", "--json", "claudication=yes", "age=over_60"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["evidence"] == {"claudication": "yes", "age": "over_60"}
    assert list(document["posterior"]) == list(model.causes)
    expected = model.posterior({"claudication": "yes", "age": "over_60"})
    assert document["posterior"] == pytest.approx(expected.to_dict(), abs=1e-12)
    assert document["prior"] == pytest.approx(model.prior().to_dict(), abs=1e-12)


def test_query_without_evidence_prints_the_prior(capsys):
    assert main(["query"]) == 0
    assert "Evidence: (no evidence)" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_query_plot_writes_the_chart(tmp_path, capsys, suffix):
    chart = tmp_path / f"chart{suffix}"
    assert main(["query", "fever=yes", "--plot", str(chart)]) == 0
    assert chart.stat().st_size > 1000
    assert not list(tmp_path.glob(".*")), "temporary file left behind"
    assert f"chart written to {chart}" in capsys.readouterr().out


def test_demo_prints_the_case_and_writes_the_chart(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Most likely cause: " + gb.load_model().labels["local_infection"] in out
    assert (tmp_path / "gluteal_bn_demo.png").read_bytes().startswith(PNG_MAGIC)


def test_variables_lists_names_and_states(capsys):
    assert main(["variables"]) == 0
    out = capsys.readouterr().out
    assert "radiation" in out and "none|thigh|below_knee" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "fevr=yes"], r"unknown variable 'fevr' in evidence; did you mean 'fever'\?"),
        (["query", "fever=maybe"], r"evidence fever='maybe' is not a state of fever"),
        (["query", "fever"], r"evidence 'fever' is not NAME=STATE, e.g. fever=yes"),
        (["query", "fever=yes=no"], r"evidence 'fever=yes=no' is not NAME=STATE"),
        (
            ["query", "fever=yes", "fever=no"],
            r"evidence names 'fever' twice \(fever=yes, fever=no\)",
        ),
        (
            ["query", "fever=yes", "--plot", "chart.jpg2"],
            r"--plot 'chart.jpg2': unknown chart format '.jpg2'",
        ),
        (["query", "--plot", "no/such/folder/c.png"], r"folder 'no/such/folder' does not exist"),
        (["query", "--data", "no_such_folder"], r"model folder not found: no_such_folder"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_status_2(
    argv, message, capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gluteal-bn: error: ")
    assert re.search(message, lines[0]), lines[0]
    assert list(tmp_path.iterdir()) == [], "a failed command wrote something"


def test_bad_data_folder_error_names_file_and_line(data_copy, edit_cell, capsys):
    line = edit_cell("priors.csv", {"variable": "smoker", "state": "yes"}, "value", "x")
    assert main(["query", "--data", str(data_copy), "fever=yes"]) == 2
    assert f"priors.csv line {line}, column value: 'x' is not a number" in capsys.readouterr().err


def test_console_script_is_installed_and_does_not_import_pgmpy():
    beside_python = Path(sys.executable).with_name("gluteal-bn")
    exe = str(beside_python) if beside_python.exists() else shutil.which("gluteal-bn")
    assert exe, "the gluteal-bn console script is not installed"
    done = subprocess.run(
        [exe, "query", "--json", "fever=yes"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["evidence"] == {"fever": "yes"}
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from gluteal_bn.cli import main; main(['query','fever=yes']); "
            "print([m for m in ('pgmpy','matplotlib') if m in sys.modules], file=sys.stderr)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.stderr.strip() == "[]"


def _defaults(function, names):
    import inspect

    parameters = inspect.signature(function).parameters
    return {name: parameters[name].default for name in names}


def test_score_and_evaluate_without_options_use_the_documented_defaults(
    tmp_path, monkeypatch, capsys
):
    # Issue 13, item 8: each option left out takes the default its help and the README
    # document (--errors raise, formulas escaped, nothing copied), which is also the Python
    # API's own default (the CLI holds no logic the API lacks).
    import gluteal_bn.evaluation
    import gluteal_bn.io.scoring

    score_defaults = _defaults(
        gluteal_bn.io.scoring.score_file,
        ["chunksize", "errors", "id_column", "keep", "escape_formulas"],
    )
    evaluate_defaults = _defaults(gluteal_bn.evaluation.evaluate, ["n_boot", "seed", "bins"])
    calls = {}

    def spy(name, real):
        def record(*args, **kwargs):
            calls[name] = kwargs
            return real(*args, **kwargs)

        return record

    monkeypatch.setattr(
        gluteal_bn.io.scoring, "score_file", spy("score", gluteal_bn.io.scoring.score_file)
    )
    monkeypatch.setattr(
        gluteal_bn.evaluation, "evaluate", spy("evaluate", gluteal_bn.evaluation.evaluate)
    )
    cases = tmp_path / "cases.csv"
    cases.write_text("fever,spinal_disorder\nyes,yes\nno,no\nyes,no\n", encoding="utf-8")
    assert main(["score", str(cases), "-o", str(tmp_path / "out.csv")]) == 0
    documented = {"errors": "raise", "id_column": None, "escape_formulas": True}
    assert score_defaults == {**score_defaults, **documented}
    assert list(calls["score"].pop("keep")) == list(score_defaults.pop("keep")) == []
    assert calls["score"] == score_defaults
    assert main(["evaluate", str(cases), "--truth", "spinal_disorder", "--json"]) == 0
    assert calls["evaluate"] == evaluate_defaults
    capsys.readouterr()
    # --errors raise is the default: a bad cell stops the run and writes nothing
    cases.write_text("fever\nmaybe\n", encoding="utf-8")
    assert main(["score", str(cases), "-o", str(tmp_path / "bad.csv")]) == 2
    assert "'maybe' is not a state of fever" in capsys.readouterr().err
    assert not (tmp_path / "bad.csv").exists()
