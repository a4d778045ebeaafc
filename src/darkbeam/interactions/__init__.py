"""Interactions in the detector: decays in volume, dark-matter scattering and neutrino upscattering."""

from . import dark_matter, integrate, nuclear
from .decay import decay_events, signal_branching_ratio
from .upscatter_decay import DarkNeutrino, generate_upscatter_decay
from .upscattering import DipolePortal, ZPrimePortal, dsigma_dq2, sample_upscattering, total_cross_section

__all__ = [
    "DarkNeutrino",
    "DipolePortal",
    "ZPrimePortal",
    "dark_matter",
    "decay_events",
    "dsigma_dq2",
    "generate_upscatter_decay",
    "integrate",
    "nuclear",
    "sample_upscattering",
    "signal_branching_ratio",
    "total_cross_section",
]
