"""One-way sensitivity: how a posterior moves when one number of the CSV files changes.

Every number (``model.numbers``) is varied on its own, all others fixed. A probability is
varied with *proportional co-variation*: the other probabilities of its distribution are
rescaled so that it still sums to one (the standard choice, which keeps their ratios). An
odds ratio is varied alone.

The *plausible range* of a number is its odds divided and multiplied by ``factor`` (default
2): a probability of 0.2 (odds 1:4) ranges over 0.111 to 0.333, an odds ratio of 1.5 over
0.75 to 3. The odds scale treats small and large probabilities alike and never leaves 0..1.
Where the range would break the canonical model (a noisy-OR cause's probability below its
finding's leak), it stops at the boundary of what the model allows.

Each endpoint is exact: the number's variable gets its canonical parameters rebuilt and its
CPT expanded, and only the part of the compiled arrays that CPT touches is recomputed. Both
endpoints of all the numbers of one variable are done as one batch (stacked parameters, one
vectorised expansion, one matrix product), since only that variable's factor changes. A
finding that is not observed cannot move a cause's posterior at all (it is a barren leaf), so
its numbers have swing zero without any computation.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..canonical import (
    Cpt,
    FindingParameters,
    LogisticPrior,
    Parameters,
    RiskFactorDistribution,
    SubtypePrior,
    expand,
    expand_many,
    stack,
    valid_tables,
)
from ..checks import check_scalar
from ..errors import EvidenceError
from ..evidence import check_cause, impossible_evidence
from ..io.numbers import Number
from .results import Sensitivity

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = [
    "OneNumberPosterior",
    "replace_value",
    "sensitivity",
]


def __getattr__(name: str) -> object:
    """``tipping_points`` moved to :mod:`.tipping_points`; this name keeps working."""
    if name == "tipping_points":
        from .tipping_points import tipping_points

        return tipping_points
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Tolerance of the CPT check: an entry below -TOLERANCE means the model is broken.
TOLERANCE = 1e-12


# -- changing one number in canonical parameters -----------------------------------------------


def replace_value(
    parameters: Parameters, number: Number, value: float, states: tuple[str, ...]
) -> Parameters:
    """``parameters`` with ``number`` set to ``value``, co-varying the rest of its distribution.

    ``states`` are the states of the number's variable (for an odds ratio, of its risk factor).
    """
    if isinstance(parameters, RiskFactorDistribution):
        index = states.index(number.state)
        return dataclasses.replace(
            parameters, probabilities=_covary(parameters.probabilities, index, value)
        )
    if isinstance(parameters, LogisticPrior):
        if number.kind == "odds_ratio":
            axis = parameters.parents.index(number.parent)
            ratios = list(parameters.odds_ratios)
            ratios[axis] = ratios[axis].copy()
            ratios[axis][states.index(number.parent_state)] = value
            return dataclasses.replace(parameters, odds_ratios=tuple(ratios))
        present = value if number.state == states[1] else 1.0 - value
        return dataclasses.replace(parameters, baseline=present)
    if isinstance(parameters, SubtypePrior):
        own = parameters.states.index(number.state)
        if number.kind == "odds_ratio":
            axis = parameters.parents.index(number.parent)
            ratios = list(parameters.odds_ratios)
            ratios[axis] = ratios[axis].copy()
            ratios[axis][own, states.index(number.parent_state)] = value
            return dataclasses.replace(parameters, odds_ratios=tuple(ratios))
        distribution = np.asarray(parameters.probabilities, dtype=float)
        covaried = _covary(distribution[1:], own - 1, value)  # 'none' stays structural
        return dataclasses.replace(parameters, probabilities=np.concatenate([[0.0], covaried]))
    assert isinstance(parameters, FindingParameters)
    index = states.index(number.state)
    if number.kind == "leak":
        return dataclasses.replace(parameters, leak=_covary(parameters.leak, index, value))
    axis = parameters.link(number.parent)
    alone = list(parameters.alone)
    alone[axis] = _covary(alone[axis], index, value)
    return dataclasses.replace(parameters, alone=tuple(alone))


def _covary(distribution: np.ndarray, index: int, value: float) -> np.ndarray:
    """Set one probability; rescale the others proportionally so the sum stays one."""
    new = np.asarray(distribution, dtype=float).copy()
    rest = new.sum() - new[index]
    others = np.arange(len(new)) != index
    if rest > 0:
        new[others] *= (1.0 - value) / rest
    else:  # the others were all zero: share the remainder equally
        new[others] = (1.0 - value) / others.sum()
    new[index] = value
    return new


def is_valid(parameters: Parameters, cpt: Cpt) -> bool:
    """True if the parameters obey the loader's rules and every CPT entry is a probability.

    For noisy-OR/MAX that means, as at load: a cause never makes its finding milder than the
    leak (``canonical.leak_rule_holds``).
    """
    return bool(valid_tables(stack([parameters]), cpt.table[None], TOLERANCE)[0])


# -- the posterior with one variable's CPT changed ---------------------------------------------


class OneNumberPosterior:
    """P(cause present | evidence) for every cause, with one variable's CPT replaced.

    Built once per evidence: for each variable whose CPT can move the posterior (every risk
    factor and cause, and each observed finding) it keeps the log weights of the core
    configurations *without* that variable's factor, so a changed CPT costs one broadcast,
    one exponential and one matrix-vector product over the K core configurations.
    """

    def __init__(self, model: DiagnosticModel, evidence: Mapping[str, str] | None) -> None:
        vocabulary = model.vocabulary
        inference = model.inference
        engine = inference.compiled("sensitivity")
        # The inference layer's observation: aliases resolved, evidence checked, exactly as
        # every other tool sees it (an alias may stand for soft evidence on its variable).
        observation = inference.observe(evidence)
        rows = observation.rows
        names = vocabulary.names
        self.model = model
        self.evidence = dict(evidence or {})
        self.core = list(vocabulary.core)
        self.grid = engine.core
        self.observed = {names[v]: s for v, s in observation.hard.items()}
        #: Soft evidence {variable: likelihood per state, the largest scaled to 1}.
        self.soft: dict[str, np.ndarray] = {}
        soft_logs: dict[str, np.ndarray] = {}
        if observation.likelihoods:
            soft_rows = engine.soft_log_rows(observation.likelihoods)
            for position, (v, likelihoods) in enumerate(observation.likelihoods.items()):
                values = np.asarray(likelihoods, dtype=float)
                self.soft[names[v]] = values / values.max()
                soft_logs[names[v]] = soft_rows[position]
        hard_log = engine.log_likelihood[rows].sum(axis=0)
        evidence_log = hard_log + sum(soft_logs.values(), np.zeros_like(engine.log_prior))
        with np.errstate(divide="ignore"):
            core_logs = {name: np.log(self._grid(model.inference.cpts[name])) for name in self.core}
        self.without: dict[str, np.ndarray] = {}
        for name in self.core:
            others = sum(core_logs[other] for other in self.core if other != name)
            self.without[name] = others + evidence_log
        for name, state in self.observed.items():
            if vocabulary[name].role == "finding":
                own_row = engine.offsets[names.index(name)] + state
                kept = rows[rows != own_row]  # summed afresh: -inf - -inf would be NaN
                self.without[name] = (
                    engine.log_prior
                    + engine.log_likelihood[kept].sum(axis=0)
                    + sum(soft_logs.values(), np.zeros_like(engine.log_prior))
                )
        for name in self.soft:
            if name not in self.core:  # a finding with soft evidence: its own factor left out
                other_soft = [log for other, log in soft_logs.items() if other != name]
                self.without[name] = (
                    engine.log_prior + hard_log + sum(other_soft, np.zeros_like(engine.log_prior))
                )
        self.present_rows = engine.likelihood[engine.cause_present_rows]
        self.observed_causes = {
            position: float(self.observed[cause] == 1)
            for position, cause in enumerate(model.causes)
            if cause in self.observed
        }
        base = self._normalise(engine.log_prior + evidence_log)
        if base is None:
            raise impossible_evidence(
                observation.evidence, observation.soft, inference.culprits(observation)
            )
        self.base: np.ndarray = base

    def _grid(self, cpt: Cpt, state: int | None = None) -> np.ndarray:
        if state is None:
            table, axes = cpt.table, (cpt.variable, *cpt.parents)
        else:
            table, axes = cpt.table[state], cpt.parents
        return self.grid.gather(table, axes)

    def _evidence_grid(self, cpt: Cpt) -> np.ndarray:
        """P(the evidence on a finding | core configuration), with ``cpt`` as its CPT."""
        name = cpt.variable
        if name in self.soft:  # sum over states of likelihood x P(state | parents)
            table = np.tensordot(self.soft[name], cpt.table, axes=(0, 0))
            return self.grid.gather(table, cpt.parents)
        return self._grid(cpt, self.observed[name])

    def moves(self, variable: str) -> bool:
        """Whether the CPT of ``variable`` can change the causes' posterior at all."""
        return variable in self.without

    def posterior(self, cpt: Cpt) -> np.ndarray | None:
        """The causes' posterior with ``cpt`` in place; ``None`` if the evidence is impossible."""
        name = cpt.variable
        if name not in self.without:
            return self.base
        grid = self._grid(cpt) if name in self.core else self._evidence_grid(cpt)
        with np.errstate(divide="ignore"):
            log_weights = self.without[name] + np.log(grid)
        return self._normalise(log_weights)

    def posteriors_of(self, variable: str, tables: np.ndarray) -> np.ndarray:
        """(m, causes): the posterior with each of ``m`` CPTs of ``variable`` in place.

        ``tables`` is (m, *CPT shape), axes as in the model's CPT of ``variable``; rows of
        the result are NaN where the evidence becomes impossible with that CPT.
        """
        if variable not in self.without:
            return np.tile(self.base, (len(tables), 1))
        parents = self.model.inference.cpts[variable].parents
        if variable in self.core:
            axes = (variable, *parents)
        elif variable in self.soft:  # soft evidence: the states weighed by their likelihoods
            tables, axes = np.tensordot(tables, self.soft[variable], axes=(1, 0)), parents
        else:  # an observed finding: only its observed state's entries matter
            tables, axes = tables[:, self.observed[variable]], parents
        grids = self.grid.gather(tables, axes)  # (m, K): the leading axis is kept
        with np.errstate(divide="ignore"):
            return self._normalise_many(self.without[variable] + np.log(grids))

    def _normalise_many(self, log_weights: np.ndarray) -> np.ndarray:
        """(m, causes) posteriors from (m, K) unnormalised log weights; NaN rows if impossible."""
        peak = log_weights.max(axis=1, keepdims=True)
        with np.errstate(invalid="ignore"):
            weights = np.exp(log_weights - peak)
            weights /= weights.sum(axis=1, keepdims=True)
        values = weights @ self.present_rows.T
        values[~np.isfinite(peak[:, 0])] = np.nan
        for position, value in self.observed_causes.items():
            values[:, position] = value
        return values

    def _normalise(self, log_weights: np.ndarray) -> np.ndarray | None:
        peak = log_weights.max()
        if not np.isfinite(peak):
            return None
        weights = np.exp(log_weights - peak)
        values = self.present_rows @ (weights / weights.sum())
        for position, value in self.observed_causes.items():
            values[position] = value
        return values


