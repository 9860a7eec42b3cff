"""Shared fixtures: one spaCy pipeline per session, an isolated environment, and
builders for the small documents (articles, HTML pages, feeds, WARC archives) the
tests read. Every fixture file is written under pytest's tmp_path."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.pipeline.factory import build_pipeline

HARBOUR_TEXT = (
    "Dockworkers vow to keep port closed\n"
    "\n"
    "The port of Veldhaven stayed shut on Tuesday after talks between the union "
    "and the harbour authority broke down.\n"
    "\n"
    '"We will not be bullied back to work," said Marta Kolar, general secretary '
    "of the Coastal Workers' Union.\n"
    "Transport minister Daniel Okafor told parliament in London that the government "
    "would not intervene.\n"
)

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Harbour Gazette</title>
<meta name="author" content="Nora Quist">
<meta property="og:site_name" content="Harbour Gazette">
<meta property="article:published_time" content="2026-04-01T08:00:00Z">
<script>var secretTracker = "HEAD-SCRIPT-TEXT";</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/politics">Politics</a></nav>
<article><h1>{title}</h1>
<p>Transport minister Daniel Okafor on Wednesday denied reports that cracks in the
Veldhaven bridge had been hidden from inspectors for two years ({n}).</p>
<script>document.write("INLINE-SCRIPT-TEXT")</script>
<p>"There was no cover-up of any kind," Okafor told reporters in the capital, adding
that every inspection report had been published online.</p>
<p>Opposition leader Karin Holm demanded an independent inquiry into the repairs.</p>
</article><footer>Copyright Harbour Gazette</footer></body></html>
"""


def news_page(title: str = "Minister denies bridge cover-up", n: int = 1) -> str:
    """A small but realistic news page (trafilatura finds its main text)."""
    return NEWS_PAGE.format(title=title, n=n)


