"""Readability figures of a text from its sentences and tokens: a pure function, no storyline, no spaCy.

``measure(text, sentences)`` takes each sentence as a list of (start, end) token
offsets into ``text`` (storyline's ``Sentence.token_spans()`` gives exactly that).
A word is a token with a letter or a digit in it (punctuation is not); a sentence
counts when it has a word.

Flesch reading ease (Flesch 1948): 206.835 - 1.015 × words per sentence - 84.6 ×
syllables per word; about 90-100 is read easily by an 11-year-old, 30 and below
is for graduates. Syllables are counted by an English rule of thumb (groups of
vowels, less a silent final e), so the score is left out (None) for a text not in
English. Reading time: words at ``words_per_minute`` (238, the average for silent
reading of non-fiction in English: Brysbaert 2019).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

WORDS_PER_MINUTE = 238
_WORDLIKE = re.compile(r"[^\W_]")
_VOWELS = re.compile(r"[aeiouy]+")

__all__ = ["WORDS_PER_MINUTE", "measure", "syllables", "flesch_reading_ease"]


def syllables(word: str) -> int:
    """Syllables of an English word, by rule of thumb: "cat" 1, "table" 2, "makes" 1, "wanted" 2, "2026" 1."""
    w = re.sub(r"[^a-z]", "", word.lower())
    n = len(_VOWELS.findall(w))
    if n > 1:
        if w.endswith("e") and not w.endswith(("le", "ee", "ye")):
            n -= 1  # make, state; not table, agree
        elif w.endswith("es") and len(w) > 3 and w[-3] not in "aeiouysxzcgh":
            n -= 1  # makes, states; not uses, boxes, pages
        elif w.endswith("ed") and len(w) > 3 and w[-3] not in "aeiouytd":
            n -= 1  # asked, called; not wanted, voted, agreed
    return max(1, n)


def flesch_reading_ease(words: int, sentences: int, syllable_count: int) -> float | None:
    if not words or not sentences:
        return None
    return round(206.835 - 1.015 * words / sentences - 84.6 * syllable_count / words, 1)


def measure(
    text: str,
    sentences: Iterable[Sequence[tuple[int, int]]],
    *,
    words_per_minute: int = WORDS_PER_MINUTE,
    english: bool = True,
) -> dict:
    """words, sentences, syllables, words_per_sentence, syllables_per_word, flesch_reading_ease, reading_minutes."""
    n_words = n_sentences = n_syllables = 0
    for tokens in sentences:
        words = [text[start:end] for start, end in tokens if _WORDLIKE.search(text[start:end])]
        if words:
            n_sentences += 1
            n_words += len(words)
            n_syllables += sum(syllables(w) for w in words)
    return {
        "words": n_words,
        "sentences": n_sentences,
        "syllables": n_syllables,
        "words_per_sentence": round(n_words / n_sentences, 2) if n_sentences else 0.0,
        "syllables_per_word": round(n_syllables / n_words, 3) if n_words else 0.0,
        "flesch_reading_ease": flesch_reading_ease(n_words, n_sentences, n_syllables) if english else None,
        "reading_minutes": round(n_words / words_per_minute, 2),
    }
