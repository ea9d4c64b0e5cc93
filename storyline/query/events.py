"""Events: PLOVER events with their evidence, and the timeline (the dated ones)."""

from __future__ import annotations

import sqlite3
from typing import Iterator

from ..records import Event
from .base import LIMIT, Filter, doc_filter, entity_match, like, select, select_from, shape

__all__ = ["EVENTS", "TIMELINE", "events", "timeline"]

# An event's date as a day: "2024-03" as "2024-03-01", "2024" as "2024-01-01".
_DAY = "(e.date || substr('-01-01', length(e.date) - 3))"

EVENTS = (
    Filter(
        "actor", "Only events whose source or target has a name or alias containing this.",
        f"e.source_entity_id IN ({entity_match('actor')}) OR e.target_entity_id IN ({entity_match('actor')})",
        convert=like,
    ),
    Filter("type", "Only events of this PLOVER type, e.g. THREATEN.", "e.type = :type", convert=str.upper),
    Filter("since", "Only events dated on or after this date; an event dated by its month or "
                    "year only counts as on its first day.", f"{_DAY} >= :since", type="date"),
    Filter("until", "Only events dated on or before this date.", f"{_DAY} <= :until", type="date"),
    doc_filter("events", "e.doc_id"),
    LIMIT,
)
# The timeline is the dated events, with the same filters.
TIMELINE = EVENTS
_ORDER = "e.date IS NULL, e.date, e.doc_id, e.trigger_start, e.type"


def events(con: sqlite3.Connection, **filters) -> Iterator[dict]:
    """Events (the Event record: ``trigger`` and ``sentence`` spans; ``source``, ``target``,
    ``reported_by`` as actors), in date order, undated last."""
    cur = select(con, "events", EVENTS, filters, head=select_from(Event, "e"), order=_ORDER)
    return (shape(Event, r) for r in cur)


def timeline(con: sqlite3.Connection, **filters) -> Iterator[dict]:
    """The dated events, in date order."""
    cur = select(con, "timeline", TIMELINE, filters, head=select_from(Event, "e"), order=_ORDER,
                 extra=["e.date IS NOT NULL AND e.date != ''"])
    return (shape(Event, r) for r in cur)
