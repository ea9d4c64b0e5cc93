"""The listing verbs of the ``storyline`` command: each wraps one ``Corpus`` method, its options built
from the query layer's filter declarations (:mod:`storyline.query`)."""

from __future__ import annotations

import json

import click

from ..corpus import Corpus
from .cli import cli, clear_errors, counts_line, db_option, format_option
from .listing import _console, _text, emit, filter_options, highlighted, printable

@cli.command()
@db_option
@format_option
@filter_options("docs")
@clear_errors
def docs(db, fmt, **filters):
    """List the documents in the corpus, oldest first.

    Example:

        storyline docs --domain apnews.com --since 2024-01-01 --format json | head -3
    """
    cols = ["id", "published", "domain", "title", "author", "language", "n_chars", "source_path"]
    emit(Corpus(db).docs(**filters), fmt, cols, "documents")


@cli.command()
@click.argument("doc_id")
@db_option
@format_option
@clear_errors
def show(doc_id, db, fmt):
    """Show one document: text, metadata with provenance, residue, mentions, quotes, events.

    DOC_ID may be the id, a unique prefix of it, or the document's external id.

    Example:

        storyline show 3f2a
    """
    d = Corpus(db).show(doc_id)
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False))
        return
    from rich.text import Text

    console = _console()
    console.rule(_text(d["title"] or d["id"]))
    for key in ("id", "external_id", "source_path", "url", "domain", "published", "author", "language", "n_chars"):
        if key == "external_id" and d[key] is None:
            continue
        console.print(Text.assemble((key, "bold"), ": ", _text(d[key])))
    console.print()
    console.print(_text(d["text"]))
    console.print()
    emit(d["metadata"], "table", ["field", "value", "method", "confidence"], "metadata")
    emit(d["residue"], "table", ["line", "rule", "text"], "removed residue")
    emit(d["entities"], "table", ["name", "kind", "country", "sector", "role"], "entities")
    from ..pipeline.registry import stages

    for s in stages().values():  # each stage's sections, as its declaration names them
        for table, columns in s.show:
            emit(d.get(table, []), "table", list(columns), table)


@cli.command()
@click.argument("query")
@db_option
@format_option
@filter_options("search")
@clear_errors
def search(query, db, fmt, **filters):
    """Full-text search over titles and texts (SQLite FTS5 syntax), best first.

    The score is bm25 (higher is better). In a table the matched words are in
    bold; in JSON their [start, end] offsets in the snippet are in "highlights".

    Example:

        storyline search 'summit AND minister'
    """
    cells = {"snippet": highlighted, "score": lambda hit: f"{hit['score']:.4g}"}
    emit(Corpus(db).search(query, **filters), fmt, ["doc_id", "score", "title", "snippet"], "hits", cells)


@cli.command()
@db_option
@format_option
@clear_errors
def rejections(db, fmt):
    """List the inputs that were rejected, with reason codes.

    Example:

        storyline rejections --format json
    """
    emit(Corpus(db).rejections(), fmt, ["source_path", "reason", "message"], "rejections")


@cli.command()
@db_option
@format_option
@clear_errors
def stats(db, fmt):
    """Counts per table and the corpus size on disk.

    Example:

        storyline stats
    """
    s = Corpus(db).stats()
    rows = [{"table": t, "rows": n} for t, n in s["tables"].items()] + [{"table": "(bytes on disk)", "rows": s["bytes"]}]
    emit(rows, fmt, ["table", "rows"], f"corpus {s['path']}")


@cli.command()
@db_option
@format_option
@filter_options("actors")
@clear_errors
def actors(db, fmt, **filters):
    """List canonical actors, most mentioned first.

    Example:

        storyline actors --kind person
    """
    cols = ["id", "name", "kind", "country", "sector", "role", "aliases", "n_mentions", "n_quotes"]
    emit(Corpus(db).actors(**filters), fmt, cols, "actors")


