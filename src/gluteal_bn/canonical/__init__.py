"""Canonical models: the few numbers a clinician can estimate, expanded into full CPTs.

This package is the one home of the formulas; the loader, sensitivity analysis, credible
intervals and learning all call it. Each parameter class holds the numbers of one variable
exactly as the CSV files give them; :func:`expand` turns it into a :class:`Cpt`, a full
conditional probability table, and :func:`expand_many` does the same for ``m`` stacked sets of
numbers at once (every array with a leading batch axis of length ``m``).

The models, each defined with its formula in its module:

* ``table`` (risk factors): the distribution itself (:mod:`.parameters`, with the parameter
  classes, :func:`stack` and the expansion);
* ``logistic`` (causes) and ``subtype_logistic`` (subtypes of a cause): :mod:`.priors`;
* ``noisy_or`` / ``noisy_max`` (leaky, Henrion's parameterisation), ``mixture`` and
  ``logit_sum`` (findings): :mod:`.findings`, with their registry.

The *leak rule* of noisy-OR/MAX (a link never makes its finding milder than the leak) is
written once, in :mod:`.leak_rule`; log odds and back, exact at the extremes, in :mod:`.odds`.
Adding a canonical model for findings means editing :mod:`.findings` alone: its table function
and one line of its registry, which also says whether the leak rule binds it and whether it is
defined for two states only. Expansion is exact arithmetic on the given numbers; nothing is
learned or approximated.
"""

from __future__ import annotations

from .findings import FINDING_MODELS as FINDING_MODELS
from .findings import LEAK_RULE_MODELS as LEAK_RULE_MODELS
from .findings import TWO_STATE_MODELS as TWO_STATE_MODELS
from .findings import logit_sum_table as logit_sum_table
from .findings import mixture_table as mixture_table
from .findings import noisy_max_table as noisy_max_table
from .leak_rule import alone_from_own_effect as alone_from_own_effect
from .leak_rule import leak_rule_holds as leak_rule_holds
from .leak_rule import leak_rule_violation as leak_rule_violation
from .leak_rule import own_effect as own_effect
from .leak_rule import project_onto_leak_rule as project_onto_leak_rule
from .parameters import Cpt as Cpt
from .parameters import FindingParameters as FindingParameters
from .parameters import LogisticPrior as LogisticPrior
from .parameters import Parameters as Parameters
from .parameters import RiskFactorDistribution as RiskFactorDistribution
from .parameters import SubtypePrior as SubtypePrior
from .parameters import cpt_parents as cpt_parents
from .parameters import expand as expand
from .parameters import expand_many as expand_many
from .parameters import stack as stack
from .parameters import valid_tables as valid_tables
from .priors import logistic_table as logistic_table
from .priors import subtype_table as subtype_table

__all__ = [
    "FINDING_MODELS",
    "LEAK_RULE_MODELS",
    "TWO_STATE_MODELS",
    "Cpt",
    "FindingParameters",
    "LogisticPrior",
    "Parameters",
    "RiskFactorDistribution",
    "SubtypePrior",
    "alone_from_own_effect",
    "cpt_parents",
    "expand",
    "expand_many",
    "leak_rule_holds",
    "leak_rule_violation",
    "logistic_table",
    "logit_sum_table",
    "mixture_table",
    "noisy_max_table",
    "own_effect",
    "project_onto_leak_rule",
    "stack",
    "subtype_table",
    "valid_tables",
]
