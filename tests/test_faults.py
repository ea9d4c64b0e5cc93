"""Faults at the edges: a corpus that cannot be opened, a full disk, an interrupt, a killed run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline import Corpus, store
from storyline.errors import CannotOpen, DiskFull, NotACorpus
from storyline.interfaces.cli import cli
from storyline.pipeline.registry import stages

ROOT = Path(__file__).resolve().parent.parent


def write_texts(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:04}.txt").write_text(
            f"Report {i}. Minister Ana Lindqvist met Prime Minister Jonas Berg in Oslo on day {i}. "
            f"“We agreed to cooperate on item {i},” Lindqvist said. Norway threatened Sweden with sanctions.\n",
            encoding="utf-8",
        )


def test_faults_db_in_missing_folder_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text("Some text about Oslo.", encoding="utf-8")
    db = tmp_path / "no" / "such" / "c.db"
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--db", str(db)])
    assert result.exit_code == 1
    assert f"Error: Cannot open or create the corpus {db}: the folder {db.parent} does not exist." in result.output
    assert "Traceback" not in result.output
    with pytest.raises(CannotOpen):
        store.connect(db, create=True)


def test_faults_damaged_corpus_is_one_line(tmp_path, example_corpus):
    damaged = tmp_path / "damaged.db"
    data = bytearray(example_corpus.read_bytes())
    data[100:4096 * 3] = b"\xff" * (4096 * 3 - 100)  # keep the SQLite header, ruin the schema pages
    damaged.write_bytes(bytes(data))
    with pytest.raises(NotACorpus, match="damaged"):
        store.connect(damaged)
    for args in (["docs"], ["ingest", str(tmp_path)]):
        result = CliRunner().invoke(cli, [*args, "--db", str(damaged)])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ") and "damaged" in result.output


def test_faults_full_disk_keeps_what_was_committed(tmp_path, monkeypatch):
    src = tmp_path / "in"
    write_texts(src, 40)
    db = tmp_path / "c.db"
    Corpus(db).ingest([str(src / "0000.txt")], workers=1)
    connect = store.connect

    def small_disk(*args, **kwargs):
        con = connect(*args, **kwargs)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages + 8}")  # room for a batch or two, then full
        return con

    monkeypatch.setattr(store, "connect", small_disk)
    with pytest.raises(DiskFull, match="Everything committed before this batch is intact"):
        Corpus(db).ingest([str(src)], workers=1)
    monkeypatch.setattr(store, "connect", connect)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in con.execute("SELECT source_path FROM documents")}
    assert str(src / "0000.txt") in stored
    # every stored document is whole: its stage runs are there
    assert con.execute("SELECT count(*) FROM stage_runs").fetchone()[0] == len(stages()) * len(stored)
    summary = Corpus(db).ingest([str(src)], workers=1)  # room again: the run goes on where it stopped
    assert summary.added + summary.unchanged == 40 and summary.unchanged == len(stored)


def test_faults_interrupt_is_one_line(tmp_path, monkeypatch):
    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Corpus, "ingest", interrupted)
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 1
    assert "Error: Interrupted. Everything committed before the interruption is stored" in result.output
    assert "Traceback" not in result.output


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
def test_faults_kill_9_ends_the_workers_and_a_rerun_has_no_duplicate_or_gap(tmp_path):
    src = tmp_path / "in"
    write_texts(src, 400)
    db = tmp_path / "c.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyline", "ingest", str(src), "--db", str(db), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.3)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as con:
                    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.Error:
                continue
            if stored >= 32:
                break
    workers = _children(proc.pid)
    assert proc.poll() is None and workers, "the ingest ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), "worker processes outlived the killed ingest"
    result = subprocess.run(
        [sys.executable, "-m", "storyline", "ingest", str(src), "--db", str(db), "--workers", "1", "--format", "json"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*), count(DISTINCT source_path) FROM documents").fetchone() == (400, 400)
    assert con.execute("SELECT count(*) FROM stage_runs").fetchone()[0] == 400 * len(stages())
    per_doc = con.execute("SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM sentences GROUP BY doc_id)").fetchone()
    assert per_doc[0] == per_doc[1] > 0  # every document whole, none twice
