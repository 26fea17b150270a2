"""Canonical models: the few numbers a clinician can estimate, expanded into full CPTs.

This package is the one home of the formulas; the loader, sensitivity analysis, credible
intervals and learning all call it. Each parameter class holds the numbers of one variable
exactly as the CSV files give them; :func:`expand` turns it into a :class:`Cpt`, a full
conditional probability table, and :func:`expand_many` does the same for ``m`` stacked sets of
numbers at once (every array with a leading batch axis of length ``m``).

* ``table`` (risk factors): the distribution itself.
* ``logistic`` (causes): ``logit P(present | r) = logit(baseline) + sum_j log OR_j(r_j)``,
  where the baseline is P(present) with every risk factor at its first (reference) state and
  ``OR_j`` is the odds ratio of risk factor ``j``'s state against its reference state.
* ``subtype_logistic`` (subtypes of a cause): the first state ``none`` exactly when the cause
  is absent; with the cause present a multinomial logistic over the other states, with the
  first of them as reference: ``P(s | present, r) ∝ p_s prod_j OR_j,s(r_j)``, where ``p`` is
  the distribution with every risk factor at its reference state.
* ``noisy_or`` / ``noisy_max`` (binary / ordered findings), leaky, in Henrion's
  parameterisation: the numbers are P(finding | this parent state alone) and P(finding | no
  cause) (the leak), so each includes the background. With ``F`` the cumulative distribution,
  ``F(y | parents) = F_leak(y) * prod_{links present} F_link(y) / F_leak(y)``. A parent with
  several states (a subtype) has one link per state it lists; its other states contribute
  nothing. Noisy-OR is the two-state case.
* ``mixture`` (an unordered finding such as the pain's layer): with no link present the leak
  distribution; otherwise the equal-weight mixture of the present links' distributions
  ("the pain is equally likely to come from each cause the patient has").
* ``logit_sum`` (binary findings where a cause can *lower* the finding):
  ``logit P(f | parents) = logit(leak) + sum_{links present} [logit(alone) - logit(leak)]``.

The *leak rule* of noisy-OR/MAX (a link never makes its finding milder than the leak: its own
cumulative effect ``F_link / F_leak`` is a cumulative distribution) is written once, in
:func:`own_effect`, :func:`leak_rule_holds`, :func:`leak_rule_violation` and
:func:`project_onto_leak_rule`.

The package, one concept a module: :mod:`.parameters` (the parameter classes, :class:`Cpt`,
:func:`stack`), :mod:`.priors` (logistic and subtype tables), :mod:`.findings` (noisy-OR/MAX,
mixture, logit-sum and their registry), :mod:`.leak_rule`, :mod:`.odds` (log odds, exact at the
extremes) and :mod:`.expansion` (:func:`expand`, :func:`expand_many`, :func:`valid_tables`).
Adding a canonical model for findings means editing :mod:`.findings` alone: its table function
and one line of its registry, which also says whether the leak rule binds it and whether it
is defined for two states only. Expansion is exact arithmetic on the given numbers; nothing is
learned or approximated.
"""

from __future__ import annotations

from .expansion import expand, expand_many, valid_tables
from .findings import (
    FINDING_MODELS,
    LEAK_RULE_MODELS,
    TWO_STATE_MODELS,
    logit_sum_table,
    mixture_table,
    noisy_max_table,
)
from .leak_rule import (
    alone_from_own_effect,
    leak_rule_holds,
    leak_rule_violation,
    own_effect,
    project_onto_leak_rule,
)
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
