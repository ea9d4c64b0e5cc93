"""Fine-tune the accurate quotes mode's language model on the PolNeAR train split.

The accurate mode (storyline/stages/quote_lm.py) runs the first four layers (quote_lm.DEPTH) of all-MiniLM-L6-v2 and
a token head that gives each token five probabilities: cue, content, source, content begins, content
ends. This script trains, together and on those five labels:

- low-rank adapters (LoRA, rank --rank) on the six matrices of each of the four layers (query, key,
  value, attention output, feed-forward in and out), and the layers' two layer norms; the base
  weights stay frozen, in the PyPI package;
- the token head (one ReLU layer of 128 units).

It writes:

    storyline/data/quote_lm_adapters.npz   the adapters (float16); quote_lm merges them into the
                                           base weights when it loads the model
    storyline/data/quote_lm_head.npz       the token head
    --probs FILE                           every train article's probabilities from a model that did
                                           not see it (5 folds, the same as train_quotes.py's stage
                                           CV): what train_quotes.py --accurate learns from

The probabilities are computed by quote_lm's own numpy encoder with the float16 adapters, so the
quote model learns from exactly what the run time gives. No PolNeAR text ships, only weights; dev is
never read.

Needs PyTorch, for training only: pip install -e '.[train]' (``make train`` does it). The run time
is numpy.

Usage: python scripts/train_quote_lm.py --cache /tmp/polnear-train.spacy --probs build/quote_lm_probs.npz
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_quotes import POLNEAR  # noqa: E402
from storyline.data import path as data_path  # noqa: E402
from storyline.stages import quote_lm  # noqa: E402

RANK = 4
# Stage CV on train (accurate mode, the cue classifier's trees, three layers): F1 0.743 after 2 epochs,
# 0.746 after 3 (with the logistic classifier: 0.739 and 0.740). Out-of-fold token AUCs after 3 epochs: cue
# 0.951, content 0.942, source 0.961, begin 0.962, end 0.970 (2 epochs: 0.947, 0.936, 0.956, 0.956, 0.966).
# Four layers (quote_lm.DEPTH), 3 epochs: 0.955, 0.955, 0.966, 0.966, 0.972; stage CV 0.749.
EPOCHS = 3.0
RATE = 1e-3  # adapters and head; the layer norms learn at a tenth of it
BATCH = 8  # windows of up to quote_lm.WINDOW word pieces
HIDDEN = 128
MATRICES = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "intermediate.dense", "output.dense")
NORMS = ("attention.output.LayerNorm", "output.LayerNorm")


def labels(doc, gold) -> np.ndarray:
    """Per token: is it in a gold cue, content or source; does a content begin or end here."""
    y = np.zeros((len(doc), 5), np.float32)
    for g in gold:
        for col, key in enumerate(("cue", "content", "source")):
            for s, e in g[key]:
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is not None:
                    y[span.start : span.end, col] = 1
    c = y[:, 1]
    before = np.concatenate([[0.0], c[:-1]])
    after = np.concatenate([c[1:], [0.0]])
    y[:, 3] = c * (1 - before)
    y[:, 4] = c * (1 - after)
    return y


def build(torch, weights: dict[str, np.ndarray], rank: int, seed: int):
    """The encoder of quote_lm (same arithmetic: GELU's tanh form, layer norm eps 1e-12) in PyTorch,
    with trainable adapters, layer norms and head."""
    nn, F = torch.nn, torch.nn.functional
    torch.manual_seed(seed)
    t = {k: torch.from_numpy(np.asarray(v, np.float32)) for k, v in weights.items()}

    class Adapted(nn.Module):
        def __init__(self, name: str):
            super().__init__()
            w = t[name + ".weight"]
            self.register_buffer("w", w)
            self.register_buffer("b", t[name + ".bias"])
            self.lora_a = nn.Parameter(torch.randn(rank, w.shape[1]) / math.sqrt(w.shape[1]))
            self.lora_b = nn.Parameter(torch.zeros(w.shape[0], rank))

        def forward(self, x):
            return F.linear(x, self.w, self.b) + (x @ self.lora_a.T) @ self.lora_b.T

    class Norm(nn.Module):
        def __init__(self, name: str):
            super().__init__()
            self.weight = nn.Parameter(t[name + ".weight"].clone())
            self.bias = nn.Parameter(t[name + ".bias"].clone())

        def forward(self, x):
            return F.layer_norm(x, (x.shape[-1],), self.weight, self.bias, 1e-12)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("words", t["embeddings.word_embeddings.weight"])
            self.register_buffer("positions", t["embeddings.position_embeddings.weight"])
            self.register_buffer("type0", t["embeddings.token_type_embeddings.weight"][0])
            self.register_buffer("norm_w", t["embeddings.LayerNorm.weight"])
            self.register_buffer("norm_b", t["embeddings.LayerNorm.bias"])
            self.names = [f"encoder.layer.{i}." for i in range(quote_lm.DEPTH)]
            self.matrices = nn.ModuleList(nn.ModuleList(Adapted(p + m) for m in MATRICES) for p in self.names)
            self.norms = nn.ModuleList(nn.ModuleList(Norm(p + m) for m in NORMS) for p in self.names)
            self.head = nn.Sequential(nn.Linear(quote_lm.WIDTH, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, len(quote_lm.COLUMNS)))

        def encode(self, ids, mask):
            b, n = ids.shape
            x = self.words[ids] + self.positions[:n] + self.type0
            x = F.layer_norm(x, (quote_lm.WIDTH,), self.norm_w, self.norm_b, 1e-12)
            size = quote_lm.WIDTH // quote_lm.HEADS
            block = (1.0 - mask[:, None, None, :].float()) * -1e9
            for (q, k, v, o, i, f), (n1, n2) in zip(self.matrices, self.norms):
                split = lambda h: h.view(b, n, quote_lm.HEADS, size).transpose(1, 2)  # noqa: E731
                a = torch.softmax(split(q(x)) @ split(k(x)).transpose(-1, -2) / math.sqrt(size) + block, -1)
                c = (a @ split(v(x))).transpose(1, 2).reshape(b, n, quote_lm.WIDTH)
                x = n1(o(c) + x)
                x = n2(f(F.gelu(i(x), approximate="tanh")) + x)
            return x

        def adapters(self) -> dict[str, np.ndarray]:
            out = {}
            for p, mats, norms in zip(self.names, self.matrices, self.norms):
                for m, a in zip(MATRICES, mats):
                    out[f"{p}{m}.weight.lora_a"] = a.lora_a.detach().numpy().copy()
                    out[f"{p}{m}.weight.lora_b"] = a.lora_b.detach().numpy().copy()
                for m, nm in zip(NORMS, norms):
                    out[f"{p}{m}.weight"] = nm.weight.detach().numpy().copy()
                    out[f"{p}{m}.bias"] = nm.bias.detach().numpy().copy()
            return out

        def numpy_head(self) -> quote_lm.Head:
            h1, h2 = self.head[0], self.head[2]
            return quote_lm.Head(*(x.detach().numpy().copy() for x in (h1.weight.T, h1.bias, h2.weight.T, h2.bias)))

    return Model()


class Article:
    """One training article: its word pieces, each token's piece range, and the token labels."""

    def __init__(self, enc: quote_lm.Encoder, doc, gold) -> None:
        ids, self.lo, self.hi = enc.pieces(doc.text, *quote_lm.token_spans(doc))
        self.ids = np.array(ids, np.int64)
        self.y = labels(doc, gold)


def windows(articles: list[Article], which: list[int], shift: int) -> list[tuple[int, int, int]]:
    """(article, first piece, end piece): each article cut into windows of WINDOW - 2 pieces, the
    first one shortened by ``shift`` so that every epoch cuts elsewhere."""
    size = quote_lm.WINDOW - 2
    out = []
    for d in which:
        n = len(articles[d].ids)
        s = -shift
        while s < n:
            if min(n, s + size) > max(0, s):
                out.append((d, max(0, s), min(n, s + size)))
            s += size
    return out


def batch(torch, articles: list[Article], ws, cls: int, sep: int):
    """Padded piece ids and mask, and the (piece, token) pairs that pool pieces into the window's tokens."""
    width = max(b - a for _, a, b in ws) + 2
    ids = np.zeros((len(ws), width), np.int64)
    mask = np.zeros((len(ws), width), np.int64)
    piece, token, ys, n_tok = [], [], [], 0
    for k, (d, a, b) in enumerate(ws):
        art = articles[d]
        ids[k, 0], ids[k, 1 : b - a + 1], ids[k, b - a + 1] = cls, art.ids[a:b], sep
        mask[k, : b - a + 2] = 1
        inside = np.where((art.hi > a) & (art.lo < b) & (art.hi > art.lo))[0]
        for t in inside:
            lo, hi = max(art.lo[t], a), min(art.hi[t], b)
            piece.extend(range(k * width + 1 + lo - a, k * width + 1 + hi - a))
            token.extend([n_tok] * (hi - lo))
            n_tok += 1
        ys.append(art.y[inside])
    return (torch.from_numpy(ids), torch.from_numpy(mask), torch.tensor(piece), torch.tensor(token), n_tok,
            torch.from_numpy(np.concatenate(ys)))


def train(torch, weights, articles: list[Article], which: list[int], args, cls: int, sep: int, label: str):
    """Fine-tune on the articles ``which``: Adam, the rate warmed up over the first 5% of steps and
    decayed linearly to zero."""
    from tqdm import tqdm

    model = build(torch, weights, args.rank, args.seed)
    fast = [p for n, p in model.named_parameters() if not n.startswith("norms.")]
    slow = [p for n, p in model.named_parameters() if n.startswith("norms.")]
    opt = torch.optim.Adam([{"params": fast, "lr": args.rate}, {"params": slow, "lr": args.rate / 10}])
    rng = np.random.default_rng(args.seed)
    total = int(math.ceil(len(windows(articles, which, 0)) / BATCH) * args.epochs)
    step, epoch = 0, 0
    model.train()
    with tqdm(total=total, desc=label, unit="batch") as bar:
        while step < total:
            ws = windows(articles, which, int(rng.integers(0, quote_lm.WINDOW - 2)) if epoch else 0)
            epoch += 1
            order = rng.permutation(len(ws))
            for at in range(0, len(ws), BATCH):
                if step >= total:
                    break
                ids, mask, piece, token, n_tok, y = batch(torch, articles, [ws[i] for i in order[at : at + BATCH]], cls, sep)
                factor = min(1.0, (step + 1) / (0.05 * total)) * (total - step) / total
                opt.param_groups[0]["lr"], opt.param_groups[1]["lr"] = args.rate * factor, args.rate / 10 * factor
                h = model.encode(ids, mask).reshape(-1, quote_lm.WIDTH)
                sums = torch.zeros(n_tok, quote_lm.WIDTH).index_add_(0, token, h[piece])
                counts = torch.zeros(n_tok).index_add_(0, token, torch.ones(len(token)))
                loss = torch.nn.functional.binary_cross_entropy_with_logits(model.head(sums / counts[:, None]), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                bar.update()
                bar.set_postfix(loss=f"{loss.item():.3f}")
    return model.eval()


def runtime(folder: Path, model) -> tuple[quote_lm.Encoder, quote_lm.Head, bytes, bytes]:
    """What ships, and the numpy encoder and head that read it (the adapters as float16)."""
    adapters = quote_lm.adapters_to_bytes(model.adapters())
    head = model.numpy_head().to_bytes()
    return quote_lm.Encoder(folder, quote_lm.load_adapters(adapters)), quote_lm.Head.from_bytes(head), adapters, head


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve (ties broken by order)."""
    rank = np.argsort(np.argsort(p))
    pos = y > 0
    return float((rank[pos].mean() - (pos.sum() - 1) / 2) / (~pos).sum()) if pos.any() and (~pos).any() else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None, help="parsed train split (spaCy DocBin), as train_quotes.py writes it")
    ap.add_argument("--folds", type=int, default=5, help="out-of-fold probabilities for --probs (train_quotes.py's folds)")
    ap.add_argument("--probs", type=Path, required=True, help="write the out-of-fold probabilities here (.npz)")
    ap.add_argument("--rank", type=int, default=RANK)
    ap.add_argument("--epochs", type=float, default=EPOCHS)
    ap.add_argument("--rate", type=float, default=RATE)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=0, help="PyTorch threads (default: every core)")
    ap.add_argument("--adapters", type=Path, default=data_path(quote_lm.ADAPTERS))
    ap.add_argument("--head", type=Path, default=data_path(quote_lm.HEAD))
    args = ap.parse_args(argv)
    if not POLNEAR.is_dir():
        print(f"skipped: PolNeAR is absent at {POLNEAR}")
        return 0
    if args.folds < 2:
        ap.error("--folds must be 2 or more (the quote model learns from out-of-fold probabilities)")
    try:
        import torch
    except ImportError:
        print("error: training the language model needs PyTorch: pip install -e '.[train]'", file=sys.stderr)
        return 2
    from safetensors.numpy import load_file

    from train_quotes import parsed

    if args.threads:
        torch.set_num_threads(args.threads)
    folder = quote_lm.model_dir()
    weights = load_file(str(folder / "model.safetensors"))
    base = quote_lm.Encoder(folder)  # its tokenizer
    data = list(parsed("train", args.cache))
    articles = [Article(base, doc, gold) for _, doc, gold in data]
    cls, sep = base.cls, base.sep
    print(f"{len(data)} articles, {sum(len(a.ids) for a in articles)} word pieces")
    started = time.time()
    probs = [None] * len(data)
    for k in range(args.folds):
        test = list(range(k, len(data), args.folds))  # the stage CV's folds (train_quotes.main)
        held = set(test)
        model = train(torch, weights, articles, [d for d in range(len(data)) if d not in held], args, cls, sep, f"fold {k + 1}/{args.folds}")
        enc, head, _, _ = runtime(folder, model)
        for d in test:
            doc = data[d][1]
            probs[d] = head(enc.vectors(doc.text, *quote_lm.token_spans(doc))).astype(np.float16)
        y = np.concatenate([articles[d].y for d in test])
        p = np.concatenate([probs[d] for d in test]).astype(np.float32)
        print(f"fold {k + 1} token AUC: " + ", ".join(f"{c} {auc(y[:, j], p[:, j]):.3f}" for j, c in enumerate(quote_lm.COLUMNS)), flush=True)
    args.probs.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.probs, probs=np.concatenate(probs), lens=np.array([len(doc) for _, doc, _ in data]),
                        stems=np.array([s for s, _, _ in data]), folds=np.array(args.folds))
    print(f"wrote {args.probs}")
    y = np.concatenate([a.y for a in articles])
    p = np.concatenate(probs).astype(np.float32)
    print("out-of-fold token AUC: " + ", ".join(f"{c} {auc(y[:, j], p[:, j]):.3f}" for j, c in enumerate(quote_lm.COLUMNS)))
    model = train(torch, weights, articles, list(range(len(data))), args, cls, sep, "all articles")
    _, _, adapters, head = runtime(folder, model)
    args.adapters.write_bytes(adapters)
    args.head.write_bytes(head)
    print(f"wrote {args.adapters} ({len(adapters) // 1024} KB) and {args.head} ({len(head) // 1024} KB) in {(time.time() - started) / 60:.0f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
