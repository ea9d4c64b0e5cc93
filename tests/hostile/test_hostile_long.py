"""Texts longer than the analysis takes are refused up front as ``too-long``, naming the limit."""

from __future__ import annotations

import json

from storyline.errors import REASONS
from storyline.readers import read_paths
from storyline.records import Analysis

LIMIT = 1_000_000
SENTENCE = "The harbour authority said on Tuesday that the northern pier would reopen next month. "


def long_text(n: int) -> str:
    return (SENTENCE * (n // len(SENTENCE) + 1))[:n]


def test_long_text_file_is_too_long_and_the_good_file_beside_it_is_read(tmp_path, good):
    from storyline import readers

    assert readers.MAX_CHARS == LIMIT
    (tmp_path / "a-long.txt").write_text(long_text(1_200_000), encoding="utf-8")
    good(tmp_path, "b-good.txt")
    bad, ok = read_paths([str(tmp_path)])
    assert bad.reason == "too-long" and bad.source_path == str(tmp_path / "a-long.txt")
    assert bad.message.startswith(REASONS["too-long"]) and str(LIMIT) in bad.message
    assert isinstance(ok, Analysis) and ok.document.source_path == str(tmp_path / "b-good.txt")


def test_long_jsonl_row_is_too_long_and_the_next_row_read(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"text": long_text(LIMIT + 1)}) + "\n" + json.dumps({"text": SENTENCE}) + "\n")
    bad, ok = read_paths([str(path)])
    assert bad.reason == "too-long" and bad.source_path == f"{path}#L1"
    assert ok.document.source_path == f"{path}#L2"


def test_long_text_at_the_limit_is_read(tmp_path):
    path = tmp_path / "edge.txt"
    path.write_text(long_text(LIMIT), encoding="utf-8")
    (item,) = read_paths([str(path)], verbatim=True)
    assert isinstance(item, Analysis) and item.document.n_chars == LIMIT
    from storyline import readers

    assert readers.MAX_CHARS == LIMIT


def test_long_end_to_end(tmp_path, good, ingest):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(long_text(1_200_000), encoding="utf-8")
    good(tmp_path / "in")
    docs, rejections, _ = ingest([tmp_path / "in"])
    assert [d["source_path"] for d in docs] == [str(tmp_path / "in" / "good.txt")]
    assert [r["reason"] for r in rejections] == ["too-long"]
