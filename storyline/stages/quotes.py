"""Who said what: direct, indirect and mixed quotes with their cue and speaker.

Direct quotes come from the quotation-mark scanner (:mod:`.quotemarks`) and
find their cue verb next to the marks (``“...,” she said``, ``He said: “...”``);
a quote without a cue continues the cue just before it (split quotes) or
inherits the speaker of the attribution just before it in the same paragraph,
with a lower confidence. Indirect speech comes from the dependency parse: the
clausal complement of a cue verb (``X said that ...``, ``..., X said.``), the
to-infinitive of a belief verb (``X wants to ...``), the that-clause of a cue
noun (``X's claim that ...``) and ``according to X``. A quoted fragment inside
indirect content makes it ``mixed``. The speaker mention is resolved to an
entity through the actors stage when it is present, through pronouns and role
nouns to the nearest compatible earlier person, or left None.
"""

from __future__ import annotations

import functools
import importlib
import json
from ..data import load_json
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from ..records import Analysis, Quote
from . import quote_model
from .quotemarks import QuoteSpan, scan

NAME = "quotes"
VERSION = "1"
REQUIRES: tuple[str, ...] = ("sentences", "mentions", "entities")
ASSIGNS: tuple[str, ...] = ("quotes",)

SUBJECTS = ("nsubj", "nsubjpass")
RELATIVE = {"who", "which", "that", "whom"}
# Between a cue verb and the opening mark only these may stand (said on Monday, told reporters:).
BRIDGE_DEPS = {"punct", "advmod", "npadvmod", "prep", "pobj", "det", "dative", "dobj", "compound", "amod", "nummod", "poss", "case", "cc", "pcomp"}
SENTENCE_END = {".", "!", "?"}
WINDOW = 8
# A learned attribution without a speaker must score at least this.
NO_SPEAKER_MIN = 0.8
# Speech verbs whose to-infinitive is what was said (promised to ..., urged them to ...).
TO_SPEECH = {"promise", "pledge", "vow", "threaten", "urge", "ask", "tell", "warn", "demand", "propose", "claim", "advise", "agree"}
# Verbs whose subject owns a cue noun they take as object (made the claim that ...).
OWNING = {"make", "issue", "give", "express", "repeat", "reiterate", "deliver", "voice", "release", "publish", "post", "announce", "have", "share", "reject", "deny"}


class Lexicon(NamedTuple):
    speech: frozenset[str]
    belief: frozenset[str]
    nouns: frozenset[str]
    female: frozenset[str]
    male: frozenset[str]
    roles: frozenset[str]


class Candidate(NamedTuple):
    kind: str
    start: int
    end: int
    cue: tuple[int, int] | None  # token index range [i, j)
    speaker: tuple[int, int] | None  # character span of the speaker mention
    speaker_token: int | None
    confidence: float


@functools.cache
def lexicon() -> Lexicon:
    raw = load_json("quote_cues.json")
    roles = raw["speaker_roles"]
    return Lexicon(
        speech=frozenset(raw["speech_verbs"]),
        belief=frozenset(raw["belief_verbs"]),
        nouns=frozenset(raw["nouns"]),
        female=frozenset(roles["female"]),
        male=frozenset(roles["male"]),
        roles=frozenset(roles["any"]) | frozenset(roles["female"]) | frozenset(roles["male"]),
    )


@functools.cache
def _actors():
    """The actors stage module when it is installed, else None."""
    try:
        return importlib.import_module("storyline.stages.actors")
    except ImportError:
        return None


def run(doc: Doc, analysis: Analysis) -> None:
    found = extract(doc, analysis)
    analysis.quotes.extend(found)


def extract(doc: Doc, analysis: Analysis) -> list[Quote]:
    """Every quote in ``doc``, in text order."""
    lex = lexicon()
    marks = [m for m in scan(doc.text) if m.depth == 0 and m.end - m.start > 2]
    indirect = _learned(doc, marks)
    direct, mixed_cues, used_cues = _direct(doc, lex, marks, indirect)
    kept = []
    for cand in indirect:
        if cand.cue and cand.cue[0] in used_cues:
            continue
        if _overlaps_direct(doc, cand, direct):
            continue
        if cand.cue and cand.cue[0] in mixed_cues:
            cand = cand._replace(kind="mixed", end=max(cand.end, mixed_cues[cand.cue[0]]))
        kept.append(cand)
    cands = sorted(direct + kept, key=lambda c: (c.start, c.end))
    return _records(doc, analysis, lex, _dedupe(cands), direct)


