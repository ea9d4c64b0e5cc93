"""Decoding, binary sniffing, format detection and metadata choice: pure functions."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.readers import dates, detect, encoding
from storyline.readers.metadata import Candidate, choose, domain_of


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        (b"%PDF-1.7\n...", True),
        (b"\x89PNG\r\n\x1a\nrest", True),
        (b"PK\x03\x04zip", True),
        (b"text\x00with\x00many\x00nuls\x00", True),
        (b"plain English text\n", False),
        ("caf\u00e9 na\u00efve".encode("utf-8"), False),
        (b"\xff\xfe" + "utf16 text".encode("utf-16-le"), False),  # a BOM: text despite NULs
        (b"", False),
    ],
)
def test_encoding_binary_kind(data, binary):
    assert bool(encoding.binary_kind(data)) == binary


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xef\xbb\xbfhello", "hello"),
        ("hello".encode("utf-16"), "hello"),
        ("déjà vu".encode("utf-8"), "déjà vu"),
    ],
)
def test_encoding_decode(data, text):
    assert encoding.decode(data)[0] == text


def test_encoding_decode_hopeless_is_none():
    assert encoding.decode(bytes(range(128, 256)) * 3) is None


def test_encoding_clean_is_one_for_one():
    raw = "a\x00b\ud83dc"
    assert encoding.clean(raw) == "a\ufffdb\ufffdc" and len(encoding.clean(raw)) == len(raw)


@pytest.mark.parametrize(
    ("path", "sample", "fmt"),
    [
        ("a.warc.gz", b"", "warc"),
        ("a.ARC", b"", "warc"),
        ("a.ndjson", b"", "jsonl"),
        ("a.htm", b"", "html"),
        ("a.csv", b"", "csv"),
        ("noext", b"<!DOCTYPE html><html>", "html"),
        ("noext", b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        ("noext", b"WARC/1.0\r\n", "warc"),
        ("noext", b"\x1f\x8b\x08\x00\x00\x00", "binary"),
        ("noext", b"Just words.", "text"),
        ("noext", b"{not json}\n", "text"),
    ],
)
def test_detect_format(path, sample, fmt):
    assert detect.detect(path, sample) == fmt


@pytest.mark.parametrize(
    ("value", "iso"),
    [("2024-04-10T02:11+0000", "2024-04-10"), ("10 Apr 2024", "2024-04-10"), ("1899-12-31", None),
     ("2024-02-30", None), ("Wednesday", None), ("", None), (dt.date(2020, 1, 2), "2020-01-02")],
)
def test_dates_parse_date(value, iso):
    assert dates.parse_date(value) == iso


def test_dates_future_is_refused():
    assert dates.parse_date("2026-06-01", today=dt.date(2026, 5, 31)) is None
    assert dates.parse_date("2026-05-31", today=dt.date(2026, 5, 31)) == "2026-05-31"


@pytest.mark.parametrize(
    ("url", "domain"),
    [("https://www.sputnikglobe.com/a", "sputnikglobe.com"), ("http://News.Example.org:8080/x", "news.example.org"),
     ("ftp://example.org/", None), ("not a url", None)],
)
def test_metadata_domain_of(url, domain):
    assert domain_of(url) == domain


def test_metadata_choose_most_confident_valid_value():
    best = choose([
        Candidate("published", "2999-01-01", "a", 0.99),  # refused: future
        Candidate("published", "2024-04-10", "b", 0.5),
        Candidate("published", "2024-04-09", "c", 0.4),
        Candidate("url", "https://www.x.example/p", "d", 0.9),
        Candidate("title", "   ", "e", 1.0),  # refused: blank
    ])
    assert best["published"].value == "2024-04-10" and best["published"].method == "b"
    assert best["domain"].value == "x.example" and "title" not in best


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The minister said on Tuesday that the talks would continue next week.", "en"),
     ("Le ministre a déclaré mardi que les négociations reprendraient la semaine prochaine.", "fr"),
     ("ab 12 34", None)],
)
def test_language_identify(text, lang):
    from storyline.readers.language import identify

    found = identify(text)
    assert (found[0] if found else None) == lang
    assert found is None or 0.0 <= found[1] <= 1.0
