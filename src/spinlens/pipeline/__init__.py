"""The pipeline: components run in order over batches of Articles, each adding a layer."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from spinlens import __version__
from spinlens.model import Article

MAX_ARTICLE_CHARS = 1_000_000
"""The longest article text analysed; a longer one fails with an error, in the CLI
and the API alike (issue #16: within this size every step is linear and the whole
pipeline stays within bounded time and memory; see docs/benchmarks.md)."""


class Component(Protocol):
    """One analysis step. It reads Articles and adds its layer to each.

    A component may declare what it reads (`requires`: layers or article fields such
    as "language", "doc", "encoding"), what it reads when present (`uses`) and what it
    sets (`assigns`); the pipeline checks the order against them."""

    name: str
    version: str

    def __call__(self, articles: Sequence[Article]) -> None: ...


@dataclass(frozen=True)
class ComponentOptions:
    """What every layer's component factory is built with."""

    threads: int = 0
    """ONNX Runtime threads per model (0: one per core)."""


class OrderError(ValueError):
    """A component placed before the one producing what it reads."""


def check_order(components: Sequence[Component]) -> None:
    """Every component's `requires` set by an earlier one, and nothing it `uses`
    set only later (raises OrderError)."""
    assigned: set[str] = set()
    for i, component in enumerate(components):
        missing = [r for r in getattr(component, "requires", ()) if r not in assigned]
        later = {a for c in components[i + 1 :] for a in getattr(c, "assigns", ())}
        late = [u for u in getattr(component, "uses", ()) if u in later and u not in assigned]
        if missing or late:
            raise OrderError(
                f"component {component.name!r} reads {', '.join(missing + late)} "
                "before any earlier component sets it"
            )
        assigned.update(getattr(component, "assigns", ()))


class Pipeline:
    """Components applied in order; one component failing on one article is an
    error of that article, not of the batch."""

    def __init__(self, components: Sequence[Component]):
        self.components = list(components)
        members = [m for c in self.components for m in getattr(c, "components", [c])]
        if all(hasattr(c, "assigns") for c in self.components):
            check_order(self.components)
        specs = [f"{m.name}@{m.version}" for m in members]
        digest = hashlib.sha256("\n".join(specs).encode()).hexdigest()[:8]
        self.info = {"version": f"{__version__}+{digest}", "components": specs}

    @property
    def version(self) -> str:
        return str(self.info["version"])

    def __call__(self, articles: Sequence[Article]) -> list[Article]:
        """Analyse a batch in place; returns the articles for chaining."""
        for article in articles:
            article.pipeline = self.info
            if len(article.text) > MAX_ARTICLE_CHARS:
                article.errors.append(
                    f"too long to analyse ({len(article.text):,} characters; "
                    f"limit {MAX_ARTICLE_CHARS:,})"
                )
        for component in self.components:
            healthy = [a for a in articles if not a.errors]
            try:
                component(healthy)
            except Exception:  # noqa: BLE001 - isolate the failing article
                for article in healthy:
                    try:
                        component([article])
                    except Exception as exc:  # noqa: BLE001
                        article.errors.append(f"{component.name}: {type(exc).__name__}: {exc}")
        for article in articles:
            article.doc = None
            article.encoding = None
        return list(articles)

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[Article]]:
        """Analyse batches one after another in this process (see `spinlens.workers`
        for the same in worker processes)."""
        for batch in batches:
            yield self(batch)
