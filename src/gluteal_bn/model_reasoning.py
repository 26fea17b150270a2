"""The reasoning tools of a model: sensitivity, intervals, learning, evaluation, next questions,
explanations, most probable explanations and conflict, as methods.

:class:`ReasoningMixin` holds the methods; :class:`~gluteal_bn.model.DiagnosticModel` inherits
them, so they are used and documented as methods of the model. Each method checks what it
needs and calls its tool in :mod:`gluteal_bn.reasoning` (or :mod:`gluteal_bn.evaluation`), which
takes the model's public inference layer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from .inference import Evidence, SoftEvidence

if TYPE_CHECKING:
    from .evaluation import Evaluation
    from .inference import Inference
    from .io.specification import NetworkSpecification
    from .model import DiagnosticModel
    from .reasoning.results import (
        Conflict,
        Explanation,
        MostProbableExplanations,
        NextQuestions,
        PosteriorIntervals,
        Sensitivity,
        TippingPoints,
    )
    from .reasoning.validation import ValidationResult

__all__ = ["ReasoningMixin"]


class ReasoningMixin:
    """The reasoning tools of :class:`~gluteal_bn.DiagnosticModel`, one method each."""

    # The model's own fields (the frozen dataclass sets them).
    specification: NetworkSpecification
    inference: Inference

    @property
    def _model(self) -> DiagnosticModel:
        """This object as the model it is part of (the tools take a model)."""
        return cast("DiagnosticModel", self)

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
        >>> bool(table.table.loc[0, "swing"] == table.table["swing"].max())
        True
        >>> bool(table["swing"].is_monotonic_decreasing)
        True
        """
        self._require_compiled("sensitivity")
        from .reasoning.sensitivity import sensitivity

        return sensitivity(self._model, evidence, cause, factor=factor)

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
        >>> flips = model.tipping_points({"low_back_pain": "yes", "sitting_effect": "worse"})
        >>> flips.top_cause
        'spinal_disorder'
        >>> bool(flips.table["change_in_log_odds"].abs().is_monotonic_increasing)
        True
        """
        self._require_compiled("tipping_points")
        from .reasoning.tipping_points import tipping_points

        return tipping_points(self._model, evidence)

    def posterior_interval(
        self,
        evidence: Evidence | None = None,
        *,
        soft: SoftEvidence | None = None,
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
            Observed states, as for :meth:`posterior` (aliases such as
            ``worse_with_sitting`` included).
        soft : mapping of str to mapping of str to float, optional
            Soft (likelihood) evidence, as for :meth:`posterior`; each drawn model weighs it
            with its own numbers.
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

        return posterior_interval(
            self._model, evidence, soft=soft, level=level, n=n, seed=seed, progress=progress
        )

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

        return fit(self._model, cases, equivalent_sample_size=equivalent_sample_size)

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

        return evaluate(self._model, cases, truth, n_boot=n_boot, seed=seed, bins=bins, level=level)

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
            One row per case, one column per variable, causes (then their subtypes) last.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> cases = model.sample_cases(3, seed=0, missing=0.2)
        >>> len(cases), list(cases.columns) == [*model.risk_factors, *model.findings,
        ...                                     *model.causes, *model.vocabulary.subtypes]
        (3, True)
        """
        from .evaluation import sample_cases

        return sample_cases(self._model, n, seed=seed, observed=observed, missing=missing)

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
    ) -> Conflict:
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
        Conflict
            ``float(result)`` (or ``result.bits``) is the measure in bits, positive when the
            items do not fit together; ``result.table`` holds each item's probability P(e_i)
            and ``result.joint_probability`` P(e). Prints as a small table.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> model = gb.load_model()
        >>> coherent = model.conflict({"fever": "yes", "local_redness_swelling": "yes"})
        >>> odd = model.conflict({"fever": "no", "local_redness_swelling": "yes",
        ...                       "pain_layer": "deep"})
        >>> bool(float(coherent) < 0 < float(odd))
        True
        >>> f"{odd:+.1f} bits" == f"{odd.bits:+.1f} bits"
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

        return validate(self._model, None if path is None else os.fspath(path))

    def _require_compiled(self, tool: str) -> None:
        """DataError unless the compiled engine answers (not the pgmpy fallback)."""
        self.inference.compiled(tool)
