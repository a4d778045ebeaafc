"""Track containment: CSDA ranges of charged particles and whether a straight track stays in the detector.

**Range.** The continuous-slowing-down-approximation (CSDA) range of a heavy charged particle (μ±, π±, K±, p) is
R(p) = ∫ dE / S(E), with the mean electronic stopping power S from the Bethe equation (PDG Review of Particle
Physics, "Passage of particles through matter", Eq. 34.5 of RPP 2022/2024)

    S = K z² (Z/A) (1/β²) [½ ln(2 mₑc² β²γ² W_max / I²) − β² − δ(βγ)/2],
    W_max = 2 mₑc² β²γ² / (1 + 2γ mₑ/M + (mₑ/M)²)                              (RPP Eq. 34.4),

K = 4π N_A rₑ² mₑc² = 0.307075 MeV mol⁻¹ cm² (RPP Table 34.1), and the density-effect correction δ in
Sternheimer's parametrisation (R.M. Sternheimer, M.J. Berger, S.M. Seltzer, At. Data Nucl. Data Tables 30, 261
(1984); RPP Eq. 34.7), with x = log₁₀ βγ:

    δ = 2 ln10 x − C̄ + a (x₁ − x)^k     for x₀ ≤ x < x₁,
    δ = 2 ln10 x − C̄                    for x ≥ x₁,
    δ = δ₀ 10^{2(x − x₀)}               for x < x₀ (0 for insulators: δ₀ = 0).

Material constants (I, Z/A, ρ, C̄, x₀, x₁, a, k, δ₀) are those of the PDG "Atomic and Nuclear Properties of
Materials" pages (pdg.lbl.gov/AtomicNuclearProperties, tables of D.E. Groom, N.V. Mokhov, S.I. Striganov,
"Muon stopping power and range tables 10 MeV–100 TeV", At. Data Nucl. Data Tables 78, 183 (2001)); see
:data:`MATERIALS`.

Not included (a few per cent at most for the uses here): radiative losses of muons (bremsstrahlung, pair
production, photonuclear: b(E)·E ≈ 1.5 % of dE/dx at 10 GeV in argon, GMS 2001 Table II), shell, Barkas and Bloch
corrections (matter below βγ ≈ 0.1, i.e. the last few mm of a muon track), and range straggling. Hadronic
interactions of pions, kaons and protons are neglected: a hadron is treated as ranging out like a muon of its mass
(its true track length is shorter when it interacts: ~ 30 % of 1 GeV/c pions interact within a metre of argon, so
the containment of hadron tracks is somewhat underestimated).

The range is integrated once per (material, mass) on a logarithmic βγ grid and then interpolated (log R vs
log βγ), so :func:`csda_range` is vectorised and cheap.

**Containment.** :func:`contained` follows the straight line of length R from the vertex along the momentum and
asks whether it stays inside the detector solid. For a :class:`~darkbeam.geometry.Union` the track may pass from
the component that contains the vertex into a component that *touches* it (e.g. across the shared cathode plane
of the two TPCs of one ICARUS cryostat, which is one volume of liquid argon); any gap between components
(> :data:`GAP_TOLERANCE_CM`) ends the track's containment. Multiple scattering is neglected (the track is straight).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..errors import ConfigError, UnknownNameError
from ..geometry import Solid, Union

FloatArray = NDArray[np.float64]

K_BETHE = 0.307075e-3
"""K = 4π N_A rₑ² mₑc² [GeV mol⁻¹ cm²] (PDG RPP, Passage of particles through matter, Table 34.1: 0.307075 MeV)."""

ELECTRON_MASS = 0.51099895e-3
"""mₑc² [GeV] (PDG/CODATA 2018)."""

GAP_TOLERANCE_CM = 1e-3
"""Two components of a Union closer than this along the track count as touching (one continuous volume)."""

TRACKED_PDG = (13, 211, 321, 2212)
"""|PDG id| of the particles whose containment is computed from their CSDA range (μ, π, K, p)."""


@dataclass(frozen=True)
class Material:
    """Stopping-power constants of a detector material (PDG Atomic and Nuclear Properties conventions).

    ``z_over_a`` [mol g⁻¹], ``mean_excitation_ev`` I [eV], ``density_g_cm3`` ρ, Sternheimer density-effect
    parameters ``c_bar`` (−C in the PDG tables), ``x0``, ``x1``, ``a``, ``k`` and ``delta0``."""

    name: str
    density_g_cm3: float
    z_over_a: float
    mean_excitation_ev: float
    c_bar: float
    x0: float
    x1: float
    a: float
    k: float
    delta0: float
    source: str


LIQUID_ARGON = Material(
    name="liquid argon",
    density_g_cm3=1.396,
    z_over_a=0.45059,
    mean_excitation_ev=188.0,
    c_bar=5.2146,
    x0=0.2000,
    x1=3.0000,
    a=0.19559,
    k=3.0000,
    delta0=0.0,
    source=(
        "PDG Atomic and Nuclear Properties of Materials, 'Liquid argon (Ar)' page and its muon table "
        "muE_liquid_argon (Groom, Mokhov, Striganov, At. Data Nucl. Data Tables 78, 183 (2001)): Z/A = 0.45059, "
        "rho = 1.396 g/cm3, I = 188.0 eV, Sternheimer -C = 5.2146, x0 = 0.2000, x1 = 3.0000, a = 0.19559, "
        "k = 3.0000, delta0 = 0.00"
    ),
)

POLYSTYRENE = Material(
    name="polystyrene",
    density_g_cm3=1.060,
    z_over_a=0.53768,
    mean_excitation_ev=68.7,
    c_bar=3.2999,
    x0=0.1647,
    x1=2.5031,
    a=0.16454,
    k=3.2224,
    delta0=0.0,
    source=(
        "PDG Atomic and Nuclear Properties of Materials, 'Polystyrene ([C6H5CHCH2]n)' page and its muon table "
        "muE_polystyrene: Z/A = 0.53768, rho = 1.060 g/cm3, I = 68.7 eV, Sternheimer -C = 3.2999, x0 = 0.1647, "
        "x1 = 2.5031, a = 0.16454, k = 3.2224, delta0 = 0.00"
    ),
)

MATERIALS: dict[str, Material] = {"lar": LIQUID_ARGON, "polystyrene": POLYSTYRENE}
"""Materials by key; :func:`material` also accepts the aliases in :data:`ALIASES` and catalogue names."""

ALIASES: dict[str, str] = {
    "lar": "lar",
    "liquid argon": "lar",
    "liquid_argon": "lar",
    "argon": "lar",
    "ar": "lar",
    "polystyrene": "polystyrene",
    "ch": "polystyrene",
    "polystyrene scintillator": "polystyrene",
    "polystyrene scintillator (fgd)": "polystyrene",
    "polystyrene scintillator c8h8": "polystyrene",
}


def material(name: str | Material) -> Material:
    """The :class:`Material` called ``name`` (case-insensitive; e.g. "LAr", "liquid argon", "polystyrene")."""
    if isinstance(name, Material):
        return name
    key = ALIASES.get(name.strip().lower())
    if key is None:
        raise UnknownNameError("containment material", name, sorted(ALIASES))
    return MATERIALS[key]


def density_effect(beta_gamma: ArrayLike, mat: Material) -> FloatArray:
    """Sternheimer density-effect correction δ(βγ) (Sternheimer, Berger, Seltzer 1984; PDG RPP Eq. 34.7)."""
    x = np.log10(np.asarray(beta_gamma, dtype=float))
    two_ln10 = 2.0 * math.log(10.0)
    high = two_ln10 * x - mat.c_bar
    mid = high + mat.a * np.clip(mat.x1 - x, 0.0, None) ** mat.k
    low = mat.delta0 * 10.0 ** (2.0 * (x - mat.x0))
    return np.asarray(np.where(x >= mat.x1, high, np.where(x >= mat.x0, mid, low)))


def stopping_power(beta_gamma: ArrayLike, mass: float, mat: Material) -> FloatArray:
    """Mean electronic stopping power −dE/dx [GeV cm² g⁻¹] of a singly charged particle of ``mass`` [GeV] at
    ``beta_gamma`` (Bethe equation, PDG RPP Eq. 34.5 with W_max of Eq. 34.4; valid for βγ ≳ 0.05)."""
    bg = np.asarray(beta_gamma, dtype=float)
    gamma = np.sqrt(1.0 + bg**2)
    beta2 = bg**2 / gamma**2
    ratio = ELECTRON_MASS / mass
    w_max = 2.0 * ELECTRON_MASS * bg**2 / (1.0 + 2.0 * gamma * ratio + ratio**2)
    i_gev = mat.mean_excitation_ev * 1e-9
    log_term = 0.5 * np.log(2.0 * ELECTRON_MASS * bg**2 * w_max / i_gev**2)
    return np.asarray(K_BETHE * mat.z_over_a / beta2 * (log_term - beta2 - 0.5 * density_effect(bg, mat)))


_BG_MIN, _BG_MAX, _BG_POINTS = 0.05, 1.0e5, 1200


@lru_cache(maxsize=64)
def _range_table(mat: Material, mass: float) -> tuple[FloatArray, FloatArray]:
    """(log βγ, log R [g cm⁻²]) on a log grid: R(βγ) = M ∫ β/S d(βγ) (dE = M β d(βγ)), trapezoidal in ln βγ.

    Below the grid's first point S ∝ 1/β² is assumed (so R ∝ (βγ)⁴ there), which fixes the integration constant."""
    log_bg = np.linspace(math.log(_BG_MIN), math.log(_BG_MAX), _BG_POINTS)
    bg = np.exp(log_bg)
    beta = bg / np.sqrt(1.0 + bg**2)
    integrand = mass * beta * bg / stopping_power(bg, mass, mat)  # dR/d ln βγ
    steps = 0.5 * (integrand[1:] + integrand[:-1]) * np.diff(log_bg)
    start = integrand[0] / 4.0  # ∫₀ of (βγ)⁴ scaling: R₀ = (dR/d ln βγ)₀ / 4
    ranges = start + np.concatenate(([0.0], np.cumsum(steps)))
    return log_bg, np.log(ranges)


