"""The network's vocabulary: its variables, their states, roles and plain-language labels.

The network has three layers, and every edge runs one layer down::

    risk factors (age, smoker, diabetes)  ->  causes  ->  findings

so no file can describe a cycle. The vocabulary is read from ``variables.csv`` (see
``io.specification``); this module only holds it and answers questions about it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

__all__ = ["MODELS_BY_ROLE", "ROLES", "Role", "Variable", "Vocabulary"]

Role = Literal["risk_factor", "cause", "finding"]

ROLES: tuple[Role, ...] = ("risk_factor", "cause", "finding")

#: The canonical model each role may use to turn the CSV numbers into a full CPT.
MODELS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "risk_factor": ("table",),
    "cause": ("logistic",),
    "finding": ("noisy_or", "noisy_max", "mixture"),
}


@dataclass(frozen=True)
class Variable:
    """One node of the network.

    For causes the first state is "absent" and the second "present"; for noisy-OR and
    noisy-MAX findings the states run from absent (first) to most severe (last).
    """

    name: str
    role: Role
    states: tuple[str, ...]
    model: str
    label: str
    description: str = ""

    @property
    def card(self) -> int:
        """Number of states."""
        return len(self.states)


@dataclass(frozen=True)
class Vocabulary:
    """All variables of a network, in file order, with lookups by name and role."""

    variables: tuple[Variable, ...]
    _by_name: MappingProxyType = field(init=False, repr=False, compare=False)
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once: queries look names up on every call.
        by_name = MappingProxyType({v.name: v for v in self.variables})
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "names", tuple(v.name for v in self.variables))

    def __getitem__(self, name: str) -> Variable:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Variable]:
        return iter(self.variables)

    def __len__(self) -> int:
        return len(self.variables)

    def with_role(self, role: Role) -> tuple[Variable, ...]:
        return tuple(v for v in self.variables if v.role == role)

    @property
    def risk_factors(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.with_role("risk_factor"))

    @property
    def causes(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.with_role("cause"))

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.with_role("finding"))

    @property
    def core(self) -> tuple[str, ...]:
        """The variables every finding's parents are drawn from, in file order.

        Risk factors and causes (every role but ``finding``): the exact engine enumerates
        their joint configurations.

        Returns
        -------
        tuple of str
            The core variables' names.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> vocabulary = gb.load_model().vocabulary
        >>> set(vocabulary.core) == set(vocabulary.risk_factors) | set(vocabulary.causes)
        True
        """
        return tuple(v.name for v in self.variables if v.role != "finding")

    @property
    def labels(self) -> dict[str, str]:
        return {v.name: v.label for v in self.variables}
