"""The corpus claims view's shared parts: its filters from query parameters and
the links of each listed claim (the API and the page both use them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from spinlens.claims.index import ClaimFilters, ClaimPage, list_claims
from spinlens.model import Span
from spinlens.render.marks import anchor
from spinlens.store import Store
from spinlens.web.queries import DAY, MAX_PER_PAGE, PER_PAGE, QueryError
from spinlens.web.state import path_quote

FILTERS = ("q", "source", "speaker", "date_from", "date_to", "min_score")


def claim_page(store: Store, params: Mapping[str, Any]) -> ClaimPage:
    """The page of claims that query parameters ask for (raises QueryError)."""
    filters = filters_of(params)
    page = max(1, whole(params.get("page"), 1))
    per_page = max(1, min(whole(params.get("per_page"), PER_PAGE), MAX_PER_PAGE))
    grouped = str(params.get("group") or "").lower() in ("1", "true", "on", "yes")
    listed = list_claims(store.engine, filters, page, per_page, grouped)
    for row in listed.rows:
        row["page"] = claim_link(row)
        for occurrence in row.get("occurrences") or []:
            occurrence["page"] = claim_link(occurrence)
    return listed


def filters_of(params: Mapping[str, Any]) -> ClaimFilters:
    values = {name: str(params.get(name) or "").strip()[:500] for name in FILTERS}
    problems = [
        f"{name} must be a date like 2024-05-31"
        for name in ("date_from", "date_to")
        if values[name] and not DAY.fullmatch(values[name])
    ]
    min_score = None
    if values["min_score"]:
        try:
            min_score = float(values["min_score"])
        except ValueError:
            problems.append("min_score must be a number from 0 to 1")
    if problems:
        raise QueryError("; ".join(problems))
    del values["min_score"]
    return ClaimFilters(**values, min_score=min_score)


def whole(value: Any, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def claim_link(row: Mapping[str, Any]) -> str:
    """The claim's mark in its article's page."""
    span = Span(int(row["start"]), int(row["end"]))
    return f"/articles/{path_quote(row['article_id'])}#{anchor('claims', span)}"


def page_url(params: Mapping[str, Any], **changes: Any) -> str:
    """The claims page with these parameters changed (empty ones left out)."""
    merged = {k: v for k, v in params.items() if k in (*FILTERS, "group", "per_page")}
    merged.update(changes)
    return "/claims?" + urlencode({k: v for k, v in merged.items() if v not in ("", None, 1)})
