"""The workspace's pages, rendered on the server: corpus, article, analyse, job,
dashboard, claims, stories, copies between outlets and the API overview."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from spinlens import layers as registry
from spinlens.claims.index import ClaimPage
from spinlens.duplicates.outlets import outlet_copies
from spinlens.model import Technique
from spinlens.readers import ReadError
from spinlens.render.templating import article_view, layer_css, path_quote, score_filter
from spinlens.stories.cluster import GROWTH_DAYS
from spinlens.web.auth import authorised, bearer, same_origin
from spinlens.web.claims import claim_page, page_url
from spinlens.web.copies import ORDER, cached_flows, cached_stories, copies_panel, story_panel
from spinlens.web.corpus import Paging, list_corpus
from spinlens.web.filters import Filters, QueryError
from spinlens.web.queries import (
    PER_PAGE,
    Listing,
    filter_options,
    sorts,
    titles,
)
from spinlens.web.state import Workspace, workspace
from spinlens.web.uploads import start_upload

router = APIRouter(include_in_schema=False)
META_FIELDS = ("title", "source", "url", "published")
STORIES_SHOWN = 200
"""Stories the stories page lists (the first in its order)."""
FLOWS_SHOWN = 200
"""Outlet-to-outlet flows the copies page lists (the largest)."""


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = workspace(request).templates.get_template(name).render(**context)
    return HTMLResponse(html, status)


def options_of(ws: Workspace) -> dict[str, list[tuple[str, int]]]:
    """The values the corpus filters offer (cached)."""
    return ws.cache.get("options", lambda: filter_options(ws.store))


def filtered_page(request: Request, name: str, error: str | None, **context: Any) -> HTMLResponse:
    """A page behind the filter bar: its options and fields given; 400 when refused."""
    options = options_of(workspace(request))
    fields = facet_fields(options)
    return render(
        request,
        name,
        400 if error else 200,
        options=options,
        facet_fields=fields,
        error=error,
        **context,
    )


def int_param(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


class Links:
    """Corpus URLs that keep the current filters, sort and page size."""

    def __init__(self, filters: Filters, listing: Listing):
        self.base: dict[str, Any] = dict(filters.active())
        self.base.update(sort=listing.sort, order=listing.order)
        if listing.per_page != PER_PAGE:
            self.base["per_page"] = listing.per_page
        self.listing = listing

    def url(self, **changes: Any) -> str:
        params = {**self.base, **changes}
        return "/?" + urlencode({k: v for k, v in params.items() if v not in ("", None, 1)})

    def sort(self, column: str) -> str:
        same = self.listing.sort == column
        flip = {"asc": "desc", "desc": "asc"}[self.listing.order]
        default = "asc" if column in ("title", "source", "language") else "desc"
        return self.url(sort=column, order=flip if same else default, page=1)


@dataclass(frozen=True)
class FacetField:
    """One facet filter of the corpus form: a choice among known values (`closed`)
    or a free text with suggestions; values with their article counts."""

    kind: str
    label: str
    closed: bool
    values: list[tuple[str, int | None]]


def facet_fields(options: dict[str, list[tuple[str, int]]]) -> list[FacetField]:
    """The facet filters of every registered layer: closed ones of a default layer
    always, those of an opt-in layer once the store holds values."""
    fields = []
    for spec in registry.specs():
        for facet in spec.facets:
            found = dict(options.get(facet.options, []))
            if not facet.values:
                fields.append(FacetField(facet.kind, facet.label, False, list(found.items())))
            elif spec.default or found:
                values = [(v, found.get(v)) for v in facet.values if spec.default or v in found]
                fields.append(FacetField(facet.kind, facet.label, True, values))
    return fields


@router.get("/", response_class=HTMLResponse)
@router.get("/articles", response_class=HTMLResponse)
def corpus(request: Request) -> HTMLResponse:
    ws = workspace(request)
    params = request.query_params
    filters = Filters.of(params)
    page, per_page = int_param(params.get("page"), 1), int_param(params.get("per_page"), PER_PAGE)
    error = None
    try:
        paging = Paging(params.get("sort", ""), params.get("order", ""), page, per_page)
        listing = list_corpus(ws, filters, paging)
    except QueryError as exc:
        error, listing = str(exc), Listing(0, 1, PER_PAGE, "date", "desc", [])
    return filtered_page(
        request,
        "corpus.html.j2",
        error,
        nav="corpus",
        listing=listing,
        filters=filters,
        columns=[(s.name, s.title, "num") for s in registry.specs() if s.panel and s.counted],
        sorts=sorts(),
        links=Links(filters, listing),
    )


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    store = workspace(request).store
    article = store.get(article_id)
    if article is None:
        raise HTTPException(404, "no stored article with this id")
    return render(
        request,
        "article.html.j2",
        nav="",
        view=article_view(article),
        copies=copies_panel(store, article),
        story=story_panel(workspace(request), article.id),
        a=article,
        prefix="",
        linked=True,
        score_filter=score_filter() if article.spans(Technique) else None,
    )


@router.get("/analyse", response_class=HTMLResponse)
def analyse_form(request: Request) -> HTMLResponse:
    return analyse_page(request)


def analyse_page(
    request: Request, status: int = 200, error: str | None = None, **given: Any
) -> HTMLResponse:
    ws = workspace(request)
    return render(
        request,
        "analyse.html.j2",
        status,
        nav="analyse",
        error=error,
        given={k: given.get(k, "") for k in ("text", *META_FIELDS)},
        token_required=ws.token is not None,
        limits=ws.limits,
        max_bytes=ws.settings.max_bytes,
    )


@router.post("/analyse")
async def analyse_post(request: Request) -> Response:
    ws = workspace(request)
    if not same_origin(request):
        raise HTTPException(403, "cross-site form posts are refused")
    form = await request.form(
        max_files=ws.limits.max_files, max_fields=20, max_part_size=ws.limits.max_body
    )
    fields = {k: str(form.get(k) or "") for k in ("text", "token", *META_FIELDS)}
    if not authorised(request, fields.pop("token") or bearer(request)):
        return analyse_page(request, 401, "a valid access token is required to analyse", **fields)
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if uploads:
        job = await start_upload(ws, uploads)
        target = f"/jobs/{job.id}"
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"job": job.id, "redirect": target}, 202)
        return RedirectResponse(target, 303)
    if not fields["text"].strip():
        return analyse_page(request, 400, "paste a text or choose files to upload", **fields)
    obj = {k: v.strip() for k, v in fields.items() if k != "text" and v.strip()}
    obj["text"] = fields["text"].replace("\r\n", "\n")
    result = await ws.jobs.analyze(obj)
    if isinstance(result, ReadError):
        return analyse_page(request, 422, result.reason, **fields)
    return RedirectResponse(f"/articles/{path_quote(result.id)}", 303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = workspace(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such job (the latest 200 are kept)")
    found = titles(workspace(request).store, job.article_ids) if job.article_ids else {}
    return render(request, "job.html.j2", nav="analyse", job=job, titles=found)


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request) -> HTMLResponse:
    ws = workspace(request)
    params = dict(request.query_params)
    error, listed = None, ClaimPage(0, 1, PER_PAGE, False, [])
    try:
        listed = claim_page(ws.store, params)
    except QueryError as exc:
        error = str(exc)
    return filtered_page(
        request,
        "claim-list.html.j2",
        error,
        nav="claims",
        listed=listed,
        filters=Filters.of(params),
        url=partial(page_url, params),
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(
    request: Request, order: Annotated[str, Query(pattern=ORDER)] = "largest"
) -> HTMLResponse:
    found = cached_stories(workspace(request), 2, order)
    return render(
        request,
        "stories.html.j2",
        nav="stories",
        stories=found[:STORIES_SHOWN],
        order=order,
        growth_days=GROWTH_DAYS,
    )


@router.get("/copies", response_class=HTMLResponse)
def copies_page(request: Request, source: str | None = None) -> HTMLResponse:
    """Outlet-to-outlet copy flows, largest first; with `source`, that outlet's."""
    ws = workspace(request)
    outlet = outlet_copies(ws.store.engine, source) if source else None
    if source and outlet is None:
        raise HTTPException(404, "no stored article from this source")
    flows = cached_flows(ws)
    return render(
        request,
        "copy-flows.html.j2",
        nav="copies",
        flows=flows.ordered[:FLOWS_SHOWN],
        unordered=flows.unordered[:FLOWS_SHOWN],
        outlet=outlet,
    )


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    routes = [
        (method.upper(), path, op.get("summary") or "", op.get("description") or "")
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    return render(request, "api.html.j2", nav="api", routes=routes, schema=schema)


@router.get("/static/layers.css")
def layers_css() -> Response:
    """Every layer's style rules (the reports embed the same)."""
    return Response(
        layer_css(),
        media_type="text/css",
        headers={"cache-control": "public, max-age=3600"},
    )
