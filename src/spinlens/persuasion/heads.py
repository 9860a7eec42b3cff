"""Linear heads over n-gram features: genre (one of three), frames and persuasion
techniques (any number each), and the shipped SemEval-2023 model that holds them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from spinlens.persuasion.features import NgramFeatures
from spinlens.weights import weights_digest

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "semeval23"
HEADS = ("genre", "frames", "techniques")


@dataclass(frozen=True)
class LinearHead:
    """Labels, a (features × labels) weight matrix, biases and per-label decision
    thresholds on the probability."""

    labels: tuple[str, ...]
    weight: np.ndarray
    bias: np.ndarray
    threshold: np.ndarray
    by_language: dict[str, float] = field(default_factory=dict)
    """One threshold for every label, for the languages it was tuned on."""

    def cutoff(self, language: str | None) -> np.ndarray:
        """Per-label thresholds for an article in this language."""
        if language in self.by_language:
            return np.full(len(self.labels), self.by_language[language], np.float32)
        return self.threshold

    def logits(self, index: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Scores of one text from its sparse features (see `NgramFeatures.weights`)."""
        rows = self.weight[index].astype(np.float32)
        return values @ rows + self.bias

    def sigmoid(self, index: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Independent probability of each label (multi-label heads)."""
        return 1.0 / (1.0 + np.exp(-self.logits(index, values)))

    def softmax(self, index: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Probabilities of the labels as alternatives (single-label heads)."""
        z = self.logits(index, values)
        e = np.exp(z - z.max())
        return e / e.sum()

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        return {
            f"{name}_labels": np.array(self.labels),
            f"{name}_weight": self.weight.astype(np.float16),
            f"{name}_bias": self.bias.astype(np.float32),
            f"{name}_threshold": self.threshold.astype(np.float32),
            f"{name}_languages": np.array(sorted(self.by_language), dtype=str),
            f"{name}_language_threshold": np.array(
                [self.by_language[k] for k in sorted(self.by_language)], np.float32
            ),
        }

    @classmethod
    def from_arrays(cls, data: dict[str, np.ndarray], name: str) -> LinearHead:
        return cls(
            tuple(str(x) for x in data[f"{name}_labels"]),
            data[f"{name}_weight"],
            data[f"{name}_bias"],
            data[f"{name}_threshold"],
            {
                str(language): float(cut)
                for language, cut in zip(
                    data[f"{name}_languages"], data[f"{name}_language_threshold"], strict=True
                )
            },
        )


@dataclass(frozen=True)
class PersuasionModel:
    """The n-gram features and the three heads, with a version for provenance."""

    features: NgramFeatures
    genre: LinearHead
    frames: LinearHead
    techniques: LinearHead
    version: str

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.features.save(folder)
        arrays: dict[str, np.ndarray] = {}
        for name in HEADS:
            arrays |= getattr(self, name).arrays(name)
        np.savez_compressed(folder / "heads.npz", allow_pickle=False, **arrays)


def load_semeval23(folder: Path = MODEL_DIR) -> PersuasionModel:
    """The shipped (or given) model, loaded once per process."""
    return _load_model(folder.resolve())


@cache
def _load_model(folder: Path) -> PersuasionModel:
    heads_path = folder / "heads.npz"
    digest = weights_digest(heads_path, "SemEval-2023 model")
    data = dict(np.load(heads_path))
    meta = json.loads((folder / "training.json").read_text(encoding="utf-8"))
    genre, frames, techniques = (LinearHead.from_arrays(data, name) for name in HEADS)
    version = f"{meta.get('name', 'semeval23')}-{digest}"
    return PersuasionModel(NgramFeatures.load(folder), genre, frames, techniques, version)