def _masses(pdg_ids: NDArray[np.int64]) -> FloatArray:
    ids = np.abs(pdg_ids)
    unknown = sorted({int(i) for i in np.unique(ids)} - set(TRACKED_PDG))
    if unknown:
        raise ConfigError(
            f"pdg = {unknown[0]} is not allowed for a CSDA range; allowed |pdg|: {', '.join(map(str, TRACKED_PDG))} "
            "(electrons and photons shower: containment by range does not apply)"
        )
    masses = np.zeros(len(ids))
    for pid in TRACKED_PDG:
        masses[ids == pid] = pdg.mass(pid)
    return masses


def csda_range(momentum: ArrayLike, pdg_id: ArrayLike, mat: str | Material = "LAr") -> FloatArray:
    """CSDA range [cm] of particles of |momentum| ``momentum`` [GeV] (shape (n,)) and PDG id ``pdg_id`` (scalar
    or (n,); μ±, π±, K±, p) in material ``mat`` (a name for :func:`material` or a :class:`Material`).

    Zero momentum gives 0; below βγ = 0.05 the range is extrapolated as (βγ)⁴ (sub-mm for muons)."""
    m = material(mat)
    p = np.atleast_1d(np.asarray(momentum, dtype=float))
    if np.any(~np.isfinite(p)) or np.any(p < 0):
        raise ConfigError("momentum must be finite and >= 0 [GeV]")
    ids = np.broadcast_to(np.asarray(pdg_id, dtype=np.int64), p.shape)
    masses = _masses(ids)
    grams = np.zeros(p.shape)
    for mass in np.unique(masses):
        sel = masses == mass
        log_bg_grid, log_r_grid = _range_table(m, float(mass))
        with np.errstate(divide="ignore"):
            log_bg = np.log(p[sel] / mass)
        inside = np.interp(log_bg, log_bg_grid, log_r_grid)
        below = log_r_grid[0] + 4.0 * (log_bg - log_bg_grid[0])
        grams[sel] = np.exp(np.where(log_bg < log_bg_grid[0], below, inside))
    return np.asarray(grams / m.density_g_cm3)


