"""From a text and metadata candidates to an Analysis (Document + MetaField + Residue).

Readers do not build records themselves: they hand the stored text, the
candidate metadata values (each naming its method and confidence) and the
removed pieces to :func:`build`, which validates values (dates between 1900
and today, http(s) URLs), keeps the most confident candidate per field and
mirrors the values onto the Document. A text longer than :data:`MAX_CHARS`
becomes a ``too-long`` Rejection instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..records import Analysis, Document, MetaField, Rejection, Residue, content_id
from . import dates, language
from .paths import display_path
from .rejection import reject

FIELDS = ("title", "url", "domain", "published", "author", "keywords", "language", "sitename")
MAX_VALUE_CHARS = 500
# The longest stored text, in characters (code points): spaCy's default ``nlp.max_length``,
# past which the parse refuses a text. Longer texts are rejected up front as ``too-long``
# rather than failing later as ``analysis-failed``; no text is cut or split.
MAX_CHARS = 1_000_000
_SPACE = re.compile(r"\s+")
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Candidate:
    """A metadata value proposed by a reader or rule."""

    field: str
    value: str
    method: str
    confidence: float


@dataclass(frozen=True)
class Cut:
    """A piece of the decoded input removed from the stored text (a Residue without its doc id)."""

    start: int
    end: int
    line: int
    text: str
    rule: str


def domain_of(url: str) -> str | None:
    """Host of an http(s) URL, lower-cased, without a leading ``www.``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    return host.removeprefix("www.") or None


def normalise(c: Candidate) -> Candidate | None:
    """The candidate with a clean value, or None when the value is unusable."""
    value = _SPACE.sub(" ", _SURROGATES.sub("\ufffd", str(c.value))).strip()
    if c.field == "published":
        value = dates.parse_date(value) or ""
    elif c.field == "url":
        value = value if domain_of(value) else ""
    elif c.field == "keywords":
        value = ", ".join(split_keywords(value))
    if not value or len(value) > MAX_VALUE_CHARS:
        return None
    confidence = min(1.0, max(0.0, float(c.confidence)))
    return Candidate(c.field, value, c.method, confidence)


def split_keywords(value: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in re.split(r"[,;\n]", value):
        part = _SPACE.sub(" ", part).strip()
        if part and part.casefold() not in {k.casefold() for k in seen}:
            seen[part] = None
    return tuple(seen)


def choose(candidates: Iterable[Candidate]) -> dict[str, Candidate]:
    """The most confident valid candidate per field (the first one on ties)."""
    best: dict[str, Candidate] = {}
    for raw in candidates:
        c = normalise(raw)
        if c is not None and (c.field not in best or c.confidence > best[c.field].confidence):
            best[c.field] = c
    if "url" in best and "domain" not in best:
        url = best["url"]
        best["domain"] = Candidate("domain", domain_of(url.value) or "", url.method, url.confidence)
    return best


def build(
    text: str,
    *,
    source_path: str,
    reader: str,
    candidates: Iterable[Candidate] = (),
    cuts: Iterable[Cut] = (),
    verbatim: bool = False,
    external_id: str | None = None,
) -> Analysis | Rejection:
    """The Analysis of one document whose stored text is ``text`` (a Rejection when it is too long)."""
    source_path = display_path(source_path)
    if len(text) > MAX_CHARS:
        return reject(source_path, "too-long", f"{len(text)} characters, over the {MAX_CHARS}-character limit")
    if external_id is not None:
        external_id = _SURROGATES.sub("\ufffd", external_id)
    candidates = list(candidates)
    lang = language.identify(text)
    if lang is not None:
        candidates.append(Candidate("language", lang[0], language.method(), lang[1]))
    best = choose(candidates)
    doc_id = content_id(text)
    value = {f: c.value for f, c in best.items()}
    document = Document(
        id=doc_id,
        text=text,
        source_path=source_path,
        external_id=external_id,
        title=value.get("title"),
        url=value.get("url"),
        domain=value.get("domain"),
        published=value.get("published"),
        author=value.get("author"),
        keywords=split_keywords(value.get("keywords", "")),
        language=value.get("language"),
        n_chars=len(text),
        verbatim=verbatim,
        reader=reader,
    )
    meta = [MetaField(doc_id, c.field, c.value, c.method, c.confidence) for c in best.values()]
    residue = [Residue(doc_id, k.start, k.end, k.line, k.text, k.rule) for k in cuts]
    return Analysis(document=document, meta=meta, residue=residue)
