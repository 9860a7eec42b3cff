"""`spinlens claims score` and `spinlens eval claims`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

if TYPE_CHECKING:
    import numpy as np

    from spinlens.claims.scorer import ClaimScorer
    from spinlens.evaluation.checkworthy import Gold

CHUNK = 32
"""Consecutive sentences scored together (the same file always gets the same scores)."""
DECIMALS = 6
"""Scores are written, and evaluated, with this many decimals."""


def score_all(scorer: ClaimScorer, sentences: list[str]) -> np.ndarray:
    """Calibrated probabilities, in chunks of consecutive sentences."""
    import numpy as np

    parts = [
        scorer.probabilities(sentences[i : i + CHUNK]) for i in range(0, len(sentences), CHUNK)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)


def read_tsv(source: TextIO) -> Iterator[tuple[int, str, str | None]]:
    """(line number, key, sentence or None when the line is malformed); blank lines skipped."""
    for number, line in enumerate(source, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        key, tab, sentence = line.partition("\t")
        yield number, key, sentence if tab else None


@click.group()
def claims() -> None:
    """Check-worthy claims."""


@claims.command("score")
@click.argument("input_file", metavar="INPUT.tsv", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", default="-", type=click.File("w", encoding="utf-8"))
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help="Label 1 from this score (default: the model's).",
)
def score(input_file: TextIO, output: TextIO, threshold: float | None) -> None:
    """Score sentences for check-worthiness. INPUT lines: KEY <TAB> SENTENCE; output
    lines: KEY <TAB> SCORE <TAB> LABEL (0/1), SCORE a calibrated probability."""
    from spinlens.claims.scorer import load_scorer

    rows = list(read_tsv(input_file))
    bad = [(n, k) for n, k, s in rows if s is None]
    for number, _ in bad:
        click.echo(f"line {number}: expected KEY<TAB>SENTENCE; skipped", err=True)
    good = [(k, s) for _, k, s in rows if s is not None]
    scorer, _version = load_scorer()
    cut = scorer.head.threshold if threshold is None else threshold
    probs = score_all(scorer, [s for _, s in good])
    for (key, _), p in zip(good, probs, strict=True):
        output.write(f"{key}\t{p:.{DECIMALS}f}\t{int(p >= cut)}\n")
    if bad:
        raise click.exceptions.Exit(1)


@click.command("claims")
@click.option("--claimbuster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--clef", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pred-out", type=click.File("w", encoding="utf-8"), help="Write KEY SCORE LABEL.")
def evaluate_claims(claimbuster: Path | None, clef: Path | None, pred_out: TextIO | None) -> None:
    """Score the shipped claim model on ClaimBuster JSON (F1 of the check-worthy class,
    ROC AUC, calibration error) or CLEF 2019 CSV (MAP over debates), as
    ../shared/eval/checkworthy_score.py computes them."""
    from spinlens.claims.scorer import load_scorer
    from spinlens.evaluation.checkworthy import (
        classification,
        expected_calibration_error,
        ranking,
        read_claimbuster,
        read_clef,
    )

    if (claimbuster is None) == (clef is None):
        raise click.UsageError("give exactly one of --claimbuster and --clef")
    try:
        gold: Gold = read_claimbuster(claimbuster) if claimbuster else read_clef(clef)  # type: ignore[arg-type]
    except (OSError, ValueError, KeyError) as exc:
        raise click.UsageError(f"cannot read gold: {exc}") from exc
    scorer, version = load_scorer()
    probs = score_all(scorer, gold.texts)
    predicted = (probs >= scorer.head.threshold).astype(int)
    if pred_out is not None:
        for key, p, label in zip(gold.keys, probs, predicted, strict=True):
            pred_out.write(f"{key}\t{p:.{DECIMALS}f}\t{label}\n")
    if claimbuster:
        result = classification(probs, predicted, gold.labels)
        result["ece"] = expected_calibration_error(probs, gold.labels)
    else:
        result = ranking(probs, gold.labels, gold.groups)
    click.echo(f"model {version}, {len(gold.texts)} sentences")
    click.echo(json.dumps(result))
