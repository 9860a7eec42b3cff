"""Check-worthiness of sentences: a fine-tuned sentence encoder and a linear head.

The encoder is an int8 ONNX export; a sentence's score is a linear function of the
mean of its token vectors ([CLS] and [SEP] included, as in training), calibrated to
a probability by Platt scaling fitted on cross-validated scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from spinlens.encoder import Encoder
from spinlens.weights import weights_digest

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "claims"
MAX_TOKENS = 128
"""Tokens per sentence, [CLS] and [SEP] included; longer sentences are cut (as in training)."""


@dataclass(frozen=True)
class ClaimHead:
    """Linear head, Platt calibration and the decision threshold on the probability."""

    weight: np.ndarray
    bias: float
    platt_a: float = 1.0
    platt_b: float = 0.0
    threshold: float = 0.5

    @classmethod
    def load(cls, path: Path) -> ClaimHead:
        data = np.load(path)
        return cls(
            data["weight"],
            float(data["bias"]),
            float(data["platt_a"]),
            float(data["platt_b"]),
            float(data["threshold"]),
        )

    def save(self, path: Path) -> None:
        np.savez(
            path,
            weight=self.weight.astype(np.float32),
            bias=np.float32(self.bias),
            platt_a=np.float32(self.platt_a),
            platt_b=np.float32(self.platt_b),
            threshold=np.float32(self.threshold),
        )

    def probability(self, logits: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.platt_a * logits + self.platt_b)))


class ClaimScorer:
    """Scores sentences for check-worthiness.

    Each sentence runs through the int8 encoder alone: dynamic quantisation scales a
    whole batch together, so batch-mates (the article's other sentences, and their
    padding) moved a sentence's logit by up to 0.8. Alone, a sentence gets the same
    score in any article, at the same speed."""

    def __init__(self, folder: Path, head: ClaimHead | None = None, threads: int = 0):
        self.encoder = Encoder(folder, threads=threads)
        self.head = head or ClaimHead.load(folder / "head.npz")

    def logits(self, sentences: Sequence[str]) -> np.ndarray:
        """Uncalibrated scores, one per sentence."""
        encoded = self.encoder.tokenizer.encode_batch(list(sentences), add_special_tokens=False)
        pieces = [np.asarray(e.ids[: MAX_TOKENS - 2], dtype=np.int64) for e in encoded]
        out = np.zeros(len(pieces), np.float32)
        for i, piece in enumerate(pieces):
            pooled = self.encoder.run([piece])[0].mean(axis=0)
            out[i] = float(pooled @ self.head.weight) + self.head.bias
        return out

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities that each sentence is worth checking."""
        if not sentences:
            return np.zeros(0, np.float32)
        return self.head.probability(self.logits(sentences))


def load_scorer(folder: Path = MODEL_DIR, threads: int = 0) -> tuple[ClaimScorer, str]:
    """The shipped claim model, loaded once per process, and its version; `threads`
    intra-op threads for ONNX Runtime (0: one per core)."""
    return _load_scorer(folder, threads)


@cache
def _load_scorer(folder: Path, threads: int) -> tuple[ClaimScorer, str]:
    version = weights_digest(folder / "head.npz", "claim model")
    return ClaimScorer(folder, threads=threads), f"checkworthy-minilm-{version}"
