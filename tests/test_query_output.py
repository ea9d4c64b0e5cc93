"""What the listings print (issue 24): stored text is never markup, search hits are highlighted with
styles and a real score, LIKE wildcards match themselves, ids resolve by external id and prefix
with clear messages. On the hand-made corpus of test_query_filters (no spaCy)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_query_filters import D1, D2, D3, D4, build_corpus

from storyline.interfaces.cli import cli
from storyline.interfaces.listing import highlighted
from storyline.records import Analysis, Document

D5, D6 = "a1d0000000000005", "a1e0000000000006"
ODD_PATH = "in/[/b] odd [red].txt"


def _extra() -> list[Analysis]:
    texts = {
        D5: "A [bold]not bold[/bold] line about sanctions and \x02markers\x03 [/].",
        D6: "Nothing \x1b[31mto see\x1b[0m here.",
    }
    return [
        Analysis(Document(id=D5, text=texts[D5], source_path=ODD_PATH, external_id="b7", n_chars=len(texts[D5]))),
        Analysis(Document(id=D6, text=texts[D6], source_path="in/d6.txt", external_id="dup", n_chars=len(texts[D6]))),
    ]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    # a folder name with brackets: file paths are printed as text too
    return build_corpus(tmp_path_factory.mktemp("out") / "corpus [red] [sic] [b].db", _extra())


def run(*args):
    # a wide terminal, so that no cell wraps inside the words looked for
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "400"})


def _json(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


# -- square brackets are text ------------------------------------------------------
@pytest.mark.parametrize(
    "args, shown",
    [
        (["docs"], ["Talks [sic] stall [/b] [red]", ODD_PATH]),
        (["quotes"], ["the sanctions [sic] were largely symbolic", "No comment [/b]."]),
        (["search", "symbolic"], ["Talks [sic] stall [/b] [red]", "said the sanctions [sic] were largely symbolic"]),
        (["search", "bold"], ["A [bold]not bold[/bold] line about sanctions and \u2402markers\u2403 [/]."]),
        (["show", D2], ["Talks [sic] stall [/b] [red]", "the sanctions [sic] were largely symbolic", "No comment [/b].",
                        "[x]"]),
        (["show", D5], [f"source_path: {ODD_PATH}", "A [bold]not bold[/bold] line"]),
        (["rejections"], ["in/bad [/b].bin", "the input looks like binary data [red]"]),
        (["show", "dup"], ["Nothing \u241b[31mto see\u241b[0m here."]),
        (["events", "--type", "NOTHING"], ["No events."]),
    ],
)
def test_query_output_brackets_are_printed_as_they_are(db, args, shown):
    result = run(*args, "--db", db)
    assert result.exit_code == 0, (result.output, result.exception)
    for text in shown:
        assert text in result.output, text
    # control characters in stored text are shown as pictures, never sent to the terminal
    assert not set(result.output) & {"\x1b", "\x02", "\x03"}


def test_query_output_paths_are_text(db):
    result = run("stats", "--db", db)
    assert result.exit_code == 0, (result.output, result.exception)
    # the table's title wraps at the table's width
    assert "corpus[red][sic][b].db" in "".join(result.output.split())


def test_query_output_timeline_table(db):
    result = run("timeline", "--db", db)
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.output.splitlines() == [
        "2023-12  CONSULT  Norway → Nordic Council  consulted  [asserted, per Ana Lindqvist]",
        "2024-01-09  MEET  Ana Lindqvist → Jonas Berg  met  [asserted]",
        "2024-02-15  AGREE  Norway → Nordic Council  agreed  [asserted]",
        "2024-03-20  THREATEN  50% Club → Group_7  threatened  [asserted]",
    ]


# -- search: highlights as styles, a real score -----------------------------------------
def test_query_output_search_hits_keep_their_words_and_a_real_score(db):
    hits = _json(run("search", "sanctions", "--db", db, "--format", "json"))
    assert [h["doc_id"] for h in hits] == [D5, D3, D2]
    texts = {h["doc_id"]: h["snippet"] for h in hits}
    for h in hits:
        # "sanctions" is in most documents: bm25 weighs it about 1e-6, which is still a score
        assert h["score"] > 0
        assert [h["snippet"][a:b] for a, b in h["highlights"]] == ["sanctions"]
    # no marker is left in a snippet; the document that holds the default marker characters keeps them as text
    assert "\x02" not in texts[D2] + texts[D3]
    assert texts[D5] == "A [bold]not bold[/bold] line about sanctions and \x02markers\x03 [/]."
    assert "said the sanctions [sic] were largely symbolic" in texts[D2]
    table = run("search", "sanctions", "--db", db).output
    assert " 0.0 " not in table and "-0.0" not in table
    for h in hits:
        assert f"{h['score']:.4g}" in table


def test_query_output_search_marker_characters_in_the_text_stay_text(db):
    (hit,) = _json(run("search", "markers", "--db", db, "--format", "json"))
    assert hit["snippet"] == "A [bold]not bold[/bold] line about sanctions and \x02markers\x03 [/]."
    assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["markers"]


def test_query_output_highlight_is_a_style_not_markup():
    text = highlighted({"snippet": "the [red] sanctions [/b] hold", "highlights": [[10, 19]]})
    assert text.plain == "the [red] sanctions [/b] hold"
    assert [(s.start, s.end, str(s.style)) for s in text.spans] == [(10, 19, "bold reverse")]


# -- LIKE wildcards match themselves ---------------------------------------------------
@pytest.mark.parametrize(
    "args, expected",
    [
        (["quotes", "--speaker", "%"], ["we will strike,"]),
        (["quotes", "--speaker", "_"], ["prices would rise"]),
        (["quotes", "--speaker", "%%"], []),
        (["quotes", "--speaker", "\\"], []),
        (["events", "--actor", "%"], ["threatened"]),
        (["events", "--actor", "_"], ["threatened"]),
        (["timeline", "--actor", "%"], ["threatened"]),
    ],
)
def test_query_output_like_wildcards_are_literal(db, args, expected):
    rows = _json(run(*args, "--db", db, "--format", "json"))
    key = "content" if args[0] == "quotes" else "trigger"
    assert [r[key]["text"] for r in rows] == expected


# -- finding a document ------------------------------------------------------------------
@pytest.mark.parametrize(
    "doc, message",
    [
        ("a1", "Error: The id prefix 'a1' matches 5 documents (a1b2c3d4e5f60001, a1b2c3d4e5f60002, "
               "a1c9000000000003, …); give more characters.\n"),
        ("a", "Error: The id prefix 'a' matches 5 documents (a1b2c3d4e5f60001, a1b2c3d4e5f60002, "
              "a1c9000000000003, …); give more characters.\n"),
        ("a1b2", "Error: The id prefix 'a1b2' matches 2 documents (a1b2c3d4e5f60001, a1b2c3d4e5f60002); "
                 "give more characters.\n"),
        ("zzzz", "Error: No document with id 'zzzz', nor with that external id. 'storyline docs' lists both; "
                 "a unique prefix of an id is enough.\n"),
        ("ext", "Error: No document with id 'ext', nor with that external id. 'storyline docs' lists both; "
                "a unique prefix of an id is enough.\n"),
    ],
)
def test_query_output_show_messages(db, doc, message):
    result = run("show", doc, "--db", db)
    assert result.exit_code == 1
    assert result.output == message


@pytest.mark.parametrize(
    "doc, expected",
    [
        ("ext-1", D1),  # an external id
        ("ext-4", D4),
        ("b7", D5),  # an exact external id comes before an id prefix (D4's id starts with b7)
        ("b7e", D4),
        ("dup", D6),
        (D2, D2),  # a whole id
        ("a1c", D3),  # a unique prefix
    ],
)
def test_query_output_show_finds_by_external_id_and_prefix(db, doc, expected):
    (d,) = _json(run("show", doc, "--db", db, "--format", "json"))
    assert d["id"] == expected


def test_query_output_doc_filter_takes_an_external_id(db):
    rows = _json(run("quotes", "--doc", "ext-2", "--db", db, "--format", "json"))
    assert {r["doc_id"] for r in rows} == {D2}
    result = run("events", "--doc", "a1", "--db", db)
    assert result.exit_code == 1
    assert result.output.startswith("Error: The id prefix 'a1' matches 5 documents (")


@pytest.mark.parametrize(
    "args, message",
    [
        (["docs", "--since", "last week"], "Error: Invalid value for --since: 'last week'. Give a date as YYYY-MM-DD, e.g. 2024-03-01.\n"),
        (["quotes", "--until", "2024-13-01"], "Error: Invalid value for --until: '2024-13-01'. Give a date as YYYY-MM-DD, e.g. 2024-03-01.\n"),
        (["events", "--until", "03/01/2024"], "Error: Invalid value for --until: '03/01/2024'. Give a date as YYYY-MM-DD, e.g. 2024-03-01.\n"),
    ],
)
def test_query_output_bad_dates_are_one_line(db, args, message):
    result = run(*args, "--db", db)
    assert result.exit_code == 1
    assert result.output == message


# -- the JSON keys of each listing stay ------------------------------------------------
@pytest.mark.parametrize(
    "listing, keys",
    [
        ("docs", {"id", "external_id", "source_path", "title", "url", "domain", "published", "author", "language", "n_chars"}),
        ("quotes", {"doc_id", "kind", "content", "cue", "speaker", "speaker_entity", "confidence", "method"}),
        ("events", {"doc_id", "type", "source", "target", "trigger", "sentence", "date", "place", "modality", "context",
                    "reported_by", "confidence", "method"}),
        ("actors", {"id", "name", "kind", "country", "sector", "role", "aliases", "n_mentions", "n_quotes"}),
        ("rejections", {"source_path", "reason", "message"}),
        ("search", {"doc_id", "title", "score", "snippet"}),
    ],
)
def test_query_output_json_keys_are_kept(db, listing, keys):
    rows = _json(run(listing, *(["sanctions"] if listing == "search" else []), "--db", db, "--format", "json"))
    assert rows
    for r in rows:
        assert keys <= set(r), keys - set(r)


def test_query_output_json_shapes(db):
    quotes = _json(run("quotes", "--doc", D1, "--db", db, "--format", "json"))
    assert quotes[0]["speaker_entity"] == {"id": "ana", "name": "Ana Lindqvist", "country": "SWE", "sector": "GOV"}
    text = _json(run("show", D1, "--db", db, "--format", "json"))[0]["text"]
    for q in quotes:
        for part in ("content", "cue", "speaker"):
            assert text[q[part]["start"] : q[part]["end"]] == q[part]["text"]
    events = _json(run("events", "--doc", D1, "--db", db, "--format", "json"))
    consult = next(e for e in events if e["type"] == "CONSULT")
    assert consult["reported_by"] == {"id": "ana", "name": "Ana Lindqvist", "country": "SWE", "sector": "GOV"}
    assert consult["source"]["name"] == "Norway" and consult["target"]["id"] == "council"
    assert set(consult["sentence"]) == {"start", "end"}
    (undated,) = _json(run("events", "--doc", D4, "--db", db, "--format", "json"))
    assert undated["target"] is None and undated["date"] is None
    spokesman = _json(run("quotes", "--speaker", "spokesman", "--db", db, "--format", "json"))[0]
    assert spokesman["speaker_entity"] is None
    shown = _json(run("show", D1, "--db", db, "--format", "json"))[0]
    mention = shown["mentions"][0]
    assert mention["entity_id"] == mention["entity"]["id"] == "ana"
    assert shown["keywords"] == [] and shown["verbatim"] is False


def test_query_output_cli_options_are_the_declared_filters():
    """Each listing verb's options are its filters' declarations: the same names as the keyword arguments."""
    from storyline import query

    for listing, filters in query.FILTERS.items():
        params = [p for p in cli.commands[listing].params if p.name not in ("db", "fmt", "out", "query", "help")]
        assert [(p.name, p.opts, p.help) for p in params] == [(f.name, [f.option], f.help) for f in filters], listing
