"""The ``gluteal-bn`` command: a thin shell over the Python API (it holds no logic of its own).

    gluteal-bn query fever=yes local_redness_swelling=yes [--json] [--plot FILE]
    gluteal-bn demo [--plot FILE]
    gluteal-bn variables
    gluteal-bn ask fever=yes [--target CAUSE] [--json] [--plot FILE]
    gluteal-bn explain --cause local_infection fever=yes [--json] [--plot FILE]
    gluteal-bn sensitivity --cause local_infection fever=yes [--top N] [--json] [--plot FILE]
    gluteal-bn score cases.csv -o posteriors.csv [--errors raise|coerce|report] [--id COLUMN]
                     [--keep COLUMN...] [--no-escape] [--chunksize N]   (.parquet in/out too)
    gluteal-bn evaluate cases.csv --truth COLUMN... [--json] [--plot PREFIX] [--n-boot N]
    gluteal-bn report fever=yes local_redness_swelling=yes -o case.html

Problems with the input print one line on stderr and exit with status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import DataError, EvidenceError
from .i18n import N_, translation

__all__ = ["main"]

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
CHART_FORMATS = (".png", ".svg", ".pdf")


class UsageError(ValueError):
    """A command-line argument the library itself would not see (e.g. a chart format)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
        return status
    except (DataError, EvidenceError, UsageError) as error:
        print(f"gluteal-bn: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `gluteal-bn variables | head -1`: the reader has what it wanted
        _discard_stdout()
        return BROKEN_PIPE
    except OSError as error:
        print(f"gluteal-bn: error: {error}", file=sys.stderr)
        return 1


#: Exit status when the reader of our output went away: 128 + SIGPIPE, as for `cat | head`.
BROKEN_PIPE = 141


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured in tests)
        pass


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="gluteal-bn",
        description="Exact reasoning about the causes of buttock pain "
        "(an educational model, not for clinical decisions).",
    )
    parser.add_argument("--version", action="version", version=f"gluteal-bn {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    query = commands.add_parser("query", help="prior and posterior of each cause given findings")
    query.add_argument(
        "evidence",
        nargs="*",
        metavar="NAME=STATE",
        help="observed states, e.g. fever=yes age=over_60",
    )
    query.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_common(query)
    query.set_defaults(run=_run_query)

    demo = commands.add_parser("demo", help="a worked teaching case: table and chart")
    _add_common(demo)
    demo.set_defaults(run=_run_demo, plot=None)

    _add_sensitivity_parser(commands)

    variables = commands.add_parser("variables", help="list every variable and its states")
    variables.add_argument("--data", metavar="FOLDER", help="model folder (default: bundled)")
    variables.add_argument(
        "--lang",
        choices=("en", "ru"),
        help="language of the labels (names and states stay as you type them)",
    )
    variables.set_defaults(run=_run_variables)
    _add_reasoning_commands(commands)
    _add_validate_parser(commands)

    # -- batch scoring (issue 3) --
    score = commands.add_parser(
        "score",
        help="P(cause present) for every case of a CSV or Parquet file, streamed",
        description="Score every case of CASES (.csv or .parquet) into OUT (.csv, or .parquet "
        "by extension). Empty cells and NA, N/A, NaN, null, #N/A (any case) mean 'not "
        "observed'. The output appears only when every row has been read.",
    )
    score.add_argument("cases", metavar="CASES", help="one column per observed variable")
    score.add_argument("-o", "--output", required=True, metavar="OUT", help="where to write")
    score.add_argument(
        "--errors",
        choices=("raise", "coerce", "report"),
        default="raise",
        help="a bad cell or impossible case: stop at the first (default), leave that row "
        "empty with the reason in column not_scored, or list every one and write nothing",
    )
    score.add_argument("--chunksize", type=int, default=100_000, metavar="N", help="rows at once")
    score.add_argument("--id", metavar="COLUMN", help="identifier column copied to the output")
    score.add_argument(
        "--keep",
        nargs="+",
        action="extend",
        default=[],
        metavar="COLUMN",
        help="further columns copied to the output as they are",
    )
    score.add_argument(
        "--no-escape",
        dest="escape",
        action="store_false",
        help="in CSV output, do not prefix ' to copied cells that start with = + - @ "
        "(escaped by default so that a spreadsheet does not run them as formulas)",
    )
    score.add_argument("--data", metavar="FOLDER", help="model folder (default: bundled)")
    score.set_defaults(run=_run_score)
    _add_evaluate_parser(commands)
    _add_report_parser(commands)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plot", metavar="FILE", help="save a bar chart (.png, .svg or .pdf)")
    parser.add_argument("--data", metavar="FOLDER", help="model folder (default: bundled)")
    parser.add_argument(
        "--lang",
        choices=("en", "ru"),
        help="language of tables and charts (default: $GLUTEAL_BN_LANG, else the locale); "
        "JSON keeps identifiers",
    )


def _run_query(args: argparse.Namespace) -> int:
    from .model import DISCLAIMER, load_model

    evidence = parse_assignments(args.evidence)
    _check_chart_path(args.plot)
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
        if not args.json:
            print(translation(args.lang).gettext("chart written to {path}").format(path=args.plot))
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from .model import DISCLAIMER, load_model

    chart = args.plot or DEMO_CHART
    _check_chart_path(chart)
    model = load_model(args.data)
    prior, posterior = model.prior(), model.posterior(DEMO_EVIDENCE)
    print(translation(args.lang).marked(DEMO_STORY), end="\n\n")
    t = translation(args.lang)
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
    print(translation(args.lang).marked(DISCLAIMER))
    return 0


def _run_variables(args: argparse.Namespace) -> int:
    from .model import load_model

    model = load_model(args.data)
    width = max(len(name) for name in model.variables)
    t = translation(args.lang)
    for variable in model.vocabulary:
        states = "|".join(variable.states)
        label = t.variable(model.vocabulary, variable.name)
        print(f"{variable.name:<{width}}  {variable.role:<11}  {states:<34}  {label}")
    return 0


def _run_score(args: argparse.Namespace) -> int:
    import signal

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        from .io.scoring import score_file
        from .model import load_model

        report = score_file(
            load_model(args.data),
            args.cases,
            args.output,
            errors=args.errors,
            chunksize=args.chunksize,
            id_column=args.id,
            keep=args.keep,
            escape_formulas=args.escape,
        )
    except (KeyboardInterrupt, _Terminated) as stop:
        why = "interrupted" if isinstance(stop, KeyboardInterrupt) else "terminated"
        print(f"gluteal-bn: {why}; nothing written, {args.cases} unchanged", file=sys.stderr)
        return 130 if why == "interrupted" else 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print(str(report), file=sys.stderr)
    return 0


class _Terminated(BaseException):
    """SIGTERM during ``score``: unwinds like Ctrl-C so temporary files are removed."""


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["fever=yes", ...]`` as a dict; EvidenceError for an item without exactly one '='."""
    evidence: dict[str, str] = {}
    for item in items:
        name, sep, state = item.partition("=")
        if not sep or not name or not state or "=" in state:
            raise EvidenceError(f"evidence {item!r} is not NAME=STATE, e.g. fever=yes")
        if name in evidence:
            raise EvidenceError(f"evidence names {name!r} twice ({name}={evidence[name]}, {item})")
        evidence[name] = state
    return evidence


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
    from .plotting.style import evidence_text

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


def _check_chart_path(path: str | None) -> None:
    if path is None:
        return
    suffix = Path(path).suffix.lower()
    if suffix not in CHART_FORMATS:
        raise UsageError(
            f"--plot {path!r}: unknown chart format {suffix or '(none)'!r}; "
            f"expected one of {', '.join(CHART_FORMATS)}"
        )
    folder = Path(path).parent
    if not folder.is_dir():
        raise UsageError(f"--plot {path!r}: folder {str(folder)!r} does not exist")


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
    from .plotting import plot_posterior
    from .plotting.style import evidence_text

    t = translation(language)
    title = (
        t.gettext("Given {evidence}").format(evidence=evidence_text(t, vocabulary, evidence))
        if evidence
        else None
    )
    save_figure(lambda: plot_posterior(prior, posterior, title=title, language=language), path)


# -- reasoning ---------------------------------------------------------------------------------


def _add_reasoning_commands(commands: argparse._SubParsersAction) -> None:
    ask = commands.add_parser(
        "ask", help="what to ask next: unobserved variables ranked by information gain"
    )
    ask.add_argument("evidence", nargs="*", metavar="NAME=STATE", help="observed states")
    ask.add_argument("--target", metavar="CAUSE", help="gain about this cause only")
    ask.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_common(ask)
    ask.set_defaults(run=_run_ask)

    explain = commands.add_parser(
        "explain", help="each observed item's share of a cause's log-odds (Shapley values)"
    )
    explain.add_argument("evidence", nargs="*", metavar="NAME=STATE", help="observed states")
    explain.add_argument("--cause", required=True, metavar="CAUSE", help="the cause to explain")
    explain.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_common(explain)
    explain.set_defaults(run=_run_explain)


def _run_ask(args: argparse.Namespace) -> int:
    from .model import load_model

    evidence = parse_assignments(args.evidence)
    _check_chart_path(args.plot)
    result = load_model(args.data).next_questions(evidence, args.target)
    _print_result(result, args.json, args.lang)
    if args.plot:
        from .plotting import plot_next_questions

        save_figure(lambda: plot_next_questions(result, language=args.lang), args.plot)
        if not args.json:
            print(translation(args.lang).gettext("chart written to {path}").format(path=args.plot))
    return 0


def _run_explain(args: argparse.Namespace) -> int:
    from .model import load_model

    evidence = parse_assignments(args.evidence)
    _check_chart_path(args.plot)
    result = load_model(args.data).explain(evidence, args.cause)
    _print_result(result, args.json, args.lang)
    if args.plot:
        from .plotting import plot_explanation

        save_figure(lambda: plot_explanation(result, language=args.lang), args.plot)
        if not args.json:
            print(translation(args.lang).gettext("chart written to {path}").format(path=args.plot))
    return 0


def _print_result(result: Any, as_json: bool, language: str | None = None) -> None:
    """A reasoning result as ``str(result)`` or ``result.to_dict()``, with the disclaimer."""
    from .model import DISCLAIMER

    if as_json:
        print(json.dumps(result.to_dict() | {"disclaimer": DISCLAIMER}, indent=2))
    else:
        print(result.to_text(language) if hasattr(result, "to_text") else result)
        print(translation(language).marked(DISCLAIMER))


def save_figure(draw, path: str) -> None:
    """Call ``draw()`` (which returns an Axes) and write its figure atomically."""
    import matplotlib

    matplotlib.use("Agg")  # the command line never opens a window
    import matplotlib.pyplot as plt

    from .io.atomic import atomic_path

    ax = draw()
    target = Path(path)
    try:
        with atomic_path(target, suffix=target.suffix) as temporary:
            ax.figure.savefig(temporary, dpi=150)
    finally:
        plt.close(ax.figure)


# -- parameters and learning --------------------------------------------------------------------


def _add_sensitivity_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "sensitivity",
        help="which numbers of the CSV files move a cause's posterior most (tornado)",
    )
    parser.add_argument("--cause", required=True, help="the cause whose posterior is studied")
    parser.add_argument(
        "evidence", nargs="*", metavar="NAME=STATE", help="observed states, e.g. fever=yes"
    )
    parser.add_argument(
        "--top", type=int, default=10, metavar="N", help="how many numbers to list (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_common(parser)
    parser.set_defaults(run=_run_sensitivity)


def _run_sensitivity(args: argparse.Namespace) -> int:
    from .model import load_model

    evidence = parse_assignments(args.evidence)
    _check_chart_path(args.plot)
    if args.top < 1:
        raise UsageError(f"--top {args.top}: expected a positive number of rows")
    model = load_model(args.data)
    table = model.sensitivity(evidence, args.cause)
    _print_result(table.top(args.top), args.json, args.lang)
    if args.plot:
        _save_sensitivity_chart(table, args.top, args.plot, args.lang)
        if not args.json:
            print(translation(args.lang).gettext("chart written to {path}").format(path=args.plot))
    return 0


def _save_sensitivity_chart(table: Any, top: int, path: str, language: str | None = None) -> None:
    """Draw the tornado chart and write it atomically (temporary file, then rename)."""
    from .plotting import plot_sensitivity

    save_figure(lambda: plot_sensitivity(table, top=top, language=language), path)


# -- the literature check (issue 9) ------------------------------------------------------------


def _add_validate_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "validate",
        help="the model's sensitivities, specificities and LRs beside published figures",
    )
    parser.add_argument(
        "--file", metavar="VALIDATION.csv", help="validation file (default: the model folder's)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_common(parser)
    parser.set_defaults(run=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from .model import DISCLAIMER, load_model

    _check_chart_path(args.plot)
    result = load_model(args.data).validate(args.file)
    if args.json:
        print(json.dumps({**result.to_dict(), "disclaimer": DISCLAIMER}, indent=2))
    else:
        print(result)
        print(DISCLAIMER)
    if args.plot:
        save_figure(result.plot, args.plot)
        if not args.json:
            print(f"chart written to {args.plot}")
    return 0


# -- evaluation on labelled cases (issue 12) ----------------------------------------------------


def _add_evaluate_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "evaluate", help="Brier score, log loss, AUC, calibration and accuracy on labelled cases"
    )
    parser.add_argument("cases", metavar="CASES.csv", help="evidence and truth columns")
    parser.add_argument(
        "--truth",
        nargs="+",
        required=True,
        metavar="COLUMN",
        help="columns holding the true state of a variable, named after it "
        "(or VARIABLE=COLUMN); blank cells mean unknown",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument(
        "--plot",
        metavar="PREFIX",
        help="write PREFIX-reliability.png, PREFIX-roc.png and PREFIX-confusion.png",
    )
    parser.add_argument("--n-boot", type=int, default=200, metavar="N", help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=None, help="seed of the bootstrap")
    parser.add_argument("--bins", type=int, default=10, help="bins of the reliability tables")
    parser.add_argument("--data", metavar="FOLDER", help="model folder (default: bundled)")
    parser.add_argument(
        "--lang",
        choices=("en", "ru"),
        help="language of tables and charts (JSON keeps identifiers)",
    )
    parser.set_defaults(run=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from .evaluation import evaluate
    from .io.case_table import read_case_table
    from .model import load_model

    if args.plot is not None:
        folder = Path(args.plot).parent
        if not folder.is_dir():
            raise UsageError(f"--plot {args.plot!r}: folder {str(folder)!r} does not exist")
    truth: dict[str, str] = {}
    for item in args.truth:
        variable, _, column = item.rpartition("=")
        truth[variable or column] = column
    model = load_model(args.data)
    result = evaluate(
        model,
        read_case_table(args.cases),
        truth,
        n_boot=args.n_boot,
        seed=args.seed,
        bins=args.bins,
    )
    print(json.dumps(result.to_dict(), indent=2) if args.json else result.to_text(args.lang))
    if args.plot is not None:
        from .plotting import plot_confusion, plot_reliability, plot_roc

        plots: dict[str, Callable[[Any], Any]] = {
            "reliability": plot_reliability,
            "roc": plot_roc,
        }
        if result.confusion is not None:
            plots["confusion"] = plot_confusion
        for name, draw in plots.items():
            save_figure(
                lambda draw=draw: draw(result, language=args.lang), f"{args.plot}-{name}.png"
            )
        paths = f"{args.plot}-{{{','.join(plots)}}}.png"
        print(
            translation(args.lang).gettext("charts written to {paths}").format(paths=paths),
            file=sys.stderr,
        )
    return 0


# -- the printable case report (issue 11) -------------------------------------------------------


def _add_report_parser(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="a printable case report: one self-contained HTML file"
    )
    report.add_argument(
        "evidence", nargs="*", metavar="NAME=STATE", help="observed states, e.g. fever=yes"
    )
    report.add_argument(
        "-o", "--output", required=True, metavar="CASE.html", help="the HTML file to write"
    )
    report.add_argument("--data", metavar="FOLDER", help="model folder (default: bundled)")
    report.add_argument(
        "--lang",
        choices=("en", "ru"),
        help="language of the report (default: $GLUTEAL_BN_LANG, else the locale)",
    )
    report.set_defaults(run=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from .model import load_model
    from .report import write_case_report

    evidence = parse_assignments(args.evidence)
    if not str(args.output).lower().endswith((".html", ".htm")):
        raise UsageError(f"report file {args.output!r} must end in .html or .htm")
    model = load_model(args.data)
    path = write_case_report(model, evidence, args.output, language=args.lang)
    print(translation(args.lang).gettext("case report written to {path}").format(path=path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
