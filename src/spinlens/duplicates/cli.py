"""`spinlens duplicates` and `spinlens stories`: copies and stories across the store,
as JSON Lines or CSV records. Each command imports the library in its body."""

from __future__ import annotations

import click

from spinlens.cli_options import DB_HELP, output_option, records_format_option, settings_from


@click.command()
@click.option("--db", help=DB_HELP)
@click.option(
    "--min-similarity",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Only pairs at least this similar (shared words over all words of the two).",
)
@records_format_option
@output_option
@click.pass_context
def duplicates(
    ctx: click.Context, db: str | None, min_similarity: float, fmt: str, output: str
) -> None:
    """Stored articles that copy each other: one record per pair, near-duplicates and
    shared passages, with the passages' offsets in each text (`a` the earlier)."""
    from spinlens.cli import open_output, open_store
    from spinlens.cli_progress import stderr
    from spinlens.duplicates.report import PAIR_FIELDS, pair_records, write_records

    store = open_store(settings_from(ctx, db=db).db)
    with open_output(output) as stream:
        count = write_records(pair_records(store.engine, min_similarity), fmt, stream, PAIR_FIELDS)
    stderr.print(f"{count} pair{'s' if count != 1 else ''}")


@click.command()
@click.option("--db", help=DB_HELP)
@records_format_option
@output_option
@click.option(
    "--min-articles", type=click.IntRange(1), default=2, show_default=True, help="Smallest story."
)
@click.option(
    "--order",
    type=click.Choice(["largest", "growing"]),
    default="largest",
    show_default=True,
    help="Largest first, or fastest-growing first (most articles in the last 7 days "
    "up to the newest stored).",
)
@click.pass_context
def stories(
    ctx: click.Context, db: str | None, fmt: str, output: str, min_articles: int, order: str
) -> None:
    """Stored articles about the same story, across outlets and days: one record per
    story (largest or fastest-growing first) with its articles in order and who
    published first."""
    from spinlens.cli import open_output, open_store
    from spinlens.cli_progress import stderr
    from spinlens.duplicates.report import write_records
    from spinlens.stories.cluster import STORY_FIELDS
    from spinlens.stories.cluster import stories as find_stories

    store = open_store(settings_from(ctx, db=db).db)
    found = (story.to_dict() for story in find_stories(store.engine, min_articles, order))
    with open_output(output) as stream:
        count = write_records(found, fmt, stream, STORY_FIELDS)
    stderr.print(f"{count} stor{'ies' if count != 1 else 'y'}")
