"""Decay in volume: decay probabilities for the scan and forced, weighted decays for event generation.

A particle with decay length λ = βγ cτ entering a detector at distance L₁ and leaving at L₂ along its flight line
decays inside with probability P = exp(−L₁/λ) − exp(−L₂/λ) (design contract "Reweighting"). Forced decays put
every particle's decay inside the detector, drawn from the exponential truncated to [L₁, L₂], and multiply the
weight by P.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..events import STATUS_DECAYED, STATUS_FINAL, STATUS_INCOMING, EventBatch
from ..flux import FluxSample
from ..geometry import decay_probability, sample_decay_distance
from ..kinematics import three_body_decay, two_body_decay
from ..models.base import DarkModel
from ..units import C_LIGHT


def signal_branching_ratio(model: DarkModel, channels: Sequence[str]) -> float:
    """Σ of the model's decay branching ratios over ``channels`` (closed channels count 0)."""
    brs = model.branching_ratios()
    return float(sum(brs.get(c, 0.0) for c in channels))


def decay_events(
    flux: FluxSample,
    model: DarkModel,
    detector: str,
    channels: Sequence[str],
    pot: float,
    rng: np.random.Generator,
    provenance: dict[str, str] | None = None,
) -> EventBatch:
    """Force every particle of ``flux`` that crosses ``detector`` to decay inside it into one of ``channels``.

    ``model`` must be at the coupling the events are wanted for (the flux weights are rescaled from the flux's
    reference coupling). Each event holds the parent (status 4; its vertex and time are those of its decay), the
    dark particle (status 2, produced at the parent's decay point), the production companion if known (status 1),
    and the decay products (status 1) at the decay point, whose time is production time + distance/(βc).
    Three-body decays follow the model's :meth:`~darkbeam.models.base.DarkModel.decay_matrix_element` (flat phase
    space where it gives ``None``), unweighted by accept–reject; CP-conjugate rows use the same |M|² (CP).
    Event weight = POT × flux weight × coupling factor × P(decay inside) × BR(chosen channel set).
    """
    hit = flux.hits(detector)
    momentum = flux.momentum[hit]
    beta_gamma = flux.beta_gamma[hit]
    decay_length = beta_gamma * model.ctau()
    segments = flux.segments(detector)
    entries = np.stack([e[hit] for e, _ in segments], axis=1)
    exits = np.stack([x[hit] for _, x in segments], axis=1)
    per_volume = decay_probability(entries, exits, decay_length[:, None])
    probability = per_volume.sum(axis=1)
    # decay in volume k with probability P_k / Σ P (the first volume crossed where every P_k underflows)
    crossed = np.isfinite(entries)
    odds = np.where(probability[:, None] > 0, per_volume, crossed & (np.cumsum(crossed, axis=1) == 1))
    cumulative = np.cumsum(odds, axis=1)
    volume = np.argmax(cumulative > rng.random(len(odds))[:, None] * cumulative[:, -1:], axis=1)
    rows = np.arange(len(volume))
    distance = sample_decay_distance(entries[rows, volume], exits[rows, volume], decay_length, rng)
    direction = flux.direction[hit]
    decay_vertex = flux.vertex[hit] + direction * distance[:, None]
    decay_time = flux.time[hit] + distance / (flux.beta[hit] * C_LIGHT)

    brs = model.branching_ratios()
    open_channels = [c for c in channels if brs.get(c, 0.0) > 0]
    total_br = sum(brs[c] for c in open_channels)
    n = int(hit.sum())
    production_factor = 1.0 / model.coupling_scale(flux.reference_coupling)
    weight = pot * flux.weight[hit] * production_factor * probability * total_br
    if not open_channels or n == 0:
        return EventBatch.empty(provenance)
    choice = rng.choice(len(open_channels), size=n, p=np.array([brs[c] for c in open_channels]) / total_br)
    companion = flux.companion_pdg[hit] if flux.companion_pdg is not None else np.zeros(n, np.int64)
    polarisation = flux.polarisation[hit] if flux.polarisation is not None else np.zeros(n)
    anti = flux.antiparticle[hit] if flux.antiparticle is not None else np.zeros(n, dtype=bool)
    decay_channels = model.decay_channels()
    batches = []
    for index, name in enumerate(open_channels):
        daughters = decay_channels[name].daughters
        masses = tuple(pdg.mass(d) for d in daughters)
        # three-body: the model's |M|² (None = flat phase space), its maximum computed once per (mass, channel)
        matrix_element = model.decay_matrix_element(name) if len(masses) == 3 else None
        for has_companion in (False, True):
            rows = (choice == index) & ((companion != 0) == has_companion)
            if not rows.any():
                continue
            products: tuple[NDArray[np.float64], ...]
            if len(masses) == 2:
                # polarised decays: first daughter at angle θ to the spin axis, taken along the flight direction
                cos_theta = model.decay_cos_theta(name, polarisation[rows], rng)
                products = two_body_decay(momentum[rows], masses[0], masses[1], rng, cos_theta=cos_theta)
            else:
                products = three_body_decay(
                    momentum[rows],
                    (masses[0], masses[1], masses[2]),
                    rng,
                    matrix_element=matrix_element,
                    max_matrix_element=None if matrix_element is None else matrix_element.maximum,
                )
            batches.append(
                _assemble(
                    flux,
                    hit,
                    rows,
                    products,
                    daughters,
                    decay_vertex[rows],
                    decay_time[rows],
                    companion[rows] if has_companion else None,
                    weight[rows],
                    model.pdg_id,
                    anti[rows],
                    provenance,
                )
            )
    return EventBatch.concatenate(batches)


