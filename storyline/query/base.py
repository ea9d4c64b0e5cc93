"""The shared pieces of the query layer.

- :class:`Filter`: one filter of one listing, declared once (its name, type, help and the SQL
  condition it adds). The Python API takes it as a keyword argument, the CLI builds its option
  ``--NAME`` from it, and the HTTP API will read the same declarations.
- :func:`select`: a listing's query from its declared filters. Values are always bound as
  parameters (``:name``), never written into the SQL text.
- :func:`shape`: the JSON form of a row, derived from its record type: fields ``X_start``,
  ``X_end`` (and ``X_text``) become ``X: {start, end, text}``; an entity reference becomes its
  ``as`` name with ``{id, name, country, sector}`` or null; tuples become lists.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import typing
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Callable, Iterable

from ..errors import BadOption, UnknownName
from ..records import Record

__all__ = [
    "Filter", "TYPES", "LIMIT", "doc_filter", "like", "entity_match", "bind", "select",
    "select_from", "shape", "plain", "ref_fields", "REF_COLUMNS",
]

TYPES = ("text", "date", "int", "choice", "doc")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Filter:
    """One filter of a listing.

    ``name`` is the keyword argument, the CLI option (``--name``) and the HTTP query parameter.
    ``sql`` is the condition it adds to the listing's WHERE clause; the (checked, converted) value
    is bound as ``:name``. ``sql=None``: the listing applies it itself (``limit``).
    ``type``: text, date (YYYY-MM-DD), int (1 or more), choice (one of ``choices``) or doc (an id,
    a unique id prefix or an external id, resolved to the document's id).
    ``convert``: the checked value to the value bound (for instance a LIKE pattern).
    """

    name: str
    help: str
    sql: str | None = None
    type: str = "text"
    choices: tuple[str, ...] = ()
    default: Any = None
    convert: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"filter {self.name}: type {self.type!r} is not one of {TYPES}")

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    def check(self, value: Any) -> Any:
        """The value, checked against the filter's type; a clear BadOption otherwise."""
        if self.type == "date":
            if not isinstance(value, str) or not _DATE.fullmatch(value) or not _is_date(value):
                raise BadOption(self.option, value, "Give a date as YYYY-MM-DD, e.g. 2024-03-01.")
        elif self.type == "int":
            n = int(value) if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() else value
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise BadOption(self.option, value, "Give a whole number of 1 or more.")
            value = n
        elif self.type == "choice":
            if value not in self.choices:
                raise BadOption(self.option, value, f"Choose one of: {', '.join(self.choices)}.")
        elif not isinstance(value, str):
            raise BadOption(self.option, value, "Give a text.")
        return value


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


LIMIT = Filter("limit", "Show at most this many rows.", type="int")


def like(value: str) -> str:
    """A LIKE pattern (``ESCAPE '\\'``) matching ``value`` anywhere, case-insensitively; ``%``, ``_``
    and ``\\`` in the value match themselves."""
    escaped = value.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def entity_match(param: str) -> str:
    """SQL: the ids of entities whose name or an alias contains the LIKE pattern ``:param``."""
    return (
        f"SELECT id FROM entities WHERE lower(name) LIKE :{param} ESCAPE '\\' "
        f"OR lower(aliases) LIKE :{param} ESCAPE '\\'"
    )


def doc_filter(what: str, column: str) -> Filter:
    return Filter(
        "doc", f"Only {what} from this document (an id, a unique id prefix, or an external id).",
        f"{column} = :doc", type="doc",
    )


def bind(con: sqlite3.Connection, listing: str, declared: Iterable[Filter], values: dict) -> tuple[list[str], dict]:
    """The WHERE conditions and parameters of the filters given (None or "": not given)."""
    declared = tuple(declared)
    names = [f.name for f in declared]
    for name in values:
        if name not in names:
            raise UnknownName("filter", name, names, f"for {listing}")
    conditions, params = [], {}
    for f in declared:
        value = values.get(f.name)
        if value is None or value == "":
            value = f.default
            if value is None:
                continue
        value = f.check(value)
        if f.type == "doc":
            from .documents import resolve_id

            value = resolve_id(con, value)
        if f.convert is not None:
            value = f.convert(value)
        params[f.name] = value
        if f.sql:
            conditions.append(f.sql)
    return conditions, params


def select(
    con: sqlite3.Connection,
    listing: str,
    declared: Iterable[Filter],
    values: dict,
    *,
    head: str,
    order: str,
    extra: Iterable[str] = (),
    params: dict | None = None,
) -> sqlite3.Cursor:
    """Run ``head`` (SELECT … FROM …) with the conditions of the given filters and the ``extra``
    conditions (their values in ``params``), in ``order``; ``limit`` (when declared and given) bounds it."""
    conditions, bound = bind(con, listing, declared, values)
    params = {**(params or {}), **bound}
    conditions = [*extra, *conditions]
    sql = head
    if conditions:
        sql += " WHERE " + " AND ".join(f"({c})" for c in conditions)
    sql += f" ORDER BY {order}"
    if "limit" in params:
        sql += " LIMIT :limit"
    return con.execute(sql, params)


# -- the shape of a row ----------------------------------------------------------
REF_COLUMNS = ("id", "name", "country", "sector")


def ref_fields(cls: type[Record]) -> list[tuple[str, str]]:
    """(field, as name) of each entity reference of ``cls`` (``records.ref``)."""
    return [(f.name, f.metadata["as"]) for f in fields(cls) if f.metadata.get("ref") == "entities"]


def select_from(cls: type[Record], alias: str, *, omit: tuple[str, ...] = ()) -> str:
    """``SELECT`` the columns of ``cls`` (but ``omit``) ``FROM`` its table as ``alias``, joined to
    the entities it references (columns ``AS.name``, ``AS.country``, ``AS.sector``)."""
    cols = [f"{alias}.[{f.name}]" for f in fields(cls) if f.name not in omit]
    joins = []
    for name, as_ in ref_fields(cls):
        cols += [f"[{as_}].[{c}] AS [{as_}.{c}]" for c in REF_COLUMNS if c != "id"]
        joins.append(f"LEFT JOIN entities AS [{as_}] ON [{as_}].id = {alias}.[{name}]")
    return f"SELECT {', '.join(cols)} FROM [{cls.__table__}] AS {alias}" + "".join(" " + j for j in joins)


@functools.cache
def _layout(cls: type[Record], omit: tuple[str, ...], ids: bool) -> tuple[tuple[str, str, tuple], ...]:
    """How each output key of ``shape`` is made: (key, kind, columns)."""
    names = list(_names(cls))
    kinds = _kinds(cls)
    refs = dict(ref_fields(cls))
    spans = {n[: -len("_start")] for n in names if n.endswith("_start") and n[: -len("_start")] + "_end" in names}
    taken = {f"{p}_{part}" for p in spans for part in ("start", "end", "text")}
    out = []
    for name in names:
        if name in omit:
            continue
        if name.endswith("_start") and name[: -len("_start")] in spans:
            p = name[: -len("_start")]
            out.append((p, "span", (name, f"{p}_end", f"{p}_text" if f"{p}_text" in names else None)))
        elif name in taken:
            continue
        elif name in refs:
            if ids:
                out.append((name, "value", (name,)))
            out.append((refs[name], "ref", (name, refs[name])))
        else:
            out.append((name, kinds[name], (name,)))
    return tuple(out)


def shape(cls: type[Record], row: sqlite3.Row | dict, *, omit: tuple[str, ...] = (), ids: bool = False) -> dict:
    """The JSON form of a row of ``cls`` (selected by :func:`select_from`). ``ids``: keep each
    entity-id field as well as its ``as`` form."""
    out: dict[str, Any] = {}
    for key, kind, cols in _layout(cls, tuple(omit), ids):
        if kind == "value":
            out[key] = row[cols[0]]
        elif kind == "span":
            start = row[cols[0]]
            if start is None:
                out[key] = None
            else:
                out[key] = {"start": start, "end": row[cols[1]]}
                if cols[2]:
                    out[key]["text"] = row[cols[2]]
        elif kind == "ref":
            entity_id = row[cols[0]]
            if not entity_id:
                out[key] = None
            else:
                out[key] = {"id": entity_id, **{c: _get(row, f"{cols[1]}.{c}") for c in REF_COLUMNS if c != "id"}}
        elif kind == "json":
            v = row[cols[0]]
            out[key] = json.loads(v) if v is not None else None
        else:
            v = row[cols[0]]
            out[key] = bool(v) if v is not None else None
    return out


def _get(row: sqlite3.Row | dict, key: str) -> Any:
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


def plain(cls: type[Record], row: sqlite3.Row | dict) -> dict:
    """A row of ``cls`` as its columns: tuples JSON-decoded as lists, booleans as booleans."""
    kinds = _kinds(cls)
    out = {}
    for name in _names(cls):
        v = row[name]
        if v is not None and kinds[name] == "json":
            v = json.loads(v)
        elif v is not None and kinds[name] == "bool":
            v = bool(v)
        out[name] = v
    return out


@functools.cache
def _names(cls: type[Record]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@functools.cache
def _kinds(cls: type[Record]) -> dict[str, str]:
    """Each field's kind: json (a tuple, stored as JSON text), bool, or value."""
    from ..store.schema import _base_type

    hints = typing.get_type_hints(cls)
    return {
        name: {tuple: "json", bool: "bool"}.get(_base_type(hints[name]), "value")  # type: ignore[call-overload]
        for name in _names(cls)
    }

