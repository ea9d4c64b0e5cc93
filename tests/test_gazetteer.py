"""Country lookups from the shipped gazetteer."""

from __future__ import annotations

import pytest

from storyline import gazetteer


@pytest.mark.parametrize(
    "text, iso3",
    [
        ("US", "USA"),
        ("U.S.", "USA"),
        ("the United States", "USA"),
        ("United States of America", "USA"),
        ("America", "USA"),
        ("Russia\u2019s", "RUS"),
        ("russia", "RUS"),
        ("Britain", "GBR"),
        ("Côte d\u2019Ivoire", "CIV"),  # accents and curly apostrophes fold away
        ("Ivory Coast", "CIV"),
        ("Japan", "JPN"),
        ("Moscow", None),
        ("the", None),
    ],
)
def test_gazetteer_country(text, iso3):
    assert gazetteer.country(text) == iso3


@pytest.mark.parametrize(
    "text, iso3",
    [("Russian", "RUS"), ("Russians", "RUS"), ("Chinese", "CHN"), ("Americans", "USA"), ("French", "FRA"),
     ("Ukrainian", "UKR"), ("Western", None), ("Muslims", None)],
)
def test_gazetteer_demonym(text, iso3):
    assert gazetteer.demonym(text) == iso3


@pytest.mark.parametrize(
    "text, iso3",
    [("Moscow", "RUS"), ("Beijing", "CHN"), ("Washington", "USA"), ("Kyiv", "UKR"), ("Kiev", "UKR"), ("Paris", "FRA"),
     ("Chicago", None), ("Russia", None)],
)
def test_gazetteer_capital(text, iso3):
    assert gazetteer.capital(text) == iso3


@pytest.mark.parametrize(
    "text, expected",
    [("the Kremlin", ("RUS", "GOV")), ("Kremlin\u2019s", ("RUS", "GOV")), ("the Pentagon", ("USA", "MIL")),
     ("the White House", ("USA", "GOV")), ("the house", None)],
)
def test_gazetteer_seat(text, expected):
    assert gazetteer.seat(text) == expected


@pytest.mark.parametrize("text, expected", [("NATO", ("NATO", "IGO")), ("the U.N.", ("United Nations", "IGO")), ("Nato Inc", None)])
def test_gazetteer_igo(text, expected):
    assert gazetteer.igo(text) == expected


@pytest.mark.parametrize(
    "text, folded",
    [("Guðrún", "gudrun"), ("Zakharova\u2019s", "zakharova\u2019s".replace("\u2019", "'")), ("  Sergey\n Lavrov ", "sergey lavrov")],
)
def test_gazetteer_fold(text, folded):
    assert gazetteer.fold(text) == folded


def test_gazetteer_every_country_has_a_name():
    t = gazetteer.tables()
    assert len(t.names) >= 240
    assert gazetteer.country_name("RUS") == "Russia"
    assert gazetteer.country_name("XXX") == "XXX"
    # Lookups are unique by construction: no demonym or capital points at two countries.
    assert all(len(code) == 3 for code in t.by_demonym.values())


def test_gazetteer_shipped_file_is_small():
    assert (gazetteer.DATA / "countries.json").stat().st_size < 100_000
