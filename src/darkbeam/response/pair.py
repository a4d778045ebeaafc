"""Two-track selection: both visible daughters above an energy threshold and resolved in opening angle.

A dark particle decaying to a pair (e⁺e⁻, μ⁺μ⁻, …) is seen as two tracks/showers only if each carries enough
energy and their opening angle, after angular smearing, exceeds the detector's resolving angle. This is the
parametrisation Kelly & Machado used to recast MicroBooNE's KDAR scalar search (arXiv:2106.06548, Sec. III:
E > 10 MeV per lepton, opening angle > 10°, 3° Gaussian angular resolution per track); an experiment entry names
its own numbers and source.

Optionally (``containment``) both tracks must also be fully contained: the straight track of each charged daughter,
of its CSDA range in the detector material, must stay inside the detector from the decay vertex
(:mod:`darkbeam.response.containment`; e.g. ICARUS's "two fully contained muons", arXiv:2411.02727).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..geometry import Solid, Union
from ..kinematics import directions_from_angles, two_body_decay
from .containment import contained


@dataclass(frozen=True)
class PairSelection:
    """Thresholds of a two-track selection: energies [GeV] (``min_energy`` per track, ``min_pair_energy`` on the
    sum, e.g. a calorimeter's shower threshold), angles [rad]; ``containment``: both tracks must be contained (CSDA
    range in ``material``, a name for :func:`darkbeam.response.containment.material`)."""

    min_energy: float
    min_opening_angle: float
    angular_resolution: float
    containment: bool = False
    material: str = "LAr"
    min_pair_energy: float = 0.0

    def smear(self, momenta: NDArray[np.float64], rng: np.random.Generator) -> NDArray[np.float64]:
        """Directions of (n, 4) momenta smeared by a 2-D Gaussian of width ``angular_resolution`` per track."""
        p3 = momenta[:, :3]
        theta = self.angular_resolution * np.sqrt(-2.0 * np.log1p(-rng.random(len(p3))))  # Rayleigh polar angle
        return directions_from_angles(np.cos(theta), rng.uniform(0, 2 * np.pi, len(p3)), axis=p3)

    def passes(
        self, first: NDArray[np.float64], second: NDArray[np.float64], rng: np.random.Generator
    ) -> NDArray[np.bool_]:
        """Which pairs of lab four-momenta (n, 4) pass the energy and opening-angle cuts."""
        energetic = (first[:, 3] > self.min_energy) & (second[:, 3] > self.min_energy)
        energetic &= first[:, 3] + second[:, 3] > self.min_pair_energy
        cos_open = np.sum(self.smear(first, rng) * self.smear(second, rng), axis=1)
        return np.asarray(energetic & (cos_open < np.cos(self.min_opening_angle)))

    def acceptance(
        self,
        parent_momenta: NDArray[np.float64],
        daughter_masses: tuple[float, float],
        rng: np.random.Generator,
        weights: NDArray[np.float64] | None = None,
    ) -> float:
        """Weighted fraction of isotropic two-body decays of ``parent_momenta`` (n, 4) that pass."""
        if len(parent_momenta) == 0:
            return 0.0
        first, second = two_body_decay(parent_momenta, *daughter_masses, rng)
        passed = self.passes(first, second, rng)
        return float(np.average(passed, weights=weights))

    def contained(
        self,
        vertices: NDArray[np.float64],
        first: NDArray[np.float64],
        second: NDArray[np.float64],
        pdg_ids: tuple[int, int],
        solid: Solid | Union,
    ) -> NDArray[np.bool_]:
        """Which pairs (lab four-momenta (n, 4) [GeV] of daughters ``pdg_ids``, decaying at ``vertices`` (n, 3)
        [cm] in the facility frame) have both tracks contained in ``solid``; all True if ``containment`` is off."""
        if not self.containment:
            return np.ones(len(first), dtype=bool)
        return np.asarray(
            contained(vertices, first, pdg_ids[0], solid, self.material)
            & contained(vertices, second, pdg_ids[1], solid, self.material)
        )
