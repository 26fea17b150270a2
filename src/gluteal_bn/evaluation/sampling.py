"""Labelled cases drawn from the model itself, by forward sampling (:func:`sample_cases`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import EvidenceError

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["sample_cases"]


def sample_cases(
    model: DiagnosticModel,
    n: int,
    *,
    seed: int | np.random.Generator | None = None,
    observed: Iterable[str] | None = None,
    missing: float | Mapping[str, float] = 0.0,
) -> pd.DataFrame:
    """Draw ``n`` cases from the model itself, with every variable's true state.

    Forward sampling: each variable, parents first, is drawn from its CPT
    (:meth:`DiagnosticModel.cpd_table`) given its parents' drawn states, for all cases at once.

    Parameters
    ----------
    model : DiagnosticModel
    n : int
        Number of cases.
    seed : int or numpy Generator, optional
        Makes the draw reproducible.
    observed : iterable of str, optional
        The variables that are evidence (by default the risk factors and findings). They
        come first, in the model's order; the other variables follow, complete: the truth.
    missing : float or mapping of str to float, default 0
        Probability that an observed cell is left blank (not observed), for every observed
        variable or per variable; blanks are independent of everything else.

    Returns
    -------
    pandas.DataFrame
        One row per case, one categorical column per variable (its states as categories;
        NaN where blank). Pass the hidden columns as ``truth`` to :func:`evaluate`, which
        takes them out of the evidence.

    Raises
    ------
    EvidenceError
        For an unknown variable, a bad ``n`` or a missing rate outside [0, 1].

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> cases = model.sample_cases(5, seed=1, observed=["fever", "age"])
    >>> list(cases.columns)[:3]
    ['age', 'fever', 'smoker']
    >>> cases.equals(model.sample_cases(5, seed=1, observed=["fever", "age"]))
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise EvidenceError(f"n must be a whole number of cases >= 0; got {n!r}")
    if n > 2**40:  # numpy cannot even shape the array (10**400 raised a bare ValueError)
        raise EvidenceError(f"n must be a whole number of cases >= 0; got {n!r}, too many")
    variables = list(model.variables)
    shown = [*model.risk_factors, *model.findings] if observed is None else _names(model, observed)
    rates = _missing_rates(model, shown, missing)
    rng = np.random.default_rng(seed)
    drawn: dict[str, np.ndarray] = {}
    for variable in _parents_first(model):
        table = model.cpd_table(variable)
        parents = model.parents(variable)
        cumulative = np.cumsum(table.to_numpy(), axis=1)
        if parents:
            dims = [len(model.states(p)) for p in parents]
            row = np.ravel_multi_index(tuple(drawn[p] for p in parents), dims)
        else:
            row = np.zeros(n, dtype=np.intp)
        u = rng.random(n)
        limits = cumulative[row]
        state = (u[:, None] >= limits[:, :-1]).sum(axis=1)  # the last limit is 1 (rounding)
        drawn[variable] = state.astype(np.int64)
    columns = {}
    ordered = [v for v in variables if v in shown] + [v for v in variables if v not in shown]
    for variable in ordered:
        codes = drawn[variable]
        rate = rates.get(variable, 0.0)
        if rate > 0:
            codes = np.where(rng.random(n) < rate, -1, codes)
        states = pd.Index(model.states(variable))
        columns[variable] = pd.Categorical.from_codes(codes, categories=states)
    return pd.DataFrame(columns)


def _names(model: DiagnosticModel, names: Iterable[str]) -> list[str]:
    if isinstance(names, str):
        names = [names]
    names = list(names)
    for name in names:
        if name not in model.variables:
            model.states(name)  # the model's own EvidenceError, with the closest name
    return names


def _missing_rates(
    model: DiagnosticModel, shown: list[str], missing: float | Mapping[str, float]
) -> dict[str, float]:
    rates = dict(missing) if isinstance(missing, Mapping) else dict.fromkeys(shown, missing)
    for name, rate in rates.items():
        if name not in shown:
            raise EvidenceError(
                f"missing rate given for {name!r}, which is not an observed variable; "
                f"observed: {shown}"
            )
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise EvidenceError(
                f"missing rate of {name!r} must be a probability in [0, 1]; got {rate!r}"
            )
    return {name: float(rate) for name, rate in rates.items()}


def _parents_first(model: DiagnosticModel) -> list[str]:
    """The variables in an order where every parent comes before its children."""
    order: list[str] = []
    placed: set[str] = set()
    pending = list(model.variables)
    while pending:
        ready = [v for v in pending if set(model.parents(v)) <= placed]
        order += ready
        placed.update(ready)
        pending = [v for v in pending if v not in placed]
    return order
