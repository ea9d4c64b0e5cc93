"""One configuration: every stage option, from its declaration's default up.

A value comes from, last one winning:

1. the option's default (in the stage's declaration);
2. ``storyline.toml`` in the working directory, or the file ``$STORYLINE_CONFIG`` names::

       [quotes]
       mode = "accurate"

3. the option's environment variable (``STORYLINE_<STAGE>_<OPTION>`` unless the
   declaration names another, e.g. ``STORYLINE_QUOTE_MODEL``);
4. ``--set STAGE.OPTION=VALUE`` on the command line (``settings=`` in Python).

The values are stored with every run (``stage_runs.options``), so ``storyline
stages`` tells how each record was made.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BadConfigFile, BadSetting
from .declare import Plan

CONFIG_FILE = "storyline.toml"
CONFIG_ENV = "STORYLINE_CONFIG"

__all__ = ["Config", "load", "parse_sets", "CONFIG_FILE", "CONFIG_ENV"]


@dataclass(frozen=True)
class Config:
    """Each stage's option values, and which of them were set rather than defaulted."""

    values: dict[str, dict[str, Any]]
    explicit: frozenset[tuple[str, str]]

    def plan(self, stage_names: Iterable[str] | None = None, write: Iterable[str] = ()) -> Plan:
        """The named stages (all by default) and what they require, in order; ``write``: the ones stored."""
        from .registry import order

        wanted = list(stage_names) if stage_names is not None else None
        names = tuple(s.name for s in order(None if wanted is None else wanted + list(write)))
        return Plan(stages=names, options={n: dict(self.values.get(n, {})) for n in names}, write=tuple(write))


def parse_sets(items: Iterable[str]) -> dict[str, Any]:
    """``["quotes.mode=accurate"]`` → ``{"quotes.mode": "accurate"}``."""
    out = {}
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or "." not in key:
            raise BadSetting(item, "write it as STAGE.OPTION=VALUE")
        out[key.strip()] = value.strip()
    return out


def _file(path: Path | None) -> tuple[Path | None, dict]:
    if path is None:
        named = os.environ.get(CONFIG_ENV)
        path = Path(named) if named else Path(CONFIG_FILE)
        if not named and not path.exists():
            return None, {}
    try:
        with open(path, "rb") as fh:
            return path, tomllib.load(fh)
    except FileNotFoundError:
        raise BadConfigFile(str(path), "no such file") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BadConfigFile(str(path), str(exc)) from None


def load(
    settings: Mapping[str, Any] | None = None, *, file: str | Path | None = None, env: Mapping[str, str] | None = None
) -> Config:
    """The configuration for a run: defaults, then the file, the environment and ``settings``."""
    from .registry import stage, stages

    env = os.environ if env is None else env
    values = {s.name: s.defaults() for s in stages().values()}
    explicit: set[tuple[str, str]] = set()

    def put(stage_name: str, opt_name: str, raw: Any, where: str) -> None:
        key = f"{stage_name}.{opt_name}"
        if stage_name not in values:
            raise BadSetting(key, f"no stage named {stage_name!r} ({where})")
        try:
            opt = stage(stage_name).option(opt_name)
        except KeyError:
            known = ", ".join(o.name for o in stage(stage_name).options) or "none"
            raise BadSetting(key, f"stage {stage_name} has no option {opt_name!r} (its options: {known}; {where})") from None
        try:
            value = opt.convert(raw)
        except ValueError:
            raise BadSetting(key, f"{raw!r} is not a {type(opt.default).__name__} ({where})") from None
        if opt.choices and value not in opt.choices:
            raise BadSetting(key, f"{value!r} is not one of {', '.join(map(repr, opt.choices))} ({where})")
        values[stage_name][opt_name] = value
        explicit.add((stage_name, opt_name))

    path, table = _file(Path(file) if file else None)
    for stage_name, opts in table.items():
        if not isinstance(opts, dict):
            raise BadSetting(stage_name, f"expected a [{stage_name}] table in {path}")
        for opt_name, raw in opts.items():
            put(stage_name, opt_name, raw, f"in {path}")
    for s in stages().values():
        for opt in s.options:
            raw = env.get(opt.env_name(s.name))
            if raw:
                put(s.name, opt.name, raw, f"from ${opt.env_name(s.name)}")
    for key, raw in (settings or {}).items():
        stage_name, _, opt_name = key.partition(".")
        put(stage_name, opt_name, raw, "from --set")
    return Config(values=values, explicit=frozenset(explicit))
