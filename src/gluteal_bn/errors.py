"""The library's own exceptions: every problem a user can cause is one of these.

All subclass :class:`ValueError`, so code that already catches ``ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = ["ArgumentError", "DataError", "EvidenceError", "GlutealBNWarning"]


class DataError(ValueError):
    """A parameter file (``variables.csv``, ``priors.csv``, ``likelihoods.csv``) is unusable.

    The message names the file, the line and the column, the bad value and what was expected.
    The same facts are kept as attributes for programs: ``path``, ``line`` and ``column``
    (``None`` where they do not apply).

    Parameters
    ----------
    message : str
        What is wrong: the bad value and what was expected.
    path : str or path-like, optional
        The file.
    line : int, optional
        The line of the file (the header is line 1).
    column : str, optional
        The column's name.
    """

    def __init__(
        self,
        message: str,
        *,
        path: object = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        where = self.path or ""
        if line is not None:
            where += f" line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where.strip()}: {message}" if where.strip() else message)


class EvidenceError(ValueError):
    """Evidence names an unknown variable or state, is not text, or is impossible."""


class ArgumentError(ValueError):
    """An option of a call is out of range or of the wrong type (``k``, ``level``, ``n``, ...).

    The message names the argument, what it must be, and the value given, e.g.
    ``level must be a probability between 0 and 1 (e.g. 0.9); got 2``. Raised by
    :func:`gluteal_bn.checks.check_scalar`, the one check of every numeric option.
    """


class GlutealBNWarning(UserWarning):
    """Something works, but not the way the user would expect (e.g. a slower inference path)."""
