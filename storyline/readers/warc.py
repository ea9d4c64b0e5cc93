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
from .gunzip import GunzipReader, Truncated
from .metadata import Candidate
from .rejection import reject

READER = "warc/1"
DOCUMENT_TYPES = ("response", "resource")


def read(stream: BinaryIO, path: str, *, verbatim: bool, max_bytes: int) -> Iterator[Analysis | Rejection]:
    from warcio.archiveiterator import ArchiveIterator

    head = stream.read(2)
    stream.seek(0)
    source: BinaryIO = io.BufferedReader(GunzipReader(stream)) if head == b"\x1f\x8b" else stream
    n = 0
    try:
        for n, record in enumerate(ArchiveIterator(source, arc2warc=True), start=1):
            if record.rec_type in DOCUMENT_TYPES:
                yield from _record(record, f"{path}#record{n}", verbatim=verbatim, max_bytes=max_bytes)
    except Truncated as exc:
        yield reject(f"{path}#record{n + 1}", "truncated", str(exc))
    except Exception as exc:  # warcio raises many kinds on a cut or corrupt archive
        yield reject(f"{path}#record{n + 1}", "truncated", f"{type(exc).__name__}: {exc}")


def _record(record, locator: str, *, verbatim: bool, max_bytes: int) -> Iterator[Analysis | Rejection]:
    if record.length and record.length > max_bytes:
        yield reject(locator, "too-large", f"{record.length} bytes")
        return
    kind = _content_type(record)
    status = record.http_headers.get_statuscode() if record.http_headers else "200"
    if not str(status).startswith("2"):
        yield reject(locator, "unsupported", f"HTTP status {status}")
        return
    if "html" not in kind and not kind.startswith("text/plain"):
        yield reject(locator, "unsupported", f"content type {kind or 'unknown'}")
        return
    payload = record.content_stream().read(max_bytes + 1)
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        yield reject(locator, "truncated", f"{missing} bytes of the record are missing")
        return
    extra = _candidates(record)
    if "html" in kind:
        yield html.from_bytes(payload, locator, verbatim=verbatim, extra=extra, reader=READER)
        return
    yield text.from_bytes(payload, locator, verbatim=verbatim, extra=extra, reader=READER)


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
