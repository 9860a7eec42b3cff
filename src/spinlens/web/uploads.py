"""Uploads to the workspace: files saved under safe names in a private folder,
which becomes one background job (`web/jobs.py`) and is removed when it ends."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from spinlens.web.analysis import new_folder, remove
from spinlens.web.jobs import Job
from spinlens.web.state import Workspace

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


async def start_upload(ws: Workspace, files: Sequence[UploadFile]) -> Job:
    """Copy uploaded files to a private folder and queue their analysis."""
    if len(files) > ws.limits.max_files:
        raise HTTPException(413, f"too many files in one upload (limit {ws.limits.max_files})")
    ws.jobs.check_room()
    folder = new_folder()
    try:
        await run_in_threadpool(save_files, files, folder)
    except Exception:
        remove(folder)
        raise
    return await run_in_threadpool(ws.jobs.submit, "upload", folder)


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


def safe_name(name: str | None) -> str:
    """A file name without folders or odd characters (the suffix, which names the
    format, is kept)."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = UNSAFE.sub("_", base).lstrip("._")[-120:]
    return base or "upload"
