"""Parents from a proton beam: hadrons made in the target, then transported to their decays.

A :class:`BeamSource` picks the hadron-production model for the beam's target (Sanford–Wang / Feynman-scaling
fits for the BNB's beryllium target, PRD 79, 072002; Pythia tables shipped in ``darkbeam/data/mesons`` for the
others), samples one species, and transports it (:func:`~darkbeam.production.transport.transport`: absorption in
the target, horn focusing, decay in flight along the decay pipe, ranging out and decay at rest in the absorber).
Short-lived species (π⁰, η, …) decay where they are made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..beams import BeamSpec
from ..beams import get as get_beam
from ..errors import ConfigError
from .hadrons import HadronSource
from .parents import ParentDecays, concatenate_parents
from .transport import TRANSPORTED, Horn, prompt_decays, transport

Stage = Literal["all", "in_flight", "at_rest"]


def hadron_source(beam: BeamSpec) -> HadronSource:
    """The hadron-production model for ``beam``'s target (see module docstring)."""
    from .sanford_wang import SanfordWangSource
    from .tabulated import TabulatedHadronSource

    target = beam.target
    if target.material.name == "Be":
        return SanfordWangSource(beam)
    return TabulatedHadronSource.for_beam(
        beam.proton.momentum_gev.value,
        target.material.name,
        target_length=target.length_cm.value,
        interaction_length=target.material.interaction_length_cm,
    )


@dataclass(frozen=True)
class BeamSource:
    """Decays of ``parent_pdg`` made by ``beam`` (catalogue name), with the horn set to ``horn``.

    ``stage`` keeps decays in flight, at rest, or both ("all"). Σ weight of a sample = decays per POT.
    """

    beam: str
    parent_pdg: int
    horn: Horn = "+"
    stage: Stage = "all"

    def sample(self, n: int, rng: np.random.Generator) -> ParentDecays:
        spec = get_beam(self.beam)
        hadrons = hadron_source(spec).sample(self.parent_pdg, n, rng)
        if self.parent_pdg not in TRANSPORTED:
            if self.stage == "at_rest":
                raise ConfigError(f"stage = 'at_rest' is not allowed for pdg {self.parent_pdg}; it decays promptly")
            return prompt_decays(hadrons)
        result = transport(hadrons, spec, rng, self.horn)
        if self.stage == "in_flight":
            return result.in_flight
        if self.stage == "at_rest":
            return result.at_rest
        return concatenate_parents([result.in_flight, result.at_rest])
