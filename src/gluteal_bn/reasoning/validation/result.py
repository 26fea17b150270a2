"""The literature check's result: rows of published and implied figures, data first."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...display import Column, DisplayedTable, Html, escape, figure, html_table, text_table
from ...i18n import N_, translation
from .verdicts import VERDICTS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ...i18n import Translation
    from ...vocabulary import Vocabulary

__all__ = [
    "ValidationResult",
    "ValidationRow",
    "counts_text",
    "fmt",
    "json_number",
    "measure_words",
    "verdict_words",
]


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


@dataclass(frozen=True, repr=False)
class ValidationResult(DisplayedTable):
    """The literature check: every row of ``validation.csv`` with the model's figure.

    Data first (:meth:`to_frame`, :meth:`to_dict`, :meth:`counts`), presentation second
    (``str``/:meth:`to_text`, ``_repr_html_``/:meth:`to_html` in English or Russian,
    :meth:`plot`).

    Parameters
    ----------
    rows : tuple of ValidationRow
        One per row of the file, in file order.
    path : str
        The validation file read.
    vocabulary : Vocabulary, optional
        The model's variables, for labels in words (identifiers without it).

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
    vocabulary: Vocabulary | None = field(default=None, compare=False)

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

        Returns
        -------
        dict
            ``path``, ``rows`` (identifiers and numbers, NaN as None) and ``counts``.

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

    def _text(self, t: Translation) -> str:
        columns = [
            Column(t.gettext("id"), "<", width=36, gap=""),
            Column(t.gettext("measure"), "<", width=12, gap=" "),
            Column(t.gettext("published"), width=9, gap=" "),
            Column(t.gettext("95% CI"), width=15, gap=" "),
            Column(t.gettext("model"), width=8, gap=" "),
            Column(t.gettext("verdict"), "<", width=10),
            Column(t.gettext("study"), "<", gap=" "),
        ]
        head, *body = text_table(columns, [self._cells(row, t, "-") for row in self.rows])
        lines = [head, "-" * len(head)]
        for dependent in (True, False):
            chosen = [
                line
                for line, row in zip(body, self.rows, strict=True)
                if row.dependent == dependent
            ]
            if chosen:
                lines += [f"# {self._group(dependent, t)}", *chosen]
        return "\n".join([*lines, "", *self._summary(t)])

    def _html(self, t: Translation) -> str:
        columns = [
            Column(t.gettext("id"), "<"),
            Column(t.gettext("finding"), "<"),
            Column(t.gettext("condition"), "<"),
            Column(t.gettext("population"), "<"),
            Column(t.gettext("measure"), "<"),
            Column(t.gettext("published")),
            Column(t.gettext("95% CI")),
            Column(t.gettext("model")),
            Column(t.gettext("verdict"), "<"),
            Column(t.gettext("dependent"), "<"),
        ]
        rows = []
        for row in self.rows:
            identifier, measure, published, interval, implied, verdict, _ = self._cells(row, t, "")
            colour = VERDICT_COLOURS[row.verdict]
            rows.append(
                (
                    identifier,
                    self._finding(row, t),
                    self._condition(row, t),
                    self._population(row, t),
                    measure,
                    published,
                    interval,
                    implied,
                    Html(f'<span style="color:{colour}">{escape(verdict)}</span>'),
                    t.pgettext("state", "yes") if row.dependent else t.pgettext("state", "no"),
                )
            )
        summary = "<br>".join(escape(line) for line in self._summary(t))
        return html_table(columns, rows) + f"<p>{summary}</p>"

    def _cells(self, row: ValidationRow, t: Translation, blank: str) -> tuple[str, ...]:
        """id, measure, published, interval, model, verdict and study, as people read them."""
        interval = (
            f"{fmt(row.ci_low, t)}-{fmt(row.ci_high, t)}" if row.ci_low is not None else blank
        )
        return (
            row.id,
            measure_words(row.measure, t),
            fmt(row.published, t),
            interval,
            fmt(row.implied, t),
            verdict_words(row.verdict, t),
            row.citation.split("#")[-1],
        )

    def row_label(self, row: ValidationRow, t: Translation) -> str:
        """A row's name on the chart: in English its id (as in ``validation.csv``) and
        measure; in another language the finding and measure in words, and the study.

        Parameters
        ----------
        row : ValidationRow
            One of :attr:`rows`.
        t : Translation
            The language (:func:`gluteal_bn.i18n.translation`).

        Returns
        -------
        str
        """
        measure = measure_words(row.measure, t)
        if t.language == "en":
            return f"{row.id} ({measure})"
        return f"{self._finding(row, t)} ({measure}; {row.citation.split('#')[-1]})"

    def _finding(self, row: ValidationRow, t: Translation) -> str:
        vocabulary = self.vocabulary
        if vocabulary is None or row.finding not in vocabulary.names:
            return f"{row.finding}={row.finding_state}"
        return (
            f"{t.variable(vocabulary, row.finding)}: "
            f"{t.state(vocabulary, row.finding, row.finding_state)}"
        )

    def _condition(self, row: ValidationRow, t: Translation) -> str:
        vocabulary = self.vocabulary
        name, _, state = row.condition.partition("=")
        if vocabulary is None or name not in vocabulary.names:
            return row.condition
        if not state:
            return t.variable(vocabulary, name)
        return f"{t.variable(vocabulary, name)}: {t.state(vocabulary, name, state)}"

    def _population(self, row: ValidationRow, t: Translation) -> str:
        """``age=40_to_60|over_60; spinal_disorder=no`` in words (as written if unknown)."""
        vocabulary = self.vocabulary
        items = []
        for item in filter(None, (part.strip() for part in row.population.split(";"))):
            name, _, states = item.partition("=")
            if vocabulary is None or name not in vocabulary.names:
                return row.population
            words = [t.state(vocabulary, name, state) for state in states.split("|")]
            either = " " + t.gettext("or") + " "
            items.append(f"{t.variable(vocabulary, name)}: {either.join(words)}")
        return "; ".join(items)

    @staticmethod
    def _group(dependent: bool, t: Translation) -> str:
        if dependent:
            return t.gettext("dependent rows (the study set number)")
        return t.gettext("independent rows (the study set no number)")

    def _summary(self, t: Translation) -> list[str]:
        return [
            t.gettext("dependent rows:   {counts}").format(
                counts=counts_text(self.counts(dependent=True), t)
            ),
            t.gettext("independent rows: {counts}").format(
                counts=counts_text(self.counts(dependent=False), t)
            ),
        ]

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """:func:`~gluteal_bn.reasoning.validation.plot_validation` of this result.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure is made when omitted.
        **kwargs
            ``title`` and ``language``, as for
            :func:`~gluteal_bn.reasoning.validation.plot_validation`.

        Returns
        -------
        matplotlib.axes.Axes
        """
        from .plot import plot_validation

        return plot_validation(self, ax=ax, **kwargs)


