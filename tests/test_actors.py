"""The actors stage: canonical people, countries, organisations and places."""

from __future__ import annotations

import pytest

from storyline.stages.actors import extract as actors
from storyline.stages.actors import readings as actor_readings


def _by_surface(analysis, surface: str):
    """The entity linked to the first mention whose text is ``surface``."""
    for m in analysis.mentions:
        if m.text == surface and m.entity_id:
            return analysis.entities[m.entity_id]
    return None


@pytest.mark.parametrize(
    "text, surface, kind, country",
    [
        ("The US said on Monday that talks had failed.", "US", "country", "USA"),
        ("Officials in the U.S. disagreed with the decision.", "U.S.", "country", "USA"),
        ("The United States imposed new tariffs.", "The United States", "country", "USA"),
        ("America will never accept that, the senator said.", "America", "country", "USA"),
        ("Moscow warned that it would respond to the new sanctions.", "Moscow", "country", "RUS"),
        ("Beijing said the exercises were routine.", "Beijing", "country", "CHN"),
        ("Moscow and Beijing will respond to the threat.", "Beijing", "country", "CHN"),
        ("Russia wants better relations with Beijing this year.", "Beijing", "country", "CHN"),
        ("NATO held a summit in Brussels on Tuesday.", "NATO", "organisation", None),
        ("Russian and Chinese diplomats met in Geneva on Friday.", "Chinese", "country", "CHN"),
    ],
)
def test_actors_links_country_forms(analyse, text, surface, kind, country):
    entity = _by_surface(analyse(text), surface)
    assert entity is not None, surface
    assert (entity.kind, entity.country) == (kind, country)


@pytest.mark.parametrize(
    "text, surface",
    [
        ("We stayed at a hotel in Moscow for a week.", "Moscow"),
        ("The delegation flew to Beijing on Monday.", "Beijing"),
    ],
)
def test_actors_capital_as_place_is_not_government(analyse, text, surface):
    entity = _by_surface(analyse(text), surface)
    assert entity is not None
    assert entity.kind == "place"


def test_actors_same_country_same_id_across_documents(analyse):
    a = _by_surface(analyse("The US said it would respond."), "US")
    b = _by_surface(analyse("Officials in Washington were pleased, and the United States agreed."), "the United States")
    assert a.id == b.id


@pytest.mark.parametrize(
    "text, surface, role, country, sector",
    [
        (
            "Maria Zakharova, a spokeswoman for the Russian Foreign Ministry, talked about the claims.",
            "Maria Zakharova",
            "spokesperson",
            "RUS",
            "GOV",
        ),
        ("Russian Foreign Minister Sergey Lavrov met his counterpart on Monday.", "Sergey Lavrov", "foreign minister", "RUS", "GOV"),
        ("Chinese President Xi Jinping arrived in Moscow.", "Xi Jinping", "president", "CHN", "GOV"),
        ("The lawyer and journalist Dimitri Lascarus told a radio show.", "Dimitri Lascarus", "lawyer and journalist", None, "MED"),
        ("Mary Smith bought a new car on Monday.", "Mary Smith", None, None, None),
    ],
)
def test_actors_person_roles(analyse, text, surface, role, country, sector):
    entity = _by_surface(analyse(text), surface)
    assert entity is not None and entity.kind == "person"
    assert (entity.role, entity.country, entity.sector) == (role, country, sector)


def test_actors_surname_joins_full_name(analyse):
    a = analyse("Vladimir Putin spoke on Monday. Later, Putin said the drills would continue.")
    ids = {m.entity_id for m in a.mentions if m.text in {"Vladimir Putin", "Putin"}}
    assert len(ids) == 1
    assert a.entities[ids.pop()].name == "Vladimir Putin"


def test_actors_role_noun_resolves_to_person(analyse):
    a = analyse(
        "Maria Zakharova, a spokeswoman for the Russian Foreign Ministry, spoke on Monday. "
        "The spokeswoman said the talks would go on."
    )
    role = [m for m in a.mentions if m.label == "ROLE"]
    assert [m.text for m in role] == ["The spokeswoman"]
    assert a.entities[role[0].entity_id].name == "Maria Zakharova"
    assert actors.gender_of(a, role[0].entity_id) == "f"


def test_actors_role_noun_without_antecedent_is_not_linked(analyse):
    a = analyse("The spokeswoman said the talks would go on.")
    assert not [m for m in a.mentions if m.label == "ROLE"]


