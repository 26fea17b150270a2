"""gluteal-bn evaluate: the table, JSON, charts and one-line errors."""

from __future__ import annotations

import json

import pytest

from gluteal_bn.cli import main
from gluteal_bn.io.case_table import read_case_table as read_cases


@pytest.fixture(scope="module")
def cases_file(model, tmp_path_factory):
    path = tmp_path_factory.mktemp("evaluate") / "cases.csv"
    model.sample_cases(1500, seed=2, missing=0.2).to_csv(path, index=False)
    return path


def test_evaluate_prints_the_result(model, cases_file, capsys):
    assert main(["evaluate", str(cases_file), "--truth", *model.causes, "--seed", "1"]) == 0
    out = capsys.readouterr().out
    expected = model.evaluate(read_cases(cases_file), list(model.causes), seed=1)
    assert out == str(expected) + "\n"


def test_evaluate_json_and_renamed_truth(model, cases_file, tmp_path, capsys):
    renamed = tmp_path / "renamed.csv"
    table = read_cases(cases_file).rename(columns={"spinal_disorder": "true_spine"})
    table.to_csv(renamed, index=False)
    argv = ["evaluate", str(renamed), "--truth", "spinal_disorder=true_spine"]
    argv += [c for c in model.causes[1:]] + ["--json", "--n-boot", "50", "--seed", "3"]
    assert main(argv) == 0
    document = json.loads(capsys.readouterr().out)
    expected = model.evaluate(read_cases(cases_file), list(model.causes), n_boot=50, seed=3)
    assert document == json.loads(json.dumps(expected.to_dict()))


def test_evaluate_plot_writes_three_charts(model, cases_file, tmp_path, capsys):
    prefix = tmp_path / "eval"
    argv = ["evaluate", str(cases_file), "--truth", *model.causes, "--n-boot", "0"]
    assert main([*argv, "--plot", str(prefix), "--lang", "ru"]) == 0
    captured = capsys.readouterr()
    assert "Оценка на 1\u202f500 случаях" in captured.out  # --lang ru: the table in Russian
    for name in ("reliability", "roc", "confusion"):
        assert (tmp_path / f"eval-{name}.png").stat().st_size > 10_000
    assert "диаграммы записаны в" in captured.err  # --lang ru: this line too


@pytest.mark.parametrize(
    ("content", "truth", "message"),
    [
        ("fever,spinal_disorder\nyes,no\n", ["spinal"], r"truth column 'spinal' is not a column"),
        (
            "fever,spinal_disorder\nyes,no\nno,maybe\n",
            ["spinal_disorder"],
            r"truth 'spinal_disorder', row 3: 'maybe' is not a state of spinal_disorder; "
            r"expected one of \['no', 'yes'\]",
        ),
        ("fever,spinal_disorder\n", ["spinal_disorder"], r"cases is empty"),
        ("fever,spinal_disorder\nyes,\n", ["spinal_disorder"], r"is blank in every row"),
        ("", ["spinal_disorder"], r"cases.csv: is empty; expected a header line"),
        ("fevr,spinal_disorder\nyes,no\n", ["spinal_disorder"], r"not variables of this model"),
    ],
)
def test_evaluate_errors_are_one_line_with_status_2(content, truth, message, tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_text(content)
    assert main(["evaluate", str(path), "--truth", *truth]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gluteal-bn: error: ") and err.count("\n") == 1
    assert pytest.importorskip("re").search(message, err)


def test_evaluate_missing_file_and_plot_folder(tmp_path, cases_file, capsys):
    assert main(["evaluate", str(tmp_path / "no.csv"), "--truth", "spinal_disorder"]) == 2
    assert "no.csv: file not found (a CSV file of cases" in capsys.readouterr().err
    argv = ["evaluate", str(cases_file), "--truth", "spinal_disorder"]
    assert main([*argv, "--plot", str(tmp_path / "nowhere" / "x")]) == 2
    assert "--plot" in capsys.readouterr().err


def test_a_case_table_reads_missing_markers_as_blank_like_score(tmp_path, capsys):
    # Issue 13, item 4 (the pandas reader of `evaluate`, io/case_table.py): the cells `score`
    # reads as "not observed" (empty, NA, null, N/A, NaN, #N/A in any case) are blanks here
    # too, so one file means the same to both commands; "None"/"none" stay text (radiation
    # has a state none), and so does any other word, which is then a bad state.
    path = tmp_path / "cases.csv"
    path.write_text(
        "fever,radiation,note\nNA,none,null\n,None,N/A\nyes,,#n/a\nnan,NULL,Na\n",
        encoding="utf-8",
    )
    table = read_cases(path)
    assert list(table.index) == [2, 3, 4, 5]
    assert table["fever"].isna().tolist() == [True, True, False, True]
    assert table["radiation"].tolist()[:2] == ["none", "None"]
    assert table["radiation"].isna().tolist() == [False, False, True, True]
    assert table["note"].isna().all()
    cases = tmp_path / "evaluate.csv"
    cases.write_text("fever,spinal_disorder\nNA,yes\nyes,no\nN/A,null\n", encoding="utf-8")
    assert main(["evaluate", str(cases), "--truth", "spinal_disorder"]) == 0
    capsys.readouterr()
    cases.write_text("fever,spinal_disorder\nunknown,yes\nyes,no\n", encoding="utf-8")
    assert main(["evaluate", str(cases), "--truth", "spinal_disorder"]) == 2
    assert (
        "row 2, column 'fever': 'unknown' is not a state of fever; expected one of ['no', 'yes']"
        in capsys.readouterr().err
    )
