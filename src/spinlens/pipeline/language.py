"""Language identification (py3langid) for articles whose language is not given."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version

import py3langid

from spinlens.model import Article

PROBE_CHARS = 4000


ENGLISH = (None, "en")
"""Languages the English models read (None: no letters to tell)."""


class LanguageDetector:
    """Sets `Article.language` (ISO 639-1): the given code normalised ("EN-us" → "en"),
    else detected."""

    name = "language"
    assigns = ("language",)
    version = f"py3langid-{version('py3langid')}"

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            given = normalise_language(article.language)
            article.language = given or detect_language(article.text)


def normalise_language(code: str | None) -> str | None:
    """The primary subtag of a language tag, lower case; None for an empty one."""
    primary = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return primary or None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language; None when it has no letters."""
    sample = text[:PROBE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    code, _score = py3langid.classify(sample)
    return str(code)
