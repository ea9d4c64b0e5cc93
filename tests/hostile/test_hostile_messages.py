"""Every stored rejection message is short, whatever the reader or the exception says."""

from __future__ import annotations

from storyline.errors import REASONS, rejection_message
from storyline.readers import read_paths
from storyline.readers.rejection import reject

CAP = 300


def test_messages_rejection_message_is_capped():
    message = rejection_message("reader-failed", "ValueError: " + "\\x00" * 10_000_000)
    assert len(message) <= CAP and message.endswith("…")
    assert message.startswith(REASONS["reader-failed"] + ": ValueError: \\x00")


def test_messages_reject_is_capped_for_every_reason():
    for reason in REASONS:
        r = reject("some/path", reason, "x" * 5000)
        assert len(r.message) <= CAP and r.message.startswith(REASONS[reason]), reason
    # short messages are kept whole
    assert rejection_message("empty", "0 bytes") == REASONS["empty"] + ": 0 bytes"
    assert rejection_message("empty") == REASONS["empty"]


def test_messages_a_reader_crash_with_a_huge_message_is_capped(tmp_path, monkeypatch, good):
    from storyline.readers import text

    def crash(*args, **kwargs):
        raise RuntimeError("boom " * 1_000_000)

    monkeypatch.setattr(text, "from_bytes", crash)
    bad = tmp_path / "a.txt"
    bad.write_text("some text")
    html = good(tmp_path, "b.html", "<html><body><article><p>" + "The pier reopened on Tuesday, officials said. " * 5 + "</p></article></body></html>")
    items = list(read_paths([str(bad), str(html)]))
    assert items[0].reason == "reader-failed" and len(items[0].message) <= CAP
    assert items[1].document.source_path == str(html)
