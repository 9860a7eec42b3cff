"""Figures over time: articles and technique spans per 1,000 words per day, week
or month, for the chosen articles and for each of the largest outlets, with the
number of articles behind every point."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import numpy as np

from spinlens.web.cube import Cube

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


def daily(cube: Cube, chosen: np.ndarray) -> list[tuple[date, int, int, int]]:
    """(day, articles, words, technique spans) of the chosen dated articles."""
    dated = chosen & (cube.day > 0)
    days, where = np.unique(cube.day[dated], return_inverse=True)
    size = len(days)
    articles = np.bincount(where, minlength=size)
    words = np.bincount(where, weights=cube.words[dated], minlength=size)
    spans = np.bincount(where, weights=cube.spans[dated], minlength=size)
    return [
        (date.fromordinal(int(d)), int(articles[i]), int(words[i]), int(spans[i]))
        for i, d in enumerate(days)
    ]


def over_time(cube: Cube, chosen: np.ndarray, period: str, sources: list[int]) -> dict[str, Any]:
    """Articles, words and technique spans per period for the chosen articles, in
    all and for each of `sources` (codes in the cube)."""
    rows = daily(cube, chosen)
    if not rows:
        return {"period": period if period in PERIODS else "month", "points": [], "by_source": []}
    chosen_period = period_of(rows[0][0], rows[-1][0], period)
    by_source = [
        (cube.sources.values[code], daily(cube, chosen & (cube.source == code))) for code in sources
    ]
    return {
        "period": chosen_period,
        "points": points(rows, chosen_period),
        "by_source": [
            {"source": name, "points": points(found, chosen_period)}
            for name, found in by_source
            if found
        ],
    }
