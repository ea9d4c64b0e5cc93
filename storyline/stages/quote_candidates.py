"""Where attributions may be: cue tokens, their candidate contents and speakers, a document's token index.

Part of the quotes stage's learned attributions (:mod:`.quote_model`)."""

from __future__ import annotations

import bisect
import functools
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from ..data import load_json

LM_KEY = "quote_lm"  # Doc.user_data key of the accurate mode's token probabilities (see quote_lm)
SUBJECTS = ("nsubj", "nsubjpass")
OBJECT_PREPS = {"about", "on", "for", "of", "as", "to", "against", "with", "over", "into", "from", "at", "in", "by"}
LEFT_DEPS = {"ccomp", "parataxis", "advcl", "conj"}
MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
CUTS = {"\u2014", "\u2013", "--", ";", "("}
DASHES = {"\u2015", "\u2014", "--"}
FUNCTION_WORDS = {"that", "to", "the", "a", "if", "whether", "how", "what", "why", "he", "she", "it", "they", "we", "i", "there", "this", "his", "her", "their", "for", "about", "on", "as", "not"}


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
