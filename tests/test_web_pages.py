"""The server-rendered pages: corpus, article, analyse, jobs, dashboard, API overview."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient

from spinlens.model import Article


def test_corpus_lists_filters_and_sorts(web_client):
    page = web_client.get("/")
    assert page.status_code == 200
    assert "5 articles" in page.text
    for title in ("Dockworkers vow to keep port closed", ">retraites</a>"):
        assert title in page.text
    one = web_client.get("/", params={"technique": "Slogans"}).text
    assert "1 article matches" in one and "Dockworkers" in one and "retraites" not in one
    assert "1 article matches" in web_client.get("/", params={"speaker": "Daniel Okafor"}).text
    searched = web_client.get("/", params={"q": "parlement"}).text
    assert "1 article matches" in searched and 'aria-sort="descending"' in searched  # newest first
    ranked = web_client.get("/", params={"q": "parlement", "sort": "relevance"}).text
    assert "1 article matches" in ranked and 'aria-sort="descending"' not in ranked
    by_title = web_client.get("/", params={"sort": "title", "order": "asc"}).text
    assert 'aria-sort="ascending"' in by_title
    assert web_client.get("/articles", params={"source": "Wire"}).text.count('class="title"') == 2


def test_corpus_pagination_links_keep_filters(web_client):
    text = web_client.get("/", params={"per_page": 2, "source": "Wire"}).text
    assert "page 1 of 1" in text
    text = web_client.get("/", params={"per_page": 2}).text
    assert "page 1 of 3" in text
    assert 'href="/?sort=date&amp;order=desc&amp;per_page=2&amp;page=2" rel="next"' in text


def test_corpus_bad_filters_explain_themselves(web_client):
    response = web_client.get("/", params={"date_from": "soon", "q": "x"})
    assert response.status_code == 400
    assert "date_from must be a date" in response.text
    broken = web_client.get("/", params={"q": '"unbalanced'})
    assert broken.status_code == 400 and "search failed" in broken.text


def test_empty_corpus_invites_analysis(tmp_path, pipeline):
    from spinlens.web.app import create_app

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with TestClient(create_app(url, pipeline_factory=lambda: pipeline, token=None)) as client:
        assert "analyse some articles" in client.get("/").text
        assert "nothing to show yet" in client.get("/dashboard").text


def test_article_page_shows_layers_and_panels(web_client):
    page = web_client.get("/articles/harbour")
    assert page.status_code == 200
    text = page.text
    assert '<h1 id="title">Dockworkers vow to keep port closed</h1>' in text
    # nested highlights: "bullied" lies inside the Slogans span and the quote
    slogan = re.search(r'<span class="tech t\d+ sb-\d+" title="Slogans \(0\.55\)[^"]*">', text)
    assert 'name="min-score"' in text  # the score filter over the technique marks
    assert slogan and 'title="Loaded language (0.91)' in text[slogan.end() : slogan.end() + 2000]
    assert 'id="show-t' in text and "Who said what" in text and "Claims to check" in text
    assert "Marta Kolar" in text and "Daniel Okafor" in text
    assert 'href="#m-quotes-' in text and 'id="m-claims-' in text
    assert "check-worthiness 0.78" in text
    assert "/api/articles/harbour?download=true" in text and "/api/reports/harbour" in text
    # techniques and quotes shown, claims and entities one click away
    for layer, on in (
        ("techniques", True),
        ("quotes", True),
        ("claims", False),
        ("entities", False),
    ):
        assert f'<input type="checkbox" id="show-{layer}"{" checked" if on else ""}>' in text
    assert 'tabindex="0" data-layer="entities"' in text  # every mark reachable by keyboard
    assert "persuasion" not in text  # no SemEval-2023 switch: the model did not run
    # names before numbers and dates in the entities panel
    panel = text[text.index('<section class="panel" id="entities">') :]
    assert panel.index("People, organisations, places") < panel.index("Numbers and dates")
    assert panel.index("Marta Kolar") < panel.index("Tuesday")
    assert web_client.get("/articles/missing").status_code == 404
    assert "no stored article" in web_client.get("/articles/missing").text


def test_article_page_says_which_layers_were_not_analysed(web_client, web_store):
    bare = Article.create("bare", "Okafor spoke in Rome.", title="Bare")
    bare.pipeline = {"version": "x", "components": ["spacy@3"]}
    done = Article.create("done", "Okafor spoke in Rome.", title="Done")
    done.pipeline = {"version": "x", "components": ["attribution@1", "claims@1"]}
    web_store.save([bare, done])
    page = web_client.get("/articles/bare").text
    assert "Quotes are not analysed in this result yet." in page
    assert "Claims are not analysed in this result yet." in page
    page = web_client.get("/articles/done").text
    assert "No quotes found." in page and "No check-worthy claim found." in page


def test_ids_with_slashes_and_odd_characters(web_client):
    body = {"text": "Kolar spoke in Veldhaven.", "id": "feeds/a b?c#d"}
    assert web_client.post("/api/analyze", json=body).status_code == 200
    listing = web_client.get("/").text
    assert 'href="/articles/feeds%2Fa%20b%3Fc%23d"' in listing
    assert web_client.get("/articles/feeds%2Fa%20b%3Fc%23d").status_code == 200
    assert web_client.get("/api/articles/feeds%2Fa%20b%3Fc%23d").json()["id"] == "feeds/a b?c#d"


def test_analyse_form_pasted_text(web_client):
    assert "Paste a text" in web_client.get("/analyse").text
    response = web_client.post(
        "/analyse",
        data={
            "text": "Storm warning\r\n\r\nThe mayor of Brenmoor said the dam would hold.",
            "source": "Desk",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    article = web_client.get(response.headers["location"]).text
    assert "Storm warning" in article and "Desk" in article
    empty = web_client.post("/analyse", data={"text": "  "})
    assert empty.status_code == 400 and "paste a text" in empty.text


def test_analyse_form_upload_shows_a_job(web_client, jsonl):
    items = [
        {"id": f"u{n}", "title": f"Item {n}", "text": f"Item {n} from Veldhaven."} for n in range(3)
    ]
    lines = jsonl(items)
    response = web_client.post(
        "/analyse",
        files=[("files", ("many.jsonl", lines, "application/octet-stream"))],
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/jobs/")
    for _ in range(300):
        page = web_client.get(response.headers["location"]).text
        if 'data-state="done"' in page:
            break
        time.sleep(0.05)
    assert '3</span> of <span id="job-total">3' in page or ">3<" in page
    assert '<a href="/articles/u2">Item 2</a> <code class="muted">u2</code>' in page
    as_json = web_client.post(
        "/analyse",
        files=[("files", ("one.txt", b"One text.", "text/plain"))],
        headers={"accept": "application/json"},
    )
    assert as_json.status_code == 202 and as_json.json()["redirect"].startswith("/jobs/")
    assert web_client.get("/jobs/unknown").status_code == 404


def test_analyse_form_needs_the_token_when_set(web_app_factory):
    with TestClient(web_app_factory(token="tok")) as client:
        assert 'name="token"' in client.get("/analyse").text
        refused = client.post("/analyse", data={"text": "Hello there."})
        assert refused.status_code == 401 and "access token" in refused.text
        ok = client.post(
            "/analyse", data={"text": "Hello there.", "token": "tok"}, follow_redirects=False
        )
        assert ok.status_code == 303


def test_dashboard_draws_svg_charts(web_client):
    page = web_client.get("/dashboard")
    assert page.status_code == 200
    assert page.text.count("<svg") == 7
    for needle in ("Harbour Gazette", "Most quoted speakers", "Marta Kolar", "2026-04", "Slogans"):
        assert needle in page.text


def test_api_overview_page(web_client):
    page = web_client.get("/api-docs").text
    assert "/api/analyze" in page and "/api/openapi.json" in page


def test_static_assets_are_local(web_client):
    for path in ("/static/app.css", "/static/app.js", "/static/layers.css", "/static/favicon.svg"):
        assert web_client.get(path).status_code == 200
    for path in ("/", "/articles/harbour", "/analyse", "/dashboard"):
        html = web_client.get(path).text
        for tag in re.finditer(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]*)"', html):
            assert tag.group(1).startswith("/static/"), (path, tag.group(0))
