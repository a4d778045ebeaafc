"""Fast detector response: thresholds, smearing, efficiencies, e⁺e⁻ merging, two-track selections."""

from .merging import opening_angle, pair_mass, reconstruct, single_shower_fraction
from .pair import PairSelection
from .selection import FastResponse, ResponseStage, SelectionSection, apply_response
from .smearing import DetectorResponse, EfficiencyTable, EnergyResolution

__all__ = [
    "DetectorResponse",
    "EfficiencyTable",
    "EnergyResolution",
    "FastResponse",
    "PairSelection",
    "ResponseStage",
    "SelectionSection",
    "apply_response",
    "opening_angle",
    "pair_mass",
    "reconstruct",
    "single_shower_fraction",
]
