"""The default pipeline, built from settings."""

from __future__ import annotations

from spinlens.attribution.component import AttributionTagger, EntityLinker
from spinlens.claims.component import ClaimFinder
from spinlens.claims.scorer import load_scorer
from spinlens.pipeline import Component, Pipeline
from spinlens.pipeline.language import LanguageDetector
from spinlens.pipeline.linguistic import DEFAULT_MODEL, SpacyAnnotator
from spinlens.pipeline.parallel import Concurrently
from spinlens.techniques.component import EnglishEncoderComponent, TechniqueTagger, load_model

COMPONENTS = ("techniques", "quotes", "claims")
"""Optional components, all on by default."""


def build_pipeline(
    spacy_model: str = DEFAULT_MODEL, without: tuple[str, ...] = (), threads: int = 0
) -> Pipeline:
    """Language; then spaCy (sentences, entities) and the shared encoder side by side;
    then every optional head not in `without` (claims after quotes, whose speakers
    they take). `threads`: ONNX Runtime threads per model (0: one per core)."""
    spacy_annotator = SpacyAnnotator(spacy_model)
    after: list[Component] = [EntityLinker()]
    if "quotes" not in without:
        after.append(AttributionTagger())
    if "claims" not in without:
        after.append(ClaimFinder(*load_scorer(threads=threads)))
    if "techniques" in without:
        return Pipeline([LanguageDetector(), spacy_annotator, *after])
    encoder, heads, version = load_model(threads=threads)
    readers: list[Component] = [spacy_annotator, EnglishEncoderComponent(encoder, version)]
    heads_tagger = TechniqueTagger(heads, version)
    return Pipeline([LanguageDetector(), Concurrently(readers), *after, heads_tagger])
