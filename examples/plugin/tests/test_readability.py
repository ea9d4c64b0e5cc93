"""The figures on hand-made text (run: cd examples/plugin && python -m pytest)."""

import re

import pytest

from storyline_readability.measure import measure, syllables


def spans(text: str) -> list[list[tuple[int, int]]]:
    """Sentences ending in . ! or ?, tokens as words and punctuation: what storyline's parse gives."""
    out = []
    for sent in re.finditer(r"[^.!?]+[.!?]*", text):
        tokens = [(sent.start() + m.start(), sent.start() + m.end()) for m in re.finditer(r"\w+|[^\w\s]", sent.group())]
        if tokens:
            out.append(tokens)
    return out


@pytest.mark.parametrize("word, n", [("cat", 1), ("table", 2), ("makes", 1), ("wanted", 2), ("asked", 1),
                                     ("agreed", 2), ("boxes", 2), ("people", 2), ("Commission", 3), ("2026", 1)])
def test_syllables(word, n):
    assert syllables(word) == n


def test_measure_counts_words_and_sentences_not_punctuation():
    text = "The cat sat. It ran, fast!"
    m = measure(text, spans(text))
    assert (m["words"], m["sentences"], m["syllables"]) == (6, 2, 6)
    assert m["words_per_sentence"] == 3.0
    assert m["flesch_reading_ease"] == round(206.835 - 1.015 * 3 - 84.6 * 1, 1)
    assert m["reading_minutes"] == round(6 / 238, 2)


def test_measure_hard_text_scores_lower():
    easy = "The dog ran home. The sun was out. We had fun."
    hard = ("Notwithstanding considerable institutional opposition, the intergovernmental commission "
            "recommended comprehensive regulatory harmonisation of transnational energy infrastructure.")
    assert measure(easy, spans(easy))["flesch_reading_ease"] > 90 > 0 > measure(hard, spans(hard))["flesch_reading_ease"]


def test_measure_empty_and_not_english():
    assert measure("", [])["flesch_reading_ease"] is None
    text = "Der Hund lief nach Hause."
    m = measure(text, spans(text), english=False, words_per_minute=100)
    assert m["words"] == 5 and m["flesch_reading_ease"] is None and m["reading_minutes"] == 0.05
