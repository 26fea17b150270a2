"""Packaging (issue 10, items 13-14): floors that match the tested constraints, the licence in
the wheel, ``--version``, and a quiet exit when the reader of the output goes away."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

import gluteal_bn as gb
from gluteal_bn.cli import BROKEN_PIPE, main

REPOSITORY = Path(__file__).resolve().parents[1]
PYPROJECT = (REPOSITORY / "pyproject.toml").read_text(encoding="utf-8")
CONSTRAINTS = REPOSITORY / ".ci" / "constraints-lowest.txt"


def _floors() -> dict[str, str]:
    """``name -> floor`` of the runtime dependencies in pyproject.toml."""
    block = re.search(r"^dependencies = \[\n(.*?)^\]", PYPROJECT, re.S | re.M).group(1)
    found = re.findall(r'^\s*"([A-Za-z0-9_.-]+)>=([0-9][0-9.]*)"', block, re.M)
    return dict(found)


def _pins() -> dict[str, str]:
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    return dict(
        line.split("==")
        for line in (line.strip() for line in lines)
        if "==" in line and not line.startswith("#")
    )


def test_every_runtime_dependency_has_a_floor_and_the_lowest_set_pins_it():
    floors, pins = _floors(), _pins()
    block = re.search(r"^dependencies = \[\n(.*?)^\]", PYPROJECT, re.S | re.M).group(1)
    assert len(floors) == len(re.findall(r'^\s*"', block, re.M)), "a dependency without a floor"
    assert {"numpy", "pandas", "pgmpy", "scipy", "matplotlib", "tqdm"} <= set(floors)
    for name, floor in floors.items():
        pinned = pins.get(name)
        assert pinned is not None, f"{name} is not pinned in {CONSTRAINTS.name}"
        assert Version(pinned) == Version(floor), (name, floor, pinned)


def test_python_classifiers_cover_the_lowest_supported_python():
    lowest = re.search(r'^requires-python = ">=(3\.\d+)"', PYPROJECT, re.M).group(1)
    classifiers = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', PYPROJECT)
    assert lowest in classifiers
    assert (
        f"{sys.version_info.major}.{sys.version_info.minor}" in classifiers
        or sys.version_info >= (3, 12)
    )


def test_license_file_is_mit_and_declared():
    text = (REPOSITORY / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    assert 'license = "MIT"' in PYPROJECT and 'license-files = ["LICENSE"]' in PYPROJECT


def test_version_option_prints_the_installed_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    printed = capsys.readouterr().out.strip()
    assert printed == f"gluteal-bn {gb.__version__}"
    assert gb.__version__ == importlib.metadata.version("gluteal-bn")
    assert f'version = "{gb.__version__}"' in PYPROJECT


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize("command", [["variables"], ["query", "fever=yes"], ["query", "--json"]])
def test_a_closed_pipe_ends_quietly(command):
    # As `gluteal-bn variables | head -1` once `head` has exited: nothing reads any more.
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gluteal_bn.cli", *command],
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    assert done.stderr == b""
    assert done.returncode == BROKEN_PIPE == 141


@pytest.mark.slow
def test_the_wheel_ships_the_licence_and_metadata(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path, REPOSITORY],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("gluteal_bn-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
        assert archive.read(licence).decode().startswith("MIT License")
        metadata = archive.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))
        ).decode()
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
    assert "Classifier: Programming Language :: Python :: 3.10" in metadata
    assert "Requires-Dist: pandas>=2.2.2" in metadata
