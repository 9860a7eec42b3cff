"""What every route shares: the `Workspace` (store, settings, analysis, limits,
templates) kept on ``app.state.ws``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from fastapi import Request

from spinlens import __version__
from spinlens.config import Settings
from spinlens.render.templating import environment
from spinlens.store import Store
from spinlens.web.aggregates import MIN_WORDS
from spinlens.web.analysis import Analyzer
from spinlens.web.jobs import Jobs
from spinlens.web.queries import TimedCache

HERE = Path(__file__).parent
MAX_BATCH = 1000
"""Most articles in one `POST /api/jobs`."""
MAX_FILES = 100
"""Most files in one upload."""


@dataclass
class RequestLimits:
    """Request limits, in bytes and items."""

    max_body: int
    max_upload: int
    max_batch: int = MAX_BATCH
    max_files: int = MAX_FILES


@dataclass
class Workspace:
    """Everything the routes share (on ``app.state.ws``)."""

    store: Store
    settings: Settings
    analyzer: Analyzer
    jobs: Jobs
    token: str | None
    limits: RequestLimits
    templates: jinja2.Environment
    cache: TimedCache = field(default_factory=lambda: TimedCache(30.0))
    min_source_words: int = MIN_WORDS


def workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.ws
    return ws


def templates() -> jinja2.Environment:
    """The pages' templates, with the reports' shared ones and every layer's panel."""
    env = environment(HERE / "templates")
    env.globals["version"] = __version__
    return env
