"""(mass × coupling) scans by reweighting, on any concurrent.futures executor."""

from .grid import MassPointTask, ScanResult, SerialExecutor, run_mass_point, sensitivity, sensitivity_from_card
from .reweight import expected_signal

__all__ = [
    "MassPointTask",
    "ScanResult",
    "SerialExecutor",
    "expected_signal",
    "run_mass_point",
    "sensitivity",
    "sensitivity_from_card",
]
