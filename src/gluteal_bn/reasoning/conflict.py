"""Hugin's conflict measure: do the findings fit together?

    conflict(e) = log2( P(e_1) P(e_2) ... P(e_n) / P(e) )        (bits)

for evidence items e_1 .. e_n (hard observations; soft evidence counts as an item with
P(e_i) = sum_s lambda_s P(s)). If the items were independent the ratio would be 1 (conflict
0); items that support one another make P(e) larger than the product (negative conflict);
a **positive** value means the items are jointly less probable than they would be if
unrelated: they do not fit one explanation well, so a teacher should look twice (a data
entry error, an atypical case, or two diseases at once). The measure is from Jensen,
Chamberlain, Nordahl & Jensen (1990), "Analysis in HUGIN of data conflict".

Exact: each P(e_i) and P(e) from the compiled engine's log-rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._arrays import evidence_items, log_sum_exp
from .results import Conflict

if TYPE_CHECKING:
    from ..inference import Evidence, Inference, SoftEvidence

__all__ = ["conflict"]


def conflict(
    inference: Inference, evidence: Evidence | None = None, soft: SoftEvidence | None = None
) -> Conflict:
    """log2 of the product of the items' probabilities over their joint probability.

    See :meth:`DiagnosticModel.conflict`.
    """
    engine = inference.compiled("conflict")
    observation = inference.observe(evidence, soft)
    log_joint = engine.log_evidence(observation.rows, observation.extra)
    inference.check_possible(observation, log_joint)
    items = evidence_items(engine, inference.vocabulary, observation.hard, observation.likelihoods)
    given = dict(evidence or {})
    soft_given = {name: dict(values) for name, values in (soft or {}).items()}

    def result(bits: float, table: pd.DataFrame, log_joint: float) -> Conflict:
        return Conflict(
            bits, table, float(np.exp(log_joint)), given, soft_given, inference.vocabulary
        )

    if not items:
        return result(0.0, pd.DataFrame(columns=["variable", "state", "probability"]), 0.0)
    log_each = log_sum_exp(engine.log_prior + np.stack([item.log_row for item in items]))
    table = pd.DataFrame(
        {
            "variable": [item.variable for item in items],
            "state": [item.state for item in items],
            "probability": np.exp(log_each),
        },
        index=pd.Index([item.name for item in items], name="item"),
    )
    return result(float((log_each.sum() - log_joint) / np.log(2)), table, log_joint)
