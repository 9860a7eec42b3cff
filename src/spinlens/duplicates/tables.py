"""The duplicate index's tables, in the store (`spinlens.duplicates.index` fills
them): `dup_docs` numbers the indexed articles and groups exact copies, `dup_keys`
holds the LSH band and anchor keys of each representative, `dup_pairs` the pairs of
representatives that share a passage, with the evidence."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from spinlens.facets import index_metadata

dup_docs = Table(
    "dup_docs",
    index_metadata,
    Column("doc", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String, nullable=False, unique=True),
    Column("content", BigInteger, nullable=False),
    Column("copy_of", Integer),
    Column("fingerprint", LargeBinary, nullable=False),
    Index("ix_dup_docs_content", "content"),
    Index("ix_dup_docs_copy_of", "copy_of"),
)
"""`content`: a hash of the text exactly as read; `copy_of`: for an exact copy, the
doc of its group's representative (NULL for a representative, which alone holds keys)."""
dup_keys = Table(
    "dup_keys",
    index_metadata,
    Column("key", BigInteger, primary_key=True),
    Column("doc", Integer, primary_key=True),
    sqlite_with_rowid=False,
)
dup_pairs = Table(
    "dup_pairs",
    index_metadata,
    Column("a", String, primary_key=True),
    Column("b", String, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("similarity", Float, nullable=False),
    Column("passages", Text, nullable=False),
    Index("ix_pairs_b", "b"),
    Index("ix_pairs_similarity", "similarity"),
)
