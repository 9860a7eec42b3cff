"""Side-neutral reading: the names of sides (nations, their people and capitals, the
parties, the ideological camps) are read by the encoder as one stand-in per kind, so
that swapping the sides of an article (American ↔ Russian, Israel ↔ Iran, Democrats ↔
Republicans, liberal ↔ conservative) cannot change
what the heads see, and no side's wording is flagged where the other's is not.

The encoder reads a *view* of the text with each side name replaced by its kind's
stand-in; `View` maps offsets between the view and the text as read, so every span the
heads find is a span of the article text (a stand-in maps to the whole name it replaced).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np


def _both_cases(*words: str) -> tuple[str, ...]:
    """Each word as written and capitalised (at the start of a sentence or a name)."""
    return tuple(form for word in words for form in (word, word[0].upper() + word[1:]))


SIDES: dict[str, tuple[str, ...]] = {
    "Norway": (
        "America", "United States", "United States of America", "U.S.", "U.S.A.", "USA",
        "US", "Russia", "Russian Federation", "Soviet Union", "USSR", "Israel", "Iran",
        "China", "Ukraine", "Syria", "Iraq", "Saudi Arabia", "Turkey", "North Korea",
        "South Korea", "Britain", "Great Britain", "United Kingdom", "UK", "U.K.",
        "France", "Germany", "Palestine", "Gaza", "Venezuela", "Cuba", "Mexico", "Qatar",
        "Lebanon", "Yemen", "Afghanistan", "Pakistan", "India", "Poland", "Belarus",
        "Georgia", "Europe", "European Union", "EU", "NATO",
    ),
    "Norwegian": (
        "American", "Russian", "Soviet", "Israeli", "Iranian", "Chinese", "Ukrainian",
        "Syrian", "Iraqi", "Saudi", "Turkish", "North Korean", "South Korean", "British",
        "French", "German", "Palestinian", "Venezuelan", "Cuban", "Mexican", "Qatari",
        "Lebanese", "Yemeni", "Afghan", "Pakistani", "Indian", "Polish", "Belarusian",
        "Georgian", "European", "Western", "Jewish", "Muslim", "Christian", "Arab",
        "Persian", "Kurdish", "Sunni", "Shiite", "Shia",
    ),
    "Norwegians": (
        "Americans", "Russians", "Soviets", "Israelis", "Iranians", "Ukrainians",
        "Syrians", "Iraqis", "Saudis", "Turks", "North Koreans", "South Koreans", "Brits",
        "Britons", "Germans", "Palestinians", "Venezuelans", "Cubans", "Mexicans",
        "Qataris", "Afghans", "Pakistanis", "Indians", "Poles", "Belarusians",
        "Georgians", "Europeans", "Westerners", "Jews", "Muslims", "Christians", "Arabs",
        "Persians", "Kurds", "Sunnis", "Shiites",
    ),
    "Oslo": (
        "Washington", "Moscow", "Jerusalem", "Tel Aviv", "Tehran", "Teheran", "Beijing",
        "Kyiv", "Kiev", "Damascus", "Baghdad", "Riyadh", "Ankara", "Pyongyang", "Seoul",
        "London", "Paris", "Berlin", "Ramallah", "Caracas", "Havana", "Brussels",
        "Kremlin", "White House", "Pentagon", "Downing Street", "Knesset", "Congress",
        "Duma",
    ),
    "Whigs": (
        "Democrats", "Republicans", "Dems", "Tories", "Labourites",
        *_both_cases(
            "liberals", "conservatives", "progressives", "leftists", "rightists",
            "left-wingers", "right-wingers",
        ),
    ),
    "Whig": (
        "Democrat", "Republican", "Democratic", "GOP", "Tory", "Labour",
        *_both_cases(
            "liberal", "conservative", "progressive", "leftist", "rightist", "left-wing",
            "right-wing", "far-left", "far-right", "hard-left", "hard-right", "alt-right",
            "alt-left",
        ),
    ),
}  # fmt: skip
"""Stand-in → the side names it stands for (one kind a line: nations, their adjectives,
their people, their capitals and seats of power, the parties, their members and the
ideological camps). Names are matched as whole words, case-sensitively ("US", not "us";
"Democratic", not "democratic"; the camps in both cases). The stand-ins are names the
training texts almost never mark."""

_PATTERN = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(
        re.escape(name)
        for name in sorted((n for names in SIDES.values() for n in names), key=len, reverse=True)
    )
    + r")(?!\w)"
)
_STAND_IN = {name: stand_in for stand_in, names in SIDES.items() for name in names}
_SHOUTED = re.compile(r"[A-Z]{2,}")


def _shouted_us(text: str, start: int, end: int) -> bool:
    """Whether "US" is the pronoun in capitals ("HELP US NOW"): a word in capitals
    next to it."""
    before = text[max(start - 12, 0) : start].split()
    after = text[end : end + 12].split()
    near = before[-1:] + after[:1]
    return any(_SHOUTED.fullmatch(word.strip(".,!?;:\"'")) for word in near)


_ADJECTIVE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(re.escape(name) for name in sorted(SIDES["Norwegian"], key=len, reverse=True))
    + r")$"
)


def ends_with_side_adjective(text: str, end: int) -> bool:
    """Whether `text[:end]` ends on a side's adjective ("… the American"); only the
    last 40 characters are read (a mark's edge is on a hot path)."""
    return _ADJECTIVE.search(text[max(end - 40, 0) : end]) is not None


def without_sides(text: str) -> str:
    """The text with every side name blanked out (the same length)."""
    return _PATTERN.sub(lambda m: " " * len(m.group()), text)


@dataclass(frozen=True)
class View:
    """The text the encoder reads and the maps between its offsets and the text's.

    `starts[v]`/`ends[v]`: the text offset where a token starting/ending at view offset
    `v` starts/ends (a piece of a stand-in: the whole name it replaced); `to_view[t]`:
    the view offset of text offset `t`. All None when nothing was replaced."""

    text: str
    starts: np.ndarray | None = None
    ends: np.ndarray | None = None
    to_view: np.ndarray | None = None

    @cached_property
    def lowered(self) -> str:
        """The view in lower case (searched only: offsets index `text`)."""
        return self.text.lower()

    def text_offsets(self, offsets: np.ndarray) -> np.ndarray:
        """Token offsets into the view → offsets into the text."""
        if self.starts is None or self.ends is None:
            return offsets
        return np.stack([self.starts[offsets[:, 0]], self.ends[offsets[:, 1]]], axis=1)

    def view_span(self, start: int, end: int) -> tuple[int, int]:
        """A text span → the view's span."""
        if self.to_view is None:
            return start, end
        return int(self.to_view[start]), int(self.to_view[end])


def neutral_view(text: str) -> View:
    """The text with every side name replaced by its kind's stand-in."""
    found = [
        m
        for m in _PATTERN.finditer(text)
        if not (m.group() == "US" and _shouted_us(text, m.start(), m.end()))
    ]
    if not found:
        return View(text)
    pieces: list[str] = []
    starts = np.empty(len(text) + 64 * len(found) + 1, np.int64)
    ends = np.empty_like(starts)
    to_view = np.empty(len(text) + 1, np.int64)
    view_at = text_at = 0
    for match in found:
        start, end = match.span()
        kept = text[text_at:start]
        pieces.append(kept)
        span = np.arange(text_at, start + 1)
        starts[view_at : view_at + len(kept) + 1] = span
        ends[view_at : view_at + len(kept) + 1] = span
        to_view[text_at : start + 1] = np.arange(view_at, view_at + len(kept) + 1)
        view_at += len(kept)
        stand_in = _STAND_IN[match.group()]
        pieces.append(stand_in)
        starts[view_at : view_at + len(stand_in)] = start
        ends[view_at + 1 : view_at + len(stand_in) + 1] = end
        to_view[start + 1 : end] = view_at + len(stand_in)
        view_at += len(stand_in)
        text_at = end
    tail = text[text_at:]
    pieces.append(tail)
    span = np.arange(text_at, len(text) + 1)
    starts[view_at : view_at + len(tail) + 1] = span
    ends[view_at : view_at + len(tail) + 1] = span
    to_view[text_at:] = np.arange(view_at, view_at + len(tail) + 1)
    size = view_at + len(tail) + 1
    return View("".join(pieces), starts[:size], ends[:size], to_view)
