"""Corpus-level entity merging: one actor, one id, across every document.

Documents are analysed alone, so an actor can arrive under several ids: a
surname in one article ("Putin") and the full name in another ("Vladimir
Putin"), two spellings ("Sergey"/"Sergei Lavrov"), a name the NER took for an
organisation in a document without the full name ("Zakharova"). After an
ingest, :func:`merge_entities` folds such ids into one, keeping the loser's
names as aliases, and rewrites every column that points at an entity.
Merges happen only when unambiguous: "Bush" stays alone when the corpus knows
both George and Jeb.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..gazetteer import fold
from ..pipeline.declare import Pass
from ..records import Entity, Mention, references
from ..store.schema import has_table as _has_table, record_types

__all__ = ["merge_entities", "plan_merges", "references_in_corpus", "PASS"]
# Two given names this similar (difflib ratio) with the same surname are one spelling apart.
SPELLING_RATIO = 0.8
# A surname bucket larger than this is too common to merge by spelling.
MAX_BUCKET = 50
# Countries whose people's names usually put the family name first.
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM", "HUN", "KHM", "SGP"})
_LETTERS = re.compile(r"[^a-z]+")


@dataclass
class Row:
    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    role: str | None
    aliases: list[str]
    count: int = 0
    words: list[str] = field(default_factory=list)


def _load(con: sqlite3.Connection) -> dict[str, Row]:
    counts: Counter[str] = Counter()
    if _has_table(con, "mentions"):
        counts.update(dict(con.execute("SELECT entity_id, COUNT(*) FROM mentions WHERE entity_id IS NOT NULL GROUP BY entity_id")))
    rows = {}
    for id_, name, kind, country, sector, role, aliases in con.execute(
        "SELECT id, name, kind, country, sector, role, aliases FROM entities"
    ):
        alias_list = json.loads(aliases) if aliases else []
        rows[id_] = Row(id_, name, kind, country, sector, role, list(alias_list), counts[id_], _LETTERS.sub(" ", fold(name)).split())
    return rows


def references_in_corpus() -> list[tuple[str, str]]:
    """(table, column) for every field of every installed record type that holds an entity id."""
    return [(cls.__table__, name) for cls in record_types() for name in references(cls)]


def _loose(row: Row) -> str:
    return "".join(row.words)


def _compatible(a: Row, b: Row) -> bool:
    return not (a.country and b.country and a.country != b.country)


def _same_spelling(rows: dict[str, Row]) -> list[tuple[str, str]]:
    """Same kind and the same letters once case, accents, spaces and punctuation go ("U.N."/"UN")."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows.values():
        if r.words:
            groups[(r.kind, _loose(r))].append(r)
    pairs = []
    for group in groups.values():
        if len(group) > 1:
            best = _winner(group)
            pairs += [(r.id, best.id) for r in group if r is not best and _compatible(r, best)]
    return pairs


def _surnames(rows: dict[str, Row]) -> list[tuple[str, str]]:
    """A one-word person (or a name-shaped organisation: the NER's usual slip) joins the one full name
    that ends with it, or starts with it where family names come first ("Xi" -> "Xi Jinping")."""
    full = [r for r in rows.values() if r.kind == "person" and len(r.words) > 1]
    by_last: dict[str, list[Row]] = defaultdict(list)
    by_first: dict[str, list[Row]] = defaultdict(list)
    for r in full:
        by_last[r.words[-1]].append(r)
        by_first[r.words[0]].append(r)
    pairs = []
    for r in rows.values():
        if len(r.words) != 1 or len(r.words[0]) < (2 if r.kind == "person" else 3):
            continue
        if r.kind != "person" and not (r.kind == "organisation" and not r.sector and not r.country and r.name[:1].isupper()):
            continue
        word = r.words[0]
        candidates = _distinct(by_last.get(word, []))
        if not candidates and r.kind == "person":  # "Xi" for "Xi Jinping": family name first
            candidates = _distinct([c for c in by_first.get(word, []) if c.country in FAMILY_NAME_FIRST])
        if len(candidates) == 1 and _compatible(r, candidates[0]):
            pairs.append((r.id, candidates[0].id))
    return pairs


def _distinct(rows: list[Row]) -> list[Row]:
    return list({r.id: r for r in rows}.values())


