"""The technique heads over the shared encoder's token vectors (numpy only).

- token head: P(token is inside a propaganda span); runs of tokens above a
  threshold, snapped to whole words, are the detected spans;
- span head: P(technique | span) from the span's mean and max token vectors and
  a few span features (repetition, length, quotation, position).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from spinlens.encoder import Encoding
from spinlens.techniques import NAMES
from spinlens.techniques.features import span_features
from spinlens.textspans import lines_within, word_bounds


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


@dataclass
class TechniqueHeads:
    token_w: np.ndarray
    token_b: np.ndarray
    span_w: np.ndarray
    span_b: np.ndarray
    threshold: float = 0.5
    """Token probability above which a token is inside a detected span."""
    second_threshold: float = 0.5
    """Probability above which a span also gets its second technique."""
    gap: int = 0
    """Runs of inside tokens at most this many tokens apart form one span."""
    calibration: np.ndarray | None = None
    """Per technique (rows in the order of `NAMES`): weights of the logits of the span
    and technique probabilities and an intercept, giving the calibrated share of a
    mark's passage that annotators mark (training/calibrate_techniques.py)."""
    display_threshold: float = 0.0
    """Calibrated score from which marks are shown by default (chosen by
    cross-validation so that the marks shown reach SI precision 0.50)."""

    @classmethod
    def load(cls, path: Path) -> TechniqueHeads:
        data = np.load(path)
        return cls(
            data["token_w"],
            data["token_b"],
            data["span_w"],
            data["span_b"],
            float(data["threshold"]),
            float(data["second_threshold"]),
            int(data["gap"]) if "gap" in data else 0,
            data.get("calibration"),
            float(data["display_threshold"]) if "display_threshold" in data else 0.0,
        )

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {
            "token_w": self.token_w,
            "token_b": self.token_b,
            "span_w": self.span_w,
            "span_b": self.span_b,
            "threshold": np.float32(self.threshold),
            "second_threshold": np.float32(self.second_threshold),
            "gap": np.int32(self.gap),
            "display_threshold": np.float32(self.display_threshold),
        }
        if self.calibration is not None:
            arrays["calibration"] = self.calibration
        np.savez(path, **arrays)

    def calibrated(self, technique: int, span: float, named: float) -> float:
        """The score of a mark of technique index `technique`: from the probability
        that its passage is propaganda (`span`) and that it is this technique
        (`named`); their product until the model is calibrated."""
        if self.calibration is None:
            return span * named
        weights = self.calibration[technique]
        logit = weights[0] * _logit(span) + weights[1] * _logit(named) + weights[2]
        return float(1.0 / (1.0 + np.exp(-logit)))

    def token_probs(self, encoding: Encoding) -> np.ndarray:
        return sigmoid(encoding.vectors @ self.token_w + self.token_b).reshape(-1)

    def find_spans(self, text: str, encoding: Encoding) -> list[tuple[int, int, float]]:
        """Detected propaganda spans: (start, end, mean token probability)."""
        probs = self.token_probs(encoding)
        spans = []
        for first, last in runs(probs >= self.threshold, self.gap):
            start, end = word_bounds(
                text, int(encoding.offsets[first, 0]), int(encoding.offsets[last - 1, 1])
            )
            score = float(probs[first:last].mean())
            spans += [(s, e, score) for s, e in lines_within(text, start, end) if e - s >= 2]
        return spans

    def classify(self, encoding: Encoding, start: int, end: int) -> np.ndarray:
        """P(technique) for the span [start, end), in the order of `NAMES`."""
        first, last = encoding.token_range(start, end)
        if last <= first:
            last = min(first + 1, len(encoding.vectors))
            first = max(last - 1, 0)
        vectors = encoding.vectors[first:last]
        if len(vectors) == 0:
            return np.full(len(NAMES), 1.0 / len(NAMES))
        feats = np.asarray(span_features(encoding.view, start, end, last - first), np.float32)
        x = np.concatenate([vectors.mean(0), vectors.max(0), feats])
        return sigmoid(x @ self.span_w + self.span_b)


def runs(inside: np.ndarray, gap: int = 0) -> list[tuple[int, int]]:
    """[first, last) of each run of True, runs at most `gap` apart joined."""
    padded = np.concatenate([[False], inside, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    out: list[tuple[int, int]] = []
    for first, last in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if out and first - out[-1][1] <= gap:
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out
