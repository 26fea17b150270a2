"""The one check of a numeric option (``k``, ``level``, ``n``, ``factor``, ``top``, ...).

Modelled on scikit-learn's ``check_scalar``, with one exception type: every problem is an
:class:`~gluteal_bn.errors.ArgumentError` (a ValueError) whose message reads
``<name> must be <expected>; got <value>``. Booleans are not numbers here, text is never
converted, and integers too large for a float (``10**400``) are refused, not overflowed.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import cast

from .errors import ArgumentError

__all__ = ["check_scalar", "short_repr"]


def check_scalar(
    value: object,
    name: str,
    *,
    expected: str,
    integer: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    include_minimum: bool = True,
    include_maximum: bool = True,
) -> float:
    """``value`` as a finite float (or int, with ``integer=True``) within bounds.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name as the caller wrote it (``"level"``), optionally with the
        function's (``"most_probable_explanation: k"``).
    expected : str
        What a valid value is, in words, for the message (``"a whole number >= 1"``).
    integer : bool, default False
        Require a whole number (an ``int`` or numpy integer; not ``2.0``, not ``True``).
    minimum, maximum : float, optional
        Bounds; inclusive unless ``include_minimum`` / ``include_maximum`` is False.
    include_minimum, include_maximum : bool, default True
        Whether the bounds themselves are valid.

    Returns
    -------
    float or int
        The value: an ``int`` when ``integer`` is True, else a ``float``.

    Raises
    ------
    ArgumentError
        ``"<name> must be <expected>; got <value!r>"`` for a value of the wrong type, NaN,
        infinite or too large for a float, or out of bounds.

    Examples
    --------
    >>> check_scalar(0.9, "level", expected="a probability between 0 and 1", minimum=0,
    ...              maximum=1, include_minimum=False, include_maximum=False)
    0.9
    >>> check_scalar(0, "k", expected="a whole number >= 1", integer=True, minimum=1)
    Traceback (most recent call last):
    ...
    gluteal_bn.errors.ArgumentError: k must be a whole number >= 1; got 0
    """
    problem = ArgumentError(f"{name} must be {expected}; got {short_repr(value)}")
    if isinstance(value, bool) or not isinstance(value, Integral if integer else Real):
        raise problem
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        raise problem from None
    if not math.isfinite(number):
        raise problem
    if minimum is not None and (number < minimum or (number == minimum and not include_minimum)):
        raise problem
    if maximum is not None and (number > maximum or (number == maximum and not include_maximum)):
        raise problem
    return int(cast(Integral, value)) if integer else number


def short_repr(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters with ``...``: messages never echo a megabyte.

    Examples
    --------
    >>> short_repr("x" * 100, limit=10)
    "'xxxxxx..."
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
