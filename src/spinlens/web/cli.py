"""`spinlens serve`: the web workspace over the store."""

from __future__ import annotations

import click

from spinlens.cli_options import DB_HELP, research_models_option, settings_from
from spinlens.constants import MIN_SOURCE_WORDS

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--spacy-model", help="Installed spaCy pipeline for English articles.")
@click.option(
    "--max-upload-mb",
    type=click.IntRange(1, 100_000),
    default=100,
    show_default=True,
    help="Largest upload (all files of one request).",
)
@click.option(
    "--max-queue",
    type=click.IntRange(1, 100_000),
    help="Most analyses waiting at once; more are answered 503 with Retry-After [default: 64].",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="Host name clients may use (default on loopback: 127.0.0.1, localhost, ::1).",
)
@click.option(
    "--min-source-words",
    type=click.IntRange(1),
    default=MIN_SOURCE_WORDS,
    show_default=True,
    help="Fewest words of a source the dashboard's per-source charts show.",
)
@research_models_option
@click.pass_context
def serve(
    ctx: click.Context,
    db: str | None,
    host: str,
    port: int,
    spacy_model: str | None,
    max_upload_mb: int,
    max_queue: int | None,
    allowed_hosts: tuple[str, ...],
    min_source_words: int,
    research_models: bool | None,
) -> None:
    """Start the web workspace: browse, search, analyse, dashboard, REST API (/api).

    Writes need `Authorization: Bearer TOKEN` when SPINLENS_TOKEN is set. The
    analysis models load on the first analysis, not at start.
    """
    import uvicorn
    from sqlalchemy import make_url

    from spinlens.web.app import create_app
    from spinlens.web.jobs import MAX_QUEUE

    settings = settings_from(ctx, db=db, spacy_model=spacy_model, research_models=research_models)
    if not allowed_hosts and host in LOOPBACK:
        allowed_hosts = LOOPBACK
    app = create_app(
        settings=settings,
        max_upload=max_upload_mb * 1_000_000,
        allowed_hosts=allowed_hosts,
        max_queue=max_queue or MAX_QUEUE,
        min_source_words=min_source_words,
    )
    store = make_url(app.state.ws.store.url).render_as_string(hide_password=True)
    click.echo(f"spinlens workspace on http://{host}:{port}/ (store: {store})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
