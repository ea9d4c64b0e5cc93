import math

import pytest

from storyline.stages import quote_model as qm


def cue_texts(nlp, text):
    doc = nlp(text)
    return [doc[i:j].text for i, j in qm.cue_tokens(doc, qm.model()["cues"])]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("According to the ministry, the talks failed.", ["According to"]),
        ("Donald Trump: We will win the election easily.", [":"]),
        ("The weather was fine and the sea was calm.", []),
        ("according", []),
    ],
)
def test_quote_model_cue_tokens(nlp, text, expected):
    assert [c for c in cue_texts(nlp, text) if c in ("According to", ":")] == expected


def test_quote_model_colon_after_a_verb_is_not_a_cue(nlp):
    assert ":" not in cue_texts(nlp, "John Smith told reporters: we will not retreat.")


def test_quote_model_said_is_a_cue(nlp):
    assert "said" in cue_texts(nlp, "John Smith said the talks had failed.")


def contents(nlp, text, word):
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == word)
    return {o.kind: doc[o.span[0] : o.span[1]].text for o in qm.options(doc, (i, i + 1))}


@pytest.mark.parametrize(
    "text, word, kind, content",
    [
        ("John Smith said the talks had failed.", "said", "ccomp", "the talks had failed"),
        ("Prices will rise next year, the central bank said.", "said", None, "Prices will rise next year"),
        ("John Smith talked about the new budget.", "talked", "prep", "the new budget"),
    ],
)
def test_quote_model_options(nlp, text, word, kind, content):
    found = contents(nlp, text, word)
    assert (found.get(kind) if kind else content if content in found.values() else None) == content


def test_quote_model_cut_stops_at_an_aside(nlp):
    found = contents(nlp, "John Smith said the plan was sound — a view few shared.", "said")
    assert "the plan was sound" in found.values()


def test_quote_model_options_never_hold_their_cue(nlp):
    doc = nlp("Mary Jones believes that the plan will work, she said.")
    for i, j in qm.cue_tokens(doc, qm.model()["cues"]):
        for o in qm.options(doc, (i, j)):
            assert not (o.span[0] <= i < o.span[1])


def test_quote_model_weights_are_well_formed():
    m = qm.model()
    assert m["buckets"] == qm.BUCKETS and 0 < len(m["weights"]) < qm.BUCKETS
    assert 0.0 < m["threshold"] < 1.0
    assert {"say", "tell", "according to"} & set(m["cues"]) >= {"say", "tell"}


def test_quote_model_judged_gives_probabilities_and_contents_outside_their_cue(nlp):
    doc = nlp("Maria Jones said that prices would rise. The bank thinks rates will fall, she told reporters.")
    judged = qm.judged(doc, [])
    assert {doc[o.cue[0]].text for _, o in judged} >= {"said", "thinks", "told"}
    for p, o in judged:
        assert 0.0 <= p <= 1.0
        assert not (o.span[0] <= o.cue[0] < o.span[1])


@pytest.mark.parametrize("text, word", [("She will state her case.", "state"), ("He made a statement.", None), ("The state budget grew.", None)])
def test_quote_model_cue_keys_tell_verbs_from_nouns(nlp, text, word):
    doc = nlp(text)
    cues = qm.model()["cues"]
    assert "state" in cues and "state/n" not in cues
    found = [doc[i].text for i, _ in qm.cue_tokens(doc, cues) if doc[i].lemma_ == "state"]
    assert found == ([word] if word else [])


def test_quote_model_bucket_is_stable():
    assert qm.bucket("lem=say") == qm.bucket("lem=say") and 0 <= qm.bucket("x") < qm.BUCKETS
    # the shipped weights were trained with these buckets: a hash salted per process would break them
    assert (qm.bucket("lem=say"), qm.bucket("opt=ccomp")) == (2666993, 1873595)


@pytest.mark.parametrize(
    "text, content",
    [
        ("Maria Jones said that prices would rise next year.", "that prices would rise next year"),
        ("Prices will rise next year, the central bank said.", "Prices will rise next year"),
        ("The weather was fine and the sea was calm.", None),
    ],
)
def test_quote_model_scored_keeps_the_best_content(nlp, text, content):
    doc = nlp(text)
    found = [doc[o.span[0] : o.span[1]].text for _, o in qm.scored(doc, [])]
    assert found == ([content] if content else [])


def test_quote_model_cues_inside_quotes_are_not_scored(nlp):
    text = "“I think the plan failed badly,” Mary Jones said."
    doc = nlp(text)
    quoted = [(0, text.index("”") + 1)]
    assert "think" not in [doc[o.cue[0]].text for _, o in qm.scored(doc, quoted)]


@pytest.mark.parametrize(
    "weights",
    [[0.0] * 8, [0.0, 1.25, 0.0, -0.5, 0.0, 0.0, 0.0, 2.0], [-3.0] + [0.0] * 7, [0.004] * 8],
)
def test_quote_model_pack_round_trips_weights(weights):
    packed = qm.pack(weights)
    assert packed["buckets"] == len(weights)
    assert qm.unpack(packed) == {i: round(w * 100) / 100 for i, w in enumerate(weights) if round(w * 100)}
    assert len(packed["values"]) == sum(1 for w in weights if round(w * 100))


