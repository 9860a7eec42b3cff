"""The store's corpus index (spinlens.facets), kept by Store.save and rebuilt by the
migration of stores written by older versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from spinlens.facets import article_facets, article_stats, day_of, index_rows, layer_counts
from spinlens.model import Article
from spinlens.store import SCHEMA_VERSION, Store
from spinlens.web.queries import Filters, list_articles


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'index.db'}")
    yield store
    store.close()


def facets_of(store: Store, article_id: str) -> set[tuple[str, str, int]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(article_facets.c.kind, article_facets.c.value, article_facets.c.n).where(
                article_facets.c.article_id == article_id
            )
        )
        return {tuple(r) for r in rows}


def test_save_fills_stats_and_facets(store, web_articles):
    store.save(web_articles)
    with store.engine.connect() as conn:
        stats = {r.article_id: r for r in conn.execute(select(article_stats))}
    harbour = stats["harbour"]
    assert harbour.words == len(web_articles[0].text.split())
    with store.engine.connect() as conn:
        counts = dict(
            conn.execute(
                select(layer_counts.c.layer, layer_counts.c.n).where(
                    layer_counts.c.article_id == "harbour"
                )
            ).all()
        )
    assert (counts["techniques"], counts["quotes"], counts["claims"]) == (3, 2, 1)
    assert harbour.day == "2026-04-01" and harbour.source == "Harbour Gazette"
    assert 0 < harbour.quote_chars < harbour.chars
    found = facets_of(store, "harbour")
    assert {("technique", "Slogans", 1), ("speaker", "Marta Kolar", 1)} <= found
    assert ("entity", "Veldhaven", 1) in found
    assert not any(kind == "entity" and value == "Tuesday" for kind, value, _ in found)  # DATE


def test_saving_again_replaces_index_rows(store, web_articles):
    store.save(web_articles)
    changed = Article.from_dict(web_articles[0].to_dict())
    changed.layers["techniques"] = []
    changed.layers.pop("quotes", None)
    changed.extra.pop("quotes", None)
    changed.source = "Other Desk"
    store.save([changed])
    assert not any(kind in ("technique", "speaker") for kind, _, _ in facets_of(store, "harbour"))
    hits = store.search("Veldhaven")
    assert sorted(h.id for h in hits).count("harbour") == 1
    with store.engine.connect() as conn:
        fts = conn.execute(text("SELECT count(*) FROM articles_fts")).scalar()
        source = conn.execute(
            select(article_stats.c.source).where(article_stats.c.article_id == "harbour")
        ).scalar()
    assert fts == store.count() and source == "Other Desk"


def test_entity_facets_use_canonical_names_and_fold_case():
    data = {
        "id": "x",
        "text": "NASA and Nasa met the Space Agency.",
        "entities": [
            {"start": 0, "end": 4, "label": "ORG", "text": "NASA"},
            {"start": 9, "end": 13, "label": "ORG", "text": "Nasa"},
            {"start": 22, "end": 34, "label": "ORG", "text": "Space Agency", "canonical": "NASA"},
        ],
        "quotes": [{"content": {"start": 0, "end": 4}, "speaker": "  Ada  Lovelace "}],
    }
    stats, facets, counts = index_rows(data, "2026-01-01T00:00:00+00:00")
    assert counts["entities"] == 3 and stats["quote_chars"] == 4
    assert [(f["kind"], f["value"], f["n"], f["label"]) for f in facets] == [
        ("entity", "NASA", 3, "ORG"),
        ("speaker", "Ada Lovelace", 1, "unresolved"),  # untyped, no entity: unresolved (#17)
    ]


@pytest.mark.parametrize(
    ("published", "day"),
    [
        ("2026-04-01T08:00:00Z", "2026-04-01"),
        ("2026-04-01", "2026-04-01"),
        ("Mon, 02 Mar 2026 10:00:00 +0000", "2026-03-02"),
        ("2026-13-45", None),
        ("last Tuesday", None),
        ("", None),
        (None, None),
    ],
)
def test_day_of(published, day):
    assert day_of(published) == day


def test_migration_indexes_a_store_written_by_an_older_version(tmp_path, web_articles):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    store.save(web_articles)
    with store.engine.begin() as conn:  # make it look like a schema-1 store
        conn.execute(text("DROP TABLE article_facets"))
        conn.execute(text("DROP TABLE article_stats"))
        conn.execute(text("DELETE FROM spinlens_meta"))
        conn.execute(text("DELETE FROM articles_fts"))
        conn.execute(
            text("INSERT INTO articles_fts (id, title, text) SELECT id, title, text FROM articles")
        )
    store.close()
    again = Store(url)
    assert ("technique", "Slogans", 1) in facets_of(again, "harbour")
    assert [h.id for h in again.search("parlement")] == ["retraites"]
    with again.engine.connect() as conn:
        same = conn.execute(
            text(
                "SELECT count(*) FROM articles a "
                "JOIN articles_fts f ON f.rowid = a.rowid AND f.id = a.id"
            )
        ).scalar()
    assert same == again.count() == len(web_articles)
    again.close()


def totals_are_consistent(store: Store) -> None:
    """The incrementally kept totals equal a recount from the facet rows."""
    with store.engine.connect() as conn:
        kept = set(conn.execute(text("SELECT kind, value, articles, mentions FROM facet_totals")))
        recount = set(
            conn.execute(
                text(
                    "SELECT kind, value, count(*), sum(n) FROM article_facets GROUP BY kind, value"
                )
            )
        )
        rollup = set(conn.execute(text("SELECT * FROM technique_rollup")))
        again = set(
            conn.execute(
                text(
                    "SELECT coalesce(s.source, ''), coalesce(s.month, ''), f.value, count(*), "
                    "sum(f.n) FROM article_facets f JOIN article_stats s "
                    "ON s.article_id = f.article_id WHERE f.kind = 'technique' "
                    "GROUP BY 1, 2, 3"
                )
            )
        )
    assert kept == recount
    assert rollup == again


def test_totals_follow_every_save(store, web_articles):
    store.save(web_articles)
    totals_are_consistent(store)
    changed = [Article.from_dict(a.to_dict()) for a in web_articles[:2]]
    changed[0].layers["techniques"] = changed[0].layers["techniques"][:1]
    changed[0].source, changed[0].published = "Other Desk", "2025-12-24"
    quote = {"content": {"start": 0, "end": 4}, "speaker": {"name": "Marta Kolar"}}
    changed[1].set_layer("quotes", [quote])
    store.save(changed)
    totals_are_consistent(store)
    store.save(changed)  # saving the same again changes nothing
    totals_are_consistent(store)
    with store.engine.connect() as conn:
        slogans = conn.execute(
            text("SELECT count(*) FROM facet_totals WHERE value = 'Slogans'")
        ).scalar()
    assert slogans == 0  # dropped with the last article that had it


def test_a_store_written_by_release_0_1_0_keeps_working(tmp_path):
    """tests/data/store-0.1.0.db was written by spinlens 0.1.0 (schema 2, span counts
    as columns of article_stats): it opens, is re-indexed once, and serves every
    read."""
    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent / "data" / "store-0.1.0.db", path)
    store = Store(f"sqlite:///{path}")
    assert store.count() == 8
    by_techniques = list_articles(store, Filters(), sort="techniques", order="desc")
    assert by_techniques.rows[0]["article_id"] == "asaib-ahl-al-haq-statement"
    assert by_techniques.rows[0]["counts"]["techniques"] > 0
    speaker = list_articles(store, Filters.of({"speaker": "Qais Al-Khazali"}))
    assert [r["article_id"] for r in speaker.rows] == ["asaib-ahl-al-haq-statement"]
    assert store.search("Veldhaven") and store.get("harbour-strike") is not None
    store.close()
    again = Store(f"sqlite:///{path}")  # indexed already: opens without rebuilding
    with again.engine.connect() as conn:
        schema = conn.execute(text("SELECT value FROM spinlens_meta WHERE key = 'schema'"))
        assert schema.scalar().startswith(f"{SCHEMA_VERSION}:")
