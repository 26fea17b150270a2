"""Learning the numbers from cases: the CSV numbers as a prior, updated by data.

The numbers are *canonical* parameters (baselines, odds ratios, noisy-OR probabilities), not
full CPT columns, so Dirichlet counts of CPT columns do not map back onto them. Instead the
canonical parameters are learned directly, by maximum a posteriori estimation with the CSV
numbers as the prior, in the form of *virtual cases*:

* the prior is ``ess`` virtual cases drawn from the original model (each variable's ``ess`` is
  the smallest equivalent sample size of its numbers, or the ``equivalent_sample_size``
  given): for every family (a variable and its parents) their expected counts, exactly;
* the data add their counts; a case with missing values adds *expected* counts given what it
  shows, computed exactly with the compiled engine (the E-step of EM);
* each variable's canonical parameters then maximise the log-likelihood of all those counts
  (the M-step; closed form for a risk factor's distribution, a quasi-Newton (L-BFGS) search
  for the others, parameterised so that noisy-OR/MAX rules always hold);
* E- and M-steps repeat until the log-likelihood of the cases rises by less than
  ``TOLERANCE`` per case (with every risk factor and cause observed, one round is exact).

Only variables that some case observes, or whose child some case observes, are learned; the
others keep their CSV numbers and sources unchanged.

With no cases the result is the original model; with many it approaches the maximum
likelihood canonical model. Every learned number's row gets the source
``learned: N cases + ESS virtual (prior: <old source>)`` and ``sample_size`` ESS + N.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..canonical import (
    LEAK_RULE_MODELS,
    FindingParameters,
    LogisticPrior,
    Parameters,
    RiskFactorDistribution,
    SubtypePrior,
    alone_from_own_effect,
    expand,
    own_effect,
    project_onto_leak_rule,
)
from ..errors import EvidenceError
from ..evidence import impossible_evidence
from ..inference import Inference
from ..io.numbers import Number, specification_from_numbers
from ..io.specification import LEAK, NetworkSpecification

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["fit"]

#: Stop EM when the mean log-likelihood per case rises by less than this.
TOLERANCE = 1e-5
MAX_ITERATIONS = 50
#: Keeps learned probabilities off exactly 0 and 1 (the loader and log-space need that).
EPSILON = 1e-9


def fit(
    model: DiagnosticModel,
    cases: pd.DataFrame,
    *,
    equivalent_sample_size: float | None = None,
    max_iterations: int = MAX_ITERATIONS,
) -> DiagnosticModel:
    """See :meth:`DiagnosticModel.fit`."""
    from ..model import from_specification

    patterns, counts = _case_patterns(model, cases)
    ess = _prior_sizes(model, equivalent_sample_size)
    context = _Context(model)
    virtual = prior_counts(model, context)
    parameters = {name: model.parameters(name) for name in model.variables}
    informed = _informed_variables(model, patterns)
    # with every risk factor and cause observed in every case, the expected counts do not
    # depend on the parameters: one E-step and one M-step give the exact answer
    complete = all(all(context.index[name] in p.hard for name in context.core) for p in patterns)
    current = model.inference
    previous = -math.inf
    for _ in range(1 if complete else max(1, max_iterations)):
        data_counts, log_likelihood = context.case_counts(current, patterns, counts)
        if log_likelihood - previous < TOLERANCE * counts.sum():
            break
        previous = log_likelihood
        for name in informed:
            total = ess[name] * virtual[name] + data_counts[name]
            parameters[name] = _maximise(parameters[name], total, context)
        specification = NetworkSpecification(
            folder=model.folder,
            vocabulary=model.vocabulary,
            parameters=tuple(parameters[name] for name in model.variables),
            numbers=model.numbers,
        )
        current = Inference(specification)  # the E-step needs answers, not a whole model
    n_cases = int(counts.sum())
    return from_specification(_learned_specification(model, parameters, ess, n_cases, informed))


def _informed_variables(model: DiagnosticModel, patterns: list[_Pattern]) -> list[str]:
    """Variables that some case observes, or one of whose children some case observes (and
    the group of every such subtype).

    The others keep their CSV numbers exactly: no case says anything about them directly
    (EM would only nudge them through far-away evidence, at a high cost in time).
    """
    seen = {model.variables[v] for pattern in patterns for v in (*pattern.hard, *pattern.soft)}

    def child_seen(name: str) -> bool:
        return any(child in seen for child in model.variables if name in model.parents(child))

    informed = {name for name in model.variables if name in seen or child_seen(name)}
    # a subtype only refines its group (the findings hang on the subtype's states), so a case
    # that informs the subtype informs its group as well: the group's only child is the subtype
    for name in model.variables:
        parameters = model.parameters(name)
        if isinstance(parameters, SubtypePrior) and name in informed:
            informed.add(parameters.group)
    return [name for name in model.variables if name in informed]


# -- the cases ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Pattern:
    """One distinct evidence pattern of the cases, in the engine's index form.

    ``soft`` holds likelihood evidence, which a column named by an alias stands for when its
    value does not pin one state (``worse_with_sitting=no``: no_change or relieved).
    """

    hard: dict[int, int]
    soft: dict[int, tuple[float, ...]]


def _case_patterns(model: DiagnosticModel, cases: Any) -> tuple[list[_Pattern], np.ndarray]:
    """Distinct evidence patterns of the cases, and how many cases show each."""
    if not isinstance(cases, pd.DataFrame):
        raise TypeError(
            "cases must be a pandas DataFrame with one column per observed variable and one "
            f"row per case (missing values as NaN or None); got {type(cases).__name__}"
        )
    if len(cases) == 0:
        raise ValueError("cases is empty; give at least one case (one row)")
    tally: dict[tuple[tuple[Any, ...], ...], int] = {}
    # identical rows are checked and counted once
    unique = cases.astype(object).where(cases.notna(), None).value_counts(dropna=False, sort=False)
    for values, count in unique.items():
        values = values if isinstance(values, tuple) else (values,)
        row = dict(zip(cases.columns, values, strict=True))
        evidence = {k: v for k, v in row.items() if not _missing(v)}
        try:
            observation = model.inference.observe(evidence)  # aliases resolved as everywhere
        except EvidenceError as error:
            first = cases.index[(cases.astype(object) == pd.Series(row)).all(axis=1)]
            label = first[0] if len(first) else "?"
            raise EvidenceError(f"case {label!r}: {error}") from None
        key = (
            tuple(sorted(observation.hard.items())),
            tuple(sorted(observation.likelihoods.items())),
        )
        tally[key] = tally.get(key, 0) + int(count)
    for column in cases.columns:  # also a column that is entirely missing
        try:
            model.inference.observe({column: _first_state(model, column)})
        except EvidenceError as error:
            raise EvidenceError(f"cases column {column!r}: {error}") from None
    patterns = [_Pattern(dict(hard), dict(soft)) for hard, soft in tally]
    return patterns, np.array(list(tally.values()), dtype=float)


def _first_state(model: DiagnosticModel, column: object) -> object:
    """A valid state for a column named by a variable or an alias; the name itself otherwise
    (so that ``observe`` names what is wrong with it)."""
    alias = model.vocabulary.alias_of.get(column) if isinstance(column, str) else None
    if alias is not None:
        return alias.states[0]
    if isinstance(column, str) and column in model.variables:
        return model.states(column)[0]
    return "?"


def _missing(value: object) -> bool:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _prior_sizes(model: DiagnosticModel, given: float | None) -> dict[str, float]:
    if given is not None:
        if isinstance(given, bool) or not isinstance(given, int | float) or not given >= 0:
            raise ValueError(
                f"equivalent_sample_size must be a number >= 0 (0 = ignore the CSV numbers); "
                f"got {given!r}"
            )
        return dict.fromkeys(model.variables, float(given))
    sizes: dict[str, float] = {}
    for number in model.numbers:
        sizes[number.variable] = min(
            sizes.get(number.variable, math.inf), number.effective_sample_size
        )
    return sizes


# -- expected counts ----------------------------------------------------------------------------


class _Context:
    """The core grid: which state each core variable has in each core configuration."""

    def __init__(self, model: DiagnosticModel) -> None:
        vocabulary = model.vocabulary
        self.core = list(vocabulary.core)
        self.grid = model.inference.compiled("fit").core
        self.states_of = {name: self.grid.states_of(name) for name in self.core}
        self.findings = list(vocabulary.findings)
        self.cards = {v.name: v.card for v in vocabulary}
        self.index = {name: i for i, name in enumerate(vocabulary.names)}

    def family_counts(self, counts: np.ndarray, parents: tuple[str, ...]) -> np.ndarray:
        """(card, K) counts summed down to (card, *parent cards), parents in the given order."""
        return self.grid.family_sum(counts, parents)

    def expected_counts(
        self, weights: np.ndarray, finding_states: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Counts per variable as (card, K): core variables from the weights over the grid;
        a finding's from ``finding_states[f]`` (card, K) directly."""
        counts = {}
        for name in self.core:
            own = np.zeros((self.cards[name], weights.shape[0]))
            own[self.states_of[name], np.arange(weights.shape[0])] = weights
            counts[name] = own
        counts.update(finding_states)
        return counts

    def case_counts(
        self, inference: Inference, patterns: list[_Pattern], counts: np.ndarray
    ) -> tuple[dict[str, np.ndarray], float]:
        """Expected counts of the cases under ``inference`` (E-step), and their log-likelihood.

        A finding with soft evidence L in a case counts state s at configuration k with weight
        w_k L_s P(s | k) / sum_t L_t P(t | k): the posterior of its states given the case.
        """
        engine = inference.compiled("fit")
        K = engine.n_configurations
        core_weights = np.zeros(K)
        finding_counts = {f: np.zeros((self.cards[f], K)) for f in self.findings}
        log_likelihood = 0.0
        for pattern, count in zip(patterns, counts, strict=True):
            extra = engine.soft_log_rows(pattern.soft).sum(axis=0) if pattern.soft else None
            weights, log_evidence = engine.posterior_weights(engine.rows(pattern.hard), extra)
            if not np.isfinite(log_evidence):
                self._impossible(inference, pattern)
            log_likelihood += count * log_evidence
            core_weights += count * weights
            for finding in self.findings:
                index = self.index[finding]
                state = pattern.hard.get(index)
                if state is not None:
                    finding_counts[finding][state] += count * weights
                elif index in pattern.soft:
                    start = engine.offsets[index]
                    block = engine.likelihood[start : start + self.cards[finding]]
                    joint = np.asarray(pattern.soft[index])[:, None] * block  # L_s P(s | k)
                    finding_counts[finding] += count * weights * joint / joint.sum(axis=0)
                # a missing finding carries no information
        return self.expected_counts(core_weights, finding_counts), log_likelihood

    @staticmethod
    def _impossible(inference: Inference, pattern: _Pattern) -> None:
        """Raise the EvidenceError for a case the model being fitted finds impossible."""
        variables = inference.vocabulary.variables
        evidence = {variables[v].name: variables[v].states[s] for v, s in pattern.hard.items()}
        soft = {
            variables[v].name: dict(zip(variables[v].states, values, strict=True))
            for v, values in pattern.soft.items()
        }
        culprits = inference.culprits(inference.observe(evidence, soft or None))
        raise impossible_evidence(evidence, soft or None, culprits, where="the model being fitted")


