"""Claims (who claims what relation between whom) and signals (what a reader should weigh)."""

from __future__ import annotations

import sqlite3
from typing import Iterator

from ..records import Claim, Signal
from .base import LIMIT, Filter, doc_filter, entity_match, like, select, select_from, shape

__all__ = ["CLAIMS", "SIGNALS", "claims", "signals"]


def _named(column: str, text: str, param: str) -> str:
    return f"c.{column} IN ({entity_match(param)}) OR lower(c.{text}) LIKE :{param} ESCAPE '\\'"


CLAIMS = (
    Filter("subject", "Only claims whose subject or object (name, alias or the words naming it) contains this.",
           f"{_named('subject_entity_id', 'subject_text', 'subject')} OR {_named('object_entity_id', 'object_text', 'subject')}",
           convert=like),
    Filter("relation", "Only claims of this relation (ally, partner, support, oppose, threaten, ...).",
           "c.relation = :relation", convert=str.lower),
    Filter("holder", "Only claims held by this speaker (name, alias or words), or 'author' for the documents' own voice.",
           "(:holder = '%author%' AND c.holder_kind = 'author') OR "
           f"{_named('holder_entity_id', 'holder_text', 'holder')}", convert=like),
    Filter("polarity", "Only affirmed or only denied claims.", "c.polarity = :polarity", type="choice",
           choices=("affirmed", "denied")),
    doc_filter("claims", "c.doc_id"),
    LIMIT,
)

SIGNALS = (
    Filter("kind", "Only signals of this kind, e.g. self-contradiction.", "s.kind = :kind"),
    doc_filter("signals", "s.doc_id"),
    LIMIT,
)


def claims(con: sqlite3.Connection, **filters) -> Iterator[dict]:
    """Claims (the Claim record: ``subject``, ``object``, ``holder`` spans and entities, ``trigger``), in
    document order."""
    cur = select(con, "claims", CLAIMS, filters, head=select_from(Claim, "c"), order="c.doc_id, c.start, c.trigger_start")
    return (shape(Claim, r) for r in cur)


def signals(con: sqlite3.Connection, **filters) -> Iterator[dict]:
    """Signals with their evidence spans (``evidence``: [[start, end, text], ...])."""
    head = select_from(Signal, "s").replace(" FROM ", ", d.text AS doc_text FROM ", 1) + " JOIN documents d ON d.id = s.doc_id"
    cur = select(con, "signals", SIGNALS, filters, head=head, order="s.doc_id, s.start")
    return (_with_evidence(r) for r in cur)


def _with_evidence(row) -> dict:
    out = shape(Signal, row)
    e, text = out["evidence"], row["doc_text"]
    out["evidence"] = [{"start": e[i], "end": e[i + 1], "text": text[e[i] : e[i + 1]]} for i in range(0, len(e), 2)]
    return out
