"""Claims worth checking: scorer, quantities, speakers, CLI, exports and reports."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from spinlens.claims.component import sentence_speakers
from spinlens.claims.quantities import normalise_date, quantities_in, reference_date
from spinlens.claims.scorer import load_scorer
from spinlens.cli import main
from spinlens.evaluation.checkworthy import (
    classification,
    expected_calibration_error,
    ranking,
    roc_auc,
)
from spinlens.export import claim_rows
from spinlens.model import Article, Claim, Entity, Quantity, Quote, Sentence, Span, Speaker

REFERENCE_SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "checkworthy_score.py"
CHECKABLE = "The air strike killed 8 fighters and wounded 14 others near the border in 2017."
CHATTER = "Thank you very much, it is good to be here tonight."


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("2017", None, "2017"),
        ("late 2017", None, "2017"),
        ("March 2019", None, "2019-03"),
        ("the 1990s", None, "1990/1999"),
        ("a few days ago", datetime(2020, 1, 10), "2020-01-07"),
        ("Tuesday", datetime(2020, 1, 10), "2020-01-07"),
        ("last year", datetime(2020, 1, 10), "2019"),
        ("a few days ago", None, None),
        ("two weeks", datetime(2020, 1, 10), None),
        ("Tuesday", datetime(2026, 6, 9), "2026-06-09"),
        ("Monday", datetime(2026, 6, 9), "2026-06-08"),
    ],
)
def test_dates_are_normalised_to_the_precision_given(text, reference, expected):
    assert normalise_date(text, reference) == expected


def test_reference_date_from_iso_strings_only():
    assert reference_date("2026-04-01T08:00:00Z") == datetime(2026, 4, 1)
    assert reference_date("Mon, 02 Mar 2026") is None
    assert reference_date(None) is None


def test_quantities_numbers_money_percent_and_dates():
    text = "Officials said 8 fighters died and $3 billion, 50 percent more than in 2017, was lost."
    year = text.index("2017")
    dates = [Entity(year, year + 4, "DATE", "2017")]
    eight = text.index("8") + 1
    found = quantities_in(text, 0, len(text), dates, None, {eight: "fighters"})
    assert [(q.text, q.kind, q.value, q.unit) for q in found] == [
        ("8", "number", 8, "fighters"),
        ("$3 billion", "money", 3_000_000_000, "dollar"),
        ("50 percent", "percent", 50, None),
        ("2017", "date", "2017", None),
    ]
    assert all(text[q.start : q.end] == q.text for q in found)


def test_the_article_a_is_no_number_but_number_words_are():
    text = "He entered a plea and spent two years in a cell after a trump card."
    found = quantities_in(text, 0, len(text), [], None)
    assert [(q.text, q.value) for q in found] == [("two years", 2)]
    assert quantities_in("A key witness told a story.", 0, 27, [], None) == ()


def test_cardinals_quantulum_misses_are_kept():
    text = "The council voted 31 to 14 on Tuesday."
    cardinals = [Entity(text.index(n), text.index(n) + 2, "CARDINAL", n) for n in ("31", "14")]
    found = quantities_in(text, 0, len(text), cardinals, None)
    assert [(q.text, q.value) for q in found if q.kind == "number"] == [("31", 31), ("14", 14)]


def test_a_sentence_outside_every_attribution_has_no_speaker():
    text = (
        "He said that the army lost 8 men. The enemy fled in 2017.\n\nPrices rose by 5 percent.\n"
    )
    first = Sentence(0, text.index(".") + 1)
    second = Sentence(text.index("The enemy"), text.index("2017.") + 5)
    third = Sentence(text.index("Prices"), len(text) - 1)
    quote = Quote(
        0,
        first.end - 1,
        Span(text.index("the army"), first.end - 1),
        Span(3, 7),
        Span(0, 2),
        Speaker("Qais al-Khazali", "E1"),
    )
    speakers = sentence_speakers([first, second, third], [quote])
    assert speakers == [Speaker("Qais al-Khazali", "E1"), None, None]


def test_shipped_model_ranks_a_checkable_claim_above_chatter():
    scorer, version = load_scorer()
    probs = scorer.probabilities([CHECKABLE, CHATTER])
    assert version.startswith("checkworthy-minilm-")
    assert np.all((probs >= 0) & (probs <= 1))
    assert probs[0] > scorer.head.threshold > probs[1]
    again = scorer.probabilities([CHECKABLE, CHATTER])
    assert np.array_equal(probs, again)
    assert scorer.probabilities([]).shape == (0,)


def test_a_sentences_score_does_not_depend_on_the_others():
    scorer, _version = load_scorer()
    claim = "Unemployment fell to 3.9 percent in April, the lowest since 2000."
    others = ["What a day.", "The minister said that taxes rose by 12 percent last year."] * 20
    alone = scorer.probabilities([claim])[0]
    among = scorer.probabilities([*others, claim, "Thanks for reading!"])[len(others)]
    assert alone == among


def test_an_articles_sentences_are_scored_from_its_encoding():
    """In an article a sentence's score comes from the shared encoder's pass: an
    article of one sentence scores as the sentence alone, and an edit far away in a
    long article leaves a sentence's score as it was."""
    scorer, _version = load_scorer()
    (alone,) = scorer.encoder.encode([CHECKABLE])
    assert scorer.logits_in(alone, [(0, len(CHECKABLE))])[0] == scorer.logits([CHECKABLE])[0]
    filler = "".join(f"Officials met on day {n} to talk about the budget. " for n in range(60))
    text = filler + CHECKABLE + " " + filler
    edited = text.replace("Officials", "Ministers", 1) + "He said so. " * 30
    start = text.index(CHECKABLE)
    span = [(start, start + len(CHECKABLE))]
    before, after = scorer.encoder.encode([text, edited])
    assert scorer.logits_in(before, span) == scorer.logits_in(after, span)


