"""Each truth variable's predicted distribution for every case, from the public inference layer.

Causes come from :meth:`DiagnosticModel.posterior_batch` (the grouped engine's batch). Any
other variable (a subtype, a finding) is asked once per distinct evidence pattern, and with
the compiled engine for many patterns at once: the log-posterior over the core configurations
of every pattern is one (patterns x configurations) array, the sum of the prior and of the
evidence's likelihood rows; each variable's marginal is then its likelihood rows times each
pattern's posterior. This is the arithmetic of :meth:`DiagnosticModel.query`
(``engine.state_marginals``) without its per-call checks and tables, and with only the rows
asked for: the numbers equal ``query``'s to rounding (the last bit can differ; tested, and
against pgmpy within 1e-9). A pattern that
observes a truth variable through an alias, and a network too large for the compiled engine,
take ``query`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..engine import CompiledNetwork

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["probabilities"]

# Cells of one block of (patterns x evidence items x configurations) in working memory.
_BLOCK_CELLS = 4_000_000


def probabilities(
    model: DiagnosticModel,
    evidence: pd.DataFrame,
    posteriors: pd.DataFrame,
    variables: list[str],
) -> dict[str, np.ndarray]:
    """variable -> (rows x states) predicted probabilities, from the public API."""
    result = {}
    for variable in variables:
        if variable in model.causes:
            present = posteriors[variable].to_numpy(dtype=float)
            result[variable] = np.column_stack([1 - present, present])
    others = [v for v in variables if v not in model.causes]
    if others:
        cases, inverse = patterns(evidence)
        tables = marginals(model, cases, others)
        for variable in others:
            result[variable] = tables[variable][inverse]
    return result


def patterns(evidence: pd.DataFrame) -> tuple[list[dict[str, str]], np.ndarray]:
    """The distinct evidence patterns of a table (as dicts), and each row's pattern."""
    factorized = [pd.factorize(evidence[c].to_numpy(dtype=object)) for c in evidence.columns]
    if factorized:
        matrix = np.column_stack([codes for codes, _ in factorized])
        distinct, inverse = np.unique(matrix, axis=0, return_inverse=True)
    else:
        distinct, inverse = np.zeros((1, 0), dtype=np.intp), np.zeros(len(evidence), int)
    cases = [
        {
            str(column): str(uniques[code])
            for column, code, (_, uniques) in zip(
                evidence.columns, pattern, factorized, strict=True
            )
            if code >= 0
        }
        for pattern in distinct
    ]
    return cases, np.asarray(inverse).reshape(-1)


def marginals(
    model: DiagnosticModel, cases: list[dict[str, str]], variables: list[str]
) -> dict[str, np.ndarray]:
    """variable -> (cases x states): P(variable = state | case) for every case, batched.

    Parameters
    ----------
    model : DiagnosticModel
    cases : list of dict
        Hard evidence, one dict per case (already checked by ``posterior_batch``).
    variables : list of str
        Variables none of the cases observes directly.

    Returns
    -------
    dict of str to numpy.ndarray
        Row ``i`` equals ``model.query(variables, cases[i])`` to rounding.
    """
    inference = model.inference
    engine = inference.engine
    tables = {v: np.empty((len(cases), len(model.states(v)))) for v in variables}
    by_query: list[int]
    if not isinstance(engine, CompiledNetwork):
        by_query = list(range(len(cases)))
    else:
        observations = [inference.observe(case) for case in cases]
        indices = [inference.vocabulary.names.index(v) for v in variables]
        by_query = [
            k
            for k, seen in enumerate(observations)
            if any(i in seen.hard or i in seen.likelihoods for i in indices)
        ]
        skipped = set(by_query)
        batched = [k for k in range(len(cases)) if k not in skipped]
        blocks = [
            np.ascontiguousarray(engine.likelihood[start : start + len(model.states(v))])
            for start, v in zip((int(engine.offsets[i]) for i in indices), variables, strict=True)
        ]
        # one row of zeros past the end: the padding of cases with fewer evidence items
        log_table = np.vstack([engine.log_likelihood, np.zeros(engine.n_configurations)])
        width = max([len(observations[k].rows) for k in batched], default=0)
        block = max(1, _BLOCK_CELLS // (engine.n_configurations * max(width, 1)))
        for start in range(0, len(batched), block):
            chosen = batched[start : start + block]
            rows = np.full((len(chosen), width), len(engine.log_likelihood), dtype=np.intp)
            for position, k in enumerate(chosen):
                rows[position, : len(observations[k].rows)] = observations[k].rows
            total = np.zeros((len(chosen), engine.n_configurations))
            for slot in range(width):  # the items in order, as query sums them
                total += log_table[rows[:, slot]]
            log_weights = engine.log_prior + total
            for position, k in enumerate(chosen):
                extra = observations[k].extra
                if extra is not None:
                    log_weights[position] += extra
            peak = log_weights.max(axis=1, keepdims=True)
            for impossible in np.flatnonzero(peak[:, 0] == -np.inf).tolist():
                # posterior_batch refused these already; say it as query would
                inference.check_possible(observations[chosen[impossible]], -np.inf)
            weights = np.exp(log_weights - peak)
            weights /= weights.sum(axis=1, keepdims=True)
            # one product per case and variable: the same function of the same posterior
            # for every case, so that cases query would tie stay tied (a matrix product over
            # many cases rounds each one's last bit differently, and ROC AUC sees ties)
            for variable, rows_of_variable in zip(variables, blocks, strict=True):
                for position, k in enumerate(chosen):
                    tables[variable][k] = np.minimum(rows_of_variable @ weights[position], 1.0)
    for k in by_query:
        answer = model.query(variables, cases[k])
        for variable in variables:
            tables[variable][k] = answer[variable].to_numpy()
    return tables
