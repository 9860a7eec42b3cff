"""Attribution candidates from the dependency parse: cue verbs with clausal,
colon-introduced or quoted content, "according to X", and "Name: statement" lines;
and the tagger's attributions, given their source from the parse."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from spinlens.attribution.lexicon import CONTENT_ONLY_WITH_CLAUSE, CUE_VERBS, XCOMP_CUES
from spinlens.attribution.syntax import (
    Range,
    cue_range,
    named_before,
    source_range,
    subject_of,
    subtree_range,
    token_range,
    trimmed,
)
from spinlens.textspans import Intervals

QUOTED = re.compile(r"“[^”\n]+”|\"[^\"\n]+\"|«[^»\n]+»|''[^\n]+?''")
CUE_AFTER = re.compile(r"^[\s,]*(\S+\s+){0,4}(said|says|added|told|wrote|asked|continued)\b")
"""A quotation followed by its own cue ("…," he added) is not a continuation."""
MIN_QUOTE_WORDS = 3
"""Shorter quoted passages are scare quotes or titles, not speech."""

Tagged = tuple[Range, Range | None, Range | None, float]
"""An attribution as the tagger links it: content, cue, source, score."""


@dataclass
class Candidate:
    """One attribution found by a rule, in character offsets."""

    content: Range
    cue: Range | None
    source: Range | None
    source_head: Token | None
    kind: str
    score: float
    content_parts: tuple[Range, ...] = ()
    """The content's pieces when its cue or source interrupts it (see `boundaries`)."""


def quote_spans(text: str) -> list[Range]:
    """Quoted passages of at least MIN_QUOTE_WORDS words, within one line."""
    return [
        (m.start(), m.end())
        for m in QUOTED.finditer(text)
        if len(m.group().split()) >= MIN_QUOTE_WORDS
    ]


