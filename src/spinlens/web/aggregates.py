"""The dashboard's figures for the articles the filter bar chooses: sums over the
in-memory corpus cube (`web/cube.py`) under the filters' mask."""

from __future__ import annotations

from typing import Any

import numpy as np

from spinlens.constants import MIN_SOURCE_WORDS
from spinlens.model import UNRESOLVED
from spinlens.web.cube import Cube, month_name
from spinlens.web.timeline import over_time

TOP_SOURCES = 12
MIN_WORDS = MIN_SOURCE_WORDS
TOP_NAMES = 15
MONTHS = 24
NO_SOURCE = "(no source)"


def aggregates(
    cube: Cube, chosen: np.ndarray, period: str = "", min_words: int = MIN_WORDS
) -> dict[str, Any]:
    """Everything the dashboard draws (the `Aggregates` schema of the API) for the
    `chosen` articles; sources with fewer than `min_words` words are left out of the
    per-source figures; `period` (day, week, month; default: by the dates' range)
    groups the figures over time."""
    sources = top_sources(cube, chosen, min_words)
    languages = np.bincount(cube.language[chosen], minlength=len(cube.languages.values))
    return {
        "articles": int(chosen.sum()),
        "words": int(cube.words[chosen].sum()),
        "techniques_per_source": techniques_per_source(cube, chosen, sources),
        "techniques_over_time": techniques_by_month(cube, chosen),
        "over_time": over_time(cube, chosen, period, [s["code"] for s in sources]),
        "top_speakers": top_names(cube, chosen, "speaker", UNRESOLVED, keep=False),
        "unresolved_speakers": top_names(cube, chosen, "speaker", UNRESOLVED),
        "top_entities": top_names(cube, chosen, "entity"),
        "reported_speech": reported_speech(sources),
        "languages": [
            {"name": cube.languages.values[c] or "unknown", "count": int(languages[c])}
            for c in ranked(languages, [str(v) for v in cube.languages.values])
        ],
    }


def ranked(counts: np.ndarray, names: list[str], limit: int = TOP_NAMES) -> list[int]:
    """Codes of the `limit` largest non-zero counts, ties by name."""
    found = np.nonzero(counts)[0]
    best = found[np.argsort(-counts[found], kind="stable")][: 10 * limit]
    return sorted(best.tolist(), key=lambda c: (-counts[c], names[c].casefold()))[:limit]


def top_sources(cube: Cube, chosen: np.ndarray, min_words: int) -> list[dict[str, Any]]:
    """The sources with most chosen articles (and at least `min_words` words): code,
    name, articles, words, quoted and all characters."""
    size = len(cube.sources.values)

    def total(weights: np.ndarray | None = None) -> np.ndarray:
        given = None if weights is None else weights[chosen]
        return np.bincount(cube.source[chosen], weights=given, minlength=size)

    articles, words = total(), total(cube.words)
    quoted, chars = total(cube.quote_chars), total(cube.chars)
    articles[words < min_words] = 0
    names = [v or "" for v in cube.sources.values]
    return [
        {"code": c, "source": cube.sources.values[c], "articles": int(articles[c])}
        | {"words": int(words[c]), "quote_chars": int(quoted[c]), "chars": int(chars[c])}
        for c in ranked(articles, names, TOP_SOURCES)
    ]


def label(source: str | None) -> str:
    return source if source else NO_SOURCE


def spans_by(cube: Cube, chosen: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    """Technique spans of the chosen articles, by group (each article's code in
    `groups`, from 0 to `size`) and technique: a (size, techniques) matrix."""
    rows = cube.facets["technique"]
    kept = chosen[rows.article] & (groups[rows.article] >= 0)
    width = len(rows.values.values)
    cells = groups[rows.article[kept]] * width + rows.value[kept]
    found = np.bincount(cells, weights=rows.n[kept], minlength=size * width)
    return found.reshape(size, width)


def techniques_per_source(
    cube: Cube, chosen: np.ndarray, sources: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Technique spans per 1,000 words, by source (the largest sources)."""
    spans = spans_by(cube, chosen, cube.source.astype(np.int64), len(cube.sources.values))
    names = cube.facets["technique"].values.values
    out = []
    for s in sources:
        words = max(s["words"], 1)
        counted = {names[t]: n for t, n in enumerate(spans[s["code"]]) if n}
        rates = {k: round(1000 * v / words, 3) for k, v in sorted(counted.items())}
        out.append(
            {
                "source": label(s["source"]),
                "articles": s["articles"],
                "words": s["words"],
                "per_1000_words": rates,
                "total_per_1000_words": round(sum(rates.values()), 3),
            }
        )
    return out


def techniques_by_month(cube: Cube, chosen: np.ndarray) -> list[dict[str, Any]]:
    """Technique spans per month of publication (the latest months with dated articles)."""
    dated = chosen & (cube.month >= 0)
    months = np.unique(cube.month[dated])[-MONTHS:]
    if not len(months):
        return []
    groups = np.searchsorted(months, cube.month)
    inside = (groups < len(months)) & (months[np.minimum(groups, len(months) - 1)] == cube.month)
    groups = np.where(inside, groups, -1)
    kept = dated & inside
    articles = np.bincount(groups[kept], minlength=len(months))
    words = np.bincount(groups[kept], weights=cube.words[kept], minlength=len(months))
    spans = spans_by(cube, kept, groups, len(months))
    names = cube.facets["technique"].values.values
    return [
        {"month": month_name(int(m)), "articles": int(articles[i]), "words": int(words[i])}
        | {"counts": {names[t]: int(n) for t, n in enumerate(spans[i]) if n}}
        for i, m in enumerate(months)
    ]


def top_names(
    cube: Cube, chosen: np.ndarray, kind: str, label: str | None = None, keep: bool = True
) -> list[dict[str, Any]]:
    """The most frequent speakers (quotes) or named entities (mentions) of the
    chosen articles; with `label`, only those with it (`keep`) or only the others."""
    rows = cube.facets[kind]
    kept = chosen[rows.article]
    mentions = np.bincount(
        rows.value[kept], weights=rows.n[kept], minlength=len(rows.values.values)
    )
    if label is not None:
        same = np.array([found == label for found in rows.labels], dtype=bool)
        mentions[same != keep] = 0
    names = rows.values.values
    return [
        {"name": names[c], "count": int(mentions[c]), "label": rows.labels[c]}
        for c in ranked(mentions, names)
    ]


def reported_speech(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Share of each source's text inside quotes."""
    return [
        {
            "source": label(s["source"]),
            "articles": s["articles"],
            "share": round(s["quote_chars"] / s["chars"], 4) if s["chars"] else 0.0,
        }
        for s in sources
    ]
