"""Role nouns and gender hints: "the spokeswoman" -> the nearest earlier spokesperson.

Pure helpers over a spaCy ``Doc``; the actors stage calls ``role_nouns`` and
exposes ``gender_of``. Pronouns are resolved by the quotes stage, which may use
``gender_of`` to pick between persons.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ...records import Analysis
from . import roles

DEFINITE = frozenset({"the", "this", "that"})


@dataclass(frozen=True)
class Person:
    """What the role-noun resolver needs to know of a person mention."""

    start: int
    entity_id: str
    role: str | None
    country: str | None


@dataclass(frozen=True)
class RoleNoun:
    start: int
    end: int
    entity_id: str
    role: str


@functools.cache
def _heads() -> frozenset[str]:
    """Last words of role phrases that name a role ("minister", "spokeswoman")."""
    return frozenset(phrase[-1] for phrase, role in roles.lexicon().items() if role.role)


def _same_role(noun_role: str, person_role: str | None) -> bool:
    if not person_role:
        return False
    if noun_role == person_role:
        return True
    # "the minister" for a "foreign minister"; "the president" for "vice president" is not the same.
    wanted = noun_role.split()
    return any(part.split()[-1:] == wanted for part in person_role.split(" and ")) and len(wanted) == 1 and not person_role.startswith(("vice ", "deputy "))


def _resolve(title: roles.Title, start: int, persons: list[Person]) -> Person | None:
    earlier = [p for p in persons if p.start < start and _same_role(title.role, p.role)]
    if title.country:
        earlier = [p for p in earlier if p.country in (None, title.country)]
    return max(earlier, key=lambda p: p.start, default=None)


def role_nouns(doc, persons: list[Person], covered: set[int]) -> list[RoleNoun]:
    """Definite role nouns ("the spokeswoman", "the Russian foreign minister") resolved to persons.

    ``covered`` holds token indexes already inside a mention or a title, which are skipped.
    """
    out = []
    heads = _heads()
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lower_ not in heads or tok.i in covered:
            continue
        if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in tok.lefts):
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.i in covered:  # a title: "the spokeswoman Maria Zakharova"
            continue
        if tok.dep_ == "appos" or any(c.dep_ == "appos" for c in tok.children):
            continue
        title = roles.read_noun(tok)
        if title is None or title.role is None:
            continue
        person = _resolve(title, tok.idx, persons)
        if person is not None:
            out.append(RoleNoun(title.start, title.end, person.entity_id, title.role))
    return out


@functools.cache
def _gender_words() -> dict[str, str]:
    return {phrase[-1]: role.gender for phrase, role in roles.lexicon().items() if role.gender}


_WORD = re.compile(r"[A-Za-z.]+")


def _votes_before(text: str, start: int) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text[max(0, start - 40) : start])][-4:]
    genders = _gender_words()
    return [genders[w] for w in words if w in genders]


def _votes_after(text: str, end: int) -> list[str]:
    after = text[end : end + 80]
    if not after.startswith(","):
        return []
    clause = re.split(r"[,;.:!?\"\u201c\u201d()]", after[1:], maxsplit=1)[0]
    genders = _gender_words()
    return [genders[w] for w in (w.lower() for w in _WORD.findall(clause)[:6]) if w in genders]


def gender_of(analysis: Analysis, entity_id: str) -> str | None:
    """ "f", "m" or None for a person, from titles (Mr, Ms), gendered role nouns and
    appositions ("Maria Zakharova, a spokeswoman ...") around its mentions in this document."""
    text = analysis.document.text
    votes: list[str] = []
    genders = _gender_words()
    for m in analysis.mentions:
        if m.entity_id != entity_id:
            continue
        if m.label == "ROLE":
            votes += [genders[w] for w in m.text.lower().split() if w in genders]
        else:
            votes += _votes_before(text, m.start) + _votes_after(text, m.end)
    if not votes:
        return None
    f, m_ = votes.count("f"), votes.count("m")
    return "f" if f > m_ else "m" if m_ > f else None