@cli.command()
@db_option
@format_option
@filter_options("claims")
@clear_errors
def claims(db, fmt, **filters):
    """List claims about relations between actors: who holds them, affirmed or denied.

    A claim in a quote is held by the quote's speaker; elsewhere by the
    author. Modality says how surely: asserted, hedged, hypothetical, future
    or reported.

    Example:

        storyline claims --subject Russia --relation ally --format json
    """
    cols = ["doc_id", "holder_entity", "subject", "relation", "object", "polarity", "modality", "text"]
    emit(Corpus(db).claims(**filters), fmt, cols, "claims")


@cli.command()
@db_option
@format_option
@filter_options("signals")
@clear_errors
def signals(db, fmt, **filters):
    """List signals a reader should weigh, with their evidence spans.

    Example:

        storyline signals --kind self-contradiction
    """
    emit(Corpus(db).signals(**filters), fmt, ["doc_id", "kind", "detail", "evidence", "method"], "signals")


@cli.command()
@click.argument("table")
@db_option
@format_option
@click.option("--doc", default=None, help="Only this document's rows (an id, a unique id prefix, or an external id).")
@click.option("--where", "where", multiple=True, metavar="COLUMN=VALUE", help="Only rows whose column equals the value (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many rows.")
@clear_errors
def records(table, db, fmt, doc, where, limit):
    """List the rows of any table, a plugin stage's included, as stored.

    'storyline stats' lists the tables; 'storyline stages' which stage fills
    each.

    Example:

        storyline records quotes --where kind=direct --limit 5 --format json
    """
    columns = {}
    for item in where:
        name, eq, value = item.partition("=")
        if not eq:
            raise click.ClickException(f"--where takes COLUMN=VALUE, not {item!r}")
        columns[name] = value
    rows = list(Corpus(db).records(table, doc=doc, limit=limit, **columns))
    emit(rows, fmt, list(rows[0]) if rows else [], table)


@cli.command()
@db_option
@format_option
@filter_options("quotes")
@clear_errors
def quotes(db, fmt, **filters):
    """List who said what: direct and reported quotes with their speakers.

    Example:

        storyline quotes --speaker Zakharova --kind direct --since 2024-01-01
    """
    cols = ["doc_id", "kind", "speaker_entity", "speaker", "cue", "content", "confidence"]
    emit(Corpus(db).quotes(**filters), fmt, cols, "quotes")


@cli.command()
@db_option
@format_option
@filter_options("events")
@clear_errors
def events(db, fmt, **filters):
    """List PLOVER events: who did what to whom, when, and how surely.

    Example:

        storyline events --type THREATEN --since 2024-01-01 --until 2024-06-30
    """
    cols = ["date", "type", "source", "target", "trigger", "modality", "reported_by", "place", "confidence"]
    emit(Corpus(db).events(**filters), fmt, cols, "events")


@cli.command()
@db_option
@format_option
@filter_options("timeline")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Also draw the timeline to this PNG or SVG file.")
@clear_errors
def timeline(db, fmt, out, **filters):
    """Dated events in date order, one line each; --out draws the picture.

    Example:

        storyline timeline --actor Russia --out timeline.png
    """
    if out and not out.lower().endswith((".png", ".svg")):
        raise click.ClickException("--out must end in .png or .svg")
    rows = Corpus(db).timeline(out=out, **filters)
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        from ..timeline import format_timeline_line

        for row in rows:
            click.echo(printable(format_timeline_line(row)))
        if not rows:
            click.echo("No dated events.")
    if out:
        click.echo(f"wrote {out}", err=True)


@cli.command()
@db_option
@format_option
@clear_errors
def overview(db, fmt):
    """A short overview of the corpus: documents, sources, dates, top actors.

    Example:

        storyline overview
    """
    o = Corpus(db).overview()
    if fmt == "json":
        click.echo(json.dumps(o, ensure_ascii=False))
        return
    click.echo(
        f"{o['documents']} documents ({o['dates']['first'] or '?'} to {o['dates']['last'] or '?'}), "
        f"{o['rejections']} rejected inputs, {o['bytes'] / 1024:.0f} KiB on disk"
    )
    click.echo(counts_line(o["counts"]))
    emit(o["domains"], "table", ["domain", "n"], "sources")
    emit(o["actors"], "table", ["name", "kind", "country", "role", "n_mentions", "n_quotes"], "top actors")
