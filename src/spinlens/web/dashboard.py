"""The dashboard: the filter bar's articles drawn as server-side SVG charts, each
bar and dot a link to the articles behind it, each chart's data as CSV and the
chart itself as an SVG file or a PNG image (drawn from that SVG by resvg)."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from resvg_py import svg_to_bytes

from spinlens.duplicates.outlets import outlet_copies
from spinlens.speakers.entity import entity_page
from spinlens.speakers.views import page_of, top_speakers
from spinlens.techniques.layer import technique_class
from spinlens.web import charts
from spinlens.web.aggregates import NO_SOURCE, TOP_NAMES, aggregates
from spinlens.web.corpus import chosen_articles
from spinlens.web.filters import Filters, QueryError
from spinlens.web.outlets import outlet_profile
from spinlens.web.pages import filtered_page
from spinlens.web.state import Workspace, workspace
from spinlens.web.timeline import month_bounds

router = APIRouter(include_in_schema=False)
UNIT = " per 1,000 words"
PNG_ZOOM = 1.5
"""A PNG chart's pixels per SVG unit (1,140 pixels across a full-width chart; at 2,
drawing and compressing the image took about 150 ms of a download, at 1.5 about 80)."""
ALL = "all articles"
CSV_COLUMNS: dict[str, list[str]] = {
    "per_source": ["source", "articles", "words", "technique", "per_1000_words"],
    "techniques_by_month": ["month", "articles", "words", "technique", "spans"],
    "over_time": ["source", "period", "from", "to", "articles", "words", "spans"]
    + ["per_1000_words"],
    "speakers": ["name", "count", "label"],
    "entities": ["name", "count", "label"],
    "speech": ["source", "articles", "share"],
}
"""Each chart's name and the columns of its CSV."""
CSV_COLUMNS["articles_over_time"] = CSV_COLUMNS["over_time"]


def cached_aggregates(ws: Workspace, filters: Filters, period: str) -> dict[str, Any]:
    """The dashboard's figures for these filters (cached for 30 seconds)."""

    def compute() -> dict[str, Any]:
        cube, chosen = chosen_articles(ws, filters)
        data = aggregates(cube, chosen, period, ws.min_source_words)
        if not filters.active():  # the whole corpus: speakers merged across articles
            data["top_speakers"] = top_speakers(ws.store.engine, TOP_NAMES)
        return data

    return ws.cache.get(f"aggregates:{sorted(filters.active().items())}:{period}", compute)


def cached_profile(ws: Workspace, source: str, filters: Filters) -> dict[str, Any] | None:
    """An outlet's profile for these filters (cached for 30 seconds)."""

    def compute() -> dict[str, Any] | None:
        cube, chosen = chosen_articles(ws, filters.but(source=""))
        found = outlet_profile(cube, chosen, source)
        return found and found | {"filters": filters.but(source="").active()}

    return ws.cache.get(f"outlet:{source}:{sorted(filters.active().items())}", compute)


