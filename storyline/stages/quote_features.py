"""Features of a cue and of each candidate content, hashed into the quote model's weights (:mod:`.quote_model`)."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .quote_candidates import DASHES, FUNCTION_WORDS, DocInfo, Option

def _bucket(n: int) -> str:
    for b in (1, 2, 4, 8, 16, 32):
        if n <= b:
            return str(b)
    return "64"


LM_EDGES = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.98)


def _lm_bin(p: float) -> str:
    """A language-model probability as a feature value: how many of LM_EDGES it reaches ("0" to "11"),
    so that each linear model learns its own curve for it."""
    return str(sum(p >= e for e in LM_EDGES))


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
