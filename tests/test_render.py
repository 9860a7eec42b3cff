"""Renderers: JSON, the HTML report and Markdown, with hostile article content."""

from __future__ import annotations

import html
import io
import json
import re
from html.parser import HTMLParser

import pytest

from spinlens.model import Article, Entity
from spinlens.persuasion.layer import colour
from spinlens.readers import read_paths
from spinlens.render import open_writer
from spinlens.render.marks import marks_of, segments
from spinlens.render.templating import safe_url
from spinlens.techniques.layer import technique_class

HOSTILE_TEXT = (
    "Marta Kolar said <script>alert('text')</script> in Veldhaven on Monday.\n\n"
    '<img src=x onerror="alert(1)"> [click](javascript:alert(2)) <a href="javascript:x">a</a>\n'
    "Daniel Okafor wrote <SCRIPT SRC=//evil.example/x.js></SCRIPT> & left.\n"
)
HOSTILE_FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel>'
    "<title>Evil &lt;script&gt;alert(0)&lt;/script&gt; Desk</title><link>https://e.example/</link>"
    "<item><title>Hi &lt;script&gt;alert(1)&lt;/script&gt; there</title>"
    "<link>javascript:alert(2)</link><guid>evil-1</guid>"
    "<author>&lt;script&gt;alert(9)&lt;/script&gt;</author>"
    "<description>&lt;p&gt;Officials in Paris said &lt;script&gt;alert(3)&lt;/script&gt;"
    " the bridge is open.&lt;/p&gt;</description></item>"
    "<item><title><![CDATA[Raw <script>alert(5)</script> title]]></title>"
    "<link>https://e.example/a?x=1&amp;y=2</link>"
    "<description><![CDATA[<p>The mayor <script>document.cookie</script>spoke in Rome.</p>]]>"
    "</description></item></channel></rss>"
)
TITLES = ["Talks collapse, port shut", "Talks collapse, port shut", "Contents"]
UNSAFE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,x",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, pipeline) -> list[Article]:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "evil.rss").write_text(HOSTILE_FEED, encoding="utf-8")
    articles = [a for a in read_paths([str(folder)]) if isinstance(a, Article)]
    assert len(articles) == 2
    for n, url in enumerate(UNSAFE_URLS):
        articles.append(
            Article.create(
                f"text-{n}",
                HOSTILE_TEXT,
                title="<script>alert('title')</script>",
                author='"><script>alert(7)</script>',
                source="<b onmouseover=alert(8)>Src</b>",
                url=url,
            )
        )
    return pipeline(articles)


def render(fmt: str, articles: list[Article]) -> str:
    stream = io.StringIO()
    writer = open_writer(fmt, stream)
    for article in articles:
        writer.write(article)
    writer.close()
    return stream.getvalue()


def text_divs(report: str) -> list[str]:
    return re.findall(r'<div class="text">(.*?)</div>', report, flags=re.S)


def test_hostile_content_is_analysed(hostile):
    assert all(a.errors == [] for a in hostile)
    assert any(e.text == "Marta Kolar" for e in hostile[2].layers["entities"])


def test_html_report_has_no_script_at_all(hostile):
    report = render("html", hostile)
    assert "<script" not in report.lower()
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in report
    assert "Content-Security-Policy" in report and "default-src 'none'" in report
    assert report.count('<article id="article-') == len(hostile)
    assert report.rstrip().endswith("</html>")


