"""Build the example WARC archives from examples/warc-pages/ (deterministic output).

    python scripts/make_example_warc.py

Writes examples/corpus/crawl.warc (two pages), examples/corpus/crawl.warc.gz
(two pages) and examples/corpus/broken/truncated.warc.gz (the .gz cut short).
All pages are FICTIONAL (see examples/README.md).
"""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "examples" / "warc-pages"
CORPUS = ROOT / "examples" / "corpus"

# (archive, page file, URL, crawl time)
CRAWLS = {
    "crawl.warc": [
        ("drevna-herald-exercise.html", "https://drevna-herald.example/en/2026/03/04/sovan-sarvik-exercise", "2026-03-04T21:00:00Z"),
        ("vardenia-mfa-lunholm.html", "https://mfa.vardenia.example/en/news/2026-03-11-lunholm", "2026-03-11T19:30:00Z"),
    ],
    "crawl.warc.gz": [
        ("northern-ledger-agreement.html", "https://northern-ledger.example/world/2026/mar/12/lunholm-deal", "2026-03-12T21:00:00Z"),
        ("estmark-mfa-statement.html", "https://mfa.estmark.example/statements/2026-03-12", "2026-03-12T18:05:00Z"),
    ],
}


def record_id(n: int) -> str:
    return f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>"


def build(pages: list[tuple[str, str, str]], gzip: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    info = writer.create_warcinfo_record(
        "storyline-examples", {"software": "scripts/make_example_warc.py", "description": "FICTIONAL example crawl"}
    )
    info.rec_headers.replace_header("WARC-Record-ID", record_id(0))
    info.rec_headers.replace_header("WARC-Date", pages[0][2])
    writer.write_record(info)
    for n, (name, url, when) in enumerate(pages, start=1):
        body = (PAGES / name).read_bytes()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        headers = {"WARC-Record-ID": record_id(n), "WARC-Date": when}
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=headers)
        writer.write_record(record)
    return out.getvalue()


def main() -> None:
    for archive, pages in CRAWLS.items():
        data = build(pages, gzip=archive.endswith(".gz"))
        (CORPUS / archive).write_bytes(data)
        if archive.endswith(".gz"):
            (CORPUS / "broken" / "truncated.warc.gz").write_bytes(data[: len(data) * 2 // 3])
        print(f"wrote {archive} ({len(data)} bytes, {len(pages)} pages)")


if __name__ == "__main__":
    main()
