"""The command line end to end through click's CliRunner, always on a store under tmp.

Only the first `analyze` builds its own pipeline; the others reuse the session's
(patched in) to keep the suite fast."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from spinlens import __version__
from spinlens.cli import main
from spinlens.model import short_hash

FAKE_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
BAD_NAME = "scanned-front-page-of-the-evening-edition-with-a-rather-long-name.png"
HARBOUR = (
    "Dockworkers vow to keep port closed\n\nThe port of Veldhaven stayed shut on Tuesday, "
    "said Marta Kolar of the Coastal Workers' Union.\n"
)
BRIEFS = [
    {
        "id": "wire-001",
        "title": "Flooding",
        "text": "More than 12,000 residents of Altenfurt fled.",
    },
    {"id": "wire-003", "language": "fr", "text": "Le parlement a adopté jeudi la réforme."},
]
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>City Desk</title>'
    "<item><title>Tram &lt;script&gt;alert(1)&lt;/script&gt;</title>"
    "<link>https://city.example.net/tram</link>"
    "<description>&lt;p&gt;The council in Brenmoor voted &lt;script&gt;x()&lt;/script&gt;"
    " for the tram.&lt;/p&gt;</description></item></channel></rss>"
)


class Cli:
    """Runs `spinlens` with an isolated environment and a store under tmp."""

    def __init__(self, root: Path):
        self.root = root
        self.db = f"sqlite:///{root / 'store.db'}"
        self.env = {"SPINLENS_CONFIG": str(root / "absent.toml"), "SPINLENS_DB": None}
        self.env |= {"SPINLENS_BATCH_SIZE": None, "SPINLENS_MAX_BYTES": None}
        self.env |= {"SPINLENS_WORKERS": "1"}

    def __call__(self, *args: str, db: bool = True) -> Result:
        command = list(args) + (["--db", self.db] if db else [])
        return CliRunner().invoke(main, command, env=self.env, catch_exceptions=False)


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> Cli:
    root = tmp_path_factory.mktemp("cli")
    inputs = root / "in"
    (inputs / "attachments").mkdir(parents=True)
    (inputs / "harbour-strike.txt").write_text(HARBOUR, encoding="utf-8")
    (inputs / "wire-briefs.jsonl").write_text("\n".join(map(json.dumps, BRIEFS)), "utf-8")
    (inputs / "city.rss").write_text(FEED, encoding="utf-8")
    (inputs / "attachments" / BAD_NAME).write_bytes(FAKE_PNG)
    return Cli(root)


@pytest.fixture(scope="module")
def first_run(cli) -> Result:
    """The one invocation with the CLI's own pipeline: a batch with one bad file."""
    return cli("analyze", str(cli.root / "in"))


@pytest.fixture
def fast(monkeypatch, pipeline):
    monkeypatch.setattr("spinlens.workers.build_pipeline", lambda *args, **kwargs: pipeline)


def test_analyze_with_a_failure_exits_1(first_run, cli):
    assert first_run.exit_code == 1
    objects = [json.loads(line) for line in first_run.stdout.splitlines()]
    ids = [o["id"] for o in objects]
    assert ids == [short_hash("https://city.example.net/tram"), "harbour-strike"] + [
        "wire-001",
        "wire-003",
    ]
    assert {o["language"] for o in objects} == {"en", "fr"}
    assert "<script" not in objects[0]["text"]
    assert "read 5 · analysed 4 · skipped as duplicate 0 · failed 1" in first_run.stderr
    assert BAD_NAME in first_run.stderr.replace("\n", "")


def test_failure_is_reported_on_one_line(first_run, cli):
    bad = cli.root / "in" / "attachments" / BAD_NAME
    expected = f"failed: {bad}: binary content (NUL bytes), not a text document"
    assert any(line.strip() == expected for line in first_run.stderr.splitlines()), first_run.stderr


