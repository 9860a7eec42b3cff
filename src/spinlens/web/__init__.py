"""The web workspace (`spinlens serve`): corpus, article, analyse and dashboard
pages over the store, and a REST API under /api.

`create_app` is imported lazily so that the command line starts without FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinlens.web.app import create_app as create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from spinlens.web.app import create_app

        return create_app
    raise AttributeError(name)
