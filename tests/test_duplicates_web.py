"""Copies in the workspace: the REST API's pairs and the article page's "also
published as" and "shares passages with", escaped."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_duplicates import ORIGINAL, corpus, paragraphs

from spinlens.model import Article, Technique
from spinlens.store import Store
from spinlens.web.app import create_app

HOSTILE = '<script>alert("x")</script> ' + paragraphs(1)[4]


@pytest.fixture
def client(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    hostile_host = "\n\n".join([*paragraphs(5)[:2], HOSTILE])
    articles = corpus()
    copy = next(a for a in articles if a.id == "copy")
    copy.layers["techniques"] = [Technique(0, 8, "Loaded_Language", 0.9)]
    store.save([*articles, Article.create("hostile", hostile_host, source="<b>bad</b>")])
    with TestClient(create_app(store, token=None, pipeline_factory=lambda: None)) as client:
        yield client
    store.close()


def test_the_api_lists_pairs_and_an_articles_copies(client) -> None:
    pairs = client.get("/api/duplicates").json()
    assert {(p["a"], p["b"]) for p in pairs} >= {("orig", "copy"), ("orig", "lift")}
    near = client.get("/api/duplicates", params={"kind": "near-duplicate"}).json()
    assert [(p["a"], p["b"]) for p in near] == [("orig", "copy")]
    paged = client.get("/api/duplicates", params={"limit": 1, "offset": 1}).json()
    assert paged == pairs[1:2]
    mine = client.get("/api/duplicates/orig").json()
    assert mine[0]["b"] == "copy" and mine[0]["similarity"] > 0.95
    others = {p["a"] if p["b"] == "orig" else p["b"] for p in mine}
    assert others == {"copy", "lift", "hostile"}
    assert client.get("/api/duplicates/nothing").status_code == 404
    assert client.get("/api/duplicates", params={"kind": "other"}).status_code == 422


def test_the_article_page_shows_copies_and_escapes_them(client) -> None:
    page = client.get("/articles/orig").text
    assert "Also published as" in page and 'href="/articles/copy"' in page
    assert "Shares passages with" in page and 'href="/articles/lift"' in page
    lifted = " ".join(paragraphs(1)[4].split())[:60]
    assert lifted in page
    assert "<script>alert" not in page and "&lt;b&gt;bad&lt;/b&gt;" in page
    alone = client.get("/articles/other").text
    assert "Also published as" not in alone and "Shares passages with" not in alone
    assert ORIGINAL[:40] not in alone


def test_stories_in_the_api_and_their_page(client) -> None:
    found = client.get("/api/stories").json()
    assert any({"orig", "copy"} <= set(s["articles"]) for s in found)
    assert all(len(s["articles"]) >= 2 for s in found)
    singles = client.get("/api/stories", params={"min_articles": 1}).json()
    assert sum(len(s["articles"]) for s in singles) == 5
    page = client.get("/stories").text
    assert 'href="/articles/orig"' in page and 'href="/articles/copy"' in page
    assert "<b>bad</b>" not in page and "<script>alert" not in page


def test_the_article_page_compares_the_versions_of_its_story(client) -> None:
    page = client.get("/articles/orig").text
    assert "The same story elsewhere" in page
    versions = page[page.index('id="same-story"') :]
    assert "this article" in versions and 'href="/articles/copy"' in versions
    assert "Loaded language (1)" in versions
    alone = client.get("/articles/other").text
    assert "The same story elsewhere" not in alone


def test_the_api_tells_whom_an_outlet_copies_and_who_copies_it(client) -> None:
    lift = client.get("/api/outlets/lift/copies").json()
    assert lift["source"] == "lift"
    assert [(f["earlier"], f["later"], f["pairs"]) for f in lift["copies_from"]] == [
        ("copy", "lift", 1),
        ("orig", "lift", 1),
    ]
    assert lift["copied_by"] == []
    (unknown,) = lift["order_unknown"]  # the hostile article has no date
    assert (unknown["earlier"], unknown["later"]) == ("<b>bad</b>", "lift")
    orig = client.get("/api/outlets/orig/copies").json()
    assert orig["copies_from"] == []
    near = next(f for f in orig["copied_by"] if f["later"] == "copy")
    assert (near["pairs"], near["near_duplicates"], near["shared_passages"]) == (1, 1, 0)
    assert {f["later"] for f in orig["copied_by"]} == {"copy", "lift"}
    assert client.get("/api/outlets/nobody/copies").status_code == 404


def test_the_copies_page_lists_flows_between_outlets_escaped(client) -> None:
    page = client.get("/copies").text
    assert 'href="/copies?source=orig"' in page and 'href="/articles?source=lift"' in page
    flows = page[page.index("Published first") : page.index("Order unknown")].split("<tr>")[2:]
    pairs = [
        (row.split("</a>")[0].rsplit(">", 1)[1], row.split("</a>")[1].rsplit(">", 1)[1])
        for row in flows
    ]
    assert pairs == [("copy", "lift"), ("orig", "copy"), ("orig", "lift")]  # the earlier first
    assert "<b>bad</b>" not in page and "&lt;b&gt;bad&lt;/b&gt;" in page
    one = client.get("/copies", params={"source": "lift"}).text
    section = one[one.index('id="outlet-copies"') :]
    assert "Copies from" in section and 'href="/articles?source=copy"' in section
    assert "<b>bad</b>" not in one and "/copies?source=%3Cb%3Ebad%3C/b%3E" in one
    assert client.get("/copies", params={"source": "nobody"}).status_code == 404


def test_an_outlet_profile_shows_whom_the_outlet_copies(client) -> None:
    page = client.get("/outlets/lift").text
    assert 'id="outlet-copies"' in page and "Copies from" in page
