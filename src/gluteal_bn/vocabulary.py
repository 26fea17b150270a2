"""The network's vocabulary: its variables, their states, roles and plain-language labels.

The network has three layers, and every edge runs one layer down::

    risk factors (age, smoker, diabetes)  ->  causes  ->  findings

(a cause may be refined by one *subtype*, a child of the cause and of risk factors, whose
first state ``none`` holds exactly when the cause is absent; findings may depend on it), so
no file can describe a cycle. An *alias* is an evidence name that is not a variable: each of
its states stands for likelihood evidence on one variable (``worse_with_sitting=no`` for
``sitting_effect`` in {no_change, relieved}). The vocabulary is read from ``variables.csv`` (see
``io.specification``); this module only holds it and answers questions about it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Literal

from .canonical import FINDING_MODELS

__all__ = [
    "MODELS_BY_ROLE",
    "ROLES",
    "Alias",
    "Role",
    "Variable",
    "Vocabulary",
    "default_state_label",
]

Role = Literal["risk_factor", "cause", "subtype", "finding"]

ROLES: tuple[Role, ...] = ("risk_factor", "cause", "subtype", "finding")

#: The canonical model each role may use to turn the CSV numbers into a full CPT.
MODELS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "risk_factor": ("table",),
    "cause": ("logistic",),
    "subtype": ("subtype_logistic",),
    "finding": tuple(FINDING_MODELS),
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
    #: A person's words for each state, in the order of ``states`` (``variables.csv`` column
    #: ``state_labels``); by default the state's name with spaces for underscores.
    state_labels: tuple[str, ...] = ()
    group: str = ""  # a subtype: the cause it refines

    def __post_init__(self) -> None:
        if not self.state_labels:
            defaults = tuple(default_state_label(state) for state in self.states)
            object.__setattr__(self, "state_labels", defaults)
        elif len(self.state_labels) != len(self.states):
            raise ValueError(
                f"{self.name}: {len(self.state_labels)} state labels for "
                f"{len(self.states)} states {list(self.states)}"
            )

    @property
    def card(self) -> int:
        """Number of states."""
        return len(self.states)

    def state_label(self, state: str) -> str:
        """The words a person reads for one of this variable's states.

        Parameters
        ----------
        state : str
            One of :attr:`states`.

        Returns
        -------
        str
            Its label from ``variables.csv`` (English; see :mod:`gluteal_bn.i18n` for others).

        Raises
        ------
        KeyError
            If ``state`` is not a state of this variable.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> gb.load_model().vocabulary["radiation"].state_label("below_knee")
        'below the knee'
        """
        try:
            return self.state_labels[self.states.index(state)]
        except ValueError:
            raise KeyError(
                f"{state!r} is not a state of {self.name}; expected one of {list(self.states)}"
            ) from None


@dataclass(frozen=True)
class Alias:
    """An evidence name that stands for likelihood evidence on one variable.

    ``likelihoods[state]`` is the likelihood of each of ``variable``'s states (in its state
    order) when the alias is observed in ``state``; a single 1 among zeros is hard evidence.
    """

    name: str
    variable: str
    likelihoods: Mapping[str, tuple[float, ...]]

    @property
    def states(self) -> tuple[str, ...]:
        """The alias's states."""
        return tuple(self.likelihoods)

    def hard_state(self, state: str) -> int | None:
        """The variable's state index if ``state`` is hard evidence on it, else None."""
        values = self.likelihoods[state]
        if sorted(values)[-1] > 0 and sum(1 for v in values if v > 0) == 1:
            return max(range(len(values)), key=values.__getitem__)
        return None


@dataclass(frozen=True)
class Vocabulary:
    """All variables of a network, in file order, with lookups by name and role."""

    variables: tuple[Variable, ...]
    aliases: tuple[Alias, ...] = ()
    _by_name: MappingProxyType = field(init=False, repr=False, compare=False)
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    alias_of: Mapping[str, Alias] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once: queries look names up on every call.
        by_name = MappingProxyType({v.name: v for v in self.variables})
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "names", tuple(v.name for v in self.variables))
        object.__setattr__(self, "alias_of", MappingProxyType({a.name: a for a in self.aliases}))

    def __reduce__(self) -> tuple[type[Vocabulary], tuple[object, ...]]:
        # MappingProxyType does not pickle: rebuild from the fields given to __init__.
        return type(self), tuple(getattr(self, f.name) for f in fields(self) if f.init)

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
    def subtypes(self) -> tuple[str, ...]:
        """The subtype variables, in file order."""
        return tuple(v.name for v in self.with_role("subtype"))

    def subtype_of(self, cause: str) -> str | None:
        """The subtype that refines ``cause``, or None.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> gb.load_model().vocabulary.subtype_of("local_infection") in (None, "infection_type")
        True
        """
        for variable in self.variables:
            if variable.role == "subtype" and variable.group == cause:
                return variable.name
        return None

    @property
    def core(self) -> tuple[str, ...]:
        """The variables every finding's parents are drawn from, in file order.

        Risk factors, causes and subtypes (every role but ``finding``): the exact engine
        enumerates their joint configurations.

        Returns
        -------
        tuple of str
            The core variables' names.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> vocabulary = gb.load_model().vocabulary
        >>> core = set(vocabulary.risk_factors) | set(vocabulary.causes) | set(vocabulary.subtypes)
        >>> set(vocabulary.core) == core
        True
        """
        return tuple(v.name for v in self.variables if v.role != "finding")

    @property
    def labels(self) -> dict[str, str]:
        return {v.name: v.label for v in self.variables}

    def state_label(self, name: str, state: str) -> str:
        """The words a person reads for ``state`` of the variable ``name``.

        Parameters
        ----------
        name : str
            A variable of this vocabulary.
        state : str
            One of its states.

        Returns
        -------
        str
            The state's label (English; :mod:`gluteal_bn.i18n` translates it).

        Raises
        ------
        KeyError
            If ``name`` is not a variable or ``state`` not one of its states.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> gb.load_model().vocabulary.state_label("age", "40_to_60")
        '40-60 years'
        """
        return self[name].state_label(state)


def default_state_label(state: str) -> str:
    """A state's label when ``variables.csv`` gives none: its name, underscores as spaces.

    Parameters
    ----------
    state : str
        A state name such as ``below_knee``.

    Returns
    -------
    str
        For example ``below knee``.

    Examples
    --------
    >>> default_state_label("below_knee")
    'below knee'
    """
    return state.replace("_", " ")
