"""Train the attribution tagger on PolNeAR (../shared/data/polnear/train).

A two-layer BiLSTM head tags every token as source, cue or content (BIO) from the
shared encoder's token vectors: the shipped techniques model's int8 ONNX encoder,
run exactly as at run time, so the head costs no second encoder pass. With
--dev-fold, fold 0 of 5 (by a hash of the article id) is held out and scored after
every epoch (tagger and linking only; `spinlens eval attribution` scores the whole
component, parse-based sources included). Writes head.onnx and training.json to
src/spinlens/models/attribution/. The encoder's vectors of train are cached in
build/attribution-vectors-HASH.npz (git-ignored; HASH names the encoder's weights), so
only the first run encodes.

    .venv-train/bin/python training/train_attribution.py [--epochs 5] [--dev-fold]

Retrain it whenever the techniques encoder changes: the head reads its vectors.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import numpy as np
import torch
from common import (
    PACKAGE_MODELS,
    REPO,
    add_checkpoint_option,
    export_quantized,
    require_data,
    save_checkpoint,
    seed_everything,
    write_json,
)
from torch import nn

from spinlens.attribution.tagger import ROLES, TAGS, link, segments
from spinlens.encoder import Encoder, Encoding
from spinlens.evaluation import fold_of
from spinlens.evaluation.attribution import Attribution, read_ann, score

torch.set_num_threads(2)
CHUNK, CHUNK_STRIDE = 384, 256
"""Training sequences: token runs of CHUNK, CHUNK_STRIDE apart (whole articles at run time)."""


HELD_OUT_SCORES = (
    "attribution",
    "attribution_with_source",
    "role_content_soft",
    *(f"role_{role}_exact" for role in ROLES),
)
"""The scores of the held-out fold recorded after every epoch."""


class Article:
    """One PolNeAR article: text, encoder vectors and their token offsets, BIO tags and
    gold attributions."""

    def __init__(
        self, text: str, vectors: np.ndarray, offsets: np.ndarray, gold: list[Attribution]
    ):
        self.text, self.gold = text, gold
        self.vectors, self.offsets = vectors.astype(np.float16), offsets
        self.tags = bio_tags(offsets, gold)


def bio_tags(offsets: np.ndarray, gold: list[Attribution]) -> np.ndarray:
    """The tag index of every token: the role of the attribution whose characters it
    overlaps, B where the previous token belongs to another role or attribution."""
    owner: list[tuple[str, int] | None] = [None] * len(offsets)
    for k, att in enumerate(gold):
        for role in ROLES:
            chars = att.get(role)
            if not chars:
                continue
            first = int(np.searchsorted(offsets[:, 1], min(chars), side="right"))
            last = int(np.searchsorted(offsets[:, 0], max(chars) + 1, side="left"))
            for t in range(first, last):
                start, end = offsets[t]
                if any(c in chars for c in range(start, end)):
                    owner[t] = (role, k)
    tags = np.zeros(len(offsets), np.int64)
    for t, own in enumerate(owner):
        if own is not None:
            prefix = "B" if t == 0 or owner[t - 1] != own else "I"
            tags[t] = TAGS.index(f"{prefix}-{own[0]}")
    return tags


def load_split(root: Path, encoder: Encoder, cache: Path) -> dict[str, Article]:
    """The split's articles, their vectors read from `cache` when it exists (else
    encoded and written there: encoding is a fifth of a training run)."""
    paths = sorted((root / "text").glob("*.txt"))
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        encodings = encode_all([p.read_text(encoding="utf-8") for p in paths], encoder)
        np.savez(
            cache,
            vectors=np.concatenate([e.vectors.astype(np.float16) for e in encodings]),
            offsets=np.concatenate([e.offsets for e in encodings]),
            lengths=np.array([len(e.offsets) for e in encodings]),
        )
    stored = np.load(cache)
    bounds = np.concatenate([[0], np.cumsum(stored["lengths"])])
    vectors, offsets = stored["vectors"], stored["offsets"]
    return {
        path.stem: Article(
            path.read_text(encoding="utf-8"),
            vectors[start:end],
            offsets[start:end],
            read_ann(root / "attributions" / f"{path.stem}.ann"),
        )
        for path, start, end in zip(paths, bounds[:-1], bounds[1:], strict=True)
    }


def encode_all(texts: list[str], encoder: Encoder) -> list[Encoding]:
    out = []
    started = time.time()
    for n, text in enumerate(texts, 1):
        out.append(encoder.encode([text])[0])
        if n % 200 == 0:
            print(f"encoded {n} articles, {time.time() - started:.0f}s", flush=True)
    return out


class TaggerNet(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.dropout = nn.Dropout(0.2)
        self.lstm = nn.LSTM(
            dim, hidden, num_layers=2, dropout=0.2, batch_first=True, bidirectional=True
        )
        self.out = nn.Linear(2 * hidden, len(TAGS))

    def forward(self, vectors):  # type: ignore[no-untyped-def]
        hidden, _ = self.lstm(self.dropout(vectors))
        return self.out(self.dropout(hidden))


def chunks(articles: list[Article]) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for art in articles:
        n = len(art.tags)
        starts = list(range(0, max(n - CHUNK, 0) + 1, CHUNK_STRIDE))
        if n > CHUNK and starts[-1] + CHUNK < n:
            starts.append(n - CHUNK)
        out += [(art.vectors[s : s + CHUNK], art.tags[s : s + CHUNK]) for s in starts]
    return out


def train_epoch(net: TaggerNet, data, optimizer, batch_size: int) -> float:  # type: ignore[no-untyped-def]
    net.train()
    total = 0.0
    order = np.random.permutation(len(data))
    for first in range(0, len(order), batch_size):
        batch = [data[i] for i in order[first : first + batch_size]]
        length = max(len(tags) for _, tags in batch)
        x = torch.zeros(len(batch), length, batch[0][0].shape[1])
        y = torch.full((len(batch), length), -100)
        for row, (vectors, tags) in enumerate(batch):
            x[row, : len(tags)] = torch.from_numpy(vectors.astype(np.float32))
            y[row, : len(tags)] = torch.from_numpy(tags)
        loss = nn.functional.cross_entropy(net(x).reshape(-1, len(TAGS)), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimizer.step()
        total += loss.item()
    return total


@torch.no_grad()
def evaluate(net: TaggerNet, articles: dict[str, Article]) -> dict:
    """Attribution scores of tagging and linking alone (sources as tagged)."""
    net.eval()
    pred = {}
    for aid, art in articles.items():
        logits = net(torch.from_numpy(art.vectors.astype(np.float32))[None])[0]
        probs = torch.softmax(logits, -1).numpy()
        pred[aid] = [
            {
                "content": frozenset(i for s in g.contents for i in range(s.start, s.end)),
                **({"cue": chars(g.cue)} if g.cue else {}),
                **({"source": chars(g.source)} if g.source else {}),
            }
            for g in link(art.text, segments(art.text, probs, art.offsets))
        ]
    return score({aid: art.gold for aid, art in articles.items()}, pred)


def chars(seg) -> frozenset[int]:  # type: ignore[no-untyped-def]
    return frozenset(range(seg.start, seg.end))


def export(net: TaggerNet, dim: int, path: Path) -> None:
    """The head as ONNX, its LSTM weights int8 (dynamic quantisation: 2.5× faster on
    one core, 5.3 → 1.3 MB, PolNeAR dev figures equal to the float head's)."""
    example = torch.zeros(1, 50, dim)
    export_quantized(net, example, path, ("vectors", "logits"), op_types_to_quantize=["LSTM"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=160)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dev-fold", action="store_true", help="Hold out fold 0 and score it.")
    parser.add_argument("--out", type=Path, default=PACKAGE_MODELS / "attribution")
    add_checkpoint_option(parser, "attribution")
    args = parser.parse_args()
    seed_everything(args.seed)
    encoder_dir = PACKAGE_MODELS / "techniques"
    encoder = Encoder(encoder_dir, threads=2)
    encoder_hash = hashlib.sha256((encoder_dir / "encoder.onnx").read_bytes()).hexdigest()
    cache = REPO / "build" / f"attribution-vectors-{encoder_hash[:16]}.npz"
    articles = load_split(require_data("polnear/train"), encoder, cache)
    held = {a: art for a, art in articles.items() if args.dev_fold and fold_of(a, 5) == 0}
    train = [art for a, art in articles.items() if a not in held]
    data = chunks(train)
    print(f"train articles {len(train)}, sequences {len(data)}; held out {len(held)}")
    net = TaggerNet(encoder.dim, args.hidden)
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=0.01)
    history = []
    for epoch in range(1, args.epochs + 1):
        started = time.time()
        loss = train_epoch(net, data, optimizer, args.batch_size)
        seconds = round(time.time() - started)
        row: dict = {"epoch": epoch, "loss": round(loss, 2), "seconds": seconds}
        if held:
            result = evaluate(net, held)
            for key in HELD_OUT_SCORES:
                row[key] = result[key]["f1"]
        history.append(row)
        print(row, flush=True)
    save_checkpoint(net.state_dict(), args.checkpoint)
    args.out.mkdir(parents=True, exist_ok=True)
    export(net, encoder.dim, args.out / "head.onnx")
    write_json(
        args.out / "training.json",
        {
            "data": "PolNeAR v1.0.0 train (../shared/data/polnear/train)",
            "encoder": f"src/spinlens/models/techniques/encoder.onnx sha256 {encoder_hash[:16]}",
            "train_articles": len(train),
            "held_out": f"fold 0 of 5, {len(held)} articles" if held else "none",
            "args": {k: str(v) for k, v in vars(args).items()},
            "history": history,
        },
    )
    print("wrote", args.out)


if __name__ == "__main__":
    main()
