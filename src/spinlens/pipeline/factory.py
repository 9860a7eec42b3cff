"""The default pipeline, built from settings and the layer registry."""

from __future__ import annotations

from spinlens import layers as registry
from spinlens.encoder import EncoderComponent, load_encoder
from spinlens.pipeline import Component, ComponentOptions, Pipeline
from spinlens.pipeline.language import LanguageDetector
from spinlens.pipeline.linguistic import DEFAULT_MODEL, SpacyAnnotator
from spinlens.pipeline.parallel import Concurrently
from spinlens.stories.vector import StoryVectors


def build_pipeline(
    spacy_model: str = DEFAULT_MODEL,
    without: tuple[str, ...] = (),
    threads: int = 0,
    research_models: bool = False,
) -> Pipeline:
    """Language; then spaCy (sentences, entities) and the shared encoder side by side
    (the encoder only when a head reads it, then the story vector); then the
    component of every registered layer that has one, in registry order, except those
    in `without`; with `research_models`, also the opt-in ones (the SemEval-2023
    genre, frames and persuasion model: research-only licence). `threads`: ONNX
    Runtime threads per model (0: one per core)."""
    options = ComponentOptions(threads)
    heads: list[Component] = [
        registry.component_factory(spec)(options)
        for spec in registry.specs()
        if spec.component and spec.name not in without and (spec.default or research_models)
    ]
    foundation: list[Component] = [SpacyAnnotator(spacy_model)]
    if any("encoding" in getattr(h, "requires", ()) + getattr(h, "uses", ()) for h in heads):
        encoder = EncoderComponent(*load_encoder(threads=threads))
        foundation = [Concurrently([foundation[0], encoder]), StoryVectors()]
    return Pipeline([LanguageDetector(), *foundation, *heads])
