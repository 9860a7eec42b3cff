"""Prune the converted multilingual-e5-small to the languages served; export int8 ONNX.

Counts the pieces the tokenizer produces on the article texts of ../shared/data (PTC,
PolNeAR, SemEval-2023 in all nine languages), keeps those, the special pieces and the
single characters of the scripts seen (`e5_vocab`), cuts the embedding table and the
tokenizer to them, and writes `encoder.onnx` (int8, per-channel dynamic quantisation,
as the shipped MiniLM encoders) and `tokenizer.json`; `kept_ids.npy` holds the full
vocabulary's ids kept, `pruning.json` the sizes.

    .venv-train/bin/python training/prune_e5.py [--model build/e5/full] [--out build/e5/pruned]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from common import AGREEMENT_TEXTS, SHARED_DATA, export_int8, require_data, write_json
from convert_e5 import DEFAULT_OUT, MASK, PREFIXES, PRUNED_OUT, e5_tokenizer, package_file
from e5_format import E5File, read_e5
from e5_vocab import kept_ids, scripts_of, single_characters
from tokenizers import Tokenizer
from transformers import BertModel

CORPUS = (
    "ptc/train/*.txt",
    "ptc/unlabeled/*.txt",
    "polnear/*/text/*",
    "semeval2023/*/train/articles/*.txt",
    "semeval2023/*/test-unlabeled/articles/*.txt",
)
"""The article texts whose pieces are kept (globs under ../shared/data)."""
MAX_MB = 60
"""The int8 encoder must not be larger (issue #19)."""


def corpus_texts() -> list[str]:
    """Every article text of CORPUS."""
    require_data("semeval2023")
    paths = sorted(path for pattern in CORPUS for path in SHARED_DATA.glob(pattern))
    return [path.read_text(encoding="utf-8") for path in paths]


def seen_ids(tokenizer: Tokenizer, texts: list[str]) -> set[int]:
    """Ids of the pieces the tokenizer produces on `texts`, the prefixes included."""
    encodings = tokenizer.encode_batch([*texts, *PREFIXES.values()], add_special_tokens=False)
    return {index for encoding in encodings for index in encoding.ids}


def pruned_ids(model: E5File, texts: list[str]) -> list[int]:
    """The vocabulary ids to keep, ascending."""
    specials = [*model.special.values(), model.pieces.index(MASK)]
    singles = single_characters(model.pieces, scripts_of(texts))
    return kept_ids(seen_ids(e5_tokenizer(model), texts), specials, singles).tolist()


def pruned_encoder(folder: Path, kept: list[int]) -> BertModel:
    """The converted encoder with only the `kept` rows of its embedding table."""
    encoder = BertModel.from_pretrained(folder, add_pooling_layer=False).eval()
    table = encoder.get_input_embeddings().weight.detach()[kept].clone()
    pad = kept.index(encoder.config.pad_token_id)
    encoder.set_input_embeddings(torch.nn.Embedding.from_pretrained(table, padding_idx=pad))
    encoder.config.vocab_size = len(kept)
    return encoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_OUT, help="Converted checkpoint.")
    parser.add_argument("--out", type=Path, default=PRUNED_OUT)
    args = parser.parse_args()
    model = read_e5(package_file())
    texts = corpus_texts()
    kept = pruned_ids(model, texts)
    tokenizer = e5_tokenizer(model, [model.pieces[i] for i in kept])
    samples = tokenizer.encode_batch([PREFIXES["passage"] + t for t in AGREEMENT_TEXTS])
    length = max(len(e.ids) for e in samples)
    ids = torch.full((len(samples), length), model.special["pad"])
    for row, encoding in enumerate(samples):
        ids[row, : len(encoding.ids)] = torch.tensor(encoding.ids)
    agreement = export_int8(
        pruned_encoder(args.model, kept), ids, (ids != model.special["pad"]).long(), args.out
    )
    tokenizer.save(str(args.out / "tokenizer.json"))
    np.save(args.out / "kept_ids.npy", np.array(kept))
    size_mb = (args.out / "encoder.onnx").stat().st_size / 1e6
    report = {
        "texts_counted": len(texts),
        "pieces_kept": len(kept),
        "pieces_full": len(model.pieces),
        "encoder_onnx_mb": round(size_mb, 1),
        **agreement,
    }
    write_json(args.out / "pruning.json", report)
    print(report)
    if size_mb > MAX_MB:
        raise SystemExit(f"encoder.onnx is {size_mb:.1f} MB, over {MAX_MB} MB")


if __name__ == "__main__":
    main()
