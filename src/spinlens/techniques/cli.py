"""`spinlens techniques classify` and `spinlens eval ptc`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, TextIO

import click

from spinlens.evaluation.ptc import (
    Label,
    format_labels,
    read_articles,
    read_labels,
    span_scores,
    tc_scores,
)
from spinlens.textspans import lines_within

CHUNK = 16
"""Articles encoded at a time (token vectors are large; memory stays flat)."""


def read_inputs(articles: str, spans: str) -> tuple[list[Label], dict[str, str]]:
    try:
        labels = read_labels(spans)
        return labels, read_articles(articles, sorted({label[0] for label in labels}))
    except (OSError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc


def run_model(
    texts: dict[str, str], labels: list[Label], detect: bool
) -> Iterator[tuple[list[Label], list[Label]]]:
    """Per chunk of articles: (techniques for the given spans, detected spans)."""
    from spinlens.model import Span, Technique
    from spinlens.techniques.component import load_model
    from spinlens.techniques.predict import predict_spans, predict_techniques_for

    encoder, heads, _version = load_model()
    by_article: dict[str, list[Label]] = defaultdict(list)
    for label in labels:
        by_article[label[0]].append(label)
    ids = sorted(texts)
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        encodings = dict(zip(chunk, encoder.encode([texts[a] for a in chunk]), strict=True))
        given = [label for aid in chunk for label in by_article[aid]]
        classified = predict_techniques_for(heads, encodings, given)
        detected: list[Label] = []
        if detect:
            for aid in chunk:
                lines = [Span(s, e) for s, e in lines_within(texts[aid], 0, len(texts[aid]))]
                found: list[Technique] = predict_spans(heads, texts[aid], encodings[aid], lines)
                detected += [(aid, t.technique, t.start, t.end) for t in found]
        yield classified, detected


@click.group()
def techniques() -> None:
    """Propaganda techniques (PTC taxonomy, 14 techniques)."""


@techniques.command()
@click.option("--articles", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--spans", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default="-", type=click.File("w", encoding="utf-8"))
def classify(articles: str, spans: str, output: TextIO) -> None:
    """Name the technique of given spans (PTC format: ID, technique-or-?, START, END;
    offsets into ARTICLES/article<ID>.txt). Writes the same lines, technique predicted."""
    labels, texts = read_inputs(articles, spans)
    predicted: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for classified, _ in run_model(texts, labels, detect=False):
        for aid, tech, start, end in classified:
            predicted[(aid, start, end)].append(tech)
    for aid, _tech, start, end in labels:
        output.write(format_labels([(aid, predicted[(aid, start, end)].pop(0), start, end)]))


@click.group("eval")
def evaluate() -> None:
    """Score the shipped models against gold labels."""


@evaluate.command("ptc")
@click.option("--articles", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--labels", "labels_path", required=True, type=click.Path(exists=True))
@click.option("--pred-out", type=click.File("w", encoding="utf-8"), help="Write detected spans.")
def evaluate_ptc(articles: str, labels_path: str, pred_out: TextIO | None) -> None:
    """SI F1, TC micro-F1 and span+technique (FLC) F1 on the articles named in LABELS,
    as ../shared/eval/ptc_score.py computes them."""
    gold, texts = read_inputs(articles, labels_path)
    classified: list[Label] = []
    detected: list[Label] = []
    for tc_chunk, si_chunk in run_model(texts, gold, detect=True):
        classified += tc_chunk
        detected += si_chunk
    if pred_out is not None:
        pred_out.write(format_labels(detected))
    result: dict[str, Any] = {
        "articles": len(texts),
        "si": span_scores(detected, gold, by_technique=False),
        "tc": tc_scores(classified, gold),
        "flc": span_scores(detected, gold, by_technique=True),
    }
    click.echo(f"articles: {len(texts)}, gold spans: {len(gold)}")
    click.echo(f"span identification (SI)  F1 {result['si']['f1']:.4f}")
    click.echo(f"technique classification  micro-F1 {result['tc']['micro_f1']:.4f}")
    click.echo(f"span + technique (FLC)    F1 {result['flc']['f1']:.4f}")
    click.echo(json.dumps(result))
