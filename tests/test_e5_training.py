"""The numpy-only parts of the e5 conversion (training/e5_format.py, training/e5_vocab.py):
Q4_0 dequantisation, the file layout, and the vocabulary pruning remap."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

TRAINING = Path(__file__).resolve().parent.parent / "training"


def load(name: str) -> ModuleType:
    """A module of training/ by its path (training/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, TRAINING / f"{name}.py")
    if spec is None or spec.loader is None:
        pytest.skip(f"training/{name}.py not found")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


e5_format = load("e5_format")
e5_vocab = load("e5_vocab")


def q4_block(scale: float, weights: list[int]) -> bytes:
    """One Q4_0 block: fp16 scale, byte j = weight j (low nibble) | weight j+16 (high)."""
    nibbles = bytes(weights[j] | (weights[j + 16] << 4) for j in range(16))
    return np.float16(scale).tobytes() + nibbles


def test_dequantise_one_block() -> None:
    weights = [(7 * j + 3) % 16 for j in range(32)]
    values = e5_format.dequantise_q4_0(q4_block(0.5, weights))
    assert values.dtype == np.float32
    assert values.tolist() == [(q - 8) * 0.5 for q in weights]


def test_dequantise_blocks_in_order_with_their_own_scale() -> None:
    raw = q4_block(0.25, [0] * 32) + q4_block(-2.0, [15] * 32)
    values = e5_format.dequantise_q4_0(raw)
    assert values[:32].tolist() == [-2.0] * 32
    assert values[32:].tolist() == [-14.0] * 32


def test_dequantise_fp16_scale_rounding() -> None:
    scale = 0.1
    values = e5_format.dequantise_q4_0(q4_block(scale, [9] * 32))
    assert values[0] == np.float32(np.float16(scale)) != np.float32(scale)


def test_quantise_as_ggml() -> None:
    values = np.array([-4.0, 1.0, 0.26, 3.9] + [0.0] * 28, dtype=np.float32)
    raw = e5_format.quantise_q4_0(values)
    assert len(raw) == 18
    assert e5_format.dequantise_q4_0(raw)[:4].tolist() == [-4.0, 1.0, 0.5, 3.5]


def test_quantise_gives_back_a_ggml_block() -> None:
    raw = q4_block(-0.75, [(5 * j) % 16 for j in range(32)])
    assert e5_format.quantise_q4_0(e5_format.dequantise_q4_0(raw)) == raw


def e5_file(pieces: list[str], normalisation: dict[int, str], tensors: dict) -> bytes:
    """A model file in e5.c's layout, hidden size 32, one layer."""
    head = b"E5S1" + struct.pack("<I7ifi", 1, 32, 1, 1, 64, len(pieces), 4, 2, 1e-12, 32)
    blob = b"".join(p.encode() for p in pieces)
    offsets = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    head += offsets.tobytes() + (-np.arange(len(pieces), dtype="<f4")).tobytes() + blob
    norm = b"".join(
        struct.pack(f"<IB{len(out)}I", cp, len(out), *map(ord, out))
        for cp, out in normalisation.items()
    )
    head += struct.pack("<iI", len(normalisation), len(norm)) + norm
    entry = struct.Struct("<BIQQ")
    offset = len(head) + 4 + sum(2 + len(name) + entry.size for name in tensors)
    directory, body = struct.pack("<i", len(tensors)), b""
    for name, (kind, raw, count) in tensors.items():
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += entry.pack(kind, count, offset + len(body), len(raw))
        body += raw
    return head + directory + body


def test_read_e5_file(tmp_path: Path) -> None:
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "\u2581de", "ł"]
    bias = np.arange(32, dtype="<f4")
    weights = q4_block(1.0, list(range(16)) * 2)
    path = tmp_path / "tiny.bin"
    path.write_bytes(
        e5_file(
            pieces,
            {0x09: " ", 0x200B: "", 0xFB01: "fi"},
            {"l0.q.b": (0, bias.tobytes(), 32), "l0.q.w": (1, weights, 32)},
        )
    )
    model = e5_format.read_e5(path)
    assert model.pieces == pieces
    assert model.special == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert model.sizes["intermediate"] == 64 and model.sizes["vocabulary"] == len(pieces)
    assert model.normalisation == {0x09: " ", 0x200B: "", 0xFB01: "fi"}
    assert model.tensors["l0.q.b"].tolist() == bias.tolist()
    assert model.tensors["l0.q.w"].tolist() == [float(q - 8) for q in range(16)] * 2
    assert model.quantised == {"l0.q.w"}


def test_read_e5_rejects_another_file(tmp_path: Path) -> None:
    path = tmp_path / "other.bin"
    path.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="E5S1"):
        e5_format.read_e5(path)


def test_single_characters_keep_scripts_seen_and_non_letters() -> None:
    pieces = ["<s>", "\u2581", "ж", "\u2581ж", "中", "é", "\u2581de", "7", "«", "ა"]
    scripts = e5_vocab.scripts_of(["Déjà жена 7"])
    assert scripts == {"LATIN", "CYRILLIC"}
    kept = e5_vocab.single_characters(pieces, scripts)
    assert kept == {1, 2, 3, 5, 7, 8}


def test_pruning_remap() -> None:
    kept = e5_vocab.kept_ids([9, 4, 0], {4, 7}, [1, 2, 3])
    assert kept.tolist() == [0, 1, 2, 3, 4, 7, 9]
    table = e5_vocab.old_to_new(kept, 11)
    assert table.tolist() == [0, 1, 2, 3, 4, -1, -1, 5, -1, 6, -1]
    table_rows = np.arange(11 * 2).reshape(11, 2)
    pruned = table_rows[kept]
    old_ids = np.array([9, 7, 0])
    assert (pruned[table[old_ids]] == table_rows[old_ids]).all()
