"""Roles and affiliations of people, from titles and appositions.

Pure helpers over a spaCy ``Doc`` used by the actors stage:

- ``title_before(doc, i)``: the title run just left of token ``i``
  ("Russian Foreign Minister", "[French President]", "lawyer and journalist");
- ``apposition(span)``: the role noun in apposition to a name
  ("Maria Zakharova, a spokeswoman for ...", "Russia's foreign minister, Sergey Lavrov"),
  with the token of its affiliation ("the Russian Foreign Ministry") when there is one;
- ``org_sector(name)``: the PLOVER sector an organisation's name suggests.

The lexicons are ``data/roles.tsv`` and ``data/org_sectors.tsv``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ... import gazetteer

# Words that may stand in a title run without being a role themselves.
MODIFIERS = frozenset({"former", "deputy", "acting", "then", "first", "chief", "senior", "top", "vice", "ex", "outgoing", "incoming", "assistant", "associate", "foreign", "defense", "defence", "interior", "finance", "state", "prime", "press", "general", "attorney", "executive", "opposition"})
BRACKETS = frozenset("[]()")
POSSESSIVE = frozenset({"'s", "\u2019s"})


@dataclass(frozen=True)
class Role:
    """A role noun phrase's reading: canonical role (None for bare titles like Mr), sector, gender."""

    role: str | None
    sector: str | None
    gender: str | None


@dataclass(frozen=True)
class Title:
    role: str | None = None
    sector: str | None = None
    gender: str | None = None
    country: str | None = None
    start: int = 0  # character offsets of the whole title run
    end: int = 0
    plural: bool = False
    affiliation: int | None = None  # token index of an affiliation ("for the Russian Foreign Ministry")


def _read_tsv(name: str) -> list[list[str]]:
    text = gazetteer.data_text(name)
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.cache
def lexicon() -> dict[tuple[str, ...], Role]:
    """Role phrase (lower-case words) -> Role."""
    out = {}
    for phrase, role, sector, gender in _read_tsv("roles.tsv"):
        out[tuple(phrase.split())] = Role(
            None if role == "-" else role, None if sector == "-" else sector, None if gender == "-" else gender
        )
    return out


@functools.cache
def role_words() -> frozenset[str]:
    return frozenset(w for phrase in lexicon() for w in phrase)


