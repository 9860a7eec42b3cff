"""Markdown report. Every piece of article content is escaped, so that no
Markdown viewer renders it as live HTML, links or formatting."""

from __future__ import annotations

import re
from typing import TextIO

from spinlens.model import Article
from spinlens.render.html import top_mentions
from spinlens.render.marks import label_counts, marks_of, segments

PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&\"'=:$])")


def escape(text: str) -> str:
    """Backslash-escape every ASCII punctuation mark CommonMark could act on."""
    return PUNCTUATION.sub(r"\\\1", text)


class MarkdownWriter:
    """One Markdown section per article: metadata, annotated text, entity table."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, article: Article) -> None:
        self.stream.write("\n".join(markdown_lines(article)) + "\n\n")

    def close(self) -> None:
        self.stream.flush()


def markdown_lines(article: Article) -> list[str]:
    lines = [f"## {escape(article.title or article.id)}", ""]
    for key in ("id", "source", "author", "published", "url", "language"):
        value = getattr(article, key)
        if value:
            lines.append(f"- **{key}**: {escape(str(value))}")
    counts = label_counts(article, "entities")
    lines.append(f"- **sentences**: {len(article.layers.get('sentences', []))}")
    lines.append(
        "- **entities**: " + ", ".join(f"{label} {n}" for label, n in counts.most_common())
    )
    lines.append("")
    lines.append("Entity mentions are in bold, followed by their label in brackets.")
    lines.append("")
    lines.extend(annotated_paragraphs(article))
    mentions = top_mentions(article)
    if mentions:
        lines += ["", "| mention | label | times |", "|---|---|---|"]
        lines += [f"| {escape(text)} | {label} | {n} |" for text, label, n in mentions]
    return lines


def annotated_paragraphs(article: Article) -> list[str]:
    """The text, one paragraph a block, entity mentions as ``**text** [LABEL]``."""
    pieces = []
    for seg in segments(article.text, marks_of(article)):
        piece = escape(seg.text)
        if seg.marks and seg.text.strip():
            labels = "/".join(m.label for m in seg.marks)
            piece = f"**{piece}** \\[{labels}\\]"
        pieces.append(piece)
    paragraphs = re.split(r"\n\s*\n|\n", "".join(pieces))
    return [p.strip() + "\n" for p in paragraphs if p.strip()]
