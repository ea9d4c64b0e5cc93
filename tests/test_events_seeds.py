"""The touchstone seeds: what a careful reader finds (skips when ../shared is absent)."""

from __future__ import annotations


def _events(analysis, kind):
    return [e for e in analysis.events if e.type == kind]


def _name(analysis, entity_id):
    entity = analysis.entity(entity_id)
    return entity.name if entity else None


def test_events_seed_000(seeds, analyse):
    text = (seeds / "000_6df1a35ce4209c05.txt").read_text(encoding="utf-8")
    a = analyse(text, published="2024-04-10")
    send = next(e for e in _events(a, "MOBILIZE") if e.trigger_text == "send")
    assert send.modality == "hypothetical" and _name(a, send.reported_by_entity_id) == "Japan Times"
    assert a.entity(send.target_entity_id).country == "JPN"
    signed = next(e for e in _events(a, "AGREE") if e.trigger_text == "signed")
    assert (signed.modality, signed.date) == ("asserted", "2022")
    assert _name(a, signed.source_entity_id) == "Vladimir Putin"
    assert any({a.entity(e.source_entity_id).country, a.entity(e.target_entity_id).country} == {"RUS", "CHN"}
               for e in _events(a, "COOPERATE") if e.source_entity_id and e.target_entity_id)  # fmt: skip
    respond = [e for e in _events(a, "THREATEN") if e.trigger_text == "respond"]
    assert respond and all(e.modality == "future" for e in respond)


def test_events_seed_002(seeds, analyse):
    text = (seeds / "002_15fd42dc6f4f01d1.txt").read_text(encoding="utf-8")
    a = analyse(text, published="2024-04-10")
    met = next(e for e in _events(a, "CONSULT") if e.trigger_text == "met")
    assert (met.date, met.modality) == ("2024-04-10", "asserted")
    assert (_name(a, met.source_entity_id), _name(a, met.target_entity_id)) == ("Sergey Lavrov", "Xi Jinping")


def test_events_seed_000_drills_are_military_cooperation(seeds, analyse):
    """Issue 4: "Russia and China hold joint naval drills" is COOPERATE in a military context."""
    text = (seeds / "000_6df1a35ce4209c05.txt").read_text(encoding="utf-8")
    a = analyse(text, published="2024-04-10")
    drills = [e for e in _events(a, "COOPERATE") if "navy drills" in text[e.sentence_start : e.sentence_end]]
    assert drills and all(e.context == "military" for e in drills)
    assert any({a.entity(e.source_entity_id).country, a.entity(e.target_entity_id).country} == {"RUS", "CHN"}
               for e in drills if e.source_entity_id and e.target_entity_id)  # fmt: skip
    signed = next(e for e in _events(a, "AGREE") if e.trigger_text == "signed")
    assert {a.entity(signed.source_entity_id).country, a.entity(signed.target_entity_id).country} == {"RUS", "CHN"}