def test_quote_model_file_can_be_chosen_by_environment(tmp_path, monkeypatch):
    shipped = qm.model()
    path = tmp_path / "m.json"
    raw = {"threshold": 0.99, "bias": 0.0, "cues": ["say"], "weights": qm.pack([0.0] * 8)}
    path.write_text(__import__("json").dumps(raw), encoding="utf-8")
    monkeypatch.setenv(qm.MODEL_ENV, str(path))
    qm.model.cache_clear()
    try:
        m = qm.model()
        assert m["threshold"] == 0.99 and m["cues"] == frozenset({"say"}) and m["buckets"] == 8 and m["weights"] == {}
    finally:
        monkeypatch.delenv(qm.MODEL_ENV)
        qm.model.cache_clear()
        qm._weigher.cache_clear()
    assert qm.model()["threshold"] == shipped["threshold"]


def test_quote_model_scores_do_not_depend_on_the_hash_seed(nlp):
    # features in a fixed order: a set's order changes with PYTHONHASHSEED, and so would a float sum
    doc = nlp("Maria Jones told reporters about the plan on Tuesday.")
    cue = next(c for c in qm.cue_tokens(doc, qm.model()["cues"]) if doc[c[0]].lemma_ == "tell")
    info = qm.doc_info(doc)
    for o in qm.options(doc, cue, info):
        lemma, spos, _ = qm.cue_features(doc, cue, o.speaker, 1, info)
        deps = [f for f in qm.option_features(doc, o, lemma, spos, info) if f.startswith("opt_ch=")]
        assert len(deps) >= 2 and deps == sorted(deps)
    # weights come in steps of 0.05: a margin on a bucket's edge must not depend on float noise
    assert qm.margin_feature([0.7 + 0.1, 0.3]) == qm.margin_feature([0.8, 0.3]) == "b_margin=1"
    # and a content's score is the same whatever the order of its features (0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1)
    weight = {"a": 0.1, "b": 0.2, "c": 0.3}.__getitem__
    assert qm.choose(weight, [["a", "b", "c"]])[1] == qm.choose(weight, [["c", "b", "a"]])[1]


def test_quote_model_speaker_act_after_the_content_is_not_said(nlp):
    # the parser hangs "and warned" under "fail": without the cut the content runs on to "rise"
    found = contents(nlp, "The senator said the plan would fail and warned that taxes would rise.", "said")
    assert set(found.values()) == {"the plan would fail"}


def test_quote_model_cut_keeps_a_coordination_that_is_not_speech(nlp):
    found = contents(nlp, "The senator said he would build a wall and make Mexico pay for it.", "said")
    assert "he would build a wall and make Mexico pay for it" in found.values()


def test_quote_model_predicative_adjective_takes_the_subject_as_speaker(nlp):
    doc = nlp("The voters are worried that the plan will fail.")
    i = next(t.i for t in doc if t.text == "worried")
    speakers = {doc[o.speaker].text for o in qm.options(doc, (i, i + 1)) if o.speaker is not None}
    assert speakers == {"voters"}


@pytest.mark.parametrize(
    "text, start, end, keys",
    [
        ("He is eager to win the race.", 1, 3, {"be", "eager/a"}),
        ("She has been critical of the plan.", 1, 5, {"be", "critical/a"}),
        ("He made clear that he would run.", 1, 3, {"make", "clear/a"}),
        ("John Smith said it.", 2, 3, {"say"}),
        ("The talks, he said, failed.", 6, 7, {"fail"}),
    ],
)
def test_quote_model_gold_cue_keys_look_through_light_verbs(nlp, text, start, end, keys):
    assert qm.gold_cue_keys(nlp(text)[start:end]) == keys


def test_quote_model_content_stops_before_a_quote_that_opens_a_sentence(nlp):
    # the small model runs the first sentence on into the quotation mark after "better."
    text = "Mr. Smith said the Khan family deserved better. ''There's only one way to talk about Gold Star parents.''"
    found = contents(nlp, text, "said")
    assert "the Khan family deserved better" in found.values()
    assert not any("''" in c for c in found.values())


def test_quote_model_reads_language_model_probabilities_only_when_the_doc_has_them(nlp):
    import numpy as np

    doc = nlp("Maria Zakharova said the talks had failed.")
    info = qm.doc_info(doc)
    cue = (2, 3)
    opts = qm.options(doc, cue, info)
    lemma, spos, static = qm.cue_features(doc, cue, opts[0].speaker, len(opts), info)
    assert not any(f.startswith(("lm", "b_lm")) for f in static + qm.option_features(doc, opts[0], lemma, spos, info))
    lm = np.zeros((len(doc), 5), np.float32)
    lm[2, 0] = 0.97  # "said" is a cue
    lm[3:7, 1] = 0.9  # "the talks had failed" is content
    doc.user_data[qm.LM_KEY] = lm
    info = qm.doc_info(doc)
    _, _, static = qm.cue_features(doc, cue, opts[0].speaker, len(opts), info)
    assert "lmcue=10" in static
    best = next(o for o in opts if doc[o.span[0] : o.span[1]].text == "the talks had failed")
    feats = qm.option_features(doc, best, lemma, spos, info)
    assert "lmc=8" in feats and "lmlow=8" in feats and "lmout=0" in feats
    assert "b_lmc=8" in qm.summary_features(doc, best, lemma, info)
    # the accurate mode's own weights: the same cue, scored by the model trained with these features
    assert qm.model(True) is not qm.model(False)
    assert [p for p, _ in qm.judged(doc, [])]


