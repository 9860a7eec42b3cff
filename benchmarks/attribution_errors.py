"""Exact-match misses of the attribution component on PolNeAR, bucketed by pattern.

The foundation (spaCy parse, entities, the tagger's probabilities) is computed once
per split and cached (default /tmp/spinlens-attribution-cache); every later run only
redoes the decoding, the rules and the boundary fixes, so a rule is measured on all
of train in about a minute. Tune on train, report dev. Exits cleanly when ../shared
is missing.

    .venv/bin/python benchmarks/attribution_errors.py --split train [--examples 5]
        [--role content] [--without RULE ...] [--decoding argmax] [--head DIR]

--head DIR scores a head trained without fold 0 (`train_attribution.py --dev-fold
--out DIR`) on fold 0 of train; its probabilities are cached beside the split's.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _common import require_shared
from spacy.tokens import Doc, DocBin

from spinlens.attribution import boundaries
from spinlens.attribution.component import EntityLinker, attributions, extent
from spinlens.attribution.tagger import (
    SequenceTagger,
    TagChooser,
    constrained,
    decode,
    load_tagger,
)
from spinlens.evaluation import fold_of
from spinlens.evaluation.attribution import (
    Attribution,
    quote_attributions,
    read_gold_dir,
    score,
    text_dir,
)
from spinlens.model import Article, Entity
from spinlens.pipeline.linguistic import DEFAULT_MODEL, load_spacy
from spinlens.weights import weights_digest

CACHE = Path("/tmp/spinlens-attribution-cache")
RULES = {
    "content-parts": ("content_parts", lambda text, content, inside: (content,)),
    "resumed-quotation": ("resumed_quotation", lambda text, start, end: start),
    "bare-source": ("bare_source", lambda text, source: source),
    "closing-comma": ("closing_comma", lambda text, source: source),
    "cue-colon": ("cue_bounds", lambda text, cue: cue),
}
"""The boundary rules (`spinlens.attribution.boundaries`) --without can leave out."""
BATCH = 16
CHOOSERS: dict[str, TagChooser] = {
    "constrained": constrained,
    "argmax": lambda probs: probs.argmax(-1),
}
"""How the tags are read from the head's probabilities (--decoding)."""


@dataclass
class Cached:
    """What the foundation gave one article: linked entities and tag probabilities."""

    id: str
    text: str
    entities: list[dict]
    probs: np.ndarray
    offsets: np.ndarray


class Keep:
    """The last pipeline step: keeps each article's parse and what the foundation gave
    it (the pipeline drops the parse and the encoding when it is done)."""

    name = "keep"
    version = "bench"

    def __init__(self) -> None:
        self.docs = DocBin()
        self.cached: list[Cached] = []
        self.tagger = load_tagger()

    def __call__(self, articles: Sequence[Article]) -> None:
        for a in articles:
            self.docs.add(a.doc)
            probs = self.tagger(a.encoding).astype(np.float16)
            ents = [e.to_dict() for e in a.spans(Entity)]
            self.cached.append(Cached(a.id, a.text, ents, probs, a.encoding.offsets))


def build_cache(folder: Path, ids: list[str], path: Path) -> None:
    """Run spaCy, the encoder, the entity linker and the tagger's head over the split."""
    from spinlens.encoder import EncoderComponent, load_encoder
    from spinlens.pipeline import Pipeline
    from spinlens.pipeline.language import LanguageDetector
    from spinlens.pipeline.linguistic import SpacyAnnotator
    from spinlens.pipeline.parallel import Concurrently

    encoder, version = load_encoder()
    keep = Keep()
    pipeline = Pipeline(
        [
            LanguageDetector(),
            Concurrently([SpacyAnnotator(DEFAULT_MODEL), EncoderComponent(encoder, version)]),
            EntityLinker(),
            keep,
        ]
    )
    texts = text_dir(folder)
    for start in range(0, len(ids), BATCH):
        batch = [
            Article.create(i, (texts / f"{i}.txt").read_text(encoding="utf-8"), language="en")
            for i in ids[start : start + BATCH]
        ]
        pipeline(batch)
        print(f"  {start + len(batch)}/{len(ids)}", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps((keep.docs.to_bytes(), keep.cached)))


