"""Hostile input (issue #16): nothing a document or a file name holds stops the
batch, loses other documents, or costs more than linear time and bounded memory."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import socket
import sys
import time

import pytest

from spinlens.export import export
from spinlens.model import Article
from spinlens.readers import FileIds, Limits, ReadError, read_bytes, read_paths
from spinlens.readers.warc import MAX_LINE, LineReader


def read_all(*paths, limits=None, ids=None):
    return list(read_paths([str(p) for p in paths], limits, ids))


def kinds(reads):
    return [type(r).__name__ for r in reads]


def serialisable(article: Article) -> bytes:
    """What every writer and the store need: the article as UTF-8 JSON."""
    return json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")


# --- characters UTF-8 cannot hold -------------------------------------------


def test_file_name_not_utf8_is_one_error_others_read(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "a-good.txt").write_text("Good one.")
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as bad:
        bad.write(b"Bad name, good text.")
    (folder / "z-good.txt").write_text("Good two.")
    reads = read_all(folder)
    assert kinds(reads) == ["Article", "ReadError", "Article"]
    assert reads[1].source == f"{folder}/bad\\xff.txt"
    assert reads[1].reason.startswith("file name is not valid UTF-8")
    direct = read_all(os.fsdecode(os.path.join(os.fsencode(folder), b"bad\xff.txt")))
    assert [r.source for r in direct] == [reads[1].source]
    str(direct[0]).encode("utf-8")


def test_lone_surrogate_in_metadata_is_repaired_in_text_rejected(write):
    lines = [
        b'{"id": "before", "text": "Before."}',
        b'{"id": "t\\ud800", "title": "Bad \\ud800 title", "author": "\\udfff", "text": "Kept."}',
        b'{"id": "bad-text", "text": "Lone \\udc00 surrogate."}',
        b'{"id": "bad-html", "html": "<p>Lone \\ud834 in HTML</p>"}',
        b'{"id": "pair", "text": "A real pair \\ud83d\\ude00 is one character."}',
        b'{"id": "after", "text": "After."}',
    ]
    path = write("surrogates.jsonl", b"\n".join(lines) + b"\n")
    reads = read_all(path)
    assert kinds(reads) == ["Article", "Article", "ReadError", "ReadError", "Article", "Article"]
    repaired = reads[1]
    assert (repaired.id, repaired.title, repaired.author) == (
        "t\ufffd",
        "Bad \ufffd title",
        "\ufffd",
    )
    assert reads[2] == ReadError(
        f"{path}:3", "text holds a lone surrogate (U+DC00 at character 5), not valid Unicode"
    )
    assert reads[3].source == f"{path}:4" and "lone surrogate (U+D834" in reads[3].reason
    assert reads[4].text == "A real pair \U0001f600 is one character."
    for article in reads:
        if isinstance(article, Article):
            serialisable(article)


# --- ids --------------------------------------------------------------------


def test_same_name_in_two_folders_gets_two_ids(tmp_path, write):
    write("corpus/a/index.txt", "Story A.")
    write("corpus/b/index.txt", "Story B.")
    write("corpus/b/index.text", "Story B, its other file.")
    write("corpus/solo.txt", "Solo.")
    ids = FileIds()
    reads = read_all(tmp_path / "corpus", ids=ids)
    assert [r.id for r in reads] == ["index", "b/index", reads[2].id, "solo"]
    assert reads[2].id.startswith("b/index~") and reads[2].text == "Story B."
    assert len({r.id for r in reads}) == 4
    assert "2 files named like another" in ids.describe()
    assert [r.id for r in read_all(tmp_path / "corpus")] == [r.id for r in reads]


def test_same_name_given_as_two_files(write):
    first = write("x/index.txt", "From x.")
    second = write("y/index.txt", "From y.")
    assert [r.id for r in read_all(first, second)] == ["index", "y/index"]
    assert [r.id for r in read_all(first, first)] == ["index", "index"]
    assert FileIds().describe().startswith("ids: files by name without suffix")


# --- linear time and bounded memory -----------------------------------------


@pytest.mark.parametrize("compressed", [True, False])
def test_huge_first_line_of_an_archive_is_refused_early(tmp_path, compressed):
    line = b"WARC/1.0" + b"\0" * 4_000_000
    path = tmp_path / ("zeros.gz" if compressed else "long.warc")
    path.write_bytes(gzip.compress(line) if compressed else line)
    after = tmp_path / "z-after.txt"
    after.write_text("After the archive.")
    started = time.monotonic()
    reads = read_all(path, after)
    assert time.monotonic() - started < 20
    assert kinds(reads) == ["ReadError", "Article"]
    assert "header line longer than" in reads[0].reason and len(reads[0].reason) <= 300


def test_line_reader_reads_a_bounded_amount_of_a_long_line():
    stream = io.BytesIO(b"x" * (8 * MAX_LINE) + b"\nnext\n")
    reader = LineReader(stream, decomp_type=None)
    with pytest.raises(ValueError, match="header line longer"):
        reader.readline()
    assert stream.tell() <= MAX_LINE + 2 * reader.block_size
    short = LineReader(io.BytesIO(b"a" * 100_000 + b"\nrest"), decomp_type=None)
    assert short.readline() == b"a" * 100_000 + b"\n" and short.readline(2) == b"re"


def test_deeply_nested_json_line_is_that_line_only(write):
    nested = b'{"text": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    digits = b'{"text": "x", "title": ' + b"1" * 5000 + b"}"
    data = b'{"id": "a", "text": "First."}\n' + nested + b"\n" + digits + b"\n"
    path = write("deep.jsonl", data + b'{"id": "d", "text": "Last."}\n')
    reads = read_all(path)
    assert kinds(reads) == ["Article", "ReadError", "ReadError", "Article"]
    assert reads[1] == ReadError(f"{path}:2", "invalid JSON (nested too deeply)")
    assert reads[2].source == f"{path}:3" and "ValueError" in reads[2].reason


class CountingStdin(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def test_stdin_stops_at_the_size_limit(monkeypatch):
    stdin = CountingStdin(b"word " * 2_000_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
    reads = list(read_paths(["-"], Limits(max_bytes=100_000)))
    assert reads == [ReadError("<stdin>", "too large (over 100,000 bytes, the limit)")]
    assert stdin.consumed < 100_000 + 2 * (1 << 16)


def test_stdin_jsonl_above_the_limit_is_read_per_record(monkeypatch, jsonl):
    records = jsonl([{"id": f"r{n}", "text": "Some words. " * 20} for n in range(50)])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(records)))
    reads = list(read_paths(["-"], Limits(max_bytes=1000)))
    assert [r.id for r in reads] == [f"r{n}" for n in range(50)]


def test_too_much_markup_is_refused_before_parsing(write):
    page = b"<html><body>" + b"<p><b>x</b></p>" * 30_000 + b"</body></html>"
    path = write("tags.html", page)
    started = time.monotonic()
    [error] = read_all(path)
    assert time.monotonic() - started < 5
    assert error == ReadError(str(path), "too much markup (120,004 tags; limit 100,000)")


# --- files that are not files -----------------------------------------------


def test_fifo_and_socket_are_errors_never_opened(tmp_path):
    folder = tmp_path / "specials"
    folder.mkdir()
    (folder / "a.txt").write_text("Regular.")
    os.mkfifo(folder / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.txt"))
    try:
        reads = read_all(folder)
        direct = read_all(folder / "pipe.txt")
    finally:
        server.close()
    assert kinds(reads) == ["Article", "ReadError", "ReadError"]
    assert reads[1] == ReadError(
        str(folder / "pipe.txt"), "not a regular file: a named pipe (FIFO)"
    )
    assert reads[2] == ReadError(str(folder / "sock.txt"), "not a regular file: a socket")
    assert direct == [reads[1]]


def test_unreadable_folder_is_an_error(tmp_path, write, monkeypatch):
    write("tree/a.txt", "A.")
    write("tree/locked/b.txt", "B.")
    write("tree/z.txt", "Z.")
    locked = tmp_path / "tree" / "locked"
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    reads = read_all(tmp_path / "tree")
    assert kinds(reads) == ["Article", "ReadError", "Article"]
    assert reads[1] == ReadError(str(locked), "cannot list folder (Permission denied)")


def test_too_much_markup_in_a_feed_is_refused(write):
    items = b"<item><title>t</title><description>x</description></item>" * 25_000
    path = write("big.rss", b"<rss><channel>" + items + b"</channel></rss>")
    started = time.monotonic()
    [error] = read_all(path)
    assert time.monotonic() - started < 5
    assert error == ReadError(str(path), "too much markup (150,004 tags; limit 100,000)")


def test_direct_bytes_never_raise_for_a_bad_html_string():
    reads = list(read_bytes(b"<html>" + b"<i>" * 10, "x.html", "x", Limits(max_tags=5), "html"))
    assert reads == [ReadError("x.html", "too much markup (11 tags; limit 5)")]


# --- the API and exports ----------------------------------------------------


def test_api_refuses_a_lone_surrogate_with_a_clear_4xx(web_client):
    headers = {"content-type": "application/json"}
    for body in ('{"title": "Bad \\ud800", "text": "Fine."}', '{"text": "Lone \\udc00."}'):
        response = web_client.post("/api/analyze", content=body, headers=headers)
        assert response.status_code == 422, response.text
        assert "unicode" in response.text.lower()


def test_batch_job_keeps_the_good_articles_around_a_surrogate_text(web_client):
    good = [f'{{"id": "b{n}", "text": "Story {n} from Veldhaven."}}' for n in range(4)]
    bad = '{"id": "bad", "text": "Lone \\ud800 here."}'
    body = '{"articles": [' + ", ".join([*good[:2], bad, *good[2:]]) + "]}"
    headers = {"content-type": "application/json"}
    job = finished(web_client, web_client.post("/api/jobs", content=body, headers=headers))
    assert (job["state"], job["analysed"], job["failed"]) == ("done", 4, 1), job
    assert job["article_ids"] == ["b0", "b1", "b2", "b3"]
    assert job["errors"] == [
        "batch:3: text holds a lone surrogate (U+D800 at character 5), not valid Unicode"
    ]


def finished(client, response):
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + 60
    while (job := client.get(response.json()["url"]).json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return job


def test_upload_job_keeps_the_good_articles_around_surrogates(web_client):
    good = [f'{{"id": "s{n}", "text": "Story {n} from Veldhaven."}}' for n in range(3)]
    repaired = '{"id": "t", "title": "Bad \\ud800 title", "text": "Told in Veldhaven."}'
    bad = '{"id": "bad", "text": "Lone \\ud800 here."}'
    data = "\n".join([good[0], repaired, bad, *good[1:]]).encode()
    job = finished(web_client, web_client.post("/api/uploads", files={"files": ("m.jsonl", data)}))
    assert (job["state"], job["analysed"], job["failed"]) == ("done", 4, 1), job
    assert job["article_ids"] == ["s0", "t", "s1", "s2"]
    assert "lone surrogate" in job["errors"][0]
    assert web_client.get("/api/articles/t").json()["title"] == "Bad \ufffd title"


def test_csv_cells_are_never_formulas(tmp_path):
    articles = [
        Article.create("=1+1", "-2 degrees and falling.", title='=HYPERLINK("x")'),
        Article.create("plain", "Plain text.", title="@SUM(A1)", author="\tTab", source="+cmd"),
    ]
    path = tmp_path / "out.csv"
    assert export(articles, "csv", str(path)) == 2
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert [r["id"] for r in rows] == ["'=1+1", "plain"]
    assert rows[0]["title"] == '\'=HYPERLINK("x")' and rows[0]["text"] == "'-2 degrees and falling."
    assert (rows[1]["title"], rows[1]["author"], rows[1]["source"]) == (
        "'@SUM(A1)",
        "'\tTab",
        "'+cmd",
    )


def test_analyze_command_survives_bad_names_and_same_names(tmp_path, monkeypatch, pipeline):
    from click.testing import CliRunner

    from spinlens.cli import main

    monkeypatch.setattr("spinlens.workers.build_pipeline", lambda *args, **kwargs: pipeline)
    corpus = tmp_path / "corpus"
    for name, text in (("a/index.txt", "Story A."), ("b/index.txt", "Story B.")):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text)
    with open(os.path.join(os.fsencode(corpus), b"bad\xff.txt"), "wb") as bad:
        bad.write(b"Bad name.")
    (corpus / "wire.jsonl").write_bytes(b'{"id": "w", "title": "\\ud800", "text": "Wire."}\n')
    out = tmp_path / "out.jsonl"
    db = f"sqlite:///{tmp_path / 'store.db'}"
    env = {"SPINLENS_CONFIG": str(tmp_path / "absent.toml"), "SPINLENS_WORKERS": "1"}
    command = ["analyze", str(corpus), "-o", str(out), "--db", db]
    for _ in range(2):
        result = CliRunner().invoke(main, command, env=env, catch_exceptions=False)
        assert result.exit_code == 1, result.stderr
        written = {o["id"]: o["text"] for o in map(json.loads, out.read_text("utf-8").splitlines())}
        assert written == {"index": "Story A.", "b/index": "Story B.", "w": "Wire."}
        assert "bad\\xff.txt: file name is not valid UTF-8" in result.stderr.replace("\n", "")
        assert "1 file named like another by path instead" in result.stderr.replace("\n", " ")
