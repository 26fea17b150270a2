"""Saving a model folder as a whole: killed, out of space, or raced, it never loads as a mix."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import gluteal_bn as gb
from gluteal_bn import DataError
from gluteal_bn.io import atomic, model_folder
from gluteal_bn.io.model_folder import MANIFEST_FILE

from .faults import classify, kill_during_save, models, values

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork, SIGKILL and flock")


@pytest.fixture(scope="module")
def a_and_b():
    return models()


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_killed_at_every_step_and_at_random_moments_never_loads_as_a_mix(tmp_path, a_and_b):
    outcomes = kill_during_save(tmp_path, random_kills=6, seed=1)
    steps = [o for o in outcomes if o.how.startswith("step")]
    assert len(steps) >= 10  # every write, fsync and rename of a save was a kill point
    assert steps[-1].result == "new"  # the last one ran to the end
    results = {o.result for o in outcomes}
    assert results <= {"old", "new", "refused"}, [o for o in outcomes if o.result not in results]
    assert "refused" in results  # some kill fell between the renames, and was recognised
    assert {o.result for o in steps[:3]} == {"old"}  # killed while staging: the old model
    refused = next(o for o in outcomes if o.result == "refused")
    assert "the save was interrupted" in refused.detail
    assert "delete manifest.json" in refused.detail
    # The next save repairs the folder and removes what the killed one left behind.
    a, _ = a_and_b
    for folder in tmp_path.iterdir():
        a.save(folder, overwrite=True)
        assert _hidden(folder) == []
        assert values(gb.load_model(folder)) == values(a)


def test_interrupted_save_is_refused_with_a_message_naming_the_files(tmp_path, a_and_b):
    a, b = a_and_b
    a.save(tmp_path)
    old_priors = (tmp_path / "priors.csv").read_bytes()
    b.save(tmp_path, overwrite=True)
    (tmp_path / "priors.csv").write_bytes(old_priors)  # as if killed before its rename
    with pytest.raises(
        DataError,
        match=r"holds an incomplete save: priors.csv is not the version that manifest.json "
        r"announces, while the other files were replaced \(the save was interrupted\)",
    ):
        gb.load_model(tmp_path)


V1_FIXTURE = Path(__file__).parent / "data_v1"


def test_the_manifest_covers_aliases_and_a_save_without_aliases_removes_the_old_file(tmp_path):
    with_aliases, without = gb.load_model(), gb.load_model(V1_FIXTURE)
    assert with_aliases.vocabulary.aliases and not without.vocabulary.aliases
    with_aliases.save(tmp_path)
    files = json.loads((tmp_path / MANIFEST_FILE).read_text())["files"]
    assert set(files) == set(model_folder.MODEL_FILES) and files["aliases.csv"] is not None
    aliases = (tmp_path / "aliases.csv").read_bytes()
    without.save(tmp_path, overwrite=True)
    assert not (tmp_path / "aliases.csv").exists()
    assert json.loads((tmp_path / MANIFEST_FILE).read_text())["files"]["aliases.csv"] is None
    assert values(gb.load_model(tmp_path)) == values(without)
    # Killed after the renames but before the old aliases.csv was removed: refused, not mixed.
    (tmp_path / "aliases.csv").write_bytes(aliases)
    with pytest.raises(DataError, match=r"aliases.csv is not the version that manifest.json"):
        gb.load_model(tmp_path)
    # Killed before the new aliases.csv was renamed into place: refused, naming it missing.
    with_aliases.save(tmp_path, overwrite=True)
    (tmp_path / "aliases.csv").unlink()
    with pytest.raises(DataError, match=r"aliases.csv \(missing\) is not the version"):
        gb.load_model(tmp_path)


def test_a_manifest_written_before_aliases_existed_still_loads(tmp_path):
    model = gb.load_model(V1_FIXTURE)
    model.save(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    for key in ("files", "replacing"):
        del manifest[key]["aliases.csv"]
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert values(gb.load_model(tmp_path)) == values(model)


def test_killed_before_any_rename_loads_the_whole_old_model(tmp_path, a_and_b):
    a, b = a_and_b
    a.save(tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in ("priors.csv", "likelihoods.csv")}
    b.save(tmp_path, overwrite=True)
    for name, data in before.items():
        (tmp_path / name).write_bytes(data)
    assert values(gb.load_model(tmp_path)) == values(a)


def test_a_file_edited_by_hand_after_saving_loads_as_edited(tmp_path, a_and_b):
    a, _ = a_and_b
    a.save(tmp_path)
    path = tmp_path / "likelihoods.csv"
    path.write_text(path.read_text().replace("estimate", "Estimate", 1))
    assert values(gb.load_model(tmp_path)) == values(a)


def test_a_broken_manifest_is_a_data_error(tmp_path, a_and_b):
    a, _ = a_and_b
    a.save(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text("{not json")
    with pytest.raises(DataError, match=r"manifest.json: is not a manifest written by save"):
        gb.load_model(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({"files": {}}))
    with pytest.raises(DataError, match=r"delete manifest.json to read the CSV files"):
        gb.load_model(tmp_path)


@pytest.mark.parametrize("failing_call", ["write 1", "write 3", "sync 1", "sync 3", "sync 4"])
def test_disk_full_leaves_the_old_model_whole_and_no_leftovers(
    tmp_path, a_and_b, monkeypatch, failing_call
):
    # Writes and syncs 1-3 stage the new files, sync 4 is the manifest's: until it is in
    # place, nothing of the old model has been replaced.
    a, b = a_and_b
    a.save(tmp_path)
    kind, number = failing_call.split()
    calls = [0]

    def failing(real):
        def call(*args):
            calls[0] += 1
            if calls[0] == int(number):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(*args)

        return call

    if kind == "write":
        monkeypatch.setattr(Path, "write_bytes", failing(Path.write_bytes))
    else:
        monkeypatch.setattr(atomic, "sync_file", failing(atomic.sync_file))
        monkeypatch.setattr(model_folder, "sync_file", atomic.sync_file)
    with pytest.raises(
        DataError,
        match=r"cannot save the model into .*: No space left on device; any model files "
        r"already there are unchanged",
    ):
        b.save(tmp_path, overwrite=True)
    monkeypatch.undo()
    assert values(gb.load_model(tmp_path)) == values(a)
    assert _hidden(tmp_path) == []


def test_concurrent_saves_and_loads_see_one_whole_model(tmp_path, a_and_b):
    a, b = a_and_b
    a.save(tmp_path)
    allowed = {values(a), values(b)}
    seen, problems = [], []

    def save(model):
        try:
            for _ in range(8):
                model.save(tmp_path, overwrite=True)
        except Exception as error:  # pragma: no cover - reported below
            problems.append(error)

    def load():
        try:
            for _ in range(8):
                seen.append(values(gb.load_model(tmp_path)))
        except Exception as error:  # pragma: no cover - reported below
            problems.append(error)

    threads = [threading.Thread(target=f, args=args) for f, args in [(save, (a,)), (save, (b,))]]
    threads += [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    assert len(seen) == 16 and set(seen) <= allowed
    assert values(gb.load_model(tmp_path)) in allowed
    assert _hidden(tmp_path) == []


def test_concurrent_saves_from_two_processes(tmp_path, a_and_b):
    a, b = a_and_b
    a.save(tmp_path)
    script = (
        "import sys; from faults import models; model = models()[int(sys.argv[1])]\n"
        "for _ in range(6): model.save(sys.argv[2], overwrite=True)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path])}
    workers = [
        subprocess.Popen([sys.executable, "-c", script, str(which), str(tmp_path)], env=env)
        for which in (0, 1)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    old, new = values(a), values(b)
    assert classify(tmp_path, "two processes", old, new).result in {"old", "new"}
    assert _hidden(tmp_path) == []


def test_save_without_locking_support_still_writes(tmp_path, a_and_b, monkeypatch):
    a, _ = a_and_b
    monkeypatch.setitem(sys.modules, "fcntl", None)  # as on Windows
    a.save(tmp_path)
    assert values(gb.load_model(tmp_path)) == values(a)
    assert model_folder.MODEL_FILES == (
        "variables.csv",
        "priors.csv",
        "likelihoods.csv",
        "aliases.csv",
    )


@pytest.mark.parametrize("bad", [b"folder", 5, None, ["x"]])
def test_save_and_load_refuse_paths_that_are_not_paths(a_and_b, bad):
    a, _ = a_and_b
    message = rf"model folder {re.escape(repr(bad))} is not a path; expected a str or pathlib.Path"
    with pytest.raises(DataError, match=message):
        a.save(bad)
    if bad is not None:  # load_model(None) is the bundled model
        with pytest.raises(DataError, match=message):
            gb.load_model(bad)


@pytest.mark.parametrize("empty", ["", "  "])
def test_save_to_an_empty_name_is_refused_not_the_current_folder(a_and_b, empty, tmp_path):
    a, _ = a_and_b
    with pytest.raises(
        DataError, match=r"model folder '\s*' is empty; give a name, e.g. 'my_model'"
    ):
        a.save(empty)
    with pytest.raises(DataError, match=r"is empty"):
        gb.load_model(empty)


def test_save_into_a_read_only_folder_is_a_data_error(a_and_b, tmp_path, monkeypatch):
    a, _ = a_and_b
    tmp_path.chmod(0o555)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Root writes anywhere (CI runs as root): its mkdir is refused as a user's would be.
        # Path.mkdir is patched, not os.mkdir: on Python 3.10 pathlib holds its own reference
        # to os.mkdir, so patching the os module does not reach it.
        real_mkdir = Path.mkdir

        def mkdir(path, *args, **kwargs):
            if Path(path).parent == tmp_path:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(Path, "mkdir", mkdir)
    try:
        with pytest.raises(DataError, match=r"cannot save the model into .*: Permission denied"):
            a.save(tmp_path / "inside")
    finally:
        tmp_path.chmod(0o755)
    assert not (tmp_path / "inside").exists()


def test_save_below_a_regular_file_is_a_data_error(a_and_b, tmp_path):
    # The same error path without any permission bits, so it fails the same way as root.
    a, _ = a_and_b
    (tmp_path / "plain").write_text("not a folder")
    with pytest.raises(
        DataError,
        match=r"cannot save the model into .*plain.inside: Not a directory \(.*plain.inside\); "
        r"any model files already there are unchanged",
    ):
        a.save(tmp_path / "plain" / "inside")
    assert (tmp_path / "plain").read_text() == "not a folder"


def test_save_into_a_read_only_folder_as_root_is_a_data_error(a_and_b, tmp_path, monkeypatch):
    # The same path, made to fail the way a read-only folder fails for a normal user.
    a, _ = a_and_b

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(atomic, "_create", refuse)
    with pytest.raises(
        DataError,
        match=r"cannot save the model into .*: Permission denied \(.*\); any model files "
        r"already there are unchanged",
    ):
        a.save(tmp_path)


def test_save_into_a_dangling_link_is_a_data_error(a_and_b, tmp_path):
    a, _ = a_and_b
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(
        DataError, match=r"link to .*nowhere, which does not exist; remove the link or create"
    ):
        a.save(link)
