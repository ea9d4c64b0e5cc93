"""Quotes: who said what, with the content, cue and speaker spans."""

from __future__ import annotations

import sqlite3
from typing import Iterator

from ..records import Quote
from .base import LIMIT, Filter, doc_filter, entity_match, like, select, select_from, shape

__all__ = ["QUOTES", "QUOTE_KINDS", "quotes"]

QUOTE_KINDS = ("direct", "indirect", "mixed")

QUOTES = (
    Filter(
        "speaker", "Only quotes whose speaker's name or alias, or the words naming the speaker, contain this.",
        f"q.speaker_entity_id IN ({entity_match('speaker')}) OR lower(q.speaker_text) LIKE :speaker ESCAPE '\\'",
        convert=like,
    ),
    doc_filter("quotes", "q.doc_id"),
    Filter("kind", "Only quotes of this kind.", "q.kind = :kind", type="choice", choices=QUOTE_KINDS),
    Filter("since", "Only quotes from documents published on or after this date.",
           "q.doc_id IN (SELECT id FROM documents WHERE published >= :since)", type="date"),
    Filter("until", "Only quotes from documents published on or before this date.",
           "q.doc_id IN (SELECT id FROM documents WHERE published <= :until)", type="date"),
    LIMIT,
)


def quotes(con: sqlite3.Connection, **filters) -> Iterator[dict]:
    """Quotes (the Quote record: ``content``, ``cue``, ``speaker`` spans, ``speaker_entity``), in
    document order."""
    cur = select(con, "quotes", QUOTES, filters, head=select_from(Quote, "q"), order="q.doc_id, q.content_start, q.content_end")
    return (shape(Quote, r) for r in cur)
