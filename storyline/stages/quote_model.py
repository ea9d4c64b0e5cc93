"""Learned attributions: candidate cues, candidate content boundaries, a ranker and a cue classifier.

Every token that may cue an attribution (a reporting or belief verb, a cue
noun, ``according to``, a colon after a name) offers a few candidate contents
(its clausal complement, its object, the clause before it, the rest of the
sentence, ...). A ranker picks the likeliest content from features of where
each candidate starts and stops; a cue classifier then gives the probability
that the cue with that content is an attribution, from features of the cue,
its speaker, the chosen content and the runner-up. Both are linear models over hashed
features in one weight vector (``data/quote_model.json.gz``, trained by
``scripts/train_quotes.py`` on the PolNeAR train split); a cue is kept when
the probability reaches the model's threshold. Pure functions of the spaCy
``Doc``; scoring is a sum of weights, no learning library at run time. In the
accurate mode the Doc also carries a language model's token probabilities
(:mod:`.quote_lm`); both models then read them as binned features too, from
``data/quote_model_lm.json.gz``, whose cue classifier is boosted trees over the same
features (walked in numpy: :func:`forest_scores`).
"""

from __future__ import annotations

import bisect
import functools
import math
import os
from pathlib import Path
from zlib import crc32
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from ..data import load_json, read_json

SUBJECTS = ("nsubj", "nsubjpass")
OBJECT_PREPS = {"about", "on", "for", "of", "as", "to", "against", "with", "over", "into", "from", "at", "in", "by"}
LEFT_DEPS = {"ccomp", "parataxis", "advcl", "conj"}
MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
CUTS = {"\u2014", "\u2013", "--", ";", "("}
DASHES = {"\u2015", "\u2014", "--"}
FUNCTION_WORDS = {"that", "to", "the", "a", "if", "whether", "how", "what", "why", "he", "she", "it", "they", "we", "i", "there", "this", "his", "her", "their", "for", "about", "on", "as", "not"}


BUCKETS = 1 << 22  # features are hashed into this many weights (few collide; only nonzero ones are stored)
MASK = BUCKETS - 1


class Option(NamedTuple):
    """One candidate attribution: cue and content as token ranges [i, j), the speaker token."""

    cue: tuple[int, int]
    span: tuple[int, int]
    kind: str
    speaker: int | None


class Lexicon(NamedTuple):
    speech: frozenset[str]
    belief: frozenset[str]
    nouns: frozenset[str]
    female: frozenset[str]
    male: frozenset[str]
    roles: frozenset[str]


@functools.cache
def lexicon() -> Lexicon:
    """The hand lexicon of quote_cues.json: cue verbs and nouns, and the role nouns that name a speaker."""
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


LM_KEY = "quote_lm"  # Doc.user_data key of the accurate mode's token probabilities (see quote_lm)
MODEL_ENV = "STORYLINE_QUOTE_MODEL"  # a path to a model file retrained by scripts/train_quotes.py


@functools.cache
def model(accurate: bool = False) -> dict:
    """The shipped model, or the file named by $STORYLINE_QUOTE_MODEL (read once per process).
    ``accurate``: the model whose features include the language model's token probabilities
    (:mod:`.quote_lm`), for documents that have them."""
    path = os.environ.get(MODEL_ENV)
    return loaded(read_json(Path(path)) if path else load_json("quote_model_lm.json.gz" if accurate else "quote_model.json.gz"))


def loaded(raw: dict) -> dict:
    """A model file's content as the stage uses it: cue keys as a set, nonzero weights by bucket."""
    out = {**raw, "cues": frozenset(raw["cues"]), "buckets": raw["weights"]["buckets"], "weights": unpack(raw["weights"])}
    if "forest" in raw:
        out["forest"] = forest(raw["forest"])
    return out


def pack(weights, scale: int = 100) -> dict:
    """Sparse weights for the JSON file: gaps between nonzero buckets and their values times ``scale``."""
    gaps, values, last = [], [], -1
    for i, w in enumerate(weights):
        v = round(float(w) * scale)
        if v:
            gaps.append(i - last)
            values.append(v)
            last = i
    return {"buckets": len(weights), "scale": scale, "gaps": gaps, "values": values}


