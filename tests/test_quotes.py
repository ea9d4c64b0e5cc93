import pytest

from storyline.stages.quotemarks import scan


def inner(text):
    return [text[q.start : q.end] for q in scan(text) if q.depth == 0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('He said "we will win" today.', ['"we will win"']),
        ("He said “we will win” today.", ["“we will win”"]),
        ("He said ‘we will win’ today.", ["‘we will win’"]),
        ("Il a dit «nous gagnerons» hier.", ["«nous gagnerons»"]),
        ("Er sagte „wir gewinnen“ heute.", ["„wir gewinnen“"]),
        ("''We will win,'' he said.", ["''We will win,''"]),
        ("No quotes at all here.", []),
    ],
)
def test_quotemarks_every_style(text, expected):
    assert inner(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Russia’s view, don’t worry, the countries’ plans", "It's the '90s and they're fine", "The Smiths' house and the Joneses' car"],
)
def test_quotemarks_apostrophes_are_not_marks(text):
    assert [q for q in scan(text) if q.closed] == []


def test_quotemarks_nested_and_unclosed_inner():
    text = "She said, “Moscow will answer ‘double containment’ with ‘double counteraction.”"
    spans = scan(text)
    assert [(text[q.start : q.end], q.depth, q.closed) for q in spans] == [
        (text[10:], 0, True),
        ("‘double containment’", 1, True),
        ("‘double counteraction.", 1, False),
    ]


def test_quotemarks_unclosed_mark_closes_at_paragraph_end():
    text = "He said “this never closes\nNext paragraph “is fine”."
    spans = scan(text)
    assert [(text[q.start : q.end], q.closed) for q in spans] == [("“this never closes", False), ("“is fine”", True)]


def test_quotemarks_quote_runs_over_paragraphs():
    text = "“First paragraph of the quote.\n\n“Second paragraph,” she said."
    (span,) = scan(text)
    assert (span.start, text[span.end - 1], span.closed) == (0, "”", True)


# ------------------------------------------------------------------ the stage


def quotes_of(analyse, text):
    analysis = analyse(text)
    for q in analysis.quotes:
        assert q.content_text == text[q.content_start : q.content_end]
        if q.cue_start is not None:
            assert q.cue_text == text[q.cue_start : q.cue_end]
        if q.speaker_start is not None:
            assert q.speaker_text == text[q.speaker_start : q.speaker_end]
    return analysis.quotes


@pytest.mark.parametrize(
    "text, kind, content, cue, speaker",
    [
        ("“We will not retreat,” the minister said.", "direct", "“We will not retreat,”", "said", "the minister"),
        ("“We will not retreat,” said John Smith.", "direct", "“We will not retreat,”", "said", "John Smith"),
        ('John Smith said, "We will not retreat."', "direct", '"We will not retreat."', "said", "John Smith"),
        ("John Smith told reporters: «We will not retreat.»", "direct", "«We will not retreat.»", "told", "John Smith"),
        ("John Smith warned that prices would rise.", "indirect", "that prices would rise", "warned", "John Smith"),
        ("John Smith said the talks had failed.", "indirect", "the talks had failed", "said", "John Smith"),
        ("Prices will rise next year, the central bank said.", "indirect", "Prices will rise next year", "said", "the central bank"),
        ("According to the ministry, the talks had failed.", "indirect", "the talks had failed", "According to", "the ministry"),
        ("Mary Jones believes that the plan will work.", "indirect", "that the plan will work", "believes", "Mary Jones"),
        (
            "Putin said that they are “allies in every sense of the word.”",
            "mixed",
            "that they are “allies in every sense of the word.”",
            "said",
            "Putin",
        ),
    ],
)
def test_quotes_patterns(analyse, text, kind, content, cue, speaker):
    quotes = quotes_of(analyse, text)
    assert [(q.kind, q.content_text, q.cue_text, q.speaker_text) for q in quotes] == [(kind, content, cue, speaker)]


def test_quotes_split_quote_shares_cue_and_speaker(analyse):
    text = "“We came to talk,” Anna Berg said, “and we will stay until it is done.”"
    quotes = quotes_of(analyse, text)
    assert [q.content_text for q in quotes] == ["“We came to talk,”", "“and we will stay until it is done.”"]
    assert {(q.cue_text, q.speaker_text) for q in quotes} == {("said", "Anna Berg")}


def test_quotes_following_quote_inherits_speaker_and_cue_with_lower_confidence(analyse):
    text = "Anna Berg argued that the deal was fair. “Nobody lost anything in this agreement at all.”"
    quotes = quotes_of(analyse, text)
    assert [(q.kind, q.speaker_text) for q in quotes] == [("indirect", "Anna Berg"), ("direct", "Anna Berg")]
    # one attribution in two pieces, as PolNeAR annotates it: the second piece is under the same cue
    assert quotes[1].cue_text == "argued" and quotes[1].cue_start == quotes[0].cue_start
    assert quotes[1].confidence < quotes[0].confidence + 0.2


