"""Check-worthiness of sentences from the shared encoder's pass.

A sentence's token vectors at the shared encoder's branch point (its first layers,
read once per article for every head) run alone through the claim model's own top
layers (int8 ONNX, fine-tuned for check-worthiness); the score is a linear function of
the mean of their output, calibrated to a probability by Platt scaling fitted on
cross-validated scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from spinlens.encoder import Encoder, Encoding, branch_of, cpu_session, load_encoder
from spinlens.weights import weights_digest

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "claims"
MAX_TOKENS = 126
"""Tokens of a sentence read by the top layers; longer sentences are cut (as in training)."""
EMPTY_LOGIT = -30.0
"""The score of a sentence without a token: never a claim."""


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

    Each sentence runs through the top layers alone: dynamic quantisation scales a
    whole batch together, so batch-mates (and their padding) would move its score.
    In an article the sentence's branch vectors come from the article's encoding
    (its chunk and their context, as every head reads them); `logits` reads each
    sentence alone, as its own text."""

    def __init__(
        self, folder: Path, encoder: Encoder, head: ClaimHead | None = None, threads: int = 0
    ):
        self.encoder = encoder
        self.session = cpu_session(folder / "top.onnx", threads)
        self.head = head or ClaimHead.load(folder / "head.npz")

    def logit(self, branch: np.ndarray) -> float:
        """The uncalibrated score of one sentence from its tokens' branch vectors."""
        if not len(branch):
            return EMPTY_LOGIT
        hidden = np.ascontiguousarray(branch[None, :MAX_TOKENS], dtype=np.float32)
        top = self.session.run(None, {"hidden": hidden})[0][0]
        return float(top.mean(axis=0) @ self.head.weight) + self.head.bias

    def logits_in(self, encoding: Encoding, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Uncalibrated scores of an article's sentences (character spans) from the
        article's encoding."""
        branch = branch_of(encoding)
        out = np.zeros(len(spans), np.float32)
        for i, (start, end) in enumerate(spans):
            first, last = encoding.token_range(start, end)
            out[i] = self.logit(branch[first:last])
        return out

    def logits(self, sentences: Sequence[str]) -> np.ndarray:
        """Uncalibrated scores, one per sentence, each read alone as its own text."""
        encodings = self.encoder.encode(sentences)
        return np.array([self.logit(branch_of(e)) for e in encodings], np.float32)

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities that each sentence is worth checking."""
        if not sentences:
            return np.zeros(0, np.float32)
        return self.head.probability(self.logits(sentences))


def load_scorer(folder: Path = MODEL_DIR, threads: int = 0) -> tuple[ClaimScorer, str]:
    """The shipped claim model on the shared encoder, loaded once per process, and its
    version (the encoder's and its own weights); `threads` intra-op threads for ONNX
    Runtime (0: one per core)."""
    return _load_scorer(folder, threads)


@cache
def _load_scorer(folder: Path, threads: int) -> tuple[ClaimScorer, str]:
    encoder, encoder_version = load_encoder(threads=threads)
    version = weights_digest(folder / "head.npz", "claim model")
    top = weights_digest(folder / "top.onnx", "claim model")
    scorer = ClaimScorer(folder, encoder, threads=threads)
    return scorer, f"checkworthy-{encoder_version}-{top}-{version}"
