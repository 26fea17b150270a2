"""``variables.csv`` -> the checked :class:`~gluteal_bn.vocabulary.Vocabulary`; ``aliases.csv``
(optional) -> its aliases."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...canonical import TWO_STATE_MODELS
from ...errors import DataError
from ...vocabulary import MODELS_BY_ROLE, ROLES, Alias, Variable, Vocabulary
from ..rows import NAME_PATTERN, Row, read_csv_rows, valid_name
from .common import (
    ALIAS_COLUMNS,
    LEAK,
    LIKELIHOODS_FILE,
    _known_variable,
    read_rows,
)


def read_variables(path: Path) -> Vocabulary:
    """The checked vocabulary of a ``variables.csv`` file."""
    rows = read_rows(path)
    variables: list[Variable] = []
    first_line: dict[str, int] = {}
    for row in rows:
        variable = _read_variable(row)
        if variable.name in first_line:
            raise row.error(
                "variable",
                f"variable {variable.name!r} is defined twice (first on line "
                f"{first_line[variable.name]})",
            )
        first_line[variable.name] = row.line
        variables.append(variable)
    vocabulary = Vocabulary(tuple(variables))
    if not vocabulary.causes:
        raise DataError("defines no cause; at least one variable needs role 'cause'", path=path)
    refined: dict[str, str] = {}
    for row, variable in zip(rows, variables, strict=True):
        if variable.role == "subtype":
            _check_subtype(row, variable, vocabulary, refined)
    return vocabulary


def _check_subtype(
    row: Row, variable: Variable, vocabulary: Vocabulary, refined: dict[str, str]
) -> None:
    """A subtype refines one binary cause (its ``group``), once, and starts with ``none``."""
    group = variable.group
    if not group:
        raise row.error(
            "group",
            f"blank; the subtype {variable.name!r} needs the cause it refines "
            f"(one of {list(vocabulary.causes)})",
        )
    if group not in vocabulary or vocabulary[group].role != "cause":
        raise row.error(
            "group",
            f"{group!r} is not a cause; the subtype {variable.name!r} must refine one of "
            f"{list(vocabulary.causes)}",
        )
    if group in refined:
        raise row.error(
            "group",
            f"{group!r} already has the subtype {refined[group]!r}; a cause has at most one",
        )
    refined[group] = variable.name
    if variable.states[0] != "none":
        raise row.error(
            "states",
            f"the first state of the subtype {variable.name!r} must be 'none' (the cause "
            f"absent); got {list(variable.states)}",
        )


def _read_variable(row: Row) -> Variable:
    name = valid_name(row, "variable", "a variable name")
    if name == LEAK:
        raise row.error("variable", f"{LEAK!r} is reserved for the leak in {LIKELIHOODS_FILE}")
    role = row.required("role", f"one of {list(ROLES)}")
    if role not in ROLES:
        raise row.error("role", f"{role!r} is not a role; expected one of {list(ROLES)}")
    states = _states(row)
    model = row.required("model", f"one of {list(MODELS_BY_ROLE[role])}")
    if model not in MODELS_BY_ROLE[role]:
        raise row.error(
            "model",
            f"{model!r} is not a model for a {role}; expected one of {list(MODELS_BY_ROLE[role])}",
        )
    if (role == "cause" or model in TWO_STATE_MODELS) and len(states) != 2:
        raise row.error(
            "states",
            f"{name!r} ({role}, {model}) needs exactly two states, absent then present; "
            f"got {list(states)}",
        )
    if role == "subtype" and len(states) < 3:
        raise row.error(
            "states",
            f"the subtype {name!r} needs 'none' and at least two more states; got {list(states)}",
        )
    if row.text("group") and role != "subtype":
        raise row.error(
            "group",
            f"{name!r} is a {role}; only a subtype names a group (got {row.text('group')!r})",
        )
    label = row.text("label") or name.replace("_", " ").capitalize()
    state_labels = _state_labels(row, states)
    return Variable(
        name,
        role,
        states,
        model,
        label,
        row.text("description"),
        group=row.text("group"),
        state_labels=state_labels,
    )


def _state_labels(row: Row, states: tuple[str, ...]) -> tuple[str, ...]:
    """The optional ``state_labels`` cell: one label per state, '|'-separated, or blank."""
    raw = row.text("state_labels")
    if not raw:
        return ()
    labels = tuple(label.strip() for label in raw.split("|"))
    if len(labels) != len(states) or not all(labels):
        raise row.error(
            "state_labels",
            f"{raw!r} gives {len(labels)} labels for the {len(states)} states "
            f"{'|'.join(states)}; expected one non-empty label per state, in that order, "
            "separated by '|'",
        )
    return labels


def _states(row: Row) -> tuple[str, ...]:
    raw = row.required("states", "states separated by '|', e.g. no|yes")
    states = tuple(state.strip() for state in raw.split("|"))
    for state in states:
        if not NAME_PATTERN.match(state):
            raise row.error(
                "states",
                f"state {state!r} in {raw!r} is not a valid name "
                "(letters, digits and underscores, separated by '|')",
            )
    if len(states) < 2:
        raise row.error("states", f"{raw!r} has fewer than two states; expected e.g. no|yes")
    duplicated = sorted({s for s in states if states.count(s) > 1})
    if duplicated:
        raise row.error("states", f"{raw!r} repeats the state {duplicated[0]!r}")
    return states


# ---------------------------------------------------------------------------------------------
# aliases.csv


def read_aliases(path: Path, vocabulary: Vocabulary) -> Vocabulary:
    """``vocabulary`` with the aliases of an ``aliases.csv`` file (unchanged if none exists).

    Each row gives one alias state: ``worse_with_sitting,no,sitting_effect,
    no_change=1;worse=0;relieved=1`` means that observing ``worse_with_sitting=no`` is
    likelihood evidence 1, 0, 1 on the states of ``sitting_effect`` (states not listed get 0).
    """
    if not path.is_file():
        return vocabulary
    rows = read_csv_rows(path, ALIAS_COLUMNS, missing="file not found")
    likelihoods: dict[str, dict[str, tuple[float, ...]]] = {}
    targets: dict[str, str] = {}
    for row in rows:
        alias = valid_name(row, "alias", "an alias name")
        if alias in vocabulary:
            raise row.error(
                "alias", f"{alias!r} is a variable of the model; an alias needs a new name"
            )
        state = valid_name(row, "alias_state", "a state of the alias")
        target = _known_variable(row, "variable", vocabulary)
        if targets.setdefault(alias, target.name) != target.name:
            raise row.error(
                "variable",
                f"the alias {alias!r} already stands for {targets[alias]!r}; one alias, one "
                "variable",
            )
        if state in likelihoods.get(alias, {}):
            raise row.error("alias_state", f"{alias}={state} is given twice")
        likelihoods.setdefault(alias, {})[state] = _alias_likelihoods(row, target)
    aliases = tuple(
        Alias(name, targets[name], dict(states)) for name, states in likelihoods.items()
    )
    return Vocabulary(vocabulary.variables, aliases)


def _alias_likelihoods(row: Row, target: Variable) -> tuple[float, ...]:
    raw = row.required("likelihoods", "state=likelihood pairs separated by ';'")
    values = dict.fromkeys(target.states, 0.0)
    for part in raw.split(";"):
        state, _, number = part.partition("=")
        state = state.strip()
        if state not in target.states:
            raise row.error(
                "likelihoods",
                f"{state!r} in {raw!r} is not a state of {target.name}; expected "
                f"state=likelihood pairs for {list(target.states)}",
            )
        try:
            value = float(number)
        except ValueError:
            raise row.error(
                "likelihoods", f"{part.strip()!r} in {raw!r} is not state=number"
            ) from None
        if not (np.isfinite(value) and value >= 0):
            raise row.error(
                "likelihoods",
                f"{part.strip()!r}: a likelihood is a finite number >= 0",
            )
        values[state] = value
    if not any(values.values()):
        raise row.error(
            "likelihoods", f"{raw!r} gives every state likelihood 0 (impossible evidence)"
        )
    return tuple(values.values())
