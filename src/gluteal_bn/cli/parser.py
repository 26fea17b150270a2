"""The ``gluteal-bn`` argument parser: one sub-command per API call, grouped by family.

``_parser`` is the name the documentation's argparse page renders (``docs/cli.md``).
"""

from __future__ import annotations

import argparse

from .files import add_evaluate, add_report, add_score
from .query import add_query_commands, add_variables
from .reasoning import add_reasoning_commands, add_sensitivity, add_validate

__all__ = ["_parser"]


def _parser() -> argparse.ArgumentParser:
    """The parser of every command; each sets ``run``, the function that carries it out."""
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="gluteal-bn",
        description="Exact reasoning about the causes of buttock pain "
        "(an educational model, not for clinical decisions).",
    )
    parser.add_argument("--version", action="version", version=f"gluteal-bn {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    # the order of the help's command list
    add_query_commands(commands)  # query, demo
    add_sensitivity(commands)
    add_variables(commands)
    add_reasoning_commands(commands)  # ask, explain
    add_validate(commands)
    add_score(commands)
    add_evaluate(commands)
    add_report(commands)
    return parser
