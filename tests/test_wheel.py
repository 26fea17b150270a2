"""The wheel ships the data: build it, install it into a new virtual environment, query from elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import gluteal_bn as gb

REPOSITORY = Path(__file__).resolve().parents[1]


#: The subprocesses see neither this checkout's PYTHONPATH nor a user site: gluteal_bn must
#: come from the installed wheel, not leak in from the test run's environment.
CLEAN_ENV = {
    key: value
    for key, value in os.environ.items()
    if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE")
} | {"PYTHONNOUSERSITE": "1"}


def run(*argv: object, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=CLEAN_ENV,
    )
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_wheel_installs_and_answers_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "-w",
        dist,
        REPOSITORY,
        cwd=tmp_path,
    )
    wheel = next(dist.glob("gluteal_bn-*.whl"))

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    # Dependencies (numpy, pandas, pgmpy...) come from this environment; gluteal_bn itself only
    # from the wheel: a .pth line adds a directory without running the .pth files inside it.
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).strip()
    )
    (site / "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import json, gluteal_bn as gb; m = gb.load_model(); "
        "print(json.dumps({'file': gb.__file__, 'folder': str(m.folder), "
        "'posterior': m.posterior({'fever': 'yes'}).to_dict()}))"
    )
    answer = json.loads(run(python, "-c", code, cwd=elsewhere))
    assert answer["file"].startswith(str(venv)), answer["file"]
    assert answer["folder"].startswith(str(venv)), "the data must come from inside the wheel"
    expected = gb.load_model().posterior({"fever": "yes"}).to_dict()
    assert answer["posterior"] == pytest.approx(expected, abs=1e-12)

    printed = json.loads(
        run(venv / "bin" / "gluteal-bn", "query", "--json", "fever=yes", cwd=elsewhere)
    )
    assert printed["posterior"] == pytest.approx(expected, abs=1e-12)
