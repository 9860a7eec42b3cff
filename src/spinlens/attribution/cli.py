"""`spinlens eval attribution`: score the attribution component on brat gold (PolNeAR)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from spinlens.constants import DEFAULT_MODEL
from spinlens.evaluation.attribution import (
    quote_attributions,
    read_gold_dir,
    score,
    scorer_quote,
    text_dir,
)

if TYPE_CHECKING:
    from spinlens.attribution.tagger import SequenceTagger
    from spinlens.model import Article
    from spinlens.pipeline import Component


def analyse_gold_texts(
    folder: Path,
    ids: list[str],
    spacy_model: str,
    tagger: SequenceTagger | None = None,
    after: Sequence[Component] = (),
) -> list[Article]:
    """The gold articles (read as Python str, UTF-8) through spaCy and the encoder,
    entities and quotes (with `tagger`, or the shipped one), then `after` (which still
    sees the parse and the encoding)."""
    from spinlens.attribution.component import AttributionTagger, EntityLinker
    from spinlens.encoder import EncoderComponent, load_encoder
    from spinlens.model import Article
    from spinlens.pipeline import Pipeline
    from spinlens.pipeline.language import LanguageDetector
    from spinlens.pipeline.linguistic import SpacyAnnotator
    from spinlens.pipeline.parallel import Concurrently

    texts = text_dir(folder)
    articles = [
        Article.create(i, (texts / f"{i}.txt").read_text(encoding="utf-8"), language="en")
        for i in ids
    ]
    encoder, version = load_encoder()
    pipeline = Pipeline(
        [
            LanguageDetector(),  # keeps the given "en"
            Concurrently([SpacyAnnotator(spacy_model), EncoderComponent(encoder, version)]),
            EntityLinker(),
            AttributionTagger(tagger),
            *after,
        ]
    )
    for start in range(0, len(articles), 16):
        pipeline(articles[start : start + 16])
    return articles


@click.command("attribution")
@click.option(
    "--gold-dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="brat gold: DIR/attributions/*.ann and DIR/text/*.txt (or both in DIR).",
)
@click.option(
    "--pred-out", type=click.File("w", encoding="utf-8"), help="Write predictions (JSONL)."
)
@click.option("--spacy-model", default=DEFAULT_MODEL, show_default=True)
def evaluate_attribution(gold_dir: Path, pred_out: TextIO | None, spacy_model: str) -> None:
    """Attribution P/R/F1 (with and without source) and per-role soft/exact scores,
    as ../shared/eval/attribution_score.py computes them."""
    gold = read_gold_dir(gold_dir)
    if not gold:
        raise click.UsageError(f"no .ann files in {gold_dir}")
    articles = analyse_gold_texts(gold_dir, sorted(gold), spacy_model)
    pred = {}
    for article in articles:
        items = [q.to_dict() for q in article.layers.get("quotes", [])]
        pred[article.id] = quote_attributions(items)
        if pred_out is not None:
            scored = [scorer_quote(q) for q in items]
            pred_out.write(json.dumps({"id": article.id, "quotes": scored}) + "\n")
    result = score(gold, pred)
    click.echo(f"articles: {result['articles']}, gold attributions: {result['gold_attributions']}")
    for name in ("attribution", "attribution_with_source"):
        click.echo(f"{name:<26} F1 {result[name]['f1']:.4f}")
    for role in ("source", "cue", "content"):
        click.echo(f"role {role:<8} soft F1 {result[f'role_{role}_soft']['f1']:.4f}")
    click.echo(json.dumps(result))
