"""The ``storyline`` command. Each verb is a thin wrapper over one ``Corpus`` method."""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
import sys
from typing import Callable

import click

from ..corpus import Corpus, default_db
from ..errors import Interrupted, NotACorpus, StorylineError
from .listing import emit

QUOTE_MODES = ("fast", "accurate")

FORMATS = click.Choice(["table", "json"])
# The end of an ingest lists at most this many rejections; `storyline rejections` lists all.
SHOW_REJECTIONS = 20


def db_option(f: Callable) -> Callable:
    return click.option(
        "--db",
        default=default_db,
        show_default="storyline.db, or $STORYLINE_DB",
        type=click.Path(dir_okay=False),
        help="The corpus file.",
    )(f)


def format_option(f: Callable) -> Callable:
    return click.option(
        "--format", "fmt", type=FORMATS, default="table", show_default=True,
        help="table for people, json for programs (JSON Lines: one object a line).",
    )(f)


def quotes_option(f: Callable) -> Callable:
    return click.option(
        "--quotes", "quotes", type=click.Choice(QUOTE_MODES), default=None,
        help="Shorthand for --set quotes.mode=MODE (default fast): 'accurate' adds a small fine-tuned language "
             "model (all-MiniLM-L6-v2), which scores a little better (docs/evaluation.md) and makes ingest about "
             "twice as slow.",
    )(f)


def set_option(f: Callable) -> Callable:
    return click.option(
        "--set", "sets", multiple=True, metavar="STAGE.OPTION=VALUE",
        help="Set a stage option (repeatable), e.g. quotes.mode=accurate; 'storyline stages' lists them. "
             "Also read from storyline.toml and environment variables.",
    )(f)


def _settings(sets, quotes: str | None = None) -> dict:
    """--set values (and --quotes), checked now, before any progress bar starts."""
    from ..pipeline.config import load, parse_sets

    settings = parse_sets(sets)
    load({**settings, **({"quotes.mode": quotes} if quotes else {})})
    return settings


