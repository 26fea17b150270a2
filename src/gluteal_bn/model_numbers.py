"""The numbers of a model, its files and exchange formats: the half of
:class:`~gluteal_bn.model.DiagnosticModel` that reads or replaces its numbers.

:class:`NumbersMixin` holds the methods; ``DiagnosticModel`` inherits them, so they are used and
documented as methods of the model (``model.numbers``, ``model.with_numbers``, ``model.save``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .canonical import Cpt
from .evidence import check_variable
from .io.model_folder import write_folder
from .io.numbers import Number

if TYPE_CHECKING:
    from .inference import Inference
    from .io.specification import NetworkSpecification
    from .model import DiagnosticModel

__all__ = ["NumbersMixin"]

NUMBER_COLUMNS = [field.name for field in dataclasses.fields(Number)]


class NumbersMixin:
    """The numbers, CPTs, files and exchange formats of :class:`~gluteal_bn.DiagnosticModel`."""

    # The model's own fields (the frozen dataclass sets them).
    specification: NetworkSpecification
    inference: Inference

    # -- the numbers ---------------------------------------------------------------------------

    def cpd_table(self, variable: str) -> pd.DataFrame:
        """The expanded CPT of ``variable`` as a table.

        One row per configuration of the parents (a MultiIndex named by the parents), one
        column per state of the variable; each row sums to one.

        Parameters
        ----------
        variable : str
            A variable's name (see :attr:`variables`).

        Returns
        -------
        pandas.DataFrame
            One row per configuration of the parents, one column per state.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> table = gb.load_model().cpd_table("fever")
        >>> bool(abs(table.sum(axis=1) - 1).max() < 1e-12)
        True
        """
        check_variable(variable, self.specification.vocabulary)
        cpt: Cpt = self.inference.cpts[variable]
        states = self.specification.vocabulary[variable].states
        columns = pd.Index(states, name=variable)
        if not cpt.parents:
            return pd.DataFrame([cpt.table], index=pd.Index(["(no parents)"]), columns=columns)
        index = pd.MultiIndex.from_product(
            [self.specification.vocabulary[p].states for p in cpt.parents], names=list(cpt.parents)
        )
        return pd.DataFrame(cpt.table.reshape(len(states), -1).T, index=index, columns=columns)

    @property
    def network(self) -> Any:
        """The equivalent pgmpy ``DiscreteBayesianNetwork`` (built on first use, then kept)."""
        return self.inference.network

    # -- parameters and learning --------------------------------------------------------------

    @property
    def numbers(self) -> tuple[Number, ...]:
        """Every number of priors.csv and likelihoods.csv, with its file, line and source.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> number = gb.load_model().numbers[0]
        >>> number.label, number.value, number.file, number.line
        ('P(age=under_40)', 0.3, 'priors.csv', 2)
        """
        return self.specification.numbers

    def number_table(self) -> pd.DataFrame:
        """:attr:`numbers` as a table, one row per number, with a readable ``label`` column.

        Returns
        -------
        pandas.DataFrame
            One row per number: its file, line, variable, state, kind, value, source and
            ``label``.
        """
        rows = [{**dataclasses.asdict(n), "label": n.label} for n in self.specification.numbers]
        return pd.DataFrame(rows, columns=[*NUMBER_COLUMNS, "label"])

    def with_numbers(self, values: Mapping[int, float]) -> DiagnosticModel:
        """A new model with some numbers replaced: ``{index in numbers: new value}``.

        The new values go through the same checks as the CSV files (a DataError names the
        file and line of a value that is out of range); the others stay as they are, so a
        distribution whose numbers no longer sum to one is an error, as in a file.

        Parameters
        ----------
        values : mapping of int to float
            New values, by index in :attr:`numbers`.

        Returns
        -------
        DiagnosticModel
            A new model; this one is unchanged.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> smoker_yes = [n.label for n in model.numbers].index("P(smoker=yes)")
        >>> changed = model.with_numbers({smoker_yes - 1: 0.7, smoker_yes: 0.3})
        >>> float(changed.cpd_table("smoker")["yes"].iloc[0])
        0.3
        """
        from .model import from_specification
        from .reasoning.parameters import replace_numbers

        return from_specification(replace_numbers(self.specification, values))

    def save(self, folder: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the model's CSV files into ``folder`` (created if needed); returns the folder.

        The files have the schema of the bundled ones, with every source kept, and floats
        written exactly, so ``load_model(folder)`` gives identical CPTs. The folder changes as
        a whole: killed at any moment, out of disk space or raced by another save, it loads as
        the complete old or the complete new model, or is refused with a DataError saying the
        save was interrupted (``manifest.json`` records what the save replaced). A folder that
        already holds model files is replaced only with ``overwrite=True``; the bundled data
        folder never (edit its CSV files instead). Problems (a bad path, no permission, disk
        full) are DataErrors that leave the folder's model files unchanged.

        Parameters
        ----------
        folder : str or path-like
            Where to write the CSV files.
        overwrite : bool, default False
            Replace a folder that already holds model files.

        Returns
        -------
        pathlib.Path
            The folder.

        Examples
        --------
        >>> import tempfile, gluteal_bn as gb
        >>> model = gb.load_model()
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     copy = gb.load_model(model.save(folder))
        >>> copy.posterior({"fever": "yes"}).equals(model.posterior({"fever": "yes"}))
        True
        """
        return write_folder(
            folder, self.specification.vocabulary, self.specification.numbers, overwrite=overwrite
        )

    def to_bif(self, path: str | os.PathLike[str]) -> Path:
        """Write the network (expanded CPTs) as a BIF file through pgmpy; returns the path.

        Written atomically (a temporary file next to ``path``, then a rename). Other tools
        (pgmpy's ``BIFReader``, pyAgrum, SamIam, GeNIe) read it.

        Parameters
        ----------
        path : str or path-like
            The file to write.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        from .network import write_bif

        return write_bif(self.network, path)

    def to_xmlbif(self, path: str | os.PathLike[str]) -> Path:
        """Write the network (expanded CPTs) as an XMLBIF file through pgmpy; returns the path.

        Written atomically, like :meth:`to_bif`.

        Parameters
        ----------
        path : str or path-like
            The file to write.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        from .network import write_xmlbif

        return write_xmlbif(self.network, path)
