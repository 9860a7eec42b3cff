"""The document model: an `Article` with layers of character spans over its text.

Every stage of spinlens reads an Article and adds one layer. Offsets are Python
``str`` indices into ``Article.text`` exactly as read: ``text[start:end]``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Self, TypeVar

from spinlens import layers as registry

META_FIELDS = ("id", "title", "author", "source", "url", "published", "language")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into an article's text."""

    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    """One sentence."""


@dataclass(frozen=True, slots=True)
class Entity(Span):
    """A mention of an entity; ``text`` repeats ``article.text[start:end]``.
    ``entity_id`` and ``canonical`` name the article-level entity it refers to
    (set by the `entities` component; absent in older results). ``mention`` says how
    it refers: "name", or "pronoun" / "description" for a source the quotes component
    resolved to the entity (absent in older results)."""

    label: str
    text: str
    entity_id: str | None = None
    canonical: str | None = None
    mention: str | None = None

    @property
    def is_name(self) -> bool:
        """Whether the mention names its entity (not a resolved pronoun or description)."""
        return self.mention in (None, "name")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("entity_id", "canonical", "mention"):
            if out[key] is None:
                del out[key]
        return out


@dataclass(frozen=True, slots=True)
class Technique(Span):
    """A passage using a propaganda technique (PTC taxonomy), with a confidence."""

    technique: str
    score: float


