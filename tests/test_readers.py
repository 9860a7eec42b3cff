"""Every reader on well-formed input: text, HTML, JSON Lines, feeds, WARC, stdin, folders."""

from __future__ import annotations

import io
import sys

import pytest

from spinlens.model import Article, short_hash
from spinlens.readers import Limits, ReadError, read_bytes, read_paths


def read_all(*paths, limits=None):
    return list(read_paths([str(p) for p in paths], limits))


def only_articles(reads):
    assert all(isinstance(r, Article) for r in reads), reads
    return reads


# --- plain text -------------------------------------------------------------


def test_text_is_file_content_with_bom_and_crlf_kept(write):
    raw = "\ufeffPort strike enters third day\r\n\r\nThe port stayed shut.\r\nTalks failed.\r\n"
    path = write("harbour-strike.txt", raw)
    [article] = only_articles(read_all(path))
    assert article.text == raw
    assert article.id == "harbour-strike"
    assert article.title == "Port strike enters third day"


@pytest.mark.parametrize(
    ("content", "title"),
    [
        ("Headline\n\nBody text.", "Headline"),
        ("  Headline  \n   \nBody text.", "Headline"),
        ("Headline\nSecond line\n\nBody.", None),
        ("Just one line with no break", None),
        ("\n\nBody after blank lines.", None),
    ],
)
def test_text_title_only_when_first_line_is_set_off(write, content, title):
    [article] = only_articles(read_all(write("story.txt", content)))
    assert article.title == title
    assert article.text == content


def test_unknown_suffix_is_sniffed(write):
    page = write(
        "saved-page.download",
        "<!DOCTYPE html><html><head><title>T</title></head><body><article><p>"
        + "The mayor of Springfield opened the new bridge over the river on Monday. " * 3
        + "</p></article></body></html>",
    )
    note = write("notes.md", "Plain words\n\nmore words")
    [html_article, text_article] = only_articles(read_all(page, note))
    assert html_article.text.startswith("The mayor of Springfield")
    assert "<" not in html_article.text
    assert text_article.text == "Plain words\n\nmore words"


# --- HTML -------------------------------------------------------------------


def test_html_main_text_and_metadata(write, builders):
    path = write("bridge.html", builders["news_page"]("Minister denies bridge cover-up"))
    [article] = only_articles(read_all(path))
    assert article.id == "bridge"
    assert article.title == "Minister denies bridge cover-up"
    assert article.author == "Nora Quist"
    assert article.source == "Harbour Gazette"
    assert article.published == "2026-04-01"
    assert "Daniel Okafor on Wednesday denied reports" in article.text
    assert "Karin Holm demanded" in article.text
    for noise in ("SCRIPT-TEXT", "secretTracker", "document.write", "Politics", "Copyright"):
        assert noise not in article.text


# --- JSON Lines -------------------------------------------------------------


def test_jsonl_text_and_html_objects(write, jsonl, builders):
    objects = [
        {
            "id": "wire-001",
            "title": "Flooding forces evacuation",
            "source": "Example Wire",
            "url": "https://wire.example.org/flooding",
            "published": "2026-05-02",
            "author": "Ann Lee",
            "text": "More than 12,000 residents were evacuated on Saturday.",
        },
        {"text": "No id, but a URL.", "url": "https://wire.example.org/rates"},
        {"text": "Neither id nor URL."},
        {"html": builders["news_page"]("Bridge"), "url": "https://www.gazette.example/b"},
        {"id": 42, "text": "Numeric id.", "language": "de", "published": 2026},
    ]
    path = write("wire.jsonl", jsonl(objects))
    first, by_url, by_text, page, numeric = only_articles(read_all(path))
    assert first.id == "wire-001"
    assert (first.title, first.source, first.url, first.published, first.author) == (
        "Flooding forces evacuation",
        "Example Wire",
        "https://wire.example.org/flooding",
        "2026-05-02",
        "Ann Lee",
    )
    assert first.text == objects[0]["text"]
    assert by_url.id == short_hash("https://wire.example.org/rates")
    assert by_text.id == short_hash("Neither id nor URL.")
    assert page.url == "https://www.gazette.example/b"
    assert page.title == "Bridge"
    assert page.source == "Harbour Gazette"
    assert "INLINE-SCRIPT-TEXT" not in page.text and "Karin Holm" in page.text
    assert (numeric.id, numeric.language, numeric.published) == ("42", "de", "2026")


