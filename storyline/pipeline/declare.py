"""What a stage or a corpus pass is: one declaration each.

A **stage** turns one parsed document into records. Its module declares it
once, as ``STAGE = Stage(...)``, and registers it in the entry-point group
``storyline.stages`` (storyline's own stages come in through the same door,
see ``pyproject.toml``). Everything else (the tables, the ``stages`` listing,
which stages run on a stored corpus, ``show``'s sections) is read from the
declarations.

A **pass** is corpus-wide work (entity merge; later duplicates, stories):
``PASS = Pass(...)`` in the group ``storyline.passes``. It runs after an ingest
or an analysis whenever one of the tables it reads was written.

Functions may be given as ``"module:attribute"`` strings, imported on first
use, so that listing the stages never imports spaCy or a model.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from ..records import Record

__all__ = ["Option", "Stage", "Pass", "resolve"]


@dataclass(frozen=True)
class Option:
    """One setting of a stage, with its default.

    Set as ``--set STAGE.NAME=VALUE``, in ``storyline.toml`` under ``[STAGE]``, or
    through the environment variable ``env`` (default ``STORYLINE_<STAGE>_<NAME>``).
    """

    name: str
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    env: str | None = None
    # Options that change the spaCy pipeline (a component to add) must say so: the
    # model a worker loads is chosen by them.
    pipeline: bool = False

    def env_name(self, stage: str) -> str:
        return self.env or f"STORYLINE_{stage}_{self.name}".upper().replace("-", "_").replace(".", "_")

    def convert(self, value: Any) -> Any:
        """A value from a flag, the environment or a file, as the default's type."""
        if isinstance(value, str) and isinstance(self.default, bool):
            value = value.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(value, str) and isinstance(self.default, int) and not isinstance(self.default, bool):
            value = int(value)
        elif isinstance(value, str) and isinstance(self.default, float):
            value = float(value)
        return value


def resolve(ref: Callable | str | None) -> Callable | None:
    """A callable, or ``"module:attr"`` imported now."""
    if ref is None or callable(ref):
        return ref
    module, _, attr = ref.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class Stage:
    """A per-document stage.

    - ``run(doc, analysis, options)``: computes, then adds its records to ``analysis``
      (``doc`` is the spaCy Doc of ``analysis.document.text``; ``options`` a dict of
      this stage's option values).
    - ``requires``: names of the stages whose records it reads; they run first.
    - ``writes``: the record types it produces. Re-running the stage replaces its
      rows of these types for the document; the tables come from them.
    - ``setup(nlp, options)``: optional; adds what the stage needs to the spaCy
      pipeline (called once per worker, for options marked ``pipeline``).
    - ``version``: bump it when its output changes; ``storyline analyze`` then
      re-runs it on stored documents.
    """

    name: str
    version: str
    run: Callable | str
    requires: tuple[str, ...] = ()
    writes: tuple[type[Record], ...] = ()
    options: tuple[Option, ...] = ()
    setup: Callable | str | None = None
    help: str = ""
    # A section of ``show``: (title, columns) per record type written; empty: not shown.
    show: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def method(self) -> str:
        """The method name its records carry: ``name/version``."""
        return f"{self.name}/{self.version}"

    def option(self, name: str) -> Option:
        for opt in self.options:
            if opt.name == name:
                return opt
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    def __call__(self, doc, analysis, options: dict | None = None) -> None:
        fn = resolve(self.run)
        fn(doc, analysis, {**self.defaults(), **(options or {})})


@dataclass(frozen=True)
class Pass:
    """Corpus-wide work: ``run(con) -> int`` (how many rows it changed), in its own transaction.

    ``reads``: record types; the pass runs when a run wrote any of them.
    """

    name: str
    version: str
    run: Callable | str
    reads: tuple[type[Record], ...] = ()
    help: str = ""

    def __call__(self, con) -> int:
        return resolve(self.run)(con)


@dataclass(frozen=True)
class Plan:
    """Which stages run, in order, with which options: what a worker needs (it pickles)."""

    stages: tuple[str, ...]  # names of registered stages (a Stage object also works, in one process)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The stages whose records are stored (and recorded in stage_runs); the others only feed them.
    # Empty: all of them.
    write: tuple[str, ...] = ()

    @property
    def targets(self) -> tuple[str, ...]:
        return self.write or self.stages

    def options_json(self, stage: str) -> str:
        """A stage's option values as stored in ``stage_runs``: compact, sorted JSON."""
        import json

        return json.dumps(self.options.get(stage, {}), sort_keys=True, separators=(",", ":"), default=str)

    def pipeline_key(self) -> tuple:
        """The options that choose the spaCy pipeline, as a hashable key."""
        from .registry import stage

        return tuple(
            (name, opt.name, self.options.get(name, {}).get(opt.name, opt.default))
            for name in self.stages
            for opt in stage(name).options
            if opt.pipeline
        )