UNRESOLVED = "unresolved"
SPEAKER_TYPES = ("person", "organization", "group", UNRESOLVED)
"""What a speaker is: `unresolved` for a generic or unsure source ("a senior official",
"critics"), named as written, with no entity."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said it: a display name, the article entity it resolves to, if any, its
    type (one of SPEAKER_TYPES; None in results written before it was given), how sure
    the resolution is, and for a group the people or bodies the article names in it."""

    name: str
    entity_id: str | None = None
    type: str | None = None
    score: float | None = None
    members: tuple[Speaker, ...] = ()

    @property
    def resolved(self) -> bool:
        """Whether it names someone: a typed speaker other than "unresolved"; in older
        results (untyped), one resolved to an entity."""
        return self.type != UNRESOLVED if self.type else self.entity_id is not None

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "entity_id", "type", "score"}``, with ``members`` for a group
        that has them; the fields an older result lacks are left out."""
        out: dict[str, Any] = {"name": self.name, "entity_id": self.entity_id}
        if self.type is not None:
            out["type"] = self.type
        if self.score is not None:
            out["score"] = self.score
        if self.members:
            out["members"] = [m.to_dict() for m in self.members]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speaker:
        score = data.get("score")
        return cls(
            str(data["name"]),
            data.get("entity_id"),
            data.get("type"),
            float(score) if score is not None else None,
            tuple(cls.from_dict(m) for m in data.get("members") or [] if isinstance(m, dict)),
        )


def _span_or_none(data: Any) -> Span | None:
    return Span(int(data["start"]), int(data["end"])) if isinstance(data, dict) else None


def _speaker_or_none(data: Any) -> Speaker | None:
    """A speaker from its object, or from a bare name (early results)."""
    if isinstance(data, str) and data.strip():
        return Speaker(data)
    return Speaker.from_dict(data) if isinstance(data, dict) else None


def _speaker_dict(speaker: Speaker | None) -> dict[str, Any] | None:
    return speaker.to_dict() if speaker else None


@dataclass(frozen=True, slots=True)
class Quote(Span):
    """An attribution ("who said what"): content, cue and source spans, the resolved
    speaker, ``kind`` (direct, indirect or mixed), a confidence and, for an attribution
    embedded in someone's reported speech, who reports it. ``start``/``end`` cover all
    its parts."""

    content: Span
    cue: Span | None = None
    source: Span | None = None
    speaker: Speaker | None = None
    kind: str = "indirect"
    score: float = 0.5
    reported_by: Speaker | None = None
    """The speaker in whose reported speech this attribution is embedded ("He added
    that … Everyone knows that …": everyone knows, by his account)."""
    content_parts: tuple[Span, ...] = ()
    """The pieces of a content its cue and source interrupt ("“A,” she said, “B.”"),
    in text order; empty when the content is one piece. `content` spans them all."""

    @property
    def said_by(self) -> Speaker | None:
        """Whom the article credits with it: the reporting speaker of an embedded
        attribution, else its own speaker (the one speaker rule of reports, the
        workspace, facets and claims)."""
        return self.reported_by or self.speaker

    @property
    def said(self) -> Span:
        """What was said: the content; for an embedded attribution all of it ("Everyone
        knows that …" is what the reporting speaker said)."""
        return Span(self.start, self.end) if self.reported_by else self.content

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "source": self.source.to_dict() if self.source else None,
            "speaker": _speaker_dict(self.speaker),
            "kind": self.kind,
            "score": self.score,
            "reported_by": _speaker_dict(self.reported_by),
            "content_parts": [p.to_dict() for p in self.content_parts or (self.content,)],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        content = Span(int(data["content"]["start"]), int(data["content"]["end"]))
        parts = tuple(Span(int(p["start"]), int(p["end"])) for p in data.get("content_parts") or ())
        return cls(
            int(data.get("start", content.start)),
            int(data.get("end", content.end)),
            content,
            _span_or_none(data.get("cue")),
            _span_or_none(data.get("source")),
            _speaker_or_none(data.get("speaker")),
            str(data.get("kind", "indirect")),
            float(data.get("score", 0.5)),
            _speaker_or_none(data.get("reported_by")),
            parts if len(parts) > 1 else (),
        )


@dataclass(frozen=True, slots=True)
class Quantity(Span):
    """A number, amount, percentage, measure or date asserted in a claim.

    ``kind`` is one of number, money, percent, measure, date. ``value`` is the
    normalised value: a number, or for dates an ISO 8601 date of the precision
    the text gives ("2017", "2019-03", "2020-01-07"); None when it cannot be
    resolved (a relative date in an article without a publication date).
    ``unit`` is the unit or the counted noun ("dollar", "fighters")."""

    text: str
    kind: str
    value: float | str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Claim(Span):
    """A sentence worth fact-checking: a calibrated score in [0, 1], the speaker when
    it sits inside an attribution, and the quantities and entities it asserts."""

    score: float
    speaker: Speaker | None = None
    quantities: tuple[Quantity, ...] = ()
    entities: tuple[Entity, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "speaker": _speaker_dict(self.speaker),
            "quantities": [q.to_dict() for q in self.quantities],
            "entities": [e.to_dict() for e in self.entities],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        return cls(
            int(data["start"]),
            int(data["end"]),
            float(data.get("score", 0.0)),
            _speaker_or_none(data.get("speaker")),
            tuple(Quantity.from_dict(q) for q in data.get("quantities") or []),
            tuple(Entity.from_dict(e) for e in data.get("entities") or []),
        )


@dataclass(frozen=True, slots=True)
class Persuasion(Span):
    """A passage using a persuasion technique (SemEval-2023 taxonomy): a paragraph,
    or a sentence of it where the model can place the technique, with a probability."""

    technique: str
    score: float


@dataclass(frozen=True, slots=True)
class Label:
    """An article-level label (a frame) and its probability."""

    label: str
    score: float


@dataclass(frozen=True, slots=True)
class Genre:
    """The article's genre (opinion, reporting or satire) and every genre's probability."""

    label: str
    scores: dict[str, float]


S = TypeVar("S", bound=Span)


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
    story_vector: str | None = None
    """The vector stories are linked by (`spinlens.stories.vector`: base64 of float16)."""
    layers: dict[str, list[Span]] = field(default_factory=dict)
    genre: Genre | None = None
    """Set, with `frames`, by the opt-in SemEval-2023 component only."""
    frames: list[Label] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    """Top-level result fields from components this version does not model."""
    doc: Any = field(default=None, repr=False, compare=False)
    """The linguistic parse (a spaCy Doc) shared by components; never serialised."""
    encoding: Any = field(default=None, repr=False, compare=False)
    """Contextual token vectors (`spinlens.encoder.Encoding`); never serialised."""

    @classmethod
    def create(cls, article_id: str, text: str, **meta: str | None) -> Article:
        """An Article with metadata given by field name (see META_FIELDS)."""
        article = cls(id=article_id, text=text)
        for name, value in meta.items():
            if name not in META_FIELDS:
                raise TypeError(f"unknown article field {name!r}")
            setattr(article, name, value)
        return article

    def spans(self, kind: type[S]) -> list[S]:
        """The spans of the layer whose span type is `kind`, typed (``article.spans(Quote)``);
        [] when the article has no such layer."""
        name = next((s.name for s in registry.specs() if s.span_type is kind), None)
        return [span for span in self.layers.get(name or "", []) if isinstance(span, kind)]

    @property
    def sha256(self) -> str:
        return content_hash(self.text)

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines object of this article (see docs/output-format.md)."""
        out: dict[str, Any] = {name: getattr(self, name) for name in META_FIELDS}
        out["text"] = self.text
        out["sha256"] = self.sha256
        out["pipeline"] = self.pipeline
        if self.story_vector is not None:
            out["story_vector"] = self.story_vector
        known = registry.specs()
        for spec in known:
            if spec.name in self.layers or not spec.optional:
                out[spec.name] = [span.to_dict() for span in self.layers.get(spec.name, [])]
        if self.genre is not None:
            out["genre"] = asdict(self.genre)
            out["frames"] = [asdict(frame) for frame in self.frames]
        names = {spec.name for spec in known}
        for name, spans in self.layers.items():
            if name not in names:
                out[name] = [span.to_dict() for span in spans]
        out.update(self.extra)
        out["errors"] = list(self.errors)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an Article from its JSON Lines object (inverse of `to_dict`)."""
        known = set(META_FIELDS) | {"text", "sha256", "pipeline", "story_vector", "errors"}
        article = cls.create(
            str(data["id"]), data["text"], **{k: data.get(k) for k in META_FIELDS[1:]}
        )
        article.pipeline = data.get("pipeline") or {}
        article.errors = list(data.get("errors") or [])
        vector = data.get("story_vector")
        article.story_vector = vector if isinstance(vector, str) else None
        genre = data.get("genre")
        if isinstance(genre, dict) and "label" in genre:
            article.genre = Genre(str(genre["label"]), dict(genre.get("scores") or {}))
            article.frames = [Label(str(f["label"]), float(f["score"])) for f in data["frames"]]
        for key, value in data.items():
            if key not in known | {"genre", "frames"}:
                article.set_layer(key, value)
        return article

    def set_layer(self, name: str, items: list[dict[str, Any]]) -> None:
        """Set a layer from its JSON objects: typed where this version models the
        layer and its shape, carried along in `extra` where it does not."""
        spec = registry.spec(name)
        try:
            if spec is not None:
                self.layers[name] = [spec.span_type.from_dict(item) for item in items]
                return
        except (AttributeError, KeyError, TypeError, ValueError):
            pass  # a shape this version does not model: carried along as given
        self.extra[name] = items


def content_hash(text: str) -> str:
    """SHA-256 of the UTF-8 encoded text, hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def short_hash(value: str, length: int = 16) -> str:
    """A stable short identifier derived from any string (URL, record id, text)."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:length]
