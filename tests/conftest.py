"""Shared fixtures. Tests that read ../shared skip with a reason when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(__import__("os").environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "corpus" / "seeds"
EXAMPLES = ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def nlp():
    from storyline.pipeline.analyze import load_model

    return load_model()


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"../shared is absent: no seed documents at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent at {SHARED}")
    return SHARED


@pytest.fixture
def analyse(nlp):
    """Run the parse and every registered stage on a hand-made text."""
    from storyline.pipeline.analyze import analyze
    from storyline.records import Analysis, Document, content_id

    def run(text: str, published: str | None = None):
        doc = Document(id=content_id(text), text=text, source_path="<test>", published=published, n_chars=len(text))
        return analyze(Analysis(document=doc), nlp)

    return run


@pytest.fixture(scope="session")
def example_corpus(tmp_path_factory) -> Path:
    """The bundled example corpus ingested once: the path of its database."""
    from storyline import Corpus

    path = tmp_path_factory.mktemp("example") / "c.db"
    with Corpus(path) as corpus:
        corpus.ingest([str(EXAMPLES)], workers=1)
    return path
