"""The commands that read or write whole files: ``score``, ``evaluate`` and ``report``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

from ..i18n import translation
from .common import (
    UsageError,
    add_data_and_language,
    check_folder,
    parse_assignments,
    save_figure,
)

__all__ = ["add_evaluate", "add_report", "add_score"]


# -- batch scoring (issue 3) ---------------------------------------------------------------------


def add_score(commands: Any) -> None:
    """``score``: P(cause present) for every case of a CSV or Parquet file, streamed."""
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
    add_data_and_language(score, None)
    score.set_defaults(run=_run_score)


def _run_score(args: argparse.Namespace) -> int:
    import signal

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        from ..io.scoring import score_file
        from ..model import load_model

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


# -- evaluation on labelled cases (issue 12) -----------------------------------------------------


def add_evaluate(commands: Any) -> None:
    """``evaluate``: Brier score, log loss, AUC, calibration and accuracy on labelled cases."""
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
    add_data_and_language(parser, "language of tables and charts (JSON keeps identifiers)")
    parser.set_defaults(run=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from ..evaluation import evaluate
    from ..io.case_table import read_case_table
    from ..model import load_model

    if args.plot is not None:
        check_folder(args.plot)
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
        from ..plotting import plot_confusion, plot_reliability, plot_roc

        plots: dict[str, Callable[..., Any]] = {"reliability": plot_reliability, "roc": plot_roc}
        if result.confusion is not None:
            plots["confusion"] = plot_confusion
        for name, draw in plots.items():
            save_figure(partial(draw, result, language=args.lang), f"{args.plot}-{name}.png")
        paths = f"{args.plot}-{{{','.join(plots)}}}.png"
        print(
            translation(args.lang).gettext("charts written to {paths}").format(paths=paths),
            file=sys.stderr,
        )
    return 0


# -- the printable case report (issue 11) --------------------------------------------------------


def add_report(commands: Any) -> None:
    """``report``: a printable case report, one self-contained HTML file."""
    report = commands.add_parser(
        "report", help="a printable case report: one self-contained HTML file"
    )
    report.add_argument(
        "evidence", nargs="*", metavar="NAME=STATE", help="observed states, e.g. fever=yes"
    )
    report.add_argument(
        "-o", "--output", required=True, metavar="CASE.html", help="the HTML file to write"
    )
    add_data_and_language(
        report, "language of the report (default: $GLUTEAL_BN_LANG, else the locale)"
    )
    report.set_defaults(run=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from ..model import load_model
    from ..report import write_case_report

    evidence = parse_assignments(args.evidence)
    if not str(args.output).lower().endswith((".html", ".htm")):
        raise UsageError(f"report file {args.output!r} must end in .html or .htm")
    model = load_model(args.data)
    path = write_case_report(model, evidence, args.output, language=args.lang)
    print(translation(args.lang).gettext("case report written to {path}").format(path=path))
    return 0
