"""The verdict of one comparison: inside the published interval, within a factor of 2, or off.

The factor is taken on the odds scale p / (1 - p) for sensitivity and specificity, directly for
likelihood ratios (:func:`ratio_to_published`).
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = ["MEASURES", "VERDICTS", "Verdict", "judge", "odds", "ratio_to_published"]

#: The measures a row may compare.
MEASURES: tuple[str, ...] = ("sensitivity", "specificity", "lr_positive", "lr_negative")

#: The verdicts, best first.
VERDICTS: tuple[str, ...] = ("inside_ci", "within_2x", "off")

Verdict = Literal["inside_ci", "within_2x", "off"]


def judge(
    measure: str,
    published: float,
    implied: float,
    ci_low: float | None = None,
    ci_high: float | None = None,
) -> Verdict:
    """The verdict for one comparison.

    Parameters
    ----------
    measure : str
        One of :data:`MEASURES`.
    published, implied : float
        The published and the model's figure.
    ci_low, ci_high : float, optional
        The published 95% interval; without one, ``inside_ci`` is impossible.

    Returns
    -------
    str
        ``"inside_ci"`` if ``ci_low <= implied <= ci_high``; else ``"within_2x"`` if the ratio
        implied / published (of the odds p / (1 - p) for sensitivity and specificity) is
        between 1/2 and 2; else ``"off"``.

    Raises
    ------
    ValueError
        For an unknown measure.

    Examples
    --------
    >>> judge("lr_positive", 3.7, 3.6, 2.9, 4.8)
    'inside_ci'
    >>> judge("lr_positive", 3.7, 6.0)
    'within_2x'
    >>> judge("specificity", 0.28, 0.88)
    'off'
    """
    if measure not in MEASURES:
        raise ValueError(f"measure {measure!r} is not one of {list(MEASURES)}")
    if ci_low is not None and ci_high is not None and ci_low <= implied <= ci_high:
        return "inside_ci"
    if measure in ("sensitivity", "specificity"):
        ratio = odds(implied) / odds(published)
    else:
        ratio = implied / published if published > 0 else math.inf
    return "within_2x" if 0.5 <= ratio <= 2.0 else "off"


def ratio_to_published(measure: str, value: float, published: float) -> float:
    """``value / published``, of the odds for sensitivity and specificity (as :func:`judge`)."""
    if measure in ("sensitivity", "specificity"):
        return odds(value) / odds(published)
    return value / published


def odds(p: float) -> float:
    """``p / (1 - p)``; infinite at one."""
    if p >= 1.0:
        return math.inf
    return p / (1.0 - p)
