"""Proton bremsstrahlung p N → p N X of a light vector (dark photon) or scalar, quasi-real (Fermi–Weizsäcker–Williams).

The beam proton radiates X before its first inelastic interaction; the emission is an initial-state splitting
p → p* X with X carrying the fraction z of the beam momentum along the beam (p_∥ = z P) and transverse momentum p_T.
Per *interacting* beam proton (J. Blümlein, J. Brunner, Phys. Lett. B 731 (2014) 320, arXiv:1311.3870, Sec. 2;
equation numbers not re-checked):

    d²N/(dz dp_T²) = σ_pp(s′)/σ_pp(s) · |F(m²)|² · w(z, p_T²),      s = 2 M E_p,  s′ = 2 M (E_p − E_X),

* vector X (coupling ε e to the proton's electromagnetic current; 1311.3870), with
  H(z, p_T²) = p_T² + (1 − z) m² + z² M²:

      w_V = ε² α/(2π H) · { [1 + (1 − z)²]/z − 2z(1 − z) [(2M² + m²)/H − 2 z² M⁴/H²]
                            + 2z(1 − z)[1 + (1 − z)²] M² m²/H² + 2z(1 − z)² m⁴/H² },

  and F(m²) the timelike electromagnetic (Dirac) form factor of the proton in vector-meson dominance with ρ, ρ′, ρ″,
  ω, ω′, ω″ (A. Faessler, M.I. Krivoruchenko, B.V. Martemyanov, arXiv:0910.5589, the time-like nucleon form
  factor fit), as used for MiniBooNE-DM by P. deNiverville, C.-Y. Chen, M. Pospelov, A. Ritz, PRD 95, 035006 (2017),
  arXiv:1609.01770, Sec. II (proton bremsstrahlung): F(q²) = Σ_V f_V m_V²/(m_V² − q² − i m_V Γ_V),
  see :data:`VMD_POLES`.

* scalar X (Yukawa coupling g to the proton, L ⊃ −g_SNN sin θ S p̄p, g_SNN = 1.2 × 10⁻³: white paper
  "Dark Sector Studies with Neutrino Beams", Snowmass 2021 NF03, arXiv:2207.00597, Sec. 5.1, Eq. (11), citing
  I. Boiarska et al., JHEP 11 (2019) 162, arXiv:1904.10447, for the low-energy theorem). The splitting
  function at unit Yukawa coupling, from the light-cone vertex ½Tr[(p̸′ + M)(P̸ + M)] = [p_T² + (2 − z)² M²]/(1 − z)
  and the energy denominator H/(z(1 − z)) (derived here; same structure as 1904.10447 App. and S. Foroughi-Abari,
  A. Ritz, PRD 105, 095045 (2022), arXiv:2108.05900, Sec. III):

      w_S = g²/(16π²) · z [p_T² + (2 − z)² M²]/H²        (massless limit: g² z/(16π² p_T²), the Yukawa splitting),

  with no timelike scalar form factor (the 0⁺⁺ resonance mixing of 2108.05900 is not modelled) but the off-shell
  proton form factor F_p = Λ_p⁴/(Λ_p⁴ + (p̃² − M²)²) on the intermediate proton, |p̃² − M²| = H/z, Λ_p ∈ [1, 2] GeV
  (central 1.5 GeV) as the uncertainty band of the white paper (Sec. 5.1 after Eq. (11); 2108.05900). The same
  factor is available for vectors (``lambda_p``; default off, as in 1311.3870).

* σ_pp(s): total pp cross section, PDG fit σ = Z + B ln²(s/s_M) + Y₁ (s₁/s)^η₁ − Y₂ (s₁/s)^η₂ with the pp
  parameters of PDG RPP 2010 (K. Nakamura et al., J. Phys. G 37, 075021, "Plots of cross sections and related
  quantities", COMPETE-type fit: Z = 35.45 mb, B = 0.308 mb, √s_M = 5.38 GeV, Y₁ = 42.53 mb, η₁ = 0.458,
  Y₂ = 33.34 mb, η₂ = 0.545; the same set is used for this ratio in SHiP's dark-photon bremsstrahlung generator).
  It gives 39.9 mb at p_lab = 8.89 GeV/c (measured ≈ 40 mb; tested). Only the ratio enters; at the BNB it is
  1.00-1.15 over the allowed z range.

Validity (1311.3870 Sec. 2): E_p, E_X, E_p − E_X ≫ M, m, p_T. :class:`BremsstrahlungCuts` keeps z_min < z < z_max,
p_T < p_T,max and E_X, E_p − E_X ≥ k m. Defaults are BdNMC's MiniBooNE-DM settings (1609.01770 App. B: ``zmin`` 0.3,
``zmax`` 0.7, ``ptmax`` 0.2 GeV; the run scripts raise zmin to 3 m_V/E_beam and set zmax = 1 − zmin, i.e. k = 3).
Blümlein–Brunner's own region (0.1 < z < 0.9, p_T < 1 GeV) is :data:`BLUMLEIN_BRUNNER_CUTS`.

Sampling (:func:`sample_bremsstrahlung`): z uniform on the allowed interval, p_T² from the density ∝ 1/(p_T² + H₀),
H₀ = (1 − z) m² + z² M² (inverse CDF), azimuth uniform; the weight of each row = parent weight × d²N/(dz dp_T²) /
(sampling density), so Σ weight = X per POT at unit coupling (ε = 1, resp. g = 1). X four-momentum in the lab:
(p_T cos φ, p_T sin φ, z P) about the proton direction, E = (m² + p_T² + z² P²)^{1/2}.

:class:`BeamProtonSource` turns a beam catalogue entry into "parent" protons (PDG 2212) at the interaction point,
weight = P_int = 1 − exp(−L/λ_I) per POT (the catalogue's target or dump), so that the parent-based production
stage handles bremsstrahlung like a decay: a model declares a production channel from parent 2212.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..beams import get as get_beam
from ..errors import ConfigError, KinematicsError, check_choice, check_positive
from ..flux import FluxSample
from ..kinematics import orthonormal_basis
from ..units import ALPHA_EM, C_LIGHT
from .parents import ParentDecays

if TYPE_CHECKING:
    from ..models.base import DarkModel

FloatArray = NDArray[np.float64]
Spin = Literal["vector", "scalar"]

__all__ = [
    "BDNMC_CUTS",
    "BLUMLEIN_BRUNNER_CUTS",
    "G_SNN",
    "PROTON_PDG",
    "BeamProtonSource",
    "BeamProtons",
    "BremsstrahlungCuts",
    "bremsstrahlung_density",
    "bremsstrahlung_yield",
    "h_function",
    "offshell_proton_form_factor",
    "produce_bremsstrahlung",
    "proton_timelike_form_factor",
    "sample_bremsstrahlung",
    "scalar_splitting",
    "sigma_pp_total_mb",
    "vector_splitting",
]

PROTON_PDG = 2212
#: proton mass [GeV] (PDG RPP 2024)
M_PROTON = 0.93827208816
#: Higgs-portal scalar–nucleon coupling g_SNN (white paper arXiv:2207.00597, Sec. 5.1, Eq. (11); arXiv:1904.10447)
G_SNN = 1.2e-3

#: (f_V, m_V [GeV], Γ_V [GeV]) of the VMD proton form factor, ρ, ρ′, ρ″, ω, ω′, ω″ (Faessler, Krivoruchenko,
#: Martemyanov, arXiv:0910.5589; the values used by deNiverville et al., arXiv:1609.01770, and in their code
#: BdNMC, src/Proton_Brem_Distribution.cpp). Σ f_V = 0.999 (F(0) = 1 to 0.1 %).
VMD_POLES: tuple[tuple[float, float, float], ...] = (
    (0.616, 0.77, 0.15),
    (0.223, 1.25, 0.3),
    (-0.339, 1.45, 0.5),
    (1.011, 0.77, 0.0085),
    (-0.881, 1.25, 0.3),
    (0.369, 1.45, 0.5),
)

#: PDG RPP 2010 pp total cross-section fit (module docstring): Z, B, Y1, Y2 [mb], η1, η2, s1 and s_M [GeV²].
#: Valid for √s ≳ 5 GeV (extrapolated below); used only as the ratio σ(s′)/σ(s).
PP_TOTAL_FIT = {
    "Z": 35.45,
    "B": 0.308,
    "Y1": 42.53,
    "Y2": 33.34,
    "eta1": 0.458,
    "eta2": 0.545,
    "s1": 1.0,
    "s_M": 5.38**2,
}


@dataclass(frozen=True)
class BremsstrahlungCuts:
    """Region where the quasi-real approximation is used: ``z_min`` < z < ``z_max``, p_T < ``pt_max`` [GeV], and
    E_X ≥ k m, E_p − E_X ≥ k m with k = ``energy_over_mass`` (E_X ≈ z E_p)."""

    z_min: float = 0.3
    z_max: float = 0.7
    pt_max: float = 0.2
    energy_over_mass: float = 3.0

    def __post_init__(self) -> None:
        if not 0.0 < self.z_min < self.z_max < 1.0:
            raise ConfigError(
                f"z_min = {self.z_min!r}, z_max = {self.z_max!r} are not allowed; need 0 < z_min < z_max < 1"
            )
        check_positive("pt_max", self.pt_max)
        check_positive("energy_over_mass", self.energy_over_mass, allow_zero=True)

    def z_range(self, mass: float, beam_energy: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Allowed (z_lo, z_hi) per beam energy [GeV]; empty where z_lo ≥ z_hi."""
        e = np.asarray(beam_energy, dtype=float)
        k = self.energy_over_mass * mass / e
        return np.maximum(self.z_min, k), np.minimum(self.z_max, 1.0 - k)


