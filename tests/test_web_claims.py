"""The workspace's claims view and its API (`GET /api/claims`), and metadata given
to a stored article through the API (`PATCH /api/articles/{id}`)."""

from __future__ import annotations

from conftest import HOSTILE_ID
from fastapi.testclient import TestClient

PORT_CLAIM = "The port of Veldhaven stayed shut on Tuesday"


def test_claims_api_ranks_filters_and_links(web_client):
    everything = web_client.get("/api/claims").json()
    scores = [item["score"] for item in everything["items"]]
    assert scores == sorted(scores, reverse=True) and everything["total"] == len(scores)
    found = web_client.get(
        "/api/claims", params={"source": "harbour gazette", "min_score": 0.5}
    ).json()
    [claim] = [item for item in found["items"] if item["claim"] == PORT_CLAIM]
    assert (claim["article_id"], claim["score"]) == ("harbour", 0.78)
    assert claim["page"] == f"/articles/harbour#m-claims-{claim['start']}-{claim['end']}"
    page = web_client.get(claim["page"].split("#")[0]).text
    assert f'id="m-claims-{claim["start"]}-{claim["end"]}"' in page
    assert web_client.get("/api/claims", params={"min_score": 0.99}).json()["items"] == []
    dated = {"date_from": "2026-04-01", "date_to": "2026-04-01", "q": "veldhaven"}
    assert [i["article_id"] for i in web_client.get("/api/claims", params=dated).json()["items"]]
    later = web_client.get("/api/claims", params={"date_from": "2026-04-02", "q": "veldhaven"})
    assert later.json()["total"] == 0
    one = web_client.get("/api/claims", params={"per_page": 1, "page": 2}).json()
    assert one["per_page"] == 1 and one["pages"] == everything["total"]
    for bad in ({"date_from": "April"}, {"min_score": 2}, {"per_page": 0}):
        assert web_client.get("/api/claims", params=bad).status_code == 422


def test_claims_api_groups_recurring_sentences(web_client):
    grouped = web_client.get("/api/claims", params={"group": "true"}).json()
    assert grouped["grouped"] is True
    for item in grouped["items"]:
        assert item["articles"] >= 1 and item["occurrences"][0]["page"].startswith("/articles/")


def test_claims_page_lists_escapes_and_keeps_filters(web_client):
    page = web_client.get("/claims", params={"source": "Harbour Gazette"})
    assert page.status_code == 200
    assert PORT_CLAIM in page.text and 'aria-current="page">Claims' in page.text
    assert 'href="/articles/harbour#m-claims-' in page.text
    everything = web_client.get("/claims").text
    assert "<i>x</i>" not in everything and "&lt;i&gt;x&lt;/i&gt;" in everything
    assert HOSTILE_ID not in everything
    bad = web_client.get("/claims", params={"date_from": "soon"})
    assert bad.status_code == 400 and "must be a date" in bad.text
    grouped = web_client.get("/claims", params={"group": "1"})
    assert grouped.status_code == 200 and "sentence" in grouped.text


def test_patch_gives_metadata_and_the_index_follows(web_client):
    before = web_client.get("/api/articles/harbour").json()
    response = web_client.patch(
        "/api/articles/harbour", json={"source": "Port Times", "published": "2016-10-09"}
    )
    assert response.status_code == 200, response.text
    after = response.json()
    assert (after["source"], after["published"]) == ("Port Times", "2016-10-09")
    assert after["text"] == before["text"] and after["claims"] == before["claims"]
    assert after["sha256"] == before["sha256"] and after["techniques"] == before["techniques"]
    listed = web_client.get("/api/articles", params={"source": "Port Times"}).json()
    assert [i["id"] for i in listed["items"]] == ["harbour"]
    claims = web_client.get("/api/claims", params={"date_to": "2016-12-31"}).json()
    assert {i["article_id"] for i in claims["items"]} == {"harbour"}
    sources = {s["source"] for s in web_client.get("/api/aggregates").json()["reported_speech"]}
    assert "Port Times" in sources


def test_patch_errors(web_client):
    assert web_client.patch("/api/articles/nope", json={"source": "X"}).status_code == 404
    bad_date = web_client.patch("/api/articles/harbour", json={"published": "last week"})
    assert bad_date.status_code == 422 and "not a date" in bad_date.text
    assert web_client.patch("/api/articles/harbour", json={}).status_code == 422
    unknown = web_client.patch("/api/articles/harbour", json={"language": "fr"})
    assert unknown.status_code == 422


def test_patch_is_a_write(web_app_factory):
    with TestClient(web_app_factory(token="s3cret")) as client:
        body = {"source": "X"}
        assert client.patch("/api/articles/harbour", json=body).status_code == 401
        foreign = {"origin": "https://evil.example", "authorization": "Bearer s3cret"}
        assert client.patch("/api/articles/harbour", json=body, headers=foreign).status_code == 403
        allowed = {"authorization": "Bearer s3cret"}
        assert client.patch("/api/articles/harbour", json=body, headers=allowed).status_code == 200
        assert client.get("/api/claims").status_code == 200  # reading needs no token
