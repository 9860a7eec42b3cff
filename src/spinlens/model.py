"""The document model: an `Article` with layers of character spans over its text.

Every stage of spinlens reads an Article and adds one layer. Offsets are Python
``str`` indices into ``Article.text`` exactly as read: ``text[start:end]``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

META_FIELDS = ("id", "title", "author", "source", "url", "published", "language")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into an article's text."""

    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    """One sentence."""


@dataclass(frozen=True, slots=True)
class Entity(Span):
    """A named-entity mention; ``text`` repeats ``article.text[start:end]``."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Technique(Span):
    """A passage using a propaganda technique (PTC taxonomy), with a confidence."""

    technique: str
    score: float


@dataclass
class Article:
    """One news article and everything spinlens has found in it."""

    id: str
    text: str
    title: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    pipeline: dict[str, Any] = field(default_factory=dict)
    layers: dict[str, list[Span]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    """Top-level result fields from components this version does not model."""
    doc: Any = field(default=None, repr=False, compare=False)
    """The linguistic parse (a spaCy Doc) shared by components; never serialised."""
    encoding: Any = field(default=None, repr=False, compare=False)
    """Contextual token vectors (`spinlens.encoder.Encoding`); never serialised."""

    layer_types: ClassVar[dict[str, type[Span]]] = {
        "sentences": Sentence,
        "entities": Entity,
        "techniques": Technique,
    }

    @classmethod
    def create(cls, article_id: str, text: str, **meta: str | None) -> Article:
        """An Article with metadata given by field name (see META_FIELDS)."""
        article = cls(id=article_id, text=text)
        for name, value in meta.items():
            if name not in META_FIELDS:
                raise TypeError(f"unknown article field {name!r}")
            setattr(article, name, value)
        return article

    @property
    def sha256(self) -> str:
        return content_hash(self.text)

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines object of this article (see docs/output-format.md)."""
        out: dict[str, Any] = {name: getattr(self, name) for name in META_FIELDS}
        out["text"] = self.text
        out["sha256"] = self.sha256
        out["pipeline"] = self.pipeline
        for name in self.layer_types:
            out[name] = [span.to_dict() for span in self.layers.get(name, [])]
        for name, spans in self.layers.items():
            if name not in self.layer_types:
                out[name] = [span.to_dict() for span in spans]
        out.update(self.extra)
        out["errors"] = list(self.errors)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an Article from its JSON Lines object (inverse of `to_dict`)."""
        known = set(META_FIELDS) | {"text", "sha256", "pipeline", "errors"}
        article = cls.create(
            str(data["id"]), data["text"], **{k: data.get(k) for k in META_FIELDS[1:]}
        )
        article.pipeline = data.get("pipeline") or {}
        article.errors = list(data.get("errors") or [])
        for key, value in data.items():
            if key in known:
                continue
            span_type = cls.layer_types.get(key)
            if span_type is not None:
                article.layers[key] = [span_type.from_dict(item) for item in value]
            else:
                article.extra[key] = value
        return article


def content_hash(text: str) -> str:
    """SHA-256 of the UTF-8 encoded text, hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def short_hash(value: str, length: int = 16) -> str:
    """A stable short identifier derived from any string (URL, record id, text)."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:length]
