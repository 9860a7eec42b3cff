"""The store on PostgreSQL (the shared store of docs/scale.md): a private server is
started for the session where the PostgreSQL binaries and psycopg are installed."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from spinlens.model import Article
from spinlens.store import Store

PORT = "54329"


def postgres_bin() -> Path | None:
    found = sorted(glob.glob(os.environ.get("INITDB", "/usr/lib/postgresql/*/bin/initdb")))
    return Path(found[-1]).parent if found else None


def as_server_user(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    binaries = postgres_bin()
    pytest.importorskip("psycopg")
    if binaries is None:
        pytest.skip(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb, or $INITDB): "
            "`make postgres` installs it as root"
        )
    folder = Path(tempfile.mkdtemp(prefix="spinlens-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    subprocess.run(
        as_server_user([str(binaries / "initdb"), "-D", str(data), "-A", "trust"])
        + ["-U", "spinlens", "-E", "UTF8", "--locale=C.UTF-8"],
        check=True,
        capture_output=True,
    )
    options = f"-k {folder} -c listen_addresses='' -p {PORT}"
    ctl = [str(binaries / "pg_ctl"), "-D", str(data), "-w"]
    log = ["-l", str(folder / "log")]
    subprocess.run(as_server_user([*ctl, "-o", options, *log, "start"]), check=True)
    import psycopg

    with psycopg.connect(host=str(folder), port=PORT, user="spinlens", dbname="postgres") as conn:
        conn.autocommit = True
        conn.execute("CREATE DATABASE news")
    try:
        yield f"postgresql+psycopg://spinlens@/news?host={folder}&port={PORT}"
    finally:
        subprocess.run(as_server_user([*ctl, "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_store_on_postgresql_saves_resumes_lists_and_exports(postgres_url, analysed, tmp_path):
    from spinlens.claims.index import list_claims
    from spinlens.export import export
    from spinlens.web.aggregates import aggregates
    from spinlens.web.cube import load
    from spinlens.web.filters import claim_conditions
    from spinlens.web.queries import Filters, filter_options, list_articles

    store = Store(postgres_url)
    try:
        store.save(analysed)
        again = Article.from_dict(analysed[0].to_dict())
        assert store.get(again.id) is not None
        assert store.get(again.id).to_dict() == again.to_dict()  # type: ignore[union-attr]
        store.save([again])  # saving again replaces, never duplicates
        assert store.count() == len(analysed)
        everything = list_articles(store, Filters()).rows
        assert {r["article_id"] for r in everything} == {a.id for a in analysed}
        veldhaven = list_articles(store, Filters.of({"q": "Veldhaven", "entity": "Veldhaven"})).rows
        assert [r["article_id"] for r in veldhaven] == ["harbour"]
        assert ("Veldhaven", 1) in filter_options(store)["entities"]
        assert [hit.id for hit in store.search("Veldhaven")] == ["harbour"]
        assert [hit.id for hit in store.search("veldhaven")] == ["harbour"]  # any case
        assert store.search("Veldhav") == []  # whole words, as FTS5 on SQLite
        with store.engine.connect() as conn:  # answered by the words' GIN index
            index = "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_article_words'"
            assert conn.execute(text(index)).scalar() == 1
            docs = (
                "SELECT s.doc, w.doc FROM article_stats s JOIN article_words w USING (article_id)"
            )
            numbered = conn.execute(text(docs)).all()  # the index's doc is the words' doc
        assert len(numbered) == len(analysed) and all(a == b for a, b in numbered)
        with store.engine.connect() as conn:  # claims searched through pg_trgm's index
            index = "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_claims_words'"
            assert conn.execute(text(index)).scalar() == 1
            claims = list(conn.execute(text("SELECT claim FROM claim_index")).scalars())
        word = max((w for c in claims for w in c.split() if w.isalpha()), key=len)
        where = claim_conditions(store, Filters.of({"q": word.upper()}))
        found = list_claims(store.engine, where, 1, 100)
        assert found.total == sum(word.lower() in c.lower() for c in claims) > 0
        cube = load(store)  # the dashboard's and outlet pages' figures
        chosen = cube.mask(store, Filters.of({"q": "Veldhaven"}))
        assert [cube.ids[i] for i in chosen.nonzero()[0]] == ["harbour"]
        assert aggregates(cube, cube.mask(store, Filters()), "", 1)["articles"] == len(analysed)
        rows = export(iter(store), "parquet", str(tmp_path / "all.parquet"))
        assert rows == len(analysed)
    finally:
        store.close()


def test_analyze_resumes_on_postgresql(postgres_url, tmp_path):
    from click.testing import CliRunner

    from spinlens.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"s{n}.txt").write_text(f"Story {n}\n\nThe port stayed shut.\n", "utf-8")
    args = ["analyze", str(folder), "--db", postgres_url, "-o", os.devnull]
    args += ["--without", "techniques", "--without", "claims"]
    first, second = CliRunner().invoke(main, args), CliRunner().invoke(main, args)
    assert first.exit_code == 0 and "analysed 3 · skipped as duplicate 0" in first.stderr
    assert second.exit_code == 0 and "analysed 0 · skipped as duplicate 3" in second.stderr


def test_speakers_merge_and_show_on_postgresql(postgres_url, tmp_path):
    from speaker_articles import CORPUS
    from sqlalchemy import select

    from spinlens.speakers.tables import speaker_alias, speaker_totals
    from spinlens.speakers.views import list_speakers
    from spinlens.web.app import create_app
    from spinlens.web.profiles import speaker_profile
    from spinlens.web.queries import Filters, list_articles

    def merged(store: Store) -> tuple[dict[str, str], list[tuple]]:
        with store.engine.connect() as conn:
            alias = {r.key: r.speaker for r in conn.execute(select(speaker_alias))}
            totals = sorted(tuple(r) for r in conn.execute(select(speaker_totals)))
        return alias, totals

    store, rebuilt = Store(postgres_url), Store(f"sqlite:///{tmp_path / 'rebuilt.db'}")
    try:
        for article in reversed(CORPUS):
            store.save([article])
        rebuilt.save(list(store))  # with what the other tests stored
        assert merged(store) == merged(rebuilt)
        assert list_speakers(store.engine).rows[0]["speaker"] == "donald-j-trump"
        ws = create_app(store, token=None).state.ws
        found = speaker_profile(ws, "donald-j-trump", Filters())
        assert found is not None and len(found["quotes_shown"]) == 3
        nyt = speaker_profile(ws, "donald-j-trump", Filters(source=("NYT",)))
        assert nyt is not None and [q["text"] for q in nyt["quotes_shown"]] == ["Build it,"]
        trump = list_articles(store, Filters.of({"speaker": "Donald J. Trump"}))
        assert {r["article_id"] for r in trump.rows} == {"nyt-1", "wp-1", "bb-1"}
    finally:
        store.close()
        rebuilt.close()


def test_the_cube_lists_what_postgresql_lists(postgres_url):
    """Undated articles sort last ascending here (NULL is greatest on PostgreSQL)."""
    from listing_corpus import FILTERS, assert_cube_lists_as_store, listing_corpus

    from spinlens.web.app import create_app
    from spinlens.web.filters import Filters
    from spinlens.web.queries import list_articles

    store = Store(postgres_url)
    try:
        store.save(listing_corpus())
        ws = create_app(store, token=None).state.ws
        for params in FILTERS:
            assert_cube_lists_as_store(ws, params)
        dated = list_articles(store, Filters(), "date", "asc", 1, 500).rows
        assert dated[0]["day"] is not None and dated[-1]["day"] is None
    finally:
        store.close()


def test_a_store_of_version_6_moves_its_words_out_of_the_articles_rows(postgres_url, analysed):
    """Before version 7 the words were a generated column of `articles`; opening such a
    store drops it and fills `article_words`, and search finds the same articles."""
    current = Store(postgres_url)
    current.save(analysed)
    found = sorted(hit.id for hit in current.search("Veldhaven", limit=1000))
    with current.engine.begin() as conn:
        conn.execute(text("DROP TABLE article_words"))
        conn.execute(
            text(
                "ALTER TABLE articles ADD COLUMN words tsvector GENERATED ALWAYS AS "
                "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED"
            )
        )
        conn.execute(text("UPDATE spinlens_meta SET value = '6:old' WHERE key = 'schema'"))
    store = Store(postgres_url)
    try:
        with store.engine.connect() as conn:
            columns = (
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles'"
            )
            assert "words" not in set(conn.execute(text(columns)).scalars())
        assert sorted(hit.id for hit in store.search("Veldhaven", limit=1000)) == found
        assert "harbour" in found
    finally:
        current.close()
        store.close()
