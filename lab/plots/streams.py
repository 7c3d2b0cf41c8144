"""What the stream charts share: the stream's feature columns and classes, colours mixed for
concept shades, evenly spread sample positions.

Split from :mod:`lab.plots.style` (which re-exports these names) to keep that module under the
project's 650-line limit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def mix_colors(a: str, b: str, share_b: float) -> str:
    ra, ga, ba = hex_to_rgb(a)
    rb, gb, bb = hex_to_rgb(b)
    mixed = [round(x + (y - x) * share_b) for x, y in ((ra, rb), (ga, gb), (ba, bb))]
    return "#{:02X}{:02X}{:02X}".format(*mixed)


def feature_columns(stream: pd.DataFrame) -> list[str]:
    return [str(c) for c in stream.columns if str(c) not in ("y", "concept")]


def two_features(stream: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
    """``[(name, values), (name, values)]`` of a 2-D stream's features as floats: the
    decision-boundary grid and its figure read them the same way. ``ValueError`` otherwise."""
    features = feature_columns(stream)
    if len(features) != 2:
        raise ValueError(f"the decision-boundary view needs exactly 2 features, the stream has "
                         f"{len(features)} ({', '.join(features)})")
    return [(f, pd.to_numeric(stream[f], errors="coerce").to_numpy(dtype=float))
            for f in features]


def class_labels(stream: pd.DataFrame) -> list[Any]:
    values = pd.unique(stream["y"]) if "y" in stream.columns else np.array([])
    try:
        return sorted(values.tolist())
    except TypeError:
        return sorted(values.tolist(), key=str)


def even_indices(n: int, k: int) -> np.ndarray:
    """Up to ``k`` evenly spread positions in ``range(n)``, deterministic."""
    if n <= k:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, k).round().astype(int))
