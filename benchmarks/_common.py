"""Helpers shared by the benchmark scripts: the shared corpus, timed child processes,
the marks of a layer."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spinlens.model import Article, Claim, Quote, Technique
from spinlens.pipeline import Pipeline
from spinlens.pipeline.factory import build_pipeline

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("SPINLENS_SHARED_DATA", REPO.parent / "shared" / "data"))


def require_shared(relative: str) -> Path:
    """The shared data folder, or a clean exit saying it is missing."""
    path = SHARED_DATA / relative
    if not path.exists():
        print(f"skipped: {path} not found (this benchmark needs ../shared/data)")
        sys.exit(0)
    return path


Mark = tuple[int, int, str]
"""(start, end, label) of one mark of a layer."""
MARKS: dict[str, Callable[[Article], set[Mark]]] = {
    "techniques": lambda a: {(t.start, t.end, t.technique) for t in a.spans(Technique)},
    "quotes": lambda a: {(q.content.start, q.content.end, q.kind) for q in a.spans(Quote)},
    "claims": lambda a: {(c.start, c.end, "claim") for c in a.spans(Claim)},
}
"""What a mark is, per layer: a technique span; an attribution's content and kind; a
claim sentence."""
HEADS = ("techniques", "quotes", "claims")
MODELS = REPO / "src" / "spinlens" / "models"
MODEL_OF = {"techniques": "techniques", "quotes": "attribution", "claims": "claims"}
"""The model folder behind each layer's marks."""


def layer_pipeline(layer: str) -> Pipeline:
    """The default pipeline without the heads the layer does not need (claims read
    speakers from quotes, which their marks leave out)."""
    return build_pipeline(without=tuple(h for h in HEADS if h != layer))


def record(layer: str, key: str, lines: list[str]) -> None:
    """Keep a benchmark's tables under `key` in the training.json of the layer's model,
    for its card (training/card_*.py write them there)."""
    path = MODELS / MODEL_OF[layer] / "training.json"
    info = json.loads(path.read_text(encoding="utf-8"))
    info[key] = lines
    path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


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


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        kb = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")]
        rss[pid] = int(kb[0]) if kb else 0
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree) / 1024


def run_tree(argv: list[str], interval: float = 0.5) -> Run:
    """Run a command; its wall time and the peak summed memory of its process tree
    (the command and every worker it starts), sampled every `interval` seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, tree_rss_mb(proc.pid))
        time.sleep(interval)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[:3]} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return Run(seconds, peak)
