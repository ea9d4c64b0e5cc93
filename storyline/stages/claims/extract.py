"""Claims from the parse: a relation word, the actors it joins, polarity, modality and holder.

Three shapes, read from spaCy's dependencies:

- a relation noun or adjective after a copula: "Russia and China are (already) allies",
  "X is an ally of Y", "the two countries are still allied";
- a relation noun that a verb makes or signs: "X and Y have not yet made an official armed alliance",
  "X signed a partnership with Y";
- a relation verb: "X supports Y", "X threatened Y", "X cooperates with Y".

A conjoined subject of a symmetric relation gives subject and object ("X and Y are allies"). A
plural pronoun or a group noun ("they", "the two countries") stands for the last pair of actors
named together, within a few sentences. Polarity is ``denied`` under a negation on the clause
("have not made"), a "no" on the relation noun, or a denial frame above it ("there is no proof
that ..."). Modality: ``hypothetical`` (if), ``future`` (will), ``hedged`` (may, unlikely to,
perhaps), else ``reported`` when the claim sits in a quote (its holder is then the quote's
speaker), else ``asserted``. Pure: the document and its records in, claims out.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Iterator, NamedTuple

from ...data import load_json
from ...records import Analysis, Claim, Quote, Signal
from . import NAME, VERSION

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

METHOD = f"{NAME}/{VERSION}"
COPULAS = frozenset({"be", "become", "remain", "stay", "seem", "appear"})
MAKERS = frozenset({"make", "form", "sign", "forge", "build", "seal", "conclude", "enter", "have", "seek", "announce", "strike"})
OBJECT_PREPS = frozenset({"of", "with", "to", "against", "on", "toward", "towards"})
# A pair named together stands for "they" this many sentences on, and for "the two countries" (a
# plural group noun, which names a pair more surely) this many.
PAIR_REACH = 2
GROUP_REACH = 6
PRONOUNS = frozenset({"they", "both", "them"})
# Confidence by shape: both actors named, or the pair standing behind a pronoun or group noun.
CONFIDENCE = {"both": 0.8, "pronoun": 0.6}


class Vocabulary(NamedTuple):
    nouns: dict[str, str]
    adjectives: dict[str, str]
    verbs: dict[str, str]
    symmetric: frozenset[str]
    hedges: frozenset[str]
    denials: tuple[str, ...]
    group_nouns: frozenset[str]


@functools.cache
def vocabulary() -> Vocabulary:
    raw = load_json("claim_relations.json")
    nouns, adjectives, verbs = {}, {}, {}
    for rel, words in raw["relations"].items():
        nouns.update({w: rel for w in words["nouns"]})
        adjectives.update({w: rel for w in words["adjectives"]})
        verbs.update({w: rel for w in words["verbs"]})
    symmetric = frozenset(r for r, w in raw["relations"].items() if w["symmetric"])
    return Vocabulary(nouns, adjectives, verbs, symmetric, frozenset(raw["hedges"]), tuple(raw["denials"]),
                      frozenset(raw["group_nouns"]))


class Actor(NamedTuple):
    start: int
    end: int
    text: str
    entity_id: str | None


def run(doc: Doc, analysis: Analysis, options: dict | None = None) -> None:
    claims = list(extract(doc, analysis))
    analysis.add(*claims)
    analysis.add(*contradictions(claims, analysis.document.text))


def extract(doc: Doc, analysis: Analysis) -> Iterator[Claim]:
    """Every claim in ``doc``, in text order."""
    vocab = vocabulary()
    linked = sorted((m for m in analysis.mentions if m.entity_id), key=lambda m: m.start)
    quotes = sorted(analysis.quotes, key=lambda q: q.content_start)
    pair: tuple[int, Actor, Actor] | None = None
    seen: set[tuple[int, int]] = set()
    sents = list(doc.sents)
    sentence_of = {t.i: si for si, sent in enumerate(sents) for t in sent}
    for si, sent in enumerate(sents):
        for tok in sent:
            found = _pair_at(tok, linked)
            if found:
                pair = (si, *found)
            elif pair and si - pair[0] <= GROUP_REACH and _names_a_pair(tok, vocab):
                pair = (si, pair[1], pair[2])  # "the two countries" again: the same pair, still in view
            relation = _relation(tok, vocab)
            if not relation:
                continue
            recent = pair if pair and si - pair[0] <= GROUP_REACH else None
            for claim in _claims(tok, relation, sent, analysis, linked, quotes, vocab, recent, sentence_of):
                if (claim.trigger_start, claim.subject_start) not in seen:
                    seen.add((claim.trigger_start, claim.subject_start))
                    yield claim


def _relation(tok: Token, vocab: Vocabulary) -> str | None:
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if tok.pos_ in ("NOUN", "PROPN"):
        return vocab.nouns.get(lemma) or vocab.nouns.get(lower)
    if tok.pos_ == "ADJ" or tok.tag_ == "VBN" and tok.dep_ == "acomp":
        return vocab.adjectives.get(lower) or vocab.adjectives.get(lemma)
    if tok.pos_ == "VERB":
        return vocab.verbs.get(lemma)
    return None


def _entity_of(tok: Token, linked) -> Actor | None:
    """The linked mention covering this token, as an Actor."""
    for m in linked:
        if m.start <= tok.idx < m.end:
            return Actor(m.start, m.end, m.text, m.entity_id)
        if m.start > tok.idx:
            break
    return None


def _pair_at(tok: Token, linked) -> tuple[Actor, Actor] | None:
    """Two actors named together: "Russia and China", headed by the first."""
    if tok.dep_ == "conj":
        return None
    first = _entity_of(tok, linked)
    if not first:
        return None
    for conj in tok.conjuncts:
        second = _entity_of(conj, linked)
        if second and second.entity_id != first.entity_id:
            return first, second
    return None


def _subject_tokens(tok: Token) -> tuple[Token | None, Token | None, Token | None]:
    """(subject, clause verb, the clause's top) of the clause that holds a relation word: the top is where
    the subject attaches ("are" in "they are unlikely to become allies")."""
    head = tok
    if tok.dep_ in ("compound", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
        head = tok.head  # "partnership deal", "armed alliance"
    if head.dep_ in ("attr", "acomp", "oprd") or head.dep_ == "dobj" and head.head.lemma_ in MAKERS:
        verb = head.head  # "are allies", "are still allied", "made an alliance"
    elif tok.pos_ == "VERB":
        verb = tok
    elif head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.lemma_ in COPULAS:
        verb = head.head.head  # "they are in an alliance"
    else:
        return None, None, None
    node = verb
    for _ in range(3):  # "are unlikely to become allies": the subject sits on the copula above
        for child in node.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child, verb, node
        if node.dep_ == "relcl" and node.head.pos_ in ("NOUN", "PROPN"):
            return node.head, verb, node  # "the group that attacked X"
        if node.dep_ not in ("xcomp", "acomp", "conj") or node.head is node:
            break
        node = node.head
    return None, verb, None


def _object_of(tok: Token, verb: Token, linked) -> Actor | None:
    places = [tok] + ([verb] if verb is not tok else [])
    if tok.dep_ in ("compound", "amod"):
        places.append(tok.head)
    for place in places:
        for child in place.children:
            if child.dep_ == "dobj" and tok.pos_ == "VERB":
                if actor := _entity_of(child, linked):
                    return actor
            if child.dep_ == "prep" and child.lower_ in OBJECT_PREPS:
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and (actor := _entity_of(pobj, linked)):
                        return actor
    return None


def _subjects(subj: Token, linked, recent, vocab: Vocabulary, sentence: int) -> tuple[list[Actor], bool]:
    """The actors a subject names (one, or a conjoined pair), and whether a pronoun stood for them."""
    actors = [a for a in (_entity_of(t, linked) for t in [subj, *subj.conjuncts]) if a]
    if actors:
        return list({a.entity_id: a for a in actors}.values()), False
    reach = PAIR_REACH if subj.lower_ in PRONOUNS else GROUP_REACH if subj.lower_ in vocab.group_nouns else -1
    if recent and sentence - recent[0] <= reach:
        return [recent[1], recent[2]], True
    return [], False


def _names_a_pair(tok: Token, vocab: Vocabulary) -> bool:
    """ "the two countries", "both nations": a group noun counted as two."""
    return tok.lower_ in vocab.group_nouns and any(c.lower_ in ("two", "both") for c in tok.children)


def _claims(tok, relation, sent, analysis, linked, quotes, vocab, recent, sentence_of) -> Iterator[Claim]:
    subj, verb, top = _subject_tokens(tok)
    if subj is None:
        return
    subjects, via_pronoun = _subjects(subj, linked, recent, vocab, sentence_of[subj.i])
    if not subjects:
        return
    obj = _object_of(tok, verb, linked)
    if obj is None and relation in vocab.symmetric and len(subjects) >= 2:
        pairs = [(subjects[0], subjects[1])]
    elif obj is not None:
        pairs = [(s, obj) for s in subjects if s.entity_id != obj.entity_id]
    else:
        return  # a relation needs two actors: "they reject liberal values" names one
    polarity, cue = _polarity(tok, verb, vocab)
    mood, mood_cue = _modality(verb, vocab)
    quote = _quote_at(tok.idx, quotes)
    if mood == "asserted" and quote is not None:
        mood = "reported"
    start, end = _clause(top, sent, tok)
    text = analysis.document.text
    for subject, object_ in pairs:
        if via_pronoun:
            subject_span = (subj.idx, subj.idx + len(subj.text), subj.text)
        else:
            subject_span = (subject.start, subject.end, subject.text)
        shape = "pronoun" if via_pronoun else "both"
        yield Claim(
            doc_id=analysis.document.id, relation=relation, polarity=polarity, modality=mood,
            start=start, end=end, text=text[start:end],
            trigger_start=tok.idx, trigger_end=tok.idx + len(tok.text), trigger_text=tok.text,
            subject_start=subject_span[0], subject_end=subject_span[1], subject_text=subject_span[2],
            subject_entity_id=subject.entity_id,
            object_start=object_.start if object_ else None, object_end=object_.end if object_ else None,
            object_text=object_.text if object_ else None, object_entity_id=object_.entity_id if object_ else None,
            holder_kind="speaker" if quote else "author",
            holder_start=quote.speaker_start if quote else None, holder_end=quote.speaker_end if quote else None,
            holder_text=quote.speaker_text if quote else None, holder_entity_id=quote.speaker_entity_id if quote else None,
            cue_text=cue or mood_cue, confidence=CONFIDENCE[shape], method=METHOD,
        )


def _polarity(tok: Token, verb: Token, vocab: Vocabulary) -> tuple[str, str | None]:
    for t in (tok, tok.head if tok.dep_ in ("compound", "amod") else tok):
        for child in t.children:
            if child.dep_ == "det" and child.lower_ in ("no", "neither"):
                return "denied", child.text
    for child in verb.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "not", "n't"):
            return "denied", child.text
    # a denial frame above the clause: "there is no proof that ...", "it is not true that ..."
    node = verb
    for _ in range(4):  # the governors above the clause, and the two words before each
        if node.head is node:
            break
        node = node.head
        phrase = " ".join(t.lower_ for t in node.doc[max(node.i - 2, 0) : node.i + 1])
        for denial in vocab.denials:
            if denial in phrase:
                return "denied", denial
        if node.lemma_.lower() in ("deny", "dispute") and node.pos_ == "VERB":
            return "denied", node.text
    return "affirmed", None


def _modality(verb: Token, vocab: Vocabulary) -> tuple[str, str | None]:
    node, hops = verb, 0
    while True:
        for child in node.children:
            if child.dep_ == "mark" and child.lower_ in ("if", "unless"):
                return "hypothetical", child.text
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in child.children):
                return "hypothetical", next(m.text for m in child.children if m.dep_ == "mark")
            if child.dep_ == "aux" and child.lower_ in ("will", "shall", "'ll"):
                return "future", child.text
            if child.dep_ in ("aux", "advmod") and child.lower_ in vocab.hedges:
                return "hedged", child.text
        if node.lower_ in vocab.hedges or node.lemma_.lower() in vocab.hedges:
            return "hedged", node.text
        if node.dep_ not in ("xcomp", "acomp", "ccomp", "conj", "attr") or node.head is node or hops >= 3:
            return "asserted", None
        node, hops = node.head, hops + 1


def _quote_at(pos: int, quotes: list[Quote]) -> Quote | None:
    for q in quotes:
        if q.content_start <= pos < q.content_end:
            return q
        if q.content_start > pos:
            break
    return None


def _clause(verb: Token, sent: Span, trigger: Token) -> tuple[int, int]:
    """The characters of the clause that states the claim, within its sentence: a coordinated clause
    after it ("..., but Putin said ...") and a reason or concession ("as both sides view ...") are not
    part of it; a condition ("if ...") is."""
    cut: set[int] = set()
    for child in verb.children:
        if child.i < trigger.i:
            continue
        conditional = any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in child.children)
        if child.dep_ in ("conj", "cc") or child.dep_ == "advcl" and not conditional:
            cut.update(t.i for t in child.subtree)
    kept = sorted(t.i for t in verb.subtree if sent.start <= t.i < sent.end and t.i not in cut)
    lo = hi = trigger.i if trigger.i in kept else kept[0]
    members = set(kept)
    while lo - 1 in members:  # the unbroken run of the clause's words around the trigger
        lo -= 1
    while hi + 1 in members:
        hi += 1
    doc = trigger.doc
    while hi > lo and (doc[hi].is_space or doc[hi].is_punct and doc[hi].text not in "\u201d\"'"):
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def contradictions(claims: list[Claim], text: str) -> Iterator[Signal]:
    """One holder affirming and denying one relation between the same actors: a self-contradiction."""
    groups: dict[tuple, list[Claim]] = {}
    for c in claims:
        if c.modality in ("hedged", "hypothetical", "future"):
            continue
        who = (c.holder_kind, c.holder_entity_id or c.holder_text)
        pair = frozenset({c.subject_entity_id, c.object_entity_id} - {None})
        groups.setdefault((who, c.relation, pair), []).append(c)
    for (who, relation, pair), group in groups.items():
        yes = [c for c in group if c.polarity == "affirmed"]
        no = [c for c in group if c.polarity == "denied"]
        if yes and no and len(pair) == 2:
            a, d = yes[0], no[0]
            holder = "the author" if who[0] == "author" else (a.holder_text or "one speaker")
            names = " and ".join(sorted({a.subject_text, a.object_text or ""} - {""}))
            yield Signal(
                doc_id=a.doc_id, kind="self-contradiction", start=min(a.start, d.start), end=max(a.end, d.end),
                detail=f"{holder} both affirms and denies the relation {relation!r} ({names}): "
                f"“{text[a.start:a.end]}” / “{text[d.start:d.end]}”"[:600],
                evidence=(a.start, a.end, d.start, d.end), score=1.0, method=METHOD,
            )
