"""The result of :meth:`DiagnosticModel.posterior_interval`: credible intervals for the
posteriors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...display import Column, given, text_table
from ...i18n import Translation
from ._base import TableResult, json_number

__all__ = ["PosteriorIntervals"]


@dataclass(frozen=True, repr=False, eq=False)
class PosteriorIntervals(TableResult):
    """Credible intervals for each cause's posterior, from uncertainty in the numbers.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by cause: ``posterior`` (the point value), ``mean``, ``lower``, ``upper``.
    level : float
        Probability mass inside each interval.
    n : int
        Number of models drawn.
    evidence : dict
        The evidence.
    labels : dict of str to str
        Each cause's label.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> bands = gb.load_model().posterior_interval({"fever": "yes"}, n=200, seed=1)
    >>> bands.level, list(bands.to_frame().columns)
    (0.9, ['posterior', 'mean', 'lower', 'upper'])
    """

    table: pd.DataFrame
    level: float
    n: int
    evidence: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    vocabulary: Any = field(default=None, repr=False, compare=False)  # for words

    def __repr__(self) -> str:
        return f"PosteriorIntervals({self.level:.0%} intervals from {self.n} drawn models)"

    def _heading(self, t: Translation) -> str:
        return t.gettext(
            "{level} credible intervals from {n} drawn models, given {evidence}"
        ).format(
            level=t.percent(self.level, decimals=0),
            n=self.n,
            evidence=given(self.evidence, vocabulary=self.vocabulary, t=t),
        )

    def _view(self, t: Translation) -> pd.DataFrame:
        """The causes by their labels."""
        names = [t.label(self.labels.get(str(c), str(c))) for c in self.table.index]
        return self.table.set_axis(pd.Index(names, name="cause"))

    def _document(self) -> dict[str, Any]:
        """JSON: level, draws and each cause's point value and interval."""
        return {
            "evidence": dict(self.evidence),
            "level": self.level,
            "n": self.n,
            "causes": {
                str(cause): {column: json_number(value) for column, value in row.items()}
                for cause, row in self.table.iterrows()
            },
        }

    def _text(self, t: Translation) -> str:
        lines = [self._heading(t), ""]
        span = t.gettext("{low} to {high}")
        rows = [
            (
                t.label(self.labels.get(str(cause), str(cause))),
                t.percent(row["posterior"]),
                span.format(low=t.percent(row["lower"]), high=t.percent(row["upper"])),
            )
            for cause, row in self.table.iterrows()
        ]
        columns = [
            Column(t.gettext("Cause"), "<"),
            Column(t.gettext("Posterior"), width=9),
            Column(t.gettext("Interval"), width=17),
        ]
        return "\n".join(lines + text_table(columns, rows))
