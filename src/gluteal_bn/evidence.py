"""Evidence checking: the one place where names given by a user become indices.

Evidence is a mapping of variable name to state name, both text, e.g. ``{"fever": "yes"}``.
Any node may be observed, causes and risk factors included. Every problem is an
:class:`~gluteal_bn.errors.EvidenceError` that names the key, the bad value and what is valid.

Soft evidence
-------------
Soft (likelihood, or *virtual*) evidence says how much more likely the observation is under
each state of a variable, without fixing the state: ``{"fever": {"yes": 0.7, "no": 0.3}}``
reads "what was seen is 0.7 : 0.3 as likely if there is fever as if there is not" (a
thermometer of doubtful reliability, a patient unsure). It is Pearl's virtual evidence: a
hidden child of the variable observed with ``P(seen | state) = lambda[state]``. Only the
ratios matter, so the numbers need not sum to one. A state left out gets likelihood 0, that
is, it is ruled out; so ``{"fever": {"yes": 1}}`` is the same as the hard evidence
``fever=yes``. Every likelihood must be a finite number >= 0 and at least one must be > 0;
a variable may not be given both as hard and as soft evidence.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from numbers import Real

from .errors import EvidenceError
from .vocabulary import Variable, Vocabulary

__all__ = ["check_evidence", "check_soft_evidence", "check_variable", "describe"]


def check_evidence(evidence: object, vocabulary: Vocabulary) -> dict[int, int]:
    """Evidence as {variable index: state index}, in the order given."""
    if evidence is None:
        return {}
    if not isinstance(evidence, Mapping):
        raise EvidenceError(
            "evidence must be a mapping of variable name to state, such as "
            f"{{'fever': 'yes'}}; got {type(evidence).__name__}"
        )
    checked: dict[int, int] = {}
    for name, state in evidence.items():
        variable = check_variable(name, vocabulary, what="evidence")
        checked[vocabulary.names.index(name)] = _check_state(variable, state)
    return checked


def check_variable(name: object, vocabulary: Vocabulary, *, what: str = "query") -> Variable:
    """The variable called ``name``; an EvidenceError suggesting the closest name if unknown."""
    if not isinstance(name, str):
        raise EvidenceError(
            f"{what} names variables by text; got {name!r} ({type(name).__name__}). "
            f"Known variables: {', '.join(vocabulary.names)}"
        )
    if name not in vocabulary:
        close = difflib.get_close_matches(name, vocabulary.names, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else "."
        raise EvidenceError(
            f"unknown variable {name!r} in {what}{hint} Known variables: "
            f"{', '.join(vocabulary.names)}"
        )
    return vocabulary[name]


def _check_state(variable: Variable, state: object) -> int:
    if not isinstance(state, str):
        raise EvidenceError(
            f"evidence {variable.name}={state!r} is not a state name (text, "
            f"{type(state).__name__} given); expected one of {list(variable.states)}"
        )
    if state not in variable.states:
        raise EvidenceError(
            f"evidence {variable.name}={state!r} is not a state of {variable.name}; "
            f"expected one of {list(variable.states)}"
        )
    return variable.states.index(state)


def check_soft_evidence(
    soft: object, vocabulary: Vocabulary, hard: Mapping[int, int] | None = None
) -> dict[int, tuple[float, ...]]:
    """Soft evidence as {variable index: likelihood of each state, in state order}.

    ``hard`` is the already checked hard evidence: a variable may not be in both.
    """
    if soft is None:
        return {}
    if not isinstance(soft, Mapping):
        raise EvidenceError(
            "soft evidence must be a mapping of variable name to {state: likelihood}, such as "
            f"{{'fever': {{'yes': 0.7, 'no': 0.3}}}}; got {type(soft).__name__}"
        )
    checked: dict[int, tuple[float, ...]] = {}
    for name, likelihoods in soft.items():
        variable = check_variable(name, vocabulary, what="soft evidence")
        index = vocabulary.names.index(name)
        if hard and index in hard:
            raise EvidenceError(
                f"{name} is given both as evidence ({name}={variable.states[hard[index]]}) and "
                "as soft evidence; give it once"
            )
        checked[index] = _check_likelihoods(variable, likelihoods)
    return checked


def _check_likelihoods(variable: Variable, likelihoods: object) -> tuple[float, ...]:
    name, states = variable.name, list(variable.states)
    if not isinstance(likelihoods, Mapping):
        raise EvidenceError(
            f"soft evidence for {name} must map states to likelihoods, such as "
            f"{{{states[-1]!r}: 0.7, {states[0]!r}: 0.3}}; got {likelihoods!r}"
        )
    values = [0.0] * variable.card  # a state left out is ruled out
    for state, value in likelihoods.items():
        if state not in variable.states:
            raise EvidenceError(
                f"soft evidence {name}: {state!r} is not a state of {name}; "
                f"expected states from {states}"
            )
        if isinstance(value, bool) or not isinstance(value, Real):
            raise EvidenceError(
                f"soft evidence {name}[{state!r}] = {value!r} is not a number; "
                "expected a finite likelihood >= 0"
            )
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float, e.g. 10**400
            number = math.inf
        if not math.isfinite(number) or number < 0:
            raise EvidenceError(
                f"soft evidence {name}[{state!r}] = {value!r} is not a finite likelihood >= 0"
            )
        values[variable.states.index(state)] = number
    if not any(values):
        raise EvidenceError(
            f"soft evidence for {name} gives every state likelihood 0; at least one of "
            f"{states} needs a likelihood > 0"
        )
    return tuple(values)


def describe(evidence: Mapping[str, str]) -> str:
    """Evidence as ``a=x, b=y`` (or ``no evidence``), for messages and titles."""
    return ", ".join(f"{name}={state}" for name, state in evidence.items()) or "no evidence"