#: BdNMC's MiniBooNE-DM settings (arXiv:1609.01770 App. B; module docstring)
BDNMC_CUTS = BremsstrahlungCuts()
#: Blümlein & Brunner's region, arXiv:1311.3870 Sec. 2 (0.1 < z < 0.9, p_T < 1 GeV); no energy/mass condition
BLUMLEIN_BRUNNER_CUTS = BremsstrahlungCuts(z_min=0.1, z_max=0.9, pt_max=1.0, energy_over_mass=0.0)


# ---------------------------------------------------------------------------------------------- formulas
def h_function(z: ArrayLike, pt2: ArrayLike, mass: float) -> FloatArray:
    """H = p_T² + (1 − z) m² + z² M² [GeV²] (1311.3870 Sec. 2)."""
    z = np.asarray(z, dtype=float)
    return np.asarray(np.asarray(pt2, dtype=float) + (1.0 - z) * mass**2 + z**2 * M_PROTON**2)


def vector_splitting(z: ArrayLike, pt2: ArrayLike, mass: float) -> FloatArray:
    """w_V(z, p_T²) [GeV⁻²] at ε = 1 (1311.3870 Sec. 2; module docstring): vector emission probability per dz dp_T²."""
    z = np.asarray(z, dtype=float)
    h = h_function(z, pt2, mass)
    m2, mp2 = mass**2, M_PROTON**2
    zz = 2.0 * z * (1.0 - z)
    brace = (
        (1.0 + (1.0 - z) ** 2) / z
        - zz * ((2.0 * mp2 + m2) / h - 2.0 * z**2 * mp2**2 / h**2)
        + zz * (1.0 + (1.0 - z) ** 2) * mp2 * m2 / h**2
        + zz * (1.0 - z) * m2**2 / h**2
    )
    return np.asarray(ALPHA_EM / (2.0 * np.pi * h) * brace)


