"""DarkBeam: dark-sector searches at accelerator neutrino beams.

From protons on target to events in a detector and to exclusion limits over (mass, coupling). Units inside are
GeV, cm and ns; an event's weight is its expected number of events for the run's POT.
"""

from . import experiments, models
from ._version import __version__
from .errors import DarkBeamError
from .events import EventBatch
from .flux import FluxSample
from .pipeline import build_model, make_flux, simulate
from .scan import ScanResult, sensitivity

__all__ = [
    "DarkBeamError",
    "EventBatch",
    "FluxSample",
    "ScanResult",
    "__version__",
    "build_model",
    "experiments",
    "make_flux",
    "models",
    "sensitivity",
    "simulate",
]
