"""Fault injection shared by the fault-suite tests and ``benchmarks/fault_counts.py``.

Kill-during-save: one worker process (started once: importing pandas costs a second) saves
model A into a folder per trial, then forks a child that saves model B over it and is killed,
either at the k-th file-system step of the save (every step in turn: writes, fsyncs, renames)
or after a random delay while saving again and again. The caller then loads each folder: it
must be the whole of A, the whole of B, or refused with a DataError saying the save is
incomplete; anything else is a silent mix or lost data.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

import gluteal_bn as gb

try:
    from .conftest import bundled_model
except ImportError:  # imported as a top-level module by a kill-during-save worker process
    bundled_model = gb.load_model

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


# ---------------------------------------------------------------------------------------------
# Counting: every input tried ends as an answer, a clear error, a stray exception or a silent
# wrong answer (and, for saves, possibly lost data).


@dataclass
class Tally:
    """Outcomes of one category of faulty inputs."""

    category: str
    tried: int = 0
    answered: int = 0  # a sane answer
    clear: int = 0  # an error of the library's own kind, with a message
    stray: int = 0  # any other exception (or a warning from a dependency)
    wrong: int = 0  # an answer with NaN, a probability outside [0, 1], a bad sum
    lost: int = 0  # data that was there before is gone or mixed
    details: list[str] = field(default_factory=list)

    def note(self, kind: str, text: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if kind in ("stray", "wrong", "lost") and len(self.details) < 5:
            self.details.append(f"{kind}: {text[:300]}")

    def add(self, other: Tally) -> None:
        for name in ("tried", "answered", "clear", "stray", "wrong", "lost"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.details += other.details[: 5 - len(self.details)]


LIBRARY_ERRORS = (gb.DataError, gb.EvidenceError, gb.ArgumentError)


def attempt(tally: Tally, call: Callable[[], Any], check: Callable[[Any], str | None]) -> None:
    """Run one faulty input; classify what happened. Warnings count as stray."""
    tally.tried += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            warnings.simplefilter("ignore", gb.GlutealBNWarning)
            result = call()
            problem = check(result)
    except LIBRARY_ERRORS as error:
        if str(error).strip():
            tally.note("clear", "")
        else:  # pragma: no cover - an empty message is not clear
            tally.note("stray", f"{type(error).__name__} without a message")
    except Exception as error:
        tally.note("stray", f"{type(error).__name__}: {error}")
    else:
        if problem:
            tally.note("wrong", problem)
        else:
            tally.note("answered", "")


# -- checks of answers --------------------------------------------------------------------------


def bad_probabilities(values: Any, what: str, *, sums_to_one: bool = False) -> str | None:
    array = np.asarray(values, dtype=float)
    if not np.isfinite(array).all():
        return f"{what} has NaN or inf: {array}"
    if (array < 0).any() or (array > 1).any():
        return f"{what} outside [0, 1]: {array}"
    if sums_to_one and abs(array.sum() - 1) > 1e-9:
        return f"{what} sums to {array.sum()!r}"
    return None


def check_series(result: Any) -> str | None:
    return bad_probabilities(result, "posterior")


def check_query(result: Any) -> str | None:
    for name, table in result.items():
        problem = bad_probabilities(table, name, sums_to_one=True)
        if problem:
            return problem
    return None


def check_probability(result: Any) -> str | None:
    return bad_probabilities([result], "probability")


def check_probability_of_evidence(result: Any) -> str | None:
    """At most the product of each soft variable's largest likelihood (1 without soft)."""
    value, soft = result
    bound = 1.0
    for likelihoods in (soft or {}).values():
        bound *= max(1.0, *(float(v) for v in likelihoods.values()))
    if not (np.isfinite(value) and 0 <= value <= bound * (1 + 1e-12)):
        return f"probability of evidence {value!r} outside [0, {bound}]"
    return None


def check_frame(result: Any) -> str | None:
    frame = result.to_frame() if hasattr(result, "to_frame") else result
    numeric = frame.select_dtypes("number")
    if numeric.isna().to_numpy().any() and not getattr(result, "allows_nan", False):
        return f"NaN in {type(result).__name__}: {numeric.columns[numeric.isna().any()].tolist()}"
    return None


