"""Fuzzing the readers (Hypothesis): whatever the bytes, every format yields Articles
or one-line ReadErrors, never an exception, and every Article is sound: UTF-8 can
hold it and its offsets index its text. Kept brief (a few hundred inputs) for CI."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinlens.model import Article
from spinlens.readers import Limits, ReadError, read_bytes
from spinlens.readers.base import MAX_REASON, SURROGATE

FORMATS = [None, "text", "html", "jsonl", "feed", "warc"]
LIMITS = Limits(max_bytes=20_000, max_tags=2_000)
FUZZ = settings(
    max_examples=40,
    deadline=timedelta(seconds=10),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

any_char = st.characters(exclude_categories=())
"""Every code point, lone surrogates included (Hypothesis leaves them out by default)."""
json_scalar = st.none() | st.booleans() | st.integers() | st.floats() | st.text(any_char)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
record = st.fixed_dictionaries(
    {},
    optional={
        "id": json_value,
        "text": st.text(any_char, max_size=200) | json_value,
        "html": st.text(any_char, max_size=200),
        "title": st.text(any_char, max_size=40) | json_value,
        "url": st.sampled_from(["https://x.example/a", "javascript:alert(1)", ""]) | st.text(),
        "published": json_value,
        "language": json_value,
    },
)
json_line = record.map(lambda r: json.dumps(r).encode()) | st.binary(max_size=80)
MARKUP = (
    "<html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<b>",
    "<a href='javascript:x()'>", "&amp;", "&#xD800;", "&#0;", "<!--", "-->", "<![CDATA[",
    "]]>", "<?xml version='1.0'?>", "<rss>", "<channel>", "<item>", "<title>", "<feed>",
    "<entry>", "<description>", "Words of a sentence. ", "\n", "\x00", "\ufeff", "\u2028",
)  # fmt: skip
markup = st.lists(st.sampled_from(MARKUP) | st.text(max_size=8), max_size=60).map("".join)
warc_like = st.lists(
    st.sampled_from([b"WARC/1.0\r\n", b"WARC-Type: response\r\n", b"Content-Length: 12\r\n"])
    | st.sampled_from([b"WARC-Target-URI: https://x.example/\r\n", b"\r\n", b"HTTP/1.1 200"])
    | st.binary(max_size=30),
    max_size=20,
).map(b"".join)


def assert_sound(data: bytes, fmt: str | None) -> None:
    reads = list(read_bytes(data, "fuzz", "fuzz", LIMITS, fmt))
    for read in reads:
        assert isinstance(read, Article | ReadError), read
        if isinstance(read, ReadError):
            assert read.reason.strip() and len(read.reason) <= MAX_REASON
            assert "\n" not in str(read) and not SURROGATE.search(str(read))
            continue
        assert read.text and not SURROGATE.search(read.text)
        json.dumps(read.to_dict(), ensure_ascii=False).encode("utf-8")
        for spans in read.layers.values():
            for span in spans:
                assert 0 <= span.start <= span.end <= len(read.text)


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(FORMATS))
def test_random_bytes(data, fmt):
    assert_sound(data, fmt)


@FUZZ
@given(st.lists(json_line, max_size=6), st.sampled_from([None, "jsonl"]))
def test_random_json_lines(lines, fmt):
    assert_sound(b"\n".join(lines), fmt)


@FUZZ
@given(markup, st.sampled_from(FORMATS))
def test_random_html_ish_text(text, fmt):
    assert_sound(text.encode("utf-8", "surrogatepass"), fmt)


@FUZZ
@given(warc_like, st.booleans())
def test_random_warc_ish_archives(data, compressed):
    assert_sound(gzip.compress(data) if compressed else data, "warc")


@FUZZ
@given(st.text(any_char, max_size=500))
def test_text_is_kept_exactly_as_read(text):
    data = text.encode("utf-8", "surrogatepass")
    for read in read_bytes(data, "fuzz", "fuzz", LIMITS, "text"):
        if isinstance(read, Article):
            assert read.text == text
