"""The boundary rules that cut an attribution's parts as PolNeAR does, each on
constructed sentences, and the content's pieces through the JSON and the scorer."""

from __future__ import annotations

import json

from spinlens.attribution.boundaries import (
    bare_source,
    closing_comma,
    content_parts,
    cue_bounds,
    fitted,
)
from spinlens.attribution.rules import Candidate
from spinlens.evaluation.attribution import chars, quote_attributions, scorer_quote
from spinlens.model import Article, Quote, Span


def at(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def pieces(text: str, ranges: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[s:e] for s, e in ranges]


def test_a_content_interrupted_by_its_cue_and_source_is_two_pieces():
    text = "“The port stays shut,” said Marta Kolar. “We will not be bullied.”"
    content = (0, len(text))
    found = content_parts(text, content, [at(text, "said"), at(text, "Marta Kolar")])
    assert pieces(text, found) == ["“The port stays shut,”", "“We will not be bullied.”"]


def test_an_indirect_content_drops_the_commas_around_the_interruption():
    text = "The strike, the minister said, will end soon"
    found = content_parts(text, (0, len(text)), [at(text, "said"), at(text, "the minister")])
    assert pieces(text, found) == ["The strike", "will end soon"]


def test_a_content_not_interrupted_stays_whole():
    text = "Okafor said the strike will end soon"
    content = at(text, "the strike will end soon")
    assert content_parts(text, content, [at(text, "said"), at(text, "Okafor")]) == (content,)


def test_a_piece_without_a_word_is_dropped():
    text = '"PENCE: Well, look, this is serious.'
    found = content_parts(text, (0, len(text)), [at(text, ":"), at(text, "PENCE")])
    assert pieces(text, found) == ["Well, look, this is serious."]


def test_a_content_ending_at_its_cue_at_the_end_of_the_text_stays_one_piece():
    text = "“A,” she said."
    found = content_parts(text, (0, len(text)), [at(text, "said"), at(text, "she")])
    assert pieces(text, found) == ["“A,”"]


def test_a_source_with_an_apposition_keeps_its_closing_comma():
    text = "Josh Earnest, the press secretary, said the talks failed."
    source = at(text, "Josh Earnest, the press secretary")
    assert text[slice(*closing_comma(text, source))] == "Josh Earnest, the press secretary,"


def test_a_plain_source_leaves_the_comma_after_it():
    text = "The newspaper, in an editorial, said the talks failed."
    source = at(text, "The newspaper")
    assert closing_comma(text, source) == source


def test_a_source_loses_spaces_and_a_stray_quotation_mark():
    text = '"PENCE: Well, look.\nA\xa0Bloomberg poll\xa0found that'
    assert text[slice(*bare_source(text, at(text, '"PENCE')))] == "PENCE"
    poll = at(text, "A\xa0Bloomberg poll\xa0")
    assert text[slice(*bare_source(text, poll))] == "A\xa0Bloomberg poll"
    quoted = '"Arrogant" said'
    assert bare_source(quoted, at(quoted, '"Arrogant"')) == at(quoted, '"Arrogant"')


def test_a_cue_keeps_the_colon_after_it():
    text = "He said: the port stays shut. TAPPER: Welcome back."
    assert text[slice(*cue_bounds(text, at(text, "said")))] == "said:"
    colon = at(text, ":", text.index("TAPPER"))
    assert cue_bounds(text, colon) == colon


def test_fitted_moves_the_quote_to_its_pieces_and_keeps_offsets_in_the_text():
    text = "“The port stays shut,” said Marta Kolar, head of the union. “We stay.”"
    source = at(text, "Marta Kolar, head of the union")
    cand = Candidate((0, len(text)), at(text, "said"), source, None, "direct", 0.8)
    fit = fitted(text, cand)
    assert pieces(text, fit.content_parts) == ["“The port stays shut,”", "“We stay.”"]
    assert fit.source == source
    assert fit.content == (fit.content_parts[0][0], fit.content_parts[-1][1])


def test_content_parts_in_json_and_as_the_scorer_reads_them():
    parts = (Span(0, 10), Span(20, 30))
    quote = Quote(0, 30, Span(0, 30), Span(12, 16), None, content_parts=parts)
    data = json.loads(json.dumps(quote.to_dict()))
    assert data["content_parts"] == [{"start": 0, "end": 10}, {"start": 20, "end": 30}]
    assert Quote.from_dict(data) == quote
    assert quote_attributions([data])[0]["content"] == chars([(0, 10), (20, 30)])
    assert scorer_quote(data)["content"] == data["content_parts"]
    whole = Quote(0, 30, Span(0, 30))
    assert whole.to_dict()["content_parts"] == [{"start": 0, "end": 30}]
    assert Quote.from_dict(whole.to_dict()) == whole


def test_the_second_piece_starts_where_the_quotation_resumes():
    text = "“I have talked to no one,” he said in an interview. “This is all me.”"
    found = content_parts(text, (0, len(text)), [at(text, "said"), at(text, "he")])
    assert pieces(text, found) == ["“I have talked to no one,”", "“This is all me.”"]
    text = "“I like her,” he said. But “she would never say it.”"
    found = content_parts(text, (0, len(text)), [at(text, "said"), at(text, "he")])
    assert pieces(text, found)[1] == "But “she would never say it.”"


def test_the_pipeline_gives_an_interrupted_quotation_its_pieces(pipeline):
    text = (
        "Port stays shut\n\n"
        "“We will not be bullied back to work,” said Marta Kolar, head of the union. "
        "“The port stays shut until the talks resume.”\n"
    )
    article = pipeline([Article.create("interrupted", text)])[0]
    quote = next(q for q in article.layers["quotes"] if isinstance(q, Quote))
    found = [text[p.start : p.end] for p in quote.content_parts]
    assert found == [
        "“We will not be bullied back to work,”",
        "“The port stays shut until the talks resume.”",
    ]
    assert quote.cue is not None and text[quote.cue.start : quote.cue.end] == "said"