def scalar_splitting(z: ArrayLike, pt2: ArrayLike, mass: float) -> FloatArray:
    """w_S(z, p_T²) [GeV⁻²] at unit Yukawa coupling g = 1: g² z [p_T² + (2 − z)² M²]/(16π² H²) (module docstring)."""
    z = np.asarray(z, dtype=float)
    pt2 = np.asarray(pt2, dtype=float)
    h = h_function(z, pt2, mass)
    return np.asarray(z * (pt2 + (2.0 - z) ** 2 * M_PROTON**2) / (16.0 * np.pi**2 * h**2))


def proton_timelike_form_factor(q2: ArrayLike) -> NDArray[np.complex128]:
    """F(q²) = Σ_V f_V m_V²/(m_V² − q² − i m_V Γ_V) (arXiv:0910.5589; arXiv:1609.01770); q² [GeV²]."""
    q2 = np.asarray(q2, dtype=float)
    out = np.zeros(q2.shape, dtype=complex)
    for f, m, width in VMD_POLES:
        out += f * m**2 / (m**2 - q2 - 1j * m * width)
    return out


def offshell_proton_form_factor(z: ArrayLike, pt2: ArrayLike, mass: float, lambda_p: float) -> FloatArray:
    """F_p = Λ_p⁴/(Λ_p⁴ + (H/z)²) for the intermediate proton's virtuality |p̃² − M²| = H/z (module docstring)."""
    virtuality = h_function(z, pt2, mass) / np.asarray(z, dtype=float)
    return np.asarray(lambda_p**4 / (lambda_p**4 + virtuality**2))


