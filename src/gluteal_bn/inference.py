"""The inference layer: evidence observed once, the possibility check, and the fast query path.

Between the engines (``engine.CompiledNetwork``, exact on numpy arrays, and
``engine.fallback.PgmpyEngine``, pgmpy's VariableElimination for networks too large to
compile) and
the objects users hold (``DiagnosticModel``, the reasoning tools) sits one class,
:class:`Inference`. It turns evidence given by name into an :class:`Observation` (checked
once, by :mod:`gluteal_bn.evidence`; afterwards only indices and likelihood rows), checks that
the model gives it positive probability (naming the culprit items when it does not) and
answers queries. Every answer is exact: the engines' docstrings say how.

Both engines satisfy :class:`~gluteal_bn.engine.protocol.Engine` (re-exported here), so the
model and the batch scorer work with either; the reasoning tools need the compiled engine's
arrays and ask for them with :meth:`Inference.compiled`, which says clearly when a network is
too large to compile.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .canonical import Cpt, expand
from .engine import CompiledNetwork, TooLargeToCompile
from .engine.protocol import Engine
from .errors import DataError, EvidenceError, GlutealBNWarning
from .evidence import (
    check_evidence,
    check_soft_evidence,
    check_variable,
    impossible_evidence,
    resolve_aliases,
)
from .vocabulary import Variable, Vocabulary

if TYPE_CHECKING:
    from .io.specification import NetworkSpecification

__all__ = ["Engine", "Evidence", "Inference", "Observation", "SoftEvidence"]

Evidence = Mapping[str, str]
SoftEvidence = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True, slots=True, eq=False)
class Observation:
    """Evidence checked once: what was given, and the index form every engine reads.

    Attributes
    ----------
    evidence : dict of str to str
        The hard evidence as given (a copy, in the order given).
    soft : dict of str to dict of str to float
        The soft evidence as given (a copy).
    hard : dict of int to int
        Checked hard evidence, {variable index: state index}.
    likelihoods : dict of int to tuple of float
        Checked soft evidence, {variable index: likelihood of each state, in state order}.
    rows : numpy.ndarray
        The hard evidence as rows of the engine's likelihood table.
    extra : numpy.ndarray or None
        The sum of the soft evidence's log-rows, or None without soft evidence.
    """

    evidence: dict[str, str]
    soft: dict[str, dict[str, float]]
    hard: dict[int, int]
    likelihoods: dict[int, tuple[float, ...]]
    rows: np.ndarray
    extra: np.ndarray | None

    @property
    def items(self) -> tuple[str, ...]:
        """The names of the observed items: hard evidence, then soft evidence."""
        return (*self.evidence, *self.soft)


class Inference:
    """Exact answers about one network specification, from the compiled engine or pgmpy.

    Built from a specification (``DiagnosticModel`` builds one; so do the reasoning tools
    that try changed numbers). Thread-safe: the compiled arrays are read-only, and the
    pgmpy network is built once under a lock.

    Parameters
    ----------
    specification : NetworkSpecification
        A checked model folder (or numbers changed in memory).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> inference = gb.load_model().inference
    >>> observation = inference.observe({"fever": "yes"})
    >>> observation.items
    ('fever',)
    >>> inference.cause_posterior({"fever": "yes"}).shape
    (5,)
    """

    __slots__ = (
        "_network",
        "_network_lock",
        "_state_lookup",
        "cause_indices",
        "cpts",
        "engine",
        "folder",
        "vocabulary",
    )

    def __init__(self, specification: NetworkSpecification) -> None:
        cpts = tuple(expand(p) for p in specification.parameters)
        for cpt in cpts:
            cpt.table.setflags(write=False)
        self.folder: Path = specification.folder
        self.vocabulary: Vocabulary = specification.vocabulary
        self.cpts: Mapping[str, Cpt] = {cpt.variable: cpt for cpt in cpts}
        names = self.vocabulary.names
        self.cause_indices: tuple[int, ...] = tuple(names.index(c) for c in self.vocabulary.causes)
        self._network: Any = None
        self._network_lock = threading.Lock()
        self.engine: Engine = self._compile(cpts)
        self._state_lookup = _state_lookup(self.engine, self.vocabulary)

    def _compile(self, cpts: tuple[Cpt, ...]) -> Engine:
        """The compiled engine, or pgmpy's exact inference (with a warning) if too large."""
        try:
            return CompiledNetwork.compile(self.vocabulary, cpts)
        except TooLargeToCompile as reason:
            from .engine.fallback import PgmpyEngine

            warnings.warn(
                f"{reason}; this model answers through pgmpy's VariableElimination instead "
                "(exact, but about a thousand times slower per query)",
                GlutealBNWarning,
                stacklevel=5,  # the caller of load_model
            )
            return PgmpyEngine(self.vocabulary, lambda: self.network)

    @property
    def network(self) -> Any:
        """The equivalent pgmpy ``DiscreteBayesianNetwork`` (built on first use, then kept)."""
        with self._network_lock:
            if self._network is None:
                from .network import build_network

                cpts = [self.cpts[name] for name in self.vocabulary.names]
                self._network = build_network(self.vocabulary, cpts)
        return self._network

    def compiled(self, tool: str) -> CompiledNetwork:
        """The compiled engine, for tools that need its arrays.

        Raises
        ------
        DataError
            If the network was too large to compile (it answers through pgmpy).
        """
        if not isinstance(self.engine, CompiledNetwork):
            raise DataError(
                f"{tool} needs the compiled engine, but this network has too many "
                "configurations of its risk factors and causes to compile; on it only "
                "posterior, posterior_array, query, probability_of_evidence, posterior_batch "
                "and diagnose work",
                path=self.folder,
            )
        return self.engine

    # -- evidence ------------------------------------------------------------------------------

    def observe(self, evidence: object = None, soft: object = None) -> Observation:
        """Check hard and soft evidence once and put it in the engine's index form.

        Raises
        ------
        EvidenceError
            For an unknown variable or state, a non-text key or value, a bad likelihood or a
            variable given both ways (see :mod:`gluteal_bn.evidence`).
        """
        evidence, soft = resolve_aliases(evidence, soft, self.vocabulary)
        hard = check_evidence(evidence, self.vocabulary)
        likelihoods = check_soft_evidence(soft, self.vocabulary, hard)
        extra = self.engine.soft_log_rows(likelihoods).sum(axis=0) if likelihoods else None
        given = dict(evidence) if isinstance(evidence, Mapping) else {}
        given_soft = (
            {name: dict(values) for name, values in soft.items()}
            if isinstance(soft, Mapping)
            else {}
        )
        return Observation(given, given_soft, hard, likelihoods, self.engine.rows(hard), extra)

    def check_possible(self, observation: Observation, log_evidence: float) -> None:
        """EvidenceError naming the culprit items if the evidence has probability zero.

        Raises
        ------
        EvidenceError
            If ``log_evidence`` is -inf; the message names each item whose removal makes the
            rest possible (see :func:`gluteal_bn.evidence.impossible_evidence`).
        """
        if log_evidence == -np.inf:
            raise impossible_evidence(
                observation.evidence, observation.soft, self.culprits(observation)
            )

    def culprits(self, observation: Observation) -> list[str]:
        """The observed items without any one of which the rest of the evidence is possible."""
        names = []
        for name in observation.items:
            rest = self.observe(
                {k: v for k, v in observation.evidence.items() if k != name},
                {k: v for k, v in observation.soft.items() if k != name} or None,
            )
            if self.engine.log_evidence(rest.rows, rest.extra) > -np.inf:
                names.append(name)
        return names

    def log_evidence(self, observation: Observation) -> float:
        """log P(evidence) (-inf for impossible evidence; soft evidence as in the engines)."""
        return self.engine.log_evidence(observation.rows, observation.extra)

    # -- queries -------------------------------------------------------------------------------

    def cause_posterior(self, evidence: object = None, soft: object = None) -> np.ndarray:
        """P(cause present | evidence) for every cause, in vocabulary order; the fast path.

        Valid evidence in a plain dict costs one dict look-up per item and a few row look-ups
        in the grouped tables; anything else (or any bad item) goes through :meth:`observe`,
        which raises the precise EvidenceError.

        Raises
        ------
        EvidenceError
            As :meth:`observe`, and for evidence of probability zero.
        """
        grouped = self.engine.grouped
        if soft or grouped is None:  # soft evidence, or the pgmpy fallback: the general path
            return self._general_cause_posterior(self.observe(evidence, soft))
        codes = grouped.empty_codes()
        observed_causes = []
        try:
            if type(evidence) is not dict:
                raise TypeError  # None, other mappings and non-mappings: the checked path
            lookup = self._state_lookup
            for name, state in evidence.items():
                group, increment, cause, state_index = lookup[name][state]
                codes[group] += increment
                if cause >= 0:
                    observed_causes.append((cause, state_index))
        except (KeyError, TypeError):
            observation = self.observe(evidence)
            if observation.likelihoods:  # evidence that reads as soft evidence
                return self._general_cause_posterior(observation)
            codes = grouped.codes(observation.hard)
            positions = grouped.cause_positions
            observed_causes = [
                (int(positions[v]), s) for v, s in observation.hard.items() if positions[v] >= 0
            ]
        values, log_evidence = grouped.cause_posterior(codes)
        if log_evidence == -np.inf:
            self.check_possible(self.observe(evidence), log_evidence)
        for position, state_index in observed_causes:  # exactly 0 or 1, not 1 - 1e-16
            values[position] = float(state_index == 1)
        return values

    def _general_cause_posterior(self, observation: Observation) -> np.ndarray:
        values, log_evidence = self.engine.cause_posterior(observation.rows, observation.extra)
        self.check_possible(observation, log_evidence)
        for position, index in enumerate(self.cause_indices):
            if index in observation.hard:  # exactly 0 or 1, not 1 - 1e-16
                values[position] = float(observation.hard[index] == 1)
        return values

    def marginals(
        self, variables: str | Iterable[str], evidence: object = None, soft: object = None
    ) -> dict[str, np.ndarray]:
        """The distribution over its states of each named variable given the evidence.

        An observed variable's distribution is all on its observed state; a variable given
        soft evidence gets its posterior, which weighs in that evidence.

        Raises
        ------
        EvidenceError
            For an unknown variable, bad evidence or evidence of probability zero.
        """
        if not isinstance(variables, str | Iterable):
            raise EvidenceError(
                "query needs a variable name or a list of names, such as 'radiation' or "
                f"['radiation', 'fever']; got {type(variables).__name__}"
            )
        names = [variables] if isinstance(variables, str) else list(variables)
        targets: list[Variable] = [check_variable(name, self.vocabulary) for name in names]
        observation = self.observe(evidence, soft)
        marginals, log_evidence = self.engine.state_marginals(observation.rows, observation.extra)
        self.check_possible(observation, log_evidence)
        result = {}
        for variable in targets:
            index = self.vocabulary.names.index(variable.name)
            if index in observation.hard:
                values = np.eye(variable.card)[observation.hard[index]]
            elif index in observation.likelihoods:
                values = self._soft_marginal(index, observation)
            else:
                start = self.engine.offsets[index]
                values = marginals[start : start + variable.card]
            result[variable.name] = values
        return result

    def _soft_marginal(self, index: int, observation: Observation) -> np.ndarray:
        """P(variable = state | all evidence) for a variable that has soft evidence.

        Given configuration k the soft observation reweighs the states by lambda:
        P(s | k, soft) = lambda_s L[s, k] / sum_t lambda_t L[t, k]. Soft evidence exists
        only on the compiled engine (the fallback refuses it when observing).
        """
        engine = self.compiled("soft evidence")
        likelihoods = observation.likelihoods[index]
        weights, _ = engine.posterior_weights(observation.rows, observation.extra)
        start = engine.offsets[index]
        # Only ratios of lambda matter: scale the largest to 1 so that tiny likelihoods (even
        # subnormal ones) cannot make the division below overflow.
        scaled = np.asarray(likelihoods, dtype=float) / max(likelihoods)
        block = scaled[:, None] * engine.likelihood[start : start + len(likelihoods)]
        totals = block.sum(axis=0)
        reachable = totals > 0
        return block[:, reachable] @ (weights[reachable] / totals[reachable])


def _state_lookup(
    engine: Engine, vocabulary: Vocabulary
) -> dict[str, dict[str, tuple[int, int, int, int]]]:
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
