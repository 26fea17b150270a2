"""The result of :meth:`DiagnosticModel.conflict`: Hugin's conflict measure of a case."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...display import Column, escape, figure, given, text_table
from ...i18n import Translation
from ._base import (
    Result,
    cause_words,
    frame_html,
    json_number,
    records,
    state_words,
    tidy,
)

__all__ = ["Conflict"]


@dataclass(frozen=True, repr=False, eq=False)
class Conflict(Result):
    """Hugin's conflict measure of a case, log2(P(e_1) ... P(e_n) / P(e)), with its parts.

    ``float(result)`` is the measure in bits, as :meth:`DiagnosticModel.conflict` returned
    before it returned this object; a format spec formats that number
    (``f"{result:+.2f}"``).

    Attributes
    ----------
    bits : float
        The measure: positive when the items are jointly less probable than if they were
        unrelated (they do not fit together: look at the case again); 0 for fewer than two
        items.
    table : pandas.DataFrame
        One row per evidence item (hard ones, then soft ones), indexed by ``name=state``:
        ``variable``, ``state`` (``"soft"`` for soft evidence) and ``probability``, P(e_i)
        (for soft evidence the likelihood-weighted sum, as in the measure).
    joint_probability : float
        P(e), all the items together (1 for no evidence).
    evidence, soft : dict
        The evidence measured.
    vocabulary : Vocabulary, optional
        For labels in the text and HTML.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> result = gb.load_model().conflict({"fever": "no", "local_redness_swelling": "yes"})
    >>> list(result.table.index)
    ['fever=no', 'local_redness_swelling=yes']
    >>> bool(abs(float(result) - result.bits) == 0)
    True
    """

    bits: float
    table: pd.DataFrame
    joint_probability: float
    evidence: dict[str, str] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)
    vocabulary: Any = field(default=None, repr=False, compare=False)

    def __float__(self) -> float:
        return float(self.bits)

    def __format__(self, spec: str) -> str:
        return format(self.bits, spec) if spec else str(self)

    def __repr__(self) -> str:
        return f"Conflict({self.bits:+.3f} bits; {len(self.table)} items)"

    def _verdict(self, t: Translation) -> str:
        if len(self.table) < 2:
            return t.gettext("fewer than two items: nothing to conflict")
        if self.bits > 0:
            return t.gettext(
                "the items are less probable together than apart: look at the case again"
            )
        return t.gettext("the items support one another")

    def _heading(self, t: Translation) -> str:
        return t.gettext("Conflict: {bits} bits ({verdict})").format(
            bits=t.number(tidy(self.bits), 3, signed=True), verdict=self._verdict(t)
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per evidence item with its probability P(e_i) (a copy).

        Returns
        -------
        pandas.DataFrame
            ``variable``, ``state``, ``probability``, indexed by ``name=state``.
        """
        return self.table.copy()

    def _document(self) -> dict[str, Any]:
        """JSON: the measure in bits, P(e) and one record per item."""
        return {
            "evidence": dict(self.evidence),
            "soft": {name: dict(values) for name, values in self.soft.items()},
            "conflict_bits": json_number(self.bits),
            "joint_probability": json_number(self.joint_probability),
            "items": records(self.table.reset_index(drop=True)),
        }

    def _text(self, t: Translation) -> str:
        evidence = given(self.evidence, self.soft, self.vocabulary, t)
        lines = [t.gettext("Evidence: {evidence}").format(evidence=evidence), self._heading(t)]
        if self.table.empty:
            return "\n".join(lines)
        rows = [
            (
                f"{cause_words(self.vocabulary, variable, t)}: "
                f"{state_words(self.vocabulary, variable, state, t)}",
                figure(t, probability),
            )
            for variable, state, probability in zip(
                self.table["variable"], self.table["state"], self.table["probability"], strict=True
            )
        ]
        rows.append((t.gettext("All items together"), figure(t, self.joint_probability)))
        columns = [Column(t.gettext("Item"), "<"), Column(t.gettext("Probability"), width=11)]
        return "\n".join([*lines, "", *text_table(columns, rows)])

    def _html(self, t: Translation) -> str:
        # P(e_i) can be tiny: four significant digits, not a percentage
        return f"<p>{escape(self._heading(t))}</p>" + frame_html(
            self.table, t, self.vocabulary, {"probability": "figure"}
        )
