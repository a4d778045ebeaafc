"""Decay-at-rest (DAR) source: mesons that stop in a block of material (absorber, dump, target) and decay.

The stopped mesons decay isotropically at rest. Their decay points are spread uniformly over a box (or sit at one
point if the box has zero size); their decay times follow the parent's exponential lifetime, starting at
``stop_time`` after the proton hit the target (the slowing-down time, a few ns in steel or aluminium, is small
next to the kaon's 12.4 ns lifetime and is taken as a fixed offset).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..errors import check_positive
from .parents import ParentDecays


@dataclass(frozen=True)
class DecayAtRestSource:
    """Mesons decaying at rest.

    Attributes:
        parent_pdg: PDG id of the stopped meson (e.g. 321 for K⁺).
        decays_per_pot: stopped-meson decays per proton on target.
        center: centre of the stopping region in the facility frame [cm].
        half_lengths: half sizes (x, y, z) of the box the decays are spread over [cm]; zeros for a point.
        stop_time: time from the proton hitting the target to the meson coming to rest [ns].
    """

    parent_pdg: int
    decays_per_pot: float
    center: NDArray[np.float64]
    half_lengths: NDArray[np.float64] = field(default_factory=lambda: np.zeros(3))
    stop_time: float = 0.0

    def __post_init__(self) -> None:
        check_positive("decays_per_pot", self.decays_per_pot)
        check_positive("stop_time", self.stop_time, allow_zero=True)
        object.__setattr__(self, "center", np.asarray(self.center, dtype=float).reshape(3))
        object.__setattr__(self, "half_lengths", np.asarray(self.half_lengths, dtype=float).reshape(3))
        for axis, value in zip("xyz", self.half_lengths, strict=False):
            check_positive(f"half_lengths.{axis}", value, allow_zero=True)

    def sample(self, n: int, rng: np.random.Generator) -> ParentDecays:
        """``n`` decays at rest; each row carries weight ``decays_per_pot / n``."""
        mass = pdg.mass(self.parent_pdg)
        momentum = np.zeros((n, 4))
        momentum[:, 3] = mass
        vertex = self.center + rng.uniform(-1.0, 1.0, (n, 3)) * self.half_lengths
        time = self.stop_time + rng.exponential(pdg.lifetime(self.parent_pdg), n)
        return ParentDecays(self.parent_pdg, momentum, vertex, time, np.full(n, self.decays_per_pot / n))
