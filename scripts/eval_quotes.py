"""Score the quotes stage against PolNeAR (../shared/eval/polnear).

The articles are ingested with ``Corpus.ingest(..., verbatim=True)`` (the
``--verbatim`` path a user takes: the exact file text is stored, so offsets
equal the gold offsets), and the quotes are read back from the corpus. An attribution is matched when the gold
and predicted content share at least half of the gold's word tokens and half of
the prediction's (tokens: ``\\w+`` runs). Predicted quotes sharing one cue (a
split quote) count as one attribution, as in the gold, where a split quote is
one discontinuous Content. Matching is one-to-one, greedy by overlap. Text an annotator
marked Discard (editor's notes, bylines, photo credits) was left out of the annotation, so
predictions lying mostly in it are set aside (counted, not scored).

- all: every gold attribution (Attribution and Attribution-no-source).
- direct: gold content whose first or last character is a quotation mark;
  predictions of kind ``direct``.
- reported: the rest (indirect and mixed): gold content that is not direct;
  predictions of kind ``indirect`` or ``mixed``.
- speaker accuracy: over matched pairs whose gold has a Source, the predicted
  speaker mention overlaps a gold Source span. Gold without a Source is counted
  apart (how often the prediction has no speaker either).

Usage: python scripts/eval_quotes.py [--split dev] [--limit N] [--out docs/evaluation-quotes.md]
       [--json summary.json]

The stage's cost is measured once, with every other stage's, by scripts/bench.py (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "eval" / "polnear"
MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
WORD = re.compile(r"\w+")

sys.path.insert(0, str(ROOT))


def read_brat(path: Path) -> tuple[dict[str, tuple[str, list[tuple[int, int]]]], list[list[str]]]:
    """One brat standoff file: its text-bound annotations (id -> (type, character ranges)) and the
    arguments (``Role:id``) of each of its events."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if line.startswith("T"):
            kind, _, ranges = parts[1].partition(" ")
            spans[parts[0]] = (kind, [tuple(int(x) for x in r.split()) for r in ranges.split(";") if r.strip()])
        elif line.startswith("E"):
            events.append(parts[1].split()[1:])
    return spans, events


def read_gold(path: Path) -> tuple[list[dict], list[tuple[int, int]]]:
    """The gold attributions (content/cue/source span lists) and the Discard spans of one brat file, read once."""
    spans, events = read_brat(path)
    return _attributions(spans, events), [r for kind, ranges in spans.values() if kind == "Discard" for r in ranges]


def read_ann(path: Path) -> list[dict]:
    """Gold attributions of one brat file: content/cue/source span lists."""
    return read_gold(path)[0]


def _attributions(spans: dict[str, tuple[str, list[tuple[int, int]]]], events: list[list[str]]) -> list[dict]:
    out = []
    for args in events:
        roles: dict[str, list[tuple[int, int]]] = {"content": [], "cue": [], "source": []}
        for arg in args:
            role, tid = arg.split(":")
            key = "content" if role.startswith("Content") else role.lower().rstrip("0123456789")
            if key in roles:
                roles[key] += spans.get(tid, ("", []))[1]
        if roles["content"]:
            out.append(roles)
    return out


def read_discards(path: Path) -> list[tuple[int, int]]:
    """The spans an annotator marked Discard: text left out of the annotation (editor's notes, bylines,
    photo credits, embedded tweets' markup). Gold says nothing about them, so predictions there are not scored."""
    return read_gold(path)[1]


def discarded(content: frozenset[int], discards: Sequence[tuple[int, int]]) -> bool:
    """Half of a prediction's tokens or more lie in Discard spans."""
    return bool(content) and sum(any(s <= t < e for s, e in discards) for t in content) >= 0.5 * len(content)


def annotation(split: str, stem: str) -> Path | None:
    """The annotation file scored for one article: the first of its annotators' files (as in every count here)."""
    anns = sorted((POLNEAR / split / "attributions").glob(stem + "_*.ann"))
    return anns[0] if anns else None


def tokens(text: str, ranges) -> frozenset[int]:
    return frozenset(m.start() + s for s, e in ranges for m in WORD.finditer(text[s:e]))


def is_direct(text: str, ranges) -> bool:
    s, e = min(r[0] for r in ranges), max(r[1] for r in ranges)
    piece = text[s:e].strip()
    return bool(piece) and (piece[0] in MARKS or piece.rstrip(".,;:!?")[-1:] in MARKS or piece[-1] in MARKS)


