"""The opt-in SemEval-2023 layers: features, heads, component, reports, evaluation."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from click.testing import CliRunner

from spinlens.cli import main
from spinlens.evaluation.semeval23 import read_labels, score
from spinlens.model import Article, Genre, Label, Persuasion, Sentence
from spinlens.persuasion import FRAMES, GENRES, NAMES
from spinlens.persuasion.component import PersuasionTagger
from spinlens.persuasion.features import NgramFeatures, char_ngrams, word_ngrams
from spinlens.persuasion.heads import LinearHead, PersuasionModel, load_semeval23
from spinlens.render import open_writer

REFERENCE_SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "semeval23_score.py"
SCHEMA = Path(__file__).resolve().parents[1] / "src" / "spinlens" / "schema" / "article.schema.json"


def test_char_ngrams_pad_words_and_lower_case():
    grams = list(char_ngrams("Ab  c"))
    assert grams[:3] == [" a", "ab", "b "]
    assert " ab " in grams and " c " in grams
    assert Counter(grams)[" c "] == 3  # the padded word itself, for n = 3, 4 and 5
    assert list(char_ngrams("")) == []


def test_word_ngrams_pair_words_within_a_line_only():
    grams = list(word_ngrams("The cat sat.\nOn mats"))
    assert grams == ["w the", "w cat", "w sat", "w the cat", "w cat sat", "w on", "w mats"] + [
        "w on mats"
    ]
    features = NgramFeatures({"w sat on": 0, "w cat sat": 1}, np.ones(2, np.float32))
    assert features.counts("The cat sat.\nOn mats") == Counter({1: 1})


def test_thresholds_by_language_and_a_saved_model_loads(tmp_path):
    model = toy_model()
    head = LinearHead(NAMES, model.techniques.weight, model.techniques.bias, np.full(23, 0.5))
    tuned = LinearHead(head.labels, head.weight, head.bias, head.threshold, {"fr": 0.3})
    assert tuned.cutoff("fr")[0] == pytest.approx(0.3) and tuned.cutoff("es")[0] == 0.5
    saved = PersuasionModel(model.features, model.genre, model.frames, tuned, "toy")
    saved.save(tmp_path)
    (tmp_path / "training.json").write_text('{"name": "toy"}', encoding="utf-8")
    loaded = load_semeval23(tmp_path)
    assert loaded.techniques.by_language == {"fr": pytest.approx(0.3)}
    assert loaded.frames.by_language == {} and loaded.version.startswith("toy-")
    assert loaded.features.vocabulary == model.features.vocabulary


def test_tfidf_weights_are_sublinear_and_unit_length():
    features = NgramFeatures({" a": 0, "ab": 1}, np.array([1.0, 2.0], np.float32))
    index, values = features.weights(Counter({0: 1, 1: np.e}))
    raw = np.array([1.0, 2.0 * 2.0])  # (1 + ln tf) * idf
    assert list(index) == [0, 1]
    assert values == pytest.approx(raw / np.linalg.norm(raw), rel=1e-5)
    assert features.weights(Counter())[0].size == 0


def toy_model() -> PersuasionModel:
    """Three words decide everything: 'satire' → satire genre, 'economy' → the
    Economic frame, 'traitors' → Name_Calling-Labeling."""
    vocabulary = {" sat": 0, " eco": 1, " tra": 2, " the": 3}
    features = NgramFeatures(vocabulary, np.ones(4, np.float32))
    genre_weight = np.zeros((4, 3), np.float32)
    genre_weight[0, 2] = 20.0
    frames_weight = np.zeros((4, len(FRAMES)), np.float32)
    frames_weight[1, 0] = 20.0
    technique_weight = np.zeros((4, len(NAMES)), np.float32)
    technique_weight[2, NAMES.index("Name_Calling-Labeling")] = 20.0
    return PersuasionModel(
        features,
        LinearHead(GENRES, genre_weight, np.array([1.0, 0.0, 0.0]), np.zeros(3)),
        LinearHead(FRAMES, frames_weight, np.full(len(FRAMES), -3.0), np.full(len(FRAMES), 0.5)),
        LinearHead(NAMES, technique_weight, np.full(len(NAMES), -3.0), np.full(len(NAMES), 0.5)),
        "toy",
    )


def test_component_sets_genre_frames_and_places_spans_on_sentences():
    text = "The economy grew.\n\nThey are traitors. The rest is calm.\nOnly traitors, all of them"
    article = Article.create("a", text)
    second, third = text.index("They"), text.index("Only")
    article.layers["sentences"] = [
        Sentence(0, 17),
        Sentence(second, second + 18),
        Sentence(second + 19, second + 35),
        Sentence(third, len(text)),
    ]
    PersuasionTagger(toy_model()).annotate(article)
    assert article.genre is not None and article.genre.label == "opinion"
    assert sum(article.genre.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert [f.label for f in article.frames] == ["Economic"]
    spans = article.layers["persuasion"]
    assert [(text[s.start : s.end], s.technique) for s in spans] == [
        ("They are traitors.", "Name_Calling-Labeling"),  # the sentence, not the paragraph
        ("Only traitors, all of them", "Name_Calling-Labeling"),  # one sentence: the line
    ]
    assert all(isinstance(s, Persuasion) and 0.5 <= s.score <= 1 for s in spans)


def test_genre_frames_and_persuasion_round_trip_and_match_the_schema():
    article = Article.create("r", "Hello there.\nMore text.")
    article.genre = Genre("satire", {"opinion": 0.1, "reporting": 0.1, "satire": 0.8})
    article.frames = [Label("Political", 0.7)]
    article.layers["persuasion"] = [Persuasion(0, 12, "Doubt", 0.6)]
    article.pipeline = {"version": "0.1.0+test", "components": ["semeval23@toy"]}
    data = article.to_dict()
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["genre"]["label"] == "satire" and data["frames"][0]["label"] == "Political"
    again = Article.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
    plain = Article.create("p", "Nothing opted in.").to_dict()
    assert "genre" not in plain and "frames" not in plain and "persuasion" not in plain


def test_shipped_model_reads_several_languages():
    model = load_semeval23()
    assert model.genre.labels == GENRES
    assert model.frames.labels == FRAMES and model.techniques.labels == NAMES
    tagger = PersuasionTagger(model)
    texts = {
        "en": "Corrupt traitors in Washington want to destroy our great nation.\n\n"
        "The economy shrank by two percent, the ministry said.",
        "fr": "Ces traîtres corrompus veulent détruire notre grande nation !",
        "ru": "Коррумпированные предатели хотят уничтожить нашу великую страну.",
    }
    for lang, text in texts.items():
        article = Article.create(lang, text, language=lang)
        tagger.annotate(article)
        assert article.genre is not None and article.genre.label in GENRES
        for span in article.layers["persuasion"]:
            assert 0 <= span.start < span.end <= len(text)
            assert span.technique in NAMES  # type: ignore[attr-defined]


def test_reports_show_the_taxonomy_chosen():
    text = "They are traitors <b>all</b>.\nThe economy grew."
    article = Article.create("h", text)
    PersuasionTagger(toy_model()).annotate(article)
    html = render(article, "html", "semeval23")
    assert "Genre, frames and persuasion" in html and "Propaganda techniques</h2>" not in html
    assert "<b>all</b>" not in html and "&lt;b&gt;all&lt;/b&gt;" in html
    assert "Genre, frames and persuasion" not in render(article, "html", "ptc")
    markdown = render(article, "md", "all")
    assert "- **genre** (SemEval-2023): opinion" in markdown
    assert "| Name calling / labeling |" in markdown and "<b>" not in markdown


def render(article: Article, fmt: str, taxonomy: str) -> str:
    import io

    buffer = io.StringIO()
    writer = open_writer(fmt, buffer, taxonomy)
    writer.write(article)
    writer.close()
    return buffer.getvalue()


def test_metrics_as_the_task_defines_them():
    gold = {("1",): {"opinion"}, ("2",): {"satire"}, ("3",): {"reporting"}}
    pred = {("1",): {"opinion"}, ("2",): {"opinion"}, ("3",): {"reporting"}}
    result = score("genre", gold, pred)
    # opinion P 1/2 R 1 F 2/3; satire 0; reporting 1 → macro (0.6667 + 0 + 1) / 3
    assert result["primary"] == round((0.6667 + 0 + 1) / 3, 4)
    with pytest.raises(ValueError, match="no prediction"):
        score("framing", gold, {})


def split_folder(root: Path) -> Path:
    """A small split in the release's layout, two languages' worth of text."""
    articles = root / "articles"
    articles.mkdir(parents=True)
    texts = {
        "1": "Les traîtres ont vendu le pays.\n\nL'économie est en ruine, disent-ils.\n",
        "2": "Der Minister sagte am Dienstag, die Wirtschaft wachse.\nMehr folgt.\n",
        "3": "Traitors sold the country!\n\nThe economy, they say, is ruined.\n",
    }
    for key, text in texts.items():
        (articles / f"article{key}.txt").write_text(text, encoding="utf-8")
    (root / "genre.tsv").write_text("1\topinion\n2\treporting\n3\tsatire\n", encoding="utf-8")
    (root / "framing.tsv").write_text(
        "1\tEconomic,Political\n2\tEconomic\n3\tPolitical\n", encoding="utf-8"
    )
    (root / "techniques-paragraphs.tsv").write_text(
        "1\t1\tName_Calling-Labeling,Loaded_Language\n1\t3\t\n2\t1\t\n2\t2\t\n"
        "3\t1\tName_Calling-Labeling\n3\t3\tDoubt\n",
        encoding="utf-8",
    )
    return root


def run_eval(split: Path, out: Path, lang: str) -> list[str]:
    """`spinlens eval semeval23` on a split; its output lines."""
    args = ["eval", "semeval23", "--lang", lang, "--split-dir", str(split), "--pred-dir", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()


def test_eval_semeval23_scores_and_writes_predictions(tmp_path):
    split = split_folder(tmp_path / "split")
    out = tmp_path / "pred"
    lines = run_eval(split, out, "fr")
    assert lines[0].startswith("model semeval23-")
    tasks = [json.loads(line) for line in lines[1:]]
    assert [t["task"] for t in tasks] == ["genre", "framing", "techniques"]
    paragraphs = read_labels(out / "techniques-paragraphs.tsv", 2)
    assert set(paragraphs) == set(read_labels(split / "techniques-paragraphs.tsv", 2))


@pytest.mark.skipif(not REFERENCE_SCORER.exists(), reason="needs ../shared/eval")
def test_eval_semeval23_agrees_with_reference_scorer(tmp_path):
    split = split_folder(tmp_path / "split")
    out = tmp_path / "pred"
    ours = [json.loads(line) for line in run_eval(split, out, "en")[1:]]
    for task, name in (
        ("genre", "genre.tsv"),
        ("framing", "framing.tsv"),
        ("techniques", "techniques-paragraphs.tsv"),
    ):
        run = subprocess.run(
            [sys.executable, str(REFERENCE_SCORER), task, "--gold", str(split / name)]
            + ["--pred", str(out / name)],
            capture_output=True,
            text=True,
            check=True,
        )
        reference = json.loads(run.stdout.strip().splitlines()[-1])
        mine = next(t for t in ours if t["task"] == task)
        for key in ("primary", "micro_f1", "macro_f1"):
            assert mine[key] == reference[key]


def test_eval_semeval23_needs_an_articles_folder(tmp_path):
    result = CliRunner().invoke(
        main, ["eval", "semeval23", "--lang", "en", "--split-dir", str(tmp_path)]
    )
    assert result.exit_code == 2 and "articles" in result.output


def test_research_models_are_opt_in(pipeline, tmp_path, monkeypatch):
    from spinlens.config import load_settings

    assert not any(c.startswith("semeval23@") for c in pipeline.info["components"])
    assert load_settings().research_models is False
    monkeypatch.setenv("SPINLENS_RESEARCH_MODELS", "yes")
    assert load_settings().research_models is True
    monkeypatch.setenv("SPINLENS_RESEARCH_MODELS", "maybe")
    with pytest.raises(ValueError, match="research_models must be true or false"):
        load_settings()
    monkeypatch.delenv("SPINLENS_RESEARCH_MODELS")
    source = tmp_path / "story.txt"
    source.write_text("Traitors sold the country!\n\nThe economy is ruined.\n", encoding="utf-8")
    skip = ["--without", "techniques", "--without", "claims", "--without", "quotes"]
    base = ["analyze", str(source), "--no-store", "--workers", "1", *skip]
    plain = CliRunner().invoke(main, base)
    opted = CliRunner().invoke(main, [*base, "--research-models"])
    assert plain.exit_code == 0 and opted.exit_code == 0, opted.output
    assert "genre" not in json.loads(plain.stdout)
    result = json.loads(opted.stdout)
    assert result["genre"]["label"] in GENRES and "persuasion" in result
    assert any(c.startswith("semeval23@semeval23-") for c in result["pipeline"]["components"])


def test_corpus_filters_by_genre_frame_and_persuasion(tmp_path):
    from spinlens.store import Store
    from spinlens.web.queries import Filters, QueryError, filter_options, list_articles

    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    articles = []
    for key, genre in (("x", "satire"), ("y", "reporting")):
        article = Article.create(key, f"Story {key}. They are traitors.", language="en")
        article.genre = Genre(genre, {g: 1.0 if g == genre else 0.0 for g in GENRES})
        article.frames = [Label("Political", 0.9)] if key == "x" else []
        article.layers["persuasion"] = [Persuasion(9, 27, "Name_Calling-Labeling", 0.8)]
        articles.append(article)
    store.save(articles)
    ids = lambda **f: [r["article_id"] for r in list_articles(store, Filters.of(f)).rows]  # noqa: E731
    assert ids(genre="satire") == ["x"]
    assert ids(frame="Political") == ["x"]
    assert sorted(ids(persuasion="Name_Calling-Labeling")) == ["x", "y"]
    assert ids(genre="reporting", frame="Political") == []
    with pytest.raises(QueryError, match="unknown genre"):
        list_articles(store, Filters.of({"genre": "poetry"}))
    options = filter_options(store)
    assert dict(options["genres"]) == {"reporting": 1, "satire": 1}
    assert dict(options["persuasion"]) == {"Name_Calling-Labeling": 2}
    store.close()


def test_workspace_shows_and_filters_the_semeval23_layers(tmp_path, pipeline):
    from fastapi.testclient import TestClient

    from spinlens.store import Store
    from spinlens.web.app import create_app

    article = Article.create("s1", "They are traitors <script>x()</script>.\nThe economy grew.")
    PersuasionTagger(toy_model()).annotate(article)
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    store.save([article])
    app = create_app(store, pipeline_factory=lambda: pipeline, token=None)
    with TestClient(app) as client:
        page = client.get("/articles/s1").text
        assert "Genre, frames and persuasion" in page and 'id="show-persuasion"' in page
        assert 'class="pers p18 sb-' in page and "<script>x()" not in page
        corpus = client.get("/", params={"persuasion": "Name_Calling-Labeling"}).text
        assert 'name="persuasion"' in corpus and "1 article match" in corpus
        assert client.get("/api/articles", params={"frame": "Economic"}).json()["total"] == 1
        assert client.get("/api/articles", params={"genre": "poetry"}).status_code == 422
        report = client.get("/api/reports/s1", params={"taxonomy": "semeval23"}).text
        assert "Genre, frames and persuasion" in report
    store.close()
