"""The string catalogue: every string a person reads has a Russian translation.

The msgids are extracted from the source itself (every ``gettext``/``pgettext`` call with
literal strings, found by walking the syntax tree of each module) and from the labels in
``data/variables.csv``; the Russian ``.po`` file must translate each one, keep its
``{placeholders}``, and carry nothing stale.

    python tests/test_i18n.py   # prints the msgids the Russian catalogue lacks
"""

from __future__ import annotations

import ast
import csv
import json
import re
import string
from pathlib import Path

import pytest

import gluteal_bn as gb
from gluteal_bn.i18n import (
    ENVIRONMENT_VARIABLE,
    LANGUAGES,
    read_po,
    resolve_language,
    translation,
)
from gluteal_bn.io.model_folder import bundled_data_folder

SOURCE = Path(gb.__file__).parent
CATALOGUE = SOURCE / "i18n" / "ru.po"
SEPARATOR = "\x04"


def source_messages() -> set[str]:
    """Every msgid the package asks for (``context\\x04msgid`` with a literal context)."""
    found: set[str] = set()
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            strings = [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            if name in ("gettext", "N_") and len(strings) == 1:
                found.add(strings[0])
            elif name == "pgettext" and len(strings) == 2:
                found.add(strings[0] + SEPARATOR + strings[1])
    return found


def data_messages(folder: Path | None = None) -> set[str]:
    """Every variable label and state label of a model folder, as the catalogue keys them."""
    with (folder or bundled_data_folder()).joinpath("variables.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    model = gb.load_model(folder) if folder else gb.load_model()
    found = set()
    for row in rows:
        variable = model.vocabulary[row["variable"]]
        found.add("variable" + SEPARATOR + variable.label)
        found.update("state" + SEPARATOR + label for label in variable.state_labels)
    return found


def _missing(messages: set[str], catalogue: dict[str, str]) -> list[str]:
    missing = []
    for key in sorted(messages):
        # a message in a context may be translated in it or without one
        bare = key.split(SEPARATOR, 1)[-1]
        if key not in catalogue and bare not in catalogue:
            missing.append(key.replace(SEPARATOR, " | "))
    return missing


def test_the_extraction_finds_the_strings_of_the_plots():
    messages = source_messages()
    assert {"prior", "posterior", "observed", "Given {evidence}"} <= messages
    assert "state" + SEPARATOR + "yes" in data_messages()
    assert len(messages) > 40


def test_every_gettext_call_in_the_package_names_its_message_literally():
    """So that the extraction above cannot miss a message (the catalogue itself aside)."""
    dynamic = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.parent.name == "i18n":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = isinstance(node, ast.Call) and getattr(node.func, "attr", None)
            if name in ("gettext", "pgettext", "ngettext") and not all(
                isinstance(arg, ast.Constant) for arg in node.args
            ):
                dynamic.append(f"{path.name}:{node.lineno}")
    assert not dynamic, dynamic


def test_russian_covers_every_string_of_the_source_and_the_data():
    catalogue = read_po(CATALOGUE)
    missing = _missing(source_messages() | data_messages(), catalogue)
    assert not missing, f"ru.po lacks {len(missing)} translations: {missing}"


def test_every_table_head_people_read_comes_from_the_catalogue():
    """The heads of the displayed tables (display.Column) are catalogue messages, so that the
    test above covers them; only symbols ("n") and blanks are written as they are."""
    literal = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Column"):
                continue
            head = node.args[0] if node.args else None
            if isinstance(head, ast.Constant) and head.value not in ("", "n"):
                literal.append(f"{path.name}:{node.lineno} {head.value!r}")
    assert not literal, literal
    found = {path.name for path in SOURCE.rglob("*.py") if "Column(" in path.read_text("utf-8")}
    assert {"diagnosis.py", "result.py", "numbers.py", "questions.py"} <= found


def test_russian_keeps_every_placeholder():
    catalogue = read_po(CATALOGUE)
    fields = string.Formatter()
    for key, text in catalogue.items():
        wanted = {f for _, f, _, _ in fields.parse(key.split(SEPARATOR)[-1]) if f}
        got = {f for _, f, _, _ in fields.parse(text) if f}
        assert wanted == got, (key, text)


def test_russian_has_no_stale_entries_and_is_really_russian():
    catalogue = read_po(CATALOGUE)
    wanted = source_messages() | data_messages()
    wanted_bare = {key.split(SEPARATOR, 1)[-1] for key in wanted}
    stale = [key for key in catalogue if key not in wanted and key not in wanted_bare]
    assert not stale, stale
    cyrillic = re.compile("[а-яё]", re.IGNORECASE)
    for key, text in catalogue.items():
        words = re.sub(r"\{\w+\}", "", key.split(SEPARATOR)[-1])
        assert cyrillic.search(text) or not re.search("[a-z]{3}", words), key


def test_a_message_without_translation_stays_english():
    assert translation("ru").gettext("no such message") == "no such message"
    assert translation("en").gettext("posterior") == "posterior"


def test_language_comes_from_argument_then_environment_then_locale(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", ENVIRONMENT_VARIABLE):
        monkeypatch.delenv(name, raising=False)
    assert resolve_language() == "en"
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert resolve_language() == "ru"
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "en")
    assert resolve_language() == "en"
    assert resolve_language("ru") == "ru"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    assert resolve_language() == "en"  # no German catalogue: English, silently
    assert set(LANGUAGES) == {"en", "ru"}


def test_an_unknown_language_is_an_error_that_lists_the_known_ones(monkeypatch):
    with pytest.raises(ValueError, match=r"language='de' is not a language with a catalogue; "):
        translation("de")
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "fr")
    with pytest.raises(ValueError, match=r"GLUTEAL_BN_LANG='fr' is not a language with a"):
        translation()


def test_numbers_are_rounded_for_reading():
    en, ru = translation("en"), translation("ru")
    assert en.percent(-1e-17) == "0.0%"
    assert en.percent(-1e-17, signed=True) == "0.0%"
    assert en.percent(0.0004, signed=True) == "0.0%"
    assert en.percent(0.0006, signed=True) == "+0.1%"
    assert en.percent(-0.25, signed=True) == "-25.0%"
    assert en.percent(1.0) == "100%"
    assert en.number(8.881784e-16) == "0.00"
    assert en.number(-1.665e-16, signed=True) == "0.00"
    assert en.number(float("inf"), signed=True) == "+∞"
    assert ru.percent(0.1234) == "12,3\u00a0%"
    assert ru.number(-0.5, 1) == "-0,5"


def test_read_po_handles_context_continuations_fuzzy_and_escapes(tmp_path):
    path = tmp_path / "x.po"
    path.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "state"\nmsgid "yes"\nmsgstr "да"\n\n'
        'msgid "two "\n"lines"\nmsgstr ""\n"две строки"\n\n'
        '#, fuzzy\nmsgid "unsure"\nmsgstr "неуверенно"\n\n'
        'msgid "quote \\"q\\""\nmsgstr "кавычки «q»"\n',
        encoding="utf-8",
    )
    assert read_po(path) == {
        "state\x04yes": "да",
        "two lines": "две строки",
        'quote "q"': "кавычки «q»",
    }
    path.write_text('msgid "a"\nmsgstr "б"\n\nmsgid "a"\nmsgstr "в"\n', encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"x.po line 4: msgid 'a' is defined twice \(first on line 1\)"
    ):
        read_po(path)
    path.write_text('msgid "a"\nmsgstr "б"\nnonsense\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"x.po line 3: not a gettext entry line: 'nonsense'"):
        read_po(path)


def test_russian_figures_and_text_are_in_russian(model):
    import matplotlib.pyplot as plt

    evidence = {"age": "over_60", "radiation": "below_knee"}
    ax = gb.plot_network(model, evidence, language="ru")
    shown = [t.get_text() for t in ax.texts] + [ax.get_title(loc="left")]
    assert "наблюдается" in shown
    assert "ниже колена" in shown
    assert ax.get_title(loc="left").startswith("Дано: Возрастная группа: старше 60 лет")
    plt.close("all")
    text = model.diagnose(evidence).to_text("ru")
    assert "Наиболее вероятно:" in text and "%" in text
    assert not re.search(r"\b(prior|posterior|Given|cause)\b", text)


if __name__ == "__main__":
    for line in _missing(source_messages() | data_messages(), read_po(CATALOGUE)):
        print(line)


def test_the_command_line_speaks_russian_in_its_tables_and_keeps_identifiers_in_json(
    capsys, model, monkeypatch
):
    from gluteal_bn.cli import main

    assert main(["query", "--lang", "ru", "fever=yes", "radiation=below_knee"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Данные: Лихорадка: да; Иррадиация боли в ногу: ниже колена\n")
    posterior = model.posterior({"fever": "yes", "radiation": "below_knee"})
    row = next(line for line in out.splitlines() if line.startswith("Абсцесс / флегмона"))
    assert row.endswith(translation("ru").percent(posterior["local_infection"]))
    assert "Учебная модель: не для клинических решений." in out
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "ru")
    assert main(["query", "--json", "radiation=below_knee"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["evidence"] == {"radiation": "below_knee"}
    assert set(document["posterior"]) == set(model.causes)
    assert main(["query", "fever=yes"]) == 0  # the environment chooses when --lang does not
    assert capsys.readouterr().out.startswith("Данные: Лихорадка: да")


def _results(model):
    evidence = {"fever": "yes", "age": "over_60"}
    return {
        "explain": model.explain(evidence, "local_infection"),
        "next_questions": model.next_questions(evidence),
        "mpe": model.most_probable_explanation(evidence, k=3),
        "sensitivity": model.sensitivity(evidence, "local_infection").top(3),
        "tipping_points": model.tipping_points({"low_back_pain": "yes"}),
        "intervals": model.posterior_interval(evidence, n=50, seed=1),
    }


#: Latin words Russian result text may show: file names, and FAIR (the piriformis test).
_LATIN_IN_RESULTS = {"csv", "priors", "likelihoods", "FAIR"}


@pytest.mark.parametrize(
    "name", ["explain", "next_questions", "mpe", "sensitivity", "tipping_points", "intervals"]
)
def test_every_result_speaks_russian_in_text_and_html(model, name, monkeypatch):
    result = _results(model)[name]
    text = result.to_text("ru")
    assert "Лихорадка: да" in text or "Боль в пояснице: да" in text  # evidence in words
    english = set(re.findall(r"\b[A-Za-z]{3,}\b", text)) - _LATIN_IN_RESULTS
    assert not english, english
    assert not re.search(r"\d\.\d", text)  # a decimal comma: 0,5 not 0.5
    page = result.to_html("ru")
    assert "<table" in page
    heading = re.findall(r"<p>(.*?)</p>", page)
    assert heading and not re.search(r"\b[A-Za-z]{3,}\b", " ".join(heading)), heading
    # str() and Jupyter follow GLUTEAL_BN_LANG, like Diagnosis
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "ru")
    assert str(result) == text and result._repr_html_() == page
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "en")
    assert str(result) == result.to_text("en") != text


def test_result_text_keeps_its_numbers_in_both_languages(model):
    why = _results(model)["explain"]
    en, ru = translation("en"), translation("ru")
    assert f"{en.percent(why.prior)} -> {en.percent(why.posterior)}" in why.to_text("en")
    assert f"{ru.percent(why.prior)} -> {ru.percent(why.posterior)}" in why.to_text("ru")
    contribution = why.loc["fever=yes", "contribution"]
    assert ru.number(contribution, 3, signed=True) in why.to_text("ru")
    assert "точные значения Шепли по всем 4 подмножествам наблюдений" in why.to_text("ru")
    assert why.to_dict()["items"][0]["variable"] in model.variables  # JSON keeps identifiers
    top = _results(model)["mpe"]
    assert top.to_dict()["states"][0]["present"] == top.table["present"].iloc[0]


def test_the_command_line_lines_follow_the_language(capsys, tmp_path):
    from gluteal_bn.cli import main

    chart = tmp_path / "why.png"
    args = ["explain", "--cause", "local_infection", "fever=yes", "--plot", str(chart)]
    assert main([*args, "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert f"диаграмма записана в {chart}" in out
    assert out.startswith("Данные: Лихорадка: да\n")
    assert "Вклады: точные значения Шепли" in out
    assert main([*args, "--lang", "en"]) == 0
    assert f"chart written to {chart}" in capsys.readouterr().out
    report = tmp_path / "case.html"
    assert main(["report", "fever=yes", "-o", str(report), "--lang", "ru"]) == 0
    assert capsys.readouterr().out.startswith("отчёт о случае записан в ")


def test_the_variables_command_translates_labels_and_keeps_names(capsys):
    from gluteal_bn.cli import main

    assert main(["variables", "--lang", "ru"]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("fever "))
    assert line.endswith("Лихорадка") and "no|yes" in line
