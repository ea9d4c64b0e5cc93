"""Train the attribution scorer of the quotes stage on the PolNeAR train split.

Writes storyline/data/quote_model.json.gz (gzipped JSON): the cue keys (lemmas, marked by part of
speech, that head a gold cue often enough, plus the hand lexicon), and one
weight vector holding two models over disjoint features of
:mod:`storyline.stages.quote_model`: a ranker (a softmax over each cue's
candidate contents, trained on the cues that have a right one) and a cue
classifier (logistic regression: is the ranker's choice a gold attribution?),
with its bias and threshold. No
PolNeAR text ships: only lemmas, feature names and weights. The dev split is
never read here (scripts/eval_quotes.py measures on it).

Choosing settings: ``--stage-cv 0.1,0.125`` cross-validates the whole quotes
stage (direct quotes, the learned part, every filter) by article over the
train split at those thresholds; that is how STAGE_THRESHOLD and the stage's
rules were chosen. It also counts why each unmatched attribution was missed
(no candidate cue, the classifier said no, the right cue with another content,
a rule dropped it) or predicted in vain, at the first threshold, with the cue
lemmas most often behind each count: the place to start an error analysis without
reading dev. A single held-out run through the
user's path:

    python scripts/train_quotes.py --skip 168 --out /tmp/heldout.json
    STORYLINE_QUOTE_MODEL=/tmp/heldout.json python scripts/eval_quotes.py --split train --limit 168

Usage: python scripts/train_quotes.py [--cache /tmp/polnear-train.spacy] [--folds 5]
       [--out storyline/data/quote_model.json.gz]

The accurate mode's quote model (quote_model_lm.json.gz) learns from the fine-tuned language model's
token probabilities, out of fold, which scripts/train_quote_lm.py writes first; its cue classifier is
boosted trees (LightGBM, from the ``train`` extra; ``--classifier``):

    python scripts/train_quote_lm.py --cache /tmp/polnear-train.spacy --probs /tmp/lm-probs.npz
    python scripts/train_quotes.py --cache /tmp/polnear-train.spacy --accurate /tmp/lm-probs.npz \
        --out storyline/data/quote_model_lm.json.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_quotes import POLNEAR, annotation, count_article, is_direct, match, matches, read_ann, read_discards, summarise, tokens  # noqa: E402
from storyline.stages import quote_model as qm  # noqa: E402
from storyline.stages.quote_model import BUCKETS, bucket  # noqa: E402

MIN_CUE = 1  # a lemma must head at least this many gold cues
MIN_RATE = 0.03  # ... and be a cue in at least this share of its occurrences
FREQUENT, FREQUENT_RATE = 250, 0.05
L2 = 1e-2  # stage CV F1 0.7008 / 0.7022 / 0.6994 with 3e-3 / 1e-2 / 3e-2 (best threshold each; features of 9b108c0)
EPOCHS = 2  # more overfit: stage CV F1 0.6995 with 2, 0.6944 with 3 (earlier: falls from 2 to 8 to 16)
RATE = 0.2
PRUNE = 0.03
SCALE = 20  # weights ship in steps of 0.05 (held-out F1 unchanged; keeps the file small)
SEEDS = 4  # models averaged, each over its own shuffles of the rows
# The shipped threshold, chosen by --stage-cv (the whole quotes stage, 5 folds over PolNeAR train):
# F1 0.707 / 0.708 at 0.2 / 0.25 (4,194,304 buckets; with 131,072 they were 0.699 / 0.696: features
# sharing a bucket cost 0.007-0.01). At equal F1 the higher threshold is chosen for its precision
# (0.753 against 0.729): a false "X said" misleads a reader more than a missed one. The classifier's
# probability is that this cue with the ranker's content matches a gold attribution, hence low; dev
# is never read. Re-checked after the light-verb cue keys and the speech-act cut: 0.716 / 0.714 at
# 0.25 / 0.3; and after the runner-up features (Discard spans set aside): 0.718 / 0.719 / 0.720 / 0.719
# / 0.718 at 0.2 / 0.225 / 0.25 / 0.275 / 0.3; with the gold reader that keeps spans named before
# they are defined: 0.721 / 0.718 at 0.25 / 0.3.
STAGE_THRESHOLD = 0.25
# The accurate mode's (--accurate, with the boosted trees, the language model fine-tuned for 3 epochs):
# F1 0.746 / 0.745 / 0.743 at 0.25 / 0.3 / 0.35; 0.3 for its precision (0.785 against 0.770), as above
# (after 2 epochs: 0.742 / 0.743 / 0.741; with trees at most 10 deep, below: 0.746 / 0.746; with four
# layers of the language model, quote_lm.DEPTH: 0.749 / 0.749 / 0.748, precision 0.786 against 0.770).
ACCURATE_THRESHOLD = 0.3
# The cue classifier's boosted trees (fit_forest): LightGBM's settings, chosen on the learned part alone
# (5 folds over train, accurate mode): 400 trees of 31 leaves at rate 0.05 gave F1 0.657; 800 at 0.03
# 0.658, 300 of 63 leaves 0.656, 600 of 15 leaves 0.656 (the logistic regression: 0.649). At most 10
# levels deep: the run time walks every tree level by level, and unbounded trees went 28 deep for the same
# stage CV (0.746 / 0.746 at 0.25 / 0.3 with max_depth 10; 0.746 / 0.745 without).
TREES = 400
FOREST = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 31, "max_depth": 10, "min_data_in_leaf": 20,
          "feature_fraction": 0.5, "lambda_l2": 1.0, "seed": 7, "deterministic": True, "force_col_wise": True, "num_threads": 2,
          "verbosity": -1}


def save_parsed(docs: list, cache: Path) -> None:
    """Write parsed documents to ``cache`` (a DocBin) and their tok2vec tensors beside it (.npy),
    making its folder if need be (build/ does not exist in a fresh checkout)."""
    from spacy.tokens import DocBin

    cache.parent.mkdir(parents=True, exist_ok=True)
    db = DocBin(store_user_data=False)
    for d in docs:
        db.add(d)
    db.to_disk(cache)
    np.save(cache.with_suffix(".npy"), np.concatenate([d.tensor for d in docs]).astype(np.float32))


def parsed(split: str, cache: Path | None):
    """(name, Doc, gold) for every article of ``split``, parsed once and cached (with the tok2vec tensors)."""
    from spacy.tokens import DocBin

    from storyline.pipeline.analyze import load_model

    nlp = load_model()
    folder = POLNEAR / split
    files = sorted((folder / "text").glob("*.txt"))
    tensors = cache.with_suffix(".npy") if cache is not None else None
    if cache is not None and cache.is_file() and tensors.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        flat = np.load(tensors)
        at = 0
        for d in docs:
            d.tensor = flat[at : at + len(d)]
            at += len(d)
    else:
        docs = list(nlp.pipe((f.read_text(encoding="utf-8") for f in files), batch_size=16))
        if cache is not None:
            save_parsed(docs, cache)
    for f, doc in zip(files, docs):
        ann = annotation(split, f.stem)
        if ann is not None:
            yield f.stem, doc, read_ann(ann)


def lm_probabilities(data, path: Path, folds: int) -> None:
    """Give every article's Doc the accurate mode's token probabilities, as scripts/train_quote_lm.py
    wrote them to ``path``: each from a fine-tuned model that did not see the article (so the quote
    model learns from what the run time gives on unseen text)."""
    z = np.load(path)
    stems = [s for s, _, _ in data]
    if list(z["stems"]) != stems or int(z["folds"]) != folds:
        sys.exit(f"error: {path} is for other articles or folds; run scripts/train_quote_lm.py again")
    probs = z["probs"]  # each z[...] reads and decompresses the array again
    at = 0
    for (_, doc, _), n in zip(data, z["lens"]):
        if n != len(doc):
            sys.exit(f"error: {path} was written for another parse; run scripts/train_quote_lm.py again")
        doc.user_data[qm.LM_KEY] = probs[at : at + n].astype(np.float32)
        at += n


def cue_lemmas(data, hand: set[str]) -> list[str]:
    """Cue keys (lemma, marked by part of speech) heading a gold cue at least MIN_CUE times and in MIN_RATE
    of their uses, plus the hand lexicon's."""
    as_cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for _, doc, gold in data:
        for tok in doc:
            key = qm.cue_key(tok)
            if key is not None:
                seen[key] += 1
        for g in gold:
            for s, e in g["cue"][:1]:
                span = doc.char_span(s, e, alignment_mode="expand")
                for key in qm.gold_cue_keys(span) if span is not None and len(span) else ():
                    as_cue[key] += 1
    keep = {w for w, n in as_cue.items() if n >= MIN_CUE and seen[w] and n / seen[w] >= MIN_RATE}
    # frequent words that are seldom cues (be, have, go) cost more than they find; the hand lexicon stays
    keep = {w for w in keep if seen[w] < FREQUENT or as_cue[w] / seen[w] >= FREQUENT_RATE}
    return sorted(keep | {w for w in hand if seen[w]})


