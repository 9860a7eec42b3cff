"""`spinlens speakers`: the store's speakers and entities, names merged across
articles, as JSON Lines or CSV records."""

from __future__ import annotations

import click

from spinlens.cli_options import DB_HELP, output_option, records_format_option, settings_from

SPEAKER_FIELDS = ["speaker", "name", "kind", "articles", "quotes", "mentions", "names"]
"""One record per merged speaker; `names` lists the names written for it."""


@click.command()
@click.option("--db", help=DB_HELP)
@records_format_option
@output_option
@click.pass_context
def speakers(ctx: click.Context, db: str | None, fmt: str, output: str) -> None:
    """Speakers and entities of the stored articles, one record each, names merged
    across articles ("Donald J. Trump", "Mr. Trump"), most quoted first: key, shown
    name, kind, articles, quotes, mentions and every name written for it."""
    from spinlens.cli import open_output, open_store
    from spinlens.cli_progress import stderr
    from spinlens.duplicates.report import write_records
    from spinlens.speakers.views import all_speakers

    store = open_store(settings_from(ctx, db=db).db)
    with open_output(output) as stream:
        count = write_records(all_speakers(store.engine), fmt, stream, SPEAKER_FIELDS)
    stderr.print(f"{count} speaker{'s' if count != 1 else ''}")
