"""Metadata beside the input (batch defaults, a CSV file, dates in file names, WARC-Date),
annotating stored articles without analysing them again, and the store's claims index."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from spinlens.batch import Summary, analyze_stream
from spinlens.claims.index import claim_key, list_claims
from spinlens.facets import article_stats, spinlens_meta, technique_rollup
from spinlens.model import Article, Claim, Speaker, Technique
from spinlens.pipeline import Pipeline
from spinlens.readers import Limits, ReadError, read_bytes, read_paths
from spinlens.readers.metadata import MetadataError, iso_date, metadata_of, name_date
from spinlens.store import Store
from spinlens.web.filters import Filters, claim_conditions

TAXES = "Taxes rose 40 percent last year."


class Counter:
    """A component that counts the articles it is asked to analyse."""

    name, version = "counter", "1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, articles) -> None:
        self.seen.extend(a.id for a in articles)


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    yield store
    store.close()


def with_claims(article_id: str, text: str, claims: list[Claim], **meta: str) -> Article:
    article = Article.create(article_id, text, **meta)
    article.layers["claims"] = list(claims)
    article.layers["techniques"] = [Technique(0, 5, "Doubt", 0.9)]
    return article


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2016-10-09", "2016-10-09"),
        (" 2016-10-09T08:30:00Z ", "2016-10-09T08:30:00+00:00"),
        ("Sun, 09 Oct 2016 21:00:00 -0500", "2016-10-09T21:00:00-05:00"),
    ],
)
def test_dates_become_iso_8601(given, expected):
    assert iso_date(given) == expected


@pytest.mark.parametrize("bad", ["yesterday", "2016-13-01", "09/10/2016", ""])
def test_bad_dates_are_refused(bad):
    with pytest.raises(ValueError, match="not a date"):
        iso_date(bad)


def test_dates_in_file_names():
    assert name_date(Path("x/2016-10-09-cnn-debate.txt")) == "2016-10-09"
    assert name_date(Path("debate_2016-10-09.html")) == "2016-10-09"
    assert name_date(Path("2016-13-45-not-a-day.txt")) is None
    assert name_date(Path("12016-10-099.txt")) is None


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_metadata_precedence(tmp_path):
    """A CSV row beats the input's own value, which beats a file-name date, which
    beats the command line's defaults; the CSV itself is not read as an article."""
    folder = tmp_path / "in"
    write(folder / "2016-10-09-debate.txt", "A debate took place.")
    write(folder / "plain.txt", "Nothing dated here.")
    write(folder / "b" / "row.txt", "Given by its row.")
    lines = [
        '{"id": "own", "text": "Own date.", "published": "2020-01-01", "source": "Own"}',
        '{"id": "byid", "text": "Row by id.", "published": "2020-01-01", "source": "Own"}',
    ]
    write(folder / "briefs.jsonl", "\n".join(lines))
    csv = write(
        folder / "meta.csv",
        "path,id,source,published,title\n"
        "b/row.txt,,Row Outlet,2019-05-06,Row title\n"
        ",byid,Id Outlet,2018-02-03T10:00:00Z,\n",
    )
    metadata, errors = metadata_of("Default Outlet", "2000-01-01", str(csv))
    assert errors == []
    read = {a.id: a for a in read_paths([str(folder)], metadata=metadata)}
    assert set(read) == {"2016-10-09-debate", "plain", "row", "own", "byid"}
    assert (read["row"].source, read["row"].published) == ("Row Outlet", "2019-05-06")
    assert read["row"].title == "Row title"
    assert (read["byid"].source, read["byid"].published) == (
        "Id Outlet",
        "2018-02-03T10:00:00+00:00",
    )
    assert (read["own"].source, read["own"].published) == ("Own", "2020-01-01")
    assert read["2016-10-09-debate"].published == "2016-10-09"
    assert read["2016-10-09-debate"].source == "Default Outlet"
    assert (read["plain"].source, read["plain"].published) == ("Default Outlet", "2000-01-01")
    assert metadata.unmatched() == 0


def test_metadata_rows_relative_to_the_working_folder(tmp_path, monkeypatch):
    write(tmp_path / "corpus" / "a.txt", "Some text.")
    csv = write(tmp_path / "sheets" / "meta.csv", "path,source\ncorpus/a.txt,Found\nnope.txt,X\n")
    monkeypatch.chdir(tmp_path)
    metadata, _ = metadata_of(None, None, str(csv))
    [article] = read_paths(["corpus"], metadata=metadata)
    assert isinstance(article, Article) and article.source == "Found"
    assert metadata.unmatched() == 1


def test_metadata_file_errors(tmp_path):
    unknown = write(tmp_path / "u.csv", "path,outlet\na.txt,X\n")
    with pytest.raises(MetadataError, match="unknown column 'outlet'"):
        metadata_of(None, None, str(unknown))
    keyless = write(tmp_path / "k.csv", "source\nX\n")
    with pytest.raises(MetadataError, match="'path' or an 'id'"):
        metadata_of(None, None, str(keyless))
    with pytest.raises(MetadataError, match="--published"):
        metadata_of(None, "soon", None)
    rows = write(tmp_path / "r.csv", "id,published\na,2016-10-09\nb,last week\n,2016-01-01\n")
    metadata, errors = metadata_of(None, None, str(rows))
    assert errors == [
        ReadError(
            f"{rows}:3", "published: not a date: 'last week' (use ISO 8601, e.g. 2016-10-09)"
        ),
        ReadError(f"{rows}:4", "no path or id"),
    ]
    assert metadata.by_id == {"a": {"published": "2016-10-09"}}


