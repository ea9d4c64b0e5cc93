"""HTML pages: main text and metadata with trafilatura.

The stored text is trafilatura's main text, cleaned of residue lines like
plain text (a trailing "Call Now" inside the article block, say). With
``verbatim`` nothing is removed from that main text; markup is never stored.
"""

from __future__ import annotations

from importlib.metadata import version

from ..records import Analysis, Rejection
from . import residue
from .metadata import Candidate, build
from .rejection import reject
from .text import decode_input

READER = "html/1"
# What trafilatura's metadata attributes become, and how far to trust them.
FIELDS: tuple[tuple[str, str, float], ...] = (
    ("title", "title", 0.9),
    ("date", "published", 0.8),
    ("url", "url", 0.8),
    ("author", "author", 0.8),
    ("sitename", "sitename", 0.8),
)


def trafilatura_method() -> str:
    return f"trafilatura/{version('trafilatura')}"


def extract(html: str, url: str | None = None) -> tuple[str, list[Candidate]] | None:
    """(main text, metadata candidates) of a page, or None when it has no main text."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_images=False
        )
    except Exception:  # trafilatura raises many kinds on broken markup
        result = None
    text = (getattr(result, "text", None) or "").strip()
    if not text:
        try:
            text = trafilatura.baseline(html)[1].strip()
        except Exception:
            text = ""
    if not text:
        return None
    return text, list(_candidates(result))


def _candidates(result: object) -> list[Candidate]:
    method = trafilatura_method()
    out = []
    for attr, fld, confidence in FIELDS:
        value = getattr(result, attr, None)
        if isinstance(value, str) and value.strip():
            out.append(Candidate(fld, value, method, confidence))
    tags = [t for attr in ("categories", "tags") for t in (getattr(result, attr, None) or [])]
    if tags:
        out.append(Candidate("keywords", ", ".join(map(str, tags)), method, 0.7))
    return out


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
    decoded, how = decoded
    url = next((c.value for c in extra or [] if c.field == "url"), None)
    found = extract(decoded, url)
    if found is None:
        return reject(source_path, "malformed-html", f"{len(decoded)} characters of markup")
    text, candidates = found
    cuts, lifted = [], []
    if not verbatim:
        title = next((c.value for c in candidates if c.field == "title"), None)
        text, cuts, lifted = residue.clean(text, title)
        lifted = [c for c in lifted if c.field not in ("title", "published")]  # the page knows better
    if not text.strip():
        return reject(source_path, "empty", "the main text is only page furniture")
    return build(text, source_path=source_path, reader=reader, candidates=[*candidates, *lifted, *(extra or []), *how], cuts=cuts)
