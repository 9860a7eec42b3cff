"""Speaker resolution (#17): typed and scored speakers, pronouns by gender and after
their name, descriptions, groups, generic sources, things that cannot speak, and the
sources that join their entity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from spinlens.attribution.entities import cluster_entities
from spinlens.attribution.layer import speaker_facets
from spinlens.attribution.report import UNATTRIBUTED, who_said_what
from spinlens.attribution.sources import not_an_attribution, person_gender
from spinlens.model import UNRESOLVED, Article, Entity, Quote, Span, Speaker
from spinlens.store import Store


def quotes_of(pipeline, text: str) -> tuple[Article, list[Quote]]:
    [article] = pipeline([Article.create("t", text, language="en")])
    return article, article.spans(Quote)


def by_content(article: Article, quotes: list[Quote], words: str) -> Quote:
    for quote in quotes:
        if words in article.text[quote.content.start : quote.content.end]:
            return quote
    raise AssertionError(f"no attribution of {words!r}")


def test_speaker_object_round_trips_and_reads_older_results():
    group = Speaker(
        "Ann Lee and Bo Park",
        None,
        "group",
        0.9,
        (Speaker("Ann Lee", "E1", "person", 0.9), Speaker("Bo Park", "E2", "person", 0.9)),
    )
    quote = Quote(0, 10, Span(5, 10), Span(3, 4), Span(0, 2), group)
    data = json.loads(json.dumps(quote.to_dict()))
    assert data["speaker"]["type"] == "group" and len(data["speaker"]["members"]) == 2
    assert Quote.from_dict(data) == quote
    old = {"content": {"start": 5, "end": 10}, "speaker": {"name": "X", "entity_id": "E3"}}
    speaker = Quote.from_dict(old).speaker
    assert speaker == Speaker("X", "E3") and speaker.resolved
    assert speaker.to_dict() == {"name": "X", "entity_id": "E3"}
    assert not Quote.from_dict({**old, "speaker": "critics"}).speaker.resolved  # type: ignore[union-attr]


def speaker_of(pipeline, text: str, words: str) -> Speaker | None:
    """Whom the article credits with the attribution whose content holds `words`."""
    article, quotes = quotes_of(pipeline, text)
    return by_content(article, quotes, words).said_by


@pytest.mark.parametrize(
    ("text", "words", "name"),
    [
        (  # "she" never goes to a man, however near
            "Mary Jones met John Smith on Monday. John Smith spoke first.\n"
            "She said that the deal was dead.\n",
            "the deal was dead",
            "Mary Jones",
        ),
        (  # a pronoun before the name goes forward
            "Hillary Clinton spoke in Ohio.\n"
            "He vowed to build a wall on the border, Donald Trump said on Tuesday.\n",
            "build a wall",
            "Donald Trump",
        ),
    ],
)
def test_pronouns_by_gender_and_forward(pipeline, text, words, name):
    speaker = speaker_of(pipeline, text, words)
    assert speaker is not None and speaker.name == name
    assert speaker.type == "person" and speaker.entity_id is not None


def test_named_people_speaking_together_are_a_group(pipeline):
    text = "Senator Ann Walsh and Senator Tom Reyes said that the bill would pass.\n"
    speaker = speaker_of(pipeline, text, "the bill would pass")
    assert speaker is not None and speaker.type == "group"
    assert [m.name for m in speaker.members] == ["Ann Walsh", "Tom Reyes"]


def test_generic_sources_are_unresolved(pipeline):
    article, quotes = quotes_of(
        pipeline,
        "Mayor Lena Brandt opened the bridge.\n"
        "A senior official said that the bridge was unsafe.\n"
        "Critics said that the repairs cost too much.\n",
    )
    for words in ("the bridge was unsafe", "the repairs cost"):
        speaker = by_content(article, quotes, words).speaker
        assert speaker is not None and speaker.type == "unresolved"
        assert speaker.entity_id is None and not speaker.resolved


def test_a_possessive_description_resolves_through_its_owner(pipeline):
    text = "Hillary Clinton spoke in Ohio.\nHer campaign said that the rally would go ahead.\n"
    speaker = speaker_of(pipeline, text, "the rally would go ahead")
    assert speaker is not None and speaker.name == "Clinton campaign"
    assert speaker.type == "organization"


def test_what_cannot_speak_is_no_speaker(pipeline):
    article, quotes = quotes_of(
        pipeline,
        "Recent events prove that the port must reopen soon.\n"
        "Last Tuesday showed that the strike had failed badly.\n",
    )
    for quote in quotes:
        assert quote.speaker is None or quote.speaker.name not in ("Recent events", "Last Tuesday")


def test_citations_and_page_furniture_are_no_attributions():
    assert not_an_attribution("John 8:34", "Whoever commits sin is a slave to sin")
    assert not_an_attribution("readers", "take our poll - story continues below")
    assert not not_an_attribution("John Smith", "the port is closed")


def test_a_headline_naming_a_body_is_no_speech(pipeline):
    article, quotes = quotes_of(
        pipeline,
        "Pentagon hopes for a quick end to the strike\n\n"
        "The strike at the port entered its third week on Monday.\n",
    )
    headline_end = article.text.index("\n")
    assert all(q.content.start > headline_end for q in quotes)


def test_resolved_pronouns_join_their_entity(pipeline):
    article, quotes = quotes_of(
        pipeline,
        "Transport minister Daniel Okafor visited the harbour on Monday.\n"
        "He added that the government would not intervene.\n",
    )
    speaker = by_content(article, quotes, "the government would not").speaker
    assert speaker is not None and speaker.entity_id is not None
    joined = [e for e in article.spans(Entity) if e.mention == "pronoun"]
    assert [(e.text, e.entity_id) for e in joined] == [("He", speaker.entity_id)]
    assert all(e.mention == "name" for e in article.spans(Entity) if e not in joined)


def test_gender_from_titles_and_first_names():
    text = "Mrs Ada Obi met Paul Diaz."
    entities = [Entity(4, 11, "PERSON", "Ada Obi"), Entity(16, 25, "PERSON", "Paul Diaz")]
    _, clusters = cluster_entities(entities)
    assert text[16:25] == "Paul Diaz"
    assert person_gender(clusters[0], {"mrs"}) == "f"
    assert person_gender(clusters[1], set()) == "m"
    assert person_gender(clusters[1], {"mrs", "mr"}) is None


@pytest.mark.parametrize("resolved", [True, False])
def test_the_report_shows_unresolved_sources_apart(resolved):
    text = "A said x. B said y. C said z."
    named = Speaker("Ann Lee", "E1", "person", 0.9)
    generic = Speaker("critics", None, "unresolved", 0.0)
    article = Article.create("r", text)
    article.layers["quotes"] = [
        Quote(0, 8, Span(7, 8), None, None, generic),
        Quote(0, 8, Span(7, 8), None, None, generic),
        Quote(10, 18, Span(17, 18), None, None, named if resolved else None),
    ]
    groups = who_said_what(article)
    assert [g.name for g in groups] == (
        ["Ann Lee", "critics"] if resolved else ["critics", UNATTRIBUTED]
    )
    assert [g.resolved for g in groups] == ([True, False] if resolved else [False, False])
    assert groups[-1].shown == (UNATTRIBUTED if not resolved else "critics (unresolved source)")


def test_old_stored_speakers_read_untyped_and_index_apart(tmp_path):
    """Results stored by 0.1.0 carry `{name, entity_id}` speakers: they read back
    untyped, write back as they were, and their unresolved ones are indexed apart."""
    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent / "data" / "store-0.1.0.db", path)
    store = Store(f"sqlite:///{path}")
    article = store.get("harbour-strike")
    assert article is not None
    speakers = [q.speaker for q in article.spans(Quote) if q.speaker is not None]
    assert speakers and all(s.type is None and s.score is None for s in speakers)
    assert all(set(s.to_dict()) == {"name", "entity_id"} for s in speakers)
    rows = list(speaker_facets(article.to_dict()))
    unresolved = {name for _, name, label in rows if label == UNRESOLVED}
    assert unresolved == {s.name for s in speakers if s.entity_id is None}
    store.close()


def test_a_body_described_is_not_the_organisation_named_before_it(pipeline):
    """ "The harbour authority" after the union: unresolved, not the union; a chief
    executive named in apposition is that person."""
    from spinlens.model import Article, Quote

    text = (
        "Talks between the Coastal Workers' Union and the port broke down.\n\n"
        "The harbour authority said in a statement that the strike had already cost the "
        'regional economy more than 40 million euros. "Every day of this reckless blockade '
        'puts thousands of jobs at risk," its chief executive, Henrik Dahl, said.'
    )
    (article,) = pipeline([Article.create("h", text, language="en")])
    speakers = [q.speaker for q in article.spans(Quote)]
    names = {(s.name, s.type) for s in speakers if s is not None}
    assert ("The harbour authority", "unresolved") in names
    assert ("Henrik Dahl", "person") in names
    assert all(s is None or s.name != "Coastal Workers' Union" for s in speakers)


def test_a_subheading_speaks_only_with_a_speech_verb():
    from spinlens.attribution.component import in_subheading

    text = (
        "He said the talks had failed.\n\n"
        "America prevents Iraq from acquiring advanced defense systems\n\n"
        "The leader said so."
    )
    assert in_subheading(text, text.index("Iraq"))
    assert not in_subheading(text, text.index("talks"))  # a sentence, not a heading
    assert not in_subheading(text, text.index("leader"))
