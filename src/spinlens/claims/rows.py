"""One flat row per claim, from an article's JSON object: what `export --claims`
writes, the store's claims index holds and `/api/claims` returns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

CLAIM_COLUMNS = [
    "article_id",
    "title",
    "source",
    "published",
    "url",
    "start",
    "end",
    "score",
    "speaker",
    "speaker_entity_id",
    "claim",
    "quantities",
    "entities",
]
"""One row per claim; quantities and entities are JSON lists."""


def speaker_of(given: Any) -> dict[str, Any]:
    """A claim's speaker as ``{"name", "entity_id"}`` (a bare name in early results)."""
    if isinstance(given, str):
        return {"name": given}
    return given if isinstance(given, dict) else {}


def claim_records(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every claim of one article's JSON object (docs/output-format.md), most
    check-worthy first."""
    text = data.get("text") or ""
    claims = [c for c in data.get("claims") or [] if isinstance(c, dict)]
    out = []
    for claim in sorted(claims, key=lambda c: -float(c.get("score", 0.0))):
        speaker = speaker_of(claim.get("speaker"))
        start, end = int(claim["start"]), int(claim["end"])
        out.append(
            {
                "article_id": data["id"],
                "title": data.get("title"),
                "source": data.get("source"),
                "published": data.get("published"),
                "url": data.get("url"),
                "start": start,
                "end": end,
                "score": float(claim.get("score", 0.0)),
                "speaker": speaker.get("name"),
                "speaker_entity_id": speaker.get("entity_id"),
                "claim": text[start:end],
                "quantities": json.dumps(claim.get("quantities") or [], ensure_ascii=False),
                "entities": json.dumps(claim.get("entities") or [], ensure_ascii=False),
            }
        )
    return out