def chart_rows(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """One chart's data as flat rows (the columns of `CSV_COLUMNS[name]`)."""
    if name == "per_source":
        return [
            {k: s[k] for k in ("source", "articles", "words")}
            | {"technique": t, "per_1000_words": v}
            for s in data["techniques_per_source"]
            for t, v in s["per_1000_words"].items()
        ]
    if name == "techniques_by_month":
        return [
            {k: m[k] for k in ("month", "articles", "words")} | {"technique": t, "spans": n}
            for m in data["techniques_over_time"]
            for t, n in m["counts"].items()
        ]
    if name in ("over_time", "articles_over_time"):
        timeline = data["over_time"]
        return [{"source": ALL} | p for p in timeline["points"]] + [
            {"source": s["source"] or NO_SOURCE} | p
            for s in timeline["by_source"]
            for p in s["points"]
        ]
    key = {"speakers": "top_speakers", "entities": "top_entities", "speech": "reported_speech"}
    return list(data[key[name]])


def as_csv(rows: list[dict[str, Any]], columns: list[str], name: str) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return download(name, "csv", out.getvalue(), "text/csv; charset=utf-8")


def chart_csv(data: dict[str, Any], name: str) -> Response:
    """One chart's data as a CSV download (404 for an unknown chart)."""
    if name not in CSV_COLUMNS:
        raise HTTPException(404, f"no chart {name!r}: one of {', '.join(CSV_COLUMNS)}")
    return as_csv(chart_rows(data, name), CSV_COLUMNS[name], name)


def within(filters: Filters, first: str, last: str) -> dict[str, str]:
    """The date filters of a period, kept inside the filters' own range."""
    return {
        "date_from": max(first, filters.date_from),
        "date_to": min(last, filters.date_to) if filters.date_to else last,
    }


def dashboard_charts(data: dict[str, Any], filters: Filters) -> dict[str, Markup]:
    """SVG charts from the aggregates, every bar and dot a link to its articles."""

    def to(**changes: str) -> str:
        return filters.url("/articles", **changes)

    def of_source(name: str) -> dict[str, str]:
        return {} if name == NO_SOURCE else {"source": name}

    def month_link(month: str, technique: str) -> str:
        return to(technique=technique, **within(filters, *month_bounds(month)))

    def point_link(name: str, p: dict[str, Any]) -> str:
        return to(**(of_source(name) if name != ALL else {}), **within(filters, p["from"], p["to"]))

    pages = {s["name"]: page_of(s["key"]) for s in data["top_speakers"] if s.get("key")}
    timeline = data["over_time"]
    by_month = [
        (m["month"], {k: 1000 * v / max(m["words"], 1) for k, v in m["counts"].items()})
        for m in data["techniques_over_time"]
    ]
    series = [(ALL, timeline["points"])] + [
        (s["source"] or NO_SOURCE, s["points"]) for s in timeline["by_source"]
    ]
    return {
        "per_source": charts.stacked_hbars(
            [(s["source"], s["per_1000_words"]) for s in data["techniques_per_source"]],
            "Technique spans per 1,000 words, by source",
            UNIT,
            lambda source, technique: to(technique=technique, **of_source(source)),
        ),
        "techniques_by_month": charts.stacked_columns(
            by_month, "Technique spans per 1,000 words, by month", UNIT, month_link
        ),
        "over_time": charts.lines(
            series, f"Technique spans per 1,000 words, by {timeline['period']}", point_link
        ),
        "articles_over_time": charts.columns(
            timeline["points"],
            f"Articles per {timeline['period']}",
            lambda p: to(**within(filters, p["from"], p["to"])),
        ),
        "speakers": charts.hbars(
            [(s["name"], s["count"]) for s in data["top_speakers"]],
            unresolved_note(data["unresolved_speakers"]),
            " quotes",
            width=charts.NARROW,
            link=lambda name: pages.get(name) or to(speaker=name),
        ),
        "entities": charts.hbars(
            [(e["name"], e["count"]) for e in data["top_entities"]],
            "Most mentioned entities",
            width=charts.NARROW,
            link=lambda name: filters.url(entity_page(name)),
        ),
        "speech": charts.hbars(
            [(s["source"], s["share"]) for s in data["reported_speech"]],
            "Share of text in quotes, by source",
            percent=True,
            link=lambda name: to(**of_source(name)),
        ),
    }


def unresolved_note(unresolved: list[dict[str, Any]]) -> str:
    """The top-speakers chart's title, counting the quotes of generic or unresolved
    sources it leaves out."""
    count = sum(s["count"] for s in unresolved)
    if not count:
        return "Most quoted speakers"
    return f"Most quoted speakers ({count} quotes by unresolved or generic sources not shown)"


def legend(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The techniques drawn, with their CSS class (the legend's chips)."""
    used = {k for s in data["techniques_per_source"] for k in s["per_1000_words"]}
    used |= {k for m in data["techniques_over_time"] for k in m["counts"]}
    return [(name, technique_class(name)) for name in sorted(used, key=charts.order)]


def chosen(request: Request) -> tuple[Filters, str]:
    """The filter bar's filters and the period asked for, from the URL."""
    params = request.query_params
    return Filters.of(params), params.get("period", "")


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    ws = workspace(request)
    filters, period = chosen(request)
    try:
        data = cached_aggregates(ws, filters, period)
    except QueryError as exc:
        return filtered_page(
            request,
            "dashboard.html.j2",
            str(exc),
            nav="dashboard",
            filters=filters,
            period=period,
            data=None,
        )
    return filtered_page(
        request,
        "dashboard.html.j2",
        None,
        nav="dashboard",
        filters=filters,
        data=data,
        charts=dashboard_charts(data, filters),
        legend=legend(data),
        min_words=ws.min_source_words,
        period=period,
        downloads=lambda name: filters.url(f"/dashboard/{name}", period=period),
    )


@router.get("/dashboard/{name}.svg")
def chart_svg(request: Request, name: str) -> Response:
    """One dashboard chart as an SVG file, for the same filters."""
    return download(name, "svg", drawn_chart(request, name), "image/svg+xml")


@router.get("/dashboard/{name}.png")
def chart_png(request: Request, name: str) -> Response:
    """One dashboard chart as a PNG image (the SVG drawn at 1.5 times its size on white),
    for the same filters."""
    png = svg_to_bytes(svg_string=drawn_chart(request, name), background="white", zoom=PNG_ZOOM)
    return download(name, "png", png, "image/png")


def drawn_chart(request: Request, name: str) -> str:
    """One dashboard chart's SVG for the URL's filters (400: a malformed filter; 404:
    no such chart)."""
    filters, period = chosen(request)
    try:
        data = cached_aggregates(workspace(request), filters, period)
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from exc
    drawn = dashboard_charts(data, filters)
    if name not in drawn:
        raise HTTPException(404, f"no chart {name!r}: one of {', '.join(drawn)}")
    return str(drawn[name])


def download(name: str, suffix: str, content: str | bytes, media_type: str) -> Response:
    """`content` as a file to save, named after the chart."""
    headers = {"content-disposition": f'attachment; filename="{name}.{suffix}"'}
    return Response(content, media_type=media_type, headers=headers)


@router.get("/outlets/{source:path}", response_class=HTMLResponse)
def outlet_page(request: Request, source: str) -> HTMLResponse:
    """One outlet's profile against the rest of the corpus, for the filter bar's
    period and filters."""
    filters = Filters.of(request.query_params).but(source="")
    try:
        profile = cached_profile(workspace(request), source, filters)
    except QueryError as exc:
        return filtered_page(
            request,
            "outlet.html.j2",
            str(exc),
            nav="",
            filters=filters,
            source=source,
            profile=None,
        )
    if profile is None:
        raise HTTPException(404, "no stored article of this outlet matches these filters")
    return filtered_page(
        request,
        "outlet.html.j2",
        None,
        nav="",
        filters=filters,
        source=source,
        profile=profile,
        rows=sorted(
            profile["outlet"]["techniques"].items(), key=lambda kv: -kv[1]["per_1000_words"]
        ),
        outlet=outlet_copies(workspace(request).store.engine, source),
    )
