"""The FastAPI application, assembled: state, middleware, routers, error pages."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from spinlens import __version__
from spinlens.batch import Runner
from spinlens.config import Settings
from spinlens.readers import Limits
from spinlens.store import Store
from spinlens.web import api, copies, dashboard, pages, speakers
from spinlens.web.aggregates import MIN_WORDS
from spinlens.web.analysis import Analyzer, process_runner
from spinlens.web.jobs import MAX_QUEUE, Jobs
from spinlens.web.middleware import BodyLimit, SecurityHeaders
from spinlens.web.queries import TimedCache
from spinlens.web.state import HERE, MAX_BATCH, RequestLimits, Workspace, templates, workspace

UPLOAD_PATHS = ("/analyse", "/api/uploads")


UNSET: Any = object()


def create_app(
    store: Store | str | None = None,
    *,
    settings: Settings | None = None,
    pipeline_factory: Callable[[], Runner] | None = None,
    token: str | None = UNSET,
    max_body: int | None = None,
    max_upload: int = 100_000_000,
    max_batch: int = MAX_BATCH,
    min_source_words: int = MIN_WORDS,
    allowed_hosts: Sequence[str] = (),
    max_queue: int = MAX_QUEUE,
) -> FastAPI:
    """The workspace over a store (a Store, a URL, or the settings' database).

    `token` defaults to $SPINLENS_TOKEN; `max_body` (JSON requests) to the
    settings' document limit plus room for the JSON around it. Sources with fewer
    than `min_source_words` words stay out of the dashboard's per-source charts.
    With `allowed_hosts`, requests naming another Host are refused (a page on another
    site cannot reach a local workspace by rebinding its DNS name to 127.0.0.1).
    Analyses wait in a queue of at most `max_queue`; by default they run in one
    worker process (`pipeline_factory` may give an in-process pipeline instead).
    """
    settings = settings or Settings()
    own_store = not isinstance(store, Store)
    the_store = store if isinstance(store, Store) else Store(store or settings.db)
    if token is UNSET:
        token = os.environ.get("SPINLENS_TOKEN") or None
    limits = RequestLimits(
        max_body=max_body or settings.max_bytes + 1_000_000,
        max_upload=max_upload,
        max_batch=max_batch,
    )
    cache = TimedCache(30.0)
    analyzer = Analyzer(
        the_store,
        pipeline_factory or process_runner(settings),
        Limits(max_bytes=settings.max_bytes),
        settings.batch_size,
        on_change=cache.clear,
    )
    jobs = Jobs(analyzer, max_queue)
    ws = Workspace(the_store, settings, analyzer, jobs, token, limits, templates(), cache)
    ws.min_source_words = min_source_words

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ws.jobs.shutdown()
        if own_store:
            the_store.close()

    app = FastAPI(
        title="spinlens",
        version=__version__,
        summary="Analysed news articles: propaganda techniques, quotes, claims, entities.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ws = ws
    app.add_middleware(
        BodyLimit, max_body=limits.max_body, max_upload=max_upload, upload_paths=UPLOAD_PATHS
    )
    app.add_middleware(SecurityHeaders)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    add_error_handlers(app)
    app.include_router(copies.router)  # before api: /api/outlets/{source}/copies
    app.include_router(api.router)
    app.include_router(speakers.api)
    app.include_router(speakers.pages)
    app.include_router(dashboard.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def add_error_handlers(app: FastAPI) -> None:
    """JSON errors under /api, an HTML page elsewhere."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=headers)
        return error_page(request, exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": jsonable(exc.errors())}, 422)
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return error_page(request, 400, problems)


def jsonable(errors: Any) -> Any:
    """Validation errors without the (possibly huge, possibly binary) input echoed."""
    return [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in errors]


def error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> HTMLResponse:
    ws = workspace(request)
    html = ws.templates.get_template("error.html.j2").render(status=status, message=message, nav="")
    return HTMLResponse(html, status, headers=headers)