def check_model(result: Any) -> str | None:
    return check_series(result.posterior({})) or check_query(result.query(result.variables))


def check_nothing(result: Any) -> str | None:
    return None


# -- strategies ---------------------------------------------------------------------------------

MODEL = bundled_model()  # the session's model (conftest.py), loaded once
NAMES = list(MODEL.variables)
STATES = sorted({s for name in NAMES for s in MODEL.states(name)})
HUGE = 10**400

hashable_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.just(HUGE),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.binary(max_size=3),
    st.tuples(st.integers(0, 2)),
)
junk = st.one_of(
    hashable_junk,
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
names = st.one_of(
    st.sampled_from(NAMES), hashable_junk, st.sampled_from([n.upper() for n in NAMES[:3]])
)
states = st.one_of(st.sampled_from(STATES), hashable_junk)
valid_evidence = st.lists(st.sampled_from(NAMES), unique=True, max_size=6).flatmap(
    lambda chosen: st.fixed_dictionaries({n: st.sampled_from(MODEL.states(n)) for n in chosen})
)
valid_soft = st.lists(st.sampled_from(NAMES), unique=True, min_size=1, max_size=3).flatmap(
    lambda chosen: st.fixed_dictionaries(
        {
            n: st.fixed_dictionaries(
                {s: st.floats(min_value=0, max_value=10) for s in MODEL.states(n)}
            )
            for n in chosen
        }
    )
)
evidence = st.one_of(
    valid_evidence,
    valid_evidence,
    valid_evidence,
    st.dictionaries(st.sampled_from(NAMES), st.sampled_from(STATES), max_size=6),
    st.dictionaries(names, st.one_of(states, junk), max_size=4),
    junk,
)
likelihood = st.one_of(
    st.floats(min_value=0, max_value=1e300),
    st.floats(allow_nan=True, allow_infinity=True),
    st.just(HUGE),
    st.just(5e-324),
    junk,
)
soft = st.one_of(
    st.none(),
    st.none(),
    valid_soft,
    st.dictionaries(
        st.sampled_from(NAMES),
        st.dictionaries(st.sampled_from(STATES), likelihood, max_size=4),
        max_size=3,
    ),
    st.dictionaries(
        names, st.one_of(junk, st.dictionaries(states, likelihood, max_size=3)), max_size=2
    ),
    junk,
)
causes = st.one_of(*[st.sampled_from(list(MODEL.causes))] * 3, names)
small_ints = st.one_of(st.integers(-3, 12), st.integers(1, 12), junk)
floats = st.one_of(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=1, max_value=1e6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.just(HUGE),
    junk,
)
indices = st.one_of(st.integers(-2, len(MODEL.numbers) + 2), hashable_junk)
paths = st.one_of(
    junk,
    st.sampled_from(["", " ", "a\x00b", ".", "folder", "nested/folder"]),
    st.text(alphabet="ab_", min_size=1, max_size=4),
)


def _batch(columns: dict[Any, list[Any]]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})


valid_batches = (
    st.lists(st.sampled_from(NAMES), unique=True, max_size=5)
    .flatmap(
        lambda chosen: st.fixed_dictionaries(
            {
                n: st.lists(
                    st.one_of(st.none(), st.sampled_from(MODEL.states(n))), min_size=3, max_size=3
                )
                for n in chosen
            }
        )
    )
    .map(_batch)
)
batches = st.one_of(
    valid_batches,
    valid_batches,
    st.dictionaries(
        st.one_of(st.sampled_from(NAMES), st.text(max_size=3)),
        st.lists(st.one_of(st.sampled_from(STATES), junk), min_size=3, max_size=3),
        max_size=4,
    ).map(_batch),
)


def _posterior_interval(m: Any, e: Any, level: Any, n: Any) -> Any:
    return m.posterior_interval(e, level=level, n=n, seed=0, progress=False)


