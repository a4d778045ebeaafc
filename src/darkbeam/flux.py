"""FluxSample: dark particles at production, columnar, for one mass point.

Holds enough to re-evaluate any coupling without regenerating kinematics (design contract "Reweighting"): each
particle's four-momentum, production vertex and time, its parent, its weight per POT at the reference coupling,
and for every detector the distances along its flight line where it enters and leaves the detector.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .errors import ConfigError


@dataclass(frozen=True)
class FluxSample:
    """Dark particles of one model and mass at their production point.

    Attributes:
        model: registry name of the model (e.g. ``"scalar"``).
        mass: dark-particle mass [GeV].
        reference_coupling: value of the model's coupling at which ``weight`` was computed.
        momentum: (n, 4) four-momenta ``(px, py, pz, E)`` [GeV] in the facility frame.
        vertex: (n, 3) production points [cm] in the facility frame.
        time: (n,) production times [ns] after the proton hit the target.
        parent_pdg: (n,) PDG id of the parent (meson) that made each particle.
        parent_momentum: (n, 4) parent four-momenta [GeV] at its decay.
        weight: (n,) dark particles per POT that each entry stands for, at ``reference_coupling``
            (Σ weight = dark particles produced per POT, toward the sampled directions).
        companion_pdg: (n,) PDG id of the other daughter in a two-body production ``parent → dark + companion``
            (its momentum is parent − dark); 0 for production with several companions. ``None`` if unknown.
        polarisation: (n,) longitudinal polarisation of each particle along its momentum in the parent rest frame
            (``DarkModel.polarisation_from``); ``None`` for unpolarised production.
        antiparticle: (n,) True where the particle is the antiparticle of a non-self-conjugate dark state (e.g. N̄
            of a Dirac HNL from K⁻); ``None`` if there is none.
        entry, exit: detector name → (n,) distance [cm] from the production point along the flight direction at
            which the straight line enters / leaves the detector; NaN where it misses.
    """

    model: str
    mass: float
    reference_coupling: float
    momentum: NDArray[np.float64]
    vertex: NDArray[np.float64]
    time: NDArray[np.float64]
    parent_pdg: NDArray[np.int64]
    parent_momentum: NDArray[np.float64]
    weight: NDArray[np.float64]
    companion_pdg: NDArray[np.int64] | None = None
    polarisation: NDArray[np.float64] | None = None
    antiparticle: NDArray[np.bool_] | None = None
    entry: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)
    exit: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.weight)
        shapes = {
            "momentum": (self.momentum.shape, (n, 4)),
            "vertex": (self.vertex.shape, (n, 3)),
            "time": (self.time.shape, (n,)),
            "parent_pdg": (self.parent_pdg.shape, (n,)),
            "parent_momentum": (self.parent_momentum.shape, (n, 4)),
        }
        if self.companion_pdg is not None:
            shapes["companion_pdg"] = (self.companion_pdg.shape, (n,))
        if self.polarisation is not None:
            shapes["polarisation"] = (self.polarisation.shape, (n,))
        if self.antiparticle is not None:
            shapes["antiparticle"] = (self.antiparticle.shape, (n,))
        for det in set(self.entry) | set(self.exit):
            if det not in self.entry or det not in self.exit:
                raise ConfigError(f"FluxSample: detector {det!r} needs both entry and exit distances")
            shapes[f"entry[{det!r}]"] = (self.entry[det].shape, (n,))
            shapes[f"exit[{det!r}]"] = (self.exit[det].shape, (n,))
        for name, (got, want) in shapes.items():
            if got != want:
                raise ConfigError(f"FluxSample.{name} has shape {got}; expected {want}")
        if not np.all(np.isfinite(self.weight) & (self.weight >= 0)):
            raise ConfigError("FluxSample.weight must be finite and non-negative")

    def __len__(self) -> int:
        return len(self.weight)

    @property
    def momentum_magnitude(self) -> NDArray[np.float64]:
        """|p| [GeV]."""
        return np.asarray(np.linalg.norm(self.momentum[:, :3], axis=1))

    @property
    def direction(self) -> NDArray[np.float64]:
        """Unit flight directions (n, 3)."""
        return np.asarray(self.momentum[:, :3] / self.momentum_magnitude[:, None])

    @property
    def beta_gamma(self) -> NDArray[np.float64]:
        """βγ = |p|/m of each particle."""
        return self.momentum_magnitude / self.mass

    @property
    def beta(self) -> NDArray[np.float64]:
        """Speed |p|/E (units of c)."""
        return np.asarray(self.momentum_magnitude / self.momentum[:, 3])

    @property
    def per_pot(self) -> float:
        """Σ weight: dark particles per POT (toward the sampled directions) at the reference coupling."""
        return float(np.sum(self.weight))

    def segments(self, detector: str) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
        """(entry, exit) distance arrays of each volume of ``detector``: one pair for a single solid, one per
        component (keys ``"detector#0"``, ``"detector#1"``, …) for a detector made of separate volumes."""
        if detector in self.entry:
            return [(self.entry[detector], self.exit[detector])]
        keys = sorted((k for k in self.entry if k.startswith(f"{detector}#")), key=lambda k: int(k.split("#")[1]))
        if not keys:
            raise ConfigError(f"FluxSample has no detector {detector!r}; it has {sorted(self.entry)}")
        return [(self.entry[k], self.exit[k]) for k in keys]

    def hits(self, detector: str) -> NDArray[np.bool_]:
        """Which particles' flight lines cross ``detector`` (any of its volumes)."""
        hit = np.zeros(len(self), dtype=bool)
        for entry, exit_ in self.segments(detector):
            hit |= np.isfinite(entry) & np.isfinite(exit_)
        return hit

    def chord(self, detector: str) -> NDArray[np.float64]:
        """Total path length [cm] of each flight line inside ``detector`` (0 where it misses)."""
        total = np.zeros(len(self))
        for entry, exit_ in self.segments(detector):
            total += np.nan_to_num(exit_ - entry, nan=0.0)
        return total


