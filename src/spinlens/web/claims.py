"""The corpus claims view's shared parts: its filters from query parameters and
the links of each listed claim (the API and the page both use them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from spinlens import layers as registry
from spinlens.claims.index import ClaimPage, list_claims
from spinlens.model import Span
from spinlens.render.marks import anchor
from spinlens.render.templating import path_quote
from spinlens.store import Store
from spinlens.web.filters import BASE_FILTERS, Filters, claim_conditions
from spinlens.web.queries import MAX_PER_PAGE, PER_PAGE


def claim_page(store: Store, params: Mapping[str, Any]) -> ClaimPage:
    """The page of claims that query parameters ask for (raises QueryError)."""
    filters = Filters.of(params).checked()
    page = max(1, whole(params.get("page"), 1))
    per_page = max(1, min(whole(params.get("per_page"), PER_PAGE), MAX_PER_PAGE))
    grouped = str(params.get("group") or "").lower() in ("1", "true", "on", "yes")
    where = claim_conditions(store, filters)
    listed = list_claims(store.engine, where, page, per_page, grouped)
    for row in listed.rows:
        row["page"] = claim_link(row)
        for occurrence in row.get("occurrences") or []:
            occurrence["page"] = claim_link(occurrence)
    return listed


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
    kept = (*BASE_FILTERS, *registry.facet_kinds(), "group", "per_page")
    merged = {k: v for k, v in params.items() if k in kept}
    merged.update(changes)
    return "/claims?" + urlencode({k: v for k, v in merged.items() if v not in ("", None, 1)})
