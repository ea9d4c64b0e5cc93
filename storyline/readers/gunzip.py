"""A streaming, bounded gzip reader that notices truncation (multi-member files included).

warcio's own decompression simply stops at a cut member. This reader ends
cleanly too, so every record before the cut is read, but it remembers why in
``truncated`` for the caller to report.

It is also where decompression bombs stop. It never holds more than
``OUT_CHUNK`` inflated bytes, and it ends early, remembering why in
``too_large``, when

* the caller's budget runs out: :meth:`allow` says how many more bytes it may
  hand out (the WARC reader gives a record's headers ``MAX_HEADER_BYTES``, its
  payload its declared length), or
* the whole input inflates to more than ``max_ratio`` (``MAX_RATIO``) times the
  compressed bytes read so far, once past ``floor`` bytes (``--max-bytes``). Real
  archives inflate 3 to 10 times; a bomb of zeros about 1,000 times.

With ``decompress=False`` it passes an uncompressed stream through under the
same budgets (the ratio is then 1).
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

CHUNK = 64 * 1024  # compressed bytes read at a time
OUT_CHUNK = 256 * 1024  # the most inflated bytes one step makes
MAX_RATIO = 100


class GunzipReader(io.RawIOBase):
    def __init__(
        self, raw: BinaryIO, *, decompress: bool = True, floor: int | None = None, max_ratio: int = MAX_RATIO
    ) -> None:
        self.raw = raw
        self._z = zlib.decompressobj(wbits=31) if decompress else None
        self._started = False  # has the current member received any input?
        self._buffer = b""
        self._pos = 0
        self.floor = floor
        self.max_ratio = max_ratio
        self.bytes_in = 0  # compressed bytes read from ``raw``
        self.bytes_made = 0  # bytes inflated
        self._budget: int | None = None  # bytes it may still hand out; None: no budget
        self._over = ""  # why, when the budget runs out
        self.truncated: str | None = None  # why the data ended early, if it did
        self.too_large: str | None = None  # why it stopped at a limit, if it did

    def readable(self) -> bool:
        return True

    def allow(self, n: int | None, why: str = "") -> None:
        """From now on hand out at most ``n`` more bytes (None: any number); past them, stop with ``why``."""
        self._budget, self._over = n, why

    def readinto(self, target) -> int:  # type: ignore[override]
        while self._pos >= len(self._buffer):
            if not self._fill():
                return 0
        if self._budget is not None and self._budget <= 0:
            self.too_large = self.too_large or self._over
            return 0
        n = min(len(target), len(self._buffer) - self._pos)
        if self._budget is not None:
            n = min(n, self._budget)
            self._budget -= n
        target[:n] = self._buffer[self._pos : self._pos + n]
        self._pos += n
        return n

    def _fill(self) -> bool:
        """Inflate one more step into the buffer; False at the end or at a limit."""
        if self.truncated or self.too_large:
            return False
        z = self._z
        data = b""
        if z is not None:
            if z.eof:
                data = z.unused_data
                z = self._z = zlib.decompressobj(wbits=31)
                self._started = False
            else:
                data = z.unconsumed_tail
        if not data:
            data = self.raw.read(CHUNK)
            self.bytes_in += len(data)
            if not data:
                if z is not None and self._started and not z.eof:
                    self.truncated = "the compressed data ends inside a gzip member"
                return False
        if z is None:
            out = data
        else:
            self._started = True
            try:
                out = z.decompress(data, OUT_CHUNK)
            except zlib.error as exc:
                self.truncated = f"corrupt gzip data ({exc})"
                return False
        self._buffer, self._pos = out, 0
        self.bytes_made += len(out)
        if self.floor is not None and self.bytes_made > max(self.floor, self.max_ratio * self.bytes_in):
            self.too_large = (
                f"the archive inflates to more than {self.max_ratio} times its compressed size and past the "
                f"{self.floor}-byte limit (--max-bytes); the rest is not read"
            )
            return False
        return True