#: category -> (strategy of argument tuples, call(model, *arguments), check of the answer)
FUZZERS: dict[str, tuple[Any, Callable[..., Any], Callable[[Any], str | None]]] = {
    "posterior(evidence, soft)": (
        st.tuples(evidence, soft),
        lambda m, e, s: m.posterior(e, soft=s),
        check_series,
    ),
    "query(variables, evidence, soft)": (
        st.tuples(st.one_of(names, st.lists(names, max_size=3), junk), evidence, soft),
        lambda m, v, e, s: m.query(v, e, soft=s),
        check_query,
    ),
    "probability_of_evidence(evidence, soft)": (
        st.tuples(evidence, soft),
        lambda m, e, s: (m.probability_of_evidence(e, soft=s), s),
        check_probability_of_evidence,
    ),
    "posterior_batch(cases, errors)": (
        st.tuples(batches, st.one_of(st.sampled_from(["raise", "coerce"]), hashable_junk)),
        lambda m, c, how: m.posterior_batch(c, errors=how),
        lambda r: bad_probabilities(r.to_numpy()[~np.isnan(r.to_numpy().astype(float))], "batch"),
    ),
    "most_probable_explanation(evidence, k)": (
        st.tuples(evidence, small_ints),
        lambda m, e, k: m.most_probable_explanation(e, k=k),
        lambda r: bad_probabilities(r.to_frame()["probability"], "mpe"),
    ),
    "next_questions(evidence, target)": (
        st.tuples(evidence, st.one_of(st.none(), causes)),
        lambda m, e, t: m.next_questions(e, t),
        check_frame,
    ),
    "explain(evidence, cause)": (
        st.tuples(evidence, causes),
        lambda m, e, c: m.explain(e, c),
        check_nothing,
    ),
    "sensitivity(evidence, cause, factor)": (
        st.tuples(evidence, causes, st.one_of(st.floats(1.01, 1e3), st.floats(1.01, 1e3), floats)),
        lambda m, e, c, f: m.sensitivity(e, c, factor=f),
        lambda r: bad_probabilities(
            r.to_frame()[["posterior_at_low", "posterior_at_high"]], "sensitivity"
        ),
    ),
    "posterior_interval(evidence, level, n)": (
        st.tuples(
            evidence,
            st.one_of(st.floats(0.01, 0.99), st.floats(0.01, 0.99), floats),
            st.one_of(st.integers(2, 40), st.integers(-2, 40), junk),
        ),
        _posterior_interval,
        lambda r: bad_probabilities(r.to_frame()[["lower", "upper"]], "interval"),
    ),
    "with_numbers(values)": (
        st.one_of(
            st.dictionaries(st.integers(0, len(MODEL.numbers) - 1), st.floats(0, 1), max_size=2),
            st.dictionaries(indices, likelihood, max_size=3),
            junk,
        ).map(lambda v: (v,)),
        lambda m, v: m.with_numbers(v),
        check_model,
    ),
    "cpd_table/states/parents/parameters(variable)": (
        st.tuples(names, st.sampled_from(["cpd_table", "states", "parents", "parameters"])),
        lambda m, v, how: getattr(m, how)(v),
        check_nothing,
    ),
    "load_model(path)": (
        paths.map(lambda p: (p,)),
        lambda m, p: gb.load_model(p),
        check_model,
    ),
    "save(path, overwrite)": (
        st.tuples(paths, st.booleans()),
        lambda m, p, o: m.save(p, overwrite=o),
        check_nothing,
    ),
    "sample_cases(n, missing)": (
        st.tuples(small_ints, st.one_of(st.floats(-1, 2), floats)),
        lambda m, n, missing: m.sample_cases(n, seed=0, missing=missing),
        check_nothing,
    ),
}


def fuzz(category: str, examples: int, seed: int = 0) -> Tally:
    """Feed ``examples`` generated inputs to one public call; classify each outcome.

    Runs in the current folder: callers that fuzz ``save`` chdir to a temporary one.
    """
    from hypothesis import HealthCheck, Phase, given, settings

    strategy, call, check = FUZZERS[category]
    tally = Tally(category)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(arguments: tuple[Any, ...]) -> None:
        attempt(tally, lambda: call(MODEL, *arguments), check)

    run()
    return tally


# -- mutated data files -------------------------------------------------------------------------