def unpack(packed: dict) -> dict[int, float]:
    """The nonzero weights by bucket."""
    out = {}
    i = -1
    for gap, v in zip(packed["gaps"], packed["values"]):
        i += gap
        out[i] = v / packed["scale"]
    return out


def bucket(feature: str) -> int:
    return crc32(feature.encode()) & MASK


@functools.cache
def _weigher(accurate: bool = False):
    """feature name -> weight, memoised (feature names repeat across documents)."""
    m = model(accurate)
    weights = m["weights"]
    mask = m["buckets"] - 1  # the bucket count the model was trained with (a power of two)

    class Memo(dict):
        def __missing__(self, feature: str) -> float:
            if len(self) > 500_000:
                self.clear()
            w = self[feature] = weights.get(crc32(feature.encode()) & mask, 0.0)
            return w

    return Memo().__getitem__  # a dict lookup in C for every feature seen before


CUE_POS = {"VERB": "", "AUX": "", "NOUN": "/n", "ADJ": "/a"}


def cue_key(tok: Token) -> str | None:
    """The lexicon key of a word that may cue: its lemma, marked ``/n`` for nouns and ``/a`` for adjectives
    (``state`` the verb is a cue; ``the state`` is not)."""
    mark = CUE_POS.get(tok.pos_)
    if mark is None or tok.dep_ in ("aux", "auxpass"):
        return None
    return tok.lemma_.lower() + mark


LIGHT_VERBS = {"be", "have", "make", "take", "give", "get", "do"}
PREDICATES = ("acomp", "attr", "dobj", "oprd")


def gold_cue_keys(span: Span) -> set[str]:
    """The cue keys a gold cue span teaches: its root's, and where the root is a light verb ("is eager to",
    "has been critical of", "made clear"), its predicate's inside the span, which is what carries the meaning."""
    root = span.root
    keys = {cue_key(root)}
    if root.lemma_.lower() in LIGHT_VERBS:
        keys |= {cue_key(t) for t in span if t.head.i == root.i and (t.dep_ in PREDICATES or t.dep_ == "ccomp" and t.pos_ == "ADJ")}
    return keys - {None}


def cue_tokens(doc: Doc, lemmas: frozenset[str], toks: list[Token] | None = None) -> list[tuple[int, int]]:
    """Token ranges that may cue an attribution (``lemmas``: keys as :func:`cue_key` makes them;
    ``toks``: the doc's tokens when already listed)."""
    out = []
    toks = list(doc) if toks is None else toks
    n = len(toks)
    for tok in toks:
        low = tok.lower_
        if low == "according" and tok.i + 1 < n and toks[tok.i + 1].lower_ == "to":
            out.append((tok.i, tok.i + 2))
        elif cue_key(tok) in lemmas:
            out.append((tok.i, tok.i + 1))
        elif low == ":" and _colon_cue(doc, tok):
            out.append((tok.i, tok.i + 1))
        elif low in DASHES and tok.i + 1 < n and toks[tok.i + 1].pos_ == "PROPN" and tok.i > 0:
            out.append((tok.i, tok.i + 1))
    return out


def _colon_cue(doc: Doc, colon: Token) -> bool:
    """``Name: ...`` or ``Name said: ...``: a colon after a noun phrase, with words after it."""
    if colon.i == 0 or colon.i + 2 >= len(doc):
        return False
    prev = doc[colon.i - 1]
    # a capitalised word counts as a name too: the small model often tags headline names ADJ or VERB
    if not (prev.pos_ in ("PROPN", "NOUN", "PRON") or prev.is_alpha and prev.text[0].isupper()) or doc[colon.i + 1].is_space:
        return False
    j = colon.i - 1
    while j > 0 and "\n" not in doc[j - 1].text and "\n" not in doc[j - 1].whitespace_ and doc[j - 1].text not in (".", "?", "!"):
        j -= 1
        if doc[j].pos_ in ("VERB", "AUX"):
            return False  # told reporters: ... (the verb is the cue)
    return True


