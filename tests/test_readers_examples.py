"""The example corpus: small, FICTIONAL, readable, and its broken inputs rejected as documented."""

from __future__ import annotations

from pathlib import Path

from storyline.readers import read_paths
from storyline.records import Analysis, Rejection

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FICTIONAL = "This is a FICTIONAL document written for the storyline examples"


def test_readers_examples_read_as_documents():
    items = list(read_paths([str(EXAMPLES / "corpus")]))
    docs = [i for i in items if isinstance(i, Analysis)]
    good = [d for d in docs if "/broken/" not in d.document.source_path]
    assert len(good) >= 10
    assert {d.document.reader.split("/")[0] for d in good} == {"text", "html", "csv", "jsonl", "warc"}
    for d in docs:
        assert FICTIONAL in d.document.text, d.document.source_path
        assert d.document.language == "en"


def test_readers_examples_broken_inputs():
    items = list(read_paths([str(EXAMPLES / "corpus" / "broken")]))
    rejected = {Path(r.source_path).name: r.reason for r in items if isinstance(r, Rejection)}
    assert rejected == {
        "empty.txt": "empty",
        "mixed-rows.jsonl#L2": "malformed-json",
        "photo.png": "binary",
        "truncated.warc.gz#record3": "truncated",
    }
    kept = sorted(Path(a.document.source_path).name for a in items if isinstance(a, Analysis))
    assert kept == ["mixed-rows.jsonl#L1", "mixed-rows.jsonl#L3", "truncated.warc.gz#record2"]


def test_readers_examples_are_small_and_marked():
    files = [p for p in EXAMPLES.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 100_000
    assert "FICTIONAL" in (EXAMPLES / "README.md").read_text()
