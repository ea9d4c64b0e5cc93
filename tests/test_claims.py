"""The claims stage: relations between actors, polarity, modality, holder; self-contradiction."""

from __future__ import annotations

import pytest

from storyline.stages.claims import extract as cx


@pytest.fixture
def claims_of(analyse, nlp):
    def run(text: str):
        analysis = analyse(text)
        claims = list(cx.extract(nlp(text), analysis))
        return claims, list(cx.contradictions(claims, text)), analysis

    return run


def names(claim, analysis) -> tuple:
    subject = analysis.entity(claim.subject_entity_id)
    object_ = analysis.entity(claim.object_entity_id)
    return (subject.name if subject else None, claim.relation, object_.name if object_ else None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Russia and China are allies.", [("ally", "affirmed", "asserted")]),
        ("Russia and China are not allies.", [("ally", "denied", "asserted")]),
        ("Russia and China have never formed an alliance.", [("ally", "denied", "asserted")]),
        ("Russia and China may become allies.", [("ally", "affirmed", "hedged")]),
        ("Russia and China will become allies.", [("ally", "affirmed", "future")]),
        ("Russia and China would be allies if the war ended.", [("ally", "affirmed", "hypothetical")]),
        ("There is no evidence that Russia and China are allies.", [("ally", "denied", "asserted")]),
        ("Iran supports Syria.", [("support", "affirmed", "asserted")]),
        ("Norway threatened Sweden on Monday.", [("threaten", "affirmed", "asserted")]),
        ("Japan and Korea signed a partnership in Tokyo.", [("partner", "affirmed", "asserted")]),
        # negative cases: no second actor, no relation word, a relation between no actors
        ("Russia rejects liberal values.", []),
        ("Russia and China held talks about trade.", []),
        ("The two old friends are allies.", []),
    ],
)
def test_claims_relation_polarity_modality(claims_of, text, expected):
    claims, _, _ = claims_of(text)
    assert [(c.relation, c.polarity, c.modality) for c in claims] == expected


def test_claims_subject_object_and_evidence_offsets(claims_of):
    text = "In March, Iran openly supports Syria against the rebels."
    claims, _, analysis = claims_of(text)
    (c,) = claims
    assert names(c, analysis) == ("Iran", "support", "Syria")
    assert text[c.trigger_start : c.trigger_end] == c.trigger_text == "supports"
    assert text[c.subject_start : c.subject_end] == "Iran" and text[c.object_start : c.object_end] == "Syria"
    assert text[c.start : c.end] == c.text and "supports Syria" in c.text
    assert c.holder_kind == "author" and c.method == "claims/1" and 0 < c.confidence <= 1


def test_claims_in_a_quote_belong_to_its_speaker(claims_of):
    text = "Vladimir Putin spoke in Moscow.\n\n“Russia and China are allies in every sense of the word,” Putin said on Monday."
    claims, _, analysis = claims_of(text)
    (c,) = claims
    assert c.holder_kind == "speaker" and c.modality == "reported"
    assert analysis.entity(c.holder_entity_id).name == "Vladimir Putin"


def test_claims_pronoun_stands_for_the_last_pair(claims_of):
    text = "Russia and China signed a trade deal. They are allies now."
    claims, _, analysis = claims_of(text)
    assert [names(c, analysis) for c in claims] == [("Russia", "ally", "China")]
    assert claims[0].subject_text == "They" and claims[0].confidence < 0.8


def test_claims_self_contradiction_is_a_signal_with_both_spans(claims_of):
    text = "Russia and China are already allies. Still, there is no proof that the two countries are allies."
    claims, signals, _ = claims_of(text)
    assert [c.polarity for c in claims] == ["affirmed", "denied"]
    (s,) = signals
    assert s.kind == "self-contradiction" and s.method == "claims/1"
    spans = [text[a:b] for a, b in s.spans()]
    assert spans == ["Russia and China are already allies", "that the two countries are allies"]


def test_claims_hedged_or_other_holders_are_no_contradiction(claims_of):
    text = "Russia and China are allies. Russia and China may not be allies. “Russia and China are not allies,” Lavrov said."
    _, signals, _ = claims_of(text)
    assert signals == []


# -- golden: the seeds -------------------------------------------------------------------


def seed(seeds, prefix):
    return next(seeds.glob(prefix + "*.txt")).read_text(encoding="utf-8")


def test_claims_seed_000_denies_an_alliance_and_cites_putin(seeds, claims_of):
    claims, signals, analysis = claims_of(seed(seeds, "000_"))
    allies = [c for c in claims if c.relation == "ally"]
    denial = [c for c in allies if c.polarity == "denied" and c.holder_kind == "author"]
    assert denial and "have not yet made an official armed alliance" in denial[0].text
    putin = [c for c in allies if c.holder_kind == "speaker" and c.polarity == "affirmed"]
    assert putin and "Putin" in analysis.entity(putin[0].holder_entity_id).name
    assert "allies in every sense of the word" in putin[0].text
    assert {analysis.entity(putin[0].subject_entity_id).name, analysis.entity(putin[0].object_entity_id).name} == {"Russia", "China"}
    assert signals == []  # the author denies, Putin affirms: two holders, no self-contradiction


def test_claims_seed_001_affirms_and_denies_in_its_own_voice(seeds, claims_of):
    text = seed(seeds, "001_")
    claims, signals, _ = claims_of(text)
    author = [c for c in claims if c.relation == "ally" and c.holder_kind == "author" and c.modality == "asserted"]
    assert any(c.polarity == "affirmed" and c.text == "Russia and China are already allies" for c in author)
    assert any(c.polarity == "denied" and c.text == "that the countries are allies" for c in author)
    (s,) = [s for s in signals if s.kind == "self-contradiction"]
    assert [text[a:b] for a, b in s.spans()] == ["Russia and China are already allies", "that the countries are allies"]