class Extractor:
    """Finds attribution candidates in one parsed article. Quotations and line breaks
    are looked up by bisection: `doc.text` joins every token anew, and scans over all
    quotations per token made long articles quadratic (issue #16)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text
        self.quotes = quote_spans(self.text)
        self.quote_starts = [s for s, _ in self.quotes]
        self.quote_index = Intervals((s, e, (s, e)) for s, e in self.quotes)
        self.breaks = [m.start() for m in re.finditer("\n", self.text)]

    def line_of(self, offset: int) -> Range:
        """The line (paragraph) around a character offset."""
        at = bisect_left(self.breaks, offset)
        start = self.breaks[at - 1] + 1 if at else 0
        return start, self.breaks[at] if at < len(self.breaks) else len(self.text)

    def quotes_near(self, start: int, end: int) -> list[Range]:
        """The quotations overlapping [start, end), in text order."""
        return [quote for _, _, quote in self.quote_index.overlapping(start, end)]

    def inside_quote(self, offset: int) -> bool:
        return any(s < offset < e for s, e in self.quotes_near(offset, offset + 1))

    def candidates(self) -> list[Candidate]:
        found: list[Candidate] = []
        for token in self.doc:
            if self.inside_quote(token.idx):
                continue
            if token.lower_ == "according" and token.i + 1 < len(self.doc):
                found += self.according_to(token)
            elif token.lemma_.lower() in CUE_VERBS | XCOMP_CUES and token.pos_ in ("VERB", "AUX"):
                found += self.cue_verb(token)
            elif token.text == ":":
                found += self.name_colon(token)
        return found

    def from_tagger(
        self, content: Range, cue: Range | None, source: Range | None, score: float
    ) -> Candidate:
        """An attribution found by the tagger, as a candidate, its content without the
        clause punctuation around it (`: …`; a colon after the cue makes it direct, as
        the rules have it). Its source is the parse's subject of the
        cue when there is one outside the content (the tagger misses a quarter of the
        sources), else the tagged source."""
        content = trimmed(self.text, *content, " \t\r\n,;:—–-") or content
        source_head = None
        span = self.doc.char_span(*cue, alignment_mode="expand") if cue else None
        if span is not None:
            subject = next((s for s in map(subject_of, [span.root, *span]) if s is not None), None)
            subject = subject or (named_before(span.root) if source is None else None)
            if subject is not None and not content[0] <= subject.idx < content[1]:
                source, source_head = source_range(self.text, subject), subject
        if source is not None and source_head is None:
            found = self.doc.char_span(*source, alignment_mode="expand")
            source_head = found.root if found is not None else None
        colon = cue is not None and self.text[cue[1] : content[0]].strip() == ":"
        kind = "direct" if colon else self.content_kind(content)
        return Candidate(content, cue, source, source_head, kind, score)

    def source_on_one_line(self, cand: Candidate) -> Candidate:
        """A source the parse ran across a line break (a headline without a full stop
        before "X said"): its last line, headed by that part's root."""
        if cand.source is None or "\n" not in self.text[cand.source[0] : cand.source[1]]:
            return cand
        start = self.text.rindex("\n", *cand.source) + 1
        kept = trimmed(self.text, start, cand.source[1])
        span = self.doc.char_span(*kept, alignment_mode="expand") if kept else None
        if span is None:
            return cand
        return replace(cand, source=kept, source_head=span.root)

    def content_kind(self, content: Range) -> str:
        covered = sum(
            min(e, content[1]) - max(s, content[0]) for s, e in self.quotes_near(*content)
        )
        length = content[1] - content[0]
        if covered >= 0.8 * length:
            return "direct"
        return "mixed" if covered > 0 else "indirect"

    def cue_verb(self, verb: Token) -> list[Candidate]:
        lemma = verb.lemma_.lower()
        if verb.dep_ == "amod" or any(c.dep_ == "auxpass" for c in verb.children):
            return []
        subject = subject_of(verb) or self.fallback_subject(verb)
        if subject is not None and subject.lower_ in ("that", "which"):
            return []
        if subject is not None and subject.lower_ == "it":
            subject = None if lemma in ("show", "find", "learn") else subject
        quoted = None if lemma in CONTENT_ONLY_WITH_CLAUSE else self.adjacent_quote(verb)
        colon = None if quoted or lemma in CONTENT_ONLY_WITH_CLAUSE else self.after_colon(verb)
        content = quoted or colon
        score = 0.8
        if content is None:
            content = self.clausal_content(verb)
            score = 0.7
        if content is None and lemma not in CONTENT_ONLY_WITH_CLAUSE:
            content = self.after_comma(verb)
            score = 0.5
        if content is None and lemma in XCOMP_CUES:
            content = self.infinitive_content(verb)
            score = 0.55
        if content is None:
            return []
        source = source_range(self.text, subject) if subject is not None else None
        overlaps = source is not None and source[0] < content[1] and content[0] < source[1]
        if overlaps and not quoted:
            return []
        kind = "direct" if colon else self.content_kind(content)
        if subject is None:
            score -= 0.2
        return [Candidate(content, cue_range(verb), source, subject, kind, score)]

    def fallback_subject(self, verb: Token) -> Token | None:
        """A noun phrase alone between the start of the line and the cue, when the
        parser (misled by a headline without a full stop) gave the cue no subject."""
        line_start, _ = self.line_of(verb.idx)
        before = [t for t in self.doc[max(verb.i - 12, 0) : verb.i] if t.idx >= line_start]
        before = [t for t in before if not t.is_space]
        if not before or len(before) > 10 or before[0].idx != line_start:
            return None
        if any(t.pos_ in ("VERB", "AUX") or t.text in ",;:" for t in before):
            return None
        return next((t for t in before if t.pos_ in ("NOUN", "PROPN", "PRON")), None)

    def adjacent_quote(self, verb: Token) -> Range | None:
        """A quotation right before the cue's clause (`"…," she said`) or right after
        it (`she said: "…"`)."""
        sent = verb.sent
        for start, end in self.quotes_near(verb.idx - 60 - 1, verb.idx + 40 + 1):
            gap = self.text[end : verb.idx]
            closed = re.search(r"[,.!?…—-]\W{0,2}$", self.text[start:end]) or gap.startswith(",")
            opens = sent.start_char >= start - 3 or self.opens_line(start)
            clean_gap = not re.search(r"[\"“”.!?\n]|''", gap)
            if 0 <= verb.idx - end <= 60 and opens and closed and clean_gap:
                return start, self.continuation(end, sent.end_char)
            if 0 <= start - verb.idx <= 40:
                gap = self.text[verb.idx + len(verb) : start]
                if re.fullmatch(r"[^.!?\n\"“]*?[,:]\s*", gap):
                    return start, end
        return None

    def opens_line(self, offset: int) -> bool:
        return not self.text[self.line_of(offset)[0] : offset].strip()

    def continuation(self, end: int, sent_end: int) -> int:
        """`"A," she said. "B."`: the end of B when it follows on the same line (the
        content then covers both quotations): the first quotation from `end` on, when
        only spaces and dots come between the sentence's end and it."""
        at = bisect_left(self.quote_starts, end)
        reach = sent_end
        while reach < len(self.text) and self.text[reach] in " \t.":
            reach += 1
        if at == len(self.quotes) or self.quotes[at][0] > reach:
            return end
        next_end = self.quotes[at][1]
        after = self.text[next_end : next_end + 40].split("\n")[0]
        return end if CUE_AFTER.search(after) else next_end

    def after_colon(self, verb: Token) -> Range | None:
        """`He clarified: …`: the rest of the paragraph after a colon close to the cue."""
        for token in self.doc[verb.i + 1 : min(verb.i + 25, len(self.doc))]:
            if token.text == ":":
                between = self.doc[verb.i + 1 : token.i]
                if any(t.pos_ in ("VERB", "AUX") for t in between):
                    return None
                _, line_end = self.line_of(token.idx)
                return trimmed(self.text, token.idx + 1, line_end, " \t\r")
            if token.is_sent_end or token.text in ".!?\n" or token.dep_ == "ccomp":
                return None
        return None

    def clausal_content(self, verb: Token) -> Range | None:
        """The cue's clausal complement, or the clause it is a parenthetical of
        ("…, sources said")."""
        for child in verb.children:
            if child.dep_ == "ccomp":
                start, end = subtree_range(child)
                if child.i > verb.i:
                    mark = [c for c in child.lefts if c.dep_ == "mark"]
                    start = min([start, *(m.idx for m in mark)])
                    after = child.right_edge.i + 1
                    if after < verb.sent.end and self.doc[after].dep_ == "cc":
                        end = max(end, verb.sent.end_char)
                return self.clipped(start, end, verb)
        if verb.dep_ in ("parataxis", "ccomp") and verb.head != verb and verb.head.i < verb.i:
            own = {t.i for t in verb.subtree}
            tokens = [t for t in verb.head.subtree if t.i not in own and t.i < verb.left_edge.i]
            if tokens:
                return self.clipped(*token_range(tokens), verb)
        return None

    def infinitive_content(self, verb: Token) -> Range | None:
        """`vowed to keep the port closed`: the infinitive complement."""
        for child in verb.rights:
            if child.dep_ == "xcomp" and any(c.lower_ == "to" for c in child.lefts):
                return self.clipped(*subtree_range(child), verb)
        return None

    def after_comma(self, verb: Token) -> Range | None:
        """`He continued, the issue of …`: a clause after a comma right after the cue."""
        nxt = verb.i + 1
        if nxt >= len(self.doc) or self.doc[nxt].text != ",":
            return None
        rest = [t for t in self.doc[nxt + 1 : verb.sent.end]]
        if len(rest) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in rest):
            return None
        return self.clipped(rest[0].idx, verb.sent.end_char, verb)

    def clipped(self, start: int, end: int, verb: Token) -> Range | None:
        """Content kept within the line of its start, without the cue itself."""
        line_start, line_end = self.line_of(start)
        end = min(end, line_end)
        if start <= verb.idx < end and start < verb.idx:
            end = verb.idx if verb.idx > start else end
        span = trimmed(self.text, max(start, line_start), end)
        if span is None:
            return None
        return span if len(self.text[span[0] : span[1]].split()) >= 2 else None

    def according_to(self, according: Token) -> list[Candidate]:
        """`According to X, …` / `…, according to X`."""
        to = self.doc[according.i + 1]
        if to.lower_ != "to":
            return []
        objects = [c for c in to.children if c.dep_ == "pobj"] or [
            c for c in according.children if c.dep_ == "pobj"
        ]
        if not objects:
            return []
        source_head = objects[0]
        source = source_range(self.text, source_head, whole=False)
        sent = according.sent
        if according.idx - sent.start_char < sent.end_char - source[1]:
            content = self.clipped(source[1], sent.end_char, according)
        else:
            content = self.clipped(sent.start_char, according.idx, according)
        if content is None:
            return []
        cue = (according.idx, to.idx + len(to))
        return [Candidate(content, cue, source, source_head, self.content_kind(content), 0.75)]

    def name_colon(self, colon: Token) -> list[Candidate]:
        """`Sheikh Al-Khazali: The unity …`, `TAPPER: …` — a line opened by a short
        name (or noun phrase) and a colon."""
        line_start, line_end = self.line_of(colon.idx)
        before = self.line_tokens_before(colon, line_start, 7)
        if not before or len(before) > 6 or before[0].idx != line_start:
            return []
        if any(t.pos_ in ("VERB", "AUX") and not t.is_upper for t in before):
            return []
        names = [t for t in before if t.pos_ == "PROPN" or t.is_upper or t.ent_type_]
        if not names or before[-1] not in names:
            return []
        content = trimmed(self.text, colon.idx + 1, line_end, " \t\r")
        if content is None or len(self.text[content[0] : content[1]].split()) < 3:
            return []
        source = (before[0].idx, before[-1].idx + len(before[-1]))
        cue = (colon.idx, colon.idx + 1)
        return [Candidate(content, cue, source, before[-1], "direct", 0.6)]

    def line_tokens_before(self, token: Token, line_start: int, most: int) -> list[Token]:
        """The non-space tokens from `line_start` up to `token`, in order; only the
        last `most` of them (a longer list tells only that it is too long)."""
        found: list[Token] = []
        i = token.i - 1
        while i >= 0 and self.doc[i].idx >= line_start and len(found) < most:
            if not self.doc[i].is_space:
                found.append(self.doc[i])
            i -= 1
        return found[::-1]