class Group(NamedTuple):
    """One cue candidate: its own features, each option's ranking and summary features, labels, token sets."""

    static: list[str]
    ranking: list[list[str]]
    summary: list[list[str]]
    labels: list[int]
    spans: list[frozenset[int]]
    kinds: list[str]


def examples(doc, gold, cues: frozenset[str]):
    """The cue groups of one article, and the gold contents as token sets."""
    from storyline.stages.quotemarks import scan

    text = doc.text
    quoted = [(m.start, m.end) for m in scan(text) if m.depth == 0 and m.end - m.start > 2]
    inside = qm.in_quote_tokens(doc, quoted)
    info = qm.doc_info(doc)
    gtoks = [tokens(text, g["content"]) for g in gold]
    out = []
    for cue in qm.cue_tokens(doc, cues, info.toks):
        if cue[0] in inside:
            continue  # as at run time: attributions inside quotations are not scored
        opts = qm.options(doc, cue, info)
        if not opts:
            continue
        cs, ce = doc[cue[0]].idx, doc[cue[1] - 1].idx + len(doc[cue[1] - 1])
        mine = [k for k, g in enumerate(gold) if any(s < ce and cs < e for s, e in g["cue"])]
        lemma, spos, static = qm.cue_features(doc, cue, opts[0].speaker, len(opts), info)
        ranking, summary, labels, spans = [], [], [], []
        for o in opts:
            start, end = doc[o.span[0]].idx, doc[o.span[1] - 1].idx + len(doc[o.span[1] - 1])
            p = tokens(text, [(start, end)])
            ok = any(matches(gtoks[k], p) for k in mine)
            ranking.append(qm.option_features(doc, o, lemma, spos, info))
            summary.append(qm.summary_features(doc, o, lemma, info))
            labels.append(int(ok))
            spans.append(p)
        out.append(Group(static, ranking, summary, labels, spans, [o.kind for o in opts]))
    return out, gtoks


