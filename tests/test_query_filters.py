"""Every filter of every listing, on a hand-made corpus (no spaCy): each case fails if the filter is
reversed (since / until), ignored, or off by one (the boundary itself is included)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from storyline import Corpus, query, store
from storyline.errors import BadOption, StorylineError
from storyline.records import (
    Analysis, Claim, Document, Entity, Event, Mention, MetaField, Quote, Rejection, Residue, Sentence, Signal,
)

# Ids are written by hand so that prefixes are predictable: a1 matches three documents, a1b2 two.
D1, D2, D3, D4 = "a1b2c3d4e5f60001", "a1b2c3d4e5f60002", "a1c9000000000003", "b7e0000000000004"

ENTITIES = {
    "ana": Entity("ana", "Ana Lindqvist", "person", "SWE", "GOV", "foreign minister", ("Lindqvist",), "t"),
    "jonas": Entity("jonas", "Jonas Berg", "person", "NOR", "GOV", "prime minister", ("Berg",), "t"),
    "nor": Entity("nor", "Norway", "country", "NOR", "GOV", None, ("Norwegian",), "t"),
    "council": Entity("council", "Nordic Council", "organisation", None, "GOV", None, (), "t"),
    "club": Entity("club", "50% Club", "organisation", None, "BUS", None, (), "t"),
    "g7": Entity("g7", "Group_7", "group", None, "CVL", None, (), "t"),
    "oslo": Entity("oslo", "Oslo", "place", "NOR", None, None, (), "t"),
}

# (id, published, domain, external id, title, text)
DOCS = [
    (D1, "2024-01-10", "alpha.example", "ext-1", "Summit opens in Oslo",
     "Ana Lindqvist met Jonas Berg in Oslo. \u201cWe agreed,\u201d Lindqvist said. Norway consulted the Nordic Council."),
    (D2, "2024-02-15", "beta.example", "ext-2", "Talks [sic] stall [/b] [red]",
     "Berg said the sanctions [sic] were largely symbolic. A spokesman said: \u201cNo comment [/b].\u201d Norway agreed with the council."),
    (D3, "2024-03-20", "alpha.example", None, "Club threatens",
     "The 50% Club warned, \u201cwe will strike,\u201d and threatened Group_7 over sanctions."),
    (D4, None, None, "ext-4", None,
     "Group_7 said prices would rise. Berg threatened to leave."),
]


def _span(text: str, part: str) -> tuple[int, int, str]:
    i = text.index(part)
    return i, i + len(part), part


def _quote(doc_id, text, kind, content, cue=None, speaker=None, entity=None) -> Quote:
    c = _span(text, content)
    k = _span(text, cue) if cue else (None, None, None)
    s = _span(text, speaker) if speaker else (None, None, None)
    return Quote(doc_id, kind, *c, *k, *s, entity, 0.9, "quotes/test")


def _event(doc_id, text, type_, trigger, source=None, target=None, date=None, reported_by=None) -> Event:
    t = _span(text, trigger)
    return Event(doc_id, type_, *t, 0, len(text), source, target, date, None, "asserted", reported_by, 0.8, "events/test")


def _analysis(doc_id, published, domain, external_id, title, text) -> Analysis:
    doc = Document(id=doc_id, text=text, source_path=f"in/{doc_id}.txt", external_id=external_id, title=title,
                   domain=domain, published=published, n_chars=len(text), reader="test/1")
    a = Analysis(document=doc)
    a.meta.append(MetaField(doc_id, "title", title or "", "test/1", 0.5))
    a.residue.append(Residue(doc_id, 0, 3, 1, "[x]", "test-rule"))
    a.sentences.append(Sentence(doc_id, 0, len(text), (0, 3)))
    return a


def _records() -> list[Analysis]:
    out = {d[0]: _analysis(*d) for d in DOCS}
    t = {d[0]: d[5] for d in DOCS}
    for doc_id, name, ent in [
        (D1, "Ana Lindqvist", "ana"), (D1, "Jonas Berg", "jonas"), (D1, "Oslo", "oslo"), (D1, "Norway", "nor"),
        (D1, "Nordic Council", "council"), (D2, "Berg", "jonas"), (D2, "Norway", "nor"), (D3, "50% Club", "club"),
        (D3, "Group_7", "g7"), (D4, "Group_7", "g7"), (D4, "Berg", "jonas"),
    ]:
        out[doc_id].mentions.append(Mention(doc_id, *_span(t[doc_id], name), "X", ent, "t"))
        out[doc_id].entities[ent] = ENTITIES[ent]
    out[D1].quotes.append(_quote(D1, t[D1], "direct", "We agreed,", "said", "Lindqvist", "ana"))
    out[D2].quotes.append(_quote(D2, t[D2], "indirect", "the sanctions [sic] were largely symbolic", "said", "Berg", "jonas"))
    out[D2].quotes.append(_quote(D2, t[D2], "direct", "No comment [/b].", "said", "A spokesman"))
    out[D3].quotes.append(_quote(D3, t[D3], "mixed", "we will strike,", "warned", "The 50% Club", "club"))
    out[D4].quotes.append(_quote(D4, t[D4], "indirect", "prices would rise", "said", "Group_7", "g7"))
    out[D1].events.append(_event(D1, t[D1], "MEET", "met", "ana", "jonas", "2024-01-09"))
    out[D1].events.append(_event(D1, t[D1], "CONSULT", "consulted", "nor", "council", "2023-12", reported_by="ana"))
    out[D2].events.append(_event(D2, t[D2], "AGREE", "agreed", "nor", "council", "2024-02-15"))
    out[D3].events.append(_event(D3, t[D3], "THREATEN", "threatened", "club", "g7", "2024-03-20"))
    out[D4].events.append(_event(D4, t[D4], "THREATEN", "threatened", "jonas", None, None))
    out[D1].add(_claim(D1, t[D1], "cooperate", "affirmed", "met", ("Ana Lindqvist", "ana"), ("Jonas Berg", "jonas")))
    out[D2].add(_claim(D2, t[D2], "partner", "denied", "agreed", ("Norway", "nor"), ("council", "council"),
                       holder=("Berg", "jonas")))
    out[D3].add(_claim(D3, t[D3], "threaten", "affirmed", "threatened", ("50% Club", "club"), ("Group_7", "g7")))
    out[D3].add(Signal(D3, "self-contradiction", 0, 20, "test", (0, 8, 13, 20), 1.0, "claims/test"))
    out[D4].add(Signal(D4, "call-to-action", 0, 7, "test", (0, 7), 0.5, "test/1"))
    return list(out.values())


def _claim(doc_id, text, relation, polarity, trigger, subject, object_, holder=None) -> Claim:
    s, o, t = _span(text, subject[0]), _span(text, object_[0]), _span(text, trigger)
    h = _span(text, holder[0]) if holder else (None, None, None)
    return Claim(doc_id, relation, polarity, "asserted", 0, len(text), text, *t, *s, subject[1], *o, object_[1],
                 "speaker" if holder else "author", *h, holder[1] if holder else None, None, 0.8, "claims/test")


def build_corpus(path: Path, extra: list | None = None) -> Path:
    """Write the hand-made corpus to ``path``; ``extra``: more Analysis or Rejection records."""
    con = store.connect(path, create=True)
    store.Writer(con).write([*_records(), Rejection("in/bad [/b].bin", "binary", "the input looks like binary data [red]")],
                            plan=None)
    if extra:
        store.Writer(con).write(extra, plan=None)
    con.close()
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = build_corpus(tmp_path_factory.mktemp("query") / "c.db")
    with Corpus(path) as c:
        yield c


def _ids(rows, key="doc_id"):
    return [r[key] for r in rows]


# (listing, filters, what each row gives, expected, in this order)
CASES = [
    # claims: subject or object by name, alias or words; relation; holder (a speaker, or the author); polarity
    ("claims", {}, "doc_id", [D1, D2, D3]),
    ("claims", {"subject": "berg"}, "doc_id", [D1]),
    ("claims", {"subject": "lindqvist"}, "doc_id", [D1]),
    ("claims", {"subject": "%"}, "doc_id", [D3]),
    ("claims", {"subject": "Sweden"}, "doc_id", []),
    ("claims", {"relation": "THREATEN"}, "doc_id", [D3]),
    ("claims", {"relation": "ally"}, "doc_id", []),
    ("claims", {"holder": "author"}, "doc_id", [D1, D3]),
    ("claims", {"holder": "Berg"}, "doc_id", [D2]),
    ("claims", {"holder": "Lindqvist"}, "doc_id", []),
    ("claims", {"polarity": "denied"}, "doc_id", [D2]),
    ("claims", {"polarity": "affirmed", "holder": "Berg"}, "doc_id", []),
    ("claims", {"doc": "a1c9"}, "doc_id", [D3]),
    ("claims", {"limit": 2}, "doc_id", [D1, D2]),
    ("signals", {}, "doc_id", [D3, D4]),
    ("signals", {"kind": "self-contradiction"}, "doc_id", [D3]),
    ("signals", {"kind": "nothing"}, "doc_id", []),
    ("signals", {"doc": "ext-4"}, "doc_id", [D4]),
    ("signals", {"limit": 1}, "doc_id", [D3]),
    # docs: published dates, inclusive at both ends; undated documents only when no date filter is set
    ("docs", {}, "id", [D1, D2, D3, D4]),
    ("docs", {"since": "2024-02-15"}, "id", [D2, D3]),
    ("docs", {"since": "2024-02-16"}, "id", [D3]),
    ("docs", {"since": "2024-03-21"}, "id", []),
    ("docs", {"until": "2024-02-15"}, "id", [D1, D2]),
    ("docs", {"until": "2024-02-14"}, "id", [D1]),
    ("docs", {"until": "2024-01-09"}, "id", []),
    ("docs", {"since": "2024-01-10", "until": "2024-01-10"}, "id", [D1]),
    ("docs", {"since": "2024-02-16", "until": "2024-02-14"}, "id", []),
    ("docs", {"domain": "alpha.example"}, "id", [D1, D3]),
    ("docs", {"domain": "beta.example"}, "id", [D2]),
    ("docs", {"domain": "alpha"}, "id", []),
    ("docs", {"domain": "alpha.example", "since": "2024-03-01"}, "id", [D3]),
    ("docs", {"limit": 1}, "id", [D1]),
    ("docs", {"limit": 3}, "id", [D1, D2, D3]),
    # actors: kind, limit (most mentioned first: Jonas Berg 3, Group_7 2, Norway 2, then the rest by name)
    ("actors", {}, "id", ["jonas", "g7", "nor", "club", "ana", "council", "oslo"]),
    ("actors", {"kind": "person"}, "id", ["jonas", "ana"]),
    ("actors", {"kind": "country"}, "id", ["nor"]),
    ("actors", {"kind": "organisation"}, "id", ["club", "council"]),
    ("actors", {"kind": "place"}, "id", ["oslo"]),
    ("actors", {"kind": "group"}, "id", ["g7"]),
    ("actors", {"limit": 2}, "id", ["jonas", "g7"]),
    ("actors", {"kind": "person", "limit": 1}, "id", ["jonas"]),
    # quotes: speaker (entity name, alias or the speaker's words), doc, kind, since/until by published, limit
    ("quotes", {}, "content", ["We agreed,", "the sanctions [sic] were largely symbolic", "No comment [/b].", "we will strike,", "prices would rise"]),
    ("quotes", {"speaker": "lindqvist"}, "content", ["We agreed,"]),
    ("quotes", {"speaker": "Ana"}, "content", ["We agreed,"]),
    ("quotes", {"speaker": "spokesman"}, "content", ["No comment [/b]."]),
    ("quotes", {"speaker": "Nobody"}, "content", []),
    ("quotes", {"speaker": "%"}, "content", ["we will strike,"]),
    ("quotes", {"speaker": "_"}, "content", ["prices would rise"]),
    ("quotes", {"speaker": "50%"}, "content", ["we will strike,"]),
    ("quotes", {"speaker": "p_7"}, "content", ["prices would rise"]),
    ("quotes", {"speaker": "p\\"}, "content", []),
    ("quotes", {"doc": D2}, "content", ["the sanctions [sic] were largely symbolic", "No comment [/b]."]),
    ("quotes", {"doc": "a1c9"}, "content", ["we will strike,"]),
    ("quotes", {"doc": "ext-4"}, "content", ["prices would rise"]),
    ("quotes", {"kind": "direct"}, "content", ["We agreed,", "No comment [/b]."]),
    ("quotes", {"kind": "indirect"}, "content", ["the sanctions [sic] were largely symbolic", "prices would rise"]),
    ("quotes", {"kind": "mixed"}, "content", ["we will strike,"]),
    ("quotes", {"kind": "mixed", "doc": D1}, "content", []),
    ("quotes", {"since": "2024-02-15"}, "content", ["the sanctions [sic] were largely symbolic", "No comment [/b].", "we will strike,"]),
    ("quotes", {"since": "2024-02-16"}, "content", ["we will strike,"]),
    ("quotes", {"until": "2024-02-15"}, "content", ["We agreed,", "the sanctions [sic] were largely symbolic", "No comment [/b]."]),
    ("quotes", {"until": "2024-02-14"}, "content", ["We agreed,"]),
    ("quotes", {"until": "2024-01-09"}, "content", []),
    ("quotes", {"since": "2024-03-21"}, "content", []),
    ("quotes", {"speaker": "berg", "since": "2024-02-15", "until": "2024-02-15"}, "content", ["the sanctions [sic] were largely symbolic"]),
    ("quotes", {"limit": 1}, "content", ["We agreed,"]),
    ("quotes", {"limit": 2, "kind": "direct"}, "content", ["We agreed,", "No comment [/b]."]),
    # events: actor (source or target), type, since/until by the event's date, doc, limit; undated last
    ("events", {}, "trigger", ["consulted", "met", "agreed", "threatened", "threatened"]),
    ("events", {"actor": "Berg"}, "trigger", ["met", "threatened"]),
    ("events", {"actor": "nordic"}, "trigger", ["consulted", "agreed"]),
    ("events", {"actor": "Lindqvist"}, "trigger", ["met"]),  # reported_by is not an actor of the event
    ("events", {"actor": "%"}, "trigger", ["threatened"]),
    ("events", {"actor": "_"}, "trigger", ["threatened"]),
    ("events", {"actor": "Nobody"}, "trigger", []),
    ("events", {"type": "THREATEN"}, "trigger", ["threatened", "threatened"]),
    ("events", {"type": "agree"}, "trigger", ["agreed"]),
    ("events", {"type": "PROTEST"}, "trigger", []),
    ("events", {"since": "2024-02-15"}, "trigger", ["agreed", "threatened"]),
    ("events", {"since": "2024-02-16"}, "trigger", ["threatened"]),
    ("events", {"since": "2024-03-21"}, "trigger", []),
    ("events", {"until": "2024-02-15"}, "trigger", ["consulted", "met", "agreed"]),
    ("events", {"until": "2024-02-14"}, "trigger", ["consulted", "met"]),
    ("events", {"until": "2024-01-09"}, "trigger", ["consulted", "met"]),
    ("events", {"until": "2024-01-08"}, "trigger", ["consulted"]),
    ("events", {"until": "2023-11-30"}, "trigger", []),
    ("events", {"since": "2024-01-09", "until": "2024-01-09"}, "trigger", ["met"]),
    # an event dated by its month only ("2023-12") counts as on its first day
    ("events", {"until": "2023-12-01"}, "trigger", ["consulted"]),
    ("events", {"since": "2023-12-01"}, "trigger", ["consulted", "met", "agreed", "threatened"]),
    ("events", {"since": "2023-12-02"}, "trigger", ["met", "agreed", "threatened"]),
    ("events", {"doc": D1}, "trigger", ["consulted", "met"]),
    ("events", {"doc": "b7"}, "trigger", ["threatened"]),
    ("events", {"doc": "ext-2"}, "trigger", ["agreed"]),
    ("events", {"doc": D1, "type": "AGREE"}, "trigger", []),
    ("events", {"actor": "berg", "type": "THREATEN"}, "trigger", ["threatened"]),
    ("events", {"limit": 1}, "trigger", ["consulted"]),
    ("events", {"limit": 3}, "trigger", ["consulted", "met", "agreed"]),
    # the timeline: dated events only, with the events' filters
    ("timeline", {}, "trigger", ["consulted", "met", "agreed", "threatened"]),
    ("timeline", {"actor": "berg"}, "trigger", ["met"]),
    ("timeline", {"type": "THREATEN"}, "trigger", ["threatened"]),
    ("timeline", {"since": "2024-02-15"}, "trigger", ["agreed", "threatened"]),
    ("timeline", {"until": "2024-02-15"}, "trigger", ["consulted", "met", "agreed"]),
    ("timeline", {"doc": D4}, "trigger", []),
    ("timeline", {"limit": 2}, "trigger", ["consulted", "met"]),
    # search: the query, limit
    ("search", {"query": "sanctions"}, "doc_id", [D3, D2]),  # the shorter text first (bm25)
    ("search", {"query": "sanctions", "limit": 1}, "doc_id", [D3]),
    ("search", {"query": "symbolic"}, "doc_id", [D2]),
    ("search", {"query": "zebra"}, "doc_id", []),
]


def _value(row: dict, what: str):
    if what in ("content", "trigger"):
        return row[what]["text"]
    return row[what]


@pytest.mark.parametrize("listing, filters, what, expected", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_query_filter(corpus, listing, filters, what, expected):
    filters = dict(filters)
    if listing == "search":
        rows = corpus.search(filters.pop("query"), **filters)
    else:
        rows = getattr(corpus, listing)(**filters)
    assert [_value(r, what) for r in rows] == expected


def test_query_every_filter_has_a_case():
    """Each declared filter of each listing is exercised above, with a case that gives no rows."""
    for listing, filters in query.FILTERS.items():
        for f in filters:
            used = [c for c in CASES if c[0] == listing and f.name in c[1]]
            assert used, (listing, f.name)
        if filters:
            assert any(c[0] == listing and c[3] == [] for c in CASES) or listing == "actors", listing


def test_query_corpus_methods_take_the_declared_filters():
    for listing, filters in query.FILTERS.items():
        params = inspect.signature(getattr(Corpus, listing)).parameters
        names = [p.name for p in params.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
        assert [f.name for f in filters] == [n for n in names if n != "out"], listing


@pytest.mark.parametrize(
    "listing, filters, message",
    [
        ("docs", {"since": "yesterday"}, "Invalid value for --since: 'yesterday'. Give a date as YYYY-MM-DD, e.g. 2024-03-01."),
        ("docs", {"until": "2024-02-30"}, "Invalid value for --until: '2024-02-30'. Give a date as YYYY-MM-DD, e.g. 2024-03-01."),
        ("quotes", {"since": "2024-1-5"}, "Invalid value for --since: '2024-1-5'. Give a date as YYYY-MM-DD, e.g. 2024-03-01."),
        ("events", {"until": "2024"}, "Invalid value for --until: '2024'. Give a date as YYYY-MM-DD, e.g. 2024-03-01."),
        ("quotes", {"kind": "reported"}, "Invalid value for --kind: 'reported'. Choose one of: direct, indirect, mixed."),
        ("actors", {"kind": "people"}, "Invalid value for --kind: 'people'. Choose one of: person, country, organisation, place, group."),
        ("docs", {"limit": 0}, "Invalid value for --limit: 0. Give a whole number of 1 or more."),
        ("events", {"limit": "x"}, "Invalid value for --limit: 'x'. Give a whole number of 1 or more."),
    ],
)
def test_query_bad_filter_values_are_clear_errors(corpus, listing, filters, message):
    with pytest.raises(BadOption) as err:
        list(getattr(corpus, listing)(**filters))
    assert err.value.message == message


def test_query_unknown_filter_in_the_query_layer(corpus):
    with pytest.raises(StorylineError) as err:
        list(query.quotes(corpus._read(), speakr="x"))
    assert err.value.code == "E017"
    assert err.value.message == "No filter named 'speakr' for quotes. Known filters: speaker, doc, kind, since, until, limit."


# -- Corpus.records ------------------------------------------------------------
def test_query_records_rows_of_any_table(corpus):
    rows = list(corpus.records("quotes", kind="direct"))
    assert [r["content_text"] for r in rows] == ["We agreed,", "No comment [/b]."]
    assert set(rows[0]) == {f for f, _ in store.columns(Quote)}
    assert [r["id"] for r in corpus.records("entities", kind="person")] == ["ana", "jonas"]
    assert [r["aliases"] for r in corpus.records("entities", id="ana")] == [["Lindqvist"]]
    assert [r["doc_id"] for r in corpus.records("events", type="THREATEN", doc="b7")] == [D4]
    assert [r["trigger_text"] for r in corpus.records("events", date=None)] == ["threatened"]
    assert len(list(corpus.records("mentions", limit=3))) == 3
    assert [r["id"] for r in corpus.records("documents", doc="ext-2")] == [D2]
    assert [r["reason"] for r in corpus.records("rejections")] == ["binary"]
    assert list(corpus.records("quotes", kind="none")) == []
    assert list(corpus.records("quotes", doc=D3, kind="direct")) == []


@pytest.mark.parametrize(
    "table, filters, message",
    [
        ("quote", {}, "No table named 'quote'. Known tables: "),
        ("quotes", {"speaker": "x"}, "No column named 'speaker' in quotes. Known columns: doc_id, kind, content_start, "),
        ("rejections", {"doc": D1}, "No column named 'doc_id' in rejections. Known columns: source_path, reason, message."),
    ],
)
def test_query_records_unknown_table_or_column(corpus, table, filters, message):
    with pytest.raises(StorylineError) as err:
        list(corpus.records(table, **filters))
    assert err.value.code == "E017"
    assert err.value.message.startswith(message)


def test_query_records_limit_is_checked(corpus):
    with pytest.raises(BadOption):
        list(corpus.records("quotes", limit=0))
