"""The `techniques` pipeline component and the shipped PTC model."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from spinlens.encoder import Encoder, EncoderComponent
from spinlens.model import Article, Span
from spinlens.pipeline.language import ENGLISH
from spinlens.techniques.heads import TechniqueHeads
from spinlens.techniques.predict import predict_spans

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "techniques"


def load_model(folder: Path = MODEL_DIR, threads: int = 0) -> tuple[Encoder, TechniqueHeads, str]:
    """The shipped encoder and heads, loaded once per process, and their version;
    `threads` intra-op threads for ONNX Runtime (0: one per core)."""
    return _load_model(folder, threads)


@cache
def _load_model(folder: Path, threads: int) -> tuple[Encoder, TechniqueHeads, str]:
    heads_path = folder / "heads.npz"
    if not heads_path.exists():
        raise RuntimeError(f"technique model missing: {heads_path}")
    version = hashlib.sha256(heads_path.read_bytes()).hexdigest()[:8]
    return Encoder(folder, threads), TechniqueHeads.load(heads_path), f"ptc-minilm-{version}"


class EnglishEncoderComponent(EncoderComponent):
    """Encodes English articles only (the encoder is uncased English MiniLM); others
    keep `encoding = None` and get no technique spans."""

    def __call__(self, articles: Sequence[Article]) -> None:
        super().__call__([a for a in articles if a.language in ENGLISH])


class TechniqueTagger:
    """Adds the `techniques` layer: propaganda spans with technique and confidence."""

    name = "techniques"

    def __init__(self, heads: TechniqueHeads, version: str):
        self.heads = heads
        self.version = version

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            found: list[Span] = []
            if article.encoding is not None:
                sentences = article.layers.get("sentences", [])
                found += predict_spans(self.heads, article.text, article.encoding, sentences)
            article.layers["techniques"] = found
