"""A printable case report: one self-contained HTML file for a case and what the model says.

:func:`case_report_html` renders, for some evidence, the evidence in words, the prior and
posterior of each cause (a table and an inline SVG chart), each observed item's exact
contribution to every cause's log-odds (Shapley values, see
:meth:`DiagnosticModel.explain`), the questions worth asking next (expected information
gain), the educational disclaimer, the library version and a fingerprint of the data files
(SHA-256 over the model folder's CSV files). The file needs no network: the charts are SVG
drawn by matplotlib and inlined, the style sheet is inline, there is no script. It prints
on A4 (``@page``); every chart and table scales to the printable width.

:meth:`Diagnosis.to_html <gluteal_bn.Diagnosis.to_html>` and ``gluteal-bn report`` write it.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = ["case_report_html", "data_fingerprint", "write_case_report"]

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
thead th { border-bottom: 1.5px solid #111; }
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


def data_fingerprint(folder: str | os.PathLike[str]) -> str:
    """SHA-256 over a model folder's CSV files (names and bytes, in name order).

    Parameters
    ----------
    folder : str or path-like
        The model folder (``model.folder``).

    Returns
    -------
    str
        64 hexadecimal digits; any change to any CSV file changes it.

    Examples
    --------
    >>> import gluteal_bn as gb
    >>> from gluteal_bn.report import data_fingerprint
    >>> len(data_fingerprint(gb.load_model().folder))
    64
    """
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.csv")):
        digest.update(path.name.encode("utf-8") + b"\0")
        content = path.read_bytes()
        digest.update(len(content).to_bytes(8, "big"))
        digest.update(content)
    return digest.hexdigest()


def case_report_html(model: Any, evidence: Mapping[str, str] | None = None) -> str:
    """The case report of ``evidence`` as one self-contained HTML document.

    Parameters
    ----------
    model : DiagnosticModel
        The model that answers.
    evidence : mapping of str to str, optional
        The observed states.

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
    >>> page = case_report_html(gb.load_model(), {"fever": "yes"})
    >>> page.startswith("<!DOCTYPE html>"), "http" in page.replace("http://www.w3.org", "")
    (True, False)
    """
    from . import __version__
    from .model import DISCLAIMER

    evidence = dict(evidence or {})
    diagnosis = model.diagnose(evidence)
    frame = diagnosis.to_frame()
    best = diagnosis.most_likely
    sections = [
        f'<p class="disclaimer">{html.escape(DISCLAIMER)}</p>',
        _evidence_section(model, evidence),
        _posterior_section(diagnosis, frame, best),
        _contribution_section(model, evidence, frame, best),
        _questions_section(model, evidence),
    ]
    fingerprint = data_fingerprint(model.folder)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    footer = (
        f"<footer>gluteal_bn {html.escape(__version__)} · data folder "
        f"<code>{html.escape(Path(model.folder).name)}</code> · SHA-256 of its CSV files "
        f"<code>{fingerprint}</code> · generated {generated}</footer>"
    )
    title = "Case report: " + (
        ", ".join(_words(model, n, s) for n, s in evidence.items()) if evidence else "no evidence"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(_fit(title, 120))}</title><style>{_CSS}</style></head><body>"
        "<h1>Case report</h1>"
        f"<p>What an educational Bayesian network of the causes of buttock pain believes "
        f"about this case. Most likely: <b>{html.escape(diagnosis.labels[best])}</b> "
        f"({_pct(frame.loc[best, 'posterior'])}).</p>"
        + "".join(sections)
        + footer
        + "</body></html>\n"
    )


def write_case_report(
    model: Any, evidence: Mapping[str, str] | None, path: str | os.PathLike[str]
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

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    EvidenceError
        As :meth:`DiagnosticModel.posterior`; nothing is written.
    """
    document = case_report_html(model, evidence)
    target = Path(path)
    _write_text_atomically(target, document)
    return target


# -- sections ----------------------------------------------------------------------------------


def _evidence_section(model: Any, evidence: Mapping[str, str]) -> str:
    if not evidence:
        items = "<p>Nothing is known about the patient yet: the answers are the priors.</p>"
    else:
        items = (
            '<ul class="evidence">'
            + "".join(f"<li>{html.escape(_words(model, n, s))}</li>" for n, s in evidence.items())
            + "</ul>"
        )
    return f'<div class="section"><h2>What is known</h2>{items}</div>'


