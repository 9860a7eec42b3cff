"""Demo articles for the browser tests and screenshots: three invented news
stories with hand-placed annotations (techniques, quotes, claims, entities),
published by four outlets over six months. No model runs: built in milliseconds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinlens.model import Article, Entity, Sentence, Technique


@dataclass(frozen=True)
class Story:
    title: str
    text: str
    techniques: list[tuple[str, str, float]]
    """(passage, technique, score)"""
    quotes: list[tuple[str, str, str, str]]
    """(content, cue, speaker, kind)"""
    claims: list[tuple[str, list[str], float]]
    """(passage, quantities, score)"""
    entities: list[tuple[str, str]]
    """(mention, label): every occurrence is marked"""


STORIES = [
    Story(
        title="Council approves tram line despite protests",
        text=(
            "Council approves tram line despite protests\n\n"
            "The city council of Brenmoor approved the new tram line on Thursday by 31 votes "
            'to 12. "This reckless scheme will bankrupt our city," said opposition leader Karin '
            "Holm, calling the vote a betrayal of every taxpayer. Mayor Lena Vos said the line "
            "would cut commuting times by a third and create 400 jobs. Critics warn that the "
            "costs, estimated at 1.2 billion euros, could double. Everyone knows the mayor only "
            "listens to her friends in the construction industry, one protester shouted.\n"
        ),
        techniques=[
            ("This reckless scheme will bankrupt our city", "Appeal_to_fear-prejudice", 0.74),
            ("reckless scheme", "Loaded_Language", 0.88),
            ("a betrayal of every taxpayer", "Name_Calling,Labeling", 0.66),
            ("every taxpayer", "Exaggeration,Minimisation", 0.52),
            ("Everyone knows", "Bandwagon,Reductio_ad_hitlerum", 0.47),
            ("the mayor only listens to her friends", "Doubt", 0.58),
        ],
        quotes=[
            ("This reckless scheme will bankrupt our city,", "said", "Karin Holm", "direct"),
            (
                "the line would cut commuting times by a third and create 400 jobs",
                "said the line",
                "Lena Vos",
                "indirect",
            ),
        ],
        claims=[
            (
                "The city council of Brenmoor approved the new tram line on Thursday "
                "by 31 votes to 12.",
                ["31 votes", "12"],
                0.81,
            ),
            (
                "the line would cut commuting times by a third and create 400 jobs",
                ["a third", "400 jobs"],
                0.77,
            ),
            (
                "the costs, estimated at 1.2 billion euros, could double",
                ["1.2 billion euros"],
                0.69,
            ),
        ],
        entities=[
            ("Brenmoor", "GPE"),
            ("Karin Holm", "PERSON"),
            ("Lena Vos", "PERSON"),
            ("Thursday", "DATE"),
            ("1.2 billion euros", "MONEY"),
        ],
    ),
    Story(
        title="Dockworkers vow to keep port closed",
        text=(
            "Dockworkers vow to keep port closed\n\n"
            'The port of Veldhaven stayed shut for a ninth day on Tuesday. "We will not be '
            "bullied back to work,\" said Marta Kolar, general secretary of the Coastal Workers' "
            "Union. Transport minister Daniel Okafor told parliament that the strike was holding "
            "the whole country hostage and that the government would not give in to blackmail. "
            "Shipping companies say losses have reached 40 million euros a day. Our nation has "
            "never bowed to threats, and it never will.\n"
        ),
        techniques=[
            ("bullied", "Loaded_Language", 0.9),
            ("We will not be bullied back to work", "Slogans", 0.56),
            ("holding the whole country hostage", "Exaggeration,Minimisation", 0.71),
            ("blackmail", "Name_Calling,Labeling", 0.63),
            ("Our nation has never bowed to threats, and it never will.", "Flag-Waving", 0.82),
        ],
        quotes=[
            ("We will not be bullied back to work,", "said", "Marta Kolar", "direct"),
            (
                "the strike was holding the whole country hostage and that the "
                "government would not give in to blackmail",
                "told",
                "Daniel Okafor",
                "indirect",
            ),
        ],
        claims=[
            (
                "The port of Veldhaven stayed shut for a ninth day on Tuesday.",
                ["a ninth day"],
                0.72,
            ),
            ("losses have reached 40 million euros a day", ["40 million euros"], 0.84),
        ],
        entities=[
            ("Veldhaven", "GPE"),
            ("Marta Kolar", "PERSON"),
            ("Daniel Okafor", "PERSON"),
            ("Coastal Workers' Union", "ORG"),
            ("Tuesday", "DATE"),
        ],
    ),
    Story(
        title="Minister denies bridge cover-up",
        text=(
            "Minister denies bridge cover-up\n\n"
            "Transport minister Daniel Okafor on Wednesday denied reports that cracks in the "
            'Veldhaven bridge had been hidden from inspectors for two years. "There was no '
            'cover-up of any kind," Okafor told reporters, adding that every inspection report '
            "had been published online. Opposition leader Karin Holm said the ministry had either "
            "lied or lost control, and demanded an independent inquiry. So why did the reports "
            "vanish from the website last spring?\n"
        ),
        techniques=[
            ("had either lied or lost control", "Black-and-White_Fallacy", 0.69),
            ("So why did the reports vanish from the website last spring?", "Doubt", 0.77),
            ("cover-up", "Loaded_Language", 0.61),
        ],
        quotes=[
            ("There was no cover-up of any kind,", "told", "Daniel Okafor", "direct"),
            ("the ministry had either lied or lost control", "said", "Karin Holm", "indirect"),
        ],
        claims=[
            (
                "cracks in the Veldhaven bridge had been hidden from inspectors for two years",
                ["two years"],
                0.86,
            ),
            ("every inspection report had been published online", [], 0.64),
        ],
        entities=[
            ("Daniel Okafor", "PERSON"),
            ("Okafor", "PERSON"),
            ("Veldhaven", "GPE"),
            ("Karin Holm", "PERSON"),
            ("Wednesday", "DATE"),
        ],
    ),
]
SOURCES = ["Harbour Gazette", "Brenmoor Post", "Wire", "Daily Clarion"]
MONTHS = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]


def span(text: str, needle: str) -> dict[str, int]:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle)}


def sentences(text: str) -> list[Sentence]:
    return [
        Sentence(m.start(), m.end())
        for m in re.finditer(r"[^\s][^\n]*?(?:[.!?]\"?(?=\s)|$)", text, re.M)
    ]


def story(n: int, number: int, source: str, month: str) -> Article:
    """Story `n` as published by `source` (every outlet keeps a different share)."""
    data = STORIES[n]
    text = data.text
    article = Article.create(
        f"{source.split()[0].lower()}-{month}-{number}",
        text,
        title=data.title,
        source=source,
        published=f"{month}-{1 + (number * 7) % 27:02d}",
        language="en",
        url=f"https://{source.split()[0].lower()}.example/{month}/{number}",
    )
    keep = 1 + (SOURCES.index(source) + number) % len(data.techniques)
    article.layers["sentences"] = list(sentences(text))
    article.layers["techniques"] = [
        Technique(**span(text, needle), technique=name, score=score)
        for needle, name, score in data.techniques[:keep]
    ]
    article.layers["entities"] = [
        Entity(m.start(), m.end(), label, needle)
        for needle, label in data.entities
        for m in re.finditer(re.escape(needle), text)
        if not (needle == "Okafor" and text[max(0, m.start() - 7) : m.start()] == "Daniel ")
    ]
    quotes = [
        {
            "content": span(text, content),
            "cue": span(text, cue),
            "source": span(text, name if name in text else name.split()[-1]),
            "speaker": {"name": name, "entity_id": None, "type": "person", "score": 0.9},
            "kind": kind,
            "score": 0.9 if kind == "direct" else 0.7,
        }
        for content, cue, name, kind in data.quotes
    ]
    claims = [
        span(text, needle)
        | {
            "score": score,
            "speaker": None,
            "quantities": [
                span(text, quantity)
                | {"text": quantity, "kind": "number", "value": None, "unit": None}
                for quantity in q
            ],
            "entities": [],
        }
        for needle, q, score in data.claims
    ]
    article.set_layer("quotes", quotes)
    article.set_layer("claims", claims)
    article.pipeline = {"version": "demo", "components": ["demo@1", "techniques@demo"]}
    return article


def demo_articles() -> list[Article]:
    """24 articles: every outlet runs one story a month."""
    return [
        story((i + j) % len(STORIES), i * len(MONTHS) + j, source, month)
        for i, source in enumerate(SOURCES)
        for j, month in enumerate(MONTHS)
    ]
