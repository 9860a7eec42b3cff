"""The technique layer: encoder windows, heads, prediction and the PTC metrics."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from spinlens.encoder import LONGEST, Encoding, chunks
from spinlens.evaluation.ptc import read_labels, span_scores, tc_scores
from spinlens.model import Article, Technique
from spinlens.sides import View, neutral_view
from spinlens.techniques import NAMES, TECHNIQUES
from spinlens.techniques.component import load_model
from spinlens.techniques.heads import TechniqueHeads
from spinlens.techniques.predict import predict_spans, predict_techniques_for
from spinlens.textspans import word_bounds

REFERENCE_SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ptc_score.py"


def test_fourteen_techniques_with_definitions():
    assert len(NAMES) == 14
    assert all(TECHNIQUES[name].endswith(".") for name in NAMES)


def toy_sentences(n_sentences: int, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    """Token ids of sentences of 5 to 40 tokens, and the sentence ends."""
    rng = np.random.default_rng(seed)
    ids, ends = [], []
    for _ in range(n_sentences):
        ids += rng.integers(1000, 30000, rng.integers(5, 41)).tolist()
        ends.append(len(ids))
    return np.asarray(ids, np.int64), ends[:-1]


@pytest.mark.parametrize("n_sentences", [1, 5, 40, 300])
def test_chunks_cover_every_token_once(n_sentences):
    ids, ends = toy_sentences(n_sentences)
    found = chunks(ids, ends)
    assert found[0][0] == 0 and found[-1][1] == len(ids)
    for (_start, end), (next_start, _end) in zip(found, found[1:], strict=False):
        assert end == next_start
    assert all(0 < end - start <= LONGEST for start, end in found)


@pytest.mark.parametrize("seed", range(5))
def test_an_edit_moves_the_chunks_around_it_only(seed):
    """Tokens inserted in one sentence shift the chunks after it by the same count once
    the chain falls back in step: the text after the edit is cut where it was cut."""
    ids, ends = toy_sentences(300, seed)
    at = ends[20] - 2
    edited = np.concatenate([ids[:at], [7, 8, 9], ids[at:]])
    moved = [b + 3 if b > at else b for b in ends]
    before = chunks(ids, ends)
    after = {(s - 3, e - 3) for s, e in chunks(edited, moved) if s > at + 2 * LONGEST}
    later = [c for c in before if c[0] > at + 2 * LONGEST]
    assert later and set(later) <= after


def test_token_range_maps_characters_to_tokens():
    offsets = np.array([[0, 3], [4, 9], [10, 12]])
    enc = Encoding(np.zeros((3, 2), np.float32), offsets, View("abc defgh ij"))
    assert enc.token_range(4, 9) == (1, 2)
    assert enc.token_range(2, 11) == (0, 3)
    assert enc.token_range(3, 4) == (1, 1)


def test_word_bounds_widen_to_whole_words():
    text = "the barbaric Zionists, he said"
    assert word_bounds(text, 6, 10) == (4, 12)
    assert word_bounds(text, 4, 21) == (4, 21)


def toy_heads(threshold: float = 0.5) -> TechniqueHeads:
    """Heads whose token probability is the first vector component (as a logit)."""
    dim = 2
    token_w = np.array([1.0, 0.0], np.float32)
    span_w = np.zeros((2 * dim + 4, len(NAMES)), np.float32)
    span_b = np.full(len(NAMES), -3.0, np.float32)
    span_b[NAMES.index("Loaded_Language")] = 2.0
    span_b[NAMES.index("Name_Calling,Labeling")] = 1.0
    return TechniqueHeads(token_w, np.zeros(1, np.float32), span_w, span_b, threshold, 0.6)


def toy_encoding(text: str, hot_words: set[str]) -> Encoding:
    offsets, vectors = [], []
    position = 0
    for word in text.split(" "):
        offsets.append([position, position + len(word)])
        vectors.append([4.0 if word.strip(",.\n") in hot_words else -4.0, 0.0])
        position += len(word) + 1
    return Encoding(np.array(vectors, np.float32), np.array(offsets), View(text))


def test_predict_spans_runs_of_hot_tokens_with_two_techniques():
    text = "They are barbaric criminals and liars, he said."
    spans = predict_spans(toy_heads(), text, toy_encoding(text, {"barbaric", "criminals", "liars"}))
    found = {(s.start, s.end, s.technique) for s in spans}
    assert (9, 27, "Loaded_Language") in found
    assert (9, 27, "Name_Calling,Labeling") in found
    assert (32, 38, "Loaded_Language") in found  # toy tokens keep the comma
    assert all(0 < s.score <= 1 for s in spans)


def test_detected_spans_never_cross_a_line_break():
    text = "barbaric enemy\n\ncriminal regime"
    spans = predict_spans(toy_heads(), text, toy_encoding(text, {"barbaric", "enemy", "criminal"}))
    assert spans and all("\n" not in text[s.start : s.end] for s in spans)


def test_spans_of_function_words_only_are_dropped():
    text = "Then the land was sold, but and so of the rest NO one objected."
    hot = {"the", "land", "and", "of", "NO"}
    spans = predict_spans(toy_heads(), text, toy_encoding(text, hot))
    found = {text[s.start : s.end] for s in spans}
    assert found == {"the land", "NO"}  # not "and", not "of the"; capitals are emphasis


@pytest.mark.parametrize(
    ("passage", "kept"),
    [
        ("it's", False),
        ("'and'", False),
        ("", False),
        ("I don't", True),
        ("our", True),
        ("never", True),
        ("What if", True),
        ("IT IS", True),
    ],
)
def test_function_words_are_not_intensifiers_or_negations(passage, kept):
    from spinlens.techniques.predict import has_content

    assert has_content(passage) is kept


def test_repeated_gold_span_gets_distinct_techniques():
    text = "They are barbaric criminals."
    gold = [("a", "?", 9, 27), ("a", "?", 9, 27), ("a", "?", 0, 4)]
    predicted = predict_techniques_for(toy_heads(), {"a": toy_encoding(text, set())}, gold)
    assert [p[1] for p in predicted[:2]] == ["Loaded_Language", "Name_Calling,Labeling"]
    assert [(p[2], p[3]) for p in predicted] == [(9, 27), (9, 27), (0, 4)]


def test_span_scores_soft_overlap():
    gold = [("1", "Doubt", 0, 10), ("1", "Loaded_Language", 20, 30)]
    pred = [("1", "Doubt", 5, 10), ("1", "Doubt", 20, 25)]
    si = span_scores(pred, gold, by_technique=False)
    assert si["precision"] == 1.0 and si["recall"] == 0.5
    flc = span_scores(pred, gold, by_technique=True)
    assert flc["precision"] == 0.5 and flc["recall"] == 0.25


def test_tc_micro_f1_counts_lines():
    gold = [("1", "Doubt", 0, 10), ("1", "Slogans", 0, 10), ("1", "Doubt", 20, 30)]
    pred = [("1", "Doubt", 0, 10), ("1", "Repetition", 0, 10), ("1", "Doubt", 20, 30)]
    assert tc_scores(pred, gold)["micro_f1"] == pytest.approx(2 / 3, abs=1e-4)


@pytest.mark.skipif(not REFERENCE_SCORER.exists(), reason="needs ../shared/eval")
def test_metrics_agree_with_reference_scorer(tmp_path):
    gold = [("7", "Doubt", 0, 12), ("7", "Loaded_Language", 5, 30), ("8", "Slogans", 3, 9)]
    pred = [("7", "Doubt", 2, 8), ("7", "Loaded_Language", 10, 40), ("8", "Doubt", 3, 6)]
    (tmp_path / "g.tsv").write_text("".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in gold))
    (tmp_path / "p.tsv").write_text("".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in pred))
    gold, pred = read_labels(tmp_path / "g.tsv"), read_labels(tmp_path / "p.tsv")
    for mode, ours in (
        ("si", span_scores(pred, gold, False)),
        ("flc", span_scores(pred, gold, True)),
    ):
        out = subprocess.run(
            [
                sys.executable,
                str(REFERENCE_SCORER),
                mode,
                "--gold",
                str(tmp_path / "g.tsv"),
                "--pred",
                str(tmp_path / "p.tsv"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        reference = json.loads(out.stdout.strip().splitlines()[-1])
        assert (ours["precision"], ours["recall"], ours["f1"]) == (
            reference["precision"],
            reference["recall"],
            reference["f1"],
        )


def test_shipped_model_tags_loaded_language():
    encoder, heads, version = load_model()
    text = (
        "The barbaric regime and its criminal thugs slaughtered innocent people, "
        "the minister said on Tuesday."
    )
    (encoding,) = encoder.encode([text])
    assert encoding.vectors.shape == (len(encoding.offsets), 384)
    spans = predict_spans(heads, text, encoding)
    assert all(isinstance(s, Technique) and s.technique in NAMES for s in spans)
    article = Article(id="x", text=text)
    article.layers["techniques"] = list(spans)
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again.layers["techniques"] == article.layers["techniques"]
    assert version.startswith("ptc-minilm-")


def test_encoder_handles_empty_and_long_texts():
    encoder, _heads, _version = load_model()
    long_text = " ".join(f"word{i}" for i in range(900))
    empty, long = encoder.encode(["", long_text])
    assert empty.vectors.shape[0] == 0
    assert long.vectors.shape[0] == len(long.offsets) > 900
    assert not np.any(np.all(long.vectors == 0, axis=1))
    assert empty.branch is not None and empty.branch.shape == (0, encoder.dim)
    assert long.branch is not None and long.branch.shape == long.vectors.shape
    assert not np.array_equal(long.branch, long.vectors)


def test_vectors_do_not_depend_on_text_far_away():
    """Each chunk runs alone with a little context: an edit at the start of an article
    and text appended at its end leave the vectors of its middle exactly as they were."""
    encoder, _heads, _version = load_model()
    text = "".join(
        f"The regime's thugs crushed {n} brave protesters on day {n}, the opposition said. "
        for n in range(80)
    )
    edited = text.replace("said", "says", 1) + "He said so. " * 40
    before, after = encoder.encode([text, edited])
    first, last = before.token_range(len(text) // 3, 2 * len(text) // 3)
    assert np.array_equal(before.vectors[first:last], after.vectors[first:last])
    assert before.branch is not None and after.branch is not None
    assert np.array_equal(before.branch[first:last], after.branch[first:last])


def test_side_names_are_read_alike():
    """American and Russian (Israel and Iran, Democrats and Republicans) are the same
    to the encoder: swapping them changes no vector."""
    encoder, _heads, _version = load_model()
    text = "The American people will not forgive the Democrats, Israel said in Washington."
    swapped = "The Russian people will not forgive the Republicans, Iran said in Moscow."
    one, two = encoder.encode([text, swapped])
    assert np.array_equal(one.vectors, two.vectors)
    assert np.array_equal(one.branch, two.branch)
    assert text[one.offsets[1, 0] : one.offsets[1, 1]] == "American"
    assert swapped[two.offsets[1, 0] : two.offsets[1, 1]] == "Russian"


def test_ptc_writer_writes_one_line_per_technique_span():
    import io

    from spinlens.render import open_writer

    article = Article(id="123", text="barbaric criminals everywhere")
    article.layers["techniques"] = [
        Technique(9, 18, "Name_Calling,Labeling", 0.7),
        Technique(0, 8, "Loaded_Language", 0.9),
    ]
    out = io.StringIO()
    writer = open_writer("ptc", out)
    writer.write(article)
    writer.close()
    assert out.getvalue() == "123\tLoaded_Language\t0\t8\n123\tName_Calling,Labeling\t9\t18\n"


def test_spans_are_cut_at_sentence_boundaries():
    from spinlens.model import Sentence
    from spinlens.techniques.predict import split_at

    sentences = [Sentence(0, 20), Sentence(21, 40)]
    assert split_at([(5, 30, 0.9)], sentences) == [(5, 20, 0.9), (21, 30, 0.9)]
    assert split_at([(19, 22, 0.5)], sentences) == []
    assert split_at([(5, 30, 0.9)], []) == [(5, 30, 0.9)]


def test_encoding_does_not_depend_on_other_articles_in_the_batch():
    encoder, _heads, _version = load_model()
    text = "The regime's thugs attacked peaceful protesters. " * 40
    alone = encoder.encode([text])[0].vectors
    together = encoder.encode(["Short note.", text, "Another text " * 200])[1].vectors
    assert np.array_equal(alone, together)


def test_span_features_index_the_original_text():
    from spinlens.techniques.features import span_features

    text = "İstanbul İzmir said the regime lies, the regime lies."
    start = text.index("regime lies")
    feats = span_features(neutral_view(text), start, start + len("regime lies"), 2)
    assert feats[0] > 0  # repeated once more in the article
