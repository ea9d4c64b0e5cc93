"""Sentences, tokens and named-entity mentions from the spaCy parse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..pipeline.declare import Stage
from ..records import Analysis, Mention, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

NAME = "parse"
VERSION = "1"


def run(doc: Doc, analysis: Analysis, options: dict | None = None) -> None:
    doc_id = analysis.document.id
    method = doc.user_data.get("storyline_model", f"spacy/{doc.lang_}")
    sentences = [
        Sentence(
            doc_id=doc_id,
            start=sent.start_char,
            end=sent.end_char,
            tokens=tuple(
                offset
                for t in sent
                if not t.is_space
                for offset in (t.idx - sent.start_char, t.idx + len(t) - sent.start_char)
            ),
        )
        for sent in doc.sents
    ]
    mentions = [
        Mention(
            doc_id=doc_id,
            start=ent.start_char,
            end=ent.end_char,
            text=ent.text,
            label=ent.label_,
            method=method,
        )
        for ent in doc.ents
    ]
    analysis.sentences.extend(sentences)
    analysis.mentions.extend(mentions)


STAGE = Stage(
    name=NAME,
    version=VERSION,
    run=run,
    writes=(Sentence, Mention),
    help="Sentences (a line break always ends one), tokens and spaCy's entity mentions.",
    show=(("mentions", ("start", "end", "text", "label")),),
)
