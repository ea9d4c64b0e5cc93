"""Documents: the listing, finding one by id or external id, everything about one, full-text
search, rejections, counts and the overview."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from pathlib import Path
from typing import Iterator

from .. import store
from ..errors import AmbiguousId, BadQuery, DocumentNotFound
from ..records import Document, Entity, MetaField, Mention, Rejection, Residue, Sentence
from .base import LIMIT, Filter, select, select_from, shape

__all__ = ["DOCS", "SEARCH", "docs", "resolve_id", "show", "search", "rejections", "stats", "overview", "document",
           "split_snippet", "score", "MARKERS", "SHOWN_IDS"]

DOCS = (
    Filter("domain", "Only documents from this domain (the whole name, e.g. apnews.com).", "d.domain = :domain"),
    Filter("since", "Only documents published on or after this date.", "d.published >= :since", type="date"),
    Filter("until", "Only documents published on or before this date.", "d.published <= :until", type="date"),
    LIMIT,
)
SEARCH = (Filter("limit", "Show at most this many hits.", type="int", default=20),)
# How many of the matching ids an ambiguous prefix lists in its message.
SHOWN_IDS = 3


def docs(con: sqlite3.Connection, **filters) -> Iterator[dict]:
    """One dict per document, without its text, oldest first (undated last)."""
    cur = select(con, "docs", DOCS, filters, head=select_from(Document, "d", omit=("text",)),
                 order="d.published IS NULL, d.published, d.source_path, d.id")
    return (shape(Document, row, omit=("text",)) for row in cur)


def resolve_id(con: sqlite3.Connection, doc_id: str) -> str:
    """The id of the one document that ``doc_id`` names: exactly its external id, exactly its id,
    or a unique prefix of its id. Several matches: AmbiguousId, with the count and a few of them."""
    if not doc_id:
        raise DocumentNotFound(doc_id)
    external = con.execute("SELECT id FROM documents WHERE external_id = ? LIMIT 2", (doc_id,)).fetchall()
    if len(external) == 1:
        return external[0][0]
    if con.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
        return doc_id
    where = "external_id = :x OR (id >= :x AND id < (:x || char(1114111)))"  # char(0x10FFFF): above any text
    n = con.execute(f"SELECT count(*) FROM documents WHERE {where}", {"x": doc_id}).fetchone()[0]
    if not n:
        raise DocumentNotFound(doc_id)
    ids = [r[0] for r in con.execute(
        f"SELECT id FROM documents WHERE {where} ORDER BY external_id IS :x DESC, id LIMIT :n", {"x": doc_id, "n": SHOWN_IDS})]
    if n == 1:
        return ids[0]
    raise AmbiguousId(doc_id, n, ids)


def document(con: sqlite3.Connection, doc_id: str) -> Document:
    doc_id = resolve_id(con, doc_id)
    return next(store.iter_records(con, Document, "id = ?", (doc_id,)))


def show(con: sqlite3.Connection, doc_id: str) -> dict:
    """The stored text and everything known about one document."""
    doc_id = resolve_id(con, doc_id)
    out = shape(Document, con.execute(select_from(Document, "d") + " WHERE d.id = ?", (doc_id,)).fetchone())
    out["metadata"] = [
        shape(MetaField, r, omit=("doc_id",))
        for r in con.execute(select_from(MetaField, "t") + " WHERE t.doc_id = ? ORDER BY t.field", (doc_id,))
    ]
    out["residue"] = [
        shape(Residue, r, omit=("doc_id",))
        for r in con.execute(select_from(Residue, "t") + " WHERE t.doc_id = ? ORDER BY t.start", (doc_id,))
    ]
    out["sentences"] = [
        {"start": s.start, "end": s.end, "tokens": s.token_spans()}
        for s in store.iter_records(con, Sentence, "doc_id = ? ORDER BY start", (doc_id,))
    ]
    out["mentions"] = [
        shape(Mention, r, omit=("doc_id",), ids=True)
        for r in con.execute(select_from(Mention, "t") + " WHERE t.doc_id = ? ORDER BY t.start, t.end", (doc_id,))
    ]
    out["entities"] = [
        shape(Entity, r)
        for r in con.execute(
            "SELECT e.*, count(*) AS n FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE m.doc_id = ? GROUP BY e.id ORDER BY n DESC, e.name, e.id",
            (doc_id,),
        )
    ]
    out.update(stage_sections(con, doc_id))
    return out


def stage_sections(con: sqlite3.Connection, doc_id: str) -> dict[str, list[dict]]:
    """One list per table that a stage writes (besides sentences and mentions, above), read from the
    stages' declarations: a plugin's records appear in ``show`` as storyline's own do."""
    from ..pipeline.registry import stages

    out: dict[str, list[dict]] = {}
    for s in stages().values():
        for cls in s.writes:
            table = cls.__table__
            if cls in (Sentence, Mention, Entity) or table in out or "doc_id" not in {f.name for f in fields(cls)}:
                continue
            if not store.has_table(con, table):
                out[table] = []
                continue
            order = ", ".join(f"t.[{k}]" for k in cls.__key__)
            sql = select_from(cls, "t") + f" WHERE t.doc_id = ? ORDER BY {order}"
            out[table] = [shape(cls, r) for r in con.execute(sql, (doc_id,))]
    return out


