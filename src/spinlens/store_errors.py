"""Store faults in one line: a locked, read-only, corrupt or full store is named
for what it is, not shown as a traceback, and ends the command line with its own
exit code (`STORE_EXIT`)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

STORE_EXIT = 3
"""Exit code of a command stopped by its store (1 means some documents failed)."""

REASONS = (
    ("database is locked", "the store is busy: another process held its write lock too long"),
    ("readonly database", "the store is read-only (file or folder permissions)"),
    ("file is not a database", "the store file is not a SQLite database (corrupt or another file)"),
    ("disk image is malformed", "the store file is corrupt"),
    ("database or disk is full", "the disk holding the store is full"),
    ("disk i/o error", "the disk holding the store failed to read or write"),
    (
        "unable to open database file",
        "the store file cannot be opened (missing folder or no access)",
    ),
)


class StoreError(Exception):
    """A store that cannot be used, explained in one line."""


def store_fault(exc: BaseException) -> str | None:
    """The one-line reason when `exc` says the store itself failed (not the query);
    None for other errors."""
    if isinstance(exc, StoreError):
        return first_line(str(exc))
    if not isinstance(exc, DBAPIError | sqlite3.Error):
        return None
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    message = first_line(str(cause))
    for needle, reason in REASONS:
        if needle in message.lower():
            return f"{reason} ({message})"
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return f"the store's connection was lost ({message})"
    return None


def describe(exc: BaseException) -> str:
    """One line for any store error: the known reason, else the driver's first line."""
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    return store_fault(exc) or first_line(str(cause)) or type(exc).__name__


def first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else ""
