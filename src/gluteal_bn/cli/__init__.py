"""The ``gluteal-bn`` command: a thin shell over the Python API (it holds no logic of its own).

    gluteal-bn query fever=yes local_redness_swelling=yes [--json] [--plot FILE]
    gluteal-bn demo [--plot FILE]
    gluteal-bn variables
    gluteal-bn ask fever=yes [--target CAUSE] [--json] [--plot FILE]
    gluteal-bn explain --cause local_infection fever=yes [--json] [--plot FILE]
    gluteal-bn sensitivity --cause local_infection fever=yes [--top N] [--json] [--plot FILE]
    gluteal-bn validate [--file VALIDATION.csv] [--json] [--plot FILE]
    gluteal-bn score cases.csv -o posteriors.csv [--errors raise|coerce|report] [--id COLUMN]
                     [--keep COLUMN...] [--no-escape] [--chunksize N]   (.parquet in/out too)
    gluteal-bn evaluate cases.csv --truth COLUMN... [--json] [--plot PREFIX] [--n-boot N]
    gluteal-bn report fever=yes local_redness_swelling=yes -o case.html

Problems with the input print one line on stderr and exit with status 2; nothing is written.

The package: :mod:`~gluteal_bn.cli.parser` builds the argument parser from the command
families (:mod:`~gluteal_bn.cli.query`: query, demo, variables; :mod:`~gluteal_bn.cli.reasoning`:
ask, explain, sensitivity, validate; :mod:`~gluteal_bn.cli.files`: score, evaluate, report),
which share :mod:`~gluteal_bn.cli.common` (evidence arguments, printing a result, charts).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from ..errors import DataError, EvidenceError
from .common import UsageError as UsageError
from .common import parse_assignments as parse_assignments
from .common import save_figure as save_figure
from .parser import _parser as _parser
from .query import DEMO_EVIDENCE as DEMO_EVIDENCE
from .query import format_table as format_table
from .query import save_chart as save_chart

__all__ = ["main"]

#: Exit status when the reader of our output went away: 128 + SIGPIPE, as for `cat | head`.
BROKEN_PIPE = 141


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


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured in tests)
        pass
