"""``priors.csv`` -> each risk factor's distribution and each cause's (or subtype's) logistic
prior: its baseline probability and the odds ratios of its risk factors."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from ...canonical import (
    LogisticPrior,
    Parameters,
    RiskFactorDistribution,
    SubtypePrior,
)
from ...errors import DataError
from ...vocabulary import Variable, Vocabulary
from ..rows import Row
from .common import (
    LIKELIHOODS_FILE,
    MEASURES,
    _check_state,
    _check_unique,
    _distribution,
    _known_variable,
)

#: The smallest probability a cause's logistic prior may give, at any risk factors: the
#: smallest normal float. Below it a number keeps fewer significant digits, and the expansion
#: (``1 / (1 + exp(-log odds))``) overflows near 5e-309, so that a baseline such as 1e-315
#: became exactly 0 and evidence of the cause "impossible". P(absent) has the same floor.
SMALLEST_PROBABILITY = sys.float_info.min  # 2.2250738585072014e-308


def priors_from_rows(rows: list[Row], path: Path, vocabulary: Vocabulary) -> dict[str, Parameters]:
    """Each risk factor's and cause's parameters from the rows of ``priors.csv``."""
    blocks: dict[str, list[Row]] = {}
    odds_ratio_rows: dict[str, dict[str, list[Row]]] = {}
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        variable = _known_variable(row, "variable", vocabulary)
        if variable.role == "finding":
            raise row.error(
                "variable",
                f"{variable.name!r} is a finding; its numbers belong in {LIKELIHOODS_FILE}",
            )
        _check_state(row, "state", variable)
        measure = row.required("measure", f"one of {list(MEASURES)}")
        if measure not in MEASURES:
            raise row.error(
                "measure", f"{measure!r} is not a measure; expected one of {list(MEASURES)}"
            )
        key = (variable.name, row.text("state"), row.text("parent"), row.text("parent_state"))
        _check_unique(row, key, seen)
        row.required("source", "a citation or 'estimate: <reasoning>'")
        if measure == "probability":
            _check_no_parent(row)
            row.probability("value")
            if variable.role == "subtype" and row.text("state") == variable.states[0]:
                raise row.error(
                    "state",
                    f"{variable.states[0]!r} is structural (exactly when {variable.group} is "
                    f"absent); give P({variable.name} | {variable.group} present) for "
                    f"{list(variable.states[1:])}",
                )
            blocks.setdefault(variable.name, []).append(row)
        else:
            parent = _odds_ratio_parent(row, variable, vocabulary)
            odds_ratio_rows.setdefault(variable.name, {}).setdefault(parent.name, []).append(row)
    parameters: dict[str, Parameters] = {}
    for variable in vocabulary:
        if variable.role == "finding":
            continue
        block = blocks.get(variable.name)
        if variable.role == "subtype":
            if not block:
                raise DataError(
                    f"no prior for {variable.name!r}; add probability rows for its states "
                    f"{list(variable.states[1:])} given {variable.group} present",
                    path=path,
                )
            parameters[variable.name] = _subtype_prior(
                variable, block, odds_ratio_rows.get(variable.name, {}), vocabulary
            )
            continue
        if not block:
            what = (
                "one probability row per state"
                if variable.role == "risk_factor"
                else (f"a probability row for state {variable.states[1]!r} (the baseline)")
            )
            raise DataError(f"no prior for {variable.name!r}; add {what}", path=path)
        probabilities = _distribution(block, variable, "value")
        if variable.role == "risk_factor":
            parameters[variable.name] = RiskFactorDistribution(variable.name, probabilities)
        else:
            parameters[variable.name] = _logistic_prior(
                variable, probabilities, block, odds_ratio_rows.get(variable.name, {}), vocabulary
            )
    return parameters


def _check_no_parent(row: Row) -> None:
    for column in ("parent", "parent_state"):
        if row.text(column):
            raise row.error(
                column,
                f"a probability row has no {column} (got {row.text(column)!r}); "
                "use measure odds_ratio for a risk factor's effect",
            )


def _odds_ratio_parent(row: Row, variable: Variable, vocabulary: Vocabulary) -> Variable:
    if variable.role == "risk_factor":
        raise row.error(
            "measure",
            f"{variable.name!r} is a risk factor; only causes and subtypes have odds ratios",
        )
    if variable.role == "subtype":
        if row.text("state") in variable.states[:2]:
            raise row.error(
                "state",
                f"{row.text('state')!r} cannot have an odds ratio: a subtype's odds ratios are "
                f"against its reference state {variable.states[1]!r} (and 'none' is "
                f"structural); give them for {list(variable.states[2:])}",
            )
    elif row.text("state") != variable.states[1]:
        raise row.error(
            "state",
            f"an odds ratio is for the present state {variable.states[1]!r} of "
            f"{variable.name!r}; got {row.text('state')!r}",
        )
    parent = _known_variable(row, "parent", vocabulary)
    if parent.role != "risk_factor":
        raise row.error(
            "parent",
            f"{parent.name!r} is a {parent.role}, not a risk factor; edges run risk factors -> "
            "causes -> findings, which keeps the network free of cycles",
        )
    parent_state = _check_state(row, "parent_state", parent)
    if parent_state == parent.states[0]:
        raise row.error(
            "parent_state",
            f"{parent_state!r} is the reference state of {parent.name!r} (odds ratio 1 by "
            f"definition); give odds ratios for {list(parent.states[1:])}",
        )
    value = row.number("value")
    if value <= 0:
        raise row.error("value", f"{row.text('value')} is not an odds ratio (expected > 0)")
    return parent


def _logistic_prior(
    variable: Variable,
    probabilities: np.ndarray,
    block: list[Row],
    rows_by_parent: dict[str, list[Row]],
    vocabulary: Vocabulary,
) -> LogisticPrior:
    baseline = float(probabilities[1])
    if not 0.0 < baseline < 1.0:
        raise block[0].error(
            "value",
            f"the baseline P({variable.name}={variable.states[1]}) is {baseline}; a logistic "
            "prior needs it strictly between 0 and 1",
        )
    parents = tuple(name for name in vocabulary.risk_factors if name in rows_by_parent)
    odds_ratios = []
    for name in parents:
        parent = vocabulary[name]
        ratios = np.ones(parent.card)
        for row in rows_by_parent[name]:
            ratios[parent.states.index(row.text("parent_state"))] = row.number("value")
        given = {row.text("parent_state") for row in rows_by_parent[name]}
        missing = [s for s in parent.states[1:] if s not in given]
        if missing:
            row = rows_by_parent[name][0]
            raise row.error(
                "parent_state",
                f"{variable.name!r} has odds ratios for {name!r} but none for "
                f"{name}={missing[0]!r}; give every non-reference state one (1 = no effect)",
            )
        odds_ratios.append(ratios)
    _check_extreme_risk(
        variable, baseline, block[0], parents, odds_ratios, rows_by_parent, vocabulary
    )
    return LogisticPrior(variable.name, baseline, parents, tuple(odds_ratios))


def _check_extreme_risk(
    variable: Variable,
    baseline: float,
    baseline_row: Row,
    parents: tuple[str, ...],
    odds_ratios: list[np.ndarray],
    rows_by_parent: dict[str, list[Row]],
    vocabulary: Vocabulary,
) -> None:
    """Refuse a logistic prior whose P(present) or P(absent) falls below SMALLEST_PROBABILITY.

    The baseline alone is checked first (its row is named); then the risk factors' most
    extreme combination each way, naming the odds ratio that pushes it furthest.
    """
    floor = f"{SMALLEST_PROBABILITY:.4g}"
    why = (
        f"below {floor}, the smallest probability computed exactly (a smaller one rounds to 0, "
        "which makes evidence of the cause impossible)"
    )
    if baseline < SMALLEST_PROBABILITY:
        raise baseline_row.error(
            "value",
            f"the baseline P({variable.name}={variable.states[1]}) is "
            f"{baseline_row.text('value')}, {why}; expected a baseline between {floor} and 1",
        )
    limit = -math.log(SMALLEST_PROBABILITY)  # |log odds| up to this keeps both states >= floor
    base = math.log(baseline) - math.log1p(-baseline)
    for towards, rare in ((-1.0, variable.states[1]), (1.0, variable.states[0])):
        # towards -1: the lowest log odds (presence rarest); +1: the highest (absence rarest)
        picks = [int(np.argmax(towards * np.log(ratios))) for ratios in odds_ratios]
        log_odds = base + sum(
            math.log(ratios[i]) for ratios, i in zip(odds_ratios, picks, strict=True)
        )
        if towards * log_odds <= limit:
            continue
        given = [
            (name, vocabulary[name].states[i]) for name, i in zip(parents, picks, strict=True) if i
        ]
        culprits = [
            row
            for name, state in given
            for row in rows_by_parent[name]
            if row.text("parent_state") == state
        ]
        culprit = max(
            culprits, key=lambda row: towards * math.log(row.number("value")), default=baseline_row
        )
        condition = ", ".join(f"{name}={state}" for name, state in given)
        raise culprit.error(
            "value",
            f"with the baseline {baseline_row.text('value')} (line {baseline_row.line}), "
            f"P({variable.name}={rare} | {condition}) is about {math.exp(-abs(log_odds)):.3g}, "
            f"{why}; expected odds ratios that keep it at or above {floor}",
        )


def _subtype_prior(
    variable: Variable,
    block: list[Row],
    rows_by_parent: dict[str, list[Row]],
    vocabulary: Vocabulary,
) -> SubtypePrior:
    """P(subtype | group present, risk factors at reference) and the odds ratios."""
    below = Variable(variable.name, variable.role, variable.states[1:], variable.model, "")
    present = _distribution(block, below, "value")
    probabilities = np.concatenate([[0.0], present])
    parents = tuple(name for name in vocabulary.risk_factors if name in rows_by_parent)
    odds_ratios = []
    for name in parents:
        parent = vocabulary[name]
        ratios = np.ones((variable.card, parent.card))
        given: dict[str, set[str]] = {}
        for row in rows_by_parent[name]:
            own = variable.states.index(row.text("state"))
            ratios[own, parent.states.index(row.text("parent_state"))] = row.number("value")
            given.setdefault(row.text("state"), set()).add(row.text("parent_state"))
        for state, states in given.items():
            missing = [s for s in parent.states[1:] if s not in states]
            if missing:
                row = next(r for r in rows_by_parent[name] if r.text("state") == state)
                raise row.error(
                    "parent_state",
                    f"{variable.name}={state!r} has odds ratios for {name!r} but none for "
                    f"{name}={missing[0]!r}; give every non-reference state one (1 = no effect)",
                )
        odds_ratios.append(ratios)
    return SubtypePrior(
        variable.name,
        variable.group,
        probabilities,
        parents,
        tuple(odds_ratios),
        states=variable.states,
    )
