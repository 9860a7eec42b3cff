"""The `spinlens` command line: a thin shell over the library.

Exit codes: 0 all went well, 1 some documents failed, 2 usage errors, 3 the
store failed (locked, read-only, corrupt, disk full: one line on stderr says which).

Each command imports the library in its body, so that `spinlens --help` and every
command's --help start without loading the models (tests/test_imports.py checks).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, TextIO

import click

from spinlens import __version__
from spinlens.annotate_cli import annotate
from spinlens.attribution.cli import evaluate_attribution
from spinlens.claims.cli import claims, evaluate_claims
from spinlens.cli_options import (
    DB_HELP,
    metadata_file_option,
    min_score_option,
    research_models_option,
    settings_from,
    taxonomy_option,
)
from spinlens.constants import EXPORT_FORMATS, FORMATS
from spinlens.duplicates.cli import duplicates, stories
from spinlens.layers import skippable
from spinlens.persuasion.cli import evaluate_semeval23
from spinlens.speakers.cli import speakers
from spinlens.techniques.cli import evaluate, techniques
from spinlens.web.cli import serve

if TYPE_CHECKING:
    from spinlens.batch import Runner
    from spinlens.store import Store
    from spinlens.workers import PipelineSpec


class Commands(click.Group):
    """The command group; a failing store ends any command with one line and exit 3."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            where = ctx.meta.get("store_url")
            if where is None:  # no store opened: not a store fault
                raise
            from sqlalchemy import make_url
            from sqlalchemy.exc import DBAPIError

            from spinlens.store_errors import STORE_EXIT, StoreError, describe

            if not isinstance(exc, StoreError | DBAPIError):
                raise
            named = make_url(where).render_as_string(hide_password=True)
            click.echo(f"error: store {named}: {describe(exc)}", err=True)
            ctx.exit(STORE_EXIT)


def open_store(url: str | None, write: bool = False) -> Store:
    """The store, remembered for the error line should it fail."""
    from spinlens.store import Store, default_url
    from spinlens.store_errors import StoreError

    url = url or default_url()
    click.get_current_context().meta["store_url"] = url
    store = Store(url)
    if write and store.read_only:
        raise StoreError("the store is read-only: analyse into a writable one or with --no-store")
    return store


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="spinlens")
@click.option("--config", type=click.Path(dir_okay=False), help="TOML settings file.")
@click.pass_context
def main(ctx: click.Context, config: str | None) -> None:
    """Read news articles like a disinformation researcher, with evidence."""
    ctx.obj = {"config": config}


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", default="-", help="Output file; - for standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--db", help=DB_HELP)
@click.option("--no-store", is_flag=True, help="Analyse without writing to the store.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failed document.")
@click.option("--max-bytes", type=int, help="Largest document read (default 10 MB).")
@click.option("--spacy-model", help="Installed spaCy pipeline for English articles.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), help="Articles per batch.")
@click.option(
    "--workers",
    type=click.IntRange(1, 512),
    help="Processes running the pipeline, each loading the models once (default: one per core).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this machine's processes; ray: Ray Data batch inference (pip extra 'ray').",
)
@click.option("--ray-address", help="Ray cluster to join (default: start a local instance).")
@click.option(
    "--failures",
    "failures_file",
    type=click.Path(dir_okay=False),
    help="Also write each failed document (SOURCE <TAB> REASON) to this file.",
)
@click.option(
    "--without", multiple=True, type=click.Choice(skippable()), help="Skip an optional component."
)
@click.option("--source", help="Outlet of every article that names none of its own.")
@click.option("--published", help="Publication date (ISO 8601) of every article that gives none.")
@metadata_file_option(
    "CSV of metadata by input path or article id: columns path or id, then any of "
    "source, url, published, title, author (its values win over the input's)."
)
@research_models_option
@taxonomy_option
@min_score_option
@click.pass_context
def analyze(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: str,
    fmt: str,
    db: str | None,
    no_store: bool,
    fail_fast: bool,
    max_bytes: int | None,
    spacy_model: str | None,
    batch_size: int | None,
    workers: int | None,
    engine: str,
    ray_address: str | None,
    failures_file: str | None,
    without: tuple[str, ...],
    source: str | None,
    published: str | None,
    metadata_file: str | None,
    research_models: bool | None,
    taxonomy: str,
    min_score: float | None,
) -> None:
    """Analyse articles in files, folders (recursively) or - (stdin).

    Formats: .txt, .html/.htm, .jsonl, RSS/Atom feeds, .warc/.warc.gz; other
    files are recognised by their content. Re-running the same command after an
    interruption resumes it: what is already stored is not analysed again.
    """
    from rich.markup import escape

    from spinlens.batch import FailFast, Summary, analyze_stream
    from spinlens.cli_progress import progress_bar, report, stderr
    from spinlens.model import Article
    from spinlens.readers import FileIds, Limits, ReadError, count_documents, read_paths
    from spinlens.readers.metadata import MetadataError, metadata_of
    from spinlens.render import open_writer
    from spinlens.workers import PipelineSpec, cores

    settings = settings_from(
        ctx,
        db=db,
        max_bytes=max_bytes,
        spacy_model=spacy_model,
        batch_size=batch_size,
        workers=workers,
        research_models=research_models,
    )
    try:
        metadata, row_errors = metadata_of(source, published, metadata_file)
    except MetadataError as exc:
        raise click.UsageError(str(exc)) from exc
    store = None if no_store else open_store(settings.db, write=True)
    ids = FileIds()
    reads = read_paths(paths, Limits(max_bytes=settings.max_bytes), ids, metadata)
    total = count_documents(paths, metadata)
    summary = Summary(failures=row_errors)
    stopped: ReadError | None = None
    spec = PipelineSpec(settings.spacy_model, without, research_models=settings.research_models)
    workers = needed_workers(settings.workers or cores(), total, settings.batch_size)
    try:
        with (
            open_engine(engine, spec, workers, ray_address) as runner,
            open_output(output) as stream,
            open_failures(failures_file) as failures,
            progress_bar(total is not None) as progress,
        ):
            task = progress.add_task("analysing", total=total)
            writer = open_writer(fmt, stream, taxonomy, min_score)
            results = analyze_stream(reads, runner, store, summary, settings.batch_size, fail_fast)
            try:
                for result in results:
                    if isinstance(result, Article):
                        writer.write(result)
                    else:
                        progress.console.print(f"[red]error[/red] {escape(str(result))}")
                        failures.write(f"{result.source}\t{result.reason}\n")
                    progress.advance(task)
            except FailFast as exc:
                stopped = exc.error
            writer.close()
    except RuntimeError as exc:
        raise click.UsageError(str(exc)) from exc
    except KeyboardInterrupt:
        stderr.print("[red]interrupted[/red]: re-run the same command to resume")
        report(summary, None, failures_file)
        sys.exit(130)
    report(summary, stopped, failures_file)
    stderr.print(escape(ids.describe()))
    if unmatched := metadata.unmatched():
        stderr.print(f"metadata: {unmatched} row{'s' if unmatched != 1 else ''} matched no article")
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.argument("query")
@click.option("--db", help=DB_HELP)
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, db: str | None, limit: int) -> None:
    """Full-text search over stored articles (SQLite FTS5 syntax allowed)."""
    from spinlens.cli_progress import stderr
    from spinlens.store_errors import store_fault

    store = open_store(settings_from(ctx, db=db).db)
    try:
        hits = store.search(query, limit)
    except Exception as exc:  # noqa: BLE001 - a malformed query is a usage error
        if store_fault(exc):
            raise
        raise click.UsageError(f"search failed: {str(exc).splitlines()[0]}") from exc
    for hit in hits:
        click.echo(
            f"{hit.id}\t{hit.source or ''}\t{hit.title or ''}\t{' '.join(hit.snippet.split())}"
        )
    stderr.print(f"{len(hits)} match{'es' if len(hits) != 1 else ''}")


