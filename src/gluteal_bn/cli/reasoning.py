"""The reasoning commands: ``ask``, ``explain``, ``sensitivity`` and ``validate``.

Each asks the Python API for a result object and hands it to :func:`~.common.present`, which
prints ``str(result)`` (or ``to_dict()`` with ``--json``) and writes the chart.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .common import UsageError, add_tool, check_chart_path, finish_tool, present, read_evidence

if TYPE_CHECKING:
    from ..model import DiagnosticModel

__all__ = ["add_reasoning_commands", "add_sensitivity", "add_validate"]


def add_sensitivity(commands: Any) -> None:
    """``sensitivity``: the numbers of the CSV files that move a cause's posterior most."""
    parser = add_tool(
        commands,
        "sensitivity",
        "which numbers of the CSV files move a cause's posterior most (tornado)",
        evidence="observed states, e.g. fever=yes",
    )
    parser.add_argument("--cause", required=True, help="the cause whose posterior is studied")
    parser.add_argument(
        "--top", type=int, default=10, metavar="N", help="how many numbers to list (default 10)"
    )
    finish_tool(parser, _run_sensitivity)


def add_reasoning_commands(commands: Any) -> None:
    """``ask`` and ``explain``."""
    ask = add_tool(
        commands, "ask", "what to ask next: unobserved variables ranked by information gain"
    )
    ask.add_argument("--target", metavar="CAUSE", help="gain about this cause only")
    finish_tool(ask, _run_ask)

    explain = add_tool(
        commands, "explain", "each observed item's share of a cause's log-odds (Shapley values)"
    )
    explain.add_argument("--cause", required=True, metavar="CAUSE", help="the cause to explain")
    finish_tool(explain, _run_explain)


def add_validate(commands: Any) -> None:
    """``validate``: the literature check."""
    parser = add_tool(
        commands,
        "validate",
        "the model's sensitivities, specificities and LRs beside published figures",
        evidence=None,
    )
    parser.add_argument(
        "--file", metavar="VALIDATION.csv", help="validation file (default: the model folder's)"
    )
    finish_tool(parser, _run_validate)


def _run_ask(args: argparse.Namespace) -> int:
    evidence = read_evidence(args)
    return _answer(
        args, lambda model: model.next_questions(evidence, args.target), "plot_next_questions"
    )


def _run_explain(args: argparse.Namespace) -> int:
    evidence = read_evidence(args)
    return _answer(args, lambda model: model.explain(evidence, args.cause), "plot_explanation")


def _run_sensitivity(args: argparse.Namespace) -> int:
    evidence = read_evidence(args)
    if args.top < 1:
        raise UsageError(f"--top {args.top}: expected a positive number of rows")
    return _answer(
        args,
        lambda model: model.sensitivity(evidence, args.cause),
        "plot_sensitivity",
        shown=lambda table: table.top(args.top),
        top=args.top,
    )


def _answer(
    args: argparse.Namespace,
    ask: Callable[[DiagnosticModel], Any],
    plot: str,
    *,
    shown: Callable[[Any], Any] | None = None,
    **plot_options: Any,
) -> int:
    """Ask the model (``--data``), print the result (or ``shown(result)``), draw its chart.

    ``plot`` names the function of :mod:`gluteal_bn.plotting` that draws the whole result,
    imported only when ``--plot`` asks for a chart.
    """
    from ..model import load_model

    result = ask(load_model(args.data))

    def draw() -> Any:
        from .. import plotting

        return getattr(plotting, plot)(result, language=args.lang, **plot_options)

    return present(args, result if shown is None else shown(result), draw)


def _run_validate(args: argparse.Namespace) -> int:
    from ..model import load_model

    check_chart_path(args.plot)
    result = load_model(args.data).validate(args.file)
    return present(args, result, lambda: result.plot(language=args.lang))