class TagCollector(HTMLParser):
    """Every real tag and attribute of a document (escaped text is not a tag)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_report_links_only_http_urls(hostile):
    parser = TagCollector()
    parser.feed(render("html", hostile))
    assert "script" not in {tag for tag, _ in parser.tags}
    links = [str(attrs.get("href")) for _, attrs in parser.tags if "href" in attrs]
    inside = [link for link in links if link.startswith("#")]
    assert [link for link in links if link not in inside] == ["https://e.example/a?x=1&y=2"]
    marks = r"#a\d+-m-(claims|quotes)-\d+-\d+"
    contents = [f"#article-{n}" for n in range(1, len(hostile) + 1)]
    assert [link for link in inside if not re.fullmatch(marks, link)] == contents
    for _, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs)
        assert "src" not in attrs


def test_html_text_reproduces_the_article_text(hostile, analysed):
    articles = [*analysed, *hostile]
    divs = text_divs(render("html", articles))
    assert len(divs) == len(articles)
    for div, article in zip(divs, articles, strict=True):
        plain = re.sub(r"<sub\b[^>]*>[^<]*</sub>", "", div)  # label tags, not text
        plain = re.sub(r"<[^>]+>", "", plain)
        assert html.unescape(plain) == article.text


def test_html_highlights_entities(analysed):
    harbour = next(a for a in analysed if a.id == "harbour")
    report = render("html", [harbour])
    div = text_divs(report)[0]
    for entity in harbour.layers["entities"]:  # a titled span opens at each mention
        opening = rf'title="{entity.label}: [^"]+"[^>]*>(?:<span[^>]*>)*'
        assert re.search(opening + re.escape(html.escape(entity.text[:3])), div), entity
    assert re.search(
        r'<td>Marta Kolar</td><td title="[^"]+">PERSON</td><td class="num">1</td>', report
    )
    assert "<h2>Dockworkers vow to keep port closed</h2>" in report


def test_markdown_escapes_all_content(hostile):
    md = render("md", hostile)
    assert not re.search(r"(?<!\\)<", md), "unescaped < in markdown"
    links = re.findall(r"(?<!\\)\]\(([^)]*)\)", md)
    assert len(links) == len(hostile), "a live link in markdown besides the contents"
    assert all(re.fullmatch(r"#[\w-]+", link) for link in links), links
    assert "javascript:" not in md.lower()
    assert "\\<script\\>alert\\(\\'text\\'\\)\\</script\\>" in md


def test_markdown_summary_of_an_article(analysed):
    harbour = next(a for a in analysed if a.id == "harbour")
    md = render("md", [harbour])
    assert md.startswith("## Dockworkers vow to keep port closed\n")
    assert "Marta Kolar" in md
    assert "- **language**: en" in md
    assert f"- **sentences**: {len(harbour.layers['sentences'])}" in md
    assert "| Marta Kolar | PERSON | 1 |" in md
    assert "## Contents" not in md  # one article: no table of contents


def test_markdown_contents_link_each_section():
    articles = [Article.create(f"a{n}", "Text.", title=title) for n, title in enumerate(TITLES)]
    md = render("md", articles)
    assert md.startswith(
        "## Contents\n\n1. [Talks collapse, port shut](#talks-collapse-port-shut)\n"
    )
    assert "2. [Talks collapse, port shut](#talks-collapse-port-shut-1)\n" in md
    assert "3. [Contents](#contents-1)\n" in md


def test_html_contents_and_legends_of_what_the_report_holds(analysed):
    articles = [
        *analysed,
        *(Article.create(f"a{n}", "Text.", title=t) for n, t in enumerate(TITLES)),
    ]
    report = render("html", articles)
    contents = re.search(r'<nav class="toc".*?</nav>', report, flags=re.S)
    assert contents and contents.group().count("<li>") == len(articles)
    assert '<a href="#article-1">Dockworkers vow to keep port closed</a>' in contents.group()
    found = {t.technique for a in analysed for t in a.layers["techniques"]}
    head = report.split("<main>")[0]
    assert set(re.findall(r'id="show-(t\d+)"', head)) == {technique_class(n) for n in found}
    assert 'id="show-p' not in report  # no SemEval-2023 toggles: the model did not run
    assert '<input type="checkbox" id="show-techniques" checked>' in report
    assert '<input type="checkbox" id="show-claims">' in report
    assert '<input type="checkbox" id="show-entities">' in report
    assert 'tabindex="0" data-layer="quotes"' in report


def test_json_and_jsonl_writers(analysed):
    assert json.loads(render("json", analysed)) == [a.to_dict() for a in analysed]
    assert render("json", []) == "[]\n"
    lines = render("jsonl", analysed).splitlines()
    assert [json.loads(line) for line in lines] == [a.to_dict() for a in analysed]
    assert render("jsonl", []) == ""


def test_empty_html_report_is_complete():
    report = render("html", [])
    assert "0 articles." in report and report.rstrip().endswith("</html>")


def test_segments_of_overlapping_marks():
    text = "New York City Hall opened."
    article = Article.create("o", text)
    article.layers["entities"] = [
        Entity(0, 13, "GPE", "New York City"),
        Entity(0, 18, "FAC", "New York City Hall"),
        Entity(4, 8, "GPE", "York"),
    ]
    marks = marks_of(article)
    assert [(m.start, m.end) for m in marks] == [(0, 18), (0, 13), (4, 8)]
    pieces = segments(text, marks)
    assert "".join(p.text for p in pieces) == text
    assert [(p.text, len(p.marks)) for p in pieces] == [
        ("New ", 2),
        ("York", 3),
        (" City", 2),
        (" Hall", 1),
        (" opened.", 0),
    ]
    div = text_divs(render("html", [article]))[0]
    assert div.count("<span") == div.count("</span>") == 8
    assert div.count('title="GPE: ') == 4 and div.count('title="FAC: ') == 4


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://a.example/x", True), ("HTTP://a.example", True), ("ftp://a.example", False)]
    + [(u, False) for u in UNSAFE_URLS]
    + [("//evil.example", False), ("", False), (None, False)],
)
def test_safe_url(url, ok):
    assert safe_url(url) == (url if ok else None)


def test_colour_is_stable():
    assert colour("MY_LABEL") == colour("MY_LABEL")
    assert colour("MY_LABEL").startswith("hsl(")
