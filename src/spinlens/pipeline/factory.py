"""The default pipeline, built from settings."""

from __future__ import annotations

from spinlens.pipeline import Pipeline
from spinlens.pipeline.language import LanguageDetector
from spinlens.pipeline.linguistic import DEFAULT_MODEL, SpacyAnnotator


def build_pipeline(spacy_model: str = DEFAULT_MODEL) -> Pipeline:
    """Language identification, then sentences and entities."""
    return Pipeline([LanguageDetector(), SpacyAnnotator(spacy_model)])