# -- sensitivity -------------------------------------------------------------------------------


def sensitivity(
    model: DiagnosticModel,
    evidence: Mapping[str, str] | None,
    cause: str,
    *,
    factor: float = 2.0,
) -> Sensitivity:
    """How P(cause | evidence) moves as each number runs over its plausible range.

    See :meth:`DiagnosticModel.sensitivity`.
    """
    position = _check_cause(model, cause)
    factor = check_scalar(
        factor,
        "factor",
        expected="a number greater than 1 (e.g. 2)",
        minimum=1,
        include_minimum=False,
    )
    evaluator = OneNumberPosterior(model, evidence)
    if cause in evaluator.observed:
        raise EvidenceError(
            f"cause {cause!r} is observed in the evidence ({cause}="
            f"{evaluator.evidence[cause]}), so its probability cannot move; "
            "leave it out of the evidence or ask about another cause"
        )
    at_value = float(evaluator.base[position])
    records = []
    moving: dict[str, list[tuple[dict, Number]]] = {}  # variable -> its numbers' records
    for index, number in enumerate(model.numbers):
        low, high = _plausible_range(number, factor)
        record: dict[str, Any] = {
            **identity(index, number),
            "low": low,
            "high": high,
            "posterior_at_low": at_value,
            "posterior_at_high": at_value,
        }
        if evaluator.moves(number.variable):
            moving.setdefault(number.variable, []).append((record, number))
        records.append(record)
    for variable, items in moving.items():
        _fill_endpoints(model, evaluator, variable, items, position)
    for record in records:
        record["swing"] = abs(record["posterior_at_high"] - record["posterior_at_low"])
    records.sort(key=lambda record: -record["swing"])  # stable: ties keep the CSV order
    table = pd.DataFrame({column: [record[column] for record in records] for column in records[0]})
    return Sensitivity(
        table=table,
        cause=cause,
        cause_label=model.labels[cause],
        evidence=dict(evidence or {}),
        posterior=at_value,
        factor=float(factor),
        numbers=tuple(model.numbers),
        vocabulary=model.vocabulary,
    )


