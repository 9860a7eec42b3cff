"""Metadata given beside the input: batch defaults (`analyze --source/--published`),
a CSV file of rows keyed by article id or input path, and dates in file names.

Precedence, for each field of an article: a `--metadata` row, then what the input
itself carries (HTML metadata, a feed item's date, a JSON Lines field, WARC-Date),
then an ISO date in the file's name, then the command line's batch defaults.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from spinlens.model import Article
from spinlens.readers.base import ReadError

FIELDS = ("source", "url", "published", "title", "author")
"""The metadata a row or the command line may give (all but the article's language)."""
KEYS = ("path", "id")
NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


class MetadataError(ValueError):
    """A metadata file or value that cannot be used at all (a usage error)."""


def iso_date(value: str) -> str:
    """A date or date-time as ISO 8601 (a day stays a day: ``2016-10-09``); RFC 2822
    dates are read too. Raises ValueError for anything else."""
    given = value.strip()
    try:
        if len(given) == 10:
            return date.fromisoformat(given).isoformat()
        return datetime.fromisoformat(given).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(given).isoformat()
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"not a date: {given!r} (use ISO 8601, e.g. 2016-10-09)") from None


def checked(values: Mapping[str, str | None]) -> dict[str, str]:
    """The non-empty values, stripped, the date as ISO 8601 (raises ValueError)."""
    out = {k: v.strip() for k, v in values.items() if k in FIELDS and v and v.strip()}
    if "published" in out:
        out["published"] = iso_date(out["published"])
    return out


def name_date(path: Path) -> str | None:
    """An ISO date in a file's name (``2016-10-09-cnn-debate.txt``), if a real day."""
    for found in NAME_DATE.findall(path.name):
        try:
            return date.fromisoformat(found).isoformat()
        except ValueError:
            continue
    return None


def dated_by_name(read: Article | ReadError, path: Path) -> Article | ReadError:
    """An article without a date of its own takes the one in its file's name."""
    if isinstance(read, Article) and read.published is None:
        read.published = name_date(path)
    return read


@dataclass
class Metadata:
    """Metadata to give the articles of a run: `rows` by article id and by input
    path (resolved), `defaults` for whatever an article still lacks."""

    defaults: dict[str, str] = field(default_factory=dict)
    by_id: dict[str, dict[str, str]] = field(default_factory=dict)
    by_path: dict[str, dict[str, str]] = field(default_factory=dict)
    matched: set[str] = field(default_factory=set)
    file: str | None = None
    """The metadata file itself (resolved), never read as an article."""

    def is_own_file(self, path: Path) -> bool:
        return self.file is not None and str(path.resolve()) == self.file

    def apply(self, read: Article | ReadError, path: Path | None) -> Article | ReadError:
        """Give one read article its row's values (a path row, then an id row over
        it), then the defaults where it has none."""
        if not isinstance(read, Article):
            return read
        given: dict[str, str] = {}
        where = str(path.resolve()) if path is not None else None
        if where is not None and where in self.by_path:
            given.update(self.by_path[where])
            self.matched.add(where)
        if read.id in self.by_id:
            given.update(self.by_id[read.id])
            self.matched.add(read.id)
        for name in FIELDS:
            if name in given:
                setattr(read, name, given[name])
            elif getattr(read, name) is None and name in self.defaults:
                setattr(read, name, self.defaults[name])
        return read

    def unmatched(self) -> int:
        """Rows that gave no article of the run their values."""
        return len((set(self.by_id) | set(self.by_path)) - self.matched)


def read_metadata(path: str) -> tuple[list[tuple[str, str, dict[str, str]]], list[ReadError]]:
    """The rows of a metadata CSV as (key column, key, values), and an error for each
    row that cannot be used (a bad date, no key). Raises MetadataError for a file
    that cannot be read or has columns other than path, id and `FIELDS`."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            columns = [c.strip() for c in reader.fieldnames or []]
            if unknown := [c for c in columns if c not in (*KEYS, *FIELDS)]:
                raise MetadataError(
                    f"{path}: unknown column{'s' if len(unknown) > 1 else ''} "
                    f"{', '.join(map(repr, unknown))} (known: {', '.join((*KEYS, *FIELDS))})"
                )
            if not set(KEYS) & set(columns):
                raise MetadataError(f"{path}: needs a 'path' or an 'id' column")
            rows, errors = [], []
            for raw in reader:
                where = f"{path}:{reader.line_num}"
                cells = {(k or "").strip(): (v or "") for k, v in raw.items() if k}
                key = next(((k, cells[k].strip()) for k in KEYS if cells.get(k, "").strip()), None)
                if key is None:
                    errors.append(ReadError(where, "no path or id"))
                    continue
                try:
                    rows.append((key[0], key[1], checked(cells)))
                except ValueError as exc:
                    errors.append(ReadError(where, f"published: {exc}"))
            return rows, errors
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise MetadataError(f"{path}: cannot read the metadata file ({exc})") from exc


def metadata_for_run(
    rows: Iterable[tuple[str, str, dict[str, str]]], folder: Path, defaults: dict[str, str]
) -> Metadata:
    """Rows keyed for matching: a relative path is looked for beside the metadata file
    (`folder`) and, when no file is there, in the working folder."""
    out = Metadata(defaults=defaults)
    for column, key, values in rows:
        if column == "id":
            out.by_id.setdefault(key, {}).update(values)
            continue
        given = Path(key).expanduser()
        beside = given if given.is_absolute() else folder / given
        where = beside if beside.exists() or given.is_absolute() else given
        out.by_path.setdefault(str(where.resolve()), {}).update(values)
    return out


def metadata_of(
    source: str | None, published: str | None, path: str | None
) -> tuple[Metadata, list[ReadError]]:
    """What `analyze --source/--published/--metadata` give a run, and the errors of
    the metadata file's rows. Raises MetadataError for a bad default or file."""
    try:
        defaults = checked({"source": source, "published": published})
    except ValueError as exc:
        raise MetadataError(f"--published: {exc}") from exc
    rows, errors = read_metadata(path) if path else ([], [])
    folder = Path(path).parent if path else Path()
    metadata = metadata_for_run(rows, folder, defaults)
    metadata.file = str(Path(path).resolve()) if path else None
    return metadata, errors