# ---------------------------------------------------------------- indirect speech


def _learned(doc: Doc, marks: list[QuoteSpan]) -> list[Candidate]:
    """Attributions the learned scorer keeps: each cue with its best content."""
    out = []
    kept: list[tuple[int, int]] = []
    for p, opt in sorted(quote_model.scored(doc, [(m.start, m.end) for m in marks]), key=lambda x: -x[0]):
        i, j = opt.span
        if any(_same_content((i, j), k) for k in kept):
            continue  # one content, two cue words (made the observation): keep the likelier
        kept.append((i, j))
        tok = doc[opt.speaker] if opt.speaker is not None else None
        speaker = _speaker_span(doc, tok) if tok is not None else None
        if speaker is None and p < NO_SPEAKER_MIN:
            continue
        out.append(Candidate("indirect", doc[i].idx, _end(doc[j - 1]), opt.cue, speaker, opt.speaker if speaker else None, p))
    return sorted(out, key=lambda c: c.start)


def _same_content(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= 0.8 * (a[1] - a[0]) and shared >= 0.8 * (b[1] - b[0])


def _indirect(doc: Doc, lex: Lexicon) -> list[Candidate]:
    out: list[Candidate] = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        cand = None
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            cand = _according(doc, tok)
        elif tok.pos_ in ("VERB", "AUX") and (lemma in lex.speech or lemma in lex.belief):
            cand = _verb_content(doc, tok, lemma in lex.speech)
        elif tok.pos_ == "NOUN" and lemma in lex.nouns:
            cand = _noun_content(doc, tok)
        if cand is not None:
            out.append(cand)
    return out


def _verb_content(doc: Doc, verb: Token, speech: bool) -> Candidate | None:
    content = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if content is None and (not speech or verb.lemma_.lower() in TO_SPEECH):
        content = next((c for c in verb.children if c.dep_ == "xcomp" and any(a.dep_ == "aux" for a in c.children)), None)
    if content is not None:
        span = _trimmed(doc, list(content.subtree))
    elif speech and (trailing := _trailing(doc, verb)) is not None:
        return trailing
    elif verb.dep_ == "parataxis" and verb.head.i < verb.i and _subject(verb) is not None and speech:
        # "..., officials said." parsed with the reported clause as the root
        inner = {t.i for t in verb.subtree}
        span = _trimmed(doc, [t for t in verb.head.subtree if t.i not in inner and t.i < verb.i])
    else:
        return None
    if span is None or span[1] - span[0] < 2:
        return None
    subject = _subject(verb)
    speaker = _speaker_span(doc, subject) if subject is not None else None
    conf = 0.75 if speaker else 0.5
    return Candidate("indirect", doc[span[0]].idx, _end(doc[span[1] - 1]), (verb.i, verb.i + 1), speaker, subject.i if subject is not None else None, conf)


NP_POS = {"PROPN", "NOUN", "DET", "ADJ", "CCONJ", "PRON", "NUM", "PART"}


def _trailing(doc: Doc, verb: Token) -> Candidate | None:
    """``<clause>, lawyer Dimitri Lascarus told Sputnik.``: the surface pattern when the parse fails."""
    if any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return None
    j = verb.i - 1
    while j >= 0 and verb.i - j <= 8 and doc[j].pos_ in NP_POS and doc[j].text not in (",", "\n"):
        j -= 1
    if j < 1 or j == verb.i - 1 or doc[j].text != ",":
        return None
    np = doc[j + 1 : verb.i]
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in np):
        return None
    k = j - 1
    while k > 0 and doc[k - 1].text.rstrip("\"\u201d\u2019")[-1:] not in SENTENCE_END and "\n" not in doc[k - 1].text:
        k -= 1
    span = _trimmed(doc, list(doc[k:j]))
    if span is None or span[1] - span[0] < 4:
        return None
    head = np[-1]
    return Candidate("indirect", doc[span[0]].idx, _end(doc[span[1] - 1]), (verb.i, verb.i + 1), (np[0].idx, _end(head)), head.i, 0.6)


