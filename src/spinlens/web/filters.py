"""The one filter bar: what every corpus view (article list, dashboard, claims,
outlet pages, every chart) is restricted to, read from the URL's query parameters,
and the SQL conditions it adds."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from spinlens import layers as registry
from spinlens.claims.index import claim_index
from spinlens.facets import article_facets as facets
from spinlens.facets import article_stats as stats
from spinlens.speakers.views import speaker_articles
from spinlens.store import Store
from spinlens.store_search import found_docs

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
BASE_FILTERS = ("q", "source", "language", "date_from", "date_to", "min_score")
"""The filters of every view besides the facets (the fields of `Filters`)."""
MAX_OUTLETS = 50
"""Most outlets one filter names."""


class QueryError(ValueError):
    """A filter or search the store cannot run (shown to the user)."""


@dataclass(frozen=True)
class Filters:
    """What a corpus view is restricted to: search, metadata, the least claim score,
    and one value per facet kind of the layer registry (`facets`); empty strings mean
    'any'. `source` holds any number of outlets (`source` repeated in the URL): an
    article from any of them."""

    q: str = ""
    source: tuple[str, ...] = ()
    language: str = ""
    date_from: str = ""
    date_to: str = ""
    min_score: str = ""
    facets: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> Filters:
        """Filters from query parameters (unknown names ignored, values trimmed)."""

        def value(name: str) -> str:
            return str(params.get(name) or "").strip()[:500]

        given = params.getlist("source") if hasattr(params, "getlist") else [value("source")]
        kinds = registry.facet_kinds()
        return cls(
            q=value("q"),
            source=outlets(given),
            language=value("language"),
            date_from=value("date_from"),
            date_to=value("date_to"),
            min_score=value("min_score"),
            facets=tuple((kind, value(kind)) for kind in kinds if value(kind)),
        )

    def __getitem__(self, name: str) -> str:
        """Any filter's value by name ("" when not set): ``filters["speaker"]``;
        the outlets joined by commas."""
        if name == "source":
            return ", ".join(self.source)
        if name in BASE_FILTERS:
            return str(getattr(self, name))
        return dict(self.facets).get(name, "")

    @property
    def score(self) -> float | None:
        """`min_score` as a number (None: any)."""
        return float(self.min_score) if self.min_score else None

    def problems(self) -> list[str]:
        out = [
            f"{name} must be a date like 2024-05-31"
            for name in ("date_from", "date_to")
            if self[name] and not DAY.fullmatch(self[name])
        ]
        try:
            if self.min_score and not 0 <= float(self.min_score) <= 1:
                raise ValueError(self.min_score)
        except ValueError:
            out.append("min_score must be a number from 0 to 1")
        closed = {f.kind: f.values for f in registry.facets() if f.values}
        out += [
            f"unknown {kind} {value!r}"
            for kind, value in self.facets
            if kind in closed and value not in closed[kind]
        ]
        return out

    def checked(self) -> Filters:
        """These filters, or QueryError saying what is wrong with them."""
        if problems := self.problems():
            raise QueryError("; ".join(problems))
        return self

    def active(self) -> dict[str, str | list[str]]:
        """The filters set, by parameter name (what a URL carries; the outlets as
        a list)."""
        base = {k: v for k, v in asdict(self).items() if v and k not in ("facets", "source")}
        return ({"source": list(self.source)} if self.source else {}) | base | dict(self.facets)

    def but(self, **changes: str | tuple[str, ...]) -> Filters:
        """These filters with some changed (an empty value clears one; one outlet
        or several for `source`)."""
        base: dict[str, Any] = {k: v for k, v in changes.items() if k in BASE_FILTERS}
        if isinstance(base.get("source"), str):
            base["source"] = outlets([base["source"]])
        kinds = registry.facet_kinds()
        given = dict(self.facets) | {k: str(v) for k, v in changes.items() if k in kinds}
        facets = tuple((k, given[k]) for k in kinds if given.get(k))
        return replace(self, **base, facets=facets)

    def url(self, path: str = "/articles", **changes: str) -> str:
        """`path` with these filters (and `changes`) as query parameters; changes
        that are not filters (`format`, `chart`) are added as they are."""
        kinds = registry.facet_kinds()
        params = self.but(**changes).active() | {
            k: v for k, v in changes.items() if v and k not in BASE_FILTERS and k not in kinds
        }
        return f"{path}?{urlencode(params, doseq=True)}" if params else path


def outlets(given: list[Any]) -> tuple[str, ...]:
    """Outlets named in the URL: trimmed, each once, at most `MAX_OUTLETS`."""
    names = (str(name or "").strip()[:500] for name in given)
    return tuple(dict.fromkeys(name for name in names if name))[:MAX_OUTLETS]


def conditions_of(store: Store, filters: Filters, joined: bool = False) -> list[Any]:
    """WHERE terms on `article_stats` for the filters; search is left to the join
    when `joined` (relevance ranking)."""
    out: list[Any] = []
    if filters.source:
        out.append(stats.c.source.in_(filters.source))
    if filters.language:
        out.append(stats.c.language == filters.language)
    if filters.date_from:
        out.append(stats.c.day >= filters.date_from)
    if filters.date_to:
        out.append(stats.c.day <= filters.date_to)
    if (score := filters.score) is not None:
        scored = select(claim_index.c.article_id).where(claim_index.c.score >= score)
        out.append(stats.c.article_id.in_(scored))
    for kind, value in filters.facets:
        having: Any = select(facets.c.article_id).where(
            facets.c.kind == kind, facets.c.value == value
        )
        if kind == "speaker":  # a merged speaker's name stands for all of its names
            having = having.union(speaker_articles(value))
        out.append(stats.c.article_id.in_(having))
    if filters.q and not joined:
        out.append(stats.c.doc.in_(found_docs(store.is_sqlite, filters.q)))
    return out


def claim_conditions(store: Store, filters: Filters) -> list[Any]:
    """WHERE terms on the claims index: `q` as words of the claim, source, dates,
    score and speaker (the claim's own) on its columns, every other filter through
    the claim's article."""
    c = claim_index.c
    out: list[Any] = []
    if filters.q:
        out.append(c.claim.ilike(f"%{filters.q}%"))
    if filters.source:
        out.append(c.source.in_(filters.source))
    if filters["speaker"]:
        out.append(c.speaker == filters["speaker"])
    if filters.date_from:
        out.append(c.day >= filters.date_from)
    if filters.date_to:
        out.append(c.day <= filters.date_to)
    if (score := filters.score) is not None:
        out.append(c.score >= score)
    rest = Filters(
        language=filters.language,
        facets=tuple((k, v) for k, v in filters.facets if k != "speaker"),
    )
    if article_terms := conditions_of(store, rest):
        out.append(c.article_id.in_(select(stats.c.article_id).where(*article_terms)))
    return out
