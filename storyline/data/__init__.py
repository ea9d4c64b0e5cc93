"""Shipped data files (lexicons, patterns, gazetteers); origins in SOURCES.md.

Load them with :func:`load_json` or :func:`path`, never at import time.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def path(name: str) -> Path:
    return HERE / name


def load_json(name: str):
    """A shipped JSON file (``.json.gz``: gzipped)."""
    return read_json(HERE / name)


def read_json(file: Path):
    """A JSON file, gunzipped first when its name ends in ``.gz``."""
    data = file.read_bytes()
    return json.loads(gzip.decompress(data) if file.name.endswith(".gz") else data)
