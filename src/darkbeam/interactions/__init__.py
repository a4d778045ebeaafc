"""Interactions in the detector: decays in volume (scattering and upscattering come later)."""

from .decay import decay_events, signal_branching_ratio

__all__ = ["decay_events", "signal_branching_ratio"]
