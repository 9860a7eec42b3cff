"""Helpers shared by the benchmark scripts: the shared corpus, timed child processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("SPINLENS_SHARED_DATA", REPO.parent / "shared" / "data"))


def require_shared(relative: str) -> Path:
    """The shared data folder, or a clean exit saying it is missing."""
    path = SHARED_DATA / relative
    if not path.exists():
        print(f"skipped: {path} not found (this benchmark needs ../shared/data)")
        sys.exit(0)
    return path


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float


def run_child(argv: list[str]) -> Run:
    """Run a command; its wall time and peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{argv[:3]} failed ({status}):\n{stderr[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def median(values: list[float]) -> float:
    return statistics.median(values)