def train(groups: list[Group], epochs: int = EPOCHS, l2: float = L2, trees: bool = False) -> tuple[np.ndarray, float, dict | None]:
    """The ranker (options of cues that have a right one), then the cue classifier on the ranker's choices:
    (the weights, the classifier's bias, its boosted trees or None). ``trees``: boosted trees
    (:func:`fit_forest`) instead of the logistic regression.

    The classifier learns from choices made by rankers that did not see the cue's article
    (two halves, each ranked by a ranker trained on the other), as at run time.
    """
    half = [groups[: len(groups) // 2], groups[len(groups) // 2 :]]  # groups come in article order
    rankers = [fit_ranker(half[1 - k], epochs) for k in range(2)]
    rows = [cue_row(g, rankers[k]) for k in range(2) for g in half[k]]
    ranker = fit_ranker(groups, epochs)
    if trees:
        return ranker, 0.0, fit_forest(rows)
    w, b = fit(rows, epochs, l2)
    return w + ranker, b, None


def cue_row(g: Group, ranker: np.ndarray) -> tuple[list[str], int]:
    """The classifier's features and label for one cue, given the ranker's choice."""
    k, row = qm.classifier_row(lambda f: ranker[bucket(f)], g.ranking, g.static, g.summary.__getitem__, g.kinds)
    return row, g.labels[k]


def fit_ranker(groups: list[Group], epochs: int) -> np.ndarray:
    """A softmax over each cue's options, raising the share of the right ones (AdaGrad, averaged over seeds)."""
    data = [[np.unique(np.array([bucket(f) for f in fs], dtype=np.int64)) for fs in g.ranking] for g in groups if any(g.labels) and len(g.labels) > 1]
    labels = [np.array(g.labels, dtype=float) for g in groups if any(g.labels) and len(g.labels) > 1]
    out = np.zeros(BUCKETS)
    for seed in range(SEEDS):
        w = np.zeros(BUCKETS)
        g2 = np.full(BUCKETS, 1e-8)
        order = list(range(len(data)))
        rng = random.Random(7 + seed)
        for _ in range(epochs):
            rng.shuffle(order)
            for n in order:
                idx, y = data[n], labels[n]
                z = np.array([w[i].sum() for i in idx])
                p = np.exp(z - z.max())
                p /= p.sum()
                q = p * y
                q /= q.sum()
                for i, grad in zip(idx, p - q):
                    if grad:
                        gw = grad + L2 * w[i]
                        g2[i] += gw * gw
                        w[i] -= RATE * gw / np.sqrt(g2[i])
        out += w
    return out / SEEDS


def fit(examples, epochs: int, l2: float) -> tuple[np.ndarray, float]:
    """The average of SEEDS logistic regressions, each over its own shuffles of the rows."""
    rows = [(np.unique(np.array([bucket(f) for f in fs], dtype=np.int64)), y) for fs, y in examples]
    runs = [fit_one(rows, epochs, l2, 13 + k) for k in range(SEEDS)]
    return sum(w for w, _ in runs) / len(runs), sum(b for _, b in runs) / len(runs)


def fit_one(rows, epochs: int, l2: float, seed: int) -> tuple[np.ndarray, float]:
    """Logistic regression with AdaGrad over sparse binary features."""
    rows = list(rows)
    w = np.zeros(BUCKETS)
    g2 = np.full(BUCKETS, 1e-8)
    b, gb = 0.0, 1e-8
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(rows)
        for idx, y in rows:
            z = b + w[idx].sum()
            p = 1.0 / (1.0 + np.exp(-max(-30.0, min(30.0, z))))
            grad = p - y
            gw = grad + l2 * w[idx]
            g2[idx] += gw * gw
            w[idx] -= RATE * gw / np.sqrt(g2[idx])
            gb += grad * grad
            b -= RATE * grad / np.sqrt(gb)
    return w, b


def fit_forest(rows) -> dict:
    """The cue classifier as boosted trees (LightGBM, from the ``train`` extra) over the same features,
    present or absent, flattened for :func:`storyline.stages.quote_model.forest_scores`. Trees learn how
    the accurate mode's binned language-model probabilities combine with the cue and its content, which a
    sum of weights cannot (stage CV on train, accurate mode, the language model fine-tuned for 2 epochs: F1 0.739 -> 0.743). In the fast mode they
    gain nothing (the learned part alone, 5 folds: F1 0.627 linear, 0.628 trees; ``--classifier trees`` without
    ``--accurate`` prints it), so it stays linear."""
    import lightgbm
    from scipy.sparse import csr_matrix

    names = sorted({f for fs, _ in rows for f in fs})
    column = {name: k for k, name in enumerate(names)}
    indices, starts = [], [0]
    for fs, _ in rows:
        indices += sorted({column[f] for f in fs})
        starts.append(len(indices))
    x = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, starts), shape=(len(rows), len(names)))
    booster = lightgbm.train(FOREST, lightgbm.Dataset(x, np.array([y for _, y in rows], dtype=float)), num_boost_round=TREES)
    raw = forest_file(booster.dump_model(), names)
    # the flattened trees must give LightGBM's own scores
    sample = slice(0, 2000)
    mine = qm.forest_scores(qm.forest(raw), [fs for fs, _ in rows[sample]])
    theirs = booster.predict(x[sample], raw_score=True)
    if not np.allclose(mine, theirs, atol=1e-3):
        raise RuntimeError(f"flattened trees differ from LightGBM's by up to {np.abs(mine - theirs).max():.4f}")
    return raw


