"""Find PLOVER event triggers in a parsed sentence, from the lexicon in ``data/plover_triggers.json``.

A trigger is a verb or noun whose lemma the lexicon lists, or a head verb with
a dependent named by a pattern ("open ... fire", "lift the curfew"). A word
inside a name is never a trigger: "Support" in "Support Group Inc" or
"Defence" in "Ministry of Defence" is part of an entity, not an event.
"""

from __future__ import annotations

import functools
from typing import Iterator, NamedTuple

from spacy.tokens import Span, Token

from ...data import load_json

__all__ = ["Trigger", "find_triggers", "lexicon"]

VERB_POS = {"VERB"}
NOUN_POS = {"NOUN"}
# spaCy labels of names: a token inside one is part of a name, not a trigger.
# Prepositions that set a scene rather than name an event: "At a meeting, X said ...".
SCENE_PREPS = {"at", "during", "after", "before", "since", "ahead", "amid", "following", "despite"}
NAME_LABELS = {"ORG", "GPE", "PERSON", "NORP", "FAC", "LOC", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"}


class Trigger(NamedTuple):
    token: Token  # the head word of the trigger
    type: str
    start: int  # character offsets of the trigger span in the document
    end: int
    how: str  # "verb", "noun", "pattern", "must", "future"


@functools.cache
def lexicon() -> dict:
    """The trigger lexicon, with lemma lookup tables built once."""
    raw = load_json("plover_triggers.json")
    lex = dict(raw)
    lex["verb_type"] = _invert(raw["verbs"])
    lex["noun_type"] = _invert(raw["nouns"])
    lex["intent_of"] = {kind: intent for intent, kinds in raw["intent"].items() for kind in kinds}
    return lex


def _invert(table: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for kind, lemmas in table.items():
        for lemma in lemmas:
            out.setdefault(lemma, kind)
    return out


def in_name(token: Token) -> bool:
    """True when the token belongs to a named entity or is a proper noun."""
    return token.pos_ == "PROPN" or token.ent_type_ in NAME_LABELS


def _near(token: Token, depth: int = 2) -> Iterator[Token]:
    """Dependents of ``token`` up to ``depth`` steps down (not crossing into clauses)."""
    for child in token.children:
        if child.dep_ in ("ccomp", "advcl", "relcl", "conj", "parataxis", "xcomp", "punct", "cc"):
            continue
        yield child
        if child.dep_ == "prep" and child.lower_ == "of":  # "declared a state of siege": "of" costs no step
            yield from _near(child, depth)
        elif depth > 1:
            yield from _near(child, depth - 1)


def _match_pattern(token: Token, patterns: list[dict]) -> tuple[str, Token] | None:
    lemma = token.lemma_.lower()
    for pattern in patterns:
        if lemma not in pattern["head"]:
            continue
        for dep in _near(token):
            if dep.lemma_.lower() in pattern["with"] and not in_name(dep):
                return pattern["type"], dep
    return None


def _must_clause(token: Token, rule: dict) -> bool:
    """A reporting verb whose complement clause holds "must": "said that Sudan must return ..."."""
    if token.lemma_.lower() not in rule["head"]:
        return False
    for child in token.children:
        if child.dep_ in ("ccomp", "xcomp"):
            if any(g.dep_ == "aux" and g.lower_ in rule["aux"] for g in child.children):
                return True
    return False


def find_triggers(sent: Span) -> list[Trigger]:
    """Every trigger in a sentence, in text order; a dependent used by a pattern is not a trigger itself."""
    lex = lexicon()
    found: list[Trigger] = []
    used: set[int] = set()
    for token in sent:
        if in_name(token) or token.i in used:
            continue
        hit = _trigger_at(token, lex, used)
        if hit:
            found.append(hit)
    kept = [t for t in found if t.token.i not in used or t.how == "pattern"]
    kept = [_carried(t, kept, lex["carriers"]) for t in kept]
    heads = {t.token.i for t in kept}
    return [t for t in kept if t.how != "noun" or not _framed(t.token, heads)]


def _carried(trigger: Trigger, triggers: list[Trigger], carriers: list[str]) -> Trigger:
    """An order takes the type of what it orders: "ordered patrols" is MOBILIZE, not DEMAND."""
    if trigger.token.lemma_.lower() not in carriers:
        return trigger
    for other in triggers:
        if other is not trigger and embedded_in(other.token, trigger.token):
            return trigger._replace(type=other.type)
    return trigger


def embedded_in(token: Token, ancestor: Token, steps: int = 4) -> bool:
    """True when ``ancestor`` governs ``token`` within a few dependency steps."""
    for _ in range(steps):
        if token.head == token:
            return False
        token = token.head
        if token == ancestor:
            return True
    return False


def _framed(noun: Token, triggers: set[int]) -> bool:
    """A noun trigger inside another trigger's argument ("demanded the withdrawal"), or in a
    scene-setting phrase ("At a weekly meeting, ...") is not an event of its own."""
    if noun.dep_ == "pobj" and noun.head.lower_ in SCENE_PREPS:
        return True
    token = noun
    for _ in range(4):
        if token.head == token:
            return False
        token = token.head
        if token.i in triggers:
            return True
    return False


def _trigger_at(token: Token, lex: dict, used: set[int]) -> Trigger | None:
    lemma = token.lemma_.lower()
    if token.pos_ in VERB_POS or (token.pos_ == "AUX" and lemma in lex["verb_type"]):
        if _must_clause(token, lex["must"]):
            return _make(token, lex["must"]["type"], "must")
        if trigger := _pattern_trigger(token, lex, used):
            return trigger
        if lemma in lex["future_only"]:
            return _make(token, lex["future_only"][lemma], "future")
        if lemma in lex["verb_type"]:
            return _make(token, lex["verb_type"][lemma], "verb")
    elif token.pos_ in NOUN_POS:
        if trigger := _pattern_trigger(token, lex, used):
            return trigger
        if lemma in lex["noun_type"]:
            return _make(token, lex["noun_type"][lemma], "noun")
    return None


def _pattern_trigger(token: Token, lex: dict, used: set[int]) -> Trigger | None:
    """A trigger from a dependency pattern ("open ... fire"); its dependent is used up."""
    matched = _match_pattern(token, lex["patterns"])
    if not matched:
        return None
    kind, dep = matched
    used.add(dep.i)
    return _make(token, kind, "pattern", dep)


def _make(token: Token, kind: str, how: str, dep: Token | None = None) -> Trigger:
    start, end = token.idx, token.idx + len(token.text)
    # A particle right after the verb belongs to the trigger: "pulled out", "blew up".
    if dep is not None and dep.dep_ == "prt" and dep.i == token.i + 1:
        end = dep.idx + len(dep.text)
    return Trigger(token, kind, start, end, how)
