"""Speakers merged across articles: the name rules (each with a case that must not
merge), the alias table the store keeps as articles are saved, and its independence
from the order of saving."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from itertools import permutations
from pathlib import Path

import pytest
from click.testing import CliRunner
from speaker_articles import CORPUS, named
from sqlalchemy import select

from spinlens.cli import main
from spinlens.model import Article
from spinlens.speakers.names import acronyms, article_names
from spinlens.speakers.resolve import Form, resolve
from spinlens.speakers.tables import speaker_alias, speaker_totals
from spinlens.store import Store


def forms(*names: str, kind: str = "person") -> dict[str, Form]:
    out: dict[str, Form] = {}
    for name in names:
        key = "-".join(name.casefold().replace(".", "").split())
        form = out.setdefault(key, Form(key))
        form.names[name] += 1
        form.kinds[kind] += 1
        form.articles += 1
    return out


def merged(speaker: dict[str, str], a: str, b: str) -> bool:
    return speaker[a] == speaker[b]


def test_middle_initials_merge_unless_two_variants_are_known() -> None:
    one = resolve(forms("Donald J. Trump", "Donald Trump"), [])
    assert merged(one, "donald-j-trump", "donald-trump")
    assert one["donald-trump"] == "donald-j-trump"  # most words
    two = resolve(forms("George W. Bush", "George H. W. Bush", "George Bush"), [])
    assert len(set(two.values())) == 3


def test_surname_alone_merges_only_when_one_person_has_it() -> None:
    one = resolve(forms("Bernie Sanders", "Sanders"), [])
    assert merged(one, "sanders", "bernie-sanders")
    two = resolve(forms("Bill Clinton", "Hillary Clinton", "Clinton"), [])
    assert len(set(two.values())) == 3
    junior = resolve(forms("Donald Trump", "Donald Trump Jr.", "Trump"), [])
    assert len(set(junior.values())) == 3  # a son is not his father


def test_surname_rule_is_for_people_only() -> None:
    found = forms("Bernie Sanders") | forms("Sanders", kind="organization")
    assert not merged(resolve(found, []), "sanders", "bernie-sanders")


def test_acronym_merges_only_with_one_expansion() -> None:
    found = forms("FBI", "Federal Bureau of Investigation", kind="organization")
    link = ("fbi", "federal-bureau-of-investigation", "acronym")
    assert merged(resolve(found, [link]), "fbi", "federal-bureau-of-investigation")
    found |= forms("Fellowship of Baptists International", kind="organization")
    other = ("fbi", "fellowship-of-baptists-international", "acronym")
    assert len(set(resolve(found, [link, other]).values())) == 3


def test_acronyms_defined_in_text() -> None:
    text = (
        "The Federal Bureau of Investigation (FBI) and Trump (R) met the "
        "World Health Organization (WHO)."
    )
    assert acronyms(text) == {
        "FBI": "Federal Bureau of Investigation",
        "WHO": "World Health Organization",
    }
    assert acronyms("He joined the (FBI) and Big Tent (FBI) later.") == {}


def test_article_names_key_entities_by_their_fullest_name() -> None:
    text = 'Mr. Trump arrived. "We will win," Donald J. Trump said. Trump left.'
    article = named(
        "a1",
        text,
        {"E1": ("PERSON", ["Donald J. Trump", "Trump"])},
        {"E1": "We will win,", "Melania Trump": "Trump left"},
    )
    found = article_names(article.to_dict())
    assert set(found.rows) == {"donald-j-trump", "melania-trump"}
    assert found.rows["melania-trump"].entity_id is None  # a speaker with no entity
    row = found.rows["donald-j-trump"]
    assert (row.name, row.kind, row.entity_id, row.quotes, row.mentions) == (
        "Donald J. Trump",
        "person",
        "E1",
        1,
        3,
    )


def test_middle_names_tied_within_an_article() -> None:
    text = "Hillary Rodham Clinton spoke. Hillary Clinton left."
    article = named("a", text, {"E1": ("PERSON", ["Hillary Rodham Clinton", "Hillary Clinton"])})
    links = article_names(article.to_dict()).links
    assert links == {("hillary-clinton", "hillary-rodham-clinton", "middle")}


def aliases(store: Store) -> tuple[dict[str, str], dict[str, tuple[str, int, int, int]]]:
    with store.engine.connect() as conn:
        alias = {r.key: r.speaker for r in conn.execute(select(speaker_alias))}
        totals = {
            r.speaker: (r.name, r.articles, r.quotes, r.mentions)
            for r in conn.execute(select(speaker_totals))
        }
    return alias, totals


def test_store_merges_names_across_articles(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    store.save(CORPUS)
    alias, totals = aliases(store)
    assert alias["trump"] == alias["donald-trump"] == alias["donald-j-trump"] == "donald-j-trump"
    assert totals["donald-j-trump"] == ("Donald J. Trump", 3, 3, 4)
    assert alias["fbi"] == "federal-bureau-of-investigation"
    assert alias["clinton"] == "clinton"  # two Clintons known: stays apart
    assert alias["hillary-clinton"] != alias["bill-clinton"]
    store.close()


def test_merging_is_incremental_and_independent_of_save_order(tmp_path: Path) -> None:
    rebuilt = Store(f"sqlite:///{tmp_path / 'all.db'}")
    rebuilt.save(CORPUS)
    expected = aliases(rebuilt)
    for n, order in enumerate(permutations(CORPUS)):
        store = Store(f"sqlite:///{tmp_path / f'{n}.db'}")
        for article in order:
            store.save([article])
        assert aliases(store) == expected
        store.close()
    rebuilt.close()


def test_a_new_namesake_splits_a_surname_merge(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    store.save(CORPUS[:2])
    assert aliases(store)[0]["trump"] == "donald-j-trump"
    eric = named("x", "Eric Trump spoke.", {"E1": ("PERSON", ["Eric Trump"])})
    store.save([eric])
    alias, totals = aliases(store)
    assert alias["trump"] == "trump"
    assert totals["trump"][2] == 1
    assert totals["donald-j-trump"][1:3] == (1, 1)
    store.save([named("x", "Nothing here.", {})])  # re-saved without him: merges again
    assert aliases(store)[0]["trump"] == "donald-j-trump"
    store.close()


@pytest.mark.parametrize("name", ["Mrs. Clinton", "Clinton's"])
def test_honorifics_and_possessives_do_not_make_new_speakers(name: str) -> None:
    article = named("a", f"{name} spoke.", {"E1": ("PERSON", [name])})
    assert list(article_names(article.to_dict()).rows) == ["clinton"]


def test_kind_of_a_key_is_its_most_common() -> None:
    form = Form("x", kinds=Counter({"person": 2, "organization": 1}))
    assert form.kind == "person"


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_speakers_command_lists_merged_speakers(tmp_path: Path, fmt: str) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    Store(url).save(CORPUS)
    out = tmp_path / f"speakers.{fmt}"
    result = CliRunner().invoke(main, ["speakers", "--db", url, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        for row in rows:
            row["names"] = json.loads(row["names"])
            row["quotes"] = int(row["quotes"])
    first = rows[0]
    assert (first["speaker"], first["quotes"]) == ("donald-j-trump", 3)
    assert set(first["names"]) == {"Donald J. Trump", "Donald Trump", "Trump"}
    assert len(rows) == len({r["speaker"] for r in rows}) == 6


NAMES = [
    ("PERSON", ["Donald J. Trump", "Trump"]),
    ("PERSON", ["Donald Trump"]),
    ("PERSON", ["Mr. Trump"]),
    ("PERSON", ["Eric Trump"]),
    ("PERSON", ["George W. Bush"]),
    ("PERSON", ["George H. W. Bush"]),
    ("PERSON", ["George Bush", "Bush"]),
    ("PERSON", ["Hillary Rodham Clinton", "Hillary Clinton"]),
    ("PERSON", ["Hillary Clinton"]),
    ("PERSON", ["Clinton"]),
    ("PERSON", ["Bill Clinton"]),
    ("ORG", ["Federal Bureau of Investigation", "FBI"]),
    ("ORG", ["FBI"]),
]


def random_article(rng: random.Random, article_id: str) -> Article:
    chosen = rng.sample(NAMES, rng.randint(1, 4))
    people = {f"E{n}": entity for n, entity in enumerate(chosen)}
    text = " ".join(f'"Words {n}," {forms[0]} said.' for n, (_, forms) in enumerate(chosen))
    text += " ".join(f" Also {form}." for _, forms in chosen for form in forms[1:])
    if rng.random() < 0.3:
        text += " The Federal Bureau of Investigation (FBI) declined."
    quoted = {e: f"Words {n}," for n, e in enumerate(people) if rng.random() < 0.7}
    return named(article_id, text, people, quoted)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_saving_in_any_order_and_resaving_matches_a_rebuild(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    final = {f"a{n}": random_article(rng, f"a{n}") for n in range(14)}
    store = Store(f"sqlite:///{tmp_path / 'incremental.db'}")
    ids = list(final)
    for _ in range(3):  # earlier versions, replaced later
        rng.shuffle(ids)
        for article_id in ids[:6]:
            store.save([random_article(rng, article_id)])
    rng.shuffle(ids)
    for i in range(0, len(ids), 3):
        store.save([final[article_id] for article_id in ids[i : i + 3]])
    rebuilt = Store(f"sqlite:///{tmp_path / 'rebuilt.db'}")
    rebuilt.save(list(final.values()))
    assert aliases(store) == aliases(rebuilt)
    store.close()
    rebuilt.close()


def test_a_link_given_later_merges_known_names_and_leaves_with_its_article(
    tmp_path: Path,
) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    store.save(
        [
            named("a", "Hillary Clinton spoke.", {"E1": ("PERSON", ["Hillary Clinton"])}),
            named(
                "b", "Hillary Rodham Clinton spoke.", {"E1": ("PERSON", ["Hillary Rodham Clinton"])}
            ),
            named("c", "The FBI spoke.", {"E1": ("ORG", ["FBI"])}),
            named(
                "d",
                "The Federal Bureau of Investigation.",
                {"E1": ("ORG", ["Federal Bureau of Investigation"])},
            ),
        ]
    )
    alias = aliases(store)[0]
    assert alias["hillary-clinton"] != alias["hillary-rodham-clinton"] and alias["fbi"] == "fbi"
    both = "Hillary Rodham Clinton and Hillary Clinton. The Federal Bureau of Investigation (FBI)."
    linking = named("e", both, {"E1": ("PERSON", ["Hillary Rodham Clinton", "Hillary Clinton"])})
    store.save([linking])
    alias = aliases(store)[0]
    assert alias["hillary-clinton"] == alias["hillary-rodham-clinton"] == "hillary-rodham-clinton"
    assert alias["fbi"] == "federal-bureau-of-investigation"
    store.save([named("e", "Nothing.", {})])
    alias = aliases(store)[0]
    assert alias["hillary-clinton"] != alias["hillary-rodham-clinton"] and alias["fbi"] == "fbi"
    store.close()
