"""Random bracket-heavy, control-laden text and file names through ingest and every listing: no traceback."""

from __future__ import annotations

import os
import sqlite3

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from storyline.interfaces.cli import cli

PIECES = st.sampled_from(["[sic]", "[/b]", "[red]", "[", "]", "[[", "\\", "%", "_", "\x1b[31m", "\x02", "\u202e",
                          "“", "”", "said", "Minister Ana Lindqvist", "Norway", ". ", "\n", " "])
TEXTS = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=8)), min_size=1, max_size=30).map("".join)
NAMES = st.text(alphabet=st.sampled_from("ab[]%_ é\\-"), min_size=1, max_size=12).filter(lambda n: n.strip(". ") == n)
LISTINGS = [["docs"], ["quotes"], ["claims"], ["signals"], ["rejections"], ["search", "[sic]"],
            ["quotes", "--speaker", "["], ["records", "documents"]]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXTS, min_size=1, max_size=3), names=st.lists(NAMES, min_size=3, max_size=3, unique=True))
def test_hostile_listings_never_show_a_traceback(tmp_path_factory, texts, names):
    folder = tmp_path_factory.mktemp("prop")
    for name, text in zip(names, texts):
        (folder / f"{name}.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
    db = folder / "c.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, (result.output, result.exception)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = [r[0] for r in con.execute("SELECT id FROM documents")]
    con.close()
    for args in LISTINGS + [["show", i] for i in ids[:1]]:
        for fmt in ("table", "json"):
            result = runner.invoke(cli, [*args, "--db", str(db), "--format", fmt])
            assert result.exit_code in (0, 1), (args, result.exception)
            assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert os.path.exists(db)
