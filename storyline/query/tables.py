"""Rows of any table derived from the record types, with equality filters on its columns."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from typing import Any, Iterator

from .. import store
from ..errors import UnknownName
from .base import LIMIT, plain


def records(con: sqlite3.Connection, table: str, *, doc: str | None = None, limit: int | None = None,
            **equal: Any) -> Iterator[dict]:
    """The rows of ``table`` as dicts of its columns, in key order. ``column=value`` keeps the rows
    where the column equals the value (None: is null; a tuple or list: equals it as stored);
    ``doc``: one document's rows (an id, a unique prefix or an external id); ``limit``: at most this many."""
    types = {cls.__table__: cls for cls in store.record_types()}
    cls = types.get(table)
    if cls is None:
        raise UnknownName("table", table, sorted(types))
    names = [f.name for f in fields(cls)]
    conditions, params = [], []
    if doc is not None:
        column = "id" if table == "documents" else "doc_id"
        if column not in names:
            raise UnknownName("column", column, names, f"in {table}")
        from .documents import resolve_id

        equal = {column: resolve_id(con, doc), **equal}
    for name, value in equal.items():
        if name not in names:
            raise UnknownName("column", name, names, f"in {table}")
        if value is None:
            conditions.append(f"[{name}] IS NULL")
            continue
        if isinstance(value, (tuple, list)):
            value = json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
        elif isinstance(value, bool):
            value = int(value)
        conditions.append(f"[{name}] = ?")
        params.append(value)
    sql = f"SELECT * FROM [{table}]" + (" WHERE " + " AND ".join(conditions) if conditions else "")
    sql += " ORDER BY " + ", ".join(f"[{k}]" for k in cls.__key__)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(LIMIT.check(limit))
    cur = con.execute(sql, params)
    return (plain(cls, row) for row in cur)
