"""``Corpus``: the library face of storyline. Each CLI verb wraps one method."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

from . import query as queries
from . import store
from .errors import BadOption
from .records import Document

if TYPE_CHECKING:
    from .pipeline.engine import IngestSummary

DEFAULT_DB = "storyline.db"


def default_db() -> str:
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


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
        if summary.added:
            self._passes(None)
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
        """Corpus-level work once records are in (merge actors across documents): the passes that read one
        of the ``written`` record types (None: every pass)."""
        from .passes import run_passes

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

    # -- listings: each calls the query layer (storyline.query) with the same filters -----------
    def docs(self, *, domain: str | None = None, since: str | None = None, until: str | None = None,
             limit: int | None = None) -> Iterator[dict]:
        """One dict per document, without its text, oldest first. ``since``/``until``: published on
        or after / on or before this date (YYYY-MM-DD, inclusive); ``domain``: from this domain."""
        return queries.docs(self._read(), domain=domain, since=since, until=until, limit=limit)

    def resolve_id(self, doc_id: str) -> str:
        """The id of the document that ``doc_id`` names: its external id, its id, or a unique prefix of its id."""
        return queries.resolve_id(self._read(), doc_id)

    def document(self, doc_id: str) -> Document:
        return queries.document(self._read(), doc_id)

    def show(self, doc_id: str) -> dict:
        """The stored text and everything known about one document."""
        return queries.show(self._read(), doc_id)

    def search(self, query: str, *, limit: int | None = None) -> Iterator[dict]:
        """Full-text search (SQLite FTS5 syntax) over titles and texts, best first (20 hits unless ``limit``):
        ``doc_id``, ``title``, ``score`` (bm25), ``snippet`` and ``highlights`` (the matched words' offsets in it)."""
        return queries.search(self._read(), query, limit=limit)

    def rejections(self) -> Iterator[dict]:
        return queries.rejections(self._read())

    def stats(self) -> dict:
        return queries.stats(self._read(), self.path)

    def records(self, table: str, *, doc: str | None = None, limit: int | None = None, **columns: Any) -> Iterator[dict]:
        """The rows of any table (``storyline stats`` lists them) as dicts of their columns, in key
        order: ``column=value`` keeps rows where the column equals the value (None: is null);
        ``doc``: one document's rows; ``limit``: at most this many. An unknown table or column is an error."""
        return queries.records(self._read(), table, doc=doc, limit=limit, **columns)

    # -- actors, quotes, events ---------------------------------------------
    def actors(self, *, kind: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """Canonical actors, most mentioned first."""
        return queries.actors(self._read(), kind=kind, limit=limit)

    def quotes(self, *, speaker: str | None = None, doc: str | None = None, kind: str | None = None,
               since: str | None = None, until: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """Quotes with their content, cue and speaker spans. ``speaker``: the speaker's name, an alias or the
        words naming them contain this; ``kind``: direct, indirect or mixed; ``since``/``until``: by the
        document's published date (inclusive)."""
        return queries.quotes(self._read(), speaker=speaker, doc=doc, kind=kind, since=since, until=until, limit=limit)

    def claims(self, *, subject: str | None = None, relation: str | None = None, holder: str | None = None,
               polarity: str | None = None, doc: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """Claims about relations between actors, with their holder. ``subject``: the subject's or object's
        name or alias contains this; ``holder``: the speaker's, or ``"author"`` for the documents' own voice."""
        return queries.claims(self._read(), subject=subject, relation=relation, holder=holder, polarity=polarity,
                              doc=doc, limit=limit)

    def signals(self, *, kind: str | None = None, doc: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """Signals a reader should weigh (a self-contradiction, ...), each with its evidence spans."""
        return queries.signals(self._read(), kind=kind, doc=doc, limit=limit)

    def events(self, *, actor: str | None = None, type: str | None = None, since: str | None = None,
               until: str | None = None, doc: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """PLOVER events with their evidence, in date order. ``actor``: the source's or target's name or
        an alias contains this; ``since``/``until``: dated on or after / on or before (inclusive)."""
        return queries.events(self._read(), actor=actor, type=type, since=since, until=until, doc=doc, limit=limit)

    def timeline(self, *, actor: str | None = None, type: str | None = None, since: str | None = None,
                 until: str | None = None, doc: str | None = None, limit: int | None = None,
                 out: str | Path | None = None) -> list[dict]:
        """Dated events in date order (the events' filters); with ``out``, also draw them (PNG or SVG)."""
        rows = list(queries.timeline(self._read(), actor=actor, type=type, since=since, until=until, doc=doc, limit=limit))
        if out is not None:
            from .timeline import plot_timeline

            plot_timeline(rows, out)
        return rows

    def overview(self) -> dict:
        """A short overview: counts, date range, sources, top actors."""
        return queries.overview(self._read(), self.path)