def forest_file(dump: dict, names: list[str]) -> dict:
    """LightGBM's ``dump_model()`` as the model file's ``forest``: only the features some split uses,
    every split as the child for a present and an absent feature, leaves rounded."""
    used: dict[str, int] = {}
    feature: list[int] = []
    present: list[int] = []
    absent: list[int] = []
    leaves: list[float] = []

    def walk(node: dict) -> int:
        if "leaf_value" in node:
            leaves.append(round(node["leaf_value"], 6))
            return ~(len(leaves) - 1)
        if node["decision_type"] != "<=":
            raise ValueError(f"unexpected split {node['decision_type']!r}")
        k = len(feature)
        feature.append(used.setdefault(names[node["split_feature"]], len(used)))
        present.append(0)
        absent.append(0)
        left, right = walk(node["left_child"]), walk(node["right_child"])
        zero_left = node["default_left"] if node["missing_type"] == "Zero" else 0 <= node["threshold"]
        absent[k] = left if zero_left else right
        present[k] = left if 1 <= node["threshold"] else right
        return k

    roots = [walk(tree["tree_structure"]) for tree in dump["tree_info"]]
    return {"features": list(used), "feature": feature, "present": present, "absent": absent, "leaves": leaves, "roots": roots}


def classifier(b: float, forest: dict | None) -> dict:
    """What :func:`storyline.stages.quote_model.classify` reads of a model: its bias, and its trees as arrays."""
    return {"bias": b, **({"forest": qm.forest(forest)} if forest else {})}


