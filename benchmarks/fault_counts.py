"""Count what the fault suite finds: inputs tried per category and how each ended.

    python benchmarks/fault_counts.py [--examples 300] [--mutants 400] [--kills 10]

Categories: every public call fed Hypothesis-generated arguments (valid, wrong and junk
evidence, soft evidence, options, paths), the data files each mutated at random (a line
deleted, duplicated or swapped, a cell blanked, swapped or replaced by junk, the file cut short,
bad bytes, an open quote), and saves killed at every step and at random moments. Columns: a
sane answer; a clear error (the library's own DataError / EvidenceError / ArgumentError); a
stray exception (anything else, or a warning from a dependency); a silent wrong answer (NaN, a
probability outside [0, 1], a distribution not summing to one, a mixed model folder); data lost.
The goal is zero in the last three. The ``score`` command's faults are counted by its own suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import faults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="inputs per public call")
    parser.add_argument("--mutants", type=int, default=400, help="mutated folders in all")
    parser.add_argument("--kills", type=int, default=10, help="saves killed at random moments")
    args = parser.parse_args()
    start = time.perf_counter()
    tallies = []
    with tempfile.TemporaryDirectory() as root:
        os.chdir(root)  # save() with a generated relative path writes here
        for category in faults.FUZZERS:
            tallies.append(faults.fuzz(category, args.examples))
        tallies += faults.mutate_data_files(Path(root) / "mutants", args.mutants, seed=1).values()
        (Path(root) / "kills").mkdir()
        tallies.append(faults.save_kills(Path(root) / "kills", random_kills=args.kills, seed=1))
    total = faults.Tally("total")
    width = max(len(t.category) for t in tallies)
    print(f"{'category':<{width}}  tried  answer  clear  stray  wrong  lost")
    for tally in tallies:
        total.add(tally)
        print(
            f"{tally.category:<{width}}  {tally.tried:5d}  {tally.answered:6d}  {tally.clear:5d}"
            f"  {tally.stray:5d}  {tally.wrong:5d}  {tally.lost:4d}"
        )
    print(
        f"{'total':<{width}}  {total.tried:5d}  {total.answered:6d}  {total.clear:5d}"
        f"  {total.stray:5d}  {total.wrong:5d}  {total.lost:4d}"
    )
    for detail in total.details:
        print("  ", detail)
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
