"""The copies test set of bench_duplicates.py, built from real articles (PolNeAR
train and PTC unlabeled): near-duplicates made five ways from one pool of
originals, and paragraphs lifted from a second pool into articles of a third
(whose untouched versions are not stored), among unrelated distractors."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from spinlens.model import Article

MIN_WORDS = 200
LIFT_WORDS = (40, 160)
"""Length of a lifted passage, in words."""
VARIANTS = ("exact", "headline", "cut", "reorder", "boilerplate")
HEADLINES = [
    "What they are not telling you about the campaign",
    "EXCLUSIVE: the story everyone is talking about",
    "Read this before you vote",
    "The truth behind today's headlines",
]
BOILERPLATE = [
    "This article first appeared on {} and is republished with permission.",
    "Opinions expressed here are the author's own, not those of {}.",
    "Share this story with your friends and follow {} for more news.",
    "Sign up for the {} newsletter to get the news that matters.",
    "Support independent journalism: donate to {} today.",
]
OUTLETS = ["Liberty Wire", "Patriot Daily", "Global Truth", "Real News Now", "Freedom Post"]
SWAPS = ["reportedly", "allegedly", "clearly", "certainly", "notably", "indeed"]


@dataclass(frozen=True)
class Original:
    id: str
    text: str
    published: str


@dataclass
class TestSet:
    """The articles to store, and the true pairs (unordered ids)."""

    articles: list[Article] = field(default_factory=list)
    near: set[frozenset[str]] = field(default_factory=set)
    shared: dict[frozenset[str], dict[str, tuple[int, int]]] = field(default_factory=dict)
    """Per true shared-passage pair: each article's span of the lifted passage."""
    kinds: dict[frozenset[str], str] = field(default_factory=dict)


def read_originals(data: Path) -> list[Original]:
    """Articles of at least MIN_WORDS words, with their dates where known."""
    dates: dict[str, str] = {}
    for line in (data / "polnear" / "metadata.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        dates[cells[1]] = cells[5]
    found = []
    for path in sorted((data / "polnear" / "train" / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found.append(Original(f"polnear-{path.stem}", text, dates.get(path.stem, "2016-06-01")))
    for path in sorted((data / "ptc" / "unlabeled").glob("*.txt")):
        found.append(Original(f"ptc-{path.stem}", path.read_text(encoding="utf-8"), "2019-01-01"))
    return [o for o in found if len(o.text.split()) >= MIN_WORDS]


def paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs (PolNeAR), else lines (PTC: one sentence a line)."""
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return blocks if len(blocks) >= 4 else [line for line in text.split("\n") if line.strip()]


def later(day: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def variant(original: Original, kind: str, rng: random.Random) -> str:
    """A copy of the original, edited one way."""
    paras = paragraphs(original.text)
    if kind == "exact":
        return original.text
    if kind == "headline":
        return "\n\n".join([rng.choice(HEADLINES), *paras[1:]])
    if kind == "cut":  # about a sixth of the paragraphs dropped, never the headline
        drop = set(rng.sample(range(1, len(paras)), max(1, len(paras) // 6)))
        return "\n\n".join(p for i, p in enumerate(paras) if i not in drop)
    if kind == "reorder":  # a block of paragraphs moved to the end
        start = rng.randrange(1, max(2, len(paras) // 2))
        block = paras[start : start + max(1, len(paras) // 4)]
        rest = paras[:start] + paras[start + len(block) :]
        return "\n\n".join(rest + block)
    words = "\n\n".join(paras).split(" ")  # boilerplate and six words changed
    for i in rng.sample(range(len(words)), 6):
        words[i] = rng.choice(SWAPS)
    outlet = rng.choice(OUTLETS)
    top, bottom = (s.format(outlet) for s in rng.sample(BOILERPLATE, 2))
    return "\n\n".join([top, " ".join(words), bottom])


def passage(original: Original, rng: random.Random) -> str | None:
    """Consecutive paragraphs of LIFT_WORDS words from the middle of a text."""
    paras = paragraphs(original.text)[1:]
    for _ in range(20):
        start = rng.randrange(len(paras))
        taken: list[str] = []
        for para in paras[start:]:
            taken.append(para)
            if len(" ".join(taken).split()) >= LIFT_WORDS[0]:
                break
        words = len(" ".join(taken).split())
        if LIFT_WORDS[0] <= words <= LIFT_WORDS[1]:
            return "\n".join(taken)
    return None


def build(
    originals: list[Original], seed: int = 22, n_near: int = 150, n_lift: int = 100
) -> TestSet:
    """Pools: originals with a variant each, lift sources, hosts (stored only with
    the lifted passage in them), and the rest as distractors."""
    rng = random.Random(seed)
    pool = originals[:]
    rng.shuffle(pool)
    near, sources, hosts = pool[:n_near], pool[n_near : n_near + n_lift], pool[n_near + n_lift :]
    hosts, distractors = hosts[:n_lift], hosts[n_lift:]
    out = TestSet()
    for original in near + sources + distractors:
        out.articles.append(
            Article.create(original.id, original.text, published=original.published)
        )
    for i, original in enumerate(near):
        kind = VARIANTS[i % len(VARIANTS)]
        copy_id = f"{original.id}~{kind}"
        text = variant(original, kind, rng)
        out.articles.append(Article.create(copy_id, text, published=later(original.published, 2)))
        pair = frozenset((original.id, copy_id))
        out.near.add(pair)
        out.kinds[pair] = kind
    for source, host in zip(sources, hosts, strict=False):
        lifted = passage(source, rng)
        if lifted is None:
            continue
        paras = paragraphs(host.text)
        at = rng.randrange(1, len(paras))
        text = "\n\n".join(paras[:at])
        start = len(text) + 2
        text = "\n\n".join([text, lifted, *paras[at:]])
        lift_id = f"{host.id}~lifted"
        out.articles.append(Article.create(lift_id, text, published=later(source.published, 3)))
        where = source.text.index(lifted.split("\n")[0])
        pair = frozenset((source.id, lift_id))
        out.shared[pair] = {
            source.id: (where, where + source_length(source.text, where, lifted)),
            lift_id: (start, start + len(lifted)),
        }
        out.kinds[pair] = "lifted"
    return out


def source_length(text: str, where: int, lifted: str) -> int:
    """How far the lifted paragraphs reach in their source (joined there by blank
    lines or single line breaks)."""
    last = lifted.split("\n")[-1]
    return text.index(last, where) + len(last) - where
