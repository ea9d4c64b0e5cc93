"""The corpus file: one SQLite database, its schema derived from ``records``.

WAL mode, so readers keep reading while the single writer commits; FTS5 over
the document text; a schema version in ``PRAGMA user_version`` with
migrations. Everything a document brings (its metadata, residue, sentences,
mentions, quotes, events) is written in the same transaction as the document,
so a killed run never leaves half a document behind.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import types
import typing
from dataclasses import fields
from pathlib import Path
from typing import Iterable, Iterator

from .errors import CorpusTooNew, NoCorpus, NotACorpus
from .records import ALL_RECORDS, Analysis, Document, Entity, Record, Rejection

SCHEMA_VERSION = 1
APPLICATION_ID = 0x53544C31  # "STL1": marks the file as a storyline corpus

_SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL", bool: "INTEGER"}


def _base_type(tp: object) -> object:
    """``str | None`` → str; ``tuple[...]`` → tuple."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _base_type(args[0])
    return typing.get_origin(tp) or tp


@functools.cache
def _field_names(cls: type[Record]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def columns(cls: type[Record]) -> list[tuple[str, str]]:
    """(name, SQL type) for each field of a record class; tuples are JSON text."""
    hints = typing.get_type_hints(cls)
    return [(f.name, _SQL_TYPES.get(_base_type(hints[f.name]), "TEXT")) for f in fields(cls)]


@functools.cache
def _json_fields(cls: type[Record]) -> frozenset[str]:
    hints = typing.get_type_hints(cls)
    return frozenset(f.name for f in fields(cls) if _base_type(hints[f.name]) is tuple)


@functools.cache
def _bool_fields(cls: type[Record]) -> frozenset[str]:
    hints = typing.get_type_hints(cls)
    return frozenset(f.name for f in fields(cls) if _base_type(hints[f.name]) is bool)


def create_table_sql(cls: type[Record]) -> list[str]:
    cols = ", ".join(f"[{name}] {sqltype}" for name, sqltype in columns(cls))
    key = ", ".join(cls.__key__)
    stmts = [f"CREATE TABLE IF NOT EXISTS [{cls.__table__}] ({cols}, PRIMARY KEY ({key}))"]
    for col in cls.__indexes__:
        stmts.append(
            f"CREATE INDEX IF NOT EXISTS [idx_{cls.__table__}_{col}] ON [{cls.__table__}] ([{col}])"
        )
    if "doc_id" in {f.name for f in fields(cls)} and cls.__key__[0] != "doc_id":
        stmts.append(f"CREATE INDEX IF NOT EXISTS [idx_{cls.__table__}_doc_id] ON [{cls.__table__}] (doc_id)")
    return stmts


FTS_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
    "title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
]


def _migration_1(con: sqlite3.Connection) -> None:
    for cls in ALL_RECORDS:
        for stmt in create_table_sql(cls):
            con.execute(stmt)
    for stmt in FTS_SQL:
        con.execute(stmt)


# Version n is reached by running MIGRATIONS[n - 1]. New fields on a record
# are added by ``_add_missing_columns`` on every open, so most schema growth
# needs no hand-written migration.
MIGRATIONS = [_migration_1]


def _add_missing_columns(con: sqlite3.Connection) -> None:
    for cls in ALL_RECORDS:
        have = {row[1] for row in con.execute(f"PRAGMA table_info([{cls.__table__}])")}
        if not have:
            for stmt in create_table_sql(cls):
                con.execute(stmt)
            continue
        for name, sqltype in columns(cls):
            if name not in have:
                con.execute(f"ALTER TABLE [{cls.__table__}] ADD COLUMN [{name}] {sqltype}")


def to_row(record: Record) -> tuple:
    cls = type(record)
    jf = _json_fields(cls)
    if not jf:
        return tuple(getattr(record, name) for name in _field_names(cls))
    return tuple(
        json.dumps(getattr(record, name), ensure_ascii=False, separators=(",", ":")) if name in jf else getattr(record, name)
        for name in _field_names(cls)
    )


def from_row(cls: type[Record], row: sqlite3.Row | dict) -> Record:
    jf, bf = _json_fields(cls), _bool_fields(cls)
    values = {}
    for f in fields(cls):
        v = row[f.name]
        if f.name in jf and v is not None:
            v = _to_tuple(json.loads(v))
        elif f.name in bf and v is not None:
            v = bool(v)
        values[f.name] = v
    return cls(**values)