def test_actors_helpers(analyse):
    text = "Maria Zakharova, a spokeswoman for the Russian Foreign Ministry, spoke."
    a = analyse(text)
    start = text.index("Zakharova")
    entity = actors.entity_at(a, start, start + len("Zakharova"))
    assert entity is not None and entity.name == "Maria Zakharova"
    assert actors.person_role(entity) == "spokesperson"
    assert actors.entity_at(a, 0, 0) is None
    assert [m.text for m in actors.mentions_in(a, 0, len(text)) if m.label in {"PERSON", "ORG"}] == [
        "Maria Zakharova",
        "the Russian Foreign Ministry",
    ]
    assert actors.person_role(a.entities[actor_readings.entity_id("country", "RUS")] if actor_readings.entity_id("country", "RUS") in a.entities else None) is None


def test_actors_seed_000(seeds, analyse):
    text = next(seeds.glob("000_*.txt")).read_text(encoding="utf-8")
    a = analyse(text)
    zakharova = _by_surface(a, "Maria Zakharova")
    assert (zakharova.role, zakharova.country) == ("spokesperson", "RUS")
    assert _by_surface(a, "Zakharova").id == zakharova.id
    assert _by_surface(a, "US").id == _by_surface(a, "U.S.").id == actor_readings.entity_id("country", "USA")
    assert _by_surface(a, "Moscow").country == "RUS" and _by_surface(a, "Moscow").kind == "country"
    assert _by_surface(a, "Putin").kind == "person" and _by_surface(a, "Putin").name == "Vladimir Putin"
    assert _by_surface(a, "Xi Jinping").kind == "person"


def test_actors_seed_002(seeds, analyse):
    text = next(seeds.glob("002_*.txt")).read_text(encoding="utf-8")
    a = analyse(text)
    lavrov = _by_surface(a, "Sergey Lavrov")
    assert (lavrov.kind, lavrov.role, lavrov.country, lavrov.sector) == ("person", "foreign minister", "RUS", "GOV")
    assert _by_surface(a, "Lavrov").id == lavrov.id


@pytest.mark.parametrize(
    "text, surface, kind",
    [
        ("WASHINGTON (Reuters) - The talks failed on Monday.", "WASHINGTON", "place"),  # a dateline
        ("Video taken inside Ottawa's House of Commons shows a gunman.", "Ottawa", "place"),
        ("Pyongyang's leadership stayed silent on Thursday.", "Pyongyang", "country"),
        ("London began sending arms this week.", "London", "country"),
        ("President Idriss Deby spoke to reporters.", "Idriss Deby", "person"),
    ],
)
def test_actors_context_rules(analyse, text, surface, kind):
    entity = _by_surface(analyse(text), surface)
    assert entity is not None and entity.kind == kind


@pytest.mark.parametrize(
    "text, surface, country, role",
    [
        ("North Korean leader Kim Jong-un watched the launch.", "Kim Jong-un", "PRK", "leader"),
        ("US President Joe Biden said he would veto it.", "Joe Biden", "USA", "president"),
        ("[French President] Emmanuel Macron talked about troops.", "Emmanuel Macron", "FRA", "president"),
        ("Russia's foreign minister, Sergey Lavrov, said the talks failed.", "Sergey Lavrov", "RUS", "foreign minister"),
        ("He told us Maria Lopez would win.", "Maria Lopez", None, None),  # no title, no country named
    ],
)
def test_actors_title_countries(analyse, text, surface, country, role):
    entity = _by_surface(analyse(text), surface)
    assert entity is not None and entity.kind == "person"
    assert (entity.country, entity.role) == (country, role)


def test_actors_plural_title_covers_both_names(analyse):
    a = analyse("Presidents Vladimir Putin and Xi Jinping signed a deal in 2022.")
    assert _by_surface(a, "Vladimir Putin").role == "president"
    assert _by_surface(a, "Xi Jinping").role == "president"


def test_actors_missed_seat_is_added(analyse):
    a = analyse("Officials said the Kremlin had no comment and the Pentagon declined to respond.")
    seats = {m.text.removeprefix("the "): a.entities[m.entity_id].country for m in a.mentions if m.label == "SEAT"}
    assert seats == {"Kremlin": "RUS", "Pentagon": "USA"}


def test_actors_seat_needs_capitals(analyse):
    a = analyse("The white house on the corner was sold.")
    assert not [m for m in a.mentions if m.label == "SEAT"]


def test_actors_junk_persons_are_not_entities(analyse):
    a = analyse("“I wouldn't be surprised,” he said. See https://example.com/lavrov-visit.html for more.")
    assert not [e for e in a.entities.values() if e.kind == "person"]


