"""Analysis keeps nothing of a document once it is done (workers run for thousands of documents)."""

import gc

import pytest
from spacy.tokens import Doc

from storyline.records import Analysis
from storyline.stages import quotes

# Pronoun speakers whose gender the actors stage cannot tell: the quotes stage reads it from the text.
TEXTS = [
    "Dimitri Lascarus spoke to reporters. “We will respond,” he said.",
    "Jonas Berg met Ana Lind. She said that Norway would help.",
]


def _live() -> int:
    """Analyses, spaCy Docs and quote resolvers still reachable from anywhere (a cache, a global)."""
    gc.collect()
    return sum(isinstance(o, (Doc, Analysis, quotes.Resolver)) for o in gc.get_objects())


@pytest.mark.parametrize("text", TEXTS)
def test_memory_no_document_outlives_its_analysis(analyse, text):
    analyse(text)  # warm every lazy table
    before = _live()
    for i in range(5):
        analyse(f"{text} Report {i}.")
    assert _live() <= before
