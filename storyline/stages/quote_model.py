"""Learned attributions: candidate cues, candidate content boundaries, a ranker and a cue classifier.

Every token that may cue an attribution (a reporting or belief verb, a cue
noun, ``according to``, a colon after a name) offers a few candidate contents
(its clausal complement, its object, the clause before it, the rest of the
sentence, ...). A ranker picks the likeliest content from features of where
each candidate starts and stops; a cue classifier then gives the probability
that the cue with that content is an attribution, from features of the cue,
its speaker, the chosen content and the runner-up. Both are linear models over hashed
features in one weight vector (``data/quote_model.json.gz``, trained by
``scripts/train_quotes.py`` on the PolNeAR train split); a cue is kept when
the probability reaches the model's threshold. Pure functions of the spaCy
``Doc``; scoring is a sum of weights, no learning library at run time. In the
accurate mode the Doc also carries a language model's token probabilities
(:mod:`.quote_lm`); both models then read them as binned features too, from
``data/quote_model_lm.json.gz``, whose cue classifier is boosted trees over the same
features (walked in numpy: :func:`forest_scores`).
"""

from __future__ import annotations

import functools
import math
import os
from pathlib import Path
from zlib import crc32

from spacy.tokens import Doc

from ..data import load_json, read_json
from .quote_candidates import (  # noqa: F401 - re-exported (__all__)
    LM_KEY, Lexicon, Option, cue_key, cue_tokens, doc_info, gold_cue_keys, is_mark, lexicon,
    options, subject,
)
from .quote_features import (  # noqa: F401
    choice_features, cue_features, in_quote_tokens, margin_feature, option_features, summary_features,
)
from .quote_forest import Forest, forest, forest_scores  # noqa: F401

__all__ = [
    "BUCKETS", "MASK", "MODEL_ENV", "model", "loaded", "pack", "unpack", "bucket", "scored", "judged", "choose",
    "classifier_row", "classify",
    # from the modules it is built of, so that `quote_model.X` keeps one door
    "LM_KEY", "Lexicon", "Option", "cue_key", "cue_tokens", "doc_info", "gold_cue_keys", "is_mark", "lexicon",
    "options", "subject", "choice_features", "cue_features", "in_quote_tokens", "margin_feature",
    "option_features", "summary_features", "Forest", "forest", "forest_scores",
]

BUCKETS = 1 << 22  # features are hashed into this many weights (few collide; only nonzero ones are stored)
MASK = BUCKETS - 1

MODEL_ENV = "STORYLINE_QUOTE_MODEL"  # a path to a model file retrained by scripts/train_quotes.py


@functools.cache
def model(accurate: bool = False, path: str | None = None) -> dict:
    """The shipped model, or the file ``path`` (the quotes stage's option ``model``, which the configuration
    also reads from $STORYLINE_QUOTE_MODEL; a script calling this directly gets the variable's file), read
    once per process. ``accurate``: the model whose features include the language model's token
    probabilities (:mod:`.quote_lm`), for documents that have them."""
    path = path or os.environ.get(MODEL_ENV)
    return loaded(read_json(Path(path)) if path else load_json("quote_model_lm.json.gz" if accurate else "quote_model.json.gz"))


def loaded(raw: dict) -> dict:
    """A model file's content as the stage uses it: cue keys as a set, nonzero weights by bucket."""
    out = {**raw, "cues": frozenset(raw["cues"]), "buckets": raw["weights"]["buckets"], "weights": unpack(raw["weights"])}
    if "forest" in raw:
        out["forest"] = forest(raw["forest"])
    return out


def pack(weights, scale: int = 100) -> dict:
    """Sparse weights for the JSON file: gaps between nonzero buckets and their values times ``scale``."""
    gaps, values, last = [], [], -1
    for i, w in enumerate(weights):
        v = round(float(w) * scale)
        if v:
            gaps.append(i - last)
            values.append(v)
            last = i
    return {"buckets": len(weights), "scale": scale, "gaps": gaps, "values": values}


