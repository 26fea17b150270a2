"""The truth of the cases :func:`~gluteal_bn.evaluation.evaluate` scores: which columns are
truth, which evidence, and each row's true state as a code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from ..errors import EvidenceError

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["Truth", "split_truth", "truth_codes"]

Truth: TypeAlias = "str | Sequence[str] | pd.DataFrame | Mapping[str, Any]"


def split_truth(
    model: DiagnosticModel, cases: pd.DataFrame, truth: Truth
) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The evidence (truth columns of ``cases`` removed) and variable -> truth column."""
    columns: dict[str, Any] = {}
    taken: list[str] = []
    if isinstance(truth, str):
        truth = [truth]
    if isinstance(truth, pd.DataFrame):
        if truth.columns.has_duplicates:
            twice = sorted(set(truth.columns[truth.columns.duplicated()]))
            raise EvidenceError(f"truth has more than one column named {twice}")
        columns = {str(name): truth[name] for name in truth.columns}
    elif isinstance(truth, Mapping):
        for variable, column in truth.items():
            if isinstance(column, str):
                columns[variable] = _case_column(cases, column)
                taken.append(column)
            else:
                columns[variable] = column
    elif isinstance(truth, Iterable):
        for column in truth:
            if not isinstance(column, str):
                raise EvidenceError(
                    f"truth column names must be text; got {column!r} ({type(column).__name__})"
                )
            if column in columns:
                raise EvidenceError(f"truth names column {column!r} twice")
            columns[column] = _case_column(cases, column)
            taken.append(column)
    else:
        raise EvidenceError(
            "truth must be a column name of cases, a list of them, a DataFrame or a mapping "
            f"of variable to states; got {type(truth).__name__}"
        )
    if not columns:
        raise EvidenceError("truth names no variable: give at least one truth column")
    result = {}
    for variable, column in columns.items():
        if variable not in model.variables:
            raise EvidenceError(
                f"truth {variable!r} is not a variable of this model; expected one of "
                f"{list(model.causes)} or another variable of the model"
            )
        values = column if isinstance(column, pd.Series) else pd.Series(list(column))
        if len(values) != len(cases):
            raise EvidenceError(
                f"truth {variable!r} has {len(values):,} values but cases has "
                f"{len(cases):,} rows; give one truth value per case (blank for unknown)"
            )
        result[variable] = values
    evidence = cases.drop(columns=taken)
    # A truth cause's subtype, or a truth subtype's group, would give the answer away (the
    # subtype is ``none`` exactly when its group is absent): it is truth, not evidence.
    vocabulary = model.vocabulary
    related = [vocabulary.subtype_of(v) for v in result if v in model.causes]
    related += [vocabulary[v].group for v in result if v in vocabulary.subtypes]
    revealing = [v for v in related if v and v not in result and v in evidence.columns]
    evidence = evidence.drop(columns=revealing)
    both = [variable for variable in result if variable in evidence.columns]
    if both:
        raise EvidenceError(
            f"{both[0]!r} is both a truth variable and a column of evidence in cases; "
            "the model would be given the answer: drop it from the evidence"
        )
    return evidence, result


def _case_column(cases: pd.DataFrame, column: str) -> pd.Series:
    if column not in cases.columns:
        raise EvidenceError(
            f"truth column {column!r} is not a column of cases; its columns are "
            f"{[str(c) for c in cases.columns]}"
        )
    return cases[column]


def truth_codes(
    column: pd.Series, variable: str, states: tuple[str, ...], index: pd.Index
) -> np.ndarray:
    """Each row's state index (-1 for a blank); EvidenceError for a value that is not a state."""
    if isinstance(column.dtype, pd.CategoricalDtype):  # one look-up per category, not per cell
        codes, distinct = column.cat.codes.to_numpy(), column.cat.categories.to_numpy(object)
    else:
        codes, distinct = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    lookup = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last entry: blank (code -1)
    for position, value in enumerate(distinct):
        if isinstance(value, str) and value in states:
            lookup[position] = states.index(value)
        elif isinstance(value, str) and value.strip() == "":
            continue  # an empty cell is a blank
        else:
            if not (codes == position).any():
                continue  # an unused category
            row = int(np.argmax(codes == position))
            raise EvidenceError(
                f"truth {variable!r}, row {index[row]!r}: {value!r} is not a state of "
                f"{variable}; expected one of {list(states)} (or a blank for unknown)"
            )
    result = lookup[codes]
    if (result < 0).all():
        raise EvidenceError(
            f"truth {variable!r} is blank in every row: there is nothing to evaluate it against"
        )
    return result
