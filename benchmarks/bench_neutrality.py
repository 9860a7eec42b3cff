"""Side-swap neutrality of a layer's marks (techniques by default; `--layer quotes` or
`claims`, whose marks are an attribution's content and kind, a claim sentence):
swapping the named sides of an article (American ↔ Russian, Israel ↔ Iran,
Democrats ↔ Republicans, …) must not change its marks, and no side may be flagged
more than the other.

Two tests, both printed as tables:

- articles: every PTC training article holding a name of a swap pair (needs
  ../shared/data; skipped without it) is analysed as written and with the pair's names
  swapped; the share of marks (start, end, technique; offsets mapped through the swap)
  that stay the same, and per pair the places where a name lies in a mark in one
  version and not in the other, counted by side;
- templates: sentences with loaded, neutral and flag-waving wording filled with each
  side's name, and per pair the templates marked around one side's name and not the
  other's.

A side pair fails when a two-sided sign test over its differing places gives p below
0.05 / (number of pairs) (Bonferroni).

    .venv/bin/python benchmarks/bench_neutrality.py [--layer L] [--articles 80] [--record]
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Iterable

from _common import MARKS, SHARED_DATA, Mark, layer_pipeline, record

from spinlens.evaluation import fold_of
from spinlens.model import Article
from spinlens.pipeline import Pipeline

PAIRS: dict[str, list[tuple[str, str]]] = {
    "American/Russian": [
        ("Americans", "Russians"),
        ("American", "Russian"),
        ("America", "Russia"),
        ("Washington", "Moscow"),
        ("White House", "Kremlin"),
    ],
    "Israel/Iran": [
        ("Israelis", "Iranians"),
        ("Israeli", "Iranian"),
        ("Israel", "Iran"),
        ("Jerusalem", "Tehran"),
    ],
    "Democrats/Republicans": [
        ("Democrats", "Republicans"),
        ("Democratic", "Republican"),
        ("Democrat", "Republican"),
    ],
    "liberal/conservative": [
        ("liberals", "conservatives"),
        ("liberal", "conservative"),
        ("left-wing", "right-wing"),
    ],
}
"""Side pairs: names swapped together, the first of each couple is side A's. Every
pair's words are side names to the encoder (`spinlens.sides`), the ideological camps
too."""

TEMPLATES = (
    "{} people deserve to know the truth about the war.",
    "The {} criminals slaughtered innocent civilians again.",
    "We will never surrender to the {} aggressors and their puppets.",
    "{} officials met on Tuesday to discuss trade.",
    "The so-called {} experts are lying to you.",
    "Every true patriot must stand with our {} heroes.",
    "The {} regime is a brutal dictatorship that hates freedom.",
    "A {} spokesman said the talks would resume next week.",
    "The disgraced {} leaders have betrayed their own people.",
    "Only the {} side can save the nation from total collapse.",
)
"""Sentences a side's name fills: loaded, neutral and flag-waving wording alike."""


Swapped = tuple[str, list[int], list[int], list[tuple[int, int, int, int, int]]]
"""(new text, new offset of each text offset as a start, as an end, the places
swapped: (start, end, new start, new end, side of the original name: 0 for A))."""


def swap(text: str, couples: list[tuple[str, str]]) -> Swapped:
    """The text with each couple's names swapped (whole words, longest first)."""
    sides = {a: (b, 0) for a, b in couples} | {b: (a, 1) for a, b in couples}
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(sides, key=len, reverse=True))) + r")(?!\w)"
    )
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    places = []
    at = new_at = 0
    for match in pattern.finditer(text):
        kept = text[at : match.start()]
        out.append(kept)
        starts += range(new_at, new_at + len(kept))
        ends += range(new_at, new_at + len(kept))
        new_at += len(kept)
        new, side = sides[match.group()]
        out.append(new)
        size = match.end() - match.start()
        starts += [new_at] * size
        ends += [new_at] + [new_at + len(new)] * (size - 1)
        places.append((match.start(), match.end(), new_at, new_at + len(new), side))
        new_at += len(new)
        at = match.end()
    tail = text[at:]
    out.append(tail)
    starts += range(new_at, new_at + len(tail) + 1)
    ends += range(new_at, new_at + len(tail) + 1)
    return "".join(out), starts, ends, places


def covered(spans: Iterable[tuple[int, int, str]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in spans)


def sign_test(a: int, b: int) -> float:
    """Two-sided exact binomial p-value of a split a:b under p = 1/2."""
    n = a + b
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(a, b) + 1)) / 2**n
    return min(1.0, 2 * tail)


