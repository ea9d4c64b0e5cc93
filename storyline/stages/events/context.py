"""The PLOVER context of an event ("military", "economic", "diplomatic", ...), from cue words.

Cue lemmas per context live in ``data/plover_triggers.json`` (``contexts``). Cues in
the trigger's own clause count double, cues elsewhere in the sentence once; the
context with the most weight wins (ties go to the one listed first). With no cue,
some event types have a context of their own (``context_of_type``: FIGHT is
military); otherwise the context is None.
"""

from __future__ import annotations

import functools

from spacy.tokens import Span, Token

from .triggers import lexicon

__all__ = ["event_context"]


@functools.cache
def _cues() -> tuple[dict[str, str], dict[str, int]]:
    """lemma -> context, and context -> rank (table order)."""
    contexts = lexicon()["contexts"]
    by_lemma: dict[str, str] = {}
    for name, lemmas in contexts.items():
        for lemma in lemmas:
            by_lemma.setdefault(lemma, name)
    return by_lemma, {name: i for i, name in enumerate(contexts)}


def event_context(trigger: Token, verb: Token, sent: Span, kind: str) -> str | None:
    """The context of an event of type ``kind`` triggered by ``trigger`` (clause verb ``verb``) in ``sent``."""
    by_lemma, rank = _cues()
    clause = {t.i for t in verb.subtree} | {t.i for t in trigger.subtree}
    weight: dict[str, int] = {}
    for token in sent:
        name = by_lemma.get(token.lemma_.lower()) or by_lemma.get(token.lower_)
        if name is not None:
            weight[name] = weight.get(name, 0) + (2 if token.i in clause else 1)
    if weight:
        return min(weight, key=lambda name: (-weight[name], rank[name]))
    return lexicon()["context_of_type"].get(kind)