def select(candidates: list[Candidate], first: list[Candidate] | None = None) -> list[Candidate]:
    """Keep non-overlapping attributions (a token plays one role in one attribution):
    all of `first`, then the candidates best score and longest content first; return
    them in text order."""
    kept: list[Candidate] = list(first or [])
    taken: Intervals[None] = Intervals(
        (s, e, None) for c in kept for s, e in filter(None, (c.content, c.cue, c.source))
    )

    def free(span: Range | None) -> bool:
        return span is None or not taken.overlapping(*span)

    ranked = sorted(candidates, key=lambda c: (-c.score, -(c.content[1] - c.content[0])))
    for cand in ranked:
        if free(cand.content) and free(cand.cue) and free(cand.source):
            kept.append(cand)
            for s, e in filter(None, (cand.content, cand.cue, cand.source)):
                taken.add(s, e, None)
    return sorted(kept, key=lambda c: c.content[0])


def find_attributions(doc: Doc, tagged: Sequence[Tagged] = ()) -> list[Candidate]:
    """The attributions of a parsed article: those the tagger found, then those the
    rules find that overlap none of them."""
    extractor = Extractor(doc)
    first = [extractor.from_tagger(*t) for t in tagged]
    return [extractor.source_on_one_line(c) for c in select(extractor.candidates(), first)]
