"""Rows of a model folder's files -> checked canonical parameters; every problem a DataError.

A model folder holds three files (``data/README.md`` documents them for people):

* ``variables.csv`` — each variable's role, ordered states, canonical model and label;
* ``priors.csv`` — risk-factor distributions, and each cause's baseline probability with the
  odds ratios of its risk factors;
* ``likelihoods.csv`` — for each finding, P(finding | this cause alone) per parent cause and
  P(finding | no cause), the leak.

Everything is checked here, once, and the result is a :class:`NetworkSpecification` of
canonical parameters that the rest of the package trusts. Reading and writing the folder is
:mod:`gluteal_bn.io.model_folder`; the numbers with their provenance are
:mod:`gluteal_bn.io.numbers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..canonical import (
    LEAK_RULE_MODELS,
    TWO_STATE_MODELS,
    FindingParameters,
    LogisticPrior,
    Parameters,
    RiskFactorDistribution,
    SubtypePrior,
    expand,
    leak_rule_violation,
    own_effect,
)
from ..errors import DataError
from ..vocabulary import MODELS_BY_ROLE, ROLES, Alias, Variable, Vocabulary
from .rows import NAME_PATTERN, Row, read_csv_rows, suggestion, valid_name

if TYPE_CHECKING:
    from .numbers import Number

__all__ = [
    "COLUMNS",
    "LEAK",
    "LIKELIHOODS_FILE",
    "PRIORS_FILE",
    "SUM_TOLERANCE",
    "VARIABLES_FILE",
    "NetworkSpecification",
    "likelihoods_from_rows",
    "priors_from_rows",
    "read_aliases",
    "read_rows",
    "read_variables",
]

#: How far a distribution's probabilities may sum from 1 (spreadsheet rounding); within it,
#: the numbers are rescaled to sum to exactly 1.
SUM_TOLERANCE = 1e-6

#: The parent name in likelihoods.csv for "none of the causes present".
LEAK = "leak"

VARIABLES_FILE = "variables.csv"
PRIORS_FILE = "priors.csv"
LIKELIHOODS_FILE = "likelihoods.csv"
#: Optional: evidence names that stand for likelihood evidence on a variable.
ALIASES_FILE = "aliases.csv"
ALIAS_COLUMNS = ("alias", "alias_state", "variable", "likelihoods")

COLUMNS = {
    VARIABLES_FILE: ("variable", "role", "states", "model", "label", "description"),
    PRIORS_FILE: ("variable", "state", "parent", "parent_state", "measure", "value", "source"),
    LIKELIHOODS_FILE: ("finding", "cause", "state", "probability", "source"),
}

#: Columns a file may leave out (older files do not have them).
OPTIONAL_COLUMNS = {
    VARIABLES_FILE: ("group", "state_labels"),
    PRIORS_FILE: ("sample_size",),
    LIKELIHOODS_FILE: ("sample_size",),
}

MEASURES = ("probability", "odds_ratio")


@dataclass(frozen=True)
class NetworkSpecification:
    """A validated model folder: the vocabulary and each variable's canonical parameters."""

    folder: Path
    vocabulary: Vocabulary
    parameters: tuple[Parameters, ...]  # one per variable, in vocabulary order
    numbers: tuple[Number, ...] = ()  # every number of priors.csv and likelihoods.csv


def read_rows(path: Path) -> list[Row]:
    """Read a model file into rows, checking the header against the file's expected columns."""
    return read_csv_rows(
        path,
        COLUMNS[path.name],
        OPTIONAL_COLUMNS[path.name],
        missing=f"file not found (a model folder needs {VARIABLES_FILE}, {PRIORS_FILE} and "
        f"{LIKELIHOODS_FILE})",
    )


# ---------------------------------------------------------------------------------------------
# variables.csv


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


# ---------------------------------------------------------------------------------------------
# priors.csv


