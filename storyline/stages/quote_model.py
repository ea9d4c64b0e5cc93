"""Learned attributions: candidate cues, candidate content boundaries, a logistic scorer.

Every token that may cue an attribution (a reporting or belief verb, a cue
noun, ``according to``, a colon after a name) offers a few candidate contents
(its clausal complement, its object, the clause before it, the rest of the
sentence, ...). A logistic model (weights in ``data/quote_model.json``,
trained by ``scripts/train_quotes.py`` on the PolNeAR train split) scores each
(cue, content) pair from lexical and syntactic features; a cue keeps its best
content when that scores above the model's threshold. Pure functions of the
spaCy ``Doc``; scoring is a sum of weights, no learning library at run time.
"""

from __future__ import annotations

import functools
import math
import zlib
from typing import NamedTuple

from spacy.tokens import Doc, Token

from ..data import load_json

SUBJECTS = ("nsubj", "nsubjpass")
OBJECT_PREPS = {"about", "on", "for", "of", "as", "to", "against", "with", "over", "into", "from", "at", "in", "by"}
LEFT_DEPS = {"ccomp", "parataxis", "advcl", "conj"}
MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
CUTS = {"\u2014", "\u2013", "--", ";", "("}
DASHES = {"\u2015", "\u2014", "--"}
FUNCTION_WORDS = {"that", "to", "the", "a", "if", "whether", "how", "what", "why", "he", "she", "it", "they", "we", "i", "there", "this", "his", "her", "their", "for", "about", "on", "as", "not"}


BUCKETS = 1 << 15  # features are hashed into this many weights


class Option(NamedTuple):
    """One candidate attribution: cue and content as token ranges [i, j), the speaker token."""

    cue: tuple[int, int]
    span: tuple[int, int]
    kind: str
    speaker: int | None


@functools.cache
def model() -> dict:
    raw = load_json("quote_model.json")
    raw["cues"] = frozenset(raw["cues"])
    return raw


def bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)