# -- search ------------------------------------------------------------------
# Pairs of characters that mark a hit in FTS5's snippet(); the first pair that the document's text
# does not hold is used, so a marker is never mistaken for text (and text never for a marker).
MARKERS = (("\x02", "\x03"), ("\ue000", "\ue001"), ("\U000ffffd", "\U0010fffd"))
_SNIPPET = "snippet(documents_fts, 1, :open, :close, '…', 12)"
_CLASH = "(instr(d.text, :open) OR instr(d.text, :close))"


def search(con: sqlite3.Connection, query: str, **filters) -> Iterator[dict]:
    """Full-text search (SQLite FTS5 syntax) over titles and texts, best first.

    Each hit: ``doc_id``, ``title``, ``score`` (bm25, higher is better, 4 significant digits),
    ``snippet`` (plain text around the hits) and ``highlights``: the ``[start, end]`` of each
    matched word in ``snippet``."""
    head = (
        f"SELECT d.id AS doc_id, d.title, d.rowid AS rowid, bm25(documents_fts) AS rank, {_SNIPPET} AS snippet, "
        f"{_CLASH} AS clash FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
    )
    open_, close = MARKERS[0]
    extra = {"query": query, "open": open_, "close": close}
    try:
        rows = select(con, "search", SEARCH, filters, head=head, order="rank", extra=["documents_fts MATCH :query"],
                      params=extra).fetchall()
    except sqlite3.OperationalError as exc:
        raise BadQuery(query, str(exc)) from exc
    return (_hit(con, query, r) for r in rows)


def _hit(con: sqlite3.Connection, query: str, r: sqlite3.Row) -> dict:
    snippet, marks = r["snippet"], MARKERS[0]
    if r["clash"]:
        snippet, marks = _snippet_again(con, query, r["rowid"])
    text, highlights = split_snippet(snippet, *marks)
    return {"doc_id": r["doc_id"], "title": r["title"], "score": score(r["rank"]), "snippet": text,
            "highlights": highlights}


def _snippet_again(con: sqlite3.Connection, query: str, rowid: int) -> tuple[str, tuple[str, str]]:
    """The snippet of one hit, with markers its text does not hold ("" for none, at worst)."""
    for open_, close in (*MARKERS[1:], ("", "")):
        r = con.execute(
            f"SELECT {_SNIPPET} AS snippet, {_CLASH} AS clash FROM documents_fts JOIN documents d "
            "ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH :query AND documents_fts.rowid = :rowid",
            {"query": query, "rowid": rowid, "open": open_, "close": close},
        ).fetchone()
        if not open_ or not r["clash"]:
            return r["snippet"], (open_, close)
    raise AssertionError("unreachable")


def split_snippet(snippet: str | None, open_: str, close: str) -> tuple[str, list[list[int]]]:
    """The snippet without its markers, and the [start, end] of each marked run in it."""
    if not snippet or not open_:
        return snippet or "", []
    text: list[str] = []
    highlights: list[list[int]] = []
    n = 0
    start = None
    for ch in snippet:
        if ch == open_:
            start = n
        elif ch == close:
            if start is not None and n > start:
                highlights.append([start, n])
            start = None
        else:
            text.append(ch)
            n += 1
    return "".join(text), highlights


def score(rank: float) -> float:
    """bm25 as a score (higher is better), to 4 significant digits: never rounded to 0 or -0.0
    (FTS5 gives a word found in most documents a tiny weight, about 1e-6)."""
    return float(f"{-rank:.4g}") + 0.0


def rejections(con: sqlite3.Connection) -> Iterator[dict]:
    cur = con.execute(select_from(Rejection, "t") + " ORDER BY t.source_path")
    return (shape(Rejection, r) for r in cur)


def stats(con: sqlite3.Connection, path: str | Path) -> dict:
    path = Path(path)
    tables = {
        cls.__table__: con.execute(f"SELECT count(*) FROM [{cls.__table__}]").fetchone()[0]
        for cls in store.record_types()
        if store.has_table(con, cls.__table__)
    }
    size = sum(p.stat().st_size for p in [path, Path(f"{path}-wal")] if p.exists())
    return {"path": str(path), "schema_version": store.SCHEMA_VERSION, "tables": tables, "bytes": size}


def overview(con: sqlite3.Connection, path: str | Path) -> dict:
    """A short overview: counts, date range, sources, top actors."""
    from .actors import actors

    s = stats(con, path)
    first, last = con.execute("SELECT min(published), max(published) FROM documents").fetchone()
    domains = [dict(r) for r in con.execute(
        "SELECT coalesce(domain, '(none)') AS domain, count(*) AS n FROM documents GROUP BY 1 ORDER BY n DESC, 1 LIMIT 8")]
    return {
        "documents": s["tables"]["documents"],
        "rejections": s["tables"]["rejections"],
        "bytes": s["bytes"],
        "dates": {"first": first, "last": last},
        "domains": domains,
        "actors": list(actors(con, limit=8)),
        "counts": s["tables"],
    }

