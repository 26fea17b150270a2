"""DiagnosticModel: the object users hold, and ``load_model``, which makes one.

A model is immutable: its numbers are read and checked once, expanded into CPTs once and
compiled into arrays once; every query is answered from those arrays (see ``engine``).
``model.network`` builds the equivalent pgmpy network on first use.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .canonical import Cpt, Parameters, expand
from .data_files import NetworkSpecification, bundled_data_folder, read_folder
from .engine import CompiledNetwork, TooLargeToCompile
from .errors import EvidenceError, GlutealBNWarning
from .evidence import check_evidence, check_variable, describe
from .vocabulary import Vocabulary

__all__ = ["DISCLAIMER", "DiagnosticModel", "load_model"]

DISCLAIMER = "Educational model: not for clinical decisions."

Evidence = Mapping[str, str]


def load_model(path: str | os.PathLike[str] | None = None) -> DiagnosticModel:
    """Load a model from a folder of CSV files; by default the bundled network.

    Parameters
    ----------
    path : str or path-like, optional
        A folder with ``variables.csv``, ``priors.csv`` and ``likelihoods.csv`` in the layout
        of the bundled ``data/`` folder (for example a teacher's edited copy).

    Returns
    -------
    DiagnosticModel

    Raises
    ------
    DataError
        If a file is missing or malformed; the message names file, line, column and value.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> model.causes[:3]
    ('spinal_disorder', 'local_infection', 'sciatic_neuralgia')
    """
    folder = bundled_data_folder() if path is None else Path(path)
    return DiagnosticModel(read_folder(folder))


def _state_lookup(engine: Any, vocabulary: Vocabulary) -> dict[str, dict]:
    """name -> state -> (group, code increment, cause position or -1, state index)."""
    grouped = engine.grouped
    if grouped is None:
        return {}
    return {
        variable.name: {
            state: (*grouped.increments[v][s], int(grouped.cause_positions[v]), s)
            for s, state in enumerate(variable.states)
        }
        for v, variable in enumerate(vocabulary)
    }


class DiagnosticModel:
    """A Bayesian network of the causes of buttock pain, answering exact queries.

    Build it with :func:`load_model`. All answers are exact posterior probabilities, equal to
    pgmpy's ``VariableElimination`` on :attr:`network`.
    """

    def __init__(self, specification: NetworkSpecification) -> None:
        cpts = tuple(expand(p) for p in specification.parameters)
        for cpt in cpts:
            cpt.table.setflags(write=False)
        self._set("_folder", specification.folder)
        self._set("_vocabulary", specification.vocabulary)
        self._set("_parameters", specification.parameters)
        self._set("_cpts", {cpt.variable: cpt for cpt in cpts})
        self._set("_engine", self._compile(specification.vocabulary, cpts))
        self._set("_network", None)
        names = specification.vocabulary.names
        self._set("_cause_indices", tuple(names.index(c) for c in specification.vocabulary.causes))
        self._set("_network_lock", threading.Lock())
        self._set("_state_lookup", _state_lookup(self._engine, specification.vocabulary))
        self._set("_cause_index", pd.Index(specification.vocabulary.causes, name="cause"))
        self._set("_cause_labels", {c: self.labels[c] for c in specification.vocabulary.causes})

    def _compile(self, vocabulary: Vocabulary, cpts: tuple[Cpt, ...]) -> Any:
        """The compiled engine, or pgmpy's exact inference (with a warning) if too large."""
        try:
            return CompiledNetwork.compile(vocabulary, cpts)
        except TooLargeToCompile as reason:
            from .fallback import PgmpyEngine

            warnings.warn(
                f"{reason}; this model answers through pgmpy's VariableElimination instead "
                "(exact, but about a thousand times slower per query)",
                GlutealBNWarning,
                stacklevel=4,  # the caller of load_model
            )
            return PgmpyEngine(vocabulary, lambda: self.network)

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(
            f"DiagnosticModel is immutable (cannot set {name!r}); edit a copy of the CSV "
            "files and call load_model(folder) instead"
        )

    def __repr__(self) -> str:
        v = self._vocabulary
        return (
            f"DiagnosticModel({len(v.risk_factors)} risk factors, {len(v.causes)} causes, "
            f"{len(v.findings)} findings; numbers from {self._folder})"
        )

    # -- the vocabulary ------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        """The folder the numbers were read from."""
        return self._folder

    @property
    def vocabulary(self) -> Vocabulary:
        """Every variable with its role, states, canonical model and label."""
        return self._vocabulary

    @property
    def variables(self) -> tuple[str, ...]:
        """All variable names: risk factors, causes, then findings (file order)."""
        return self._vocabulary.names

    @property
    def causes(self) -> tuple[str, ...]:
        """The cause groups, in the order every result uses."""
        return self._vocabulary.causes

    @property
    def risk_factors(self) -> tuple[str, ...]:
        return self._vocabulary.risk_factors

    @property
    def findings(self) -> tuple[str, ...]:
        return self._vocabulary.findings

    @property
    def labels(self) -> dict[str, str]:
        """Plain-language label of every variable, for charts and tables."""
        return self._vocabulary.labels

    def states(self, variable: str) -> tuple[str, ...]:
        """The states of ``variable``, in order."""
        return check_variable(variable, self._vocabulary).states

    def parents(self, variable: str) -> tuple[str, ...]:
        """The parents of ``variable``: risk factors of a cause, causes of a finding."""
        check_variable(variable, self._vocabulary)
        return self._cpts[variable].parents

    def parameters(self, variable: str) -> Parameters:
        """The canonical parameters of ``variable`` exactly as the CSV files give them."""
        check_variable(variable, self._vocabulary)
        return self._parameters[self._vocabulary.names.index(variable)]

    # -- queries -------------------------------------------------------------------------------

    def prior(self) -> pd.Series:
        """P(cause present) for each cause, with no evidence.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> prior = gb.load_model().prior()
        >>> bool(((prior > 0) & (prior < 1)).all())
        True
        """
        return self.posterior(None).rename("prior")

    def posterior(self, evidence: Evidence | None = None) -> pd.Series:
        """P(cause present | evidence) for each cause.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, e.g. ``{"fever": "yes", "age": "over_60"}``. Any variable may be
            observed, causes included ("the abscess is confirmed").

        Returns
        -------
        pandas.Series
            Indexed by cause (in :attr:`causes` order), named ``"posterior"``.

        Raises
        ------
        EvidenceError
            For an unknown variable or state, a non-text key or value, or evidence that the
            model gives probability zero.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> post = model.posterior({"fever": "yes", "local_redness_swelling": "yes"})
        >>> post.idxmax()
        'local_infection'
        """
        return self._cause_series(self._cause_values(evidence), "posterior")

    def posterior_array(self, evidence: Evidence | None = None) -> np.ndarray:
        """:meth:`posterior` as a plain array, for inner loops that call it many times.

        Same numbers and errors as :meth:`posterior`, in :attr:`causes` order, without the cost
        of building a pandas Series (about half the time of a query).

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> values = model.posterior_array({"fever": "yes"})
        >>> values.shape
        (5,)
        >>> bool((values == model.posterior({"fever": "yes"}).to_numpy()).all())
        True
        """
        return self._cause_values(evidence)

    def query(
        self, variables: str | Iterable[str], evidence: Evidence | None = None
    ) -> dict[str, pd.Series]:
        """The full marginal distribution of each named variable given the evidence.

        Returns a dict of variable name to a Series indexed by that variable's states. An
        observed variable's distribution is all on its observed state.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> dist = model.query("radiation", {"low_back_pain": "yes"})["radiation"]
        >>> list(dist.index)
        ['none', 'thigh', 'below_knee']
        """
        names = [variables] if isinstance(variables, str) else list(variables)
        targets = [check_variable(name, self._vocabulary) for name in names]
        checked = check_evidence(evidence, self._vocabulary)
        marginals, log_evidence = self._engine.state_marginals(self._engine.rows(checked))
        self._check_possible(evidence, log_evidence)
        result = {}
        for variable in targets:
            index = self._vocabulary.names.index(variable.name)
            if index in checked:
                values = np.eye(variable.card)[checked[index]]
            else:
                start = self._engine.offsets[index]
                values = marginals[start : start + variable.card]
            result[variable.name] = pd.Series(
                values, index=pd.Index(variable.states, name=variable.name), name=variable.name
            )
        return result

    def probability_of_evidence(self, evidence: Evidence | None = None) -> float:
        """P(evidence) under the model (1 for no evidence, 0 for impossible evidence)."""
        checked = check_evidence(evidence, self._vocabulary)
        _, log_evidence = self._engine.posterior_weights(self._engine.rows(checked))
        return float(np.exp(log_evidence))

    # -- batch scoring (issue 3) ---------------------------------------------------------------

    def posterior_batch(
        self, cases: pd.DataFrame, *, errors: Literal["raise", "coerce"] = "raise"
    ) -> pd.DataFrame:
        """P(cause present | case) for every row of a table of cases.

        Parameters
        ----------
        cases : pandas.DataFrame
            One column per observed variable, named as in :attr:`variables`; each cell a
            state name (text or pandas Categorical). NaN, None or a missing column means
            "not observed".
        errors : {"raise", "coerce"}
            What to do with a cell that is not a state, or a case the model gives probability
            zero: raise an EvidenceError naming the row, column and value (default), or give
            that row NaN and score the rest.

        Returns
        -------
        pandas.DataFrame
            Same index as ``cases``, one column per cause; row ``i`` equals
            ``posterior(evidence of row i)``.

        Examples
        --------
        >>> import pandas as pd
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> cases = pd.DataFrame({"fever": ["yes", None], "age": ["over_60", "under_40"]})
        >>> scores = model.posterior_batch(cases)
        >>> scores.shape
        (2, 5)
        >>> single = model.posterior({"fever": "yes", "age": "over_60"})
        >>> bool(abs(scores.loc[0] - single).max() < 1e-12)
        True
        """
        from .batch import posterior_batch

        return posterior_batch(self._engine, self._vocabulary, cases, errors=errors)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Pickled (e.g. to Dask workers) as "load the same folder": the CSVs are the model.
        return load_model, (str(self._folder),)

    def __dask_tokenize__(self) -> tuple[str, str, int]:
        # A model is immutable: its identity is a stable key for Dask's task graph.
        return ("gluteal_bn.DiagnosticModel", str(self._folder), id(self))

    # -- the numbers ---------------------------------------------------------------------------

    def cpd_table(self, variable: str) -> pd.DataFrame:
        """The expanded CPT of ``variable`` as a table.

        One row per configuration of the parents (a MultiIndex named by the parents), one
        column per state of the variable; each row sums to one.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> table = gb.load_model().cpd_table("fever")
        >>> bool(abs(table.sum(axis=1) - 1).max() < 1e-12)
        True
        """
        check_variable(variable, self._vocabulary)
        cpt: Cpt = self._cpts[variable]
        states = self._vocabulary[variable].states
        columns = pd.Index(states, name=variable)
        if not cpt.parents:
            return pd.DataFrame([cpt.table], index=pd.Index(["(no parents)"]), columns=columns)
        index = pd.MultiIndex.from_product(
            [self._vocabulary[p].states for p in cpt.parents], names=list(cpt.parents)
        )
        return pd.DataFrame(cpt.table.reshape(len(states), -1).T, index=index, columns=columns)

    @property
    def network(self) -> Any:
        """The equivalent pgmpy ``DiscreteBayesianNetwork`` (built on first use, then kept)."""
        with self._network_lock:
            if self._network is None:
                from .network import build_network

                cpts = [self._cpts[name] for name in self._vocabulary.names]
                self._set("_network", build_network(self._vocabulary, cpts))
        return self._network

    # -- helpers -------------------------------------------------------------------------------

    def _check_possible(self, evidence: Evidence | None, log_evidence: float) -> None:
        """EvidenceError if the model gives the (already checked) evidence probability zero."""
        if log_evidence == -np.inf:
            raise EvidenceError(self._impossible_message(dict(evidence or {})))

    def _impossible_message(self, evidence: dict[str, str]) -> str:
        culprits = [
            name
            for name in evidence
            if self.probability_of_evidence({k: v for k, v in evidence.items() if k != name}) > 0
        ]
        hint = (
            f"; it becomes possible without any one of: {', '.join(culprits)}" if culprits else ""
        )
        return f"evidence {{{describe(evidence)}}} has probability zero in this model{hint}"

    def _cause_series(self, values: np.ndarray, name: str) -> pd.Series:
        series = pd.Series(values, index=self._cause_index, name=name, copy=False)
        series.attrs["labels"] = dict(self._cause_labels)
        return series

    def _cause_values(self, evidence: Evidence | None) -> np.ndarray:
        """P(cause present | evidence) as an array; the fast path of ``posterior``.

        Valid evidence in a plain dict costs one dict look-up per item; anything else (or any
        bad item) goes through ``check_evidence``, which raises the precise EvidenceError.
        """
        grouped = self._engine.grouped
        if grouped is None:  # pgmpy fallback: no tables, every query through pgmpy
            checked = check_evidence(evidence, self._vocabulary)
            values, log_evidence = self._engine.cause_posterior(checked)
            self._check_possible(evidence, log_evidence)
            return values
        codes = grouped.empty_codes()
        observed_causes = []
        try:
            if type(evidence) is not dict:
                raise TypeError  # None, other mappings and non-mappings: the checked path
            for name, state in evidence.items():
                group, increment, cause, state_index = self._state_lookup[name][state]
                codes[group] += increment
                if cause >= 0:
                    observed_causes.append((cause, state_index))
        except (KeyError, TypeError):
            checked = check_evidence(evidence, self._vocabulary)
            codes = grouped.codes(checked)
            positions = grouped.cause_positions
            observed_causes = [(positions[v], s) for v, s in checked.items() if positions[v] >= 0]
        values, log_evidence = grouped.cause_posterior(codes)
        self._check_possible(evidence, log_evidence)
        for position, state_index in observed_causes:  # exactly 0 or 1, not 1 - 1e-16
            values[position] = float(state_index == 1)
        return values