class Tally:
    """Per side pair: marks kept, and the places flagged on one side only."""

    def __init__(self, marks: Callable[[Article], set[Mark]]) -> None:
        self.marks_of = marks
        self.marks = dict.fromkeys(PAIRS, 0)
        self.kept = dict.fromkeys(PAIRS, 0)
        self.one_sided: dict[str, list[int]] = {pair: [0, 0] for pair in PAIRS}

    def add(self, pair: str, before: Article, after: Article, swapped: Swapped) -> None:
        _text, starts, ends, places = swapped
        old, new = self.marks_of(before), self.marks_of(after)
        self.marks[pair] += len(old)
        self.kept[pair] += len({(starts[s], ends[e], t) for s, e, t in old} & new)
        for start, end, new_start, new_end, side in places:
            here, there = covered(old, start, end), covered(new, new_start, new_end)
            if here != there:
                # the side whose name is in a mark: the original's when it is marked here
                self.one_sided[pair][side if here else 1 - side] += 1

    def rows(self) -> list[str]:
        alpha = 0.05 / len(PAIRS)
        out = []
        for pair, (a, b) in self.one_sided.items():
            p = sign_test(a, b)
            verdict = "asymmetric" if p < alpha else "ok"
            marks, kept = self.marks[pair], self.kept[pair]
            share = f"{kept / marks:.4f}" if marks else "-"
            out.append(f"| {pair} | {marks} | {kept} | {share} | {a} | {b} | {p:.3g} | {verdict} |")
        return out


def tally_lines(title: str, tally: Tally) -> list[str]:
    return [
        "",
        f"{title}:",
        "",
        "| side pair | marks | unchanged | share | flagged on side A only | on side B only "
        "| sign test p | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *tally.rows(),
    ]


def run_articles(pipeline: Pipeline, limit: int, tally: Tally) -> Tally | None:
    ptc = SHARED_DATA / "ptc" / "train"
    if not ptc.exists():
        print(f"articles: skipped, {ptc} not found (needs ../shared/data)")
        return None
    paths = sorted(ptc.glob("article*.txt"))
    training = [p for p in paths if fold_of(p.stem.removeprefix("article")) != 0]
    for pair, couples in PAIRS.items():
        chosen = []
        for path in training:
            text = path.read_text(encoding="utf-8")
            swapped = swap(text, couples)
            if swapped[3]:
                chosen.append((path.stem, text, swapped))
            if len(chosen) == limit:
                break
        done = pipeline(
            [Article.create(f"{n}", t, language="en") for n, t, _ in chosen]
            + [Article.create(f"{n}-swapped", s[0], language="en") for n, _, s in chosen]
        )
        for (_n, _t, swapped), before, after in zip(
            chosen, done[: len(chosen)], done[len(chosen) :], strict=True
        ):
            tally.add(pair, before, after, swapped)
        print(f"{pair}: {len(chosen)} articles", flush=True)
    return tally


def run_templates(pipeline: Pipeline, tally: Tally) -> Tally:
    for pair, couples in PAIRS.items():
        for a, _b in couples:
            for number, template in enumerate(TEMPLATES):
                text = template.format(a)
                swapped = swap(text, couples)
                before, after = pipeline(
                    [
                        Article.create(f"t{number}", text, language="en"),
                        Article.create(f"t{number}-swapped", swapped[0], language="en"),
                    ]
                )
                tally.add(pair, before, after, swapped)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", choices=sorted(MARKS), default="techniques")
    parser.add_argument("--articles", type=int, default=80, help="Articles per side pair.")
    parser.add_argument(
        "--record",
        action="store_true",
        help="Keep the tables in the layer's model's training.json, for its card.",
    )
    args = parser.parse_args()
    pipeline, marks = layer_pipeline(args.layer), MARKS[args.layer]
    print(f"layer: {args.layer}")
    templates = run_templates(pipeline, Tally(marks))
    lines = tally_lines(f"Templates ({len(TEMPLATES)} sentences)", templates)
    tally = run_articles(pipeline, args.articles, Tally(marks))
    if tally is not None:
        lines += tally_lines("PTC training articles (folds 1-4)", tally)
    print("\n".join(lines))
    if args.record:
        record(
            args.layer,
            "neutrality",
            [
                f"`benchmarks/bench_neutrality.py --layer {args.layer}`: side pairs swapped in",
                "template sentences and in PTC training articles; a pair fails when a two-sided",
                "sign test over the places flagged on one side only gives",
                f"p < 0.05 / {len(PAIRS)} (Bonferroni).",
                *lines,
            ],
        )


if __name__ == "__main__":
    main()