def decide(groups: list[Group], w: np.ndarray, m: dict):
    """Per cue: (the classifier's probability, token set of the ranker's choice); ``m`` as :func:`classifier` makes it."""
    weight = lambda f: w[bucket(f)]  # noqa: E731
    rows, spans = [], []
    for g in groups:
        k, row = qm.classifier_row(weight, g.ranking, g.static, g.summary.__getitem__, g.kinds)
        rows.append(row)
        spans.append(g.spans[k])
    return list(zip(qm.classify(m, weight, rows), spans))


def score_docs(docs_pred, threshold: float) -> dict:
    """P/R/F1 of the learned attributions alone, with the evaluation's match rule."""
    tp = npred = ngold = 0
    for preds, gtoks in docs_pred:
        kept = [sp for p, sp in preds if p >= threshold]
        npred += len(kept)
        ngold += len(gtoks)
        tp += len(match(gtoks, kept))
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"threshold": threshold, "precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def shipped(w: np.ndarray, b: float, cues: list[str], threshold: float, forest: dict | None = None) -> dict:
    """The model file's content for weights ``w`` (pruned and rounded as shipped) and the classifier's trees."""
    weights = qm.pack([0 if abs(x) < PRUNE else x for x in w], scale=SCALE)
    return {"threshold": threshold, "bias": round(float(b), 4), "cues": cues, "weights": weights, **({"forest": forest} if forest else {})}


