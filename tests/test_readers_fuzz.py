"""Arbitrary bytes in a file of any extension: read_paths yields records, never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import REASONS
from storyline.readers import read_paths
from storyline.records import Analysis, Rejection

EXTENSIONS = [".txt", ".md", ".html", ".warc", ".warc.gz", ".jsonl", ".csv", ".tsv", ".dat"]
PREFIXES = [b"", b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00", b"{\"text\": ", b"id,text\n", b"<html><body><p>", b"\xef\xbb\xbf"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ext=st.sampled_from(EXTENSIONS), prefix=st.sampled_from(PREFIXES), data=st.binary(max_size=600))
def test_readers_never_raise_on_arbitrary_bytes(tmp_path, ext, prefix, data):
    path = tmp_path / f"input{ext}"
    path.write_bytes(prefix + data)
    for item in read_paths([str(path)], max_bytes=400):
        assert isinstance(item, (Analysis, Rejection))
        if isinstance(item, Rejection):
            assert item.reason in REASONS and item.source_path.startswith(str(path))
        else:
            assert item.document.text.strip() and item.document.n_chars == len(item.document.text)
