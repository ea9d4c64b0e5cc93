"""Who said it: the speaker's span next to a cue, and the entity it names (a mention, a pronoun, a
role noun), for the quotes stage (:mod:`.quotes`)."""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from ..records import Analysis
from .quote_model import Lexicon

if TYPE_CHECKING:
    from .quotes import Candidate

RELATIVE = {"who", "which", "that", "whom"}


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


@functools.cache
def _actors():
    """The actors stage module when it is installed, else None."""
    try:
        return importlib.import_module("storyline.stages.actors.extract")
    except ImportError:
        return None


def _speaker_span(doc: Doc, tok: Token | None) -> tuple[int, int] | None:
    """Character span of the words naming the speaker (the subject without its clauses)."""
    if tok is None:
        return None
    if tok.lower_ in RELATIVE and tok.head.dep_ == "relcl":
        tok = tok.head.head
    if tok.pos_ not in ("PROPN", "NOUN", "PRON", "NUM", "X"):
        return None
    left = tok
    for child in tok.lefts:
        if child.dep_ in ("compound", "amod", "det", "poss", "nmod", "nummod", "punct") or child.dep_ == "flat":
            left = min(left, child.left_edge, key=lambda t: t.i)
            break
    end = tok
    if tok.ent_type_:
        a, b = _entity_bounds(doc, tok.i)
        left = min(left, doc[a], key=lambda t: t.i)
        end = max(end, doc[b - 1], key=lambda t: t.i)
    return left.idx, _end(end)


def _entity_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Token range [a, b) of the named entity holding token ``i`` (from the IOB tags, without ``doc.ents``)."""
    a = i
    while a > 0 and doc[a].ent_iob_ == "I":
        a -= 1
    b = i + 1
    while b < len(doc) and doc[b].ent_iob_ == "I":
        b += 1
    return a, b


class Resolver:
    """Resolve a speaker mention to an entity id: mention, pronoun, role noun, or None."""

    def __init__(self, doc: Doc, analysis: Analysis, lex: Lexicon, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.analysis = analysis
        self.lex = lex
        self.actors = _actors()
        self.linked = sorted((m for m in analysis.mentions if m.entity_id), key=lambda m: m.start)
        self.last_speaker: str | None = None
        self.quotes: list[tuple[int, int, str]] = []

    def spoke(self, entity: str) -> None:
        self.last_speaker = entity

    def entity_at(self, start: int, end: int) -> str | None:
        if self.actors is not None and hasattr(self.actors, "entity_at"):
            found = self.actors.entity_at(self.analysis, start, end)
            if found is not None:
                return found.id if hasattr(found, "id") else found
        for m in self.linked:
            if m.start < end and start < m.end:
                return m.entity_id
        return None

    def gender(self, entity_id: str) -> str | None:
        if self.actors is not None and hasattr(self.actors, "gender_of"):
            g = self.actors.gender_of(self.analysis, entity_id)
            if g:
                return {"f": "female", "m": "male"}.get(g, g)
        return self._gender_from_text(entity_id)

    def _gender_from_text(self, entity_id: str) -> str | None:
        # Cached on the instance: a functools.cache here would keep every document's
        # resolver (and its spaCy Doc) alive for the life of the worker.
        cache = self.__dict__.setdefault("_genders", {})
        if entity_id not in cache:
            cache[entity_id] = self._read_gender(entity_id)
        return cache[entity_id]

    def _read_gender(self, entity_id: str) -> str | None:
        text = self.text
        for m in self.linked:
            if m.entity_id != entity_id:
                continue
            near = text[m.end : m.end + 40].lower().replace(",", " ").split()[:3]
            before = text[max(0, m.start - 5) : m.start].lower().split()[-1:]
            words = set(near) | {w.rstrip(".") for w in before}
            if words & self.lex.female:
                return "female"
            if words & self.lex.male:
                return "male"
        return None

    def is_person(self, entity_id: str) -> bool:
        ent = self.analysis.entity(entity_id)
        if ent is not None:
            return ent.kind == "person"
        return any(m.entity_id == entity_id and m.label == "PERSON" for m in self.linked)

    def resolve(self, span: tuple[int, int], token: int | None, start: int, end: int) -> str | None:
        found = self.entity_at(*span)
        if found or token is None:
            return found
        tok = self.doc[token]
        word = tok.lower_
        if word in ("he", "she"):
            return self._nearest(span[0], "female" if word == "she" else "male", strict=False)
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in self.lex.roles and any(c.lower_ in ("the", "this", "that") for c in tok.children):
            lemma = tok.lemma_.lower()
            g = "female" if lemma in self.lex.female else "male" if lemma in self.lex.male else None
            return self._nearest(span[0], g, strict=False, role=lemma)
        return None

    def _nearest(self, before: int, gender: str | None, strict: bool, role: str | None = None) -> str | None:
        """The nearest earlier person whose gender does not contradict ``gender``."""
        seen: set[str] = set()
        for m in reversed(self.linked):
            if m.end > before or m.entity_id in seen:
                continue
            seen.add(m.entity_id)
            if not self.is_person(m.entity_id):
                continue
            g = self.gender(m.entity_id)
            if gender and g and g != gender:
                continue
            if strict and g is None:
                continue
            if role:
                ent = self.analysis.entity(m.entity_id)
                if ent is not None and ent.role and role not in ent.role.lower() and before - m.end > 300:
                    continue
            return m.entity_id
        return None

    def outer_speaker(self, c: Candidate, direct: list[Candidate]) -> str | None:
        for d in direct:
            if d.start <= c.start and c.end <= d.end and d.speaker and d.speaker_token is not None:
                return self.resolve(d.speaker, d.speaker_token, d.start, d.end)
        return None
