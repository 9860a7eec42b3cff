"""Speakers across the corpus in the workspace: `GET /api/speakers`, a page per
merged speaker, the dashboard's top speakers and the speaker filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from speaker_articles import CORPUS, named

from spinlens.model import Article
from spinlens.store import Store
from spinlens.web.app import create_app

HOSTILE = "Ann <i>Lee</i>"


def corpus() -> list[Article]:
    """CORPUS with a claim by Donald J. Trump and a speaker with markup in the name."""
    first = Article.from_dict(CORPUS[0].to_dict())
    start = first.text.index("Build it")
    claim = {"start": start, "end": start + len("Build it"), "score": 0.8}
    speaker = {"name": "Donald J. Trump", "entity_id": "E1"}
    first.set_layer("claims", [claim | {"speaker": speaker, "quantities": [], "entities": []}])
    hostile = named("h", f'"Go," {HOSTILE} said.', {"E1": ("PERSON", [HOSTILE])}, {"E1": "Go,"})
    return [first, *CORPUS[1:], hostile]


@pytest.fixture
def client(tmp_path: Path):
    store = Store(f"sqlite:///{tmp_path / 'speakers.db'}")
    store.save(corpus())
    with TestClient(create_app(store, token=None, min_source_words=1)) as client:
        yield client
    store.close()


def test_api_lists_merged_speakers(client: TestClient) -> None:
    listed = client.get("/api/speakers").json()
    first = listed["items"][0]
    assert (first["speaker"], first["name"], first["quotes"], first["articles"]) == (
        "donald-j-trump",
        "Donald J. Trump",
        3,
        3,
    )
    assert first["page"] == "/speakers/donald-j-trump"
    names = {item["name"] for item in listed["items"]}
    assert {"Federal Bureau of Investigation", "Clinton", "Bill Clinton"} <= names
    assert "FBI" not in names and "Trump" not in names
    people = client.get("/api/speakers", params={"kind": "organization"}).json()["items"]
    assert [p["name"] for p in people] == ["Federal Bureau of Investigation"]
    assert client.get("/api/speakers", params={"q": "clint"}).json()["total"] == 3
    quoted = client.get("/api/speakers", params={"quoted": True}).json()["items"]
    assert all(item["quotes"] for item in quoted) and len(quoted) == 3
    assert client.get("/api/speakers", params={"kind": "planet"}).status_code == 422


def test_api_profile_of_a_speaker(client: TestClient) -> None:
    found = client.get("/api/speakers/donald-j-trump").json()
    assert set(found["names"]) == {"Donald J. Trump", "Donald Trump", "Trump"}
    assert [(m["month"], m["articles"]) for m in found["over_time"]] == [
        ("2016-05", 1),
        ("2016-06", 2),
    ]
    assert {o["source"] for o in found["outlets"]} == {"NYT", "WaPo", "Breitbart"}
    quotes = {q["text"]: q for q in found["quotes_shown"]}
    assert set(quotes) == {"Build it,", "Low energy,", "Sad,"}
    built = quotes["Build it,"]
    assert built["page"] == f"/articles/nyt-1#m-quotes-{built['start']}-{built['end']}"
    assert found["techniques"] == [{"technique": "Loaded_Language", "count": 3}]
    assert [c["claim"] for c in found["claims"]] == ["Build it"]
    assert client.get("/api/speakers/nobody").status_code == 404


def test_speaker_page_links_quotes_and_escapes(client: TestClient) -> None:
    page = client.get("/speakers/donald-j-trump")
    assert page.status_code == 200 and "<h1>Donald J. Trump</h1>" in page.text
    assert 'href="/articles/nyt-1#m-quotes-' in page.text
    article = client.get("/articles/nyt-1").text
    anchor = page.text.split('href="/articles/nyt-1#')[1].split('"')[0]
    assert f'id="{anchor}"' in article
    assert "Loaded language 3" in page.text
    listed = client.get("/speakers")
    assert listed.status_code == 200 and 'href="/speakers/donald-j-trump"' in listed.text
    hostile = client.get("/speakers").text + client.get("/speakers/ann-i-lee-i").text
    assert HOSTILE not in hostile and "Ann &lt;i&gt;Lee&lt;/i&gt;" in hostile
    assert client.get("/speakers/nobody").status_code == 404


def test_dashboard_top_speakers_are_merged_and_linked(client: TestClient) -> None:
    top = client.get("/api/aggregates").json()["top_speakers"]
    assert top[0] == {
        "name": "Donald J. Trump",
        "count": 3,
        "label": "person",
        "key": "donald-j-trump",
    }
    assert 'href="/speakers/donald-j-trump"' in client.get("/dashboard").text


def test_speaker_filter_takes_merged_names(client: TestClient) -> None:
    merged = client.get("/api/articles", params={"speaker": "Donald J. Trump"}).json()
    assert sorted(a["id"] for a in merged["items"]) == ["bb-1", "nyt-1", "wp-1"]
    assert merged["total"] == 3
    as_written = client.get("/api/articles", params={"speaker": "Clinton"}).json()
    assert [a["id"] for a in as_written["items"]] == ["bb-1"]
    options = dict((o["name"], o["count"]) for o in client.get("/api/facets").json()["speakers"])
    assert options["Donald J. Trump"] == 3 and "Trump" not in options
