"""The self-contained HTML report: one file, no network, every article text escaped."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from spinlens import __version__
from spinlens import layers as registry
from spinlens.model import Article
from spinlens.render.marks import report_layers
from spinlens.render.spool import Spool
from spinlens.render.templating import (
    article_view,
    environment,
    layer_css,
    score_filter,
    toggles,
)
from spinlens.techniques.display import above


@dataclass(frozen=True)
class Entry:
    """One line of the table of contents: the section's number, title and span
    counts of the layers shown."""

    number: int
    title: str
    counts: list[tuple[str, int]]


@dataclass(frozen=True)
class Legend:
    """A toggle per label of one layer, for the labels found in the report."""

    title: str
    style: str
    labels: list[tuple[str, str]]


class HtmlWriter:
    """Writes one HTML report with a section per article. The sections are kept in a
    spool until `close`, which writes the head first: the table of contents and the
    legends of what the articles hold. `taxonomy`: which technique layers to show
    (see `TAXONOMIES`)."""

    def __init__(self, stream: TextIO, taxonomy: str = "all", min_score: float | None = None):
        self.stream = stream
        self.layers = report_layers(taxonomy)
        self.min_score = min_score
        self.environment = environment()
        self.sections = Spool()
        self.contents: list[Entry] = []
        self.analysed: set[str] = set()
        self.found: dict[str, set[str]] = defaultdict(set)

    @property
    def count(self) -> int:
        return len(self.contents)

    def write(self, article: Article) -> None:
        if self.min_score is not None:
            article = above(article, self.min_score)
        view = article_view(article, self.layers)
        self.analysed |= view.analysed
        for piece in view.segments:
            for mark in piece.marks:
                self.found[mark.layer].add(mark.label)
        counts = [(t.title, t.count or 0) for t in view.toggles]
        self.contents.append(Entry(self.count + 1, article.title or article.id, counts))
        self.sections.write(
            self.environment.get_template("article.html.j2").render(
                number=self.count,
                article=article,
                view=view,
                prefix=f"a{self.count}-",
                linked=False,
            )
        )

    def legends(self) -> list[Legend]:
        """Per-label toggles of the shown layers, for the labels the articles hold."""
        return [
            Legend(s.title, s.style, [(n, css) for n, css in s.legend if n in self.found[s.name]])
            for s in registry.specs()
            if s.legend and s.name in self.layers and self.found[s.name]
        ]

    def close(self) -> None:
        self.stream.write(
            self.environment.get_template("head.html.j2").render(
                version=__version__,
                created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                css=layer_css(),
                legends=self.legends(),
                toggles=toggles(tuple(n for n in self.layers if n in self.analysed)),
                contents=self.contents if self.count > 1 else [],
                score_filter=score_filter(self.min_score) if self.found["techniques"] else None,
            )
        )
        self.sections.copy_to(self.stream)
        self.stream.write(self.environment.get_template("foot.html.j2").render(count=self.count))
        self.stream.flush()
