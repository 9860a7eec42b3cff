"""The shared transformer encoder: ONNX Runtime + tokenizers, no torch.

One encoder pass per article gives contextual token vectors over the whole text
(chunks cut at sentence ends chosen by content, each read alone with a little context
on both sides, so a token's vector depends on its own neighbourhood only); every
token-level component reads them through `article.encoding` with its own small head.
The encoder reads the side-neutral view of the text (`spinlens.sides`).
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from spinlens.model import Article
from spinlens.pipeline.language import ENGLISH
from spinlens.sides import View, neutral_view
from spinlens.weights import weights_digest

MODEL_DIR = Path(__file__).resolve().parent / "models" / "techniques"
"""The shared encoder's weights: the MiniLM fine-tuned with the technique heads
(training/train_techniques.py); every token-level head reads its vectors."""

WINDOW = 256
"""Tokens per window, [CLS] and [SEP] included (as in training)."""
CONTEXT = 16
"""Tokens read on each side of a chunk, for context only."""
LONGEST = WINDOW - 2 - 2 * CONTEXT
"""Tokens in a chunk at most."""
SHORTEST = 160
"""Tokens in a chunk at least (unless the text is shorter)."""
CUT_EVERY = 2
"""About one sentence end in this many ends a chunk (chosen by the sentence's last
tokens, so by the text there and nothing else)."""
SENTENCE_END = frozenset(".!?;:\"”’')»")
BRANCH_OUTPUT = "branch_state"
"""The encoder's second output: the token vectors after its first BRANCH_LAYERS
layers, where heads with top layers of their own (claims) branch off."""
BRANCH_LAYERS = 4


@dataclass(frozen=True)
class Encoding:
    """Token vectors of one article: `vectors[i]` for the token at `offsets[i]` (offsets
    into the article text); `view`, the text the encoder read (side names neutral);
    `branch`, the same tokens' vectors at the branch point (None when the encoder has
    no such output)."""

    vectors: np.ndarray
    offsets: np.ndarray
    view: View
    branch: np.ndarray | None = None

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [first, last) of the tokens overlapping characters [start, end)."""
        first = int(np.searchsorted(self.offsets[:, 1], start, side="right"))
        last = int(np.searchsorted(self.offsets[:, 0], end, side="left"))
        return first, max(first, last)


def branch_of(encoding: Encoding) -> np.ndarray:
    """The encoding's branch vectors; an error if the shared encoder has none."""
    if encoding.branch is None:
        raise RuntimeError(f"the shared encoder has no {BRANCH_OUTPUT} output")
    return encoding.branch


def sentence_ends(text: str, offsets: np.ndarray) -> list[int]:
    """Token indices b where a sentence may end before token b: after a token of final
    punctuation followed by a space, or at a line break."""
    ends = []
    for b in range(1, len(offsets)):
        gap = text[offsets[b - 1, 1] : offsets[b, 0]]
        last = text[offsets[b - 1, 1] - 1 : offsets[b - 1, 1]]
        if "\n" in gap or (gap and last in SENTENCE_END):
            ends.append(b)
    return ends


def chunks(ids: np.ndarray, ends: Sequence[int]) -> list[tuple[int, int]]:
    """Token ranges [start, end) cutting a text into chunks at sentence ends chosen by
    content: an end is a cut when a hash of the tokens before it says so and the chunk
    holds SHORTEST tokens; a chunk that would pass LONGEST is cut at its last sentence
    end (or at LONGEST). Where a chunk ends depends on the text from its start to its
    end only, so an edit moves the chunks around it and the chain falls back in step
    at the next cut: the rest of the article is read exactly as before."""
    out: list[tuple[int, int]] = []
    start, n, at = 0, len(ids), 0
    while start < n:
        if n - start <= LONGEST:
            out.append((start, n))
            break
        end, last = None, None
        while at < len(ends) and ends[at] <= start + LONGEST:
            b = ends[at]
            at += 1
            if b - start < SHORTEST:
                continue
            last = b
            if zlib.crc32(ids[max(b - 6, start) : b].tobytes()) % CUT_EVERY == 0:
                end = b
                break
        end = end or last or start + LONGEST
        out.append((start, end))
        start = end
        at = bisect_right(ends, start)
    return out


def windows(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges [start, end) of windows of `size` covering `n_tokens` tokens on a
    fixed grid (every `stride` tokens from the first), the last as long as the text
    allows."""
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


def read_chunks(
    view: View,
    token_ids: Sequence[int],
    token_offsets: Sequence[tuple[int, int]],
    run: Callable[[np.ndarray], np.ndarray],
    dim: int,
    branch: bool = False,
) -> Encoding:
    """The encoding of a tokenized view: each chunk read alone by `run` (token ids →
    hidden states of [CLS] ids [SEP]) with CONTEXT tokens on each side. With `branch`,
    `run` gives the branch vectors after the last ones."""
    offsets = np.asarray(token_offsets, dtype=np.int64).reshape(-1, 2)
    ids = np.asarray(token_ids, dtype=np.int64)
    states = np.zeros((len(ids), 2 * dim if branch else dim), np.float32)
    for start, end in chunks(ids, sentence_ends(view.text, offsets)):
        lo, hi = max(start - CONTEXT, 0), min(end + CONTEXT, len(ids))
        states[start:end] = run(ids[lo:hi])[1 + start - lo : 1 + end - lo]
    vectors = np.ascontiguousarray(states[:, :dim])
    return Encoding(
        vectors, view.text_offsets(offsets), view, states[:, dim:].copy() if branch else None
    )


def cpu_session(path: Path, threads: int) -> ort.InferenceSession:
    """An ONNX Runtime CPU session with `threads` intra-op threads (0: one per core),
    all graph optimisations, and idle threads that sleep instead of spinning (spaCy
    runs beside the models)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class Encoder:
    """A BERT-style encoder exported to ONNX, with its tokenizer.

    `encode` runs every chunk of an article alone: dynamic int8 quantisation scales
    the activations of a whole input tensor together, so windows sharing a batch
    (padding included) change each other's vectors — appending one sentence to an
    article moved vectors 6,000 characters before it. Alone, a token's vector depends
    on its own chunk and context only, and it is no slower (no padding). An encoder
    exported with a BRANCH_OUTPUT also gives each token's vector at the branch point."""

    def __init__(self, folder: Path, threads: int = 0):
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.session = cpu_session(folder / "encoder.onnx", threads)
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.inputs = {i.name for i in self.session.get_inputs()}
        last = self.session.get_outputs()[0].name
        names = {o.name for o in self.session.get_outputs()}
        self.outputs = [last, BRANCH_OUTPUT] if BRANCH_OUTPUT in names else [last]
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str]) -> list[Encoding]:
        """Token vectors for each whole text."""
        views = [neutral_view(text) for text in texts]
        tokenized = self.tokenizer.encode_batch([v.text for v in views], add_special_tokens=False)
        return [
            read_chunks(view, enc.ids, enc.offsets, self.run, self.dim, len(self.outputs) > 1)
            for view, enc in zip(views, tokenized, strict=True)
        ]

    def run(self, piece: np.ndarray) -> np.ndarray:
        """Hidden states of one token-id window read as [CLS] piece [SEP]: the last
        ones, then (when the encoder has them) the branch ones."""
        input_ids = np.asarray([[self.cls_id, *piece, self.sep_id]], dtype=np.int64)
        feeds = {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        return np.concatenate(self.session.run(self.outputs, feeds), axis=-1)[0]


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
