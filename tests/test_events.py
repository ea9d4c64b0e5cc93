"""The PLOVER events stage, on hand-made sentences run through the whole pipeline."""

from __future__ import annotations

import pytest

from storyline.records import Analysis, Event

DOC_DATE = "2024-04-10"  # a Wednesday


def best(analysis: Analysis) -> Event | None:
    return max(analysis.events, key=lambda e: e.confidence, default=None)


def country(analysis: Analysis, entity_id: str | None) -> str | None:
    entity = analysis.entity(entity_id)
    return entity.country if entity else None


# One positive sentence per PLOVER type: (type, text, source country, target country).
POSITIVE = [
    ("AGREE", "France and Germany signed a trade agreement on Monday.", "FRA", "DEU"),
    ("CONSULT", "The Indian prime minister met the Japanese foreign minister in Tokyo.", "IND", "JPN"),
    ("SUPPORT", "Canada praised Mexico for its reforms.", "CAN", "MEX"),
    ("CONCEDE", "Egypt released 40 Sudanese prisoners.", "EGY", "SDN"),
    ("COOPERATE", "Kenya and Uganda cooperate closely on border security.", "KEN", "UGA"),
    ("AID", "Norway sent food aid to Somalia.", "NOR", "SOM"),
    ("RETREAT", "Ethiopia withdrew its troops from Somalia.", "ETH", "SOM"),
    ("REQUEST", "Lebanon asked France for financial help.", "LBN", "FRA"),
    ("ACCUSE", "Pakistan accused India of spying.", "PAK", "IND"),
    ("REJECT", "Iran rejected the proposal from Germany.", "IRN", "DEU"),
    ("THREATEN", "North Korea threatened South Korea with war.", "PRK", "KOR"),
    ("PROTEST", "Thousands of Chilean students protested against the government in Santiago.", "CHL", None),
    ("SANCTION", "The United States imposed sanctions on Venezuela.", "USA", "VEN"),
    ("MOBILIZE", "Turkey deployed troops along the border with Syria.", "TUR", None),
    ("COERCE", "Belarusian police arrested dozens of opposition activists.", "BLR", None),
    ("ASSAULT", "Gunmen killed three Nigerian soldiers.", None, "NGA"),
    ("FIGHT", "Armenian forces clashed with Azerbaijan near the border.", "ARM", "AZE"),
    ("DEMAND", "Poland demanded that Russia return the wreckage.", "POL", "RUS"),
    ("DISAPPROVE", "Sweden condemned Iran for the executions.", "SWE", "IRN"),
    ("INVESTIGATE", "Brazil opened an investigation into bribery in Peru.", "BRA", None),
]


@pytest.mark.parametrize(("kind", "text", "source", "target"), POSITIVE, ids=[p[0] for p in POSITIVE])
def test_events_type_and_actors(analyse, kind, text, source, target):
    analysis = analyse(text, published=DOC_DATE)
    event = best(analysis)
    assert event is not None, text
    assert event.type == kind
    assert country(analysis, event.source_entity_id) == source
    if target:
        assert country(analysis, event.target_entity_id) == target
    assert event.method == "events/1"
    assert text[event.trigger_start : event.trigger_end] == event.trigger_text
    assert event.sentence_start <= event.trigger_start < event.trigger_end <= event.sentence_end


@pytest.mark.parametrize(
    "text",
    [
        "The weather was mild.",
        "Support Group Inc reported earnings.",
        "The Ministry of Defence has a new building.",
        "The Cooperation Council building is tall.",
        "Lascarus recalled the old days.",
        "She talked about the claims at a weekly meeting.",
    ],
)
def test_events_none(analyse, text):
    assert analyse(text, published=DOC_DATE).events == []


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Russia sent troops to Belarus.", "asserted"),
        ("Russia did not send troops to Belarus.", "negated"),
        ("Russia may send troops to Belarus.", "hypothetical"),
        ("Russia wants to send troops to Belarus.", "hypothetical"),
        ("Russia will send troops to Belarus.", "future"),
        ("Russia plans to deploy troops in Belarus.", "future"),
        ("Russia sent troops to Belarus, Reuters reported.", "reported"),
        ("Russia and China would respond to the missiles.", "future"),
    ],
)
def test_events_modality(analyse, text, modality):
    event = best(analyse(text, published=DOC_DATE))
    assert event is not None and event.modality == modality


def test_events_reported_by_according_to(analyse):
    text = "According to a story in the Japan Times, the US wants to send missile systems to Japan."
    analysis = analyse(text, published=DOC_DATE)
    event = best(analysis)
    assert (event.type, event.modality) == ("MOBILIZE", "hypothetical")
    assert analysis.entity(event.reported_by_entity_id).name == "Japan Times"
    assert (country(analysis, event.source_entity_id), country(analysis, event.target_entity_id)) == ("USA", "JPN")


@pytest.mark.parametrize(
    ("text", "published", "date"),
    [
        ("France and Germany signed a trade agreement on Monday.", DOC_DATE, "2024-04-08"),
        ("France and Germany signed a trade agreement in 2022.", DOC_DATE, "2022"),
        ("France and Germany signed a trade agreement last month.", DOC_DATE, "2024-03"),
        ("France and Germany signed a trade agreement.", DOC_DATE, DOC_DATE),
        ("France and Germany signed a trade agreement.", None, None),
        ("France and Germany signed a trade agreement in 2022.", None, "2022"),
        ("France and Germany will sign a trade agreement on Friday.", DOC_DATE, "2024-04-12"),
    ],
)
def test_events_date(analyse, text, published, date):
    assert best(analyse(text, published=published)).date == date