# -- the M-step --------------------------------------------------------------------------------


def _maximise(parameters: Parameters, counts: np.ndarray, context: _Context) -> Parameters:
    """The canonical parameters that maximise sum(counts * log P(variable | parents))."""
    if counts.sum() <= 0:
        return parameters
    if isinstance(parameters, RiskFactorDistribution):
        totals = counts.sum(axis=1)
        return dataclasses.replace(parameters, probabilities=_clean(totals / totals.sum()))
    pack, unpack = _coordinates(parameters)
    from scipy.optimize import minimize

    family = context.family_counts(counts, expand(parameters).parents)
    positive = family > 0

    def negative_log_likelihood(x: np.ndarray) -> float:
        table = expand(unpack(x)).table
        return -float((family[positive] * np.log(np.maximum(table[positive], 1e-300))).sum())

    result = minimize(negative_log_likelihood, pack(parameters), method="L-BFGS-B")
    return unpack(result.x)


def _coordinates(parameters: Parameters) -> tuple[Any, Any]:
    """Unconstrained coordinates of a variable's canonical parameters, both ways."""
    if isinstance(parameters, LogisticPrior):
        sizes = [len(r) - 1 for r in parameters.odds_ratios]

        def pack(p: LogisticPrior) -> np.ndarray:
            logit = math.log(p.baseline) - math.log1p(-p.baseline)
            return np.concatenate([[logit], *(np.log(r[1:]) for r in p.odds_ratios)])

        def unpack(x: np.ndarray) -> LogisticPrior:
            baseline = float(np.clip(1 / (1 + np.exp(-x[0])), EPSILON, 1 - EPSILON))
            ratios, start = [], 1
            for size in sizes:
                ratios.append(
                    np.concatenate([[1.0], np.exp(np.clip(x[start : start + size], -30, 30))])
                )
                start += size
            return dataclasses.replace(parameters, baseline=baseline, odds_ratios=tuple(ratios))

        return pack, unpack
    if isinstance(parameters, SubtypePrior):
        return _subtype_coordinates(parameters)
    assert isinstance(parameters, FindingParameters)
    card = len(parameters.leak)
    n_parents = len(parameters.alone)
    noisy = parameters.model in LEAK_RULE_MODELS

    def pack_finding(p: FindingParameters) -> np.ndarray:
        parts = [_logits(p.leak)]
        for alone in p.alone:
            parts.append(_logits(_own_increments(p.leak, alone)) if noisy else _logits(alone))
        return np.concatenate(parts)

    def unpack_finding(x: np.ndarray) -> FindingParameters:
        blocks = x.reshape(n_parents + 1, card)
        leak = _clean(_softmax(blocks[0]))
        if noisy:  # own cumulative effect: a cumulative softmax, so in [0, 1] and rising
            alone = tuple(
                _clean(alone_from_own_effect(leak, np.cumsum(_softmax(b)))) for b in blocks[1:]
            )
        else:
            alone = tuple(_clean(_softmax(b)) for b in blocks[1:])
        return dataclasses.replace(parameters, leak=leak, alone=alone)

    return pack_finding, unpack_finding


