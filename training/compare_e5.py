"""How close and how fast the pruned int8 e5 is: against the full fp32 conversion, and
against the MiniLM int8 encoder the pipeline ships.

Closeness: cosine of the sentence embeddings ("passage: " prefix, mean pooling) of the
pruned int8 ONNX model to the full fp32 conversion, on the 1,000 sentences of
`check_e5.py`, and on 1,000 ClaimBuster sentences (English, not among the texts the
vocabulary was pruned on), with the share of sentences tokenised exactly as the full
vocabulary does. Speed: both int8 encoders through the run-time `spinlens.encoder.Encoder`
(onnxruntime, 2 threads): sentences/s in batches of 32, and articles/s over PTC
unlabeled articles (whole articles in chunks, as the pipeline reads them).

    .venv-train/bin/python training/compare_e5.py [--articles 40]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from check_e5 import sentences, summary
from common import PACKAGE_MODELS, require_data, write_json
from convert_e5 import DEFAULT_OUT, PREFIXES, PRUNED_OUT, embed
from e5_vocab import old_to_new
from tokenizers import Tokenizer
from transformers import BertModel

from spinlens.encoder import Encoder
from spinlens.evaluation.checkworthy import read_claimbuster

BATCH = 32
THREADS = 2


def e5_encoder(folder: Path) -> Encoder:
    """The run-time Encoder on the pruned e5; it wraps windows in `<s>` … `</s>`
    (the Encoder looks up BERT's [CLS]/[SEP], which XLM-R's vocabulary names so)."""
    encoder = Encoder(folder, threads=THREADS)
    encoder.cls_id = encoder.tokenizer.token_to_id("<s>")
    encoder.sep_id = encoder.tokenizer.token_to_id("</s>")
    return encoder


def sentence_vectors(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """Mean-pooled, L2-normalised embeddings of `texts` ([CLS]/[SEP] or `<s>`/`</s>`
    included), in batches of BATCH through `Encoder.run`."""
    encodings = encoder.tokenizer.encode_batch(texts, add_special_tokens=False)
    vectors = []
    for start in range(0, len(texts), BATCH):
        pieces = [np.array(e.ids[:510]) for e in encodings[start : start + BATCH]]
        hidden = encoder.run(pieces)
        lengths = np.array([len(p) + 2 for p in pieces])
        mask = np.arange(hidden.shape[1])[None, :] < lengths[:, None]
        pooled = (hidden * mask[..., None]).sum(1) / lengths[:, None]
        vectors.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
    return np.concatenate(vectors)


def closeness(full: Path, pruned: Path, texts: list[str]) -> dict:
    """Cosines of the pruned int8 model to the full fp32 one, and the share of texts
    whose pruned token ids are the full ones renumbered."""
    texts = [PREFIXES["passage"] + t for t in texts]
    tokenizer = Tokenizer.from_file(str(full / "tokenizer.json"))
    small = e5_encoder(pruned)
    reference = embed(BertModel.from_pretrained(full, add_pooling_layer=False), tokenizer, texts)
    cosine = (reference * sentence_vectors(small, texts)).sum(1)
    table = old_to_new(np.load(pruned / "kept_ids.npy"), tokenizer.get_vocab_size())
    same = [
        table[tokenizer.encode(t, add_special_tokens=False).ids].tolist()
        == small.tokenizer.encode(t, add_special_tokens=False).ids
        for t in texts
    ]
    return {"cosine": summary(cosine), "identical_token_ids": round(float(np.mean(same)), 4)}


def best_seconds(work: Callable[[], object], repeats: int) -> float:
    """The fastest of `repeats` runs (the machine is shared: the least disturbed one)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def speed(encoder: Encoder, texts: list[str], articles: list[str], repeats: int) -> dict:
    """Sentences/s, articles/s and tokens per article of one encoder."""
    sentence_seconds = best_seconds(lambda: sentence_vectors(encoder, texts), repeats)
    article_seconds = best_seconds(lambda: encoder.encode(articles), repeats)
    tokens = [len(e.ids) for e in encoder.tokenizer.encode_batch(articles, False)]
    return {
        "sentences_per_s": round(len(texts) / sentence_seconds, 1),
        "articles_per_s": round(len(articles) / article_seconds, 2),
        "tokens_per_article": round(float(np.mean(tokens)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--pruned", type=Path, default=PRUNED_OUT)
    parser.add_argument("--articles", type=int, default=40, help="PTC unlabeled articles.")
    parser.add_argument("--repeats", type=int, default=2, help="Speed runs; the best counts.")
    args = parser.parse_args()
    texts = [text for _, text in sentences()]
    claimbuster = read_claimbuster(require_data("checkworthy/claimbuster/train.json")).texts
    held_out = random.Random(0).sample(claimbuster, 1000)
    folder = require_data("ptc/unlabeled")
    paths = sorted(folder.glob("*.txt"))[: args.articles]
    articles = [path.read_text(encoding="utf-8") for path in paths]
    report = {
        "semeval_1000": closeness(args.full, args.pruned, texts),
        "claimbuster_1000": closeness(args.full, args.pruned, held_out),
        "articles": len(articles),
        "e5_pruned_int8": speed(e5_encoder(args.pruned), texts, articles, args.repeats),
        "minilm_int8": speed(
            Encoder(PACKAGE_MODELS / "techniques", THREADS), texts, articles, args.repeats
        ),
    }
    write_json(args.pruned / "compare.json", report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
