"""Modality of an event trigger: asserted, negated, hypothetical, future or reported.

Read from the parse around the trigger, with cue words from
``data/plover_modality.json``: a negation on the clause, a modal auxiliary
("may", "will"), a governing verb ("wants to send", "plans to impose"), a
condition ("if"), or a reporting frame ("X said ...", "According to Y, ...").
The first that applies wins, in that order; reported speech also names who
reports, whatever the modality.
"""

from __future__ import annotations

import functools
from typing import Literal, NamedTuple

from spacy.tokens import Token

from ...data import load_json

__all__ = ["Modality", "clause_verb", "modality"]

ModalityName = Literal["asserted", "negated", "hypothetical", "future", "reported"]
# Dependencies that climb from a noun trigger to the verb whose clause holds it.
NOUN_UP = {"dobj", "pobj", "prep", "nsubj", "nsubjpass", "attr", "compound", "conj", "appos", "agent", "dative", "oprd", "npadvmod"}
# Dependencies through which a verb inherits the mood of its governor.
CONTROL = {"xcomp", "conj"}


class Modality(NamedTuple):
    name: ModalityName
    cue: Token | None  # the word that decided it
    reporter: Token | None  # the head noun of who reports ("Zakharova", "story"), if any


@functools.cache
def cues() -> dict[str, frozenset[str]]:
    raw = load_json("plover_modality.json")
    return {key: frozenset(value) for key, value in raw.items() if isinstance(value, list)}


def clause_verb(token: Token) -> Token:
    """The verb of the clause a trigger sits in (the trigger itself when it is a verb)."""
    seen = 0
    while token.pos_ not in ("VERB", "AUX") and token.dep_ in NOUN_UP and token.head != token and seen < 6:
        token = token.head
        seen += 1
    return token


def _governors(verb: Token) -> list[Token]:
    """The verb and the verbs it is controlled by: "wants to send" gives [send, wants]."""
    chain = [verb]
    while (
        chain[-1].dep_ in CONTROL
        and chain[-1].head != chain[-1]
        and same_line(chain[-1], chain[-1].head)
        and len(chain) < 5
    ):
        chain.append(chain[-1].head)
    return chain


def _aux(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def modality(trigger: Token) -> Modality:
    """Classify the trigger's modality and find who reports it."""
    c = cues()
    verb = clause_verb(trigger)
    chain = _governors(verb)
    reporter = None if trigger.lemma_.lower() in c["report_verbs"] else reporting_source(verb)
    for v in [trigger, *chain]:
        for child in v.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no" and v == trigger):
                return Modality("negated", child, reporter)
    sentence_if = any(
        t.lower_ in c["conditional_marks"] and t.dep_ == "mark" and same_line(t, verb) for t in verb.sent
    )
    for v in chain:
        for aux in _aux(v):
            word = aux.lower_
            if word in c["hypothetical_aux"] or (word in c["conditional_aux"] and _under_condition(v, sentence_if)):
                return Modality("hypothetical", aux, reporter)
        mark = next(
            (m for m in v.children if m.dep_ == "mark" and m.lower_ in c["conditional_marks"] and same_line(m, v)),
            None,
        )
        if mark is not None:
            return Modality("hypothetical", mark, reporter)
    for v in chain[1:]:
        if v.lemma_.lower() in c["hypothetical_heads"]:
            return Modality("hypothetical", v, reporter)
    for v in chain:
        for aux in _aux(v):
            if aux.lower_ in c["future_aux"] or aux.lower_ in c["conditional_aux"]:
                return Modality("future", aux, reporter)
    for v in chain[1:]:
        if v.lemma_.lower() in c["future_heads"]:
            return Modality("future", v, reporter)
    if reporter is not None:
        return Modality("reported", reporter, reporter)
    return Modality("asserted", None, None)


def _under_condition(verb: Token, sentence_if: bool) -> bool:
    """'would' is hypothetical when a condition hangs on its clause ("would respond if ...")."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" for m in c.children) for c in verb.children) or (
        sentence_if and verb.dep_ == "ROOT"
    )


def reporting_source(verb: Token) -> Token | None:
    """The head noun of who reports the clause: the subject of a governing "say", or "according to X"."""
    c = cues()
    token = verb
    for _ in range(6):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "to" and child.head.lower_ in c["according"]:
                return _according_object(child)
            if child.lower_ in c["according"] and child.dep_ == "prep":
                for grand in child.children:
                    if grand.lower_ == "to":
                        return _according_object(grand)
        head = token.head
        if head == token or not same_line(token, head):
            break
        if token.dep_ in ("ccomp", "parataxis", "xcomp", "conj") and head.lemma_.lower() in c["report_verbs"]:
            return _subject(head)
        if token.dep_ == "ROOT":
            break
        token = head
    # "X agreed ..., officials said" puts the reporting verb below the event verb.
    for child in verb.children:
        if (
            child.dep_ in ("parataxis", "ccomp")
            and child.lemma_.lower() in c["report_verbs"]
            and child.i > verb.i
            and same_line(verb, child)
        ):
            subject = _subject(child)
            if subject is not None:
                return subject
    return None


def same_line(a: Token, b: Token) -> bool:
    """No line break between two tokens: the parser sometimes joins lines into one sentence."""
    lo, hi = sorted((a, b), key=lambda t: t.i)
    # Token by token: Doc.text rebuilds the whole document's string on every access.
    return not any("\n" in t.text_with_ws for t in a.doc[lo.i : hi.i])


def _according_object(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
