"""Shower merging and reconstructed event quantities.

Two electromagnetic showers closer than a detector's resolvable opening angle are reconstructed as one shower
carrying their summed four-momentum (a Cherenkov detector such as MiniBooNE sees a collimated e⁺e⁻ pair as a single
electron-like ring; the angle is a catalogue/card parameter, ``merging_angle_deg``). Pair quantities are computed
from lab four-momenta (px, py, pz, E) [GeV]:

* opening angle θ = atan2(|p₁ × p₂|, p₁ · p₂) (accurate for small and large angles alike);
* invariant mass m² = (p₁ + p₂)² (clipped at 0);
* visible energy: the sum over visible particles of their kinetic energy (E for massless particles).

:func:`reconstruct` applies a :class:`~darkbeam.response.smearing.DetectorResponse` to a whole
:class:`~darkbeam.events.EventBatch` (final-state particles only), vectorised over rows: smearing, thresholds,
merging of the two leading showers, and per-event reconstructed quantities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError
from ..events import STATUS_FINAL, EventBatch
from ..kinematics import invariant_mass
from .smearing import SHOWER, TRACK, DetectorResponse, kinetic_energy, topology

__all__ = [
    "ReconstructedEvents",
    "leading_pair",
    "merge_pair",
    "opening_angle",
    "pair_mass",
    "reconstruct",
    "single_shower_fraction",
    "visible_energy",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def opening_angle(first: ArrayLike, second: ArrayLike) -> FloatArray:
    """Opening angle [rad] between the 3-momenta of (n, 4) (or (n, 3)) arrays: atan2(|a × b|, a · b)."""
    a = np.asarray(first, dtype=float)[..., :3]
    b = np.asarray(second, dtype=float)[..., :3]
    return np.asarray(np.arctan2(np.linalg.norm(np.cross(a, b), axis=-1), np.sum(a * b, axis=-1)))


def pair_mass(first: ArrayLike, second: ArrayLike) -> FloatArray:
    """Invariant mass [GeV] of the sum of two (n, 4) four-momenta."""
    return invariant_mass(np.asarray(first, dtype=float) + np.asarray(second, dtype=float))


def merge_pair(first: ArrayLike, second: ArrayLike, merging_angle: float) -> tuple[BoolArray, FloatArray]:
    """Which pairs merge (opening angle < ``merging_angle`` [rad]) and the merged four-momentum p₁ + p₂ (n, 4)."""
    if not np.isfinite(merging_angle) or merging_angle < 0:
        raise ConfigError(f"merging_angle = {merging_angle!r} is not allowed; it must be finite and >= 0 (rad)")
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    return np.asarray(opening_angle(a, b) < merging_angle), np.asarray(a + b)


def single_shower_fraction(
    first: ArrayLike, second: ArrayLike, merging_angle: float, weights: ArrayLike | None = None
) -> float:
    """(Weighted) fraction of pairs seen as one shower: the fraction with opening angle below ``merging_angle``."""
    merged, _ = merge_pair(first, second, merging_angle)
    if merged.size == 0:
        return 0.0
    return float(np.average(merged, weights=None if weights is None else np.asarray(weights, dtype=float)))


def visible_energy(event_index: ArrayLike, momentum: ArrayLike, visible: ArrayLike, n_events: int) -> FloatArray:
    """Per-event sum [GeV] of kinetic energies of rows with ``visible`` true (rows belong to ``event_index``)."""
    idx = np.asarray(event_index, dtype=np.int64)
    t = kinetic_energy(np.atleast_2d(np.asarray(momentum, dtype=float)))
    w = np.where(np.asarray(visible, dtype=bool), t, 0.0)
    return np.asarray(np.bincount(idx, weights=w, minlength=n_events), dtype=float)


def leading_pair(
    event_index: ArrayLike, momentum: ArrayLike, select: ArrayLike, n_events: int
) -> tuple[FloatArray, FloatArray, IntArray]:
    """The two highest-energy selected rows of each event: (first (n_events, 4), second (n_events, 4), count).

    Rows missing (events with fewer than two selected rows) are NaN; ``count`` is the number of selected rows.
    Vectorised: rows are sorted by (event, −E) and ranked within their event.
    """
    idx = np.asarray(event_index, dtype=np.int64)
    p = np.atleast_2d(np.asarray(momentum, dtype=float))
    sel = np.flatnonzero(np.asarray(select, dtype=bool))
    count = np.bincount(idx[sel], minlength=n_events).astype(np.int64)
    first = np.full((n_events, 4), np.nan)
    second = np.full((n_events, 4), np.nan)
    if sel.size:
        order = sel[np.lexsort((-p[sel, 3], idx[sel]))]
        ev = idx[order]
        starts = np.concatenate([[0], np.cumsum(count)])[ev]
        rank = np.arange(order.size) - starts
        first[ev[rank == 0]] = p[order[rank == 0]]
        second[ev[rank == 1]] = p[order[rank == 1]]
    return first, second, count


@dataclass(frozen=True)
class ReconstructedEvents:
    """Per-event reconstructed quantities (arrays of length n_events; NaN where undefined).

    ``n_showers`` counts visible showers after merging; ``n_tracks`` visible tracks; ``merged`` whether the two
    leading showers were merged into one; ``opening_angle`` [rad] and ``invariant_mass`` [GeV] are those of the
    two leading visible showers after smearing (before merging, i.e. what the pair would show if resolved);
    ``visible_energy`` [GeV] sums kinetic energies of visible particles; ``momentum`` (n_rows, 4) are the smeared
    momenta of the batch's rows and ``visible`` their visibility mask.
    """

    n_showers: IntArray
    n_tracks: IntArray
    merged: BoolArray
    opening_angle: FloatArray
    invariant_mass: FloatArray
    visible_energy: FloatArray
    momentum: FloatArray
    visible: BoolArray


def reconstruct(batch: EventBatch, response: DetectorResponse, rng: np.random.Generator) -> ReconstructedEvents:
    """Apply ``response`` to the final-state particles of ``batch``: smear, threshold, merge, reconstruct."""
    n = len(batch)
    idx = batch.event_index
    final = batch.status == STATUS_FINAL
    smeared = batch.momentum.copy()
    if np.any(final):
        smeared[final] = response.smear(batch.pdg[final], batch.momentum[final], rng)
    visible = final & response.visible(batch.pdg, smeared)
    topo = topology(batch.pdg)
    showers = visible & (topo == SHOWER)
    tracks = visible & (topo == TRACK)
    first, second, n_sh = leading_pair(idx, smeared, showers, n)
    both = n_sh >= 2
    angle = np.full(n, np.nan)
    mass = np.full(n, np.nan)
    angle[both] = opening_angle(first[both], second[both])
    mass[both] = pair_mass(first[both], second[both])
    merged = np.zeros(n, dtype=bool)
    if response.merging_angle is not None:
        merged[both] = angle[both] < response.merging_angle
    return ReconstructedEvents(
        n_showers=n_sh - merged.astype(np.int64),
        n_tracks=np.bincount(idx[tracks], minlength=n).astype(np.int64),
        merged=merged,
        opening_angle=angle,
        invariant_mass=mass,
        visible_energy=visible_energy(idx, smeared, visible, n),
        momentum=smeared,
        visible=visible,
    )
