"""The shared transformer encoder: ONNX Runtime + tokenizers, no torch.

One encoder pass per article gives contextual token vectors over the whole text
(overlapping windows, each token taken from the window where it is most central);
every token-level component reads them through `article.encoding` with its own
small head.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from spinlens.model import Article
from spinlens.pipeline.language import ENGLISH
from spinlens.weights import weights_digest

MODEL_DIR = Path(__file__).resolve().parent / "models" / "techniques"
"""The shared encoder's weights: the MiniLM fine-tuned with the technique heads
(training/train_techniques.py); every token-level head reads its vectors."""

WINDOW = 256
"""Tokens per window, [CLS] and [SEP] included (as in training)."""
STRIDE = 224
"""Tokens between window starts; the overlap gives every token at least 15 tokens of
context on both sides (training used 192; 224 scores the same on the dev fold and
encodes 15 % fewer tokens)."""


@dataclass(frozen=True)
class Encoding:
    """Token vectors of one article: `vectors[i]` for the token at `offsets[i]`."""

    vectors: np.ndarray
    offsets: np.ndarray

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [first, last) of the tokens overlapping characters [start, end)."""
        first = int(np.searchsorted(self.offsets[:, 1], start, side="right"))
        last = int(np.searchsorted(self.offsets[:, 0], end, side="left"))
        return first, max(first, last)


def windows(n_tokens: int, size: int = WINDOW - 2, stride: int = STRIDE) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the windows covering `n_tokens` tokens: a fixed
    grid (every `stride` tokens from the first), the last window as long as the text
    allows, so that where a window lies never depends on how long the article is —
    text added at the end changes the last windows only."""
    starts = [0]
    while starts[-1] + size < n_tokens:
        starts.append(starts[-1] + stride)
    return [(s, min(s + size, n_tokens)) for s in starts]


def owner_bounds(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each window, the token range it owns: overlaps are split in the middle."""
    bounds = []
    for i, (start, end) in enumerate(spans):
        lo = start if i == 0 else (start + spans[i - 1][1]) // 2
        hi = end if i == len(spans) - 1 else (end + spans[i + 1][0]) // 2
        bounds.append((lo, hi))
    return bounds


class Encoder:
    """A BERT-style encoder exported to ONNX, with its tokenizer.

    `encode` runs every window of an article alone: dynamic int8 quantisation scales
    the activations of a whole input tensor together, so windows sharing a batch
    (padding included) change each other's vectors — appending one sentence to an
    article moved vectors 6,000 characters before it. Alone, a token's vector depends
    on its own window only, and it is no slower (no padding). `run` still takes a
    batch, for the claims scorer's sentences."""

    def __init__(self, folder: Path, threads: int = 0):
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle threads sleep instead of spinning: spaCy runs beside the encoder.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(folder / "encoder.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str]) -> list[Encoding]:
        """Token vectors for each whole text."""
        tokenized = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        results = []
        for enc in tokenized:
            offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
            ids = np.asarray(enc.ids, dtype=np.int64)
            vectors = np.zeros((len(ids), self.dim), np.float32)
            spans = windows(len(ids)) if len(ids) else []
            owned = owner_bounds(spans)
            for (s, e), (lo, hi) in zip(spans, owned, strict=True):
                hidden = self.run([ids[s:e]])[0]
                vectors[lo:hi] = hidden[1 + lo - s : 1 + hi - s]
            results.append(Encoding(vectors, offsets))
        return results

    def run(self, pieces: Sequence[np.ndarray]) -> np.ndarray:
        """Last hidden states of a batch of token-id windows ([CLS] … [SEP], padded)."""
        length = max(len(p) for p in pieces) + 2
        input_ids = np.zeros((len(pieces), length), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, piece in enumerate(pieces):
            input_ids[row, : len(piece) + 2] = [self.cls_id, *piece, self.sep_id]
            mask[row, : len(piece) + 2] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        return np.asarray(self.session.run(None, feeds)[0])


def load_encoder(folder: Path = MODEL_DIR, threads: int = 0) -> tuple[Encoder, str]:
    """The shared encoder, loaded once per process, and its version (a digest of its
    weights); `threads` intra-op threads for ONNX Runtime (0: one per core)."""
    return _load_encoder(folder, threads)


@cache
def _load_encoder(folder: Path, threads: int) -> tuple[Encoder, str]:
    digest = weights_digest(folder / "encoder.onnx", "shared encoder")
    return Encoder(folder, threads), f"minilm-{digest}"


class EncoderComponent:
    """Runs the encoder once per English article and leaves the result on
    `article.encoding` (the encoder is uncased English MiniLM); other articles keep
    `encoding = None`, and the heads reading it find nothing in them."""

    name = "encoder"
    requires = ("language",)
    assigns = ("encoding",)

    def __init__(self, encoder: Encoder, version: str):
        self.encoder = encoder
        self.version = version

    def __call__(self, articles: Sequence[Article]) -> None:
        english = [a for a in articles if a.language in ENGLISH]
        encodings = self.encoder.encode([a.text for a in english])
        for article, encoding in zip(english, encodings, strict=True):
            article.encoding = encoding
