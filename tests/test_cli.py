import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.interfaces.cli import cli

LISTINGS = ["docs", "rejections", "stats", "actors", "quotes", "events", "timeline", "search"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    (d / "in").mkdir()
    (d / "in" / "a.txt").write_text(
        "Foreign Minister Ana Lindqvist met Prime Minister Jonas Berg in Oslo on Monday. "
        "“We agreed to cooperate,” Lindqvist said.\n",
        encoding="utf-8",
    )
    (d / "in" / "b.txt").write_text("Norway and Sweden signed a fisheries agreement in 2022.\n", encoding="utf-8")
    (d / "in" / "c.bin").write_bytes(b"\x00\x01\x02\x03" * 100)
    db = d / "c.db"
    result = CliRunner().invoke(cli, ["ingest", str(d / "in"), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return db


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_cli_every_command_has_help_with_example():
    for name, cmd in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output, name
        for param in cmd.params:
            if param.name not in ("help",):
                assert getattr(param, "help", None) or param.param_type_name == "argument", (name, param.name)


def test_cli_ingest_summary(corpus):
    result = run("ingest", str(corpus.parent / "in"), "--db", str(corpus), "--workers", "1")
    assert result.exit_code == 0, (result.output, result.exception)
    assert "added 0, unchanged 2, rejected 1" in result.output


@pytest.mark.parametrize("verb", LISTINGS)
def test_cli_listings_print_json_lines(corpus, verb):
    args = [verb, "--db", str(corpus), "--format", "json"] + (["Lindqvist"] if verb == "search" else [])
    result = run(*args)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    for line in lines:
        assert isinstance(json.loads(line), dict)
    if verb in ("docs", "stats", "search", "rejections"):
        assert lines


def test_cli_docs_fields(corpus):
    rows = [json.loads(x) for x in run("docs", "--db", str(corpus), "--format", "json").output.splitlines()]
    assert len(rows) == 2
    # the Document record without its text (keys may be added, never removed)
    assert set(rows[0]) >= {"id", "external_id", "source_path", "title", "url", "domain", "published", "author", "language", "n_chars"}
    assert "text" not in rows[0]


def test_cli_show_spans_reslice(corpus):
    rows = [json.loads(x) for x in run("docs", "--db", str(corpus), "--format", "json").output.splitlines()]
    doc = json.loads(run("show", rows[0]["id"][:6], "--db", str(corpus), "--format", "json").output)
    assert doc["mentions"]
    for m in doc["mentions"]:
        assert doc["text"][m["start"] : m["end"]] == m["text"]
    assert {"metadata", "residue", "sentences", "quotes", "events", "entities"} <= set(doc)


def test_cli_rejections_listed(corpus):
    rows = [json.loads(x) for x in run("rejections", "--db", str(corpus), "--format", "json").output.splitlines()]
    assert [r["reason"] for r in rows] == ["binary"]
    assert set(rows[0]) == {"source_path", "reason", "message"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["ingest", "/no/such/path"], "Error: Path not found: /no/such/path"),
        (["docs", "--db", "/no/such/corpus.db"], "Error: No corpus at /no/such/corpus.db"),
        (["show", "zzzz"], "Error: No document with id 'zzzz'"),
        (["search", 'AND "'], "Error: Invalid search query"),
    ],
)
def test_cli_errors_are_one_clear_line(corpus, args, message):
    if "--db" not in args:
        args = args + ["--db", str(corpus)]
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_not_a_corpus_file(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("just some notes\n" * 20)
    proc = subprocess.run([sys.executable, "-m", "storyline", "docs", "--db", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and "is not a storyline corpus" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert bad.read_text() == "just some notes\n" * 20


def test_cli_docs_reference_is_fresh():
    # the storyline of this checkout, not another one installed in the environment (editable installs)
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "scripts/make_cli_docs.py", "--check"], capture_output=True, text=True,
                          cwd=root, env=env)
    assert proc.returncode == 0, proc.stderr


def test_cli_missing_path_creates_no_corpus(tmp_path):
    db = tmp_path / "new.db"
    result = run("ingest", str(tmp_path / "absent.txt"), "--db", str(db))
    assert result.exit_code == 1 and "Path not found" in result.output
    assert not db.exists()
