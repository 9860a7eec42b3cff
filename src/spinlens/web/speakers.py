"""Speakers and entities across the corpus in the workspace: the list, a page per
merged speaker and a page per named entity (both for the filter bar's articles), in
HTML and through the REST API (`spinlens.speakers.views`, `spinlens.web.profiles`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse

from spinlens.speakers.views import list_speakers
from spinlens.web import charts
from spinlens.web.filters import Filters, QueryError
from spinlens.web.pages import filtered_page
from spinlens.web.profiles import entity_profile, speaker_profile
from spinlens.web.queries import MAX_PER_PAGE, PER_PAGE
from spinlens.web.schemas import EntityProfile, ErrorOut, SpeakerList, SpeakerProfile
from spinlens.web.state import Workspace, workspace

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
    summary="One merged speaker: mentions, quotes, claims, techniques around them "
    "(the filter bar's filters apply)",
    responses={404: {"model": ErrorOut}, 400: {"model": ErrorOut}},
)
def speaker(request: Request, key: Annotated[str, Path(max_length=500)]) -> SpeakerProfile:
    return SpeakerProfile(**answered(request, "speaker", key))


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
    return profile_page(request, "speaker", key)


@api.get(
    "/entities/{name:path}",
    summary="One named entity: its articles over time and per outlet, quotes, claims, "
    "techniques in the sentences naming it (the filter bar's filters apply)",
    responses={404: {"model": ErrorOut}, 400: {"model": ErrorOut}},
)
def entity(request: Request, name: Annotated[str, Path(max_length=500)]) -> EntityProfile:
    return EntityProfile(**answered(request, "entity", name))


@pages.get("/entities/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: str) -> HTMLResponse:
    return profile_page(request, "entity", name)


PROFILES: dict[str, tuple[Callable[[Workspace, str, Filters], dict[str, Any] | None], str]] = {
    "speaker": (speaker_profile, "no such speaker"),
    "entity": (entity_profile, "no stored article names this entity"),
}
"""Per kind of profile page: what makes it, and the 404's words."""


def found(request: Request, about: str, name: str, filters: Filters) -> dict[str, Any]:
    """The speaker's or entity's profile for these filters (cached), or 404."""
    ws = workspace(request)
    make, missing = PROFILES[about]
    data = ws.cache.get(f"{about}:{name}:{filters.url('')}", lambda: make(ws, name, filters))
    if data is None:
        raise HTTPException(404, missing)
    return data


def answered(request: Request, about: str, name: str) -> dict[str, Any]:
    """The profile for the URL's filters; 400 for a malformed filter."""
    try:
        return found(request, about, name, Filters.of(request.query_params))
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from exc


def profile_page(request: Request, about: str, name: str) -> HTMLResponse:
    """A speaker's or entity's page under the filter bar (the error page for a
    malformed filter)."""
    filters = Filters.of(request.query_params)
    context = {"filters": filters, "about": about, "nav": "speakers", "action": request.url.path}
    try:
        data = found(request, about, name, filters)
    except QueryError as exc:
        return filtered_page(request, "speaker.html.j2", str(exc), s=None, **context)
    return filtered_page(request, "speaker.html.j2", None, s=data, **context, **drawn(data))


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
