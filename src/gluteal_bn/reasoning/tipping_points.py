"""Tipping points: for each number of the CSV files, the nearest value that changes the diagnosis.

Each number is varied on its own, all others fixed, exactly as in :mod:`.sensitivity` (whose
:class:`~.sensitivity.OneNumberPosterior`, co-variation and validity check this module uses).
The search runs on the log-odds scale (log odds ratio for an odds ratio): it scans outwards
from the number's value in steps of ``SEARCH_STEP`` up to ``SEARCH_LOG_ODDS`` each side, and
bisects the first step where another cause becomes the most likely one. A direction stops
where the value would break the canonical model. Every evaluated point is exact (the changed
CPT is expanded and the posterior recomputed); the reported value is exact to the bisection's
resolution (40 halvings of one step).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..io.numbers import Number
from .results import TippingPoints
from .sensitivity import OneNumberPosterior, Varier, identity, varier

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["tipping_points"]

#: How far, in log-odds, :func:`tipping_points` searches each side of a number (odds x e^12).
SEARCH_LOG_ODDS = 12.0
#: Step of the scan that brackets a change of the most likely cause, in log-odds.
SEARCH_STEP = 0.25


def tipping_points(model: DiagnosticModel, evidence: Mapping[str, str] | None) -> TippingPoints:
    """For each number, the nearest value that makes another cause the most likely one.

    See :meth:`DiagnosticModel.tipping_points`.
    """
    evaluator = OneNumberPosterior(model, evidence)
    top = int(np.argmax(evaluator.base))
    records = []
    for index, number in enumerate(model.numbers):
        if not evaluator.moves(number.variable) or number.value in (0.0, 1.0):
            continue
        vary = varier(model, number)
        found = _nearest_flip(evaluator, vary, number, top)
        if found is None:
            continue
        value, new_top = found
        records.append(
            {
                **identity(index, number),
                "flips_at": value,
                "change_in_log_odds": _log_odds_of(number, value)
                - _log_odds_of(number, number.value),
                "new_top_cause": model.causes[new_top],
            }
        )
    columns = [
        "number",
        "label",
        "kind",
        "file",
        "line",
        "value",
        "flips_at",
        "change_in_log_odds",
        "new_top_cause",
    ]
    table = pd.DataFrame.from_records(records, columns=columns)
    order = table["change_in_log_odds"].abs().sort_values(kind="stable").index
    table = table.loc[order].reset_index(drop=True)
    return TippingPoints(
        table=table,
        top_cause=model.causes[top],
        evidence=dict(evidence or {}),
        posterior=dict(zip(model.causes, map(float, evaluator.base), strict=True)),
        numbers=tuple(model.numbers),
        vocabulary=model.vocabulary,
    )


#: log of the largest float: exp of more overflows.
LARGEST_LOG = math.log(np.finfo(float).max)


def _log_odds_of(number: Number, value: float) -> float:
    """A number on the scale the search uses: log odds ratio, or the probability's log-odds."""
    if number.kind == "odds_ratio":
        return math.log(value)
    return math.log(value) - math.log1p(-value)


def _from_log_odds(number: Number, t: float) -> float | None:
    """Back from the search scale; None where the value would overflow a float (no flip there)."""
    if number.kind == "odds_ratio":
        return math.exp(t) if t < LARGEST_LOG else None
    if t >= 0:  # the logistic function, in the form that cannot overflow for either sign
        return 1.0 / (1.0 + math.exp(-t))
    small = math.exp(t)
    return small / (1.0 + small)


def _nearest_flip(
    evaluator: OneNumberPosterior, vary: Varier, number: Number, top: int
) -> tuple[float, int] | None:
    """Scan outwards on the log-odds scale from the number, then bisect the first flip found."""
    start = _log_odds_of(number, number.value)
    best: tuple[float, float, int] | None = None  # (distance, value, new top)
    for direction in (-1.0, 1.0):
        previous = start
        for step in range(1, int(SEARCH_LOG_ODDS / SEARCH_STEP) + 1):
            t = start + direction * step * SEARCH_STEP
            leader = _leader(evaluator, vary, _from_log_odds(number, t))
            if leader is None:  # outside what the model allows: stop this direction
                break
            if leader != top:
                t, leader = _bisect(evaluator, vary, number, previous, t, top)
                value = _from_log_odds(number, t)
                if value is not None and (best is None or abs(t - start) < best[0]):
                    best = (abs(t - start), value, leader)
                break
            previous = t
    return None if best is None else (best[1], best[2])


def _leader(evaluator: OneNumberPosterior, vary: Varier, value: float | None) -> int | None:
    if value is None:
        return None
    cpt = vary(value)
    if cpt is None:
        return None
    values = evaluator.posterior(cpt)
    return None if values is None else int(np.argmax(values))


def _bisect(
    evaluator: OneNumberPosterior,
    vary: Varier,
    number: Number,
    inside: float,
    outside: float,
    top: int,
    steps: int = 40,
) -> tuple[float, int]:
    """Narrow [inside, outside] to the point where the leader stops being ``top``."""
    leader = _leader(evaluator, vary, _from_log_odds(number, outside))
    for _ in range(steps):
        middle = (inside + outside) / 2
        at_middle = _leader(evaluator, vary, _from_log_odds(number, middle))
        if at_middle == top or at_middle is None:
            inside = middle
        else:
            outside, leader = middle, at_middle
    assert leader is not None
    return outside, leader