def fmt(value: float | None, t: Translation | None = None) -> str:
    """A figure for a table: three significant digits (the language's decimal sign), ``inf``,
    or blank for None."""
    if value is None:
        return ""
    if math.isinf(value):
        return "inf"
    return f"{value:.3g}" if t is None else figure(t, value, 3)


def json_number(value: float) -> float | None:
    """``value``, or None (JSON's null) when it is not finite."""
    return value if math.isfinite(value) else None


#: The verdicts and measures in words (the English words are the identifiers people know
#: from ``validation.csv``; other languages translate them).
VERDICT_WORDS = {"inside_ci": N_("inside_ci"), "within_2x": N_("within_2x"), "off": N_("off")}
MEASURE_WORDS = {
    "sensitivity": N_("sensitivity"),
    "specificity": N_("specificity"),
    "lr_positive": N_("lr_positive"),
    "lr_negative": N_("lr_negative"),
}
#: The verdicts' colours in HTML and in the chart: green, amber, red.
VERDICT_COLOURS = {"inside_ci": "#1a7f37", "within_2x": "#9a6700", "off": "#cf222e"}


def verdict_words(verdict: str, t: Translation) -> str:
    """A verdict as people read it in ``t``'s language."""
    return t.marked(VERDICT_WORDS[verdict])


def measure_words(measure: str, t: Translation) -> str:
    """A measure as people read it in ``t``'s language."""
    return t.marked(MEASURE_WORDS[measure])


def counts_text(counts: dict[str, int], t: Translation | None = None) -> str:
    """``"3 inside_ci, 1 within_2x, 0 off"`` (in ``t``'s language if given)."""
    t = t or translation("en")
    return ", ".join(f"{counts[v]} {verdict_words(v, t)}" for v in VERDICTS)