@functools.cache
def _sector_keywords() -> tuple[tuple[tuple[str, ...], str], ...]:
    rows = [(tuple(k.split()), s) for k, s in _read_tsv("org_sectors.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def singular(word: str) -> str:
    """ "presidents" -> "president", "spokespeople" stays (it is in the lexicon)."""
    if word in role_words():
        return word
    if word.endswith("men") and word[:-3] + "man" in role_words():
        return word[:-3] + "man"
    if word.endswith("s") and word[:-1] in role_words():
        return word[:-1]
    return word


def match_role(words: list[str]) -> tuple[int, Role] | None:
    """The longest lexicon phrase ending at the last of ``words`` (lower case): (length, Role)."""
    if not words:
        return None
    words = [*words[:-1], singular(words[-1])]
    lex = lexicon()
    for n in range(min(4, len(words)), 0, -1):
        role = lex.get(tuple(words[-n:]))
        if role is not None:
            return n, role
    return None


def read_role(words: list[str]) -> Role | None:
    """Read a run of lower-case words ("former", "russian", "foreign", "minister") as one Role.

    Several roles joined by "and" are kept together ("lawyer and journalist").
    """
    roles: list[Role] = []
    end = len(words)
    while end > 0:
        hit = match_role(words[:end])
        if hit is None:
            end -= 1
            continue
        n, role = hit
        roles.append(role)
        end -= n
        if end and words[end - 1] in {"deputy", "vice", "former", "acting"} and role.role:
            prefix = words[end - 1]
            if prefix in {"deputy", "vice"}:
                roles[-1] = Role(f"{prefix} {role.role}", role.sector, role.gender)
            end -= 1
    if not roles:
        return None
    roles.reverse()
    named = [r for r in roles if r.role]
    gender = next((r.gender for r in reversed(roles) if r.gender), None)
    if not named:
        return Role(None, None, gender)
    role = " and ".join(dict.fromkeys(r.role for r in named))
    sector = next((r.sector for r in reversed(named) if r.sector), None)
    return Role(role, sector, gender)


def country_of(text: str) -> str | None:
    """ISO alpha-3 of a capitalised demonym or country name ("Russian", "Russia", "North Korean")."""
    if not text[:1].isupper():
        return None
    return gazetteer.demonym(text) or gazetteer.country(text)


def is_title_token(tok) -> bool:
    low = tok.lower_
    return (
        low in role_words()
        or singular(low) in role_words()
        or low in MODIFIERS
        or tok.text in POSSESSIVE
        or tok.text in BRACKETS
        or country_of(tok.text) is not None
    )


def _countries(toks: list) -> tuple[str | None, set[int]]:
    """The first country named in a run of tokens (two-word names first), and the tokens naming countries."""
    found, used = None, set()
    k = 0
    while k < len(toks):
        pair = f"{toks[k].text} {toks[k + 1].text}" if k + 1 < len(toks) else ""
        if pair and country_of(pair):
            found = found or country_of(pair)
            used |= {toks[k].i, toks[k + 1].i}
            k += 2
            continue
        if iso3 := country_of(toks[k].text):
            found = found or iso3
            used.add(toks[k].i)
        k += 1
    return found, used


def title_before(doc, i: int, stop: int = 0) -> Title | None:
    """The title run that ends just before token ``i`` (not crossing token ``stop``)."""
    j = i - 1
    toks = []
    if i >= 2 and doc[i - 1].text == "." and doc[i - 2].lower_ + "." in role_words():
        stop = min(stop, i - 2)  # the sentence splitter took "Sgt." for a sentence end
    while j >= stop and i - j <= 8:
        tok = doc[j]
        if tok.is_space:
            break
        if tok.text == "." and j >= 1 and doc[j - 1].lower_ + "." in role_words():  # "Sgt" "." split apart
            j -= 1
            continue
        if is_title_token(tok):
            toks.append(tok)
        elif tok.lower_ == "and" and toks and j - 1 >= stop and is_title_token(doc[j - 1]):
            toks.append(tok)
        elif toks and country_of(f"{tok.text} {doc[j + 1].text}"):  # "North" of "North Korean"
            toks.append(tok)
        else:
            break
        j -= 1
    toks.reverse()
    while toks and (toks[0].text in BRACKETS or toks[0].lower_ == "and"):
        toks.pop(0)
    if not toks:
        return None
    country, used = _countries(toks)
    words = [t.lower_ for t in toks if t.text not in BRACKETS and t.text not in POSSESSIVE and t.i not in used]
    role = read_role(words)
    if role is None:
        return None
    last = toks[-1].lower_ if toks[-1].text not in BRACKETS else ""
    plural = last.endswith("s") and singular(last) != last
    return Title(role.role, role.sector, role.gender, country, toks[0].idx, toks[-1].idx + len(toks[-1].text), plural)


def _noun_words(noun) -> list:
    """The noun with its left compound/amod modifiers, as tokens."""
    mods = [c for c in noun.lefts if c.dep_ in {"compound", "amod", "nmod"}]
    return sorted([*mods, noun], key=lambda t: t.i)


def read_noun(noun) -> Title | None:
    """Read a role noun with its modifiers ("the Russian foreign minister", "Russia's top diplomat")."""
    toks = _noun_words(noun)
    country, used = _countries(toks)
    words = [t.lower_ for t in toks if t.i not in used]
    for child in noun.lefts:
        if child.dep_ == "poss":
            country = country or country_of(child.text)
    role = read_role(words)
    if role is None or role.role is None:
        return None
    affiliation = None
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in {"for", "of", "at", "with", "to"}:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                affiliation = objs[0].i
                break
    start = min(t.idx for t in [*toks, *[c for c in noun.lefts if c.dep_ in {"det", "poss"}]])
    return Title(role.role, role.sector, role.gender, country, start, noun.idx + len(noun.text), False, affiliation)


def apposition(span) -> Title | None:
    """A role noun standing in apposition to the name ``span``."""
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and not (span.start <= child.i < span.end) and child.pos_ == "NOUN":
            return read_noun(child)
    if root.dep_ == "appos" and not (span.start <= root.head.i < span.end) and root.head.pos_ == "NOUN":
        return read_noun(root.head)
    return None


@functools.lru_cache(maxsize=16384)
def org_sector(name: str) -> str | None:
    """The PLOVER sector that words in an organisation's name suggest ("Foreign Ministry" -> GOV)."""
    words = gazetteer.fold(name).replace(",", " ").split()
    present = set(words)
    for keyword, sector in _sector_keywords():
        if keyword[0] not in present:
            continue
        n = len(keyword)
        if any(tuple(words[k : k + n]) == keyword for k in range(len(words) - n + 1)):
            return sector
    return None
