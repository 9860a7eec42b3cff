"""The workspace's analysis queue: bounded (503 with Retry-After when full), apart
from reads, persisted in the store across a restart, and leaving no temp files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.store import Store
from spinlens.web.analysis import new_folder
from spinlens.web.app import create_app


class Gated(Pipeline):
    """An empty pipeline that waits for its gate before each batch."""

    def __init__(self, gate: threading.Event):
        super().__init__([])
        self.gate = gate

    def __call__(self, articles):
        assert self.gate.wait(60), "the test never opened the gate"
        return super().__call__(articles)


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield store
    store.close()


def app_over(store: Store, gate: threading.Event, **options):
    return create_app(store, pipeline_factory=lambda: Gated(gate), token=None, **options)


def batch(client: TestClient, *ids: str):
    return client.post(
        "/api/jobs", json={"articles": [{"id": i, "text": f"Story {i}."} for i in ids]}
    )


def wait_for(client: TestClient, job_id: str, states=("done", "failed")) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in states:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} is still {job['state']}")


def test_a_full_queue_answers_503_with_retry_after_and_reads_go_on(store):
    gate = threading.Event()
    with TestClient(app_over(store, gate, max_queue=1)) as client:
        first = batch(client, "a1").json()["id"]
        wait_for(client, first, ("running",))
        assert batch(client, "b1").status_code == 202  # waits in the queue
        full = batch(client, "c1")
        assert full.status_code == 503 and full.headers["retry-after"].isdigit()
        assert "queue is full" in full.json()["detail"]
        single = client.post("/api/analyze", json={"text": "One more story."})
        assert single.status_code == 503
        upload = client.post("/api/uploads", files=[("files", ("a.txt", b"Story.", "text/plain"))])
        assert upload.status_code == 503
        started = time.perf_counter()
        assert client.get("/api/articles").status_code == 200
        assert time.perf_counter() - started < 1.0
        gate.set()
        assert wait_for(client, first)["state"] == "done"
        response = client.post("/api/analyze", json={"id": "s1", "text": "One more story."})
        assert response.status_code == 200 and response.json()["id"] == "s1"
    assert {a.id for a in store} == {"a1", "b1", "s1"}


def test_jobs_survive_a_restart_and_leave_no_files(store):
    stuck = threading.Event()
    first = app_over(store, stuck)
    jobs = first.state.ws.jobs
    with TestClient(first) as client:
        running = batch(client, "r1", "r2").json()["id"]
        wait_for(client, running, ("running",))
        queued = batch(client, "q1").json()["id"]
        files = [("files", ("story.txt", b"Port strike, day one.", "text/plain"))]
        lost = client.post("/api/uploads", files=files).json()["id"]
        folders = {job_id: Path(jobs.get(job_id).folder) for job_id in (running, queued, lost)}
        assert all(folder.is_dir() for folder in folders.values())
        assert client.get(f"/api/jobs/{queued}").json()["state"] == "queued"
    Path(folders[lost], "0", "story.txt").unlink()  # a temp folder swept while it was down
    for part in folders[lost].iterdir():
        part.rmdir()
    folders[lost].rmdir()

    with TestClient(app_over(store, open_gate())) as client:
        assert wait_for(client, running)["state"] == "done"
        assert wait_for(client, queued)["analysed"] == 1
        gone = wait_for(client, lost)
        assert gone["state"] == "failed" and "inputs were lost" in gone["message"]
        assert client.get(f"/jobs/{running}").status_code == 200
    assert {a.id for a in store} >= {"r1", "r2", "q1"}
    assert not any(folder.exists() for folder in folders.values())
    stuck.set()
    jobs.thread.join(30)


def open_gate() -> threading.Event:
    gate = threading.Event()
    gate.set()
    return gate


def test_a_failed_job_removes_its_files_too(store, monkeypatch):
    made: list[Path] = []

    def recorded() -> Path:
        made.append(new_folder())
        return made[-1]

    monkeypatch.setattr("spinlens.web.uploads.new_folder", recorded)

    class Broken(Pipeline):
        def __call__(self, articles: list[Article]):
            raise MemoryError("out of memory")

    app = create_app(store, pipeline_factory=lambda: Broken([]), token=None)
    with TestClient(app) as client:
        files = [("files", ("story.txt", b"Port strike, day one.", "text/plain"))]
        job_id = client.post("/api/uploads", files=files).json()["id"]
        job = wait_for(client, job_id)
        assert job["state"] == "failed" and "out of memory" in job["message"]
        assert "folder" not in job
    assert len(made) == 1 and not made[0].exists()


def test_a_read_only_store_is_served_for_reading(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'ro.db'}"
    writer = Store(db)
    writer.save([Article("harbour", "The port stayed shut.", title="Port strike")])
    writer.close()
    monkeypatch.setattr("spinlens.store_open.writable", lambda path: False)
    store = Store(db)
    assert store.read_only
    with TestClient(create_app(store, pipeline_factory=lambda: Pipeline([]), token=None)) as client:
        assert [a["id"] for a in client.get("/api/articles").json()["items"]] == ["harbour"]
        assert client.get("/api/articles/harbour").status_code == 200
        refused = client.post("/api/analyze", json={"text": "Another story."})
        assert refused.status_code == 503 and "read-only" in refused.json()["detail"]
        assert client.get("/api/jobs/nope").status_code == 404
    store.close()