def priors_from_rows(rows: list[Row], path: Path, vocabulary: Vocabulary) -> dict[str, Parameters]:
    """Each risk factor's and cause's parameters from the rows of ``priors.csv``."""
    blocks: dict[str, list[Row]] = {}
    odds_ratio_rows: dict[str, dict[str, list[Row]]] = {}
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        variable = _known_variable(row, "variable", vocabulary)
        if variable.role == "finding":
            raise row.error(
                "variable",
                f"{variable.name!r} is a finding; its numbers belong in {LIKELIHOODS_FILE}",
            )
        _check_state(row, "state", variable)
        measure = row.required("measure", f"one of {list(MEASURES)}")
        if measure not in MEASURES:
            raise row.error(
                "measure", f"{measure!r} is not a measure; expected one of {list(MEASURES)}"
            )
        key = (variable.name, row.text("state"), row.text("parent"), row.text("parent_state"))
        _check_unique(row, key, seen)
        row.required("source", "a citation or 'estimate: <reasoning>'")
        if measure == "probability":
            _check_no_parent(row)
            row.probability("value")
            if variable.role == "subtype" and row.text("state") == variable.states[0]:
                raise row.error(
                    "state",
                    f"{variable.states[0]!r} is structural (exactly when {variable.group} is "
                    f"absent); give P({variable.name} | {variable.group} present) for "
                    f"{list(variable.states[1:])}",
                )
            blocks.setdefault(variable.name, []).append(row)
        else:
            parent = _odds_ratio_parent(row, variable, vocabulary)
            odds_ratio_rows.setdefault(variable.name, {}).setdefault(parent.name, []).append(row)
    parameters: dict[str, Parameters] = {}
    for variable in vocabulary:
        if variable.role == "finding":
            continue
        block = blocks.get(variable.name)
        if variable.role == "subtype":
            if not block:
                raise DataError(
                    f"no prior for {variable.name!r}; add probability rows for its states "
                    f"{list(variable.states[1:])} given {variable.group} present",
                    path=path,
                )
            parameters[variable.name] = _subtype_prior(
                variable, block, odds_ratio_rows.get(variable.name, {}), vocabulary
            )
            continue
        if not block:
            what = (
                "one probability row per state"
                if variable.role == "risk_factor"
                else (f"a probability row for state {variable.states[1]!r} (the baseline)")
            )
            raise DataError(f"no prior for {variable.name!r}; add {what}", path=path)
        probabilities = _distribution(block, variable, "value")
        if variable.role == "risk_factor":
            parameters[variable.name] = RiskFactorDistribution(variable.name, probabilities)
        else:
            parameters[variable.name] = _logistic_prior(
                variable, probabilities, block, odds_ratio_rows.get(variable.name, {}), vocabulary
            )
    return parameters


def _check_no_parent(row: Row) -> None:
    for column in ("parent", "parent_state"):
        if row.text(column):
            raise row.error(
                column,
                f"a probability row has no {column} (got {row.text(column)!r}); "
                "use measure odds_ratio for a risk factor's effect",
            )


def _odds_ratio_parent(row: Row, variable: Variable, vocabulary: Vocabulary) -> Variable:
    if variable.role == "risk_factor":
        raise row.error(
            "measure",
            f"{variable.name!r} is a risk factor; only causes and subtypes have odds ratios",
        )
    if variable.role == "subtype":
        if row.text("state") in variable.states[:2]:
            raise row.error(
                "state",
                f"{row.text('state')!r} cannot have an odds ratio: a subtype's odds ratios are "
                f"against its reference state {variable.states[1]!r} (and 'none' is "
                f"structural); give them for {list(variable.states[2:])}",
            )
    elif row.text("state") != variable.states[1]:
        raise row.error(
            "state",
            f"an odds ratio is for the present state {variable.states[1]!r} of "
            f"{variable.name!r}; got {row.text('state')!r}",
        )
    parent = _known_variable(row, "parent", vocabulary)
    if parent.role != "risk_factor":
        raise row.error(
            "parent",
            f"{parent.name!r} is a {parent.role}, not a risk factor; edges run risk factors -> "
            "causes -> findings, which keeps the network free of cycles",
        )
    parent_state = _check_state(row, "parent_state", parent)
    if parent_state == parent.states[0]:
        raise row.error(
            "parent_state",
            f"{parent_state!r} is the reference state of {parent.name!r} (odds ratio 1 by "
            f"definition); give odds ratios for {list(parent.states[1:])}",
        )
    value = row.number("value")
    if value <= 0:
        raise row.error("value", f"{row.text('value')} is not an odds ratio (expected > 0)")
    return parent