def exit_distance(vertices: ArrayLike, directions: ArrayLike, solid: Solid | Union) -> FloatArray:
    """Distance [cm] from each vertex (n, 3) along its unit direction (n, 3) to where the track leaves ``solid``;
    NaN for a vertex outside. For a Union, the track continues into components that touch the current one
    (entry within :data:`GAP_TOLERANCE_CM` of the current exit), never across a gap."""
    v = np.atleast_2d(np.asarray(vertices, dtype=float))
    d = np.atleast_2d(np.asarray(directions, dtype=float))
    components = solid.components if isinstance(solid, Union) else (solid,)
    segments = [c.intersect(v, d) for c in components]
    entries = np.stack([s[0] for s in segments])  # (components, n)
    exits = np.stack([s[1] for s in segments])
    inside = np.stack([c.contains(v) for c in components])
    start = np.any(inside, axis=0)
    reach = np.where(inside, exits, -np.inf).max(axis=0)
    for _ in range(len(components) - 1):  # at most one new touching component per pass
        touching = np.isfinite(entries) & (entries <= reach[None, :] + GAP_TOLERANCE_CM) & (exits > reach[None, :])
        extended = np.where(touching, exits, -np.inf).max(axis=0)
        if not np.any(extended > reach):
            break
        reach = np.maximum(reach, extended)
    return np.asarray(np.where(start, reach, np.nan))


def contained(
    vertex: ArrayLike,
    momentum: ArrayLike,
    pdg_id: ArrayLike,
    solid: Solid | Union,
    mat: str | Material = "LAr",
) -> NDArray[np.bool_]:
    """Whether the straight track of CSDA length R(|p|) from ``vertex`` (n, 3) [cm] along ``momentum`` ((n, 3)
    or (n, 4) four-momenta (px, py, pz, E) [GeV]) stays inside ``solid`` (facility frame), for particles
    ``pdg_id`` (scalar or (n,); μ±, π±, K±, p) in material ``mat``. False for a vertex outside the solid.

    Neglects multiple scattering, range straggling and hadronic interactions (module docstring)."""
    p4 = np.atleast_2d(np.asarray(momentum, dtype=float))
    if p4.ndim != 2 or p4.shape[1] not in (3, 4):
        raise ConfigError(f"momentum must have shape (n, 3) or (n, 4); got {p4.shape}")
    p3 = p4[:, :3]
    p = np.linalg.norm(p3, axis=1)
    direction = np.where(p[:, None] > 0, p3 / np.where(p > 0, p, 1.0)[:, None], np.array([0.0, 0.0, 1.0]))
    reach = exit_distance(vertex, direction, solid)
    track = csda_range(p, pdg_id, mat)
    return np.asarray(np.isfinite(reach) & (track <= np.nan_to_num(reach, nan=-1.0)))
