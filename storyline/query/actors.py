"""Actors: the canonical entities, most mentioned first."""

from __future__ import annotations

import sqlite3
from typing import Iterator

from ..records import Entity
from .base import LIMIT, Filter, select, shape

__all__ = ["ACTORS", "KINDS", "actors"]

KINDS = ("person", "country", "organisation", "place", "group")

ACTORS = (
    Filter("kind", "Only actors of this kind.", "e.kind = :kind", type="choice", choices=KINDS),
    LIMIT,
)


def actors(con: sqlite3.Connection, **filters) -> Iterator[dict]:
    """Canonical actors (the Entity record) with ``n_mentions`` and ``n_quotes``, most mentioned first."""
    head = (
        "SELECT e.*, (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS n_mentions, "
        "(SELECT count(*) FROM quotes q WHERE q.speaker_entity_id = e.id) AS n_quotes FROM entities AS e"
    )
    cur = select(con, "actors", ACTORS, filters, head=head, order="n_mentions DESC, e.name, e.id")
    return ({**shape(Entity, r), "n_mentions": r["n_mentions"], "n_quotes": r["n_quotes"]} for r in cur)
