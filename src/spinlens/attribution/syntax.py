"""Syntax helpers of the attribution rules: ranges of tokens and subtrees, the cue's
extent, its subject, and the source's noun phrase."""

from __future__ import annotations

from spacy.tokens import Token

from spinlens.attribution.lexicon import ORG_NOUNS

Range = tuple[int, int]


def trimmed(text: str, start: int, end: int, punct: str = " \t\r\n,;:.—–-") -> Range | None:
    """The range without surrounding white space and clause punctuation."""
    while start < end and text[start] in punct:
        start += 1
    while end > start and text[end - 1] in punct:
        end -= 1
    return (start, end) if end > start else None


def token_range(tokens: list[Token]) -> Range:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def subtree_range(token: Token) -> Range:
    return token.left_edge.idx, token.right_edge.idx + len(token.right_edge)


def cue_range(verb: Token) -> Range:
    """The cue verb with its adjacent auxiliaries and negation before it ("has learned")
    and its particle after it ("pointed out")."""
    start = verb
    while start.i > 0:
        prev = verb.doc[start.i - 1]
        if prev.head == verb and prev.dep_ in ("aux", "auxpass", "neg"):
            start = prev
        else:
            break
    end = verb
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == end.i + 1:
            end = child
    return start.idx, end.idx + len(end)


def subject_of(verb: Token) -> Token | None:
    """The subject of the verb, or of the verb it is coordinated with or attached to
    ("mentioned … and said that", "…, adding that")."""
    token: Token | None = verb
    for _ in range(3):
        if token is None:
            return None
        for child in token.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if token.dep_ in ("conj", "advcl", "xcomp") and token.head != token:
            token = token.head
        else:
            return None
    return None


def named_before(verb: Token) -> Token | None:
    """The last person named before the cue in its sentence, with no verb between,
    when the parser gave the cue no subject ("Sheikh X, Secretary General of Y, during
    his speech, addressed …"); not a body the tagger took for a person."""
    for token in reversed(verb.doc[verb.sent.start : verb.i]):
        if token.pos_ in ("VERB", "AUX"):
            return None
        if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
            name = verb.doc[token.i : verb.i]
            ent = next((e for e in verb.doc.ents if e.start == token.i), None)
            name = ent if ent is not None else name
            if not {t.lemma_.lower() for t in name} & ORG_NOUNS:
                return name.root
    return None


def source_range(text: str, head: Token, whole: bool = True) -> Range:
    """The subject's noun phrase with its appositives and relative clauses (as PolNeAR
    marks sources); only up to the first comma when not `whole`."""
    tokens = [t for t in head.subtree]
    cut = [] if whole else [t.i for t in tokens if t.i > head.i and t.text in (",", "(", "—")]
    if cut:
        tokens = [t for t in tokens if t.i < min(cut)]
    start, end = token_range(tokens)
    return trimmed(text, start, end, " ,\"“”'") or (start, end)