def options(doc: Doc, cue: tuple[int, int], info: DocInfo | None = None) -> list[Option]:
    """The candidate contents of one cue, without duplicates (subtrees are contiguous: the parse is projective)."""
    info = info or doc_info(doc)
    tok = doc[cue[0]]
    s0, s1 = info.sent_start[tok.i], info.sent_end[tok.i]
    low = "according to" if cue[1] - cue[0] == 2 else tok.lower_
    speaker = _speaker(doc, tok, cue)
    found: list[tuple[str, tuple[int, int]]] = []
    if low == "according to":
        to = doc[cue[0] + 1]
        lo, hi = min(tok.left_edge.i, to.left_edge.i, cue[0]), max(tok.right_edge.i, to.right_edge.i, cue[1] - 1) + 1
        found.append(("rest", _longer((s0, lo), (hi, s1))))
    elif low == ":":
        found.append(("colon_sent", (cue[1], s1)))
        found.append(("colon_par", (cue[1], info.par_end[cue[1]])))
    elif low in DASHES:
        found.append(("dash_left", (info.par_start[cue[0]], cue[0])))
    else:
        for child in tok.children:
            dep = child.dep_
            if dep in ("ccomp", "xcomp", "dobj", "attr", "oprd", "acl", "relcl", "advcl", "pobj", "nsubjpass"):
                if dep in ("relcl", "advcl") and child.i < tok.i:
                    continue
                found.append((dep, (child.left_edge.i, child.right_edge.i + 1)))
            elif dep == "prep" and child.lower_ in OBJECT_PREPS and child.i > tok.i:
                objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objs:
                    found.append(("prep", (min(o.left_edge.i for o in objs), max(o.right_edge.i for o in objs) + 1)))
        objs = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i]
        comps = [c for c in tok.children if c.dep_ in ("oprd", "attr", "ccomp", "xcomp") and c.i > tok.i]
        if objs and comps:
            found.append(("obj+comp", (objs[0].left_edge.i, comps[-1].right_edge.i + 1)))
        if cue[1] < s1:
            found.append(("right", (cue[1], s1)))
            after = max((c.right_edge.i + 1 for c in tok.children if c.dep_ in ("dative", "npadvmod", "dobj") and c.i > tok.i), default=None)
            if after is not None and after < s1:
                found.append(("right_obj", (after, s1)))
        left_end = cue[0] if speaker is None else min(cue[0], doc[speaker].left_edge.i)
        if left_end > s0:
            found.append(("left", (s0, left_end)))
            par0 = info.par_start[cue[0]]
            if par0 < s0:
                found.append(("left_par", (par0, left_end)))
        if tok.dep_ in LEFT_DEPS and tok.head.i < tok.i and tok.head.left_edge.i < tok.left_edge.i:
            found.append(("head_left", (tok.head.left_edge.i, tok.left_edge.i)))
        if tok.pos_ == "NOUN" and tok.head.dep_ == "prep" and tok.head.head is not tok:
            prep = tok.head
            found.append(("rest", _longer((s0, prep.left_edge.i), (prep.right_edge.i + 1, s1))))
    out: list[Option] = []
    seen = set()
    for kind, rng0 in found:
        rng = _trim(info.toks, rng0)
        stop = _first_in(info.stops, rng[0] + 1, rng[1]) if rng is not None else None
        if stop is not None:
            rng = _trim(info.toks, (rng[0], stop))  # the speaker's next act ("... but added"), a new sentence
        if rng is None or rng[0] < cue[1] <= rng[1] and rng[0] <= cue[0]:
            continue
        for k, r in ((kind, rng), (kind + "_cut", _cut(doc, rng, info)), (kind + "_conj", _cut_conj(doc, rng, info))):
            if r is not None and r not in seen:
                seen.add(r)
                out.append(Option(cue, r, k, speaker))
    return out


