"""The accurate mode's cue classifier: boosted trees flattened into arrays and walked in numpy."""

from __future__ import annotations

from typing import NamedTuple

class Forest(NamedTuple):
    """Boosted regression trees over binary features (a feature is present or absent), flattened for
    numpy: nodes ``0 .. n-1`` are splits, node ``n + k`` is leaf ``k`` (its children are itself). Node
    ``i`` tests feature ``feature[i]`` and goes on to ``present[i]`` or ``absent[i]``. A row's score is
    the sum of the leaves it reaches, one per tree."""

    index: dict  # feature name -> column
    feature: object  # numpy arrays, one entry per node (splits, then leaves)
    present: object
    absent: object
    values: object  # per node: the leaf's value (0 for a split)
    roots: object  # per tree: its first node
    depth: int  # the most splits on any path


def forest(raw: dict) -> Forest:
    """A model file's ``forest`` as arrays (written by scripts/train_quotes.py from LightGBM's trees: a
    child ``c < 0`` there is the leaf ``~c``)."""
    import numpy as np

    n, leaves = len(raw["feature"]), np.array(raw["leaves"], dtype=np.float64)
    here = np.arange(n, n + len(leaves))

    def nodes(refs) -> "np.ndarray":
        refs = np.array(refs, dtype=np.int64)
        return np.where(refs < 0, n + ~refs, refs)

    present, absent = nodes(raw["present"]), nodes(raw["absent"])
    depth = np.zeros(n + len(leaves), dtype=np.int64)  # children come after their parent in the file
    for i in range(n - 1, -1, -1):
        depth[i] = 1 + max(depth[present[i]], depth[absent[i]])
    roots = nodes(raw["roots"])
    return Forest({name: k for k, name in enumerate(raw["features"])},
                  np.concatenate([np.array(raw["feature"], dtype=np.int64), np.zeros(len(leaves), dtype=np.int64)]),
                  np.concatenate([present, here]), np.concatenate([absent, here]),
                  np.concatenate([np.zeros(n), leaves]), roots, int(depth[roots].max(initial=0)))


def forest_scores(f: Forest, rows: list[list[str]]):
    """Each row's raw score (log-odds): every row walks every tree at once, one level per step, for as
    many steps as the deepest tree has (a leaf stays where it is)."""
    import numpy as np

    x = np.zeros((len(rows), len(f.index)), dtype=bool)
    for r, fs in enumerate(rows):
        x[r, [f.index[name] for name in fs if name in f.index]] = True
    node = np.repeat(f.roots[None, :], len(rows), axis=0)
    at = np.arange(len(rows))[:, None]
    for _ in range(f.depth):
        node = np.where(x[at, f.feature[node]], f.present[node], f.absent[node])
    return f.values[node].sum(axis=1)