def _fill_endpoints(
    model: DiagnosticModel,
    evaluator: OneNumberPosterior,
    variable: str,
    items: list[tuple[dict, Number]],
    position: int,
) -> None:
    """Set ``posterior_at_low/high`` of the records of one variable's numbers, in one batch.

    Every endpoint of every number of the variable is one changed copy of its parameters;
    they are expanded, checked and evaluated together. An endpoint that breaks the model is
    moved back to the nearest valid value one at a time (rare: only noisy-OR/MAX limits).
    """
    parameters = model.parameters(variable)
    ends = [(record, number, end) for record, number in items for end in ("low", "high")]
    changed = _replace_many(
        parameters,
        [number for _, number, _ in ends],
        np.array([record[end] for record, _, end in ends], dtype=float),
        [_states_of(model, number) for _, number, _ in ends],
    )
    tables, valid = _expand_many(changed, len(ends))
    values = np.full(len(ends), np.nan)
    if valid.any():  # a broken CPT (negative entries) is never evaluated
        values[valid] = evaluator.posteriors_of(variable, tables[valid])[:, position]
    for (record, number, end), value, ok in zip(ends, values, valid, strict=True):
        if not ok:
            record[end], cpt = _within_valid(varier(model, number), number.value, record[end])
            moved = None if cpt is None else evaluator.posterior(cpt)
            value = np.nan if moved is None else moved[position]
        if np.isfinite(value):
            record[f"posterior_at_{end}"] = float(value)


