"""Random bytes under random file names (not UTF-8 either): read_paths yields only Analysis
or Rejection records, never raises, and every string in them can be stored as UTF-8."""

from __future__ import annotations

import dataclasses
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import REASONS
from storyline.readers import read_paths
from storyline.records import Analysis, Rejection

EXTENSIONS = ["", ".txt", ".html", ".warc", ".warc.gz", ".jsonl", ".csv", ".tsv", ".md"]
PREFIXES = [
    b"", b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00", b'{"text": ', b'{"id": "\\ud800", "title": "\\udfff", "text": ',
    b"id,text\n", b"<html><body><p>", b"\xef\xbb\xbf", b"\xff\xfe", "Café naïve ".encode("utf-8"),
]
names = st.binary(min_size=1, max_size=24).filter(lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b".."))


def strings(item) -> list[str]:
    records = [item] if isinstance(item, Rejection) else item.records()
    return [v for r in records for v in dataclasses.astuple(r) if isinstance(v, str)]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.lists(
        st.tuples(names, st.sampled_from(EXTENSIONS), st.sampled_from(PREFIXES), st.binary(max_size=400)),
        min_size=1, max_size=4, unique_by=lambda f: f[0] + f[1].encode(),
    )
)
def test_property_random_bytes_and_names_only_yield_records(files):
    with tempfile.TemporaryDirectory() as folder:
        for name, ext, prefix, data in files:
            with open(os.path.join(os.fsencode(folder), name + ext.encode()), "wb") as out:
                out.write(prefix + data)
        for item in read_paths([folder], max_bytes=300):
            assert isinstance(item, (Analysis, Rejection)), item
            if isinstance(item, Rejection):
                assert item.reason in REASONS and len(item.message) <= 300
            for value in strings(item):
                value.encode("utf-8")  # what SQLite needs: no lone surrogates anywhere
