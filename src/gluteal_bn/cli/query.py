"""The posterior commands: ``query``, ``demo`` (a worked teaching case) and ``variables``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..i18n import N_, translation
from .common import (
    add_common,
    add_data_and_language,
    add_tool,
    check_chart_path,
    finish_tool,
    read_evidence,
    save_figure,
    say_chart_written,
)

__all__ = ["DEMO_EVIDENCE", "add_query_commands", "format_table", "save_chart"]

DEMO_EVIDENCE = {
    "age": "40_to_60",
    "diabetes": "yes",
    "fever": "yes",
    "weakness_malaise": "yes",
    "local_redness_swelling": "yes",
    "pain_layer": "subcutaneous",
}
DEMO_STORY = N_(
    "A 52-year-old with diabetes has had three days of a hot, red, swollen, tender buttock;\n"
    "the pain sits in the subcutaneous fat, and since last night there is fever and malaise."
)
DEMO_CHART = "gluteal_bn_demo.png"


def add_query_commands(commands: Any) -> None:
    """``query`` and ``demo`` (``variables`` comes later in the help: :func:`add_variables`)."""
    help = "prior and posterior of each cause given findings"
    example = "observed states, e.g. fever=yes age=over_60"
    finish_tool(add_tool(commands, "query", help, evidence=example), _run_query)

    demo = commands.add_parser("demo", help="a worked teaching case: table and chart")
    add_common(demo)
    demo.set_defaults(run=_run_demo, plot=None)


def add_variables(commands: Any) -> None:
    """``variables``: every variable, its role, states and label."""
    variables = commands.add_parser("variables", help="list every variable and its states")
    add_data_and_language(
        variables, "language of the labels (names and states stay as you type them)"
    )
    variables.set_defaults(run=_run_variables)


def _run_query(args: argparse.Namespace) -> int:
    from ..model import DISCLAIMER, load_model

    evidence = read_evidence(args)
    model = load_model(args.data)
    prior, posterior = model.prior(), model.posterior(evidence)
    if args.json:
        document = {
            "evidence": evidence,
            "prior": prior.to_dict(),
            "posterior": posterior.to_dict(),
            "labels": prior.attrs["labels"],
            "disclaimer": DISCLAIMER,
        }
        print(json.dumps(document, indent=2))
    else:
        print(
            format_table(
                prior, posterior, evidence, vocabulary=model.vocabulary, language=args.lang
            )
        )
        print(translation(args.lang).marked(DISCLAIMER))
    if args.plot:
        save_chart(
            prior, posterior, evidence, args.plot, vocabulary=model.vocabulary, language=args.lang
        )
        say_chart_written(args)
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from ..model import DISCLAIMER, load_model

    chart = args.plot or DEMO_CHART
    check_chart_path(chart)
    model = load_model(args.data)
    prior, posterior = model.prior(), model.posterior(DEMO_EVIDENCE)
    t = translation(args.lang)
    print(t.marked(DEMO_STORY), end="\n\n")
    vocabulary = model.vocabulary
    print(format_table(prior, posterior, DEMO_EVIDENCE, vocabulary=vocabulary, language=args.lang))
    save_chart(prior, posterior, DEMO_EVIDENCE, chart, vocabulary=vocabulary, language=args.lang)
    best = str(posterior.idxmax())
    print(
        "\n"
        + t.gettext("Most likely cause: {cause} ({probability}).").format(
            cause=t.variable(vocabulary, best), probability=t.percent(posterior.max())
        )
    )
    print(t.gettext("chart written to {path}").format(path=chart))
    print(t.marked(DISCLAIMER))
    return 0


def _run_variables(args: argparse.Namespace) -> int:
    from ..model import load_model

    model = load_model(args.data)
    width = max(len(name) for name in model.variables)
    t = translation(args.lang)
    for variable in model.vocabulary:
        states = "|".join(variable.states)
        label = t.variable(model.vocabulary, variable.name)
        print(f"{variable.name:<{width}}  {variable.role:<11}  {states:<34}  {label}")
    return 0


def format_table(
    prior: Any,
    posterior: Any,
    evidence: dict[str, str],
    *,
    vocabulary: Any = None,
    language: str | None = None,
) -> str:
    """Prior beside posterior, one cause a line, causes and evidence in words.

    Parameters
    ----------
    prior, posterior : pandas.Series
        P(cause present) without and with the evidence, indexed by cause.
    evidence : dict of str to str
        The observed states.
    vocabulary : Vocabulary, optional
        For the labels of the causes, variables and states; without it, the labels the
        Series carry and the evidence's names.
    language : str, optional
        ``"en"`` or ``"ru"``; by default from ``GLUTEAL_BN_LANG`` or the locale.

    Returns
    -------
    str
    """
    from ..plotting.style import evidence_text

    t = translation(language)
    if vocabulary is not None:
        names = [t.variable(vocabulary, cause) for cause in prior.index]
    else:
        labels = prior.attrs.get("labels", {})
        names = [t.label(labels.get(cause, cause)) for cause in prior.index]
    heads = (t.gettext("Cause"), t.gettext("Prior"), t.gettext("Posterior"))
    width = max(len(name) for name in [*names, heads[0]])
    given = evidence_text(t, vocabulary, evidence) if evidence else t.gettext("(no evidence)")
    first, second = max(len(heads[1]), 7), max(len(heads[2]), 9)
    lines = [
        t.gettext("Evidence: {evidence}").format(evidence=given),
        "",
        f"{heads[0]:<{width}}  {heads[1]:>{first}}  {heads[2]:>{second}}",
    ]
    for cause, name in zip(prior.index, names, strict=True):
        lines.append(
            f"{name:<{width}}  {t.percent(prior[cause]):>{first}}  "
            f"{t.percent(posterior[cause]):>{second}}"
        )
    return "\n".join(lines)


def save_chart(
    prior: Any,
    posterior: Any,
    evidence: dict[str, str],
    path: str,
    *,
    vocabulary: Any = None,
    language: str | None = None,
) -> None:
    """Draw the prior/posterior chart and write it atomically (temporary file, then rename)."""
    from ..plotting import plot_posterior
    from ..plotting.style import evidence_text

    t = translation(language)
    title = (
        t.gettext("Given {evidence}").format(evidence=evidence_text(t, vocabulary, evidence))
        if evidence
        else None
    )
    save_figure(lambda: plot_posterior(prior, posterior, title=title, language=language), path)
