"""Each input format, every rejection reason, verbatim offsets, stdin and streaming."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest

from storyline.errors import REASONS, PathNotFound
from storyline.readers import expand_paths, read_paths
from storyline.records import Analysis, Rejection, content_id

BODY = "Vardenia accused Kaltovia on Tuesday of moving troops to the border, the foreign minister said."
PAGE = f"""<!DOCTYPE html><html><head><title>Talks resume - Example Times</title>
<meta property="og:site_name" content="Example Times"><meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2026-03-04"><meta name="keywords" content="talks, border">
</head><body><article><h1>Talks resume</h1><p>{BODY}</p><p>{BODY} Officials confirmed it later.</p>
<p>Call Now</p></article></body></html>"""


def read_one(path, **options):
    items = list(read_paths([str(path)], **options))
    assert len(items) == 1, items
    return items[0]


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def warc_bytes(pages, gzip=False, content_type="text/html; charset=utf-8", status="200 OK"):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for url, body in pages:
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body.encode()), http_headers=http,
            warc_headers_dict={"WARC-Date": "2026-03-05T10:00:00Z"},
        )
        writer.write_record(record)
    return out.getvalue()


# ---- formats -----------------------------------------------------------------------------


def test_readers_text_document(tmp_path):
    a = read_one(write(tmp_path, "a.txt", f"Border Row Deepens\n\n{BODY}\n\nCall Now\n"))
    assert isinstance(a, Analysis)
    d = a.document
    assert d.text == BODY and d.title == "Border Row Deepens"
    assert d.id == content_id(d.text) and d.n_chars == len(d.text)
    assert d.reader == "text/1" and d.language == "en" and not d.verbatim
    assert {r.rule for r in a.residue} == {"text-residue/1:title", "text-residue/1:call-to-action"}
    assert all(m.doc_id == d.id and 0 <= m.confidence <= 1 for m in a.meta)
    assert all(r.doc_id == d.id for r in a.residue)


def test_readers_same_bytes_same_id(tmp_path):
    one = read_one(write(tmp_path, "a.txt", BODY)).document.id
    two = read_one(write(tmp_path, "b.md", BODY)).document.id
    assert one == two


def test_readers_html_document(tmp_path):
    a = read_one(write(tmp_path, "page.html", PAGE))
    d = a.document
    assert d.title == "Talks resume" and d.author == "Jane Roe" and d.published == "2026-03-04"
    assert d.keywords == ("talks", "border") and d.reader == "html/1"
    assert d.text.startswith("Vardenia accused") and "Call Now" not in d.text
    methods = {m.field: m.method for m in a.meta}
    assert methods["title"].startswith("trafilatura/") and methods["sitename"].startswith("trafilatura/")


def test_readers_html_without_text_is_malformed(tmp_path):
    r = read_one(write(tmp_path, "x.htm", "<html><body><script>var a = 1;</script></body></html>"))
    assert isinstance(r, Rejection) and r.reason == "malformed-html"


@pytest.mark.parametrize("gzip", [False, True])
def test_readers_warc_records(tmp_path, gzip):
    name = "crawl.warc.gz" if gzip else "crawl.warc"
    path = write(tmp_path, name, warc_bytes([("https://www.example.org/a", PAGE), ("https://example.org/b", PAGE.replace("Talks", "Talks again"))], gzip))
    items = list(read_paths([str(path)]))
    assert [i.document.source_path for i in items] == [f"{path}#record1", f"{path}#record2"]
    d = items[0].document
    assert d.url == "https://www.example.org/a" and d.domain == "example.org" and d.reader == "warc/1"
    assert {m.field: m.method for m in items[0].meta}["url"] == "warc-header:WARC-Target-URI"


def test_readers_warc_date_is_a_fallback(tmp_path):
    page = PAGE.replace('<meta property="article:published_time" content="2026-03-04">', "")
    items = list(read_paths([str(write(tmp_path, "c.warc", warc_bytes([("https://example.org/a", page)])))]))
    assert items[0].document.published == "2026-03-05"
    assert {m.field: m.method for m in items[0].meta}["published"] == "warc-header:WARC-Date"


@pytest.mark.parametrize("gzip", [False, True])
def test_readers_warc_truncated_keeps_earlier_records(tmp_path, gzip):
    data = warc_bytes([("https://example.org/a", PAGE), ("https://example.org/b", PAGE + " " * 3000)], gzip)
    path = write(tmp_path, "cut.warc.gz" if gzip else "cut.warc", data[: len(data) - 20])
    items = list(read_paths([str(path)]))
    assert isinstance(items[0], Analysis)
    assert isinstance(items[-1], Rejection) and items[-1].reason == "truncated"
    assert items[-1].source_path == f"{path}#record2"


def test_readers_warc_non_html_is_unsupported(tmp_path):
    path = write(tmp_path, "img.warc", warc_bytes([("https://example.org/a.png", "PNGDATA")], content_type="image/png"))
    r = read_one(path)
    assert r.reason == "unsupported" and r.source_path == f"{path}#record1"


def test_readers_jsonl_rows(tmp_path):
    rows = [
        {"id": 7, "title": "T1", "date": "2026-03-05", "url": "https://www.ena.example/1", "text": BODY},
        {"id": "b", "text": "  " + BODY + "  ", "keywords": ["a", "b"]},
    ]
    path = write(tmp_path, "feed.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    one, two = read_paths([str(path)])
    assert one.document.source_path == f"{path}#L1" and one.document.external_id == "7"
    assert one.document.published == "2026-03-05" and one.document.domain == "ena.example"
    assert {m.field: m.method for m in one.meta}["published"] == "jsonl-field:date"
    assert two.document.text == "  " + BODY + "  "  # rows are stored as given
    assert two.document.keywords == ("a", "b") and two.document.verbatim


def test_readers_jsonl_field_options(tmp_path):
    path = write(tmp_path, "f.ndjson", json.dumps({"body": BODY, "headline": "H", "when": "2026-01-02", "link": "https://x.example/", "key": "k1"}))
    d = read_one(path, text_field="body", title_field="headline", date_field="when", url_field="link", id_field="key").document
    assert (d.title, d.published, d.url, d.external_id) == ("H", "2026-01-02", "https://x.example/", "k1")


def test_readers_csv_rows(tmp_path):
    path = write(tmp_path, "t.csv", f'id,title,date,text\n1,First,2026-03-03,"{BODY}\nsecond line"\n2,Second,,"{BODY}"\n')
    one, two = read_paths([str(path)])
    assert one.document.source_path == f"{path}#row1" and one.document.text == f"{BODY}\nsecond line"
    assert two.document.source_path == f"{path}#row2" and two.document.published is None


def test_readers_csv_without_text_column(tmp_path):
    r = read_one(write(tmp_path, "t.csv", "id,body\n1,hello\n"))
    assert r.reason == "missing-field" and r.source_path.endswith("t.csv")


def test_readers_csv_bad_row_then_good_rows(tmp_path):
    path = write(tmp_path, "t.csv", f'id,text\n1,"{BODY}"\n2,"bad"x\n3,"{BODY} Three."\n4,too,many\n')
    items = list(read_paths([str(path)]))
    assert [getattr(i, "reason", "ok") for i in items] == ["ok", "malformed-csv", "ok", "malformed-csv"]
    assert items[1].source_path == f"{path}#row2"


# ---- rejections --------------------------------------------------------------------------


def test_readers_reject_every_reason(tmp_path, monkeypatch):
    big = "x" * 500
    cases = {
        "binary": write(tmp_path, "p.png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        "empty": write(tmp_path, "e.txt", " \n\t\n"),
        "undecodable": write(tmp_path, "u.txt", bytes(range(128, 256)) * 3),
        "too-large": write(tmp_path, "big.txt", big),
        "malformed-json": write(tmp_path, "m.jsonl", '{"text": "a"\n'),
        "missing-field": write(tmp_path, "n.jsonl", '{"title": "no text"}\n'),
        "malformed-csv": write(tmp_path, "m.csv", 'text\n"a"b\n'),
        "malformed-html": write(tmp_path, "m.html", "<html><body></body></html>"),
    }
    seen = {}
    for reason, path in cases.items():
        items = list(read_paths([str(path)], max_bytes=400))
        assert len(items) == 1 and isinstance(items[0], Rejection), (reason, items)
        seen[reason] = items[0].reason
        assert items[0].message.startswith(REASONS[items[0].reason])
    assert seen == {reason: reason for reason in cases}


def test_readers_reject_unreadable(tmp_path, monkeypatch):
    import storyline.readers as readers

    path = write(tmp_path, "a.txt", BODY)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(readers, "open", refuse, raising=False)
    r = read_one(path)
    assert r.reason == "unreadable" and "Permission denied" in r.message


def test_readers_too_large_row(tmp_path):
    path = write(tmp_path, "r.jsonl", json.dumps({"text": "y" * 500}) + "\n" + json.dumps({"text": BODY}) + "\n")
    first, second = read_paths([str(path)], max_bytes=200)
    assert first.reason == "too-large" and first.source_path == f"{path}#L1"
    assert second.document.source_path == f"{path}#L2"


def test_readers_missing_path_raises(tmp_path):
    with pytest.raises(PathNotFound, match="nope.txt"):
        list(read_paths([str(tmp_path / "nope.txt")]))


def test_readers_unknown_extension_is_sniffed(tmp_path):
    assert read_one(write(tmp_path, "notes.dat", BODY)).document.text == BODY
    assert read_one(write(tmp_path, "page.dat", PAGE)).document.reader == "html/1"
    assert read_one(write(tmp_path, "blob.bin", bytes(range(256)))).reason == "binary"


# ---- verbatim, dates, cleaning -----------------------------------------------------------


def test_readers_verbatim_keeps_offsets(tmp_path):
    raw = f" date 2024-04-10 https://example.org/a\n\nTitle Here\n\n{BODY}\n\nCall Now\n"
    a = read_one(write(tmp_path, "v.txt", raw), verbatim=True)
    assert a.document.text == raw and a.document.verbatim and a.residue == []
    start = raw.index("Vardenia")
    assert a.document.text[start : start + 8] == "Vardenia"
    assert a.document.published == "2024-04-10" and a.document.title == "Title Here"


@pytest.mark.parametrize(
    ("date", "published"),
    [("2024-04-10", "2024-04-10"), ("1850-01-01", None), ("2999-01-01", None), ("not a date", None),
     ((dt.date.today() + dt.timedelta(days=1)).isoformat(), None), ("April 10, 2024", "2024-04-10")],
)
def test_readers_date_bounds(tmp_path, date, published):
    a = read_one(write(tmp_path, "d.jsonl", json.dumps({"text": BODY, "date": date})))
    assert a.document.published == published
    assert any(m.field == "published" for m in a.meta) == (published is not None)


def test_readers_nul_and_surrogates_become_replacement(tmp_path):
    a = read_one(write(tmp_path, "n.jsonl", json.dumps({"text": "abc\u0000def \ud800 " + BODY})))
    assert a.document.text.startswith("abc\ufffddef \ufffd ")
    assert len(a.document.text) == len("abc\u0000def \ud800 " + BODY)


def test_readers_bom_and_legacy_encodings(tmp_path):
    assert read_one(write(tmp_path, "b.txt", b"\xef\xbb\xbf" + BODY.encode())).document.text == BODY
    assert read_one(write(tmp_path, "c.txt", "\ufeff".encode("utf-16-le") + BODY.encode("utf-16-le"))).document.text == BODY
    latin = ("Le ministre a déclaré mardi que les négociations continueraient à Genève. " * 3).strip()
    assert read_one(write(tmp_path, "d.txt", latin.encode("latin-1"))).document.text == latin


# ---- stdin, paths, streaming -------------------------------------------------------------


def test_readers_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BODY.encode())))
    a = read_one("-")
    assert a.document.text == BODY and a.document.source_path == "<stdin>"


def test_readers_expand_paths_sorted_and_skips_hidden(tmp_path):
    for name in ["b.txt", "a.txt", ".hidden.txt", "sub/c.txt", ".git/x.txt"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(BODY)
    got = [p.removeprefix(str(tmp_path) + "/") for p in expand_paths([str(tmp_path), "-"])]
    assert got == ["a.txt", "b.txt", "sub/c.txt", "-"]


def test_readers_stream_lazily(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        for i in range(10_000):
            out.write(json.dumps({"id": i, "text": f"Row {i}: {BODY}"}) + "\n")
        out.write("\x00garbage{{{" * 1000)
    items = read_paths([str(path)])
    first = next(items)
    assert first.document.external_id == "0"
    assert next(items).document.external_id == "1"


def test_readers_missing_path_raises_before_reading(tmp_path):
    good = write(tmp_path, "a.txt", BODY)
    items = read_paths([str(good), str(tmp_path / "missing.txt")])
    with pytest.raises(PathNotFound):
        next(items)
