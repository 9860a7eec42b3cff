"""Progress and the closing summary of `spinlens analyze`, on standard error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

if TYPE_CHECKING:
    from spinlens.batch import Summary
    from spinlens.readers import ReadError

stderr = Console(stderr=True, highlight=False, soft_wrap=True)
LISTED = 20
"""Failures listed in the closing summary when they also go to a file."""


class RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time or task.elapsed
        if not elapsed or not task.completed:
            return Text("… articles/s", style="cyan")
        return Text(f"{task.completed / elapsed:.1f} articles/s", style="cyan")


def progress_bar(total_known: bool) -> Progress:
    """Documents done, rate and elapsed time; a bar and the time left when the
    number of documents is known up front."""
    columns: list[ProgressColumn | str] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total_known:
        columns += [BarColumn(), TextColumn("{task.completed}/{task.total} documents")]
    else:
        columns.append(TextColumn("{task.completed} documents"))
    columns += [RateColumn(), TimeElapsedColumn()]
    if total_known:
        columns += ["eta", TimeRemainingColumn()]
    return Progress(*columns, console=stderr, transient=False)


def report(summary: Summary, stopped: ReadError | None, failures_file: str | None) -> None:
    """The closing summary."""
    stderr.print(
        f"read {summary.read} · analysed {summary.analysed} · "
        f"skipped as duplicate {summary.duplicates} · failed {summary.failed}"
    )
    shown = summary.failures[:LISTED] if failures_file else summary.failures
    for failure in shown:
        stderr.print(f"  failed: {escape(str(failure))}")
    if failures_file and summary.failed:
        more = f"{summary.failed - len(shown)} more; " if summary.failed > len(shown) else ""
        stderr.print(f"  ({more}all failures are listed in {escape(failures_file)})")
    if stopped is not None:
        stderr.print("[red]stopped at the first failure (--fail-fast)[/red]")