def sigma_pp_total_mb(s: ArrayLike) -> FloatArray:
    """Total pp cross section [mb] at s [GeV²] (PDG RPP 2010 fit, :data:`PP_TOTAL_FIT`)."""
    p = PP_TOTAL_FIT
    s = np.asarray(s, dtype=float)
    s_m = p["s_M"]
    regge = p["Y1"] * (p["s1"] / s) ** p["eta1"] - p["Y2"] * (p["s1"] / s) ** p["eta2"]
    return np.asarray(p["Z"] + p["B"] * np.log(s / s_m) ** 2 + regge)


def bremsstrahlung_density(
    z: ArrayLike,
    pt2: ArrayLike,
    mass: float,
    beam_momentum: ArrayLike,
    spin: Spin = "vector",
    lambda_p: float | None = None,
) -> FloatArray:
    """d²N/(dz dp_T²) [GeV⁻²] per interacting proton at unit coupling (module docstring), no cuts applied.

    ``beam_momentum`` [GeV]; ``spin`` "vector" (ε = 1, with the VMD form factor) or "scalar" (g = 1);
    ``lambda_p`` [GeV]: off-shell proton form factor scale (None: not applied).
    """
    check_choice("spin", spin, ("vector", "scalar"))
    z = np.asarray(z, dtype=float)
    pt2 = np.asarray(pt2, dtype=float)
    p_beam = np.asarray(beam_momentum, dtype=float)
    e_p = np.sqrt(p_beam**2 + M_PROTON**2)
    e_x = np.sqrt(mass**2 + pt2 + (z * p_beam) ** 2)
    s = 2.0 * M_PROTON * e_p
    s_prime = 2.0 * M_PROTON * np.clip(e_p - e_x, 1e-9, None)
    ratio = sigma_pp_total_mb(s_prime) / sigma_pp_total_mb(s)
    if spin == "vector":
        density = ratio * np.abs(proton_timelike_form_factor(mass**2)) ** 2 * vector_splitting(z, pt2, mass)
    else:
        density = ratio * scalar_splitting(z, pt2, mass)
    if lambda_p is not None:
        density = density * offshell_proton_form_factor(z, pt2, mass, check_positive("lambda_p", lambda_p)) ** 2
    return np.asarray(density)


