"""model.validate(): the literature check (issue 9).

The model's figures are checked against a brute-force computation on pgmpy's joint
distribution (not against numbers written here), the verdict rule on constructed values, and
every malformed row against its DataError message.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from gluteal_bn import DataError
from gluteal_bn.cli import main
from gluteal_bn.network import quiet, variable_elimination
from gluteal_bn.reasoning.validation import (
    MEASURES,
    VERDICTS,
    ValidationResult,
    judge,
    plot_validation,
    read_validation,
    sensitivity_specificity,
)

from .conftest import bundled_model, read_table, write_table

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
RESULT = MODEL.validate()
VALIDATION = Path(MODEL.folder) / "validation.csv"


def _brute_force(row) -> float:
    """The row's figure from pgmpy's exact joint of the few variables involved."""
    condition, _, wanted = row.condition.partition("=")
    items = [item.strip() for item in row.population.split(";") if item.strip()]
    population = {}
    for item in items:
        name, _, states = item.partition("=")
        population[name] = states.split("|")
    names = [row.finding, condition, *population]
    with quiet():
        joint = variable_elimination(MODEL.network).query(names, joint=True, show_progress=False)
    values = np.asarray(joint.values)
    index = {name: joint.variables.index(name) for name in names}
    states = {name: list(joint.state_names[name]) for name in names}

    def mass(condition_states: list[str], finding_positive: bool | None) -> float:
        total = 0.0
        for position in np.ndindex(values.shape):
            chosen = {name: states[name][position[index[name]]] for name in names}
            if any(chosen[name] not in allowed for name, allowed in population.items()):
                continue
            if chosen[condition] not in condition_states:
                continue
            if finding_positive is not None and (
                (chosen[row.finding] == row.finding_state) != finding_positive
            ):
                continue
            total += float(values[position])
        return total

    all_states = MODEL.states(condition)
    positive = [wanted] if wanted else [all_states[-1]]
    negative = [s for s in all_states if s not in positive]

    def sens() -> float:
        return mass(positive, True) / mass(positive, None)

    def spec() -> float:  # a case-control population may rule the other side out
        return mass(negative, False) / mass(negative, None)

    return {
        "sensitivity": sens,
        "specificity": spec,
        "lr_positive": lambda: sens() / (1 - spec()),
        "lr_negative": lambda: (1 - sens()) / spec(),
    }[row.measure]()


@pytest.mark.parametrize("row", RESULT.rows, ids=[row.id for row in RESULT.rows])
def test_implied_figures_equal_a_brute_force_on_pgmpy(row):
    assert row.implied == pytest.approx(_brute_force(row), rel=1e-9, abs=1e-12)


def test_the_bundled_file_has_dependent_and_independent_rows_of_every_measure():
    frame = RESULT.to_frame()
    assert set(frame["measure"]) == set(MEASURES)
    assert frame["dependent"].any() and (~frame["dependent"]).any()
    assert len(frame) == sum(RESULT.counts().values())
    for verdict in VERDICTS:
        assert RESULT.counts()[verdict] == (
            RESULT.counts(dependent=True)[verdict] + RESULT.counts(dependent=False)[verdict]
        )


def test_each_row_verdict_follows_the_rule():
    for row in RESULT.rows:
        assert row.verdict == judge(
            row.measure, row.published, row.implied, row.ci_low, row.ci_high
        )


@pytest.mark.parametrize(
    ("measure", "published", "implied", "ci", "expected"),
    [
        ("lr_positive", 3.7, 3.7, (2.9, 4.8), "inside_ci"),
        ("lr_positive", 3.7, 2.9, (2.9, 4.8), "inside_ci"),  # the bounds belong to the interval
        ("lr_positive", 3.7, 4.81, (2.9, 4.8), "within_2x"),
        ("lr_positive", 3.0, 6.0, (None, None), "within_2x"),
        ("lr_positive", 3.0, 6.01, (None, None), "off"),
        ("lr_negative", 0.4, 0.199, (None, None), "off"),
        ("lr_negative", 0.4, 0.2, (None, None), "within_2x"),
        # sensitivity and specificity are compared as odds: 0.5 (odds 1) vs 2/3 (odds 2)
        ("sensitivity", 0.5, 2 / 3, (None, None), "within_2x"),
        ("sensitivity", 0.5, 0.67, (None, None), "off"),
        ("specificity", 0.28, 0.88, (0.18, 0.40), "off"),
        ("specificity", 0.9, 0.8, (None, None), "off"),  # 0.8 vs 0.9 is odds 4 vs 9
        ("specificity", 0.9, 0.82, (None, None), "within_2x"),
    ],
)
def test_judge(measure, published, implied, ci, expected):
    assert judge(measure, published, implied, *ci) == expected


def test_judge_rejects_an_unknown_measure():
    with pytest.raises(ValueError, match=r"measure 'ppv' is not one of \['sensitivity'"):
        judge("ppv", 0.5, 0.5)


def test_sensitivity_specificity_of_a_cause_and_of_a_subtype_state():
    sens, spec = sensitivity_specificity(MODEL, "fever", "yes", "local_infection")
    infected = MODEL.query("fever", {"local_infection": "yes"})["fever"]["yes"]
    healthy = MODEL.query("fever", {"local_infection": "no"})["fever"]["no"]
    assert (sens, spec) == pytest.approx((infected, healthy), abs=1e-12)
    sens, spec = sensitivity_specificity(
        MODEL, "fluctuance", "yes", "infection_type=abscess", {"local_infection": "yes"}
    )
    phlegmon = MODEL.query("fluctuance", {"local_infection": "yes", "infection_type": "phlegmon"})[
        "fluctuance"
    ]["no"]
    assert spec == pytest.approx(phlegmon, abs=1e-12)  # with infection, not abscess = phlegmon


def test_presentations():
    frame = RESULT.to_frame()
    assert frame.index.name == "id" and frame.index.is_unique
    assert frame.loc[RESULT.rows[0].id, "implied"] == RESULT.rows[0].implied
    document = RESULT.to_dict()
    assert json.loads(json.dumps(document))["counts"]["independent"] == RESULT.counts(
        dependent=False
    )
    text = str(RESULT)
    assert "# independent rows" in text and RESULT.rows[-1].id in text
    assert f"{RESULT.counts(dependent=False)['off']} off" in text.splitlines()[-1]
    assert "<table>" in RESULT._repr_html_() and "independent rows" in RESULT._repr_html_()
    assert repr(RESULT).startswith(f"ValidationResult({len(RESULT.rows)} rows;")
    with pytest.raises(AttributeError):
        RESULT.rows = ()  # frozen


def test_plot_draws_one_marker_per_row_on_a_log_axis():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    try:
        returned = plot_validation(RESULT, ax=ax)
        assert returned is ax
        assert ax.get_xscale() == "log"
        markers = [line for line in ax.get_lines() if line.get_marker() in {"o", "s", "D"}]
        assert len(markers) == len(RESULT.rows)
        # one shape per verdict, so that the chart reads in grey (rows drawn bottom-up)
        shapes = {"inside_ci": "o", "within_2x": "s", "off": "D"}
        expected = [shapes[row.verdict] for row in reversed(RESULT.rows)]
        assert [line.get_marker() for line in markers] == expected
        labels = [tick.get_text() for tick in ax.get_yticklabels()]
        assert labels[-1].startswith(RESULT.rows[0].id)
        hollow = [m for m in markers if m.get_markerfacecolor() == "white"]
        assert len(hollow) == sum(not row.dependent for row in RESULT.rows)
    finally:
        plt.close(figure)
    own = RESULT.plot()
    assert own.get_xscale() == "log"
    plt.close(own.figure)


def test_cli_prints_the_table_and_the_counts(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    dependent = RESULT.counts(dependent=True)
    assert f"dependent rows:   {dependent['inside_ci']} inside_ci" in out
    assert "independent rows:" in out
    assert main(["validate", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["counts"]["all"] == RESULT.counts()


def test_cli_writes_the_chart(tmp_path, capsys):
    chart = tmp_path / "validation.png"
    assert main(["validate", "--plot", str(chart)]) == 0
    assert chart.stat().st_size > 0
    assert "chart written to" in capsys.readouterr().out


# -- malformed files -----------------------------------------------------------------------


def _copy_with(tmp_path: Path, column: str, value: str, row: int = 0) -> tuple[Path, int]:
    path = tmp_path / "validation.csv"
    header, rows = read_table(VALIDATION)
    rows[row][header.index(column)] = value
    write_table(path, header, rows)
    return path, row + 2


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("id", "has space", r"'has space' is not an id"),
        ("finding", "fevr", r"'fevr' is not a variable; expected one of \["),
        ("finding_state", "maybe", r"'maybe' is not a state of claudication; expected one of"),
        ("condition", "spinal", r"'spinal' is not a cause; expected a cause \["),
        (
            "condition",
            "spinal_type=none",
            r"'spinal_type=none': 'none' is not a state of spinal_type",
        ),
        ("condition", "age=over_60", r"'age=over_60': 'age' is not a subtype"),
        ("population", "age", r"'age' is not name=state"),
        ("population", "age=old", r"'old' is not a state of age; expected one of"),
        ("population", "agee=over_60", r"'agee' is not a variable"),
        ("population", "claudication=no", r"'claudication' is the finding or the condition"),
        ("population", "age=over_60; age=under_40", r"'age' appears twice"),
        ("measure", "ppv", r"'ppv' is not a measure; expected one of \['sensitivity'"),
        ("value", "high", r"'high' is not a number"),
        ("value", "", r"blank; expected a number"),
        ("value", "-1", r"-1.0 is not a likelihood ratio"),
        ("value", "9", r"9.0 lies outside its interval 2.9-4.8"),
        ("ci_high", "", r"blank while the other bound is given"),
        ("citation", "", r"blank; expected a section of docs/evidence.md"),
        ("sets_model_number", "maybe", r"'maybe': expected 'yes'"),
    ],
)
def test_a_malformed_row_is_a_data_error_naming_line_and_column(tmp_path, column, value, message):
    path, line = _copy_with(tmp_path, column, value)
    with pytest.raises(DataError, match=rf"validation.csv line {line}, column {column}: {message}"):
        MODEL.validate(path)


def test_a_probability_measure_outside_zero_one(tmp_path):
    header, rows = read_table(VALIDATION)
    row = next(i for i, r in enumerate(rows) if r[header.index("measure")] == "sensitivity")
    rows[row][header.index("value")] = "1.5"
    rows[row][header.index("ci_low")] = ""
    rows[row][header.index("ci_high")] = ""
    path = tmp_path / "validation.csv"
    write_table(path, header, rows)
    with pytest.raises(
        DataError,
        match=rf"line {row + 2}, column value: 1.5 is not a sensitivity strictly between 0 and 1",
    ):
        MODEL.validate(path)


def test_a_repeated_id_and_a_short_row(tmp_path):
    header, rows = read_table(VALIDATION)
    path = tmp_path / "validation.csv"
    write_table(path, header, [rows[0], rows[0]])
    with pytest.raises(DataError, match=rf"line 3, column id: id '{rows[0][0]}' is used twice"):
        MODEL.validate(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, rows[0][:3]])
    with pytest.raises(DataError, match=r"line 2: has 3 cells but the header has 11 columns"):
        MODEL.validate(path)


def test_a_missing_column_or_file(tmp_path):
    header, rows = read_table(VALIDATION)
    path = tmp_path / "validation.csv"
    keep = [i for i, name in enumerate(header) if name != "citation"]
    write_table(path, [header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    with pytest.raises(DataError, match=r"line 1, column citation: missing column 'citation'"):
        MODEL.validate(path)
    with pytest.raises(DataError, match=r"nowhere.csv: no validation file here"):
        MODEL.validate(tmp_path / "nowhere.csv")


def test_an_impossible_population_names_the_line(tmp_path):
    header, rows = read_table(VALIDATION)
    rows = rows[:1]
    rows[0][header.index("condition")] = "local_infection"
    rows[0][header.index("population")] = "infection_type=abscess"
    path = tmp_path / "validation.csv"
    write_table(path, header, rows)
    with pytest.raises(
        DataError, match=r"line 2, column population: the model cannot evaluate this comparison"
    ):
        MODEL.validate(path)


def test_a_specificity_row_may_rule_out_the_condition_like_a_case_control_study(tmp_path):
    header, rows = read_table(VALIDATION)
    row = rows[0]
    row[header.index("finding")] = "groin_pain"
    row[header.index("finding_state")] = "yes"
    row[header.index("condition")] = "hip_type=osteoarthritis"
    row[header.index("population")] = "spinal_type=spinal_stenosis; hip_joint_disease=no"
    row[header.index("measure")] = "specificity"
    row[header.index("value")] = "0.7"
    row[header.index("ci_low")] = row[header.index("ci_high")] = ""
    path = tmp_path / "validation.csv"
    write_table(path, header, [row])
    (result,) = MODEL.validate(path).rows
    expected = MODEL.query(
        "groin_pain", {"spinal_type": "spinal_stenosis", "hip_joint_disease": "no"}
    )["groin_pain"]["no"]
    assert result.implied == pytest.approx(expected, abs=1e-12)
    row[header.index("measure")] = "lr_positive"  # needs the condition's side too
    write_table(path, header, [row])
    with pytest.raises(DataError, match=r"line 2, column population: the model cannot evaluate"):
        MODEL.validate(path)


def test_read_validation_returns_checked_rows_in_file_order():
    rows = read_validation(VALIDATION, MODEL)
    _, raw = read_table(VALIDATION)
    assert [row.id for row in rows] == [r[0] for r in raw]
    soft = next(row for row in rows if "|" in row.population)
    assert all(value == 1.0 for value in next(iter(soft.soft.values())).values())


def test_result_type_is_exported_for_annotations():
    assert isinstance(RESULT, ValidationResult)
    assert all(math.isfinite(row.implied) for row in RESULT.rows)


def _latin_words(text: str) -> set[str]:
    """Latin words of three letters or more, leaving out the rows' ids and studies (names
    of validation.csv's rows and of authors, which a Russian reference list keeps too)."""
    import re

    for row in RESULT.rows:
        text = text.replace(row.id, "").replace(row.citation.split("#")[-1], "")
    return set(re.findall(r"\b[A-Za-z]{3,}\b", text)) - {"FAIR"}  # the test's name in Russian too


