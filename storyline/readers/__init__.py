"""Readers: files in, :class:`~storyline.records.Analysis` or :class:`~storyline.records.Rejection` out.

:func:`read_paths` is the one entry point. It streams: files are expanded
lazily, JSON Lines and CSV are read row by row, WARC record by record, and a
file over ``max_bytes`` is refused before it is read. A path that does not
exist raises :class:`~storyline.errors.PathNotFound`; every other bad input
becomes a Rejection with a reason code from :data:`storyline.errors.REASONS`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

from ..errors import PathNotFound
from ..records import Analysis, Rejection
from . import detect, html, tabular, text, warc
from .rejection import reject

__all__ = ["DEFAULT_MAX_BYTES", "STDIN", "check_paths", "expand_paths", "read_paths", "read_file", "read_bytes"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
STDIN = "-"
STDIN_SOURCE = "<stdin>"


def check_paths(paths: Iterable[str]) -> list[str]:
    """The paths as strings; PathNotFound for the first that does not exist (``-`` always does)."""
    paths = [os.fspath(p) for p in paths]
    for path in paths:  # fail before reading anything when one argument is wrong
        if path != STDIN and not os.path.exists(path):
            raise PathNotFound(path)
    return paths


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files under ``paths``: directories recursively in sorted order, hidden entries skipped.

    ``-`` (standard input) passes through. A missing path raises PathNotFound.
    """
    for path in paths:
        path = os.fspath(path)
        if path == STDIN:
            yield path
        elif os.path.isdir(path):
            yield from _walk(path)
        elif os.path.exists(path):
            yield path
        else:
            raise PathNotFound(path)


def _walk(folder: str) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=True):
            yield from _walk(entry.path)
        elif entry.is_file(follow_symlinks=True):
            yield entry.path


def read_paths(
    paths: Iterable[str],
    *,
    verbatim: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    text_field: str = "text",
    title_field: str = "title",
    date_field: str = "date",
    url_field: str = "url",
    id_field: str = "id",
) -> Iterator[Analysis | Rejection]:
    """Every document (or rejection) in the files under ``paths``, lazily."""
    fields = tabular.Fields(text=text_field, title=title_field, date=date_field, url=url_field, id=id_field)
    paths = check_paths(paths)
    for path in expand_paths(paths):
        if path == STDIN:
            yield read_bytes(_read_stdin(max_bytes), STDIN_SOURCE, verbatim=verbatim, max_bytes=max_bytes)
        else:
            yield from read_file(path, verbatim=verbatim, max_bytes=max_bytes, fields=fields)


def _read_stdin(max_bytes: int) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream (tests, embedding)
        return sys.stdin.read(max_bytes + 1).encode("utf-8", "surrogatepass")
    return stream.read(max_bytes + 1)


def read_bytes(data: bytes, source_path: str, *, verbatim: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> Analysis | Rejection:
    """One document from bytes in memory (standard input): sniffed as HTML or text."""
    if len(data) > max_bytes:
        return reject(source_path, "too-large", f"more than {max_bytes} bytes")
    fmt = detect.sniff(data[:8192])
    if fmt == "html":
        return html.from_bytes(data, source_path, verbatim=verbatim)
    return text.from_bytes(data, source_path, verbatim=verbatim)


def read_file(
    path: str, *, verbatim: bool = False, max_bytes: int = DEFAULT_MAX_BYTES, fields: tabular.Fields | None = None
) -> Iterator[Analysis | Rejection]:
    """Every document (or rejection) in one file."""
    fields = fields or tabular.Fields()
    if not os.path.exists(path):
        raise PathNotFound(path)
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield reject(path, "unreadable", exc.strerror or str(exc))
        return
    with stream:
        try:
            sample = stream.read(8192)
            stream.seek(0)
        except OSError as exc:
            yield reject(path, "unreadable", exc.strerror or str(exc))
            return
        if not sample:
            yield reject(path, "empty", "0 bytes")
            return
        fmt = detect.detect(path, sample)
        try:
            yield from _dispatch(fmt, stream, path, sample, verbatim=verbatim, max_bytes=max_bytes, fields=fields)
        except Exception as exc:  # noqa: BLE001 - a reader bug must cost one input, never the run
            yield reject(path, "reader-failed", f"{type(exc).__name__}: {exc}")


def _dispatch(fmt, stream, path, sample, *, verbatim, max_bytes, fields) -> Iterator[Analysis | Rejection]:
    if fmt == "warc":
        yield from warc.read(stream, path, verbatim=verbatim, max_bytes=max_bytes)
    elif fmt == "jsonl":
        yield from tabular.read_jsonl(stream, path, fields=fields, max_bytes=max_bytes)
    elif fmt in ("csv", "tsv"):
        yield from tabular.read_csv(stream, path, fields=fields, max_bytes=max_bytes, delimiter="\t" if fmt == "tsv" else ",")
    elif fmt == "binary":
        yield reject(path, "binary", _binary_detail(sample))
    else:
        size = os.fstat(stream.fileno()).st_size
        if size > max_bytes:
            yield reject(path, "too-large", f"{size} bytes, over {max_bytes}")
            return
        data = stream.read(max_bytes + 1)
        if fmt == "html":
            yield html.from_bytes(data, path, verbatim=verbatim)
        else:
            yield text.from_bytes(data, path, verbatim=verbatim)


def _binary_detail(sample: bytes) -> str:
    from .encoding import binary_kind

    return binary_kind(sample) or "not a format storyline reads"
