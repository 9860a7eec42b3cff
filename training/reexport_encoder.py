"""Re-export a shipped int8 encoder with the current export settings, without retraining.

Rebuilds the fp32 BERT weights from `encoder.onnx` (the dequantised int8 weights:
per-channel int8 quantisation of them gives back the same integers) and writes the
encoder again with `export_encoder`. Used when the export changes (eager attention)
for models whose fp32 weights were not kept. Prints how close the new export's token
vectors are to the old one's.

    .venv-train/bin/python training/reexport_encoder.py src/spinlens/models/techniques
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from common import AGREEMENT_TEXTS, base_model_dir, cosines, export_encoder, onnx_vectors
from onnx import numpy_helper
from transformers import AutoTokenizer, BertModel

LINEAR = re.compile(r"^/encoder/(encoder/layer\.\d+/.+)/MatMul_output_0_output_quantized$")


MIN_COSINE = 0.98
"""The new export's token vectors must stay this close to the old one's, or nothing
is written."""


def dequantise(values: np.ndarray, scale: np.ndarray, zero: np.ndarray, axis: int) -> np.ndarray:
    """(values - zero) * scale; a scale per channel runs along `axis` (the output
    columns of a MatMul weight), a single scale (the embeddings) applies to all."""
    if scale.size not in (1, values.shape[axis]) or zero.shape != scale.shape:
        raise ValueError(f"scale {scale.shape} does not fit {values.shape} on axis {axis}")
    shape = [1] * values.ndim
    if scale.ndim:
        shape[axis] = -1
    zero_point = zero.astype(np.float32).reshape(shape)
    return ((values.astype(np.float32) - zero_point) * scale.reshape(shape)).astype(np.float32)


def fp32_state(path: Path) -> dict[str, torch.Tensor]:
    """BertModel parameters read back from an `encoder.onnx` written by export_encoder:
    int8 MatMul weights with a scale per output column, uint8 embeddings with one scale."""
    graph = onnx.load(str(path)).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    state: dict[str, np.ndarray] = {}
    for name, value in init.items():
        if name.startswith("encoder.") and value.dtype == np.float32 and value.ndim:
            state[name.removeprefix("encoder.")] = value
        elif name.startswith("encoder.embeddings.") and name.endswith(".weight_quantized"):
            base = name.removesuffix("_quantized")
            state[base.removeprefix("encoder.")] = dequantise(
                value, init[base + "_scale"], init[base + "_zero_point"], axis=1
            )
    for node in graph.node:
        match = LINEAR.match(node.output[0]) if node.op_type == "MatMulInteger" else None
        if match:
            weight = node.input[1].removesuffix("_quantized")
            matrix = dequantise(
                init[node.input[1]], init[weight + "_scale"], init[node.input[3]], 1
            )
            state[match.group(1).replace("/", ".") + ".weight"] = matrix.T.copy()
    return {name: torch.from_numpy(value) for name, value in state.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="A model folder holding encoder.onnx.")
    args = parser.parse_args()
    encoder = BertModel.from_pretrained(base_model_dir(), add_pooling_layer=False)
    state = fp32_state(args.folder / "encoder.onnx")
    missing, unexpected = encoder.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"weights not matched: missing {missing}, unexpected {unexpected}")
    batch = AutoTokenizer.from_pretrained(base_model_dir())(
        AGREEMENT_TEXTS, padding=True, return_tensors="pt"
    )
    inputs = (batch["input_ids"], batch["attention_mask"], torch.zeros_like(batch["input_ids"]))
    with tempfile.TemporaryDirectory() as tmp:
        new = Path(tmp)
        agreement = export_encoder(encoder, new)
        cos = cosines(
            onnx_vectors(args.folder / "encoder.onnx", *inputs),
            onnx_vectors(new / "encoder.onnx", *inputs),
        )
        closeness = {"new_old_token_cosine_min": round(float(cos.min()), 4)}
        if cos.min() < MIN_COSINE:
            raise SystemExit(f"not written: the new export differs from the old one {closeness}")
        for name in ("encoder.onnx", "tokenizer.json"):
            shutil.move(new / name, args.folder / name)
    print(agreement, closeness)


if __name__ == "__main__":
    main()
