"""What the commands share: evidence arguments, printing a result, writing a chart.

A reasoning command is four steps, written once here: read ``NAME=STATE`` items and check the
chart path (:func:`read_evidence`), ask the Python API, print ``str(result)`` or
``result.to_dict()`` with the disclaimer (:func:`print_result`), and save the chart atomically
when ``--plot`` asks for one (:func:`write_chart`). Nothing here imports matplotlib or the model
until a command runs.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..errors import EvidenceError
from ..i18n import translation

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CHART_FORMATS",
    "UsageError",
    "add_common",
    "add_data_and_language",
    "add_tool",
    "check_chart_path",
    "check_folder",
    "finish_tool",
    "parse_assignments",
    "present",
    "print_result",
    "read_evidence",
    "save_figure",
    "say_chart_written",
    "write_chart",
]

CHART_FORMATS = (".png", ".svg", ".pdf")

#: A drawing: called once, returns the Axes whose figure is written.
Draw = Callable[[], "Axes"]


class UsageError(ValueError):
    """A command-line argument the library itself would not see (e.g. a chart format)."""


# -- the parser ----------------------------------------------------------------------------------


def add_common(parser: argparse.ArgumentParser) -> None:
    """Add ``--plot FILE``, ``--data FOLDER`` and ``--lang`` to a command."""
    parser.add_argument("--plot", metavar="FILE", help="save a bar chart (.png, .svg or .pdf)")
    add_data_and_language(
        parser,
        "language of tables and charts (default: $GLUTEAL_BN_LANG, else the locale); "
        "JSON keeps identifiers",
    )


def add_data_and_language(parser: argparse.ArgumentParser, language: str | None) -> None:
    """Add ``--data FOLDER`` and, with its help text ``language``, ``--lang``."""
    parser.add_argument("--data", metavar="FOLDER", help="model folder (default: bundled)")
    if language is not None:
        parser.add_argument("--lang", choices=("en", "ru"), help=language)


def add_tool(
    commands: Any, name: str, help: str, *, evidence: str | None = "observed states"
) -> argparse.ArgumentParser:
    """A command that prints a result: ``NAME=STATE...`` (unless ``evidence`` is None).

    Add the command's own options to the returned parser, then call :func:`finish_tool`.
    """
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help)
    if evidence is not None:
        parser.add_argument("evidence", nargs="*", metavar="NAME=STATE", help=evidence)
    return parser


def finish_tool(parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace], int]) -> None:
    """Add ``--json`` and :func:`add_common`'s options; ``run`` carries out the command."""
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_common(parser)
    parser.set_defaults(run=run)


# -- reading the arguments -----------------------------------------------------------------------


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


def read_evidence(args: argparse.Namespace) -> dict[str, str]:
    """The command's ``NAME=STATE`` items, after checking its ``--plot`` path."""
    evidence = parse_assignments(args.evidence)
    check_chart_path(args.plot)
    return evidence


def check_chart_path(path: str | None) -> None:
    """UsageError unless ``path`` (if any) has a chart format and an existing folder."""
    if path is None:
        return
    suffix = Path(path).suffix.lower()
    if suffix not in CHART_FORMATS:
        raise UsageError(
            f"--plot {path!r}: unknown chart format {suffix or '(none)'!r}; "
            f"expected one of {', '.join(CHART_FORMATS)}"
        )
    check_folder(path)


def check_folder(path: str) -> None:
    """UsageError unless the folder that would hold ``--plot``'s file(s) exists."""
    folder = Path(path).parent
    if not folder.is_dir():
        raise UsageError(f"--plot {path!r}: folder {str(folder)!r} does not exist")


# -- printing and charts -------------------------------------------------------------------------


def present(
    args: argparse.Namespace, result: Any, draw: Draw, *, language: str | None = None
) -> int:
    """Print a result (:func:`print_result`), write its chart (:func:`write_chart`); status 0.

    ``language`` overrides ``--lang`` (for a result that has no translation).
    """
    language = args.lang if language is None else language
    print_result(result, args.json, language)
    write_chart(args, draw, language)
    return 0


def print_result(result: Any, as_json: bool, language: str | None = None) -> None:
    """A reasoning result as ``str(result)`` or ``result.to_dict()``, with the disclaimer."""
    from ..model import DISCLAIMER

    if as_json:
        print(json.dumps(result.to_dict() | {"disclaimer": DISCLAIMER}, indent=2))
    else:
        print(result.to_text(language) if hasattr(result, "to_text") else result)
        print(translation(language).marked(DISCLAIMER))


def write_chart(args: argparse.Namespace, draw: Draw, language: str | None = None) -> None:
    """When ``--plot`` names a file: write ``draw()``'s figure there and say so."""
    if args.plot:
        save_figure(draw, args.plot)
        say_chart_written(args, language)


def say_chart_written(args: argparse.Namespace, language: str | None = None) -> None:
    """``chart written to FILE`` on stdout, unless the output is JSON."""
    if not args.json:
        message = translation(language or args.lang).gettext("chart written to {path}")
        print(message.format(path=args.plot))


def save_figure(draw: Draw, path: str) -> None:
    """Call ``draw()`` (which returns an Axes) and write its figure atomically."""
    import matplotlib

    matplotlib.use("Agg")  # the command line never opens a window
    import matplotlib.pyplot as plt

    from ..io.atomic import atomic_path

    figure = cast("Figure", draw().figure)
    target = Path(path)
    try:
        with atomic_path(target, suffix=target.suffix) as temporary:
            figure.savefig(temporary, dpi=150)
    finally:
        plt.close(figure)
