"""The event timeline: one line of text per event, and a picture (one lane per event type).

``rows`` are event dicts as the CLI prints them: ``{doc_id, type, source:
{id, name, country, sector} | None, target, trigger: {start, end, text},
sentence: {start, end}, date, place, modality, reported_by, confidence}``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

__all__ = ["MODALITY_COLOURS", "format_timeline_line", "plot_timeline"]

MODALITY_COLOURS = {
    "asserted": "#1b6ca8",
    "reported": "#7b4fa0",
    "future": "#e08a1e",
    "hypothetical": "#c9b52a",
    "negated": "#b0302c",
}


def _name(actor: dict | None) -> str:
    if not actor:
        return "?"
    return actor.get("name") or actor.get("id") or "?"


def format_timeline_line(row: dict) -> str:
    """``2022  AGREE  Vladimir Putin → Xi Jinping  signed  [asserted]``."""
    when = row.get("date") or "undated"
    trigger = (row.get("trigger") or {}).get("text", "")
    line = f"{when}  {row.get('type', '?')}  {_name(row.get('source'))} → {_name(row.get('target'))}  {trigger}"
    extras = [row.get("modality") or "asserted"]
    if row.get("place"):
        extras.append(f"in {row['place']}")
    if row.get("reported_by"):
        extras.append(f"per {_name(row['reported_by']) if isinstance(row['reported_by'], dict) else row['reported_by']}")
    return f"{line}  [{', '.join(extras)}]"


def _as_date(value: str | None) -> date | None:
    """A plottable day from an ISO date of any precision: 2022 → 2022-07-01, 2022-03 → 2022-03-15."""
    if not value:
        return None
    parts = value.split("-")
    try:
        if len(parts) == 1:
            return date(int(parts[0]), 7, 1)
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 15)
        return date(int(parts[0]), int(parts[1]), int(parts[2][:2]))
    except ValueError:
        return None


def plot_timeline(rows: list[dict], out: str | Path, *, title: str = "Event timeline") -> Path:
    """Draw the events to ``out`` (PNG or SVG, by extension); undated events are counted in a note."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    counts: Counter[tuple[str, date, str]] = Counter()
    undated = 0
    for row in rows:
        day = _as_date(row.get("date"))
        if day is None:
            undated += 1
            continue
        counts[(row.get("type") or "?", day, row.get("modality") or "asserted")] += 1
    lanes = sorted({kind for kind, _, _ in counts})
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.45 * max(1, len(lanes))))
    for modality, colour in MODALITY_COLOURS.items():
        points = [(day, lanes.index(kind), n) for (kind, day, mod), n in counts.items() if mod == modality]
        if points:
            xs, ys, ns = zip(*points)
            ax.scatter(xs, ys, s=[30 + 25 * (n - 1) for n in ns], c=colour, alpha=0.8, label=modality, edgecolors="none")
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(-0.7, max(len(lanes), 1) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title)
    if counts:
        ax.legend(title="modality", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    note = f"{sum(counts.values())} dated events"
    if undated:
        note += f"; {undated} without a date not shown"
    fig.text(0.01, 0.01, note, fontsize=8, color="#555555")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, format=out.suffix.lstrip(".").lower() or "png")
    plt.close(fig)
    return out
