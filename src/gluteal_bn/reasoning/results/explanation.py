"""The result of :meth:`DiagnosticModel.explain`: each item's share of a cause's log-odds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...display import Column, given, text_table
from ...i18n import Translation
from ._base import TableResult, method_words, state_words

__all__ = ["Explanation"]


@dataclass(frozen=True, repr=False, eq=False)
class Explanation(TableResult):
    """Each observed item's exact Shapley contribution to a cause's log-odds.

    Attributes
    ----------
    cause, cause_label : str
        The cause explained, and its label.
    table : pandas.DataFrame
        Indexed by item (``name=state``, or ``name=soft``), largest contribution first:
        ``variable``, ``state``, ``label``, ``contribution``, ``weight_of_evidence``.
    prior, posterior : float
        P(cause present) with no evidence and with all of it.
    prior_log_odds, posterior_log_odds : float
        The same as natural log-odds; the contributions add up to their difference.
    method : str
        How the contributions were computed.
    evidence, soft : dict
        The evidence explained.
    subset_log_odds : numpy.ndarray
        The log-odds given every subset of the items (bit i of the index = item i, in the
        order the evidence was given: hard items, then soft ones).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> why = gb.load_model().explain({"fever": "yes"}, "local_infection")
    >>> why.cause, list(why.table.index)
    ('local_infection', ['fever=yes'])
    >>> bool(abs(why.table["contribution"].sum()
    ...          - (why.posterior_log_odds - why.prior_log_odds)) < 1e-9)
    True
    """

    cause: str
    cause_label: str
    table: pd.DataFrame
    prior: float
    posterior: float
    prior_log_odds: float
    posterior_log_odds: float
    method: str
    evidence: dict[str, str] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)
    subset_log_odds: np.ndarray = field(default_factory=lambda: np.zeros(1))
    items: tuple[str, ...] = ()
    vocabulary: Any = field(default=None, repr=False, compare=False)  # for words in plots

    def __repr__(self) -> str:
        return (
            f"Explanation({self.cause}: {self.prior:.1%} -> {self.posterior:.1%}, "
            f"{len(self.table)} items)"
        )

    def _heading(self, t: Translation) -> str:
        return t.gettext(
            "Why {cause} went from {prior} to {posterior} "
            "(log-odds {prior_log_odds} -> {posterior_log_odds}); {method}"
        ).format(method=method_words(self.method, t), **self._numbers(t))

    def _numbers(self, t: Translation) -> dict[str, str]:
        return {
            "cause": t.label(self.cause_label),
            "prior": t.percent(self.prior),
            "posterior": t.percent(self.posterior),
            "prior_log_odds": t.number(self.prior_log_odds, 3, signed=True),
            "posterior_log_odds": t.number(self.posterior_log_odds, 3, signed=True),
        }

    def steps(self, order: Sequence[str] | None = None) -> pd.DataFrame:
        """P(cause present) as the items are added one after another, from the subsets.

        Parameters
        ----------
        order : sequence of str, optional
            The items' variable names in the order to add them (default: as given).

        Returns
        -------
        pandas.DataFrame
            One row per step ("prior", each ``name=state`` in order, "posterior") with
            ``start`` (P(cause) before the step), ``probability`` (after it) and
            ``weight_of_evidence`` (the item alone; NaN for the prior and posterior).
        """
        variables = [item.split("=", 1)[0] for item in self.items]
        names = variables if order is None else list(order)
        mask = 0
        rows = [("prior", 0.0, _probability(self.subset_log_odds[0]), math.nan)]
        for name in names:
            bit = 1 << variables.index(name)
            mask |= bit
            weight = float(self.subset_log_odds[bit] - self.subset_log_odds[0])
            rows.append(
                (
                    self.items[variables.index(name)],
                    rows[-1][2],
                    _probability(self.subset_log_odds[mask]),
                    weight,
                )
            )
        rows.append(("posterior", 0.0, rows[-1][2], math.nan))
        frame = pd.DataFrame(rows, columns=["step", "start", "probability", "weight_of_evidence"])
        return frame.set_index("step")

    def _document(self) -> dict[str, Any]:
        """JSON: the headline numbers and one entry per item."""
        return {
            "cause": self.cause,
            "prior": self.prior,
            "posterior": self.posterior,
            "prior_log_odds": self.prior_log_odds,
            "posterior_log_odds": self.posterior_log_odds,
            "method": self.method,
            "items": [
                {
                    "variable": row["variable"],
                    "state": row["state"],
                    "contribution": float(row["contribution"]),
                    "weight_of_evidence": float(row["weight_of_evidence"]),
                }
                for _, row in self.table.iterrows()
            ],
        }

    def _text(self, t: Translation) -> str:
        lines = [
            t.gettext("Evidence: {evidence}").format(
                evidence=given(self.evidence, self.soft, self.vocabulary, t)
            ),
            t.gettext(
                "{cause}: {prior} -> {posterior} (log-odds {prior_log_odds} -> "
                "{posterior_log_odds})"
            ).format(**self._numbers(t)),
            "",
        ]
        table = self.table
        if table.empty:
            return "\n".join([*lines, t.gettext("No evidence: nothing to explain.")])
        names = [
            f"{t.label(label)}: {state_words(self.vocabulary, variable, state, t)}"
            for variable, label, state in zip(
                table["variable"], table["label"], table["state"], strict=True
            )
        ]
        columns = [
            Column(t.gettext("Item"), "<"),
            Column(t.gettext("Contribution")),
            Column(t.gettext("Alone")),
        ]
        rows = [
            (
                name,
                t.number(row["contribution"], 3, signed=True),
                t.number(row["weight_of_evidence"], 3, signed=True),
            )
            for name, (_, row) in zip(names, table.iterrows(), strict=True)
        ]
        lines += text_table(columns, rows)
        lines.append(
            t.gettext("Contributions: {method}; they add up to the change in log-odds.").format(
                method=method_words(self.method, t)
            )
        )
        return "\n".join(lines)


def _probability(log_odds: float) -> float:
    with np.errstate(over="ignore"):
        return float(1.0 / (1.0 + np.exp(-log_odds)))
