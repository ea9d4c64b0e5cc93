"""Language identification with py3langid (its model ships inside the package)."""

from __future__ import annotations

import functools
import re

SAMPLE_CHARS = 2000  # enough for a confident guess, and fast
MIN_LETTERS = 20  # among the first 400 characters; fewer: too short to tell
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def method() -> str:
    from importlib.metadata import version

    return f"py3langid/{version('py3langid')}"


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability in [0, 1]) of ``text``, or None when too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample, 0, 400)) < MIN_LETTERS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang), round(min(1.0, max(0.0, float(prob))), 4)