def probability(weights: list[float], bias: float, feats: list[str]) -> float:
    z = bias + sum(weights[bucket(f)] for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def cue_tokens(doc: Doc, lemmas: frozenset[str]) -> list[tuple[int, int]]:
    """Token ranges that may cue an attribution."""
    out = []
    n = len(doc)
    for tok in doc:
        low = tok.lower_
        if low == "according" and tok.i + 1 < n and doc[tok.i + 1].lower_ == "to":
            out.append((tok.i, tok.i + 2))
        elif tok.pos_ in ("VERB", "AUX", "NOUN", "ADJ") and tok.dep_ not in ("aux", "auxpass") and tok.lemma_.lower() in lemmas:
            out.append((tok.i, tok.i + 1))
        elif low == ":" and _colon_cue(doc, tok):
            out.append((tok.i, tok.i + 1))
        elif low in DASHES and tok.i + 1 < n and doc[tok.i + 1].pos_ == "PROPN" and tok.i > 0:
            out.append((tok.i, tok.i + 1))
    return out


def _colon_cue(doc: Doc, colon: Token) -> bool:
    """``Name: ...`` or ``Name said: ...``: a colon after a noun phrase, with words after it."""
    if colon.i == 0 or colon.i + 2 >= len(doc):
        return False
    prev = doc[colon.i - 1]
    if prev.pos_ not in ("PROPN", "NOUN", "PRON") or doc[colon.i + 1].is_space:
        return False
    j = colon.i - 1
    while j > 0 and "\n" not in doc[j - 1].text and "\n" not in doc[j - 1].whitespace_ and doc[j - 1].text not in (".", "?", "!"):
        j -= 1
        if doc[j].pos_ in ("VERB", "AUX"):
            return False  # told reporters: ... (the verb is the cue)
    return True


def options(doc: Doc, cue: tuple[int, int]) -> list[Option]:
    """The candidate contents of one cue, without duplicates."""
    tok = doc[cue[0]]
    sent = tok.sent
    s0, s1 = sent.start, sent.end
    low = "according to" if cue[1] - cue[0] == 2 else tok.lower_
    speaker = _speaker(doc, tok, cue)
    found: list[tuple[str, list[int] | tuple[int, int]]] = []
    if low == "according to" or low == ":" or low in DASHES:
        if low == "according to":
            phrase = {t.i for t in tok.subtree} | {t.i for t in doc[cue[0] + 1].subtree} | set(range(*cue))
            found.append(("rest", _longest_run([t.i for t in sent if t.i not in phrase])))
        elif low == ":":
            found.append(("colon_sent", (cue[1], s1)))
            found.append(("colon_par", (cue[1], _paragraph_end(doc, cue[1]))))
        else:
            found.append(("dash_left", (_paragraph_start(doc, cue[0]), cue[0])))
    else:
        for child in tok.children:
            dep = child.dep_
            if dep in ("ccomp", "xcomp", "dobj", "attr", "oprd", "acl", "relcl", "advcl", "pobj", "nsubjpass"):
                if dep in ("relcl", "advcl") and child.i < tok.i:
                    continue
                found.append((dep, [t.i for t in child.subtree]))
            elif dep == "prep" and child.lower_ in OBJECT_PREPS and child.i > tok.i:
                objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objs:
                    found.append(("prep", [t.i for o in objs for t in o.subtree]))
        objs = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i]
        comps = [c for c in tok.children if c.dep_ in ("oprd", "attr", "ccomp", "xcomp") and c.i > tok.i]
        if objs and comps:
            found.append(("obj+comp", (objs[0].left_edge.i, comps[-1].right_edge.i + 1)))
        if cue[1] < s1:
            found.append(("right", (cue[1], s1)))
            after = max((c.right_edge.i + 1 for c in tok.children if c.dep_ in ("dative", "npadvmod", "dobj") and c.i > tok.i), default=None)
            if after is not None and after < s1:
                found.append(("right_obj", (after, s1)))
        left_end = min(cue[0], speaker if speaker is not None else cue[0])
        if speaker is not None:
            left_end = min(left_end, doc[speaker].left_edge.i)
        if left_end > s0:
            found.append(("left", (s0, left_end)))
            par0 = _paragraph_start(doc, cue[0])
            if par0 < s0:
                found.append(("left_par", (par0, left_end)))
        if tok.dep_ in LEFT_DEPS and tok.head.i < tok.i:
            inner = {t.i for t in tok.subtree}
            found.append(("head_left", [t.i for t in tok.head.subtree if t.i not in inner and t.i < tok.i]))
        if tok.pos_ == "NOUN" and tok.head.dep_ == "prep" and tok.head.head is not tok:
            prep = tok.head
            found.append(("rest", _longest_run([t.i for t in sent if t.i not in {x.i for x in prep.subtree}])))
    out: list[Option] = []
    seen = set()
    for kind, toks in found:
        rng = _trim(doc, toks if isinstance(toks, tuple) else (min(toks), max(toks) + 1) if toks else (0, 0))
        if rng is None or rng[0] < cue[1] <= rng[1] and rng[0] <= cue[0]:
            continue
        for k, r in ((kind, rng), (kind + "_cut", _cut(doc, rng)), (kind + "_conj", _cut_conj(doc, rng))):
            if r is not None and r not in seen:
                seen.add(r)
                out.append(Option(cue, r, k, speaker))
    return out


def _cut_conj(doc: Doc, rng: tuple[int, int]) -> tuple[int, int] | None:
    """The range up to a coordinated clause with its own subject (``..., and more than 4 in 10 said ...``)."""
    i, j = rng
    for k in range(i + 2, j - 1):
        t = doc[k]
        if t.dep_ == "cc" and t.head.i < k:
            conj = next((c for c in t.head.children if c.dep_ == "conj" and c.i > k), None)
            if conj is not None and conj.i < j and any(c.dep_ in SUBJECTS for c in conj.children):
                return _trim(doc, (i, k))
    return None


