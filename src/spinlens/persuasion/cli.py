"""`spinlens eval semeval23`: the SemEval-2023 model scored on a split folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from spinlens.evaluation.semeval23 import (
    GOLD_FILES,
    KEY_COLUMNS,
    Labels,
    paragraph_number,
    read_labels,
    score,
    write_labels,
)

if TYPE_CHECKING:
    from spinlens.persuasion.component import PersuasionTagger


def predict_split(tagger: PersuasionTagger, articles: Path, lang: str) -> dict[str, Labels]:
    """Genre, frames and paragraph techniques of every `article<ID>.txt` in a folder."""
    from spinlens.model import Article

    predicted: dict[str, Labels] = {task: {} for task in GOLD_FILES}
    for path in sorted(articles.glob("article*.txt")):
        article_id = path.stem.removeprefix("article")
        article = Article.create(article_id, path.read_text(encoding="utf-8"), language=lang)
        tagger.annotate(article)
        assert article.genre is not None
        predicted["genre"][(article_id,)] = {article.genre.label}
        predicted["framing"][(article_id,)] = {frame.label for frame in article.frames}
        lines = predicted["techniques"]
        for number, line in enumerate(article.text.split("\n"), 1):
            if line.strip():
                lines[(article_id, str(number))] = set()
        for span in article.layers["persuasion"]:
            key = (article_id, str(paragraph_number(article.text, span.start)))
            lines.setdefault(key, set()).add(span.technique)  # type: ignore[attr-defined]
    return predicted


@click.command("semeval23")
@click.option("--lang", required=True, help="Language of the split (en, fr, ge, it, po, ru, …).")
@click.option(
    "--split-dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder with articles/ and any of genre.tsv, framing.tsv, techniques-paragraphs.tsv.",
)
@click.option(
    "--pred-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the predictions there, one file per task, in the gold files' format.",
)
def evaluate_semeval23(lang: str, split_dir: Path, pred_dir: Path | None) -> None:
    """Score the SemEval-2023 model (research use only: running this command is
    opting in) on a split: genre macro-F1, framing and paragraph-technique
    micro-F1, as ../shared/eval/semeval23_score.py computes them. Prints one JSON
    object per task that has a gold file."""
    from spinlens.persuasion.component import PersuasionTagger
    from spinlens.persuasion.heads import load_semeval23

    articles = split_dir / "articles"
    if not articles.is_dir():
        raise click.UsageError(f"{articles} is not a folder")
    model = load_semeval23()
    predicted = predict_split(PersuasionTagger(model), articles, lang)
    click.echo(f"model {model.version}, {lang}, {len(predicted['genre'])} articles")
    if pred_dir is not None:
        pred_dir.mkdir(parents=True, exist_ok=True)
    for task, name in GOLD_FILES.items():
        gold_path = split_dir / name
        gold = read_labels(gold_path, KEY_COLUMNS[task]) if gold_path.exists() else None
        labels = predicted[task]
        if gold is not None:
            labels = {key: labels.get(key, set()) for key in gold}
        if pred_dir is not None:
            write_labels(pred_dir / name, {k: sorted(v) for k, v in labels.items()})
        if gold is not None:
            click.echo(json.dumps(score(task, gold, labels)))
