"""The only code that imports pgmpy, and only when a pgmpy object is actually wanted.

pgmpy is the reference: ``model.network`` is a ``DiscreteBayesianNetwork`` built from the same
expanded CPTs the compiled engine uses, so pgmpy's exact inference, exchange formats,
d-separation, sampling and learning all apply to it. Importing pgmpy costs seconds, so the
import happens here, lazily, with pgmpy's import-time warnings kept from the user.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .canonical import Cpt
from .vocabulary import Vocabulary

__all__ = ["build_network", "quiet", "variable_elimination"]


@contextmanager
def quiet() -> Iterator[None]:
    """Silence dependencies' warnings (deprecations, progress chatter) inside the block only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def build_network(vocabulary: Vocabulary, cpts: Sequence[Cpt]) -> Any:
    """A checked pgmpy ``DiscreteBayesianNetwork`` with the given CPTs and state names."""
    with quiet():
        from pgmpy.factors.discrete import TabularCPD
        from pgmpy.models import DiscreteBayesianNetwork

        network = DiscreteBayesianNetwork()
        network.add_nodes_from(vocabulary.names)
        network.add_edges_from((parent, cpt.variable) for cpt in cpts for parent in cpt.parents)
        for cpt in cpts:
            variable = vocabulary[cpt.variable]
            involved = (cpt.variable, *cpt.parents)
            network.add_cpds(
                TabularCPD(
                    variable=cpt.variable,
                    variable_card=variable.card,
                    values=cpt.table.reshape(variable.card, -1),
                    evidence=list(cpt.parents) or None,
                    evidence_card=[vocabulary[p].card for p in cpt.parents] or None,
                    state_names={name: list(vocabulary[name].states) for name in involved},
                )
            )
        network.check_model()
    return network


def variable_elimination(network: Any) -> Any:
    """pgmpy's exact ``VariableElimination`` on the network (the tests' oracle)."""
    with quiet():
        from pgmpy.inference import VariableElimination

        return VariableElimination(network)
