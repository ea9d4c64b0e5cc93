"""A streaming gzip reader that notices truncation (multi-member files included).

warcio's own decompression simply stops at a cut member. This reader ends
cleanly too, so every record before the cut is read, but it remembers why in
``truncated`` for the caller to report.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

CHUNK = 64 * 1024


class GunzipReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self._z = zlib.decompressobj(wbits=31)
        self._started = False  # has the current member received any input?
        self._buffer = b""
        self.truncated: str | None = None  # why the data ended early, if it did

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:  # type: ignore[override]
        while not self._buffer:
            if not self._fill():
                return 0
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def _fill(self) -> bool:
        """Decompress one more chunk into the buffer; False at the end."""
        if self.truncated:
            return False
        if self._z.eof:
            rest = self._z.unused_data
            self._z = zlib.decompressobj(wbits=31)
            self._started = False
            if rest:
                return self._feed(rest)
        chunk = self.raw.read(CHUNK)
        if not chunk:
            if self._started and not self._z.eof:
                self.truncated = "the compressed data ends inside a gzip member"
            return False
        return self._feed(chunk)

    def _feed(self, data: bytes) -> bool:
        self._started = True
        try:
            self._buffer += self._z.decompress(data)
        except zlib.error as exc:
            self.truncated = f"corrupt gzip data ({exc})"
            return False
        return True