def load_cache(
    folder: Path, ids: list[str], path: Path, head: Path | None, choose: TagChooser
) -> Iterator[Article]:
    """The split's articles (those of `ids`) as the foundation left them, with the
    tagger's findings, tags chosen by `choose`, in `extra["tagged"]`; the tag
    probabilities of the `head` (an ONNX file) instead of the shipped one's if given."""
    if not path.exists():
        build_cache(folder, sorted(read_gold_dir(folder)), path)
    doc_bytes, cached = pickle.loads(path.read_bytes())
    vocab = load_spacy(DEFAULT_MODEL).vocab
    docs: Sequence[Doc] = list(DocBin().from_bytes(doc_bytes).get_docs(vocab))
    wanted = set(ids)
    kept = [(item, doc) for item, doc in zip(cached, docs, strict=True) if item.id in wanted]
    probs = head_probs(head, [item.text for item, _ in kept], path.parent) if head else None
    for k, (item, doc) in enumerate(kept):
        article = Article.create(item.id, item.text, language="en")
        article.doc = doc
        article.layers["entities"] = [Entity.from_dict(e) for e in item.entities]
        tag_probs = item.probs if probs is None else probs[k]
        linked = decode(item.text, tag_probs.astype(np.float32), item.offsets, choose)
        article.extra["tagged"] = [
            (g.content, extent(g.cue), extent(g.source), g.score) for g in linked
        ]
        yield article


def head_probs(head: Path, texts: list[str], cache: Path) -> list[np.ndarray]:
    """The tag probabilities of another head over the texts (cached by its digest)."""
    path = cache / f"probs-{weights_digest(head, 'attribution head')}-{len(texts)}.pkl"
    if path.exists():
        return list(pickle.loads(path.read_bytes()))
    from spinlens.encoder import load_encoder

    encoder, _ = load_encoder()
    tagger = SequenceTagger(head)
    probs = [tagger(encoder.encode([text])[0]).astype(np.float16) for text in texts]
    path.write_bytes(pickle.dumps(probs))
    return probs


def predict(articles: Sequence[Article]) -> dict[str, list[Attribution]]:
    out = {}
    for article in articles:
        quotes, _ = attributions(article, article.extra["tagged"])
        out[article.id] = quote_attributions(q.to_dict() for q in quotes)
    return out


def span_of(chars: frozenset[int]) -> tuple[int, int]:
    return min(chars), max(chars) + 1


def pieces(chars: frozenset[int]) -> int:
    return len(runs(sorted(chars)))


LEADS = ("that ", "to ", "about ", "whether ", "if ", "how ", "why ", "what ")


def bucket(text: str, pred: frozenset[int], gold: frozenset[int]) -> str:
    """The pattern that tells a predicted span from the gold one it overlaps most."""
    if pieces(gold) > 1 and pieces(pred) == 1:
        return "gold discontinuous"
    (ps, pe), (gs, ge) = span_of(pred), span_of(gold)
    parts = []
    for side, (p, g) in (("start", (ps, gs)), ("end", (pe, ge))):
        if p == g:
            continue
        lo, hi = sorted((p, g))
        diff = text[lo:hi]
        longer = (p < g) if side == "start" else (p > g)
        who = "pred+" if longer else "gold+"
        parts.append(f"{side} {who}{describe(diff, side)}")
    return "; ".join(parts) or "same extent, different pieces"


def describe(diff: str, side: str) -> str:
    stripped = diff.strip()
    if not stripped:
        return "space"
    if all(c in "\"“”'‘’" for c in stripped):
        return "quote mark"
    if all(c in ".,;:!?—–-()[]\"“”'‘’" for c in stripped):
        return "punct " + stripped
    low = stripped.lower()
    if side == "start":
        for lead in LEADS:
            if (low + " ").startswith(lead):
                return f'"{lead.strip()}"' + (" +" if len(low) > len(lead) else "")
    words = stripped.split()
    return f"{len(words) if len(words) < 4 else '4+'} words"


