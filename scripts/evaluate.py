"""Run every accuracy evaluation and write docs/evaluation.md (`make eval`).

Each evaluation is its own script, run here in a fresh process:
  scripts/eval_quotes.py  — quotes against PolNeAR dev (ingested with --verbatim), in both modes
  scripts/eval_events.py  — PLOVER events against the gold records (ingested as JSON Lines)
Without ../shared every script says it skipped, and so does this one.
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


def quotes_section(modes: dict[str, dict]) -> list[str]:
    """The quotes scores of each mode ("fast", "accurate"): one table, a speaker line per mode."""
    rows = ["| mode | set | precision | recall | F1 | target F1 |", "|---|---|---:|---:|---:|---:|"]
    for mode, s in modes.items():
        for key, target in (("all", 0.75), ("direct", 0.90), ("reported", None)):
            m = s.get(key)
            if m:
                goal = f"{target:.2f}" if target else "none"
                rows.append(f"| {mode} | {key} attributions | {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** | {goal} |")
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
                   f"(target 0.85; {m['speaker_pairs']} pairs).")
    if s.get("annotator_agreement"):
        a = s["annotator_agreement"]
        out.append(
            f"- For scale: where several PolNeAR annotators annotated one article ({a['articles']} articles, train and dev), "
            f"one annotator's attributions score F1 **{a['f1']:.3f}** against another's under this match rule."
        )
    out.append("- Cost: each mode's share of the parse is in `docs/benchmarks.md` (`make bench`).")
    return out


def events_section(s: dict) -> list[str]:
    rows = ["| records | n | type accuracy | country match | side match |", "|---|---:|---:|---:|---:|"]
    for name, h in s["halves"].items():
        rows.append(
            f"| {name} | {h['records']} | **{h['type_accuracy']:.3f}** | **{h['country_match']:.3f}** | {h['side_match']:.3f} |"
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
    ]
    if quotes:
        lines += quotes_section(quotes) + [""]
    if events:
        lines += events_section(events) + [""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
