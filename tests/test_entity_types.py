"""An entity cluster's type (#17): a person the parser also took for a body or a
group stays a person; a place never becomes one without a full name."""

from __future__ import annotations

from spinlens.attribution.entities import clean_form, cluster_entities, cluster_label
from spinlens.model import Entity


def mentions(*pairs: tuple[str, str]) -> list[Entity]:
    """Mentions of the given texts and labels, one after another in a made-up text."""
    found, start = [], 0
    for text, label in pairs:
        found.append(Entity(start, start + len(text), label, text))
        start += len(text) + 10
    return found


def label_of(*pairs: tuple[str, str]) -> str:
    _, clusters = cluster_entities(mentions(*pairs))
    assert len(clusters) == 1
    return clusters[0].label


def test_a_tie_with_a_body_goes_to_the_person():
    assert label_of(("Hicks", "ORG"), ("Hicks", "PERSON")) == "PERSON"


def test_a_known_first_name_outvotes_a_body():
    assert label_of(*[("Natalie", "ORG")] * 3, ("Natalie", "PERSON")) == "PERSON"


def test_a_capitalised_full_name_outvotes_a_body():
    pairs = [("Roddy McDowall", "ORG")] * 2 + [("Roddy McDowall", "PERSON")]
    assert label_of(*pairs) == "PERSON"


def test_a_full_name_with_a_first_name_outvotes_a_place():
    pairs = [("Natalie Bunten", "GPE")] * 2 + [("Natalie Bunten", "PERSON")]
    assert label_of(*pairs) == "PERSON"


def test_places_and_groups_stay_what_most_mentions_say():
    assert label_of(("Iraq", "PERSON"), ("Iraq", "GPE")) == "GPE"
    assert label_of(("America", "GPE"), ("America", "PERSON"), ("America", "GPE")) == "GPE"
    assert label_of(("Zionists", "NORP"), ("Zionists", "NORP"), ("Zionists", "PERSON")) == "NORP"
    assert label_of(("Jaraf al-Nasr", "GPE"), ("Jurf al-Nasr", "PERSON")) == "GPE"
    assert label_of(*[("Bonavia", "GPE")] * 2, ("Bonavia", "PERSON")) == "GPE"


def test_a_body_named_by_capitalised_words_without_a_person_mention_stays_a_body():
    assert cluster_label(mentions(("Cao Cao", "ORG"), ("Cao Cao", "ORG"))) == "ORG"
    assert cluster_label(mentions(("Ford", "ORG"), ("Ford", "ORG"), ("Ford", "PERSON"))) == "ORG"


def test_a_persons_possessive_is_not_part_of_the_name():
    assert clean_form("Ava DuVernay’s", "PERSON") == "Ava DuVernay"
    assert clean_form("Jones's", "PERSON") == "Jones"
    assert clean_form("McDonald's", "ORG") == "McDonald's"  # a body's name keeps it
