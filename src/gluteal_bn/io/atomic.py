"""The one way the package replaces a file: write a temporary file beside it, then rename.

A reader of ``path`` sees the complete old file or the complete new one, never half a file;
if writing fails or is interrupted, the temporary file is removed and ``path`` is untouched.
Every file the package writes (model folders, charts, BIF/XMLBIF, ``score`` output) goes
through :func:`atomic_path`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_text_atomically"]


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error, rename it.

    Parameters
    ----------
    path : str or path-like
        The file to create or replace. Its folder must exist.
    suffix : str, optional
        The temporary file's suffix (default ``.tmp``); writers that choose a format from the
        file name (matplotlib's ``savefig``) need the target's suffix, e.g. ``".png"``.

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
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp" if suffix is None else suffix, dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


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
