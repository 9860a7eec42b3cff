"""Builders of small analysed articles with people, organisations and quotes, for
the speaker tests (no pipeline: the layers are given)."""

from __future__ import annotations

from spinlens.model import Article, Entity, Technique


def find_all(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + len(needle))
    return out


def named(
    article_id: str,
    text: str,
    entities: dict[str, tuple[str, list[str]]],
    quoted: dict[str, str] | None = None,
    **meta: str,
) -> Article:
    """An article whose entities (`entity_id` → label and forms, the first form the
    canonical one) are every occurrence of their forms in `text`, and whose quotes
    (`entity_id` → the quoted words, "" to name no entity) are credited to them; a
    technique mark lies on the first word of each quote."""
    article = Article.create(article_id, text)
    for key, value in meta.items():
        setattr(article, key, value)
    mentions = []
    for entity_id, (label, forms) in entities.items():
        taken: set[int] = set()
        for form in sorted(forms, key=len, reverse=True):
            for at in find_all(text, form):
                if not taken & set(range(at, at + len(form))):
                    taken |= set(range(at, at + len(form)))
                    mentions.append(
                        Entity(at, at + len(form), label, form, entity_id, forms[0], "name")
                    )
    article.layers["entities"] = sorted(mentions, key=lambda e: e.start)
    quotes, marks = [], []
    for entity_id, words in (quoted or {}).items():
        start = text.index(words)
        label, forms = entities.get(entity_id, ("PERSON", [entity_id]))
        speaker = {
            "name": forms[0],
            "entity_id": entity_id if entity_id in entities else None,
            "type": "person" if label == "PERSON" else "organization",
            "score": 0.9,
        }
        content = {"start": start, "end": start + len(words)}
        quotes.append({"content": content, "speaker": speaker, "kind": "direct", "score": 0.9})
        first = start + len(words.split()[0])
        marks.append(Technique(start, first, "Loaded_Language", 0.8))
    article.set_layer("quotes", quotes)
    article.layers["techniques"] = marks
    return article


CORPUS = [
    named(
        "nyt-1",
        'Donald J. Trump spoke. "Build it," Mr. Trump said. The Federal Bureau of '
        "Investigation (FBI) declined to comment.",
        {
            "E1": ("PERSON", ["Donald J. Trump", "Mr. Trump"]),
            "E2": ("ORG", ["Federal Bureau of Investigation", "FBI"]),
        },
        {"E1": "Build it,"},
        source="NYT",
        published="2016-05-02",
    ),
    named(
        "wp-1",
        '"Low energy," Trump said of Jeb Bush. The FBI said nothing.',
        {"E1": ("PERSON", ["Trump"]), "E2": ("PERSON", ["Jeb Bush"]), "E3": ("ORG", ["FBI"])},
        {"E1": "Low energy,"},
        source="WaPo",
        published="2016-06-10",
    ),
    named(
        "bb-1",
        '"Sad," Donald Trump said. Hillary Clinton and Bill Clinton were there. '
        '"No," Clinton said.',
        {
            "E1": ("PERSON", ["Donald Trump"]),
            "E2": ("PERSON", ["Hillary Clinton"]),
            "E3": ("PERSON", ["Bill Clinton"]),
            "E4": ("PERSON", ["Clinton"]),
        },
        {"E1": "Sad,", "E4": "No,"},
        source="Breitbart",
        published="2016-06-11",
    ),
]
"""Three outlets naming Donald Trump three ways, the FBI two ways and two Clintons."""
