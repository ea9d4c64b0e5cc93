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


@pytest.mark.parametrize(
    "text, iso3",
    [("Basrah", "IRQ"), ("Sindh", "PAK"), ("the West Bank", "PSE"), ("South Lebanon", "LBN"), ("northern Iraq", "IRQ"),
     ("eastern Beirut", "LBN"), ("Texas", "USA"), ("Moscow", None), ("Russia", None), ("Reading", None), ("North", None)],
)
def test_gazetteer_place(text, iso3):
    assert gazetteer.place(text) == iso3


@pytest.mark.parametrize(
    "text, iso3",
    [("Afganistan", "AFG"), ("Ethopia", "ETH"), ("Quatar", "QAT"), ("Phillippines", "PHL"), ("Germnay", "DEU"),
     ("Austrain", "AUT"), ("Chinesse", "CHN"), ("Peru", None), ("Iraqq", None), ("Weather", None), ("Ethiopia-born", None)],
)
def test_gazetteer_near_country(text, iso3):
    assert gazetteer.near_country(text) == iso3


@pytest.mark.parametrize(
    "text, expected",
    [("Hamas", ("Hamas", "PSE", "REB")), ("Hizbollah", ("Hezbollah", "LBN", "REB")), ("the Taliban", ("Taliban", "AFG", "REB")),
     ("the PKK", ("Kurdistan Workers' Party", "TUR", "REB")), ("Hamas Inc", None), ("NATO", None)],
)
def test_gazetteer_group(text, expected):
    assert gazetteer.group(text) == expected


@pytest.mark.parametrize(
    "text, iso3",
    [("Vladimir Putin", "RUS"), ("Putin", "RUS"), ("Xi Jinping", "CHN"), ("Xi", "CHN"), ("Angela Merkel", "DEU"),
     ("Khan", None), ("John Smith", None)],
)
def test_gazetteer_leader(text, iso3):
    assert gazetteer.leader(text) == iso3


@pytest.mark.parametrize("text, iso3", [("Bosnia", "BIH"), ("Burma", "MMR"), ("Kampuchea", "KHM")])
def test_gazetteer_country_former_and_short_names(text, iso3):
    assert gazetteer.country(text) == iso3


@pytest.mark.parametrize("text, iso3", [("Argentine", "ARG"), ("Serb", "SRB"), ("Bosnian", "BIH"), ("Kurdish", None)])
def test_gazetteer_demonym_groups(text, iso3):
    assert gazetteer.demonym(text) == iso3
