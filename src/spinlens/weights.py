"""Versions of the shipped models, derived from their weights: a retrained model
gets a new version, and the pipeline version with it (so stale stored results are
analysed again)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def weights_digest(path: Path, model: str) -> str:
    """The first 8 hex digits of the SHA-256 of a model file; a clear error naming
    the `model` when the file is missing."""
    if not path.exists():
        raise RuntimeError(f"{model} missing: {path}")
    with path.open("rb") as weights:
        return hashlib.file_digest(weights, "sha256").hexdigest()[:8]
