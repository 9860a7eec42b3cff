"""The REST API: analyse, batch jobs, uploads, listing and search, downloads,
aggregates, the bearer token, limits and clear 4xx errors."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

from spinlens.model import Article

NEWS = (
    "Harbour strike enters second week\n\n"
    '"This is a disgrace," said Marta Kolar in Veldhaven on Monday. '
    "Daniel Okafor told parliament in London that the government would not intervene.\n"
)


def wait_for(client: TestClient, job: dict, seconds: float = 30.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(job["url"]).json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {job['id']} did not finish")


def test_analyze_text_returns_and_stores_the_jsonl_object(web_client):
    body = {"text": NEWS, "source": "Wire", "published": "2026-05-01", "url": "https://x.example/a"}
    response = web_client.post("/api/analyze", json=body)
    assert response.status_code == 200
    data = response.json()
    assert data["text"] == NEWS and data["source"] == "Wire" and data["errors"] == []
    assert data["title"] == "Harbour strike enters second week"
    assert {"Marta Kolar", "Veldhaven"} <= {e["text"] for e in data["entities"]}
    assert Article.from_dict(data).id == data["id"]
    stored = web_client.get(f"/api/articles/{data['id']}").json()
    assert stored == data
    again = web_client.post("/api/analyze", json=body).json()  # a duplicate: the stored result
    assert again == data
    listing = web_client.get("/api/articles", params={"source": "Wire"}).json()
    assert data["id"] in [item["id"] for item in listing["items"]]


def test_analyze_html_extracts_the_main_text(web_client, builders):
    page = builders["news_page"]("Minister denies cover-up")
    data = web_client.post("/api/analyze", json={"html": page, "id": "bridge"}).json()
    assert data["id"] == "bridge" and "Okafor" in data["text"]
    assert "INLINE-SCRIPT-TEXT" not in data["text"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({}, "exactly one"),
        ({"text": "a", "html": "<p>b</p>"}, "exactly one"),
        ({"text": "   "}, "exactly one"),
        ({"text": 5}, "string"),
        ({"text": "ok", "colour": "red"}, "Extra inputs"),
        ({"text": "ok", "title": ["x"]}, "string"),
    ],
)
def test_analyze_rejects_bad_input_with_422(web_client, body, needle):
    response = web_client.post("/api/analyze", json=body)
    assert response.status_code == 422
    assert needle in json.dumps(response.json())


def test_analyze_reports_unreadable_documents(web_client):
    response = web_client.post("/api/analyze", json={"html": "<html><body></body></html>"})
    assert response.status_code == 422
    assert "no article text" in response.json()["detail"]
    assert web_client.post("/api/analyze", content=b"{not json").status_code == 422


def test_analyze_refuses_articles_over_the_maximum_length(web_client):
    response = web_client.post("/api/analyze", json={"text": "word " * 200_001})
    assert response.status_code == 422
    assert "too long to analyse" in response.json()["detail"]


def test_body_limit_answers_413(web_app_factory):
    with TestClient(web_app_factory(max_body=2_000)) as client:
        response = client.post("/api/analyze", json={"text": "word " * 1000})
        assert response.status_code == 413
        assert "too large" in response.json()["detail"]

        def chunks():  # no Content-Length: counted while it streams
            for _ in range(10):
                yield b" " * 500

        streamed = client.post(
            "/api/analyze", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413


def test_token_required_for_writes_only(web_app_factory):
    with TestClient(web_app_factory(token="s3cret")) as client:
        denied = client.post("/api/analyze", json={"text": NEWS})
        assert denied.status_code == 401
        assert denied.headers["www-authenticate"] == "Bearer"
        wrong = {"Authorization": "Bearer nope"}
        assert client.post("/api/analyze", json={"text": NEWS}, headers=wrong).status_code == 401
        assert client.post("/api/jobs", json={"articles": [{"text": NEWS}]}).status_code == 401
        assert client.post("/api/uploads", files={"files": ("a.txt", b"x")}).status_code == 401
        ok = {"Authorization": "Bearer s3cret"}
        assert client.post("/api/analyze", json={"text": NEWS}, headers=ok).status_code == 200
        assert client.get("/api/articles").status_code == 200  # reads stay open
        assert client.get("/api/articles/harbour").status_code == 200


def test_token_from_environment(monkeypatch, web_store, pipeline):
    from spinlens.web.app import create_app

    monkeypatch.setenv("SPINLENS_TOKEN", "from-env")
    with TestClient(create_app(web_store, pipeline_factory=lambda: pipeline)) as client:
        assert client.post("/api/analyze", json={"text": NEWS}).status_code == 401
        headers = {"Authorization": "Bearer from-env"}
        assert client.post("/api/analyze", json={"text": NEWS}, headers=headers).status_code == 200


def test_batch_job_runs_in_the_background(web_client):
    articles = [
        {"text": f"Story {n}. Marta Kolar spoke in Veldhaven.", "id": f"b{n}"} for n in range(5)
    ]
    articles.append({"html": "<html><body></body></html>", "id": "empty"})
    response = web_client.post("/api/jobs", json={"articles": articles})
    assert response.status_code == 202
    job = response.json()
    assert job["kind"] == "batch" and job["total"] == 6 and job["page"] == f"/jobs/{job['id']}"
    done = wait_for(web_client, job)
    assert done["state"] == "done"
    assert (done["done"], done["analysed"], done["failed"]) == (6, 5, 1)
    assert done["article_ids"] == [f"b{n}" for n in range(5)]
    assert "no article text" in done["errors"][0]
    assert web_client.get("/api/articles/b3").json()["id"] == "b3"
    assert web_client.get("/api/jobs/nope").status_code == 404


def test_batch_limits(web_app_factory):
    with TestClient(web_app_factory(max_batch=3)) as client:
        too_many = {"articles": [{"text": "x"}] * 4}
        response = client.post("/api/jobs", json=too_many)
        assert response.status_code == 413 and "limit 3" in response.json()["detail"]
        assert client.post("/api/jobs", json={"articles": []}).status_code == 422


def test_uploads_of_every_format(web_client, builders, jsonl):
    lines = jsonl([{"id": "j1", "text": "Kolar spoke."}, {"id": "j2", "text": "Okafor spoke."}])
    files = [
        ("files", ("notes/../../story.txt", NEWS.encode(), "text/plain")),
        ("files", ("batch.jsonl", lines, "application/octet-stream")),
        ("files", ("crawl.warc.gz", builders["warc"](True, 2), "application/octet-stream")),
        (
            "files",
            ("feed.rss", builders["rss"](items=[{"title": "T", "description": "Rome."}]), ""),
        ),
        ("files", ("blob.bin", b"\x00\x01binary", "application/octet-stream")),
    ]
    response = web_client.post("/api/uploads", files=files)
    assert response.status_code == 202
    job = wait_for(web_client, response.json())
    assert job["state"] == "done"
    assert job["analysed"] == 6 and job["failed"] == 1
    assert "story" in job["article_ids"] and "j2" in job["article_ids"]
    assert "binary" in job["errors"][0]


def test_upload_limits(web_app_factory):
    with TestClient(web_app_factory(max_upload=5_000)) as client:
        big = [("files", ("a.txt", b"x" * 6_000, "text/plain"))]
        assert client.post("/api/uploads", files=big).status_code == 413
        many = [("files", (f"{n}.txt", b"x", "text/plain")) for n in range(101)]
        response = client.post("/api/uploads", files=many)
        assert response.status_code in (400, 413)


def test_list_filters_sorts_and_pages(web_client):
    def ids(**params) -> list[str]:
        return [
            item["id"] for item in web_client.get("/api/articles", params=params).json()["items"]
        ]

    everything = web_client.get("/api/articles").json()
    assert everything["total"] == 5 and everything["sort"] == "date"
    assert ids(source="Wire") == ["emoji", "wire"]  # newest first
    assert ids(source="wire") == ["emoji", "wire"]  # case-insensitive
    assert ids(language="fr") == ["retraites"]
    assert ids(technique="Slogans") == ["harbour"]
    assert ids(speaker="marta kolar") == ["harbour"]
    assert ids(entity="Veldhaven") == ["harbour"]
    assert ids(date_from="2026-03-01", date_to="2026-03-31") == ["retraites", "emoji"]
    assert set(ids(q="Veldhaven")) == {"harbour", 'evil"><img src=x onerror=window.__pwned=1>'}
    assert ids(q="Veldhaven", source="Harbour Gazette") == ["harbour"]
    assert ids(sort="words", order="asc")[0] == "wire"
    assert ids(sort="quotes")[0] == "harbour"
    page = web_client.get(
        "/api/articles", params={"per_page": 2, "page": 2, "sort": "title"}
    ).json()
    assert page["pages"] == 3 and len(page["items"]) == 2
    item = page["items"][0]
    assert set(item["counts"]) == {"sentences", "entities", "techniques", "quotes", "claims"}
    assert item["page"].startswith("/articles/") and item["url"].startswith("/api/articles/")


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "yesterday"},
        {"sort": "colour"},
        {"order": "up"},
        {"per_page": 0},
        {"page": -1},
        {"technique": "Bananas"},
        {"q": '"unbalanced'},
    ],
)
def test_list_rejects_bad_parameters(web_client, params):
    response = web_client.get("/api/articles", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_article_download_and_report(web_client):
    response = web_client.get("/api/articles/harbour", params={"download": "true"})
    assert response.headers["content-disposition"] == 'attachment; filename="harbour.json"'
    assert response.json()["quotes"][0]["speaker"]["name"] == "Marta Kolar"
    report = web_client.get("/api/reports/harbour")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "attachment" in report.headers["content-disposition"]
    assert "default-src 'none'" in report.headers["content-security-policy"]
    assert "Dockworkers" in report.text
    assert web_client.get("/api/articles/missing").status_code == 404
    assert web_client.get("/api/reports/missing").json() == {
        "detail": "no stored article with this id"
    }


def test_aggregates_and_facets(web_client):
    data = web_client.get("/api/aggregates").json()
    assert data["articles"] == 5
    sources = {s["source"]: s for s in data["techniques_per_source"]}
    harbour = sources["Harbour Gazette"]
    assert harbour["per_1000_words"]["Slogans"] == pytest.approx(1000 / harbour["words"], abs=1e-3)
    assert {s["name"] for s in data["top_speakers"]} >= {"Daniel Okafor", "Marta Kolar"}
    assert "Veldhaven" in {e["name"] for e in data["top_entities"]}
    months = [m["month"] for m in data["techniques_over_time"]]
    assert months == sorted(months) and "2026-04" in months
    speech = {s["source"]: s["share"] for s in data["reported_speech"]}
    assert 0 < speech["Harbour Gazette"] < 1 and speech["Le Monde"] == 0
    facets = web_client.get("/api/facets").json()
    assert {"name": "Wire", "count": 2} in facets["sources"]


def test_openapi_schema_and_no_cdn_docs(web_client):
    schema = web_client.get("/api/openapi.json").json()
    for path in ("/api/analyze", "/api/jobs", "/api/uploads", "/api/articles", "/api/aggregates"):
        assert path in schema["paths"]
    assert "/articles/{article_id}" not in schema["paths"]  # pages are not API
    assert web_client.get("/docs").status_code == 404
    assert web_client.get("/redoc").status_code == 404


def test_search_ranks_and_pages(web_client):
    assert web_client.get("/api/articles", params={"q": "Veldhaven"}).json()["sort"] == "date"
    best = web_client.get("/api/articles", params={"q": "Veldhaven", "sort": "relevance"}).json()
    assert best["sort"] == "relevance" and best["total"] == 2
    ranked = [item["id"] for item in best["items"]]
    pages = [
        web_client.get(
            "/api/articles",
            params={"q": "Veldhaven", "sort": "relevance", "per_page": 1, "page": n},
        ).json()
        for n in (1, 2, 3)
    ]
    assert [p["items"][0]["id"] for p in pages[:2]] == ranked and pages[2]["items"] == []
    assert {p["total"] for p in pages} == {2}
    worst = web_client.get(
        "/api/articles", params={"q": "Veldhaven", "sort": "relevance", "order": "asc"}
    ).json()
    assert [item["id"] for item in worst["items"]] == ranked[::-1]
    filtered = web_client.get(
        "/api/articles", params={"q": "Veldhaven", "language": "en", "sort": "relevance"}
    ).json()
    assert [item["id"] for item in filtered["items"]] == ranked
