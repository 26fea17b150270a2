"""The most probable explanations: the k most probable joint states of the causes.

Causes can co-exist (a diabetic smoker may have both a circulatory disorder and a spinal
one), so the answer is a ranking of *joint* states of all five causes with
P(causes | evidence), not one cause per row. Risk factors that are not observed are summed
out: this is the MAP assignment over the causes, which can differ from the MPE over every
unobserved variable (which would also fix the risk factors and findings at their most
probable values and rank the causes by a different, joint, probability).

Exact: the posterior over the K core configurations summed onto the 2^n cause states.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..checks import check_scalar
from ..errors import ArgumentError
from ._arrays import cause_configuration_index
from .results import MostProbableExplanations

if TYPE_CHECKING:
    from ..inference import Evidence, Inference, SoftEvidence

__all__ = ["most_probable_explanation"]


def most_probable_explanation(
    inference: Inference,
    evidence: Evidence | None = None,
    k: int = 5,
    soft: SoftEvidence | None = None,
    over: str = "groups",
) -> MostProbableExplanations:
    """The k most probable joint states of the causes (fewer if fewer are possible).

    ``over="groups"`` ranks the joint states of the binary causes; ``over="subtypes"`` ranks
    the joint states of the causes *and* their subtypes (a present cause with a subtype is
    named by its subtype state, e.g. ``spinal_type=spinal_stenosis``).
    """
    k = int(
        check_scalar(
            k,
            "most_probable_explanation: k",
            expected="a whole number >= 1",
            integer=True,
            minimum=1,
        )
    )
    if over not in ("groups", "subtypes"):
        raise ArgumentError(
            f"most_probable_explanation: over must be 'groups' or 'subtypes'; got {over!r}"
        )
    vocabulary, engine = inference.vocabulary, inference.compiled("most_probable_explanation")
    observation = inference.observe(evidence, soft)
    weights, log_evidence = engine.posterior_weights(observation.rows, observation.extra)
    inference.check_possible(observation, log_evidence)
    if over == "subtypes":
        frame = _over_subtypes(inference, engine, weights, k)
        return MostProbableExplanations(
            frame, observation.evidence, observation.soft, inference.vocabulary
        )
    causes = vocabulary.causes
    distribution = np.bincount(
        cause_configuration_index(engine), weights=weights, minlength=2 ** len(causes)
    )
    order = np.argsort(-distribution, kind="stable")
    order = order[distribution[order] > 0][: int(k)]
    present = (order[:, None] >> np.arange(len(causes))[::-1]) & 1  # first cause = top bit
    frame = pd.DataFrame(
        {
            cause: [vocabulary[cause].states[s] for s in present[:, j]]
            for j, cause in enumerate(causes)
        },
        index=pd.RangeIndex(1, len(order) + 1, name="rank"),
    )
    frame.insert(
        0,
        "present",
        [
            " + ".join(c for c, p in zip(causes, row, strict=True) if p) or "(none)"
            for row in present
        ],
    )
    frame["probability"] = distribution[order]
    return MostProbableExplanations(
        frame, observation.evidence, observation.soft, inference.vocabulary
    )


def _over_subtypes(inference: Inference, engine: Any, weights: np.ndarray, k: int) -> pd.DataFrame:
    """The k most probable cause configurations, subtypes included (``over="subtypes"``)."""
    vocabulary, grid = inference.vocabulary, engine.core
    distribution = np.bincount(grid.c_of_k, weights=weights, minlength=grid.n_cause)
    order = np.argsort(-distribution, kind="stable")
    order = order[distribution[order] > 0][: int(k)]
    columns: dict[str, list[str]] = {}
    for name in grid.names:
        if vocabulary[name].role == "risk_factor":
            continue
        states = grid.cause_states[grid.names.index(name)][order]
        columns[name] = [vocabulary[name].states[s] for s in states]
    present = []
    for position, c in enumerate(order):
        parts = []
        for cause, subtype in zip(grid.causes, grid.subtypes, strict=True):
            if grid.cause_states[grid.names.index(cause)][c] != 1:
                continue
            parts.append(cause if subtype is None else f"{subtype}={columns[subtype][position]}")
        present.append(" + ".join(parts) or "(none)")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(1, len(order) + 1, name="rank"))
    frame.insert(0, "present", present)
    frame["probability"] = distribution[order]
    return frame
