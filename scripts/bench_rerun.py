"""The cost of bringing a stored corpus up to date after one stage's version moved (``make bench``).

A corpus of N bodies is ingested (timed: the full ingest), the events stage's stored runs are set to an
older version (what an upgrade of that stage leaves behind), and ``storyline analyze`` is timed: it
re-runs events, parsing the text again and running what events reads in memory, and writes only the
events rows. A second ``analyze`` (nothing to do) is timed too. Each is a fresh process, timed whole.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(*argv: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "storyline", *argv], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed: storyline {' '.join(argv)}\n{proc.stderr[-3000:]}")
    return wall, proc.stdout


def measure_rerun(csv_path: Path, db: Path, workers: int, stage: str = "events") -> dict:
    ingest_s, _ = _timed("ingest", str(csv_path), "--db", str(db), "--workers", str(workers), "--text-field",
                         "articleBody", "--id-field", "Body ID", "--format", "json")
    with sqlite3.connect(db) as con:
        n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        con.execute("UPDATE stage_runs SET version = '0' WHERE stage = ?", (stage,))
    rerun_s, out = _timed("analyze", "--db", str(db), "--workers", str(workers), "--format", "json")
    runs = json.loads(out.strip().splitlines()[-1])["runs"]
    noop_s, out = _timed("analyze", "--db", str(db), "--workers", str(workers), "--format", "json")
    assert json.loads(out.strip().splitlines()[-1])["runs"] == [], "a second analyze found work"
    return {"documents": n, "stage": stage, "ingest_s": ingest_s, "rerun_s": rerun_s, "noop_s": noop_s, "runs": runs}


def report(r: dict) -> list[str]:
    ran = "; ".join(f"{', '.join(x['stages'])} on {x['documents']} documents" for x in r["runs"])
    return [
        "",
        "## Re-analysis of a stored corpus",
        "",
        f"{r['documents']} FNC-1 bodies ingested, then the stored runs of the {r['stage']} stage set to an older",
        "version (what an upgrade of that stage leaves), then `storyline analyze`: it ran "
        f"{ran}. It parses the texts again and runs what {r['stage']} reads in memory, but reads no input",
        "file and writes only that stage's rows; the parse is most of the cost, so it costs about as much",
        "as the analysis part of an ingest. A second `analyze` finds nothing to do.",
        "",
        "| run | seconds | docs/s |",
        "|---|---:|---:|",
        f"| full ingest | {r['ingest_s']:.1f} | {r['documents'] / r['ingest_s']:.1f} |",
        f"| `analyze` after the {r['stage']} stage's version moved | {r['rerun_s']:.1f} | {r['documents'] / r['rerun_s']:.1f} |",
        f"| `analyze` again (up to date) | {r['noop_s']:.1f} | |",
    ]
