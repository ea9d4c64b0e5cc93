"""WARC and ARC archives, record by record (warcio).

HTML responses go through the HTML reader, plain-text ones through the text
reader. ``WARC-Target-URI`` gives the URL; ``WARC-Date`` (the crawl time) is a
weak fallback for the publication date. A cut or corrupt archive yields a
``truncated`` rejection for the record being read; earlier records are kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from ..records import Analysis, Rejection
from . import html, text
from .gunzip import GunzipReader
from .metadata import Candidate
from .rejection import reject

READER = "warc/1"
DOCUMENT_TYPES = ("response", "resource")
RECORD_TYPES = ("warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation")


def read(stream: BinaryIO, path: str, *, verbatim: bool, max_bytes: int) -> Iterator[Analysis | Rejection]:
    from warcio.archiveiterator import ArchiveIterator

    head = stream.read(2)
    stream.seek(0)
    gunzip = GunzipReader(stream) if head == b"\x1f\x8b" else None
    records = ArchiveIterator(io.BufferedReader(gunzip) if gunzip else stream, arc2warc=True)
    n, last, done = 0, None, True
    try:
        for n, record in enumerate(records, start=1):
            last, done = record, record.rec_type not in DOCUMENT_TYPES
            if not done:
                item = _record(record, f"{path}#record{n}", verbatim=verbatim, max_bytes=max_bytes)
                done = True
                yield item
                if isinstance(item, Rejection) and item.reason == "truncated":
                    return
    except Exception as exc:  # warcio raises many kinds on a cut or corrupt archive
        why = gunzip.truncated if gunzip and gunzip.truncated else f"{type(exc).__name__}: {exc}"
        yield reject(f"{path}#record{n if not done else n + 1}", "truncated", why)
        return
    why = gunzip.truncated if gunzip else _leftover(stream, records, last)
    if why:
        missing = getattr(getattr(last, "raw_stream", None), "limit", 0)
        whole = last is None or (not missing and last.rec_type in RECORD_TYPES)
        yield reject(f"{path}#record{n + 1 if whole else n}", "truncated", why)


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
        return reject(locator, "too-large", f"{record.length} bytes")
    payload = record.content_stream().read(max_bytes + 1)
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
