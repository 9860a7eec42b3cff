"""The `spinlens` command line: a thin shell over the library.

Exit codes: 0 all went well, 1 some documents failed, 2 usage errors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from spinlens import __version__
from spinlens.attribution.cli import evaluate_attribution
from spinlens.batch import FailFast, Summary, analyze_stream
from spinlens.cli_options import DB_HELP
from spinlens.config import Settings, load_settings
from spinlens.export import EXPORT_FORMATS, export
from spinlens.model import Article
from spinlens.pipeline.factory import COMPONENTS, build_pipeline
from spinlens.readers import Limits, ReadError, read_paths
from spinlens.render import FORMATS, open_writer
from spinlens.store import Store
from spinlens.techniques.cli import evaluate, techniques
from spinlens.web.cli import serve

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def settings_from(ctx: click.Context, **options: object) -> Settings:
    try:
        return load_settings(ctx.obj.get("config"), **options)
    except (OSError, ValueError) as exc:
        raise click.UsageError(f"configuration: {exc}") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    "--without", multiple=True, type=click.Choice(COMPONENTS), help="Skip an optional component."
)
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
    without: tuple[str, ...],
) -> None:
    """Analyse articles in files, folders (recursively) or - (stdin).

    Formats: .txt, .html/.htm, .jsonl, RSS/Atom feeds, .warc/.warc.gz; other
    files are recognised by their content.
    """
    settings = settings_from(
        ctx, db=db, max_bytes=max_bytes, spacy_model=spacy_model, batch_size=batch_size
    )
    try:
        pipeline = build_pipeline(settings.spacy_model, without)
    except RuntimeError as exc:
        raise click.UsageError(str(exc)) from exc
    store = None if no_store else Store(settings.db)
    reads = read_paths(paths, Limits(max_bytes=settings.max_bytes))
    summary = Summary()
    stopped: ReadError | None = None
    with open_output(output) as stream, progress_bar() as progress:
        task = progress.add_task("analysing", total=None)
        writer = open_writer(fmt, stream)
        results = analyze_stream(reads, pipeline, store, summary, settings.batch_size, fail_fast)
        try:
            for result in results:
                if isinstance(result, Article):
                    writer.write(result)
                else:
                    progress.console.print(f"[red]error[/red] {escape(str(result))}")
                progress.advance(task)
        except FailFast as exc:
            stopped = exc.error
        writer.close()
    report(summary, stopped)
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.argument("query")
@click.option("--db", help=DB_HELP)
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, db: str | None, limit: int) -> None:
    """Full-text search over stored articles (SQLite FTS5 syntax allowed)."""
    store = Store(settings_from(ctx, db=db).db)
    try:
        hits = store.search(query, limit)
    except Exception as exc:  # noqa: BLE001 - a malformed query is a usage error
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
@click.pass_context
def show(ctx: click.Context, article_id: str, db: str | None, fmt: str) -> None:
    """Print one stored article."""
    article = Store(settings_from(ctx, db=db).db).get(article_id)
    if article is None:
        stderr.print(f"[red]error[/red] no stored article with id {escape(article_id)}")
        sys.exit(1)
    writer = open_writer(fmt, sys.stdout)
    writer.write(article)
    writer.close()


@main.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output file.")
@click.option("--db", help=DB_HELP)
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: str, db: str | None) -> None:
    """Export every stored article (jsonl: the same objects as `analyze` writes)."""
    count = export(Store(settings_from(ctx, db=db).db), fmt, output)
    stderr.print(f"exported {count} article{'s' if count != 1 else ''} to {escape(output)}")


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8") as stream:
        yield stream


class RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time or task.elapsed
        if not elapsed or not task.completed:
            return Text("… articles/s", style="cyan")
        return Text(f"{task.completed / elapsed:.1f} articles/s", style="cyan")


def progress_bar() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} documents"),
        RateColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=False,
    )


def report(summary: Summary, stopped: ReadError | None) -> None:
    """The closing summary on standard error."""
    stderr.print(
        f"read {summary.read} · analysed {summary.analysed} · "
        f"skipped as duplicate {summary.duplicates} · failed {summary.failed}"
    )
    for failure in summary.failures:
        stderr.print(f"  failed: {escape(str(failure))}")
    if stopped is not None:
        stderr.print("[red]stopped at the first failure (--fail-fast)[/red]")


main.add_command(techniques)
evaluate.add_command(evaluate_attribution)
main.add_command(evaluate)
main.add_command(serve)
