"""Attributions embedded in someone's reported speech.

In "He added that the Americans do not want to leave. Everyone knows that Iraq won.",
"everyone knows" is an attribution of its own (PolNeAR marks it so), but it is said by
him. A speech attribution with a resolved speaker claims the rest of its paragraph,
from its content on; every attribution in that stretch (the latest stretch it starts
in, when speakers follow each other in a paragraph) whose cue is not itself a
speech cue, or whose source is a relative pronoun ("the army, which claims …", the
reporting speaker's description), gets `reported_by` that speaker.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from spinlens.attribution.lexicon import RELATIVE_PRONOUNS, SPEECH_VERBS
from spinlens.model import Quote, Span, Speaker
from spinlens.textspans import Intervals


def is_speech(doc: Doc, text: str, cue: Span | None) -> bool:
    """Whether the cue reports speech: a speech verb, "according to" or a colon
    (`text`: the doc's text, which `doc.text` would join anew from every token)."""
    if cue is None:
        return False
    words = text[cue.start : cue.end].strip().lower()
    if words in (":", "according to"):
        return True
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    return span is not None and any(t.lemma_.lower() in SPEECH_VERBS for t in span)


def with_reporters(doc: Doc, quotes: list[Quote]) -> list[Quote]:
    """The quotes, those inside another speaker's reported speech with `reported_by`."""
    text = doc.text
    speech = [is_speech(doc, text, q.cue) for q in quotes]
    stretches: Intervals[Speaker] = Intervals()
    for quote, spoken in zip(quotes, speech, strict=True):
        if spoken and quote.speaker is not None and quote.speaker.entity_id is not None:
            line_end = text.find("\n", quote.content.end)
            end = len(text) if line_end < 0 else line_end
            stretches.add(quote.content.start, end, quote.speaker)
    out = []
    for quote, spoken in zip(quotes, speech, strict=True):
        source = text[quote.source.start : quote.source.end] if quote.source else ""
        own = spoken and source.lower() not in RELATIVE_PRONOUNS
        around = [(start, who) for start, _, who in stretches.containing(quote.start)]
        holder = None if own or not around else max(around, key=lambda s: s[0])[1]
        out.append(replace(quote, reported_by=holder) if holder != quote.speaker else quote)
    return out