def _cut(doc: Doc, rng: tuple[int, int]) -> tuple[int, int] | None:
    """The range up to its first dash, semicolon, bracket or ``, who/which`` (an aside after the content)."""
    i, j = rng
    for k in range(i + 2, j):
        t = doc[k]
        if t.text in CUTS or t.text == "," and k + 1 < j and doc[k + 1].lower_ in ("who", "which", "where", "while", "but"):
            return _trim(doc, (i, k))
    return None


def _longest_run(idx: list[int]) -> tuple[int, int]:
    if not idx:
        return (0, 0)
    best = cur = (idx[0], idx[0] + 1)
    for i in idx[1:]:
        cur = (cur[0], i + 1) if i == cur[1] else (i, i + 1)
        if cur[1] - cur[0] > best[1] - best[0]:
            best = cur
    return best


def _paragraph_start(doc: Doc, i: int) -> int:
    j = i
    while j > 0 and "\n" not in doc[j - 1].text and "\n" not in doc[j - 1].whitespace_ and i - j < 120:
        j -= 1
    return j


def _paragraph_end(doc: Doc, i: int) -> int:
    j = i
    while j < len(doc) and "\n" not in doc[j].text and j - i < 120:
        if "\n" in doc[j].whitespace_:
            return j + 1
        j += 1
    return j


def _trim(doc: Doc, rng: tuple[int, int]) -> tuple[int, int] | None:
    i, j = rng
    while i < j and (doc[i].is_space or doc[i].is_punct and not _is_mark(doc[i]) or doc[i].lower_ in ("and", "but")):
        i += 1
    while j > i and (doc[j - 1].is_space or doc[j - 1].is_punct and not _is_mark(doc[j - 1])):
        j -= 1
    return (i, j) if j > i else None


def _is_mark(tok: Token) -> bool:
    return len(tok.text) <= 2 and any(ch in MARKS for ch in tok.text) and not any(ch.isalnum() for ch in tok.text)


def _speaker(doc: Doc, tok: Token, cue: tuple[int, int]) -> int | None:
    low = "according to" if cue[1] - cue[0] == 2 else tok.lower_
    if low == "according to":
        to = doc[cue[0] + 1]
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) or next((c for c in tok.children if c.dep_ == "pobj"), None)
        return obj.i if obj is not None else None
    if low == ":":
        return cue[0] - 1
    if low in DASHES:
        j = cue[1]
        while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].head.i == j + 1 or (j + 1 < len(doc) and doc[j].dep_ == "compound" and doc[j].head.i == j + 1):
            j += 1
        return j
    if tok.pos_ == "NOUN":
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None and tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
            owner = _subject(tok.head)
        if owner is None and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
            owner = _subject(tok.head.head)
        return owner.i if owner is not None else None
    subj = _subject(tok)
    if subj is None:
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            subj = next((c for c in agent.children if c.dep_ == "pobj"), None)
    if subj is None and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        subj = tok.head
    return subj.i if subj is not None else None


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


def _bucket(n: int) -> str:
    for b in (1, 2, 4, 8, 16, 32):
        if n <= b:
            return str(b)
    return "64"


