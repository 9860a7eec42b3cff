"""The numbers, amounts and dates a claim asserts, normalised.

Numbers, money, percentages and measures come from quantulum3; dates are the
spaCy DATE entities, resolved by dateparser against the article's publication
date when they are relative ("a few days ago", "Tuesday", "last year").
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from spinlens.model import Entity, Quantity

YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
DECADE = re.compile(r"^(?:the\s+)?(1[5-9]\d|20\d)0'?s$", re.IGNORECASE)
ANCHORED = re.compile(
    r"\b(ago|yesterday|today|tonight|tomorrow|last|this|next|past|previous|coming|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    r"june|july|august|september|october|november|december|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
"""Words that make a date expression point at a day, not name a duration ("two weeks")."""
WEEKDAY = re.compile(
    r"(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)", re.IGNORECASE
)
VAGUE = ((re.compile(r"\ba (?:few|couple of)\b|\bseveral\b", re.IGNORECASE), "3"),)
"""Vague counts read as a number so that "a few days ago" resolves to a day."""
PRECISION = {"year": "%Y", "month": "%Y-%m"}
QUANTITIES_VERSION = "numeral-1"
"""Part of the claims component's version: stored claims are found again when the
way quantities are read changes."""
NUMERAL = re.compile(
    r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|"
    r"trillions?|dozens?|half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|"
    r"sevenths?|eighths?|ninths?|tenths?|once|twice|double|triple)\b",
    re.IGNORECASE,
)
"""A digit or a number word. quantulum3 reads the article "a" as the number one ("a
plea", "a trump", "a key"): a quantity without a numeral is none, and a sentence
without one is not parsed (half the claims layer's time went to such parses)."""


def reference_date(published: str | None) -> datetime | None:
    """The article's publication date, from an ISO 8601 string, if it has one."""
    if not published:
        return None
    try:
        return datetime.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def normalise_date(text: str, reference: datetime | None) -> str | None:
    """An ISO 8601 date of the precision the text gives, or None."""
    text = " ".join(text.split())
    decade = DECADE.match(text)
    if decade:
        first = int(decade.group(1)) * 10
        return f"{first}/{first + 9}"
    year = YEAR.search(text)
    if not ANCHORED.search(text):
        return year.group(1) if year else None
    if reference is None and not year:
        return None
    for pattern, number in VAGUE:
        text = pattern.sub(number, text)
    data = date_parser(reference).get_date_data(text)
    if data.date_obj is None:
        return year.group(1) if year else None
    date = data.date_obj
    if reference is not None and WEEKDAY.fullmatch(text) and (reference - date).days == 7:
        date = reference  # "on Tuesday" in an article of a Tuesday is that day
    return date.strftime(PRECISION.get(data.period or "day", "%Y-%m-%d"))


@cache
def date_parser(reference: datetime | None) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if reference is not None:
        settings["RELATIVE_BASE"] = reference
    return DateDataParser(languages=["en"], settings=settings)


@cache
def quantity_parser() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the optional unit classifier is not installed
        from quantulum3 import parser
    return parser


def quantities_in(
    text: str,
    start: int,
    end: int,
    entities: Sequence[Entity],
    reference: datetime | None,
    counted: dict[int, str] | None = None,
) -> tuple[Quantity, ...]:
    """Quantities in ``text[start:end]``: its DATE entities, every number quantulum3
    finds outside them (written with a numeral), and CARDINAL entities it missed
    ("voted 31 to 14").
    ``counted`` maps a number's end offset to the noun it counts ("8" → "fighters"),
    from the parse."""
    dates = [e for e in entities if e.label == "DATE" and start <= e.start and e.end <= end]
    found = [
        Quantity(e.start, e.end, e.text, "date", normalise_date(e.text, reference)) for e in dates
    ]
    sentence = text[start:end]
    for q in quantity_parser().parse(sentence) if NUMERAL.search(sentence) else ():
        q_start, q_end = start + q.span[0], start + q.span[1]
        dated = any(d.start < q_end and q_start < d.end for d in dates)
        if dated or not NUMERAL.search(text[q_start:q_end]):
            continue
        kind, unit = unit_kind(q)
        if kind == "number" and counted:
            unit = counted.get(q_end)
        value = int(q.value) if float(q.value).is_integer() else float(q.value)
        found.append(Quantity(q_start, q_end, text[q_start:q_end], kind, value, unit))
    for e in entities:
        inside = start <= e.start and e.end <= end and e.label == "CARDINAL"
        if inside and not any(q.start < e.end and e.start < q.end for q in found):
            noun = (counted or {}).get(e.end)
            found.append(Quantity(e.start, e.end, e.text, "number", plain_number(e.text), noun))
    return tuple(sorted(found, key=lambda q: q.start))


def plain_number(text: str) -> int | float | None:
    """The value of a number written in digits ("1,200", "3.5"), else None."""
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def unit_kind(q: Any) -> tuple[str, str | None]:
    """(kind, unit name) of a quantulum3 quantity."""
    name = q.unit.name
    if name == "dimensionless":
        return "number", None
    if name == "percentage":
        return "percent", None
    if q.unit.entity.name == "currency":
        return "money", name
    return "measure", name
