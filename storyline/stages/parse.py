"""Sentences, tokens and named-entity mentions from the spaCy parse."""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Analysis, Mention, Sentence

NAME = "parse"
VERSION = "1"
REQUIRES: tuple[str, ...] = ("document",)
ASSIGNS: tuple[str, ...] = ("sentences", "mentions")


def run(doc: Doc, analysis: Analysis) -> None:
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
