"""Chemical elements of the beam catalogue's targets and dumps: atomic number Z and standard atomic weight A.

Values: IUPAC 2021 standard atomic weights, as listed in PDG RPP 2024 "Atomic and nuclear properties of materials".
The catalogue's material entries (``material.name``) are element symbols; processes that need Z and A of the whole
atom (coherent Primakoff conversion, Drell–Yan on Z protons and A − Z neutrons) look them up here.
"""

from __future__ import annotations

from .errors import UnknownNameError

__all__ = ["ELEMENTS", "element"]

#: element symbol → (Z, A [g/mol])
ELEMENTS: dict[str, tuple[int, float]] = {
    "H": (1, 1.008),
    "Be": (4, 9.0122),
    "C": (6, 12.011),
    "Al": (13, 26.982),
    "Fe": (26, 55.845),
    "Cu": (29, 63.546),
    "Mo": (42, 95.95),
    "Ta": (73, 180.95),
    "W": (74, 183.84),
    "Pt": (78, 195.08),
    "Hg": (80, 200.59),
    "Pb": (82, 207.2),
}


def element(name: str, field: str = "target material") -> tuple[int, float]:
    """(Z, A [g/mol]) of element ``name``; raises :class:`UnknownNameError` naming ``field`` and the known symbols."""
    if name not in ELEMENTS:
        raise UnknownNameError(field, name, ELEMENTS)
    return ELEMENTS[name]
