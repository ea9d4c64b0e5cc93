"""The local engine: read in this process, analyse in worker processes, write here.

Reading is streamed; at most ``2 × workers`` batches are in flight, so memory
stays flat however large the corpus. Each worker loads the model once, and is
replaced after ``MAX_BATCHES_PER_WORKER`` batches so that spaCy's growing
string store cannot grow without bound. One writer commits one transaction per
batch.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..errors import rejection_message
from ..records import Analysis, Rejection
from ..store import Writer
from .analyze import analyze_batch, default_plan, load_model
from .declare import Plan

BATCH_SIZE = 16
MAX_BATCHES_PER_WORKER = 50
# The summary of a run lists this many rejections at most (the count and the table hold all).
KEEP_REJECTIONS = 1000


@dataclass
class IngestSummary:
    added: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejections": [r.to_dict() for r in self.rejections],
        }


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


_PLAN: Plan | None = None  # the worker's plan, set by _worker_init
# Threads of the BLAS libraries numpy may use. A worker gets cores // workers of them: with one per core,
# the BLAS threads of several workers fight over the same cores. Ingesting 200 FNC-1 bodies with 2 workers
# on 2 cores, the accurate quotes mode (its language model is numpy) went from 57.9 s to 25.7 s; the fast
# mode, which barely uses BLAS, stayed within noise (13.6 s, 13.3 s).
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _worker_threads(workers: int) -> Iterator[None]:
    """Set the BLAS thread counts that worker processes started inside inherit (unless the user set them)."""
    n = str(max(1, default_workers() // workers))
    added = [k for k in THREAD_VARS if k not in os.environ]
    for k in added:
        os.environ[k] = n
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def _worker_init(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan
    _exit_with_parent()
    load_model(plan)


def _exit_with_parent() -> None:
    """A worker dies with the process that started it, even after a kill -9 of that one (Linux)."""
    try:
        import ctypes
        import signal

        parent = os.getppid()
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still ends the workers
        pass


def _work(batch: list[Analysis]) -> list[Analysis | Rejection]:
    plan = _PLAN or default_plan()
    return analyze_batch(batch, load_model(plan), plan)


def _batches(items: Iterable[Analysis | Rejection], size: int) -> Iterator[list[Analysis | Rejection]]:
    batch: list[Analysis | Rejection] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(
    items: Iterable[Analysis | Rejection],
    writer: Writer,
    *,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
    work: Callable[[list[Analysis]], list[Analysis | Rejection]] = _work,
    plan: Plan | None = None,
    stored: bool = False,
) -> IngestSummary:
    """Analyse and store every item; rejections are stored as they come.

    ``work`` is what a worker process runs on a batch (a module-level function,
    so that it pickles); it is ``analyze_batch`` with the worker's model.
    ``plan``: the stages to run and their options (default: every stage, default options).
    ``stored``: the items are documents already in the corpus (``storyline analyze``): their
    records of the plan's stages are replaced, not skipped as unchanged.
    """
    workers = workers or default_workers()
    plan = plan or default_plan()
    summary = IngestSummary()
    in_flight_ids: set[str] = set()

    def fresh(batch: list[Analysis | Rejection]) -> list[Analysis]:
        """Drop documents already stored or already on their way; store rejections now."""
        rejections = [x for x in batch if isinstance(x, Rejection)]
        docs = [x for x in batch if isinstance(x, Analysis)]
        known = set() if stored else writer.known_ids(a.document.id for a in docs)
        out = []
        for a in docs:
            if a.document.id in known or a.document.id in in_flight_ids:
                summary.unchanged += 1
            else:
                in_flight_ids.add(a.document.id)
                out.append(a)
        if rejections:
            _store(rejections)
        if on_progress and len(out) < len(batch):
            on_progress(len(batch) - len(out))
        return out

    def _store(results: list[Analysis | Rejection]) -> None:
        added, rejected = writer.write(results, plan=plan, stored=stored)
        summary.added += added
        summary.rejected += rejected
        room = KEEP_REJECTIONS - len(summary.rejections)
        if room > 0:  # all are stored; the summary keeps the first few, so memory stays flat
            summary.rejections.extend([r for r in results if isinstance(r, Rejection)][:room])
        for r in results:
            if isinstance(r, Analysis):
                in_flight_ids.discard(r.document.id)

    def finish(results: list[Analysis | Rejection], sent: list[Analysis]) -> None:
        _store(results)
        for a in sent:
            in_flight_ids.discard(a.document.id)
        if on_progress:
            on_progress(len(results))

    if workers <= 1:
        nlp = load_model(plan)
        for batch in _batches(items, batch_size):
            docs = fresh(batch)
            if docs:
                finish(analyze_batch(docs, nlp, plan), docs)
        return summary

    ctx = multiprocessing.get_context("spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(plan,), max_tasks_per_child=MAX_BATCHES_PER_WORKER
        )

    with _worker_threads(workers):
        pool = new_pool()
        pending: collections.deque[tuple[Future, list[Analysis]]] = collections.deque()

        def restart() -> None:
            nonlocal pool
            pool.shutdown(wait=False, cancel_futures=True)
            pool = new_pool()

        def isolated(docs: list[Analysis]) -> None:
            """Run one suspect batch alone, so a crash is its own."""
            try:
                finish(pool.submit(work, docs).result(), docs)
            except BrokenProcessPool:
                restart()
                finish([_died(a) for a in docs], docs)

        def collect_one() -> None:
            fut, sent = pending.popleft()
            try:
                finish(fut.result(), sent)
                return
            except BrokenProcessPool:
                pass
            recover([sent])

        def recover(suspects: list[list[Analysis]]) -> None:
            # A worker died (out of memory, a crash in native code) and took the
            # pool with it. Every batch in flight is a suspect: start fresh workers
            # and run the suspects one at a time; a batch that kills a worker on
            # its own is rejected with the reason, the others are stored.
            suspects = suspects + [docs for _, docs in pending]
            pending.clear()
            restart()
            for docs in suspects:
                isolated(docs)

        def submit(docs: list[Analysis]) -> None:
            try:
                pending.append((pool.submit(work, docs), docs))
            except BrokenProcessPool:  # the pool broke before we collected the batch that broke it
                recover([docs])

        try:
            for batch in _batches(items, batch_size):
                docs = fresh(batch)
                if not docs:
                    continue
                submit(docs)
                while len(pending) >= 2 * workers:
                    collect_one()
            while pending:
                collect_one()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return summary


def _died(analysis: Analysis) -> Rejection:
    return Rejection(
        source_path=analysis.document.source_path,
        reason="analysis-failed",
        message=rejection_message("analysis-failed", "the worker process analysing it died"),
    )
