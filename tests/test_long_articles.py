"""Issue #16: the work of entity linking and attribution (speaker resolution
included) grows linearly with the article, counted in comparisons, not seconds: per
entity mention and per attribution, it stays about the same on a text four times as
long (a comparison of every pair would make it four times as much)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from long_articles import long_article

from spinlens.attribution import entities, ranking, speakers
from spinlens.attribution.component import attributions
from spinlens.model import Article, Entity
from spinlens.pipeline import MAX_ARTICLE_CHARS, Pipeline
from spinlens.pipeline.linguistic import (
    DEFAULT_MODEL,
    annotate,
    load_spacy,
    parse_in_sections,
    sections,
)
from spinlens.textspans import Intervals

BASE = 6_000
"""Characters of the shorter article; the longer one has four times as many."""


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_spacy(DEFAULT_MODEL)


def counting(monkeypatch: pytest.MonkeyPatch, counts: Counter[str]) -> None:
    """Count the calls of the inner comparisons, and the items every interval query
    looks at (a query that scans the whole article counts them all)."""

    def wrap(owner: Any, name: str, weight: Callable[[Any], int] = lambda _: 1) -> None:
        inner = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            result = inner(*args, **kwargs)
            counts[name] += weight(result)
            return result

        monkeypatch.setattr(owner, name, counted)

    wrap(entities.Cluster, "matches")
    wrap(ranking, "mention_features")
    wrap(speakers.SpeakerResolver, "best_described")
    wrap(Intervals, "starting", len)


def work(nlp: Any, chars: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """The counted comparisons of linking and attributing one synthetic article: of
    entity clustering per mention, of the rest per attribution."""
    text = long_article(chars)
    article = Article.create("long", text)
    annotate(article, nlp(text))
    counts: Counter[str] = Counter()
    with monkeypatch.context() as patch:
        counting(patch, counts)
        _, clusters = entities.cluster_entities(entities_of(article))
        quotes, _ = attributions(article, [])  # no encoding: the rules alone
    assert clusters and quotes
    mentions = len(entities_of(article))
    return {
        name: count / (mentions if name == "matches" else len(quotes))
        for name, count in counts.items()
    }


def entities_of(article: Article) -> list[Entity]:
    return [e for e in article.layers["entities"] if isinstance(e, Entity)]


def test_attribution_work_grows_linearly(nlp, monkeypatch):
    short = work(nlp, BASE, monkeypatch)
    long = work(nlp, 4 * BASE, monkeypatch)
    for name in ("matches", "mention_features", "best_described", "starting"):
        assert short[name] > 0, name
        assert long[name] <= 1.6 * short[name], (name, short[name], long[name])


def test_sections_are_cut_after_line_breaks():
    text = long_article(3_000)
    pieces = sections(text, 500)
    assert "".join(pieces) == text
    assert all(len(p) <= 500 and p.endswith("\n") for p in pieces[:-1])
    assert sections("word " * 300, 100)[0] == "word " * 20


def test_a_sectioned_parse_keeps_the_text_offsets(nlp):
    text = long_article(4_000)
    doc = parse_in_sections(nlp, text, 1_000)
    assert doc.text == text
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (e.start_char, e.end_char, e.label_) for e in nlp(text).ents
    ]


def test_the_pipeline_refuses_articles_over_the_maximum():
    seen: list[str] = []

    class Recorder:
        name = "recorder"
        version = "1"

        def __call__(self, articles: list[Article]) -> None:
            seen.extend(a.id for a in articles)

    longest = Article.create("longest", "a" * MAX_ARTICLE_CHARS)
    over = Article.create("over", "a" * (MAX_ARTICLE_CHARS + 1))
    Pipeline([Recorder()])([longest, over])
    assert seen == ["longest"]
    assert not longest.errors
    assert over.errors == [
        f"too long to analyse ({MAX_ARTICLE_CHARS + 1:,} characters; limit {MAX_ARTICLE_CHARS:,})"
    ]