def misses(
    text: str, gold: list[Attribution], pred: list[Attribution]
) -> Iterator[tuple[str, str, frozenset[int], frozenset[int] | None]]:
    """Each exact-match miss of one article: role, bucket, the span and the span of the
    other side it overlaps most (None when it overlaps none)."""
    for role in ("source", "cue", "content"):
        golds = {a[role] for a in gold if role in a}
        preds = {a[role] for a in pred if role in a}
        for p in preds - golds:
            overlapping = [g for g in golds if g & p]
            if not overlapping:
                yield role, "pred with no gold overlap", p, None
                continue
            g = max(overlapping, key=lambda g: len(g & p))
            yield role, bucket(text, p, g), p, g
        for g in golds - preds:
            if not any(g & p for p in preds):
                yield role, "gold with no pred overlap", g, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--top", type=int, default=12, help="Buckets shown per role.")
    parser.add_argument("--examples", type=int, default=0, help="Examples per bucket shown.")
    parser.add_argument("--role", help="Examples of this role only.")
    parser.add_argument("--without", choices=RULES, action="append", default=[])
    parser.add_argument("--decoding", choices=CHOOSERS, default="constrained")
    parser.add_argument(
        "--head",
        type=Path,
        help="A head trained by train_attribution.py --dev-fold (DIR/head.onnx): "
        "scored on fold 0 of train, the fold it did not see.",
    )
    args = parser.parse_args()
    if args.head and args.split != "train":
        parser.error("--head scores fold 0 of train: use it with --split train")
    for rule in args.without:
        setattr(boundaries, *RULES[rule])
    folder = require_shared(f"polnear/{args.split}")
    gold = read_gold_dir(folder)
    if args.head:
        gold = {i: g for i, g in gold.items() if fold_of(i, 5) == 0}
    ids = sorted(gold)
    head = args.head / "head.onnx" if args.head else None
    cache = args.cache / f"{args.split}.pkl"
    articles = list(load_cache(folder, ids, cache, head, CHOOSERS[args.decoding]))
    pred = predict(articles)
    result = score(gold, pred)
    print(
        f"PolNeAR {args.split}{', fold 0' if head else ''}: {len(ids)} articles, "
        f"{args.decoding} tags, without {args.without or 'nothing'}"
    )
    for key in ("attribution", "attribution_with_source"):
        print(f"  {key:<24} F1 {result[key]['f1']:.4f}")
    for role in ("source", "cue", "content"):
        r = result[f"role_{role}_exact"]
        print(f"  {role:<8} exact P {r['precision']:.4f} R {r['recall']:.4f} F1 {r['f1']:.4f}")
    found: Counter = Counter()
    for article in articles:
        for role, name, _, _ in misses(article.text, gold[article.id], pred[article.id]):
            found[role, name] += 1
    by_role: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (role, name), n in found.most_common():
        by_role[role].append((name, n))
    for role, rows in by_role.items():
        print(f"\n{role}: {sum(n for _, n in rows)} misses")
        for name, n in rows[: args.top]:
            print(f"  {n:>5}  {name}")
    if args.examples:
        show_examples(articles, gold, pred, args.role, args.examples)
    return 0


def show_examples(
    articles: Sequence[Article],
    gold: dict[str, list[Attribution]],
    pred: dict[str, list[Attribution]],
    only: str | None,
    most: int,
) -> None:
    shown: Counter = Counter()
    for article in articles:
        for role, name, p, g in misses(article.text, gold[article.id], pred[article.id]):
            if g is None or (only and role != only) or shown[role, name] >= most:
                continue
            shown[role, name] += 1
            print(f"\n[{role}] {name}")
            print(f"  pred: {render(article.text, p)!r}\n  gold: {render(article.text, g)!r}")


def render(text: str, chars: frozenset[int]) -> str:
    return " … ".join(text[s:e] for s, e in runs(sorted(chars)))


def runs(ordered: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i in ordered:
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


if __name__ == "__main__":
    sys.exit(main())
