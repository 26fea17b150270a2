"""Credible intervals for posteriors from uncertainty in the numbers themselves.

Each distribution in the CSV files is treated as uncertain, with its *equivalent sample size*
n (the ``sample_size`` column, or the default for the row's source quality; the smallest over
the distribution's rows; see data/README.md):

* a distribution p (a risk factor's, a leak, a cause-alone distribution) is drawn from
  Dirichlet(n p); a cause's baseline b from Beta(n b, n (1 - b));
* an odds ratio from a lognormal distribution around it, log OR ~ Normal(log OR, 2 / sqrt(n)).

A noisy-OR/MAX draw in which a cause would make its finding *less* likely than the leak
(impossible in that model) is projected back onto the nearest allowed value: the cause's own
cumulative effect is capped at one and made non-decreasing.

Each draw is a whole model; the posterior is computed exactly for each one, and the interval
is the equal-tailed quantile range of those posteriors. Only the numbers that can move the
answer are drawn: risk factors, causes and the observed findings (the others are barren).
Soft evidence (given as ``soft``, or standing behind an alias such as ``worse_with_sitting``)
weighs each drawn model by the likelihood of the finding's states under that model's numbers.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..canonical import (
    LEAK_RULE_MODELS,
    FindingParameters,
    LogisticPrior,
    Parameters,
    RiskFactorDistribution,
    SubtypePrior,
    cpt_parents,
    expand_many,
    project_onto_leak_rule,
)
from ..checks import check_scalar
from ..evidence import impossible_evidence
from ..io.specification import LEAK
from ..vocabulary import Vocabulary
from .results import PosteriorIntervals

if TYPE_CHECKING:
    from ..inference import Observation
    from ..model import DiagnosticModel

__all__ = ["posterior_interval", "sample_sizes"]

#: From this many draws (a few seconds), ``progress=None`` shows a bar if stderr is a terminal.
PROGRESS_DRAWS = 10_000

#: Smallest probability a draw may give a state that had a positive probability (a draw of
#: exactly zero would make some evidence impossible in that one model).
FLOOR = 1e-12


def sample_sizes(model: DiagnosticModel) -> dict[tuple[str, str, str], float]:
    """Equivalent sample size of each distribution and odds ratio, keyed by ``Number.block``."""
    sizes: dict[tuple[str, str, str], float] = {}
    for number in model.numbers:
        key = number.block
        sizes[key] = min(sizes.get(key, math.inf), number.effective_sample_size)
    return sizes


def posterior_interval(
    model: DiagnosticModel,
    evidence: Mapping[str, str] | None,
    *,
    soft: Mapping[str, Mapping[str, float]] | None = None,
    level: float = 0.9,
    n: int = 2000,
    seed: int | np.random.Generator | None = None,
    progress: bool | None = None,
) -> PosteriorIntervals:
    """See :meth:`DiagnosticModel.posterior_interval`."""
    level = check_scalar(
        level,
        "level",
        expected="a probability between 0 and 1 (e.g. 0.9)",
        minimum=0,
        maximum=1,
        include_minimum=False,
        include_maximum=False,
    )
    n = int(
        check_scalar(
            n, "n", expected="a whole number of draws of at least 2", integer=True, minimum=2
        )
    )
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(
            f"progress must be True (always show a bar), False (never) or None (only for "
            f"{PROGRESS_DRAWS:,} draws or more, on a terminal); got {progress!r}"
        )
    point = model.posterior(evidence, soft=soft)  # checks the evidence and that it is possible
    observation = model.inference.observe(evidence, soft)  # aliases resolved as everywhere
    draws = _draw_posteriors(
        model, observation, n, np.random.default_rng(seed), progress=_bar_setting(progress, n)
    )
    tail = (1 - level) / 2
    table = pd.DataFrame(
        {
            "posterior": point.to_numpy(),
            "mean": draws.mean(axis=0),
            "lower": np.quantile(draws, tail, axis=0),
            "upper": np.quantile(draws, 1 - tail, axis=0),
        },
        index=point.index,
    )
    return PosteriorIntervals(
        table=table,
        level=float(level),
        n=n,
        evidence=dict(evidence or {}),
        labels=dict(point.attrs.get("labels", {})),
        vocabulary=model.vocabulary,
    )


def _bar_setting(progress: bool | None, n: int) -> bool | None:
    """True/False: show the bar or not; None: show it only if stderr is a terminal."""
    if progress is None and n < PROGRESS_DRAWS:
        return False
    return progress


def _draw_posteriors(
    model: DiagnosticModel,
    observation: Observation,
    n: int,
    rng: np.random.Generator,
    *,
    progress: bool | None = False,
) -> np.ndarray:
    """(n, causes) posteriors, one row per model drawn from the numbers' uncertainty.

    Vectorised over the draws: each variable's factor is built for all n models at once as
    an (n, K) array over the core configurations (the same formulas as ``canonical``). The
    progress bar (``progress`` as tqdm's ``disable=not progress``; None: on a terminal only)
    counts those variables, so the draws and their random numbers do not depend on it.
    """
    vocabulary = model.vocabulary
    engine = model.inference.compiled("posterior_interval")
    observed = {vocabulary.names[v]: s for v, s in observation.hard.items()}
    likelihoods = {
        vocabulary.names[v]: np.asarray(values, dtype=float)
        for v, values in observation.likelihoods.items()
    }
    core = list(vocabulary.core)
    # the state of each core variable in each core configuration, (K,) per variable
    states_of = {name: engine.core.states_of(name) for name in core}
    # evidence on risk factors and causes: indicator rows, the same in every draw
    core_rows = [
        engine.offsets[vocabulary.names.index(name)] + state
        for name, state in observed.items()
        if name in core
    ]
    with np.errstate(divide="ignore"):
        fixed = engine.log_likelihood[np.array(core_rows, dtype=np.intp)].sum(axis=0)
        # soft evidence on risk factors and causes: the same weights in every draw
        for name, weights in likelihoods.items():
            if name in core:
                fixed = fixed + np.log(weights[states_of[name]])
    log_weights = np.tile(fixed, (n, 1))
    sizes = sample_sizes(model)
    given = [*observed, *likelihoods]
    drawn = [*core, *(name for name in given if name not in core)]
    for name in _progress_bar(drawn, n, progress):
        parameters = model.parameters(name)
        evidence_on = observed.get(name, likelihoods.get(name))
        factor = _factor(parameters, vocabulary, sizes, states_of, evidence_on, n, rng)
        with np.errstate(divide="ignore"):
            log_weights += np.log(factor)
    peak = log_weights.max(axis=1, keepdims=True)
    if not np.isfinite(peak).all():
        raise impossible_evidence(
            observation.evidence, observation.soft or None, None, where="a drawn model"
        )
    weights = np.exp(log_weights - peak)
    weights /= weights.sum(axis=1, keepdims=True)
    posteriors = weights @ engine.likelihood[engine.cause_present_rows].T
    for position, cause in enumerate(model.causes):
        if cause in observed:
            posteriors[:, position] = float(observed[cause] == 1)
    return posteriors


def _progress_bar(names: list[str], n: int, progress: bool | None) -> Iterable[str]:
    """``names``, iterated through a tqdm bar on stderr unless ``progress`` is False."""
    if progress is False:
        return names
    from tqdm import tqdm

    return tqdm(
        names,
        desc=f"drawing {n:,} models",
        unit="variable",
        file=sys.stderr,
        disable=None if progress is None else not progress,
    )


def _factor(
    parameters: Parameters,
    vocabulary: Vocabulary,
    sizes: dict[tuple[str, str, str], float],
    states_of: dict[str, np.ndarray],
    observed: int | np.ndarray | None,
    n: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """(n, K): the variable's CPT entry at each core configuration, in each drawn model.

    For a risk factor or cause the entry for its own state in the configuration; for a finding
    observed in state s the probability of s; for a finding with soft evidence (``observed``
    the likelihood of each state) the likelihood-weighted sum over its states. The n drawn
    parameter sets are expanded by ``canonical.expand_many``.
    """
    tables = expand_many(_draw(parameters, vocabulary, sizes, n, rng))
    parents = tuple(states_of[parent] for parent in cpt_parents(parameters))
    if not isinstance(parameters, FindingParameters):
        own: np.ndarray | int = states_of[parameters.variable]
    elif isinstance(observed, np.ndarray):  # soft: sum over the states, weighted
        tables = (np.moveaxis(tables, 1, -1) @ observed)[:, np.newaxis]
        own = 0
    else:
        assert observed is not None
        own = observed
    key = (slice(None), own, *parents)
    return tables[key]


def _draw(
    parameters: Parameters,
    vocabulary: Vocabulary,
    sizes: dict[tuple[str, str, str], float],
    n: int,
    rng: np.random.Generator,
) -> Parameters:
    """n draws of the variable's numbers from their uncertainty, stacked (leading axis n)."""
    name = parameters.variable
    if isinstance(parameters, RiskFactorDistribution):
        drawn = _dirichlet(parameters.probabilities, sizes[(name, "", "")], n, rng)
        return dataclasses.replace(parameters, probabilities=drawn)
    if isinstance(parameters, LogisticPrior):
        baseline = _dirichlet(
            np.array([1 - parameters.baseline, parameters.baseline]), sizes[(name, "", "")], n, rng
        )[:, 1]
        odds_ratios = []
        for parent, ratios in zip(parameters.parents, parameters.odds_ratios, strict=True):
            log_ratios = np.zeros((n, len(ratios)))  # the reference is 0
            for state in range(1, len(ratios)):
                spread = 2.0 / math.sqrt(sizes[(name, parent, vocabulary[parent].states[state])])
                log_ratios[:, state] = np.log(ratios[state]) + rng.normal(0.0, spread, size=n)
            odds_ratios.append(np.exp(log_ratios))
        return dataclasses.replace(
            parameters,
            baseline=baseline,  # batched: one per draw
            odds_ratios=tuple(odds_ratios),
        )
    if isinstance(parameters, SubtypePrior):
        probabilities = _dirichlet(parameters.probabilities, sizes[(name, "", "")], n, rng)
        odds_ratios = []
        for parent, ratios in zip(parameters.parents, parameters.odds_ratios, strict=True):
            log_ratios = np.zeros((n, *ratios.shape))  # the reference state's rows stay 0
            for own in range(2, ratios.shape[0]):
                for state in range(1, ratios.shape[1]):
                    key = (name, parent, vocabulary[parent].states[state])
                    if key not in sizes:  # no row in the file: no effect, not uncertain
                        continue
                    spread = 2.0 / math.sqrt(sizes[key])
                    log_ratios[:, own, state] = np.log(ratios[own, state]) + rng.normal(
                        0.0, spread, size=n
                    )
            odds_ratios.append(np.exp(log_ratios))
        return dataclasses.replace(
            parameters, probabilities=probabilities, odds_ratios=tuple(odds_ratios)
        )
    assert isinstance(parameters, FindingParameters)
    leak = _dirichlet(parameters.leak, sizes[(name, LEAK, "")], n, rng)
    alone = tuple(
        _dirichlet(distribution, sizes[(name, link, "")], n, rng)
        for link, distribution in zip(parameters.link_names, parameters.alone, strict=True)
    )
    if parameters.model in LEAK_RULE_MODELS:  # a draw breaking the rule is projected onto it
        alone = tuple(project_onto_leak_rule(leak, a) for a in alone)
    return dataclasses.replace(parameters, leak=leak, alone=alone)


def _dirichlet(p: np.ndarray, size: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws from Dirichlet(size * p); states with probability zero stay zero."""
    p = np.asarray(p, dtype=float)
    positive = p > 0
    draws = np.zeros((n, len(p)))
    gamma = rng.gamma(size * p[positive], size=(n, int(positive.sum())))
    gamma = np.maximum(gamma, FLOOR)
    draws[:, positive] = gamma / gamma.sum(axis=1, keepdims=True)
    return draws
