"""End to end in a real headless browser (Debian's chromium driven by Playwright):
every page loads, a filter narrows the corpus, an article opens, a technique is
toggled, marks are reached by keyboard, an upload is analysed with progress, no
script from article content runs, and axe-core (bundled by axe-playwright-python,
nothing fetched) finds no serious or critical accessibility violation on any page
or in the HTML report. Screenshots go to docs/screenshots/ (shown by the README).

Skipped when /usr/bin/chromium ($CHROMIUM) is missing, except under CI (CI set): then
it fails.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from demo_articles import demo_articles

from spinlens.render import open_writer
from spinlens.store import Store

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # as the Makefile
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
HOSTILE = 'evil"><img src=x onerror=window.__pwned=1>'


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"chromium is not installed ({CHROMIUM}): `make browser` installs it as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, web_articles, pipeline) -> Iterator[str]:
    """The workspace on a free loopback port, over demo articles and the hostile one."""
    import uvicorn

    from spinlens.web.app import create_app

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}")
    store.save(demo_articles() + web_articles)
    app = create_app(store, pipeline_factory=lambda: pipeline, token=None)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    instance.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records dialogs (alert, confirm) and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=server)
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def shot(page, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def accessible(page) -> None:
    """axe-core's WCAG 2.1 A and AA rules on the page as shown: no serious or
    critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    grave = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert grave == [], f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in grave
    )


def test_corpus_filter_article_and_technique_toggle(page):
    page.goto("/")
    assert page.locator("table.corpus tbody tr").count() == 29
    shot(page, "corpus")
    accessible(page)
    page.select_option("select[name=technique]", "Flag-Waving")
    page.select_option("select[name=source]", "Wire")
    page.click("button[type=submit]")
    page.wait_for_url("**technique=Flag-Waving**")
    rows = page.locator("table.corpus tbody tr")
    assert rows.count() >= 1
    sources = rows.locator("td:nth-child(2) a:first-child").all_inner_texts()
    assert sources and all(t == "Wire" for t in sources)
    page.click("table.corpus tbody tr:first-child td.title a")
    page.wait_for_url("**/articles/**")
    assert page.inner_text("h1") == "Dockworkers vow to keep port closed"
    flag = page.locator(".text span.tech.t7").first
    assert flag.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.click("label[for=show-t7]")  # untick Flag-Waving
    assert flag.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.click("label[for=show-t7]")
    assert flag.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.locator(".text span.tech.t8").first.click()  # Loaded_Language inside a quote
    assert page.is_visible("#inspector")
    notes = page.inner_text("#inspector-notes")
    assert "Loaded language (0.90)" in notes and "direct quote" in notes
    assert "Marta Kolar" in page.inner_text("#who-said-what")
    assert "40 million euros" in page.inner_text("#claims")
    shot(page, "article")
    accessible(page)
    page.click("label[for=show-claims]")
    page.click("label[for=show-entities]")
    accessible(page)  # with every layer drawn
    assert page.errors == []


def test_marks_by_keyboard(page):
    page.goto("/")
    page.click("text=Dockworkers vow to keep port closed")
    page.wait_for_url("**/articles/**")
    page.focus("input[name=min-score]:checked")  # the last control before the text
    page.keyboard.press("Tab")
    mark = page.locator(":focus")
    assert mark.get_attribute("data-layer") in ("techniques", "quotes")  # shown layers only
    step = re.search(r"\bsb-(\d+)\b", mark.get_attribute("class") or "")
    minimum = page.locator("input[name=min-score]:checked").get_attribute("id")
    assert step is None or int(step[1]) >= int(minimum.removeprefix("min-score-"))
    details = "e => getComputedStyle(e, '::after').content"
    assert mark.evaluate(details) == json.dumps(mark.get_attribute("title"))
    assert mark.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.keyboard.press("Escape")
    assert mark.evaluate("e => getComputedStyle(e, '::after').display") == "none"
    page.keyboard.press("Enter")
    assert page.is_visible("#inspector")
    assert page.locator(".text span[data-layer=entities][tabindex='0']").count() == 0
    page.click("label[for=show-entities]")
    assert page.locator(".text span[data-layer=entities][tabindex='0']").count() > 0


def test_report_contents_and_accessibility(page, tmp_path):
    path = tmp_path / "report.html"
    with path.open("w", encoding="utf-8") as stream:
        writer = open_writer("html", stream)
        for article in demo_articles()[:3]:
            writer.write(article)
        writer.close()
    page.goto(path.as_uri())
    assert page.locator("nav.toc li").count() == 3
    shot(page, "report")
    accessible(page)
    page.click("label[for=show-claims]")
    page.click("label[for=show-entities]")
    accessible(page)
    page.click("nav.toc li:nth-child(3) a")
    assert page.evaluate("() => location.hash") == "#article-3"


