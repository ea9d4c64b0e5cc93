"""Every stored span re-slices to its text: in Python, and in SQL on a real corpus."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from storyline import Corpus, store
from storyline.pipeline.analyze import analyze
from storyline.records import Analysis, Document, content_id

# (table, start column, end column, text column or None)
SPANS = [
    ("mentions", "start", "end", "text"),
    ("quotes", "content_start", "content_end", "content_text"),
    ("quotes", "cue_start", "cue_end", "cue_text"),
    ("quotes", "speaker_start", "speaker_end", "speaker_text"),
    ("events", "trigger_start", "trigger_end", "trigger_text"),
    ("events", "sentence_start", "sentence_end", None),
    ("sentences", "start", "end", None),
]


@pytest.mark.parametrize("table, start, end, text", SPANS)
def test_spans_reslice_in_sql(example_corpus, table, start, end, text):
    con = store.connect(example_corpus, readonly=True)
    n = con.execute(f"SELECT count(*) FROM [{table}] WHERE [{start}] IS NOT NULL").fetchone()[0]
    assert n > 0, f"the example corpus should give some {table}"
    bad = con.execute(
        f"SELECT count(*) FROM [{table}] t JOIN documents d ON d.id = t.doc_id WHERE t.[{start}] IS NOT NULL AND ("
        f"t.[{start}] < 0 OR t.[{end}] > d.n_chars OR t.[{start}] > t.[{end}]"
        + (f" OR substr(d.text, t.[{start}] + 1, t.[{end}] - t.[{start}]) != t.[{text}]" if text else "")
        + ")"
    ).fetchone()[0]
    assert bad == 0


def test_spans_every_entity_link_resolves(example_corpus):
    con = store.connect(example_corpus, readonly=True)
    for table, col in [("mentions", "entity_id"), ("quotes", "speaker_entity_id"), ("events", "source_entity_id"),
                       ("events", "target_entity_id"), ("events", "reported_by_entity_id")]:
        dangling = con.execute(
            f"SELECT count(*) FROM [{table}] WHERE [{col}] IS NOT NULL AND [{col}] NOT IN (SELECT id FROM entities)"
        ).fetchone()[0]
        assert dangling == 0, (table, col)


WORDS = st.sampled_from(
    ["Russia", "said", "“", "”", '"', "«", "»", "she", "Putin", "the", "spokeswoman", "warned", "that", ",", ".",
     "\n", "\n\n", "China", "will", "respond", "met", "Xi", "according", "to", "U.S.", "'", "’", "sanctions", "on",
     "Monday", "troops", "may", "deploy", "é", "🙂", "\t", "  "]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, min_size=1, max_size=60))
def test_spans_analysis_of_any_text_stays_in_bounds(nlp, words):
    text = " ".join(words)
    doc = Document(id=content_id(text), text=text, source_path="<h>", published="2024-04-10", n_chars=len(text))
    a = analyze(Analysis(document=doc), nlp)
    for m in a.mentions:
        assert text[m.start : m.end] == m.text
    for q in a.quotes:
        assert text[q.content_start : q.content_end] == q.content_text
        if q.cue_start is not None:
            assert text[q.cue_start : q.cue_end] == q.cue_text
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text
    for e in a.events:
        assert text[e.trigger_start : e.trigger_end] == e.trigger_text
        assert 0 <= e.sentence_start <= e.trigger_start < e.trigger_end <= e.sentence_end <= len(text)
    for ent_id in {m.entity_id for m in a.mentions if m.entity_id}:
        assert ent_id in a.entities
