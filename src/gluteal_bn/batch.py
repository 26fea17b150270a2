"""Batch scoring: a table of cases in, P(cause present) for every case out.

A case table is a DataFrame with one column per observed variable; a missing column, NaN,
None or ``pd.NA`` means "not observed". Cells are state names, as text (object or pandas
string dtype) or as a pandas Categorical. Each column is turned into state codes once
(``pd.factorize`` or the categorical codes: one hash per distinct value, not per cell), the
codes into one pattern code per group of the compiled engine, and the engine answers each
chunk of cases with a few gathers (see ``engine.GroupedTables``). The result equals
``model.posterior`` row by row: same exact arithmetic, in log space where it could underflow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .errors import EvidenceError
from .evidence import impossible_evidence
from .vocabulary import Variable, Vocabulary

if TYPE_CHECKING:
    from .inference import Inference

__all__ = ["CHUNK_ROWS", "CaseError", "posterior_batch"]

#: Cases scored at once: the working arrays (C x CHUNK_ROWS floats) stay in the CPU's cache.
CHUNK_ROWS = 4096

Errors = Literal["raise", "coerce"]

_MISSING = -1  # state code of an unobserved cell
_INVALID = -2  # state code of a cell that is not a state name


class CaseError(EvidenceError):
    """One case (row) of a table cannot be scored.

    Attributes: ``position`` (0-based row position), ``label`` (the row's index label),
    ``column`` (the variable, or None for impossible evidence) and ``reason`` (the message
    without the row).
    """

    def __init__(self, *, position: int, label: object, column: str | None, reason: str) -> None:
        self.position, self.label, self.column, self.reason = position, label, column, reason
        super().__init__(f"row {label!r}, {reason}")


def posterior_batch(
    inference: Inference,
    cases: pd.DataFrame,
    *,
    errors: Errors = "raise",
) -> pd.DataFrame:
    """P(cause present | case) for every row; see ``DiagnosticModel.posterior_batch``.

    Parameters
    ----------
    inference : Inference
        The model's inference layer (``model.inference``).
    cases : pandas.DataFrame
        One column per observed variable, state names as cells; missing means unobserved.
    errors : {"raise", "coerce"}
        Raise a CaseError for the first bad row, or give bad rows NaN.

    Returns
    -------
    pandas.DataFrame
        Same index as ``cases``, one column per cause.

    Raises
    ------
    CaseError
        With ``errors="raise"``, for the first cell that is not a state or the first case of
        probability zero (naming its culprit items, as ``posterior`` does).
    EvidenceError
        For an unknown column, a non-DataFrame or an unknown ``errors`` option.

    Examples
    --------
    >>> import pandas as pd, gluteal_bn as gb
    >>> model = gb.load_model()
    >>> posterior_batch(model.inference, pd.DataFrame({"fever": ["yes", None]})).shape
    (2, 5)
    """
    engine, vocabulary = inference.engine, inference.vocabulary
    if errors not in ("raise", "coerce"):
        raise EvidenceError(f"errors={errors!r} is not an option; expected 'raise' or 'coerce'")
    if not isinstance(cases, pd.DataFrame):
        raise EvidenceError(
            f"cases must be a pandas DataFrame with one column per observed variable; "
            f"got {type(cases).__name__}"
        )
    _check_columns(cases, vocabulary)
    grouped = engine.grouped
    n = len(cases)
    columns: list[tuple[int, np.ndarray]] = []
    codes = np.zeros((len(grouped.groups) if grouped else 0, n), dtype=np.intp)
    bad = np.zeros(n, dtype=bool)
    first_problem: CaseError | None = None
    observed_causes: list[tuple[int, np.ndarray]] = []
    names = vocabulary.names
    aliased: dict[int, np.ndarray] = {}  # target variable -> rows where an alias observed it
    for column in cases.columns:
        if column in vocabulary.alias_of:
            alias = vocabulary.alias_of[column]
            if grouped is None:
                raise EvidenceError(
                    f"column {column!r} is an alias; aliases in a table need the compiled engine"
                )
            pseudo = Variable(column, "finding", alias.states, "", column)
            states = state_codes(cases[column], pseudo)
            invalid = states == _INVALID
            if invalid.any():
                position = int(np.argmax(invalid))
                if first_problem is None or position < first_problem.position:
                    first_problem = _bad_cell(cases, position, column, pseudo)
                bad |= invalid
                states[invalid] = _MISSING
            target = names.index(alias.variable)
            increments = np.zeros(len(alias.states) + 1, dtype=np.intp)  # last: unobserved
            for j, state in enumerate(alias.states):
                hard = alias.hard_state(state)
                if hard is not None:
                    increments[j] = grouped.increments[target][hard][1]
                else:
                    increments[j] = grouped.alias_increments[(alias.name, state)][1]
            codes[grouped.group_of[target]] += increments[states]
            aliased[target] = states >= 0
            continue
        v = names.index(column)
        variable = vocabulary.variables[v]
        states = state_codes(cases[column], variable)
        invalid = states == _INVALID
        if invalid.any():
            position = int(np.argmax(invalid))
            if first_problem is None or position < first_problem.position:
                first_problem = _bad_cell(cases, position, column, variable)
            bad |= invalid
            states[invalid] = _MISSING
        columns.append((v, states))
        if grouped is None:
            continue
        codes[grouped.group_of[v]] += (states + 1) * grouped.strides[v]
        if grouped.cause_positions[v] >= 0:
            observed_causes.append((int(grouped.cause_positions[v]), states))
    for v, states in columns:  # an alias and the variable it stands for, both observed
        twice = aliased.get(v, np.zeros(n, dtype=bool)) & (states >= 0)
        if twice.any():
            position = int(np.argmax(twice))
            if first_problem is None or position < first_problem.position:
                first_problem = CaseError(
                    position=position,
                    label=cases.index[position],
                    column=names[v],
                    reason=f"column {names[v]!r} is observed together with an alias that "
                    "stands for it; give one of them",
                )
            bad |= twice
    if first_problem is not None and errors == "raise":
        raise first_problem

    values = np.empty((n, len(vocabulary.causes)))
    if grouped is None:  # the pgmpy fallback: one exact query per case
        for row in range(n):
            evidence = {v: int(states[row]) for v, states in columns if states[row] >= 0}
            values[row] = engine.cause_posterior(engine.rows(evidence))[0]
    for start in range(0, n if grouped is not None else 0, CHUNK_ROWS):
        chunk = slice(start, start + CHUNK_ROWS)
        assert grouped is not None
        values[chunk] = grouped.cause_posterior_batch(codes[:, chunk])
    impossible = np.isnan(values[:, 0]) & ~bad
    if impossible.any() and errors == "raise":
        position = int(np.argmax(impossible))
        given: dict[str, str] = {
            str(column): cases[column].iloc[position]
            for column in cases.columns
            if not _is_missing(cases[column].iloc[position])
        }
        culprits = inference.culprits(inference.observe(given))
        raise CaseError(  # the message of posterior(), culprits named
            position=position,
            label=cases.index[position],
            column=None,
            reason=str(impossible_evidence(given, None, culprits)),
        )
    for position, states in observed_causes:  # exactly 0 or 1, as in posterior()
        seen = states >= 0
        values[seen, position] = states[seen] == 1
    values[bad | impossible] = np.nan
    return pd.DataFrame(
        values, index=cases.index, columns=pd.Index(vocabulary.causes, name="cause")
    )


def state_codes(column: pd.Series, variable: Variable) -> np.ndarray:
    """Each cell's state index; -1 where unobserved, -2 where not a state of ``variable``."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        distinct = column.cat.categories
    elif column.dtype == object:
        # On the plain array: twice as fast as on the Series (no index or dtype dispatch).
        try:
            codes, distinct = pd.factorize(column.to_numpy(), use_na_sentinel=True)
        except TypeError:  # unhashable cells (a dict, a list): not states, cell by cell
            return np.array(
                [_MISSING if _is_missing(v) else _state_index(v, variable) for v in column],
                dtype=np.int64,
            )
    else:  # extension arrays (pandas str dtype, pyarrow-backed or not) factorize natively
        codes, distinct = column.array.factorize(use_na_sentinel=True)
    # One entry per distinct value, plus a last one that the -1 code (missing) picks out.
    lookup = np.array(
        [_state_index(value, variable) for value in distinct] + [_MISSING], dtype=np.int64
    )
    return lookup[codes]


def _state_index(value: object, variable: Variable) -> int:
    if isinstance(value, str) and value in variable.states:
        return variable.states.index(value)
    return _INVALID


def _check_columns(cases: pd.DataFrame, vocabulary: Vocabulary) -> None:
    unknown = [
        column
        for column in cases.columns
        if column not in vocabulary and column not in vocabulary.alias_of
    ]
    if unknown:
        raise EvidenceError(
            f"cases has column(s) that are not variables of this model: "
            f"{', '.join(map(repr, unknown))}. Known variables: {', '.join(vocabulary.names)}"
        )
    if cases.columns.has_duplicates:
        twice = sorted(set(cases.columns[cases.columns.duplicated()]))
        raise EvidenceError(f"cases has more than one column named {', '.join(map(repr, twice))}")


def _bad_cell(cases: pd.DataFrame, position: int, column: str, variable: Variable) -> CaseError:
    value = cases[column].iloc[position]
    what = "a state of" if isinstance(value, str) else "a state name (text) of"
    return CaseError(
        position=position,
        label=cases.index[position],
        column=column,
        reason=f"column {column!r}: {value!r} is not {what} {column}; "
        f"expected one of {list(variable.states)}",
    )


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
