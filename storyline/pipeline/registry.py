"""The registry: every stage and pass, found through entry points.

storyline's own stages are registered in ``pyproject.toml`` under
``[project.entry-points."storyline.stages"]``, exactly as a third party's are, so
the door plugins use is the one every run goes through. ``stages()`` loads the
declarations (not the code that runs them: that is imported on first use).
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

from ..errors import BadPipeline, UnknownStage
from ..records import BASE_RECORDS, Record
from .declare import Pass, Stage

STAGE_GROUP = "storyline.stages"
PASS_GROUP = "storyline.passes"
BUILTIN = ("parse", "actors", "quotes", "events", "claims")

__all__ = ["stages", "stage", "passes", "order", "check_pipeline", "record_types", "owners", "STAGE_GROUP", "PASS_GROUP"]


def _load(group: str, kind: type) -> list:
    found, seen = [], {}
    for ep in sorted(entry_points(group=group), key=lambda e: (e.name, e.value)):
        obj = ep.load()
        if not isinstance(obj, kind):
            raise BadPipeline(f"the entry point {ep.name} = {ep.value} in {group} is not a {kind.__name__}")
        if obj.name in seen:
            if seen[obj.name] == ep.value:  # the same package seen twice on sys.path
                continue
            raise BadPipeline(f"two {kind.__name__.lower()}s are named {obj.name!r} ({seen[obj.name]} and {ep.value})")
        seen[obj.name] = ep.value
        found.append(obj)
    return found


@functools.cache
def stages() -> dict[str, Stage]:
    """Every registered stage, by name, in the order they run (requirements first)."""
    declared = {s.name: s for s in _load(STAGE_GROUP, Stage)}
    missing = [name for name in BUILTIN if name not in declared]
    if missing:
        raise BadPipeline(
            f"storyline's own stages {missing} are not registered: install storyline "
            "(pip install -e . in its checkout) so that its entry points exist"
        )
    ordered = _toposort(declared)
    return {s.name: s for s in ordered}


def _toposort(declared: dict[str, Stage]) -> list[Stage]:
    out: list[Stage] = []
    done: set[str] = set()
    pending = dict(sorted(declared.items()))
    while pending:
        ready = [s for s in pending.values() if set(s.requires) <= done]
        if not ready:
            unknown = {r for s in pending.values() for r in s.requires if r not in declared}
            if unknown:
                who = [s.name for s in pending.values() if set(s.requires) & unknown]
                raise BadPipeline(f"stage {who[0]} requires {sorted(unknown)}, which no installed stage provides")
            raise BadPipeline(f"the stages {sorted(pending)} require each other in a cycle")
        # Built-ins keep their order; any other ready stage runs after them, by name.
        ready.sort(key=lambda s: (BUILTIN.index(s.name) if s.name in BUILTIN else len(BUILTIN), s.name))
        first = ready[0]
        out.append(first)
        done.add(first.name)
        del pending[first.name]
    return out


def stage(name: str | Stage) -> Stage:
    """The registered stage of this name (a Stage given instead, as tests and scripts may, is itself)."""
    if isinstance(name, Stage):
        return name
    try:
        return stages()[name]
    except KeyError:
        raise UnknownStage(name, sorted(stages())) from None


@functools.cache
def passes() -> dict[str, Pass]:
    return {p.name: p for p in _load(PASS_GROUP, Pass)}


def order(names: list[str] | tuple[str, ...] | None = None) -> list[Stage]:
    """The named stages and everything they require, in running order (all of them by default)."""
    every = stages()
    if names is None:
        return list(every.values())
    wanted: set[str] = set()

    def need(name: str) -> None:
        if name not in wanted:
            wanted.add(name)
            for req in stage(name).requires:
                need(req)

    for name in names:
        need(name)
    return [s for s in every.values() if s.name in wanted]


def dependents(names: set[str]) -> set[str]:
    """The named stages and every stage that reads them, directly or not."""
    out = set(names)
    for s in stages().values():  # in running order, so one sweep reaches the closure
        if set(s.requires) & out:
            out.add(s.name)
    return out


def check_pipeline(stage_list: list[Stage]) -> None:
    """Fail early when a stage runs before a stage it requires (or without it)."""
    seen: set[str] = set()
    for s in stage_list:
        missing = [r for r in s.requires if r not in seen]
        if missing:
            raise BadPipeline(f"stage {s.name} requires {missing}, which does not run before it")
        seen.add(s.name)


def record_types() -> tuple[type[Record], ...]:
    """Every table's record type: the base records, then each stage's, in running order."""
    out = list(BASE_RECORDS)
    for s in stages().values():
        out += [cls for cls in s.writes if cls not in out]
    return tuple(out)


def owners(cls: type[Record]) -> list[Stage]:
    """The stages that write records of type ``cls``."""
    return [s for s in stages().values() if cls in s.writes]
