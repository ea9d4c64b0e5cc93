"""The corpus file: one SQLite database, its schema derived from ``records``.

WAL mode, so readers keep reading while the single writer commits; FTS5 over
the document text; a schema version in ``PRAGMA user_version`` with
migrations (:mod:`.migrate`). Everything a document brings (its metadata,
residue, and each stage's records) is written in the same transaction as the
document, so a killed run never leaves half a document behind (:mod:`.writer`).
"""

from __future__ import annotations

from .migrate import APPLICATION_ID, SCHEMA_VERSION, connect, migrate, up_to_date
from .schema import columns, create_table_sql, from_row, has_table, insert_sql, iter_records, record_types, to_row
from .writer import Writer, merge_entity

__all__ = [
    "APPLICATION_ID", "SCHEMA_VERSION", "connect", "migrate", "up_to_date", "columns", "create_table_sql",
    "from_row", "has_table", "insert_sql", "iter_records", "record_types", "to_row", "Writer", "merge_entity",
]
