"""BNB meson production at the target: MiniBooNE's fits to p + Be data at 8.89 GeV/c.

Source: A.A. Aguilar-Arevalo et al. (MiniBooNE), "The neutrino flux prediction at MiniBooNE", PRD 79, 072002
(2009), arXiv:0806.1449, Sec. III (hadron production): the Sanford–Wang fits for π⁺, π⁻ (HARP and E910 p+Be
data) and K⁰_S (E910, Abe et al.), and the Feynman-scaling fit for K⁺ (data at 9.5–24 GeV/c), with the
parameter tables of that section (transcribed below; units mb/(GeV/c sr), p in GeV/c, θ in rad).

* Sanford–Wang (J.R. Sanford and C.L. Wang, BNL 11299/11479 (1967); PRD 79, 072002 Eq. (5)):
  d²σ/dp dΩ = c1 p^c2 (1 − p/(p_B − c9)) exp[−c3 p^c4 / p_B^c5 − c6 θ (p − c7 p_B cos^c8 θ)].
* Feynman scaling for K⁺ (PRD 79, 072002 Eq. (9); C. Mariani et al., PRD 84, 114021 (2011)):
  d²σ/dp dΩ = (p²/E) c1 (1 − |x_F|) exp[−c2 p_T − c3 |x_F|^c4 − c5 p_T² − c7 |p_T x_F|^c6],
  x_F = p*_L / p*_max in the proton–nucleon centre-of-mass frame, with p*_max = √s/2 (massless limit).

Normalisation (DarkBeam's prescription, not the paper's full Geant4 simulation): the number of hadrons of a
species per POT is

    N_h = P_int × ∫ d²σ/dp dΩ dp dΩ / σ_inel,   P_int = 1 − exp(−L/λ_I),  σ_inel = A / (N_A λ_I),

with λ_I the PDG nuclear interaction length of Be (77.8 g/cm²; σ_inel = 192.4 mb) and L = 71.1 cm, so that the
same σ_inel fixes both the number of primary interactions and the multiplicity per interaction. Neglected:
tertiary production by re-interacting protons and pions (~7 % of the π⁺ ν_μ per the MiniBooNE flux page) and
quasi-elastic proton scattering. The production point is the primary interaction point: on the beam axis, at a
depth drawn from exp(−z/λ_I) truncated to the target; the production time is z/c.

π⁰ and η (documented prescription, not measured at 8.89 GeV/c): d²σ(π⁰) = [d²σ(π⁺) + d²σ(π⁻)]/2 (isospin
average, as in P. deNiverville, C.-Y. Chen, M. Pospelov, A. Ritz, PRD 95, 035006 (2017), arXiv:1609.01770,
Sec. III.A, for the BNB); η with the π⁰ shape and η/π⁰ = 1/30 (ibid., the BNB η rate). K⁰_L = K⁰_S (the
paper's assumption for neutral kaons). The Sanford–Wang form has cos^c8 θ with non-integer c8: the grids cover
0 ≤ θ ≤ π/2 (backward production is negligible at these energies).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..beams import BeamSpec
from ..errors import ConfigError
from ..units import C_LIGHT, N_AVOGADRO
from .hadrons import HadronSample

FloatArray = NDArray[np.float64]

#: atomic mass of Be [g/mol] (PDG RPP 2024, Atomic and nuclear properties of materials: Be, A = 9.012182)
A_BERYLLIUM = 9.012182
MB = 1e-27  # 1 mb in cm²

#: Sanford–Wang parameters (c1..c9), PRD 79, 072002 (2009), Sec. III, Sanford–Wang parameter tables for π⁺, π⁻ and
#: K⁰_S production in p + Be at 8.89 GeV/c (c1 in mb/(GeV/c sr)).
SANFORD_WANG: dict[int, tuple[float, ...]] = {
    211: (220.7, 1.080, 1.0, 1.978, 1.32, 5.572, 0.0868, 9.686, 1.0),
    -211: (213.7, 0.9379, 5.454, 1.210, 1.284, 4.781, 0.07338, 8.329, 1.0),
    310: (15.130, 1.975, 4.084, 0.928, 0.731, 4.362, 0.048, 13.300, 1.278),
}
#: Feynman-scaling parameters c1..c7 for K⁺, PRD 79, 072002 (2009), Sec. III, K⁺ Feynman-scaling table.
FEYNMAN_KPLUS: tuple[float, ...] = (11.70, 0.88, 4.77, 1.51, 2.21, 2.17, 1.51)
#: η/π⁰ production ratio at the BNB (deNiverville et al., PRD 95, 035006 (2017), Sec. III.A).
ETA_TO_PI0 = 1.0 / 30.0

SPECIES = (211, -211, 111, 221, 321, 310, 130)


def sanford_wang(p: ArrayLike, theta: ArrayLike, p_beam: float, params: tuple[float, ...]) -> FloatArray:
    """Sanford–Wang d²σ/dp dΩ [mb/(GeV/c sr)] at momentum ``p`` [GeV/c] and angle ``theta`` [rad] to the beam.

    PRD 79, 072002 (2009), Eq. (5). Zero where the kinematic factor (1 − p/(p_B − c9)) is negative.
    """
    c1, c2, c3, c4, c5, c6, c7, c8, c9 = params
    p = np.asarray(p, dtype=float)
    theta = np.asarray(theta, dtype=float)
    cos_t = np.clip(np.cos(theta), 0.0, 1.0)
    kin = np.clip(1.0 - p / (p_beam - c9), 0.0, None)
    with np.errstate(over="ignore", under="ignore"):
        expo = -c3 * p**c4 / p_beam**c5 - c6 * theta * (p - c7 * p_beam * cos_t**c8)
        value = c1 * p**c2 * kin * np.exp(np.minimum(expo, 50.0))
    return np.asarray(np.where(kin > 0, value, 0.0))


def feynman_scaling_kplus(p: ArrayLike, theta: ArrayLike, p_beam: float) -> FloatArray:
    """K⁺ d²σ/dp dΩ [mb/(GeV/c sr)] from MiniBooNE's Feynman-scaling fit, PRD 79, 072002 (2009), Eq. (9).

    x_F = p*_L / p*_max with p*_max = √s/2 in the proton–nucleon CM frame (nucleon at rest, mass m_p).
    """
    c1, c2, c3, c4, c5, c6, c7 = FEYNMAN_KPLUS
    p = np.asarray(p, dtype=float)
    theta = np.asarray(theta, dtype=float)
    m_k, m_p = pdg.mass(321), pdg.mass(2212)
    e_beam = np.hypot(p_beam, m_p)
    s = 2 * m_p**2 + 2 * m_p * e_beam
    gamma_cm = (e_beam + m_p) / np.sqrt(s)
    beta_gamma_cm = p_beam / np.sqrt(s)
    energy = np.sqrt(p**2 + m_k**2)
    p_t = p * np.sin(theta)
    p_l_cm = gamma_cm * p * np.cos(theta) - beta_gamma_cm * energy
    x_f = np.abs(p_l_cm / (np.sqrt(s) / 2.0))
    with np.errstate(over="ignore", under="ignore"):
        value = (
            (p**2 / energy)
            * c1
            * (1.0 - x_f)
            * np.exp(-c2 * p_t - c3 * x_f**c4 - c5 * p_t**2 - c7 * np.abs(p_t * x_f) ** c6)
        )
    return np.asarray(np.where(x_f < 1.0, value, 0.0))


def d2sigma(pdg_id: int, p: ArrayLike, theta: ArrayLike, p_beam: float) -> FloatArray:
    """d²σ/dp dΩ [mb/(GeV/c sr)] for species ``pdg_id`` in p + Be at ``p_beam`` [GeV/c] (prescriptions above)."""
    if pdg_id in (211, -211, 310):
        return sanford_wang(p, theta, p_beam, SANFORD_WANG[pdg_id])
    if pdg_id == 130:
        return sanford_wang(p, theta, p_beam, SANFORD_WANG[310])
    if pdg_id == 111:
        return 0.5 * (
            sanford_wang(p, theta, p_beam, SANFORD_WANG[211]) + sanford_wang(p, theta, p_beam, SANFORD_WANG[-211])
        )
    if pdg_id == 221:
        return ETA_TO_PI0 * d2sigma(111, p, theta, p_beam)
    if pdg_id == 321:
        return feynman_scaling_kplus(p, theta, p_beam)
    raise ConfigError(
        f"pdg = {pdg_id} is not allowed for the BNB Sanford-Wang source; allowed: {', '.join(map(str, SPECIES))}"
    )


@dataclass(frozen=True)
class _Grid:
    p_edges: FloatArray
    theta_edges: FloatArray
    cdf: FloatArray  # cumulative cell probabilities (flattened, p-major)
    integral_mb: float  # ∫ d²σ/dp dΩ dp dΩ [mb]


@cache
def _grid(pdg_id: int, p_beam: float, n_p: int = 320, n_theta: int = 320) -> _Grid:
    """Midpoint-rule grid of dσ/dp dθ = 2π sin θ d²σ/dp dΩ on p ∈ (0, p_B), θ ∈ (0, π/2) (θ edges ∝ u², dense
    at small angles)."""
    p_edges = np.linspace(0.0, p_beam, n_p + 1)
    theta_edges = (np.pi / 2) * np.linspace(0.0, 1.0, n_theta + 1) ** 2
    p_mid = 0.5 * (p_edges[1:] + p_edges[:-1])
    t_mid = 0.5 * (theta_edges[1:] + theta_edges[:-1])
    pp, tt = np.meshgrid(p_mid, t_mid, indexing="ij")
    density = d2sigma(pdg_id, pp, tt, p_beam) * 2 * np.pi * np.sin(tt)
    cells = density * np.diff(p_edges)[:, None] * np.diff(theta_edges)[None, :]
    total = float(cells.sum())
    return _Grid(p_edges, theta_edges, np.cumsum(cells.ravel()) / total, total)


@dataclass(frozen=True)
class SanfordWangSource:
    """:class:`~darkbeam.production.HadronSource` for the BNB: π±, π⁰, η, K⁺, K⁰_S, K⁰_L from p + Be at 8.89 GeV/c.

    Built from a beam catalogue entry whose target is beryllium (``darkbeam.beams.get("bnb")``). Samples (p, θ)
    by inverse CDF over a 320 × 320 grid of cells (uniform within the chosen cell), φ uniform; every row has weight
    :meth:`multiplicity` / n.
    """

    beam: BeamSpec

    def __post_init__(self) -> None:
        if self.beam.target.material.name != "Be":
            raise ConfigError(
                f"beam {self.beam.name!r} has target material {self.beam.target.material.name!r}; the "
                "Sanford-Wang BNB fits are for beryllium only (allowed: Be)"
            )

    @property
    def species(self) -> tuple[int, ...]:
        return SPECIES

    @property
    def p_beam(self) -> float:
        """Proton momentum [GeV/c]."""
        return self.beam.proton.momentum_gev.value

    @property
    def sigma_inel_mb(self) -> float:
        """p + Be inelastic cross section σ_inel = A/(N_A λ_I) [mb] from the PDG interaction length."""
        return A_BERYLLIUM / (N_AVOGADRO * self.beam.target.material.interaction_length_g_cm2.value) / MB

    @property
    def interaction_probability(self) -> float:
        """Probability that a proton interacts in the target, 1 − exp(−L/λ_I)."""
        return float(-np.expm1(-self.beam.target.interaction_lengths))

    def grid(self, pdg_id: int) -> _Grid:
        if pdg_id not in SPECIES:
            raise ConfigError(f"pdg = {pdg_id} is not allowed; allowed: {', '.join(map(str, SPECIES))}")
        return _grid(pdg_id, self.p_beam)  # cached per (species, beam momentum); arrays are never modified

    def cross_section_mb(self, pdg_id: int) -> float:
        """∫ d²σ/dp dΩ over p and 0 ≤ θ ≤ π/2 [mb]: the inclusive production cross section."""
        return self.grid(pdg_id).integral_mb

    def multiplicity(self, pdg_id: int) -> float:
        """Hadrons of ``pdg_id`` per POT: P_int × σ_h / σ_inel."""
        return self.interaction_probability * self.cross_section_mb(pdg_id) / self.sigma_inel_mb

    def sample(self, pdg_id: int, n: int, rng: np.random.Generator) -> HadronSample:
        """``n`` hadrons of ``pdg_id``; Σ weight = :meth:`multiplicity`."""
        if n < 1:
            raise ConfigError(f"n = {n} is not allowed; it must be >= 1")
        g = self.grid(pdg_id)
        n_theta = len(g.theta_edges) - 1
        cell = np.minimum(np.searchsorted(g.cdf, rng.random(n), side="right"), len(g.cdf) - 1)
        ip, it = np.divmod(cell, n_theta)
        p = rng.uniform(g.p_edges[ip], g.p_edges[ip + 1])
        theta = rng.uniform(g.theta_edges[it], g.theta_edges[it + 1])
        phi = rng.uniform(0.0, 2 * np.pi, n)
        mass = pdg.mass(pdg_id)
        sin_t = np.sin(theta)
        momentum = np.stack(
            [p * sin_t * np.cos(phi), p * sin_t * np.sin(phi), p * np.cos(theta), np.hypot(p, mass)], axis=1
        )
        length = self.beam.target.length_cm.value
        lam = self.beam.target.material.interaction_length_cm
        # depth of the primary interaction: exp(−z/λ) truncated to [0, L] (inverse CDF)
        z = -lam * np.log1p(rng.random(n) * np.expm1(-length / lam))
        vertex = np.zeros((n, 3))
        vertex[:, 2] = z
        weight = np.full(n, self.multiplicity(pdg_id) / n)
        return HadronSample(pdg_id, momentum, vertex, z / C_LIGHT, weight)
