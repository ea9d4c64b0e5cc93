"""Readers: files in, :class:`~storyline.records.Analysis` or :class:`~storyline.records.Rejection` out.

:func:`read_paths` is the one entry point. It streams: files are expanded
lazily, JSON Lines and CSV are read row by row, WARC record by record, and a
file over ``max_bytes`` is refused before it is read. A path that does not
exist raises :class:`~storyline.errors.PathNotFound`; every other bad input
becomes a Rejection with a reason code from :data:`storyline.errors.REASONS`.

The limits, each a ``too-large`` or ``too-long`` rejection that names it:

* ``max_bytes`` (``--max-bytes``, :data:`DEFAULT_MAX_BYTES`): a file, a row, a WARC
  record, and what a record inflates to; a compressed archive may inflate to no
  more than ``warc.MAX_RATIO`` times its size past it (:mod:`.warc`, :mod:`.gunzip`);
* ``warc.MAX_HEADER_BYTES``: one WARC record's headers;
* :data:`MAX_CHARS`: the characters of a stored text (what the parse takes).

Bad symbolic links are ``bad-link`` rejections (:func:`walk_paths`), and source
paths are always valid UTF-8 (:func:`display_path`).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator

from ..errors import PathNotFound
from ..records import Analysis, Rejection
from . import detect, html, tabular, text, warc
from .metadata import MAX_CHARS
from .paths import display_path
from .rejection import reject

__all__ = [
    "DEFAULT_MAX_BYTES", "MAX_CHARS", "STDIN", "check_paths", "display_path", "expand_paths", "walk_paths",
    "read_paths", "read_file", "read_bytes",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
STDIN = "-"
STDIN_SOURCE = "<stdin>"


def check_paths(paths: Iterable[str]) -> list[str]:
    """The paths as strings; PathNotFound for the first that does not exist (``-`` always does).

    A symbolic link exists even when it leads nowhere: :func:`walk_paths` rejects it as ``bad-link``.
    """
    paths = [os.fspath(p) for p in paths]
    for path in paths:  # fail before reading anything when one argument is wrong
        if path != STDIN and not os.path.lexists(path):
            raise PathNotFound(display_path(path))
    return paths


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files under ``paths``: directories recursively in sorted order, hidden entries skipped.

    ``-`` (standard input) passes through. A missing path raises PathNotFound. Bad links
    are left out here; :func:`walk_paths` (and so :func:`read_paths`) reports them.
    """
    for item in walk_paths(paths):
        if isinstance(item, str):
            yield item


def walk_paths(paths: Iterable[str]) -> Iterator[str | Rejection]:
    """Files under ``paths`` as :func:`expand_paths` lists them, and a Rejection for each bad entry.

    Each real directory is walked once, however many links or arguments lead to it
    (it is known by its device and inode), and the walk is a loop, not recursion, so
    any depth works. A symbolic link that leads nowhere or into a loop of links, and
    one back into a directory being walked (``sub/up -> ..``), is a ``bad-link``
    rejection; a directory that cannot be listed is ``unreadable``. The run goes on.
    Besides files and directories (FIFOs, sockets, devices) entries are skipped.
    """
    seen: set[tuple[int, int]] = set()
    for path in paths:
        path = os.fspath(path)
        if path == STDIN:
            yield path
            continue
        if not os.path.lexists(path):
            raise PathNotFound(display_path(path))
        st = _stat(path, os.path.islink(path))
        if isinstance(st, Rejection):
            yield st
        elif stat.S_ISDIR(st.st_mode):
            yield from _walk(path, st, seen)
        else:
            yield path


def _stat(path: str, is_link: bool) -> os.stat_result | Rejection:
    """What ``path`` leads to, or why it leads nowhere."""
    try:
        return os.stat(path)
    except OSError as exc:
        if not is_link:
            return reject(display_path(path), "unreadable", exc.strerror or str(exc))
        if exc.errno == errno.ELOOP:
            return reject(display_path(path), "bad-link", "a loop of symbolic links")
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        why = "its target does not exist" if exc.errno == errno.ENOENT else (exc.strerror or str(exc))
        return reject(display_path(path), "bad-link", f"-> {display_path(target)}: {why}")


def _listing(folder: str) -> list[os.DirEntry] | Rejection:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        return reject(display_path(folder), "unreadable", exc.strerror or str(exc))


def _walk(top: str, top_stat: os.stat_result, seen: set[tuple[int, int]]) -> Iterator[str | Rejection]:
    key = (top_stat.st_dev, top_stat.st_ino)
    if key in seen:
        return
    seen.add(key)
    listing = _listing(top)
    if isinstance(listing, Rejection):
        yield listing
        return
    # The directories from ``top`` down to the one being listed: key -> path.
    ancestors: dict[tuple[int, int], str] = {key: top}
    stack: list[tuple[tuple[int, int], Iterator[os.DirEntry]]] = [(key, iter(listing))]
    while stack:
        folder_key, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            del ancestors[folder_key]
            continue
        if entry.name.startswith("."):
            continue
        is_link = entry.is_symlink()
        st = _stat(entry.path, is_link)
        if isinstance(st, Rejection):
            yield st
        elif stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                if is_link:
                    yield reject(display_path(entry.path), "bad-link", f"a directory cycle: it leads back to {display_path(ancestors[key])}")
            elif key not in seen:
                seen.add(key)
                listing = _listing(entry.path)
                if isinstance(listing, Rejection):
                    yield listing
                else:
                    ancestors[key] = entry.path
                    stack.append((key, iter(listing)))
        elif stat.S_ISREG(st.st_mode):
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
    for path in walk_paths(paths):
        if isinstance(path, Rejection):
            yield path
        elif path == STDIN:
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
    """Every document (or rejection) in one file.

    The file at ``path`` is opened; records name it by :func:`display_path` of it
    (valid UTF-8 even when the file name is not).
    """
    fields = fields or tabular.Fields()
    if not os.path.exists(path):
        raise PathNotFound(display_path(path))
    real, path = path, display_path(path)
    try:
        stream = open(real, "rb")
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
