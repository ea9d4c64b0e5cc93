"""Golden tests on the three seed documents (skipped when ../shared is absent)."""

from __future__ import annotations

import re

import pytest

from storyline.readers import read_paths

SEED_000 = "000_6df1a35ce4209c05.txt"
SEED_001 = "001_a4c9586f16703dc3.txt"
SEED_002 = "002_15fd42dc6f4f01d1.txt"


def read_seed(seeds, name, **options):
    (analysis,) = read_paths([str(seeds / name)], **options)
    return analysis


def test_golden_seed_002_metadata(seeds):
    d = read_seed(seeds, SEED_002).document
    assert d.published == "2024-04-10"
    assert d.url.startswith("https://sputnikglobe.com/20240410/china-sending-message")
    assert d.domain == "sputnikglobe.com"
    assert d.title == "China Sending Message That ‘It Has Russia’s Back’ If West Escalates"
    assert d.author == "Ian DeMartino"
    assert d.language == "en"
    assert "russia" in d.keywords and "global south" in d.keywords


def test_golden_seed_002_body_whole_and_residue_gone(seeds):
    a = read_seed(seeds, SEED_002)
    text = a.document.text
    assert text.startswith("Russian Foreign Minister Sergey Lavrov met with Chinese President Xi Jinping")
    assert "“So we’re seeing already, that the political days of these characters are all numbered.”" in text
    assert "Lascarus explained.While neither government" in text  # run-on text kept as it is
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)
    assert "https://" not in text and ".jpg" not in text
    assert "\nrussia\n" not in text and "us hegemony" not in text
    assert "feedback@sputniknews.com" not in text and "1920 1080 true" not in text
    assert "Ian DeMartino" not in text and "Sputnik International" not in text
    rules = {r.rule.split(":")[1] for r in a.residue}
    assert {"date-url-header", "title", "title-repeat", "iso-timestamp", "tag-run", "image-url",
            "related-link", "contact-footer", "author-name", "image-dimensions", "keyword-list"} <= rules


def test_golden_seed_002_residue_offsets(seeds):
    raw = (seeds / SEED_002).read_text("utf-8")
    a = read_seed(seeds, SEED_002)
    for r in a.residue:
        assert raw[r.start : r.end] == r.text
        assert r.doc_id == a.document.id


def test_golden_seed_001_call_now(seeds):
    a = read_seed(seeds, SEED_001)
    assert "Call Now" not in a.document.text
    (cta,) = [r for r in a.residue if r.text == "Call Now"]
    assert "call-to-action" in cta.rule
    assert a.document.text.startswith("Are Russia and China allies? Western policymakers")


def test_golden_seed_000_nothing_lost(seeds):
    raw = (seeds / SEED_000).read_text("utf-8")
    a = read_seed(seeds, SEED_000)
    assert a.residue == []
    for line in raw.splitlines():
        assert line in a.document.text


@pytest.mark.parametrize("name", [SEED_000, SEED_001, SEED_002])
def test_golden_seed_verbatim_equals_file(seeds, name):
    raw = (seeds / name).read_text("utf-8")
    a = read_seed(seeds, name, verbatim=True)
    assert a.document.text == raw and a.document.verbatim and a.residue == []