def _subtype_coordinates(parameters: SubtypePrior) -> tuple[Any, Any]:
    """Logits of the distribution below 'none', then the log odds ratios of the non-reference
    states (rows 2..) at the non-reference parent states (columns 1..)."""
    shapes = [r[2:, 1:].shape for r in parameters.odds_ratios]
    card = len(parameters.probabilities)

    def pack(p: SubtypePrior) -> np.ndarray:
        parts = [_logits(np.asarray(p.probabilities[1:]))]
        parts += [np.log(r[2:, 1:]).ravel() for r in p.odds_ratios]
        return np.concatenate(parts)

    def unpack(x: np.ndarray) -> SubtypePrior:
        probabilities = np.concatenate([[0.0], _clean(_softmax(x[: card - 1]))])
        ratios, start = [], card - 1
        for shape, original in zip(shapes, parameters.odds_ratios, strict=True):
            size = shape[0] * shape[1]
            block = np.ones_like(original, dtype=float)
            block[2:, 1:] = np.exp(np.clip(x[start : start + size], -30, 30)).reshape(shape)
            ratios.append(block)
            start += size
        return dataclasses.replace(
            parameters, probabilities=probabilities, odds_ratios=tuple(ratios)
        )

    return pack, unpack


def _own_increments(leak: np.ndarray, alone: np.ndarray) -> np.ndarray:
    """The increments of the link's own effect (projected onto the leak rule): a distribution."""
    own = own_effect(leak, project_onto_leak_rule(leak, alone))
    return np.diff(own, prepend=0.0)


