"""A streaming gzip reader that notices truncation (multi-member files included).

``gzip.GzipFile`` raises at the very end, and warcio's own decompression simply
stops at a cut member; this reader raises :class:`Truncated` as soon as the
compressed input ends inside a member, so the records before it are kept.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

CHUNK = 64 * 1024


class Truncated(Exception):
    pass


class GunzipReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self._z = zlib.decompressobj(wbits=31)
        self._started = False  # has the current member received any input?
        self._buffer = b""

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
        """Decompress one more chunk into the buffer; False at a clean end."""
        if self._z.eof:
            rest = self._z.unused_data
            self._z = zlib.decompressobj(wbits=31)
            self._started = False
            if rest:
                return self._feed(rest)
        chunk = self.raw.read(CHUNK)
        if not chunk:
            if self._started and not self._z.eof:
                raise Truncated("the compressed data ends inside a gzip member")
            return False
        return self._feed(chunk)

    def _feed(self, data: bytes) -> bool:
        self._started = True
        try:
            self._buffer += self._z.decompress(data)
        except zlib.error as exc:
            raise Truncated(f"corrupt gzip data ({exc})") from exc
        return True
