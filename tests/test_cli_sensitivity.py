"""gluteal-bn sensitivity: table, JSON, tornado chart, clean errors."""

from __future__ import annotations

import json

import pytest

from gluteal_bn.cli import main
from gluteal_bn.i18n import translation

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EVIDENCE = {"fever": "yes", "diabetes": "yes"}
ARGS = ["sensitivity", "--cause", "local_infection", "fever=yes", "diabetes=yes"]


def test_table_lists_the_numbers_that_move_the_cause_most(capsys, model):
    assert main([*ARGS, "--top", "3"]) == 0
    out = capsys.readouterr().out
    expected = model.sensitivity(EVIDENCE, "local_infection").top(3)
    assert f"= {expected.posterior:.1%}" in out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Number"))
    rows = lines[start + 1 : start + 4]
    words = [
        translation("en").number_text(model.vocabulary, model.numbers[i])
        for i in expected["number"]
    ]
    assert [row[: len(word)] for row, word in zip(rows, words, strict=True)] == words
    assert rows[0].split()[-1] == f"{expected['swing'].iloc[0]:.1%}"
    assert "not for clinical decisions" in out


def test_json_carries_every_column(capsys, model):
    assert main([*ARGS, "--json", "--top", "5"]) == 0
    document = json.loads(capsys.readouterr().out)
    expected = model.sensitivity(EVIDENCE, "local_infection").head(5)
    assert document["evidence"] == EVIDENCE
    assert document["cause"] == "local_infection"
    assert [row["label"] for row in document["numbers"]] == list(expected["label"])
    assert [row["swing"] for row in document["numbers"]] == pytest.approx(list(expected["swing"]))


def test_plot_writes_a_tornado_png(capsys, tmp_path):
    target = tmp_path / "tornado.png"
    assert main([*ARGS, "--plot", str(target)]) == 0
    assert target.read_bytes().startswith(PNG_MAGIC)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tornado.png"]
    assert f"chart written to {target}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sensitivity", "--cause", "fever"], r"'fever' is a finding, not a cause"),
        (["sensitivity", "--cause", "local_infection", "fever"], r"'fever' is not NAME=STATE"),
        ([*ARGS, "--top", "0"], r"--top 0: expected a positive number of rows"),
        ([*ARGS, "--plot", "chart.gif"], r"unknown chart format '.gif'"),
    ],
)
def test_errors_are_one_line_with_status_2(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("gluteal-bn: error: ")
    assert len(err.strip().splitlines()) == 1
    import re

    assert re.search(message, err)


def test_cause_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["sensitivity", "fever=yes"])
    assert exit_info.value.code == 2
    assert "--cause" in capsys.readouterr().err


def test_without_top_the_table_json_and_chart_list_ten_numbers(
    capsys, model, monkeypatch, tmp_path
):
    # Issue 13, item 8: every other test passes --top; the documented default is 10.
    table = model.sensitivity(EVIDENCE, "local_infection")
    assert len(table) > 11  # more numbers than the default shows
    assert main([*ARGS, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [row["label"] for row in document["numbers"]] == list(table.head(10)["label"])
    assert main(ARGS) == 0
    default = capsys.readouterr().out
    assert main([*ARGS, "--top", "10"]) == 0
    assert default == capsys.readouterr().out
    assert main([*ARGS, "--top", "11"]) == 0
    assert default != capsys.readouterr().out
    import gluteal_bn.plotting

    tops = []
    drawn = gluteal_bn.plotting.plot_sensitivity
    monkeypatch.setattr(
        gluteal_bn.plotting,
        "plot_sensitivity",
        lambda result, **options: tops.append(options["top"]) or drawn(result, **options),
    )
    assert main([*ARGS, "--plot", str(tmp_path / "tornado.png")]) == 0
    assert tops == [10]