def _longer(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return b if b[1] - b[0] > a[1] - a[0] else a


def _first_in(positions: list[int], lo: int, hi: int) -> int | None:
    k = bisect.bisect_left(positions, lo)
    return positions[k] if k < len(positions) and positions[k] < hi else None


def _cut_conj(doc: Doc, rng: tuple[int, int], info: DocInfo) -> tuple[int, int] | None:
    """The range up to a coordinated clause with its own subject (``..., and more than 4 in 10 said ...``)."""
    i, j = rng
    for k, conj in info.conj_cuts[bisect.bisect_left(info.conj_cuts, (i + 2, -1)) :]:
        if k >= j - 1:
            return None
        if conj < j:
            return _trim(info.toks, (i, k))
    return None


def _cut(doc: Doc, rng: tuple[int, int], info: DocInfo) -> tuple[int, int] | None:
    """The range up to its first dash, semicolon, bracket or ``, who/which`` (an aside after the content)."""
    i, j = rng
    k = _first_in(info.cuts, i + 2, j)
    return _trim(info.toks, (i, k)) if k is not None else None


def _trim(toks: list[Token], rng: tuple[int, int]) -> tuple[int, int] | None:
    i, j = rng
    while i < j and (toks[i].is_space or toks[i].is_punct and not is_mark(toks[i]) or toks[i].lower_ in ("and", "but")):
        i += 1
    while j > i and (toks[j - 1].is_space or toks[j - 1].is_punct and not is_mark(toks[j - 1])):
        j -= 1
    return (i, j) if j > i else None


def is_mark(tok: Token) -> bool:
    """A quotation mark token (one or two mark characters, no letters)."""
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
            owner = subject(tok.head)
        if owner is None and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
            owner = subject(tok.head.head)
        return owner.i if owner is not None else None
    subj = subject(tok)
    if subj is None and tok.dep_ in ("acomp", "oprd") and tok.head.pos_ in ("VERB", "AUX"):
        subj = subject(tok.head)  # they are worried that ..., she was critical of ...
    if subj is None:
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            subj = next((c for c in agent.children if c.dep_ == "pobj"), None)
    if subj is None and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON") and tok.tag_ != "VBN":
        subj = tok.head  # officials saying ...; not a statement issued (by ...), which is what was said
    return subj.i if subj is not None else None


def subject(verb: Token) -> Token | None:
    """The subject of a verb, looking up through conjoined, xcomp and advcl verbs (three steps at most)."""
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


class DocInfo(NamedTuple):
    """Per-document lookups computed once: verbs, quotation marks, paragraphs, cut points, headlines."""

    verbish: list[bool]
    markish: list[bool]
    par_start: list[int]  # per token: where its paragraph starts (at most PARAGRAPH tokens back)
    par_end: list[int]
    cuts: list[int]  # dashes, semicolons, brackets, ", who/which"
    conj_cuts: list[tuple[int, int]]  # ("and"/"but", the coordinated verb with its own subject)
    titles: dict[int, bool]
    toks: list[Token]  # the tokens, made once (indexing a Doc makes a new Token each time)
    sent_start: list[int]  # per token: where its sentence starts and ends (Token.sent makes a Span each time)
    sent_end: list[int]
    stops: list[int]  # where every content stops: the speaker's next speech act ("but added ...", ", adding ..."),
    # a quotation that opens a sentence the parser ran on into (". ''He's got it ...")
    lm: object = None  # per token: the language model's (cue, content, source, begin, end) probabilities, or None


PARAGRAPH = 120


def doc_info(doc: Doc) -> DocInfo:
    toks = list(doc)
    n = len(toks)
    breaks = ["\n" in t.text or "\n" in t.whitespace_ for t in toks]
    par_start, start = [], 0
    for i in range(n):
        par_start.append(max(start, i - PARAGRAPH))
        if breaks[i]:
            start = i + 1
    par_end, end = [0] * n, n
    for i in range(n - 1, -1, -1):
        if "\n" in toks[i].text:
            end = i
        elif "\n" in toks[i].whitespace_:
            end = i + 1
        par_end[i] = min(end, i + PARAGRAPH)
    cuts = [k for k, t in enumerate(toks) if t.text in CUTS or t.text == "," and k + 1 < n and toks[k + 1].lower_ in ("who", "which", "where", "while", "but")]
    conj_cuts = sorted((k, c) for k, t in enumerate(toks) if t.dep_ == "cc" and t.head.i < k and (c := _clause_after(t)) is not None)
    speech = lexicon().speech
    markish = [is_mark(t) for t in toks]
    stops = sorted({_coordination_start(t) for t in toks if _next_speech_act(t, speech)}
                   | {k for k in range(1, n - 1) if markish[k] and _opens_sentence(toks, k)})
    sent_start, sent_end = [0] * n, [0] * n
    for sent in doc.sents:
        for k in range(sent.start, sent.end):
            sent_start[k], sent_end[k] = sent.start, sent.end
    return DocInfo([t.pos_ in ("VERB", "AUX") for t in toks], markish, par_start, par_end, cuts, conj_cuts, {}, toks, sent_start, sent_end, stops,
                   doc.user_data.get(LM_KEY))


LM_EDGES = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.98)


