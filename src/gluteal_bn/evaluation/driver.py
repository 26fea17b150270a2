"""The driver: :func:`evaluate` scores a table of cases against their known truth."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import EvidenceError
from .marginals import probabilities as predicted
from .metrics import NONE, SEVERAL, outcome_metrics, top_cause
from .result import Evaluation
from .truth import Truth, split_truth, truth_codes

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["evaluate"]


def evaluate(
    model: DiagnosticModel,
    cases: pd.DataFrame,
    truth: Truth,
    *,
    n_boot: int = 200,
    seed: int | None = None,
    bins: int = 10,
    level: float = 0.95,
) -> Evaluation:
    """Measure the model's probabilities against the known truth of each case.

    See :mod:`gluteal_bn.evaluation` for the definitions (outcomes, true cause, intervals).

    Parameters
    ----------
    model : DiagnosticModel
    cases : pandas.DataFrame
        The evidence, one column per observed variable, as :meth:`posterior_batch` takes it.
    truth : str, sequence of str, DataFrame or mapping
        The known states: names of columns of ``cases`` (each named after a variable, such as
        a cause; they are taken out of the evidence); or a DataFrame with one column per
        variable and one row per case (in the order of ``cases``); or a mapping of variable
        name to a column name of ``cases`` or to a sequence of states. Blank cells (NaN,
        None, empty text) mean "unknown". A column of ``cases`` holding the subtype of a
        truth cause, or the cause of a truth subtype, is left out of the evidence too (it
        would give the answer away), so the hidden columns of :func:`sample_cases` may stay.
    n_boot : int, default 200
        Bootstrap resamples for the intervals (0: no intervals).
    seed : int, optional
        Makes the bootstrap reproducible.
    bins : int, default 10
        Equal-width bins of the predicted probability in the reliability tables.
    level : float, default 0.95
        Probability mass inside each interval.

    Returns
    -------
    Evaluation

    Raises
    ------
    EvidenceError
        For a bad case (as :meth:`posterior_batch`), an empty table, a truth column that is
        missing, not a variable, also given as evidence, blank in every row, or holds a value
        that is not a state; or a bad option.

    Examples
    --------
    >>> import pandas as pd
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> cases = pd.DataFrame({
    ...     "fever": ["yes", "no", "no", None],
    ...     "local_redness_swelling": ["yes", "no", "yes", "no"],
    ...     "local_infection": ["yes", "no", "yes", "no"],
    ... })
    >>> result = gb.evaluate(model, cases, "local_infection", n_boot=0)
    >>> float(result.metrics.loc["local_infection", "roc_auc"])
    1.0
    """
    _check_options(n_boot, seed, bins, level)
    if not isinstance(cases, pd.DataFrame):
        raise EvidenceError(
            f"cases must be a pandas DataFrame with one column per observed variable; "
            f"got {type(cases).__name__}"
        )
    if len(cases) == 0:
        raise EvidenceError("cases is empty: there is no case to evaluate")
    evidence, truth_columns = split_truth(model, cases, truth)
    codes = {
        variable: truth_codes(column, variable, model.states(variable), cases.index)
        for variable, column in truth_columns.items()
    }
    posteriors = model.posterior_batch(evidence)  # checks every evidence cell
    probabilities = predicted(model, evidence, posteriors, list(codes))

    rng = np.random.default_rng(seed)
    tail = (1 - level) / 2
    labels = {**model.labels, SEVERAL: "Several causes present", NONE: "No cause present"}
    metric_rows, reliability_rows, roc = [], [], {}
    for variable, known_codes in codes.items():
        states = model.states(variable)
        positive_states = [states[1]] if len(states) == 2 else list(states)
        for state in positive_states:
            outcome = variable if len(states) == 2 else f"{variable}={state}"
            if outcome != variable:
                words = model.vocabulary.state_label(variable, state)
                labels[outcome] = f"{model.labels[variable]}: {words}"
            known = known_codes >= 0
            y = (known_codes[known] == states.index(state)).astype(np.int8)
            p = probabilities[variable][known, states.index(state)]
            row, table, curve = outcome_metrics(y, p, bins, n_boot, rng, tail)
            metric_rows.append({"outcome": outcome, "variable": variable, "state": state, **row})
            reliability_rows.append(table.assign(outcome=outcome))
            roc[outcome] = curve
    metrics = pd.DataFrame(metric_rows).set_index("outcome")
    metrics.insert(2, "label", [labels.get(o, o) for o in metrics.index])
    reliability = pd.concat(reliability_rows, ignore_index=True)
    reliability = reliability[["outcome", *[c for c in reliability if c != "outcome"]]]

    causes = [v for v in codes if v in model.causes]
    accuracy = lower = upper = math.nan
    confusion = None
    if len(causes) >= 2:
        accuracy, lower, upper, confusion = top_cause(
            model, causes, codes, posteriors, n_boot, rng, tail
        )
    return Evaluation(
        metrics=metrics,
        reliability=reliability,
        roc=roc,
        accuracy=accuracy,
        accuracy_lower=lower,
        accuracy_upper=upper,
        confusion=confusion,
        n_cases=len(cases),
        n_boot=n_boot,
        level=level,
        seed=seed,
        bins=bins,
        labels=labels,
        vocabulary=model.vocabulary,
    )


def _check_options(n_boot: Any, seed: Any, bins: Any, level: Any) -> None:
    whole = (int, np.integer)
    if isinstance(n_boot, bool) or not isinstance(n_boot, whole) or n_boot < 0:
        raise EvidenceError(f"n_boot must be a whole number >= 0 (0: no intervals); got {n_boot!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, whole)):
        raise EvidenceError(f"seed must be a whole number or None; got {seed!r}")
    if isinstance(bins, bool) or not isinstance(bins, whole) or bins < 1:
        raise EvidenceError(f"bins must be a whole number >= 1; got {bins!r}")
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise EvidenceError(f"level must be a probability strictly between 0 and 1; got {level!r}")
