"""Speakers and entities across the corpus in the workspace: the list, a page per
merged speaker and a page per named entity (for the filter bar's articles), in HTML
and through the REST API (`spinlens.speakers.views`, `spinlens.speakers.entity`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse

from spinlens.speakers.views import list_speakers, profile
from spinlens.web import charts
from spinlens.web.entities import entity_profile
from spinlens.web.filters import Filters, QueryError
from spinlens.web.pages import filtered_page
from spinlens.web.queries import MAX_PER_PAGE, PER_PAGE
from spinlens.web.schemas import EntityProfile, ErrorOut, SpeakerList, SpeakerProfile
from spinlens.web.state import workspace

api = APIRouter(prefix="/api", tags=["api"])
pages = APIRouter(include_in_schema=False)
KIND = "^(person|organization)?$"


@api.get("/speakers", summary="Speakers and entities, names merged across articles")
def speakers(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="Words in the name")] = "",
    kind: Annotated[str, Query(pattern=KIND)] = "",
    quoted: Annotated[bool, Query(description="Only those quoted at least once")] = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
) -> SpeakerList:
    """Most quoted first, then most mentioned; `page` is the speaker's page."""
    engine = workspace(request).store.engine
    return SpeakerList(**list_speakers(engine, q, kind, quoted, page, per_page).as_dict())


@api.get(
    "/speakers/{key}",
    summary="One merged speaker: mentions, quotes, claims, techniques around them",
    responses={404: {"model": ErrorOut}},
)
def speaker(request: Request, key: Annotated[str, Path(max_length=500)]) -> SpeakerProfile:
    return SpeakerProfile(**found(request, key))


def found(request: Request, key: str) -> dict[str, Any]:
    ws = workspace(request)
    data = ws.cache.get(f"speaker:{key}", lambda: profile(ws.store.engine, key))
    if data is None:
        raise HTTPException(404, "no such speaker")
    return data


def render(request: Request, name: str, **context: Any) -> HTMLResponse:
    html = workspace(request).templates.get_template(name).render(nav="speakers", **context)
    return HTMLResponse(html)


@pages.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request) -> HTMLResponse:
    params = request.query_params
    q, kind = params.get("q", "")[:500], params.get("kind", "")
    kind = kind if kind in ("person", "organization") else ""
    try:
        page = max(1, min(int(params.get("page") or 1), 1_000_000))
    except ValueError:
        page = 1
    listed = list_speakers(workspace(request).store.engine, q, kind, False, page, PER_PAGE)

    def url(**changes: Any) -> str:
        merged = {"q": q, "kind": kind, "page": page} | changes
        return "/speakers?" + urlencode({k: v for k, v in merged.items() if v not in ("", 1)})

    return render(request, "speakers.html.j2", listed=listed.as_dict(), q=q, kind=kind, url=url)


@pages.get("/speakers/{key}", response_class=HTMLResponse)
def speaker_page(request: Request, key: str) -> HTMLResponse:
    data = found(request, key)
    return render(request, "speaker.html.j2", s=data, **drawn(data))


@api.get(
    "/entities/{name:path}",
    summary="One named entity: its articles over time and per outlet, quotes, claims, "
    "techniques in the sentences naming it (the filter bar's filters apply)",
    responses={404: {"model": ErrorOut}, 400: {"model": ErrorOut}},
)
def entity(request: Request, name: Annotated[str, Path(max_length=500)]) -> EntityProfile:
    try:
        return EntityProfile(**entity_found(request, name, Filters.of(request.query_params)))
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from exc


@pages.get("/entities/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: str) -> HTMLResponse:
    filters = Filters.of(request.query_params)
    try:
        data = entity_found(request, name, filters)
    except QueryError as exc:
        context = {"s": None, "filters": filters, "nav": "speakers", "action": request.url.path}
        return filtered_page(request, "speaker.html.j2", str(exc), **context)
    return filtered_page(
        request,
        "speaker.html.j2",
        None,
        s=data,
        filters=filters,
        nav="speakers",
        action=request.url.path,
        **drawn(data),
    )


def entity_found(request: Request, name: str, filters: Filters) -> dict[str, Any]:
    """The entity's profile for these filters (cached), or 404."""
    ws = workspace(request)

    def made() -> dict[str, Any] | None:
        return entity_profile(ws, name, filters)

    data = ws.cache.get(f"entity:{name}:{filters.url('')}", made)
    if data is None:
        raise HTTPException(404, "no stored article names this entity")
    return data


def drawn(data: dict[str, Any]) -> dict[str, Any]:
    """A profile's charts: its articles by month and by source."""
    return {
        "over_time": charts.hbars(
            [(m["month"], m["articles"]) for m in data["over_time"]],
            "Articles naming them, by month of publication",
            " articles",
        ),
        "outlets": charts.hbars(
            [(o["source"] or "(no source)", o["articles"]) for o in data["outlets"]],
            "Articles naming them, by source",
            " articles",
        ),
    }
