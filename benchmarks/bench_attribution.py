"""Attribution rules: PolNeAR dev scores and the "who said what" table of the
reference sample. Exits cleanly when ../shared is missing.

    .venv/bin/python benchmarks/bench_attribution.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from spinlens.attribution.cli import analyse_gold_texts
from spinlens.attribution.report import speaker_shares, who_said_what
from spinlens.evaluation.attribution import quote_attributions, read_gold_dir, score
from spinlens.model import Article
from spinlens.pipeline.linguistic import DEFAULT_MODEL

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "data" / "polnear" / "dev"
SAMPLE = SHARED / "samples" / "asaib-ahl-al-haq-statement.txt"


def polnear_dev() -> None:
    gold = read_gold_dir(DEV)
    articles = analyse_gold_texts(DEV, sorted(gold), DEFAULT_MODEL)
    pred = {a.id: quote_attributions(q.to_dict() for q in a.layers["quotes"]) for a in articles}
    result = score(gold, pred)
    print(
        f"PolNeAR dev: {result['articles']} articles, {result['gold_attributions']} gold, "
        f"{result['pred_attributions']} predicted attributions"
    )
    for name in ("attribution", "attribution_with_source"):
        r = result[name]
        print(f"  {name:<24} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
    for role in ("source", "cue", "content"):
        r = result[f"role_{role}_soft"]
        print(
            f"  role {role:<8} soft     P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}"
        )


def sample_table() -> None:
    folder = SAMPLE.parent
    article: Article = analyse_gold_texts(folder, [SAMPLE.stem], DEFAULT_MODEL)[0]
    rows = who_said_what(article)
    print(f"\n{SAMPLE.name}: {len(rows)} attributions")
    for row in rows:
        print(f"  {row.speaker:<34} {row.kind:<9} {row.said[:70]}")
    print("  speakers:", dict(Counter(r.speaker for r in rows)))
    print("  shares:", ", ".join(f"{n} {100 * s:.0f} %" for n, s in speaker_shares(article)))


def main() -> int:
    if not DEV.is_dir() or not SAMPLE.exists():
        print(f"skipped: {SHARED} not found")
        return 0
    polnear_dev()
    sample_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
