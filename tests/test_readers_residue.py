"""Residue rules: each rule on a line that must match, and body lines that must not."""

from __future__ import annotations

import pytest

from storyline.readers import residue

BODY = "The minister said on Tuesday that talks would continue in Lunholm next week, officials said."


def rule_for(line: str, before: str = "", after: str = "") -> str | None:
    """The rule marking ``line`` when it sits between a title+body and more body."""
    text = f"A Headline About Talks\n\n{BODY}\n\n{before}{line}\n\n{after}{BODY} Again."
    for ln, rule in residue.classify(text):
        if ln.text == line.strip():
            return rule
    raise AssertionError("line not found")


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("2024-04-10T02:11+0000", "iso-timestamp"),
        ("2024-04-10", "iso-timestamp"),
        ("2024-04-10 09:30:00Z", "iso-timestamp"),
        ("https://cdn.example.org/img/07e8/04/0a/photo_1920x0_80.jpg", "image-url"),
        ("https://img.example.org/a/b.png?w=300", "image-url"),
        ("https://example.org/20240409/other-story-1117821017.html", "related-link"),
        ("Example News feedback@example.org +74956456601 Example Media Group 252 60", "contact-footer"),
        ("1920 1080 true", "image-dimensions"),
        ("1920 1440 false", "image-dimensions"),
        ("en_EN", "locale"),
        ("2024", "bare-year"),
        ("News", "section-label"),
        ("Related articles", "section-label"),
        ("Call Now", "call-to-action"),
        ("Call now!", "call-to-action"),
        ("Subscribe", "call-to-action"),
        ("By Jane Roe", "byline"),
        ("russian foreign minister, lavrov visit, china west relations", "keyword-list"),
    ],
)
def test_residue_rule_matches(line, rule):
    assert rule_for(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "She said no.",  # a short sentence
        "“We will not accept this,” she said.",  # a quote line
        '"Never," he replied.',
        "Call now, he urged the minister, before it is too late.",  # a call-to-action phrase inside prose
        "In 2024 the talks resumed.",
        "The strike began at 2024-04-10 and lasted a week, union leaders said.",
        "News of the agreement spread quickly through the capital.",
        "and then nothing happened for a while in the capital city.",
        "See https://example.org/report for the full text of the agreement.",
        "By the end of the week, both sides had agreed to talk.",
        "Russia, China and India met, said the spokeswoman.",
        "Vladimir Putin",  # a name that appears once, inside the body
    ],
)
def test_residue_rule_spares_body_lines(line):
    assert rule_for(line) is None


def test_residue_tag_run_needs_three_lines():
    run = "russia\n\nchina\n\nukraine\n\n"
    text = f"Title Here\n\n{BODY}\n\n{run}{BODY}"
    rules = {ln.text: rule for ln, rule in residue.classify(text) if ln.text}
    assert rules["russia"] == rules["china"] == rules["ukraine"] == "tag-run"
    short = f"Title Here\n\n{BODY}\n\nrussia\n\nchina\n\n{BODY}"
    rules = {ln.text: rule for ln, rule in residue.classify(short) if ln.text}
    assert rules["russia"] is None and rules["china"] is None


def test_residue_author_name_needs_repeat_or_tail():
    once_in_body = f"{BODY}\nIan DeMartino\n{BODY}"
    assert all(rule is None for ln, rule in residue.classify(once_in_body) if ln.text)
    repeated = f"{BODY}\n\nIan DeMartino\n\nIan DeMartino"
    assert [r for ln, r in residue.classify(repeated) if ln.text][1:] == ["author-name", "author-name"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Are Russia and China allies?\n\n" + BODY, "Are Russia and China allies?"),
        ("# Opinion: Lunholm bought time\n\n" + BODY, "Opinion: Lunholm bought time"),
        (BODY + "\n\n" + BODY, None),  # a sentence is not a title
        ("A Lone Headline", None),  # nothing follows it
        ("Short heading\n" + BODY, None),  # no blank line after it
    ],
)
def test_residue_title(text, title):
    lifted = [c.value for c in residue.lift(residue.classify(text)) if c.field == "title"]
    assert lifted == ([title] if title else [])


def test_residue_header_lifts_date_and_url():
    text = f" date 2024-04-10 https://www.example.org/a.html\n\n{BODY}"
    found = {c.field: (c.value, c.method) for c in residue.lift(residue.classify(text))}
    assert found["published"] == ("2024-04-10", "text-residue/1:date-url-header")
    assert found["url"][0] == "https://www.example.org/a.html"


def test_residue_dateline_lifts_date_without_removing():
    text = "MARISK, March 3, 2026 (Meridian Wire) - Vardenia accused Kaltovia of a provocation on Tuesday."
    stored, cuts, found = residue.clean(text)
    assert stored == text and cuts == []
    assert [(c.field, c.value) for c in found] == [("published", "March 3, 2026")]


def test_residue_clean_offsets_point_into_input():
    text = f"Title Of It\n\n{BODY}\n\n2024-04-10T02:11+0000\r\n\n  1920 1080 true  \n\n{BODY}\n\nCall Now\n"
    stored, cuts, _ = residue.clean(text)
    assert [c.rule.split(":")[1] for c in cuts] == ["title", "iso-timestamp", "image-dimensions", "call-to-action"]
    for cut in cuts:
        assert text[cut.start : cut.end] == cut.text
        assert cut.text not in stored
        assert text.splitlines()[cut.line - 1].strip() == cut.text
    assert stored == f"{BODY}\n\n{BODY}"


def test_residue_clean_keeps_paragraph_lines():
    text = "First line of a paragraph, written as prose here.\nSecond line of it, also prose.\n\nNext paragraph here, prose."
    stored, cuts, _ = residue.clean(text)
    assert stored == text and cuts == []


def test_residue_rules_table_names_are_unique():
    names = [name for name, _ in residue.RULES]
    assert len(names) == len(set(names))
