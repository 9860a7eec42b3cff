"""Why a GAP pronoun's referent is missing from the ranker's candidates (issue #17):
per example whose pronoun refers to A or B, whether the referent's entity is among
the people `ranking.candidates` offers, and if not, why — its cluster typed other than
a person (by the label it got), a gender clash, or named out of reach. GAP validation
by default (tune there or on development, never on test). Exits cleanly when
../shared is missing.

    .venv/bin/python benchmarks/coref_missing.py [--split validation] [--limit N] [--show K]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from _common import require_shared
from spacy.tokens import Doc

from spinlens.attribution.entities import Cluster, cluster_entities
from spinlens.attribution.ranking import REACH, candidates
from spinlens.attribution.sources import pronoun_gender
from spinlens.attribution.speakers import SpeakerResolver
from spinlens.evaluation.coref import GapExample, entities_with_names, read_gap
from spinlens.pipeline.linguistic import DEFAULT_MODEL, load_spacy


def reason(resolver: SpeakerResolver, cluster: Cluster, offset: int, gender: str) -> str:
    """Why the referent's cluster is not a candidate of the pronoun at `offset`."""
    if cluster.label != "PERSON":
        return f"typed {cluster.label}"
    if resolver.genders.get(cluster.entity_id) not in (None, gender):
        return "gender clash"
    if all(m.start < offset - REACH for m in cluster.mentions):
        return "out of reach"
    return "other"


def missing(doc: Doc, example: GapExample) -> str | None:
    """None when a referent is a candidate, else why not."""
    linked, clusters = cluster_entities(entities_with_names(doc, example.names))
    resolver = SpeakerResolver(doc, clusters)
    pronoun = next(t for t in doc if t.idx <= example.offset < t.idx + len(t))
    gender = pronoun_gender(pronoun.text) or example.gender
    found = candidates(resolver, pronoun, gender)
    start, end = next(n for n, yes in zip(example.names, example.refers, strict=True) if yes)
    ids = {e.entity_id for e in linked if e.start < end and start < e.end}
    if ids & set(found.features):
        return None
    return reason(resolver, resolver.by_id[min(ids)], pronoun.idx, gender)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="validation", choices=("validation", "development"))
    parser.add_argument("--limit", type=int, help="Only the first N GAP examples.")
    parser.add_argument("--show", type=int, default=0, help="Print K missing examples.")
    args = parser.parse_args()
    path = require_shared(f"coref/gap/gap-{args.split}.tsv")
    nlp = load_spacy(DEFAULT_MODEL)
    examples = [e for e in read_gap(path, args.limit) if any(e.refers)]
    reasons: Counter[str] = Counter()
    shown = 0
    for example, doc in zip(examples, nlp.pipe(e.text for e in examples), strict=True):
        why = missing(doc, example)
        if why is None:
            continue
        reasons[why] += 1
        if shown < args.show:
            shown += 1
            start, end = next(n for n, y in zip(example.names, example.refers, strict=True) if y)
            print(f"  {why}: {example.text[start:end]!r} for {example.pronoun!r}")
    total = sum(reasons.values())
    print(
        f"GAP {args.split}: {len(examples)} pronouns with a referent; referent not a "
        f"candidate {total}" + "".join(f"\n  {why}: {n}" for why, n in reasons.most_common())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