def warc_bytes(gzip: bool, stories: int = 3) -> bytes:
    """A WARC with, per story, a request and an HTML 200 response; then a PNG
    response, a 404 HTML response and a 200 response without HTTP headers type."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)

    def response(url: str, body: bytes, status: str, ctype: str) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)

    for n in range(stories):
        url = f"https://gazette.example.com/story-{n}"
        request = writer.create_warc_record(
            url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        )
        writer.write_record(request)
        body = news_page(f"Story number {n}", n).encode()
        response(url, body, "200 OK", "text/html; charset=utf-8")
    response(
        "https://gazette.example.com/logo.png", b"\x89PNG\r\n\x1a\n\0\0", "200 OK", "image/png"
    )
    response(
        "https://gazette.example.com/gone", news_page("Gone").encode(), "404 Not Found", "text/html"
    )
    return buf.getvalue()


def rss_bytes(title: str = "City Desk", items: list[dict[str, str]] | None = None) -> bytes:
    """An RSS 2.0 feed; each item dict gives raw (already XML-escaped) elements."""
    items = items or []
    body = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items()) + "</item>" for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://city.example.net/</link>"
        f"<description>Local news</description>{body}</channel></rss>"
    ).encode()


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The default pipeline, built once (loading spaCy costs about a second)."""
    return build_pipeline()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """No SPINLENS_* variable or user config/data directory leaks into a test."""
    for key in list(os.environ):
        if key.startswith("SPINLENS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("SPINLENS_WORKERS", "1")  # in-process; worker tests ask for more
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SPINLENS_CONFIG", str(home / "absent-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """write(relative_name, content) -> path under tmp_path (folders created)."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        return path

    return _write


@pytest.fixture
def jsonl() -> Callable[[list[object]], bytes]:
    def _jsonl(objects: list[object]) -> bytes:
        return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode()

    return _jsonl


@pytest.fixture(scope="session")
def builders() -> dict[str, Callable[..., object]]:
    """The document builders above, for tests in other modules."""
    return {"news_page": news_page, "warc": warc_bytes, "rss": rss_bytes}


@pytest.fixture(scope="session")
def sample_articles() -> list[Article]:
    """Fresh (unanalysed) articles covering English, French and tricky Unicode."""
    return [
        Article.create("harbour", HARBOUR_TEXT, title="Dockworkers vow to keep port closed"),
        Article.create(
            "emoji",
            "\ufeffFans 👍🏽 cheered 🇫🇷 as Angela Merkel met Emmanuel Macron in Paris on "
            "Monday. Zoë and Cafe\u0301 owner 𝔅ob Smith watched from Berlin.\r\n"
            "Later, President Joe Biden spoke in Washington.",
        ),
        Article.create(
            "retraites",
            "Le parlement a adopté jeudi la réforme des retraites par 289 voix contre 251. "
            "Les syndicats ont appelé à une nouvelle journée de grève la semaine prochaine.\n"
            "Le gouvernement a salué un vote historique.",
        ),
        Article.create("wire", "The central bank in Frankfurt kept rates at 3.25 percent.\r\n"),
    ]


@pytest.fixture(scope="session")
def analysed(pipeline: Pipeline, sample_articles: list[Article]) -> list[Article]:
    """The sample articles analysed once for the whole session (copies)."""
    copies = [Article.from_dict(a.to_dict()) for a in sample_articles]
    return pipeline(copies)


# --- web workspace (tests/test_web_*.py) ---------------------------------------------

HOSTILE_ID = 'evil"><img src=x onerror=window.__pwned=1>'
HOSTILE_WEB_TEXT = (
    "Marta Kolar said <script>window.__pwned = 2</script> in Veldhaven on Monday.\n\n"
    '<img src=x onerror="window.__pwned=3"> [click](javascript:window.__pwned=4) '
    '<a href="javascript:window.__pwned=5">link</a>\n'
    'Daniel Okafor wrote "><svg onload=window.__pwned=6> & left.\n'
)


def span_of(text: str, needle: str) -> dict[str, int]:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle)}


def enrich(article: Article, **meta: str) -> Article:
    """A copy with metadata set and the future layers (quotes, claims) added."""
    from spinlens.model import Technique

    copy = Article.from_dict(article.to_dict())
    for key, value in meta.items():
        setattr(copy, key, value)
    text = copy.text
    copy.layers["techniques"] = []  # the model's guesses would make the tests brittle
    if article.id == "harbour":
        said = span_of(text, "We will not be bullied back to work,")
        indirect = span_of(text, "the government would not intervene")
        copy.layers["techniques"] = [
            Technique(**span_of(text, "bullied"), technique="Loaded_Language", score=0.91),
            Technique(**said, technique="Slogans", score=0.55),
            Technique(
                **span_of(text, "broke down"), technique="Exaggeration,Minimisation", score=0.4
            ),
        ]
        copy.set_layer(
            "quotes",
            [
                {
                    "content": said,
                    "cue": span_of(text, "said"),
                    "source": span_of(text, "Marta Kolar"),
                    "speaker": {
                        "name": "Marta Kolar",
                        "entity_id": None,
                        "type": "person",
                        "score": 0.9,
                    },
                    "kind": "direct",
                    "score": 0.93,
                },
                {
                    "content": indirect,
                    "cue": span_of(text, "told"),
                    "source": span_of(text, "Daniel Okafor"),
                    "speaker": {
                        "name": "Daniel Okafor",
                        "entity_id": None,
                        "type": "person",
                        "score": 0.9,
                    },
                    "kind": "indirect",
                    "score": 0.71,
                },
            ],
        )
        claim = span_of(text, "The port of Veldhaven stayed shut on Tuesday")
        copy.set_layer(
            "claims",
            [
                claim
                | {
                    "score": 0.78,
                    "speaker": None,
                    "quantities": [],
                    "entities": [
                        span_of(text, "Veldhaven") | {"label": "GPE", "text": "Veldhaven"}
                    ],
                }
            ],
        )
    return copy


def hostile_web_article() -> Article:
    """Every field an attacker controls, with script and markup in it."""
    from spinlens.model import Entity, Sentence, Technique

    text = HOSTILE_WEB_TEXT
    article = Article.create(
        HOSTILE_ID,
        text,
        title='"><script>window.__pwned=7</script><img src=x onerror=window.__pwned=8>',
        author="<script>window.__pwned=9</script>",
        source='<b onmouseover="window.__pwned=10">Src</b>" onfocus="window.__pwned=11',
        url="javascript:window.__pwned=12",
        published="2026-01-05",
        language="en",
    )
    script = span_of(text, "<script>window.__pwned = 2</script>")
    article.layers["sentences"] = [Sentence(0, len(text))]
    article.layers["entities"] = [
        Entity(**span_of(text, "Marta Kolar"), label="PERSON", text="Marta Kolar"),
        Entity(
            **script,
            label='X" onclick="window.__pwned=13',
            text=text[script["start"] : script["end"]],
        ),
    ]
    article.layers["techniques"] = [
        Technique(**script, technique="Loaded_Language", score=0.8),
        Technique(
            **span_of(text, "<img src=x"),
            technique="<img src=x onerror=window.__pwned=14>",
            score=0.3,
        ),
    ]
    article.set_layer(
        "quotes",
        [
            {
                "content": script,
                "cue": None,
                "source": span_of(text, "Marta Kolar"),
                "speaker": {"name": "<script>window.__pwned=15</script>", "entity_id": None},
                "kind": '"><b>direct',
                "score": 0.5,
            }
        ],
    )
    article.set_layer(
        "claims",
        [
            span_of(text, "Daniel Okafor wrote")
            | {
                "score": 0.6,
                "speaker": "<i>x</i>",
                "quantities": ["<b>1</b>"],
                "entities": [{"text": "<u>u</u>"}],
            }
        ],
    )
    return article


@pytest.fixture(scope="session")
def web_articles(analysed: list[Article]) -> list[Article]:
    """Analysed sample articles with sources, dates, quotes and claims, plus a hostile one."""
    meta = {
        "harbour": {"source": "Harbour Gazette", "published": "2026-04-01T08:00:00Z"},
        "emoji": {"source": "Wire", "published": "Mon, 02 Mar 2026 10:00:00 +0000"},
        "retraites": {"source": "Le Monde", "published": "2026-03-15"},
        "wire": {"source": "Wire", "published": "2026-02-10"},
    }
    return [enrich(a, **meta[a.id]) for a in analysed] + [hostile_web_article()]


@pytest.fixture
def web_store(tmp_path: Path, web_articles: list[Article]):
    """A store holding `web_articles`."""
    from spinlens.store import Store

    store = Store(f"sqlite:///{tmp_path / 'web.db'}")
    store.save(web_articles)
    yield store
    store.close()


@pytest.fixture
def web_app_factory(web_store, pipeline: Pipeline):
    """make(**options) -> a workspace app over `web_store` with the session pipeline."""
    from spinlens.web.app import create_app

    def make(**options: object):
        options.setdefault("token", None)
        options.setdefault("min_source_words", 1)  # the sample articles are short
        return create_app(web_store, pipeline_factory=lambda: pipeline, **options)

    return make


@pytest.fixture
def web_client(web_app_factory):
    """A FastAPI test client of the workspace (no token required)."""
    from fastapi.testclient import TestClient

    with TestClient(web_app_factory()) as client:
        yield client