def _lm_bin(p: float) -> str:
    """A language-model probability as a feature value: how many of LM_EDGES it reaches ("0" to "11"),
    so that each linear model learns its own curve for it."""
    return str(sum(p >= e for e in LM_EDGES))


def _opens_sentence(toks: list[Token], k: int) -> bool:
    """The quotation mark ``toks[k]`` opens a sentence after a full stop (``... deserved better. ''There is
    ...''``): the small model's parser often runs the first sentence on into the quote, and a content
    would run on with it (stage CV on train: F1 0.716 -> 0.717, precision 0.742 -> 0.744)."""
    prev = toks[k - 1]
    return prev.text in (".", "?", "!") and bool(prev.whitespace_) and not toks[k].whitespace_ and toks[k + 1].is_alpha


def _next_speech_act(t: Token, speech: frozenset[str]) -> bool:
    """A speech verb joined after another verb without a subject of its own ("... but added", ", adding"):
    the same speaker's next act."""
    return (t.pos_ == "VERB" and t.lemma_.lower() in speech and t.head.i < t.i
            and (t.dep_ == "conj" or t.dep_ == "advcl" and t.tag_ == "VBG") and not any(c.dep_ in SUBJECTS for c in t.children))


def _coordination_start(t: Token) -> int:
    """Where a coordinated or adjoined verb's phrase starts: its own left edge, or the ``and``/``but``
    before it."""
    start = t.left_edge.i
    for c in t.head.children:
        if c.dep_ == "cc" and t.head.i < c.i < t.i:
            start = min(start, c.i)
    return start


def _clause_after(cc: Token) -> int | None:
    """Index of the coordinated verb after ``cc`` when it has its own subject."""
    conj = next((c for c in cc.head.children if c.dep_ == "conj" and c.i > cc.i), None)
    return conj.i if conj is not None and any(c.dep_ in SUBJECTS for c in conj.children) else None


