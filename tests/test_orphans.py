"""Worker processes end with `spinlens analyze`, even when it is killed with -9."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SPINLENS = str(Path(sys.executable).parent / "spinlens")
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def parent_of(pid: int) -> tuple[int, str] | None:
    """(parent id, state) of a live process; None when it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = stat.rpartition(")")[2].split()[:2]
    return None if state in ("Z", "X") else (int(ppid), state)


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := parent_of(int(entry.name))):
            children.setdefault(found[0], []).append(int(entry.name))
    out, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def test_workers_and_resource_tracker_end_within_10_s_of_kill_9(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(2000):
        (inputs / f"{n:04d}.txt").write_text(f"Story {n}: the port stayed shut.\n")
    out = tmp_path / "out.jsonl"
    args = [SPINLENS, "analyze", str(inputs), "--workers", "2", "--batch-size", "1"]
    args += ["--no-store", "-o", str(out), "--without", "techniques", "--without", "claims"]
    proc = subprocess.Popen(args, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not (out.exists() and out.stat().st_size):
            assert proc.poll() is None, "analyze ended before it could be killed"
            time.sleep(0.1)
        family = descendants(proc.pid)
        assert len(family) >= 3  # two workers and the resource tracker
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(parent_of(pid) for pid in family):
        time.sleep(0.1)
    assert not [pid for pid in family if parent_of(pid)]


def test_a_worker_whose_parent_is_already_gone_ends_at_once():
    code = "import sys; from spinlens.lifeline import exit_with_parent as e; e(int(sys.argv[1]))"
    assert subprocess.run([sys.executable, "-c", code, "1"], timeout=60).returncode == 1


def test_the_watchdog_ends_a_process_when_its_parent_changes():
    code = "import sys; from spinlens.lifeline import watch; watch(int(sys.argv[1]), 0.05)"
    assert subprocess.run([sys.executable, "-c", code, "1"], timeout=60).returncode == 1