@main.command()
@click.argument("article_id")
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@taxonomy_option
@min_score_option
@click.pass_context
def show(
    ctx: click.Context,
    article_id: str,
    db: str | None,
    fmt: str,
    taxonomy: str,
    min_score: float | None,
) -> None:
    """Print one stored article."""
    from rich.markup import escape

    from spinlens.cli_progress import stderr
    from spinlens.render import open_writer

    article = open_store(settings_from(ctx, db=db).db).get(article_id)
    if article is None:
        stderr.print(f"[red]error[/red] no stored article with id {escape(article_id)}")
        sys.exit(1)
    writer = open_writer(fmt, sys.stdout, taxonomy, min_score)
    writer.write(article)
    writer.close()


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help="Default: jsonl for articles, csv with --claims.",
)
@click.option("--claims", is_flag=True, help="One row per check-worthy claim, across the corpus.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output file.")
@click.option("--db", help=DB_HELP)
@min_score_option
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str | None,
    claims: bool,
    output: str,
    db: str | None,
    min_score: float | None,
) -> None:
    """Export every stored article (jsonl: the same objects as `analyze` writes), or
    with --claims every claim: article, offsets, score, speaker, text, quantities."""
    from rich.markup import escape

    from spinlens.cli_progress import stderr
    from spinlens.export import export

    fmt = fmt or ("csv" if claims else "jsonl")
    store = open_store(settings_from(ctx, db=db).db)
    count = export(store, fmt, output, claims=claims, min_score=min_score)
    noun = "claim" if claims else "article"
    stderr.print(f"exported {count} {noun}{'s' if count != 1 else ''} to {escape(output)}")


def needed_workers(workers: int, total: int | None, batch_size: int) -> int:
    """No more workers than there are batches, when the input size is known."""
    return workers if total is None else max(1, min(workers, -(-total // batch_size)))


def open_engine(
    engine: str, spec: PipelineSpec, workers: int | None, ray_address: str | None
) -> AbstractContextManager[Runner]:
    """The runner of the chosen engine."""
    if engine == "local":
        from spinlens.workers import open_runner

        return open_runner(spec, workers)
    import importlib.util

    if importlib.util.find_spec("ray") is None:
        raise click.UsageError("--engine ray needs Ray: pip install 'spinlens[ray]'")
    from spinlens.ray_engine import open_ray_runner

    return open_ray_runner(spec, workers, ray_address)


@contextmanager
def open_failures(path: str | None) -> Iterator[TextIO]:
    """The failures file, written line by line (a sink when none is asked for)."""
    if path is None:
        yield io.StringIO()
        return
    with open(path, "w", encoding="utf-8", buffering=1) as stream:
        yield stream


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8") as stream:
        yield stream


main.add_command(annotate)
main.add_command(duplicates)
main.add_command(stories)
main.add_command(speakers)
main.add_command(techniques)
evaluate.add_command(evaluate_attribution)
evaluate.add_command(evaluate_claims)
evaluate.add_command(evaluate_semeval23)
main.add_command(claims)
main.add_command(evaluate)
main.add_command(serve)
