"""Detector geometry: placed solids, ray intersection and decay-in-volume probabilities.

Lengths are in cm. A long-lived particle produced at ``origin`` and flying along a unit ``direction`` with lab
decay length λ = βγcτ [cm] decays between the distances ``entry`` and ``exit`` [cm] along its path with
probability ``exp(−entry/λ) − exp(−exit/λ)`` (:func:`decay_probability`); :func:`sample_decay_distance` draws
the decay point of a decay forced to happen in that interval. Entry/exit distances come from a solid's
``intersect`` (or, per component, from :meth:`Union.path_segments`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError
from .solids import Box, Cylinder, Frustum, Solid, Sphere, Union, rotation_about_axis, rotation_from_euler

FloatArray = NDArray[np.float64]

__all__ = [
    "Box",
    "Cylinder",
    "Frustum",
    "Solid",
    "Sphere",
    "Union",
    "decay_probability",
    "rotation_about_axis",
    "rotation_from_euler",
    "sample_decay_distance",
]


def _decay_lengths(decay_length: ArrayLike) -> FloatArray:
    lam = np.asarray(decay_length, dtype=float)
    if np.any(np.isnan(lam)) or np.any(lam < 0):
        raise ConfigError(f"decay_length = {decay_length!r} is not allowed; it must be >= 0 (inf allowed)")
    return lam


def decay_probability(entry: ArrayLike, exit: ArrayLike, decay_length: ArrayLike, *, outer: bool = False) -> FloatArray:
    """Probability exp(−entry/λ) − exp(−exit/λ) to decay between ``entry`` and ``exit`` [cm] along the path.

    Computed as exp(−entry/λ) · (−expm1(−(exit − entry)/λ)), which keeps full relative precision when
    λ ≫ exit − entry (it tends to (exit − entry)/λ; no cancellation even at λ = 10¹² × the chord) and when
    λ ≪ entry (it underflows cleanly to 0).

    Shapes: with ``outer=False`` (default) ``entry``, ``exit`` and ``decay_length`` [cm] broadcast against
    each other in the usual NumPy way. With ``outer=True``, ``entry`` and ``exit`` (shape S, e.g. (n,) rays)
    are combined with every decay length (shape T, e.g. (m,) couplings or masses) to give shape S + T, e.g.
    (n, m).

    The result is 0 where ``entry`` or ``exit`` is NaN (the ray misses the volume), for λ = inf, and for λ = 0
    unless ``entry`` is 0 (then 1 for a non-empty chord: the particle decays at once, inside). Negative or NaN
    decay lengths raise :class:`ConfigError`.
    """
    a = np.asarray(entry, dtype=float)
    b = np.asarray(exit, dtype=float)
    lam = _decay_lengths(decay_length)
    if outer:
        a, b = np.broadcast_arrays(a, b)
        extra = (np.newaxis,) * lam.ndim
        a = a[(..., *extra)]
        b = b[(..., *extra)]
    missed = np.isnan(a) | np.isnan(b)
    a = np.where(missed, 0.0, a)
    chord = np.where(missed, 0.0, np.clip(b - a, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        prob = np.exp(-a / lam) * -np.expm1(-chord / lam)
    prob = np.where(lam == 0.0, np.where((a == 0.0) & (chord > 0.0), 1.0, 0.0), prob)
    return np.asarray(np.where(missed, 0.0, prob), dtype=float)


def sample_decay_distance(
    entry: ArrayLike, exit: ArrayLike, decay_length: ArrayLike, rng: np.random.Generator
) -> FloatArray:
    """Decay distances [cm] drawn from exp(−t/λ) truncated to [entry, exit] (a decay forced into the volume).

    Inverse-CDF sampling of the offset x = t − entry ∈ [0, L] (L = exit − entry): x = −λ log1p(u ·
    expm1(−L/λ)), u uniform in [0, 1). This is stable in both limits: for λ ≫ L it tends to the uniform x = u
    L, for λ ≪ L to an (untruncated) exponential of mean λ. λ = inf gives exactly u L and λ = 0 gives
    ``entry``. Arguments broadcast against each other; the result has the broadcast shape and is NaN where
    ``entry`` or ``exit`` is NaN. The results always lie in [entry, exit].
    """
    a, b, lam = np.broadcast_arrays(
        np.asarray(entry, dtype=float), np.asarray(exit, dtype=float), _decay_lengths(decay_length)
    )
    chord = np.clip(b - a, 0.0, None)
    u = rng.random(a.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        x = -lam * np.log1p(u * np.expm1(-chord / lam))
    uniform = np.isinf(lam) | (chord / np.where(lam == 0.0, 1.0, lam) == 0.0)
    x = np.where(uniform, u * chord, x)
    x = np.where(lam == 0.0, 0.0, x)
    x = np.clip(x, 0.0, chord)
    return np.asarray(a + x, dtype=float)