def error_kinds(errors: Counter, doc, text: str, gold: list[dict], pred: list[dict], pairs, threshold: float, lemmas: Counter | None = None) -> None:
    """Add why each unmatched attribution of one article was missed, or predicted in vain, to ``errors``
    (keys start with D for direct content, R for reported); ``pred`` and ``pairs`` as count_article gives them.
    ``lemmas`` (optional) counts the same by the cue's root lemma and part of speech: where a class of cues fails."""
    from storyline.stages.quotemarks import scan

    found_g, found_p = {g for g, _ in pairs}, {p for _, p in pairs}
    quoted = [(m.start, m.end) for m in scan(text) if m.depth == 0 and m.end - m.start > 2]
    cues = [(p, (doc[o.cue[0]].idx, doc[o.cue[1] - 1].idx + len(doc[o.cue[1] - 1]))) for p, o in qm.judged(doc, quoted)]

    def meets(a, b) -> bool:
        return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]

    for gi, g in enumerate(gold):
        if gi in found_g:
            continue
        cue = g["cue"][0] if g["cue"] else None
        near = [p for p, span in cues if meets(span, cue)]
        why = ("gold has no cue" if cue is None
               else "right cue, other content" if any(meets(p["cue"], cue) for p in pred)
               else "no candidate cue" if not near
               else "classifier said no" if max(near) < threshold
               else "dropped by a rule")
        key = ("D" if is_direct(text, g["content"]) else "R") + " missed: " + why
        errors[key] += 1
        if lemmas is not None and cue is not None:
            lemmas[(key, root_lemma(doc, cue))] += 1
    for pi, p in enumerate(pred):
        if pi in found_p:
            continue
        why = ("no cue" if p["cue"] is None
               else "right cue, other content" if any(g["cue"] and meets(p["cue"], g["cue"][0]) for g in gold)
               else "cue not in gold")
        key = ("D" if p["direct"] else "R") + " extra: " + why
        errors[key] += 1
        if lemmas is not None and p["cue"] is not None:
            lemmas[(key, root_lemma(doc, p["cue"]))] += 1


def root_lemma(doc, span: tuple[int, int]) -> str:
    """``lemma/POS`` of the root of the tokens under a character span."""
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand")
    return tokens.root.lemma_.lower() + "/" + tokens.root.pos_ if tokens is not None and len(tokens) else "?"