def test_events_place_is_not_an_actor(analyse):
    analysis = analyse("The Indian prime minister met the Japanese foreign minister in Tokyo.", published=DOC_DATE)
    assert best(analysis).place == "Tokyo"
    assert best(analyse("Norway sent food aid to Somalia.", published=DOC_DATE)).place is None


def test_events_group_subject_source_and_target(analyse):
    analysis = analyse("Presidents Vladimir Putin and Xi Jinping signed a partnership deal in 2022.", published=DOC_DATE)
    event = best(analysis)
    assert (event.type, event.trigger_text, event.date) == ("AGREE", "signed", "2022")
    names = analysis.entity(event.source_entity_id).name, analysis.entity(event.target_entity_id).name
    assert names == ("Vladimir Putin", "Xi Jinping")
    assert [e.type for e in analysis.events] == ["AGREE"]  # "partnership deal" is the object, not an event


def test_events_order_takes_the_ordered_type(analyse):
    assert best(analyse("Egypt ordered patrols along the border with Libya.", published=DOC_DATE)).type == "MOBILIZE"


def test_events_title_line_does_not_leak_condition(analyse):
    text = "China Backs Russia If West Escalates\n\nRussian Foreign Minister Sergey Lavrov met with Chinese President Xi Jinping."
    event = next(e for e in analyse(text, published=DOC_DATE).events if e.trigger_text == "met")
    assert (event.type, event.modality) == ("CONSULT", "asserted")


# Vocabulary beyond the first lexicon: synonyms and phrases by PLOVER category.
MORE = [
    ("MOBILIZE", "Israel has strengthened its forces in Lebanon.", "ISR", "LBN"),
    ("COERCE", "Israel reimposed blockades in the West Bank on Friday.", "ISR", "PSE"),
    ("PROTEST", "Thousands of students throughout Kenya staged mass demonstrations on Saturday.", "KEN", None),
    ("PROTEST", "Seven opposition parties in Nepal organized a general strike.", "NPL", None),
    ("COOPERATE", "Zambia extradited a Kenyan suspect to Kenya on Sunday.", "ZMB", "KEN"),
    ("FIGHT", "Both Chadian forces and Sudanese rebels violated the ceasefire.", "TCD", None),
    ("RETREAT", "Hezbollah declared a unilateral ceasefire in south Lebanon.", "LBN", None),
    ("SANCTION", "Syrian officers ended mediation efforts between rival militias in Tripoli.", "SYR", None),
    ("AID", "Finland gave Tanzania a grant to finance several projects.", "FIN", "TZA"),
    ("AGREE", "Finland will give Tanzania a grant to finance several projects.", "FIN", "TZA"),  # intent
]


@pytest.mark.parametrize(("kind", "text", "source", "target"), MORE, ids=[m[1][:30] for m in MORE])
def test_events_more_vocabulary(analyse, kind, text, source, target):
    analysis = analyse(text, published=DOC_DATE)
    event = best(analysis)
    assert event is not None and event.type == kind, text
    found = {country(analysis, event.source_entity_id), country(analysis, event.target_entity_id)}
    assert {source, target} - {None} <= found


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("Russia and China held joint naval drills on Monday.", "military"),
        ("Turkey deployed troops along the border with Syria.", "military"),
        ("Armenian forces clashed with Azerbaijan near the border.", "military"),  # no cue: FIGHT is military
        ("France and Germany signed a trade agreement on Monday.", "economic"),
        ("Japan will lend Kenya money for a new gas pipeline.", "economic"),
        ("Canada recalled its ambassador from Riyadh after a diplomatic row with Saudi Arabia.", "diplomatic"),
        ("Norway sent food aid to Somali refugees.", "humanitarian"),
        ("Canada praised Mexico for its reforms.", None),  # no cue, no default
    ],
)
def test_events_context(analyse, text, context):
    event = best(analyse(text, published=DOC_DATE))
    assert event is not None and event.context == context


def test_events_actor_deep_in_the_clause(analyse):
    """The target sits below a noun ("a call for its forces to be deployed in East Timor")."""
    a = analyse("The United Nations on Tuesday rejected a call for its forces to be deployed in East Timor.")
    event = best(a)
    assert event.type == "REJECT" and country(a, event.target_entity_id) == "TLS"


def test_events_actor_deep_in_the_subject(analyse):
    a = analyse("Militants loyal to Iraq's most wanted man said they attempted to assassinate the governor.")
    event = next(e for e in a.events if e.type == "ASSAULT")
    assert country(a, event.source_entity_id) == "IRQ"


def test_events_last_resort_actor_scores_low(analyse):
    """A trigger whose parse reaches no actor takes the nearest country in the sentence, at low confidence."""
    a = analyse("The withdrawal was completed quickly, officials in Sudan said.")
    events = [e for e in a.events if e.type == "RETREAT"]
    assert events and country(a, events[0].source_entity_id) == "SDN" and events[0].confidence < 0.5
    assert analyse("The withdrawal was completed quickly, officials said.").events == []
