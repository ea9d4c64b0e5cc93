"""The timeline text line and picture."""

from __future__ import annotations

import pytest

from storyline.timeline import format_timeline_line, plot_timeline

ROWS = [
    {
        "doc_id": "d1",
        "type": "AGREE",
        "source": {"id": "a", "name": "Vladimir Putin", "country": "RUS", "sector": "GOV"},
        "target": {"id": "b", "name": "Xi Jinping", "country": "CHN", "sector": "GOV"},
        "trigger": {"start": 30, "end": 36, "text": "signed"},
        "sentence": {"start": 0, "end": 80},
        "date": "2022",
        "place": None,
        "modality": "asserted",
        "reported_by": None,
        "confidence": 0.8,
    },
    {"doc_id": "d1", "type": "CONSULT", "source": None, "target": None, "trigger": {"text": "met"},
     "date": "2024-04-10", "modality": "reported", "confidence": 0.7},
    {"doc_id": "d2", "type": "CONSULT", "source": None, "target": None, "trigger": {"text": "met"},
     "date": "2024-04-10", "modality": "reported", "confidence": 0.7},
    {"doc_id": "d2", "type": "THREATEN", "source": None, "target": None, "trigger": {"text": "respond"},
     "date": None, "modality": "future", "confidence": 0.5},
]  # fmt: skip


def test_timeline_line_format():
    assert format_timeline_line(ROWS[0]) == "2022  AGREE  Vladimir Putin → Xi Jinping  signed  [asserted]"


def test_timeline_line_undated_and_place():
    row = {**ROWS[3], "place": "Tokyo"}
    assert format_timeline_line(row) == "undated  THREATEN  ? → ?  respond  [future, in Tokyo]"


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG\r\n\x1a\n"), (".svg", b"<svg")])
def test_timeline_plot_writes_file(tmp_path, suffix, magic):
    out = plot_timeline(ROWS, tmp_path / f"t{suffix}")
    data = out.read_bytes()
    assert len(data) > 1000
    assert data.startswith(magic) if suffix == ".png" else magic in data[:2000]


def test_timeline_plot_notes_undated(tmp_path):
    out = plot_timeline(ROWS, tmp_path / "t.svg")
    assert "1 without a date not shown" in out.read_text()


def test_timeline_plot_no_rows(tmp_path):
    out = plot_timeline([], tmp_path / "empty.png")
    assert out.read_bytes().startswith(b"\x89PNG")
