"""``likelihoods.csv`` -> each finding's canonical parameters: P(finding | this cause alone)
per parent cause and the leak, checked to expand to distributions that obey the leak rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...canonical import (
    LEAK_RULE_MODELS,
    FindingParameters,
    Parameters,
    expand,
    leak_rule_violation,
    own_effect,
)
from ...errors import DataError
from ...vocabulary import Variable, Vocabulary
from ..rows import Row
from .common import (
    LEAK,
    PRIORS_FILE,
    SUM_TOLERANCE,
    _check_state,
    _check_unique,
    _distribution,
    _known_variable,
)


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
