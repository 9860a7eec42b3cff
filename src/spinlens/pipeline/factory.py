"""The default pipeline, built from settings."""

from __future__ import annotations

from spinlens.attribution.component import AttributionTagger, EntityLinker
from spinlens.claims.component import ClaimFinder
from spinlens.claims.scorer import load_scorer
from spinlens.persuasion.component import PersuasionTagger
from spinlens.persuasion.heads import load_model as load_semeval23
from spinlens.pipeline import Component, Pipeline
from spinlens.pipeline.language import LanguageDetector
from spinlens.pipeline.linguistic import DEFAULT_MODEL, SpacyAnnotator
from spinlens.pipeline.parallel import Concurrently
from spinlens.techniques.component import EnglishEncoderComponent, TechniqueTagger, load_model


def build_pipeline(
    spacy_model: str = DEFAULT_MODEL,
    without: tuple[str, ...] = (),
    threads: int = 0,
    research_models: bool = False,
) -> Pipeline:
    """Language; then spaCy (sentences, entities) and the shared encoder side by side
    (the encoder only when techniques or quotes read it); then every optional head
    not in `without` (claims after quotes, whose speakers they take); with
    `research_models`, also the SemEval-2023 genre, frames and persuasion model
    (research-only licence). `threads`: ONNX Runtime threads per
    model (0: one per core)."""
    spacy_annotator = SpacyAnnotator(spacy_model)
    after: list[Component] = [EntityLinker()]
    if "quotes" not in without:
        after.append(AttributionTagger())
    if "claims" not in without:
        after.append(ClaimFinder(*load_scorer(threads=threads)))
    if research_models:
        after.append(PersuasionTagger(load_semeval23()))
    if "techniques" in without and "quotes" in without:
        return Pipeline([LanguageDetector(), spacy_annotator, *after])
    encoder, heads, version = load_model(threads=threads)
    readers: list[Component] = [spacy_annotator, EnglishEncoderComponent(encoder, version)]
    last = [] if "techniques" in without else [TechniqueTagger(heads, version)]
    return Pipeline([LanguageDetector(), Concurrently(readers), *after, *last])
