"""Exclusion bands over (mass, coupling) from a grid of expected signal counts."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def excluded_band(
    couplings: NDArray[np.float64], expected: NDArray[np.float64], signal_limit: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Lower and upper edge of the excluded coupling interval at each mass.

    ``expected`` has shape (n_masses, n_couplings) on the increasing ``couplings`` grid; a point is excluded where
    expected > ``signal_limit``. Edges are interpolated linearly in (log coupling, log expected) between the grid
    points around the crossing; a band touching the grid's end takes that end's value. NaN where nothing is
    excluded. For decaying particles the excluded region at one mass is a single interval (too few particles
    below it, all decaying before the detector above it); if the grid shows several, the outermost edges are
    returned.
    """
    log_c = np.log(couplings)
    lower = np.full(expected.shape[0], np.nan)
    upper = np.full(expected.shape[0], np.nan)
    with np.errstate(divide="ignore"):
        log_n = np.log(np.maximum(expected, 0.0))
    log_limit = np.log(signal_limit) if signal_limit > 0 else -np.inf
    for i, row in enumerate(expected):  # loop over masses only (≤ a few hundred)
        above = row > signal_limit
        if not above.any():
            continue
        first, last = int(np.argmax(above)), len(above) - 1 - int(np.argmax(above[::-1]))
        lower[i] = _crossing(log_c, log_n[i], first - 1, first, log_limit) if first > 0 else couplings[0]
        upper[i] = _crossing(log_c, log_n[i], last, last + 1, log_limit) if last < len(row) - 1 else couplings[-1]
    return lower, upper


def _crossing(log_c: NDArray[np.float64], log_n: NDArray[np.float64], j: int, k: int, log_limit: float) -> float:
    a, b = log_n[j], log_n[k]
    if not np.isfinite(a) or not np.isfinite(b) or a == b:
        return float(np.exp(0.5 * (log_c[j] + log_c[k])))
    frac = (log_limit - a) / (b - a)
    return float(np.exp(log_c[j] + frac * (log_c[k] - log_c[j])))
