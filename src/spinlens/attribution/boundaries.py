"""The parts of an attribution cut as PolNeAR cuts them (docs/decisions.md, #17
boundaries): a content interrupted by its cue and source is two pieces ("“A,” he
said, “B.”"), the second from where the quotation resumes; a source with an
apposition keeps the comma that closes it ("Josh Earnest, the press secretary,
said"); a cue keeps the colon that follows it ("said:"). Every rule moves a boundary
within the text only: offsets stay character spans."""

from __future__ import annotations

from dataclasses import replace

from spinlens.attribution.rules import Candidate
from spinlens.attribution.syntax import Range, trimmed

BOUNDARIES_VERSION = "bounds-1"
"""Part of the quotes component's version: bump when a rule here changes a boundary."""
QUOTE_MARKS = "\"“”'‘’«»"
OPENING_MARKS = '“"«'
SPACE = " \t\r\n\xa0"
BEFORE_INTERRUPTION = SPACE + ",;—–-("
"""What ends the first piece of an interrupted content and is not part of it."""
AFTER_INTERRUPTION = SPACE + ",.;:—–-)"
"""What opens the second piece of an interrupted content and is not part of it."""


def fitted(text: str, cand: Candidate) -> Candidate:
    """The candidate with its source, cue and content pieces cut as PolNeAR cuts them."""
    source = source_bounds(text, cand.source) if cand.source else None
    cue = cue_bounds(text, cand.cue) if cand.cue else None
    inside = [r for r in (cue, source) if r is not None]
    parts = content_parts(text, cand.content, inside)
    content = parts[0][0], parts[-1][1]
    pieces = parts if len(parts) > 1 else ()
    return replace(cand, content=content, content_parts=pieces, cue=cue, source=source)


def content_parts(text: str, content: Range, interrupters: list[Range]) -> tuple[Range, ...]:
    """The content's pieces: the content without the cue and source that lie inside
    it, and the punctuation and spaces around them (a closing quotation mark stays:
    `“A,”` is the first piece of `“A,” she said. “B.”`)."""
    start, end = content
    inside = [r for r in interrupters if start < r[0] and r[1] < end]
    if not inside:
        return (content,)
    gap_start, gap_end = min(s for s, _ in inside), max(e for _, e in inside)
    first_end = len(text[start:gap_start].rstrip(BEFORE_INTERRUPTION)) + start
    second_start = end - len(text[gap_end:end].lstrip(AFTER_INTERRUPTION))
    found = ((start, first_end), (resumed_quotation(text, second_start, end), end))
    kept = tuple(p for p in found if worded(text, p))
    return kept or (content,)


def resumed_quotation(text: str, start: int, end: int) -> int:
    """Where the second piece of an interrupted quotation starts: at the quotation
    mark that resumes it when a sentence of the article's own ends first (`“A,” she
    said in an interview. “B.”`: not "in an interview."; after a comma the words
    are as often part of the content)."""
    if start >= end or text[start] in OPENING_MARKS:
        return start
    at = next((i for i in range(start, end) if text[i] in OPENING_MARKS), None)
    if at is None or not text[start:at].rstrip().endswith("."):
        return start
    return at


def worded(text: str, span: Range) -> bool:
    """Whether a piece holds a word (not a lone quotation mark left of "\"PENCE: …")."""
    return any(c.isalnum() for c in text[span[0] : span[1]])


def source_bounds(text: str, source: Range) -> Range:
    """The source bare (`bare_source`), with the comma that closes an apposition or
    relative clause inside it (`closing_comma`)."""
    return closing_comma(text, bare_source(text, source))


def bare_source(text: str, source: Range) -> Range:
    """The source without spaces or a stray quotation mark at either end ("\"PENCE")."""
    start, end = trimmed(text, *source, SPACE) or source
    if text[start] in QUOTE_MARKS and not any(c in QUOTE_MARKS for c in text[start + 1 : end]):
        start, end = trimmed(text, start + 1, end, SPACE) or (start, end)
    return start, end


def closing_comma(text: str, source: Range) -> Range:
    """ "Josh Earnest, the press secretary, said": the comma after a source that holds
    one is the apposition's closing comma, part of the source."""
    start, end = source
    if text[end : end + 1] == "," and "," in text[start:end]:
        return start, end + 1
    return source


def cue_bounds(text: str, cue: Range) -> Range:
    """The cue with the colon right after it ("said:"); a cue that is a colon alone
    ("Name: statement") stays as it is."""
    start, end = cue
    if text[end : end + 1] == ":" and text[start:end].strip() != ":":
        return start, end + 1
    return cue