@pytest.mark.parametrize(
    "kinds, expected",
    [
        (["organisation", "place", "organisation"], "place"),  # the NER's place label wins
        (["organisation", "group", "organisation"], "organisation"),
        (["group", "organisation"], "group"),  # a tie goes to the first seen
        (["organisation"], "organisation"),
    ],
)
def test_actors_one_kind_per_name_in_a_document(kinds, expected):
    from storyline.records import Mention

    readings = {i: actor_readings.Reading(kind, "crimea", "Crimea") for i, kind in enumerate(kinds)}
    mentions = [Mention("d", i * 10, i * 10 + 6, "Crimea", "ORG") for i in range(len(kinds))]
    actors._one_kind_per_name(readings, mentions)
    assert {r.kind for r in readings.values()} == {expected}


def test_actors_seed_001_crimea_is_one_place(seeds, analyse):
    a = analyse(next(seeds.glob("001_*.txt")).read_text(encoding="utf-8"))
    ids = {m.entity_id for m in a.mentions if m.text == "Crimea"}
    assert len(ids) == 1 and a.entities[ids.pop()].kind == "place"
    kremlin = _by_surface(a, "Kremlin")
    assert kremlin is not None and kremlin.id == actor_readings.entity_id("country", "RUS")


@pytest.mark.parametrize(
    "text, surface, role",
    [
        ("Sgt. Gill Cherry said the unit had left.", "Gill Cherry", "sergeant"),
        ("The Sgt said nothing more.", None, None),  # a bare title is nobody
    ],
)
def test_actors_titles_inside_names(analyse, text, surface, role):
    a = analyse(text)
    persons = [e for e in a.entities.values() if e.kind == "person"]
    if surface is None:
        assert persons == []
    else:
        assert [(e.name, e.role) for e in persons] == [(surface, role)]


@pytest.mark.parametrize(
    "text, surface, country",
    [
        ("President Prosper Avril declared a state of siege in Haiti, a spokeswoman for the U.S. embassy said.",
         "Prosper Avril", "HTI"),  # titled: the nearest country of the sentence
        ("King Hassan of Morocco was quoted today.", "Hassan", "MAR"),  # "X of <country>"
        ("Maria Lopez spoke in Lima. Peru voted on Sunday.", "Maria Lopez", "PER"),  # the only country of the document
        ("Maria Lopez spoke on Monday. Peru and Chile voted on Sunday.", "Maria Lopez", None),  # untitled, two countries
        ("Vladimir Putin spoke on Monday.", "Vladimir Putin", "RUS"),  # a well-known leader
    ],
)
def test_actors_person_country_from_context(analyse, text, surface, country):
    entity = _by_surface(analyse(text), surface)
    assert entity is not None and entity.kind == "person" and entity.country == country


@pytest.mark.parametrize(
    "text, surface, country",
    [
        ("The Sri Lankan army has been holding refugees.", "Sri Lankan", "LKA"),  # a demonym tagged GPE
        ("Hamas threatened Monday to resume attacks.", "Hamas", "PSE"),  # a group tied to one country
        ("A roadside bomb exploded near Basrah on Sunday.", "Basrah", "IRQ"),  # a city
        ("The government of Sindh province has ordered patrols.", "Sindh", "PAK"),  # a province
        ("The government of Ethopia has agreed to re-open its borders.", "Ethopia", "ETH"),  # a misspelt country
        ("The rally was held in Springfield Gardens.", "Springfield Gardens", None),  # unknown place
    ],
)
def test_actors_countries_of_places_and_groups(analyse, text, surface, country):
    entity = _by_surface(analyse(text), surface)
    assert entity is not None and entity.country == country


@pytest.mark.parametrize(
    "text, merged",
    [
        ("Kaltovia moved troops to the border. Kaltovian officials denied it.", True),
        ("Kaltovia moved troops to the border. Officials denied it.", False),
    ],
)
def test_actors_unlisted_country_from_its_demonym(analyse, text, merged):
    a = analyse(text)
    kinds = {a.entities[m.entity_id].kind for m in a.mentions if m.entity_id and m.text.startswith("Kaltovia")}
    if merged:
        assert kinds == {"country"}
        (ent,) = {a.entities[m.entity_id] for m in a.mentions if m.entity_id and m.text.startswith("Kaltovia")}
        assert ent.country is None  # no ISO code is invented
    else:
        assert "country" not in kinds


def test_actors_demonym_forms():
    from storyline.stages.actors.readings import demonym_forms

    assert "kaltovian" in demonym_forms("kaltovia")
    assert "estmarkish" in demonym_forms("estmark")
    assert "vardenian" in demonym_forms("vardenia")
