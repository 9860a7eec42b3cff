"""Which technique marks a reader sees: clean edges, calibrated scores, the default
display threshold, `--min-score` and the reports' score filter."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from spinlens.cli import main
from spinlens.model import Article, Technique
from spinlens.render import open_writer
from spinlens.techniques.component import load_heads
from spinlens.techniques.display import STEPS, above, default_min_score, step_of
from spinlens.techniques.predict import clean_edges

TEXT = (
    "They hate anti-Semitism and the utterly barbaric and completely insane Zionists, and the"
    " losses of"
)


@pytest.mark.parametrize(
    ("piece", "mark"),
    [
        ("Semitism", "anti-Semitism"),  # hyphenated words whole
        ("and the utterly", "the utterly barbaric"),  # no leading "and"; intensifier takes its word
        ("completely", "completely insane"),
        ("barbaric and", "barbaric"),  # no trailing conjunction
        ("Zionists, and the", "Zionists"),
        ("the losses of", "the losses"),
        ("of", ""),
        ("and the", ""),
    ],
)
def test_marks_start_and_end_on_whole_meaningful_words(piece, mark):
    at = TEXT.index(piece)
    start, end = clean_edges(TEXT, at, at + len(piece))
    assert TEXT[start:end] == mark


def test_a_mark_ending_on_a_sides_adjective_takes_in_what_it_qualifies():
    text = "American criminals and the North Korean regime"
    assert clean_edges(text, 0, 8) == (0, len("American criminals"))
    at = text.index("North")
    assert text[slice(*clean_edges(text, at, at + len("North Korean")))] == "North Korean regime"


def test_shipped_model_is_calibrated_with_a_display_threshold():
    heads, _version = load_heads()
    assert heads.calibration is not None and heads.calibration.shape == (14, 3)
    assert default_min_score() in STEPS and 0 < default_min_score() < 1
    low, high = heads.calibrated(0, 0.2, 0.3), heads.calibrated(0, 0.9, 0.9)
    assert 0 < low < high < 1


def article() -> Article:
    a = Article(id="a", text="barbaric criminals lie")
    a.layers["techniques"] = [
        Technique(0, 8, "Loaded_Language", 0.81),
        Technique(9, 18, "Name_Calling,Labeling", 0.12),
    ]
    return a


def test_above_keeps_marks_at_or_over_the_minimum():
    kept = above(article(), 0.5)
    assert [t.score for t in kept.spans(Technique)] == [0.81]
    assert len(article().spans(Technique)) == 2  # the article itself is untouched
    assert step_of(0.12) == 2 and step_of(0.81) == 16 and step_of(0.0) == 0


def written(fmt: str, min_score: float | None) -> str:
    out = io.StringIO()
    writer = open_writer(fmt, out, "all", min_score)
    writer.write(article())
    writer.close()
    return out.getvalue()


def test_data_formats_keep_every_mark_unless_asked():
    assert len(json.loads(written("jsonl", None))["techniques"]) == 2
    assert len(json.loads(written("jsonl", 0.5))["techniques"]) == 1
    assert written("ptc", 0.5).count("\n") == 1


def test_markdown_shows_marks_from_the_display_threshold():
    md = written("md", None)
    assert "barbaric" in md and "Name calling" not in md
    assert "1 below it are in the JSON output" in md
    assert "Name calling" in written("md", 0.1)


def test_html_report_has_a_score_filter_starting_at_the_threshold():
    html = written("html", None)
    default = step_of(default_min_score())
    assert f'id="min-score-{default}" checked' in html
    assert 'sb-16"' in html and 'sb-2"' in html  # every mark is there, the filter hides
    assert f"body:has(#min-score-{default}:checked) .text span.tech:is(" in html
    filtered = written("html", 0.5)
    assert 'sb-2"' not in filtered and 'id="min-score-10" checked' in filtered


def test_min_score_option_is_on_analyze_show_and_export():
    for command in ("analyze", "show", "export"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert "--min-score" in result.stdout
    bad = CliRunner().invoke(main, ["show", "x", "--min-score", "2"])
    assert bad.exit_code == 2


def test_a_sides_name_alone_is_never_a_mark():
    import numpy as np

    from spinlens.encoder import Encoding
    from spinlens.sides import View
    from spinlens.techniques import NAMES
    from spinlens.techniques.heads import TechniqueHeads
    from spinlens.techniques.predict import predict_spans

    text = "the Americans and the barbaric regime"
    words = [(0, 3), (4, 13), (14, 17), (18, 21), (22, 30), (31, 37)]
    hot = {1, 4}  # "Americans", "barbaric"
    vectors = np.array([[4.0 if i in hot else -4.0, 0.0] for i in range(len(words))], np.float32)
    heads = TechniqueHeads(
        np.array([1.0, 0.0], np.float32),
        np.zeros(1, np.float32),
        np.zeros((8, len(NAMES)), np.float32),
        np.zeros(len(NAMES), np.float32),
    )
    found = predict_spans(heads, text, Encoding(vectors, np.array(words), View(text)))
    assert {text[t.start : t.end] for t in found} == {"barbaric"}
