"""``Corpus``: the library face of storyline. Each CLI verb wraps one method."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

from . import store
from .errors import AmbiguousId, BadOption, BadQuery, DocumentNotFound
from .records import Document, MetaField, Residue, Sentence

if TYPE_CHECKING:
    from .pipeline.engine import IngestSummary

DEFAULT_DB = "storyline.db"


def default_db() -> str:
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


def _span(start, end, text) -> dict | None:
    if start is None:
        return None
    return {"start": start, "end": end, "text": text}


def _check_workers(workers: int | None) -> None:
    if workers is not None and workers < 1:
        raise BadOption("--workers", workers, "Give a number of processes of 1 or more.")


def _with_quotes(settings: Mapping[str, Any] | None, quotes: str | None) -> dict:
    """``quotes=`` (and ``--quotes``) is a shorthand for the setting ``quotes.mode``."""
    out = dict(settings or {})
    if quotes is not None:
        out["quotes.mode"] = quotes
    return out


class Corpus:
    """A corpus file. ``Corpus("storyline.db").ingest(["docs/"])``."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or default_db())
        self._con: sqlite3.Connection | None = None
        self._writable = False

    # -- connections -------------------------------------------------------
    def _read(self) -> sqlite3.Connection:
        """A connection for reading: takes no write lock on an up-to-date corpus."""
        if self._con is None:
            con = store.connect(self.path, readonly=True)
            if not store.up_to_date(con):
                con.close()
                con = store.connect(self.path)
                self._writable = True
            self._con = con
        return self._con

    def _write(self) -> sqlite3.Connection:
        if self._con is not None and not self._writable:
            self._con.close()
            self._con = None
        if self._con is None:
            self._con = store.connect(self.path, create=True)
            self._writable = True
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- ingest and analysis -------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str],
        *,
        workers: int | None = None,
        verbatim: bool = False,
        max_bytes: int | None = None,
        text_field: str = "text",
        title_field: str = "title",
        date_field: str = "date",
        url_field: str = "url",
        id_field: str = "id",
        on_progress: Callable[[int], None] | None = None,
        settings: Mapping[str, Any] | None = None,
        quotes: str | None = None,
    ) -> "IngestSummary":
        """Read new documents, run every stage on them and store them; return what was added, unchanged,
        rejected. A document already stored is not read into the corpus again.

        ``settings``: stage options, ``{"quotes.mode": "accurate"}`` (see ``storyline stages``);
        ``quotes`` is a shorthand for ``quotes.mode``: "accurate" adds a small language model, which scores a
        little better and costs about as much again as the parse (docs/evaluation.md, docs/benchmarks.md)."""
        from .pipeline import config as cfg
        from .pipeline.engine import run
        from .readers import DEFAULT_MAX_BYTES, check_paths, read_paths

        paths = check_paths(paths)  # before the corpus file is created
        _check_workers(workers)
        if max_bytes is not None and max_bytes < 1:
            raise BadOption("--max-bytes", max_bytes, "Give a positive number of bytes.")
        config = cfg.load(_with_quotes(settings, quotes))
        items = read_paths(
            paths,
            verbatim=verbatim,
            max_bytes=max_bytes or DEFAULT_MAX_BYTES,
            text_field=text_field,
            title_field=title_field,
            date_field=date_field,
            url_field=url_field,
            id_field=id_field,
        )
        writer = store.Writer(self._write(), str(self.path))
        summary = run(items, writer, workers=workers, on_progress=on_progress, plan=config.plan())
        self._passes(None if summary.added else ())
        return summary

    def analyze(
        self,
        stages: Iterable[str] | None = None,
        *,
        workers: int | None = None,
        settings: Mapping[str, Any] | None = None,
        quotes: str | None = None,
        on_progress: Callable[[int], None] | None = None,
        on_start: Callable[[int], None] | None = None,
    ) -> dict:
        """Bring the stored documents up to date: run each named stage (every stage by default) on the
        documents that lack a run at its current version, with the stages that read its records, and
        replace those records; then the corpus passes that read them. A second run does nothing."""
        from .pipeline import config as cfg
        from .pipeline import rerun
        from .pipeline.engine import run
        from .pipeline.registry import stage

        names = [stage(n).name for n in stages] if stages else None
        _check_workers(workers)
        config = cfg.load(_with_quotes(settings, quotes))
        con = self._write()
        plans = rerun.work_plans(con, names, config)
        total = sum(len(ids) for _, ids in plans)
        if on_start:
            on_start(total)
        out = {"documents": 0, "failed": 0, "runs": [], "passes": {}}
        written: set = set()
        for plan, ids in plans:
            summary = run(rerun.documents(con, ids), store.Writer(con, str(self.path)), workers=workers,
                          on_progress=on_progress, plan=plan, stored=True)
            out["documents"] += summary.added
            out["failed"] += summary.rejected
            out["runs"].append({"stages": list(plan.targets), "documents": summary.added, "failed": summary.rejected})
            # the stages that only fed the targets still bring their entities, upserted: the merge must see them
            written |= {cls for name in plan.stages for cls in stage(name).writes}
        if written:
            out["passes"] = self._passes(written)
        return out

    def _passes(self, written) -> dict[str, int]:
        """Corpus-level work once records are in (merge actors across documents); ``()``: none."""
        from .passes import run_passes

        if written == ():
            return {}
        return run_passes(self._write(), written)

    def stages(self) -> list[dict]:
        """Every installed stage: name, version, requires, tables, options; with a corpus file, how many
        documents each has run on, at which versions and with which options."""
        from .pipeline.registry import stages

        runs: dict[str, dict] = {}
        if self.path.exists():
            con = self._read()
            if store.has_table(con, "stage_runs"):
                for r in con.execute(
                    "SELECT stage, version, options, count(*) AS n FROM stage_runs GROUP BY stage, version, options"
                ):
                    d = runs.setdefault(r["stage"], {"documents": 0, "versions": {}, "options": {}})
                    d["documents"] += r["n"]
                    d["versions"][r["version"]] = d["versions"].get(r["version"], 0) + r["n"]
                    d["options"][r["options"]] = d["options"].get(r["options"], 0) + r["n"]
        out = []
        for s in stages().values():
            done = runs.get(s.name, {"documents": 0, "versions": {}, "options": {}})
            out.append({
                "name": s.name,
                "version": s.version,
                "requires": list(s.requires),
                "tables": [cls.__table__ for cls in s.writes],
                "options": {o.name: {"default": o.default, "help": o.help, "env": o.env_name(s.name),
                                     **({"choices": list(o.choices)} if o.choices else {})} for o in s.options},
                "help": s.help,
                "documents": done["documents"],
                "versions": done["versions"],
                "run_options": done["options"],
            })
        return out

    # -- listings ----------------------------------------------------------
    def docs(self, *, limit: int | None = None) -> Iterator[dict]:
        """One dict per document, without its text."""
        sql = (
            "SELECT id, external_id, source_path, title, url, domain, published, author, language, n_chars "
            "FROM documents ORDER BY published IS NULL, published, source_path"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        for row in self._read().execute(sql):
            yield dict(row)

    def resolve_id(self, doc_id: str) -> str:
        rows = self._read().execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2", (doc_id, doc_id + "\uffff")
        ).fetchall()
        if not rows or not doc_id:
            raise DocumentNotFound(doc_id)
        if len(rows) > 1 and rows[0]["id"] != doc_id:
            raise AmbiguousId(doc_id, len(rows))
        return rows[0]["id"]

    def document(self, doc_id: str) -> Document:
        doc_id = self.resolve_id(doc_id)
        return next(store.iter_records(self._read(), Document, "id = ?", (doc_id,)))

    def show(self, doc_id: str) -> dict:
        """The stored text and everything known about one document."""
        con = self._read()
        doc = self.document(doc_id)
        out = doc.to_dict()
        out["keywords"] = list(doc.keywords)
        out["metadata"] = [
            {k: v for k, v in m.to_dict().items() if k != "doc_id"}
            for m in store.iter_records(con, MetaField, "doc_id = ? ORDER BY field", (doc.id,))
        ]
        out["residue"] = [
            {k: v for k, v in r.to_dict().items() if k != "doc_id"}
            for r in store.iter_records(con, Residue, "doc_id = ? ORDER BY start", (doc.id,))
        ]
        out["sentences"] = [
            {"start": s.start, "end": s.end, "tokens": s.token_spans()}
            for s in store.iter_records(con, Sentence, "doc_id = ? ORDER BY start", (doc.id,))
        ]
        out["mentions"] = [
            {"start": r["start"], "end": r["end"], "text": r["text"], "label": r["label"], "entity_id": r["entity_id"]}
            for r in con.execute("SELECT * FROM mentions WHERE doc_id = ? ORDER BY start", (doc.id,))
        ]
        out["entities"] = [
            self._entity_dict(r)
            for r in con.execute(
                "SELECT e.*, count(*) AS n FROM mentions m JOIN entities e ON e.id = m.entity_id "
                "WHERE m.doc_id = ? GROUP BY e.id ORDER BY n DESC, e.name",
                (doc.id,),
            )
        ]
        out["quotes"] = list(self.quotes(doc=doc.id))
        out["events"] = list(self.events(doc=doc.id))
        return out

    @staticmethod
    def _entity_dict(row) -> dict:
        return {
            "id": row["id"],
            "name": row["name"],
            "kind": row["kind"],
            "country": row["country"],
            "sector": row["sector"],
            "role": row["role"],
            "aliases": json.loads(row["aliases"] or "[]"),
        }

    def search(self, query: str, *, limit: int = 20) -> Iterator[dict]:
        """Full-text search (SQLite FTS5 syntax) over titles and texts."""
        sql = (
            "SELECT d.id AS doc_id, d.title, bm25(documents_fts) AS rank, "
            "snippet(documents_fts, 1, '[', ']', '…', 12) AS snippet "
            "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        try:
            rows = self._read().execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            raise BadQuery(query, str(exc)) from exc
        for r in rows:
            yield {"doc_id": r["doc_id"], "title": r["title"], "score": round(-r["rank"], 4), "snippet": r["snippet"]}

    def rejections(self) -> Iterator[dict]:
        for r in self._read().execute("SELECT source_path, reason, message FROM rejections ORDER BY source_path"):
            yield dict(r)

    def stats(self) -> dict:
        con = self._read()
        tables = {
            cls.__table__: con.execute(f"SELECT count(*) FROM [{cls.__table__}]").fetchone()[0]
            for cls in store.record_types()
            if store.has_table(con, cls.__table__)
        }
        size = sum(p.stat().st_size for p in [self.path, Path(f"{self.path}-wal")] if p.exists())
        return {"path": str(self.path), "schema_version": store.SCHEMA_VERSION, "tables": tables, "bytes": size}

    # -- actors, quotes, events ---------------------------------------------
    def _entity_ref(self, entity_id: str | None, cache: dict) -> dict | None:
        if not entity_id:
            return None
        if entity_id not in cache:
            row = self._read().execute("SELECT id, name, country, sector FROM entities WHERE id = ?", (entity_id,)).fetchone()
            cache[entity_id] = dict(row) if row else {"id": entity_id, "name": None, "country": None, "sector": None}
        return cache[entity_id]

    def _entity_ids(self, name: str | None) -> list[str] | None:
        """Ids of entities whose name or an alias matches NAME (case-insensitive)."""
        if not name:
            return None
        like = f"%{name.casefold()}%"
        rows = self._read().execute(
            "SELECT id FROM entities WHERE lower(name) LIKE ? OR lower(aliases) LIKE ?", (like, like)
        ).fetchall()
        return [r[0] for r in rows]

    def actors(self, *, kind: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """Canonical actors, most mentioned first."""
        sql = (
            "SELECT e.*, (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS n_mentions, "
            "(SELECT count(*) FROM quotes q WHERE q.speaker_entity_id = e.id) AS n_quotes "
            "FROM entities e" + (" WHERE e.kind = ?" if kind else "") + " ORDER BY n_mentions DESC, e.name"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        for r in self._read().execute(sql, (kind,) if kind else ()):
            d = self._entity_dict(r)
            d["n_mentions"], d["n_quotes"] = r["n_mentions"], r["n_quotes"]
            yield d

    def quotes(self, *, speaker: str | None = None, doc: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """Quotes with their content, cue and speaker spans."""
        where, params = [], []
        ids = self._entity_ids(speaker)
        if ids is not None:
            where.append(f"(speaker_entity_id IN ({', '.join('?' * len(ids))}) OR lower(speaker_text) LIKE ?)")
            params += [*ids, f"%{speaker.casefold()}%"]
        if doc:
            where.append("doc_id = ?")
            params.append(self.resolve_id(doc))
        sql = "SELECT * FROM quotes" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY doc_id, content_start"
        if limit:
            sql += f" LIMIT {int(limit)}"
        cache: dict = {}
        for r in self._read().execute(sql, params):
            ent = self._entity_ref(r["speaker_entity_id"], cache)
            yield {
                "doc_id": r["doc_id"],
                "kind": r["kind"],
                "content": _span(r["content_start"], r["content_end"], r["content_text"]),
                "cue": _span(r["cue_start"], r["cue_end"], r["cue_text"]),
                "speaker": _span(r["speaker_start"], r["speaker_end"], r["speaker_text"]),
                "speaker_entity": {"id": ent["id"], "name": ent["name"]} if ent else None,
                "confidence": r["confidence"],
                "method": r["method"],
            }

    def events(
        self,
        *,
        actor: str | None = None,
        type: str | None = None,
        since: str | None = None,
        doc: str | None = None,
        limit: int | None = None,
    ) -> Iterator[dict]:
        """PLOVER events with their evidence."""
        where, params = [], []
        ids = self._entity_ids(actor)
        if ids is not None:
            marks = ", ".join("?" * len(ids))
            where.append(f"(source_entity_id IN ({marks}) OR target_entity_id IN ({marks}))")
            params += [*ids, *ids]
        if type:
            where.append("type = ?")
            params.append(type.upper())
        if since:
            where.append("date >= ?")
            params.append(since)
        if doc:
            where.append("doc_id = ?")
            params.append(self.resolve_id(doc))
        sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY date IS NULL, date, doc_id, trigger_start"
        if limit:
            sql += f" LIMIT {int(limit)}"
        cache: dict = {}
        for r in self._read().execute(sql, params):
            rep = self._entity_ref(r["reported_by_entity_id"], cache)
            yield {
                "doc_id": r["doc_id"],
                "type": r["type"],
                "source": self._entity_ref(r["source_entity_id"], cache),
                "target": self._entity_ref(r["target_entity_id"], cache),
                "trigger": _span(r["trigger_start"], r["trigger_end"], r["trigger_text"]),
                "sentence": {"start": r["sentence_start"], "end": r["sentence_end"]},
                "date": r["date"],
                "place": r["place"],
                "modality": r["modality"],
                "context": r["context"],
                "reported_by": {"id": rep["id"], "name": rep["name"]} if rep else None,
                "confidence": r["confidence"],
                "method": r["method"],
            }

    def timeline(self, *, actor: str | None = None, out: str | Path | None = None) -> list[dict]:
        """Dated events in date order; with ``out``, also draw them (PNG or SVG)."""
        rows = [e for e in self.events(actor=actor) if e["date"]]
        if out is not None:
            from .timeline import plot_timeline

            plot_timeline(rows, out)
        return rows

    def overview(self) -> dict:
        """A short overview: counts, date range, sources, top actors and speakers."""
        con = self._read()
        stats = self.stats()
        first, last = con.execute("SELECT min(published), max(published) FROM documents").fetchone()
        domains = [dict(r) for r in con.execute(
            "SELECT coalesce(domain, '(none)') AS domain, count(*) AS n FROM documents GROUP BY 1 ORDER BY n DESC LIMIT 8")]
        return {
            "documents": stats["tables"]["documents"],
            "rejections": stats["tables"]["rejections"],
            "bytes": stats["bytes"],
            "dates": {"first": first, "last": last},
            "domains": domains,
            "actors": list(self.actors(limit=8)),
            "counts": stats["tables"],
        }