def test_jsonl_missing_id_is_stable_across_reads(write, jsonl):
    path = write("briefs.jsonl", jsonl([{"text": "Same text."}, {"text": "Other text."}]))
    first = [a.id for a in read_all(path)]
    second = [a.id for a in read_all(path)]
    assert first == second
    assert len(set(first)) == 2


def test_jsonl_empty_id_is_not_kept(write, jsonl):
    """The schema requires a non-empty id; an empty given id must be replaced."""
    [article] = only_articles(read_all(write("e.jsonl", jsonl([{"id": "", "text": "Body."}]))))
    assert article.id != ""


def test_jsonl_invalid_line_is_an_error_naming_file_and_line(write, jsonl):
    good = jsonl([{"id": "a", "text": "First."}])
    data = good + b'{"id": "b", "text": oops}\n\n' + jsonl([{"id": "c", "text": "Third."}])
    path = write("mixed.jsonl", data)
    reads = read_all(path)
    assert [type(r).__name__ for r in reads] == ["Article", "ReadError", "Article"]
    assert [r.id for r in reads if isinstance(r, Article)] == ["a", "c"]
    error = reads[1]
    assert error.source == f"{path}:2"
    assert "invalid JSON" in error.reason
    assert str(error).startswith(f"{path}:2: ")


# --- feeds ------------------------------------------------------------------


def test_rss_one_article_per_entry(write, builders):
    feed = builders["rss"](
        "Example City Desk",
        [
            {
                "title": "Council approves tram line",
                "link": "https://city.example.net/news/tram",
                "guid": "https://city.example.net/news/tram",
                "pubDate": "Tue, 09 Jun 2026 16:00:00 +0200",
                "description": "&lt;p&gt;The council voted 31 to 14.&lt;/p&gt;"
                "&lt;p&gt;Mayor Lucia Ferrante welcomed it.&lt;/p&gt;",
            },
            {
                "title": "Library reopens",
                "link": "https://city.example.net/news/library",
                "description": "The central library reopened on Wednesday.",
            },
        ],
    )
    tram, library = only_articles(read_all(write("city.rss", feed)))
    assert tram.title == "Council approves tram line"
    assert tram.source == library.source == "Example City Desk"
    assert tram.url == "https://city.example.net/news/tram"
    assert tram.id == short_hash("https://city.example.net/news/tram")
    assert tram.published == "2026-06-09T14:00:00+00:00"
    assert tram.text == "The council voted 31 to 14.\nMayor Lucia Ferrante welcomed it."
    assert library.text == "The central library reopened on Wednesday."
    assert library.published is None


def test_feed_summary_entities_are_decoded(write, builders):
    feed = builders["rss"]("Desk", [{"title": "T", "description": "Shares of AT&amp;T fell."}])
    [article] = only_articles(read_all(write("entities.rss", feed)))
    assert article.text == "Shares of AT&T fell."