def unpack(packed: dict) -> dict[int, float]:
    """The nonzero weights by bucket."""
    out = {}
    i = -1
    for gap, v in zip(packed["gaps"], packed["values"]):
        i += gap
        out[i] = v / packed["scale"]
    return out


def bucket(feature: str) -> int:
    return crc32(feature.encode()) & MASK


@functools.cache
def _weigher(accurate: bool = False, path: str | None = None):
    """feature name -> weight, memoised (feature names repeat across documents)."""
    m = model(accurate, path=path)
    weights = m["weights"]
    mask = m["buckets"] - 1  # the bucket count the model was trained with (a power of two)

    class Memo(dict):
        def __missing__(self, feature: str) -> float:
            if len(self) > 500_000:
                self.clear()
            w = self[feature] = weights.get(crc32(feature.encode()) & mask, 0.0)
            return w

    return Memo().__getitem__  # a dict lookup in C for every feature seen before


def scored(doc: Doc, quoted: list[tuple[int, int]], path: str | None = None) -> list[tuple[float, Option]]:
    """Each cue's best content (the ranker's choice) and the cue classifier's probability, above the threshold.
    ``path``: a model file instead of the shipped one."""
    threshold = model(LM_KEY in doc.user_data, path=path)["threshold"]
    return [(p, best) for p, best in judged(doc, quoted, path) if p >= threshold]


def judged(doc: Doc, quoted: list[tuple[int, int]], path: str | None = None) -> list[tuple[float, Option]]:
    """Every cue outside the quotations ``quoted`` (character spans) with the ranker's choice of content and
    the classifier's probability that it is an attribution."""
    accurate = LM_KEY in doc.user_data
    m = model(accurate, path=path)
    weight = _weigher(accurate, path)
    inside = in_quote_tokens(doc, quoted)
    info = doc_info(doc)
    rows, chosen = [], []
    for cue in cue_tokens(doc, m["cues"], info.toks):
        if cue[0] in inside:
            continue  # an attribution inside a quotation is part of the quoted speech
        opts = options(doc, cue, info)
        if not opts:
            continue
        lemma, spos, static = cue_features(doc, cue, opts[0].speaker, len(opts), info)
        k, row = classifier_row(weight, [option_features(doc, o, lemma, spos, info) for o in opts], static,
                                lambda k: summary_features(doc, opts[k], lemma, info), [o.kind for o in opts])
        rows.append(row)
        chosen.append(opts[k])
    return list(zip(classify(m, weight, rows), chosen))


def choose(weight, ranking: list[list[str]]) -> tuple[int, list[float]]:
    """The ranker: (index of the content whose features weigh most, every content's score). Sums are
    exact (``math.fsum``), so they do not depend on the features' order: weights come in steps of
    0.05, and a plain float sum could break a tie or cross a margin bucket's edge either way."""
    ranks = [math.fsum(map(weight, fs)) for fs in ranking]
    return max(range(len(ranks)), key=ranks.__getitem__), ranks


def classifier_row(weight, ranking: list[list[str]], static: list[str], summary, kinds: list[str]) -> tuple[int, list[str]]:
    """One cue: the content the ranker picks (the index of the ``ranking`` features that weigh most) and
    the cue classifier's features for it: the cue's ``static`` ones, the chosen content's ``summary(k)``
    and the ranking's :func:`choice_features` (``kinds``: each content's kind). The run time and
    scripts/train_quotes.py both build the classifier's rows here, so they cannot drift apart."""
    k, ranks = choose(weight, ranking)
    return k, static + summary(k) + choice_features(ranks, kinds, k)


def classify(m: dict, weight, rows: list[list[str]]) -> list[float]:
    """The cue classifier: for each cue's features (its own, its chosen content's and the ranking's
    :func:`choice_features`), the probability that it is an attribution. Boosted trees where the model
    has them (the accurate mode's: they learn how the language model's probabilities combine with the
    rest), else a logistic regression over hashed features, weighed by ``weight`` (shared by the run time and
    scripts/train_quotes.py)."""
    if "forest" in m:
        z = forest_scores(m["forest"], rows)
    else:
        z = [m["bias"] + math.fsum(map(weight, fs)) for fs in rows]
    return [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, float(x))))) for x in z]
