"""Evidence checking: the one place where names given by a user become indices.

Evidence is a mapping of variable name to state name, both text, e.g. ``{"fever": "yes"}``.
Any node may be observed, causes and risk factors included. Every problem is an
:class:`~gluteal_bn.errors.EvidenceError` that names the key, the bad value and what is valid.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from .errors import EvidenceError
from .vocabulary import Variable, Vocabulary

__all__ = ["check_evidence", "check_variable", "describe"]


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


def describe(evidence: Mapping[str, str]) -> str:
    """Evidence as ``a=x, b=y`` (or ``no evidence``), for messages and titles."""
    return ", ".join(f"{name}={state}" for name, state in evidence.items()) or "no evidence"
