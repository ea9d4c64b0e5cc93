"""Source, target and place of an event trigger, read from the dependency parse.

Entities come from the actors stage: a mention carrying ``entity_id``. A role
word that is not itself a name is resolved through its own noun phrase
("Senior Hungarian officials" → Hungary, "the government of Sindh" → Sindh,
"Montenegro's prime minister" → Montenegro), a pronoun subject through the
reporting frame ("Hungary said it will ...") or the previous sentence's subject.
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

from spacy.tokens import Doc, Token

from ...records import Analysis

__all__ = ["EntityIndex", "Roles", "find_roles"]

SUBJECTS = ("nsubj", "csubj")
# Modifiers inside a noun phrase that may name who the phrase belongs to.
NP_MODIFIERS = ("compound", "amod", "poss", "nmod", "npadvmod", "appos", "nummod")
NP_PREPS = ("of", "in", "from", "for")
PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "his", "her", "them"}
# Dependencies through which a verb shares its governor's subject.
SHARE_SUBJECT = ("xcomp", "conj", "advcl", "acl", "pcomp")
PLACE_PREPS = ("in", "at", "near", "outside", "inside")
PLACE_LABELS = ("GPE", "LOC", "FAC")


class Roles(NamedTuple):
    source: str | None
    target: str | None
    place: str | None


class EntityIndex:
    """Token → entity id, from the mentions the actors stage linked."""

    def __init__(self, doc: Doc, analysis: Analysis) -> None:
        self.by_token: dict[int, str] = {}
        self.label: dict[int, str] = {}
        self.names: dict[str, str] = {}
        self.entities = analysis.entities
        mentions = sorted((m for m in analysis.mentions if m.entity_id), key=lambda m: m.end - m.start)
        for m in reversed(mentions):  # shorter spans win where mentions nest
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                self.by_token[token.i] = m.entity_id
                self.label[token.i] = m.label
            self.names.setdefault(m.entity_id, m.text)

    def at(self, token: Token) -> str | None:
        return self.by_token.get(token.i)

    def has_country(self, entity_id: str) -> bool:
        entity = self.entities.get(entity_id)
        return bool(entity and entity.country)


def entity_of(token: Token, index: EntityIndex, depth: int = 2) -> str | None:
    """The entity a noun phrase names or belongs to, searching its modifiers.

    A name without a country ("Kurds") modified by one with a country ("Iraqi Kurds")
    yields the one with the country: PLOVER codes actors by country first.
    """
    found = index.at(token)
    if found and not index.has_country(found):
        for child in token.children:
            if child.dep_ in ("amod", "compound", "poss") and not _same_mention(child, token, index):
                better = index.at(child)
                if better and index.has_country(better):
                    return better
    if found or depth == 0:
        return found
    for child in token.children:
        if child.dep_ in NP_MODIFIERS:
            found = entity_of(child, index, depth - 1)
            if found:
                return found
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in NP_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found = entity_of(pobj, index, depth - 1)
                    if found:
                        return found
    return None


def _same_mention(a: Token, b: Token, index: EntityIndex) -> bool:
    return index.at(a) == index.at(b)


def conjuncts(token: Token) -> Iterator[Token]:
    """The token and its coordinated siblings: "Russia and China" gives Russia, China."""
    yield token
    for child in token.children:
        if child.dep_ == "conj":
            yield from conjuncts(child)


def group(token: Token, index: EntityIndex) -> list[str]:
    """Distinct entities of a (possibly coordinated) noun phrase, in order."""
    out: list[str] = []
    if index.at(token) is None:  # "Presidents Vladimir Putin and Xi Jinping"
        appos = next((c for c in token.children if c.dep_ == "appos"), None)
        if appos is not None:
            return group(appos, index)
    for part in conjuncts(token):
        found = entity_of(part, index)
        if found and found not in out:
            out.append(found)
        # "Hungarian and Romanian officials": the coordination sits on the modifier.
        for child in part.children:
            if child.dep_ in ("amod", "compound"):
                for sub in conjuncts(child):
                    found = entity_of(sub, index, 0)
                    if found and found not in out:
                        out.append(found)
    return out


def subject_of(verb: Token) -> tuple[Token | None, bool]:
    """The subject word of a verb, climbing control and coordination; (token, passive)."""
    token = verb
    for _ in range(5):
        for child in token.children:
            if child.dep_ in SUBJECTS:
                return child, False
            if child.dep_ == "nsubjpass":
                return child, True
        if token.dep_ == "relcl":
            return token.head, False
        # object control: "urged the EC to support", "ordered Menem to appear"
        if token.dep_ == "xcomp":
            obj = next((c for c in token.head.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None and obj.i < token.i:
                return obj, False
        if token.dep_ not in SHARE_SUBJECT or token.head == token:
            break
        token = token.head
    return None, False


def _noun_actors(noun: Token, index: EntityIndex) -> list[str]:
    """Actors a noun trigger names itself: "the meeting between Lavrov and Xi", "Israeli pullback"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("between", "by", "among"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return group(pobj, index)
    return group(noun, index)[:1]


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _pronoun_antecedent(pronoun: Token, index: EntityIndex, report_verbs: frozenset[str]) -> list[str]:
    """"Hungary said it will ..." → Hungary; otherwise the subject of the sentence before."""
    token = pronoun.head
    for _ in range(4):
        if token.dep_ in ("ccomp", "parataxis") and token.head.lemma_.lower() in report_verbs:
            subject, _ = subject_of(token.head)
            if subject is not None and subject.lower_ not in PRONOUNS:
                return group(subject, index)
        if token.head == token:
            break
        token = token.head
    sent = pronoun.sent
    if sent.start == 0:
        return []
    previous = pronoun.doc[sent.start - 1].sent
    subject, _ = subject_of(previous.root)
    if subject is not None and subject.lower_ not in PRONOUNS:
        return group(subject, index)
    return []


def _side(token: Token | None, index: EntityIndex, report_verbs: frozenset[str]) -> list[str]:
    if token is None:
        return []
    if token.lower_ in PRONOUNS:
        return _pronoun_antecedent(token, index, report_verbs)
    return group(token, index)


def _objects(verb: Token, preps: list[str]) -> Iterator[Token]:
    """Candidate target words: direct objects, then prepositional objects by preference, then clauses."""
    children = list(verb.children)
    for child in children:
        if child.dep_ in ("dobj", "attr", "oprd") and child.pos_ != "PRON" or child.dep_ == "nsubjpass":
            yield child
    for prep in preps:
        for child in children:
            if child.dep_ in ("prep", "dative") and child.lower_ == prep:
                yield from (c for c in child.children if c.dep_ == "pobj")
    yield from (c for c in children if c.dep_ == "dative" and c.pos_ != "ADP")
    for child in children:
        if child.dep_ in ("dobj", "dative", "attr"):
            yield from _prep_objects(child, preps)
    for child in children:
        if child.dep_ in ("ccomp", "xcomp", "advcl"):
            subject = next((c for c in child.children if c.dep_ in SUBJECTS + ("nsubjpass",)), None)
            if subject is not None:
                yield subject
            yield from _objects(child, preps)


def _prep_objects(noun: Token, preps: list[str]) -> Iterator[Token]:
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            yield from (c for c in child.children if c.dep_ == "pobj")


def find_roles(
    trigger: Token,
    verb: Token,
    kind: str,
    index: EntityIndex,
    *,
    preps: list[str],
    symmetric: bool,
    report_verbs: frozenset[str],
) -> Roles:
    """Pick source and target for a trigger whose clause verb is ``verb``."""
    subject, passive = subject_of(verb)
    agent = _agent(verb)
    sources: list[str] = []
    if trigger != verb:  # a noun trigger: its own modifiers first ("Israeli troop pullback")
        sources = _noun_actors(trigger, index)
    if not sources:
        sources = _side(agent if passive or agent is not None else subject, index, report_verbs)
    targets: list[str] = []
    if trigger != verb and len(sources) > 1 and any(c.lower_ == "between" for c in trigger.children):
        targets = sources[1:]
    elif passive and subject is not None:
        targets = _side(subject, index, report_verbs)
    heads = [trigger] if trigger == verb else [trigger, verb]
    for head in heads:
        for obj in _objects(head, preps):
            if targets:
                break
            targets = [e for e in _side(obj, index, report_verbs) if e not in sources[:1]]
    if not sources:  # "Militants loyal to Iraq's ...": the actor sits deeper in the subject phrase
        sources = _deep(agent if passive or agent is not None else subject, index)[:1]
    if not targets and symmetric and len(sources) > 1:  # "Russia and China hold drills"
        targets = sources[1:2]
    if not targets:  # "rejected a call for its forces to be deployed in East Timor"
        targets = [e for e in _deep_targets(trigger, verb, subject, agent, index) if e not in sources[:1]][:1]
    source = sources[0] if sources else None
    target = targets[0] if targets else None
    if target == source:
        target = None
    return Roles(source, target, _place(trigger, verb, index, {source, target}))


def _ranked(tokens: list[Token], anchor: Token, index: EntityIndex) -> list[str]:
    """Distinct entities at ``tokens``, those with a country first, then nearest to ``anchor``."""
    best: dict[str, tuple[bool, int]] = {}
    for token in tokens:
        entity = index.at(token)
        if entity is None:
            continue
        rank = (not index.has_country(entity), abs(token.i - anchor.i))
        if entity not in best or rank < best[entity]:
            best[entity] = rank
    return sorted(best, key=best.__getitem__)


def _deep(token: Token | None, index: EntityIndex) -> list[str]:
    """Entities anywhere in a noun phrase's subtree (not only its head and modifiers)."""
    if token is None or token.lower_ in PRONOUNS:
        return []
    return _ranked(list(token.subtree), token, index)


# Clauses hanging off a trigger's verb that tell who reported it, not who took part.
ASIDE_DEPS = ("parataxis",)


def _deep_targets(trigger: Token, verb: Token, subject: Token | None, agent: Token | None, index: EntityIndex) -> list[str]:
    """Entities in the trigger's clause outside its subject: the target when the parse hides it."""
    skip: set[int] = set()
    for tok in (subject, agent):
        if tok is not None:
            skip.update(t.i for t in tok.subtree)
    tokens: list[Token] = []
    for head in {trigger, verb}:
        for child in head.children:
            if child.dep_ in ASIDE_DEPS or child.dep_ in SUBJECTS or child.dep_ in ("nsubjpass", "agent"):
                continue
            if child.dep_ == "prep" and child.lower_ == "according":
                continue
            tokens.extend(t for t in child.subtree if t.i not in skip)
    return _ranked(tokens, trigger, index)


def sentence_actors(sent, trigger: Token, index: EntityIndex) -> list[str]:
    """Entities with a country anywhere in the sentence, nearest to the trigger first (a last resort)."""
    return [e for e in _ranked(list(sent), trigger, index) if index.has_country(e)]


def _place(trigger: Token, verb: Token, index: EntityIndex, actors: set[str | None]) -> str | None:
    """A place named after in/at on the trigger or its verb that is not one of the actors."""
    for head in {trigger, verb}:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in PLACE_PREPS:
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for token in pobj.subtree:
                        entity = index.at(token)
                        if entity and entity not in actors and index.label.get(token.i) in PLACE_LABELS:
                            return index.names.get(entity)
                        if token.ent_type_ in PLACE_LABELS and entity not in actors:
                            return _ent_text(token)
    return None


def _ent_text(token: Token) -> str:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent.text
    return token.text
