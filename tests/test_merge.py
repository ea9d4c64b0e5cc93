"""Corpus-level entity merging on an in-memory SQLite built from the record classes."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields

import pytest

from storyline.passes.merge import merge_entities
from storyline.records import Entity, Event, Mention, Quote
from storyline.stages.actors.readings import entity_id


def _table(con: sqlite3.Connection, cls) -> None:
    cols = ", ".join(f"[{f.name}]" for f in fields(cls))
    con.execute(f"CREATE TABLE [{cls.__table__}] ({cols})")


def _insert(con: sqlite3.Connection, record) -> None:
    values = [json.dumps(v) if isinstance(v, tuple) else v for v in record.to_dict().values()]
    con.execute(f"INSERT INTO [{record.__table__}] VALUES ({', '.join('?' * len(values))})", values)


def _person(name: str, **kw) -> Entity:
    from storyline.gazetteer import fold

    return Entity(id=entity_id("person", fold(name)), name=name, kind="person", **kw)


@pytest.fixture
def con():
    con = sqlite3.connect(":memory:")
    for cls in (Entity, Mention, Quote, Event):
        _table(con, cls)
    return con


def _load(con, entities, mention_ids=()):
    for e in entities:
        _insert(con, e)
    for i, eid in enumerate(mention_ids):
        _insert(con, Mention("d", i, i + 1, "x", "PERSON", eid))


def _ids(con):
    return {row[0] for row in con.execute("SELECT id FROM entities")}


def test_merge_surname_into_full_name_everywhere(con):
    full = _person("Vladimir Putin", country="RUS", role="president")
    short = _person("Putin")
    other = _person("Maria Zakharova")
    _load(con, [full, short, other], [short.id, full.id, other.id])
    _insert(con, Quote("d", "direct", 0, 5, "hello", speaker_entity_id=short.id))
    _insert(con, Event("d", "CONSULT", 0, 1, "met", 0, 9, source_entity_id=short.id, target_entity_id=other.id,
                       reported_by_entity_id=short.id))
    assert merge_entities(con) == 1
    assert _ids(con) == {full.id, other.id}
    assert {r[0] for r in con.execute("SELECT entity_id FROM mentions")} == {full.id, other.id}
    assert con.execute("SELECT speaker_entity_id FROM quotes").fetchone()[0] == full.id
    assert con.execute("SELECT source_entity_id, target_entity_id, reported_by_entity_id FROM events").fetchone() == (
        full.id, other.id, full.id)
    name, aliases, role = con.execute("SELECT name, aliases, role FROM entities WHERE id=?", (full.id,)).fetchone()
    assert (name, role) == ("Vladimir Putin", "president")
    assert "Putin" in json.loads(aliases)


@pytest.mark.parametrize(
    "names, merged",
    [
        (["Sergey Lavrov", "Sergei Lavrov"], 1),  # one spelling apart
        (["Guðrún Jónsdóttir", "Gudrun Jonsdottir"], 0),  # already one id: fold() removes accents
        (["Jim Murren", "Jim"], 0),  # a given name alone is not enough
        (["George Bush", "Jeb Bush", "Bush"], 0),  # ambiguous surname stays alone
        (["Maria Zakharova", "Ivan Petrov"], 0),  # different people
        (["Sergey Lavrov", "Sergey Shoigu"], 0),  # same given name, different surname
    ],
)
def test_merge_person_variants(con, names, merged):
    _load(con, [_person(n) for n in dict.fromkeys(names)])
    before = len(_ids(con))
    assert merge_entities(con) == merged
    assert len(_ids(con)) == before - merged


def test_merge_kind_mistake_joins_person(con):
    org = Entity(id=entity_id("organisation", "zakharova"), name="Zakharova", kind="organisation")
    person = _person("Maria Zakharova", country="RUS")
    ministry = Entity(id=entity_id("organisation", "foreign ministry"), name="Foreign Ministry", kind="organisation", sector="GOV")
    _load(con, [org, person, ministry], [org.id])
    assert merge_entities(con) == 1
    assert _ids(con) == {person.id, ministry.id}
    assert con.execute("SELECT entity_id FROM mentions").fetchone()[0] == person.id


def test_merge_conflicting_countries_stay_apart(con):
    _load(con, [_person("Ivan Petrov", country="RUS"), _person("Petrov", country="BGR")])
    assert merge_entities(con) == 0


def test_merge_is_idempotent(con):
    _load(con, [_person("Vladimir Putin"), _person("Putin")])
    assert merge_entities(con) == 1
    assert merge_entities(con) == 0


def test_merge_family_name_first(con):
    _load(con, [_person("Xi Jinping", country="CHN"), _person("Xi")])
    assert merge_entities(con) == 1


@pytest.mark.parametrize("kind", ["place", "group"])
def test_merge_places_never_join_persons(con, kind):
    place = Entity(id=entity_id(kind, "austin"), name="Austin", kind=kind)
    _load(con, [place, _person("Lloyd Austin")])
    assert merge_entities(con) == 0


def _thing(kind: str, name: str, **kw) -> Entity:
    from storyline.gazetteer import bare

    return Entity(id=entity_id(kind, bare(name)), name=name, kind=kind, **kw)


@pytest.mark.parametrize(
    "others, merged",
    [
        ([("place", "Kaltovia"), ("group", "Kaltovian")], 2),  # the place and the demonym join the country
        ([("place", "Vardenia")], 0),  # another unlisted place stays itself
        ([("group", "Kaltovians and friends")], 0),
    ],
)
def test_merge_unlisted_country_absorbs_place_and_demonym(con, others, merged):
    country = _thing("country", "Kaltovia")
    rest = [_thing(kind, name) for kind, name in others]
    _load(con, [country, *rest], [e.id for e in (country, *rest)])
    assert merge_entities(con) == merged
    assert country.id in _ids(con)


def test_merge_listed_country_is_not_touched(con):
    russia = Entity(id=entity_id("country", "RUS"), name="Russia", kind="country", country="RUS")
    place = _thing("place", "Russia")
    _load(con, [russia, place], [russia.id, place.id])
    assert merge_entities(con) == 0