def _to_tuple(v):
    return tuple(_to_tuple(x) for x in v) if isinstance(v, list) else v


def connect(path: str | Path, *, create: bool = False, readonly: bool = False) -> sqlite3.Connection:
    """Open (or create) a corpus file; raise a clear error for anything else."""
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise NoCorpus(str(path))
    if exists:
        try:
            with open(path, "rb") as fh:
                header = fh.read(16)
        except OSError as exc:
            raise NotACorpus(str(path), f"cannot read it: {exc.strerror}") from exc
        if header != b"SQLite format 3\x00":
            raise NotACorpus(str(path), "it is not an SQLite database")
    if readonly and exists:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        con = sqlite3.connect(path, check_same_thread=False)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA busy_timeout = 30000")
    # Read through the WAL: the file header lags until a checkpoint.
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    empty = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    if app_id != APPLICATION_ID and not (empty and create):
        con.close()
        raise NotACorpus(str(path), "it is an SQLite database of another application")
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        con.close()
        raise CorpusTooNew(str(path), version, SCHEMA_VERSION)
    if readonly:
        return con
    if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    migrate(con)
    return con


def migrate(con: sqlite3.Connection) -> None:
    version = con.execute("PRAGMA user_version").fetchone()[0]
    with con:
        if version == 0:
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for n in range(version, SCHEMA_VERSION):
            MIGRATIONS[n](con)
        _add_missing_columns(con)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _insert_sql(cls: type[Record], verb: str = "INSERT OR IGNORE") -> str:
    names = [f.name for f in fields(cls)]
    return f"{verb} INTO [{cls.__table__}] ({', '.join(f'[{n}]' for n in names)}) VALUES ({', '.join('?' * len(names))})"


class Writer:
    """The single writer: one transaction per batch."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT id FROM documents WHERE id IN ({', '.join('?' * len(chunk))})"
            found.update(r[0] for r in self.con.execute(q, chunk))
        return found

    def write(self, items: Iterable[Analysis | Rejection]) -> tuple[int, int]:
        """Write analyses and rejections in one transaction; return (added, rejected)."""
        added = rejected = 0
        by_class: dict[type[Record], list[tuple]] = {}
        entities: dict[str, Entity] = {}
        cleared: list[tuple[str]] = []
        for item in items:
            if isinstance(item, Rejection):
                by_class.setdefault(Rejection, []).append(to_row(item))
                rejected += 1
                continue
            for record in item.records():
                by_class.setdefault(type(record), []).append(to_row(record))
            for ent in item.entities.values():
                entities[ent.id] = _merge_entity(entities.get(ent.id), ent)
            cleared.append((item.document.source_path,))
            added += 1
        with self.con:
            for cls, rows in by_class.items():
                verb = "INSERT OR REPLACE" if cls is Rejection else "INSERT OR IGNORE"
                self.con.executemany(_insert_sql(cls, verb), rows)
            if Document in by_class:
                # FTS rows for the documents this transaction really added.
                self.con.executemany(
                    "INSERT INTO documents_fts(rowid, title, text) "
                    "SELECT rowid, title, text FROM documents WHERE id = ? "
                    "AND rowid NOT IN (SELECT rowid FROM documents_fts_docsize)",
                    [(row[0],) for row in by_class[Document]],
                )
            # A document that now reads fine clears an earlier rejection of the same input.
            self.con.executemany("DELETE FROM rejections WHERE source_path = ?", cleared)
            self._upsert_entities(entities.values())
        return added, rejected

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
        rows = [to_row(_merge_entity(existing.get(e.id), e)) for e in entities]
        self.con.executemany(_insert_sql(Entity, "INSERT OR REPLACE"), rows)


def _merge_entity(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    aliases = tuple(dict.fromkeys(old.aliases + new.aliases))
    return Entity(
        id=old.id,
        name=old.name if len(old.name) >= len(new.name) else new.name,
        kind=old.kind,
        country=old.country or new.country,
        sector=old.sector or new.sector,
        role=old.role or new.role,
        aliases=aliases,
        method=old.method or new.method,
    )


def iter_records(con: sqlite3.Connection, cls: type[Record], where: str = "", params: tuple = ()) -> Iterator[Record]:
    sql = f"SELECT * FROM [{cls.__table__}]" + (f" WHERE {where}" if where else "")
    for row in con.execute(sql, params):
        yield from_row(cls, row)
