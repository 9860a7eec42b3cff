"""Start-up time of the command line: wall time of `spinlens --help` and
`spinlens analyze --help`, each a whole process. Usage:

    .venv/bin/python benchmarks/bench_startup.py [--runs 5]

The commands run alternately; prints a Markdown table of median and fastest seconds.
Bar (issue #15): median of `spinlens --help` at most 0.5 s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _common import median, run_child

COMMANDS = (["--help"], ["analyze", "--help"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    spinlens = str(Path(sys.executable).parent / "spinlens")
    seconds: dict[str, list[float]] = {" ".join(command): [] for command in COMMANDS}
    for _ in range(args.runs):
        for command in COMMANDS:
            seconds[" ".join(command)].append(run_child([spinlens, *command]).seconds)
    print(f"| command | median s ({args.runs} runs) | fastest s |")
    print("|---|---:|---:|")
    for command, times in seconds.items():
        print(f"| `spinlens {command}` | {median(times):.2f} | {min(times):.2f} |")


if __name__ == "__main__":
    main()
