"""The store's speaker tables: each article's names (`speaker_names`), their totals
per key (`speaker_forms`), the name variants articles tie together
(`speaker_links`), the alias table (`speaker_alias`: key → merged speaker) and the
merged speakers' totals (`speaker_totals`). Filled by `speakers.index.update`."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table

from spinlens.facets import Caseless, index_metadata

speaker_names = Table(
    "speaker_names",
    index_metadata,
    Column("article_id", String, primary_key=True),
    Column("key", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("entity_id", String),
    Column("quotes", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Index("ix_speaker_names_key", "key", "article_id"),
)
speaker_forms = Table(
    "speaker_forms",
    index_metadata,
    Column("key", String, primary_key=True),
    Column("name", String, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("surname", String),
    Column("base", String),
    Column("articles", Integer, nullable=False),
    Column("quotes", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Index("ix_speaker_forms_surname", "surname"),
    Index("ix_speaker_forms_base", "base"),
)
"""Per key, written name and kind over the whole store: articles, quotes, mentions
(kept up to date by every save, so resolving reads no article rows)."""
speaker_links = Table(
    "speaker_links",
    index_metadata,
    Column("article_id", String, primary_key=True),
    Column("a", String, primary_key=True),
    Column("b", String, primary_key=True),
    Column("kind", String(16), nullable=False),
    Index("ix_speaker_links_a", "a"),
    Index("ix_speaker_links_b", "b"),
)
speaker_alias = Table(
    "speaker_alias",
    index_metadata,
    Column("key", String, primary_key=True),
    Column("speaker", String, nullable=False),
    Column("kind", String(16), nullable=False),
    Index("ix_speaker_alias_speaker", "speaker"),
)
speaker_totals = Table(
    "speaker_totals",
    index_metadata,
    Column("speaker", String, primary_key=True),
    Column("name", Caseless, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("articles", Integer, nullable=False),
    Column("quotes", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Index("ix_speaker_totals_quotes", "quotes", "mentions"),
    Index("ix_speaker_totals_mentions", "mentions", "quotes"),
    Index("ix_speaker_totals_name", "name"),
)
"""Per merged speaker: its name (the most written name of its canonical key), kind,
articles, quotes credited to it and name mentions."""
