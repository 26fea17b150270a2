"""The one atomic write: whole files or none, no leftovers, and permissions as open() gives them."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

import gluteal_bn as gb
from gluteal_bn.cli import main
from gluteal_bn.io.atomic import atomic_path, write_text_atomically

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def umask():
    """Set the process umask for one test, and restore it."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _writers(model):
    """Every way the package writes a file, each as (name, write(path))."""
    return {
        "text": lambda path: write_text_atomically(path, "x\n"),
        "bif": model.to_bif,
        "xmlbif": model.to_xmlbif,
        "chart": lambda path: main(["query", "fever=yes", "--plot", str(path)]),
        "save": lambda path: model.save(path, overwrite=True),
    }


@pytest.mark.parametrize("writer", ["text", "bif", "xmlbif", "chart", "save"])
@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_new_files_follow_the_umask(model, tmp_path, umask, writer, mask, capsys):
    umask(mask)
    target = tmp_path / ("model" if writer == "save" else f"out.{writer.replace('chart', 'png')}")
    _writers(model)[writer](target)
    files = sorted(target.iterdir()) if writer == "save" else [target]
    assert files and {_mode(f) for f in files} == {0o666 & ~mask}
    assert [p.name for p in tmp_path.rglob(".*")] == []


@pytest.mark.parametrize("writer", ["text", "bif", "xmlbif", "chart", "save"])
def test_a_replaced_file_keeps_its_mode(model, tmp_path, umask, writer, capsys):
    umask(0o022)
    target = tmp_path / ("model" if writer == "save" else f"out.{writer.replace('chart', 'png')}")
    write = _writers(model)[writer]
    write(target)
    files = sorted(target.iterdir()) if writer == "save" else [target]
    for index, path in enumerate(files):
        path.chmod((0o640, 0o604, 0o600, 0o660)[index % 4])
    before = {path: _mode(path) for path in files}
    write(target)
    assert {path: _mode(path) for path in files} == before


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_an_interrupt_right_after_the_temporary_file_is_created_leaves_nothing(
    tmp_path, monkeypatch
):
    # The window between creating the temporary file and entering the block (a SIGINT on a
    # loaded machine lands right after the system call).
    from gluteal_bn.io import atomic

    real_create = atomic._create

    def interrupted(name):
        real_create(name)
        assert name.exists()
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "_create", interrupted)
    with pytest.raises(KeyboardInterrupt), atomic_path(tmp_path / "out.txt"):
        pass  # pragma: no cover
    assert sorted(tmp_path.iterdir()) == []


def test_the_temporary_file_has_the_target_suffix_when_asked(tmp_path):
    with atomic_path(tmp_path / "chart.svg", suffix=".svg") as temporary:
        assert temporary.suffix == ".svg" and temporary.name.startswith(".chart.svg.")
        assert temporary.parent == tmp_path
        temporary.write_text("<svg/>")
    assert (tmp_path / "chart.svg").read_text() == "<svg/>"


def test_load_model_reads_a_folder_saved_under_a_strict_umask(model, tmp_path, umask):
    umask(0o077)
    assert gb.load_model(model.save(tmp_path / "m")).numbers == model.numbers
