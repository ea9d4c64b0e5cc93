"""Decompression bombs: a small .warc.gz that inflates to megabytes or gigabytes.

Every bomb is made here, streamed chunk by chunk (none is over a few MB on disk).
Reading one must stop early with a ``too-large`` rejection that names the limit,
keep the records and files beside it, and stay within bounded memory and time.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest

from storyline.errors import REASONS
from storyline.readers import DEFAULT_MAX_BYTES, read_paths
from storyline.records import Analysis, Rejection

ROOT = Path(__file__).resolve().parents[2]
MIB = 1 << 20
GIB = 1 << 30
PAGE = (
    "<html><head><title>Pier reopens</title></head><body><article><p>"
    "The harbour authority said on Tuesday that the northern pier would reopen next month.</p><p>"
    "Officials in Kaltovia confirmed the repairs were finished ahead of schedule.</p></article></body></html>"
)


def gzip_member(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9)


def zeros_member(n: int) -> bytes:
    """One gzip member holding ``n`` zero bytes, compressed 1 MiB at a time."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block, out = bytes(MIB), io.BytesIO()
    for _ in range(n // MIB):
        out.write(z.compress(block))
    out.write(z.compress(bytes(n % MIB)))
    out.write(z.flush())
    return out.getvalue()


def write_zeros(out, n: int, piece: int = 256 * MIB) -> None:
    """Write ``n`` zero bytes as gzip members of ``piece`` bytes (the same member repeated)."""
    member = zeros_member(piece)
    for _ in range(n // piece):
        out.write(member)
    if n % piece:
        out.write(zeros_member(n % piece))


def warc_record(body: bytes, *, uri: str = "https://example.org/a", length: int | None = None,
                http_headers: bytes = b"Content-Type: text/html; charset=utf-8\r\n") -> bytes:
    """A WARC response record (headers, HTTP headers, body, the two closing CRLFs)."""
    http = b"HTTP/1.1 200 OK\r\n" + http_headers + b"\r\n"
    size = len(http) + len(body) if length is None else length
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri.encode()
        + b"\r\nWARC-Date: 2024-04-10T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-"
        + f"{abs(hash(uri)) % 10**12:012d}".encode() + b">\r\nContent-Type: application/http; msgtype=response\r\n"
        + f"Content-Length: {size}\r\n\r\n".encode()
    )
    return head + http + body + (b"\r\n\r\n" if length is None else b"")


def good_warc_member(uri: str = "https://example.org/good") -> bytes:
    return gzip_member(warc_record(PAGE.encode(), uri=uri))


def assert_too_large(r, limit: int) -> None:
    assert isinstance(r, Rejection), r
    assert r.reason == "too-large", r
    assert r.message.startswith(REASONS["too-large"])
    assert str(limit) in r.message, r.message  # the message names the limit
    assert len(r.message) <= 300, len(r.message)


# ---- small bombs, read in this process ---------------------------------------------------


def test_bomb_10mb_of_zeros_is_too_large_with_a_short_message(tmp_path, good):
    bomb = tmp_path / "zeros.warc.gz"
    bomb.write_bytes(zeros_member(10 * MIB))
    assert bomb.stat().st_size < 50_000
    good(tmp_path)
    items = list(read_paths([str(tmp_path)]))
    assert len(items) == 2, items
    assert isinstance(items[0], Analysis) and items[0].document.source_path.endswith("good.txt")
    bad = items[1]
    assert bad.source_path.startswith(str(bomb))
    assert bad.reason == "too-large" and len(bad.message) <= 300, (bad.reason, bad.message[:400])


def test_bomb_after_a_good_record_keeps_the_good_record(tmp_path):
    bomb = tmp_path / "crawl.warc.gz"
    with bomb.open("wb") as out:
        out.write(good_warc_member())
        out.write(gzip_member(warc_record(b"", uri="https://example.org/bomb", length=4 * GIB)))
        write_zeros(out, 300 * MIB, piece=100 * MIB)
    items = list(read_paths([str(bomb)]))
    assert isinstance(items[0], Analysis) and items[0].document.url == "https://example.org/good"
    assert all(isinstance(i, Rejection) for i in items[1:]) and items[1:]
    assert_too_large(items[1], DEFAULT_MAX_BYTES)
    assert items[1].source_path == f"{bomb}#record2"


def test_bomb_record_over_max_bytes_is_skipped_and_the_next_record_read(tmp_path):
    """A record over --max-bytes (here 1 MiB) is refused; a plain record after it is still read."""
    crawl = tmp_path / "crawl.warc.gz"
    rng = random.Random(24)  # text that compresses as text does (3 to 4 times), not as a bomb
    words = [bytes(rng.choices(b"abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(5000)]
    big = b"<html><body><p>" + b" ".join(rng.choices(words, k=400_000)) + b"</p></body></html>"  # 2.4 MiB
    with crawl.open("wb") as out:
        out.write(gzip_member(warc_record(big, uri="https://example.org/big")))
        out.write(good_warc_member("https://example.org/after"))
    first, second = read_paths([str(crawl)], max_bytes=MIB)
    assert_too_large(first, MIB)
    assert isinstance(second, Analysis) and second.document.url == "https://example.org/after"


def test_bomb_content_encoding_gzip_payload_is_bounded(tmp_path):
    """An HTTP body with Content-Encoding: gzip is a second layer: its inflated size is bounded too."""
    crawl = tmp_path / "crawl.warc.gz"
    body = zeros_member(64 * MIB)
    headers = b"Content-Type: text/html\r\nContent-Encoding: gzip\r\n"
    with crawl.open("wb") as out:
        out.write(gzip_member(warc_record(body, uri="https://example.org/layered", http_headers=headers)))
        out.write(good_warc_member("https://example.org/after"))
    first, second = read_paths([str(crawl)], max_bytes=8 * MIB)
    assert_too_large(first, 8 * MIB)
    assert isinstance(second, Analysis) and second.document.url == "https://example.org/after"


def test_bomb_end_to_end_stores_short_reason_and_good_file(tmp_path, good, ingest):
    bomb = tmp_path / "in" / "zeros.warc.gz"
    bomb.parent.mkdir()
    bomb.write_bytes(zeros_member(10 * MIB))
    good(tmp_path / "in")
    docs, rejections, _ = ingest([tmp_path / "in"])
    assert [d["source_path"] for d in docs] == [str(tmp_path / "in" / "good.txt")]
    assert [r["reason"] for r in rejections] == ["too-large"]
    assert len(rejections[0]["message"]) <= 300


# ---- gigabyte bombs, read in a child process to measure its memory -----------------------

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from storyline.readers import read_paths
    start = time.monotonic()
    out = []
    for item in read_paths(sys.argv[1:]):
        if hasattr(item, "reason"):
            out.append({"path": item.source_path, "reason": item.reason, "message": item.message})
        else:
            out.append({"path": item.document.source_path, "doc": True})
    print(json.dumps({"items": out, "seconds": time.monotonic() - start,
                      "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    """
)


def _limit_memory() -> None:  # keep the machine safe if the reader does inflate everything
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (6 * GIB, 6 * GIB))


def read_in_child(paths: list[Path], timeout: float = 30.0) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, *map(str, paths)], capture_output=True, text=True, timeout=timeout,
            env=env, cwd=ROOT, preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading the bomb ran for more than {timeout} s")
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["elapsed"] = elapsed
    return result


@pytest.fixture(scope="module")
def gigabyte_bombs(tmp_path_factory):
    """Two 2 GiB bombs (about 2 MB each on disk) and a good file beside them."""
    folder = tmp_path_factory.mktemp("bombs")
    raw = folder / "raw.warc.gz"  # 2 GiB of zeros where a WARC header should be
    with raw.open("wb") as out:
        write_zeros(out, 2 * GIB)
    record = folder / "record.warc.gz"  # a good record, then a record declaring 2 GiB of zeros
    with record.open("wb") as out:
        out.write(good_warc_member())
        out.write(gzip_member(warc_record(b"", uri="https://example.org/bomb", length=2 * GIB + 100)))
        write_zeros(out, 2 * GIB)
    (folder / "good.txt").write_text(
        "The harbour authority said on Tuesday that the northern pier would reopen next month.\n", encoding="utf-8"
    )
    for path in (raw, record):
        assert path.stat().st_size < 4 * MIB
    return folder


@pytest.mark.parametrize("name", ["raw.warc.gz", "record.warc.gz"])
def test_bomb_2gib_bounded_memory_and_time(gigabyte_bombs, name):
    result = read_in_child([gigabyte_bombs / name, gigabyte_bombs / "good.txt"])
    assert result["elapsed"] < 30, result["elapsed"]
    assert result["peak_kib"] * 1024 < GIB, result["peak_kib"]
    items = result["items"]
    assert items[-1] == {"path": str(gigabyte_bombs / "good.txt"), "doc": True}
    bad = [i for i in items if i.get("reason")]
    assert bad and bad[0]["reason"] == "too-large", bad
    assert all(len(b["message"]) <= 300 for b in bad)
    if name == "record.warc.gz":  # the record declares 2 GiB: over --max-bytes
        assert items[0].get("doc") and items[0]["path"].endswith("#record1")
        assert bad[0]["path"].endswith("#record2") and str(DEFAULT_MAX_BYTES) in bad[0]["message"]
    else:  # zeros where a WARC header should be: over the header limit
        from storyline.readers import warc

        assert str(getattr(warc, "MAX_HEADER_BYTES", "a named limit")) in bad[0]["message"]


def test_bomb_uncompressed_warc_header_line_is_bounded(tmp_path):
    """warcio holds a header line whole (and joins it quadratically): an uncompressed archive's
    headers are bounded too, and the archive's good first record is kept."""
    from storyline.readers import warc

    crawl = tmp_path / "crawl.warc"
    crawl.write_bytes(warc_record(PAGE.encode()) + b"WARC/1.0\r\nWARC-Type: " + b"x" * (3 * MIB))
    first, second = read_paths([str(crawl)])
    assert isinstance(first, Analysis)
    assert second.source_path == f"{crawl}#record2"
    assert_too_large(second, getattr(warc, "MAX_HEADER_BYTES", "a named limit"))