def predictions(analysis) -> list[dict]:
    groups: dict[object, dict] = {}
    for q in analysis.quotes:
        key = (q.cue_start, q.cue_end) if q.cue_start is not None else ("nocue", q.content_start)
        g = groups.setdefault(key, {"content": [], "speaker": [], "direct": False, "cue": key if q.cue_start is not None else None})
        g["content"].append((q.content_start, q.content_end))
        if q.speaker_start is not None:
            g["speaker"].append((q.speaker_start, q.speaker_end))
        g["direct"] |= q.kind == "direct"
    return list(groups.values())


def matches(gold: frozenset[int], pred: frozenset[int]) -> bool:
    """The match rule: the two contents share half of the gold's tokens and half of the prediction's."""
    n = len(gold & pred)
    return bool(gold) and bool(pred) and n >= 0.5 * len(gold) and n >= 0.5 * len(pred)


def match(gold: list[frozenset[int]], pred: list[frozenset[int]]) -> list[tuple[int, int]]:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if matches(g, p):
                pairs.append((len(g & p) / max(len(g), len(p)), gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def overlaps(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def articles(split: str, limit: int | None):
    for txt in sorted((POLNEAR / split / "text").glob("*.txt"))[:limit]:
        ann = annotation(split, txt.stem)
        if ann is not None:
            yield txt, ann


def ingest_quotes(paths: list[Path], quotes: str = "fast") -> tuple[dict[str, list], dict[str, str]]:
    """Ingest the articles verbatim into a fresh corpus (the quotes stage in mode ``quotes``); return its
    quotes and texts by document id."""
    import tempfile

    from storyline import Corpus, store
    from storyline.records import Quote

    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "eval.db") as corpus:
        summary = corpus.ingest([str(p) for p in paths], verbatim=True, quotes=quotes)
        if summary.rejected:
            print(f"warning: {summary.rejected} articles rejected: {summary.rejections[:3]}", file=sys.stderr)
        by_doc: dict[str, list] = {}
        for q in store.iter_records(corpus._read(), Quote):
            by_doc.setdefault(q.doc_id, []).append(q)
        texts = {r["id"]: r["text"] for r in corpus._read().execute("SELECT id, text FROM documents")}
    return by_doc, texts


def evaluate(split: str, limit: int | None, quotes: str = "fast") -> dict:
    from types import SimpleNamespace

    from storyline.records import content_id

    pairs_list = list(articles(split, limit))
    quotes_by_doc, stored = ingest_quotes([txt for txt, _ann in pairs_list], quotes)
    c: Counter[str] = Counter()
    n_docs = 0
    for txt, ann in pairs_list:
        text = txt.read_bytes().decode("utf-8")
        doc_id = content_id(text)
        if stored.get(doc_id) != text:
            sys.exit(f"{txt}: the stored text differs from the file, so gold offsets would not hold")
        analysis = SimpleNamespace(quotes=sorted(quotes_by_doc.get(doc_id, []), key=lambda q: q.content_start))
        n_docs += 1
        gold, discards = read_gold(ann)
        count_article(c, text, gold, analysis, discards)
    return summarise(split, n_docs, c)


def count_article(c: Counter, text: str, gold: list[dict], analysis, discards: Sequence[tuple[int, int]] = ()) -> tuple[list[dict], list[tuple[int, int]]]:
    """Add one article's matches to the counts ``summarise`` turns into scores; return the
    predictions and the matched (gold, prediction) index pairs. Predictions in the ``discards``
    spans (text the annotators left out) are set aside and only counted."""
    pred = predictions(analysis)
    if discards:
        kept = [p for p in pred if not discarded(tokens(text, p["content"]), discards)]
        c["set_aside"] += len(pred) - len(kept)
        pred = kept
    gdir = [is_direct(text, g["content"]) for g in gold]
    pairs = match([tokens(text, g["content"]) for g in gold], [tokens(text, p["content"]) for p in pred])
    c["gold"] += len(gold)
    c["pred"] += len(pred)
    c["tp_g"] += len(pairs)
    c["tp_p"] += len(pairs)
    c["dgold"] += sum(gdir)
    c["dpred"] += sum(p["direct"] for p in pred)
    c["dtp_g"] += sum(gdir[gi] for gi, _ in pairs)
    c["dtp_p"] += sum(pred[pi]["direct"] for _, pi in pairs)
    c["rgold"] += len(gold) - sum(gdir)
    c["rpred"] += sum(not p["direct"] for p in pred)
    c["rtp_g"] += sum(not gdir[gi] for gi, _ in pairs)
    c["rtp_p"] += sum(not pred[pi]["direct"] for _, pi in pairs)
    for gi, pi in pairs:
        if gold[gi]["source"]:
            c["spk_n"] += 1
            c["spk_ok"] += overlaps(gold[gi]["source"], pred[pi]["speaker"])
        else:
            c["nosrc_n"] += 1
            c["nosrc_none"] += not pred[pi]["speaker"]
    return pred, pairs


def agreement(splits: tuple[str, ...] = ("train", "dev")) -> dict:
    """How far PolNeAR's annotators agree with each other under this match rule: micro F1 over every
    ordered pair of annotation files of the articles that several people annotated (gold only)."""
    import itertools

    tp = n_a = n_b = articles = 0
    for split in splits:
        folder = POLNEAR / split
        by_article: dict[str, list[Path]] = {}
        for ann in sorted((folder / "attributions").glob("*.ann")):
            by_article.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
        for stem, anns in by_article.items():
            if len(anns) < 2:
                continue
            articles += 1
            text = (folder / "text" / (stem + ".txt")).read_text(encoding="utf-8")
            sets = [[tokens(text, g["content"]) for g in read_ann(a)] for a in anns]
            for a, b in itertools.permutations(range(len(sets)), 2):
                tp += len(match(sets[a], sets[b]))
                n_a += len(sets[a])
                n_b += len(sets[b])
    m = prf(tp, n_b, tp, n_a)
    return {"articles": articles, "f1": m["f1"]}


def prf(tp_p: int, pred: int, tp_g: int, gold: int) -> dict:
    p = tp_p / pred if pred else 0.0
    r = tp_g / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": gold, "predicted": pred}


def summarise(split: str, n_docs: int, c: dict) -> dict:
    return {
        "dataset": f"PolNeAR {split}",
        "documents": n_docs,
        "all": prf(c["tp_p"], c["pred"], c["tp_g"], c["gold"]),
        "direct": prf(c["dtp_p"], c["dpred"], c["dtp_g"], c["dgold"]),
        "reported": prf(c["rtp_p"], c["rpred"], c["rtp_g"], c["rgold"]),
        "speaker_accuracy": round(c["spk_ok"] / c["spk_n"], 3) if c["spk_n"] else 0.0,
        "speaker_pairs": c["spk_n"],
        "no_source_pairs": c["nosrc_n"],
        "no_source_predicted_none": round(c["nosrc_none"] / c["nosrc_n"], 3) if c["nosrc_n"] else 0.0,
        "set_aside": c["set_aside"],
    }


def markdown(s: dict) -> str:
    rows = [
        "| set | precision | recall | F1 | gold | predicted |",
        "|---|---|---|---|---|---|",
    ]
    for key in ("all", "direct", "reported"):
        m = s[key]
        rows.append(f"| {key} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['gold']} | {m['predicted']} |")
    out = [
        f"## Quotes: {s['dataset']} ({s['documents']} articles)",
        "",
        *rows,
        "",
        f"Speaker accuracy over matched attributions with a gold Source: {s['speaker_accuracy']:.3f} ({s['speaker_pairs']} pairs).",
        f"Matched gold attributions without a Source: {s['no_source_pairs']}; predicted without a speaker: {s['no_source_predicted_none']:.3f}.",
        f"Predictions set aside in text the annotators marked Discard: {s['set_aside']}.",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--quotes", default="fast", choices=("fast", "accurate"), help="the quotes stage's mode")
    ap.add_argument("--out", type=Path, default=None, help="write a markdown report here")
    ap.add_argument("--json", type=Path, default=None, help="write the JSON summary here")
    args = ap.parse_args(argv)
    if not POLNEAR.is_dir():
        print(f"skipped: PolNeAR is absent at {POLNEAR} (../shared not mounted)")
        return 0
    summary = {**evaluate(args.split, args.limit, args.quotes), "mode": args.quotes}
    summary["annotator_agreement"] = agreement()
    report = markdown(summary)
    print(report)
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
