"""Language identification with py3langid (its model ships inside the package)."""

from __future__ import annotations

import functools

METHOD = "py3langid/0.4.0"
SAMPLE_CHARS = 5000
MIN_LETTERS = 20

@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

def identify(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability in [0, 1]) of ``text``, or None when too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang), round(min(1.0, max(0.0, float(prob))), 4)
