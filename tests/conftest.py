"""Shared fixtures: the bundled model, and editable copies of its data folder."""

from __future__ import annotations

import csv
import functools
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import gluteal_bn as gb
from gluteal_bn.io.model_folder import bundled_data_folder


@functools.cache
def bundled_model() -> gb.DiagnosticModel:
    """The bundled model, loaded once per test session.

    The ``model`` fixture returns it; modules that need it while pytest collects (Hypothesis
    strategies, parametrize lists, pgmpy oracles) import this function and share the object.
    """
    return gb.load_model()


@pytest.fixture(scope="session")
def model() -> gb.DiagnosticModel:
    return bundled_model()


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    """Close every matplotlib figure a test opened (without importing matplotlib otherwise)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the bundled CSV files that a test may break."""
    folder = tmp_path / "model"
    shutil.copytree(bundled_data_folder(), folder)
    return folder


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


@pytest.fixture
def edit_cell(data_copy: Path) -> Callable[..., int]:
    """Set one cell of the first row matching ``where``; returns that row's line number."""

    def edit(filename: str, where: dict[str, str], column: str, value: str) -> int:
        path = data_copy / filename
        header, rows = read_table(path)
        for index, row in enumerate(rows):
            if all(row[header.index(k)] == v for k, v in where.items()):
                row[header.index(column)] = value
                write_table(path, header, rows)
                return index + 2  # the header is line 1
        raise AssertionError(f"no row of {filename} matches {where}")

    return edit


@pytest.fixture(autouse=True, scope="session")
def english_by_default():
    """Tests read English unless they ask for a language (GLUTEAL_BN_LANG or LANG may be set)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GLUTEAL_BN_LANG", "en")
        yield
