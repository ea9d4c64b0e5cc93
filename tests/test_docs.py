"""Docs that tests keep honest."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_docs_architecture_names_only_modules_that_exist():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`(storyline/[\w/]+(?:\.py)?)`", text))
    assert paths
    for p in paths:
        assert (ROOT / p).exists(), p


def test_docs_every_stage_is_in_architecture():
    from storyline.pipeline.registry import BUILTIN, stages

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for stage in stages().values():
        if stage.name in BUILTIN:  # a plugin installed beside storyline is not documented here
            assert f"`{stage.name}`" in text, stage.name


def test_docs_readme_quickstart_is_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text


def test_docs_every_shipped_data_file_has_a_source():
    sources = (ROOT / "storyline" / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for f in (ROOT / "storyline" / "data").iterdir():
        if f.is_file() and f.suffix != ".py" and f.name != "SOURCES.md":
            assert f.name in sources, f.name


def test_docs_readme_demo_counts_are_this_trees(example_corpus):
    """The demo excerpt in README.md is what `make demo` prints on the bundled corpus today."""
    from storyline import Corpus
    from storyline.interfaces.cli import counts_line

    with Corpus(example_corpus) as corpus:
        line = counts_line(corpus.overview()["counts"])
    assert line in (ROOT / "README.md").read_text(encoding="utf-8")