@contextlib.contextmanager
def progress_bar(verb: str):
    """A progress bar on stderr, shown from the first document on (an error before that prints alone);
    yields (on_start(total), on_progress(n))."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [
        SpinnerColumn(), TextColumn(verb), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"), TimeElapsedColumn(),
    ]
    progress = Progress(*columns, console=_stderr(), transient=False)
    task = progress.add_task(verb, total=None, rate="–")
    started = False

    def start() -> None:
        nonlocal started
        if not started:
            progress.start()
            started = True

    def on_start(total: int) -> None:
        progress.update(task, total=total)
        if total:
            start()

    def on_progress(n: int) -> None:
        start()
        progress.advance(task, n)
        t = progress.tasks[0]
        if t.elapsed:
            progress.update(task, rate=f"{t.completed / t.elapsed:.1f}")

    try:
        yield on_start, on_progress
    finally:
        if started:
            progress.stop()


def clear_errors(f: Callable) -> Callable:
    """Turn a library error into 'Error: ...' on stderr and exit 1."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except StorylineError as exc:
            raise click.ClickException(exc.message) from exc
        except KeyboardInterrupt:
            raise click.ClickException(Interrupted().message) from None
        except sqlite3.DatabaseError as exc:  # damage found past the first pages, while reading
            db = kwargs.get("db") or default_db()
            raise click.ClickException(NotACorpus(str(db), f"the file is damaged: {exc}").message) from None
        except BrokenPipeError:
            sys.stderr.close()

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storyline")
def cli() -> None:
    """storyline: turn a pile of news documents into an evidence-linked dossier.

    Example:

        storyline ingest examples/corpus && storyline overview
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--workers", type=int, default=None, help="Worker processes for analysis (default: all cores).")
@click.option("--verbatim", is_flag=True, help="Store the text exactly as read (no residue removal), so offsets equal the input's.")
@click.option("--max-bytes", type=int, default=None, help="Reject inputs larger than this, or that decompress to more (default 50 MiB).")
@click.option("--text-field", default="text", show_default=True, help="JSON Lines/CSV field holding the text.")
@click.option("--title-field", default="title", show_default=True, help="JSON Lines/CSV field holding the title.")
@click.option("--date-field", default="date", show_default=True, help="JSON Lines/CSV field holding the date.")
@click.option("--url-field", default="url", show_default=True, help="JSON Lines/CSV field holding the URL.")
@click.option("--id-field", default="id", show_default=True, help="JSON Lines/CSV field kept as external_id.")
@quotes_option
@set_option
@format_option
@clear_errors
def ingest(paths, db, workers, verbatim, max_bytes, text_field, title_field, date_field, url_field, id_field, quotes, sets, fmt):
    """Read, analyse and store documents: files, directories, or - for stdin.

    Reads plain text, HTML, WARC(.gz), JSON Lines and CSV. Ingesting the same
    input twice adds nothing. Bad inputs are rejected with a reason and the run
    goes on.

    Example:

        storyline ingest examples/corpus --workers 2

        storyline ingest news.jsonl --quotes accurate
    """
    corpus = Corpus(db)
    settings = _settings(sets, quotes)
    with progress_bar("ingesting") as (on_start, on_progress):
        summary = corpus.ingest(
            paths, workers=workers, verbatim=verbatim, max_bytes=max_bytes, text_field=text_field,
            title_field=title_field, date_field=date_field, url_field=url_field, id_field=id_field,
            on_progress=on_progress, quotes=quotes, settings=settings,
        )
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
        return
    click.echo(f"added {summary.added}, unchanged {summary.unchanged}, rejected {summary.rejected}")
    if summary.rejections:
        shown = summary.rejections[:SHOW_REJECTIONS]
        emit((r.to_dict() for r in shown), "table", ["source_path", "reason", "message"], "rejections")
        if len(summary.rejections) > len(shown):
            click.echo(f"… and {len(summary.rejections) - len(shown)} more: storyline rejections --db {db}")


@cli.command()
@click.option("--stage", "stage_names", multiple=True, metavar="NAME",
              help="Run this stage (repeatable); the stages it requires run with it. Default: every stage that is not up to date.")
@db_option
@click.option("--workers", type=int, default=None, help="Worker processes for analysis (default: all cores).")
@quotes_option
@set_option
@format_option
@clear_errors
def analyze(stage_names, db, workers, quotes, sets, fmt):
    """Bring a stored corpus up to date: run stages on the documents that lack them.

    A document needs a stage when it has no run of the stage's current version
    (after an upgrade, or a newly installed stage), or when an option you set
    differs from the one it ran with. Its records of that stage, and of the
    stages that read them, are replaced; then the corpus passes run again. It
    can be stopped and run again; a second run does nothing.

    Example:

        storyline analyze

        storyline analyze --stage quotes --set quotes.mode=accurate
    """
    corpus = Corpus(db)
    settings = _settings(sets, quotes)
    with progress_bar("analysing") as (on_start, on_progress):
        out = corpus.analyze(list(stage_names) or None, workers=workers, quotes=quotes, settings=settings,
                             on_progress=on_progress, on_start=on_start)
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    if not out["runs"]:
        click.echo("Up to date: every document has every stage at its current version.")
        return
    for r in out["runs"]:
        click.echo(f"ran {', '.join(r['stages'])} on {r['documents']} documents" + (f" ({r['failed']} failed)" if r["failed"] else ""))
    if out["passes"]:
        click.echo("then " + ", ".join(f"{k} ({v} changed)" for k, v in out["passes"].items()))


@cli.command()
@click.option("--db", default=None, type=click.Path(dir_okay=False),
              help="Also say, for this corpus, how many documents each stage ran on, at which versions.")
@format_option
@clear_errors
def stages(db, fmt):
    """List the installed stages: version, what they require, their tables and options.

    Stages are found through the entry-point group storyline.stages (storyline's
    own and any plugin's). Options are set with --set STAGE.OPTION=VALUE, in
    storyline.toml, or in the environment variable shown.

    Example:

        storyline stages --db storyline.db --format json
    """
    rows = Corpus(db).stages()
    if fmt == "json":
        for r in rows:
            click.echo(json.dumps({k: r[k] for k in ("name", "version", "requires", "tables", "options", "documents", "versions", "run_options", "help")}, ensure_ascii=False))
        return
    table = [
        {
            "name": r["name"], "version": r["version"], "requires": r["requires"], "tables": r["tables"],
            "options": [f"{k}={v['default']!r} (${v['env']})" for k, v in r["options"].items()],
            "documents": r["documents"],
            "versions": [f"{v}: {n}" for v, n in r["versions"].items()],
        }
        for r in rows
    ]
    emit(table, "table", ["name", "version", "requires", "tables", "options", "documents", "versions"], "stages")


def counts_line(counts: dict) -> str:
    """The overview's line of record counts (README.md shows it for the example corpus)."""
    return (
        f"{counts['sentences']} sentences, {counts['mentions']} mentions, {counts['entities']} actors, "
        f"{counts['quotes']} quotes, {counts['events']} events"
    )


def _stderr():
    from rich.console import Console

    return Console(stderr=True)


from . import verbs  # noqa: E402,F401 - registers the listing verbs on `cli`


def main() -> None:
    cli(prog_name="storyline")


if __name__ == "__main__":
    main()
