"""Small colour maths for the palette's tests (no colour package is installed, so it is written
out here, each step from its published source):

* sRGB (IEC 61966-2-1) to linear light, to CIE XYZ (D65) and to CIELAB;
* the CIEDE2000 colour difference (Sharma, Wu & Dalal 2005, "The CIEDE2000 color-difference
  formula: implementation notes, supplementary test data, and mathematical observations",
  Color Research & Application 30(1), equations 1-22; its test pairs are in the tests);
* colour-vision deficiencies at full severity, simulated with the matrices of Machado, Oliveira &
  Fernandes 2009 ("A physiologically-based model for simulation of color vision deficiency",
  IEEE TVCG 15(6), table for severity 1.0), applied to linear RGB;
* a washed-out projector: room light on the screen adds the same light to every colour (black
  turns grey) and the lamp's contrast is low, modelled as ``a + (1 - a) * linear`` per channel.

``distances`` gives the least CIEDE2000 difference between any two colours of a list, for normal
vision and each simulated condition, so a test can require every pair to stay apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations

import numpy as np

# Machado et al. (2009), severity 1.0, linear RGB in and out.
CVD_MATRICES = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
# sRGB's primaries, D65 white (IEC 61966-2-1)
RGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                       [0.2126729, 0.7151522, 0.0721750],
                       [0.0193339, 0.1191920, 0.9503041]])
WHITE_D65 = RGB_TO_XYZ @ np.ones(3)
#: Share of white light a washed-out projector adds to every colour (room light on the screen).
WASH = 0.30


def hex_to_linear(color: str) -> np.ndarray:
    """``"#RRGGBB"`` to linear-light RGB in [0, 1] (the sRGB transfer function undone)."""
    c = np.array([int(color.lstrip("#")[i:i + 2], 16) / 255.0 for i in (0, 2, 4)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_lab(rgb: np.ndarray) -> np.ndarray:
    """Linear RGB (clipped to the gamut) to CIELAB, D65 white."""
    xyz = RGB_TO_XYZ @ np.clip(rgb, 0.0, 1.0) / WHITE_D65
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(color: str, condition: str = "normal", washed: bool = False) -> np.ndarray:
    """CIELAB of ``color`` as seen with ``condition`` ("normal" or a key of
    :data:`CVD_MATRICES`), on a washed-out projector if ``washed``."""
    rgb = hex_to_linear(color)
    if washed:
        rgb = WASH + (1 - WASH) * rgb
    if condition != "normal":
        rgb = CVD_MATRICES[condition] @ rgb
    return linear_to_lab(rgb)


def ciede2000(lab1: Sequence[float], lab2: Sequence[float]) -> float:
    """CIEDE2000 difference of two CIELAB colours (kL = kC = kH = 1), Sharma et al. (2005)."""
    L1, a1, b1 = (float(v) for v in lab1)
    L2, a2, b2 = (float(v) for v in lab2)
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    d_l, d_c = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        d_h = 0.0
    elif abs(h2p - h1p) <= 180:
        d_h = h2p - h1p
    else:
        d_h = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    d_hh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(d_h / 2))
    l_mean, cp_mean = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6))
         - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_hh / s_h) ** 2
                     + r_t * (d_c / s_c) * (d_hh / s_h))


CONDITIONS = ("normal", *CVD_MATRICES)


def closest_pair(colors: Sequence[str], condition: str = "normal",
                 washed: bool = False) -> tuple[float, str, str]:
    """``(least CIEDE2000 difference, colour, colour)`` over every pair of ``colors``."""
    labs = {c: seen(c, condition, washed) for c in colors}
    return min((ciede2000(labs[x], labs[y]), x, y) for x, y in combinations(colors, 2))


def distances(colors: Sequence[str]) -> dict[tuple[str, bool], tuple[float, str, str]]:
    """:func:`closest_pair` for every condition, on a good screen and a washed-out projector."""
    return {(condition, washed): closest_pair(colors, condition, washed)
            for condition in CONDITIONS for washed in (False, True)}
