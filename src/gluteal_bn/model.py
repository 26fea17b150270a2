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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .canonical import Cpt, Parameters
from .evidence import check_variable
from .i18n import N_
from .inference import Evidence, Inference, SoftEvidence
from .io.model_folder import bundled_data_folder, read_folder, write_folder
from .io.numbers import Number
from .io.specification import NetworkSpecification
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .diagnosis import Diagnosis
    from .evaluation import Evaluation
    from .reasoning.results import (
        Explanation,
        MostProbableExplanations,
        NextQuestions,
        PosteriorIntervals,
        Sensitivity,
        TippingPoints,
    )
    from .reasoning.validation import ValidationResult

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
class DiagnosticModel:
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
        return (
            f"DiagnosticModel({len(v.risk_factors)} risk factors, {len(v.causes)} causes, "
            f"{len(v.findings)} findings; numbers from {self.folder})"
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
        check_variable(variable, self.vocabulary)
        cpt: Cpt = self.inference.cpts[variable]
        states = self.vocabulary[variable].states
        columns = pd.Index(states, name=variable)
        if not cpt.parents:
            return pd.DataFrame([cpt.table], index=pd.Index(["(no parents)"]), columns=columns)
        index = pd.MultiIndex.from_product(
            [self.vocabulary[p].states for p in cpt.parents], names=list(cpt.parents)
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
            folder, self.vocabulary, self.specification.numbers, overwrite=overwrite
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

    def sensitivity(
        self, evidence: Evidence | None, cause: str, *, factor: float = 2.0
    ) -> Sensitivity:
        """How P(cause | evidence) moves as each number of the CSV files varies on its own.

        Each number runs over a plausible range, its odds divided and multiplied by
        ``factor`` (a probability's odds; an odds ratio itself); the other probabilities of
        its distribution are rescaled proportionally. Both ends are computed exactly.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        cause : str
            The cause whose posterior is studied (it must not be observed).
        factor : float, default 2
            How far each number's odds move either way (greater than 1).

        Returns
        -------
        Sensitivity
            ``.table``: one row per number, largest ``swing`` first: ``number`` (index in
            :attr:`numbers`), ``label``, ``kind``, ``file``, ``line``, ``value``, ``low``,
            ``high``, ``posterior_at_low``, ``posterior_at_high`` and ``swing`` (their
            difference); the fields ``cause``, ``evidence``, ``posterior`` and ``factor``.
            Plot it with :func:`gluteal_bn.plot_sensitivity`.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> table = model.sensitivity({"fever": "yes"}, "local_infection")
        >>> table.table.loc[0, "label"]
        'P(local_infection=yes | risk factors at reference)'
        >>> bool(table["swing"].is_monotonic_decreasing)
        True
        """
        self._require_compiled("sensitivity")
        from .reasoning.sensitivity import sensitivity

        return sensitivity(self, evidence, cause, factor=factor)

    def tipping_points(self, evidence: Evidence | None = None) -> TippingPoints:
        """The single-number changes that would make another cause the most likely one.

        For each number of the CSV files, the nearest value (on the log-odds scale; for an
        odds ratio its logarithm) at which a different cause overtakes the currently most
        likely one, found by scanning outwards then bisecting; numbers that cannot flip the
        answer within a factor of e^12 on the odds are left out. The first row is the
        smallest change that flips the diagnosis.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.

        Returns
        -------
        TippingPoints
            ``.table``: ``number``, ``label``, ``kind``, ``file``, ``line``, ``value``,
            ``flips_at``, ``change_in_log_odds`` and ``new_top_cause``, smallest absolute
            change first; ``.top_cause`` is the current most likely cause.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> flips = model.tipping_points({"low_back_pain": "yes", "worse_with_sitting": "yes"})
        >>> flips.top_cause
        'spinal_disorder'
        >>> bool(flips.table["change_in_log_odds"].abs().is_monotonic_increasing)
        True
        """
        self._require_compiled("tipping_points")
        from .reasoning.sensitivity import tipping_points

        return tipping_points(self, evidence)

    def posterior_interval(
        self,
        evidence: Evidence | None = None,
        *,
        level: float = 0.9,
        n: int = 2000,
        seed: int | np.random.Generator | None = None,
        progress: bool | None = None,
    ) -> PosteriorIntervals:
        """Credible intervals for each cause's posterior, from uncertainty in the numbers.

        Each distribution in the CSV files is treated as a Dirichlet (Beta) distribution with
        its equivalent sample size (the optional ``sample_size`` column, or a default by
        source quality: estimate 30, PROXY 50, cited 100), each odds ratio as lognormal with
        log-scale spread 2 / sqrt(sample size); ``n`` whole models are drawn and each gives
        an exact posterior. See ``data/README.md``.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        level : float, default 0.9
            Probability mass inside each (equal-tailed) interval.
        n : int, default 2000
            Number of models drawn.
        seed : int or numpy Generator, optional
            Makes the draws reproducible.
        progress : bool, optional
            A tqdm progress bar on stderr: True always, False never; by default (None) only
            from 10,000 draws (a few seconds) and only when stderr is a terminal. The bar
            does not change the draws.

        Returns
        -------
        PosteriorIntervals
            ``.table`` indexed by cause: ``posterior`` (the point value), ``mean``,
            ``lower``, ``upper``; the fields ``level``, ``n`` and ``evidence``. Draw it
            with ``plot_posterior(prior, posterior, intervals=table)``.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> table = model.posterior_interval({"fever": "yes"}, n=500, seed=1)
        >>> list(table.to_frame().columns)
        ['posterior', 'mean', 'lower', 'upper']
        >>> bool((table.table["lower"] <= table.table["upper"]).all())
        True
        """
        self._require_compiled("posterior_interval")
        from .reasoning.uncertainty import posterior_interval

        return posterior_interval(self, evidence, level=level, n=n, seed=seed, progress=progress)

    def fit(
        self, cases: pd.DataFrame, *, equivalent_sample_size: float | None = None
    ) -> DiagnosticModel:
        """A new model whose numbers combine the CSV numbers with observed cases.

        The CSV numbers act as a prior of virtual cases (``equivalent_sample_size`` of them
        per variable; by default each variable's smallest ``sample_size``, see
        ``data/README.md``); the canonical parameters (baselines, odds ratios, noisy-OR
        probabilities) are then learned by maximum a posteriori estimation, with EM over
        missing values (exact expected counts from the compiled engine). Learned rows get
        the source ``learned: N cases + E virtual (prior: ...)`` and sample size E + N, so
        :meth:`save` writes them marked.

        Parameters
        ----------
        cases : pandas.DataFrame
            One row per case, one column per observed variable, states as text; missing
            values as NaN, None or an empty string.
        equivalent_sample_size : float, optional
            Weight of the CSV numbers, in cases, for every variable (0 = the data alone).

        Returns
        -------
        DiagnosticModel

        Examples
        --------
        >>> import pandas as pd, gluteal_bn as gb
        >>> model = gb.load_model()
        >>> cases = pd.DataFrame({"smoker": ["yes"] * 30 + ["no"] * 70})
        >>> learned = model.fit(cases, equivalent_sample_size=100)
        >>> round(float(learned.cpd_table("smoker")["yes"].iloc[0]), 3)  # (0.22*100 + 30) / 200
        0.26
        """
        self._require_compiled("fit")
        from .reasoning.learning import fit

        return fit(self, cases, equivalent_sample_size=equivalent_sample_size)

    # -- teaching in Jupyter (issue 4) --------------------------------------------------------

    def diagnose(self, evidence: Evidence | None = None) -> Diagnosis:
        """The evidence with the prior and posterior of every cause, as a result that renders.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.

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

        posterior = self.posterior(evidence)
        return Diagnosis(
            evidence=dict(evidence or {}),
            prior=self.prior(),
            posterior=posterior,
            labels=posterior.attrs["labels"],
            vocabulary=self.vocabulary,
            model=self,
        )

    # -- evaluation on labelled cases (issue 12) ----------------------------------------------

    def evaluate(
        self,
        cases: pd.DataFrame,
        truth: Any,
        *,
        n_boot: int = 200,
        seed: int | None = None,
        bins: int = 10,
        level: float = 0.95,
    ) -> Evaluation:
        """Brier score, log loss, ROC AUC, calibration and top-1 accuracy on labelled cases.

        A thin wrapper of :func:`gluteal_bn.evaluation.evaluate` (see it for the parameters
        and the definitions).

        Parameters
        ----------
        cases : pandas.DataFrame
            One row per case, as for :func:`gluteal_bn.evaluation.evaluate`.
        truth : str, sequence of str, DataFrame or mapping
            The known states: columns of ``cases``, a table, or a mapping (see
            :func:`gluteal_bn.evaluation.evaluate`).
        n_boot : int, default 200
            Bootstrap resamples for the intervals (0 for none).
        seed : int, optional
            Seed of the bootstrap.
        bins : int, default 10
            Bins of the reliability diagram.
        level : float, default 0.95
            Level of the bootstrap intervals.

        Returns
        -------
        Evaluation
            The metrics, reliability table and ROC curves.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> cases = model.sample_cases(500, seed=1)
        >>> result = model.evaluate(cases, model.causes, n_boot=50, seed=1)
        >>> result.outcomes == model.causes
        True
        """
        from .evaluation import evaluate

        return evaluate(self, cases, truth, n_boot=n_boot, seed=seed, bins=bins, level=level)

    def sample_cases(
        self,
        n: int,
        *,
        seed: int | np.random.Generator | None = None,
        observed: Iterable[str] | None = None,
        missing: float | Mapping[str, float] = 0.0,
    ) -> pd.DataFrame:
        """``n`` cases drawn from the model, with the true state of every variable.

        A thin wrapper of :func:`gluteal_bn.evaluation.sample_cases` (see it for the
        parameters).

        Parameters
        ----------
        n : int
            How many cases.
        seed : int or numpy.random.Generator, optional
            For reproducible draws.
        observed : iterable of str, optional
            The variables whose states are kept as observed (default: risk factors and
            findings).
        missing : float or mapping of str to float, default 0.0
            Probability that an observed cell is left blank, overall or per variable.

        Returns
        -------
        pandas.DataFrame
            One row per case, one column per variable, causes last.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> cases = model.sample_cases(3, seed=0, missing=0.2)
        >>> len(cases), list(cases.columns) == [*model.risk_factors, *model.findings,
        ...                                     *model.causes]
        (3, True)
        """
        from .evaluation import sample_cases

        return sample_cases(self, n, seed=seed, observed=observed, missing=missing)

    # -- reasoning -----------------------------------------------------------------------------

    def next_questions(
        self,
        evidence: Evidence | None = None,
        target: str | None = None,
        *,
        soft: SoftEvidence | None = None,
    ) -> NextQuestions:
        """Every unobserved risk factor and finding, ranked by expected information gain.

        The gain is in bits about the joint state of all causes (32 states), or about one
        cause with ``target``: IG(V) = H(C | e) - sum_s P(V=s | e) H(C | e, V=s). Causes are
        not candidates (they are what the questions are about); variables given as
        evidence or soft evidence are not either. Exact, from the compiled engine.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        target : str, optional
            A cause: the gain is then about that cause alone.
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood) evidence, as for :meth:`posterior`.

        Returns
        -------
        NextQuestions
            ``.ranking`` (one row per variable, best first: ``information_gain`` in bits)
            and ``.answers`` (per variable and answer: its probability and the posterior of
            each cause it would give); shown as two tables in Jupyter.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> result = model.next_questions({"pain_layer": "subcutaneous"})
        >>> result.best in model.findings + model.risk_factors
        True
        >>> round(float(result.answers.loc[result.best, "probability"].sum()), 12)
        1.0
        """
        from .reasoning.next_question import next_questions

        return next_questions(self.inference, evidence, target, soft)

    def explain(
        self, evidence: Evidence | None, cause: str, *, soft: SoftEvidence | None = None
    ) -> Explanation:
        """Each observed item's exact contribution to ``cause``'s log-odds (natural log).

        Contributions are exact Shapley values over all subsets of the observed items (hard
        and soft), so they sum to posterior log-odds minus prior log-odds. The column
        ``weight_of_evidence`` is each item's effect alone, v({item}) - v({}).

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        cause : str
            The cause to explain (not itself observed).
        soft : mapping, optional
            Soft evidence, as for :meth:`posterior`; each soft variable is one item.

        Returns
        -------
        Explanation
            ``.table`` indexed by item (``name=state``, or ``name=soft``), largest
            contribution first: ``variable``, ``state``, ``label``, ``contribution``,
            ``weight_of_evidence``; the fields ``cause``, ``prior``, ``posterior``,
            ``prior_log_odds``, ``posterior_log_odds`` and ``method``; ``str()``,
            ``to_dict()`` and ``to_frame()`` (see :mod:`gluteal_bn.reasoning.results`).

        Raises
        ------
        EvidenceError
            For bad or impossible evidence, a name that is not a cause, an observed cause,
            or items that make the cause certain.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> why = model.explain({"fever": "yes", "pain_layer": "subcutaneous"}, "local_infection")
        >>> total = why.posterior_log_odds - why.prior_log_odds
        >>> bool(abs(why.table["contribution"].sum() - total) < 1e-9)
        True
        """
        from .reasoning.explain import explain

        return explain(self.inference, evidence, cause, soft)

    def most_probable_explanation(
        self,
        evidence: Evidence | None = None,
        k: int = 5,
        *,
        soft: SoftEvidence | None = None,
        over: str = "groups",
    ) -> MostProbableExplanations:
        """The k most probable joint states of the five causes, with P(causes | evidence).

        Unobserved risk factors are summed out: this is MAP over the causes, which can differ
        from the MPE over all variables. With ``over="subtypes"`` the states ranked are
        those of the causes and their subtypes jointly (one column per cause and per subtype).

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        k : int, default 5
            How many joint states.
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood) evidence, as for :meth:`posterior`.
        over : {"groups", "subtypes"}, default "groups"
            Rank joint states of the five cause groups, or of the groups with their subtypes.

        Returns
        -------
        MostProbableExplanations
            ``.table`` ranked from 1: ``present`` lists the causes present in that state,
            then one column per cause, then ``probability``; ``str()``, ``to_dict()``.

        Raises
        ------
        EvidenceError
            For bad or impossible evidence.
        ArgumentError
            If ``k`` is not a whole number >= 1 or ``over`` is not "groups" or "subtypes".

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> top = gb.load_model().most_probable_explanation({"fever": "yes"}, k=3)
        >>> len(top), bool(top["probability"].is_monotonic_decreasing)
        (3, True)
        """
        from .reasoning.mpe import most_probable_explanation

        return most_probable_explanation(self.inference, evidence, k, soft, over)

    def conflict(
        self, evidence: Evidence | None = None, *, soft: SoftEvidence | None = None
    ) -> float:
        """Hugin's conflict measure log2(P(e_1) ... P(e_n) / P(e)), in bits.

        Positive means the observed items are jointly less probable than if they were
        unrelated: they do not fit together (look at the case again); 0 for no evidence.

        Parameters
        ----------
        evidence : mapping of str to str, optional
            Observed states, as for :meth:`posterior`.
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood) evidence, as for :meth:`posterior`.

        Returns
        -------
        float
            In bits; positive when the items do not fit together.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> coherent = model.conflict({"fever": "yes", "local_redness_swelling": "yes"})
        >>> odd = model.conflict({"fever": "no", "local_redness_swelling": "yes",
        ...                       "pain_layer": "deep"})
        >>> bool(coherent < 0 < odd)
        True
        """
        from .reasoning.conflict import conflict

        return conflict(self.inference, evidence, soft)

    def validate(self, path: str | os.PathLike[str] | None = None) -> ValidationResult:
        """The literature check: the model's diagnostic accuracy beside published figures.

        For every row of ``validation.csv`` (by default the one in the model's folder) the
        model's sensitivity, specificity or likelihood ratio for the same comparison is
        computed exactly and judged ``inside_ci``, ``within_2x`` or ``off``; see
        :mod:`gluteal_bn.reasoning.validation`.

        Parameters
        ----------
        path : str or path-like, optional
            Another validation file in the same layout.

        Returns
        -------
        ValidationResult
            Rows, counts per verdict (dependent and independent rows separately),
            ``to_frame``, ``to_dict`` and ``plot``.

        Raises
        ------
        DataError
            For a missing file or a malformed row (line and column named).

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> result = gb.load_model().validate()
        >>> set(result.to_frame()["verdict"]) <= {"inside_ci", "within_2x", "off"}
        True
        """
        from .reasoning.validation import validate

        return validate(self, path)

    # -- helpers -------------------------------------------------------------------------------

    def _require_compiled(self, tool: str) -> None:
        """DataError unless the compiled engine answers (not the pgmpy fallback)."""
        self.inference.compiled(tool)

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
