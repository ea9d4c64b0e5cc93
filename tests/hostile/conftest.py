"""Helpers for the hostile-input suite: a good document, a corpus run, an integrity check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

GOOD = (
    "The harbour authority said on Tuesday that the northern pier would reopen next month. "
    "Officials in Kaltovia confirmed the repairs were finished ahead of schedule.\n"
)


@pytest.fixture
def good():
    """Write a good text document named ``name`` under ``folder``; return its path."""

    def write(folder: Path, name: str = "good.txt", text: str = GOOD) -> Path:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def ingest(tmp_path):
    """Ingest paths into a fresh corpus (one process); return (docs, rejections, db path)."""
    from storyline import Corpus

    def run(paths, **options):
        db = tmp_path / "hostile.db"
        with Corpus(db) as corpus:
            corpus.ingest([str(p) for p in paths], workers=1, **options)
            docs, rejections = list(corpus.docs()), list(corpus.rejections())
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
        return docs, rejections, db

    return run
