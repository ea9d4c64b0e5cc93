"""Analysis stages, run in order on each parsed document.

A stage is a module exposing ``NAME``, ``VERSION``, ``REQUIRES`` and
``ASSIGNS`` (names of :class:`storyline.records.Analysis` fields) and
``run(doc, analysis)``, which computes first, then appends its records to
``analysis``. ``doc`` is the spaCy ``Doc`` of ``analysis.document.text``.
Adding a stage touches its own module and the ``STAGES`` list below.
"""

from __future__ import annotations

from types import ModuleType

from . import actors, events, parse, quotes

STAGES: list[ModuleType] = [parse, actors, quotes, events]


def check_pipeline(stages: list[ModuleType]) -> None:
    """Fail early when a stage reads something no earlier stage assigns."""
    available = {"document"}
    for stage in stages:
        missing = set(stage.REQUIRES) - available
        if missing:
            raise ValueError(f"stage {stage.NAME} requires {sorted(missing)} which no earlier stage assigns")
        available |= set(stage.ASSIGNS)


def method(stage: ModuleType) -> str:
    """The method name a stage writes on its records: ``name/version``."""
    return f"{stage.NAME}/{stage.VERSION}"
