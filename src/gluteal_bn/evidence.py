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

Aliases
-------
A model folder may declare *aliases* (``aliases.csv``): evidence names that are not variables
but stand for evidence on one. ``worse_with_sitting=yes`` is ``sitting_effect=worse``;
``worse_with_sitting=no`` is soft evidence 1 on ``no_change`` and ``relieved``, 0 on
``worse``. :func:`resolve_aliases` rewrites them before any other check.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from numbers import Real

from .errors import EvidenceError
from .vocabulary import Variable, Vocabulary

__all__ = [
    "check_cause",
    "check_evidence",
    "check_soft_evidence",
    "check_variable",
    "closest_name_hint",
    "describe",
    "impossible_evidence",
    "not_a_cause_message",
    "resolve_aliases",
]


def resolve_aliases(
    evidence: object, soft: object, vocabulary: Vocabulary
) -> tuple[object, object]:
    """Hard and soft evidence with every alias replaced by what it stands for.

    Parameters
    ----------
    evidence, soft : object
        As given by the caller (checked afterwards by :func:`check_evidence` and
        :func:`check_soft_evidence`; anything that is not a mapping passes unchanged).
    vocabulary : Vocabulary
        Holds the aliases.

    Returns
    -------
    tuple
        The evidence and soft evidence to check.

    Raises
    ------
    EvidenceError
        For a state that is not one of the alias's, or an alias given together with the
        variable it stands for.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> vocabulary = gb.load_model().vocabulary
    >>> resolve_aliases({"fever": "yes"}, None, vocabulary)
    ({'fever': 'yes'}, None)
    """
    aliases = vocabulary.alias_of
    if not aliases or not isinstance(evidence, Mapping):
        return evidence, soft
    if not any(isinstance(name, str) and name in aliases for name in evidence):
        return evidence, soft
    hard: dict[object, object] = {}
    virtual: dict[object, object] = dict(soft) if isinstance(soft, Mapping) else {}
    for name, state in evidence.items():
        alias = aliases.get(name) if isinstance(name, str) else None
        if alias is None:
            hard[name] = state
            continue
        if not isinstance(state, str) or state not in alias.likelihoods:
            raise EvidenceError(
                f"evidence {name}={state!r} is not a state of {name} (an alias for "
                f"{alias.variable}); expected one of {list(alias.states)}"
            )
        target = vocabulary[alias.variable]
        if target.name in evidence or target.name in virtual:
            raise EvidenceError(
                f"{name} stands for evidence on {target.name}, which is given too; give one of them"
            )
        index = alias.hard_state(state)
        if index is not None:
            hard[target.name] = target.states[index]
        else:
            virtual[target.name] = dict(zip(target.states, alias.likelihoods[state], strict=True))
    return hard, (virtual or soft)


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
        hint = closest_name_hint(name, vocabulary.names) or "."
        raise EvidenceError(
            f"unknown variable {name!r} in {what}{hint} Known variables: "
            f"{', '.join(vocabulary.names)}"
        )
    return vocabulary[name]


def closest_name_hint(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'fever'?"`` for the closest known name, or ``""`` if none is close.

    The one spelling hint of the library: evidence, queries, data files and case files all
    use it, so a typo gets the same suggestion everywhere.

    Parameters
    ----------
    name : str
        The unknown name.
    known : iterable of str
        The valid names.

    Returns
    -------
    str

    Examples
    --------
    >>> closest_name_hint("fevr", ["fever", "age"])
    "; did you mean 'fever'?"
    >>> closest_name_hint("xyz", ["fever", "age"])
    ''
    """
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_cause(name: object, vocabulary: Vocabulary, *, what: str) -> Variable:
    """The cause called ``name``; an EvidenceError if it is unknown or not a cause.

    Parameters
    ----------
    name : object
        The name given by the user.
    vocabulary : Vocabulary
        The model's variables.
    what : str
        The tool asking, named in the message (e.g. ``"explain"``).

    Returns
    -------
    Variable

    Raises
    ------
    EvidenceError
        ``explain: 'fever' is a finding, not a cause; expected one of [...]``, or the unknown
        name message of :func:`check_variable`.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> vocabulary = gb.load_model().vocabulary
    >>> check_cause("local_infection", vocabulary, what="explain").role
    'cause'
    """
    if not isinstance(name, str):
        check_variable(name, vocabulary, what=what)  # raises: names are text
        raise AssertionError("unreachable")
    if name not in vocabulary or vocabulary[name].role != "cause":
        raise EvidenceError(not_a_cause_message(name, vocabulary, what=what))
    return vocabulary[name]


def not_a_cause_message(name: str, vocabulary: Vocabulary, *, what: str = "") -> str:
    """The one message for a name that is not a cause (also used by the case files).

    ``explain: 'fever' is a finding, not a cause; expected one of [...]`` for another kind of
    variable, ``explain: unknown cause 'abcess'; did you mean ...? Expected one of [...]``
    for a name that is no variable at all.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> vocabulary = gb.load_model().vocabulary
    >>> not_a_cause_message("fever", vocabulary, what="explain").split(";")[0]
    "explain: 'fever' is a finding, not a cause"
    >>> not_a_cause_message("hip", vocabulary).split(";")[0]
    "unknown cause 'hip'"
    """
    prefix = f"{what}: " if what else ""
    causes = list(vocabulary.causes)
    if name in vocabulary:
        role = vocabulary[name].role.replace("_", " ")
        return f"{prefix}{name!r} is a {role}, not a cause; expected one of {causes}"
    hint = closest_name_hint(name, causes)
    expected = f" Expected one of {causes}" if hint else f"; expected one of {causes}"
    return f"{prefix}unknown cause {name!r}{hint}{expected}"


def impossible_evidence(
    evidence: Mapping[str, str],
    soft: Mapping[str, object] | None,
    culprits: Sequence[str] | None,
    *,
    where: str = "this model",
) -> EvidenceError:
    """The error for evidence of probability zero, naming the items to blame.

    Parameters
    ----------
    evidence : mapping of str to str
        The hard evidence as given.
    soft : mapping, optional
        The soft evidence as given (only its variable names are shown).
    culprits : sequence of str or None
        The items without any one of which the rest is possible (may be empty: then every
        item is named, as no single one is to blame); None where they cannot be known (a
        randomly drawn model).
    where : str
        The model the probability is zero in (``"this model"``, ``"a drawn model"``).

    Returns
    -------
    EvidenceError

    Examples
    --------
    >>> error = impossible_evidence({"fever": "yes"}, None, ["fever"])
    >>> str(error).startswith("evidence {fever=yes} has probability zero in this model")
    True
    >>> str(error).endswith("; it becomes possible without any one of: fever")
    True
    """
    given = f"evidence {{{describe(evidence)}}}"
    if soft:
        given += f" with soft evidence on {', '.join(soft)}"
    items = [*evidence, *(soft or {})]
    if culprits:
        hint = f"; it becomes possible without any one of: {', '.join(culprits)}"
    elif culprits is not None and len(items) > 1:
        hint = (
            "; it stays impossible without any one of its items, so several of them "
            f"contradict one another: {', '.join(items)}"
        )
    else:
        hint = ""
    return EvidenceError(f"{given} has probability zero in {where}{hint}")


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
