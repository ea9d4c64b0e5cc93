"""storyline-readability: a storyline stage, and an example of how to write one.

One record type (its own table, ``readability``: one row per document), one
function that turns a parsed document into records, and one declaration,
``STAGE``, registered in pyproject.toml under the entry-point group
``storyline.stages``. Installed beside storyline, ``storyline stages`` lists it
and ``storyline analyze --stage readability`` fills its table on a stored corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.pipeline.declare import Option, Stage
from storyline.records import Record, Sentence

from .measure import WORDS_PER_MINUTE, measure

__all__ = ["Readability", "STAGE", "run", "measure"]


@dataclass(frozen=True)
class Readability(Record):
    """How long and how hard one document is to read.

    Every figure is computed over the evidence span ``text[start:end]``: the whole
    stored text (start 0, end its length), from the sentences and tokens of the
    ``parse`` stage.
    """

    __table__ = "readability"
    __key__ = ("doc_id",)

    doc_id: str
    start: int
    end: int
    words: int
    sentences: int
    syllables: int
    words_per_sentence: float
    syllables_per_word: float
    flesch_reading_ease: float | None  # None: the document is not in English
    reading_minutes: float
    method: str = ""


def run(doc, analysis, options: dict) -> None:
    """The stage: ``doc`` is the spaCy Doc (not needed here), ``analysis`` holds the parse's sentences."""
    document = analysis.document
    figures = measure(
        document.text,
        (s.token_spans() for s in analysis.of(Sentence)),
        words_per_minute=options["words_per_minute"],
        english=document.language in (None, "en"),
    )
    analysis.add(Readability(doc_id=document.id, start=0, end=len(document.text), **figures, method=STAGE.method))


STAGE = Stage(
    name="readability",
    version="1",  # bump it when the figures change: `storyline analyze` then re-runs the stage
    run=run,
    requires=("parse",),
    writes=(Readability,),
    options=(
        Option("words_per_minute", WORDS_PER_MINUTE, "Reading speed for reading_minutes (silent reading, English)."),
    ),
    help="Words, sentences, reading time and Flesch reading ease of each document (examples/plugin).",
    show=(("readability", ("words", "sentences", "words_per_sentence", "flesch_reading_ease", "reading_minutes")),),
)