def test_the_literature_check_speaks_russian_in_text_html_chart_and_command_line(
    capsys, monkeypatch
):
    import re

    text = RESULT.to_text("ru")
    assert "зависимые строки:" in text and "внутри ДИ" in text
    assert not _latin_words(text), _latin_words(text)
    assert not re.search(r"\d\.\d", text)  # a decimal comma
    page = RESULT.to_html("ru")
    heads = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", page)
    assert heads and all(re.search("[а-яё]", head, re.I) for head in heads), heads
    cells = " ".join(re.findall(r"<td(?: [^>]*)?>(.*?)</td>", page))
    assert not _latin_words(re.sub(r"<[^>]+>", " ", cells))
    assert "Возрастная группа: 40–60 лет или старше 60 лет" in page  # the population in words
    # English keeps its identifiers, and the data stay identifiers in both
    english = RESULT.to_text("en")
    monkeypatch.setenv("GLUTEAL_BN_LANG", "ru")
    assert str(RESULT) == text and RESULT._repr_html_() == page
    monkeypatch.setenv("GLUTEAL_BN_LANG", "en")
    assert str(RESULT) == english
    assert not re.search("[а-яё]", english + RESULT.to_html("en"))
    assert RESULT.to_dict()["rows"][0]["verdict"] in ("inside_ci", "within_2x", "off")
    assert main(["validate", "--lang", "ru"]) == 0
    assert text in capsys.readouterr().out


def test_the_literature_check_chart_speaks_russian():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = RESULT.plot(language="ru")
    try:
        words = [ax.get_title("right"), ax.get_xlabel()]
        words += [tick.get_text() for tick in ax.get_yticklabels()]
        words += [text.get_text() for text in ax.figure.legends[0].get_texts()]
        assert all(not _latin_words(word) for word in words), words
        assert ax.get_title("right").startswith("Сверка с литературой")
        row = RESULT.rows[0]
        label = ax.get_yticklabels()[-1].get_text()
        assert label.endswith(f"; {row.citation.split('#')[-1]})"), label
    finally:
        plt.close(ax.figure)
