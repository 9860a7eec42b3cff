"""Bad input: each bad document is one one-line ReadError naming the file and the
reason, and the rest of the batch is still read."""

from __future__ import annotations

import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from spinlens.model import Article
from spinlens.readers import Limits, ReadError, read_paths

FAKE_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))


def read_all(*paths, limits=None):
    return list(read_paths([str(p) for p in paths], limits))


def errors_by_file(reads):
    return {r.source: r.reason for r in reads if isinstance(r, ReadError)}


def assert_one_line(error: ReadError) -> None:
    assert "\n" not in str(error) and "\r" not in str(error)
    assert error.reason.strip()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("picture.png", FAKE_PNG, "binary content (NUL bytes), not a text document"),
        ("disguised.txt", FAKE_PNG, "binary content (NUL bytes), not a text document"),
        ("disguised.html", FAKE_PNG, "binary content (NUL bytes), not a text document"),
        ("empty.txt", b"", "empty document"),
        ("blank.html", b" \n\t\r\n", "empty document"),
        ("empty.jsonl", b"", "empty document"),
        ("empty.warc.gz", b"", "empty document"),
        ("latin1.txt", "Caf\xe9 in M\xfcnchen".encode("latin-1"), "invalid UTF-8 at byte 3"),
        ("skeleton.html", b"<html><body><div></div><script>var a = 1;</script></body></html>",
         "no article text found in the HTML"),
        ("channel.rss", b'<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>',
         "not a readable RSS/Atom feed (no entries)"),
    ],
)  # fmt: skip
def test_bad_file_is_one_error_and_batch_goes_on(write, name, content, reason):
    before = write("a-before.txt", "Before the bad file.")
    bad = write(name, content)
    after = write("z-after.txt", "After the bad file.")
    reads = read_all(before, bad, after)
    assert [type(r).__name__ for r in reads] == ["Article", "ReadError", "Article"]
    error = reads[1]
    assert error.source == str(bad)
    assert error.reason == reason
    assert_one_line(error)


def test_too_large_file(write):
    small = write("small.txt", "x" * 100)
    large = write("large.txt", "y" * 101)
    reads = read_all(small, large, limits=Limits(max_bytes=100))
    assert isinstance(reads[0], Article)
    assert errors_by_file(reads) == {str(large): "too large (101 bytes; limit 100)"}


def test_too_large_jsonl_line_is_one_error(write, jsonl):
    path = write(
        "lines.jsonl", jsonl([{"id": "a", "text": "short"}, {"id": "b", "text": "x" * 500}])
    )
    reads = read_all(path, limits=Limits(max_bytes=100))
    assert isinstance(reads[0], Article) and reads[0].id == "a"
    assert reads[1].source == f"{path}:2"
    assert reads[1].reason.startswith("too large (")


def test_nonexistent_path(tmp_path, write):
    good = write("good.txt", "Fine.")
    missing = tmp_path / "no-such-dir" / "gone.txt"
    reads = read_all(missing, good)
    assert reads[0] == ReadError(str(missing), "no such file or folder")
    assert isinstance(reads[1], Article)


def test_folder_with_many_bad_files_reads_the_good_ones(tmp_path, write, builders):
    write("batch/01-good.txt", "Good one.\n")
    write("batch/02-image.png", FAKE_PNG)
    write("batch/03-empty.txt", b"")
    write("batch/04-latin1.txt", b"Caf\xe9")
    write("batch/05-broken.html", b"<html><body><p></p></body></html>")
    write("batch/06-good.html", builders["news_page"]("Good page"))
    write("batch/07-feed.rss", b"<rss><channel><item><title>x")
    write("batch/08-good.txt", "Good two.")
    reads = read_all(tmp_path / "batch")
    assert len(reads) == 8
    assert [r.id for r in reads if isinstance(r, Article)] == ["01-good", "06-good", "08-good"]
    errors = [r for r in reads if isinstance(r, ReadError)]
    assert len(errors) == 5
    for error in errors:
        assert_one_line(error)
        assert str(tmp_path / "batch") in error.source


# --- truncated archives -----------------------------------------------------


def cut_inside_third_response(data: bytes, fraction: float) -> bytes:
    """The archive cut at `fraction` of the response record of story-2 (0.1: in
    its headers; 0.9: in the HTML body, after some of the article text)."""
    iterator = ArchiveIterator(io.BytesIO(data))
    for record in iterator:
        record.content_stream().read()
        uri = record.rec_headers.get_header("WARC-Target-URI")
        if record.rec_type == "response" and uri.endswith("story-2"):
            offset = iterator.get_record_offset()
            return data[: offset + int(iterator.get_record_length() * fraction)]
    raise AssertionError("story-2 not in archive")


