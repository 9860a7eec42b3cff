"""Synthetic long news articles for the scaling test and benchmark (issue #16): news
paragraphs with quotes, cues, titles, pronouns, organisations, places, numbers and
dates, each paragraph with its own people, so that the entities, speakers and
attributions grow with the text as in a long real article. Deterministic per seed."""

from __future__ import annotations

import random

NAME_PARTS = {
    "given": "Dan Am Luc Tom Nad Om Hel Vik Sof Ibr Mar Ken Lei Pav In Sam Yar Jon El Ras",
    "given endings": "iel ara ia as ina ar ena tor ie im ta ji la el es uel a",
    "family": "Ok Lind Hadd Mor Kowal Nak Varg Cast Brenn Pet Delg Ferr Nov Rah Schul Mend "
    "Tan Horv Lomb Sand Kar Dub Ivan Salaz Berg Mwang Popesc Yilm Rom Laur",
    "family endings": "afor qvist ani eau ski amura ga illo nan akis ado eira ak imi tz es "
    "ath ardi oval uki ois ova ar strom enko ent",
}
PARTS = {kind: words.split() for kind, words in NAME_PARTS.items()}
FIRST = [stem + ending for stem in PARTS["given"] for ending in PARTS["given endings"]]
"""340 given names."""
LAST = [stem + ending for stem in PARTS["family"] for ending in PARTS["family endings"]]
"""780 family names: few people share a name, as in a real long article."""
ROLES = (
    "transport minister",
    "finance minister",
    "Secretary General",
    "spokesperson",
    "chief executive",
    "mayor",
    "police chief",
    "union leader",
)
ORGS = (
    "Harbour Authority",
    "National Rail Company",
    "Workers' Union",
    "Ministry of Finance",
    "Green Alliance",
    "Civic Forum",
    "Port Council",
    "Energy Board",
)
PLACES = ("Veldhaven", "Marisport", "Dunmoor", "Kestrel Bay", "Ostrava", "Lindell", "Carrow")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

TEMPLATES = (
    "{Title} {first} {last}, {role} of the {org}, said on {day} that the {place} "
    "council had approved {n} new projects worth ${m} million.",
    "“We will not accept a plan that ignores the people of {place},” {last} told "
    "reporters. “This is a disgrace and everyone can see it.”",
    "He added that the {org} would not accept the decision, but everyone knows that "
    "the vote in {place} was close.",
    "The {role} of the {org} warned that {n} jobs were at risk, according to a "
    "statement released last {day}.",
    "According to the {org}, {n} people were injured in {place} in {year}.",
    "{first2} {last2}, a {role2} in {place}, said the numbers were exaggerated. She "
    "said: the {org} has misled the public for {n} years.",
    "“Nobody asked us,” said {last2}, who has lived in {place} since {year}. Critics "
    "said the project would cost {m} percent more than planned.",
    "The {org} did not respond to a request for comment. Its {role} later wrote that "
    "the talks would continue next {day}.",
)


def paragraph(rng: random.Random) -> str:
    """One news paragraph of two or three templates about the same people."""
    fields = {
        "Title": rng.choice(("", "Dr.", "Sheikh", "Mrs.")),
        "first": rng.choice(FIRST),
        "last": rng.choice(LAST),
        "first2": rng.choice(FIRST),
        "last2": rng.choice(LAST),
        "role": rng.choice(ROLES),
        "role2": rng.choice(ROLES),
        "org": rng.choice(ORGS),
        "place": rng.choice(PLACES),
        "day": rng.choice(DAYS),
        "n": rng.randint(2, 900),
        "m": rng.randint(2, 90),
        "year": rng.randint(1990, 2024),
    }
    start = rng.randrange(len(TEMPLATES))
    count = rng.choice((2, 3))
    parts = [TEMPLATES[(start + k) % len(TEMPLATES)] for k in range(count)]
    return " ".join(" ".join(p.format(**fields).split()) for p in parts)


def long_article(chars: int, seed: int = 16) -> str:
    """A headline and news paragraphs (a blank line between them), as many as fit in
    `chars` characters; the same seed gives the same paragraphs, so a shorter article
    is the start of a longer one."""
    rng = random.Random(seed)
    text = "Council approves harbour plan despite protests\n"
    while True:
        more = "\n" + paragraph(rng) + "\n"
        if len(text) + len(more) > chars:
            return text
        text += more
