"""The fault suite (issue 10): fuzzed arguments, mutated data files, killed saves.

Every faulty input must end as a sane answer or an error of the library's own kind: no stray
exception, no silent wrong answer (NaN, a probability outside [0, 1], a distribution that does
not sum to one), no lost data. ``python benchmarks/fault_counts.py`` runs the same with more
inputs and prints the counts.
"""

from __future__ import annotations

import pytest

from .faults import FUZZERS, fuzz, mutate_data_files, save_kills


def _assert_clean(tally):
    assert (tally.stray, tally.wrong, tally.lost) == (0, 0, 0), tally.details
    assert tally.tried == tally.answered + tally.clear


@pytest.mark.parametrize("category", list(FUZZERS))
def test_fuzzed_arguments_give_answers_or_library_errors(category, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # save() with a generated relative path writes here
    tally = fuzz(category, examples=80)
    _assert_clean(tally)
    assert tally.tried >= 40
    assert tally.answered > 0 and tally.clear > 0  # both kinds of input were generated


def test_mutated_data_files_load_sanely_or_fail_clearly(tmp_path):
    tallies = mutate_data_files(tmp_path, count=120, seed=3)
    assert set(tallies) == {"variables.csv", "priors.csv", "likelihoods.csv", "cases.csv"}
    for tally in tallies.values():
        _assert_clean(tally)
        assert tally.tried == 30 and tally.clear > 0


def test_fault_tally_counts_a_stray_exception_and_a_wrong_answer():
    # The classifier itself: otherwise the suite above could never fail.
    from .faults import Tally, attempt, check_series

    tally = Tally("self-test")
    attempt(tally, lambda: 1 / 0, lambda r: None)
    attempt(tally, lambda: [0.5, 1.2], check_series)
    attempt(tally, lambda: [0.5, float("nan")], check_series)
    attempt(tally, lambda: [0.5, 0.5], check_series)
    assert (tally.tried, tally.stray, tally.wrong, tally.answered) == (4, 1, 2, 1)
    assert tally.details[0].startswith("stray: ZeroDivisionError")


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="fork and SIGKILL")
def test_killed_saves_never_lose_or_mix_data(tmp_path):
    tally = save_kills(tmp_path, random_kills=3, seed=2)
    _assert_clean(tally)
    assert tally.tried >= 12