def _logistic_prior(
    variable: Variable,
    probabilities: np.ndarray,
    block: list[Row],
    rows_by_parent: dict[str, list[Row]],
    vocabulary: Vocabulary,
) -> LogisticPrior:
    baseline = float(probabilities[1])
    if not 0.0 < baseline < 1.0:
        raise block[0].error(
            "value",
            f"the baseline P({variable.name}={variable.states[1]}) is {baseline}; a logistic "
            "prior needs it strictly between 0 and 1",
        )
    parents = tuple(name for name in vocabulary.risk_factors if name in rows_by_parent)
    odds_ratios = []
    for name in parents:
        parent = vocabulary[name]
        ratios = np.ones(parent.card)
        for row in rows_by_parent[name]:
            ratios[parent.states.index(row.text("parent_state"))] = row.number("value")
        given = {row.text("parent_state") for row in rows_by_parent[name]}
        missing = [s for s in parent.states[1:] if s not in given]
        if missing:
            row = rows_by_parent[name][0]
            raise row.error(
                "parent_state",
                f"{variable.name!r} has odds ratios for {name!r} but none for "
                f"{name}={missing[0]!r}; give every non-reference state one (1 = no effect)",
            )
        odds_ratios.append(ratios)
    return LogisticPrior(variable.name, baseline, parents, tuple(odds_ratios))


def _subtype_prior(
    variable: Variable,
    block: list[Row],
    rows_by_parent: dict[str, list[Row]],
    vocabulary: Vocabulary,
) -> SubtypePrior:
    """P(subtype | group present, risk factors at reference) and the odds ratios."""
    below = Variable(variable.name, variable.role, variable.states[1:], variable.model, "")
    present = _distribution(block, below, "value")
    probabilities = np.concatenate([[0.0], present])
    parents = tuple(name for name in vocabulary.risk_factors if name in rows_by_parent)
    odds_ratios = []
    for name in parents:
        parent = vocabulary[name]
        ratios = np.ones((variable.card, parent.card))
        given: dict[str, set[str]] = {}
        for row in rows_by_parent[name]:
            own = variable.states.index(row.text("state"))
            ratios[own, parent.states.index(row.text("parent_state"))] = row.number("value")
            given.setdefault(row.text("state"), set()).add(row.text("parent_state"))
        for state, states in given.items():
            missing = [s for s in parent.states[1:] if s not in states]
            if missing:
                row = next(r for r in rows_by_parent[name] if r.text("state") == state)
                raise row.error(
                    "parent_state",
                    f"{variable.name}={state!r} has odds ratios for {name!r} but none for "
                    f"{name}={missing[0]!r}; give every non-reference state one (1 = no effect)",
                )
        odds_ratios.append(ratios)
    return SubtypePrior(
        variable.name,
        variable.group,
        probabilities,
        parents,
        tuple(odds_ratios),
        states=variable.states,
    )


# ---------------------------------------------------------------------------------------------
# likelihoods.csv


def likelihoods_from_rows(
    rows: list[Row], path: Path, vocabulary: Vocabulary
) -> dict[str, Parameters]:
    """Each finding's parameters from the rows of ``likelihoods.csv``."""
    blocks: dict[str, dict[str, list[Row]]] = {}
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        finding = _known_variable(row, "finding", vocabulary)
        if finding.role != "finding":
            raise row.error(
                "finding",
                f"{finding.name!r} is a {finding.role}; its numbers belong in {PRIORS_FILE}",
            )
        cause = row.required("cause", f"a cause, a subtype state (subtype=state) or {LEAK!r}")
        if "=" in cause:
            _subtype_link(row, cause, vocabulary)
        elif cause != LEAK:
            parent = _known_variable(row, "cause", vocabulary)
            if parent.role != "cause":
                raise row.error(
                    "cause",
                    f"{parent.name!r} is a {parent.role}, not a cause; findings' parents are "
                    f"causes or {LEAK!r} (edges run risk factors -> causes -> findings, which "
                    "keeps the network free of cycles)",
                )
        _check_state(row, "state", finding)
        _check_unique(row, (finding.name, cause, row.text("state")), seen)
        row.probability("probability")
        row.required("source", "a citation or 'estimate: <reasoning>'")
        blocks.setdefault(finding.name, {}).setdefault(cause, []).append(row)
    parameters: dict[str, Parameters] = {}
    for variable in vocabulary.with_role("finding"):
        by_parent = blocks.get(variable.name, {})
        if LEAK not in by_parent:
            raise DataError(
                f"no leak for {variable.name!r}: add rows with cause {LEAK!r} giving "
                f"P({variable.name} | none of the causes)",
                path=path,
            )
        parameters[variable.name] = _finding_parameters(variable, by_parent, vocabulary)
    return parameters


