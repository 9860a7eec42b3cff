"""Uploads to the workspace: files saved to a private folder, read as one
background job, the folder removed when the job ends."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from spinlens.readers import FileIds, Limits, Read, format_of, read_path
from spinlens.web.analysis import Job
from spinlens.web.state import Workspace


async def start_upload(ws: Workspace, files: Sequence[UploadFile]) -> Job:
    """Copy uploaded files to a private folder and queue their analysis."""
    if len(files) > ws.limits.max_files:
        raise HTTPException(413, f"too many files in one upload (limit {ws.limits.max_files})")
    folder = Path(tempfile.mkdtemp(prefix="spinlens-upload-"))
    try:
        paths = await run_in_threadpool(save_files, files, folder)
        reads, total, cleanup = await run_in_threadpool(
            upload_reads, paths, ws.analyzer.limits, folder
        )
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ws.jobs.submit("upload", reads, total, cleanup)


def save_files(files: Sequence[UploadFile], folder: Path) -> list[Path]:
    """Each upload as `folder/N/<safe name>` (names never leave the folder)."""
    paths = []
    for n, upload in enumerate(files):
        target = folder / str(n) / safe_name(upload.filename)
        target.parent.mkdir()
        upload.file.seek(0)
        with target.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        paths.append(target)
    return paths


UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str | None) -> str:
    """A file name without folders or odd characters (the suffix, which names the
    format, is kept)."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = UNSAFE.sub("_", base).lstrip("._")[-120:]
    return base or "upload"


def count_documents(path: Path) -> int | None:
    """Documents in an uploaded file where that is cheap to know (None: unknown)."""
    fmt = format_of(path)
    if fmt in ("text", "html"):
        return 1
    if fmt == "jsonl":
        with path.open("rb") as stream:
            return sum(1 for line in stream if line.strip())
    return None


def upload_reads(
    paths: list[Path], limits: Limits, folder: Path
) -> tuple[Callable[[], Iterator[Read]], int | None, Callable[[], None]]:
    """Reader, expected document count and clean-up for files saved in `folder`."""
    counts = [count_documents(p) for p in paths]
    total = None if None in counts else sum(c or 0 for c in counts)

    def reads() -> Iterator[Read]:
        ids = FileIds()
        for path in paths:
            yield from read_path(path, limits, ids, folder)

    return reads, total, lambda: shutil.rmtree(folder, ignore_errors=True)
