"""gluteal-bn ask and gluteal-bn explain: tables, JSON, charts and clean errors."""

from __future__ import annotations

import json

import pytest

from gluteal_bn.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_ask_prints_the_ranking(capsys, model):
    assert main(["ask", "fever=yes", "pain_layer=subcutaneous"]) == 0
    out = capsys.readouterr().out
    result = model.next_questions({"fever": "yes", "pain_layer": "subcutaneous"})
    assert "Evidence: Fever: yes; Depth of the pain: subcutaneous" in out
    assert f"Uncertainty about all causes: {result.entropy:.3f} bits" in out
    lines = out.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Question")))
    best = lines[start + 1]
    assert best.startswith(result.ranking["label"].iloc[0])
    assert f"{result.ranking['information_gain'].iloc[0]:.3f}" in best
    p_yes = result.answers.loc[(result.best, "yes"), "probability"]
    assert f"yes {p_yes:.0%}" in best
    assert "not for clinical decisions" in out


def test_ask_json_has_gains_answers_and_posteriors(capsys, model):
    assert main(["ask", "--json", "--target", "local_infection", "fever=yes"]) == 0
    document = json.loads(capsys.readouterr().out)
    result = model.next_questions({"fever": "yes"}, "local_infection")
    assert document["target"] == "local_infection"
    assert document["evidence"] == {"fever": "yes"}
    assert [q["variable"] for q in document["questions"]] == list(result.ranking.index)
    first = document["questions"][0]
    assert first["information_gain_bits"] == pytest.approx(
        result.ranking["information_gain"].iloc[0], abs=1e-12
    )
    posterior = model.posterior({"fever": "yes", first["variable"]: "yes"})
    assert first["answers"]["yes"]["posterior"] == pytest.approx(posterior.to_dict(), abs=1e-12)


def test_ask_when_everything_is_known(capsys, model):
    evidence = [f"{v}={model.states(v)[0]}" for v in model.risk_factors + model.findings]
    assert main(["ask", *evidence]) == 0
    assert "Nothing left to ask" in capsys.readouterr().out


def test_explain_prints_contributions(capsys, model):
    assert main(["explain", "--cause", "local_infection", "fever=yes", "age=over_60"]) == 0
    out = capsys.readouterr().out
    why = model.explain({"fever": "yes", "age": "over_60"}, "local_infection")
    assert f"{why.prior:.1%} -> {why.posterior:.1%}" in out
    line = next(row for row in out.splitlines() if row.startswith("Fever: yes"))
    assert f"{why.loc['fever=yes', 'contribution']:+.3f}" in line
    assert "-0.000" not in out
    assert "exact Shapley values over all 4 subsets" in out


def test_explain_json(capsys, model):
    assert main(["explain", "--json", "--cause", "hip_joint_disease", "hip_movement_pain=yes"]) == 0
    document = json.loads(capsys.readouterr().out)
    why = model.explain({"hip_movement_pain": "yes"}, "hip_joint_disease")
    assert document["cause"] == "hip_joint_disease"
    assert document["items"][0]["contribution"] == pytest.approx(
        why["contribution"].iloc[0], abs=1e-12
    )
    assert document["posterior"] == pytest.approx(why.posterior, abs=1e-12)


@pytest.mark.parametrize(
    "command",
    [["ask", "fever=yes"], ["explain", "--cause", "local_infection", "fever=yes"]],
)
def test_plot_is_written_atomically(tmp_path, capsys, command):
    chart = tmp_path / "chart.png"
    assert main([*command, "--plot", str(chart)]) == 0
    assert chart.read_bytes().startswith(PNG_MAGIC)
    assert not list(tmp_path.glob(".*")), "temporary file left behind"
    assert f"chart written to {chart}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["ask", "fever"], "evidence 'fever' is not NAME=STATE"),
        (["ask", "--target", "fever"], "'fever' is a finding, not a cause"),
        (["ask", "fever=maybe"], "evidence fever='maybe' is not a state of fever"),
        (["explain", "--cause", "abscess", "fever=yes"], "unknown cause 'abscess'"),
        (
            ["explain", "--cause", "local_infection", "local_infection=yes"],
            "local_infection is itself observed",
        ),
        (["ask", "--plot", "chart.gif"], "unknown chart format '.gif'"),
    ],
)
def test_errors_print_one_line_and_exit_2(tmp_path, monkeypatch, capsys, command, message):
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("gluteal-bn: error: ")
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_explain_needs_a_cause(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", "fever=yes"])
    assert exit_info.value.code == 2
    assert "the following arguments are required: --cause" in capsys.readouterr().err
