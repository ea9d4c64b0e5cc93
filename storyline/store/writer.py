"""The single writer: one transaction per batch, for new and for re-analysed documents."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from typing import Iterable

from ..errors import DiskFull
from ..records import Analysis, Document, Entity, Record, Rejection, StageRun
from .schema import from_row, has_doc_id, insert_sql, to_row


def merge_entity(old: Entity | None, new: Entity) -> Entity:
    """Two rows of one actor as one, by each field's merge rule (``records.merged``)."""
    if old is None:
        return new
    values = {}
    for f in fields(Entity):
        a, b = getattr(old, f.name), getattr(new, f.name)
        rule = f.metadata.get("merge", "first")
        if rule == "longest":
            values[f.name] = a if len(a) >= len(b) else b
        elif rule == "union":
            values[f.name] = tuple(dict.fromkeys(a + b))
        elif rule == "set":
            values[f.name] = a or b
        else:
            values[f.name] = a
    return Entity(**values)


class Writer:
    """The single writer. ``write`` stores a batch in one transaction."""

    def __init__(self, con: sqlite3.Connection, path: str = "") -> None:
        self.con = con
        self.path = path

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT id FROM documents WHERE id IN ({', '.join('?' * len(chunk))})"
            found.update(r[0] for r in self.con.execute(q, chunk))
        return found

    def write(self, items: Iterable[Analysis | Rejection], *, plan=None, stored: bool = False) -> tuple[int, int]:
        """Write analyses and rejections in one transaction; return (documents written, rejected).

        ``plan``'s target stages are recorded in ``stage_runs`` for each document. ``stored``: the
        documents are in the corpus already; their rows of the targets' record types are replaced.
        """
        from ..pipeline.registry import stage

        targets = [stage(name) for name in (plan.targets if plan else ())]
        types = tuple(dict.fromkeys(cls for s in targets for cls in s.writes))
        added = rejected = 0
        by_class: dict[type[Record], list[tuple]] = {}
        entities: dict[str, Entity] = {}
        done: list[str] = []
        for item in items:
            if isinstance(item, Rejection):
                by_class.setdefault(Rejection, []).append(to_row(item))
                rejected += 1
                continue
            records = item.records(types) if stored else item.records()
            for record in records:
                by_class.setdefault(type(record), []).append(to_row(record))
            for s in targets:
                run = StageRun(doc_id=item.document.id, stage=s.name, version=s.version, options=plan.options_json(s.name))
                by_class.setdefault(StageRun, []).append(to_row(run))
            for ent in item.entities.values():
                entities[ent.id] = merge_entity(entities.get(ent.id), ent)
            done.append(item)
            added += 1
        try:
            with self.con:
                if stored:
                    self._clear(done, types)
                for cls, rows in by_class.items():
                    verb = "INSERT OR REPLACE" if cls in (Rejection, StageRun) else "INSERT OR IGNORE"
                    self.con.executemany(insert_sql(cls, verb), rows)
                if Document in by_class:
                    # FTS rows for the documents this transaction really added.
                    self.con.executemany(
                        "INSERT INTO documents_fts(rowid, title, text) "
                        "SELECT rowid, title, text FROM documents WHERE id = ? "
                        "AND rowid NOT IN (SELECT rowid FROM documents_fts_docsize)",
                        [(row[0],) for row in by_class[Document]],
                    )
                # A document that now reads fine clears an earlier rejection of the same input.
                self.con.executemany("DELETE FROM rejections WHERE source_path = ?", [(a.document.source_path,) for a in done])
                self._upsert_entities(entities.values())
        except sqlite3.OperationalError as exc:
            if "full" in str(exc):
                raise DiskFull(self.path or "the corpus") from None
            raise
        return added, rejected

    def _clear(self, done: list[Analysis], types: tuple[type[Record], ...]) -> None:
        ids = [(a.document.id,) for a in done]
        for cls in types:
            if has_doc_id(cls):
                self.con.executemany(f"DELETE FROM [{cls.__table__}] WHERE doc_id = ?", ids)

    def _upsert_entities(self, entities: Iterable[Entity]) -> None:
        entities = list(entities)
        if not entities:
            return
        existing = {
            row["id"]: from_row(Entity, row)
            for i in range(0, len(entities), 500)
            for row in self.con.execute(
                f"SELECT * FROM entities WHERE id IN ({', '.join('?' * len(entities[i:i + 500]))})",
                [e.id for e in entities[i : i + 500]],
            )
        }
        rows = [to_row(merge_entity(existing.get(e.id), e)) for e in entities]
        self.con.executemany(insert_sql(Entity, "INSERT OR REPLACE"), rows)
