"""A printable case report: one self-contained HTML file for a case and what the model says.

:func:`case_report_html` renders, for some evidence, the evidence in words, the prior and
posterior of each cause (a table and an inline SVG chart), each observed item's exact
contribution to every cause's log-odds (Shapley values, see
:meth:`DiagnosticModel.explain`), the questions worth asking next (expected information
gain), the educational disclaimer, the library version and a fingerprint of the data files
(SHA-256 over the model folder's CSV files, and over the numbers in use, which differ for
a changed or fitted model; see :func:`gluteal_bn.io.scoring.data_fingerprint`). The file
needs no network: the charts are SVG drawn by matplotlib and inlined, the style sheet is
inline, there is no script. It prints on A4 (``@page``); every chart and table scales to
the printable width.

:meth:`Diagnosis.to_html <gluteal_bn.Diagnosis.to_html>` and ``gluteal-bn report`` write it.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = ["case_report_html", "write_case_report"]

#: How many next questions the report lists.
N_QUESTIONS = 5

_CSS = """
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111;
       line-height: 1.35; margin: 0 auto; max-width: 182mm; padding: 6mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm 0; }
h2 { font-size: 13pt; margin: 6mm 0 2mm 0; border-bottom: 1px solid #888;
     break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0; }
.disclaimer { border: 2px solid #111; padding: 2mm 3mm; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; table-layout: fixed; }
th, td { border-bottom: 1px solid #bbb; padding: 1mm 1.5mm; text-align: right;
         overflow-wrap: anywhere; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 1.5px solid #111; font-size: 8.5pt; overflow-wrap: break-word;
           hyphens: auto; }
table.contributions thead th { font-size: 7.5pt; padding: 1mm 0.8mm; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 2mm 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; max-width: 100%; display: block; }
figcaption { font-size: 9pt; color: #333; }
.section { break-inside: avoid-page; }
.best { font-weight: bold; }
ul.evidence { columns: 2; margin: 1mm 0; padding-left: 5mm; }
footer { margin-top: 6mm; font-size: 8.5pt; color: #333; border-top: 1px solid #888;
         padding-top: 2mm; overflow-wrap: anywhere; }
code { font-size: 8.5pt; }
"""


def case_report_html(
    model: Any, evidence: Mapping[str, str] | None = None, *, language: str | None = None
) -> str:
    """The case report of ``evidence`` as one self-contained HTML document.

    Parameters
    ----------
    model : DiagnosticModel
        The model that answers.
    evidence : mapping of str to str, optional
        The observed states.
    language : str, optional
        ``"en"`` or ``"ru"``; by default ``$GLUTEAL_BN_LANG``, else the locale (see
        :mod:`gluteal_bn.i18n`).

    Returns
    -------
    str
        The HTML document (no script, no external resource).

    Raises
    ------
    EvidenceError
        As :meth:`DiagnosticModel.posterior`.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.report import case_report_html
    >>> page = case_report_html(gb.load_model(), {"fever": "yes"}, language="en")
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page, "src=" in page
    (True, False, False)
    """
    from . import __version__
    from .i18n import translation
    from .io.scoring import data_fingerprint
    from .model import DISCLAIMER

    t = translation(language)
    evidence = dict(evidence or {})
    diagnosis = model.diagnose(evidence)
    frame = diagnosis.to_frame()
    best = diagnosis.most_likely
    sections = [
        f'<p class="disclaimer">{html.escape(t.marked(DISCLAIMER))}</p>',
        _evidence_section(model, evidence, t),
        _posterior_section(model, diagnosis, frame, best, t),
        _contribution_section(model, evidence, frame, best, t),
        _questions_section(model, evidence, t),
    ]
    provenance = data_fingerprint(model)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    footer = (
        f"<footer>gluteal_bn {html.escape(__version__)} · "
        + t.gettext(
            "data folder {folder} · its CSV files {files} · the numbers in use {numbers} · "
            "generated {when}"
        ).format(
            folder=f"<code>{html.escape(Path(model.folder).name)}</code>",
            files=f"<code>{provenance['data_fingerprint']}</code>",
            numbers=f"<code>{provenance['numbers_fingerprint']}</code>",
            when=generated,
        )
        + "</footer>"
    )
    title = t.gettext("Case report") + ": " + t.evidence(model.vocabulary, evidence)
    lead = t.gettext(
        "What an educational Bayesian network of the causes of buttock pain believes about "
        "this case. Most likely: {cause} ({probability})."
    ).format(
        cause=f"<b>{html.escape(_cause(model, best, t))}</b>",
        probability=t.percent(frame.loc[best, "posterior"]),
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{t.language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(_fit(title, 120))}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(t.gettext('Case report'))}</h1><p>{lead}</p>"
        + "".join(sections)
        + footer
        + "</body></html>\n"
    )


def write_case_report(
    model: Any,
    evidence: Mapping[str, str] | None,
    path: str | os.PathLike[str],
    *,
    language: str | None = None,
) -> Path:
    """Write :func:`case_report_html` to ``path`` atomically (all or nothing).

    Parameters
    ----------
    model : DiagnosticModel
        The model that answers.
    evidence : mapping of str to str or None
        The observed states.
    path : str or path-like
        The HTML file to write (replaced if it exists).
    language : str, optional
        As for :func:`case_report_html`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    EvidenceError
        As :meth:`DiagnosticModel.posterior`; nothing is written.
    """
    document = case_report_html(model, evidence, language=language)
    target = Path(path)
    _write_text_atomically(target, document)
    return target


# -- sections ----------------------------------------------------------------------------------


def _evidence_section(model: Any, evidence: Mapping[str, str], t: Any) -> str:
    if not evidence:
        items = (
            "<p>"
            + html.escape(
                t.gettext("Nothing is known about the patient yet: the answers are the priors.")
            )
            + "</p>"
        )
    else:
        items = (
            '<ul class="evidence">'
            + "".join(
                f"<li>{html.escape(_words(model, n, s, t))}</li>" for n, s in evidence.items()
            )
            + "</ul>"
        )
    return f'<div class="section"><h2>{html.escape(t.gettext("What is known"))}</h2>{items}</div>'


def _posterior_section(model: Any, diagnosis: Any, frame: Any, best: str, t: Any) -> str:
    rows = "".join(
        f'<tr class="{"best" if cause == best else ""}">'
        f"<td>{html.escape(_cause(model, cause, t))}</td>"
        f"<td>{t.percent(row.prior)}</td><td>{t.percent(row.posterior)}</td>"
        f"<td>{t.percent(row.change, signed=True)}</td></tr>"
        for cause, row in zip(frame.index, frame.itertuples(), strict=True)
    )
    chart = _svg(lambda ax: diagnosis.plot(ax=ax, language=t.language), (7.0, 3.2))
    return (
        f'<div class="section"><h2>{html.escape(t.gettext("How likely is each cause"))}</h2>'
        "<p>"
        + html.escape(
            t.gettext(
                "The prior is the probability before anything about the patient is known; the "
                "posterior is the probability given what is known. Causes are not exclusive: a "
                "patient can have more than one, so the columns need not add up to 100%."
            )
        )
        + '</p><table><thead><tr><th style="width:46%">'
        + "</th><th>".join(
            html.escape(word)
            for word in (
                t.gettext("cause"),
                t.gettext("prior"),
                t.gettext("posterior"),
                t.gettext("change"),
            )
        )
        + f"</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<figure>{chart}<figcaption>"
        + html.escape(t.gettext("Prior (light) and posterior (dark) of each cause."))
        + "</figcaption></figure></div>"
    )


def _contribution_section(
    model: Any, evidence: Mapping[str, str], frame: Any, best: str, t: Any
) -> str:
    if not evidence:
        return ""
    results = {cause: model.explain(evidence, cause) for cause in frame.index}
    explanations = {cause: _table(result) for cause, result in results.items()}
    items = list(explanations[best].index)
    header = "".join(
        f"<th>{html.escape(_fit(_cause(model, cause, t), 60))}</th>" for cause in frame.index
    )
    rows = []
    for item in items:
        variable, state = explanations[best].loc[item, ["variable", "state"]]
        cells = "".join(
            f"<td>{t.number(explanations[c].loc[item, 'contribution'], signed=True)}</td>"
            for c in frame.index
        )
        rows.append(f"<td>{html.escape(_words(model, variable, state, t))}</td>{cells}")
    totals = "".join(
        f"<td><b>{t.number(explanations[c]['contribution'].sum(), signed=True)}</b></td>"
        for c in frame.index
    )
    rows.append(f"<td><b>{html.escape(t.gettext('all together'))}</b></td>{totals}")
    table = (
        f'<table class="contributions"><thead><tr><th style="width:20%">'
        f"{html.escape(t.gettext('finding'))}</th>"
        f"{header}</tr></thead><tbody>"
        + "".join(f"<tr>{row}</tr>" for row in rows)
        + "</tbody></table>"
    )
    from .plotting import plot_explanation

    chart = _svg(lambda ax: plot_explanation(results[best], ax=ax, language=t.language), (7.0, 3.0))
    prior, posterior = (_field(results[best], name) for name in ("prior", "posterior"))
    caption = t.gettext(
        "The contributions to the most likely cause, {cause}: from {prior} to {posterior}."
    ).format(cause=_cause(model, best, t), prior=t.percent(prior), posterior=t.percent(posterior))
    explanation = t.gettext(
        "Each number is how much one finding moves a cause's log-odds (natural log; positive "
        "makes the cause more likely, negative less). They are exact Shapley values: each "
        "finding's effect averaged over every order in which the findings could have been "
        "learned, so for each cause they add up to the change from prior to posterior log-odds "
        "(the last row). A contribution of +0.7 roughly doubles the odds; -0.7 halves them."
    )
    return (
        '<div class="section"><h2>'
        + html.escape(t.gettext("What each finding contributes"))
        + f"</h2><p>{html.escape(explanation)}</p>{table}"
        f"<figure>{chart}<figcaption>{html.escape(caption)}</figcaption></figure></div>"
    )


def _questions_section(model: Any, evidence: Mapping[str, str], t: Any) -> str:
    heading = "<h2>" + html.escape(t.gettext("What to ask next")) + "</h2>"
    questions = model.next_questions(evidence)
    top = questions.ranking.head(N_QUESTIONS)
    if top.empty:
        nothing = html.escape(t.gettext("Nothing is left to ask."))
        return f'<div class="section">{heading}<p>{nothing}</p></div>'
    rows = []
    for name in top.index:
        answers = questions.answers.loc[name, "probability"]
        likely = ", ".join(
            f"{html.escape(t.state(model.vocabulary, name, state))} {t.percent(p)}"
            for state, p in answers.items()
        )
        rows.append(
            f"<tr><td>{html.escape(t.variable(model.vocabulary, name))}</td>"
            f"<td>{t.number(top.loc[name, 'information_gain'])}</td>"
            f'<td style="text-align:left">{likely}</td></tr>'
        )
    intro = t.gettext(
        "The questions whose answers are expected to tell most about the causes (expected "
        "information gain, in bits; the uncertainty now is {entropy} bits), with how likely "
        "each answer is."
    ).format(entropy=t.number(questions.entropy))
    return (
        f'<div class="section">{heading}<p>{html.escape(intro)}</p>'
        '<table><thead><tr><th style="width:32%">'
        + html.escape(t.gettext("question"))
        + '</th><th style="width:16%">'
        + html.escape(t.gettext("gain (bits)"))
        + '</th><th style="text-align:left">'
        + html.escape(t.gettext("answers expected"))
        + "</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


# -- helpers -----------------------------------------------------------------------------------


def _table(result: Any) -> Any:
    """The table of a result object (``.table``), or the result if it is a table already."""
    return getattr(result, "table", result)


def _field(result: Any, name: str) -> Any:
    """A result object's field, or (for a DataFrame result) its ``attrs`` entry."""
    return (
        result.attrs[name]
        if hasattr(result, "attrs") and name in result.attrs
        else getattr(result, name)
    )


def _words(model: Any, variable: str, state: str, t: Any) -> str:
    """``Fever: yes``: the variable's label and the state's label, in the reader's language."""
    return f"{t.variable(model.vocabulary, variable)}: {t.state(model.vocabulary, variable, state)}"


def _cause(model: Any, cause: str, t: Any) -> str:
    return str(t.variable(model.vocabulary, cause))


def _svg(draw: Any, size: tuple[float, float]) -> str:
    """Draw on a new matplotlib figure and return it as inline SVG (text kept as text)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    ax = figure.add_subplot()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "gluteal_bn"}):
        draw(ax)
        ax.set_title("")  # the report's own heading and caption say it, in words
        buffer = io.StringIO()
        # nothing clipped; no date or creator, so the same case gives the same chart
        figure.savefig(
            buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
        )
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:]


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _write_text_atomically(path: Path, text: str) -> None:
    """All or nothing: the one atomic-write helper of :mod:`gluteal_bn.io`."""
    from .io.atomic import write_text_atomically

    write_text_atomically(path, text)
