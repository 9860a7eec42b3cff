"""The offsets contract: spans are Python str indices into the text exactly as read,
results round-trip through JSON, and JSON Lines output follows the schema."""

from __future__ import annotations

import hashlib
import io
import json
from importlib import resources

import jsonschema
import pytest

from spinlens.model import Article, Entity, Sentence
from spinlens.readers import read_paths
from spinlens.render import JsonLinesWriter


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(
        resources.files("spinlens").joinpath("schema/article.schema.json").read_text("utf-8")
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def violations(article: Article) -> list[str]:
    out = []
    for layer, spans in article.layers.items():
        for span in spans:
            if not 0 <= span.start < span.end <= len(article.text):
                out.append(f"{layer}: bad range {span}")
            if isinstance(span, Entity) and article.text[span.start : span.end] != span.text:
                out.append(f"{layer}: text mismatch {span}")
    return out


def test_every_span_is_inside_the_text(analysed):
    for article in analysed:
        assert article.layers["sentences"], article.id
        assert violations(article) == [], article.id
    assert sum(len(a.layers["entities"]) for a in analysed) >= 10


def test_sentences_are_ordered_trimmed_and_disjoint(analysed):
    for article in analysed:
        previous_end = 0
        for sentence in article.layers["sentences"]:
            assert isinstance(sentence, Sentence)
            piece = article.text[sentence.start : sentence.end]
            assert piece == piece.strip() and piece
            assert sentence.start >= previous_end
            previous_end = sentence.end


def test_astral_combining_and_bom_do_not_shift_offsets(analysed):
    article = next(a for a in analysed if a.id == "emoji")
    assert article.text.startswith("\ufeff")
    found = {(e.text, e.start) for e in article.layers["entities"]}
    for name in ("Angela Merkel", "Emmanuel Macron", "Berlin", "Joe Biden", "Washington"):
        assert (name, article.text.index(name)) in found, name
    starts = [article.text[s.start : s.end] for s in article.layers["sentences"]]
    assert "Zoë and Cafe\u0301 owner 𝔅ob Smith watched from Berlin." in starts


def test_offsets_of_a_text_file_with_bom_and_crlf(tmp_path, pipeline):
    path = tmp_path / "crlf-story.txt"
    raw = (
        "\ufeffBank holds rates\r\n\r\n"
        "The central bank in Frankfurt kept rates.\r\nMarkets rose.\r\n"
    )
    path.write_bytes(raw.encode("utf-8"))
    [article] = pipeline(list(read_paths([str(path)])))
    assert article.text == raw
    assert violations(article) == []
    pieces = [raw[s.start : s.end] for s in article.layers["sentences"]]
    assert pieces == [
        "\ufeffBank holds rates",
        "The central bank in Frankfurt kept rates.",
        "Markets rose.",
    ]
    assert any(e.text == "Frankfurt" for e in article.layers["entities"])


def test_sha256_is_of_the_utf8_text(analysed):
    for article in analysed:
        expected = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        assert article.to_dict()["sha256"] == expected


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_round_trip_through_json_is_identical(analysed, ensure_ascii):
    for article in analysed:
        data = article.to_dict()
        again = Article.from_dict(json.loads(json.dumps(data, ensure_ascii=ensure_ascii)))
        assert again.to_dict() == data
        assert again.layers == article.layers
        assert all(type(s) is Entity for s in again.layers["entities"])


def test_round_trip_keeps_unknown_fields_and_layers():
    data = Article.create("x", "Some text.", title="T").to_dict()
    data["x_future_layer"] = [{"start": 0, "end": 4, "label": "something"}]
    data["x_score"] = {"spin": 0.5}
    again = Article.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
    assert again.extra == {"x_future_layer": data["x_future_layer"], "x_score": {"spin": 0.5}}


def test_create_rejects_unknown_metadata():
    with pytest.raises(TypeError, match="unknown article field"):
        Article.create("x", "text", headline="nope")


def test_jsonl_output_validates_against_the_schema(analysed, validator):
    stream = io.StringIO()
    writer = JsonLinesWriter(stream)
    for article in analysed:
        writer.write(article)
    writer.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == len(analysed)
    for line, article in zip(lines, analysed, strict=True):
        obj = json.loads(line)
        validator.validate(obj)
        assert obj["text"] == article.text
        assert obj["pipeline"]["components"]


def test_schema_rejects_a_broken_object(analysed, validator):
    obj = analysed[0].to_dict()
    obj["entities"] = [{"start": -1, "end": 2, "label": "X", "text": "ab"}]
    assert not validator.is_valid(obj)
    del obj["entities"]
    assert not validator.is_valid(obj)
