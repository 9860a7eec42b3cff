"""The REST API under /api (documented at /api/openapi.json)."""

from __future__ import annotations

import io
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from spinlens.model import Article
from spinlens.readers import ReadError
from spinlens.readers.metadata import checked
from spinlens.render import open_writer
from spinlens.render.templating import path_quote
from spinlens.web.auth import Writer
from spinlens.web.claims import claim_page
from spinlens.web.corpus import Paging, list_corpus
from spinlens.web.dashboard import cached_aggregates, cached_profile, chart_csv
from spinlens.web.filters import Filters, QueryError
from spinlens.web.jobs import Job
from spinlens.web.queries import (
    MAX_PER_PAGE,
    PER_PAGE,
    filter_options,
    sorts,
)
from spinlens.web.schemas import (
    Aggregates,
    ArticleIn,
    ArticleList,
    BatchIn,
    ClaimList,
    ErrorOut,
    JobOut,
    MetadataIn,
)
from spinlens.web.state import workspace
from spinlens.web.uploads import start_upload

router = APIRouter(prefix="/api", tags=["api"])
OUTLETS = "An outlet; repeat for articles from any of several"
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ErrorOut,
        "description": "SPINLENS_TOKEN is set and no valid bearer token given",
    },
    413: {"model": ErrorOut, "description": "Body, batch or upload above its limit"},
    422: {"model": ErrorOut, "description": "Invalid input"},
    503: {"model": ErrorOut, "description": "Analysis queue full (see Retry-After)"},
}
ARTICLE_EXAMPLE = {"application/json": {"example": {"id": "…", "text": "…", "entities": []}}}
DAY = r"^\d{4}-\d{2}-\d{2}$"


def job_out(job: Job) -> dict[str, Any]:
    return job.as_dict() | {"url": f"/api/jobs/{job.id}", "page": f"/jobs/{job.id}"}


@router.post(
    "/analyze",
    summary="Analyse and store one article",
    dependencies=[Writer],
    responses={200: {"content": ARTICLE_EXAMPLE, "description": "The JSON Lines object"}, **ERRORS},
)
async def analyze(body: ArticleIn, request: Request) -> JSONResponse:
    """Analyses `text` (or the main text of `html`) in its turn in the analysis
    queue, stores it and returns the article's JSON Lines object
    (docs/output-format.md). The same content analysed again by the same pipeline
    is not analysed twice."""
    result = await workspace(request).jobs.analyze(body.as_object())
    if isinstance(result, ReadError):
        raise HTTPException(422, result.reason)
    return JSONResponse(result.to_dict())


@router.post(
    "/jobs",
    summary="Analyse many articles in the background",
    status_code=202,
    dependencies=[Writer],
    responses=ERRORS,
)
def batch(body: BatchIn, request: Request) -> JobOut:
    """Queues the articles and returns at once; poll the job's `url` for progress."""
    ws = workspace(request)
    if len(body.articles) > ws.limits.max_batch:
        raise HTTPException(413, f"too many articles in one batch (limit {ws.limits.max_batch})")
    return JobOut(**job_out(ws.jobs.submit_batch([a.as_object() for a in body.articles])))


@router.post(
    "/uploads",
    summary="Upload files to analyse in the background",
    status_code=202,
    dependencies=[Writer],
    responses=ERRORS,
)
async def upload(request: Request, files: Annotated[list[UploadFile], File()]) -> JobOut:
    """Text, HTML, JSON Lines, RSS/Atom and WARC (.warc, .warc.gz) files, recognised
    by suffix or content; poll the job's `url` for progress."""
    job = await start_upload(workspace(request), files)
    return JobOut(**job_out(job))


