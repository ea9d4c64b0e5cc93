"""Bytes to text: BOMs, UTF-8 first, then charset-normalizer; binary sniffing.

Every function here is pure. Cleaning replaces NUL characters and lone
surrogates with U+FFFD one character for one, so offsets into the decoded
input hold in the stored text.
"""

from __future__ import annotations

import codecs
import re

# Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# File signatures of common binary formats (gzip is not here: .warc.gz is text inside).
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x7fELF", "ELF"),
    (b"MZ", "Windows executable"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE (old Office)"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg"),
    (b"ID3", "MP3"),
    (b"PAR1", "Parquet"),
)
GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 8192
# Control bytes that never appear in text (tab, newlines, form feed, escape are fine).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def bom_encoding(data: bytes) -> str | None:
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    return None


def binary_kind(sample: bytes) -> str | None:
    """Why ``sample`` (the first bytes of an input) looks binary, or None for text."""
    for magic, name in MAGIC:
        if sample.startswith(magic):
            return f"{name} signature"
    if sample.startswith(GZIP_MAGIC):
        return "gzip-compressed data"
    if not sample or bom_encoding(sample):
        return None
    head = sample[:SNIFF_BYTES]
    nul = head.count(0)
    if nul / len(head) > 0.01:
        return f"{nul} NUL bytes in the first {len(head)}"
    control = sum(head.count(bytes([b])) for b in _CONTROL)
    if control / len(head) > 0.10:
        return f"{control} control bytes in the first {len(head)}"
    return None


def decode(data: bytes) -> tuple[str, str] | None:
    """Decode ``data``; return (text, encoding name), or None when hopeless."""
    bom = bom_encoding(data)
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError:
            return None
        return text.removeprefix("\ufeff"), bom
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _guess(data)


def _guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None


def clean(text: str) -> str:
    """Replace NUL characters and lone surrogates with U+FFFD, one for one."""
    return _BAD_CHARS.sub(REPLACEMENT, text)


def is_blank(text: str) -> bool:
    return not text.replace(REPLACEMENT, "").strip()
