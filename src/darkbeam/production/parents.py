"""Parent decays: where, when and with what momentum the mesons that make dark particles decay.

A :class:`ParentDecays` is the columnar output of every parent source (decay at rest, decay in flight, a user's
ntuple): one row per parent decay with its PDG id, four-momentum, decay point, decay time and weight (parent
decays per POT that the row stands for).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from ..errors import ConfigError


@dataclass(frozen=True)
class ParentDecays:
    """Parent-meson decays. ``momentum`` (n, 4) [GeV], ``vertex`` (n, 3) [cm], ``time`` (n,) [ns] after the
    proton hit the target, ``weight`` (n,) decays per POT represented by each row (Σ weight = decays per POT)."""

    pdg: int
    momentum: NDArray[np.float64]
    vertex: NDArray[np.float64]
    time: NDArray[np.float64]
    weight: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = len(self.weight)
        if self.momentum.shape != (n, 4) or self.vertex.shape != (n, 3) or self.time.shape != (n,):
            raise ConfigError(
                f"ParentDecays arrays disagree in length: momentum {self.momentum.shape}, vertex "
                f"{self.vertex.shape}, time {self.time.shape}, weight {self.weight.shape}"
            )

    def __len__(self) -> int:
        return len(self.weight)

    @property
    def at_rest(self) -> NDArray[np.bool_]:
        """Which parents decay at rest."""
        return np.asarray(np.all(self.momentum[:, :3] == 0.0, axis=1))


class ParentSource(Protocol):
    """Anything that samples parent decays (decay at rest, in flight, user ntuple)."""

    @property
    def parent_pdg(self) -> int:
        """PDG id of the parents this source makes."""
        ...

    def sample(self, n: int, rng: np.random.Generator) -> ParentDecays:
        """Draw ``n`` parent decays."""
        ...


@dataclass(frozen=True)
class ScaledSource:
    """``source`` with its decays per POT multiplied by ``factor`` — e.g. a run with its own exposure inside a
    search quoted for a total POT: factor = POT of the run / POT of the search."""

    source: ParentSource
    factor: float

    @property
    def parent_pdg(self) -> int:
        return self.source.parent_pdg

    def sample(self, n: int, rng: np.random.Generator) -> ParentDecays:
        decays = self.source.sample(n, rng)
        return replace(decays, weight=decays.weight * self.factor)


def concatenate_parents(pieces: list[ParentDecays]) -> ParentDecays:
    """Join decays of one species (weights kept: Σ weight of the result = Σ of the pieces)."""
    species = {p.pdg for p in pieces}
    if len(species) != 1:
        raise ConfigError(f"concatenate_parents needs one species; got {sorted(species)}")
    return ParentDecays(
        pieces[0].pdg,
        np.concatenate([p.momentum for p in pieces]),
        np.concatenate([p.vertex for p in pieces]),
        np.concatenate([p.time for p in pieces]),
        np.concatenate([p.weight for p in pieces]),
    )
