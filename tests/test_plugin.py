"""The door third parties use: examples/plugin installed beside storyline, as the issue says (issue 17, point 5).

``pip install --no-deps --no-build-isolation --target DIR examples/plugin``, then
with ``PYTHONPATH=DIR`` ``storyline stages`` lists the plugin's stage and
``storyline analyze --stage readability`` fills its table on a corpus that was
ingested without it; a second analysis has nothing to do. Every command runs in
its own process, as a user's would (the worktree's storyline first on the path).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "examples" / "plugin"

EASY = """The Dog and the Ball

The dog ran to the park. It saw a red ball. The ball was big.
The dog took the ball home. Then it slept in the sun.
"""
HARD = (
    "Intergovernmental Harmonisation\n\n"
    "Notwithstanding considerable institutional opposition, the intergovernmental commission recommended "
    "comprehensive regulatory harmonisation of transnational energy infrastructure, emphasising interoperability. "
    "Parliamentary representatives characterised the recommendations as administratively unprecedented.\n"
)


def _env(*path: Path) -> dict:
    """The environment of a user's shell: the worktree's storyline first, then ``path``; no storyline settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (ROOT, *path))
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # leave no __pycache__ in examples/plugin
    return env


def _run(args: list[str], cwd: Path, *path: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=_env(*path), capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def _stages(cwd: Path, *path: Path, db: Path | None = None) -> dict[str, dict]:
    args = ["-m", "storyline", "stages", "--format", "json"] + (["--db", str(db)] if db else [])
    lines = _run(args, cwd, *path).stdout.splitlines()
    return {row["name"]: row for row in map(json.loads, lines)}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """examples/plugin installed into a folder of its own, the way the issue and the README say."""
    target = tmp_path_factory.mktemp("plugin-site")
    _run(["-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "--disable-pip-version-check",
          "--quiet", "--target", str(target), str(PLUGIN)], target)
    assert (target / "storyline_readability" / "__init__.py").is_file()
    return target


def test_plugin_is_listed_by_storyline_stages(site, tmp_path):
    listed = _stages(tmp_path, site)
    row = listed["readability"]
    assert row["version"] == "1"
    assert row["requires"] == ["parse"]
    assert row["tables"] == ["readability"]
    assert row["options"]["words_per_minute"]["default"] == 238
    assert row["options"]["words_per_minute"]["env"] == "STORYLINE_READABILITY_WORDS_PER_MINUTE"
    assert list(listed)[:4] == ["parse", "actors", "quotes", "events"]  # storyline's own still come first
    # without the plugin on the path there is no such stage: the install is what added it
    assert "readability" not in _stages(tmp_path)


def test_plugin_fills_its_table_on_a_stored_corpus(site, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "easy.txt").write_text(EASY, encoding="utf-8")
    (docs / "hard.txt").write_text(HARD, encoding="utf-8")
    db = tmp_path / "c.db"

    # ingested without the plugin: no table of its own yet
    out = _run(["-m", "storyline", "ingest", str(docs), "--db", str(db), "--workers", "1"], tmp_path).stdout
    assert "added 2" in out
    with sqlite3.connect(db) as con:
        assert not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'readability'").fetchone()

    # the plugin installed: analyze creates its table and runs it (its parse with it) on both documents
    out = _run(["-m", "storyline", "analyze", "--stage", "readability", "--db", str(db), "--workers", "1"],
               tmp_path, site).stdout
    assert "ran readability on 2 documents" in out

    measure = _measure()
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    texts = {r["id"]: (r["source_path"], r["text"]) for r in con.execute("SELECT id, source_path, text FROM documents")}
    rows = {r["doc_id"]: dict(r) for r in con.execute("SELECT * FROM readability")}
    assert set(rows) == set(texts)  # one row per document
    by_name = {}
    for doc_id, row in rows.items():
        path, text = texts[doc_id]
        by_name[Path(path).name] = row
        assert (row["start"], row["end"]) == (0, len(text))  # the evidence: the whole stored text
        assert row["method"] == "readability/1"
        # the figures are those of the stored sentences and tokens of the parse stage
        sentences = []
        for s in con.execute("SELECT start, tokens FROM sentences WHERE doc_id = ? ORDER BY start", (doc_id,)):
            t = json.loads(s["tokens"])
            sentences.append([(s["start"] + t[i], s["start"] + t[i + 1]) for i in range(0, len(t), 2)])
        assert {k: row[k] for k in measure(text, sentences)} == measure(text, sentences)
        assert row["reading_minutes"] == round(row["words"] / 238, 2)
    easy, hard = by_name["easy.txt"], by_name["hard.txt"]
    # the title line is metadata, not stored text; a line break ends a sentence (storyline's parse)
    assert (easy["words"], easy["sentences"]) == (27, 5)
    assert (hard["words"], hard["sentences"]) == (25, 2)
    assert easy["flesch_reading_ease"] > 90 and hard["flesch_reading_ease"] < 10
    assert easy["words_per_sentence"] < hard["words_per_sentence"]
    # the run is recorded, at the stage's version; the other stages' runs are untouched
    runs = dict(con.execute("SELECT stage, count(*) FROM stage_runs WHERE version = '1' GROUP BY stage").fetchall())
    con.close()
    assert runs == {"parse": 2, "actors": 2, "quotes": 2, "events": 2, "claims": 2, "readability": 2}

    # a second run has nothing to do, and says so
    out = _run(["-m", "storyline", "analyze", "--stage", "readability", "--db", str(db), "--workers", "1"],
               tmp_path, site).stdout
    assert out.startswith("Up to date")
    again = json.loads(_run(["-m", "storyline", "analyze", "--stage", "readability", "--db", str(db), "--format", "json"],
                            tmp_path, site).stdout)
    assert again["runs"] == [] and again["documents"] == 0
    assert _stages(tmp_path, site, db=db)["readability"]["versions"] == {"1": 2}


def _measure():
    """The plugin's pure function, loaded from its file (not installed into this process)."""
    spec = importlib.util.spec_from_file_location("_readability_measure", PLUGIN / "storyline_readability" / "measure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure


def test_plugin_measure_on_hand_made_text():
    measure = _measure()
    text = "The cat sat. It ran, fast!"
    sentences = [[(0, 3), (4, 7), (8, 11), (11, 12)], [(13, 15), (16, 19), (19, 20), (21, 25), (25, 26)]]
    m = measure(text, sentences)
    assert (m["words"], m["sentences"], m["syllables"]) == (6, 2, 6)  # punctuation is no word
    assert m["flesch_reading_ease"] == round(206.835 - 1.015 * 3 - 84.6, 1)
    assert measure(text, sentences, english=False)["flesch_reading_ease"] is None
    assert measure("", [])["words"] == 0
