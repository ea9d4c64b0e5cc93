import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from storyline import store
from storyline.errors import NoCorpus, NotACorpus
from storyline.records import Analysis, Document, Entity, MetaField, Mention, Rejection, Residue, Sentence, content_id


def make_analysis(text: str, path: str = "a.txt") -> Analysis:
    doc = Document(id=content_id(text), text=text, source_path=path, title="T", keywords=("a", "b"), n_chars=len(text))
    a = Analysis(document=doc)
    a.meta.append(MetaField(doc.id, "title", "T", "test/1", 0.5))
    a.residue.append(Residue(doc.id, 0, 3, 1, "xyz", "test-rule"))
    a.sentences.append(Sentence(doc.id, 0, len(text), (0, 1)))
    if len(text) >= 2:
        a.mentions.append(Mention(doc.id, 0, 2, text[:2], "ORG", None, "t"))
    return a


def test_store_schema_is_derived_from_records(tmp_path):
    con = store.connect(tmp_path / "c.db", create=True)
    for cls in store.record_types():
        cols = [r[1] for r in con.execute(f"PRAGMA table_info([{cls.__table__}])")]
        assert cols == [name for name, _ in store.columns(cls)]
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION


def test_store_adds_new_fields_as_columns(tmp_path):
    path = tmp_path / "c.db"
    con = store.connect(path, create=True)
    con.execute("ALTER TABLE entities DROP COLUMN role")
    con.close()
    con = store.connect(path)
    assert "role" in [r[1] for r in con.execute("PRAGMA table_info(entities)")]


def test_store_round_trip_gives_same_records(tmp_path):
    con = store.connect(tmp_path / "c.db", create=True)
    a = make_analysis("Hello world. Second sentence.")
    store.Writer(con).write([a])
    for rec in a.records():
        cls = type(rec)
        got = list(store.iter_records(con, cls))
        assert rec in got


def test_store_same_document_twice_adds_nothing(tmp_path):
    con = store.connect(tmp_path / "c.db", create=True)
    w = store.Writer(con)
    w.write([make_analysis("Same text.")])
    w.write([make_analysis("Same text.", path="b.txt")])
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM sentences").fetchone()[0] == 1


def test_store_fts_finds_text(tmp_path):
    con = store.connect(tmp_path / "c.db", create=True)
    store.Writer(con).write([make_analysis("The summit in Valmora ended.")])
    rows = con.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'valmora'").fetchall()
    assert len(rows) == 1


def test_store_entities_merge_aliases(tmp_path):
    con = store.connect(tmp_path / "c.db", create=True)
    w = store.Writer(con)
    for alias, text in (("US", "one"), ("U.S.", "two")):
        a = make_analysis(text)
        a.entities["e1"] = Entity("e1", "United States", "country", "USA", "GOV", None, (alias,))
        w.write([a])
    (ent,) = store.iter_records(con, Entity)
    assert ent.aliases == ("US", "U.S.")


def test_store_rejection_cleared_by_later_success(tmp_path):
    con = store.connect(tmp_path / "c.db", create=True)
    w = store.Writer(con)
    w.write([Rejection("a.txt", "analysis-failed", "boom")])
    assert con.execute("SELECT count(*) FROM rejections").fetchone()[0] == 1
    w.write([make_analysis("Fine now.", path="a.txt")])
    assert con.execute("SELECT count(*) FROM rejections").fetchone()[0] == 0


def test_store_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(NoCorpus, match="No corpus at"):
        store.connect(tmp_path / "nope.db")


@pytest.mark.parametrize(
    "content, why",
    [(b"hello, I am a text file" * 10, "not an SQLite database"), (None, "another application")],
)
def test_store_not_a_corpus(tmp_path, content, why):
    path = tmp_path / "x.db"
    if content is None:
        sqlite3.connect(path).execute("create table t(x)").connection.commit()
    else:
        path.write_bytes(content)
    with pytest.raises(NotACorpus, match=why):
        store.connect(path)


# Readers turn NUL into U+FFFD before anything is stored, so stored text never holds one.
@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=200))
def test_store_round_trip_any_text(tmp_path_factory, text):
    con = store.connect(tmp_path_factory.mktemp("h") / "c.db", create=True)
    a = make_analysis(text)
    store.Writer(con).write([a])
    (doc,) = store.iter_records(con, Document)
    assert doc == a.document
    for m in store.iter_records(con, Mention):
        assert doc.text[m.start : m.end] == m.text
    # Spans re-slice in SQL too (SQLite substr counts characters, 1-based).
    for (ok,) in con.execute(
        "SELECT substr(d.text, m.start + 1, m.end - m.start) = m.text FROM mentions m JOIN documents d ON d.id = m.doc_id"
    ):
        assert ok
