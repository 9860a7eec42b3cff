"""Batches in worker processes, resuming after a crash, and the failures file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from spinlens.cli import main

SPINLENS = str(Path(sys.executable).parent / "spinlens")
STORY = (
    "Port strike enters day {n}\n\n"
    "The port of Veldhaven stayed shut for the {n}th day, said Marta Kolar of the union. "
    "Transport minister Daniel Okafor told parliament that 1,200 containers were stuck.\n"
)


def corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"story-{n:03d}.txt").write_text(STORY.format(n=n + 1), encoding="utf-8")
    return folder


def analyze(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SPINLENS, "analyze", *args], capture_output=True, text=True, env=env, timeout=300
    )


def stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("select count(*) from articles").fetchone()[0])


def stored_so_far(db: Path) -> int:
    """Articles stored by a run still going: 0 until the store has its tables."""
    try:
        return stored(db) if db.exists() else 0
    except sqlite3.OperationalError:  # the file exists, its schema is not committed yet
        return 0


def test_two_workers_give_the_same_results_as_one(tmp_path):
    inputs = corpus(tmp_path / "in", 5)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        options = ["--workers", workers, "--batch-size", "2", "--no-store", "-o", str(out)]
        result = analyze(str(inputs), *options)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == 5


def test_kill_9_loses_at_most_the_batch_in_flight_and_a_rerun_resumes(tmp_path):
    inputs = corpus(tmp_path / "in", 60)
    db = tmp_path / "store.db"
    args = [str(inputs), "--db", f"sqlite:///{db}", "-o", os.devnull, "--batch-size", "2"]
    args += ["--workers", "1", "--without", "techniques", "--without", "claims"]
    proc = subprocess.Popen([SPINLENS, "analyze", *args], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and stored_so_far(db) < 4:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    before = stored(db)
    assert 4 <= before < 60
    assert before % 2 == 0  # whole batches only
    rerun = analyze(*args)
    assert rerun.returncode == 0, rerun.stderr
    assert f"analysed {60 - before} · skipped as duplicate {before}" in rerun.stderr
    assert stored(db) == 60


def test_failures_file_lists_each_failed_document(tmp_path, monkeypatch, pipeline):
    monkeypatch.setattr("spinlens.workers.build_pipeline", lambda *args, **kwargs: pipeline)
    inputs = corpus(tmp_path / "in", 2)
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    (inputs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    failures = tmp_path / "failures.tsv"
    result = CliRunner().invoke(
        main, ["analyze", str(inputs), "--no-store", "-o", os.devnull, "--failures", str(failures)]
    )
    assert result.exit_code == 1
    lines = failures.read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("\t")[0] for line in lines) == [
        str(inputs / "empty.txt"),
        str(inputs / "image.png"),
    ]
    assert all(line.split("\t")[1] for line in lines)
    assert "all failures are listed in" in result.stderr


def test_ray_engine_gives_the_same_results_as_the_local_engine(tmp_path):
    inputs = corpus(tmp_path / "in", 4)
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    local, ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    db = f"sqlite:///{tmp_path / 'ray.db'}"
    first = analyze(str(inputs), "--workers", "1", "--no-store", "-o", str(local))
    options = ["--engine", "ray", "--workers", "2", "--batch-size", "2", "--db", db]
    second = analyze(str(inputs), *options, "-o", str(ray))
    assert (first.returncode, second.returncode) == (1, 1), second.stderr
    assert local.read_text(encoding="utf-8") == ray.read_text(encoding="utf-8")
    assert "analysed 4 · skipped as duplicate 0 · failed 1" in second.stderr
    assert stored(tmp_path / "ray.db") == 4
