"""Opening a corpus file: checks, WAL, and migrations to the current schema.

``PRAGMA user_version`` holds the schema version, ``PRAGMA application_id``
marks the file as a storyline corpus. Tables and columns that the installed
record types have and the file lacks are added on every writable open, so a new
stage or field needs no hand-written migration; ``MIGRATIONS`` holds the steps
that move data.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import CannotOpen, CorpusTooNew, NoCorpus, NotACorpus
from .schema import FTS_SQL, columns, create_table_sql, has_table, record_types

SCHEMA_VERSION = 2
APPLICATION_ID = 0x53544C31  # "STL1": marks the file as a storyline corpus
# What release 0.1.0 (schema 1) ran on every document it stored: no stage_runs table then.
RELEASE_1_STAGES = (("parse", "1"), ("actors", "1"), ("quotes", "1"), ("events", "1"))


def _migration_1(con: sqlite3.Connection) -> None:
    """A new corpus: every table of the installed record types, and full-text search."""
    for cls in record_types():
        for stmt in create_table_sql(cls):
            con.execute(stmt)
    for stmt in FTS_SQL:
        con.execute(stmt)


def _migration_2(con: sqlite3.Connection) -> None:
    """Schema 1 did not record which stages ran: every stored document had all four, at version 1."""
    _add_missing(con)
    con.executemany(
        "INSERT OR IGNORE INTO stage_runs (doc_id, stage, version, options) SELECT id, ?, ?, '{}' FROM documents",
        RELEASE_1_STAGES,
    )


# Version n is reached by running MIGRATIONS[n - 1].
MIGRATIONS = [_migration_1, _migration_2]


def _add_missing(con: sqlite3.Connection) -> None:
    """Tables, columns and indexes the installed record types have and the file lacks."""
    for cls in record_types():
        have = {row[1] for row in con.execute(f"PRAGMA table_info([{cls.__table__}])")}
        for name, sqltype in columns(cls):
            if have and name not in have:
                con.execute(f"ALTER TABLE [{cls.__table__}] ADD COLUMN [{name}] {sqltype}")
        for stmt in create_table_sql(cls):  # IF NOT EXISTS: the missing table, the missing indexes
            con.execute(stmt)


def _check_file(path: Path, create: bool) -> bool:
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
    elif not path.parent.is_dir():
        raise CannotOpen(str(path), f"the folder {path.parent} does not exist")
    return exists


def connect(path: str | Path, *, create: bool = False, readonly: bool = False) -> sqlite3.Connection:
    """Open (or create) a corpus file; raise a clear error for anything else."""
    path = Path(path)
    exists = _check_file(path, create)
    try:
        return _open(path, exists, create, readonly)
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc) or "not a database" in str(exc):
            raise NotACorpus(str(path), f"the file is damaged: {exc}") from None
        raise CannotOpen(str(path), str(exc)) from None


def _open(path: Path, exists: bool, create: bool, readonly: bool) -> sqlite3.Connection:
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


def up_to_date(con: sqlite3.Connection) -> bool:
    """The file has the current schema and a table for every installed record type."""
    if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        return False
    return all(has_table(con, cls.__table__) for cls in record_types())


def migrate(con: sqlite3.Connection) -> None:
    version = con.execute("PRAGMA user_version").fetchone()[0]
    with con:
        if version == 0:
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            MIGRATIONS[0](con)
            version = SCHEMA_VERSION  # a new corpus has no data to move
        for n in range(version, SCHEMA_VERSION):
            MIGRATIONS[n](con)
        _add_missing(con)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