def cue_features(doc: Doc, cue: tuple[int, int], speaker: int | None, n_options: int, info: DocInfo) -> tuple[str, str, list[str]]:
    """(lemma, speaker class, the features that do not depend on the content) of one cue."""
    tok = doc[cue[0]]
    lemma = tok.lemma_.lower() if tok.lower_ != ":" and tok.lower_ not in DASHES else tok.lower_
    if cue[1] - cue[0] == 2:
        lemma = "according to"
    spos = _kind_of(doc[speaker]) if speaker is not None else "none"
    sent_start = info.sent_start[tok.i]
    if sent_start not in info.titles:
        info.titles[sent_start] = _title(tok.sent)
    feats = [
        "lem=" + lemma,
        "pos=" + tok.pos_,
        "tag=" + tok.tag_,
        "dep=" + tok.dep_,
        "hdep=" + tok.head.dep_,
        "spk=" + spos,
        "lem_spk=" + lemma + "|" + spos,
        "nopt=" + _bucket(n_options),
        "title=%d" % info.titles[sent_start],
    ]
    for d in sorted({c.dep_ for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj", "dative", "prep", "oprd", "attr", "neg", "agent", "nsubjpass")}):
        feats += ["ch=" + d, "lem_ch=" + lemma + "|" + d]
    if tok.i > 0:
        prev = doc[tok.i - 1]
        feats.append("prev=" + _word_class(prev))
    if cue[1] < len(doc):
        nxt = doc[cue[1]]
        feats.append("next=" + _word_class(nxt))
    if info.lm is not None:
        c = _lm_bin(float(info.lm[cue[0]:cue[1], 0].max()))
        feats += ["lmcue=" + c, "lmcue_spk=" + c + "|" + spos]
        if speaker is not None:
            feats.append("lmsrc=" + _lm_bin(float(info.lm[speaker, 2])))
    return lemma, spos, feats


def option_features(doc: Doc, opt: Option, lemma: str, spos: str, info: DocInfo) -> list[str]:
    """The features of one candidate content, given its cue's lemma and speaker class."""
    toks = info.toks
    tok = toks[opt.cue[0]]
    i, j = opt.span
    kind = opt.kind
    first, last = toks[i], toks[j - 1]
    root = doc[i:j].root
    rel = root.dep_ if root.head.i == tok.i else "far"
    croot = root.pos_ + "|" + rel
    cent = _kind_of(root)
    cverb = any(info.verbish[i:j])
    length = _bucket(j - i)
    fw = first.lower_ if first.lower_ in FUNCTION_WORDS else first.pos_
    before = "after" if i >= opt.cue[1] else "before"
    marks = "%d%d%d" % (any(info.markish[i:j]), info.markish[i], info.markish[j - 1])
    feats = [
        "opt=" + kind,
        "opt_lem=" + kind + "|" + lemma,
        "opt_dep=" + kind + "|" + tok.dep_,
        "opt_pos=" + kind + "|" + tok.pos_,
        "opt_len=" + kind + "|" + length,
        "len=" + length,
        "opt_spk=" + kind + "|" + spos,
        "first=" + fw,
        "opt_first=" + kind + "|" + fw,
        "lem_first=" + lemma + "|" + fw,
        "side=" + before,
        "lem_side=" + lemma + "|" + before,
        "mark=" + marks,
        "opt_mark=" + kind + "|" + marks,
        "lastpos=" + last.pos_,
        "croot=" + croot,
        "opt_croot=" + kind + "|" + croot,
        "lem_croot=" + lemma + "|" + croot,
        "cent=" + cent,
        "lem_cent=" + lemma + "|" + cent,
        "cverb=%d|%s" % (cverb, kind),
        "lem_cverb=%s|%d" % (lemma, cverb),
        "spk_cent=" + spos + "|" + cent,
    ]
    # sorted: a set's order changes with PYTHONHASHSEED, and the features' order should not
    for d in sorted({c.dep_ for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj", "dative", "prep", "oprd", "attr", "neg", "agent", "nsubjpass")}):
        feats.append("opt_ch=" + kind + "|" + d)
    if opt.cue[1] < len(toks):
        feats.append("opt_next=" + kind + "|" + _word_class(toks[opt.cue[1]]))
    # where the content stops and what stands right after it (a cut, the sentence end, more words)
    after = _word_class(toks[j]) if j < len(toks) else "END"
    sent_end = info.sent_end[tok.i]
    stop = "sent" if j >= sent_end or after in (".", "?", "!") else "par" if j >= info.par_end[i] else "mid"
    feats += [
        "after=" + after,
        "opt_after=" + kind + "|" + after,
        "stop=" + stop,
        "opt_stop=" + kind + "|" + stop,
        "lem_stop=" + lemma + "|" + stop,
        "lastdep=" + last.dep_ + "|" + after,
    ]
    if info.lm is not None:
        lm = info.lm
        mean = _lm_bin(float(lm[i:j, 1].mean()))
        low = _lm_bin(float(lm[i:j, 1].min()))
        beg = _lm_bin(float(lm[i, 3]))
        end = _lm_bin(float(lm[j - 1, 4]))
        out = _lm_bin(float(lm[j, 1])) if j < len(toks) else "E"
        feats += ["lmc=" + mean, "opt_lmc=" + kind + "|" + mean, "lmlow=" + low, "lmbeg=" + beg, "lmend=" + end, "lmout=" + out]
    return feats


def _word_class(tok: Token) -> str:
    """A punctuation mark or function word as itself, any other word as its part of speech."""
    return tok.lower_ if tok.is_punct or tok.lower_ in FUNCTION_WORDS else tok.pos_


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


def summary_features(doc: Doc, opt: Option, lemma: str, info: DocInfo) -> list[str]:
    """Features of the content the ranker chose, for the cue classifier (prefix ``b_``)."""
    i, j = opt.span
    kind = opt.kind.split("_")[0]
    first = doc[i]
    fw = first.lower_ if first.lower_ in FUNCTION_WORDS else first.pos_
    cverb = any(info.verbish[i:j])
    feats = [
        "b_opt=" + opt.kind,
        "b_lem_opt=" + lemma + "|" + kind,
        "b_len=" + _bucket(j - i),
        "b_first=" + fw,
        "b_lem_first=" + lemma + "|" + fw,
        "b_cverb=%s|%d" % (kind, cverb),
        "b_lem_cverb=%s|%d" % (lemma, cverb),
        "b_mark=%d" % any(info.markish[i:j]),
    ]
    if info.lm is not None:
        feats += ["b_lmc=" + _lm_bin(float(info.lm[i:j, 1].mean())), "b_lmend=" + _lm_bin(float(info.lm[j - 1, 4]))]
    return feats


def margin_feature(scores: list[float]) -> str:
    """How far the ranker's choice is ahead of the runner-up, bucketed."""
    if len(scores) < 2:
        return "b_margin=only"
    top = sorted(scores, reverse=True)
    gap = round(top[0] - top[1], 9)
    return "b_margin=" + ("0" if gap < 0.5 else "1" if gap < 1.5 else "2" if gap < 3 else "3")


def choice_features(scores: list[float], kinds: list[str], k: int) -> list[str]:
    """What the classifier learns of the ranking besides the choice ``k``: the margin, and which kind of
    content came second (an object ahead of a clause is a different doubt from a clause ahead of the
    sentence's rest; stage CV on train: F1 0.718 -> 0.720, precision 0.747 -> 0.751)."""
    out = [margin_feature(scores)]
    if len(scores) > 1:
        second = max((i for i in range(len(scores)) if i != k), key=scores.__getitem__)
        out += ["b_second=" + kinds[second], "b_pair=" + kinds[k] + "|" + kinds[second]]
    return out


def scored(doc: Doc, quoted: list[tuple[int, int]]) -> list[tuple[float, Option]]:
    """Each cue's best content (the ranker's choice) and the cue classifier's probability, above the threshold."""
    threshold = model(LM_KEY in doc.user_data)["threshold"]
    return [(p, best) for p, best in judged(doc, quoted) if p >= threshold]


def judged(doc: Doc, quoted: list[tuple[int, int]]) -> list[tuple[float, Option]]:
    """Every cue outside the quotations ``quoted`` (character spans) with the ranker's choice of content and
    the classifier's probability that it is an attribution."""
    accurate = LM_KEY in doc.user_data
    m = model(accurate)
    weight = _weigher(accurate)
    inside = in_quote_tokens(doc, quoted)
    info = doc_info(doc)
    rows, chosen = [], []
    for cue in cue_tokens(doc, m["cues"], info.toks):
        if cue[0] in inside:
            continue  # an attribution inside a quotation is part of the quoted speech
        opts = options(doc, cue, info)
        if not opts:
            continue
        lemma, spos, static = cue_features(doc, cue, opts[0].speaker, len(opts), info)
        k, row = classifier_row(weight, [option_features(doc, o, lemma, spos, info) for o in opts], static,
                                lambda k: summary_features(doc, opts[k], lemma, info), [o.kind for o in opts])
        rows.append(row)
        chosen.append(opts[k])
    return list(zip(classify(m, weight, rows), chosen))


def choose(weight, ranking: list[list[str]]) -> tuple[int, list[float]]:
    """The ranker: (index of the content whose features weigh most, every content's score). Sums are
    exact (``math.fsum``), so they do not depend on the features' order: weights come in steps of
    0.05, and a plain float sum could break a tie or cross a margin bucket's edge either way."""
    ranks = [math.fsum(map(weight, fs)) for fs in ranking]
    return max(range(len(ranks)), key=ranks.__getitem__), ranks


def classifier_row(weight, ranking: list[list[str]], static: list[str], summary, kinds: list[str]) -> tuple[int, list[str]]:
    """One cue: the content the ranker picks (the index of the ``ranking`` features that weigh most) and
    the cue classifier's features for it: the cue's ``static`` ones, the chosen content's ``summary(k)``
    and the ranking's :func:`choice_features` (``kinds``: each content's kind). The run time and
    scripts/train_quotes.py both build the classifier's rows here, so they cannot drift apart."""
    k, ranks = choose(weight, ranking)
    return k, static + summary(k) + choice_features(ranks, kinds, k)


def classify(m: dict, weight, rows: list[list[str]]) -> list[float]:
    """The cue classifier: for each cue's features (its own, its chosen content's and the ranking's
    :func:`choice_features`), the probability that it is an attribution. Boosted trees where the model
    has them (the accurate mode's: they learn how the language model's probabilities combine with the
    rest), else a logistic regression over hashed features, weighed by ``weight`` (shared by the run time and
    scripts/train_quotes.py)."""
    if "forest" in m:
        z = forest_scores(m["forest"], rows)
    else:
        z = [m["bias"] + math.fsum(map(weight, fs)) for fs in rows]
    return [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, float(x))))) for x in z]


