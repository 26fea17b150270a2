"""The exact inference engines.

* :mod:`.core`: the core configurations (risk factors x causes x subtypes, pruned).
* :mod:`.compiled`: compiled exact inference on numpy arrays over the core configurations,
  every query in log space.
* :mod:`.grouped`: the grouped tables, the fast path for the causes' posterior, single and
  batch, over the cause configurations.

The names below are re-exported so ``from gluteal_bn.engine import CompiledNetwork`` keeps
working.
"""

from __future__ import annotations

from .compiled import MAX_CORE_CONFIGURATIONS, CompiledNetwork, TooLargeToCompile
from .core import CoreGrid
from .grouped import MAX_GROUP_PATTERNS, UNDERFLOW, GroupedTables

__all__ = [
    "MAX_CORE_CONFIGURATIONS",
    "MAX_GROUP_PATTERNS",
    "UNDERFLOW",
    "CompiledNetwork",
    "CoreGrid",
    "GroupedTables",
    "TooLargeToCompile",
]
