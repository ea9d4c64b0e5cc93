"""Shipped data files (lexicons, patterns, gazetteers); origins in SOURCES.md.

Load them with :func:`load_json` or :func:`path`, never at import time.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def path(name: str) -> Path:
    return HERE / name


def load_json(name: str):
    return json.loads((HERE / name).read_text(encoding="utf-8"))