def bremsstrahlung_yield(
    mass: float,
    beam_momentum: float,
    spin: Spin = "vector",
    cuts: BremsstrahlungCuts = BDNMC_CUTS,
    lambda_p: float | None = None,
    nodes: int = 64,
) -> float:
    """∫∫ d²N/(dz dp_T²) over the cuts: X per interacting proton at unit coupling (Gauss–Legendre in z and in
    ln(p_T² + H₀)); 0 if the z range is empty."""
    check_positive("mass", mass)
    e_p = float(np.hypot(beam_momentum, M_PROTON))
    lo, hi = (float(v) for v in cuts.z_range(mass, e_p))
    if lo >= hi:
        return 0.0
    x, w = np.polynomial.legendre.leggauss(nodes)
    z = 0.5 * (hi - lo) * x + 0.5 * (hi + lo)
    wz = 0.5 * (hi - lo) * w
    h0 = h_function(z, 0.0, mass)
    # u = ln(p_T² + H₀) from ln H₀ to ln(p_T,max² + H₀); dp_T² = (p_T² + H₀) du
    u_lo, u_hi = np.log(h0), np.log(cuts.pt_max**2 + h0)
    u = 0.5 * (u_hi - u_lo)[:, None] * x[None, :] + 0.5 * (u_hi + u_lo)[:, None]
    wu = 0.5 * (u_hi - u_lo)[:, None] * w[None, :]
    pt2 = np.exp(u) - h0[:, None]
    density = bremsstrahlung_density(z[:, None], pt2, mass, beam_momentum, spin, lambda_p)
    return float(np.sum(wz[:, None] * wu * np.exp(u) * density))


# ---------------------------------------------------------------------------------------------- sampling
@dataclass(frozen=True)
class BeamProtons(ParentDecays):
    """Interacting beam protons (``pdg`` 2212) as parents of bremsstrahlung, with the validity cuts to use."""

    cuts: BremsstrahlungCuts = BDNMC_CUTS


def sample_bremsstrahlung(
    parents: ParentDecays,
    mass: float,
    rng: np.random.Generator,
    spin: Spin = "vector",
    lambda_p: float | None = None,
    cuts: BremsstrahlungCuts | None = None,
) -> tuple[FloatArray, FloatArray]:
    """One X of ``mass`` [GeV] per parent proton: lab four-momenta (n, 4) [GeV] and weights (n,) = parent weight ×
    d²N/(dz dp_T²)/(sampling density) at unit coupling (Σ weight = X per POT). ``cuts``: default the parents' own
    (:class:`BeamProtons`) or :data:`BDNMC_CUTS`. Raises :class:`KinematicsError` if the z range is empty for all.
    """
    check_positive("mass", mass)
    if parents.pdg != PROTON_PDG:
        raise KinematicsError(f"bremsstrahlung needs proton parents (pdg 2212); got pdg {parents.pdg}")
    if cuts is None:
        cuts = parents.cuts if isinstance(parents, BeamProtons) else BDNMC_CUTS
    n = len(parents)
    p3 = parents.momentum[:, :3]
    p_beam = np.linalg.norm(p3, axis=1)
    e_p = np.sqrt(p_beam**2 + M_PROTON**2)
    lo, hi = cuts.z_range(mass, e_p)
    open_ = hi > lo
    if not np.any(open_):
        raise KinematicsError(
            f"mass {mass} GeV: no bremsstrahlung region for a {float(np.max(p_beam)):.4g} GeV/c proton with "
            f"{cuts} (need z_min < z < z_max and E_X, E_p - E_X >= {cuts.energy_over_mass} m)"
        )
    width = np.where(open_, hi - lo, 0.0)
    z = lo + width * rng.random(n)
    h0 = h_function(z, 0.0, mass)
    log_span = np.log1p(cuts.pt_max**2 / h0)
    pt2 = h0 * np.expm1(rng.random(n) * log_span)
    pdf = 1.0 / ((pt2 + h0) * log_span) / np.where(open_, width, 1.0)
    density = bremsstrahlung_density(z, pt2, mass, p_beam, spin, lambda_p)
    weight = np.where(open_, parents.weight * density / pdf, 0.0)
    pt = np.sqrt(pt2)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    e1, e2, e3 = orthonormal_basis(np.where(p_beam[:, None] > 0, p3, [0.0, 0.0, 1.0]))
    momentum = np.empty((n, 4))
    momentum[:, :3] = (pt * np.cos(phi))[:, None] * e1 + (pt * np.sin(phi))[:, None] * e2 + (z * p_beam)[:, None] * e3
    momentum[:, 3] = np.sqrt(mass**2 + pt2 + (z * p_beam) ** 2)
    return momentum, np.asarray(weight)