def test_warc_date_when_the_page_has_none(builders):
    dated = builders["news_page"]()
    undated_page = re.sub(r"<meta property=.article:published_time[^>]*>", "", dated)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    for url, body in (("https://x.example/a", undated_page), ("https://x.example/b", dated)):
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body.encode()),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2016-10-09T12:00:00Z"},
        )
        writer.write_record(record)
    first, second = read_bytes(buf.getvalue(), "a.warc", "a", Limits())
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.published == "2016-10-09T12:00:00Z"
    assert second.published == "2026-04-01"


def test_annotate_updates_the_index_not_the_content(store):
    claim = Claim(0, len(TAXES), 0.8, Speaker("Ann Lee"))
    article = with_claims("a", TAXES + " More text.", [claim], source="Wire")
    store.save([article])
    key = ("a", article.sha256, "")
    assert store.stored([key]) == {"a"}
    assert store.annotate({"a": {"source": "Herald", "published": "2024-02-03"}}) == ["a"]
    assert store.annotate({"missing": {"source": "X"}}) == []
    again = store.get("a")
    assert again is not None and (again.source, again.published) == ("Herald", "2024-02-03")
    assert again.text == article.text
    assert {k: again.layers[k] for k in article.layers} == article.layers
    assert store.stored([key]) == {"a"}  # not new content: a re-run skips it
    with store.engine.connect() as conn:
        stats = conn.execute(select(article_stats)).one()
        rollup = conn.execute(select(technique_rollup)).all()
    assert (stats.source, stats.day, stats.month) == ("Herald", "2024-02-03", "2024-02")
    assert [(r.source, r.month, r.articles) for r in rollup] == [("Herald", "2024-02", 1)]
    assert list_claims(store.engine, claims_where(store, q="rose 40"), 1, 10).total == 1
    [row] = list_claims(store.engine, claims_where(store, source="herald"), 1, 10).rows
    assert (row["published"], row["speaker"], row["claim"]) == ("2024-02-03", "Ann Lee", TAXES)


def test_a_rerun_gives_stored_articles_new_metadata_without_analysis(store):
    counter = Counter()
    pipe = Pipeline([counter])
    first = [Article.create("a", "Some text.", source="Wire")]
    list(analyze_stream(first, pipe, store, Summary()))
    again = [Article.create("a", "Some text.", source="Herald", published="2024-01-01")]
    [result] = list(analyze_stream(again, pipe, store, Summary()))
    assert counter.seen == ["a"]
    assert (result.source, result.published) == ("Herald", "2024-01-01")
    stored = store.get("a")
    assert stored is not None and stored.source == "Herald"


def claims_where(store: Store, **params: str) -> list:
    """The claims index's conditions for these filter-bar parameters."""
    return claim_conditions(store, Filters.of(params))


def test_claims_ranked_filtered_and_grouped(store):
    text_a = f"{TAXES} Nothing else. {TAXES.upper()}"
    a = with_claims(
        "a",
        text_a,
        [Claim(0, 32, 0.9, Speaker("Ann Lee")), Claim(text_a.rindex("TAXES"), len(text_a), 0.5)],
        source="Wire",
        published="2024-01-02",
    )
    b = with_claims("b", TAXES + " x", [Claim(0, 32, 0.7)], source="Post", published="2024-03-01")
    c = with_claims("c", "The mayor resigned.", [Claim(0, 19, 0.2)], source="Post")
    store.save([a, b, c])
    everything = list_claims(store.engine, claims_where(store), 1, 10)
    assert [(r["article_id"], r["score"]) for r in everything.rows] == [
        ("a", 0.9),
        ("b", 0.7),
        ("a", 0.5),
        ("c", 0.2),
    ]
    assert list_claims(store.engine, claims_where(store), 2, 3).rows[0]["article_id"] == "c"
    cases = [
        ({"q": "mayor"}, ["c"]),
        ({"q": "MAYOR RES"}, ["c"]),
        ({"q": "40"}, ["a", "b", "a"]),
        ({"source": "POST"}, ["b", "c"]),
        ({"speaker": "Ann Lee"}, ["a"]),
        ({"date_from": "2024-02-01"}, ["b"]),
        ({"date_to": "2024-01-31"}, ["a", "a"]),
        ({"min_score": "0.6"}, ["a", "b"]),
    ]
    for params, expected in cases:
        found = list_claims(store.engine, claims_where(store, **params), 1, 10)
        assert [r["article_id"] for r in found.rows] == expected, params
        assert found.total == len(expected)
    grouped = list_claims(store.engine, claims_where(store), 1, 10, grouped=True)
    assert grouped.total == 2
    first = grouped.rows[0]
    assert (first["score"], first["articles"], len(first["occurrences"])) == (0.9, 2, 3)
    assert claim_key(TAXES) == claim_key(TAXES.upper()) == "taxes rose 40 percent last year"


def test_migration_fills_the_claims_index(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    store.save([with_claims("a", TAXES, [Claim(0, 32, 0.9)])])
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM claim_index")
        conn.execute(update(spinlens_meta).values(value="4:old"))
    store.close()
    reopened = Store(url)
    assert list_claims(reopened.engine, claims_where(reopened), 1, 10).total == 1
    assert list_claims(reopened.engine, claims_where(reopened, q="percent"), 1, 10).total == 1
    reopened.close()
