"""File names that are not UTF-8: the file is read, and its source path is stored in an
escaped, valid UTF-8 form (each byte that is not UTF-8 written as ``\\xNN``)."""

from __future__ import annotations

import os

from storyline.readers import read_paths
from storyline.records import Analysis, Rejection

from conftest import GOOD  # noqa: E402  (tests/hostile/conftest.py)


def make(tmp_path, name: bytes, data: bytes) -> str:
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb") as out:
        out.write(data)
    return os.fsdecode(path)


def test_names_non_utf8_name_is_read_with_an_escaped_source_path(tmp_path):
    make(tmp_path, b"caf\xff.txt", GOOD.encode())
    (item,) = read_paths([str(tmp_path)])
    assert isinstance(item, Analysis)
    assert item.document.source_path == f"{tmp_path}/caf\\xff.txt"
    item.document.source_path.encode("utf-8")  # storable
    assert item.document.text == GOOD.strip()


def test_names_non_utf8_name_in_rejections_and_row_locators(tmp_path):
    make(tmp_path, b"bad\xfe.jsonl", b'{"text": "The pier reopened on Tuesday."}\nnot json\n')
    make(tmp_path, b"empty\xfd.txt", b"")
    items = list(read_paths([str(tmp_path)]))
    paths = [i.source_path if isinstance(i, Rejection) else i.document.source_path for i in items]
    assert paths == [f"{tmp_path}/bad\\xfe.jsonl#L1", f"{tmp_path}/bad\\xfe.jsonl#L2", f"{tmp_path}/empty\\xfd.txt"]
    for p in paths:
        p.encode("utf-8")


def test_names_non_utf8_name_end_to_end(tmp_path, good, ingest):
    folder = tmp_path / "in"
    good(folder, "a-good.txt")
    make(folder, b"b-caf\xe9\xff.txt", GOOD.replace("Tuesday", "Wednesday").encode())
    good(folder, "c-good.txt", GOOD.replace("Tuesday", "Friday"))
    docs, rejections, _ = ingest([folder])
    assert rejections == []
    assert sorted(d["source_path"] for d in docs) == [
        f"{folder}/a-good.txt", f"{folder}/b-caf\\xe9\\xff.txt", f"{folder}/c-good.txt"
    ]
