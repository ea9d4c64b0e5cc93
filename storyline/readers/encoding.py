"""Bytes to text: BOMs, UTF-8 first, then charset-normalizer; binary sniffing.

Every function here is pure. Cleaning replaces NUL characters and lone
surrogates with U+FFFD one character for one, so offsets into the decoded
input hold in the stored text.

:func:`decode` tries, in order:

1. a byte-order mark: that encoding, strictly;
2. UTF-8, strictly;
3. *mostly UTF-8*: when the valid multi-byte UTF-8 characters are at least as many
   as the bytes that are not UTF-8 (a stray byte in a UTF-8 text; Western legacy
   text almost never holds even one valid multi-byte sequence), UTF-8 with each
   bad byte replaced by one U+FFFD, so offsets after it move by nothing; where they
   were is in :attr:`Decoded.replaced`;
4. charset-normalizer's guess, with a *Western prior*: when the guess is another
   single-byte codepage, cp1252 is taken instead unless the guess is clearly less
   messy by charset-normalizer's own mess ratio (by more than ``WESTERN_MARGIN``).
   cp1252 (which latin-1 text also is) is by far the most common legacy
   encoding, and on a short text many codepages decode equally cleanly:
   "Café naïve" came out as cp1250's "naďve" or cp775's "Cafķ".
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

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
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that surrogateescape could not decode
_HIGH = bytes(range(128, 256))
WESTERN = "cp1252"
WESTERN_NAMES = frozenset({"cp1252", "latin_1", "iso8859_15", "ascii"})
WESTERN_MARGIN = 0.05


class Decoded(NamedTuple):
    """Decoded text, the encoding, and how it was chosen."""

    text: str
    encoding: str
    method: str  # "utf-8", "bom", "utf-8/replace", "charset-normalizer/V", "western-prior/1 (...)"
    confidence: float = 1.0
    # Bytes replaced by U+FFFD (one character per byte): (start, end) byte offsets into the input,
    # and the character offset in ``text`` where each run starts.
    replaced: tuple[tuple[int, int], ...] = ()
    replaced_chars: tuple[int, ...] = ()


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


def decode(data: bytes) -> Decoded | None:
    """Decode ``data`` (see the module's docstring for the order), or None when hopeless.

    The result unpacks like the (text, encoding name) pair it used to be.
    """
    bom = bom_encoding(data)
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError:
            return mostly_utf8(data, skip=len(codecs.BOM_UTF8)) if bom == "utf-8" else None
        return Decoded(text.removeprefix("\ufeff"), bom, "bom")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    return mostly_utf8(data) or _guess(data)


def mostly_utf8(data: bytes, skip: int = 0) -> Decoded | None:
    """``data[skip:]`` as UTF-8 with bad bytes replaced, when it is mostly UTF-8; else None."""
    body = data[skip:] if skip else data
    text = body.decode("utf-8", "surrogateescape")
    runs = [(m.start(), m.end()) for m in _ESCAPED.finditer(text)]
    bad = sum(end - start for start, end in runs)
    high = len(body) - len(body.translate(None, _HIGH))
    multibyte = len(text) - (len(body) - high) - bad  # non-ASCII characters that decoded
    if not bad or multibyte < bad:
        return None
    replaced, at, byte = [], 0, skip
    for start, end in runs:  # byte offsets, one pass: each bad byte is one character
        byte += len(text[at:start].encode("utf-8")) if start > at else 0
        replaced.append((byte, byte + end - start))
        byte, at = byte + end - start, end
    confidence = round(multibyte / (multibyte + bad), 3)
    return Decoded(
        _ESCAPED.sub(lambda m: REPLACEMENT * len(m.group()), text), "utf-8", "utf-8/replace", confidence,
        tuple(replaced), tuple(start for start, _ in runs),
    )


def charset_normalizer_method() -> str:
    from importlib.metadata import version

    return f"charset-normalizer/{version('charset-normalizer')}"


def _guess(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes
    from charset_normalizer.utils import is_multi_byte_encoding

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    method = charset_normalizer_method()
    if best.encoding not in WESTERN_NAMES and not is_multi_byte_encoding(best.encoding):
        western = from_bytes(data, cp_isolation=[WESTERN]).best()
        if western is not None and western.chaos <= best.chaos + WESTERN_MARGIN:
            try:
                text = data.decode(WESTERN)
            except UnicodeDecodeError:
                pass
            else:
                rule = f"western-prior/1 ({method} guessed {best.encoding})"
                return Decoded(text, WESTERN, rule, round(1.0 - western.chaos, 3))
    try:
        return Decoded(data.decode(best.encoding), best.encoding, method, round(1.0 - best.chaos, 3))
    except (UnicodeDecodeError, LookupError):
        return None


def clean(text: str) -> str:
    """Replace NUL characters and lone surrogates with U+FFFD, one for one."""
    return _BAD_CHARS.sub(REPLACEMENT, text)


def is_blank(text: str) -> bool:
    return not text.replace(REPLACEMENT, "").strip()