TRUNCATIONS = [
    pytest.param(name, gzip, fraction, id=f"{name}-{fraction}")
    for name, gzip in (("cut.warc.gz", True), ("cut.warc", False))
    for fraction in (0.1, 0.9)
]


@pytest.mark.parametrize(("name", "gzip", "fraction"), TRUNCATIONS)
def test_truncated_warc_keeps_records_before_the_cut(write, builders, name, gzip, fraction):
    data = cut_inside_third_response(builders["warc"](gzip=gzip), fraction)
    reads = read_all(write(name, data))
    assert [getattr(r, "url", None) for r in reads[:2]] == [
        "https://gazette.example.com/story-0",
        "https://gazette.example.com/story-1",
    ]
    assert all(isinstance(r, Article) for r in reads[:2])


@pytest.mark.parametrize(("name", "gzip", "fraction"), TRUNCATIONS)
def test_truncated_warc_ends_with_an_error_not_a_partial_article(
    write, builders, name, gzip, fraction
):
    path = write(name, cut_inside_third_response(builders["warc"](gzip=gzip), fraction))
    reads = read_all(path)
    assert len(reads) == 3, reads
    assert isinstance(reads[2], ReadError), reads[2]
    assert reads[2].source.startswith(str(path))
    assert_one_line(reads[2])


@pytest.mark.parametrize(("name", "gzip"), [("tail.warc.gz", True), ("tail.warc", False)])
def test_warc_cut_in_its_last_record_is_reported(write, builders, name, gzip):
    """The last record (a 404 page, skipped anyway) loses its end: the archive
    is still incomplete and must say so after the three articles."""
    path = write(name, builders["warc"](gzip=gzip)[:-20])
    reads = read_all(path)
    assert [type(r).__name__ for r in reads] == ["Article", "Article", "Article", "ReadError"]
    assert reads[-1].source.startswith(str(path))


def test_truncated_warc_gz_in_a_batch_then_next_file(write, builders):
    cut = write("a-cut.warc.gz", builders["warc"](gzip=True)[:-300])
    after = write("b-after.txt", "After the archive.")
    reads = read_all(cut, after)
    assert isinstance(reads[-1], Article) and reads[-1].id == "b-after"
    assert isinstance(reads[0], Article)


# --- hostile feed -----------------------------------------------------------

HOSTILE_ITEMS = [
    {
        "title": "Hello &lt;script&gt;alert(1)&lt;/script&gt; world",
        "link": "javascript:alert(2)",
        "guid": "evil-1",
        "description": "&lt;p&gt;Officials in Paris said &lt;script&gt;alert(3)&lt;/script&gt;"
        " the bridge is open.&lt;/p&gt;&lt;img src=x onerror=alert(4)&gt;",
    },
    {
        "title": "<![CDATA[Raw <script>alert(5)</script> title]]>",
        "link": "https://evil.example/a",
        "description": "<![CDATA[<p>The mayor <script>document.cookie='x'</script>spoke."
        '</p><a href="javascript:alert(6)">click</a><style>p{}</style>]]>',
    },
]


def test_hostile_feed_text_has_no_script(write, builders):
    feed = builders["rss"]("Evil &lt;script&gt;alert(0)&lt;/script&gt; Desk", HOSTILE_ITEMS)
    first, second = reads = read_all(write("evil.rss", feed))
    assert all(isinstance(r, Article) for r in reads)
    assert first.text == "Officials in Paris said the bridge is open."
    assert second.text.startswith("The mayor spoke.")
    for article in reads:
        for needle in ("<script", "alert(", "document.cookie", "onerror", "javascript:", "p{}"):
            assert needle not in article.text


def test_overlong_jsonl_line_is_rejected_without_reading_it_whole(tmp_path):
    import io

    from spinlens.readers.jsonl import bounded_lines

    huge = b'{"text": "' + b"x" * 5000 + b'"}\n'
    stream = io.BytesIO(b'{"text": "first"}\n' + huge + b'{"text": "last"}\n')
    lines = list(bounded_lines(stream, 1000))
    assert [len(line) for line in lines] == [18, 1001, 17]
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"text": "first article"}\n' + huge + b'{"text": "last article"}\n')
    reads = list(read_paths([str(path)], Limits(max_bytes=1000)))
    assert [type(r).__name__ for r in reads] == ["Article", "ReadError", "Article"]
    assert "too large" in reads[1].reason and reads[1].source.endswith(":2")
