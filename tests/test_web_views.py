"""The one filter bar across the corpus views: the dashboard's figures and charts
for the filtered articles, their links, CSV and SVG downloads, figures over time,
outlet profiles and the claims view under the same filters."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

from spinlens.web.filters import Filters
from spinlens.web.middleware import CSP
from spinlens.web.outlets import interval
from spinlens.web.timeline import bounds, period_of


def test_filters_read_the_url_and_write_it_back():
    filters = Filters.of({"q": " port ", "technique": "Doubt", "min_score": "0.5", "x": "y"})
    assert filters.active() == {"q": "port", "min_score": "0.5", "technique": "Doubt"}
    assert Filters.of(dict(parse_qsl(urlsplit(filters.url()).query))) == filters
    moved = filters.but(source="Wire", technique="")
    assert moved.active() == {"source": ["Wire"], "q": "port", "min_score": "0.5"}
    assert filters.url("/dashboard", q="") == "/dashboard?min_score=0.5&technique=Doubt"
    for bad in ({"min_score": "high"}, {"min_score": "2"}, {"date_to": "May"}):
        assert Filters.of(bad).problems()


def test_periods_and_their_bounds():
    from datetime import date

    assert period_of(date(2024, 1, 1), date(2024, 2, 1)) == "day"
    assert period_of(date(2024, 1, 1), date(2024, 9, 1)) == "week"
    assert period_of(date(2024, 1, 1), date(2025, 9, 1)) == "month"
    assert period_of(date(2024, 1, 1), date(2025, 9, 1), "day") == "day"
    assert bounds(date(2024, 2, 14), "week")[1:] == (date(2024, 2, 12), date(2024, 2, 18))
    assert bounds(date(2024, 2, 14), "month")[1:] == (date(2024, 2, 1), date(2024, 2, 29))


def test_bootstrap_interval_is_seeded_and_holds_the_estimate():
    rng = np.random.default_rng(0)
    words = rng.integers(200, 900, 60).astype(float)
    spans = rng.poisson(3, (60, 2)).astype(float)
    low, high = interval(spans, words)
    again = interval(spans, words)
    assert np.array_equal(low, again[0]) and np.array_equal(high, again[1])
    point = 1000 * spans.sum(axis=0) / words.sum()
    assert np.all(low < point) and np.all(point < high)
    narrow = interval(np.tile(spans, (10, 1)), np.tile(words, 10))
    assert np.all(narrow[1] - narrow[0] < high - low)  # more articles: a tighter interval


def test_aggregates_follow_the_filters(web_client):
    everything = web_client.get("/api/aggregates").json()
    wire = web_client.get("/api/aggregates", params={"source": "wire"}).json()
    listed = web_client.get("/api/articles", params={"source": "wire"}).json()
    assert wire["articles"] == listed["total"] == 2 < everything["articles"]
    assert [s["source"] for s in wire["techniques_per_source"]] == ["Wire"]
    dated = web_client.get("/api/aggregates", params={"date_from": "2026-03-01"}).json()
    assert all(m["month"] >= "2026-03" for m in dated["techniques_over_time"])
    none = web_client.get("/api/aggregates", params={"technique": "Doubt", "q": "zzzqqq"}).json()
    assert none["articles"] == 0 and none["over_time"]["points"] == []
    assert web_client.get("/api/aggregates", params={"min_score": "lots"}).status_code == 422


def test_over_time_counts_the_articles_behind_each_point(web_client):
    items = web_client.get("/api/articles").json()["items"]
    dated = sum(1 for i in items if i["day"])
    for period in ("day", "week", "month"):
        timeline = web_client.get("/api/aggregates", params={"period": period}).json()["over_time"]
        assert timeline["period"] == period
        assert sum(p["articles"] for p in timeline["points"]) == dated
        wire = next(s for s in timeline["by_source"] if s["source"] == "Wire")
        assert sum(p["articles"] for p in wire["points"]) == 2
        for p in timeline["points"]:
            assert p["from"] <= p["to"]
            assert p["per_1000_words"] == pytest.approx(1000 * p["spans"] / p["words"], abs=1e-3)
    auto = web_client.get("/api/aggregates").json()["over_time"]
    assert auto["period"] == "day"  # seven weeks of dates


def hrefs(svg: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<a href="([^"]+)">', svg)]


def test_every_chart_bar_leads_to_its_articles(web_client):
    page = web_client.get("/dashboard", params={"language": "en"}).text
    assert page.count("<svg") == 7 and 'id="filter-bar"' in page
    articles = re.search(r'id="chart-articles_over_time".*?</figure>', page, re.S).group(0)
    for href, title in zip(
        hrefs(articles),
        re.findall(r"<title>[^<:]+: (\d+) articles?</title>", articles),
        strict=True,
    ):
        params = dict(parse_qsl(urlsplit(href).query))
        assert params["language"] == "en" and params["date_from"] <= params["date_to"]
        total = web_client.get("/api/articles", params=params).json()["total"]
        assert total == int(title)
    speakers = re.search(r'id="chart-speakers".*?</figure>', page, re.S).group(0)
    first = hrefs(speakers)[0]
    assert "speaker=" in first and web_client.get(first).status_code == 200
    sources = re.search(r'id="chart-per_source".*?</figure>', page, re.S).group(0)
    assert any("technique=" in h and "source=" in h for h in hrefs(sources))


def test_chart_downloads(web_client):
    got = web_client.get("/api/aggregates", params={"format": "csv", "chart": "over_time"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert {"source", "period", "from", "to", "articles"} <= set(rows[0])
    assert sum(int(r["articles"]) for r in rows if r["source"] == "all articles") >= 4
    speakers = web_client.get(
        "/api/aggregates", params={"format": "csv", "chart": "speakers", "source": "Wire"}
    )
    assert speakers.status_code == 200 and speakers.text.startswith("name,count,label")
    assert web_client.get("/api/aggregates?format=csv&chart=nope").status_code == 404
    svg = web_client.get("/dashboard/per_source.svg", params={"source": "Wire"})
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text.startswith("<svg")
    assert "attachment" in svg.headers["content-disposition"]
    assert web_client.get("/dashboard/nope.svg").status_code == 404
    page = web_client.get("/dashboard", params={"source": "Wire"}).text
    link = "/api/aggregates?source=Wire&amp;format=csv&amp;chart=speakers"
    assert link in page  # the chart's CSV link keeps the filters and names the chart


def test_chart_png(web_client):
    every = web_client.get("/dashboard/per_source.png")
    assert every.status_code == 200 and every.headers["content-type"] == "image/png"
    assert every.content.startswith(b"\x89PNG\r\n\x1a\n") and len(every.content) > 1000
    assert 'filename="per_source.png"' in every.headers["content-disposition"]
    wire = web_client.get("/dashboard/per_source.png", params={"source": "Wire"})
    assert wire.content.startswith(b"\x89PNG") and wire.content != every.content
    again = web_client.get("/dashboard/per_source.png", params={"source": "Wire"})
    assert again.content == wire.content
    assert web_client.get("/dashboard/nope.png").status_code == 404
    assert web_client.get("/dashboard/per_source.png?date_from=soon").status_code == 400
    page = web_client.get("/dashboard", params={"source": "Wire"}).text
    assert 'href="/dashboard/speakers.png?source=Wire" download>PNG</a>' in page
    assert every.headers["content-security-policy"] == CSP  # the PNG changes no policy


def test_outlet_profile(web_client):
    got = web_client.get("/api/outlets/Harbour Gazette")
    assert got.status_code == 200, got.text
    profile = got.json()
    assert profile["source"] == "Harbour Gazette" and profile["outlet"]["articles"] == 1
    assert profile["rest"]["articles"] == 4
    for side in ("outlet", "rest"):
        for d in profile[side]["techniques"].values():
            assert d["low"] <= d["per_1000_words"] <= d["high"]
    assert 0 < profile["outlet"]["reported_speech"] < 1
    assert profile["outlet"]["claims_per_article"] >= 1
    assert {s["name"] for s in profile["top_speakers"]}
    web_client.app.state.ws.cache.clear()
    assert web_client.get("/api/outlets/Harbour Gazette").json() == profile  # seeded
    assert web_client.get("/api/outlets/Nobody").status_code == 404
    later = web_client.get("/api/outlets/Harbour Gazette", params={"date_from": "2026-05-01"})
    assert later.status_code == 404
    page = web_client.get("/outlets/Harbour%20Gazette").text
    assert "<h1>Harbour Gazette</h1>" in page and 'id="outlet-techniques"' in page
    assert "/articles?source=Harbour+Gazette&amp;technique=" in page
    for linking in ("/articles", "/articles/harbour", "/claims"):
        assert 'href="/outlets/Harbour%20Gazette"' in web_client.get(linking).text, linking


def test_claims_view_takes_the_same_filters(web_client):
    everything = web_client.get("/api/claims").json()["items"]
    chosen = web_client.get("/api/claims", params={"technique": "Slogans"}).json()["items"]
    listed = web_client.get("/api/articles", params={"technique": "Slogans"}).json()["items"]
    assert chosen and len(chosen) < len(everything)
    assert {i["article_id"] for i in chosen} <= {i["id"] for i in listed}
    page = web_client.get("/claims", params={"technique": "Slogans"})
    assert page.status_code == 200 and 'id="filter-bar"' in page.text


def test_claims_of_several_outlets(web_client):
    def sources(*outlets: str) -> list[str]:
        params = [("source", o) for o in outlets]
        return [i["source"] for i in web_client.get("/api/claims", params=params).json()["items"]]

    items = web_client.get("/api/claims").json()["items"]
    first, second, *_ = sorted({i["source"] for i in items if i["source"]})
    assert sources(first) and sources(second)
    assert sorted(sources(first, second)) == sorted(sources(first) + sources(second))


def test_min_score_chooses_articles_with_a_claim_that_check_worthy(web_client):
    best = max(i["score"] for i in web_client.get("/api/claims").json()["items"])
    top = web_client.get("/api/articles", params={"min_score": best}).json()
    assert top["total"] >= 1
    assert web_client.get("/api/articles", params={"min_score": 1}).json()["total"] <= top["total"]


def test_the_cube_follows_articles_another_process_adds(web_client, web_store):
    from spinlens.model import Article
    from spinlens.web.corpus import corpus_cube

    ws = web_client.app.state.ws
    before = corpus_cube(ws)
    web_store.save([Article.create("late", "A late story.", source="Late Post")])
    after = corpus_cube(ws)  # no cache cleared: the new rowid tells
    assert len(after) == len(before) + 1 and after.sources.find("late post") >= 0


def test_a_search_fts_refuses_is_a_clear_error(web_client):
    page = web_client.get("/dashboard", params={"q": '"unterminated'})
    assert page.status_code == 400 and "search failed" in page.text
    assert web_client.get("/api/aggregates", params={"q": '"x'}).status_code == 422
