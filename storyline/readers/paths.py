"""File names as stored: valid UTF-8 always, whatever bytes the file system holds.

On POSIX a file name is bytes; Python hands a name that is not UTF-8 over as a
str with lone surrogates (``b"caf\\xff"`` becomes ``"caf\\udcff"``), which SQLite
cannot store. Readers open the real name and store :func:`display_path` of it:
each byte that is not UTF-8 written as the four characters ``\\xNN`` (so
``caf\\xff.txt``), any other lone surrogate as ``\\uNNNN``. A name that is valid
UTF-8 is stored unchanged. The escaped form is for reading and for matching a
later ingest of the same file; it is not a name to open (``os.fsencode`` of
the original str is).
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte escaped by the file system decoding (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def display_path(path: str) -> str:
    """``path`` with every lone surrogate escaped: a str that encodes as UTF-8."""
    if path.isascii() or not _SURROGATE.search(path):
        return path
    return _SURROGATE.sub(_escape, path)
