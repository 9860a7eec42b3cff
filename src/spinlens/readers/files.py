"""Files on disk: walking folders without skipping anything silently, and the ids of
single-article files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from spinlens.model import short_hash
from spinlens.readers.base import ReadError, printable

SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
PATH_HASH = 8
"""Hex digits of the path hash that tells apart two files of the same name."""


def special_kind(mode: int) -> str:
    """What a file that is neither a regular file nor a folder is."""
    return next((name for test, name in SPECIAL_KINDS if test(mode)), "not a file")


def walk(folder: Path) -> list[Path | ReadError]:
    """The regular files under a folder, recursively, in path order, hidden ones left
    out; each folder that cannot be listed and each special file (never opened: a
    FIFO would block) is a ReadError in its place. Symbolic links to folders are not
    followed (they could loop); links to files are read."""
    found: list[tuple[Path, Path | ReadError]] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        found.append((where, ReadError(printable(str(where)), cannot("list folder", exc))))

    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [f for f in folders if not f.startswith(".")]
        for name in names:
            if not name.startswith("."):
                path = Path(root, name)
                found.append((path, checked(path)))
    found.sort(key=lambda item: item[0])
    return [entry for _, entry in found]


def checked(path: Path) -> Path | ReadError:
    """`path` when it is a regular file (links followed), else why it is not read."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return ReadError(printable(str(path)), cannot("read file", exc))
    if stat.S_ISREG(mode):
        return path
    return ReadError(printable(str(path)), f"not a regular file: {special_kind(mode)}")


def cannot(what: str, exc: OSError) -> str:
    return f"cannot {what} ({exc.strerror or exc})"


class FileIds:
    """Ids of single-article files (text, HTML), unique within one run.

    A file is known by its name without the suffix (`harbour-strike.txt` →
    `harbour-strike`). When another file of the run already has that id, the path
    inside the folder given (`corpus/b/index.txt` → `b/index`; for a file given by
    name, its folder's name and its own: `b/index`) is used instead; if that is taken
    too, `~` and a hash of the path as given are added (`b/index~1f2e3d4c`). So two
    files never share an id, and the ids of a run without clashes stay file stems.
    """

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}
        self.disambiguated = 0

    def of(self, path: Path, folder: Path | None = None) -> str:
        key = printable(str(path))
        inside = (
            path.relative_to(folder) if folder is not None else Path(path.parent.name, path.name)
        )
        for candidate in (path.stem, inside.with_suffix("").as_posix()):
            name = printable(candidate)
            if self.owners.setdefault(name, key) == key:
                self.disambiguated += name != printable(path.stem)
                return name
        unique = f"{name}~{short_hash(key, PATH_HASH)}"
        self.owners.setdefault(unique, key)
        self.disambiguated += 1
        return unique

    def describe(self) -> str:
        """How the ids of this run's files were formed, for the closing summary."""
        rule = "ids: files by name without suffix; records by given id, else URL or text hash"
        if not self.disambiguated:
            return rule
        count = f"{self.disambiguated} file{'s' if self.disambiguated != 1 else ''}"
        return f"{rule}; {count} named like another by path instead (~hash if still taken)"