def _subtype_link(row: Row, cell: str, vocabulary: Vocabulary) -> tuple[Variable, int]:
    """The subtype and state index of a ``subtype=state`` cause cell."""
    name, _, state = cell.partition("=")
    if name not in vocabulary or vocabulary[name].role != "subtype":
        known = [f"{s}=..." for s in vocabulary.subtypes] or ["(this model has no subtypes)"]
        raise row.error(
            "cause",
            f"{cell!r}: {name!r} is not a subtype; a 'name=state' cause names a subtype state, "
            f"one of {known}",
        )
    subtype = vocabulary[name]
    if state not in subtype.states[1:]:
        raise row.error(
            "cause",
            f"{cell!r}: {state!r} is not a state of {name} that can link to a finding; "
            f"expected one of {list(subtype.states[1:])}",
        )
    return subtype, subtype.states.index(state)


def _finding_parameters(
    variable: Variable, by_parent: dict[str, list[Row]], vocabulary: Vocabulary
) -> FindingParameters:
    leak = _distribution(by_parent[LEAK], variable, "probability")
    link_names = [name for name in by_parent if name != LEAK]
    parent_of = {name: name.partition("=")[0] for name in link_names}
    parents = tuple(v.name for v in vocabulary if v.name in set(parent_of.values()))
    for name in parents:
        group = vocabulary[name].group
        if vocabulary[name].role == "subtype" and group in parents:
            row = by_parent[next(link for link in link_names if parent_of[link] == group)][0]
            raise row.error(
                "cause",
                f"{variable.name!r} has both {group!r} and its subtype {name!r} as parents; "
                f"link it to one of them (the subtype's states, or the group as a whole)",
            )

    def order(link: str) -> tuple[int, int]:
        parent = vocabulary[parent_of[link]]
        state = link.partition("=")[2] or parent.states[1]
        return parents.index(parent.name), parent.states.index(state)

    link_names.sort(key=order)
    links = tuple(order(link) for link in link_names)
    alone = tuple(_distribution(by_parent[name], variable, "probability") for name in link_names)
    if variable.model in LEAK_RULE_MODELS:
        for name, distribution in zip(link_names, alone, strict=True):
            _check_not_milder_than_leak(variable, name, distribution, leak, by_parent)
    if variable.model == "logit_sum":
        for name in (LEAK, *link_names):
            for row in by_parent[name]:
                if not 0.0 < row.probability("probability") < 1.0:
                    raise row.error(
                        "probability",
                        f"{row.text('probability')} is not strictly between 0 and 1; in a "
                        "logit_sum model every number is a log odds, so 0 and 1 are not allowed",
                    )
    parameters = FindingParameters(
        variable.name,
        variable.model,
        leak,
        parents,
        alone,
        links=links,
        link_names=tuple(link_names),
        parent_cards=tuple(vocabulary[name].card for name in parents),
    )
    _check_expands_to_distributions(parameters, by_parent[link_names[0] if link_names else LEAK])
    return parameters


def _check_expands_to_distributions(parameters: Parameters, rows: list[Row]) -> None:
    """Every column of the expanded CPT is a probability distribution (checked at load)."""
    with np.errstate(all="ignore"):
        table = expand(parameters).table
    columns = table.reshape(table.shape[0], -1)
    totals = columns.sum(axis=0)
    bad = ~np.isfinite(columns).all(axis=0) | (columns.min(axis=0) < -SUM_TOLERANCE)
    bad |= np.abs(totals - 1.0) > SUM_TOLERANCE
    if bad.any():
        parents = expand(parameters).parents
        column = int(np.argmax(bad))
        where = np.unravel_index(column, table.shape[1:]) if parents else ()
        condition = ", ".join(f"{p}={i}" for p, i in zip(parents, where, strict=True))
        raise rows[0].error(
            None,
            f"the expanded CPT of {parameters.variable!r} is not a distribution at parent "
            f"states ({condition}): {np.round(columns[:, column], 6).tolist()}",
        )


