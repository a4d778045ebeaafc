"""Dark particles from parent decays: the production stage that turns :class:`ParentDecays` into a FluxSample.

For each open production channel of the model (``parent → dark + companions``) the parents decay with the
channel's branching ratio as a weight factor. Two-body channels use exact two-body kinematics; three-body channels
use flat phase space (their matrix elements only reshape the spectrum and are the models' to supply).

Aiming: for parents that decay at rest the dark particles are isotropic, and a detector 100 m away sees ~10⁻⁴ of
them. Given a target sphere (centre, radius), directions are drawn uniformly inside the cone from each decay point
that contains the sphere, and the weight is multiplied by the cone's solid-angle fraction (1 − cos α)/2. This is
exact importance sampling for an isotropic source: the weighted sample equals the isotropic one inside the cone.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..errors import KinematicsError
from ..flux import FluxSample
from ..kinematics import directions_from_angles, three_body_decay, two_body_decay, two_body_momentum
from ..models.base import DarkModel
from .bremsstrahlung import PROTON_PDG, produce_bremsstrahlung
from .parents import ParentDecays

Aim = tuple[NDArray[np.float64], float]


def cone_toward(vertex: NDArray[np.float64], aim: Aim) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Axis (n, 3) and cos of the half-angle (n,) of the cone from each ``vertex`` that holds the aim sphere."""
    center, radius = aim
    offset = np.asarray(center, dtype=float) - vertex
    distance = np.linalg.norm(offset, axis=1)
    sin_alpha = np.clip(radius / np.maximum(distance, 1e-300), 0.0, 1.0)
    return offset / np.maximum(distance, 1e-300)[:, None], np.sqrt(1.0 - sin_alpha**2)


def _two_body(
    parents: ParentDecays,
    model_mass: float,
    companion_mass: float,
    rng: np.random.Generator,
    aim: Aim | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Dark-particle four-momenta (n, 4) and aiming weight factors (n,)."""
    n = len(parents)
    dark, _ = two_body_decay(parents.momentum, model_mass, companion_mass, rng)
    aim_weight = np.ones(n)
    rest = parents.at_rest if aim is not None else np.zeros(n, dtype=bool)
    if aim is not None and rest.any():
        m = int(rest.sum())
        q = two_body_momentum(parents.momentum[rest, 3], model_mass, companion_mass)
        axis, cos_alpha = cone_toward(parents.vertex[rest], aim)
        cos_theta = rng.uniform(cos_alpha, 1.0)
        direction = directions_from_angles(cos_theta, rng.uniform(0.0, 2 * np.pi, m), axis=axis)
        dark[rest] = np.concatenate([direction * q[:, None], np.sqrt(q**2 + model_mass**2)[:, None]], axis=1)
        aim_weight[rest] = (1.0 - cos_alpha) / 2.0
    return dark, aim_weight


def produce(
    model: DarkModel,
    parents: ParentDecays,
    rng: np.random.Generator,
    aim: Aim | None = None,
) -> FluxSample:
    """Decay ``parents`` into the model's dark particle through every open channel of that parent.

    Returns a FluxSample whose weights are dark particles per POT at the model's current coupling:
    parent weight × channel branching ratio × aiming factor. Each channel gets ``len(parents)`` entries.
    """
    if parents.pdg == PROTON_PDG:  # p N -> p N X: quasi-real bremsstrahlung, not a decay
        return produce_bremsstrahlung(model, parents, rng)
    channels = model.production_for(parents.pdg)
    if not channels:
        raise KinematicsError(
            f"{model.name} of mass {model.mass} GeV has no open production channel from {pdg.name(parents.pdg)}"
        )
    pieces = []
    for channel, br, conjugated in channels:
        companion_masses = [pdg.mass(c) for c in channel.companions]
        if len(companion_masses) == 1:
            dark, aim_weight = _two_body(parents, model.mass, companion_masses[0], rng, aim)
        elif len(companion_masses) == 2:
            dark, _, _ = three_body_decay(parents.momentum, (model.mass, companion_masses[0], companion_masses[1]), rng)
            aim_weight = np.ones(len(parents))
        else:
            raise KinematicsError(f"production channel {channel.name} has {len(companion_masses)} companions")
        companion = channel.companions[0] if len(channel.companions) == 1 else 0
        if conjugated and companion:
            companion = pdg.conjugate(companion)
        # the polarisation is kept in the declared channel's convention: CP maps the whole decay chain, so the
        # angular distributions of the conjugate chain are those of the declared one with every id conjugated
        is_anti = conjugated and not model.self_conjugate
        pieces.append((dark, parents.weight * br * aim_weight, companion, model.polarisation_from(channel), is_anti))
    n_channels = len(pieces)
    polarisation = np.repeat([p[3] for p in pieces], len(parents))
    antiparticle = np.repeat([p[4] for p in pieces], len(parents)).astype(bool)
    return FluxSample(
        model=model.name,
        mass=model.mass,
        reference_coupling=model.coupling,
        momentum=np.concatenate([p[0] for p in pieces]),
        vertex=np.tile(parents.vertex, (n_channels, 1)),
        time=np.tile(parents.time, n_channels),
        parent_pdg=np.full(len(parents) * n_channels, parents.pdg, dtype=np.int64),
        parent_momentum=np.tile(parents.momentum, (n_channels, 1)),
        weight=np.concatenate([p[1] for p in pieces]),
        companion_pdg=np.repeat(np.array([p[2] for p in pieces], dtype=np.int64), len(parents)),
        polarisation=polarisation if np.any(polarisation) else None,
        antiparticle=antiparticle if np.any(antiparticle) else None,
    )