def _states_of(model: DiagnosticModel, number: Number) -> tuple[str, ...]:
    """The states ``replace_value`` indexes: the risk factor's for an odds ratio."""
    owner = number.parent if number.kind == "odds_ratio" else number.variable
    return model.vocabulary[owner].states


def _replace_many(
    parameters: Parameters,
    numbers: list[Number],
    values: np.ndarray,
    states: list[tuple[str, ...]],
) -> Parameters:
    """:func:`replace_value` for many (number, value) pairs of one variable at once.

    Returns *stacked* parameters: every array field gets a leading axis over the pairs (the
    baseline becomes an array), row ``j`` holding the parameters with ``numbers[j]`` set to
    ``values[j]``.
    """
    m = len(numbers)

    def tiled(array: np.ndarray) -> np.ndarray:
        return np.tile(np.asarray(array, dtype=float), (m, 1))

    if isinstance(parameters, RiskFactorDistribution):
        probabilities = tiled(parameters.probabilities)
        _covary_rows(probabilities, range(m), numbers, values, states)
        return dataclasses.replace(parameters, probabilities=probabilities)
    if isinstance(parameters, LogisticPrior):
        baseline = np.full(m, parameters.baseline, dtype=float)
        odds_ratios = tuple(tiled(ratios) for ratios in parameters.odds_ratios)
        for j, (number, value, own) in enumerate(zip(numbers, values, states, strict=True)):
            if number.kind == "odds_ratio":
                axis = parameters.parents.index(number.parent)
                odds_ratios[axis][j, own.index(number.parent_state)] = value
            else:
                baseline[j] = value if number.state == own[1] else 1.0 - value
        return dataclasses.replace(
            parameters,
            baseline=baseline,  # batched: one per endpoint
            odds_ratios=odds_ratios,
        )
    if isinstance(parameters, SubtypePrior):
        return stack(
            [
                replace_value(parameters, number, value, own)
                for number, value, own in zip(numbers, values, states, strict=True)
            ]
        )
    assert isinstance(parameters, FindingParameters)
    leak = tiled(parameters.leak)
    alone = tuple(tiled(distribution) for distribution in parameters.alone)
    targets: dict[int | None, list[int]] = {}  # None: the leak; else the cause's axis
    for j, number in enumerate(numbers):
        key = None if number.kind == "leak" else parameters.link(number.parent)
        targets.setdefault(key, []).append(j)
    for key, rows in targets.items():
        distributions = leak if key is None else alone[key]
        picked = [numbers[j] for j in rows]
        _covary_rows(distributions, rows, picked, values[rows], [states[j] for j in rows])
    return dataclasses.replace(parameters, leak=leak, alone=alone)


