"""WARC and ARC archives, record by record (warcio).

HTML responses go through the HTML reader, plain-text ones through the text
reader. ``WARC-Target-URI`` gives the URL; ``WARC-Date`` (the crawl time) is a
weak fallback for the publication date. A cut or corrupt archive yields a
``truncated`` rejection for the record being read; earlier records are kept.

Sizes are bounded as the archive is read, compressed or not (never by
inflating it first, see :mod:`.gunzip`), each past limit a ``too-large``
rejection that names it:

* a record's headers (WARC and HTTP) to ``MAX_HEADER_BYTES``: warcio reads them
  line by line, and a "line" of gigabytes of zeros would be held whole;
* a record's declared length, and its payload once HTTP Content-Encoding is
  undone, to ``max_bytes`` (``--max-bytes``); such a record is skipped and the
  next one read;
* a compressed archive to ``MAX_RATIO`` times its compressed size, past
  ``max_bytes``: the rest of it is not read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from ..records import Analysis, Rejection
from . import html, text
from .gunzip import MAX_RATIO, GunzipReader
from .metadata import Candidate
from .rejection import reject

READER = "warc/1"
MAX_HEADER_BYTES = 1 << 20  # the most bytes a record's WARC and HTTP headers may take
SLACK = 1 << 20  # read-ahead buffers hold a little of the next record
DRAIN = 64 * 1024
__all__ = ["MAX_HEADER_BYTES", "MAX_RATIO", "read"]
DOCUMENT_TYPES = ("response", "resource")
RECORD_TYPES = ("warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation")


def read(stream: BinaryIO, path: str, *, verbatim: bool, max_bytes: int) -> Iterator[Analysis | Rejection]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.bufferedreaders import BufferedReader

    head = stream.read(2)
    stream.seek(0)
    compressed = head == b"\x1f\x8b"
    source = GunzipReader(stream, decompress=compressed, floor=max_bytes if compressed else None)
    records = ArchiveIterator(io.BufferedReader(source), arc2warc=True)
    # warcio would inflate a gzip stream it finds inside ours, past every bound here: it gets plain bytes.
    records.reader = BufferedReader(records.fh, block_size=records.reader.block_size)
    headers = f"a record's headers run past the {MAX_HEADER_BYTES}-byte limit (warc.MAX_HEADER_BYTES)"
    source.allow(MAX_HEADER_BYTES, headers)
    n, last, done = 0, None, True
    try:
        for n, record in enumerate(records, start=1):
            if source.too_large:  # the headers ran past their limit: warcio made a record of a part of them
                yield reject(f"{path}#record{n}", "too-large", source.too_large)
                return
            last, done = record, record.rec_type not in DOCUMENT_TYPES
            declared = max(record.length or 0, 0)
            source.allow(max(declared, max_bytes) + SLACK, f"record {n} runs past its declared {declared} bytes")
            if not done:
                item = _record(record, f"{path}#record{n}", verbatim=verbatim, max_bytes=max_bytes)
                done = True
                if isinstance(item, Rejection) and source.too_large:  # a limit cut the payload short
                    item = reject(f"{path}#record{n}", "too-large", source.too_large)
                yield item
                if isinstance(item, Rejection) and (item.reason == "truncated" or source.too_large):
                    return
            _drain(record)  # skip the rest of the record in chunks, within its budget
            if source.too_large:
                yield reject(f"{path}#record{n + 1}", "too-large", source.too_large)
                return
            source.allow(MAX_HEADER_BYTES, headers)
    except Exception as exc:  # warcio raises many kinds on a cut or corrupt archive
        locator = f"{path}#record{n if not done else n + 1}"
        if source.too_large:
            yield reject(locator, "too-large", source.too_large)
            return
        why = source.truncated if source.truncated else f"{type(exc).__name__}: {exc}"
        yield reject(locator, "truncated", why)
        return
    if source.too_large:
        yield reject(f"{path}#record{n + 1}", "too-large", source.too_large)
        return
    why = source.truncated if compressed else _leftover(stream, records, last)
    if why:
        missing = getattr(getattr(last, "raw_stream", None), "limit", 0)
        whole = last is None or (not missing and last.rec_type in RECORD_TYPES)
        yield reject(f"{path}#record{n + 1 if whole else n}", "truncated", why)


def _drain(record) -> None:
    while record.raw_stream.read(DRAIN):
        pass


def _leftover(stream: BinaryIO, records, last) -> str | None:
    """Why an uncompressed archive has bytes after its last complete record, if it has."""
    try:
        end = records.get_record_offset() + records.get_record_length() if last is not None else 0
        stream.seek(end)
        rest = stream.read(1024).strip()
    except Exception:
        return None
    return f"{len(rest)}+ bytes after the last complete record" if rest else None


def _record(record, locator: str, *, verbatim: bool, max_bytes: int) -> Analysis | Rejection:
    if record.length and record.length > max_bytes:
        return reject(locator, "too-large", f"a record of {record.length} bytes, over the {max_bytes}-byte limit (--max-bytes)")
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:  # HTTP Content-Encoding inflated it
        return reject(locator, "too-large", f"the payload inflates past the {max_bytes}-byte limit (--max-bytes)")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return reject(locator, "truncated", f"{missing} bytes of the record are missing")
    status = record.http_headers.get_statuscode() if record.http_headers else "200"
    if not str(status).startswith("2"):
        return reject(locator, "unsupported", f"HTTP status {status}")
    kind = _content_type(record)
    if "html" not in kind and not kind.startswith("text/plain"):
        return reject(locator, "unsupported", f"content type {kind or 'unknown'}")
    extra = _candidates(record)
    if "html" in kind:
        return html.from_bytes(payload, locator, verbatim=verbatim, extra=extra, reader=READER)
    return text.from_bytes(payload, locator, verbatim=verbatim, extra=extra, reader=READER)


def _content_type(record) -> str:
    headers = record.http_headers if record.rec_type == "response" and record.http_headers else None
    value = headers.get_header("Content-Type") if headers else record.rec_headers.get_header("Content-Type")
    return (value or "").split(";")[0].strip().lower()


def _candidates(record) -> list[Candidate]:
    out = []
    uri = record.rec_headers.get_header("WARC-Target-URI")
    if uri:
        out.append(Candidate("url", uri.strip("<>"), "warc-header:WARC-Target-URI", 0.9))
    date = record.rec_headers.get_header("WARC-Date")
    if date:
        out.append(Candidate("published", date, "warc-header:WARC-Date", 0.3))
    return out