def test_no_script_from_article_content_runs(page):
    for path in ("/", "/?q=Veldhaven", f"/articles/{quote(HOSTILE, safe='')}", "/dashboard"):
        page.goto(path)
        for element in page.locator(".text span, td.title a, dd, h1, svg rect").all()[:60]:
            element.hover(force=True, timeout=2000)
        for element in page.locator(".text span").all()[:30]:
            element.click()
        assert page.evaluate("() => window.__pwned") is None, path
    page.goto(f"/articles/{quote(HOSTILE, safe='')}")
    assert page.inner_text("#title").startswith('"><script>window.__pwned=7</script>')
    assert "<script>window.__pwned = 2</script>" in page.inner_text("#text")
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == []
    page.locator(".text span.tech").first.click()  # our own script does run
    assert page.is_visible("#inspector")


def test_analyse_upload_with_progress(page, jsonl):
    page.goto("/analyse")
    page.fill("textarea[name=text]", "Harbour talks resume\n\nMarta Kolar said talks resume.")
    shot(page, "analyse")
    accessible(page)
    lines = jsonl(
        [
            {
                "id": f"up-{n}",
                "title": f"Story {n}",
                "text": f"Daniel Okafor spoke in Veldhaven ({n}).",
            }
            for n in range(4)
        ]
    )
    page.set_input_files(
        "#files", files=[{"name": "batch.jsonl", "mimeType": "application/json", "buffer": lines}]
    )
    page.click("button[type=submit]")
    page.wait_for_url("**/jobs/**")
    page.wait_for_selector("#job[data-state=done]", timeout=30_000)
    assert page.inner_text("#job-analysed") == "4"
    shot(page, "job")
    accessible(page)
    page.click("ul.titles a:has-text('Story 3')")
    assert "Veldhaven (3)" in page.inner_text("#text")


def test_analyse_pasted_text(page):
    page.goto("/analyse")
    page.fill("textarea[name=text]", "Bridge reopens\n\nThe Veldhaven bridge reopened on Friday.")
    page.fill("input[name=source]", "Desk")
    page.click("button[type=submit]")
    page.wait_for_url("**/articles/**")
    assert page.inner_text("h1") == "Bridge reopens"


def test_filter_bar_drives_the_dashboard_and_a_bar_leads_to_its_articles(page):
    page.goto("/dashboard")
    page.select_option("#filter-bar select[name=source]", ["Wire", "Brenmoor Post"])
    page.click("#filter-bar button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard\?(?=.*source=Wire)(?=.*source=Brenmoor)"))
    per_source = page.inner_text("#chart-per_source")
    assert "Wire" in per_source and "Brenmoor Post" in per_source
    assert "Daily Clarion" not in per_source
    column = page.locator("#chart-articles_over_time svg a").first
    title = column.locator("title").text_content() or ""
    articles = int(re.search(r": ([\d,]+) articles?$", title).group(1).replace(",", ""))
    column.click()
    page.wait_for_url(re.compile(r"/articles\?.*source=Wire.*date_from="))
    count = page.inner_text("#count")
    assert count.startswith(f"{articles:,} article"), (title, count)
    chosen = page.locator("#filter-bar select[name=source] option:checked").all_inner_texts()
    assert sorted(t.split(" (")[0] for t in chosen) == ["Brenmoor Post", "Wire"]


def test_dashboard_charts(page):
    page.goto("/dashboard")
    assert page.locator("figure.chart svg").count() == 7
    assert "Daniel Okafor" in page.inner_text("#chart-speakers")
    shot(page, "dashboard", full=True)
    accessible(page)
    for path in ("/api-docs", "/articles/missing"):
        page.goto(path)
        accessible(page)
    data = json.loads(page.evaluate("() => fetch('/api/aggregates').then(r => r.text())"))
    assert data["articles"] >= 29


def test_speaker_page_from_the_dashboard(page):
    page.goto("/dashboard")
    bar = page.locator("#chart-speakers svg a").first
    name = bar.locator("title").text_content().split(":")[0]
    bar.click()
    page.wait_for_url(re.compile(r"/speakers/"))
    assert page.inner_text("h1") == name
    assert page.locator("#chart-time svg").count() == 1
    shot(page, "speaker", full=True)
    accessible(page)
    quote = page.locator("#quotes a").first
    target = quote.get_attribute("href").split("#")[1]
    quote.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.locator(f"[id='{target}']").count() == 1
    page.goto("/speakers")
    accessible(page)
    assert page.errors == []
