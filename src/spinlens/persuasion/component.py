"""The opt-in `semeval23` pipeline component: genre, frames and persuasion spans."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence

import numpy as np

from spinlens.model import Article, Genre, Label, Persuasion, Sentence
from spinlens.persuasion.heads import PersuasionModel, load_semeval23
from spinlens.pipeline import ComponentOptions
from spinlens.textspans import lines_within


class PersuasionTagger:
    """Sets `genre` and `frames` and adds the `persuasion` layer, in any language
    (the model reads character n-grams, trained on six languages).

    A paragraph is a non-blank line, as in the training data. For each technique a
    paragraph carries, the sentences that carry it on their own are marked; when
    none does, the whole paragraph is."""

    name = "semeval23"
    requires = ("language", "sentences")
    assigns = ("genre", "frames", "persuasion")

    def __init__(self, model: PersuasionModel):
        self.model = model
        self.version = model.version

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            self.annotate(article)

    def annotate(self, article: Article) -> None:
        model, text = self.model, article.text
        paragraphs = list(lines_within(text, 0, len(text)))
        counts = [model.features.counts(text[start:end]) for start, end in paragraphs]
        total: Counter[int] = Counter()
        for paragraph in counts:
            total.update(paragraph)
        whole = model.features.weights(total)
        genre = model.genre.softmax(*whole)
        labels = model.genre.labels
        article.genre = Genre(
            labels[int(genre.argmax())],
            {label: round(float(p), 4) for label, p in zip(labels, genre, strict=True)},
        )
        frames = model.frames.sigmoid(*whole)
        article.frames = sorted(
            (
                Label(label, round(float(p), 4))
                for label, p, cut in zip(
                    model.frames.labels, frames, model.frames.cutoff(article.language), strict=True
                )
                if p >= cut
            ),
            key=lambda frame: -frame.score,
        )
        sentences = article.spans(Sentence)
        starts = [s.start for s in sentences]
        cutoff = model.techniques.cutoff(article.language)
        spans: list[Persuasion] = []
        for (start, end), paragraph in zip(paragraphs, counts, strict=True):
            nearby = sentences[bisect_left(starts, start) : bisect_right(starts, end)]
            inside = [s for s in nearby if s.end <= end]
            spans += self.paragraph_spans(text, (start, end), paragraph, inside, cutoff)
        spans.sort(key=lambda s: (s.start, s.end, s.technique))
        article.layers["persuasion"] = list(spans)

    def paragraph_spans(
        self,
        text: str,
        paragraph: tuple[int, int],
        counts: Counter[int],
        sentences: list[Sentence],
        cutoff: np.ndarray,
    ) -> list[Persuasion]:
        """The techniques found in one paragraph, placed on sentences where possible."""
        head, features = self.model.techniques, self.model.features
        start, end = paragraph
        probabilities = head.sigmoid(*features.weights(counts))
        found = [j for j, p in enumerate(probabilities) if p >= cutoff[j]]
        if not found:
            return []
        whole = {
            j: Persuasion(start, end, head.labels[j], round(float(probabilities[j]), 4))
            for j in found
        }
        if len(sentences) < 2:
            return list(whole.values())
        by_sentence = [
            head.sigmoid(*features.weights(features.counts(text[s.start : s.end])))
            for s in sentences
        ]
        spans = []
        for j in found:
            placed = [
                Persuasion(s.start, s.end, head.labels[j], round(float(p[j]), 4))
                for s, p in zip(sentences, by_sentence, strict=True)
                if p[j] >= cutoff[j]
            ]
            spans += placed or [whole[j]]
        return spans


def build(options: ComponentOptions) -> PersuasionTagger:
    """The component with the shipped SemEval-2023 model (research-only licence)."""
    return PersuasionTagger(load_semeval23())