def _posterior_section(diagnosis: Any, frame: Any, best: str) -> str:
    rows = "".join(
        f'<tr class="{"best" if cause == best else ""}"><td>{html.escape(row.label)}</td>'
        f"<td>{_pct(row.prior)}</td><td>{_pct(row.posterior)}</td>"
        f"<td>{_pct(row.change, signed=True)}</td></tr>"
        for cause, row in zip(frame.index, frame.itertuples(), strict=True)
    )
    chart = _svg(lambda ax: diagnosis.plot(ax=ax), (7.0, 3.2))
    return (
        '<div class="section"><h2>How likely is each cause</h2>'
        "<p>The prior is the probability before anything about the patient is known; the "
        "posterior is the probability given what is known. Causes are not exclusive: a patient "
        "can have more than one, so the columns need not add up to 100%.</p>"
        '<table><thead><tr><th style="width:46%">cause</th><th>prior</th><th>posterior</th>'
        f"<th>change</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<figure>{chart}<figcaption>Prior (light) and posterior (dark) of each cause."
        "</figcaption></figure></div>"
    )


def _contribution_section(model: Any, evidence: Mapping[str, str], frame: Any, best: str) -> str:
    if not evidence:
        return ""
    results = {cause: model.explain(evidence, cause) for cause in frame.index}
    explanations = {cause: _table(result) for cause, result in results.items()}
    items = list(explanations[best].index)
    header = "".join(f"<th>{html.escape(_fit(label, 40))}</th>" for label in frame["label"])
    rows = []
    for item in items:
        variable, state = explanations[best].loc[item, ["variable", "state"]]
        cells = "".join(
            f"<td>{_signed(explanations[c].loc[item, 'contribution'])}</td>" for c in frame.index
        )
        rows.append(f"<td>{html.escape(_words(model, variable, state))}</td>{cells}")
    totals = "".join(
        f"<td><b>{_signed(explanations[c]['contribution'].sum())}</b></td>" for c in frame.index
    )
    rows.append(f"<td><b>all together</b></td>{totals}")
    table = (
        f'<table><thead><tr><th style="width:24%">finding</th>{header}</tr></thead><tbody>'
        + "".join(f"<tr>{row}</tr>" for row in rows)
        + "</tbody></table>"
    )
    from .plotting import plot_explanation

    chart = _svg(lambda ax: plot_explanation(results[best], ax=ax), (7.0, 3.0))
    prior, posterior = (_field(results[best], name) for name in ("prior", "posterior"))
    return (
        '<div class="section"><h2>What each finding contributes</h2>'
        "<p>Each number is how much one finding moves a cause's log-odds (natural log; "
        "positive makes the cause more likely, negative less). They are exact Shapley values: "
        "each finding's effect averaged over every order in which the findings could have been "
        "learned, so for each cause they add up to the change from prior to posterior "
        "log-odds (the last row). A contribution of +0.7 roughly doubles the odds; -0.7 halves "
        f"them.</p>{table}"
        f"<figure>{chart}<figcaption>The contributions to the most likely cause, "
        f"{html.escape(frame.loc[best, 'label'])}: from {_pct(prior)} to "
        f"{_pct(posterior)}.</figcaption></figure></div>"
    )


def _questions_section(model: Any, evidence: Mapping[str, str]) -> str:
    questions = model.next_questions(evidence)
    top = questions.ranking.head(N_QUESTIONS)
    if top.empty:
        return '<div class="section"><h2>What to ask next</h2><p>Nothing is left to ask.</p></div>'
    rows = []
    for name, row in top.iterrows():
        answers = questions.answers.loc[name, "probability"]
        likely = ", ".join(
            f"{html.escape(_state_words(model, name, state))} {_pct(p)}"
            for state, p in answers.items()
        )
        rows.append(
            f"<tr><td>{html.escape(str(row['label']))}</td><td>{row['information_gain']:.2f}"
            f'</td><td style="text-align:left">{likely}</td></tr>'
        )
    return (
        '<div class="section"><h2>What to ask next</h2>'
        "<p>The questions whose answers are expected to tell most about the causes "
        f"(expected information gain, in bits; the uncertainty now is {questions.entropy:.2f} "
        "bits), with how likely each answer is.</p>"
        '<table><thead><tr><th style="width:32%">question</th><th style="width:16%">gain '
        '(bits)</th><th style="text-align:left">answers expected</th></tr></thead><tbody>'
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


def _words(model: Any, variable: str, state: str) -> str:
    """``Fever: yes``: the variable's label and the state's label."""
    return f"{model.labels.get(variable, variable)}: {_state_words(model, variable, state)}"


def _state_words(model: Any, variable: str, state: str) -> str:
    from .interactive import _state_label

    return _state_label(model, variable, state)


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
        figure.savefig(buffer, format="svg", bbox_inches="tight")  # nothing clipped
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:]


def _pct(probability: float, *, signed: bool = False) -> str:
    value = 100 * float(probability)
    if abs(value) < 0.05:
        value = 0.0  # no "-0.0%" from rounding noise
    return f"{value:{'+' if signed else ''}.1f}%"


def _signed(value: float) -> str:
    value = float(value)
    return "0.00" if abs(value) < 0.005 else f"{value:+.2f}"


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _write_text_atomically(path: Path, text: str) -> None:
    """All or nothing: the one atomic-write helper of :mod:`gluteal_bn.io`."""
    from .io.atomic import write_text_atomically

    write_text_atomically(path, text)
