"""The self-contained HTML report: one file, no network, every article text escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO

from spinlens import __version__
from spinlens import layers as registry
from spinlens.model import Article
from spinlens.render.marks import report_layers
from spinlens.render.templating import (
    article_view,
    environment,
    layer_css,
    score_filter,
    toggles,
)
from spinlens.techniques.display import above


class HtmlWriter:
    """Writes one HTML report with a section per article, streamed. `taxonomy`:
    which technique layers to show (see `TAXONOMIES`)."""

    def __init__(self, stream: TextIO, taxonomy: str = "all", min_score: float | None = None):
        self.stream = stream
        self.count = 0
        self.layers = report_layers(taxonomy)
        self.min_score = min_score
        self.environment = environment()
        self.stream.write(
            self.environment.get_template("head.html.j2").render(
                version=__version__,
                created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                css=layer_css(),
                legends=[s for s in registry.specs() if s.legend and s.name in self.layers],
                toggles=toggles(self.layers),
                score_filter=score_filter(min_score) if "techniques" in self.layers else None,
            )
        )

    def write(self, article: Article) -> None:
        self.count += 1
        if self.min_score is not None:
            article = above(article, self.min_score)
        self.stream.write(
            self.environment.get_template("article.html.j2").render(
                number=self.count,
                article=article,
                view=article_view(article, self.layers),
                prefix=f"a{self.count}-",
                linked=False,
            )
        )

    def close(self) -> None:
        self.stream.write(self.environment.get_template("foot.html.j2").render(count=self.count))
        self.stream.flush()
