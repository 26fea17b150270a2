"""Diagnosis: the result of ``model.diagnose(evidence)``, data first, that renders itself.

A :class:`Diagnosis` holds what was observed and what the model believes before and after:
the evidence, the prior and the posterior of every cause (pandas Series) and the causes'
plain-language labels. It is frozen, and it shows itself three ways: a one-line ``repr`` for
the console, a plain-text table for ``print``, and an HTML table with inline bars for Jupyter
(pure HTML/CSS, no JavaScript). Later tools add fields with defaults at the end of the class;
the renderers draw their rows from :meth:`Diagnosis.to_frame` so new columns need no new code.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from .evidence import describe

__all__ = ["Diagnosis"]

# Bars in the HTML view: dark solid posterior over a light prior, distinct in grey print.
_PRIOR_CSS = "background:#c9c9c9;border:1px solid #6b6b6b;box-sizing:border-box"
_POSTERIOR_CSS = "background:#1f4e79"
_BAR_WIDTH_PX = 160


@dataclass(frozen=True)
class Diagnosis:
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

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> d = gb.load_model().diagnose({"fever": "yes", "local_redness_swelling": "yes"})
    >>> d.most_likely
    'local_infection'
    >>> list(d.to_frame().columns)
    ['label', 'prior', 'posterior', 'change']
    """

    evidence: Mapping[str, str]
    prior: pd.Series
    posterior: pd.Series
    labels: Mapping[str, str] = field(default_factory=dict)
    #: The model that made it (for :meth:`to_html`); not part of its value.
    model: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Read-only views, so the frozen result cannot be changed through its fields.
        object.__setattr__(self, "evidence", MappingProxyType(dict(self.evidence)))
        labels = {c: str(c).replace("_", " ").capitalize() for c in self.posterior.index}
        labels.update(self.labels)
        object.__setattr__(self, "labels", MappingProxyType(labels))

    @property
    def most_likely(self) -> str:
        """The cause with the highest posterior probability."""
        return str(self.posterior.idxmax())

    def to_frame(self) -> pd.DataFrame:
        """One row per cause: its label, prior, posterior and change (posterior - prior)."""
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

    def plot(self, ax: Any = None) -> Any:
        """Prior and posterior bars (see :func:`gluteal_bn.plot_posterior`); returns the Axes."""
        from .plotting import plot_posterior

        return plot_posterior(
            self.prior, self.posterior, ax=ax, labels=dict(self.labels), title=self._title()
        )

    def to_html(self, path: str | os.PathLike[str] | None = None) -> Any:
        """The printable case report: one self-contained HTML file (see :mod:`gluteal_bn.report`).

        The evidence in words, prior and posterior bars, each finding's contribution to every
        cause, the next questions, the disclaimer, the library version and a fingerprint of
        the data files; inline SVG, no network, prints on A4.

        Parameters
        ----------
        path : str or path-like, optional
            Where to write it (atomically). If omitted, the HTML is returned as a string.

        Returns
        -------
        pathlib.Path or str
            ``path`` once written, or the HTML document when no path is given.

        Raises
        ------
        ValueError
            If the diagnosis was not made by :meth:`DiagnosticModel.diagnose` (it then has no
            model to ask for the contributions and next questions).

        Examples
        --------
        >>> import gluteal_bn as gb
        >>> page = gb.load_model().diagnose({"fever": "yes"}).to_html()
        >>> "<svg" in page and "SHA-256" in page
        True
        """
        if self.model is None:
            raise ValueError(
                "this Diagnosis has no model (it was not made by model.diagnose); use "
                "gluteal_bn.report.write_case_report(model, evidence, path)"
            )
        from .report import case_report_html, write_case_report

        if path is None:
            return case_report_html(self.model, self.evidence)
        return write_case_report(self.model, self.evidence, path)

    # -- rendering -----------------------------------------------------------------------------

    def _title(self) -> str:
        return "Given " + describe(self.evidence) if self.evidence else "No evidence"

    def __repr__(self) -> str:
        count = len(self.evidence)
        findings = f"{count} finding" + ("" if count == 1 else "s")
        best = self.most_likely
        return f"Diagnosis(most likely {best} {100 * self.posterior[best]:.1f}%, {findings})"

    def __str__(self) -> str:
        frame = self.to_frame()
        width = max(len("cause"), *(len(label) for label in frame["label"]))
        lines = [
            self._title(),
            f"{'cause':<{width}}  {'prior':>7}  {'posterior':>9}  {'change':>8}",
        ]
        for row in frame.itertuples():
            lines.append(
                f"{row.label:<{width}}  {_pct(row.prior):>7}  {_pct(row.posterior):>9}  "
                f"{_pct(row.change, signed=True):>8}"
            )
        lines.append(f"Most likely: {self.labels[self.most_likely]}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = []
        for row in self.to_frame().itertuples():
            bars = (
                f'<div style="width:{_BAR_WIDTH_PX}px">'
                f"{_bar(row.prior, _PRIOR_CSS, 'prior')}"
                f"{_bar(row.posterior, _POSTERIOR_CSS, 'posterior')}</div>"
            )
            weight = "font-weight:bold;" if row.Index == self.most_likely else ""
            rows.append(
                f'<tr><td style="text-align:left;{weight}">{html.escape(row.label)}</td>'
                f"<td>{_pct(row.prior)}</td><td><b>{_pct(row.posterior)}</b></td>"
                f"<td>{_pct(row.change, signed=True)}</td><td>{bars}</td></tr>"
            )
        return (
            '<div class="gluteal-bn-diagnosis">'
            f"<p>{html.escape(self._title())}</p>"
            '<table><thead><tr><th style="text-align:left">cause</th><th>prior</th>'
            "<th>posterior</th><th>change</th><th>prior (light) / posterior (dark)</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p>Most likely: <b>{html.escape(self.labels[self.most_likely])}</b></p></div>"
        )


def _pct(probability: float, *, signed: bool = False) -> str:
    return f"{100 * probability:{'+' if signed else ''}.1f}%"


def _bar(probability: float, css: str, title: str) -> str:
    width = round(_BAR_WIDTH_PX * float(probability), 1)
    return f'<div title="{title}" style="{css};height:7px;width:{width}px;margin:1px 0"></div>'