def test_quotes_quote_after_a_line_break_keeps_the_speaker_not_the_cue(analyse):
    text = "Anna Berg argued that the deal was fair.\n“Nobody lost anything in this agreement at all.”"
    quotes = quotes_of(analyse, text)
    assert [(q.kind, q.speaker_text) for q in quotes] == [("indirect", "Anna Berg"), ("direct", "Anna Berg")]
    # a new paragraph: an attribution of its own (PolNeAR), by the same speaker
    assert quotes[0].cue_text == "argued" and quotes[1].cue_text is None


def test_quotes_pronoun_speaker_resolves_to_earlier_person(analyse):
    text = "Maria Zakharova, a spokeswoman for the ministry, spoke on Monday. “Our relations are not directed against anyone,” she stated."
    (quote,) = quotes_of(analyse, text)
    analysis_entity = quote.speaker_entity_id
    assert quote.speaker_text == "she"
    assert analysis_entity is not None


@pytest.mark.parametrize(
    "text",
    [
        "No quotes at all, just a plain sentence about the weather.",
        "The meeting is a “message” to the West.",
        "Russia’s plans don’t change the countries’ views.",
        "",
    ],
)
def test_quotes_negative_cases(analyse, text):
    assert quotes_of(analyse, text) == []


def test_quotes_unbalanced_mark_keeps_document(analyse):
    text = "Anna Berg said, “We will stay until the end\n\nThe next paragraph is narration."
    quotes = quotes_of(analyse, text)
    assert len(quotes) == 1 and quotes[0].confidence < 0.9
    assert quotes[0].content_text == "“We will stay until the end"


# ------------------------------------------------------------------ golden seeds


def seed_quotes(nlp, path):
    from storyline.pipeline.analyze import analyze
    from storyline.records import Analysis, Document, content_id

    text = path.read_text(encoding="utf-8")
    doc = Document(id=content_id(text), text=text, source_path=str(path), n_chars=len(text))
    analysis = analyze(Analysis(document=doc), nlp)
    return analysis, [(q, (analysis.entity(q.speaker_entity_id) or None)) for q in analysis.quotes]


def test_quotes_golden_zakharova_and_putin(nlp, seeds):
    analysis, quotes = seed_quotes(nlp, seeds / "000_6df1a35ce4209c05.txt")
    by_cue = {}
    for q, ent in quotes:
        by_cue.setdefault(q.cue_text, []).append((q, ent.name if ent else None))
    direct = [(q, name) for q, name in sum(by_cue.values(), []) if q.kind == "direct"]
    assert len(direct) == 4
    assert all(name == "Maria Zakharova" for _, name in direct)
    assert {q.cue_text for q, _ in direct} >= {"stated", "asked", "said"}
    (allies,) = [(q, name) for q, name in sum(by_cue.values(), []) if "allies in every sense" in q.content_text]
    assert allies[0].kind == "mixed" and allies[1] == "Vladimir Putin"


def test_quotes_golden_lascarus(nlp, seeds):
    analysis, quotes = seed_quotes(nlp, seeds / "002_15fd42dc6f4f01d1.txt")
    named = {q.cue_text: ent.name if ent else None for q, ent in quotes if q.cue_text in ("recalled", "explained", "argued", "noted")}
    assert set(named) == {"recalled", "explained", "argued", "noted"}
    assert set(named.values()) == {"Dimitri Lascarus"}
    direct = [ent.name if ent else None for q, ent in quotes if q.kind == "direct"]
    assert len(direct) >= 5 and set(direct) == {"Dimitri Lascarus"}


def test_quotes_one_content_two_cues_keeps_one(analyse):
    quotes = quotes_of(analyse, "Anna Berg made the observation that the deal was fair.")
    assert len([q for q in quotes if "the deal was fair" in q.content_text]) <= 1


def test_quotes_a_digest_source_tag_is_the_cue(analyse):
    text = "“The talks have stalled for a third week in a row now.” [AP.]\n\nNEXT ITEM here."
    quotes = quotes_of(analyse, text)
    assert [(q.kind, q.cue_text, q.speaker_text) for q in quotes] == [("direct", "[AP.]", "AP")]


def test_quotes_a_bracket_inside_a_quote_is_not_a_source_tag(analyse):
    quotes = quotes_of(analyse, "Anna Berg wrote “see [1] for more on the plans of the group” yesterday.")
    assert all(q.cue_text != "[1]" for q in quotes)


def test_quotes_participle_describing_its_noun_without_an_agent_is_no_attribution(analyse):
    text = "This is a FICTIONAL document written for the storyline examples; its countries, people and events are invented."
    assert "written" not in [q.cue_text for q in quotes_of(analyse, text)]


def test_quotes_a_quoted_title_before_the_clause_is_not_what_was_said(analyse):
    text = "General Allen said on ABC's ''This Week'' on Sunday that Mr. Trump was endangering American troops."
    said = [q.content_text for q in quotes_of(analyse, text) if q.cue_text == "said"]
    assert said == ["that Mr. Trump was endangering American troops"]