class Forest(NamedTuple):
    """Boosted regression trees over binary features (a feature is present or absent), flattened for
    numpy: nodes ``0 .. n-1`` are splits, node ``n + k`` is leaf ``k`` (its children are itself). Node
    ``i`` tests feature ``feature[i]`` and goes on to ``present[i]`` or ``absent[i]``. A row's score is
    the sum of the leaves it reaches, one per tree."""

    index: dict  # feature name -> column
    feature: object  # numpy arrays, one entry per node (splits, then leaves)
    present: object
    absent: object
    values: object  # per node: the leaf's value (0 for a split)
    roots: object  # per tree: its first node
    depth: int  # the most splits on any path


def forest(raw: dict) -> Forest:
    """A model file's ``forest`` as arrays (written by scripts/train_quotes.py from LightGBM's trees: a
    child ``c < 0`` there is the leaf ``~c``)."""
    import numpy as np

    n, leaves = len(raw["feature"]), np.array(raw["leaves"], dtype=np.float64)
    here = np.arange(n, n + len(leaves))

    def nodes(refs) -> "np.ndarray":
        refs = np.array(refs, dtype=np.int64)
        return np.where(refs < 0, n + ~refs, refs)

    present, absent = nodes(raw["present"]), nodes(raw["absent"])
    depth = np.zeros(n + len(leaves), dtype=np.int64)  # children come after their parent in the file
    for i in range(n - 1, -1, -1):
        depth[i] = 1 + max(depth[present[i]], depth[absent[i]])
    roots = nodes(raw["roots"])
    return Forest({name: k for k, name in enumerate(raw["features"])},
                  np.concatenate([np.array(raw["feature"], dtype=np.int64), np.zeros(len(leaves), dtype=np.int64)]),
                  np.concatenate([present, here]), np.concatenate([absent, here]),
                  np.concatenate([np.zeros(n), leaves]), roots, int(depth[roots].max(initial=0)))


def forest_scores(f: Forest, rows: list[list[str]]):
    """Each row's raw score (log-odds): every row walks every tree at once, one level per step, for as
    many steps as the deepest tree has (a leaf stays where it is)."""
    import numpy as np

    x = np.zeros((len(rows), len(f.index)), dtype=bool)
    for r, fs in enumerate(rows):
        x[r, [f.index[name] for name in fs if name in f.index]] = True
    node = np.repeat(f.roots[None, :], len(rows), axis=0)
    at = np.arange(len(rows))[:, None]
    for _ in range(f.depth):
        node = np.where(x[at, f.feature[node]], f.present[node], f.absent[node])
    return f.values[node].sum(axis=1)