def _noun_content(doc: Doc, noun: Token) -> Candidate | None:
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and _starts_clause(c)), None)
    if clause is None:
        return None
    span = _trimmed(doc, list(clause.subtree))
    if span is None or span[1] - span[0] < 3:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None and noun.dep_ in ("dobj", "attr") and noun.head.lemma_.lower() in OWNING:
        owner = _subject(noun.head)
    speaker = _speaker_span(doc, owner) if owner is not None else None
    return Candidate("indirect", doc[span[0]].idx, _end(doc[span[1] - 1]), (noun.i, noun.i + 1), speaker, owner.i if owner is not None else None, 0.6 if speaker else 0.45)


def _starts_clause(tok: Token) -> bool:
    first = next(tok.subtree)
    return first.lower_ in ("that", "to") or any(c.dep_ in ("mark", "aux") and c.lower_ in ("that", "to") for c in tok.children)


def _according(doc: Doc, according: Token) -> Candidate | None:
    to = doc[according.i + 1]
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        obj = next((c for c in according.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    sent = according.sent
    phrase = {t.i for t in according.subtree} | {t.i for t in to.subtree} | {according.i, to.i}
    rest = [t for t in sent if t.i not in phrase]
    span = _trimmed(doc, rest)
    if span is None or span[1] - span[0] < 3:
        return None
    sub = list(obj.subtree)
    speaker = (sub[0].idx, _end(sub[-1]))
    return Candidate("indirect", doc[span[0]].idx, _end(doc[span[1] - 1]), (according.i, to.i + 1), speaker, obj.i, 0.7)


def _subject(verb: Token) -> Token | None:
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        if subj is not None:
            return subj
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            verb = verb.head
        else:
            return None
    return None


def _trimmed(doc: Doc, tokens: list[Token]) -> tuple[int, int] | None:
    """Token range [i, j) covering ``tokens`` without edge punctuation and spaces."""
    toks = sorted(t.i for t in tokens)
    if not toks:
        return None
    i, j = toks[0], toks[-1] + 1
    while i < j and (doc[i].is_punct and not _is_mark(doc[i]) or doc[i].is_space or doc[i].lower_ in ("and", "but")):
        i += 1
    while j > i and (doc[j - 1].is_punct and not _is_mark(doc[j - 1]) or doc[j - 1].is_space):
        j -= 1
    return (i, j) if j > i else None


def _is_mark(tok: Token) -> bool:
    text = tok.text
    return len(text) <= 2 and any(ch in "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e" for ch in text) and not any(ch.isalnum() for ch in text)


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


# ---------------------------------------------------------------- direct quotes


def _direct(doc: Doc, lex: Lexicon, marks: list[QuoteSpan], indirect: list[Candidate]):
    """Direct candidates, the cues made mixed by a fragment, and the cues direct quotes took."""
    out: list[Candidate] = []
    mixed: dict[int, int] = {}
    used: set[int] = set()
    last: Candidate | None = None  # the attribution just before, for continuations
    last_cue_end = -1
    attributions = sorted(indirect, key=lambda c: c.start)
    for k, mark in enumerate(marks):
        lo = marks[k - 1].end if k else 0
        hi = marks[k + 1].start if k + 1 < len(marks) else len(doc.text)
        span = doc.char_span(mark.start, mark.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        host = _host(doc, mark, span, indirect)
        words = sum(1 for t in span if t.is_alpha)
        if host is not None:
            mixed[host.cue[0]] = max(mixed.get(host.cue[0], 0), mark.end)
            continue
        cue, subject, cue_end, side = _find_cue(doc, lex, mark, span, lo, hi)
        conf = 0.9 if mark.closed else 0.6
        if cue is not None:
            speaker = _speaker_span(doc, subject) if subject is not None else None
            kind, start = "direct", mark.start
            if side == "before" and doc.text[: mark.start].rstrip()[-1:] not in ",:\u2014-" and words < 8:
                # a fragment as an object: described Clinton as “a lifetime politician”
                kind, start = "mixed", doc[cue[1]].idx if cue[1] < len(doc) else mark.start
                start = min(start, mark.start)
            cand = Candidate(kind, start, mark.end, cue, speaker, subject.i if subject is not None else None, conf if speaker else conf - 0.2)
            used.add(cue[0])
            last, last_cue_end = cand, cue_end
            out.append(cand)
            continue
        between = doc.text[last_cue_end : mark.start] if last is not None and last_cue_end <= mark.start else "."
        if last is not None and last.cue and not between.strip(" \t\r\n.,;:\u2014-"):
            # the second half of a split quote: “...,” she said, “...” (or she said. “...”)
            cand = Candidate("direct", mark.start, mark.end, last.cue, last.speaker, last.speaker_token, conf - 0.05)
            out.append(cand)
            last, last_cue_end = cand, mark.end
            continue
        if words < 4 or not _starts_sentence(doc.text, mark.start):
            continue  # a scare quote, a title or a fragment, not speech
        prev = _previous(last, attributions, mark.start)
        if prev is not None and prev.speaker and _same_paragraph(doc.text, max(prev.end, last_cue_end if prev is last else prev.end), mark.start):
            # a quote after an attribution in the same paragraph: same speaker, no cue of its own
            cand = Candidate("direct", mark.start, mark.end, None, prev.speaker, prev.speaker_token, conf - 0.3)
        else:
            cand = Candidate("direct", mark.start, mark.end, None, None, None, 0.3 if mark.closed else 0.2)
        out.append(cand)
        last, last_cue_end = cand, mark.end
    return out, mixed, used


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 80) : start].rstrip()
    return not before or before[-1] in ".!?:\n\"\u201d\u2019\u00bb" or "\n" in text[start - (len(text[:start]) - len(text[:start].rstrip())) - 1 : start]


def _previous(last: Candidate | None, attributions: list[Candidate], start: int) -> Candidate | None:
    before = [c for c in attributions if c.end <= start and c.speaker]
    best = before[-1] if before else None
    if last is not None and (best is None or last.end >= best.end):
        return last
    return best


def _same_paragraph(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return "\n" not in gap.strip() and len(gap) < 400 and gap.count("\n") <= 2


def _host(doc: Doc, mark: QuoteSpan, span: Span, indirect: list[Candidate]) -> Candidate | None:
    """The indirect attribution whose content holds this quoted fragment, if any."""
    for cand in indirect:
        if cand.cue is None or not (cand.start < mark.start < cand.end):
            continue
        if mark.start <= doc[cand.cue[0]].idx < mark.end or doc.text[: mark.start].rstrip()[-1:] == ":":
            continue
        lead = doc.char_span(cand.start, mark.start, alignment_mode="expand")
        if lead is not None and any(not t.is_punct and not t.is_space for t in lead if t.idx < mark.start):
            return cand
    return None


def _find_cue(doc: Doc, lex: Lexicon, mark: QuoteSpan, span: Span, lo: int, hi: int):
    """(cue token range, speaker token, end offset of the cue clause) next to a quote, or Nones."""
    inner_end = doc.text[: mark.inner[1]].rstrip()
    trailing = inner_end[-1:] if inner_end else ""
    open_end = trailing in (",", "?", "!", "\u2014", "-")
    after = _cue_after(doc, lex, span, hi, open_end)
    before = _cue_before(doc, lex, span, lo)
    order = ((after, "after"), (before, "before")) if open_end else ((before, "before"), (after, "after"))
    for found, side in order:
        if found is not None:
            return (*found, side)
    return None, None, -1, None


def _cue_after(doc: Doc, lex: Lexicon, span: Span, hi: int, open_end: bool):
    i = span.end
    stop = min(len(doc), i + (2 * WINDOW if open_end else WINDOW))
    for j in range(i, stop):
        tok = doc[j]
        if tok.text in SENTENCE_END or tok.idx >= hi or "\n" in tok.text:
            break
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lex.speech | lex.belief:
            if any(c.dep_ in ("ccomp", "xcomp") and c.i > tok.i and c.idx < hi for c in tok.children):
                return None  # "..." X argued that ...: the verb has its own content
            subj = _subject(tok) or _inverted_subject(doc, tok, i, stop)
            return (tok.i, tok.i + 1), subj, min(_clause_end(doc, tok.i), hi)
        if tok.pos_ in ("SCONJ", "VERB", "AUX") or tok.dep_ in ("mark", "relcl") or (tok.pos_ == "ADP" and not open_end):
            break
        if tok.lower_ == "according" and j + 1 < len(doc) and doc[j + 1].lower_ == "to":
            obj = next((c for c in doc[j + 1].children if c.dep_ == "pobj"), None)
            return (j, j + 2), obj, min(_clause_end(doc, j), hi)
    return None


def _cue_before(doc: Doc, lex: Lexicon, span: Span, lo_char: int):
    i = span.start - 1
    lo = max(0, i - 2 * WINDOW)
    bridge: list[Token] = []
    while i >= lo:
        tok = doc[i]
        if tok.text in SENTENCE_END or _end(tok) <= lo_char:
            return None
        if "\n" in tok.text and not (i > 0 and doc[i - 1].text == ":"):
            return None
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lex.speech | lex.belief:
            if all(b.dep_ in BRIDGE_DEPS or b.is_space for b in bridge) and len(bridge) <= WINDOW:
                return (tok.i, tok.i + 1), _subject(tok), span.end_char
            return None
        if tok.lower_ == "to" and i > 0 and doc[i - 1].lower_ == "according":
            obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            return (i - 1, i + 1), obj, span.end_char
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ in ("mark", "nsubj", "expl", "relcl"):
            if not (tok.is_space or tok.dep_ in BRIDGE_DEPS):
                return None
        bridge.append(tok)
        i -= 1
    return None


def _inverted_subject(doc: Doc, verb: Token, lo: int, hi: int) -> Token | None:
    """The speaker in ``“...,” said the minister``: a noun right after the verb."""
    for j in range(verb.i + 1, min(hi + 4, len(doc))):
        tok = doc[j]
        if tok.pos_ in ("PROPN", "NOUN", "PRON"):
            while tok.dep_ == "compound" and tok.head.i > tok.i:
                tok = tok.head
            return tok
        if tok.is_punct:
            return None
    return None


def _clause_end(doc: Doc, i: int) -> int:
    for tok in doc[i:]:
        if tok.text in SENTENCE_END or _is_mark(tok) or "\n" in tok.text:
            return tok.idx
    return len(doc.text)


def _overlaps_direct(doc: Doc, cand: Candidate, direct: list[Candidate]) -> bool:
    """Indirect content that is really a direct quote's (its cue outside the marks)."""
    for d in direct:
        lo, hi = max(cand.start, d.start), min(cand.end, d.end)
        if hi <= lo:
            continue
        cue_inside = cand.cue is not None and d.start <= doc[cand.cue[0]].idx < d.end
        if cue_inside and d.start <= cand.start and cand.end <= d.end:
            return True  # a nested attribution within a quote ("I think ..."): part of the quote
        if hi - lo >= 0.5 * (cand.end - cand.start):
            return True
    return False


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    for c in cands:
        if (c.start, c.end) in seen:
            continue
        seen.add((c.start, c.end))
        out.append(c)
    return out


# ---------------------------------------------------------------- speakers


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
    ent = tok.ent_type_ and next((e for e in doc.ents if e.start <= tok.i < e.end), None)
    if ent:
        left = min(left, doc[ent.start], key=lambda t: t.i)
        end = max(end, doc[ent.end - 1], key=lambda t: t.i)
    return left.idx, _end(end)


def _records(doc: Doc, analysis: Analysis, lex: Lexicon, cands: list[Candidate], direct: list[Candidate]) -> list[Quote]:
    text = doc.text
    doc_id = analysis.document.id
    resolver = Resolver(doc, analysis, lex)
    out: list[Quote] = []
    for c in cands:
        cue = doc[c.cue[0] : c.cue[1]] if c.cue else None
        sp = c.speaker
        entity = resolver.resolve(sp, c.speaker_token, c.start, c.end) if sp else None
        if entity is None and sp and _inside_direct(c, direct):
            entity = resolver.outer_speaker(c, direct) if doc[c.speaker_token].lower_ in ("i", "we", "me") else None
        out.append(
            Quote(
                doc_id=doc_id,
                kind=c.kind,
                content_start=c.start,
                content_end=c.end,
                content_text=text[c.start : c.end],
                cue_start=cue.start_char if cue is not None else None,
                cue_end=cue.end_char if cue is not None else None,
                cue_text=cue.text if cue is not None else None,
                speaker_start=sp[0] if sp else None,
                speaker_end=sp[1] if sp else None,
                speaker_text=text[sp[0] : sp[1]] if sp else None,
                speaker_entity_id=entity,
                confidence=round(c.confidence, 2),
                method=f"{NAME}/{VERSION}",
            )
        )
        if entity is not None:
            resolver.spoke(entity)
    return out


def _inside_direct(c: Candidate, direct: list[Candidate]) -> bool:
    return c.kind != "direct" and any(d.start <= c.start and c.end <= d.end for d in direct)


class Resolver:
    """Resolve a speaker mention to an entity id: mention, pronoun, role noun, or None."""

    def __init__(self, doc: Doc, analysis: Analysis, lex: Lexicon):
        self.doc = doc
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

    @functools.cache  # noqa: B019 - one resolver per document
    def _gender_from_text(self, entity_id: str) -> str | None:
        text = self.doc.text
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
