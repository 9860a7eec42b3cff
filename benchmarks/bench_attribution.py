"""Attribution: PolNeAR dev scores and the "who said what" table of the reference
sample; with --parts, what each part of the component adds on dev; with
--fold-model DIR, the scores on fold 0 of PolNeAR train of the component with the head
in DIR (trained by `train_attribution.py --dev-fold --out DIR`).
Exits cleanly when ../shared is missing.

    .venv/bin/python benchmarks/bench_attribution.py [--parts] [--fold-model DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from spinlens.attribution.cli import analyse_gold_texts
from spinlens.attribution.component import tagged
from spinlens.attribution.report import who_said_what
from spinlens.attribution.rules import Extractor, Range
from spinlens.attribution.tagger import SequenceTagger, load_tagger
from spinlens.evaluation import fold_of
from spinlens.evaluation.attribution import quote_attributions, read_gold_dir, score
from spinlens.model import Article
from spinlens.pipeline.linguistic import DEFAULT_MODEL

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "data" / "polnear" / "dev"
TRAIN = SHARED / "data" / "polnear" / "train"
SAMPLE = SHARED / "samples" / "asaib-ahl-al-haq-statement.txt"


def polnear(name: str, folder: Path, ids: set[str] | None, tagger: SequenceTagger | None) -> None:
    gold = {i: g for i, g in read_gold_dir(folder).items() if ids is None or i in ids}
    articles = analyse_gold_texts(folder, sorted(gold), DEFAULT_MODEL, tagger)
    pred = {a.id: quote_attributions(q.to_dict() for q in a.layers["quotes"]) for a in articles}
    result = score(gold, pred)
    print(
        f"{name}: {result['articles']} articles, {result['gold_attributions']} gold, "
        f"{result['pred_attributions']} predicted attributions"
    )
    for key in ("attribution", "attribution_with_source"):
        r = result[key]
        print(f"  {key:<24} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
    for role in ("source", "cue", "content"):
        for match in ("soft", "exact"):
            r = result[f"role_{role}_{match}"]
            print(
                f"  role {role:<8} {match:<8} "
                f"P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}"
            )


class Parts:
    """Keeps, per article, the attributions of the tagger alone (sources as tagged) and
    with sources from the parse, beside the component's."""

    name = "parts"
    version = "bench"

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            linked = tagged(article, load_tagger())
            extractor = Extractor(article.doc)
            article.extra["tagger"] = [as_quote(c, cue, s) for c, cue, s, _ in linked]
            article.extra["parse"] = [
                as_quote(c.content, c.cue, c.source)
                for c in (extractor.from_tagger(*t) for t in linked)
            ]


def as_quote(content: Range, cue: Range | None, source: Range | None) -> dict:
    roles = {"content": content, "cue": cue, "source": source}
    return {k: {"start": r[0], "end": r[1]} for k, r in roles.items() if r is not None}


def parts() -> None:
    gold = read_gold_dir(DEV)
    articles = analyse_gold_texts(DEV, sorted(gold), DEFAULT_MODEL, after=[Parts()])
    print("| PolNeAR dev | attribution F1 | with source | content soft |")
    print("|---|---|---|---|")
    variants = {
        "tagger, sources as tagged": lambda a: a.extra["tagger"],
        "+ sources from the parse of the cue": lambda a: a.extra["parse"],
        "+ the rules' attributions (shipped)": lambda a: [q.to_dict() for q in a.layers["quotes"]],
    }
    for name, quotes in variants.items():
        r = score(gold, {a.id: quote_attributions(quotes(a)) for a in articles})
        scores = (r["attribution"], r["attribution_with_source"], r["role_content_soft"])
        print(f"| {name} | " + " | ".join(f"{x['f1']:.3f}" for x in scores) + " |")


def sample_table() -> None:
    folder = SAMPLE.parent
    article: Article = analyse_gold_texts(folder, [SAMPLE.stem], DEFAULT_MODEL)[0]
    speakers = who_said_what(article)
    print(f"\n{SAMPLE.name}: {sum(len(s.quotes) for s in speakers)} attributions")
    for speaker in speakers:
        for said in speaker.quotes:
            print(f"  {speaker.name:<34} {said.kind:<9} {said.text[:70]}")
    print("  speakers:", {s.name: len(s.quotes) for s in speakers})
    print("  shares:", ", ".join(f"{s.name} {100 * s.share:.0f} %" for s in speakers))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fold-model", type=Path, help="A head trained without fold 0.")
    parser.add_argument("--parts", action="store_true", help="What each part adds on dev.")
    args = parser.parse_args()
    if not DEV.is_dir() or not SAMPLE.exists():
        print(f"skipped: {SHARED} not found")
        return 0
    if args.fold_model:
        fold = {p.stem for p in (TRAIN / "text").glob("*.txt") if fold_of(p.stem, 5) == 0}
        tagger = SequenceTagger(args.fold_model / "head.onnx")
        polnear("PolNeAR train, fold 0 of 5", TRAIN, fold, tagger)
        return 0
    if args.parts:
        parts()
        return 0
    polnear("PolNeAR dev", DEV, None, None)
    sample_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
