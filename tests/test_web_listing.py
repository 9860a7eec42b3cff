"""The article list ordered from the corpus cube (`web/corpus.py`) gives what the
store's own `ORDER BY` gives: the same articles, in the same order, with the same
total, under every filter and every sort the cube orders by."""

from __future__ import annotations

from typing import Any

import pytest
from listing_corpus import FILTERS, assert_cube_lists_as_store, listing_corpus, page

from spinlens.store import Store
from spinlens.web.corpus import Paging, list_corpus
from spinlens.web.filters import Filters
from spinlens.web.queries import list_articles


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from spinlens.web.app import create_app

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('listing') / 'list.db'}")
    store.save(listing_corpus())
    yield create_app(store, token=None).state.ws
    store.close()


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(p) or "none")
def test_the_cube_lists_what_the_store_lists(workspace, params):
    assert_cube_lists_as_store(workspace, params)


def test_the_listing_is_not_trivially_equal(workspace):
    """The store above has ties and undated articles, and a search that ranks."""
    dated = list_articles(workspace.store, Filters(), "date", "asc", 1, 60).rows
    assert dated[0]["day"] is None and dated[-1]["day"] == "2026-03-04"
    assert len({r["day"] for r in dated}) == 5
    searched = Filters.of({"q": "harbour", "language": "en"})
    ranked = list_corpus(workspace, searched, Paging("relevance"))
    assert ranked.sort == "relevance" and 1 < ranked.total < 60
    by_date = list_corpus(workspace, searched, Paging())
    assert by_date.sort == "date"
    assert page(by_date)[1] != page(ranked)[1]


def test_the_article_api_and_page_list_from_the_cube(workspace):
    from fastapi.testclient import TestClient

    from spinlens.web.app import create_app

    client = TestClient(create_app(workspace.store, token=None))
    found = client.get("/api/articles", params={"q": "harbour", "source": "Wire"}).json()
    expected = list_articles(workspace.store, Filters.of({"q": "harbour", "source": "Wire"}))
    assert [i["id"] for i in found["items"]] == page(expected)[1]
    assert found["total"] == expected.total
    html = client.get("/articles", params={"q": "harbour", "sort": "words"}).text
    ids = page(list_articles(workspace.store, Filters.of({"q": "harbour"}), "words"))[1]
    shown = [html.index(f'href="/articles/{i}"') for i in ids]
    assert len(ids) > 1 and shown == sorted(shown)


def test_several_outlets_at_once(workspace):
    """`source` repeated: articles from any of the outlets, in the SQL listing, the
    cube's and the API; one `source=` still names one outlet."""
    from fastapi.testclient import TestClient
    from starlette.datastructures import QueryParams

    from spinlens.web.app import create_app

    params = QueryParams("q=harbour&source=Wire&source=herald&source=Wire")
    filters = Filters.of(params)
    assert filters.source == ("Wire", "herald")
    assert filters.url() == "/articles?source=Wire&source=herald&q=harbour"
    both = list_articles(workspace.store, filters, "date", "desc", 1, 60)
    each = [list_articles(workspace.store, filters.but(source=s)).total for s in filters.source]
    assert both.total == sum(each) and all(each)
    assert {r["source"] for r in both.rows} == {"Wire", "Herald"}
    assert_cube_lists_as_store(workspace, params)
    client = TestClient(create_app(workspace.store, token=None))
    found = client.get("/api/articles", params=[("source", "Wire"), ("source", "Herald")]).json()
    one = client.get("/api/articles", params={"source": "Wire"}).json()
    assert (
        found["total"]
        > one["total"]
        == list_articles(workspace.store, filters.but(q="", source="Wire")).total
    )
    page_html = client.get("/articles?source=Wire&source=Herald").text
    assert page_html.count(" selected>") >= 2 and '<option value="Herald" selected>' in page_html