def features(doc: Doc, opt: Option, n_options: int, in_quote: bool) -> list[str]:
    """Lexical and syntactic features of one (cue, content) pair."""
    tok = doc[opt.cue[0]]
    i, j = opt.span
    lemma = tok.lemma_.lower() if tok.lower_ not in (":",) and tok.lower_ not in DASHES else tok.lower_
    if opt.cue[1] - opt.cue[0] == 2:
        lemma = "according to"
    kind = opt.kind
    first, last = doc[i], doc[j - 1]
    spk = doc[opt.speaker] if opt.speaker is not None else None
    spos = _kind_of(spk) if spk is not None else "none"
    root = doc[i:j].root
    rel = root.dep_ if root.head.i == tok.i else "far"
    croot = root.pos_ + "|" + rel
    cent = _kind_of(root)
    cverb = any(t.pos_ in ("VERB", "AUX") for t in doc[i:j])
    length = _bucket(j - i)
    child_deps = sorted({c.dep_ for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj", "dative", "prep", "oprd", "attr", "neg", "agent", "nsubjpass")})
    fw = first.lower_ if first.lower_ in FUNCTION_WORDS else first.pos_
    before = "after" if i >= opt.cue[1] else "before"
    has_mark = any(_is_mark(t) for t in doc[i:j])
    starts_mark = _is_mark(first)
    ends_mark = _is_mark(last)
    feats = [
        "lem=" + lemma,
        "pos=" + tok.pos_,
        "tag=" + tok.tag_,
        "dep=" + tok.dep_,
        "hdep=" + tok.head.dep_,
        "opt=" + kind,
        "opt_lem=" + kind + "|" + lemma,
        "opt_dep=" + kind + "|" + tok.dep_,
        "opt_pos=" + kind + "|" + tok.pos_,
        "opt_len=" + kind + "|" + length,
        "len=" + length,
        "spk=" + spos,
        "opt_spk=" + kind + "|" + spos,
        "lem_spk=" + lemma + "|" + spos,
        "first=" + fw,
        "opt_first=" + kind + "|" + fw,
        "lem_first=" + lemma + "|" + fw,
        "side=" + before,
        "lem_side=" + lemma + "|" + before,
        "mark=%d%d%d" % (has_mark, starts_mark, ends_mark),
        "opt_mark=%s|%d%d%d" % (kind, has_mark, starts_mark, ends_mark),
        "inq=%d" % in_quote,
        "nopt=" + _bucket(n_options),
        "lastpos=" + last.pos_,
        "title=%d" % _title(tok.sent),
        "croot=" + croot,
        "opt_croot=" + kind + "|" + croot,
        "lem_croot=" + lemma + "|" + croot,
        "cent=" + cent,
        "lem_cent=" + lemma + "|" + cent,
        "cverb=%d|%s" % (cverb, kind),
        "lem_cverb=%s|%d" % (lemma, cverb),
        "spk_cent=" + spos + "|" + cent,
    ]
    for d in child_deps:
        feats.append("ch=" + d)
        feats.append("opt_ch=" + kind + "|" + d)
        feats.append("lem_ch=" + lemma + "|" + d)
    if tok.i > 0:
        prev = doc[tok.i - 1]
        feats.append("prev=" + (prev.lower_ if prev.is_punct or prev.lower_ in FUNCTION_WORDS else prev.pos_))
    if opt.cue[1] < len(doc):
        nxt = doc[opt.cue[1]]
        feats.append("next=" + (nxt.lower_ if nxt.is_punct or nxt.lower_ in FUNCTION_WORDS else nxt.pos_))
        feats.append("opt_next=" + kind + "|" + (nxt.lower_ if nxt.is_punct or nxt.lower_ in FUNCTION_WORDS else nxt.pos_))
    return feats


def _kind_of(tok: Token) -> str:
    """A coarse class of a word: its pronoun, entity type or part of speech."""
    if tok.pos_ == "PRON":
        return tok.lower_
    return tok.ent_type_ or tok.pos_


def _title(sent) -> bool:
    """A headline: most words capitalised."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.7 * len(words)


def in_quote_tokens(doc: Doc, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of tokens inside quotation marks (character spans of the marks)."""
    out: set[int] = set()
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start + 1, span.end - 1))
    return out


def scored(doc: Doc, quoted: list[tuple[int, int]]) -> list[tuple[float, Option]]:
    """Each cue's best content and its probability, for every cue above the model's threshold."""
    m = model()
    weights, bias, threshold = m["weights"], m["bias"], m["threshold"]
    inside = in_quote_tokens(doc, quoted)
    out = []
    for cue in cue_tokens(doc, m["cues"]):
        opts = options(doc, cue)
        if not opts:
            continue
        best = max(((probability(weights, bias, features(doc, o, len(opts), cue[0] in inside)), o) for o in opts), key=lambda x: x[0])
        if best[0] >= threshold:
            out.append(best)
    return out
