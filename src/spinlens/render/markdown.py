"""Markdown report. Every piece of article content is escaped, so that no
Markdown viewer renders it as live HTML, links or formatting."""

from __future__ import annotations

import re
from collections import Counter
from typing import TextIO

from spinlens.attribution.report import who_said_what
from spinlens.claims.layer import claims_to_check
from spinlens.layers import title
from spinlens.model import Article, Entity, Persuasion, Technique
from spinlens.persuasion.layer import persuasion_summary
from spinlens.pipeline.layers import named_first, top_mentions
from spinlens.render.marks import marks_of, segments, shown_layers
from spinlens.render.spool import Spool
from spinlens.techniques.display import above, default_min_score
from spinlens.techniques.layer import technique_summary
from spinlens.textspans import excerpt

PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&\"'=:$])")


def escape(text: str) -> str:
    """Backslash-escape every ASCII punctuation mark CommonMark could act on."""
    return PUNCTUATION.sub(r"\\\1", text)


class MarkdownWriter:
    """One Markdown section per article: metadata, annotated text, entity table;
    a report of several articles opens with their table of contents (the sections
    are spooled until `close`). `taxonomy`: which technique layers to show (see
    `TAXONOMIES`)."""

    def __init__(self, stream: TextIO, taxonomy: str = "all", min_score: float | None = None):
        self.stream = stream
        self.layers = shown_layers(("techniques", "persuasion"), taxonomy)
        self.min_score = default_min_score() if min_score is None else min_score
        self.sections = Spool()
        self.titles: list[str] = []

    def write(self, article: Article) -> None:
        self.titles.append(article.title or article.id)
        shown = above(article, self.min_score)
        lines = markdown_lines(shown, self.layers)
        hidden = len(article.spans(Technique)) - len(shown.spans(Technique))
        if hidden and "techniques" in self.layers:
            lines.insert(2, f"- **technique marks shown**: scores of {self.min_score:.2f} or more "
                         f"({hidden} below it are in the JSON output)")  # fmt: skip
        self.sections.write("\n".join(lines) + "\n\n")

    def close(self) -> None:
        if len(self.titles) > 1:
            self.stream.write("\n".join(contents_lines(self.titles)) + "\n\n")
        self.sections.copy_to(self.stream)
        self.stream.flush()


def contents_lines(titles: list[str]) -> list[str]:
    """A numbered list of the sections, each linked to its heading's anchor as
    GitHub and most Markdown viewers derive it (lower case, punctuation dropped,
    spaces as hyphens, ``-1``, ``-2``… on repeats)."""
    seen: Counter[str] = Counter(["contents"])  # the heading of the list itself
    lines = ["## Contents", ""]
    for n, text in enumerate(titles, 1):
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        anchor = f"{slug}-{seen[slug]}" if seen[slug] else slug
        seen[slug] += 1
        lines.append(f"{n}. [{escape(text)}](#{anchor})")
    return lines


def markdown_lines(
    article: Article, layers: tuple[str, ...] = ("techniques", "persuasion")
) -> list[str]:
    lines = [f"## {escape(article.title or article.id)}", ""]
    for key in ("id", "source", "author", "published", "url", "language"):
        value = getattr(article, key)
        if value:
            lines.append(f"- **{key}**: {escape(str(value))}")
    summary = technique_summary(article)
    labels = Counter(e.label for e in article.spans(Entity))
    entities = sorted(labels.items(), key=lambda kv: named_first(*kv))
    lines.append(f"- **sentences**: {summary.sentences}")
    lines.append("- **entities**: " + ", ".join(f"{label} {n}" for label, n in entities))
    if "techniques" in layers:
        counts = ", ".join(f"{escape(title(name))} {n}" for name, n in summary.counts)
        lines.append(
            f"- **propaganda techniques**: {summary.sentences_with_technique} of "
            f"{summary.sentences} sentences ({100 * summary.share:.0f} %)"
            + (f"; {counts}" if counts else "")
        )
    if "persuasion" in layers:
        lines += persuasion_header(article)
    if "techniques" in layers:
        lines += [
            "",
            "Passages using a technique are in bold, the technique and the model's "
            "confidence follow in brackets.",
        ]
    lines.append("")
    lines.extend(annotated_paragraphs(article, "techniques" in layers))
    spans = sorted(article.spans(Technique), key=lambda s: (s.start, s.end))
    if spans and "techniques" in layers:
        lines += ["", "| technique | confidence | passage |", "|---|---|---|"]
        lines += [
            f"| {escape(title(s.technique))} | {s.score:.2f} | "
            f"{escape(article.text[s.start : s.end])} |"
            for s in spans
        ]
    if "persuasion" in layers:
        lines += persuasion_lines(article)
    lines += said_lines(article)
    lines += claim_lines(article)
    mentions = top_mentions(article)
    if mentions:
        lines += ["", "| entity | label | times |", "|---|---|---|"]
        lines += [f"| {escape(text)} | {label} | {n} |" for text, label, n in mentions]
    return lines


