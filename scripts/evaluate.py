"""Run every accuracy evaluation and write docs/evaluation.md (`make eval`).

Each evaluation is its own script, run here in a fresh process:
  scripts/eval_quotes.py  — quotes against PolNeAR dev (ingested with --verbatim), in both modes
  scripts/eval_events.py  — PLOVER events against the gold records (ingested as JSON Lines)
Without ../shared every script says it skipped, and so does this one.

Scores are guarded like tests: each guarded score has a floor in FLOORS below, and
this script (so `make eval`) exits non-zero, naming the score, its value and its
floor, when one falls below it. docs/evaluation.md shows each floor beside its score.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The floors: `make eval` fails when a score falls below its floor, as a failing test would. Each is set a
# little under the score it guards (in the comment: the score when the floor was set, 2026-12-04, 254b7fe;
# the evaluations are deterministic, so a score moves only when the code or a model file does). Raise a
# floor when a change lifts its score for good; never lower one to let a change pass without saying why.
# A score of an evaluation that did not run (../shared absent) is not checked. Extraction (the readers) has
# no score to guard here: ../shared/eval holds no gold for it; its checks are tests (tests/test_readers_*.py).
FLOORS: dict[str, float] = {
    "quotes fast: F1 all": 0.720,  # 0.733
    "quotes fast: F1 direct": 0.900,  # 0.910
    "quotes fast: speaker accuracy": 0.865,  # 0.878
    "quotes accurate: F1 all": 0.740,  # 0.752
    "quotes accurate: F1 direct": 0.905,  # 0.915
    "quotes accurate: speaker accuracy": 0.865,  # 0.876
    "events all: type accuracy": 0.850,  # 0.862 (152 records: one is 0.007)
    "events all: country match": 0.885,  # 0.897
    "events odd (held out): type accuracy": 0.815,  # 0.829 (76 records: one is 0.013)
    "events odd (held out): country match": 0.860,  # 0.876
}


def quotes_score(mode: str, key: str) -> str:
    """The name of a quotes score in FLOORS: ``key`` is all, direct, reported or speaker."""
    return f"quotes {mode}: speaker accuracy" if key == "speaker" else f"quotes {mode}: F1 {key}"


def events_score(half: str, key: str) -> str:
    """The name of an events score in FLOORS: ``key`` is type_accuracy or country_match."""
    return f"events {half}: {key.replace('_', ' ')}"


def scores(quotes: dict[str, dict], events: dict | None) -> dict[str, float | None]:
    """Every score a floor can guard, by name, from the evaluations that ran (None: one that ran did not report it)."""
    out: dict[str, float | None] = {}
    for mode, s in quotes.items():
        for key in ("all", "direct", "reported"):
            out[quotes_score(mode, key)] = (s.get(key) or {}).get("f1")
        out[quotes_score(mode, "speaker")] = s.get("speaker_accuracy")
    if events is not None:
        for half, h in events.get("halves", {}).items():
            for key in ("type_accuracy", "country_match"):
                out[events_score(half, key)] = h.get(key)
    return out


def below_floors(found: dict[str, float | None], floors: dict[str, float] = FLOORS) -> list[str]:
    """One line per guarded score under its floor (or not reported by an evaluation that ran); empty: all hold.

    A floor whose score is not in ``found`` at all belongs to an evaluation that did not run: not checked.
    """
    failures = []
    for name, floor in floors.items():
        if name not in found:
            continue
        value = found[name]
        if value is None:
            failures.append(f"{name}: not reported (floor {floor:.3f})")
        elif value < floor:
            failures.append(f"{name}: {value:.3f} is below its floor {floor:.3f}")
    return failures


def check_floors(found: dict[str, float | None], floors: dict[str, float] = FLOORS) -> str:
    """Raise SystemExit (a non-zero exit, with the scores that fell) unless every guarded score holds."""
    failures = below_floors(found, floors)
    if failures:
        what = "a score is below its floor" if len(failures) == 1 else f"{len(failures)} scores are below their floors"
        raise SystemExit(f"make eval failed: {what} (FLOORS in scripts/evaluate.py):\n  " + "\n  ".join(failures))
    checked = sum(1 for name in floors if name in found)
    return f"every guarded score is at or above its floor ({checked} of {len(floors)} floors checked)"


def floor_cell(name: str, found: dict[str, float | None], floors: dict[str, float] = FLOORS) -> str:
    """The floor of a score for docs/evaluation.md, marked when the score is below it; "none" when unguarded."""
    if name not in floors:
        return "none"
    value = found.get(name)
    mark = " **below**" if value is None or value < floors[name] else ""
    return f"{floors[name]:.3f}{mark}"


def run(script: str, *args: str) -> dict | None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "summary.json"
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / script), *args, "--json", str(out)],
            capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            sys.exit(f"{script} failed:\n{proc.stderr[-3000:]}")
        if not out.exists():
            print(proc.stdout.strip(), file=sys.stderr)
            return None
        return json.loads(out.read_text(encoding="utf-8"))


def quotes_section(modes: dict[str, dict], found: dict[str, float | None]) -> list[str]:
    """The quotes scores of each mode ("fast", "accurate"): one table, a speaker line per mode; floors beside them."""
    rows = ["| mode | set | precision | recall | F1 | floor | target F1 |", "|---|---|---:|---:|---:|---:|---:|"]
    for mode, s in modes.items():
        for key, target in (("all", 0.75), ("direct", 0.90), ("reported", None)):
            m = s.get(key)
            if m:
                goal = f"{target:.2f}" if target else "none"
                floor = floor_cell(quotes_score(mode, key), found)
                rows.append(f"| {mode} | {key} attributions | {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** "
                            f"| {floor} | {goal} |")
    s = next(iter(modes.values()))
    out = [
        "## Quotes: PolNeAR dev",
        "",
        f"{s['documents']} dev articles, ingested with `--verbatim` so offsets equal the gold's; nothing learns from dev.",
        "A match shares at least half of the gold span's tokens and half of the predicted span's. Predictions lying",
        "mostly in text an annotator marked Discard (left out of the annotation: editor's notes, bylines, photo",
        "credits) are set aside, not scored: " + ", ".join(f"{m['set_aside']} in {mode} mode" for mode, m in modes.items()) + ".",
        "The fast mode is the default; `storyline ingest --quotes accurate` adds a small language model",
        "(`storyline/stages/quote_lm.py`).",
        "",
        *rows,
        "",
    ]
    for mode, m in modes.items():
        out.append(f"- Speaker accuracy over matched attributions with a gold Source, {mode} mode: **{m['speaker_accuracy']:.3f}** "
                   f"(floor {floor_cell(quotes_score(mode, 'speaker'), found)}, target 0.85; {m['speaker_pairs']} pairs).")
    if s.get("annotator_agreement"):
        a = s["annotator_agreement"]
        out.append(
            f"- For scale: where several PolNeAR annotators annotated one article ({a['articles']} articles, train and dev), "
            f"one annotator's attributions score F1 **{a['f1']:.3f}** against another's under this match rule."
        )
    out.append("- Cost: each mode's share of the parse is in `docs/benchmarks.md` (`make bench`).")
    return out


def events_section(s: dict, found: dict[str, float | None]) -> list[str]:
    rows = ["| records | n | type accuracy | floor | country match | floor | side match |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for name, h in s["halves"].items():
        type_floor = floor_cell(events_score(name, "type_accuracy"), found)
        country_floor = floor_cell(events_score(name, "country_match"), found)
        rows.append(
            f"| {name} | {h['records']} | **{h['type_accuracy']:.3f}** | {type_floor} | **{h['country_match']:.3f}** "
            f"| {country_floor} | {h['side_match']:.3f} |"
        )
    return [
        "## Events: PLOVER gold records",
        "",
        "Each record is one sentence, ingested as JSON Lines with its date; targets: type accuracy ≥ 0.75, country",
        "match ≥ 0.85. Type accuracy: the best event (highest confidence) has the gold type; a sentence with no event",
        "counts as wrong. Country match: the share of gold country codes (source and target; IGO/NGO left out) found",
        "among the countries of the best event's source and target; side match is the same, side by side.",
        "The dev file is the only gold at hand: rules were tuned on the even records, and the odd half was",
        "consulted when choosing vocabulary, so its figure is optimistic rather than a clean held-out score.",
        "",
        *rows,
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "evaluation.md")
    args = ap.parse_args()
    quotes = {mode: run("eval_quotes.py", "--split", "dev", "--quotes", mode) for mode in ("fast", "accurate")}
    quotes = {mode: q for mode, q in quotes.items() if q is not None}
    events = run("eval_events.py")
    if not quotes and events is None:
        print("skipped: ../shared is absent, nothing to evaluate", file=sys.stderr)
        return
    lines = [
        "# Evaluation",
        "",
        f"Written by `make eval` (`scripts/evaluate.py`) on {date.today().isoformat()}; do not edit by hand.",
        "The gold sets live in `../shared/eval/` and never ship with storyline.",
        "",
        "Scores are guarded like tests: `make eval` fails when one falls below its floor (`FLOORS` in",
        "`scripts/evaluate.py`, each set a little under the score it guards). The floors stand beside the",
        "scores; a floor its score has fallen under is marked **below**.",
        "",
    ]
    found = scores(quotes, events)
    if quotes:
        lines += quotes_section(quotes, found) + [""]
    if events:
        lines += events_section(events, found) + [""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    print(check_floors(found), file=sys.stderr)


if __name__ == "__main__":
    main()
