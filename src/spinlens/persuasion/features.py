"""Translation-free text features: TF-IDF over character n-grams of words, and
over words and word pairs.

The same function, `ngrams`, is the analyzer of the vectorizer in training
(scikit-learn) and of `NgramFeatures` at run time (numpy only), so that the
shipped linear models see exactly the features they were trained on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spinlens.textspans import lines_within

WORD = re.compile(r"\w+")
SIZES = (2, 3, 4, 5)
"""Lengths of the n-grams taken from each word padded with one space each side."""


def char_ngrams(text: str) -> Iterator[str]:
    """The character n-grams of every white-space separated word, lower-cased and
    padded (" word "); a word shorter than n gives itself once for that n. A
    generator, so that a huge text is never held as a list of n-grams."""
    for word in text.lower().split():
        padded = f" {word} "
        length = len(padded)
        for n in SIZES:
            if length <= n:
                yield padded
                continue
            yield from (padded[i : i + n] for i in range(length - n + 1))


def word_ngrams(text: str) -> Iterator[str]:
    """Lower-cased words and pairs of adjacent words in one line, marked "w word"
    and "w word word" (a character n-gram never holds an inner space). Pairs never
    cross a line break, so a text's n-grams are the sum of its lines'."""
    for start, end in lines_within(text, 0, len(text)):
        words = WORD.findall(text[start:end].lower())
        for word in words:
            yield f"w {word}"
        for first, second in zip(words, words[1:], strict=False):
            yield f"w {first} {second}"


def ngrams(text: str) -> Iterator[str]:
    """Every feature of a text: its character n-grams, then its words and pairs."""
    yield from char_ngrams(text)
    yield from word_ngrams(text)


@dataclass(frozen=True)
class NgramFeatures:
    """A fitted TF-IDF vocabulary: sublinear term frequency times inverse document
    frequency, L2-normalised (scikit-learn's `TfidfVectorizer(sublinear_tf=True)`)."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def load(cls, folder: Path) -> NgramFeatures:
        grams = (folder / "vocabulary.txt").read_text(encoding="utf-8").split("\n")
        idf = np.load(folder / "idf.npy")
        if len(grams) != len(idf):
            raise ValueError(f"{folder}: {len(grams)} n-grams but {len(idf)} idf weights")
        return cls({gram: i for i, gram in enumerate(grams)}, idf)

    def save(self, folder: Path) -> None:
        grams = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        if any("\n" in gram for gram in grams):
            raise ValueError("an n-gram holds a line break")
        (folder / "vocabulary.txt").write_text("\n".join(grams), encoding="utf-8")
        np.save(folder / "idf.npy", self.idf.astype(np.float32))

    def counts(self, text: str) -> Counter[int]:
        """Known n-gram → occurrences in the text."""
        vocabulary = self.vocabulary
        return Counter(i for gram in ngrams(text) if (i := vocabulary.get(gram)) is not None)

    def weights(self, counts: Counter[int]) -> tuple[np.ndarray, np.ndarray]:
        """Feature indices and their TF-IDF values (unit length) for n-gram counts."""
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1.0 + np.log(tf)) * self.idf[index]
        return index, (values / np.linalg.norm(values)).astype(np.float32)
