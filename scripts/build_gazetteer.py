"""Build ``storyline/data/countries.json``: ISO 3166 countries with their names,
demonyms and capitals.

Names come from ``pycountry`` (ISO 3166-1, LGPL-2.1, a runtime dependency);
demonyms, capitals and alternative spellings from ``countryinfo`` (MIT), which
is needed only to run this script::

    .venv/bin/pip install countryinfo==1.0.1
    .venv/bin/python scripts/build_gazetteer.py

The output is one compact JSON object keyed by alpha-3 code:
``{"RUS": ["Russia", ["Russian Federation", ...], ["Russian", ...], "Moscow"]}``
(common name, other names, demonyms, capital). Where countries share a
demonym or capital, only the most populous keeps it, so every lookup is unique.
"""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "storyline" / "data" / "countries.json"
# Capitals of smaller countries and territories are left out: their names are
# mostly ordinary words or other places.
MIN_CAPITAL_POPULATION = 300_000
LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f .,'()&-]+$")


def countryinfo_records() -> dict[str, dict]:
    """countryinfo's per-country JSON files, keyed by alpha-3."""
    out = {}
    for path in resources.files("countryinfo").joinpath("data").iterdir():
        if not path.name.endswith(".json"):
            continue
        rec = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (rec.get("ISO") or {}).get("alpha3")
        if iso3:
            out[iso3] = rec
    return out


def names_of(country, info: dict) -> tuple[str, list[str]]:
    """The common name and the other names worth matching (no codes, Latin script only)."""
    common = getattr(country, "common_name", None) or info.get("name") or country.name
    names = [country.name, getattr(country, "official_name", None), info.get("name"), *info.get("altSpellings", [])]
    seen = {common.casefold()}
    others = []
    for name in names:
        if not name or len(name) < 4 or not LATIN.match(name) or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        others.append(name)
    return common, others


def demonyms_of(info: dict) -> list[str]:
    demonym = (info.get("demonym") or "").strip()
    if not demonym or not LATIN.match(demonym):
        return []
    return [d.strip() for d in demonym.split(",") if d.strip()]


def unique(table: dict[str, list], field: int, population: dict[str, int]) -> None:
    """Keep each value of ``field`` only on the most populous country that has it."""
    owner: dict[str, str] = {}
    for iso3, row in table.items():
        values = row[field] if isinstance(row[field], list) else [row[field]]
        for value in values:
            if not value:
                continue
            key = value.casefold()
            if key not in owner or population[iso3] > population[owner[key]]:
                owner[key] = iso3
    for iso3, row in table.items():
        if isinstance(row[field], list):
            row[field] = [v for v in row[field] if owner.get(v.casefold()) == iso3]
        elif row[field] and owner.get(row[field].casefold()) != iso3:
            row[field] = ""


def build() -> dict[str, list]:
    infos = countryinfo_records()
    table: dict[str, list] = {}
    population: dict[str, int] = {}
    for country in pycountry.countries:
        info = infos.get(country.alpha_3, {})
        common, others = names_of(country, info)
        capital = info.get("capital") or ""
        if int(info.get("population") or 0) < MIN_CAPITAL_POPULATION:
            capital = ""  # "The Valley", "Victoria", "Stanley": too often something else
        table[country.alpha_3] = [common, others, demonyms_of(info), capital if LATIN.match(capital or "") else ""]
        population[country.alpha_3] = int(info.get("population") or 0)
    unique(table, 1, population)
    unique(table, 2, population)
    unique(table, 3, population)
    return dict(sorted(table.items()))


def main() -> int:
    table = build()
    OUT.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(table)} countries, {OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
