"""Opening a store's engine: SQLite writers wait for each other, schema setup by
runs starting together on a new store is retried, and a store this process may
not write is opened read-only (it can still be searched, shown and exported)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, Table, create_engine, event, make_url, select
from sqlalchemy.exc import DBAPIError, OperationalError

from spinlens.store_errors import StoreError

BUSY_SECONDS = 60.0
"""How long a SQLite connection waits for another process's write lock."""
SETUP_TRIES = 20
RACES = (
    "already exists",
    "database is locked",
    "database schema has changed",
    "pg_type_typname_nsp_index",  # PostgreSQL: two CREATE TABLE of one name at once
)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("uri") or str(parsed.database).startswith("file:"):
        return None  # an explicit SQLite URI: opened as given
    return Path(str(parsed.database))


def writable(path: Path) -> bool:
    """Whether this process may write the store file and create its journal beside it."""
    folder = path.parent
    if path.exists():
        return os.access(path, os.W_OK) and os.access(folder, os.W_OK)
    return os.access(folder, os.W_OK)


def open_engine(url: str, tune: Callable[[Any, Any], None]) -> tuple[Engine, bool]:
    """The engine for `url` and whether it is read-only. `tune` runs on every new
    connection of a writable SQLite store."""
    path = sqlite_file(url)
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url), False
    busy = {"timeout": BUSY_SECONDS}
    if path is None or writable(path):
        engine = create_engine(url, connect_args=busy)
        event.listen(engine, "connect", tune)
        return engine, False
    if not path.exists():
        raise StoreError(f"cannot create the store: {path.parent} is not writable")
    # no -wal file to read: nothing else is writing, so the file is read as it is
    # (a read-only folder leaves SQLite no room for its shared-memory file)
    still = "" if Path(f"{path}-wal").exists() else "&immutable=1"
    engine = create_engine(f"sqlite:///file:{quote(str(path))}?mode=ro{still}&uri=true")
    event.listen(engine, "connect", query_only)
    return engine, True


def query_only(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.execute("PRAGMA query_only=1")


def with_retries(setup: Callable[[], None], tries: int = SETUP_TRIES) -> None:
    """Run schema setup, again when a run starting at the same time on the same new
    store got there first (its tables appear between check and create)."""
    for attempt in range(tries):
        try:
            setup()
            return
        except DBAPIError as exc:
            if attempt == tries - 1 or not any(race in str(exc.orig) for race in RACES):
                raise
            time.sleep(min(0.05 * 2**attempt, 1.0))


def require_current(engine: Engine, meta: Table, schema: str) -> None:
    """A read-only store cannot be created or upgraded: its schema must be `schema`."""
    try:
        with engine.connect() as conn:
            found = conn.execute(select(meta.c.value).where(meta.c.key == "schema")).scalar()
    except OperationalError as exc:
        if "no such table" not in str(exc.orig):
            raise
        found = None
    if found != schema:
        raise StoreError(
            "the store is read-only and not a current spinlens store: "
            "open it once where it is writable to create or upgrade it"
        )
