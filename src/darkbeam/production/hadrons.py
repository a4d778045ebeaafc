"""Hadrons at production: what a proton makes in the target, before transport (absorption, focusing, decay).

A :class:`HadronSample` holds one species, one row per hadron, with its four-momentum, production point, time and
weight (hadrons per POT that the row stands for; Σ weight = that species' multiplicity per POT). Every meson
source (tabulated spectra, parametrisations such as Sanford–Wang, Pythia, a user's ntuple) implements
:class:`HadronSource`; transport turns hadrons into :class:`~darkbeam.production.ParentDecays`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from ..errors import ConfigError


@dataclass(frozen=True)
class HadronSample:
    """Hadrons of species ``pdg`` at production: ``momentum`` (n, 4) [GeV] in the facility frame, ``vertex``
    (n, 3) [cm], ``time`` (n,) [ns] after the proton reached the target, ``weight`` (n,) hadrons per POT."""

    pdg: int
    momentum: NDArray[np.float64]
    vertex: NDArray[np.float64]
    time: NDArray[np.float64]
    weight: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = len(self.weight)
        if self.momentum.shape != (n, 4) or self.vertex.shape != (n, 3) or self.time.shape != (n,):
            raise ConfigError(
                f"HadronSample arrays disagree in length: momentum {self.momentum.shape}, vertex "
                f"{self.vertex.shape}, time {self.time.shape}, weight {self.weight.shape}"
            )
        if not np.all(np.isfinite(self.weight) & (self.weight >= 0)):
            raise ConfigError("HadronSample.weight must be finite and non-negative")

    def __len__(self) -> int:
        return len(self.weight)

    @property
    def per_pot(self) -> float:
        """Σ weight: hadrons of this species per POT."""
        return float(np.sum(self.weight))


class HadronSource(Protocol):
    """Anything that makes hadrons per proton on target."""

    @property
    def species(self) -> tuple[int, ...]:
        """PDG ids this source can sample."""
        ...

    def multiplicity(self, pdg: int) -> float:
        """Hadrons of species ``pdg`` per POT (the normalisation of :meth:`sample`)."""
        ...

    def sample(self, pdg: int, n: int, rng: np.random.Generator) -> HadronSample:
        """``n`` hadrons of species ``pdg``; Σ weight = :meth:`multiplicity`."""
        ...
