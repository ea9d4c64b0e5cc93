"""Who said what: direct, indirect and mixed quotes with their cue and speaker.

Direct quotes come from the quotation-mark scanner (:mod:`.quotemarks`) and
find their cue verb next to the marks (``“...,” she said``, ``He said: “...”``);
a quote without a cue continues the cue just before it (split quotes, and a
quote opening the next paragraph) or inherits the speaker of the attribution
just before it in the same paragraph (and its cue), with a lower confidence. Indirect speech
comes from the learned scorer (:mod:`.quote_model`): every cue word (reporting
and belief verbs, cue nouns, ``according to``, ``Name:``) offers a few
candidate contents (its clausal complement, its object, the clause before it,
the rest of the sentence, ...) and keeps the best one when it scores above the
model's threshold. A quoted fragment inside indirect content makes it
``mixed``. The speaker mention is resolved to an entity through the actors
stage when it is present, through pronouns and role nouns to the nearest
compatible earlier person, or left None.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from ..pipeline.declare import Option, Stage
from ..records import Analysis, Quote
from . import quote_lm, quote_model
from .quote_model import Lexicon, lexicon
from .quote_speakers import Resolver, _end, _speaker_span
from .quotemarks import QuoteSpan, scan

NAME = "quotes"
VERSION = "1"

# Between a cue verb and the opening mark only these may stand (said on Monday, told reporters:).
BRIDGE_DEPS = {"punct", "advmod", "npadvmod", "prep", "pobj", "det", "dative", "dobj", "compound", "amod", "nummod", "poss", "case", "cc", "pcomp"}
SENTENCE_END = {".", "!", "?"}
WINDOW = 8


class Candidate(NamedTuple):
    kind: str
    start: int
    end: int
    cue: tuple[int, int] | None  # token index range [i, j)
    speaker: tuple[int, int] | None  # character span of the speaker mention
    speaker_token: int | None
    confidence: float


def run(doc: Doc, analysis: Analysis, options: dict | None = None) -> None:
    found = extract(doc, analysis, (options or {}).get("model"))
    analysis.quotes.extend(found)


def extract(doc: Doc, analysis: Analysis, model: str | None = None) -> list[Quote]:
    """Every quote in ``doc``, in text order."""
    lex = lexicon()
    text = analysis.document.text  # the text the doc was parsed from (Doc.text joins every token anew)
    marks = [m for m in scan(text) if m.depth == 0 and m.end - m.start > 2]
    indirect = _learned(doc, marks, model)
    direct, mixed_cues, used_cues = _direct(doc, text, lex, marks, indirect)
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
    return _records(doc, text, analysis, lex, _dedupe(cands), direct)


# ---------------------------------------------------------------- indirect speech


def _learned(doc: Doc, marks: list[QuoteSpan], model: str | None = None) -> list[Candidate]:
    """Attributions the learned scorer keeps: each cue with its best content."""
    out = []
    kept: list[quote_model.Option] = []
    for p, opt in sorted(quote_model.scored(doc, [(m.start, m.end) for m in marks], model), key=lambda x: -x[0]):
        i, j = opt.span
        if any(i < k.span[1] and k.span[0] < j for k in kept):
            continue  # contents do not overlap (one content, two cue words): keep the likelier
        kept.append(opt)
        tok = doc[opt.speaker] if opt.speaker is not None else None
        speaker = _speaker_span(doc, tok) if tok is not None else None
        cue = doc[opt.cue[0]]
        if speaker is None and (cue.pos_ in ("NOUN", "ADJ") or cue.tag_ == "VBN" and cue.dep_ == "acl"):
            # a cue noun with nobody's words ("just quotes") is no attribution; a floor on the
            # probability instead moved with every retraining (stage CV on train: F1 0.6992
            # dropping them all, 0.7008 with a floor of 0.3, 0.7022 keeping them). Nor is a participle
            # that only describes its noun, with no "by" naming who ("a document written for ..."):
            # stage CV unchanged (0.716), a little more precise
            continue
        out.append(Candidate("indirect", doc[i].idx, _end(doc[j - 1]), opt.cue, speaker, opt.speaker if speaker else None, p))
    return sorted(out, key=lambda c: c.start)


# ---------------------------------------------------------------- direct quotes


def _direct(doc: Doc, text: str, lex: Lexicon, marks: list[QuoteSpan], indirect: list[Candidate]):
    """Direct candidates, the cues made mixed by a fragment, and the cues direct quotes took."""
    out: list[Candidate] = []
    mixed: dict[int, int] = {}
    used: set[int] = set()
    last: Candidate | None = None  # the attribution just before, for continuations
    last_cue_end = -1
    attributions = sorted(indirect, key=lambda c: c.start)
    for k, mark in enumerate(marks):
        lo = marks[k - 1].end if k else 0
        hi = marks[k + 1].start if k + 1 < len(marks) else len(text)
        span = doc.char_span(mark.start, mark.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        host = _host(doc, text, mark, indirect)
        words = sum(1 for t in span if t.is_alpha)
        if host is not None:
            mixed[host.cue[0]] = max(mixed.get(host.cue[0], 0), mark.end)
            continue
        cue, subject, cue_end, side = _find_cue(doc, text, lex, mark, span, lo, hi)
        conf = 0.9 if mark.closed else 0.6
        tag = _source_tag(doc, text, mark.end) if cue is None else None
        if tag is not None:
            # a news digest's source tag: “...” [AP.]
            cue, name = tag
            cand = Candidate("direct", mark.start, mark.end, cue, (doc[name[0]].idx, _end(doc[name[1] - 1])), name[0], conf - 0.1)
            used.add(cue[0])
            last, last_cue_end = cand, _end(doc[cue[1] - 1])
            out.append(cand)
            continue
        if cue is not None:
            speaker = _speaker_span(doc, subject) if subject is not None else None
            kind, start = "direct", mark.start
            if side == "before" and _char_before(text, mark.start) not in ",:\u2014-" and words < 8:
                # a fragment as an object: described Clinton as “a lifetime politician”
                kind, start = "mixed", doc[cue[1]].idx if cue[1] < len(doc) else mark.start
                start = min(start, mark.start)
            cand = Candidate(kind, start, mark.end, cue, speaker, subject.i if subject is not None else None, conf if speaker else conf - 0.2)
            used.add(cue[0])
            last, last_cue_end = cand, cue_end
            out.append(cand)
            continue
        between = text[last_cue_end : mark.start] if last is not None and last_cue_end <= mark.start else "."
        if last is not None and last.cue and not between.strip(" \t\r\n.,;:\u2014-"):
            # the second half of a split quote: “...,” she said, “...” (or she said. “...”)
            cand = Candidate("direct", mark.start, mark.end, last.cue, last.speaker, last.speaker_token, conf - 0.05)
            out.append(cand)
            last, last_cue_end = cand, mark.end
            continue
        if words < 4 or not _starts_sentence(text, mark.start):
            continue  # a scare quote, a title or a fragment, not speech
        prev = _previous(last, attributions, mark.start)
        prev_end = 0 if prev is None else max(prev.end, last_cue_end) if prev is last else prev.end
        if prev is not None and prev.speaker and _same_paragraph(text, prev_end, mark.start):
            # a quote after an attribution nearby: the same speaker; within the paragraph it continues that
            # attribution (shares its cue), after a line break it is one of its own, as PolNeAR mostly
            # annotates it (stage CV on train: F1 0.708 -> 0.710, direct unchanged)
            same = "\n" not in text[prev_end : mark.start]
            cand = Candidate("direct", mark.start, mark.end, prev.cue if same else None, prev.speaker, prev.speaker_token, conf - 0.3)
        else:
            cand = Candidate("direct", mark.start, mark.end, None, None, None, 0.3 if mark.closed else 0.2)
        out.append(cand)
        last, last_cue_end = cand, mark.end
    return out, mixed, used


SOURCE_TAG = re.compile(r"[ \t]*\[([A-Z][\w.&'\u2019 -]{0,40}?)\.?\]")


def _source_tag(doc: Doc, text: str, end: int):
    """(cue token range, name token range) of a bracketed source right after a quote, ``“...” [NYT.]``."""
    m = SOURCE_TAG.match(text, end)
    if m is None or len(m.group(1).split()) > 4:
        return None
    cue = doc.char_span(m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t")), m.end(), alignment_mode="expand")
    name = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
    if cue is None or name is None or not len(name):
        return None
    return (cue.start, cue.end), (name.start, name.end)


def _char_before(text: str, pos: int) -> str:
    """The last non-space character before ``pos`` ('' when none)."""
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else ""


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


def _host(doc: Doc, text: str, mark: QuoteSpan, indirect: list[Candidate]) -> Candidate | None:
    """The indirect attribution whose content holds this quoted fragment, if any."""
    for cand in indirect:
        if cand.cue is None or not (cand.start < mark.start < cand.end):
            continue
        if mark.start <= doc[cand.cue[0]].idx < mark.end or _char_before(text, mark.start) == ":":
            continue
        lead = doc.char_span(cand.start, mark.start, alignment_mode="expand")
        if lead is not None and any(not t.is_punct and not t.is_space for t in lead if t.idx < mark.start):
            return cand
    return None


def _find_cue(doc: Doc, text: str, lex: Lexicon, mark: QuoteSpan, span: Span, lo: int, hi: int):
    """(cue token range, speaker token, end offset of the cue clause) next to a quote, or Nones."""
    trailing = _char_before(text, mark.inner[1])
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
            subj = quote_model.subject(tok) or _inverted_subject(doc, tok, i, stop)
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
            if _title_before_clause(tok, span):
                return None
            if all(b.dep_ in BRIDGE_DEPS or b.is_space for b in bridge) and len(bridge) <= WINDOW:
                return (tok.i, tok.i + 1), quote_model.subject(tok), span.end_char
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


def _title_before_clause(verb: Token, span: Span) -> bool:
    """X said on ABC's "This Week" that ..., told "Fox News Sunday" that ...: the quotation names a show
    inside the verb's phrase or object, and the clause after it is what was said."""
    words = [t.i for t in span if not t.is_punct]
    if not words or not any(c.dep_ == "ccomp" and c.i >= span.end for c in verb.children):
        return False
    return any(c.dep_ in ("prep", "dative", "dobj") and c.left_edge.i <= words[0] and words[-1] <= c.right_edge.i for c in verb.children)


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
        if tok.text in SENTENCE_END or quote_model.is_mark(tok) or "\n" in tok.text:
            return tok.idx
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


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


