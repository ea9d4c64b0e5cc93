"""Which reader an input needs: by file extension, else by sniffing its first bytes."""

from __future__ import annotations

import json
import re
import zlib
from typing import Literal

from . import encoding

Format = Literal["text", "html", "warc", "jsonl", "csv", "tsv", "binary"]

EXTENSIONS: tuple[tuple[str, Format], ...] = (
    (".warc.gz", "warc"),
    (".arc.gz", "warc"),
    (".warc", "warc"),
    (".arc", "warc"),
    (".txt", "text"),
    (".text", "text"),
    (".md", "text"),
    (".markdown", "text"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".csv", "csv"),
    (".tsv", "tsv"),
)
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def by_extension(path: str) -> Format | None:
    lower = path.lower()
    return next((fmt for ext, fmt in EXTENSIONS if lower.endswith(ext)), None)


def sniff(sample: bytes) -> Format:
    """The format of an input from its first bytes (text when nothing else fits)."""
    if sample.startswith(encoding.GZIP_MAGIC):
        return "warc" if _gunzip_head(sample).startswith(b"WARC/") else "binary"
    if sample.startswith(b"WARC/"):
        return "warc"
    if encoding.binary_kind(sample):
        return "binary"
    body = sample.removeprefix(b"\xef\xbb\xbf")
    if _HTML.match(body):
        return "html"
    first = body.split(b"\n", 1)[0].strip()
    if first.startswith(b"{") and b"\n" in body:
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
    return "text"


def _gunzip_head(sample: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(sample, 16)
    except zlib.error:
        return b""


def detect(path: str, sample: bytes) -> Format:
    """The format of the file at ``path`` whose first bytes are ``sample``."""
    return by_extension(path) or sniff(sample)