def concatenate_flux(samples: list[FluxSample]) -> FluxSample:
    """Join flux samples of the same model, mass and reference coupling (and the same detectors)."""
    first = samples[0]
    for other in samples[1:]:
        if (other.model, other.mass, other.reference_coupling) != (
            first.model,
            first.mass,
            first.reference_coupling,
        ):
            raise ConfigError("concatenate_flux needs samples of one model, mass and reference coupling")
    companions = None
    if all(s.companion_pdg is not None for s in samples):
        companions = np.concatenate([s.companion_pdg for s in samples if s.companion_pdg is not None])
    antiparticle = None
    if any(s.antiparticle is not None for s in samples):
        antiparticle = np.concatenate(
            [np.zeros(len(s), bool) if s.antiparticle is None else s.antiparticle for s in samples]
        )
    polarisation = None
    if any(s.polarisation is not None for s in samples):
        polarisation = np.concatenate([np.zeros(len(s)) if s.polarisation is None else s.polarisation for s in samples])
    return FluxSample(
        model=first.model,
        mass=first.mass,
        reference_coupling=first.reference_coupling,
        momentum=np.concatenate([s.momentum for s in samples]),
        vertex=np.concatenate([s.vertex for s in samples]),
        time=np.concatenate([s.time for s in samples]),
        parent_pdg=np.concatenate([s.parent_pdg for s in samples]),
        parent_momentum=np.concatenate([s.parent_momentum for s in samples]),
        weight=np.concatenate([s.weight for s in samples]),
        companion_pdg=companions,
        polarisation=polarisation,
        antiparticle=antiparticle,
        entry={d: np.concatenate([s.entry[d] for s in samples]) for d in first.entry},
        exit={d: np.concatenate([s.exit[d] for s in samples]) for d in first.exit},
    )