def test_quote_model_lm_bins():
    from storyline.stages.quote_features import _lm_bin

    assert [_lm_bin(p) for p in (0.0, 0.019, 0.02, 0.5, 0.979, 0.98, 1.0)] == ["0", "0", "1", "6", "10", "11", "11"]


def hand_forest():
    # tree 0: "a" present -> leaf 1.0, else "b" present -> leaf 0.5, else -1.0; tree 1 is a single leaf 0.25
    return {"features": ["a", "b"], "feature": [0, 1], "present": [~0, ~1], "absent": [1, ~2], "leaves": [1.0, 0.5, -1.0, 0.25], "roots": [0, ~3]}


def test_quote_model_forest_scores_walk_every_tree():
    f = qm.forest(hand_forest())
    scores = qm.forest_scores(f, [["a"], ["b", "zzz"], [], ["b", "a"]])
    assert list(scores) == [1.25, 0.75, -0.75, 1.25]
    assert len(qm.forest_scores(f, [])) == 0


def test_quote_model_classify_with_trees_or_weights():
    rows = [["a"], []]
    trees = qm.classify({"forest": qm.forest(hand_forest())}, None, rows)
    assert trees == pytest.approx([1 / (1 + math.exp(-1.25)), 1 / (1 + math.exp(0.75))])
    linear = qm.classify({"bias": -1.0}, {"a": 2.0, "b": 0.5}.get, rows)
    assert linear == pytest.approx([1 / (1 + math.exp(-1.0)), 1 / (1 + math.exp(1.0))])


def test_quote_model_accurate_classifier_is_a_forest():
    m = qm.model(True)
    assert "forest" in m and "forest" not in qm.model(False)
    f = m["forest"]
    assert len(f.roots) > 100 and (f.feature < len(f.index)).all() and f.depth > 1
    assert any(name.startswith(("lm", "b_lm")) for name in f.index)


def test_train_quotes_forest_file_equals_lightgbm():
    pytest.importorskip("lightgbm")
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import train_quotes

    rng = random.Random(3)
    rows = []
    for _ in range(2000):
        fs = [f"f{j}" for j in range(20) if rng.random() < 0.3]
        rows.append((fs, int(("f1" in fs) != ("f2" in fs) or "f3" in fs and rng.random() < 0.5)))
    raw = train_quotes.fit_forest(rows)  # raises if the flattened trees differ from LightGBM's scores
    p = qm.classify({"forest": qm.forest(raw)}, None, [["f1"], ["f1", "f2"]])
    assert p[0] > 0.6 > 0.4 > p[1]


def test_train_quotes_caches_the_parse_in_a_folder_it_makes(nlp, tmp_path):
    """`make train` in a fresh checkout: the cache's folder (build/) does not exist yet."""
    import sys
    from pathlib import Path

    import numpy as np
    from spacy.tokens import DocBin

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import train_quotes

    docs = [nlp("Maria Zakharova said the talks had failed."), nlp("Nothing was said.")]
    cache = tmp_path / "build" / "polnear-train.spacy"
    train_quotes.save_parsed(docs, cache)
    back = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    assert [d.text for d in back] == [d.text for d in docs]
    tensors = np.load(cache.with_suffix(".npy"))
    assert tensors.shape == (sum(len(d) for d in docs), docs[0].tensor.shape[1])


def test_quote_model_file_can_be_chosen_by_the_stage_option(tmp_path):
    """--set quotes.model=FILE reaches the model the stage reads: a model that knows no cue finds no reported speech."""
    from storyline import Corpus

    path = tmp_path / "m.json"
    raw = {"threshold": 0.99, "bias": 0.0, "cues": ["nonexistentcue"], "weights": qm.pack([0.0] * 8)}
    path.write_text(__import__("json").dumps(raw), encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text("The minister said that the talks had failed in Oslo.\n", encoding="utf-8")
    shipped, chosen = tmp_path / "shipped.db", tmp_path / "chosen.db"
    Corpus(shipped).ingest([str(src)], workers=1)
    Corpus(chosen).ingest([str(src)], workers=1, settings={"quotes.model": str(path)})
    assert [q["kind"] for q in Corpus(shipped).quotes()] == ["indirect"]
    assert list(Corpus(chosen).quotes()) == []
    assert [s["run_options"] for s in Corpus(chosen).stages() if s["name"] == "quotes"] == [{'{"mode":"fast","model":"%s"}' % path: 1}]
