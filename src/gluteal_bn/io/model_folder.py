"""Reading and writing a model folder (variables.csv, priors.csv, likelihoods.csv).

:func:`read_folder` checks a folder (:mod:`gluteal_bn.io.specification`) and keeps every
number with its provenance (:mod:`gluteal_bn.io.numbers`); :func:`write_folder` writes one
back, each file atomically and floats exactly; :func:`bundled_data_folder` finds the folder
that ships with the package.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import DataError
from ..vocabulary import Variable, Vocabulary
from .atomic import atomic_path, sync_file, sync_folder, write_text_atomically
from .numbers import Number, likelihood_number, number_cells, prior_number
from .specification import (
    ALIAS_COLUMNS,
    ALIASES_FILE,
    COLUMNS,
    LIKELIHOODS_FILE,
    OPTIONAL_COLUMNS,
    PRIORS_FILE,
    VARIABLES_FILE,
    NetworkSpecification,
    likelihoods_from_rows,
    priors_from_rows,
    read_aliases,
    read_rows,
    read_variables,
)

__all__ = [
    "MANIFEST_FILE",
    "as_path",
    "bundled_data_folder",
    "check_complete",
    "folder_lock",
    "read_folder",
    "write_folder",
]


def bundled_data_folder() -> Path:
    """The folder of CSV files that ships with the package.

    In an installed wheel the files sit inside the package; in a source checkout or an
    editable install they are the repository's ``data/`` folder, the single source of truth.
    """
    package = Path(__file__).resolve().parents[1]  # src/gluteal_bn (this file is in io/)
    for folder in (package / "data", package.parents[1] / "data"):
        if (folder / VARIABLES_FILE).is_file():
            return folder
    raise DataError(f"the bundled data folder is missing: looked in {package / 'data'}")


def read_folder(folder: str | os.PathLike[str]) -> NetworkSpecification:
    """Read and check a model folder; raise DataError naming the first problem found.

    A folder written by :func:`write_folder` carries a manifest; a folder whose save was
    interrupted (some files replaced, others still the previous model's) is refused with a
    DataError that says so. The folder is read under a shared lock, so a save running at the
    same moment (which holds the exclusive one) is waited for, never read half-done.
    """
    folder = as_path(folder, "model folder")
    if folder.is_file():
        raise DataError(
            f"{folder} is a file; load_model expects the folder that holds {VARIABLES_FILE}, "
            f"{PRIORS_FILE} and {LIKELIHOODS_FILE}"
        )
    if not folder.is_dir():
        raise DataError(
            f"model folder not found: {folder} (expected a folder holding "
            f"{VARIABLES_FILE}, {PRIORS_FILE} and {LIKELIHOODS_FILE})"
        )
    with folder_lock(folder, exclusive=False):
        check_complete(folder)
        vocabulary = read_aliases(folder / ALIASES_FILE, read_variables(folder / VARIABLES_FILE))
        prior_rows = read_rows(folder / PRIORS_FILE)
        likelihood_rows = read_rows(folder / LIKELIHOODS_FILE)
    priors = priors_from_rows(prior_rows, folder / PRIORS_FILE, vocabulary)
    likelihoods = likelihoods_from_rows(likelihood_rows, folder / LIKELIHOODS_FILE, vocabulary)
    parameters = {**priors, **likelihoods}
    numbers = [prior_number(row, vocabulary) for row in prior_rows]
    numbers += [likelihood_number(row, vocabulary) for row in likelihood_rows]
    return NetworkSpecification(
        folder=folder,
        vocabulary=vocabulary,
        parameters=tuple(parameters[v.name] for v in vocabulary),
        numbers=tuple(numbers),
    )


def as_path(value: object, what: str) -> Path:
    """``value`` as a Path, if it is a non-empty str or path-like; else a DataError.

    Parameters
    ----------
    value : object
        What the caller passed as a file or folder.
    what : str
        What it names, for the message (``"model folder"``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DataError
        For bytes, numbers, None or any other type, and for an empty string (which would
        silently mean the current folder).

    Examples
    --------
    >>> as_path("my_model", "model folder")
    PosixPath('my_model')
    >>> as_path(b"my_model", "model folder")
    Traceback (most recent call last):
    ...
    gluteal_bn.errors.DataError: model folder b'my_model' is not a path; expected a str or \
pathlib.Path, e.g. 'my_model'
    """
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            if not path.strip():
                raise DataError(
                    f"{what} {path!r} is empty; give a name, e.g. 'my_model' "
                    "(or '.' for the current folder)"
                )
            if "\x00" in path:
                raise DataError(f"{what} {path!r} contains a NUL character, which no path may")
            return Path(path)
    raise DataError(
        f"{what} {value!r} is not a path; expected a str or pathlib.Path, e.g. 'my_model'"
    )


# ---------------------------------------------------------------------------------------------
# Writing a folder as a whole: stage, announce in the manifest, rename


#: Written by :func:`write_folder` after the new files are staged and before they replace the
#: old ones: the SHA-256 of each new file and of the file it replaces.
MANIFEST_FILE = "manifest.json"
#: Every file a model folder may hold; aliases.csv only when the model declares aliases.
MODEL_FILES = (VARIABLES_FILE, PRIORS_FILE, LIKELIHOODS_FILE, ALIASES_FILE)
#: The files every manifest covers (one written before aliases.csv existed covers only these).
REQUIRED_FILES = (VARIABLES_FILE, PRIORS_FILE, LIKELIHOODS_FILE)


def write_folder(
    folder: str | os.PathLike[str],
    vocabulary: Vocabulary,
    numbers: Sequence[Number],
    *,
    overwrite: bool = False,
) -> Path:
    """Write the model files (variables, priors, likelihoods, aliases) into ``folder`` at once.

    The new files are first written in full beside the old ones (hidden temporary files),
    then ``manifest.json`` records the SHA-256 of each new file and of the file it replaces,
    then each new file is renamed over its old one. Killed at any moment (or out of disk
    space), the folder therefore holds the complete previous model, or the complete new one,
    or a mix that :func:`read_folder` recognises from the manifest and refuses with a
    DataError saying the save was interrupted. Two saves into one folder at the same time take
    turns (an exclusive lock on the folder, where the system has ``fcntl``); leftover
    temporary files of an interrupted save are removed by the next one. A model file edited
    by hand after saving is not an interrupted save: it loads as edited. aliases.csv is
    written when the model declares aliases; an aliases.csv of an earlier save is removed
    (as the last step, covered by the manifest) when the new model declares none.

    Floats are written with ``repr`` (shortest exact form). The ``sample_size`` column is
    written only when some number has one. Existing model files are replaced only with
    ``overwrite=True``, and the bundled data folder never.

    Parameters
    ----------
    folder : str or path-like
        The folder; created (with its parents) if needed.
    vocabulary : Vocabulary
        The variables, written to variables.csv.
    numbers : sequence of Number
        Every number, written to priors.csv and likelihoods.csv.
    overwrite : bool, default False
        Replace model files already in the folder.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    DataError
        For a path that is not a str or path-like or is empty, a file where the folder should
        be, the bundled data folder, existing model files without ``overwrite``, and any
        operating-system error (no permission, disk full, a dangling link): the message names
        the folder and says the previous files are untouched.

    Examples
    --------
    >>> import tempfile, pathlib, gluteal_bn as gb
    >>> model = gb.load_model()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> sorted(p.name for p in model.save(folder).iterdir())
    ['aliases.csv', 'likelihoods.csv', 'manifest.json', 'priors.csv', 'variables.csv']
    """
    folder = as_path(folder, "model folder")
    if folder.exists() and not folder.is_dir():
        raise DataError(f"cannot save a model into {folder}: it is a file, not a folder")
    if folder.is_dir() and folder.resolve() == bundled_data_folder().resolve():
        raise DataError(
            f"refusing to overwrite the bundled data folder {folder}; save to another folder "
            "(edit the CSV files themselves to change the shipped numbers)"
        )
    texts = _folder_texts(vocabulary, numbers)
    try:
        if folder.is_symlink() and not folder.exists():
            raise DataError(
                f"cannot save a model into {folder}: it is a link to {os.readlink(folder)}, "
                "which does not exist; remove the link or create its target"
            )
        folder.mkdir(parents=True, exist_ok=True)
        with folder_lock(folder, exclusive=True):
            existing = [name for name in MODEL_FILES if (folder / name).exists()]
            if existing and not overwrite:
                raise DataError(
                    f"{folder} already holds {', '.join(existing)}; pass overwrite=True to "
                    "replace them"
                )
            _remove_leftovers(folder)
            _replace_together(folder, texts)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DataError(
            f"cannot save the model into {folder}: {reason}"
            f"{'' if error.filename is None else f' ({error.filename})'}; "
            "any model files already there are unchanged"
        ) from None
    return folder


def _folder_texts(vocabulary: Vocabulary, numbers: Sequence[Number]) -> dict[str, str]:
    with_sizes = any(n.sample_size is not None for n in numbers)
    sizes = ("sample_size",) if with_sizes else ()
    optional = tuple(
        column
        for column in OPTIONAL_COLUMNS[VARIABLES_FILE]
        if any(_variable_cells(v)[column] for v in vocabulary)
    )
    tables = {
        VARIABLES_FILE: (
            COLUMNS[VARIABLES_FILE] + optional,
            [_variable_cells(v) for v in vocabulary],
        ),
        PRIORS_FILE: (
            COLUMNS[PRIORS_FILE] + sizes,
            [number_cells(n) for n in numbers if n.file == PRIORS_FILE],
        ),
        LIKELIHOODS_FILE: (
            COLUMNS[LIKELIHOODS_FILE] + sizes,
            [number_cells(n) for n in numbers if n.file == LIKELIHOODS_FILE],
        ),
    }
    if vocabulary.aliases:
        tables[ALIASES_FILE] = (
            ALIAS_COLUMNS,
            [
                {
                    "alias": alias.name,
                    "alias_state": state,
                    "variable": alias.variable,
                    "likelihoods": ";".join(
                        f"{s}={value!r}"
                        for s, value in zip(vocabulary[alias.variable].states, values, strict=True)
                    ),
                }
                for alias in vocabulary.aliases
                for state, values in alias.likelihoods.items()
            ],
        )
    texts = {}
    for name, (header, rows) in tables.items():
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([row[column] for column in header] for row in rows)
        texts[name] = text.getvalue()
    return texts


def _replace_together(folder: Path, texts: dict[str, str]) -> None:
    """Stage every file, write the manifest, then rename the staged files over the old ones.

    A model file the new model does not have (aliases.csv) is listed in the manifest as
    ``null`` and removed after the renames.
    """
    manifest = {
        "written_by": "gluteal_bn",
        "files": {
            name: _sha256(texts[name].encode("utf-8")) if name in texts else None
            for name in MODEL_FILES
        },
        "replacing": {name: _file_sha256(folder / name) for name in MODEL_FILES},
    }
    with contextlib.ExitStack() as renames:
        for name, text in texts.items():
            temporary = renames.enter_context(atomic_path(folder / name, sync=False))
            temporary.write_bytes(text.encode("utf-8"))
            sync_file(temporary)  # a full disk shows here, before anything is replaced
        write_text_atomically(folder / MANIFEST_FILE, json.dumps(manifest, indent=1) + "\n")
    # Leaving the block renamed each staged file over its old one.
    for name in MODEL_FILES:
        if name not in texts:
            (folder / name).unlink(missing_ok=True)
    sync_folder(folder)


def check_complete(folder: Path) -> None:
    """Refuse a folder whose last save was interrupted between its renames.

    Without a manifest (a folder made by hand, the bundled data) there is nothing to check. A
    file that still holds what the manifest says the save replaced (or is missing) beside one
    that already holds the new content is the mark of an interrupted save. If no file was
    replaced yet, the folder holds the whole previous model; a file that matches neither
    version was edited after saving, and is read as it is.

    Parameters
    ----------
    folder : pathlib.Path
        A model folder.

    Raises
    ------
    DataError
        If the manifest is unreadable, or names a file that the save did not get to replace.
    """
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files, replacing = manifest["files"], manifest["replacing"]
        covered = [name for name in MODEL_FILES if name in REQUIRED_FILES or name in files]
        expected = {name: files[name] for name in covered}
        previous = {name: replacing[name] for name in covered}
    except (ValueError, KeyError, TypeError):
        raise DataError(
            "is not a manifest written by save (expected the SHA-256 of "
            f"{', '.join(REQUIRED_FILES)});"
            f" delete {MANIFEST_FILE} to read the CSV files as they are",
            path=path,
        ) from None
    behind, ahead = [], []
    for name in covered:
        actual = _file_sha256(folder / name)
        if actual != expected[name] and (actual is None or actual == previous[name]):
            behind.append(name if actual is not None else f"{name} (missing)")
        elif actual == expected[name] != previous[name]:
            ahead.append(name)
    if behind and ahead:  # all behind: killed before the first rename, the old model is whole
        raise DataError(
            f"the folder holds an incomplete save: {', '.join(behind)} "
            f"{'is' if len(behind) == 1 else 'are'} not the version that {MANIFEST_FILE} "
            "announces, while the other files were replaced (the save was interrupted). "
            "Save the model into it again, or delete "
            f"{MANIFEST_FILE} to read the files as they are",
            path=folder,
        )


@contextlib.contextmanager
def folder_lock(folder: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold an advisory lock on ``folder``: exclusive to write it, shared to read it.

    Uses ``fcntl.flock`` on the folder itself (no lock file is left behind); released when the
    block ends or the process dies. Where there is no ``fcntl`` (Windows) it does nothing.

    Parameters
    ----------
    folder : pathlib.Path
        An existing folder.
    exclusive : bool
        True for a writer, False for a reader.

    Yields
    ------
    None
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # a folder that cannot be opened for reading cannot be locked either
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(handle)  # releases the lock


def _remove_leftovers(folder: Path) -> None:
    """Delete temporary files of earlier saves that were killed (only ever our own names)."""
    for name in (*MODEL_FILES, MANIFEST_FILE):
        for leftover in folder.glob(f".{name}.*.tmp"):
            leftover.unlink(missing_ok=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def _variable_cells(variable: Variable) -> dict[str, str]:
    return {
        "variable": variable.name,
        "role": variable.role,
        "states": "|".join(variable.states),
        "model": variable.model,
        "label": variable.label,
        "description": variable.description,
        "group": variable.group,
        "state_labels": "|".join(variable.state_labels),
    }
