"""Symlink loops, dangling links and directory cycles: each real directory is walked once,
a bad link is a ``bad-link`` rejection, and the good files beside it are read."""

from __future__ import annotations

import os
import subprocess

import pytest

from storyline.errors import REASONS
from storyline.readers import expand_paths, read_paths
from storyline.records import Analysis, Rejection


def split(items):
    docs = [i.document.source_path for i in items if isinstance(i, Analysis)]
    rejections = {i.source_path: i for i in items if isinstance(i, Rejection)}
    return docs, rejections


def test_links_symlink_loop_is_rejected_and_good_files_read(tmp_path, good):
    good(tmp_path, "a-good.txt")
    good(tmp_path, "z-good.txt")
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    docs, rejections = split(list(read_paths([str(tmp_path)])))
    assert docs == [str(tmp_path / "a-good.txt"), str(tmp_path / "z-good.txt")]
    assert set(rejections) == {str(tmp_path / "a"), str(tmp_path / "b")}
    for r in rejections.values():
        assert r.reason == "bad-link" and r.message.startswith(REASONS["bad-link"])


def test_links_dangling_link_is_rejected(tmp_path, good):
    good(tmp_path)
    os.symlink("nowhere.txt", tmp_path / "dangling.txt")
    docs, rejections = split(list(read_paths([str(tmp_path)])))
    assert docs == [str(tmp_path / "good.txt")]
    assert rejections[str(tmp_path / "dangling.txt")].reason == "bad-link"


def test_links_loop_given_as_an_argument_is_rejected(tmp_path, good):
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    path = good(tmp_path)
    docs, rejections = split(list(read_paths([str(tmp_path / "a"), str(path)])))
    assert docs == [str(path)] and rejections[str(tmp_path / "a")].reason == "bad-link"


def test_links_directory_cycle_walks_each_directory_once(tmp_path, good):
    good(tmp_path / "top", "one.txt")
    good(tmp_path / "top" / "sub", "two.txt")
    os.symlink("..", tmp_path / "top" / "sub" / "up")
    os.symlink(".", tmp_path / "top" / "self")
    items = list(read_paths([str(tmp_path / "top")]))
    docs, rejections = split(items)
    assert docs == [str(tmp_path / "top" / "one.txt"), str(tmp_path / "top" / "sub" / "two.txt")]
    assert {p: r.reason for p, r in rejections.items()} == {
        str(tmp_path / "top" / "self"): "bad-link",
        str(tmp_path / "top" / "sub" / "up"): "bad-link",
    }
    assert "cycle" in rejections[str(tmp_path / "top" / "sub" / "up")].message
    assert list(expand_paths([str(tmp_path / "top")])) == docs


def test_links_two_links_to_one_directory_read_it_once(tmp_path, good):
    good(tmp_path / "real", "doc.txt")
    os.symlink("real", tmp_path / "alias")
    docs, rejections = split(list(read_paths([str(tmp_path)])))
    assert docs == [str(tmp_path / "alias" / "doc.txt")] and not rejections


def test_links_deep_tree_does_not_recurse(tmp_path, good):
    root = tmp_path / "deep"
    folder = root
    try:
        for _ in range(1200):  # deeper than Python's recursion limit (os.makedirs and shutil.rmtree recurse)
            folder = folder / "d"
            folder.mkdir(parents=folder == root / "d")
        good(folder)
        docs, _ = split(list(read_paths([str(root)])))
        assert docs == [str(folder / "good.txt")]
    finally:
        subprocess.run(["rm", "-rf", str(root)], check=True)


def test_links_end_to_end(tmp_path, good, ingest):
    good(tmp_path / "in")
    os.symlink("b", tmp_path / "in" / "a")
    os.symlink("a", tmp_path / "in" / "b")
    (tmp_path / "in" / "sub").mkdir()
    os.symlink("..", tmp_path / "in" / "sub" / "up")
    docs, rejections, _ = ingest([tmp_path / "in"])
    assert [d["source_path"] for d in docs] == [str(tmp_path / "in" / "good.txt")]
    assert sorted(r["reason"] for r in rejections) == ["bad-link"] * 3
