"""The literature check: the model's implied diagnostic accuracy beside published figures.

``data/validation.csv`` lists published sensitivities, specificities and likelihood ratios
(with their 95% confidence intervals where the source gives one). For each row,
:func:`validate` computes the figure the model implies for the same comparison, exactly, with
the public query API (:meth:`~gluteal_bn.model.DiagnosticModel.query`):

* sensitivity = P(finding = state | condition, population);
* specificity = P(finding != state | not condition, population);
* LR+ = sensitivity / (1 - specificity); LR- = (1 - sensitivity) / specificity.

The condition is a cause (``hip_joint_disease``: present vs absent) or a subtype state
(``spinal_type=spinal_stenosis``: that state vs any other, given as likelihood evidence).
The population is evidence that both sides share: ``name=state`` items separated by ``;``,
where ``name=state1|state2`` means "one of these states" (likelihood 1 on each). Every value
is exact: two exact queries per row, no sampling.

Each row gets a verdict (:func:`judge`): ``inside_ci`` when the implied figure lies inside the
published interval; otherwise ``within_2x`` when it is within a factor of 2 of the published
value (on the odds scale p / (1 - p) for sensitivity and specificity, directly for likelihood
ratios); otherwise ``off``. Rows whose study also set a number of the model are *dependent*;
the others are *independent* and are counted separately, since agreement with one's own
inputs proves little.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import DataError, EvidenceError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ..model import DiagnosticModel

__all__ = [
    "MEASURES",
    "VERDICTS",
    "ValidationResult",
    "ValidationRow",
    "judge",
    "plot_validation",
    "read_validation",
    "validate",
]

VALIDATION_FILE = "validation.csv"

#: The measures a row may compare.
MEASURES: tuple[str, ...] = ("sensitivity", "specificity", "lr_positive", "lr_negative")

#: The verdicts, best first.
VERDICTS: tuple[str, ...] = ("inside_ci", "within_2x", "off")

Verdict = Literal["inside_ci", "within_2x", "off"]

COLUMNS: tuple[str, ...] = (
    "id",
    "finding",
    "finding_state",
    "condition",
    "population",
    "measure",
    "value",
    "ci_low",
    "ci_high",
    "citation",
    "sets_model_number",
)

_ID = re.compile(r"^[A-Za-z0-9_]+$")


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
class _Spec:
    """A checked row of validation.csv, before the model has been asked."""

    id: str
    finding: str
    finding_state: str
    condition: str
    condition_variable: str
    condition_state: str | None
    population: str
    hard: dict[str, str]
    soft: dict[str, dict[str, float]]
    measure: str
    value: float
    ci_low: float | None
    ci_high: float | None
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
            f"ValidationResult({len(self.rows)} rows; dependent {_counts_text(dep)}; "
            f"independent {_counts_text(ind)})"
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
                    "implied": _json_number(row.implied),
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
                    f"{_fmt(row.ci_low)}-{_fmt(row.ci_high)}" if row.ci_low is not None else "-"
                )
                lines.append(
                    f"{row.id:36} {row.measure:12} {_fmt(row.published):>9} {interval:>15} "
                    f"{_fmt(row.implied):>8}  {row.verdict:10} {row.citation.split('#')[-1]}"
                )
        lines.append("")
        lines.append(f"dependent rows:   {_counts_text(self.counts(dependent=True))}")
        lines.append(f"independent rows: {_counts_text(self.counts(dependent=False))}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colours = {"inside_ci": "#1a7f37", "within_2x": "#9a6700", "off": "#cf222e"}
        cells = []
        for row in self.rows:
            interval = (
                f"{_fmt(row.ci_low)}&ndash;{_fmt(row.ci_high)}" if row.ci_low is not None else ""
            )
            cells.append(
                "<tr>"
                f"<td>{html.escape(row.id)}</td>"
                f"<td>{html.escape(row.finding)}={html.escape(row.finding_state)}</td>"
                f"<td>{html.escape(row.condition)}</td>"
                f"<td>{html.escape(row.population)}</td>"
                f"<td>{html.escape(row.measure)}</td>"
                f"<td>{_fmt(row.published)}</td><td>{interval}</td>"
                f"<td>{_fmt(row.implied)}</td>"
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
            f"<p>dependent rows: {_counts_text(self.counts(dependent=True))}<br>"
            f"independent rows: {_counts_text(self.counts(dependent=False))}</p>"
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(cells)}</tbody></table>" + (
            summary
        )

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """:func:`plot_validation` of this result."""
        return plot_validation(self, ax=ax, **kwargs)


def judge(
    measure: str,
    published: float,
    implied: float,
    ci_low: float | None = None,
    ci_high: float | None = None,
) -> Verdict:
    """The verdict for one comparison.

    Parameters
    ----------
    measure : str
        One of :data:`MEASURES`.
    published, implied : float
        The published and the model's figure.
    ci_low, ci_high : float, optional
        The published 95% interval; without one, ``inside_ci`` is impossible.

    Returns
    -------
    str
        ``"inside_ci"`` if ``ci_low <= implied <= ci_high``; else ``"within_2x"`` if the ratio
        implied / published (of the odds p / (1 - p) for sensitivity and specificity) is
        between 1/2 and 2; else ``"off"``.

    Raises
    ------
    ValueError
        For an unknown measure.

    Examples
    --------
    >>> judge("lr_positive", 3.7, 3.6, 2.9, 4.8)
    'inside_ci'
    >>> judge("lr_positive", 3.7, 6.0)
    'within_2x'
    >>> judge("specificity", 0.28, 0.88)
    'off'
    """
    if measure not in MEASURES:
        raise ValueError(f"measure {measure!r} is not one of {list(MEASURES)}")
    if ci_low is not None and ci_high is not None and ci_low <= implied <= ci_high:
        return "inside_ci"
    if measure in ("sensitivity", "specificity"):
        ratio = _odds(implied) / _odds(published)
    else:
        ratio = implied / published if published > 0 else math.inf
    return "within_2x" if 0.5 <= ratio <= 2.0 else "off"


def validate(model: DiagnosticModel, path: str | Path | None = None) -> ValidationResult:
    """Compute the model's figure for every row of a validation file.

    Parameters
    ----------
    model : DiagnosticModel
        The model to check.
    path : str or path-like, optional
        A file in the layout of ``data/validation.csv``; by default the one in the model's
        folder.

    Returns
    -------
    ValidationResult

    Raises
    ------
    DataError
        For a missing file or a malformed row (naming the line, the column, the bad value and
        what is valid), or a row whose population the model gives probability zero.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.reasoning.validation import validate
    >>> result = validate(gb.load_model())
    >>> row = result.rows[0]
    >>> row.verdict in ("inside_ci", "within_2x", "off")
    True
    """
    file = Path(model.folder) / VALIDATION_FILE if path is None else Path(path)
    specs = read_validation(file, model)
    rows = []
    for spec in specs:
        implied = _implied(model, spec, file)
        rows.append(
            ValidationRow(
                id=spec.id,
                finding=spec.finding,
                finding_state=spec.finding_state,
                condition=spec.condition,
                population=spec.population,
                measure=spec.measure,
                published=spec.value,
                ci_low=spec.ci_low,
                ci_high=spec.ci_high,
                implied=implied,
                verdict=judge(spec.measure, spec.value, implied, spec.ci_low, spec.ci_high),
                citation=spec.citation,
                dependent=spec.dependent,
                line=spec.line,
            )
        )
    return ValidationResult(rows=tuple(rows), path=str(file))


def sensitivity_specificity(
    model: DiagnosticModel,
    finding: str,
    state: str,
    condition: str,
    population: Mapping[str, str] | None = None,
    soft: Mapping[str, Mapping[str, float]] | None = None,
) -> tuple[float, float]:
    """The model's exact sensitivity and specificity of ``finding=state`` for a condition.

    Parameters
    ----------
    model : DiagnosticModel
    finding, state : str
        The finding and its "positive" state.
    condition : str
        A cause name, or ``subtype=state``.
    population, soft : mapping, optional
        Hard and soft evidence shared by both sides of the comparison.

    Returns
    -------
    tuple of float
        (P(finding=state | condition, population), P(finding!=state | not condition,
        population)).

    Raises
    ------
    EvidenceError
        For unknown names or states, or a population with probability zero.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.reasoning.validation import sensitivity_specificity
    >>> sens, spec = sensitivity_specificity(gb.load_model(), "fever", "yes", "local_infection")
    >>> 0 < sens < 1 and 0 < spec < 1
    True
    """
    return (
        _side(model, finding, state, condition, population, soft, positive=True),
        _side(model, finding, state, condition, population, soft, positive=False),
    )


def _side(
    model: DiagnosticModel,
    finding: str,
    state: str,
    condition: str,
    population: Mapping[str, str] | None,
    soft: Mapping[str, Mapping[str, float]] | None,
    *,
    positive: bool,
) -> float:
    """Sensitivity (``positive``) or specificity of one comparison: one exact query."""
    hard = dict(population or {})
    soft_all = {name: dict(values) for name, values in (soft or {}).items()}
    if "=" in condition:
        variable, wanted = condition.split("=", 1)
        if positive:
            hard[variable] = wanted
        else:
            soft_all[variable] = {s: 1.0 for s in model.states(variable) if s != wanted}
    else:
        states = model.states(condition)
        hard[condition] = states[-1] if positive else states[0]
    probability = _probability(model, finding, state, hard, soft_all)
    return probability if positive else 1.0 - probability


# -- reading the file ------------------------------------------------------------------------


def read_validation(path: str | Path, model: DiagnosticModel) -> tuple[_Spec, ...]:
    """Read and check a validation file against a model's vocabulary.

    Parameters
    ----------
    path : str or path-like
        The CSV file (columns as ``data/validation.csv``, documented in ``data/README.md``).
    model : DiagnosticModel
        Supplies the names, states and roles the rows may use.

    Returns
    -------
    tuple
        One checked row per line, in file order.

    Raises
    ------
    DataError
        For a missing file or column, or a malformed row: the message names the file, the
        line, the column, the bad value and what is valid.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> model = gb.load_model()
    >>> rows = read_validation(model.folder / "validation.csv", model)
    >>> rows[0].measure in MEASURES
    True
    """
    from ..io.rows import read_csv_rows

    path = Path(path)
    rows = read_csv_rows(
        path,
        COLUMNS,
        missing="no validation file here; expected a CSV with the columns "
        f"{', '.join(COLUMNS)} (see data/README.md)",
    )
    seen: dict[str, int] = {}
    return tuple(_check_row(row.cells, row.line, path, model, seen) for row in rows)


def _check_row(
    row: dict[str, str], line: int, path: Path, model: DiagnosticModel, seen: dict[str, int]
) -> _Spec:
    def error(column: str, message: str) -> DataError:
        return DataError(message, path=path, line=line, column=column)

    identifier = row["id"]
    if not _ID.match(identifier):
        raise error("id", f"{identifier!r} is not an id; use letters, digits and underscores")
    if identifier in seen:
        raise error("id", f"id {identifier!r} is used twice (first on line {seen[identifier]})")
    seen[identifier] = line

    names = list(model.variables)
    finding = row["finding"]
    if finding not in names:
        raise error("finding", f"{finding!r} is not a variable; expected one of {names}")
    states = list(model.states(finding))
    if row["finding_state"] not in states:
        raise error(
            "finding_state",
            f"{row['finding_state']!r} is not a state of {finding}; expected one of {states}",
        )

    condition = row["condition"]
    variable, _, wanted = condition.partition("=")
    roles = {v.name: v.role for v in model.vocabulary.variables}
    subtypes = [name for name, role in roles.items() if role == "subtype"]
    if wanted:
        if variable not in subtypes:
            raise error(
                "condition",
                f"{condition!r}: {variable!r} is not a subtype; expected a cause "
                f"{list(model.causes)} or subtype=state with a subtype of {subtypes}",
            )
        sub_states = list(model.states(variable))[1:]
        if wanted not in sub_states:
            raise error(
                "condition",
                f"{condition!r}: {wanted!r} is not a state of {variable}; "
                f"expected one of {sub_states}",
            )
    elif variable not in model.causes:
        raise error(
            "condition",
            f"{condition!r} is not a cause; expected a cause {list(model.causes)} "
            f"or subtype=state with a subtype of {subtypes}",
        )
    if variable == finding:
        raise error("finding", f"{finding!r} is also the condition; compare two variables")

    hard, soft = _population(row["population"], model, error, (finding, variable))

    measure = row["measure"]
    if measure not in MEASURES:
        raise error("measure", f"{measure!r} is not a measure; expected one of {list(MEASURES)}")
    value = _number(row, "value", error, required=True)
    assert value is not None
    ci_low = _number(row, "ci_low", error, required=False)
    ci_high = _number(row, "ci_high", error, required=False)
    probability = measure in ("sensitivity", "specificity")
    for column, number in (("value", value), ("ci_low", ci_low), ("ci_high", ci_high)):
        if number is None:
            continue
        if probability and not 0 < number < 1:
            raise error(column, f"{number} is not a {measure} strictly between 0 and 1")
        if not probability and not number > 0:
            raise error(column, f"{number} is not a likelihood ratio (a positive number)")
    if (ci_low is None) != (ci_high is None):
        blank = "ci_high" if ci_high is None else "ci_low"
        raise error(blank, "blank while the other bound is given; give both bounds or neither")
    if ci_low is not None and ci_high is not None and not ci_low <= value <= ci_high:
        raise error(
            "value", f"{value} lies outside its interval {ci_low}-{ci_high}; check the bounds"
        )

    citation = row["citation"]
    if not citation:
        raise error("citation", "blank; expected a section of docs/evidence.md")
    dependent = row["sets_model_number"]
    if dependent not in ("yes", "no"):
        raise error(
            "sets_model_number",
            f"{dependent!r}: expected 'yes' (the study set a number of the model) or 'no'",
        )
    return _Spec(
        id=identifier,
        finding=finding,
        finding_state=row["finding_state"],
        condition=condition,
        condition_variable=variable,
        condition_state=wanted or None,
        population=row["population"],
        hard=hard,
        soft=soft,
        measure=measure,
        value=value,
        ci_low=ci_low,
        ci_high=ci_high,
        citation=citation,
        dependent=dependent == "yes",
        line=line,
    )


def _population(
    text: str, model: DiagnosticModel, error: Any, reserved: tuple[str, str]
) -> tuple[dict[str, str], dict[str, dict[str, float]]]:
    hard: dict[str, str] = {}
    soft: dict[str, dict[str, float]] = {}
    for item in (part.strip() for part in text.split(";")):
        if not item:
            continue
        name, equals, value = (part.strip() for part in item.partition("="))
        if not equals or not name or not value:
            raise error("population", f"{item!r} is not name=state (or name=state1|state2)")
        if name in hard or name in soft:
            raise error("population", f"{name!r} appears twice")
        if name in reserved:
            raise error(
                "population",
                f"{name!r} is the finding or the condition of this row; it cannot also "
                "define the population",
            )
        try:
            states = list(model.states(name))
        except EvidenceError:
            raise error(
                "population", f"{name!r} is not a variable; expected one of {list(model.variables)}"
            ) from None
        wanted = [state.strip() for state in value.split("|")]
        for state in wanted:
            if state not in states:
                raise error(
                    "population", f"{state!r} is not a state of {name}; expected one of {states}"
                )
        if len(wanted) == 1:
            hard[name] = wanted[0]
        else:
            soft[name] = {state: 1.0 for state in wanted}
    return hard, soft


def _number(row: dict[str, str], column: str, error: Any, *, required: bool) -> float | None:
    text = row[column]
    if not text:
        if required:
            raise error(column, "blank; expected a number")
        return None
    try:
        number = float(text)
    except ValueError:
        raise error(column, f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise error(column, f"{text!r} is not a finite number")
    return number


# -- the model's figures -----------------------------------------------------------------------


def _implied(model: DiagnosticModel, spec: _Spec, path: Path) -> float:
    """The row's figure; a sensitivity needs only the condition's side, a specificity only
    the other side (so a population may rule one side out, as in a case-control study)."""
    needs = {
        "sensitivity": (True,),
        "specificity": (False,),
        "lr_positive": (True, False),
        "lr_negative": (True, False),
    }[spec.measure]
    values = {}
    try:
        for positive in needs:
            values[positive] = _side(
                model,
                spec.finding,
                spec.finding_state,
                spec.condition,
                spec.hard,
                spec.soft,
                positive=positive,
            )
    except EvidenceError as error:
        raise DataError(
            f"the model cannot evaluate this comparison: {error}",
            path=path,
            line=spec.line,
            column="population",
        ) from None
    if spec.measure == "sensitivity":
        return values[True]
    if spec.measure == "specificity":
        return values[False]
    sens, specificity = values[True], values[False]
    if spec.measure == "lr_positive":
        return sens / (1.0 - specificity) if specificity < 1.0 else math.inf
    return (1.0 - sens) / specificity if specificity > 0.0 else math.inf


def _probability(
    model: DiagnosticModel,
    finding: str,
    state: str,
    hard: dict[str, str],
    soft: dict[str, dict[str, float]],
) -> float:
    distribution = model.query(finding, hard, soft=soft or None)[finding]
    return float(distribution[state])


# -- presentation ----------------------------------------------------------------------------


def plot_validation(
    result: ValidationResult, ax: Axes | None = None, *, title: str | None = None
) -> Axes:
    """How far the model's figures lie from the published ones, row by row.

    Each row is drawn on a log scale as the ratio model / published (of the odds for
    sensitivity and specificity, directly for likelihood ratios), with the published
    interval as a whisker converted the same way. The band from 1/2 to 2 is shaded; filled
    markers are dependent rows, hollow markers independent ones; colour is the verdict.

    Parameters
    ----------
    result : ValidationResult
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        The Axes title (a default one otherwise).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import gluteal_bn as gb
    >>> ax = gb.load_model().validate().plot()
    >>> ax.get_xscale()
    'log'
    """
    if ax is None:
        import matplotlib.pyplot as plt

        height = max(3.0, 0.28 * len(result.rows) + 1.2)
        _, ax = plt.subplots(figsize=(8, height), layout="constrained")
    colours = {"inside_ci": "#1a7f37", "within_2x": "#bf8700", "off": "#cf222e"}
    rows = list(result.rows)
    for position, row in enumerate(reversed(rows)):
        ratio = _ratio(row.measure, row.implied, row.published)
        if row.ci_low is not None and row.ci_high is not None:
            low = _ratio(row.measure, row.ci_low, row.published)
            high = _ratio(row.measure, row.ci_high, row.published)
            ax.plot([low, high], [position, position], color="0.55", linewidth=1.5)
        face = colours[row.verdict] if row.dependent else "white"
        ax.plot(
            [_clip(ratio)],
            [position],
            marker="o",
            markersize=6,
            markerfacecolor=face,
            markeredgecolor=colours[row.verdict],
            linestyle="none",
        )
    ax.axvspan(0.5, 2.0, color="0.92", zorder=0)
    ax.axvline(1.0, color="0.4", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{row.id} ({row.measure})" for row in reversed(rows)], fontsize=7)
    ax.set_ylim(-0.8, len(rows) - 0.2)
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ratios = [_clip(_ratio(row.measure, row.implied, row.published)) for row in rows]
    low, high = min([0.25, *ratios]), max([4.0, *ratios])
    ticks = [2.0**k for k in range(math.floor(math.log2(low)), math.ceil(math.log2(high)) + 1)]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}" if x >= 1 else f"1/{1 / x:g}"))
    ax.set_xlim(low / 1.3, high * 1.3)
    handles = [
        Line2D([], [], marker="o", linestyle="none", color=colour, label=verdict)
        for verdict, colour in colours.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            color="0.3",
            markerfacecolor="white",
            label="independent (hollow)",
        )
    )
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_xlabel("model / published (odds for sensitivity and specificity; log scale)")
    ax.set_title(
        title
        or "Literature check: "
        f"dependent {_counts_text(result.counts(dependent=True))}; "
        f"independent {_counts_text(result.counts(dependent=False))}",
        fontsize=9,
    )
    return ax


def _ratio(measure: str, value: float, published: float) -> float:
    if measure in ("sensitivity", "specificity"):
        return _odds(value) / _odds(published)
    return value / published


def _odds(p: float) -> float:
    if p >= 1.0:
        return math.inf
    return p / (1.0 - p)


def _clip(value: float) -> float:
    return min(max(value, 1e-3), 1e3)


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    if math.isinf(value):
        return "inf"
    return f"{value:.3g}"


def _json_number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[v]} {v}" for v in VERDICTS)
