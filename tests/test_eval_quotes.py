"""The PolNeAR scorer (scripts/eval_quotes.py) on a hand-made brat file: what it counts is what docs/evaluation.md reports."""

import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import eval_quotes as ev  # noqa: E402

TEXT = "Editor's note: the mayor says the bridge is safe.\n\nThe mayor said the bridge would open in May."
ANN = "\n".join(
    [
        "T1\tDiscard 0 49\tEditor's note: the mayor says the bridge is safe.",
        "T2\tSource 51 60\tThe mayor",
        "T3\tCue 61 65\tsaid",
        "T4\tContent 66 94\tthe bridge would open in May",
        "E1\tAttribution:T3 Source:T2 Cue:T3 Content:T4",
    ]
)


def quote(start, end, cue, speaker=None):
    return SimpleNamespace(content_start=start, content_end=end, cue_start=cue[0], cue_end=cue[1],
                           speaker_start=speaker[0] if speaker else None, speaker_end=speaker[1] if speaker else None, kind="indirect")


def test_eval_quotes_reads_gold_and_discarded_spans(tmp_path):
    path = tmp_path / "a_1.ann"
    path.write_text(ANN, encoding="utf-8")
    gold = ev.read_ann(path)
    assert [[TEXT[s:e] for s, e in g["content"]] for g in gold] == [["the bridge would open in May"]]
    assert [[TEXT[s:e] for s, e in g["source"]] for g in gold] == [["The mayor"]]
    assert ev.read_discards(path) == [(0, 49)]


def test_eval_quotes_sets_aside_predictions_in_discarded_text(tmp_path):
    path = tmp_path / "a_1.ann"
    path.write_text(ANN, encoding="utf-8")
    analysis = SimpleNamespace(quotes=[quote(30, 48, (25, 29)), quote(66, 94, (61, 65), (51, 60))])
    c: Counter = Counter()
    pred, pairs = ev.count_article(c, TEXT, ev.read_ann(path), analysis, ev.read_discards(path))
    assert (c["pred"], c["tp_p"], c["set_aside"], c["spk_ok"]) == (1, 1, 1, 1)
    # without the Discard spans the editor's note is a false positive
    c = Counter()
    ev.count_article(c, TEXT, ev.read_ann(path), analysis)
    assert (c["pred"], c["tp_p"], c["set_aside"]) == (2, 1, 0)


def test_eval_quotes_reads_an_event_before_the_spans_it_names(tmp_path):
    # PolNeAR files often list an event before some of its text-bound spans (E5 ... Cue:T108, T108 later)
    lines = ANN.splitlines()
    path = tmp_path / "a_1.ann"
    path.write_text("\n".join([lines[0], lines[4], *lines[1:4]]), encoding="utf-8")
    (gold,) = ev.read_ann(path)
    assert [TEXT[s:e] for s, e in gold["content"] + gold["cue"] + gold["source"]] == ["the bridge would open in May", "said", "The mayor"]
