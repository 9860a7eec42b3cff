"""Speakers and entities across the corpus in the workspace: `GET /api/speakers`, a
page per merged speaker and per entity, the dashboard's top speakers and entities
and the speaker filter."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from speaker_articles import CORPUS, named

from spinlens.model import Article
from spinlens.store import Store
from spinlens.web.app import create_app

HOSTILE = "Ann <i>Lee</i>"
SCRIPT = "<script>alert(1)</script>"


def corpus() -> list[Article]:
    """CORPUS with sentences and claims in its first article (one by Donald J. Trump,
    one naming the FBI), a speaker with markup in the name and an entity named like a
    script in two outlets and months."""
    first = Article.from_dict(CORPUS[0].to_dict())
    ends = [at + 1 for at, char in enumerate(first.text) if char == "."]
    first.set_layer(
        "sentences", [{"start": a, "end": b} for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    )
    start = first.text.index("Build it")
    claim = {"start": start, "end": start + len("Build it"), "score": 0.8}
    speaker = {"name": "Donald J. Trump", "entity_id": "E1"}
    fbi = {"start": first.text.index("The Federal"), "end": len(first.text), "score": 0.6}
    first.set_layer(
        "claims",
        [
            claim | {"speaker": speaker, "quantities": [], "entities": []},
            fbi | {"speaker": None, "quantities": [], "entities": []},
        ],
    )
    hostile = named("h", f'"Go," {HOSTILE} said.', {"E1": ("PERSON", [HOSTILE])}, {"E1": "Go,"})
    scripts = [
        named(f"s-{day}", f"{SCRIPT} ran.", {"E1": ("PERSON", [SCRIPT])}, source=src, published=day)
        for src, day in (("NYT", "2016-07-01"), ("WaPo", "2016-08-01"))
    ]
    return [first, *CORPUS[1:], hostile, *scripts]


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


def test_speaker_filters_are_honoured(client: TestClient) -> None:
    path = "/api/speakers/donald-j-trump"
    nyt = client.get(path, params={"source": "NYT"}).json()
    assert (nyt["articles"], nyt["quotes"], nyt["mentions"]) == (1, 1, 2)
    assert [(m["month"], m["articles"]) for m in nyt["over_time"]] == [("2016-05", 1)]
    assert [o["source"] for o in nyt["outlets"]] == ["NYT"]
    assert [q["text"] for q in nyt["quotes_shown"]] == ["Build it,"]
    assert [c["claim"] for c in nyt["claims"]] == ["Build it"]
    assert set(nyt["names"]) == {"Donald J. Trump", "Donald Trump", "Trump"}
    june = client.get(path, params={"date_from": "2016-06-01", "date_to": "2016-06-30"}).json()
    assert (june["articles"], june["quotes"]) == (2, 2)
    assert {o["source"] for o in june["outlets"]} == {"WaPo", "Breitbart"}
    assert {q["text"] for q in june["quotes_shown"]} == {"Low energy,", "Sad,"}
    assert june["claims"] == [] and june["techniques"][0]["count"] == 2
    none = client.get(path, params={"date_to": "2016-01-01"}).json()
    assert (none["articles"], none["over_time"], none["quotes_shown"]) == (0, [], [])
    assert client.get(path, params={"date_from": "soon"}).status_code == 400
    assert client.get("/api/speakers/nobody", params={"source": "NYT"}).status_code == 404


def test_speaker_page_has_the_filter_bar(client: TestClient) -> None:
    page = client.get("/speakers/donald-j-trump", params={"source": "WaPo"})
    assert page.status_code == 200 and 'id="filter-bar"' in page.text
    assert 'action="/speakers/donald-j-trump"' in page.text
    assert '<option value="WaPo" selected>' in page.text
    assert "<b>1</b> quote ·" in page.text and "matching the filters" in page.text
    listed = 'href="/articles?source=WaPo&amp;speaker=Donald+J.+Trump">1 article</a>'
    assert listed in page.text
    assert "Low energy," in page.text and "Build it," not in page.text
    assert 'href="/api/speakers/donald-j-trump?source=WaPo"' in page.text
    wrong = client.get("/speakers/donald-j-trump", params={"date_from": "soon"})
    entity = client.get("/entities/Trump", params={"date_from": "soon"})
    assert wrong.status_code == entity.status_code == 400
    alert = '<p class="error" role="alert">date_from must be a date like 2024-05-31</p>'
    assert alert in wrong.text and alert in entity.text and 'id="filter-bar"' in wrong.text
    assert client.get("/speakers/nobody", params={"source": "WaPo"}).status_code == 404


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


def test_api_entity_profile(client: TestClient) -> None:
    found = client.get("/api/entities/Donald J. Trump").json()
    assert (found["entity"], found["kind"], found["articles"], found["mentions"]) == (
        "Donald J. Trump",
        "PERSON",
        1,
        2,
    )
    assert found["speaker_page"] == "/speakers/donald-j-trump"
    assert [(m["month"], m["articles"], m["quotes"]) for m in found["over_time"]] == [
        ("2016-05", 1, 1)
    ]
    assert [q["text"] for q in found["quotes_shown"]] == ["Build it,"]
    assert [(c["claim"], c["why"]) for c in found["claims"]] == [("Build it", "said")]
    assert found["techniques"] == [{"technique": "Loaded_Language", "count": 1}]
    mark = found["technique_marks"][0]
    assert mark["page"].startswith("/articles/nyt-1#m-entities-")
    anchor = mark["page"].split("#")[1]
    assert f'id="{anchor}"' in client.get("/articles/nyt-1").text
    fbi = client.get("/api/entities/Federal Bureau of Investigation").json()
    assert [c["why"] for c in fbi["claims"]] == ["mentions"]
    assert fbi["speaker_page"] == "/speakers/federal-bureau-of-investigation"
    assert fbi["techniques"] == [] and fbi["quotes"] == 0
    assert client.get("/api/entities/nobody").status_code == 404
    assert client.get("/api/entities/Trump", params={"date_from": "soon"}).status_code == 400


def test_entity_filters_are_honoured(client: TestClient) -> None:
    path = "/api/entities/" + quote(SCRIPT, safe="")
    every = client.get(path).json()
    assert every["articles"] == 2 and {o["source"] for o in every["outlets"]} == {"NYT", "WaPo"}
    nyt = client.get(path, params={"source": "NYT"}).json()
    assert [(m["month"], m["articles"]) for m in nyt["over_time"]] == [("2016-07", 1)]
    late = client.get(path, params={"date_from": "2016-08-01"}).json()
    assert [o["source"] for o in late["outlets"]] == ["WaPo"]
    page = client.get("/entities/" + quote(SCRIPT, safe=""), params={"source": "WaPo"})
    assert page.status_code == 200 and 'id="filter-bar"' in page.text
    assert 'action="/entities/' in page.text and "matching the filters" in page.text


def test_entity_page_escapes_and_links(client: TestClient) -> None:
    page = client.get("/entities/" + quote(SCRIPT, safe=""))
    assert page.status_code == 200 and SCRIPT not in page.text
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page.text
    trump = client.get("/entities/Donald J. Trump").text
    assert 'href="/speakers/donald-j-trump"' in trump and "their claim" in trump
    assert "Techniques in sentences that mention them" in trump
    assert client.get("/entities/nobody").status_code == 404
    dashboard = client.get("/dashboard", params={"source": "NYT"}).text
    assert 'href="/entities/Donald%20J.%20Trump?source=NYT"' in dashboard


def test_article_entities_link_to_their_pages(client: TestClient) -> None:
    article = client.get("/articles/nyt-1").text
    entities = article.split('id="entities"')[1]
    trump = '<a href="/entities/Donald%20J.%20Trump" title="Donald J. Trump: its page">'
    assert trump + "Donald J. Trump</a>" in entities and trump + "Mr. Trump</a>" in entities
    assert client.get("/entities/Donald%20J.%20Trump").status_code == 200
    hostile = client.get("/articles/s-2016-07-01").text.split('id="entities"')[1]
    href = "/entities/" + quote(SCRIPT, safe="")
    assert f'<a href="{href}"' in hostile and SCRIPT not in hostile
    assert ">&lt;script&gt;alert(1)&lt;/script&gt;</a>" in hostile
    assert client.get(href).status_code == 200