def _covary_rows(
    distributions: np.ndarray,
    rows: Iterable[int],
    numbers: list[Number],
    values: np.ndarray,
    states: list[tuple[str, ...]],
) -> None:
    """:func:`_covary` in place on ``distributions[rows]``, each row with its own number."""
    picked = np.fromiter(rows, dtype=np.intp)
    index = np.array([own.index(number.state) for number, own in zip(numbers, states, strict=True)])
    block = distributions[picked]
    rest = block.sum(axis=1) - block[np.arange(len(picked)), index]
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = block * ((1.0 - values) / rest)[:, None]
        shared = ((1.0 - values) / (block.shape[1] - 1))[:, None]  # the others were all zero
    block = np.where((rest > 0)[:, None], scaled, shared)
    block[np.arange(len(picked)), index] = values
    distributions[picked] = block


def _expand_many(changed: Parameters, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Expand stacked parameters (from :func:`_replace_many`): (m, *CPT shape), validity (m,).

    ``canonical.expand_many`` and ``canonical.valid_tables``, with the leading axis over the
    parameter sets.
    """
    tables = expand_many(changed)
    return tables, valid_tables(changed, tables, TOLERANCE)


def _check_cause(model: DiagnosticModel, cause: object) -> int:
    variable = check_cause(cause, model.vocabulary, what="sensitivity")
    return model.causes.index(variable.name)


def _plausible_range(number: Number, factor: float) -> tuple[float, float]:
    return _odds_times(number, 1 / factor), _odds_times(number, factor)


def _odds_times(number: Number, multiplier: float) -> float:
    """For an odds ratio the value itself times ``multiplier``; for a probability its odds."""
    if number.kind == "odds_ratio":
        return number.value * multiplier
    return _from_odds(_odds(number.value) * multiplier)


def _odds(p: float) -> float:
    return math.inf if p >= 1 else p / (1 - p)


def _from_odds(odds: float) -> float:
    return 1.0 if math.isinf(odds) else odds / (1 + odds)


#: value -> the CPT of the number's variable with that value in place, or None if the value
#: breaks the canonical model.
Varier = Callable[[float], "Cpt | None"]


def varier(model: DiagnosticModel, number: Number) -> Varier:
    """A :data:`Varier` for ``number``: its variable's CPT with the number set to a value."""
    parameters = model.parameters(number.variable)
    owner = number.parent if number.kind == "odds_ratio" else number.variable
    states = model.vocabulary[owner].states

    def vary(value: float) -> Cpt | None:
        changed = replace_value(parameters, number, value, states)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            cpt = expand(changed)
        return cpt if is_valid(changed, cpt) else None

    return vary


def _within_valid(
    vary: Varier, start: float, end: float, steps: int = 50
) -> tuple[float, Cpt | None]:
    """``end``, or the point nearest it (from ``start``) where the model is still valid; with
    the CPT there."""
    cpt = vary(end)
    if cpt is not None:
        return end, cpt
    good, bad = start, end
    for _ in range(steps):
        middle = (good + bad) / 2
        good, bad = (middle, bad) if vary(middle) is not None else (good, middle)
    return good, vary(good)


def identity(index: int, number: Number) -> dict[str, object]:
    """The columns that say which number a row of a result is about, and where it is written."""
    return {
        "number": index,
        "label": number.label,
        "kind": number.kind,
        "file": number.file,
        "line": number.line,
        "value": number.value,
    }
