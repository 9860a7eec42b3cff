"""The `techniques` pipeline component and the shipped PTC model."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from spinlens.encoder import MODEL_DIR, Encoder, load_encoder
from spinlens.model import Article, Sentence, Span
from spinlens.pipeline import ComponentOptions
from spinlens.techniques.heads import TechniqueHeads
from spinlens.techniques.predict import predict_spans
from spinlens.weights import weights_digest


def load_model(folder: Path = MODEL_DIR, threads: int = 0) -> tuple[Encoder, TechniqueHeads, str]:
    """The shipped encoder and heads, loaded once per process, and the heads' version;
    `threads` intra-op threads for ONNX Runtime (0: one per core)."""
    encoder, _ = load_encoder(folder, threads)
    heads, version = load_heads(folder)
    return encoder, heads, version


def load_heads(folder: Path = MODEL_DIR) -> tuple[TechniqueHeads, str]:
    """The shipped technique heads, loaded once per process, and their version."""
    return _load_heads(folder)


@cache
def _load_heads(folder: Path) -> tuple[TechniqueHeads, str]:
    heads_path = folder / "heads.npz"
    version = weights_digest(heads_path, "technique model")
    return TechniqueHeads.load(heads_path), f"ptc-minilm-{version}"


class TechniqueTagger:
    """Adds the `techniques` layer: propaganda spans with technique and confidence."""

    name = "techniques"
    requires = ("encoding", "sentences")
    assigns = ("techniques",)

    def __init__(self, heads: TechniqueHeads, version: str):
        self.heads = heads
        self.version = version

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            found: list[Span] = []
            if article.encoding is not None:
                sentences = article.spans(Sentence)
                found += predict_spans(self.heads, article.text, article.encoding, sentences)
            article.layers["techniques"] = found


def build(options: ComponentOptions) -> TechniqueTagger:
    """The component with the shipped heads."""
    return TechniqueTagger(*load_heads())
