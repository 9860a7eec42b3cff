"""`spinlens annotate`: metadata for stored articles, without analysing them again."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spinlens.cli_options import DB_HELP, metadata_file_option, settings_from


@click.command()
@click.argument("article_id", required=False)
@click.option("--db", help=DB_HELP)
@metadata_file_option(
    "CSV of metadata: columns id (or path: the file's name without suffix is the "
    "id it was stored under), then any of source, url, published, title, author."
)
@click.option("--source", help="The article's outlet.")
@click.option("--published", help="Its publication date (ISO 8601).")
@click.option("--title", help="Its title.")
@click.option("--url", help="Its address.")
@click.option("--author", help="Its author.")
@click.pass_context
def annotate(
    ctx: click.Context,
    article_id: str | None,
    db: str | None,
    metadata_file: str | None,
    source: str | None,
    published: str | None,
    title: str | None,
    url: str | None,
    author: str | None,
) -> None:
    """Give stored articles metadata: ARTICLE_ID with the values given, or every row of
    a --metadata file. Offsets and layers stay; the corpus index, filters and claims
    see the new values at once. Exit 1 when a row is unusable or names no stored
    article."""
    from rich.markup import escape

    from spinlens.cli import open_store
    from spinlens.cli_progress import stderr
    from spinlens.readers import ReadError
    from spinlens.readers.metadata import MetadataError, checked, read_metadata

    given = {"source": source, "published": published, "title": title, "url": url}
    given["author"] = author
    if (article_id is None) == (metadata_file is None):
        raise click.UsageError("give an ARTICLE_ID with values, or --metadata FILE.csv")
    errors: list[ReadError] = []
    changes: dict[str, dict[str, str]] = {}
    try:
        if metadata_file is None:
            values = checked(given)
            if not values:
                raise click.UsageError("give at least one of --source, --published, --title, …")
            changes[str(article_id)] = values
        else:
            if any(given.values()):
                raise click.UsageError("--metadata takes no other values: put them in the file")
            rows, errors = read_metadata(metadata_file)
            for column, key, row in rows:
                changes.setdefault(key if column == "id" else Path(key).stem, {}).update(row)
    except (MetadataError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    store = open_store(settings_from(ctx, db=db).db, write=True)
    wanted = {key: values for key, values in changes.items() if values}
    found = set(store.annotate(wanted))
    errors += [ReadError(k, "no stored article with this id") for k in wanted if k not in found]
    for error in errors:
        stderr.print(f"[red]error[/red] {escape(str(error))}")
    stderr.print(f"annotated {len(found)} article{'s' if len(found) != 1 else ''}")
    sys.exit(1 if errors else 0)
