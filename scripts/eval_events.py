"""Score the PLOVER events stage against the gold records in ../shared/eval/plover/gsr_dev.json.

Each gold record is one sentence with an event type and source/target actors
(ISO3 code, sector). The records are ingested as JSON Lines (text, date, id)
into a fresh corpus with ``Corpus.ingest``, the path a user's data takes, so
each sentence runs through the whole analysis with ``Document.published`` set
to the record's date; events and entities are then read back from the corpus.
Metrics:

* type accuracy: the type of the best event of the sentence (highest
  confidence) equals the gold type; a sentence with no event counts as wrong.
* country match: over every gold actor code that is a country (IGO, NGO and
  other non-country codes are left out; the gold's JAP is read as JPN), the
  fraction found among the countries of the best event's source and target
  entities (pooled: a gold source code found on the predicted target counts).
  ``side match`` is the strict version: gold source codes against the predicted
  source's country, gold target codes against the predicted target's.

The dev file is the only gold, so rules were tuned on even-indexed records;
odd-indexed records are held out. Both halves are reported.

Usage: python scripts/eval_events.py [--shared ../shared] [--cost 200] [--misses]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ALIASES = {"JAP": "JPN", "UK": "GBR"}


def country(code: str | None) -> str | None:
    """The ISO 3166 alpha-3 code a gold actor code stands for, or None for IGO/NGO/..."""
    import pycountry

    if not code:
        return None
    code = ALIASES.get(code, code)
    if code in ("PSE", "XKX"):
        return code
    return code if pycountry.countries.get(alpha_3=code) else None


def gold_codes(side) -> list[str]:
    if not isinstance(side, list):
        return []
    return [c for c in (country(a.get("code")) for a in side) if c]


def best_event(analysis):
    if not analysis.events:
        return None
    return max(analysis.events, key=lambda e: (e.confidence, -e.trigger_start))


def ingest(records: list[dict], workers: int | None = None) -> dict:
    """Ingest the records as JSON Lines; return an Analysis-like view per document id."""
    import tempfile
    from types import SimpleNamespace

    from storyline import Corpus, store
    from storyline.records import Entity, Event

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "plover.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps({"id": rec["id"], "text": rec["text"], "date": rec.get("date")}) + "\n")
        with Corpus(Path(tmp) / "eval.db") as corpus:
            summary = corpus.ingest([str(src)], workers=workers, date_field="date", id_field="id")
            if summary.rejected:
                print(f"warning: {summary.rejected} records rejected: {summary.rejections[:3]}", file=sys.stderr)
            con = corpus._read()
            entities = {e.id: e for e in store.iter_records(con, Entity)}
            events: dict[str, list] = {}
            for e in store.iter_records(con, Event):
                events.setdefault(e.doc_id, []).append(e)
    return {
        doc_id: SimpleNamespace(events=evs, entity=lambda i: entities.get(i) if i else None)
        for doc_id, evs in events.items()
    }


def score(records: list[dict], workers: int | None = None) -> list[dict]:
    from types import SimpleNamespace

    from storyline.records import content_id

    by_doc = ingest(records, workers)
    empty = SimpleNamespace(events=[], entity=lambda i: None)
    rows = []
    for i, rec in enumerate(records):
        analysis = by_doc.get(content_id(rec["text"]), empty)
        event = best_event(analysis)
        ent = analysis.entity
        src = ent(event.source_entity_id) if event else None
        tgt = ent(event.target_entity_id) if event else None
        predicted = {e.country for e in (src, tgt) if e and e.country}
        gs, gt = gold_codes(rec.get("source")), gold_codes(rec.get("target"))
        rows.append(
            {
                "i": i,
                "id": rec["id"],
                "gold": rec["event"],
                "pred": event.type if event else None,
                "trigger": event.trigger_text if event else None,
                "type_ok": bool(event and event.type == rec["event"]),
                "codes": len(gs) + len(gt),
                "pooled_hits": sum(c in predicted for c in gs + gt),
                "side_hits": sum(c == (src.country if src else None) for c in gs)
                + sum(c == (tgt.country if tgt else None) for c in gt),
                "gold_src": gs,
                "gold_tgt": gt,
                "src": src.country if src else None,
                "tgt": tgt.country if tgt else None,
                "text": rec["text"],
            }
        )
    return rows


def summary(rows: list[dict]) -> dict:
    n = len(rows)
    codes = sum(r["codes"] for r in rows)
    return {
        "records": n,
        "type_accuracy": round(sum(r["type_ok"] for r in rows) / n, 3) if n else None,
        "with_event": round(sum(r["pred"] is not None for r in rows) / n, 3) if n else None,
        "country_codes": codes,
        "country_match": round(sum(r["pooled_hits"] for r in rows) / codes, 3) if codes else None,
        "side_match": round(sum(r["side_hits"] for r in rows) / codes, 3) if codes else None,
    }


def cost(shared: Path, n: int, nlp, stages) -> dict:
    """Seconds for the spaCy parse of n FNC-1 bodies against seconds in the events stage."""
    from storyline.pipeline.analyze import run_stages
    from storyline.records import Analysis, Document, content_id
    from storyline.stages import events

    csv.field_size_limit(10**8)
    with open(shared / "corpus" / "fnc1-train-bodies.csv", newline="", encoding="utf-8") as fh:
        texts = [row["articleBody"] for _, row in zip(range(n), csv.DictReader(fh))]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse_s = time.perf_counter() - t0
    before = [m for m in stages if m is not events]
    analyses = []
    for text, doc in zip(texts, docs):
        a = Analysis(document=Document(id=content_id(text), text=text, source_path="-", published="2017-01-01"))
        analyses.append(run_stages(doc, a, before))
    t0 = time.perf_counter()
    n_events = 0
    for doc, a in zip(docs, analyses):
        events.run(doc, a)
        n_events += len(a.events)
    events_s = time.perf_counter() - t0
    return {
        "texts": n,
        "parse_s": round(parse_s, 2),
        "events_s": round(events_s, 3),
        "events_over_parse": round(events_s / parse_s, 4),
        "events": n_events,
    }


def table(halves: dict[str, dict]) -> str:
    head = f"{'half':<18}{'records':>8}{'type acc':>10}{'country':>9}{'side':>7}{'codes':>7}"
    lines = [head, "-" * len(head)]
    for name, s in halves.items():
        lines.append(
            f"{name:<18}{s['records']:>8}{s['type_accuracy']:>10.3f}{s['country_match']:>9.3f}"
            f"{s['side_match']:>7.3f}{s['country_codes']:>7}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cost", type=int, default=0, help="also time the stage on N FNC-1 bodies")
    parser.add_argument("--misses", action="store_true", help="list the tuning (even) records scored wrong")
    parser.add_argument("--json", type=Path, help="also write the JSON summary here")
    args = parser.parse_args(argv)
    gold = args.shared / "eval" / "plover" / "gsr_dev.json"
    if not gold.is_file():
        print(f"skipped: no PLOVER gold at {gold} (../shared is absent)")
        return 0
    from storyline.pipeline.analyze import load_model
    from storyline.stages import events

    rows = score(json.loads(gold.read_text("utf-8")))
    halves = {
        "even (tuning)": summary([r for r in rows if r["i"] % 2 == 0]),
        "odd (held out)": summary([r for r in rows if r["i"] % 2 == 1]),
        "all": summary(rows),
    }
    if args.misses:
        for r in rows:
            if r["i"] % 2 == 0 and (not r["type_ok"] or r["pooled_hits"] < r["codes"]):
                print(f"{r['i']:>3} {r['gold']:>11}/{r['pred'] or '-':<11} {r['trigger']!s:<14} "
                      f"gold {r['gold_src']}>{r['gold_tgt']} pred {r['src']}>{r['tgt']} | {r['text'][:110]}")
        print()
    print(table(halves))
    print("type acc: best event (highest confidence) has the gold type; no event counts as wrong.")
    print("country: share of gold country codes (source and target; IGO/NGO left out) found among the")
    print("         countries of the best event's source and target entities; side: same, side by side.")
    result = {"method": f"events/{events.VERSION}", "gold": "PLOVER GSR dev (gsr_dev.json)", "halves": halves}
    if args.cost:
        from storyline.stages import STAGES

        result["cost"] = cost(args.shared, args.cost, load_model(), STAGES)
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
