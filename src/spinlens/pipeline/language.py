"""Language identification (py3langid) for articles whose language is not given."""

from __future__ import annotations

from collections.abc import Sequence

import py3langid

from spinlens.model import Article

PROBE_CHARS = 4000


class LanguageDetector:
    """Sets `Article.language` (ISO 639-1) where the input did not give it."""

    name = "language"
    version = "py3langid-0.4.0"

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            if not article.language:
                article.language = detect_language(article.text)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language; None when it has no letters."""
    sample = text[:PROBE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    code, _score = py3langid.classify(sample)
    return str(code)
