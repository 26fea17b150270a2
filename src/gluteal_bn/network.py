"""The only code that imports pgmpy, and only when a pgmpy object is actually wanted.

pgmpy is the reference: ``model.network`` is a ``DiscreteBayesianNetwork`` built from the same
expanded CPTs the compiled engine uses, so pgmpy's exact inference, exchange formats,
d-separation, sampling and learning all apply to it. Importing pgmpy costs seconds, so the
import happens here, lazily, with pgmpy's import-time warnings kept from the user.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .canonical import Cpt
from .vocabulary import Vocabulary

__all__ = ["build_network", "quiet", "variable_elimination", "write_bif", "write_xmlbif"]


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


# -- exchange formats ---------------------------------------------------------------------------


def write_bif(network: Any, path: str | os.PathLike[str]) -> Path:
    """Write the network as a BIF file with pgmpy's ``BIFWriter``, atomically."""

    def write(temporary: str) -> None:
        from pgmpy.readwrite import BIFWriter

        BIFWriter(network).write_bif(temporary)

    return _write_atomically(Path(path), write)


def write_xmlbif(network: Any, path: str | os.PathLike[str]) -> Path:
    """Write the network as an XMLBIF file with pgmpy's ``XMLBIFWriter``, atomically."""

    def write(temporary: str) -> None:
        from pgmpy.readwrite import XMLBIFWriter

        XMLBIFWriter(network).write_xmlbif(temporary)

    return _write_atomically(Path(path), write)


def _write_atomically(path: Path, write: Callable[[str], None]) -> Path:
    """Let ``write`` fill a temporary file next to ``path``, then rename it over ``path``."""
    from .io.atomic import atomic_path

    if path.is_dir():
        raise IsADirectoryError(f"cannot write the network to {path}: it is a folder")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write the network to {path}: no folder {path.parent}")
    with atomic_path(path) as temporary, quiet():
        write(str(temporary))
    return path
