"""Store faults: runs starting together on a new store, and a read-only, corrupt
or full store, each reported in one line with exit code 3 (not 1, which means
some documents failed)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import spinlens.store_open
from spinlens.cli import main
from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.store import Store
from spinlens.store_errors import STORE_EXIT

PYTHON = sys.executable
SPINLENS = str(Path(sys.executable).parent / "spinlens")
TEXT = "The port of Veldhaven stayed shut, said Marta Kolar of the union."
RACE = """
import sys, time
from spinlens.model import Article
from spinlens.store import Store
start = float(sys.argv[2])
while time.time() < start:
    pass
Store(sys.argv[1]).save([Article(sys.argv[3], "Port strike, day " + sys.argv[3])])
"""


def one_line_error(result, needle: str) -> None:
    assert result.exit_code == STORE_EXIT, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: store ")]
    assert len(errors) == 1 and result.stderr.strip().endswith(errors[0]), result.stderr
    assert needle in errors[0]
    assert "Traceback" not in result.stderr


def test_runs_starting_together_on_a_new_store_all_work(tmp_path):
    for trial in range(3):
        db = f"sqlite:///{tmp_path / f'new-{trial}.db'}"
        start = str(time.time() + 2.5)  # past the imports, so they really start together
        runs = [
            subprocess.Popen([PYTHON, "-c", RACE, db, start, f"a{n}"], stderr=subprocess.PIPE)
            for n in range(4)
        ]
        errors = [run.communicate(timeout=120)[1].decode() for run in runs]
        assert [run.returncode for run in runs] == [0] * 4, errors
        assert Store(db).count() == 4


def test_a_corrupt_store_is_one_line_and_exit_3(tmp_path):
    db = tmp_path / "garbage.db"
    db.write_bytes(os.urandom(8192))
    result = CliRunner().invoke(main, ["search", "port", "--db", f"sqlite:///{db}"])
    one_line_error(result, "not a SQLite database")


def test_a_full_disk_is_one_line_and_exit_3(tmp_path, monkeypatch):
    db = tmp_path / "full.db"
    Store(f"sqlite:///{db}").close()
    tune = spinlens.store.tune_sqlite

    def no_room(connection, record):  # the file may not grow by a single page
        tune(connection, record)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr("spinlens.store.tune_sqlite", no_room)
    monkeypatch.setattr("spinlens.workers.build_pipeline", lambda *a, **k: Pipeline([]))
    story = tmp_path / "story.txt"
    story.write_text(TEXT * 200, encoding="utf-8")
    args = ["analyze", str(story), "--db", f"sqlite:///{db}", "-o", os.devnull]
    one_line_error(CliRunner().invoke(main, args), "disk holding the store is full")


def test_a_store_locked_too_long_is_one_line_and_exit_3(tmp_path, monkeypatch):
    db = tmp_path / "busy.db"
    Store(f"sqlite:///{db}").close()
    monkeypatch.setattr("spinlens.store_open.BUSY_SECONDS", 0.2)
    monkeypatch.setattr("spinlens.workers.build_pipeline", lambda *a, **k: Pipeline([]))
    story = tmp_path / "story.txt"
    story.write_text(TEXT, encoding="utf-8")
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, and writing, and writing
    try:
        args = ["analyze", str(story), "--db", f"sqlite:///{db}", "-o", os.devnull]
        one_line_error(CliRunner().invoke(main, args), "the store is busy")
    finally:
        holder.rollback()
        holder.close()


def test_an_unwritable_folder_for_a_new_store_is_one_line_and_exit_3(tmp_path, monkeypatch):
    monkeypatch.setattr("spinlens.store_open.writable", lambda path: False)
    result = CliRunner().invoke(main, ["search", "port", "--db", f"sqlite:///{tmp_path}/n.db"])
    one_line_error(result, "is not writable")


@pytest.fixture
def read_only_store():
    """A stored article in a read-only file in a read-only folder that other users
    can reach (the commands run as `nobody` when the tests run as root, for whom
    file modes mean nothing)."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv")
    folder = Path(tempfile.mkdtemp(prefix="spinlens-ro-"))
    db = folder / "store.db"
    with_articles = Store(f"sqlite:///{db}")
    with_articles.save([Article("harbour", TEXT, title="Port strike")])
    with_articles.close()
    db.chmod(0o444)
    folder.chmod(0o555)
    yield db
    folder.chmod(0o755)
    shutil.rmtree(folder)


def as_other_user(*args: str) -> subprocess.CompletedProcess[str]:
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    command = [*(prefix if os.geteuid() == 0 else []), SPINLENS, *args]
    nowhere = "/tmp/spinlens-ro-absent"
    env = dict(os.environ, HOME=nowhere, XDG_CONFIG_HOME=nowhere, XDG_DATA_HOME=nowhere)
    env["SPINLENS_CONFIG"] = f"{nowhere}/config.toml"
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_a_read_only_store_can_be_searched_shown_and_exported(read_only_store, tmp_path):
    db = f"sqlite:///{read_only_store}"
    before = read_only_store.read_bytes()
    search = as_other_user("search", "port", "--db", db)
    assert search.returncode == 0, search.stderr
    assert search.stdout.startswith("harbour\t")
    show = as_other_user("show", "harbour", "--db", db)
    assert show.returncode == 0, show.stderr
    assert '"title": "Port strike"' in show.stdout
    out = Path(tempfile.mkdtemp(prefix="spinlens-ro-out-"))
    out.chmod(0o777)
    export = as_other_user("export", "--db", db, "-o", str(out / "all.jsonl"))
    assert export.returncode == 0, export.stderr
    assert len((out / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    shutil.rmtree(out)
    assert read_only_store.read_bytes() == before
    assert sorted(p.name for p in read_only_store.parent.iterdir()) == ["store.db"]
    assert not stat.S_IMODE(read_only_store.stat().st_mode) & 0o222


def test_a_read_only_store_refuses_to_analyse_in_one_line(read_only_store, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(TEXT, encoding="utf-8")
    story.chmod(0o644)
    tmp_path.chmod(0o755)
    run = as_other_user(
        "analyze", str(story), "--db", f"sqlite:///{read_only_store}", "-o", os.devnull
    )
    assert run.returncode == STORE_EXIT, run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("error: store ")
    assert "read-only" in run.stderr
