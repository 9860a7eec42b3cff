"""The default pipeline, built from settings."""

from __future__ import annotations

from spinlens.pipeline import Component, Pipeline
from spinlens.pipeline.language import LanguageDetector
from spinlens.pipeline.linguistic import DEFAULT_MODEL, SpacyAnnotator
from spinlens.techniques.component import EnglishEncoderComponent, TechniqueTagger, load_model

COMPONENTS = ("techniques",)
"""Optional components, all on by default."""


def build_pipeline(spacy_model: str = DEFAULT_MODEL, without: tuple[str, ...] = ()) -> Pipeline:
    """Language, sentences and entities, then every optional component not in `without`."""
    components: list[Component] = [LanguageDetector(), SpacyAnnotator(spacy_model)]
    if "techniques" not in without:
        encoder, heads, version = load_model()
        components.append(EnglishEncoderComponent(encoder, version))
        components.append(TechniqueTagger(heads, version))
    return Pipeline(components)
