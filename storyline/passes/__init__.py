"""Corpus-wide passes: work that reads many documents at once (entity merge; later
duplicates and stories). Each declares ``PASS`` and registers in the entry-point
group ``storyline.passes``; :func:`run_passes` runs those that read what changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ..records import Record


def run_passes(con: sqlite3.Connection, written: Iterable[type[Record]] | None = None) -> dict[str, int]:
    """Run every registered pass that reads one of the ``written`` record types (all if None)."""
    from ..pipeline.registry import passes

    written = None if written is None else set(written)
    done = {}
    for p in passes().values():
        if written is None or written & set(p.reads):
            done[p.name] = p(con)
    return done
