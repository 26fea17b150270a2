"""The canonical models of findings, and their registry: the one place a finding model is added.

* ``noisy_or`` / ``noisy_max`` (binary / ordered findings), leaky, in Henrion's
  parameterisation: the numbers are P(finding | this parent state alone) and P(finding | no
  cause) (the leak), so each includes the background. With ``F`` the cumulative distribution,
  ``F(y | parents) = F_leak(y) * prod_{links present} F_link(y) / F_leak(y)``. A parent with
  several states (a subtype) has one link per state it lists; its other states contribute
  nothing. Noisy-OR is the two-state case.
* ``mixture`` (an unordered finding such as the pain's layer): with no link present the leak
  distribution; otherwise the equal-weight mixture of the present links' distributions
  ("the pain is equally likely to come from each cause the patient has").
* ``logit_sum`` (binary findings where a cause can *lower* the finding):
  ``logit P(f | parents) = logit(leak) + sum_{links present} [logit(alone) - logit(leak)]``.

Every table function takes ``(leak, alone, links, parent_cards)``. Adding a finding model means
writing its table function here and one :class:`FindingModel` line in :data:`REGISTRY`, which
says whether the leak rule binds it and whether it is defined for two states only;
:data:`FINDING_MODELS`, :data:`LEAK_RULE_MODELS` and :data:`TWO_STATE_MODELS` follow from it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .leak_rule import own_effect
from .odds import logit, two_states

__all__ = [
    "FINDING_MODELS",
    "LEAK_RULE_MODELS",
    "REGISTRY",
    "TWO_STATE_MODELS",
    "FindingModel",
    "logit_sum_table",
    "mixture_table",
    "noisy_max_table",
]


def noisy_max_table(
    leak: np.ndarray,
    alone: Sequence[np.ndarray],
    links: Sequence[tuple[int, int]] | None = None,
    parent_cards: Sequence[int] | None = None,
) -> np.ndarray:
    """Leaky noisy-MAX (Henrion): CPT of shape ([m,] card, *parent_cards).

    Works on cumulative distributions: each present link multiplies the leak's CDF by its own
    effect ``F_link / F_leak`` (:func:`own_effect`), which is at most one because a link never
    makes the finding milder. ``leak`` is (card,) or (m, card), each ``alone[i]`` the same;
    ``links`` and ``parent_cards`` default to binary causes (link ``i`` = parent ``i``
    present). The result has the batch axis exactly when ``leak`` has.

    Examples
    --------
    >>> noisy_max_table(np.array([0.9, 0.1]), (np.array([0.2, 0.8]),))[1]
    array([0.1, 0.8])
    """
    leak, alone, links, parent_cards, batched = _finding_arrays(leak, alone, links, parent_cards)
    m, card = leak.shape
    n_parents = len(parent_cards)
    leak_cdf = np.cumsum(leak, axis=1)
    cdf = np.broadcast_to(
        leak_cdf.reshape((m, card) + (1,) * n_parents), (m, card, *parent_cards)
    ).copy()
    for (axis, state), distribution in zip(links, alone, strict=True):
        factor = np.ones((m, card, parent_cards[axis]))
        factor[:, :, state] = own_effect(leak, distribution)  # other states of the parent: 1
        shape = [m, card] + [1] * n_parents
        shape[axis + 2] = parent_cards[axis]
        cdf = cdf * factor.reshape(shape)
    cdf[:, -1] = 1.0  # the last state closes the distribution exactly, whatever the rounding
    table = np.diff(cdf, axis=1, prepend=0.0)
    return table if batched else table[0]


def mixture_table(
    leak: np.ndarray,
    alone: Sequence[np.ndarray],
    links: Sequence[tuple[int, int]] | None = None,
    parent_cards: Sequence[int] | None = None,
) -> np.ndarray:
    """Equal-weight mixture of the present links' distributions; the leak when none is present.

    Shapes as in :func:`noisy_max_table`.

    Examples
    --------
    >>> leak = np.array([1.0, 0.0])
    >>> mixture_table(leak, (np.array([0.0, 1.0]), np.array([0.5, 0.5])))[:, 1, 1]
    array([0.25, 0.75])
    """
    leak, alone, links, parent_cards, batched = _finding_arrays(leak, alone, links, parent_cards)
    m, card = leak.shape
    present = _presence(tuple(links), tuple(parent_cards))  # (P, links), C order
    counts = present.sum(axis=1)
    stacked = np.stack(alone, axis=1) if alone else np.zeros((m, 0, card))  # (m, L, card)
    mixed = present @ stacked / np.maximum(counts, 1)[:, None]  # (m, P, card)
    mixed[:, counts == 0] = leak[:, None, :]
    table = mixed.transpose(0, 2, 1).reshape((m, card, *parent_cards))
    return table if batched else table[0]


def logit_sum_table(
    leak: np.ndarray,
    alone: Sequence[np.ndarray],
    links: Sequence[tuple[int, int]] | None = None,
    parent_cards: Sequence[int] | None = None,
) -> np.ndarray:
    """Binary finding whose log odds add up: CPT of shape ([m,] 2, *parent_cards).

    ``logit P(f | parents) = logit(leak) + sum_{links present} [logit(alone) - logit(leak)]``,
    so a link whose number is below the leak lowers the finding. Probabilities must be
    strictly between 0 and 1. Shapes as in :func:`noisy_max_table`.

    Examples
    --------
    >>> leak = np.array([0.5, 0.5])
    >>> table = logit_sum_table(leak, (np.array([0.2, 0.8]), np.array([0.8, 0.2])))
    >>> round(float(table[1, 1, 1]), 12)  # the two links' log odds ratios cancel
    0.5
    """
    leak, alone, links, parent_cards, batched = _finding_arrays(leak, alone, links, parent_cards)
    m = leak.shape[0]
    present = _presence(tuple(links), tuple(parent_cards))  # (P, links)
    base = logit(leak[:, 1])  # (m,)
    shifts = np.stack([logit(a[:, 1]) - base for a in alone], axis=1) if alone else None
    log_odds = np.repeat(base[:, None], present.shape[0], axis=1)
    if shifts is not None:
        log_odds = log_odds + shifts @ present.T  # (m, P)
    no, yes = two_states(log_odds)
    table = np.stack([no, yes], axis=1).reshape((m, 2, *parent_cards))
    return table if batched else table[0]


# -- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingModel:
    """A finding model: its name in ``variables.csv``, its table function and its constraints.

    ``leak_rule``: a link may never make the finding milder than the leak (checked at load,
    kept by sensitivity analysis, intervals and learning); ``two_states``: defined for a
    finding with the states (absent, present) only.
    """

    name: str
    table: Callable[..., np.ndarray]
    leak_rule: bool = False
    two_states: bool = False


#: Every finding model, in the order the documentation lists them.
REGISTRY: tuple[FindingModel, ...] = (
    FindingModel("noisy_or", noisy_max_table, leak_rule=True, two_states=True),
    FindingModel("noisy_max", noisy_max_table, leak_rule=True),
    FindingModel("mixture", mixture_table),
    FindingModel("logit_sum", logit_sum_table, two_states=True),
)

#: Finding models: name -> table function (leak, alone, links, parent_cards).
FINDING_MODELS: dict[str, Callable[..., np.ndarray]] = {
    model.name: model.table for model in REGISTRY
}

#: Finding models in which a link may never make the finding milder than the leak.
LEAK_RULE_MODELS: tuple[str, ...] = tuple(model.name for model in REGISTRY if model.leak_rule)

#: Finding models defined for two states only (absent, present).
TWO_STATE_MODELS: tuple[str, ...] = tuple(model.name for model in REGISTRY if model.two_states)


# -- helpers --------------------------------------------------------------------------------------


def _finding_arrays(
    leak: np.ndarray,
    alone: Sequence[np.ndarray],
    links: Sequence[tuple[int, int]] | None,
    parent_cards: Sequence[int] | None,
) -> tuple[np.ndarray, list[np.ndarray], tuple, tuple[int, ...], bool]:
    """Inputs of a finding's table function, with a batch axis added when there is none."""
    leak = np.asarray(leak, dtype=float)
    batched = leak.ndim == 2
    if not batched:
        leak = leak[None]
    arrays = [np.asarray(a, dtype=float).reshape(leak.shape) for a in alone]
    if not links:
        links = tuple((i, 1) for i in range(len(arrays)))
    if not parent_cards:
        parent_cards = (2,) * len(arrays)
    return leak, arrays, tuple(links), tuple(parent_cards), batched


@functools.cache
def _presence(links: tuple[tuple[int, int], ...], parent_cards: tuple[int, ...]) -> np.ndarray:
    """(P, links): 1 where the parent configuration (C order) has the link's parent state."""
    configurations = np.array(list(itertools.product(*(range(c) for c in parent_cards))))
    configurations = configurations.reshape(-1, len(parent_cards))
    present = np.zeros((len(configurations), len(links)))
    for position, (axis, state) in enumerate(links):
        present[:, position] = configurations[:, axis] == state
    present.setflags(write=False)
    return present
