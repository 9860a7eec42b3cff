"""Who may write: writes come from this site's own pages (or non-browser clients)
and, when SPINLENS_TOKEN is set, carry it as a bearer token."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request

from spinlens.web.state import workspace


def same_origin(request: Request) -> bool:
    """A write from a browser must come from this site's own pages (browsers name
    the page's origin on every cross-site POST; other clients send none)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin != "null" and urlsplit(origin).netloc == request.headers.get("host", "")


def bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def authorised(request: Request, given: str | None) -> bool:
    """Writes are open without SPINLENS_TOKEN; with it, the token must match."""
    token = workspace(request).token
    if token is None:
        return True
    return given is not None and secrets.compare_digest(given.encode(), token.encode())


def require_writer(request: Request) -> None:
    """Dependency of every write: not from another site's page, and the bearer
    token when SPINLENS_TOKEN is set."""
    if not same_origin(request):
        raise HTTPException(403, "cross-site requests are refused")
    if not authorised(request, bearer(request)):
        raise HTTPException(
            401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )


Writer = Depends(require_writer)
