"""Plain text (.txt, .md, standard input): decode, clean scrape residue, lift metadata."""

from __future__ import annotations

from ..records import Analysis, Rejection
from . import encoding, residue
from .metadata import Candidate, build
from .rejection import reject

READER = "text/1"


MAX_LISTED_RUNS = 20


def decode_input(data: bytes, source_path: str) -> tuple[str, list[Candidate]] | Rejection:
    """The cleaned decoded text of ``data`` and how it was decoded, or why it cannot be text.

    How: nothing for plain UTF-8; else an ``encoding`` candidate (the encoding, the rule
    that chose it as method) and, when bytes were replaced, a ``replaced_bytes`` one.
    """
    why = encoding.binary_kind(data[: encoding.SNIFF_BYTES])
    if why:
        return reject(source_path, "binary", why)
    decoded = encoding.decode(data)
    if decoded is None:
        return reject(source_path, "undecodable", f"{len(data)} bytes")
    text = encoding.clean(decoded.text)
    if encoding.is_blank(text):
        return reject(source_path, "empty", "no characters besides white space" if data else "0 bytes")
    return text, provenance(decoded)


def provenance(decoded: encoding.Decoded) -> list[Candidate]:
    """Metadata candidates that say how ``decoded`` was decoded (none for plain UTF-8)."""
    if decoded.method == "utf-8":
        return []
    out = [Candidate("encoding", decoded.encoding, decoded.method, decoded.confidence)]
    if decoded.replaced:
        out.append(Candidate("replaced_bytes", replaced_summary(decoded), "utf-8/replace", 1.0))
    return out


def replaced_summary(decoded: encoding.Decoded) -> str:
    """How many bytes were replaced by U+FFFD and where: byte offsets into the input and
    character offsets into the decoded input (before residue cleaning, like Residue's)."""
    runs = decoded.replaced
    n = sum(end - start for start, end in runs)

    def span(start: int, end: int) -> str:
        return str(start) if end - start == 1 else f"{start}-{end - 1}"

    shown = runs[:MAX_LISTED_RUNS]
    more = f", and {len(runs) - len(shown)} more" if len(runs) > len(shown) else ""
    where_bytes = ", ".join(span(s, e) for s, e in shown) + more
    where_chars = ", ".join(span(c, c + e - s) for c, (s, e) in zip(decoded.replaced_chars, shown)) + more
    runs_text = "" if len(runs) == 1 else f" in {len(runs)} runs"
    return (
        f"{n} byte{'s' if n != 1 else ''}{runs_text} at byte{'s' if n != 1 else ''} {where_bytes} "
        f"(character{'s' if n != 1 else ''} {where_chars} of the decoded input), each now U+FFFD"
    )


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
    decoded = decode_input(data, source_path)
    if isinstance(decoded, Rejection):
        return decoded
    text, how = decoded
    return from_text(text, source_path, verbatim=verbatim, extra=[*how, *(extra or [])], reader=reader)
