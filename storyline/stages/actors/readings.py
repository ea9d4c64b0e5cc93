"""How one entity mention reads, by its text and NER label alone: kind, canonical key and name.

Readings, in order: international organisations and seats of power; country
names and aliases (whatever the NER label); demonyms (NORP); capitals (which of
them stand for their government, :func:`governmental` tells from the sentence);
people (titles stripped); organisations, whose country and sector come from their
name. Also the corpus-wide id of an actor (:func:`entity_id`) and the regular
demonyms of a place name (:func:`demonym_forms`, which the merge pass reads too).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from ... import gazetteer
from ...records import content_id
from . import roles

__all__ = ["Reading", "read_mention", "clean_name", "governmental", "entity_id", "demonym_forms"]

ENTITY_LABELS = frozenset({"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC"})
# A capital stands for its government when it is the agent, owner or partner of something.
AGENT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "poss", "agent"})
PARTNER_PREPS = frozenset({"with", "between", "against", "toward", "towards", "and"})
RELATION_WORDS = frozenset(
    {"relation", "relations", "relationship", "tie", "ties", "talk", "talks", "cooperation", "partnership",
     "alliance", "deal", "agreement", "tension", "tensions", "dispute", "conflict", "war", "rapprochement",
     "negotiation", "negotiations", "dialogue", "cooperate", "negotiate", "meet", "talk", "side", "ally",
     "agree", "trade", "clash", "confrontation", "rivalry", "standoff"}
)
GOVERNMENT_NOUNS = frozenset({"official", "officials", "authority", "authorities", "government", "regime", "administration", "leadership"})
PLACE_NOUNS = frozenset(
    {"street", "airport", "hospital", "hotel", "building", "campus", "suburb", "district", "outskirts", "center",
     "centre", "downtown", "neighborhood", "neighbourhood", "station", "museum", "park", "square", "mayor", "zoo",
     "university", "population", "resident", "citizen", "skyline", "traffic", "weather", "restaurant", "club"}
)
INTERACT_VERBS = frozenset(
    {"urge", "warn", "accuse", "tell", "ask", "criticize", "criticise", "sanction", "pressure", "condemn", "blame",
     "threaten", "support", "back", "call", "invite", "help", "punish", "push", "press", "persuade", "reassure"}
)
PLACE_OR_GROUP = frozenset({"GPE", "LOC", "NORP"})
PRONOUNS = frozenset({"i", "he", "she", "we", "they", "you", "it", "me", "him", "her", "us", "them"})
_JUNK = re.compile(r"https?:|www\.|/|@|\d")
_EDGE = re.compile(r"^[^\w]+|[^\w.]+$")
_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")


@functools.lru_cache(maxsize=65536)
def entity_id(kind: str, key: str) -> str:
    """The corpus-wide id of an actor: the same kind and key give the same id everywhere."""
    return content_id(kind, key)


# ---------------------------------------------------------------- readings


@dataclass(frozen=True)
class Reading:
    """What one mention names: kind and canonical key, with what the name itself tells."""

    kind: str
    key: str
    name: str
    country: str | None = None
    sector: str | None = None
    label: str | None = None  # a corrected label, when the NER's was wrong


def clean_name(text: str) -> str:
    """Surface text without junk around it: "Ian DeMartino\\n\\nNews" -> "Ian DeMartino", "“I" -> "I"."""
    text = text.split("\n", 1)[0]
    text = _EDGE.sub("", _POSSESSIVE.sub("", text.strip()))
    if text.endswith(".") and "." not in text[:-1] and len(text.rsplit(" ", 1)[-1]) > 4:
        text = text[:-1]  # a sentence's full stop, not an abbreviation ("Abuja." but "U.S.", "Mich.")
    return text


def _country_reading(iso3: str) -> Reading:
    return Reading("country", iso3, gazetteer.country_name(iso3), iso3)


def _first_country(words: list[str]) -> str | None:
    """The first country a run of words names: a country, demonym, capital or place, longest phrase first
    ("Sri Lankan Army", "National Union for the Total Independence of Angola", "University of Tehran")."""
    for i in range(len(words)):
        for n in (3, 2, 1):
            phrase = " ".join(words[i : i + n])
            if len(words[i : i + n]) < n or not phrase[:1].isupper():
                continue
            iso3 = gazetteer.demonym(phrase) or gazetteer.country(phrase) or gazetteer.capital(phrase)
            if iso3 or (n > 1 or len(phrase) > 4) and (iso3 := gazetteer.place(phrase)):
                return iso3
    return None


def _org_reading(name: str) -> Reading:
    name = re.sub(r"^(?i:the)\s+", "", name)
    words = name.split()
    return Reading("organisation", gazetteer.bare(name), name, _first_country(words), roles.org_sector(name))


def _strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and roles.singular(words[0].lower()) in roles.role_words():
        words.pop(0)
    return " ".join(words)


def read_mention(text: str, label: str) -> Reading | None:
    """Read one NER mention by its text and label alone (context comes later)."""
    if label not in ENTITY_LABELS:
        return None
    name = clean_name(text)
    if not name or not any(c.isalpha() for c in name) or _JUNK.search(name) or len(name.split()) > 6:
        return None
    if hit := gazetteer.igo(name):
        canonical, sector = hit
        return Reading("organisation", gazetteer.bare(canonical), canonical, None, sector, "ORG")
    if label != "PERSON" and (hit := gazetteer.group(name)):
        canonical, iso3, sector = hit
        return Reading("organisation", gazetteer.bare(canonical), canonical, iso3, sector, "ORG")
    if (hit := gazetteer.seat(name)) and name.split()[-1][:1].isupper():
        return replace(_country_reading(hit[0]), label="SEAT")
    if iso3 := gazetteer.country(name):
        return replace(_country_reading(iso3), label=None if label == "GPE" else "GPE")
    if label in PLACE_OR_GROUP and (iso3 := gazetteer.demonym(name)):  # "Sri Lankan" is often tagged GPE
        return replace(_country_reading(iso3), label=None if label == "NORP" else "NORP")
    if iso3 := gazetteer.capital(name):
        if label in {"GPE", "LOC", "FAC"} or len(name.split()) == 1:
            return Reading("place", gazetteer.bare(name), name, iso3, None, "CAPITAL")
    if label in {"GPE", "LOC", "FAC", "ORG"} and name[:1].isupper() and (iso3 := gazetteer.place(name)):
        return Reading("place", gazetteer.bare(name), re.sub(r"^(?i:the)\s+", "", name), iso3, None,
                       None if label != "ORG" else "GPE")
    one_word_org = label == "ORG" and " " not in name  # the NER often takes a misspelt country for an ORG
    if (label in PLACE_OR_GROUP or one_word_org) and (iso3 := gazetteer.near_country(name)):  # "Afganistan"
        return replace(_country_reading(iso3), label=None if label == "GPE" else "GPE")
    if label != "ORG" and roles.org_sector(name) in {"MED", "BUS", "EDU", "REL"} and label != "NORP":
        return replace(_org_reading(name), label="ORG")
    if label == "PERSON" and name.split()[0] in {"The", "the"}:
        return replace(_org_reading(name), label="ORG")
    if label == "PERSON":
        person = _strip_titles(name)
        if not person[:1].isalpha() or len(person) < 2 or person.casefold() in PRONOUNS:
            return None
        if all(roles.singular(w.lower()) in roles.role_words() for w in person.split()):
            return None  # a bare title: "Sgt", "Command Sgt"
        return Reading("person", gazetteer.fold(person), person, gazetteer.leader(person))
    if label == "ORG":
        return _org_reading(name)
    if label == "NORP":
        return Reading("group", gazetteer.bare(name), name)
    return Reading("place", gazetteer.bare(name), re.sub(r"^(?i:the)\s+", "", name))


def governmental(token) -> bool:
    """Whether a place name at ``token`` acts as a government (agent, owner, partner)."""
    tok = token
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    dep = tok.dep_
    head = tok.head
    if dep == "poss":  # "Beijing's position", not "Ottawa's War Memorial"
        return head.pos_ == "NOUN" and head.lemma_ not in PLACE_NOUNS
    if dep in AGENT_DEPS:
        return True
    if dep == "compound" and head.lower_ in GOVERNMENT_NOUNS:
        return True
    if dep in {"dobj", "dative"} and head.lemma_ in INTERACT_VERBS:
        return True
    if dep == "pobj":
        prep = head
        if prep.lower_ == "by" and prep.head.pos_ in {"VERB", "AUX"}:
            return True
        if prep.lower_ in PARTNER_PREPS and (prep.head.lower_ in RELATION_WORDS or prep.head.lemma_ in RELATION_WORDS):
            return True
    return False


def demonym_forms(name: str) -> set[str]:
    """Regular English demonyms of a place name: Kaltovia -> Kaltovian; Estmark -> Estmarkish, ..."""
    n = name.lower()
    stem = n[:-1] if n[-1:] in "aeiouy" else n
    return {n + "n", n + "an", n + "ian", stem + "an", stem + "ian", stem + "ese", n + "ese", n + "i", n + "ish", stem + "ish"}
