"""The one way the package replaces a file: write a temporary file beside it, then rename.

A reader of ``path`` sees the complete old file or the complete new one, never half a file;
if writing fails or is interrupted, the temporary file is removed and ``path`` is untouched.
The content is flushed to disk (``fsync``) before the rename, and the rename after it.
A new file gets the permissions the umask allows (0644 under the usual umask 022), as
``open()`` would give it; a file that is replaced keeps its permissions.
Every file the package writes (model folders, charts, BIF/XMLBIF, ``score`` output) goes
through :func:`atomic_path`.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "sync_file", "sync_folder", "write_text_atomically"]


@contextmanager
def atomic_path(
    path: str | os.PathLike[str], *, suffix: str | None = None, sync: bool = True
) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error, rename it.

    Parameters
    ----------
    path : str or path-like
        The file to create or replace. Its folder must exist.
    suffix : str, optional
        The temporary file's suffix (default ``.tmp``); writers that choose a format from the
        file name (matplotlib's ``savefig``) need the target's suffix, e.g. ``".png"``.
    sync : bool, default True
        Flush the file to disk before the rename and the folder after it; a caller that
        renames several files together syncs them itself.

    Yields
    ------
    pathlib.Path
        An empty temporary file in the same folder (so the rename is atomic), hidden (its name
        starts with a dot). Write to it by name; it is renamed over ``path`` on success and
        removed on any exception, including KeyboardInterrupt.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as temporary:
    ...     _ = temporary.write_text("hello")
    >>> target.read_text()
    'hello'
    """
    target = Path(path)
    temporary: Path | None = None
    try:  # created inside the try: an interrupt right after the creation leaves nothing
        for name in _names_beside(target, ".tmp" if suffix is None else suffix):
            temporary = name  # before the file exists, so the clean-up below knows its name
            try:
                _create(name)
            except FileExistsError:  # pragma: no cover - 48 random bits collided
                temporary = None
                continue
            break
        if temporary is None:  # pragma: no cover
            raise FileExistsError(f"no free temporary name beside {target}")
        yield temporary
        _keep_mode(target, temporary)
        if sync:
            sync_file(temporary)
        os.replace(temporary, target)
        if sync:
            sync_folder(target.parent)
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _names_beside(target: Path, suffix: str) -> Iterator[Path]:
    """Up to 100 random hidden names in ``target``'s folder for the temporary file."""
    for _ in range(100):
        yield target.parent / f".{target.name}.{secrets.token_hex(6)}{suffix}"


def _create(name: Path) -> None:
    """Create ``name`` empty, with mode 0o666 less the umask; FileExistsError if it exists.

    Not ``tempfile.mkstemp``, which makes every file 0600 whatever the umask: charts written
    for a course site must be readable by the web server.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    os.close(os.open(name, flags, 0o666))


def _keep_mode(target: Path, temporary: Path) -> None:
    """An existing file keeps its permissions when it is replaced."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return
    os.chmod(temporary, mode)


def sync_file(path: Path) -> None:
    """Flush the file's content to disk, so a crash after the rename cannot leave it empty.

    Parameters
    ----------
    path : pathlib.Path
        A file that exists.

    Raises
    ------
    OSError
        From the system, e.g. ``ENOSPC`` when delayed allocation finds the disk full.
    """
    with path.open("rb") as file:
        os.fsync(file.fileno())


def sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (where folders can be opened; not on Windows).

    Parameters
    ----------
    folder : pathlib.Path
        An existing folder.
    """
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover - file systems that cannot sync a folder
        pass
    finally:
        os.close(handle)


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` through :func:`atomic_path`.

    Parameters
    ----------
    path : str or path-like
        The file to create or replace.
    text : str
        The whole new content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> write_text_atomically(target, "x\\n1\\n")
    >>> target.read_text()
    'x\\n1\\n'
    """
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as file:
        file.write(text)