@router.get("/jobs/{job_id}", summary="Progress of a background job", responses=ERRORS)
def job_status(job_id: str, request: Request) -> JobOut:
    job = workspace(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such job")
    return JobOut(**job_out(job))


@router.get("/articles", summary="List, filter and search stored articles", responses=ERRORS)
def articles(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="Full-text search (FTS5 syntax)")] = "",
    source: Annotated[list[str], Query(description=OUTLETS)] = [],  # noqa: B006
    language: Annotated[str, Query(max_length=16)] = "",
    technique: Annotated[str, Query(max_length=100)] = "",
    speaker: Annotated[str, Query(max_length=500)] = "",
    entity: Annotated[str, Query(max_length=500)] = "",
    genre: Annotated[str, Query(max_length=16, description="SemEval-2023 genre")] = "",
    frame: Annotated[str, Query(max_length=100, description="SemEval-2023 frame")] = "",
    persuasion: Annotated[
        str, Query(max_length=100, description="SemEval-2023 persuasion technique")
    ] = "",
    date_from: Annotated[str, Query(pattern=DAY)] = "",
    date_to: Annotated[str, Query(pattern=DAY)] = "",
    sort: Annotated[
        str | None,
        Query(
            max_length=32,
            description="relevance, date, title, source, language, words, "
            "or a counted layer: sentences, entities, techniques, quotes, claims",
        ),
    ] = None,
    order: Literal["asc", "desc"] | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
) -> ArticleList:
    """Stored articles, newest first by default (best match first when searching).
    Any facet of a registered layer filters by its kind as parameter name."""
    del q, source, language, technique, speaker, entity, genre, frame, persuasion
    del date_from, date_to  # validated above; read with every other facet below
    if sort and sort not in sorts():
        raise HTTPException(422, f"unknown sort {sort!r}: one of {', '.join(sorts())}")
    filters = Filters.of(request.query_params)
    try:
        paging = Paging(sort or "", order or "", page, per_page)
        listing = list_corpus(workspace(request), filters, paging)
    except QueryError as exc:
        raise HTTPException(422, str(exc)) from exc
    items = [
        {
            "id": r["article_id"],
            "title": r["title"],
            "source": r["source"],
            "published": r["published"],
            "day": r["day"],
            "language": r["language"],
            "words": r["words"],
            "counts": r["counts"],
            "url": f"/api/articles/{path_quote(r['article_id'])}",
            "page": f"/articles/{path_quote(r['article_id'])}",
        }
        for r in listing.rows
    ]
    return ArticleList(
        total=listing.total,
        page=listing.page,
        per_page=listing.per_page,
        pages=listing.pages,
        sort=listing.sort,
        order=listing.order,  # type: ignore[arg-type]
        items=items,  # type: ignore[arg-type]
    )


def stored(request: Request, article_id: str) -> Article:
    article = workspace(request).store.get(article_id)
    if article is None:
        raise HTTPException(404, "no stored article with this id")
    return article


SAFE_FILE = re.compile(r"[^A-Za-z0-9._-]+")


def attachment(article_id: str, suffix: str) -> dict[str, str]:
    name = SAFE_FILE.sub("_", article_id).strip("._")[:80] or "article"
    return {"content-disposition": f'attachment; filename="{name}{suffix}"'}


