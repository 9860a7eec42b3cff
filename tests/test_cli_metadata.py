"""`spinlens analyze --source/--published/--metadata` and `spinlens annotate`, end to
end through click's CliRunner on a store under tmp (the session pipeline patched in)."""

from __future__ import annotations

import json

import pytest
from test_cli import Cli


@pytest.fixture
def cli(tmp_path, monkeypatch, pipeline) -> Cli:
    monkeypatch.setattr("spinlens.workers.build_pipeline", lambda *args, **kwargs: pipeline)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2016-10-09-debate.txt").write_text("The debate was held in Veldhaven.", "utf-8")
    (folder / "plain.txt").write_text("The council met in Brenmoor.", "utf-8")
    (folder / "row.txt").write_text("The mayor of Brenmoor resigned.", "utf-8")
    briefs = {"id": "wire-1", "text": "Rates held at 3 percent.", "source": "Example Wire"}
    (folder / "briefs.jsonl").write_text(json.dumps(briefs), "utf-8")
    return Cli(tmp_path)


def analysed(result) -> dict[str, dict]:
    return {o["id"]: o for o in map(json.loads, result.stdout.splitlines())}


def test_analyze_with_metadata(cli):
    folder = cli.root / "in"
    (folder / "meta.csv").write_text(
        "path,id,source,published\nrow.txt,,Row Times,2019-05-06\n,wire-1,,2020-02-03\n"
        ",nobody,X,2020-01-01\n",
        "utf-8",
    )
    result = cli(
        "analyze",
        str(folder),
        "--source",
        "Default Desk",
        "--published",
        "2000-01-01",
        "--metadata",
        str(folder / "meta.csv"),
    )
    assert result.exit_code == 0, result.stderr
    found = analysed(result)
    assert set(found) == {"2016-10-09-debate", "plain", "row", "wire-1"}
    meta = {k: (v["source"], v["published"]) for k, v in found.items()}
    assert meta == {
        "2016-10-09-debate": ("Default Desk", "2016-10-09"),
        "plain": ("Default Desk", "2000-01-01"),
        "row": ("Row Times", "2019-05-06"),
        "wire-1": ("Example Wire", "2020-02-03"),
    }
    assert "read 4 · analysed 4" in result.stderr
    assert "metadata: 1 row matched no article" in result.stderr
    listed = cli("search", "Brenmoor")
    assert "Row Times" in listed.stdout and "Default Desk" in listed.stdout


def test_analyze_metadata_errors(cli):
    folder = cli.root / "in"
    (folder / "bad.csv").write_text("path,outlet\nrow.txt,X\n", "utf-8")
    unknown = cli("analyze", str(folder / "row.txt"), "--metadata", str(folder / "bad.csv"))
    assert unknown.exit_code == 2 and "unknown column 'outlet'" in unknown.stderr
    bad_default = cli("analyze", str(folder / "row.txt"), "--published", "soon")
    assert bad_default.exit_code == 2 and "not a date" in bad_default.stderr
    (folder / "rows.csv").write_text("path,published\nrow.txt,last week\n", "utf-8")
    row = cli("analyze", str(folder / "row.txt"), "--metadata", str(folder / "rows.csv"))
    assert row.exit_code == 1
    assert f"failed: {folder / 'rows.csv'}:2: published: not a date" in row.stderr
    assert analysed(row)["row"]["published"] is None


def test_annotate_one_article_and_a_file(cli):
    folder = cli.root / "in"
    assert cli("analyze", str(folder)).exit_code == 0
    one = cli("annotate", "plain", "--source", "Ledger", "--published", "2016-10-09T08:00:00Z")
    assert one.exit_code == 0, one.stderr
    assert "annotated 1 article" in one.stderr
    shown = json.loads(cli("show", "plain").stdout)[0]
    assert (shown["source"], shown["published"]) == ("Ledger", "2016-10-09T08:00:00+00:00")
    (cli.root / "later.csv").write_text(
        "id,title,author\nwire-1,Rates held,Ann Lee\nmissing,X,\n", "utf-8"
    )
    from_file = cli("annotate", "--metadata", str(cli.root / "later.csv"))
    assert from_file.exit_code == 1
    assert "missing: no stored article with this id" in from_file.stderr
    shown = json.loads(cli("show", "wire-1").stdout)[0]
    assert (shown["title"], shown["author"], shown["source"]) == (
        "Rates held",
        "Ann Lee",
        "Example Wire",
    )
    rerun = cli("analyze", str(folder))
    assert "analysed 0 · skipped as duplicate 4" in rerun.stderr  # not new content
    assert analysed(rerun)["plain"]["source"] == "Ledger"  # what the input lacks is kept


def test_annotate_usage_errors(cli):
    assert cli("annotate").exit_code == 2
    assert cli("annotate", "plain").exit_code == 2
    assert cli("annotate", "plain", "--published", "soon").exit_code == 2
    csv = cli.root / "in" / "x.csv"
    csv.write_text("id,source\nplain,X\n", "utf-8")
    both = cli("annotate", "plain", "--metadata", str(csv))
    assert both.exit_code == 2
    extra = cli("annotate", "--metadata", str(csv), "--source", "Y")
    assert extra.exit_code == 2


def test_serve_takes_the_dashboard_minimum(monkeypatch, tmp_path):
    """The demo's sources are short: `serve --min-source-words` lets the dashboard show them."""
    started = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: started.update(app=app))
    cli = Cli(tmp_path)
    result = cli("serve", "--min-source-words", "50")
    assert result.exit_code == 0, result.stderr
    assert started["app"].state.ws.min_source_words == 50
    assert cli("serve", "--min-source-words", "0").exit_code == 2
