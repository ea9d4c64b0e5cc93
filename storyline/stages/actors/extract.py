"""Canonical actors: people, countries, organisations, places and groups.

Links every entity mention of the parse to an :class:`~storyline.records.Entity`
whose id is the same in every document (``content_id(kind, key)``; countries
are keyed by ISO alpha-3, people by their folded full name), and adds the
mentions the NER misses: definite role nouns ("the spokeswoman", label ROLE)
and seats of government ("the Kremlin", label SEAT).

Readings, in order: international organisations and seats of power; country
names and aliases (whatever the NER label); demonyms (NORP); capitals, which
stand for their government only as agents ("Moscow warned", "Beijing's
position", "relations with Beijing") and are places otherwise ("a hotel in
Moscow"); people, whose surname-only mentions join the full name in the same
document, and whose titles ("Russian Foreign Minister") and appositions
("a spokeswoman for the Russian Foreign Ministry") give role, country and
sector; organisations, whose country and sector come from their name.

Helpers for later stages: :func:`entity_at`, :func:`mentions_in`,
:func:`person_role`, :func:`gender_of`.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from ... import gazetteer
from ...records import Analysis, Entity, Mention
from . import NAME, VERSION, coref, roles
from .readings import Reading, _country_reading, clean_name, demonym_forms, entity_id, governmental, read_mention

__all__ = ["run", "entity_at", "mentions_in", "person_role", "gender_of"]


# Titles that only ever stand before a person's name.
PERSON_TITLES = frozenset({"president", "prime minister", "minister", "senator", "general", "king", "queen", "prince",
                           "chancellor", "governor", "mayor", "judge", "professor", "ambassador", "representative"})


# ---------------------------------------------------------------- accumulation


@dataclass
class _Actor:
    kind: str
    key: str
    name: str
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    aliases: dict[str, None] = field(default_factory=dict)

    def absorb(self, r: Reading, surface: str) -> None:
        self.country = self.country or r.country
        self.sector = self.sector or r.sector
        self.aliases.setdefault(surface, None)
        if _better_name(r.name, self.name):
            self.name = r.name

    def entity(self, method: str) -> Entity:
        return Entity(
            id=entity_id(self.kind, self.key),
            name=self.name,
            kind=self.kind,
            country=self.country,
            sector=self.sector,
            role=self.role,
            aliases=tuple(sorted(a for a in self.aliases if a != self.name)),
            method=method,
        )


def _better_name(new: str, old: str) -> bool:
    """Prefer more words, then proper capitalisation."""
    return (len(new.split()), new != new.lower()) > (len(old.split()), old != old.lower())


def _person_keys(readings: dict[int, Reading]) -> dict[int, str]:
    """Join surname-only (or given-name-only) mentions to the one full name in the document that has the word."""
    full = {r.key for r in readings.values() if r.kind == "person" and len(r.key.split()) > 1}
    out = {}
    for i, r in readings.items():
        if r.kind != "person" or r.key in full:
            continue
        words = r.key.split()
        matches = [k for k in full if all(w in k.split() for w in words)]
        last = [k for k in matches if k.split()[-1] == words[-1]]
        pick = last if len(last) == 1 else matches
        if len(pick) == 1:
            out[i] = pick[0]
    return out


def _reclassify(readings: dict[int, Reading], mentions: list[Mention]) -> None:
    """Single-word mentions that are a word of a person's full name in this document are that person
    ("Zakharova" tagged ORG; "Washington" or "Jordan" tagged PERSON next to "Michael Jordan")."""
    words = {w for r in readings.values() if r.kind == "person" for w in r.key.split() if len(r.key.split()) > 1}
    for i, r in list(readings.items()):
        if r.kind == "person" or len(r.key.split()) != 1 or r.key not in words:
            continue
        if r.label is None and r.kind in {"organisation", "place", "group"} or mentions[i].label == "PERSON":
            name = clean_name(mentions[i].text)
            readings[i] = Reading("person", gazetteer.fold(name), name, label="PERSON")


def _one_kind_per_name(readings: dict[int, Reading], mentions: list[Mention]) -> None:
    """One name, one kind within a document: "Crimea" tagged GPE once and ORG twice is a place
    (the NER's place labels are the more reliable); otherwise the majority, ties to the first seen."""
    kinds: dict[str, Counter] = defaultdict(Counter)
    for i in sorted(readings, key=lambda i: mentions[i].start):
        r = readings[i]
        if r.kind in {"organisation", "place", "group"} and r.label is None:
            kinds[r.key][r.kind] += 1
    for i, r in list(readings.items()):
        votes = kinds.get(r.key)
        if votes and len(votes) > 1 and r.label is None and r.kind in votes:
            kind = "place" if "place" in votes else votes.most_common(1)[0][0]
            if kind != r.kind:
                readings[i] = replace(r, kind=kind)


def _unlisted_countries(readings: dict[int, Reading], mentions: list[Mention]) -> None:
    """A place the gazetteer does not know is a country when the document also uses its demonym
    ("Kaltovia" beside "Kaltovian troops"): both then name one country actor, with no ISO code."""
    groups = {r.key: i for i, r in readings.items() if r.kind == "group" and r.country is None}
    if not groups:
        return
    for i, r in list(readings.items()):
        if r.kind != "place" or r.country or mentions[i].label != "GPE" or " " in r.key:
            continue
        forms = demonym_forms(r.key)
        if not forms & groups.keys():
            continue
        country = Reading("country", r.key, r.name)
        for j, g in list(readings.items()):
            if (g.kind == "place" and g.key == r.key) or (g.kind == "group" and g.key in forms):
                readings[j] = country


def _titled(doc: Doc, readings: dict[int, Reading], spans: dict) -> None:
    """An ORG or place right after a person's title is a person ("President Idriss Déby")."""
    for i, r in list(readings.items()):
        if r.kind not in {"organisation", "place"} or r.label is not None or r.sector or r.country:
            continue
        span = spans[i]
        prev = doc[span.start - 1] if span.start else None
        if prev is None or not prev.is_title or not 2 <= len(span) <= 4:
            continue
        hit = roles.match_role([prev.lower_])
        if hit and hit[1].role in PERSON_TITLES:
            readings[i] = Reading("person", gazetteer.fold(r.name), r.name, label="PERSON")


def _span(doc: Doc, m: Mention):
    return doc.char_span(m.start, m.end, alignment_mode="expand")


def run(doc: Doc, analysis: Analysis, options: dict | None = None) -> None:

    me = f"{NAME}/{VERSION}"
    doc_id = analysis.document.id
    text = analysis.document.text  # doc.text rebuilds the string on every access
    mentions = analysis.mentions
    readings: dict[int, Reading] = {}
    spans = {}
    for i, m in enumerate(mentions):
        r = read_mention(m.text, m.label)
        if r is None:
            continue
        span = _span(doc, m)
        if span is None or not len(span):
            continue
        readings[i], spans[i] = r, span
    _reclassify(readings, mentions)
    _titled(doc, readings, spans)
    # Capitals: the government where the sentence makes them act, the city otherwise.
    for i, r in list(readings.items()):
        if r.label == "CAPITAL" and mentions[i].text.isupper() and len(mentions[i].text) > 3:  # a dateline
            readings[i] = replace(r, label=None)
        elif r.label == "CAPITAL" and governmental(spans[i].root):
            readings[i] = replace(_country_reading(r.country), label="CAPITAL")
        elif r.label == "CAPITAL":
            readings[i] = replace(r, label=None)
    _one_kind_per_name(readings, mentions)
    _unlisted_countries(readings, mentions)
    person_keys = _person_keys(readings)
    actors: dict[tuple[str, str], _Actor] = {}
    key_of: dict[int, tuple[str, str]] = {}
    for i, r in readings.items():
        k = (r.kind, person_keys.get(i, r.key))
        actor = actors.get(k)
        if actor is None:
            actor = actors[k] = _Actor(r.kind, k[1], r.name)
        actor.absorb(r, clean_name(mentions[i].text))
        key_of[i] = k
    # Token -> mention index, to read affiliations ("for the Russian Foreign Ministry").
    token_mention = {t.i: i for i, span in spans.items() for t in span}
    covered = set(token_mention)
    sent_starts = [s.start for s in doc.sents]
    person_info: list[coref.Person] = []
    plural_titles: dict[int, roles.Title] = {}
    for i in sorted(readings, key=lambda i: mentions[i].start):
        if key_of[i][0] != "person":
            continue
        span = spans[i]
        sent_start = sent_starts[bisect.bisect_right(sent_starts, span.start) - 1]
        first = span.start  # the NER sometimes keeps the title inside the name: "Sgt. Gill Cherry"
        while first < span.end - 1 and roles.is_title_token(doc[first]):
            first += 1
        title = roles.title_before(doc, first, sent_start) or _inherited(text, span, plural_titles)
        appos = roles.apposition(span)
        actor = actors[key_of[i]]
        for t in (title, appos):
            if t is None:
                continue
            _apply(actor, t, readings, key_of, actors, token_mention)
            if t is title:
                covered.update(tok.i for tok in doc.char_span(t.start, t.end, alignment_mode="expand") or ())
                if t.plural:
                    plural_titles[span.end_char] = t
        person_info.append(coref.Person(span.start_char, entity_id("person", actor.key), actor.role, actor.country))
    _person_countries(doc, readings, spans, key_of, actors, sent_starts)
    # Persons' roles are known only now: refresh them for the role-noun resolver.
    person_info = [replace(p, role=_role_by_id(actors, p.entity_id), country=_country_by_id(actors, p.entity_id)) for p in person_info]
    added = [
        Mention(doc_id, rn.start, rn.end, text[rn.start : rn.end], "ROLE", rn.entity_id, me)
        for rn in coref.role_nouns(doc, person_info, covered)
    ]
    added += _missed_seats(doc, text, doc_id, covered, actors, me)
    rebuilt = []
    for i, m in enumerate(mentions):
        if i not in key_of:
            rebuilt.append(m)
            continue
        r = readings[i]
        eid = entity_id(*key_of[i])
        label = r.label if r.label and r.label != m.label else m.label
        end = m.start + len(m.text.split("\n", 1)[0].rstrip())
        rebuilt.append(replace(m, entity_id=eid, label=label, end=end, text=text[m.start : end],
                               method=me if (label != m.label or end != m.end) else m.method))
    for a in actors.values():
        e = a.entity(me)
        analysis.entities[e.id] = e
    analysis.mentions = sorted(rebuilt + added, key=lambda m: (m.start, m.end))


def _person_countries(doc: Doc, readings, spans, key_of, actors, sent_starts: list[int]) -> None:
    """A person whose name and titles give no country takes one the text ties them to: "King Hassan
    of Morocco"; for a titled person ("President Prosper Avril"), the country named in the same
    sentence (the nearest, when several are); otherwise the only country the document names."""
    countries = sorted(
        (spans[i].start, spans[i].end, readings[i].country)
        for i in readings
        if key_of[i][0] == "country" and readings[i].country  # a country with no ISO code lends none
    )
    if not countries:
        return
    in_doc = {iso3 for _s, _e, iso3 in countries}
    for i in sorted(readings, key=lambda i: spans[i].start):
        actor = actors[key_of[i]]
        if actor.kind != "person" or actor.country:
            continue
        span = spans[i]
        after = doc[span.end : span.end + 2]
        if len(after) == 2 and after[0].lower_ == "of":
            hit = next((iso3 for s, _e, iso3 in countries if s == after[1].i), None)
            if hit:
                actor.country = hit
                continue
        if actor.role:
            k = bisect.bisect_right(sent_starts, span.start) - 1
            lo, hi = sent_starts[k], sent_starts[k + 1] if k + 1 < len(sent_starts) else len(doc)
            near = [(abs(s - span.start), iso3) for s, _e, iso3 in countries if lo <= s < hi]
            if near:
                actor.country = min(near)[1]
                continue
        if len(in_doc) == 1:
            actor.country = next(iter(in_doc))


def _role_by_id(actors, eid):
    return next((a.role for a in actors.values() if entity_id(a.kind, a.key) == eid), None)


def _country_by_id(actors, eid):
    return next((a.country for a in actors.values() if entity_id(a.kind, a.key) == eid), None)


def _inherited(text: str, span, plural_titles: dict[int, roles.Title]) -> roles.Title | None:
    """ "Presidents Vladimir Putin and Xi Jinping": the plural title covers the second name too."""
    for end, title in plural_titles.items():
        between = text[end : span.start_char]
        if end < span.start_char and between.strip() in {"and", ",", ", and", "&"}:
            return title
    return None


def _apply(actor: _Actor, t: roles.Title, readings, key_of, actors, token_mention) -> None:
    affiliation = None
    if t.affiliation is not None and t.affiliation in token_mention:
        affiliation = actors.get(key_of.get(token_mention[t.affiliation]))
    country = t.country or (affiliation.country if affiliation else None)
    sector = (affiliation.sector if affiliation and affiliation.kind == "organisation" else None) or t.sector
    if affiliation is not None and affiliation.kind == "country" and not sector:
        sector = "GOV"
    actor.role = actor.role or t.role
    actor.country = actor.country or country
    actor.sector = actor.sector or sector


def _missed_seats(doc: Doc, text: str, doc_id: str, covered: set[int], actors, me: str) -> list[Mention]:
    """Seats of government the NER did not tag ("the Kremlin's view")."""
    out = []
    for span in _seat_spans(doc, text):
        if any(t.i in covered for t in span):
            continue
        iso3, _sector = gazetteer.seat(span.text)
        k = ("country", iso3)
        actor = actors.setdefault(k, _Actor("country", iso3, gazetteer.country_name(iso3), iso3))
        actor.aliases.setdefault(span.text, None)
        covered.update(t.i for t in span)
        out.append(Mention(doc_id, span.start_char, span.end_char, span.text, "SEAT", entity_id(*k), me))
    return out


def _seat_spans(doc: Doc, text: str):
    for match in gazetteer.seat_pattern().finditer(text):
        span = doc.char_span(match.start(), match.end())
        if span is not None:
            yield span


# ---------------------------------------------------------------- helpers for later stages


def mentions_in(analysis: Analysis, start: int, end: int) -> list[Mention]:
    """Linked mentions overlapping the character span [start, end), in text order."""
    return [m for m in analysis.mentions if m.entity_id and m.start < end and start < m.end]


def entity_at(analysis: Analysis, start: int, end: int) -> Entity | None:
    """The entity of the linked mention that best overlaps [start, end) (most overlap, then longest)."""
    best = max(
        mentions_in(analysis, start, end),
        key=lambda m: (min(end, m.end) - max(start, m.start), m.end - m.start),
        default=None,
    )
    return analysis.entity(best.entity_id) if best else None


def person_role(entity: Entity | None) -> str | None:
    """A person's role ("spokesperson", "foreign minister"), or None."""
    return entity.role if entity is not None and entity.kind == "person" else None


def gender_of(analysis: Analysis, entity_id: str) -> str | None:
    """ "f", "m" or None: a gender hint for a person from this document's titles and role nouns."""
    return coref.gender_of(analysis, entity_id)