def test_pipeline_claims_have_speaker_quantities_and_round_trip(pipeline):
    text = (
        "Strike on base\n\n"
        "Qais al-Khazali said on Tuesday that the American air strike killed 8 Iraqi "
        "fighters in Jurf al-Nasr. Iraq declared victory over ISIS in 2017.\n"
    )
    article = Article.create("strike", text, published="2024-02-09", language="en")
    [article] = pipeline([article])
    assert article.errors == []
    claims = article.layers["claims"]
    assert claims and all(isinstance(c, Claim) for c in claims)
    strike = next(c for c in claims if "killed 8" in text[c.start : c.end])
    assert strike.speaker is not None and "Khazali" in strike.speaker.name
    assert ("8", 8, "fighters") in [(q.text, q.value, q.unit) for q in strike.quantities]
    assert "2024-02-06" in [q.value for q in strike.quantities if q.kind == "date"]
    assert all(e.label not in ("DATE", "CARDINAL") for e in strike.entities)
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again.layers["claims"] == claims


def test_claims_score_command(tmp_path):
    source = tmp_path / "in.tsv"
    source.write_text(f"a\t{CHECKABLE}\n\nb\t{CHATTER}\nbroken line\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = CliRunner().invoke(main, ["claims", "score", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert "line 4" in result.output
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r[0], r[2]) for r in rows] == [("a", "1"), ("b", "0")]
    assert float(rows[0][1]) > float(rows[1][1])


def test_metrics():
    labels = np.array([1, 0, 1, 0, 0, 1])
    scores = np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
    assert roc_auc(scores, labels) == pytest.approx(5 / 9)
    result = classification(scores, (scores >= 0.5).astype(int), labels)
    assert (result["precision"], result["recall"]) == (round(2 / 3, 4), round(2 / 3, 4))
    groups = ["d1", "d1", "d1", "d2", "d2", "d2"]
    # d1 ranks 1,0,1 → AP (1 + 2/3)/2; d2 ranks 0,0,1 → AP 1/3
    assert ranking(scores, labels, groups)["map"] == round(((1 + 2 / 3) / 2 + 1 / 3) / 2, 4)
    assert expected_calibration_error(np.array([0.95, 0.05]), np.array([1, 0])) == 0.05


@pytest.mark.skipif(not REFERENCE_SCORER.exists(), reason="needs ../shared/eval")
def test_eval_claims_agrees_with_reference_scorer(tmp_path):
    items = [
        {"sentence_id": i, "label": label, "text": text}
        for i, (label, text) in enumerate(
            [
                (1, CHECKABLE),
                (0, CHATTER),
                (1, "Unemployment fell to 3.5 percent last year, the lowest since 1969."),
                (0, "Well, I think we should talk about that later."),
                (0, "The president visited the factory in Ohio in 2018."),
            ]
        )
    ]
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(items), encoding="utf-8")
    pred = tmp_path / "pred.tsv"
    result = CliRunner().invoke(
        main, ["eval", "claims", "--claimbuster", str(gold), "--pred-out", str(pred)]
    )
    assert result.exit_code == 0, result.output
    ours = json.loads(result.output.strip().splitlines()[-1])
    out = subprocess.run(
        [sys.executable, str(REFERENCE_SCORER), "--claimbuster", str(gold), "--pred", str(pred)],
        capture_output=True,
        text=True,
        check=True,
    )
    reference = json.loads(out.stdout.strip().splitlines()[-1])
    for key in ("precision", "recall", "f1", "accuracy", "roc_auc"):
        assert ours[key] == pytest.approx(reference[key], abs=1e-4)


def test_claim_rows_for_the_corpus_export():
    text = "Iraq declared victory over ISIS in 2017. Nothing else."
    article = Article.create("a1", text, source="Agency")
    article.layers["claims"] = [
        Claim(
            0,
            40,
            0.9,
            Speaker("Qais al-Khazali", "E1"),
            (Quantity(35, 39, "2017", "date", "2017"),),
        )
    ]
    [row] = list(claim_rows([article]))
    assert row["claim"] == text[:40]
    assert (row["speaker"], row["speaker_entity_id"], row["source"]) == (
        "Qais al-Khazali",
        "E1",
        "Agency",
    )
    assert json.loads(row["quantities"])[0]["value"] == "2017"


def test_export_claims_csv(tmp_path, pipeline):
    db = f"sqlite:///{tmp_path / 's.db'}"
    source = tmp_path / "strike.txt"
    source.write_text(CHECKABLE + "\n", encoding="utf-8")
    runner = CliRunner()
    assert (
        runner.invoke(
            main, ["analyze", str(source), "--db", db, "-o", str(tmp_path / "o.jsonl")]
        ).exit_code
        == 0
    )
    out = tmp_path / "claims.csv"
    result = runner.invoke(main, ["export", "--claims", "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and rows[0]["article_id"] == "strike"
    assert rows[0]["claim"] == CHECKABLE
