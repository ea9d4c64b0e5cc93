import os

from storyline import store
from storyline.pipeline.analyze import analyze_batch
from storyline.pipeline.engine import run
from storyline.records import Analysis, Document, Rejection, content_id
from storyline.pipeline.declare import Plan, Stage


def item(text: str, path: str) -> Analysis:
    return Analysis(Document(id=content_id(text), text=text, source_path=path, n_chars=len(text)))


def test_engine_stores_documents_and_rejections(tmp_path):
    con = store.connect(tmp_path / "c.db", create=True)
    items = [item(f"Document number {i} mentions Russia.", f"{i}.txt") for i in range(5)]
    items.insert(2, Rejection("bad.bin", "binary", "binary"))
    items.append(item("Document number 0 mentions Russia.", "dup.txt"))
    summary = run(items, store.Writer(con), workers=1, batch_size=2)
    assert (summary.added, summary.unchanged, summary.rejected) == (5, 1, 1)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    again = run(items, store.Writer(con), workers=1)
    assert (again.added, again.unchanged) == (0, 6)


def test_engine_worker_processes_give_the_same_corpus(tmp_path):
    con1 = store.connect(tmp_path / "a.db", create=True)
    con2 = store.connect(tmp_path / "b.db", create=True)
    items = [item(f"Minister Ana Lindqvist visited Oslo on day {i}.", f"{i}.txt") for i in range(6)]
    run(items, store.Writer(con1), workers=1)
    s = run(items, store.Writer(con2), workers=2, batch_size=2)
    assert s.added == 6
    q = "SELECT doc_id, start, end, text, label FROM mentions ORDER BY 1, 2"
    assert con1.execute(q).fetchall() == con2.execute(q).fetchall()


def test_analyze_batch_failing_stage_rejects_only_that_document(nlp):
    def explode(doc, analysis, options):
        if "explode" in doc.text:
            raise RuntimeError("stage crashed")

    boom = Stage(name="boom", version="1", run=explode, requires=("parse",))
    plan = Plan(stages=("parse", boom))
    out = analyze_batch([item("Fine text.", "a"), item("Please explode.", "b"), item("Also fine.", "c")], nlp, plan)
    assert [type(x).__name__ for x in out] == ["Analysis", "Rejection", "Analysis"]
    assert out[1].reason == "analysis-failed" and "stage crashed" in out[1].message


def test_engine_reader_crash_rejects_the_file_and_the_run_goes_on(tmp_path, monkeypatch):
    from storyline import Corpus
    from storyline.readers import html

    def boom(*args, **kwargs):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(html, "from_bytes", boom)
    (tmp_path / "a.html").write_text("<html><body><p>Some page text here.</p></body></html>")
    (tmp_path / "b.txt").write_text("A plain text document about Oslo.")
    with Corpus(tmp_path / "c.db") as corpus:
        summary = corpus.ingest([str(tmp_path / "a.html"), str(tmp_path / "b.txt")], workers=1)
        assert (summary.added, summary.rejected) == (1, 1)
        (rej,) = corpus.rejections()
        assert rej["reason"] == "reader-failed" and "reader bug" in rej["message"]


def die_on_poison(batch):
    """Run in a worker process: a batch holding the word 'poison' kills the worker outright."""
    import os

    from storyline.pipeline.engine import _work

    if any("poison" in a.document.text for a in batch):
        os._exit(1)
    return _work(batch)


def test_engine_dead_worker_costs_only_its_batch(tmp_path):
    con = store.connect(tmp_path / "c.db", create=True)
    items = [item(f"Plain report number {i} from Oslo.", f"{i}.txt") for i in range(8)]
    items.insert(3, item("This one is poison for the worker.", "poison.txt"))
    summary = run(items, store.Writer(con), workers=2, batch_size=1, work=die_on_poison)
    assert summary.added == 8
    assert [(r.source_path, r.reason) for r in summary.rejections] == [("poison.txt", "analysis-failed")]
    assert "died" in summary.rejections[0].message
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 8


def test_worker_threads_are_set_for_the_pool_and_restored(monkeypatch):
    from storyline.pipeline import engine

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's own setting wins
    monkeypatch.setattr(engine, "default_workers", lambda: 8)
    with engine._worker_threads(4):
        assert os.environ["OPENBLAS_NUM_THREADS"] == "2"
        assert os.environ["OMP_NUM_THREADS"] == "3"
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    assert os.environ["OMP_NUM_THREADS"] == "3"
    with engine._worker_threads(16):
        assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