def stage_cv(data, per_doc, cues: list[str], folds: list[list[int]], thresholds: list[float], errors: Counter | None = None,
             lemmas: Counter | None = None, trees: bool = False) -> list[dict]:
    """Cross-validate the whole quotes stage (direct quotes, the learned part and every filter) by article:
    each fold's articles are analysed with a model trained on the other folds, and scored as
    scripts/eval_quotes.py scores dev. One row per threshold."""
    from storyline.pipeline.analyze import run_stages
    from storyline.records import Analysis, Document, content_id

    counts = {t: Counter() for t in thresholds}
    discards = {stem: read_discards(annotation("train", stem)) for stem, _, _ in data}
    original = qm.model
    try:
        for k, test in enumerate(folds):
            test_set = set(test)
            w, b, forest = train([g for d, (groups, _) in enumerate(per_doc) if d not in test_set for g in groups], trees=trees)
            for t in thresholds:
                raw = qm.loaded(shipped(w, b, cues, t, forest))
                qm.model = lambda accurate=False, path=None, raw=raw: raw
                qm._weigher.cache_clear()
                for d in test:
                    stem, doc, gold = data[d]
                    text = doc.text
                    analysis = Analysis(document=Document(id=content_id(text), text=text, source_path="polnear"))
                    pred, pairs = count_article(counts[t], text, gold, run_stages(doc, analysis), discards.get(stem, []))
                    if errors is not None and t == thresholds[0]:
                        error_kinds(errors, doc, text, gold, pred, pairs, t, lemmas)
            print(f"stage fold {k + 1}/{len(folds)} done")
    finally:
        qm.model = original
        qm._weigher.cache_clear()
    rows = []
    for t, c in counts.items():
        s = summarise("train", len(data), c)
        rows.append({"threshold": t, **{key: s[key]["f1"] for key in ("all", "direct", "reported")}, "precision": s["all"]["precision"],
                     "recall": s["all"]["recall"], "speaker_accuracy": s["speaker_accuracy"]})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None, help="parsed train split (spaCy DocBin), written when absent")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threshold", type=float, default=None,
                    help=f"ship this threshold (0 = the learned part's cross-validated best; default: {STAGE_THRESHOLD}, "
                         f"with --accurate {ACCURATE_THRESHOLD}, chosen on the whole stage)")
    ap.add_argument("--l2", type=float, default=L2, help="L2 penalty per update")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--skip", type=int, default=0, help="leave the first N train articles out (a held-out check of the whole stage)")
    ap.add_argument("--out", type=Path, default=ROOT / "storyline" / "data" / "quote_model.json.gz", help="a .gz name is gzipped")
    ap.add_argument("--accurate", metavar="PROBS", type=Path, default=None,
                    help="train the accurate mode's quote model, on the token probabilities that scripts/train_quote_lm.py wrote to PROBS")
    ap.add_argument("--classifier", choices=("linear", "trees"), default=None,
                    help="the cue classifier: a logistic regression, or boosted trees (LightGBM, from the train extra); "
                         "default: trees with --accurate, else linear")
    ap.add_argument("--stage-cv", default=None, metavar="T,T,...", help="cross-validate the whole stage at these thresholds, print, write nothing")
    args = ap.parse_args(argv)
    if not POLNEAR.is_dir():
        print(f"skipped: PolNeAR is absent at {POLNEAR}")
        return 0
    if args.accurate and (args.skip or args.limit is not None):
        ap.error("--accurate reads probabilities for the whole split: no --skip or --limit")
    trees = (args.classifier or ("trees" if args.accurate else "linear")) == "trees"
    if args.threshold is None:
        args.threshold = ACCURATE_THRESHOLD if args.accurate else STAGE_THRESHOLD
    lex = qm.lexicon()
    data = list(parsed("train", args.cache))[args.skip : args.limit]
    folds = [list(range(k, len(data), args.folds)) for k in range(args.folds)] if args.folds > 1 else []
    if args.accurate:
        lm_probabilities(data, args.accurate, args.folds)
    cues = cue_lemmas(data, set(lex.speech | lex.belief) | {n + "/n" for n in lex.nouns})
    print(f"{len(data)} articles, {len(cues)} cue lemmas")
    per_doc = [examples(doc, gold, frozenset(cues)) for _, doc, gold in data]
    if args.stage_cv:
        errors: Counter = Counter()
        lemmas: Counter = Counter()
        thresholds = [float(t) for t in args.stage_cv.split(",")]
        for row in stage_cv(data, per_doc, cues, folds, thresholds, errors, lemmas, trees):
            print(row)
        print(f"why attributions were missed or predicted in vain (threshold {thresholds[0]}), with the cue lemmas most often behind it:")
        for why, n in sorted(errors.items()):
            top = sorted(((m, lem) for (w, lem), m in lemmas.items() if w == why), reverse=True)[:6]
            print(f"  {n:6d}  {why}  ({', '.join(f'{lem} {m}' for m, lem in top)})")
        return 0
    # cross-validation by article: choose the threshold, report the learned part alone
    held: list = []
    for k, test in enumerate(folds):
        test_set = set(test)
        tr = [g for d, (groups, _) in enumerate(per_doc) if d not in test_set for g in groups]
        w, b, forest = train(tr, l2=args.l2, trees=trees)
        m = classifier(b, forest)  # the trees as arrays once per fold, not once per article
        held += [(decide(per_doc[d][0], w, m), per_doc[d][1]) for d in test]
        print(f"fold {k + 1}/{args.folds} done")
    grid = [score_docs(held, t / 100) for t in range(10, 75, 5)] if held else [{"threshold": args.threshold or 0.3, "f1": 0.0}]
    for row in grid:
        print(row)
    best = max(grid, key=lambda r: r["f1"])
    print("cross-validated best:", best)
    if args.threshold:
        best = {**score_docs(held, args.threshold), "stage_threshold": True} if held else grid[0]
    every = [g for groups, _ in per_doc for g in groups]
    w, b, forest = train(every, l2=args.l2, trees=trees)
    out = {
        "about": "Weights of the ranker and cue classifier of storyline.stages.quote_model, trained by scripts/train_quotes.py on PolNeAR train.",
        "cross_validated": best,
        **shipped(w, b, cues, best["threshold"], forest),
    }
    payload = (json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    args.out.write_bytes(gzip.compress(payload, mtime=0) if args.out.name.endswith(".gz") else payload)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB, {len(out['weights']['values'])} nonzero weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
