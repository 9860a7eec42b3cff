"""Builds the first-name gender list the speaker resolver uses to keep "she" off a
man (src/spinlens/models/genders/first_names.tsv) from GAP's development and
validation sets: GAP gives every candidate name the gender of its pronoun. Only names
of two words or more give their first word; a first name is kept when seen at least
MIN_SEEN times with one gender in at least PURITY of them. GAP test is not read.

    .venv/bin/python training/build_name_genders.py [--gap DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GAP = ROOT.parent / "shared" / "data" / "coref" / "gap"
OUT = ROOT / "src" / "spinlens" / "models" / "genders" / "first_names.tsv"
SPLITS = ("gap-development.tsv", "gap-validation.tsv")
FEMALE = frozenset({"she", "her", "hers", "herself"})
MIN_SEEN = 1
PURITY = 0.9


def first_name_counts(paths: list[Path]) -> dict[str, Counter[str]]:
    """Per first name (casefolded), how often GAP gives it each gender ("f"/"m")."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                gender = "f" if row["Pronoun"].lower() in FEMALE else "m"
                for name in (row["A"], row["B"]):
                    words = name.split()
                    if len(words) >= 2 and words[0].isalpha() and words[0][0].isupper():
                        counts[words[0].casefold()][gender] += 1
    return counts


def kept(counts: dict[str, Counter[str]]) -> list[tuple[str, str, int]]:
    """(name, gender, times seen) of the names seen often and consistently enough."""
    rows = []
    for name, by_gender in sorted(counts.items()):
        gender, n = by_gender.most_common(1)[0]
        total = sum(by_gender.values())
        if total >= MIN_SEEN and n / total >= PURITY:
            rows.append((name, gender, total))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gap", type=Path, default=GAP)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    paths = [args.gap / name for name in SPLITS]
    if not all(p.exists() for p in paths):
        print(f"skipped: GAP not found in {args.gap}")
        return 0
    rows = kept(first_name_counts(paths))
    lines = ["name\tgender\tseen", *(f"{n}\t{g}\t{c}" for n, g, c in rows)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    women = sum(1 for _, g, _ in rows if g == "f")
    print(f"{len(rows)} first names ({women} female, {len(rows) - women} male) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
