"""Speakers merged across articles (#21): pairwise precision and recall on the PolNeAR
speaker set (benchmarks/speaker_merge_labels.tsv: 448 named sources in 132 articles
of the 7 outlets, each labelled by reading with the person or body it names; how
the set was built: docs/benchmarks.md).

Each article is given to the store as the pipeline would give it: its labelled
sources and its other name mentions (full names of the set, and a capitalised word
before a family name of the set) as entity mentions, grouped within the article by
the attribution layer's own canonicalisation (`cluster_entities`), each labelled
source a quote of its entity;
the articles are saved one at a time into a fresh SQLite store, and each source's
merged speaker is read from the store's alias table. A pair of sources is right
when both say the same person and the store gives them one speaker. The baseline
is no merging across articles (the name of the article entity, case-folded).

Needs ../shared/data/polnear. Usage:

    .venv/bin/python benchmarks/bench_speaker_merge.py [--show N]
"""

from __future__ import annotations

import argparse
import csv
import re
import tempfile
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from _common import require_shared
from sqlalchemy import select

from spinlens.attribution.entities import cluster_entities
from spinlens.model import Article, Entity
from spinlens.speakers.names import PERSON, key_of, name_words
from spinlens.speakers.tables import speaker_alias
from spinlens.store import Store

LABELS = Path(__file__).with_name("speaker_merge_labels.tsv")
Item = tuple[str, str]
"""(article, source as labelled)."""


def source_spans(ann: str) -> list[tuple[int, str]]:
    """The start and text of each (continuous) Source span of a brat file."""
    out = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[1].startswith("Source "):
            fields = parts[1].split()
            if ";" not in parts[1]:
                out.append((int(fields[1]), parts[2]))
    return out


def other_mentions(text: str, known: Names, taken: set[int]) -> list[Entity]:
    """The article's other name mentions, as a recogniser would find them: every
    full name of the label set, and any capitalised word before a family name of
    it ("Rafael Cruz", "Felicia Sanders")."""
    found = []
    for match in known.pattern.finditer(text):
        name = match.group(0)
        label = "PERSON" if known.kinds.get(name, PERSON) == PERSON else "ORG"
        if not taken & set(range(match.start(), match.end())):
            found.append(Entity(match.start(), match.end(), label, name))
    return found


class Names:
    """The label set's full names and family names, as one pattern."""

    def __init__(self, rows: list[dict[str, str]]):
        full = {r["name"] for r in rows if " " in r["name"]}
        families = {r["name"] for r in rows if " " not in r["name"] and r["kind"] == PERSON}
        self.kinds = {r["name"]: r["kind"] for r in rows}
        surnames = "|".join(map(re.escape, sorted(families)))
        given = rf"(?<![\w.])[A-Z][a-z]+(?: [A-Z]\.)? (?:{surnames})\b"
        names = "|".join(map(re.escape, sorted(full, key=len, reverse=True)))
        self.pattern = re.compile(rf"\b(?:{names})\b|{given}")


def article_of(
    folder: Path, name: str, labels: list[dict[str, str]], known: Names
) -> tuple[Article, dict[str, str]]:
    """The article with its labelled sources as quotes of its entities (the sources
    and its other name mentions, grouped within the article); the key of the
    article entity each labelled source belongs to."""
    text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
    ann = (folder / "attributions" / f"{name}.ann").read_text(encoding="utf-8")
    mentions: list[Entity] = []
    owner: list[str | None] = []
    for label in labels:
        for start, raw in source_spans(ann):
            at = raw.find(label["name"]) if label["source"] in raw else -1
            if at >= 0:
                begin = start + at
                kind = "PERSON" if label["kind"] == PERSON else "ORG"
                mentions.append(Entity(begin, begin + len(label["name"]), kind, label["name"]))
                owner.append(label["source"])
    taken = {i for m in mentions for i in range(m.start, m.end)}
    extra = other_mentions(text, known, taken)
    mentions += extra
    owner += [None] * len(extra)
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    linked, _ = cluster_entities([mentions[i] for i in order])
    article = Article.create(name, text)
    article.layers["entities"] = list(linked)
    quotes, keys = [], {}
    for entity, i in zip(linked, order, strict=True):
        kind = PERSON if entity.label == "PERSON" else "organization"
        if (source := owner[i]) is None:
            continue
        keys[source] = key_of(name_words(entity.canonical or entity.text, kind))
        speaker = {"name": entity.canonical, "entity_id": entity.entity_id, "type": kind}
        content = {"start": entity.start, "end": entity.end}
        quotes.append({"content": content, "source": content, "speaker": speaker, "score": 0.9})
    article.set_layer("quotes", quotes)
    return article, keys


def pairwise(truth: dict[Item, str], predicted: dict[Item, str]) -> tuple[float, float, list]:
    """Precision and recall over pairs of items, and the wrong pairs."""
    tp = fp = fn = 0
    wrong = []
    for a, b in combinations(sorted(truth), 2):
        same, merged = truth[a] == truth[b], predicted[a] == predicted[b]
        tp += same and merged
        fn += same and not merged
        if merged and not same:
            fp += 1
            wrong.append((a, b))
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=10, help="wrong merges to list")
    args = parser.parse_args()
    folder = require_shared("polnear") / "train"
    with LABELS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    by_article: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_article[row["article"]].append(row)
    truth = {(r["article"], r["source"]): r["person"] for r in rows}
    known = Names(rows)
    keys: dict[Item, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'speakers.db'}")
        for name, labels in sorted(by_article.items()):
            article, found = article_of(folder, name, labels, known)
            keys.update(((name, source), key) for source, key in found.items())
            store.save([article])
        with store.engine.connect() as conn:
            alias = {r.key: r.speaker for r in conn.execute(select(speaker_alias))}
        store.close()
    truth = {item: person for item, person in truth.items() if item in keys}
    merged = {item: alias[keys[item]] for item in truth}
    precision, recall, wrong = pairwise(truth, merged)
    base_p, base_r, _ = pairwise(truth, {item: keys[item] for item in truth})
    people = len(set(truth.values()))
    print(f"{len(truth)} sources in {len(by_article)} articles, {people} people and bodies")
    print(f"merged:   pairwise precision {precision:.4f}  recall {recall:.4f}")
    print(f"baseline: pairwise precision {base_p:.4f}  recall {base_r:.4f}  (no merging)")
    print(
        f"speakers: {len(set(merged.values()))} merged, {len(set(keys[i] for i in truth))} unmerged"
    )
    for a, b in wrong[: args.show]:
        print(f"  wrong: {a} ({truth[a]}) ~ {b} ({truth[b]}) as {merged[a]}")


if __name__ == "__main__":
    main()
