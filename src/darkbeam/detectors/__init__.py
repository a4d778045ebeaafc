"""Detector catalogue: shipped detectors (``names()``, ``get(name)``), placements at facilities, PRISM scans.

See :mod:`darkbeam.detectors.catalogue` for the schema and frame conventions.
"""

from .catalogue import (
    Cited,
    Detector,
    DetectorSpec,
    PlacedDetector,
    Placement,
    get,
    load,
    names,
    off_axis_positions,
    place_solid,
)

__all__ = [
    "Cited",
    "Detector",
    "DetectorSpec",
    "PlacedDetector",
    "Placement",
    "get",
    "load",
    "names",
    "off_axis_positions",
    "place_solid",
]