def _logits(distribution: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(distribution, EPSILON))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def _clean(distribution: np.ndarray) -> np.ndarray:
    clipped = np.clip(distribution, EPSILON, None)
    return clipped / clipped.sum()


# -- back to numbers ---------------------------------------------------------------------------


def _value(parameters: Parameters, number: Number, states: tuple[str, ...]) -> float:
    """The value of ``number`` in canonical ``parameters`` (``states`` as in replace_value)."""
    if isinstance(parameters, RiskFactorDistribution):
        return float(parameters.probabilities[states.index(number.state)])
    if isinstance(parameters, LogisticPrior):
        if number.kind == "odds_ratio":
            ratios = parameters.odds_ratios[parameters.parents.index(number.parent)]
            return float(ratios[states.index(number.parent_state)])
        baseline = float(parameters.baseline)
        return baseline if number.state == states[1] else 1 - baseline
    if isinstance(parameters, SubtypePrior):
        own = parameters.states.index(number.state)
        if number.kind == "odds_ratio":
            ratios = parameters.odds_ratios[parameters.parents.index(number.parent)]
            return float(ratios[own, states.index(number.parent_state)])
        return float(parameters.probabilities[own])
    distribution = (
        parameters.leak
        if number.parent == LEAK
        else parameters.alone[parameters.link(number.parent)]
    )
    return float(distribution[states.index(number.state)])


def _learned_specification(
    model: DiagnosticModel,
    parameters: dict[str, Parameters],
    ess: dict[str, float],
    n: int,
    informed: list[str],
) -> NetworkSpecification:
    numbers = []
    for number in model.numbers:
        if number.variable not in informed:
            numbers.append(number)
            continue
        owner = number.parent if number.kind == "odds_ratio" else number.variable
        states = model.vocabulary[owner].states
        value = _value(parameters[number.variable], number, states)
        size = ess[number.variable]
        numbers.append(
            dataclasses.replace(
                number,
                value=value,
                source=f"learned: {n} cases + {size:g} virtual (prior: {number.source})",
                sample_size=size + n,
            )
        )
    return specification_from_numbers(model.folder, model.vocabulary, numbers)


def prior_counts(model: DiagnosticModel, context: _Context) -> dict[str, np.ndarray]:
    """Expected counts of one virtual case from the model itself, per family, (card, K)."""
    engine = model.inference.compiled("fit")
    weights = np.exp(engine.log_prior)
    findings = {
        f: engine.likelihood[
            engine.offsets[context.index[f]] : engine.offsets[context.index[f]] + context.cards[f]
        ]
        * weights
        for f in context.findings
    }
    return context.expected_counts(weights, findings)
