"""JSON Lines and CSV: one document per row, read row by row.

Rows are stored as given (no residue removal: rows are usually clean text),
so ``Document.verbatim`` is true and offsets equal the field's characters.
The row's locator (``path#L12``, ``path#row3``) is its source path. A JSON Lines
row that is mostly UTF-8 with a few bad bytes is read with them replaced
(:func:`storyline.readers.encoding.mostly_utf8`); its ``replaced_bytes`` metadata
gives offsets into the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from ..records import Analysis, Rejection
from . import encoding
from .metadata import Candidate, build
from .rejection import reject
from .text import provenance

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fields:
    """Which row fields hold what (the ``*_field`` options)."""

    text: str = "text"
    title: str = "title"
    date: str = "date"
    url: str = "url"
    id: str = "id"
    author: str = "author"
    keywords: str = "keywords"


def from_row(
    row: Mapping, locator: str, fields: Fields, kind: str, extra: list[Candidate] | None = None
) -> Analysis | Rejection:
    """The Analysis of one row (a mapping of field name to value)."""
    value = row.get(fields.text)
    if not isinstance(value, str):
        found = "null" if value is None and fields.text in row else type(value).__name__
        detail = f"no text in field {fields.text!r}" + ("" if fields.text not in row else f" ({found})")
        return reject(locator, "missing-field", detail)
    text = encoding.clean(value)
    if encoding.is_blank(text):
        return reject(locator, "empty", f"field {fields.text!r} holds no text")
    candidates = [*_candidates(row, fields, kind), *(extra or [])]
    raw_id = row.get(fields.id)
    external_id = None if raw_id is None or isinstance(raw_id, (dict, list)) else str(raw_id)
    return build(
        text, source_path=locator, reader=f"{kind}/1", candidates=candidates, verbatim=True, external_id=external_id or None
    )


def _candidates(row: Mapping, fields: Fields, kind: str) -> Iterator[Candidate]:
    for name, target, confidence in (
        (fields.title, "title", 0.95),
        (fields.date, "published", 0.9),
        (fields.url, "url", 0.95),
        (fields.author, "author", 0.9),
        (fields.keywords, "keywords", 0.9),
    ):
        value = row.get(name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if isinstance(v, (str, int, float)))
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            yield Candidate(target, encoding.clean(str(value)), f"{kind}-field:{name}", confidence)


# ---- JSON Lines --------------------------------------------------------------------------


def read_jsonl(stream: BinaryIO, path: str, *, fields: Fields, max_bytes: int) -> Iterator[Analysis | Rejection]:
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        locator = f"{path}#L{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line) + _skip_line(stream)
            yield reject(locator, "too-large", f"line of {size} bytes")
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        yield _jsonl_row(line, locator, fields)


def _jsonl_row(line: bytes, locator: str, fields: Fields) -> Analysis | Rejection:
    how: list[Candidate] = []
    try:
        source = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        decoded = encoding.mostly_utf8(line)
        if decoded is None:
            return reject(locator, "undecodable", f"not UTF-8 ({exc.reason} at byte {exc.start})")
        source, how = decoded.text, provenance(decoded)
    try:
        obj = json.loads(source.strip())
    except (ValueError, RecursionError) as exc:
        return reject(locator, "malformed-json", str(exc)[:200])
    if not isinstance(obj, dict):
        return reject(locator, "malformed-json", f"a JSON {type(obj).__name__}, not an object")
    return from_row(obj, locator, fields, "jsonl", how)


def _skip_line(stream: BinaryIO) -> int:
    """Read to the end of the current line in chunks; the number of bytes skipped."""
    skipped = 0
    while True:
        chunk = stream.readline(CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


# ---- CSV ---------------------------------------------------------------------------------


def sniff_encoding(sample: bytes) -> str | None:
    """The encoding of a file from its first bytes; None when they are not text."""
    bom = encoding.bom_encoding(sample)
    if bom:
        return "utf-8-sig" if bom == "utf-8" else bom.replace("-le", "").replace("-be", "")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = encoding.decode(sample)
    return decoded[1] if decoded else None


def read_csv(
    stream: BinaryIO, path: str, *, fields: Fields, max_bytes: int, delimiter: str = ","
) -> Iterator[Analysis | Rejection]:
    sample = stream.read(CHUNK)
    stream.seek(0)
    why = encoding.binary_kind(sample)
    if why:
        yield reject(path, "binary", why)
        return
    name = sniff_encoding(sample)
    if name is None:
        yield reject(path, "undecodable", "no known encoding fits the first bytes")
        return
    csv.field_size_limit(min(max(max_bytes, csv.field_size_limit()), sys.maxsize // 2 - 1))
    text = io.TextIOWrapper(stream, encoding=name, errors="replace", newline="")
    rows = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        header = next(rows, None)
    except csv.Error as exc:
        yield reject(path, "malformed-csv", f"header: {exc}")
        return
    if not header or not any(h.strip() for h in header):
        yield reject(path, "empty", "no header row")
        return
    header = [encoding.clean(h).strip() for h in header]
    if fields.text not in header:
        yield reject(path, "missing-field", f"no column {fields.text!r} (columns: {', '.join(header)[:200]})")
        return
    yield from _csv_rows(rows, header, path, fields, max_bytes)


def _csv_rows(rows, header: list[str], path: str, fields: Fields, max_bytes: int) -> Iterator[Analysis | Rejection]:
    number = 0
    while True:
        number += 1
        locator = f"{path}#row{number}"
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reject(locator, "malformed-csv", f"line {rows.line_num}: {exc}")
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            number -= 1  # blank lines are not rows
            continue
        if len(row) != len(header):
            yield reject(locator, "malformed-csv", f"line {rows.line_num}: {len(row)} fields, the header has {len(header)}")
            continue
        if sum(len(cell) for cell in row) > max_bytes:
            yield reject(locator, "too-large", f"row of {sum(len(c) for c in row)} characters")
            continue
        yield from_row(dict(zip(header, row)), locator, fields, "csv")
