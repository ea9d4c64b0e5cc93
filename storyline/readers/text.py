"""Plain text (.txt, .md, standard input): decode, clean scrape residue, lift metadata."""

from __future__ import annotations

from ..records import Analysis, Rejection
from . import encoding, residue
from .metadata import Candidate, build
from .rejection import reject

READER = "text/1"


def decode_input(data: bytes, source_path: str) -> str | Rejection:
    """The cleaned decoded text of ``data``, or why it cannot be text."""
    why = encoding.binary_kind(data[: encoding.SNIFF_BYTES])
    if why:
        return reject(source_path, "binary", why)
    decoded = encoding.decode(data)
    if decoded is None:
        return reject(source_path, "undecodable", f"{len(data)} bytes")
    text = encoding.clean(decoded[0])
    if encoding.is_blank(text):
        return reject(source_path, "empty", "no characters besides white space" if data else "0 bytes")
    return text


def from_text(
    text: str,
    source_path: str,
    *,
    verbatim: bool = False,
    extra: list[Candidate] | None = None,
    reader: str = READER,
) -> Analysis | Rejection:
    """Analysis of decoded text; with ``verbatim`` the stored text is ``text`` itself."""
    if verbatim:
        candidates = list(residue.lift(residue.classify(text)))
        stored, cuts = text, []
    else:
        stored, cuts, candidates = residue.clean(text)
    if encoding.is_blank(stored):
        return reject(source_path, "empty", f"only scrape residue ({len(cuts)} lines)")
    candidates = [*candidates, *(extra or [])]
    return build(stored, source_path=source_path, reader=reader, candidates=candidates, cuts=cuts, verbatim=verbatim)


def from_bytes(
    data: bytes,
    source_path: str,
    *,
    verbatim: bool = False,
    extra: list[Candidate] | None = None,
    reader: str = READER,
) -> Analysis | Rejection:
    text = decode_input(data, source_path)
    if isinstance(text, Rejection):
        return text
    return from_text(text, source_path, verbatim=verbatim, extra=extra, reader=reader)