def test_rerun_is_all_duplicates_and_html_report(first_run, cli, fast):
    report = cli.root / "report.html"
    good = [str(cli.root / "in" / n) for n in ("harbour-strike.txt", "city.rss")]
    result = cli("analyze", *good, "--format", "html", "-o", str(report))
    assert result.exit_code == 0, result.stderr
    assert "read 2 · analysed 0 · skipped as duplicate 2 · failed 0" in result.stderr
    assert result.stdout == ""
    page = report.read_text("utf-8")
    assert page.count('<article id="article-') == 2
    assert "<script" not in page.lower()
    assert "Marta Kolar" in page and "2 articles." in page


def test_markdown_and_json_output(first_run, cli, fast):
    feed = str(cli.root / "in" / "city.rss")
    md = cli("analyze", feed, "--format", "md")
    assert md.exit_code == 0, md.stderr
    assert md.stdout.startswith("## Tram \\<script\\>alert\\(1\\)\\</script\\>")
    assert "<script" not in md.stdout.replace("\\<script", "")
    as_json = cli("analyze", feed, "--format", "json", "--no-store", db=False)
    assert as_json.exit_code == 0, as_json.stderr
    [obj] = json.loads(as_json.stdout)
    assert obj["source"] == "City Desk" and obj["url"] == "https://city.example.net/tram"


def test_fail_fast_stops(cli, fast, tmp_path):
    folder = tmp_path / "ff"
    folder.mkdir()
    (folder / "a.txt").write_text("First article about Veldhaven.")
    (folder / "b.png").write_bytes(FAKE_PNG)
    (folder / "c.txt").write_text("Third article about Brenmoor.")
    result = cli("analyze", str(folder), "--fail-fast", "--no-store", db=False)
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    assert "stopped at the first failure (--fail-fast)" in result.stderr
    assert "failed 1" in result.stderr


def test_usage_errors_exit_2(cli, tmp_path):
    unknown = cli("analyze", str(tmp_path), "--format", "xml")
    assert unknown.exit_code == 2
    assert "Invalid value for '--format'" in unknown.stderr
    no_paths = cli("analyze")
    assert no_paths.exit_code == 2
    missing_config = CliRunner().invoke(
        main, ["--config", str(tmp_path / "nope.toml"), "analyze", str(tmp_path)], env=cli.env
    )
    assert missing_config.exit_code == 2
    assert "configuration" in missing_config.stderr
    bad_query = cli("search", '"unbalanced')
    assert bad_query.exit_code == 2 and "search failed" in bad_query.stderr


def test_search(first_run, cli):
    result = cli("search", "Veldhaven,")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    article_id, source, title, snippet = line.split("\t")
    assert (article_id, source, title) == (
        "harbour-strike",
        "",
        "Dockworkers vow to keep port closed",
    )
    assert "[Veldhaven]" in snippet
    assert "1 match" in result.stderr
    none = cli("search", "zeppelin")
    assert none.exit_code == 0 and none.stdout == "" and "0 matches" in none.stderr


def test_show(first_run, cli):
    analysed = {o["id"]: o for o in map(json.loads, first_run.stdout.splitlines())}
    shown = cli("show", "wire-001")
    assert shown.exit_code == 0
    assert json.loads(shown.stdout) == [analysed["wire-001"]]
    md = cli("show", "harbour-strike", "--format", "md")
    assert md.exit_code == 0 and md.stdout.startswith("## Dockworkers vow to keep port closed")
    missing = cli("show", "no-such-article")
    assert missing.exit_code == 1
    assert "no stored article with id no-such-article" in missing.stderr
    assert missing.stdout == ""


def test_export(first_run, cli):
    analysed = {o["id"]: o for o in map(json.loads, first_run.stdout.splitlines())}
    jsonl = cli.root / "all.jsonl"
    result = cli("export", "-o", str(jsonl))
    assert result.exit_code == 0 and "exported 4 articles" in result.stderr
    exported = {o["id"]: o for o in map(json.loads, jsonl.read_text("utf-8").splitlines())}
    assert exported == analysed
    parquet = cli.root / "all.parquet"
    assert cli("export", "--format", "parquet", "-o", str(parquet)).exit_code == 0
    assert pq.read_table(parquet).num_rows == 4
    bad = cli("export", "--format", "xlsx", "-o", str(cli.root / "x"))
    assert bad.exit_code == 2


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout
