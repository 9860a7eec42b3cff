"""A layer added through the registry alone reaches every place a layer goes:
the pipeline, the JSON object, the store's index, the reports, the workspace and
the API. The toy layer lives in tests/toylayer/; no spinlens file knows it."""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient
from toylayer.layer import SPEC, Hedge

from spinlens import layers as registry
from spinlens.model import Article
from spinlens.pipeline import OrderError, Pipeline
from spinlens.pipeline.factory import build_pipeline
from spinlens.pipeline.language import LanguageDetector
from spinlens.render import open_writer
from spinlens.store import Store
from spinlens.web.app import create_app
from spinlens.web.queries import Filters, list_articles

TEXT = (
    "Rebels reportedly seized the airport on Monday.\n"
    "The minister allegedly fled, a spokesman said."
)


@pytest.fixture()
def toy_layer():
    registry.register(SPEC)
    yield SPEC
    registry.unregister(SPEC.name)


@pytest.fixture()
def analysed(toy_layer) -> Article:
    pipeline = build_pipeline(without=("techniques", "quotes", "claims"))
    assert any(c.name == "hedges" for c in pipeline.components)
    article = Article.create("toy", TEXT, title="Airport seized", source="Wire")
    return pipeline([article])[0]


def test_the_component_adds_its_layer_and_json_carries_it(analysed):
    assert [h.word for h in analysed.spans(Hedge)] == ["reportedly", "allegedly"]
    data = json.loads(json.dumps(analysed.to_dict()))
    assert list(data)[-3:] == ["claims", "hedges", "errors"]
    assert data["hedges"][0] == {"start": 7, "end": 17, "word": "reportedly"}
    again = Article.from_dict(data)
    assert again.spans(Hedge) == analysed.spans(Hedge)


def test_store_index_counts_sorts_and_filters_it(analysed, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'toy.db'}")
    plain = Article.create("plain", "Nothing hedged here.", source="Wire")
    plain.layers["hedges"] = []
    store.save([analysed, plain])
    listing = list_articles(store, Filters(), sort="hedges", order="desc")
    assert [(r["article_id"], r["counts"]["hedges"]) for r in listing.rows] == [
        ("toy", 2),
        ("plain", 0),
    ]
    hedged = list_articles(store, Filters.of({"hedge": "allegedly"}))
    assert [r["article_id"] for r in hedged.rows] == ["toy"]


def test_reports_draw_its_marks_and_panel(analysed):
    stream = io.StringIO()
    writer = open_writer("html", stream)
    writer.write(analysed)
    writer.close()
    html = stream.getvalue()
    assert 'class="hedge"' in html and "border-bottom: 2px dotted" in html
    assert '<li class="hedge-item">allegedly at' in html and 'id="show-hedges"' in html


def test_workspace_page_and_api_serve_it(analysed, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'web.db'}")
    store.save([analysed])
    with TestClient(create_app(store, token=None)) as client:
        page = client.get("/articles/toy").text
        assert '<li class="hedge-item">reportedly at 7</li>' in page
        assert ".text span.hedge" in client.get("/static/layers.css").text
        listed = client.get("/api/articles", params={"hedge": "reportedly", "sort": "hedges"})
        assert listed.json()["items"][0]["counts"]["hedges"] == 2
        assert client.get("/api/facets").json()["hedges"] == [
            {"name": "allegedly", "count": 1},
            {"name": "reportedly", "count": 1},
        ]
        corpus = client.get("/").text
        assert 'name="hedge"' in corpus and "Hedges" in corpus


def test_an_older_store_is_reindexed_for_the_new_layer(toy_layer, tmp_path):
    """A store indexed before the layer existed gets its derived tables rebuilt."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    registry.unregister(SPEC.name)
    before = Store(url)
    article = Article.create("a", TEXT)
    article.layers["hedges"] = [Hedge(7, 17, "reportedly")]
    before.save([article])
    before.close()
    registry.register(SPEC)
    after = Store(url)
    assert list_articles(after, Filters.of({"hedge": "reportedly"})).total == 1


def test_the_pipeline_refuses_a_component_before_what_it_reads():
    finder = registry.component_factory(SPEC)(None)
    with pytest.raises(OrderError, match="hedges"):
        Pipeline([finder, LanguageDetector()])
