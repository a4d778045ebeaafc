"""Fast detector response: thresholds, smearing, efficiencies, e⁺e⁻ merging, two-track selections."""

from .merging import opening_angle, pair_mass, reconstruct, single_shower_fraction
from .pair import PairSelection
from .smearing import DetectorResponse, EfficiencyTable, EnergyResolution

__all__ = [
    "DetectorResponse",
    "EfficiencyTable",
    "EnergyResolution",
    "PairSelection",
    "opening_angle",
    "pair_mass",
    "reconstruct",
    "single_shower_fraction",
]
