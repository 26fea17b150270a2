"""Start-up: `import gluteal_bn` and `gluteal-bn query` against `import numpy, pandas`.

    python benchmarks/startup.py [--runs N]

Each command runs in a fresh interpreter; the script prints medians and ratios, and whether
pgmpy or matplotlib were imported (they must not be).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import machine


def median_run(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    python = sys.executable
    beside = Path(python).with_name("gluteal-bn")
    cli = str(beside) if beside.exists() else shutil.which("gluteal-bn")
    commands = {
        "python -c 'import numpy, pandas'": [python, "-c", "import numpy, pandas"],
        "python -c 'import gluteal_bn'": [python, "-c", "import gluteal_bn"],
        "gluteal-bn query fever=yes age=over_60": [cli, "query", "fever=yes", "age=over_60"],
    }
    print(f"start-up, median of {args.runs} runs ({machine()})")
    times = {name: median_run(command, args.runs) for name, command in commands.items()}
    baseline = times["python -c 'import numpy, pandas'"]
    for name, seconds in times.items():
        print(f"  {name:<42} {seconds * 1e3:7.0f} ms  ({seconds / baseline:4.2f}x numpy+pandas)")
    probe = (
        "import sys; from gluteal_bn.cli import main; main(['query', 'fever=yes']); "
        "print('heavy modules imported:', [m for m in ('pgmpy', 'matplotlib') if m in sys.modules])"
    )
    done = subprocess.run([python, "-c", probe], check=True, capture_output=True, text=True)
    print("  " + done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