def _assemble(
    flux: FluxSample,
    hit: NDArray[np.bool_],
    rows: NDArray[np.bool_],
    products: tuple[NDArray[np.float64], ...],
    daughters: tuple[int, ...],
    decay_vertex: NDArray[np.float64],
    decay_time: NDArray[np.float64],
    companion: NDArray[np.int64] | None,
    weight: NDArray[np.float64],
    dark_pdg: int,
    anti: NDArray[np.bool_],
    provenance: dict[str, str] | None,
) -> EventBatch:
    """One fixed-size group of events; where ``anti`` the dark particle and its decay products are the
    CP conjugates of the declared channel (e.g. N̄ → μ⁺ π⁻ from K⁻ → μ⁻ N̄)."""
    parent_p4 = flux.parent_momentum[hit][rows]
    dark_p4 = flux.momentum[hit][rows]
    origin = flux.vertex[hit][rows]
    t0 = flux.time[hit][rows]
    parent_pdg = flux.parent_pdg[hit][rows]
    p4 = [parent_p4, dark_p4]
    pdgs: list[NDArray[np.int64]] = [parent_pdg, np.where(anti, -dark_pdg, dark_pdg)]
    status = [STATUS_INCOMING, STATUS_DECAYED]
    mother = [-1, 0]
    vertices = [origin, origin]
    times = [t0, t0]
    if companion is not None:
        p4.append(parent_p4 - dark_p4)
        pdgs.append(companion)  # already the conjugate for conjugate parents (DarkModel.production_for)
        status.append(STATUS_FINAL)
        mother.append(0)
        vertices.append(origin)
        times.append(t0)
    for daughter, product in zip(daughters, products, strict=False):
        p4.append(product)
        pdgs.append(np.where(anti, pdg.conjugate(daughter), daughter))
        status.append(STATUS_FINAL)
        mother.append(1)
        vertices.append(decay_vertex)
        times.append(decay_time)
    return EventBatch.from_fixed(
        pdg=np.stack(pdgs, axis=1),
        status=np.array(status, dtype=np.int32),
        momentum=np.stack(p4, axis=1),
        vertex=np.stack(vertices, axis=1),
        time=np.stack(times, axis=1),
        parent=np.array(mother, dtype=np.int64),
        weight=weight,
        provenance=provenance,
    )
