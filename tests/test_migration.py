"""A corpus written by release 0.1.0 (schema 1) opens, migrates and keeps every record; the example
corpus ingested today gives the same records, offsets and methods as that release did."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from storyline import Corpus, store

RELEASE_1 = Path(__file__).parent / "data" / "example-0.1.0.db"
# Tables of release 0.1.0, compared row for row (stage_runs is new).
TABLES = ("documents", "metadata", "residue", "sentences", "mentions", "entities", "quotes", "events", "rejections")


def rows(path: Path, table: str, drop: tuple[str, ...] = ()) -> list[tuple]:
    con = sqlite3.connect(path)
    cols = [r[1] for r in con.execute(f"PRAGMA table_info([{table}])") if r[1] not in drop]
    out = sorted(con.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{table}]").fetchall(), key=repr)
    con.close()
    return out


@pytest.fixture
def old_corpus(tmp_path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(RELEASE_1, path)
    return path


def test_migration_release_1_corpus_opens_and_gains_stage_runs(old_corpus):
    before = {t: rows(old_corpus, t) for t in TABLES}
    corpus = Corpus(old_corpus)
    assert len(list(corpus.docs())) == 16
    corpus.close()
    con = sqlite3.connect(old_corpus)
    assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    runs = con.execute("SELECT stage, version, count(*) FROM stage_runs GROUP BY 1, 2 ORDER BY 1").fetchall()
    assert runs == [("actors", "1", 16), ("events", "1", 16), ("parse", "1", 16), ("quotes", "1", 16)]
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "idx_stage_runs_stage" in indexes
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert {t: rows(old_corpus, t) for t in TABLES} == before


def test_migration_release_1_corpus_gets_the_new_stage_from_analyze(old_corpus):
    """Release 0.1.0 had no claims stage: analyze runs it, and only it, on the stored documents."""
    before = {t: rows(old_corpus, t) for t in TABLES}
    out = Corpus(old_corpus).analyze(workers=1)
    assert out["runs"] == [{"stages": ["claims"], "documents": 16, "failed": 0}]
    con = sqlite3.connect(old_corpus)
    assert con.execute("SELECT count(*) FROM stage_runs WHERE stage = 'claims'").fetchone()[0] == 16
    con.close()
    after = {t: rows(old_corpus, t) for t in TABLES}
    assert after == before  # nothing of what was stored changed
    assert Corpus(old_corpus).analyze(workers=1)["runs"] == []


def test_migration_readonly_listing_of_old_corpus_migrates_it_once(old_corpus):
    list(Corpus(old_corpus).quotes())
    con = sqlite3.connect(old_corpus)
    assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION


def test_migration_example_corpus_records_equal_release_1(example_corpus):
    """The restructured pipeline writes exactly the rows release 0.1.0 wrote: same ids, offsets, methods."""
    for table in TABLES:
        # the fixture reads examples/corpus by its absolute path; release 0.1.0's file was made from the checkout
        drop = ("source_path", "message") if table in ("documents", "rejections") else ()
        assert rows(example_corpus, table, drop) == rows(RELEASE_1, table, drop), table
