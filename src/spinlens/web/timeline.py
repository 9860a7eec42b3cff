"""Figures over time: articles and technique spans per 1,000 words per day, week
or month, for the chosen articles and for each of the largest outlets, with the
number of articles behind every point."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from spinlens.facets import article_stats as stats
from spinlens.facets import layer_counts

PERIODS = ("day", "week", "month")
DAYS_BY_DAY = 92
"""Longest range of dates shown day by day (longer: by week)."""
DAYS_BY_WEEK = 366
"""Longest range shown week by week (longer: by month)."""


def period_of(first: date, last: date, asked: str = "") -> str:
    """`asked` when it is a period, else the one that suits the range of dates."""
    if asked in PERIODS:
        return asked
    days = (last - first).days
    return "day" if days <= DAYS_BY_DAY else "week" if days <= DAYS_BY_WEEK else "month"


def bounds(day: date, period: str) -> tuple[str, date, date]:
    """The period holding `day`: its label, first and last day."""
    if period == "day":
        return day.isoformat(), day, day
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}", monday, monday + timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.isoformat()[:7], day.replace(day=1), day.replace(day=last)


def month_bounds(month: str) -> tuple[str, str]:
    """The first and last day of a month given as ``YYYY-MM``."""
    _, first, last = bounds(date.fromisoformat(f"{month}-01"), "month")
    return first.isoformat(), last.isoformat()


def points(rows: Iterable[tuple[date, int, int, int]], period: str) -> list[dict[str, Any]]:
    """(day, articles, words, spans) summed per period, oldest first."""
    out: dict[str, dict[str, Any]] = {}
    for day, articles, words, spans in rows:
        name, first, last = bounds(day, period)
        point = out.setdefault(
            name,
            {"period": name, "from": first.isoformat(), "to": last.isoformat()}
            | {"articles": 0, "words": 0, "spans": 0},
        )
        point["articles"] += articles
        point["words"] += words
        point["spans"] += spans
    for point in out.values():
        point["per_1000_words"] = round(1000 * point["spans"] / max(point["words"], 1), 3)
    return [out[name] for name in sorted(out)]


def over_time(
    conn: Connection, where: list[Any], period: str, sources: list[str | None]
) -> dict[str, Any]:
    """Articles, words and technique spans per period for the articles matching
    `where`, in all and for each of `sources`."""
    counted = layer_counts.alias("counted")
    joined = stats.outerjoin(
        counted, (counted.c.article_id == stats.c.article_id) & (counted.c.layer == "techniques")
    )
    query = (
        select(
            stats.c.source,
            stats.c.day,
            func.count(),
            func.coalesce(func.sum(stats.c.words), 0),
            func.coalesce(func.sum(counted.c.n), 0),
        )
        .select_from(joined)
        .where(stats.c.day.is_not(None), *where)
        .group_by(stats.c.source, stats.c.day)
    )
    rows = [
        (r[0], date.fromisoformat(r[1]), int(r[2]), int(r[3]), int(r[4]))
        for r in conn.execute(query)
    ]
    if not rows:
        return {"period": period if period in PERIODS else "month", "points": [], "by_source": []}
    chosen = period_of(min(r[1] for r in rows), max(r[1] for r in rows), period)
    wanted = {(s or "").casefold(): s for s in sources}
    by_source: dict[str, list[tuple[date, int, int, int]]] = {}
    for source, day, articles, words, spans in rows:
        key = (source or "").casefold()
        if key in wanted:
            by_source.setdefault(key, []).append((day, articles, words, spans))
    return {
        "period": chosen,
        "points": points(((r[1], r[2], r[3], r[4]) for r in rows), chosen),
        "by_source": [
            {"source": wanted[key], "points": points(by_source[key], chosen)}
            for key in wanted
            if key in by_source
        ],
    }