def _mutate(text: str, rng: random.Random) -> str | bytes:
    """One random edit of a CSV file's text."""
    lines = text.splitlines(keepends=True)
    rows = [list(r) for r in csv.reader(io.StringIO(text))]
    kind = rng.choice(
        [
            "delete",
            "duplicate",
            "swap_lines",
            "blank",
            "junk",
            "swap_cells",
            "truncate",
            "bad_bytes",
            "extra_cell",
            "header",
            "quote",
        ]
    )
    body = rng.randrange(1, max(len(lines), 2))
    if kind == "delete" and len(lines) > 1:
        del lines[body]
        return "".join(lines)
    if kind == "duplicate":
        lines.insert(body, lines[min(body, len(lines) - 1)])
        return "".join(lines)
    if kind == "swap_lines" and len(lines) > 2:
        other = rng.randrange(len(lines))
        lines[body], lines[other] = lines[other], lines[body]
        return "".join(lines)
    if kind == "truncate":
        return text[: rng.randrange(len(text))]
    if kind == "bad_bytes":
        data = text.encode()
        cut = rng.randrange(len(data))
        return data[:cut] + rng.choice([b"\xff\xfe", b"\x00", b"\xc3", b"\x80abc"]) + data[cut:]
    if kind == "quote":
        cut = rng.randrange(len(text))
        return text[:cut] + '"' + text[cut:]
    row = (
        rows[rng.randrange(len(rows))]
        if kind == "header"
        else rows[rng.randrange(1, max(len(rows), 2)) % len(rows)]
    )
    column = rng.randrange(len(row)) if row else 0
    if not row:
        return text
    if kind in ("blank", "header"):
        row[column] = "" if kind == "blank" else rng.choice(["x", row[column].upper(), ""])
    elif kind == "junk":
        row[column] = rng.choice(
            [
                "-1",
                "1.5",
                "nan",
                "inf",
                "1e400",
                "1_0",
                "0x10",
                "yes",
                "leak",
                "no|yes|no",
                "a b",
                "x" * 200,
                "0",
                "1",
                "1e-320",
                " 0.3 ",
                "é",
                "=1+1",
                "None",
            ]
        )
    elif kind == "swap_cells" and len(row) > 1:
        other = rng.randrange(len(row))
        row[column], row[other] = row[other], row[column]
    elif kind == "extra_cell":
        row.append(rng.choice(["", "1", "x"]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def mutate_data_files(root: Path, count: int, seed: int = 0) -> dict[str, Tally]:
    """Load ``count`` folders, each the bundled one with one random edit of one file."""
    from gluteal_bn.io.model_folder import bundled_data_folder

    rng = random.Random(seed)
    bundled = bundled_data_folder()
    files = ["variables.csv", "priors.csv", "likelihoods.csv", "cases.csv"]
    tallies = {name: Tally(f"mutated {name}") for name in files}
    for trial in range(count):
        name = files[trial % len(files)]
        folder = root / f"mutant{trial:04d}"
        shutil.copytree(bundled, folder)
        mutated = _mutate((folder / name).read_text(encoding="utf-8"), rng)
        if isinstance(mutated, bytes):
            (folder / name).write_bytes(mutated)
        else:
            (folder / name).write_text(mutated, encoding="utf-8")
        if name == "cases.csv":
            attempt(tallies[name], lambda f=folder: gb.load_cases(f / "cases.csv"), _check_cases)
        else:
            attempt(tallies[name], lambda f=folder: gb.load_model(f), check_model)
        shutil.rmtree(folder)
    return tallies


def _check_cases(cases: pd.DataFrame) -> str | None:
    for evidence in cases["evidence"]:
        problem = check_series(MODEL.posterior(evidence)) if evidence is not None else None
        if problem:
            return problem
    return None


def save_kills(root: Path, random_kills: int = 6, seed: int = 0) -> Tally:
    """Kill-during-save (see :func:`kill_during_save`) as a tally."""
    tally = Tally("save killed at every step / at random")
    for outcome in kill_during_save(root, random_kills=random_kills, seed=seed):
        tally.tried += 1
        kind = {"old": "answered", "new": "answered", "refused": "clear", "stray": "stray"}.get(
            outcome.result, "lost"
        )
        tally.note(kind, f"{outcome.how}: {outcome.result} {outcome.detail}")
    return tally
