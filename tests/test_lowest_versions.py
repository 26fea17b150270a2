"""The lowest supported set (issue 10, item 13): pyproject's floors, pinned in
``.ci/constraints-lowest.txt``, install together on the lowest supported Python and pass the core
tests. Slow (a few minutes: a new virtual environment and its packages)."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
CONSTRAINTS = REPOSITORY / ".ci" / "constraints-lowest.txt"
LOWEST = re.search(
    r'^requires-python = ">=(3\.\d+)"',
    (REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"),
    re.M,
).group(1)

#: The tests that exercise every dependency: numpy, pandas (tables and batches), pgmpy (the
#: exactness oracle, BIF/XMLBIF, sampling in learning), scipy (learning), matplotlib (plots),
#: tqdm (posterior_interval's bar), and the files.
CORE_TESTS = [
    "tests/test_model.py",
    "tests/test_exactness.py",
    "tests/test_data_files.py",
    "tests/test_parameters.py",
    "tests/test_batch.py",
    "tests/test_soft_evidence.py",
    "tests/test_learning.py",
    "tests/test_uncertainty.py",
    "tests/test_plotting.py",
    "tests/test_numerics.py",
    "tests/test_checks.py",
    "tests/test_model_folder.py",
    "tests/test_cli.py",
]


def _lowest_python() -> str | None:
    """An interpreter of the lowest supported version that runs: under pyenv, or on PATH."""
    root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = sorted(glob.glob(f"{root}/versions/{LOWEST}.*/bin/python{LOWEST}"))
    candidates.append(shutil.which(f"python{LOWEST}") or "")
    for candidate in filter(None, candidates):
        done = subprocess.run([candidate, "--version"], capture_output=True, check=False)
        if done.returncode == 0:  # a pyenv shim of a version not selected fails here
            return candidate
    return None


def _run(*argv: object, cwd: Path = REPOSITORY) -> str:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, check=False, timeout=1800
    )
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.slow
def test_the_lowest_supported_versions_install_together_and_pass_the_core_tests(tmp_path):
    python = _lowest_python()
    if python is None:
        pytest.skip(f"no Python {LOWEST} on this machine (the lowest supported version)")
    venv = tmp_path / "venv"
    _run(python, "-m", "venv", venv)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS]
    _run(*pip, "-e", REPOSITORY, "pytest>=8", "hypothesis>=6.100")
    pins = dict(
        line.split("==")
        for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    )
    installed = _run(venv / "bin" / "python", "-m", "pip", "list", "--format=freeze")
    versions = dict(line.split("==") for line in installed.splitlines() if "==" in line)
    for name, version in pins.items():
        assert versions.get(name) == version, (name, versions.get(name), version)
    # pytest from inside the new environment; the repository's tests against the pinned set
    _run(venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *CORE_TESTS)
