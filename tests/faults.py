"""Fault injection shared by the fault-suite tests and ``benchmarks/fault_counts.py``.

Kill-during-save: one worker process (started once: importing pandas costs a second) saves
model A into a folder per trial, then forks a child that saves model B over it and is killed,
either at the k-th file-system step of the save (every step in turn: writes, fsyncs, renames)
or after a random delay while saving again and again. The caller then loads each folder: it
must be the whole of A, the whole of B, or refused with a DataError saying the save is
incomplete; anything else is a silent mix or lost data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import gluteal_bn as gb

#: The worker: argv = root folder, number of random-time kills, seed. Prints one JSON line.
WORKER = r"""
import json, os, pathlib, random, signal, sys, time, warnings
warnings.simplefilter("ignore")  # fork() in a process with native threads warns on 3.12+
import gluteal_bn as gb
from faults import models

root, random_kills, seed = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
a, b = models()
trials = []


def hooked(real, counter, kill_at, partial=False):
    def call(*args, **kwargs):
        counter[0] += 1
        if counter[0] == kill_at:
            if partial:  # write half the bytes, then die
                args[0].write_bytes_real(args[1][: len(args[1]) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call


# 1. Killed at every step of a save in turn, until a save runs to the end.
for kill_at in range(1, 100):
    folder = root / f"step{kill_at:02d}"
    a.save(folder)
    pid = os.fork()
    if pid == 0:
        counter = [0]
        pathlib.Path.write_bytes_real = pathlib.Path.write_bytes
        pathlib.Path.write_bytes = hooked(pathlib.Path.write_bytes, counter, kill_at, True)
        os.fsync = hooked(os.fsync, counter, kill_at)
        os.replace = hooked(os.replace, counter, kill_at)
        b.save(folder, overwrite=True)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status)
    trials.append({"folder": str(folder), "how": f"step {kill_at}", "killed": killed})
    if not killed:
        break

# 2. Killed after a random delay while saving B, A, B, ... over and over.
rng = random.Random(seed)
for trial in range(random_kills):
    folder = root / f"random{trial:02d}"
    a.save(folder)
    pid = os.fork()
    if pid == 0:
        while True:
            for model in (b, a):
                model.save(folder, overwrite=True)
    time.sleep(rng.uniform(0.0, 0.08))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    trials.append({"folder": str(folder), "how": "random", "killed": True})

print(json.dumps(trials))
"""


def models() -> tuple[gb.DiagnosticModel, gb.DiagnosticModel]:
    """Model A (the bundled one) and model B, which differs in priors.csv and likelihoods.csv."""
    a = gb.load_model()
    prior = next(i for i, n in enumerate(a.numbers) if n.kind == "odds_ratio")
    blocks = [n.block for n in a.numbers]
    leak = next(  # a leak given by one row: halving it keeps its distribution whole
        i for i, n in enumerate(a.numbers) if n.kind == "leak" and blocks.count(n.block) == 1
    )
    b = a.with_numbers({prior: a.numbers[prior].value * 1.5, leak: a.numbers[leak].value / 2})
    return a, b


def values(model: gb.DiagnosticModel) -> tuple[float, ...]:
    return tuple(n.value for n in model.numbers)


@dataclass(frozen=True)
class SaveOutcome:
    """What loading a folder gave after a save into it was killed."""

    how: str  # "step k" or "random"
    result: str  # "old", "new", "refused" (clear DataError), "mixed", "stray", "lost"
    detail: str = ""


def kill_during_save(root: Path, *, random_kills: int = 8, seed: int = 0) -> list[SaveOutcome]:
    """Run the worker and classify every folder it left behind."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path])}
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    run = subprocess.run(
        [sys.executable, "-c", WORKER, str(root), str(random_kills), str(seed)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    old, new = (values(m) for m in models())
    return [classify(Path(t["folder"]), t["how"], old, new) for t in json.loads(run.stdout)]


def classify(folder: Path, how: str, old: tuple[float, ...], new: tuple[float, ...]) -> SaveOutcome:
    """Load ``folder`` and say whether it is the old model, the new one, or refused clearly."""
    try:
        loaded = values(gb.load_model(folder))
    except gb.DataError as error:
        if "incomplete save" in str(error):
            return SaveOutcome(how, "refused", str(error))
        return SaveOutcome(how, "lost", str(error))
    except Exception as error:
        return SaveOutcome(how, "stray", f"{type(error).__name__}: {error}")
    if loaded == old:
        return SaveOutcome(how, "old")
    if loaded == new:
        return SaveOutcome(how, "new")
    return SaveOutcome(how, "mixed")