def _records(doc: Doc, text: str, analysis: Analysis, lex: Lexicon, cands: list[Candidate], direct: list[Candidate]) -> list[Quote]:
    doc_id = analysis.document.id
    resolver = Resolver(doc, analysis, lex, text)
    # the accurate mode names its language model on every record it made (see quote_lm)
    method = f"{NAME}/{VERSION}" + (f"+{quote_lm.NAME}/{quote_lm.VERSION}" if quote_model.LM_KEY in doc.user_data else "")
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
                method=method,
            )
        )
        if entity is not None:
            resolver.spoke(entity)
    return out


def _inside_direct(c: Candidate, direct: list[Candidate]) -> bool:
    return c.kind != "direct" and any(d.start <= c.start and c.end <= d.end for d in direct)


def setup(nlp, options: dict) -> None:
    """The accurate mode's language model runs as a pipeline component after the parse."""
    if options.get("mode") == "accurate":
        quote_lm.add_to(nlp)


STAGE = Stage(
    name=NAME,
    version=VERSION,
    run=run,
    requires=("actors",),
    writes=(Quote,),
    setup=setup,
    options=(
        Option("mode", "fast", "'accurate' adds a small fine-tuned language model (all-MiniLM-L6-v2): a little "
               "better (docs/evaluation.md), ingest about twice as slow (docs/benchmarks.md).",
               choices=("fast", "accurate"), env="STORYLINE_QUOTES", pipeline=True),
        Option("model", None, "A quote model file retrained by scripts/train_quotes.py, instead of the shipped one.",
               env="STORYLINE_QUOTE_MODEL"),
    ),
    help="Direct, indirect and mixed quotes with cue and speaker; speakers resolved through pronouns and role nouns.",
    show=(("quotes", ("kind", "speaker_entity", "speaker", "cue", "content")),),
)