@router.get(
    "/reports/{article_id:path}",
    summary="One article's self-contained HTML report",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}}, 404: {"model": ErrorOut}},
)
def report(
    article_id: str, request: Request, taxonomy: Literal["all", "ptc", "semeval23"] = "all"
) -> Response:
    """The offline report (as `spinlens show --format html`), as a download;
    `taxonomy` picks the technique layers it shows."""
    buffer = io.StringIO()
    writer = open_writer("html", buffer, taxonomy)
    writer.write(stored(request, article_id))
    writer.close()
    headers = attachment(article_id, ".html")
    # the report carries its own policy: inline style, nothing else
    headers["content-security-policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return Response(buffer.getvalue(), media_type="text/html; charset=utf-8", headers=headers)


@router.get(
    "/articles/{article_id:path}",
    summary="One stored article",
    responses={200: {"content": ARTICLE_EXAMPLE}, 404: {"model": ErrorOut}},
)
def article(article_id: str, request: Request, download: bool = False) -> JSONResponse:
    """The article's JSON Lines object; `download=true` serves it as a file."""
    found = stored(request, article_id)
    headers = attachment(article_id, ".json") if download else None
    return JSONResponse(found.to_dict(), headers=headers)


@router.patch(
    "/articles/{article_id:path}",
    summary="Give a stored article new metadata",
    dependencies=[Writer],
    responses={200: {"content": ARTICLE_EXAMPLE}, 404: {"model": ErrorOut}, **ERRORS},
)
def annotate(article_id: str, body: MetadataIn, request: Request) -> JSONResponse:
    """Sets the fields given (source, published, title, url, author) without
    analysing the article again; listings, filters, the dashboard and the claims
    view see them at once. Returns the article's JSON Lines object."""
    ws = workspace(request)
    try:
        values = checked(body.model_dump(exclude_none=True))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    if not values:
        raise HTTPException(422, "give at least one of source, published, title, url, author")
    if not ws.store.annotate({article_id: values}):
        raise HTTPException(404, "no stored article with this id")
    ws.cache.clear()
    return JSONResponse(stored(request, article_id).to_dict())


@router.get("/claims", summary="Claims across the corpus, most check-worthy first")
def claims(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="Words in the claim")] = "",
    source: Annotated[list[str], Query(description=OUTLETS)] = [],  # noqa: B006
    speaker: Annotated[str, Query(max_length=500)] = "",
    date_from: Annotated[str, Query(pattern=DAY)] = "",
    date_to: Annotated[str, Query(pattern=DAY)] = "",
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    group: Annotated[
        bool, Query(description="One row per sentence found in several articles")
    ] = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
) -> ClaimList:
    """Every stored claim (the rows of `spinlens export --claims`), ranked by score,
    each with `page`: the claim in its article's page."""
    del q, source, speaker, date_from, date_to, min_score, group, page, per_page
    return ClaimList(**claim_page(workspace(request).store, request.query_params).as_dict())


@router.get(
    "/aggregates",
    summary="The dashboard's figures, for the filter bar's articles",
    response_model=None,
    responses={200: {"content": {"text/csv": {}}}, **ERRORS},
)
def dashboard_data(
    request: Request,
    period: Literal["", "day", "week", "month"] = "",
    format: Literal["json", "csv"] = "json",
    chart: Annotated[str, Query(max_length=32, description="The chart a CSV holds")] = "",
) -> Aggregates | Response:
    """Every figure of the dashboard for the articles the filters choose (the
    parameters of `GET /api/articles`, and `min_score`); `period` groups the
    figures over time (default: by the dates' range). `format=csv` gives the data
    of one `chart`: per_source, techniques_by_month, over_time, speakers,
    entities, speech."""
    try:
        data = cached_aggregates(workspace(request), Filters.of(request.query_params), period)
    except QueryError as exc:
        raise HTTPException(422, str(exc)) from exc
    if format == "csv":
        return chart_csv(data, chart or "over_time")
    return Aggregates(**data)


@router.get(
    "/outlets/{source:path}",
    summary="One outlet's profile against the rest of the corpus",
    responses={404: {"model": ErrorOut}, **ERRORS},
)
def outlet(source: str, request: Request) -> dict[str, Any]:
    """For the outlet's articles matching the filters (those of `GET /api/articles`
    and `min_score`; `source` is the path's): technique spans per 1,000 words with
    95 % bootstrap intervals (seeded: the same store gives the same numbers), the
    same for the rest of the corpus, share of reported speech, claims per article,
    top speakers and entities."""
    filters = Filters.of(request.query_params).but(source="")
    try:
        profile = cached_profile(workspace(request), source, filters)
    except QueryError as exc:
        raise HTTPException(422, str(exc)) from exc
    if profile is None:
        raise HTTPException(404, "no stored article of this outlet matches these filters")
    return profile


@router.get("/facets", summary="Values the corpus filters offer, with article counts")
def facets(request: Request) -> dict[str, list[dict[str, Any]]]:
    ws = workspace(request)
    options = ws.cache.get("options", lambda: filter_options(ws.store))
    return {k: [{"name": n, "count": c} for n, c in v] for k, v in options.items()}
