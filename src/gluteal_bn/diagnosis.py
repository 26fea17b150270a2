"""Diagnosis: the result of ``model.diagnose(evidence)``, data first, that renders itself.

A :class:`Diagnosis` holds what was observed and what the model believes before and after:
the evidence, the prior and the posterior of every cause (pandas Series) and the causes'
plain-language labels. It is frozen, and it shows itself three ways: a one-line ``repr`` for
the console, a plain-text table for ``print``, and an HTML table with inline bars for Jupyter
(pure HTML/CSS, no JavaScript). Later tools add fields with defaults at the end of the class;
the renderers draw their rows from :meth:`Diagnosis.to_frame` so new columns need no new code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from .display import Column, Displayed, Html, escape, given, html_table, text_table
from .errors import ArgumentError
from .i18n import Translation, translation

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

__all__ = ["Diagnosis"]

# Bars in the HTML view: dark solid posterior over a light prior, distinct in grey print.
_PRIOR_CSS = "background:#c9c9c9;border:1px solid #6b6b6b;box-sizing:border-box"
_POSTERIOR_CSS = "background:#1f4e79"
_BAR_WIDTH_PX = 160


@dataclass(frozen=True)
class Diagnosis(Displayed):
    """What the model believes about each cause, given some evidence.

    Attributes
    ----------
    evidence : mapping of str to str
        The observed states, in the order given (read-only).
    prior : pandas.Series
        P(cause present) with no evidence, indexed by cause.
    posterior : pandas.Series
        P(cause present | evidence), same index.
    labels : mapping of str to str
        Plain-language name of each cause (read-only).
    vocabulary : Vocabulary, optional
        The model's vocabulary, so the evidence reads in words (``Fever: yes``), not
        identifiers; set by :meth:`DiagnosticModel.diagnose`.
    soft : mapping of str to mapping of str to float
        The soft (likelihood) evidence behind the posterior, if any (read-only).

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> d = gb.load_model().diagnose({"fever": "yes", "local_redness_swelling": "yes"})
    >>> d.most_likely
    'local_infection'
    >>> list(d.to_frame().columns)
    ['label', 'prior', 'posterior', 'change']
    >>> gb.load_model().diagnose({"fever": "yes"}).to_text("ru").splitlines()[0]
    'Дано: Лихорадка: да'
    """

    evidence: Mapping[str, str]
    prior: pd.Series
    posterior: pd.Series
    labels: Mapping[str, str] = field(default_factory=dict)
    vocabulary: Vocabulary | None = field(default=None, repr=False, compare=False)
    # The model that made it (for to_html); not part of its value.
    model: Any = field(default=None, repr=False, compare=False)
    soft: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only views, so the frozen result cannot be changed through its fields.
        object.__setattr__(self, "evidence", MappingProxyType(dict(self.evidence)))
        soft = {name: MappingProxyType(dict(values)) for name, values in self.soft.items()}
        object.__setattr__(self, "soft", MappingProxyType(soft))
        labels = {c: str(c).replace("_", " ").capitalize() for c in self.posterior.index}
        labels.update(self.labels)
        object.__setattr__(self, "labels", MappingProxyType(labels))

    @property
    def most_likely(self) -> str:
        """The cause with the highest posterior probability."""
        return str(self.posterior.idxmax())

    def to_frame(self) -> pd.DataFrame:
        """One row per cause: its label, prior, posterior and change (posterior - prior).

        Returns
        -------
        pandas.DataFrame
            Indexed by cause: ``label``, ``prior``, ``posterior``, ``change``.
        """
        causes = list(self.posterior.index)
        frame = pd.DataFrame(
            {
                "label": [self.labels[c] for c in causes],
                "prior": self.prior.loc[causes].to_numpy(),
                "posterior": self.posterior.to_numpy(),
            },
            index=pd.Index(causes, name="cause"),
        )
        frame["change"] = frame["posterior"] - frame["prior"]
        return frame

    def plot(self, ax: Any = None, *, language: str | None = None) -> Any:
        """Prior and posterior bars (see :func:`gluteal_bn.plot_posterior`); returns the Axes.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure is made if omitted.
        language : str, optional
            As for :meth:`to_text`.

        Returns
        -------
        matplotlib.axes.Axes
            The bars, titled with the evidence in words.
        """
        from .plotting import plot_posterior

        return plot_posterior(self, ax=ax, title=self._title(language), language=language)

    def to_html(
        self, path: str | os.PathLike[str] | None = None, *, language: str | None = None
    ) -> Any:
        """The printable case report: one self-contained HTML file (see :mod:`gluteal_bn.report`).

        The evidence in words, prior and posterior bars, each finding's contribution to every
        cause, the next questions, the disclaimer, the library version and a fingerprint of
        the data files; inline SVG, no network, prints on A4.

        Parameters
        ----------
        path : str or path-like, optional
            Where to write it (atomically). If omitted, the HTML is returned as a string.
        language : str, optional
            ``"en"`` or ``"ru"``; by default ``$GLUTEAL_BN_LANG``, else the locale.

        Returns
        -------
        pathlib.Path or str
            ``path`` once written, or the HTML document when no path is given.

        Raises
        ------
        ValueError
            If the diagnosis was not made by :meth:`DiagnosticModel.diagnose` (it then has no
            model to ask for the contributions and next questions).
        ArgumentError
            If the diagnosis holds soft evidence: the report's next questions take hard
            evidence only, so it is refused rather than computed without the soft part.

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> page = gb.load_model().diagnose({"fever": "yes"}).to_html()
        >>> "<svg" in page and "sha256:" in page
        True
        """
        if self.model is None:
            raise ValueError(
                "this Diagnosis has no model (it was not made by model.diagnose); use "
                "gluteal_bn.report.write_case_report(model, evidence, path)"
            )
        if self.soft:
            raise ArgumentError(
                f"the case report takes hard evidence only; this diagnosis also has soft "
                f"evidence on {', '.join(self.soft)}: observe those variables' states, or "
                "drop the soft evidence, to write a report"
            )
        from .report import case_report_html, write_case_report

        if path is None:
            return case_report_html(self.model, self.evidence, language=language)
        return write_case_report(self.model, self.evidence, path, language=language)

    # -- rendering -----------------------------------------------------------------------------

    def _title(self, language: str | None = None) -> str:
        t = translation(language)
        if not self.evidence and not self.soft:
            return t.gettext("No evidence")
        words = given(self.evidence, self.soft or None, self.vocabulary, t)
        return t.gettext("Given {evidence}").format(evidence=words)

    def _label(self, cause: str, language: str | None = None) -> str:
        return translation(language).label(self.labels[cause])

    def __repr__(self) -> str:
        count = len(self.evidence)
        findings = f"{count} finding" + ("" if count == 1 else "s")
        best = self.most_likely
        return f"Diagnosis(most likely {best} {100 * self.posterior[best]:.1f}%, {findings})"

    @staticmethod
    def _words(t: Translation) -> tuple[str, str, str]:
        return t.gettext("prior"), t.gettext("posterior"), t.gettext("change")

    def _text(self, t: Translation) -> str:
        frame = self.to_frame()
        columns = [
            Column(t.gettext("cause"), "<"),
            *(Column(word, width=7) for word in self._words(t)),
        ]
        rows = [
            (
                self._label(str(row.Index), t.language),
                t.percent(row.prior),
                t.percent(row.posterior),
                t.percent(row.change, signed=True),
            )
            for row in frame.itertuples()
        ]
        most_likely = self._label(self.most_likely, t.language)
        return "\n".join(
            [
                self._title(t.language),
                *text_table(columns, rows),
                t.gettext("Most likely: {cause}").format(cause=most_likely),
            ]
        )

    def _html(self, t: Translation | str | None = None) -> str:
        # The explorer asks with a language code; the renderers of display.py with a catalogue.
        if not isinstance(t, Translation):
            t = translation(t)
        rows = []
        for row in self.to_frame().itertuples():
            bars = Html(
                f'<div style="width:{_BAR_WIDTH_PX}px">'
                f"{_bar(row.prior, _PRIOR_CSS, t.gettext('prior'))}"
                f"{_bar(row.posterior, _POSTERIOR_CSS, t.gettext('posterior'))}</div>"
            )
            name = escape(self._label(str(row.Index), t.language))
            posterior = Html(f"<b>{t.percent(row.posterior)}</b>")
            if row.Index == self.most_likely:
                name = f'<span style="font-weight:bold">{name}</span>'  # <b> marks posteriors
            cells = [Html(name), t.percent(row.prior), posterior]
            rows.append([*cells, t.percent(row.change, signed=True), bars])
        columns = [
            Column(t.gettext("cause"), "<"),
            *(Column(word) for word in self._words(t)),
            Column(t.gettext("prior (light) / posterior (dark)")),
        ]
        most_likely = t.gettext("Most likely: {cause}").format(
            cause=f"<b>{escape(self._label(self.most_likely, t.language))}</b>"
        )
        return (
            '<div class="gluteal-bn-diagnosis">'
            f"<p>{escape(self._title(t.language))}</p>"
            f"{html_table(columns, rows)}<p>{most_likely}</p></div>"
        )


def _bar(probability: float, css: str, title: str) -> str:
    width = round(_BAR_WIDTH_PX * float(probability), 1)
    return (
        f'<div title="{escape(title)}" style="{css};height:7px;width:{width}px;margin:1px 0"></div>'
    )
