"""Parameters to tables: one variable's CPT (:func:`expand`), or ``m`` of them at once.

:func:`expand_many` dispatches on the parameter class (and, for findings, on the model's name in
:data:`~gluteal_bn.canonical.findings.FINDING_MODELS`); :func:`valid_tables` says which of ``m``
stacked parameter sets obey their model's rules. Expansion is exact arithmetic on the given
numbers; nothing is learned or approximated.
"""

from __future__ import annotations

import numpy as np

from .findings import FINDING_MODELS, LEAK_RULE_MODELS
from .leak_rule import leak_rule_holds
from .parameters import (
    Cpt,
    FindingParameters,
    LogisticPrior,
    Parameters,
    RiskFactorDistribution,
    SubtypePrior,
    cpt_parents,
    stack,
)
from .priors import logistic_table, subtype_table

__all__ = ["expand", "expand_many", "valid_tables"]


def expand(parameters: Parameters) -> Cpt:
    """Expand one variable's canonical parameters into its full CPT.

    Parameters
    ----------
    parameters : Parameters
        One variable's numbers, as the loader builds them.

    Returns
    -------
    Cpt

    Examples
    --------
    >>> expand(RiskFactorDistribution("smoker", np.array([0.7, 0.3]))).table
    array([0.7, 0.3])
    """
    table = expand_many(stack([parameters]))[0]
    return Cpt(parameters.variable, cpt_parents(parameters), table)


def expand_many(stacked: Parameters) -> np.ndarray:
    """Expand stacked parameters (see :func:`stack`): the CPTs, shape (m, *CPT shape).

    Parameters
    ----------
    stacked : Parameters
        One variable's parameters with a leading batch axis on every array.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> prior = LogisticPrior("c", 0.5, ("age",), (np.array([1.0, 3.0]),))
    >>> expand_many(stack([prior, prior])).shape
    (2, 2, 2)
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if isinstance(stacked, RiskFactorDistribution):
            return np.asarray(stacked.probabilities, dtype=float)
        if isinstance(stacked, LogisticPrior):
            return logistic_table(np.asarray(stacked.baseline), stacked.odds_ratios)
        if isinstance(stacked, SubtypePrior):
            return subtype_table(stacked.probabilities, stacked.odds_ratios)
        return FINDING_MODELS[stacked.model](
            stacked.leak, stacked.alone, stacked.links, stacked.parent_cards
        )


def valid_tables(stacked: Parameters, tables: np.ndarray, tolerance: float) -> np.ndarray:
    """(m,) whether each stacked parameter set obeys its model's rules and expands to a CPT.

    Every entry of the table must be a finite probability (within ``tolerance``), and in a
    noisy-OR/MAX model every link must obey the leak rule (:func:`leak_rule_holds`).

    Examples
    --------
    >>> stacked = stack([FindingParameters("f", "noisy_or", np.array([0.8, 0.2]), ("c",),
    ...                                    (np.array([0.9, 0.1]),))])
    >>> valid_tables(stacked, expand_many(stacked), 1e-12)
    array([False])
    """
    flat = tables.reshape(len(tables), -1)
    with np.errstate(invalid="ignore"):
        valid = (
            np.isfinite(flat).all(axis=1)
            & (flat.min(axis=1) >= -tolerance)
            & (flat.max(axis=1) <= 1 + tolerance)
        )
    if isinstance(stacked, FindingParameters) and stacked.model in LEAK_RULE_MODELS:
        for alone in stacked.alone:
            valid &= leak_rule_holds(stacked.leak, alone, tolerance)
    return valid
