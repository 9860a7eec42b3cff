"""The self-contained HTML report: one file, no network, every article text escaped."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import urlsplit

import jinja2

from spinlens import __version__
from spinlens.attribution.report import speaker_shares, who_said_what
from spinlens.model import Article
from spinlens.persuasion import NAMES as PERSUASION_NAMES
from spinlens.render.marks import (
    REPORT_LAYERS,
    describe,
    marks_of,
    persuasion_class,
    segments,
    shown_layers,
    technique_class,
)
from spinlens.render.summaries import (
    claims_to_check,
    label_counts,
    persuasion_summary,
    technique_summary,
    top_mentions,
)
from spinlens.techniques import NAMES

TECHNIQUE_COLOURS = (
    "#ffb3ba",
    "#ffdfba",
    "#fff3a3",
    "#baffc9",
    "#bae1ff",
    "#e0bbff",
    "#ffc8dd",
    "#c9f2e7",
    "#f7d6a0",
    "#d4e09b",
    "#a9def9",
    "#f3c4fb",
    "#fde2e4",
    "#cde7b0",
)
"""One background per PTC technique, in the order of `NAMES`."""

ENTITY_COLOURS = {
    "PERSON": "#ffd6a5",
    "ORG": "#caffbf",
    "GPE": "#9bf6ff",
    "LOC": "#a0c4ff",
    "NORP": "#ffc6ff",
    "FAC": "#bdb2ff",
    "EVENT": "#fdffb6",
    "DATE": "#e5e5e5",
    "TIME": "#e5e5e5",
    "CARDINAL": "#f1e3d3",
    "QUANTITY": "#f1e3d3",
    "MONEY": "#d8f3dc",
    "PERCENT": "#f1e3d3",
    "ORDINAL": "#f1e3d3",
    "LAW": "#ffadad",
    "PRODUCT": "#cdb4db",
    "WORK_OF_ART": "#cdb4db",
    "LANGUAGE": "#bde0fe",
}

environment = jinja2.Environment(
    loader=jinja2.PackageLoader("spinlens", "render/templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def colour(label: str) -> str:
    """A stable pastel colour for any label."""
    if label in ENTITY_COLOURS:
        return ENTITY_COLOURS[label]
    hue = int(hashlib.sha256(label.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue} 80% 85%)"


def safe_url(url: str | None) -> str | None:
    """The URL if it may become a link (http/https only), else None."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


environment.filters["colour"] = colour
environment.filters["describe"] = describe
environment.filters["safe_url"] = safe_url
environment.filters["technique_class"] = technique_class
environment.filters["persuasion_class"] = persuasion_class


class HtmlWriter:
    """Writes one HTML report with a section per article, streamed. `taxonomy`:
    which technique layers to show (see `TAXONOMIES`)."""

    def __init__(self, stream: TextIO, taxonomy: str = "all"):
        self.stream = stream
        self.count = 0
        self.layers = shown_layers((*REPORT_LAYERS, "claims"), taxonomy)
        self.stream.write(
            environment.get_template("head.html.j2").render(
                version=__version__,
                created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                entity_colours=ENTITY_COLOURS,
                techniques=list(zip(NAMES, TECHNIQUE_COLOURS, strict=True)),
                persuasion=[(name, colour(name)) for name in PERSUASION_NAMES],
                layers=self.layers,
            )
        )

    def write(self, article: Article) -> None:
        self.count += 1
        template = environment.get_template("article.html.j2")
        self.stream.write(
            template.render(
                number=self.count,
                article=article,
                segments=segments(article.text, marks_of(article, self.layers)),
                layers=self.layers,
                persuasion=persuasion_summary(article) if "persuasion" in self.layers else None,
                entity_counts=label_counts(article, "entities").most_common(),
                top_entities=top_mentions(article),
                techniques=technique_summary(article),
                said=who_said_what(article),
                claims=claims_to_check(article),
                shares=speaker_shares(article),
            )
        )

    def close(self) -> None:
        self.stream.write(environment.get_template("foot.html.j2").render(count=self.count))
        self.stream.flush()
