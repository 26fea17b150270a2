"""DiagnosticModel: the object users hold, and ``load_model``, which makes one.

A model is a thin facade over two things: its specification (the vocabulary and the numbers
of the CSV files, checked once) and the inference layer built from it (``inference``: CPTs
expanded once, compiled into arrays once; every query is answered from those arrays, see
``engine``). A model is immutable and fully described by its specification, which is also
what it pickles as. ``model.network`` builds the equivalent pgmpy network on first use.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .canonical import Parameters
from .evidence import check_variable
from .i18n import N_
from .inference import Evidence, Inference, SoftEvidence
from .io.model_folder import bundled_data_folder, read_folder
from .io.numbers import Number
from .io.specification import NetworkSpecification
from .model_numbers import NumbersMixin
from .model_reasoning import ReasoningMixin
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .diagnosis import Diagnosis

__all__ = ["DISCLAIMER", "DiagnosticModel", "load_model"]

DISCLAIMER = N_("Educational model: not for clinical decisions.")  # translated where shown

NUMBER_COLUMNS = [field.name for field in dataclasses.fields(Number)]


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
    return from_specification(read_folder(bundled_data_folder() if path is None else path))


def from_specification(specification: NetworkSpecification) -> DiagnosticModel:
    """The model a specification describes (its numbers, vocabulary and folder).

    Parameters
    ----------
    specification : NetworkSpecification
        Checked numbers, e.g. from ``read_folder`` or ``specification_from_numbers``.

    Returns
    -------
    DiagnosticModel

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> from_specification(model.specification).posterior_array({"fever": "yes"}).shape
    (5,)
    """
    return DiagnosticModel(specification, Inference(specification))


@dataclass(frozen=True, eq=False, repr=False)
class DiagnosticModel(NumbersMixin, ReasoningMixin):
    """A Bayesian network of the causes of buttock pain, answering exact queries.

    Build it with :func:`load_model`. All answers are exact posterior probabilities, equal to
    pgmpy's ``VariableElimination`` on :attr:`network`. A model is immutable and fully
    described by its :attr:`specification`: it pickles as its numbers, not as a folder.

    Attributes
    ----------
    specification : NetworkSpecification
        The vocabulary, the canonical parameters and every number with its source.
    inference : Inference
        The inference layer that answers every query (see :mod:`gluteal_bn.inference`).
    """

    specification: NetworkSpecification
    inference: Inference

    def __repr__(self) -> str:
        v = self.vocabulary
        # a v1 folder has no subtypes: its repr stays as it was
        subtypes = f"{len(v.subtypes)} subtypes, " if v.subtypes else ""
        return (
            f"DiagnosticModel({len(v.risk_factors)} risk factors, {len(v.causes)} causes, "
            f"{subtypes}{len(v.findings)} findings; numbers from {self.folder})"
        )

    # -- the vocabulary ------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        """The folder the numbers were read from."""
        return self.specification.folder

    @property
    def vocabulary(self) -> Vocabulary:
        """Every variable with its role, states, canonical model and label."""
        return self.specification.vocabulary

    @property
    def variables(self) -> tuple[str, ...]:
        """All variable names: risk factors, causes, then findings (file order)."""
        return self.vocabulary.names

    @property
    def causes(self) -> tuple[str, ...]:
        """The cause groups, in the order every result uses."""
        return self.vocabulary.causes

    @property
    def risk_factors(self) -> tuple[str, ...]:
        return self.vocabulary.risk_factors

    @property
    def findings(self) -> tuple[str, ...]:
        return self.vocabulary.findings

    @property
    def labels(self) -> dict[str, str]:
        """Plain-language label of every variable, for charts and tables."""
        return self.vocabulary.labels

    def states(self, variable: str) -> tuple[str, ...]:
        """The states of ``variable``, in order.

        Parameters
        ----------
        variable : str
            A variable's name (see :attr:`variables`).

        Returns
        -------
        tuple of str
            Its states, first to last.
        """
        return check_variable(variable, self.vocabulary).states

    def parents(self, variable: str) -> tuple[str, ...]:
        """The parents of ``variable``: risk factors of a cause, causes of a finding.

        Parameters
        ----------
        variable : str
            A variable's name (see :attr:`variables`).

        Returns
        -------
        tuple of str
            Its parents' names (empty for a risk factor).
        """
        check_variable(variable, self.vocabulary)
        return self.inference.cpts[variable].parents

    def parameters(self, variable: str) -> Parameters:
        """The canonical parameters of ``variable`` exactly as the CSV files give them.

        Parameters
        ----------
        variable : str
            A variable's name (see :attr:`variables`).

        Returns
        -------
        Parameters
            Its canonical model's numbers, as read.
        """
        check_variable(variable, self.vocabulary)
        return self.specification.parameters[self.vocabulary.names.index(variable)]

    # -- queries -------------------------------------------------------------------------------

    def prior(self) -> pd.Series:
        """P(cause present) for each cause, with no evidence.

        Returns
        -------
        pandas.Series
            Indexed by cause, named ``"prior"``.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> prior = gb.load_model().prior()
        >>> bool(((prior > 0) & (prior < 1)).all())
        True
        """
        return self.posterior(None).rename("prior")

    def posterior(
        self, evidence: Evidence | None = None, *, soft: SoftEvidence | None = None
    ) -> pd.Series:
        """P(cause present | evidence) for each cause.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, e.g. ``{"fever": "yes", "age": "over_60"}``. Any variable may be
            observed, causes included ("the abscess is confirmed").
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood, virtual) evidence, e.g. ``{"fever": {"yes": 0.7, "no": 0.3}}``:
            how likely the uncertain observation is under each state. Only ratios matter; a
            state left out gets likelihood 0 (ruled out). See :mod:`gluteal_bn.evidence`.

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
        >>> unsure = model.posterior(soft={"fever": {"yes": 0.7, "no": 0.3}})
        >>> bool(model.prior()["local_infection"] < unsure["local_infection"])
        True
        """
        return self._cause_series(self.inference.cause_posterior(evidence, soft), "posterior")

    def posterior_array(
        self, evidence: Evidence | None = None, *, soft: SoftEvidence | None = None
    ) -> np.ndarray:
        """:meth:`posterior` as a plain array, for inner loops that call it many times.

        Same numbers and errors as :meth:`posterior`, in :attr:`causes` order, without the cost
        of building a pandas Series (about half the time of a query).

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood) evidence, as for :meth:`posterior`.

        Returns
        -------
        numpy.ndarray
            P(cause present | evidence), one value per cause.

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
        return self.inference.cause_posterior(evidence, soft)

    def query(
        self,
        variables: str | Iterable[str],
        evidence: Evidence | None = None,
        *,
        soft: SoftEvidence | None = None,
    ) -> dict[str, pd.Series]:
        """The full marginal distribution of each named variable given the evidence.

        Returns a dict of variable name to a Series indexed by that variable's states. An
        observed variable's distribution is all on its observed state; a variable given soft
        evidence (see :meth:`posterior`) gets its posterior, which weighs in that evidence.

        Parameters
        ----------
        variables : str or iterable of str
            The variables whose distributions are wanted.
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood) evidence, as for :meth:`posterior`.

        Returns
        -------
        dict of str to pandas.Series
            Each variable's distribution, indexed by its states.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> dist = model.query("radiation", {"low_back_pain": "yes"})["radiation"]
        >>> list(dist.index)
        ['none', 'thigh', 'below_knee']
        """
        marginals = self.inference.marginals(variables, evidence, soft)
        return {
            name: pd.Series(
                values, index=pd.Index(self.vocabulary[name].states, name=name), name=name
            )
            for name, values in marginals.items()
        }

    def probability_of_evidence(
        self, evidence: Evidence | None = None, *, soft: SoftEvidence | None = None
    ) -> float:
        """P(evidence) under the model (1 for no evidence, 0 for impossible evidence).

        With ``soft`` evidence the value is P(evidence) times the expected likelihood of the
        soft observations, sum over states of lambda(state) P(state | evidence): the
        probability of the virtual observations when the likelihoods are probabilities.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood) evidence, as for :meth:`posterior`.

        Returns
        -------
        float
            Between 0 and 1 when every soft likelihood is at most 1 (likelihoods matter only
            up to a factor per variable, and scale this value by it).
        """
        inference = self.inference
        return float(np.exp(inference.log_evidence(inference.observe(evidence, soft))))

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

        return posterior_batch(self.inference, cases, errors=errors)

    def __reduce__(self) -> tuple[Any, tuple[NetworkSpecification]]:
        # Pickled (e.g. to Dask workers) as its specification: the numbers themselves, so a
        # changed or learned model arrives changed, and an edited folder changes nothing.
        return from_specification, (self.specification,)

    def __dask_tokenize__(self) -> tuple[str, str, int]:
        # A model is immutable: its identity is a stable key for Dask's task graph.
        return ("gluteal_bn.DiagnosticModel", str(self.folder), id(self))

    # -- teaching in Jupyter (issue 4) --------------------------------------------------------

    def diagnose(
        self, evidence: Evidence | None = None, *, soft: SoftEvidence | None = None
    ) -> Diagnosis:
        """The evidence with the prior and posterior of every cause, as a result that renders.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood) evidence, as for :meth:`posterior`.

        Returns
        -------
        Diagnosis
            ``.to_frame()``, a one-line ``repr``, a text table for ``print``, bars in Jupyter
            and ``.plot()``.

        Raises
        ------
        EvidenceError
            As :meth:`posterior`.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> gb.load_model().diagnose({"fever": "yes", "local_redness_swelling": "yes"})
        ... # doctest: +ELLIPSIS
        Diagnosis(most likely local_infection ...%, 2 findings)
        """
        from .diagnosis import Diagnosis

        posterior = self.posterior(evidence, soft=soft)
        return Diagnosis(
            evidence=dict(evidence or {}),
            soft={name: dict(values) for name, values in (soft or {}).items()},
            prior=self.prior(),
            posterior=posterior,
            labels=posterior.attrs["labels"],
            vocabulary=self.vocabulary,
            model=self,
        )

    # -- helpers -------------------------------------------------------------------------------

    def _cause_series(self, values: np.ndarray, name: str) -> pd.Series:
        series = pd.Series(values, index=self._cause_index, name=name, copy=False)
        series.attrs["labels"] = dict(self._cause_labels)
        return series

    # Derived once per model (queries build Series on every call); cached_property writes
    # to the instance dict, so the frozen fields stay as they are.
    @cached_property
    def _cause_index(self) -> pd.Index:
        return pd.Index(self.causes, name="cause")

    @cached_property
    def _cause_labels(self) -> dict[str, str]:
        labels = self.labels
        return {c: labels[c] for c in self.causes}


def _refuse_assignment(self: DiagnosticModel, name: str, value: object = None) -> None:
    raise dataclasses.FrozenInstanceError(
        f"DiagnosticModel is immutable (cannot set {name!r}); edit a copy of the CSV "
        "files and call load_model(folder) instead, or use with_numbers"
    )


# A friendlier message than the dataclass's own "cannot assign to field" (its __init__ sets
# the fields through object.__setattr__, so this only refuses later assignments).
DiagnosticModel.__setattr__ = _refuse_assignment  # type: ignore[method-assign,assignment]
DiagnosticModel.__delattr__ = _refuse_assignment  # type: ignore[method-assign,assignment]