def test_atom_feed(write):
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Times</title>
<link href="https://atom.example/"/><id>urn:feed</id><updated>2026-01-02T03:04:05Z</updated>
<entry><title>First</title><id>urn:e1</id><link href="https://atom.example/1"/>
<updated>2026-01-02T03:04:05+01:00</updated><author><name>Ann Lee</name></author>
<content type="html">&lt;p&gt;Body one about Berlin.&lt;/p&gt;</content><summary>short</summary>
</entry>
<entry><title>Second</title><id>urn:e2</id><published>2026-02-03T10:00:00Z</published>
<updated>2026-02-04T10:00:00Z</updated><summary>Summary two about Rome.</summary></entry>
</feed>"""
    first, second = only_articles(read_all(write("times.atom", atom)))
    assert (first.title, first.source, first.author) == ("First", "Atom Times", "Ann Lee")
    assert first.text == "Body one about Berlin."  # content wins over summary
    assert first.published == "2026-01-02T02:04:05+00:00"
    assert second.published == "2026-02-03T10:00:00+00:00"
    assert first.id != second.id


# --- WARC -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "gzip"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_one_article_per_html_200_response(write, builders, name, gzip):
    reads = only_articles(read_all(write(name, builders["warc"](gzip=gzip))))
    urls = [f"https://gazette.example.com/story-{n}" for n in range(3)]
    assert [a.url for a in reads] == urls
    assert [a.id for a in reads] == [short_hash(u) for u in urls]
    assert [a.title for a in reads] == [f"Story number {n}" for n in range(3)]
    assert all("INLINE-SCRIPT-TEXT" not in a.text for a in reads)


def test_warc_record_above_limit_is_an_error_others_read(write, builders):
    data = builders["warc"](gzip=True)
    big = builders["news_page"]("Story number 1", 1).encode()
    limit = Limits(max_bytes=len(big) - 1)
    reads = read_all(write("c.warc.gz", data), limits=limit)
    assert all(isinstance(r, ReadError) for r in reads)
    assert len(reads) == 3 and all("too large" in r.reason for r in reads)
    assert reads[0].source.endswith("c.warc.gz#https://gazette.example.com/story-0")


# --- stdin and sniffing -----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected_ids"),
    [
        ("text", ["stdin"]),
        ("html", ["stdin"]),
        ("jsonl", ["j1", "j2"]),
        ("rss", [short_hash("https://city.example.net/a")]),
        ("warc", [short_hash(f"https://gazette.example.com/story-{n}") for n in range(3)]),
        ("warcgz", [short_hash(f"https://gazette.example.com/story-{n}") for n in range(3)]),
    ],
)
def test_stdin_is_sniffed(monkeypatch, builders, jsonl, kind, expected_ids):
    data = {
        "text": "\ufeffA title\n\nSome body text.".encode(),
        "html": builders["news_page"]().encode(),
        "jsonl": b"\n" + jsonl([{"id": "j1", "text": "One."}, {"id": "j2", "text": "Two."}]),
        "rss": builders["rss"]("D", [{"link": "https://city.example.net/a", "description": "x"}]),
        "warc": builders["warc"](gzip=False),
        "warcgz": builders["warc"](gzip=True),
    }[kind]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    reads = only_articles(list(read_paths(["-"])))
    assert [a.id for a in reads] == expected_ids
    direct = only_articles(list(read_bytes(data, "<stdin>", "stdin", Limits())))
    assert [a.to_dict() for a in direct] == [a.to_dict() for a in reads]
    if kind == "text":
        assert reads[0].text == "\ufeffA title\n\nSome body text."
        assert reads[0].title == "A title"


# --- folders ----------------------------------------------------------------


def test_folder_read_recursively_sorted_hidden_skipped(tmp_path, write, jsonl):
    write("corpus/b.txt", "B body.")
    write("corpus/a/z.txt", "Z body.")
    write("corpus/a/m.jsonl", jsonl([{"id": "m1", "text": "M body."}]))
    write("corpus/c.txt", "C body.")
    write("corpus/.secret.txt", "hidden file")
    write("corpus/.git/HEAD.txt", "hidden folder")
    write("corpus/a/.cache/x.txt", "nested hidden folder")
    reads = only_articles(read_all(tmp_path / "corpus"))
    assert [a.id for a in reads] == ["m1", "z", "b", "c"]


def test_hidden_folder_given_explicitly_is_read(tmp_path, write):
    write(".drafts/one.txt", "One.")
    assert [a.id for a in only_articles(read_all(tmp_path / ".drafts"))] == ["one"]