@dataclass(frozen=True)
class BeamProtonSource:
    """Beam protons interacting in ``beam``'s target (or dump) as parents (PDG 2212) of bremsstrahlung.

    Momentum: the catalogue's beam momentum along +z; vertex: on the axis at the target face (the absorber face for
    a dump beam, ``kind = "dump"``) plus an exponential depth in λ_I truncated to the target length; time = z/c;
    weight: P_int = 1 − exp(−L/λ_I) per POT (Σ weight). ``cuts``: the bremsstrahlung validity region travelling
    with the parents (:class:`BeamProtons`).
    """

    beam: str
    cuts: BremsstrahlungCuts = BDNMC_CUTS

    @property
    def parent_pdg(self) -> int:
        return PROTON_PDG

    def interaction_probability(self) -> float:
        """P_int = 1 − exp(−L/λ_I) of the beam's target."""
        return float(-np.expm1(-get_beam(self.beam).target.interaction_lengths))

    def sample(self, n: int, rng: np.random.Generator) -> BeamProtons:
        spec = get_beam(self.beam)
        check_positive("n", n)
        p = spec.proton.momentum_gev.value
        lam = spec.target.material.interaction_length_cm
        length = spec.target.length_cm.value
        depth = -lam * np.log1p(rng.random(n) * np.expm1(-length / lam))
        face = spec.absorber.position_cm.value if spec.kind == "dump" and spec.absorber is not None else 0.0
        vertex = np.zeros((n, 3))
        vertex[:, 2] = face + depth
        momentum = np.zeros((n, 4))
        momentum[:, 2] = p
        momentum[:, 3] = np.hypot(p, M_PROTON)
        weight = np.full(n, self.interaction_probability() / n)
        return BeamProtons(PROTON_PDG, momentum, vertex, vertex[:, 2] / C_LIGHT, weight, cuts=self.cuts)


def produce_bremsstrahlung(model: DarkModel, parents: ParentDecays, rng: np.random.Generator) -> FluxSample:
    """The model's dark particle from proton parents (pdg 2212) through its bremsstrahlung channels.

    The model declares ``ProductionChannel(2212, name, (2212,))`` and, in ``production_branching_ratios()[2212]``,
    the coupling factor of the channel (ε² for a dark photon, (g_SNN sin θ)² for a Higgs-portal scalar: the
    splitting functions here are at unit coupling). ``model.bremsstrahlung_spin`` ("vector", the default, or
    "scalar") picks the splitting function and ``model.bremsstrahlung_lambda_p`` (default None; the scalar's
    central value is 1.5 GeV) the off-shell proton form factor. Weights: parent weight × coupling factor ×
    d²N/(dz dp_T²)/(sampling density), i.e. dark particles per POT at the model's coupling.
    """
    # bremsstrahlung channels keep the proton (companion 2212); other parent-2212 channels (Drell–Yan) are not ours
    channels = [c for c in model.production_for(parents.pdg) if PROTON_PDG in c[0].companions]
    if parents.pdg != PROTON_PDG or not channels:
        raise KinematicsError(
            f"{model.name} of mass {model.mass} GeV has no bremsstrahlung channel from pdg {parents.pdg}"
        )
    spin: Spin = "scalar" if getattr(model, "bremsstrahlung_spin", "vector") == "scalar" else "vector"
    lambda_p = getattr(model, "bremsstrahlung_lambda_p", None)
    pieces = []
    for _channel, factor, _conjugated in channels:
        momentum, weight = sample_bremsstrahlung(parents, model.mass, rng, spin, lambda_p)
        pieces.append((momentum, weight * factor))
    k = len(pieces)
    n = len(parents)
    return FluxSample(
        model=model.name,
        mass=model.mass,
        reference_coupling=model.coupling,
        momentum=np.concatenate([p[0] for p in pieces]),
        vertex=np.tile(parents.vertex, (k, 1)),
        time=np.tile(parents.time, k),
        parent_pdg=np.full(n * k, PROTON_PDG, dtype=np.int64),
        parent_momentum=np.tile(parents.momentum, (k, 1)),
        weight=np.concatenate([p[1] for p in pieces]),
        companion_pdg=np.full(n * k, PROTON_PDG, dtype=np.int64),
    )