def _spelling_variants(rows: dict[str, Row]) -> list[tuple[str, str]]:
    """Persons with the same surname and a given name one spelling apart ("Sergey"/"Sergei")."""
    buckets: dict[str, list[Row]] = defaultdict(list)
    for r in rows.values():
        if r.kind == "person" and len(r.words) > 1:
            buckets[r.words[-1]].append(r)
    pairs = []
    for bucket in buckets.values():
        if len(bucket) < 2 or len(bucket) > MAX_BUCKET:
            continue
        bucket.sort(key=lambda r: (-r.count, -len(r.name), r.id))
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                ga, gb = " ".join(a.words[:-1]), " ".join(b.words[:-1])
                if ga[:1] == gb[:1] and difflib.SequenceMatcher(None, ga, gb).ratio() >= SPELLING_RATIO and _compatible(a, b):
                    pairs.append((b.id, a.id))
    return pairs


def _unlisted_countries(rows: dict[str, Row]) -> list[tuple[str, str]]:
    """A country the gazetteer does not know (no ISO code; found through its demonym in some
    document) absorbs the place of the same name and the group named by its demonym elsewhere."""
    from ..stages.actors.readings import demonym_forms

    countries = {_loose(r): r for r in rows.values() if r.kind == "country" and not r.country and len(r.words) == 1}
    if not countries:
        return []
    forms = {form: c for key, c in countries.items() for form in demonym_forms(key)}
    pairs = []
    for r in rows.values():
        if r.kind == "place" and not r.country and (c := countries.get(_loose(r))):
            pairs.append((r.id, c.id))
        elif r.kind == "group" and not r.country and (c := forms.get(_loose(r))):
            pairs.append((r.id, c.id))
    return pairs


def _winner(group: list[Row]) -> Row:
    return max(group, key=lambda r: (r.kind == "person", len(r.words), r.count, r.name != r.name.lower(), r.id))


def plan_merges(rows: dict[str, Row]) -> dict[str, str]:
    """loser id -> surviving id, chains resolved, never a cycle."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while x in parent:
            x = parent[x]
        return x

    for step in (_same_spelling, _spelling_variants, _surnames, _unlisted_countries):
        for loser, winner in step(rows):
            a, b = root(loser), root(winner)
            if a != b:
                parent[a] = b
    return {loser: root(loser) for loser in parent}


def _merged(winner: Row, losers: list[Row]) -> Row:
    aliases = dict.fromkeys(winner.aliases)
    for r in losers:
        for alias in (r.name, *r.aliases):
            if alias != winner.name:
                aliases.setdefault(alias, None)
        winner.country = winner.country or r.country
        winner.sector = winner.sector or r.sector
        winner.role = winner.role or r.role
    winner.aliases = list(aliases)
    return winner


# Merging can make new merges possible (a survivor's new alias, a surname bucket that shrank); the
# pass repeats until nothing merges, so one run reaches the fixed point. It has never needed more than 3.
MAX_ROUNDS = 10


def merge_entities(con: sqlite3.Connection) -> int:
    """Merge entities that name the same actor, until none is left to merge; returns how many ids were
    merged away.

    Updates ``entities`` (the survivor gains the others' names as aliases and
    fills its empty country, sector and role from them) and every field that
    holds an entity id in any record type (:func:`references_in_corpus`), one
    transaction per round.
    """
    total = 0
    for _ in range(MAX_ROUNDS):
        n = _merge_once(con)
        if not n:
            break
        total += n
    return total


def _merge_once(con: sqlite3.Connection) -> int:
    rows = _load(con)
    plan = plan_merges(rows)
    if not plan:
        return 0
    losers_of: dict[str, list[Row]] = defaultdict(list)
    for loser, winner in plan.items():
        losers_of[winner].append(rows[loser])
    pairs = list(plan.items())
    with con:
        for winner_id, losers in losers_of.items():
            w = _merged(rows[winner_id], losers)
            con.execute(
                "UPDATE entities SET country=?, sector=?, role=?, aliases=? WHERE id=?",
                (w.country, w.sector, w.role, json.dumps(w.aliases, ensure_ascii=False), w.id),
            )
        con.executemany("DELETE FROM entities WHERE id=?", [(loser,) for loser, _ in pairs])
        for table, column in references_in_corpus():
            if _has_table(con, table):
                con.executemany(f"UPDATE [{table}] SET [{column}]=? WHERE [{column}]=?", [(w, l) for l, w in pairs])
    return len(pairs)


PASS = Pass(
    name="merge-entities",
    version="1",
    run=merge_entities,
    reads=(Entity, Mention),
    help="One actor, one id across the corpus: surnames, spellings, unlisted countries.",
)
