"""How every result shows itself: a titled table as plain text and as HTML, in words.

Every result object of the package (:class:`~gluteal_bn.diagnosis.Diagnosis`,
:class:`~gluteal_bn.evaluation.Evaluation` and the reasoning tools' results in
:mod:`gluteal_bn.reasoning.results`) is data first. This module is the one place that turns
such data into what a person reads:

* :class:`Displayed` gives a result ``str()``, ``to_text(language)`` and ``_repr_html_``
  (Jupyter) from the two renderers it writes, ``_text(t)`` and ``_html(t)``;
  :class:`DisplayedTable` adds ``to_html(language)``.
* :func:`text_table` lines up a table's heads and cells in columns (what ``print`` and the
  command line show); :func:`html_table` writes the same table as HTML, escaping every cell
  that is not :class:`Html` already.
* :func:`figure` rounds a number for reading in the language's notation (no ``-0``, no
  ``1e-16``); percentages and signed numbers come from
  :meth:`~gluteal_bn.i18n.Translation.percent` and :meth:`~gluteal_bn.i18n.Translation.number`.

The language is chosen as everywhere (:func:`gluteal_bn.i18n.translation`): the argument,
else ``GLUTEAL_BN_LANG``, else the locale. ``to_frame()`` and ``to_dict()`` are not made
here: they keep identifiers and exact numbers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .i18n import translation

if TYPE_CHECKING:
    from .i18n import Translation

__all__ = [
    "Column",
    "Displayed",
    "DisplayedTable",
    "Html",
    "escape",
    "figure",
    "given",
    "html_table",
]


def given(
    evidence: Mapping[str, str],
    soft: Mapping[str, Any] | None = None,
    vocabulary: Any = None,
    t: Translation | None = None,
) -> str:
    """The evidence as a person reads it: labels when the vocabulary is known.

    Parameters
    ----------
    evidence : mapping of str to str
        Observed states by variable name.
    soft : mapping, optional
        Variables with soft (likelihood) evidence.
    vocabulary : Vocabulary, optional
        For labels in words; without it, ``name=state`` items.
    t : Translation, optional
        The language (by default as :func:`gluteal_bn.i18n.translation` chooses).

    Returns
    -------
    str
        ``"(no evidence)"`` (translated) when there is none.

    Examples
    --------
    >>> given({"fever": "yes"}, {"age": {"over_60": 0.7}}, t=translation("en"))
    'fever=yes; soft evidence on age'
    """
    t = t or translation(None)
    if vocabulary is not None and (evidence or soft):
        return t.evidence(vocabulary, evidence, soft)
    text = ", ".join(f"{k}={v}" for k, v in evidence.items()) or t.gettext("(no evidence)")
    if soft:
        text += t.gettext("; soft evidence on {names}").format(names=", ".join(soft))
    return text


class Html(str):
    """Text that is HTML markup already: :func:`escape` and :func:`html_table` keep it."""

    __slots__ = ()


def escape(text: object) -> str:
    """``text`` safe to put in HTML (:class:`Html` as it is, anything else escaped).

    Parameters
    ----------
    text : object
        Converted with ``str`` first.

    Returns
    -------
    str

    Examples
    --------
    >>> escape("<b>a & b</b>"), escape(Html("<b>a</b>"))
    ('&lt;b&gt;a &amp; b&lt;/b&gt;', '<b>a</b>')
    """
    return text if isinstance(text, Html) else html.escape(str(text))


def figure(t: Translation, value: float, digits: int = 4) -> str:
    """A number in ``digits`` significant digits, as people read it in ``t``'s language.

    Rounding noise reads as 0 (no ``1e-16``, no ``-0``); NaN reads as a dash; Russian writes a
    decimal comma.

    Parameters
    ----------
    t : Translation
    value : float
    digits : int, default 4

    Returns
    -------
    str

    Examples
    --------
    >>> from gluteal_bn.i18n import translation
    >>> figure(translation("en"), -1.2e-17), figure(translation("ru"), 0.123456)
    ('0', '0,1235')
    """
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return t.number(value)
    if abs(value) < 1e-12:
        value = 0.0
    text = f"{value:.{digits}g}"
    return text.replace(".", ",") if t.language == "ru" else text


@dataclass(frozen=True)
class Column:
    """One column of a displayed table: its head, alignment, minimum width and the gap before it.

    ``align`` is ``"<"`` (left: words) or ``">"`` (right: numbers); ``width`` and ``gap``
    only matter in text.
    """

    head: str
    align: str = ">"
    width: int = 0
    gap: str = "  "


def text_table(columns: Sequence[Column], rows: Iterable[Sequence[str]]) -> list[str]:
    """The heads and rows lined up in columns, one string per line (no trailing blanks).

    Parameters
    ----------
    columns : sequence of Column
    rows : iterable of sequences of str
        One cell per column, already formatted.

    Returns
    -------
    list of str
        The heads' line, then one line per row.

    Examples
    --------
    >>> text_table([Column("cause", "<"), Column("p", width=5)], [("fever", "12%")])
    ['cause      p', 'fever    12%']
    """
    body = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(column.width, len(column.head), *(len(row[i]) for row in body))
        for i, column in enumerate(columns)
    ]
    lines = []
    for cells in ([column.head for column in columns], *body):
        line = "".join(
            (column.gap if i else "") + f"{cell:{column.align}{width}}"
            for i, (column, cell, width) in enumerate(zip(columns, cells, widths, strict=True))
        )
        lines.append(line.rstrip())
    return lines


def html_table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    caption: str | None = None,
    row_heads: bool = False,
) -> str:
    """The table as HTML: escaped cells, words left-aligned, numbers right-aligned.

    Parameters
    ----------
    columns : sequence of Column
        Their heads (escaped) and alignment.
    rows : iterable of sequences
        One cell per column; :class:`Html` cells are kept as markup, others escaped.
    caption : str, optional
        A caption above the table (escaped).
    row_heads : bool, default False
        Write each row's first cell as a row heading (``<th>``).

    Returns
    -------
    str
        One ``<table>`` element.

    Examples
    --------
    >>> html_table([Column("p")], [["<1%"]])
    '<table><thead><tr><th>p</th></tr></thead><tbody><tr><td>&lt;1%</td></tr></tbody></table>'
    """
    left = ' style="text-align:left"'

    def cell(tag: str, column: Column, text: object) -> str:
        style = left if column.align == "<" else ""
        return f"<{tag}{style}>{escape(text)}</{tag}>"

    head = "".join(cell("th", column, column.head) for column in columns)
    body = "".join(
        "<tr>"
        + "".join(
            cell("th" if row_heads and i == 0 else "td", column, text)
            for i, (column, text) in enumerate(zip(columns, row, strict=True))
        )
        + "</tr>"
        for row in rows
    )
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Displayed:
    """``str()``, :meth:`to_text` and Jupyter's HTML from a result's own two renderers.

    A subclass writes ``_text(t)`` and ``_html(t)`` for a :class:`~gluteal_bn.i18n.Translation`
    ``t``; this class chooses the language and gives them their public names.
    """

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, language: str | None = None) -> str:
        """The plain text that ``print`` shows (and the command line prints), in ``language``.

        Parameters
        ----------
        language : str, optional
            A language with a catalogue (``"en"``, ``"ru"``); if omitted, the one
            ``GLUTEAL_BN_LANG`` names, else the locale's.

        Returns
        -------
        str
            Labels and rounded numbers, in ``language``.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> why = gb.load_model().explain({"fever": "yes"}, "local_infection")
        >>> why.to_text("ru").splitlines()[0]
        'Данные: Лихорадка: да'
        """
        return self._text(translation(language))

    def _repr_html_(self) -> str:
        return self._html(translation(None))

    def _text(self, t: Translation) -> str:
        raise NotImplementedError

    def _html(self, t: Translation) -> str:
        raise NotImplementedError


class DisplayedTable(Displayed):
    """A :class:`Displayed` result whose HTML is also public, as :meth:`to_html`."""

    def to_html(self, language: str | None = None) -> str:
        """The result as HTML (what Jupyter shows), in ``language``.

        Parameters
        ----------
        language : str, optional
            As for :meth:`~Displayed.to_text`.

        Returns
        -------
        str
            An HTML fragment: a heading and the table, column names and cells in words,
            numbers rounded for reading.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> top = gb.load_model().most_probable_explanation({"fever": "yes"}, k=2)
        >>> "<th>вероятность</th>" in top.to_html("ru")
        True
        """
        return self._html(translation(language))
