"""Particle data: masses, lifetimes and names from the `particle` package, in DarkBeam units (GeV, ns, cm).

The `particle` package gives masses in MeV and lifetimes in ns (PDG 2024 tables); this module converts at the
edge. DarkBeam's own particles use PDG Monte Carlo numbers from the range reserved for user-defined states
(PDG MC numbering scheme, RPP 2024 section 45, rule 11: 99xxxxx for non-standard particles).
"""

from __future__ import annotations

from functools import cache

from particle import Particle
from particle.particle.particle import ParticleNotFound

from .errors import UnknownNameError
from .units import C_LIGHT, MeV

#: DarkBeam's Monte Carlo ids for new particles (mass and width are run parameters, not table entries).
DARK_PDG_IDS: dict[str, int] = {
    "scalar": 9900025,
    "hnl": 9900012,
    "dark_photon": 9900022,
    "alp": 9900036,
    "chi": 9900051,
    "mcp": 9900061,
}

# Commonly used SM ids, named for readability.
ELECTRON, MUON, TAU = 11, 13, 15
NU_E, NU_MU, NU_TAU = 12, 14, 16
PHOTON = 22
PI0, PI_PLUS, ETA, K_PLUS, K_LONG = 111, 211, 221, 321, 130


@cache
def _particle(pdg_id: int) -> Particle:
    try:
        return Particle.from_pdgid(pdg_id)
    except (ParticleNotFound, ValueError) as err:
        raise UnknownNameError("PDG id", str(pdg_id), ["any id in the PDG tables of `particle`"]) from err


def mass(pdg_id: int) -> float:
    """Mass of the particle with PDG id ``pdg_id`` [GeV] (PDG 2024 via `particle`; 0 for SM neutrinos)."""
    if abs(pdg_id) in (NU_E, NU_MU, NU_TAU):
        return 0.0  # SM neutrinos are massless in DarkBeam's kinematics
    value = _particle(pdg_id).mass
    if value is None:
        raise UnknownNameError("particle with a known mass", str(pdg_id), ["SM particles with tabulated masses"])
    return float(value) * MeV


def lifetime(pdg_id: int) -> float:
    """Mean proper lifetime tau [ns]; ``inf`` for stable particles."""
    value = _particle(pdg_id).lifetime
    return float("inf") if value is None else float(value)


def ctau(pdg_id: int) -> float:
    """Mean proper decay length c*tau [cm]; ``inf`` for stable particles."""
    return lifetime(pdg_id) * C_LIGHT


def name(pdg_id: int) -> str:
    """Readable name (e.g. ``'K+'``); DarkBeam's own particles by their model key."""
    for key, value in DARK_PDG_IDS.items():
        if abs(pdg_id) == value:
            return key if pdg_id > 0 else f"anti-{key}"
    return str(_particle(pdg_id).name)


def conjugate(pdg_id: int) -> int:
    """PDG id of the antiparticle (the same id for self-conjugate particles such as π⁰, γ, K⁰_L)."""
    if abs(pdg_id) in DARK_PDG_IDS.values():
        return -pdg_id
    return int(_particle(pdg_id).invert().pdgid)


def charge(pdg_id: int) -> float:
    """Electric charge in units of e (0 for DarkBeam's own neutral particles)."""
    if abs(pdg_id) in DARK_PDG_IDS.values():
        return 0.0
    return float(_particle(pdg_id).charge or 0.0)
