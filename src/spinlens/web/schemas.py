"""Request and response bodies of the REST API (they make its OpenAPI schema)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ArticleIn(BaseModel):
    """One article to analyse: `text` or `html`, and optional metadata (the same
    fields as a JSON Lines input line)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="Plain text, analysed exactly as given.")
    html: str | None = Field(None, description="A web page; its main text is extracted.")
    id: str | None = Field(None, max_length=500, description="Default: hash of url, else content.")
    title: str | None = Field(None, max_length=2000)
    author: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=8000)
    published: str | None = Field(None, max_length=100)
    language: str | None = Field(None, max_length=16)

    @model_validator(mode="after")
    def one_body(self) -> ArticleIn:
        has_text = bool(self.text and self.text.strip())
        has_html = bool(self.html and self.html.strip())
        if has_text == has_html:
            raise ValueError('give exactly one non-empty "text" or "html"')
        return self

    def as_object(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class BatchIn(BaseModel):
    """Many articles, analysed in the background (see `/api/jobs/{id}`)."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(..., min_length=1)


class JobOut(BaseModel):
    """A background analysis and how far it got."""

    id: str
    kind: Literal["batch", "upload"]
    state: Literal["queued", "running", "done", "failed"]
    total: int | None = Field(None, description="Documents expected, where known.")
    done: int = Field(0, description="Documents read so far (analysed, duplicate or failed).")
    analysed: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = Field(default_factory=list, description="The first failures.")
    article_ids: list[str] = Field(default_factory=list, description="The first stored ids.")
    message: str | None = None
    created: str
    finished: str | None = None
    url: str = Field(..., description="This job's status endpoint.")
    page: str = Field(..., description="This job's page in the workspace.")


class ArticleRow(BaseModel):
    """One stored article in a listing."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    day: str | None = Field(None, description="Publication day (YYYY-MM-DD) where readable.")
    language: str | None
    words: int
    counts: dict[str, int] = Field(..., description="Spans per layer.")
    url: str = Field(..., description="The article's JSON in this API.")
    page: str = Field(..., description="The article's page in the workspace.")


class ArticleList(BaseModel):
    total: int
    page: int
    per_page: int
    pages: int
    sort: str
    order: Literal["asc", "desc"]
    items: list[ArticleRow]


class Count(BaseModel):
    name: str
    count: float
    label: str | None = None
    key: str | None = Field(None, description="A merged speaker's key (its page: /speakers/KEY).")


class SourceRate(BaseModel):
    source: str
    articles: int
    words: int
    per_1000_words: dict[str, float] = Field(..., description="Technique spans per 1,000 words.")
    total_per_1000_words: float


class SourceShare(BaseModel):
    source: str
    articles: int
    share: float = Field(..., description="Share of characters inside quotes (0–1).")


class MonthCounts(BaseModel):
    month: str
    articles: int
    words: int
    counts: dict[str, int] = Field(..., description="Technique spans.")


class PeriodPoint(BaseModel):
    """One period of the figures over time."""

    period: str = Field(..., description="YYYY-MM-DD, YYYY-Www or YYYY-MM.")
    from_: str = Field(..., alias="from", description="Its first day.")
    to: str = Field(..., description="Its last day.")
    articles: int = Field(..., description="Articles behind the point.")
    words: int
    spans: int = Field(..., description="Technique spans.")
    per_1000_words: float


class SourceSeries(BaseModel):
    source: str | None
    points: list[PeriodPoint]


class OverTime(BaseModel):
    """Articles and technique spans per period, in all and per outlet (the largest)."""

    period: Literal["day", "week", "month"]
    points: list[PeriodPoint]
    by_source: list[SourceSeries]


class Aggregates(BaseModel):
    """What the dashboard draws."""

    articles: int
    words: int
    techniques_per_source: list[SourceRate]
    techniques_over_time: list[MonthCounts]
    over_time: OverTime
    top_speakers: list[Count]
    unresolved_speakers: list[Count]
    """Generic and unresolved sources ("a senior official"), apart from top_speakers."""
    top_entities: list[Count]
    reported_speech: list[SourceShare]
    languages: list[Count]


class MetadataIn(BaseModel):
    """New metadata for a stored article (fields left out stay as they are)."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, max_length=100, description="ISO 8601 (or RFC 2822).")
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=8000)
    author: str | None = Field(None, max_length=2000)


class ClaimOccurrence(BaseModel):
    """Where a grouped claim's sentence appears."""

    article_id: str
    title: str | None
    source: str | None
    published: str | None
    start: int
    end: int
    page: str = Field(..., description="The claim in its article's page.")


class ClaimRow(BaseModel):
    """One claim (the columns of `spinlens export --claims`), with links."""

    article_id: str
    title: str | None
    source: str | None
    published: str | None
    url: str | None = Field(..., description="The article's own address, where known.")
    start: int
    end: int
    score: float
    speaker: str | None
    speaker_entity_id: str | None
    claim: str
    quantities: str = Field(..., description="JSON list.")
    entities: str = Field(..., description="JSON list.")
    page: str = Field(..., description="The claim in its article's page.")
    articles: int | None = Field(None, description="Grouped: articles with this sentence.")
    occurrences: list[ClaimOccurrence] | None = Field(
        None, description="Grouped: every claim with the same words, best first."
    )


class ClaimList(BaseModel):
    total: int = Field(..., description="Claims (grouped: distinct sentences) matching.")
    page: int
    per_page: int
    pages: int
    grouped: bool
    items: list[ClaimRow]


class ErrorOut(BaseModel):
    detail: Any


class Counted(BaseModel):
    """A speaker's or an entity's counts and its page in the workspace."""

    name: str
    kind: str = Field(
        ..., description="person or organization (a speaker); its entity type (an entity)"
    )
    articles: int
    quotes: int = Field(..., description="Attributions credited to it.")
    mentions: int = Field(..., description="Name mentions in the articles.")
    page: str


class SpeakerRow(Counted):
    """A speaker or entity, its names merged across articles."""

    speaker: str = Field(..., description="Its key (the canonical name's words).")


class SpeakerList(BaseModel):
    total: int
    page: int
    per_page: int
    pages: int
    items: list[SpeakerRow]


class Presence(BaseModel):
    """Someone's spread over the corpus and, from their latest 100 articles, their
    quotes, claims and the techniques around them."""

    over_time: list[dict[str, Any]] = Field(
        ..., description="Per month: articles, quotes, mentions."
    )
    undated: int = Field(..., description="Its articles with no publication date.")
    outlets: list[dict[str, Any]] = Field(
        ..., description="Per source: articles, quotes, mentions."
    )
    quotes_shown: list[dict[str, Any]] = Field(
        ..., description="Its quotes, linked to their marks."
    )
    claims: list[dict[str, Any]] = Field(
        ..., description="Claims it makes (`why`: said) or that mention it (mentions)."
    )
    techniques: list[dict[str, Any]] = Field(
        ...,
        description="Technique marks in the sentences of its quotes (a speaker) or of "
        "its mentions (an entity), by name.",
    )
    technique_marks: list[dict[str, Any]]


class SpeakerProfile(Presence, SpeakerRow):
    """One merged speaker in the articles the filters leave; quotes, claims and
    techniques from the latest 100 of them."""

    names: list[str] = Field(..., description="The names written for it, most frequent first.")


class EntityProfile(Presence, Counted):
    """One named entity in the articles the filters leave."""

    entity: str = Field(..., description="Its name, as the entity filter names it.")
    speaker_page: str | None = Field(..., description="Its merged speaker's page, if any.")
