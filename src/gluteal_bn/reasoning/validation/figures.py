"""The model's figures: sensitivity, specificity and likelihood ratios, each from exact queries.

* sensitivity = P(finding = state | condition, population);
* specificity = P(finding != state | not condition, population);
* LR+ = sensitivity / (1 - specificity); LR- = (1 - sensitivity) / specificity.

A cause as condition compares present with absent; a subtype state (``spinal_type=
spinal_stenosis``) compares that state with any other, given as likelihood evidence. Every
value is exact: one query per side of a comparison, through the public
:meth:`~gluteal_bn.model.DiagnosticModel.query`, no sampling.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import DataError, EvidenceError
from .result import ValidationResult, ValidationRow
from .table import VALIDATION_FILE, CheckedRow, read_validation
from .verdicts import judge

if TYPE_CHECKING:
    from ...model import DiagnosticModel

__all__ = ["sensitivity_specificity", "validate"]


def validate(model: DiagnosticModel, path: str | Path | None = None) -> ValidationResult:
    """Compute the model's figure for every row of a validation file.

    Parameters
    ----------
    model : DiagnosticModel
        The model to check.
    path : str or path-like, optional
        A file in the layout of ``data/validation.csv``; by default the one in the model's
        folder.

    Returns
    -------
    ValidationResult

    Raises
    ------
    DataError
        For a missing file or a malformed row (naming the line, the column, the bad value and
        what is valid), or a row whose population the model gives probability zero.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.reasoning.validation import validate
    >>> result = validate(gb.load_model())
    >>> row = result.rows[0]
    >>> row.verdict in ("inside_ci", "within_2x", "off")
    True
    """
    file = Path(model.folder) / VALIDATION_FILE if path is None else Path(path)
    specs = read_validation(file, model)
    rows = []
    for spec in specs:
        implied = _implied(model, spec, file)
        rows.append(
            ValidationRow(
                id=spec.id,
                finding=spec.finding,
                finding_state=spec.finding_state,
                condition=spec.condition,
                population=spec.population,
                measure=spec.measure,
                published=spec.value,
                ci_low=spec.ci_low,
                ci_high=spec.ci_high,
                implied=implied,
                verdict=judge(spec.measure, spec.value, implied, spec.ci_low, spec.ci_high),
                citation=spec.citation,
                dependent=spec.dependent,
                line=spec.line,
            )
        )
    return ValidationResult(rows=tuple(rows), path=str(file), vocabulary=model.vocabulary)


def sensitivity_specificity(
    model: DiagnosticModel,
    finding: str,
    state: str,
    condition: str,
    population: Mapping[str, str] | None = None,
    soft: Mapping[str, Mapping[str, float]] | None = None,
) -> tuple[float, float]:
    """The model's exact sensitivity and specificity of ``finding=state`` for a condition.

    Parameters
    ----------
    model : DiagnosticModel
    finding, state : str
        The finding and its "positive" state.
    condition : str
        A cause name, or ``subtype=state``.
    population, soft : mapping, optional
        Hard and soft evidence shared by both sides of the comparison.

    Returns
    -------
    tuple of float
        (P(finding=state | condition, population), P(finding!=state | not condition,
        population)).

    Raises
    ------
    EvidenceError
        For unknown names or states, or a population with probability zero.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.reasoning.validation import sensitivity_specificity
    >>> sens, spec = sensitivity_specificity(gb.load_model(), "fever", "yes", "local_infection")
    >>> 0 < sens < 1 and 0 < spec < 1
    True
    """
    return (
        _side(model, finding, state, condition, population, soft, positive=True),
        _side(model, finding, state, condition, population, soft, positive=False),
    )


def _side(
    model: DiagnosticModel,
    finding: str,
    state: str,
    condition: str,
    population: Mapping[str, str] | None,
    soft: Mapping[str, Mapping[str, float]] | None,
    *,
    positive: bool,
) -> float:
    """Sensitivity (``positive``) or specificity of one comparison: one exact query."""
    hard = dict(population or {})
    soft_all = {name: dict(values) for name, values in (soft or {}).items()}
    if "=" in condition:
        variable, wanted = condition.split("=", 1)
        if positive:
            hard[variable] = wanted
        else:
            soft_all[variable] = {s: 1.0 for s in model.states(variable) if s != wanted}
    else:
        states = model.states(condition)
        hard[condition] = states[-1] if positive else states[0]
    probability = _probability(model, finding, state, hard, soft_all)
    return probability if positive else 1.0 - probability


def _implied(model: DiagnosticModel, spec: CheckedRow, path: Path) -> float:
    """The row's figure; a sensitivity needs only the condition's side, a specificity only
    the other side (so a population may rule one side out, as in a case-control study)."""
    needs = {
        "sensitivity": (True,),
        "specificity": (False,),
        "lr_positive": (True, False),
        "lr_negative": (True, False),
    }[spec.measure]
    values = {}
    try:
        for positive in needs:
            values[positive] = _side(
                model,
                spec.finding,
                spec.finding_state,
                spec.condition,
                spec.hard,
                spec.soft,
                positive=positive,
            )
    except EvidenceError as error:
        raise DataError(
            f"the model cannot evaluate this comparison: {error}",
            path=path,
            line=spec.line,
            column="population",
        ) from None
    if spec.measure == "sensitivity":
        return values[True]
    if spec.measure == "specificity":
        return values[False]
    sens, specificity = values[True], values[False]
    if spec.measure == "lr_positive":
        return sens / (1.0 - specificity) if specificity < 1.0 else math.inf
    return (1.0 - sens) / specificity if specificity > 0.0 else math.inf


def _probability(
    model: DiagnosticModel,
    finding: str,
    state: str,
    hard: dict[str, str],
    soft: dict[str, dict[str, float]],
) -> float:
    distribution = model.query(finding, hard, soft=soft or None)[finding]
    return float(distribution[state])
