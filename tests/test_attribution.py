"""Quote attribution, entity canonicalisation, the quotes layer in JSON and reports,
and the attribution scorer."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from spinlens.attribution.embedded import with_reporters
from spinlens.attribution.entities import cluster_entities, name_key
from spinlens.attribution.report import covered, speaker_shares
from spinlens.cli import main
from spinlens.evaluation.attribution import (
    quote_attributions,
    read_ann,
    read_gold_dir,
    score,
    scorer_quote,
)
from spinlens.model import Article, Entity, Quote, Span, Speaker
from spinlens.pipeline.linguistic import DEFAULT_MODEL, load_spacy
from spinlens.render.html import HtmlWriter
from spinlens.render.markdown import markdown_lines

REFERENCE_SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "attribution_score.py"

TEXT = (
    "Port stays shut\n"
    "\n"
    '"We will not be bullied back to work," said Marta Kolar, head of the union.\n'
    "Transport minister Daniel Okafor visited the harbour on Monday.\n"
    "He added that the government would not intervene in the dispute.\n"
    "Mayor Lena Brandt spoke to reporters. She clarified: The bridge stays closed. "
    "Repairs start next week.\n"
    "According to the harbour authority, the port lost two million euros.\n"
    "The strike will spread to other ports, sources said.\n"
)


@pytest.fixture(scope="module")
def article(pipeline) -> Article:
    return pipeline([Article.create("port", TEXT)])[0]


def said(article: Article, quote: Quote, part: str) -> str | None:
    span = getattr(quote, part)
    return article.text[span.start : span.end] if span else None


def find(article: Article, content_start: str) -> Quote:
    for quote in article.layers["quotes"]:
        assert isinstance(quote, Quote)
        if said(article, quote, "content").startswith(content_start):  # type: ignore[union-attr]
            return quote
    raise AssertionError(f"no attribution of {content_start!r}")


def test_direct_quote(article):
    quote = find(article, '"We will not')
    assert quote.kind == "direct"
    assert said(article, quote, "cue") == "said"
    assert said(article, quote, "source") == "Marta Kolar, head of the union"
    assert quote.speaker is not None and quote.speaker.name == "Marta Kolar"
    assert quote.speaker.entity_id is not None


def test_indirect_with_pronoun_resolved(article):
    quote = find(article, "that the government")
    assert quote.kind == "indirect"
    assert said(article, quote, "source") == "He"
    assert said(article, quote, "cue") == "added"
    assert quote.speaker is not None and quote.speaker.name == "Daniel Okafor"


def test_colon_statement_runs_to_the_end_of_the_line(article):
    quote = find(article, "The bridge stays closed")
    content = said(article, quote, "content")
    assert content is not None
    assert content.rstrip(".") == "The bridge stays closed. Repairs start next week"
    assert quote.kind == "direct"
    assert said(article, quote, "cue") == "clarified:"  # PolNeAR keeps the colon
    assert quote.speaker is not None and quote.speaker.name == "Lena Brandt"


def test_according_to_and_sources_said(article):
    quote = find(article, "the port lost")
    assert said(article, quote, "cue") == "According to"
    assert said(article, quote, "source") == "the harbour authority"
    sources = find(article, "The strike will spread")
    assert said(article, sources, "source") == "sources"
    assert sources.speaker == Speaker("sources", None, "unresolved", 0.0)
    assert not sources.speaker.resolved


def test_no_content_crosses_a_line(article):
    for quote in article.layers["quotes"]:
        assert "\n" not in said(article, quote, "content")  # type: ignore[operator]


def test_canonicalises_transliteration_variants():
    names = [
        ("Sheikh Qais Al-Khazali", "PERSON"),
        ("al-Khazali", "PERSON"),
        ("Jaraf al-Nasr", "GPE"),
        ("Jurf al-Nasr", "GPE"),
        ("Asa’ib Ahl al-Haq", "ORG"),
        ("Asaib Ahl al-Haq", "ORG"),
        ("Iraq", "GPE"),
        ("Iran", "GPE"),
    ]
    text = " ".join(n for n, _ in names)
    entities, pos = [], 0
    for name, label in names:
        start = text.index(name, pos)
        entities.append(Entity(start, start + len(name), label, name))
        pos = start + len(name)
    linked, clusters = cluster_entities(entities)
    ids = [e.entity_id for e in linked]
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[4] == ids[5]
    assert len({ids[0], ids[2], ids[4], ids[6], ids[7]}) == 5
    assert linked[1].canonical == "Qais Al-Khazali"
    assert len(clusters) == 5
    assert name_key("Sheikh “Qais Al-Khazali”", "PERSON") == ("qais", "khazali")


def test_a_title_split_from_its_name_joins_it():
    text = "Sheikh “Qais Al-Khazali” spoke. Sheikh Naim Qassem did not. Sheikh “Qassem”."
    entities = [
        Entity(0, 6, "PERSON", "Sheikh"),
        Entity(8, 23, "PERSON", "Qais Al-Khazali"),
        Entity(39, 45, "PERSON", "Sheikh"),
        Entity(60, 66, "PERSON", "Sheikh"),
        Entity(68, 74, "PERSON", "Qassem"),
    ]
    assert text[8:23] == "Qais Al-Khazali" and text[68:74] == "Qassem"
    linked, _ = cluster_entities(entities)
    ids = [e.entity_id for e in linked]
    assert ids[0] == ids[1] and ids[3] == ids[4]
    assert len({ids[1], ids[2], ids[4]}) == 3


def test_attributions_inside_reported_speech_are_by_the_reporter():
    doc = load_spacy(DEFAULT_MODEL)(
        "Daniel Okafor spoke on Monday.\n"
        "He added that the port would reopen. Everyone knows that the strike failed. "
        "The union, which says it won, disagrees.\nOfficials want a deal.\n"
        "Okafor said the talks failed. Lena Brandt said they went well. Many hope they resume."
    )
    text = doc.text
    okafor = Speaker("Daniel Okafor", "E1")
    brandt = Speaker("Lena Brandt", "E2")

    def quote(source: str, cue: str, content: str, speaker: Speaker) -> Quote:
        starts = (text.rindex(source), text.index(cue), text.index(content))
        spans = [Span(i, i + len(p)) for i, p in zip(starts, (source, cue, content), strict=True)]
        return Quote(
            min(s.start for s in spans),
            max(s.end for s in spans),
            spans[2],
            spans[1],
            spans[0],
            speaker,
        )

    quotes = [
        quote("He", "added", "that the port would reopen", okafor),
        quote("Everyone", "knows", "that the strike failed", Speaker("Everyone")),
        quote("which", "says", "it won", Speaker("The union")),
        quote("Officials", "want", "a deal", Speaker("Officials")),
        quote("Okafor", "said", "the talks failed", okafor),
        quote("Lena Brandt", "said they", "they went well", brandt),
        quote("Many", "hope", "they resume", Speaker("Many")),
    ]
    reporters = [q.reported_by for q in with_reporters(doc, quotes)]
    assert reporters == [None, okafor, okafor, None, None, None, brandt]


def test_a_speakers_share_counts_each_character_once():
    text = "He said that the port is shut, which the union says hurts. " * 2
    okafor = Speaker("Daniel Okafor", "E1")
    outer = Quote(0, 57, Span(8, 57), Span(3, 7), Span(0, 2), okafor)
    inner = Quote(
        31, 57, Span(52, 57), Span(47, 51), Span(31, 36), Speaker("union"), "indirect", 0.5, okafor
    )
    article = Article.create("shares", text)
    article.layers["quotes"] = [outer, inner]
    assert speaker_shares(article) == [("Daniel Okafor", (57 - 8) / len(text))]
    assert covered([(0, 4), (2, 6), (10, 12)]) == 8


def test_every_entity_gets_an_id(article):
    entities = article.layers["entities"]
    assert entities and all(e.entity_id and e.canonical for e in entities)


def test_json_round_trip(article):
    data = json.loads(json.dumps(article.to_dict()))
    assert data["quotes"] and {"content", "cue", "source", "speaker", "kind", "score"} <= set(
        data["quotes"][0]
    )
    again = Article.from_dict(data)
    assert again.layers["quotes"] == article.layers["quotes"]
    assert again.layers["entities"] == article.layers["entities"]
    assert again.to_dict() == data


def test_old_results_without_new_fields_load():
    old = {
        "id": "a",
        "text": "Ann Lee",
        "entities": [{"start": 0, "end": 7, "label": "PERSON", "text": "Ann Lee"}],
        "quotes": [{"content": {"start": 0, "end": 3}}],
    }
    article = Article.from_dict(old)
    assert article.layers["entities"][0] == Entity(0, 7, "PERSON", "Ann Lee")
    assert "entity_id" not in article.to_dict()["entities"][0]
    quote = article.layers["quotes"][0]
    assert isinstance(quote, Quote) and quote.content == Span(0, 3) and quote.speaker is None


def test_reports_show_who_said_what(article):
    stream = io.StringIO()
    writer = HtmlWriter(stream)
    writer.write(article)
    writer.close()
    html = stream.getvalue()
    assert "Who said what" in html and "Daniel Okafor" in html
    markdown = "\n".join(markdown_lines(article))
    assert "### Who said what" in markdown and "Share of the article" in markdown


ANN = (
    "T1\tSource 0 3\tAnn\n"
    "T2\tCue 4 8\tsaid\n"
    "T3\tContent 9 20;21 30\tit was late and\nmore text\n"
    "T4\tAttribution 4 8\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tContent 40 60\tsomething else here\n"
    "T6\tCue 61 65\tsaid\n"
    "T7\tAttribution-no-source 61 65\tsaid\n"
    "E2\tAttribution-no-source:T7 Content:T5 Cue:T6\n"
)
PRED = [
    {
        "content": {"start": 9, "end": 30},
        "cue": {"start": 4, "end": 8},
        "source": {"start": 0, "end": 3},
    },
    {"content": {"start": 40, "end": 50}, "cue": None, "source": {"start": 70, "end": 75}},
    {"content": {"start": 80, "end": 90}, "cue": None, "source": None},
]
PRED_PARTS = [{**PRED[0], "content_parts": [{"start": 9, "end": 20}, {"start": 21, "end": 30}]}]
"""The first prediction as a result gives it: its content in two pieces, as in the gold."""


def write_gold(folder: Path) -> Path:
    (folder / "attributions").mkdir(parents=True)
    (folder / "attributions" / "doc.ann").write_text(ANN, encoding="utf-8")
    return folder


def test_brat_reader_handles_discontinuous_and_wrapped_spans(tmp_path):
    gold = read_ann(write_gold(tmp_path) / "attributions" / "doc.ann")
    assert len(gold) == 2
    assert gold[0]["content"] == frozenset(range(9, 20)) | frozenset(range(21, 30))
    assert "source" not in gold[1]


def test_metrics_on_a_tiny_file(tmp_path):
    gold = read_gold_dir(write_gold(tmp_path))
    result = score(gold, {"doc": quote_attributions(PRED)})
    assert result["attribution"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8}
    assert result["attribution_with_source"]["recall"] == 0.5
    assert result["role_cue_exact"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}


@pytest.mark.skipif(not REFERENCE_SCORER.exists(), reason="../shared not available")
def test_agrees_with_the_reference_scorer(tmp_path):
    gold_dir = write_gold(tmp_path / "gold")
    pred_path = tmp_path / "pred.jsonl"
    scored = [scorer_quote(q) for q in PRED_PARTS]
    pred_path.write_text(json.dumps({"id": "doc", "quotes": scored}) + "\n", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            str(REFERENCE_SCORER),
            "--gold-dir",
            str(gold_dir / "attributions"),
            "--pred",
            str(pred_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    reference = json.loads(run.stdout.strip().splitlines()[-1])
    ours = score(read_gold_dir(gold_dir), {"doc": quote_attributions(PRED_PARTS)})
    assert ours == reference and ours["role_content_exact"]["recall"] == 0.5


def test_eval_attribution_runs_the_real_pipeline_on_gold_texts(tmp_path):
    """`spinlens eval attribution` builds its own pipeline over the gold texts: it must
    pass the pipeline's order check and find the quote."""
    gold = write_gold(tmp_path / "gold")
    text = '"The port stays shut," said Marta Kolar, the union leader, on Monday.'
    (gold / "doc.txt").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "attribution", "--gold-dir", str(gold)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1])["attribution"]
