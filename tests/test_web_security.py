"""Untrusted article content in the workspace: escaped everywhere, a strict
Content-Security-Policy, no path traversal, refused cross-site form posts."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from spinlens.web.middleware import CSP
from spinlens.web.uploads import safe_name

HOSTILE = quote('evil"><img src=x onerror=window.__pwned=1>', safe="")
ELEMENTS = (  # every element the templates and charts write
    "html head meta title link script body header nav a main footer form div label input "
    "select option button datalist p table thead tbody tr th td strong span h1 h2 h3 "
    "article dl dt dd code fieldset legend b sub aside section ul ol li br textarea "
    "progress figure figcaption svg g rect text line polyline circle noscript pre"
)
OWN_ELEMENTS = frozenset(ELEMENTS.split())


class Audit(HTMLParser):
    """Collects what would be dangerous if article content were live markup."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in OWN_ELEMENTS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"attribute {name}= on <{tag}>")
            unsafe = ("javascript:", "data:", "vbscript:")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                unsafe
            ):
                self.problems.append(f"{name}={value!r}")
        if tag == "script" and dict(attrs).get("src") != "/static/app.js":
            self.problems.append("a script that is not /static/app.js")


PAGES = [
    "/",
    "/?q=Veldhaven",
    "/?source=%3Cb%20onmouseover%3D%22window.__pwned%3D10%22%3ESrc%3C%2Fb%3E",
    "/?speaker=%3Cscript%3E",
    f"/articles/{HOSTILE}",
    "/dashboard",
    "/dashboard?speaker=%3Cscript%3E&source=%22%3E%3Cimg%20src%3Dx%3E",
    "/outlets/Harbour%20Gazette?entity=%3Cscript%3E",
    "/outlets/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/claims?technique=Doubt&speaker=%3Cb%3E",
    "/analyse",
    "/api-docs",
    "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/copies",
    "/copies?source=%3Cb%20onmouseover%3D%22window.__pwned%3D10%22%3ESrc%3C%2Fb%3E",
]


@pytest.mark.parametrize("path", PAGES)
def test_hostile_content_is_escaped(web_client, path):
    response = web_client.get(path)
    assert response.status_code in (200, 404)
    audit = Audit()
    audit.feed(response.text)
    assert audit.problems == []
    assert "<script>window" not in response.text
    assert "window.__pwned" not in response.text or "&lt;" in response.text


def test_hostile_article_page_shows_the_text_as_text(web_client):
    page = web_client.get(f"/articles/{HOSTILE}").text
    assert "&lt;script&gt;window.__pwned = 2&lt;/script&gt;" in page
    assert " onerror=&#34;window.__pwned=3&#34;&gt;" in page
    assert 'href="javascript:' not in page and ">javascript:window.__pwned=12<" in page
    assert "e-X&#34; onclick=&#34;window.__pwned=13" in page  # a label stays inside its class


def test_strict_csp_and_headers_on_every_response(web_client):
    for path in (
        "/",
        f"/articles/{HOSTILE}",
        "/dashboard",
        "/api/articles",
        "/static/app.js",
        "/nope",
    ):
        response = web_client.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert "default-src 'none'" in CSP


def test_no_path_traversal(web_client):
    for path in (
        "/static/../pyproject.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fapp.py",
        "/static/%2e%2e%2fapp.py",
        "/static//etc/passwd",
    ):
        response = web_client.get(path)
        assert response.status_code == 404, path
        assert "fastapi" not in response.text.lower() or response.status_code == 404
    for path in ("/api/articles/../../etc/passwd", "/api/reports/..%2F..%2Fetc%2Fpasswd"):
        response = web_client.get(path)
        assert response.status_code == 404 and "root:" not in response.text


def test_download_names_are_sanitised(web_client):
    response = web_client.get(f"/api/articles/{HOSTILE}", params={"download": "true"})
    assert response.headers["content-disposition"] == (
        'attachment; filename="evil_img_src_x_onerror_window.__pwned_1.json"'
    )
    report = web_client.get(f"/api/reports/{HOSTILE}")
    assert report.status_code == 200
    assert "<script>window" not in report.text


def test_cross_site_form_posts_are_refused(web_client):
    response = web_client.post(
        "/analyse", data={"text": "Hi."}, headers={"origin": "https://evil.example"}
    )
    assert response.status_code == 403
    same = web_client.post(
        "/analyse",
        data={"text": "Hi from here."},
        headers={"origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same.status_code == 303
    upload = web_client.post(
        "/api/uploads",
        files={"files": ("a.txt", b"Hi.", "text/plain")},
        headers={"origin": "https://evil.example"},
    )
    assert upload.status_code == 403


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..", "upload"),
        ("", "upload"),
        (None, "upload"),
        ("C:\\temp\\a b.txt", "a_b.txt"),
        (".hidden.jsonl", "hidden.jsonl"),
        ("crawl.warc.gz", "crawl.warc.gz"),
    ],
)
def test_upload_names_stay_inside_the_folder(given, safe):
    assert safe_name(given) == safe


def test_unknown_host_names_are_refused_when_hosts_are_restricted(tmp_path):
    from fastapi.testclient import TestClient

    from spinlens.web.app import create_app

    app = create_app(f"sqlite:///{tmp_path}/h.db", allowed_hosts=("127.0.0.1", "testserver"))
    with TestClient(app) as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"host": "rebound.example.com"}).status_code == 400
