"""Kill -9 in the middle of an ingest, run it again: complete, no duplicate, no half document."""

import json
import signal
import sqlite3
import subprocess
import sys
import time


def test_crash_kill_mid_ingest_then_rerun(tmp_path):
    src = tmp_path / "in.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for i in range(120):
            text = f"Report {i}. Minister Ana Lindqvist met envoy Jonas Berg in Oslo on day {i}. They agreed to talk again."
            fh.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "storyline", "ingest", str(src), "--db", str(db), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Wait until some, but not all, documents are committed, then kill -9.
    deadline = time.time() + 120
    n = 0
    while time.time() < deadline:
        time.sleep(0.2)
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=5)
                n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                continue
            if n >= 16:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < n < 120, f"kill came at the wrong moment ({n} documents)"

    subprocess.run(cmd, check=True, capture_output=True)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 120
    assert con.execute("SELECT count(DISTINCT external_id) FROM documents").fetchone()[0] == 120
    # No half-written document: every document has its sentences and its FTS row.
    assert con.execute("SELECT count(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM sentences)").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()[0] == 120
    assert con.execute("SELECT count(*) FROM rejections").fetchone()[0] == 0
