"""Story clusters: articles on one event across outlets and days, apart from other
events and from the same words weeks later; `spinlens stories`."""

from __future__ import annotations

import csv
import io
import json
import random

from click.testing import CliRunner
from test_duplicates import command_records

from spinlens.cli import main
from spinlens.model import Article
from spinlens.store import Store
from spinlens.stories.cluster import stories
from spinlens.stories.terms import MAX_TERMS, term_counts

LETTERS = "bcdfgklmnprstvz"


def vocabulary(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(LETTERS, k=3)) + "a" + rng.choice(LETTERS) for _ in range(n)]


GENERAL = vocabulary(0, 40)
"""Words every article uses (campaign talk)."""


def report(event: int, seed: int) -> str:
    """An article on `event`: a fifth of its words from the event's own vocabulary."""
    rng = random.Random(seed)
    own = vocabulary(100 + event, 25)
    return " ".join(
        rng.choice(own) if rng.random() < 0.2 else rng.choice(GENERAL) for _ in range(250)
    )


CORPUS = [
    ("wire-1", 1, "2016-02-01", "Wire"),
    ("post-1", 1, "2016-02-02", "Post"),
    ("daily-1", 1, "2016-02-03", "Daily"),
    ("wire-2", 2, "2016-02-02", "Wire"),
    ("post-2", 2, "2016-02-02", "Post"),
    ("daily-1-later", 1, "2016-03-01", "Daily"),  # the same words a month later
    ("alone", 3, "2016-02-02", "Post"),
]


def articles(order: list[int] | None = None) -> list[Article]:
    made = [
        Article.create(i, report(event, n), source=source, published=day)
        for n, (i, event, day, source) in enumerate(CORPUS)
    ]
    return [made[i] for i in order] if order else made


def test_term_counts_skip_stop_words_numbers_and_short_words() -> None:
    counts = term_counts("The Senate voted 52 to 48; the senate's vote was a big one. Senate!")
    assert counts == {"senate": 3, "big": 1, "vote": 1, "voted": 1}
    assert list(counts)[:2] == ["senate", "big"]  # most frequent first, then by letter
    assert len(term_counts(" ".join(vocabulary(5, 400)))) == MAX_TERMS


def test_stories_group_one_event_within_days_and_keep_others_apart(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.save(articles())
    found = [s.to_dict() for s in stories(store.engine)]
    assert [s["articles"] for s in found] == [["wire-1", "post-1", "daily-1"], ["post-2", "wire-2"]]
    first = found[0]
    assert first["sources"] == ["Daily", "Post", "Wire"]
    assert first["first_seen"] == {"article": "wire-1", "source": "Wire", "published": "2016-02-01"}
    assert first["story"].startswith("s-") and len(first["label"].split(", ")) == 4
    singles = stories(store.engine, min_articles=1)
    assert sorted(len(s.articles) for s in singles) == [1, 1, 2, 3]
    store.close()
    other = Store(f"sqlite:///{tmp_path / 'y.db'}")
    for article in articles([6, 5, 4, 3, 2, 1, 0]):  # one at a time, backwards
        other.save([article])
    assert [s.to_dict() for s in stories(other.engine)] == found
    other.close()


def test_stories_command_writes_jsonl_and_csv(tmp_path) -> None:
    url, records = command_records(tmp_path, articles(), "stories")
    runner = CliRunner()
    assert [set(r) for r in records] == [
        {"story", "label", "articles", "sources", "first_seen"}
    ] * 2
    out = tmp_path / "stories.csv"
    args = ["stories", "--db", url, "--format", "csv", "-o", str(out), "--min-articles", "3"]
    assert runner.invoke(main, args).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [json.loads(r["articles"]) for r in rows] == [records[0]["articles"]]
    assert json.loads(rows[0]["first_seen"])["article"] == "wire-1"