def annotated_paragraphs(article: Article, techniques: bool = True) -> list[str]:
    """The text, one paragraph a block, technique passages in bold with
    ``[Technique 0.83]`` after each (plain text when `techniques` is off)."""
    marks = marks_of(article, ["techniques"]) if techniques else []
    pieces = []
    for seg in segments(article.text, marks):
        piece = escape(seg.text)
        if seg.marks:
            piece = "\n".join(map(embolden, piece.split("\n")))
        ends = [m for m in seg.marks if m.end == seg.start + len(seg.text)]
        for mark in ends:
            piece += f" \\[{escape(mark.tag or mark.label)} {mark.score or 0:.2f}\\]"
        pieces.append(piece)
    paragraphs = re.split(r"\n\s*\n|\n", "".join(pieces))
    return [p.strip() + "\n" for p in paragraphs if p.strip()]


def persuasion_header(article: Article) -> list[str]:
    """Genre, frames and the count of each persuasion technique (SemEval-2023)."""
    summary = persuasion_summary(article)
    if summary is None:
        return []
    scores = ", ".join(f"{name} {p:.2f}" for name, p in summary.genre.scores.items())
    frames = ", ".join(f"{escape(f.label)} {f.score:.2f}" for f in summary.frames) or "none"
    counts = ", ".join(f"{escape(title(name))} {n}" for name, n in summary.counts) or "none"
    return [
        f"- **genre** (SemEval-2023): {summary.genre.label} ({scores})",
        f"- **frames**: {frames}",
        f"- **persuasion techniques**: {summary.paragraphs_with_technique} of "
        f"{summary.paragraphs} paragraphs; {counts}",
    ]


def persuasion_lines(article: Article) -> list[str]:
    """The persuasion passages, with the paragraph each is in."""
    spans = article.spans(Persuasion)
    if not spans:
        return []
    lines = ["", "### Persuasion techniques (SemEval-2023)", ""]
    lines += ["| technique | probability | paragraph | passage |", "|---|---|---|---|"]
    lines += [
        f"| {escape(title(s.technique))} | {s.score:.2f} | "
        f"{paragraph_number(article.text, s.start)} | "
        f"{escape(excerpt(article.text[s.start : s.end], 160))} |"
        for s in spans
    ]
    return lines


def embolden(line: str) -> str:
    """Bold the content of a line, keeping its surrounding spaces outside the markers."""
    core = line.strip()
    if not core:
        return line
    lead = line[: len(line) - len(line.lstrip())]
    trail = line[len(line.rstrip()) :]
    return f"{lead}**{core}**{trail}"


def said_lines(article: Article) -> list[str]:
    """The "Who said what" table, by speaker, and each speaker's share of the text."""
    speakers = who_said_what(article)
    if not speakers:
        return []
    lines = ["", "### Who said what", "", "| speaker | what was said | direct or reported |"]
    lines.append("|---|---|---|")
    lines += [
        f"| {escape(s.shown)} | {escape(q.text)} | {q.kind} |" for s in speakers for q in s.quotes
    ]
    shares = "; ".join(f"{escape(s.shown)} {100 * s.share:.0f} %" for s in speakers)
    lines += ["", f"Share of the article's text: {shares}."]
    return lines


def claim_lines(article: Article) -> list[str]:
    """The "Claims to check" table, most check-worthy first, with where each is."""
    claims = claims_to_check(article)
    if not claims:
        return []
    lines = [
        "",
        "### Claims to check",
        "",
        "| # | score | speaker | claim | quantities | paragraph |",
    ]
    lines.append("|---|---|---|---|---|---|")
    for rank, claim in enumerate(claims, 1):
        quantities = escape(", ".join(claim.quantities))
        lines.append(
            f"| {rank} | {claim.score:.2f} | {escape(claim.speaker or '')} | "
            f"{escape(claim.text)} | {quantities} | {paragraph_number(article.text, claim.start)} |"
        )
    return lines


def paragraph_number(text: str, offset: int) -> int:
    """1-based number, among non-blank lines (the blocks `annotated_paragraphs`
    prints), of the line holding `offset`."""
    return sum(1 for line in text[:offset].split("\n")[:-1] if line.strip()) + 1
