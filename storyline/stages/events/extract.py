"""PLOVER events: who did what to whom, when, where, and how surely.

For each sentence: find triggers (:mod:`.triggers`, lexicon in
``data/plover_triggers.json``), pick source and target entities from the parse
(:mod:`.roles`), read the modality (:mod:`.modality`), resolve the date against
the document date (``storyline.dates``), name the PLOVER context
(:mod:`.context`: military, economic, ...) and score a confidence. A trigger with
neither a source nor a target entity takes the nearest entity with a country
in the sentence as its source, at a low confidence; with none, it makes no event.
"""

from __future__ import annotations


from spacy.tokens import Doc, Span, Token

from ...dates import parse_anchor, resolve_date
from ...records import Analysis, Event
from . import NAME, VERSION
from .context import event_context
from .modality import clause_verb, cues, modality
from .roles import EntityIndex, entity_of, find_roles, group, sentence_actors
from .triggers import Trigger, embedded_in, find_triggers, lexicon

LOOKS_FORWARD = ("future", "hypothetical")


def run(doc: Doc, analysis: Analysis, options: dict | None = None) -> None:
    events = extract(doc, analysis)
    analysis.events.extend(events)


def extract(doc: Doc, analysis: Analysis) -> list[Event]:
    """Every event in a parsed document, one per trigger word."""
    index = EntityIndex(doc, analysis)
    if not index.by_token:
        return []
    stage_method = f"{NAME}/{VERSION}"
    events: list[Event] = []
    for sent in doc.sents:
        for line in lines(sent):
            triggers = find_triggers(line)
            for trigger in triggers:
                embedded = any(other is not trigger and embedded_in(trigger.token, other.token) for other in triggers)
                event = _event(trigger, line, index, analysis, stage_method, embedded)
                if event is not None:
                    events.append(event)
    return events


def lines(sent: Span) -> list[Span]:
    """A sentence cut at line breaks: the parser sometimes runs a title into the next paragraph."""
    out, start = [], sent.start
    for token in sent:
        if "\n" in token.text or "\n" in token.whitespace_:
            end = token.i if "\n" in token.text else token.i + 1
            if end > start:
                out.append(sent.doc[start:end])
            start = token.i + 1
    if start < sent.end:
        out.append(sent.doc[start : sent.end])
    return [span for span in out if not all(t.is_space or t.is_punct for t in span)]


def _event(
    trigger: Trigger, sent: Span, index: EntityIndex, analysis: Analysis, stage_method: str, embedded: bool = False
) -> Event | None:
    lex = lexicon()
    token = trigger.token
    verb = clause_verb(token)
    mood = modality(token)
    kind = trigger.type
    if trigger.how == "future" and mood.name not in LOOKS_FORWARD:
        return None
    intends = mood.name == "future" or (mood.cue is not None and mood.cue.lower_ in cues()["conditional_aux"])
    if intends and trigger.how != "future" and kind in lex["intent_of"]:
        kind = lex["intent_of"][kind]
    roles = find_roles(
        token,
        verb,
        kind,
        index,
        preps=lex["target_preps"],
        symmetric=kind in lex["symmetric"],
        report_verbs=cues()["report_verbs"],
    )
    fallback = roles.source is None and roles.target is None
    if fallback:  # the trigger names no actor the parse can reach: take the nearest one with a country
        found = sentence_actors(sent, token, index)
        if not found:
            return None
        roles = roles._replace(source=found[0])
    reported_by = _reported_by(trigger, mood.reporter, index, analysis)
    return Event(
        doc_id=analysis.document.id,
        type=kind,
        trigger_start=trigger.start,
        trigger_end=trigger.end,
        trigger_text=analysis.document.text[trigger.start : trigger.end],
        sentence_start=sent.start_char,
        sentence_end=sent.end_char,
        source_entity_id=roles.source,
        target_entity_id=roles.target,
        date=event_date(token, verb, sent, analysis.document.published, future=mood.name in LOOKS_FORWARD),
        place=roles.place,
        modality=mood.name,
        reported_by_entity_id=reported_by,
        confidence=confidence(trigger, verb, roles.source, roles.target, embedded=embedded, fallback=fallback),
        method=stage_method,
        context=event_context(token, verb, sent, kind),
    )


def _reported_by(trigger: Trigger, reporter: Token | None, index: EntityIndex, analysis: Analysis) -> str | None:
    report = cues()["report_verbs"]
    doc = trigger.token.doc
    for quote in analysis.quotes:
        if not (quote.content_start <= trigger.start and trigger.end <= quote.content_end and quote.speaker_entity_id):
            continue
        cue = doc.char_span(quote.cue_start, quote.cue_end, alignment_mode="expand") if quote.cue_start is not None else None
        if cue is None or any(t.lemma_.lower() in report for t in cue):  # "plans to ..." is no report
            return quote.speaker_entity_id
    if reporter is None:
        return None
    found = group(reporter, index) or [entity_of(reporter, index, depth=3)]
    return found[0] if found else None


def event_date(trigger: Token, verb: Token, sent: Span, published: str | None, *, future: bool = False) -> str | None:
    """The date of the DATE expression attached to the trigger's clause, else the document date."""
    report = cues()["report_verbs"]
    attached, loose = [], []
    for ent in sent.ents:
        if ent.label_ != "DATE":
            continue
        owner = _owning_verb(ent.root)
        if owner is not None and owner in (trigger, verb):
            attached.append(ent)
        elif owner is None or owner.lemma_.lower() not in report:
            loose.append(ent)
    for ent in attached + loose:
        found = resolve_date(ent.text, published, future=future)
        if found:
            return found
    anchor = parse_anchor(published)
    return anchor.isoformat() if anchor else None


def _owning_verb(token: Token) -> Token | None:
    for _ in range(6):
        if token.head == token:
            return token if token.pos_ in ("VERB", "AUX") else None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


def confidence(
    trigger: Trigger,
    verb: Token,
    source: str | None,
    target: str | None,
    *,
    embedded: bool = False,
    fallback: bool = False,
) -> float:
    """A score in [0, 1] from how the trigger matched, where it sits and which roles were found.

    A trigger governed by another trigger ("agreed to share") or hanging off a noun or
    clause as background ("the curfew imposed in ...", "..., calling for ...") scores lower, and so
    does an event whose actor was only guessed from the sentence (``fallback``).
    """
    score = 0.4 - (0.25 if fallback else 0.0)
    score -= 0.1 if embedded else 0.0
    score -= 0.1 if trigger.token.dep_ in ("acl", "advcl", "relcl") else 0.0
    score += {"verb": 0.2, "pattern": 0.25, "must": 0.2, "future": 0.15, "noun": 0.05}[trigger.how]
    score += 0.15 if source else 0.0
    score += 0.1 if target else 0.0
    score += 0.1 if verb.dep_ == "ROOT" and trigger.token == verb else 0.0
    score -= min(0.15, 0.03 * _depth(trigger.token))
    return round(max(0.05, min(0.99, score)), 3)


def _depth(token: Token) -> int:
    depth = 0
    while token.head != token and depth < 10:
        token = token.head
        depth += 1
    return depth

