"""The literature check's result: rows of published and implied figures, data first."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .verdicts import VERDICTS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["ValidationResult", "ValidationRow", "counts_text", "fmt", "json_number"]


@dataclass(frozen=True)
class ValidationRow:
    """One published figure beside the model's implied figure.

    Attributes
    ----------
    id : str
        The row's identifier in ``validation.csv``.
    finding, finding_state : str
        The finding (any variable) and the state whose accuracy is measured.
    condition : str
        A cause (``hip_joint_disease``) or a subtype state (``spinal_type=spinal_stenosis``).
    population : str
        The shared evidence, as written in the file ("" for the whole model population).
    measure : str
        One of :data:`MEASURES`.
    published : float
        The published value; ``ci_low`` and ``ci_high`` its 95% interval (``None`` if the
        source gives none).
    implied : float
        The model's exact figure for the same comparison.
    verdict : str
        One of :data:`VERDICTS`.
    citation : str
        The section of ``docs/evidence.md`` describing the study.
    dependent : bool
        True when the same study set a number of the model.
    line : int
        The row's line in the file.
    """

    id: str
    finding: str
    finding_state: str
    condition: str
    population: str
    measure: str
    published: float
    ci_low: float | None
    ci_high: float | None
    implied: float
    verdict: str
    citation: str
    dependent: bool
    line: int


@dataclass(frozen=True)
class ValidationResult:
    """The literature check: every row of ``validation.csv`` with the model's figure.

    Data first (:meth:`to_frame`, :meth:`to_dict`, :meth:`counts`), presentation second
    (``str``, ``_repr_html_``, :meth:`plot`).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> result = gb.load_model().validate()
    >>> sorted(result.counts())
    ['inside_ci', 'off', 'within_2x']
    >>> sum(result.counts().values()) == len(result.rows)
    True
    """

    rows: tuple[ValidationRow, ...]
    path: str

    def __repr__(self) -> str:
        dep, ind = self.counts(dependent=True), self.counts(dependent=False)
        return (
            f"ValidationResult({len(self.rows)} rows; dependent {counts_text(dep)}; "
            f"independent {counts_text(ind)})"
        )

    def counts(self, *, dependent: bool | None = None) -> dict[str, int]:
        """How many rows got each verdict.

        Parameters
        ----------
        dependent : bool, optional
            ``True``: only rows whose study set a number of the model; ``False``: only
            independent rows; ``None`` (default): all rows.

        Returns
        -------
        dict of str to int
            Keyed by every verdict of :data:`VERDICTS`, in that order (zero counts included).

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> result = gb.load_model().validate()
        >>> both = result.counts(dependent=True), result.counts(dependent=False)
        >>> all(both[0][v] + both[1][v] == result.counts()[v] for v in result.counts())
        True
        """
        counts = dict.fromkeys(VERDICTS, 0)
        for row in self.rows:
            if dependent is None or row.dependent == dependent:
                counts[row.verdict] += 1
        return counts

    def to_frame(self) -> pd.DataFrame:
        """One row per published figure, indexed by ``id``.

        Returns
        -------
        pandas.DataFrame
            Columns ``finding``, ``finding_state``, ``condition``, ``population``,
            ``measure``, ``published``, ``ci_low``, ``ci_high``, ``implied``, ``verdict``,
            ``dependent``, ``citation``, ``line``.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> frame = gb.load_model().validate().to_frame()
        >>> frame.index.name
        'id'
        """
        import pandas as pd

        columns = [
            "finding",
            "finding_state",
            "condition",
            "population",
            "measure",
            "published",
            "ci_low",
            "ci_high",
            "implied",
            "verdict",
            "dependent",
            "citation",
            "line",
        ]
        frame = pd.DataFrame(
            [[getattr(row, name) for name in columns] for row in self.rows],
            columns=columns,
            index=pd.Index([row.id for row in self.rows], name="id"),
        )
        frame[["ci_low", "ci_high"]] = frame[["ci_low", "ci_high"]].astype(float)
        return frame

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document: the rows and the counts (all, dependent, independent).

        Examples
        --------
        >>> import json, gluteal_bn as gb
        >>> document = gb.load_model().validate().to_dict()
        >>> sorted(document["counts"])
        ['all', 'dependent', 'independent']
        >>> _ = json.dumps(document)
        """
        return {
            "path": self.path,
            "rows": [
                {
                    "id": row.id,
                    "finding": row.finding,
                    "finding_state": row.finding_state,
                    "condition": row.condition,
                    "population": row.population,
                    "measure": row.measure,
                    "published": row.published,
                    "ci_low": row.ci_low,
                    "ci_high": row.ci_high,
                    "implied": json_number(row.implied),
                    "verdict": row.verdict,
                    "dependent": row.dependent,
                    "citation": row.citation,
                }
                for row in self.rows
            ],
            "counts": {
                "all": self.counts(),
                "dependent": self.counts(dependent=True),
                "independent": self.counts(dependent=False),
            },
        }

    def __str__(self) -> str:
        header = (
            f"{'id':36} {'measure':12} {'published':>9} {'95% CI':>15} "
            f"{'model':>8}  verdict    study"
        )
        lines = [header, "-" * len(header)]
        for group, title in ((True, "dependent"), (False, "independent")):
            chosen = [row for row in self.rows if row.dependent == group]
            if not chosen:
                continue
            lines.append(f"# {title} rows (the study {'set' if group else 'set no'} number)")
            for row in chosen:
                interval = (
                    f"{fmt(row.ci_low)}-{fmt(row.ci_high)}" if row.ci_low is not None else "-"
                )
                lines.append(
                    f"{row.id:36} {row.measure:12} {fmt(row.published):>9} {interval:>15} "
                    f"{fmt(row.implied):>8}  {row.verdict:10} {row.citation.split('#')[-1]}"
                )
        lines.append("")
        lines.append(f"dependent rows:   {counts_text(self.counts(dependent=True))}")
        lines.append(f"independent rows: {counts_text(self.counts(dependent=False))}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colours = {"inside_ci": "#1a7f37", "within_2x": "#9a6700", "off": "#cf222e"}
        cells = []
        for row in self.rows:
            interval = (
                f"{fmt(row.ci_low)}&ndash;{fmt(row.ci_high)}" if row.ci_low is not None else ""
            )
            cells.append(
                "<tr>"
                f"<td>{html.escape(row.id)}</td>"
                f"<td>{html.escape(row.finding)}={html.escape(row.finding_state)}</td>"
                f"<td>{html.escape(row.condition)}</td>"
                f"<td>{html.escape(row.population)}</td>"
                f"<td>{html.escape(row.measure)}</td>"
                f"<td>{fmt(row.published)}</td><td>{interval}</td>"
                f"<td>{fmt(row.implied)}</td>"
                f'<td style="color:{colours[row.verdict]}">{row.verdict}</td>'
                f"<td>{'yes' if row.dependent else 'no'}</td>"
                "</tr>"
            )
        head = "".join(
            f"<th>{name}</th>"
            for name in (
                "id",
                "finding",
                "condition",
                "population",
                "measure",
                "published",
                "95% CI",
                "model",
                "verdict",
                "dependent",
            )
        )
        summary = (
            f"<p>dependent rows: {counts_text(self.counts(dependent=True))}<br>"
            f"independent rows: {counts_text(self.counts(dependent=False))}</p>"
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(cells)}</tbody></table>" + (
            summary
        )

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """:func:`~gluteal_bn.reasoning.validation.plot_validation` of this result."""
        from .plot import plot_validation

        return plot_validation(self, ax=ax, **kwargs)


def fmt(value: float | None) -> str:
    """A figure for a table: three significant digits, ``inf``, or blank for None."""
    if value is None:
        return ""
    if math.isinf(value):
        return "inf"
    return f"{value:.3g}"


def json_number(value: float) -> float | None:
    """``value``, or None (JSON's null) when it is not finite."""
    return value if math.isfinite(value) else None


def counts_text(counts: dict[str, int]) -> str:
    """``"3 inside_ci, 1 within_2x, 0 off"``."""
    return ", ".join(f"{counts[v]} {v}" for v in VERDICTS)