def _check_not_milder_than_leak(
    variable: Variable,
    cause: str,
    alone: np.ndarray,
    leak: np.ndarray,
    by_parent: dict[str, list[Row]],
) -> None:
    """Noisy-OR/MAX: a cause can only make a finding more likely, or more severe, than the leak.

    Dividing the leak out of the cause's numbers leaves the cause's own effect, whose cumulative
    distribution F_cause / F_leak must be a distribution too: at most 1, and non-decreasing.
    """
    row = by_parent[cause][0]
    violation = leak_rule_violation(leak, alone, SUM_TOLERANCE)
    if violation is None:
        return
    kind, index = violation
    if kind == "below_leak":
        at_least = variable.states[index:]
        p_cause, p_leak = alone[index:].sum(), leak[index:].sum()
        states = at_least[0] if len(at_least) == 1 else " or ".join(at_least)
        raise row.error(
            "probability",
            f"P({variable.name}={states} | {cause} alone) = {p_cause:.6g} is below the leak "
            f"P({variable.name}={states} | no cause) = {p_leak:.6g}; in a {variable.model} "
            "model a cause can only make a finding more likely, so raise it or lower the leak",
        )
    own = np.diff(own_effect(leak, alone), prepend=0.0)
    raise row.error(
        "probability",
        f"with the leak divided out, {cause} alone would give {variable.name}="
        f"{variable.states[index]!r} a negative probability ({own[index]:.6g}); in a "
        f"noisy_max model P({variable.name} <= y | {cause} alone) / "
        f"P({variable.name} <= y | no cause) must not decrease as y grows",
    )


# ---------------------------------------------------------------------------------------------
# Shared checks


def _distribution(block: list[Row], variable: Variable, column: str) -> np.ndarray:
    """One distribution from its rows: every state listed, or every state but the first.

    The first state, if left out, takes the remainder. Sums within SUM_TOLERANCE of 1 are
    rescaled to exactly 1.
    """
    probabilities = np.full(variable.card, np.nan)
    for row in block:
        probabilities[variable.states.index(row.text("state"))] = row.probability(column)
    listed = ~np.isnan(probabilities)
    first = block[0]
    lines = f"lines {first.line}-{block[-1].line}" if len(block) > 1 else f"line {first.line}"
    where = f"P({variable.name}{_block_condition(first, variable)}) ({lines})"
    if listed.all():
        total = probabilities.sum()
        if abs(total - 1.0) > SUM_TOLERANCE:
            raise first.error(
                column,
                f"{where} sums to {total:.6g}; expected 1 (tolerance {SUM_TOLERANCE:g})",
            )
        return probabilities / total
    if listed[1:].all():
        rest = 1.0 - probabilities[1:].sum()
        if rest < -SUM_TOLERANCE:
            raise first.error(
                column,
                f"{where} sums to {1.0 - rest:.6g} without the first state "
                f"{variable.states[0]!r}; expected at most 1 (tolerance {SUM_TOLERANCE:g})",
            )
        probabilities[0] = max(rest, 0.0)
        return probabilities / probabilities.sum()
    missing = [s for s, given in zip(variable.states, listed, strict=True) if not given]
    raise first.error(
        "state",
        f"{where} gives no number for {missing}; list every state of {variable.name} "
        f"{list(variable.states)}, or every state but the first, which takes the remainder",
    )


def _block_condition(row: Row, variable: Variable) -> str:
    if "cause" in row.cells:
        cause = row.text("cause")
        return " | no cause (leak)" if cause == LEAK else f" | {cause} alone"
    return " | risk factors at reference" if variable.role == "cause" else ""


def _known_variable(row: Row, column: str, vocabulary: Vocabulary) -> Variable:
    name = row.required(column, "a variable name")
    if name not in vocabulary:
        raise row.error(column, f"unknown variable {name!r}{suggestion(name, vocabulary.names)}")
    return vocabulary[name]


def _check_state(row: Row, column: str, variable: Variable) -> str:
    state = row.required(column, f"a state of {variable.name} {list(variable.states)}")
    if state not in variable.states:
        raise row.error(
            column,
            f"{state!r} is not a state of {variable.name}; expected one of {list(variable.states)}",
        )
    return state


def _check_unique(row: Row, key: tuple[str, ...], seen: dict[tuple[str, ...], int]) -> None:
    if key in seen:
        described = ", ".join(part for part in key if part)
        raise row.error(None, f"duplicate row ({described}); the same entry is on line {seen[key]}")
    seen[key] = row.line
