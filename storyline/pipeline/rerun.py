"""What a stored corpus still needs: which documents lack which stage at its current version.

A document needs a stage when ``stage_runs`` has no row for it at the stage's
current version (or, for an option the user set, with other option values).
Re-running a stage replaces its records for the document, so every stage that
reads them is re-run too (:func:`storyline.pipeline.registry.dependents`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator

from ..records import Analysis, Document
from ..store import iter_records
from .config import Config
from .declare import Plan
from .registry import dependents, order, stage

__all__ = ["stale", "work_plans", "documents"]


def _stored_options_match(config: Config, stage_name: str, stored: str) -> bool:
    """Only options the user set (file, environment, --set) make a stored run out of date."""
    try:
        have = json.loads(stored or "{}")
    except ValueError:
        have = {}
    return all(have.get(opt) == config.values[stage_name][opt] for (s, opt) in config.explicit if s == stage_name)


def stale(con: sqlite3.Connection, names: list[str], config: Config) -> dict[str, set[str]]:
    """doc id -> the named stages it lacks at their current version (and set options)."""
    out: dict[str, set[str]] = defaultdict(set)
    sql = (
        "SELECT d.id, r.options FROM documents d LEFT JOIN stage_runs r "
        "ON r.doc_id = d.id AND r.stage = ? AND r.version = ?"
    )
    for name in names:
        checks = any(s == name for s, _ in config.explicit)
        for doc_id, options in con.execute(sql, (name, stage(name).version)):
            if options is None or checks and not _stored_options_match(config, name, options):
                out[doc_id].add(name)
    return out


def work_plans(con: sqlite3.Connection, names: list[str] | None, config: Config) -> list[tuple[Plan, list[str]]]:
    """The plans to run, each with the documents it runs on (most documents share one plan)."""
    wanted = [s.name for s in order(names)] if names else [s.name for s in order()]
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for doc_id, missing in stale(con, wanted, config).items():
        groups[frozenset(dependents(missing))].append(doc_id)
    plans = []
    for targets, ids in sorted(groups.items(), key=lambda kv: (-len(kv[1]), sorted(kv[0]))):
        write = tuple(s.name for s in order(list(targets)) if s.name in targets)
        plans.append((config.plan(write, write=write), sorted(ids)))
    return plans


def documents(con: sqlite3.Connection, ids: list[str], chunk: int = 256) -> Iterator[Analysis]:
    """The stored documents, as Analyses to re-run stages on (their metadata and residue stay stored)."""
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        marks = ", ".join("?" * len(part))
        by_id = {d.id: d for d in iter_records(con, Document, f"id IN ({marks})", tuple(part))}
        for doc_id in part:
            if doc_id in by_id:
                yield Analysis(document=by_id[doc_id])
