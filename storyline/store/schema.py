"""The schema, derived from the record types: tables, columns, indexes, rows.

Nothing here names a table: every statement is made from a record class
(``__table__``, ``__key__``, ``__indexes__`` and its typed fields); the record
types of a corpus are the base records plus those the installed stages write
(:func:`storyline.pipeline.registry.record_types`).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import types
import typing
from dataclasses import fields
from typing import Iterator

from ..records import Record

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


def iter_records(con: sqlite3.Connection, cls: type[Record], where: str = "", params: tuple = ()) -> Iterator[Record]:
    sql = f"SELECT * FROM [{cls.__table__}]" + (f" WHERE {where}" if where else "")
    for row in con.execute(sql, params):
        yield from_row(cls, row)


def insert_sql(cls: type[Record], verb: str = "INSERT OR IGNORE") -> str:
    names = _field_names(cls)
    return f"{verb} INTO [{cls.__table__}] ({', '.join(f'[{n}]' for n in names)}) VALUES ({', '.join('?' * len(names))})"


def has_doc_id(cls: type[Record]) -> bool:
    return "doc_id" in _field_names(cls)


def has_table(con: sqlite3.Connection, table: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is not None


def record_types() -> tuple[type[Record], ...]:
    """Every table's record type in this installation (base records and each stage's)."""
    from ..pipeline.registry import record_types as registered

    return registered()
