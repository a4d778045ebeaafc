"""Dark photon A′ of kinetic mixing ε with the photon (scan coupling ``epsilon``), optionally decaying to dark matter.

The A′ couples to the electromagnetic current with strength ε e, so every visible width is ε² times the width of a
massive photon. Conventions and sources:

* [BPR] B. Batell, M. Pospelov, A. Ritz, PRD 80 (2009) 095024, arXiv:0906.5614 — Γ(A′ → ℓ⁺ℓ⁻) (their Eq. 6) and
  Γ(A′ → hadrons) = Γ(A′ → μ⁺μ⁻)|_{m_μ→0} × R(m²); meson decays P → γA′ (Eq. 8) and ω → π⁰A′.
* [Darkcast] P. Ilten, Y. Soreq, M. Williams, W. Xue, JHEP 06 (2018) 004, arXiv:1801.04847 — Sec. 2: the same
  decomposition (their Eqs. 2.8, 2.15-2.18): Γ(A′ → F) = (α ε² m/3) R_μ^F(m), with R_μ^F = σ(e⁺e⁻ → F)/σ(e⁺e⁻ → μ⁺μ⁻)
  at tree level (massless muons) and a vector-meson-dominance (VMD) description of each exclusive F.
* [KS] J. H. Kühn, A. Santamaria, Z. Phys. C 48 (1990) 445 — pion form factor with ρ, ρ′ and ρ–ω mixing
  (parameters below: their fit, also the TAUOLA defaults).
* [PDG] R. L. Workman et al. (PDG), PTEP 2022 083C01 and 2024 update — ω, φ masses, widths, branching fractions.

Hadronic model (this module's VMD, written from the formulas above; accuracy vs Darkcast in tests/test_dark_photon.py):

* ππ: R = β_π³ |F_π(s)|²/4 with the [KS] form factor.
* K⁺K⁻, K⁰K̄⁰: R = β_K³ |F_K(s)|²/4 with the kaon form factors of [CGK] (Czyż, Grzelińska, Kühn, PRD 81 (2010)
  094014, arXiv:1002.0279, Fit 2): ρ, ω, φ and their radial excitations (ρ(1450), ρ(1700), ω(1420), ω(1650),
  φ(1680)) plus the dual-QCD tower of higher states fixing F(0) = charge (see :func:`kaon_form_factor`). The φ(1020)
  coupling is fixed to the PDG 2024 Γ_ee B(K⁺K⁻) for the PDG mass and width (:func:`_phi_coefficients`; Fit 2's own
  value 0.947 goes with its fitted φ width and would give a peak 10 % low); the φ peak is then 1.00 (K⁺K⁻) and 1.05
  (K⁰K̄⁰) of the narrow-resonance value 9 B_ee B_KK/α².
* π⁺π⁻π⁰: the isospin-0 current of [CGKR] (Czyż, Grzelińska, Kühn, Rodrigo, EPJC 47 (2006) 617, hep-ph/0512180):
  ω, φ, ω(1420), ω(1650) → ρπ plus φ → ρ(1450)π and ω(1650) → ρ(1700)π, integrated over the Dalitz plot
  (:func:`three_pion_r`). ω peak: 11.17 vs 9 B_ee B_3π/α² = 11.13 (PDG 2024). The ω–φ relative sign of the fit
  (constructive below the φ, destructive above) is that of the CMD-2 interference phase χ_φω = 162° ± 17° (quoted by
  N. N. Achasov, A. A. Kozhevnikov, "Measuring the finite width and unitarity corrections to the φω mixing
  amplitude"); it agrees with Darkcast's 3π (whose ω–φ interference grid enters with weight −2 for the dark
  photon) to 20 % at 0.78-1.8 GeV except in the interference dip at 1.03 GeV.
* π⁰γ, ηγ: relativistic Breit–Wigners of the ω and φ,
  R_V→F(s) = 9 s Γ_ee Γ_F(s) / (α² [(s − M²)² + M² Γ²]) (peak value 9 B_ee B_F/α²; the e⁺e⁻ → V → F cross section
  12π Γ_ee Γ_F/[(s − M²)² + M²Γ²] divided by σ_μμ = 4πα²/(3s)), with Γ_F ∝ p³ for V → Pγ (M1 transition).
* multi-hadron continuum (4π and, above ~1.6 GeV, everything else): R_cont = R_uds(s) × T(√s), with the perturbative
  R_uds = 2(1 + α_s/π) (α_s = 0.30 at 1.5-2 GeV, PDG QCD review) and a logistic turn-on
  T = 1/(1 + exp(−(√s − E₀)/w)) (rescaled to vanish at the 4π threshold) with E₀ = 1.334 GeV, w = 0.110 GeV chosen so
  that R_cont ≈ 0.5 at 1.2 GeV and ≈ 1.8 at 1.5 GeV, the approximate sum of the measured σ(e⁺e⁻ → 2π⁺2π⁻) and
  σ(e⁺e⁻ → π⁺π⁻2π⁰) there (BaBar, PRD 85 (2012) 112009 and PRD 96 (2017) 092009). This is an approximation to the
  data, not a fit; it is split into π⁺π⁻π⁺π⁻ : π⁺π⁻π⁰π⁰ = 0.4 : 0.6 (an approximate reading of the same two
  measurements; Darkcast's fit has ≈ 1 : 1 at 1.5 GeV, so the split is uncertain at the 30 % level); above ~1.6 GeV
  these two keys stand for the whole multi-hadron continuum (KKπ, 6π, ηππ, … are not split).
* above 2 m_D: cc̄ continuum 3·(4/9)·(1 + α_s/π)·β(3 − β²)/2 with β from m_D (open charm; the narrow J/ψ and ψ(2S)
  are not included) and τ⁺τ⁻. Validity: m_A′ ≤ :data:`MAX_MASS` = 5 GeV.

Measured agreement with Darkcast (cτ = BR(e⁺e⁻) ratio, tests/test_dark_photon.py): within 10 % at all 200 masses of
FORESEE's Darkcast table 0.01-2 GeV (10 MeV grid; largest deviations +9.1 % at 1.66, −8.2 % at 1.90 GeV; 53 tested)
and, on Darkcast's own 0.5 MeV VMD grid (R_μ^F summed with Darkcast's weights: ω–φ interference × (−2)), at all
masses except 1.0145-1.017 GeV (cτ up to 11.7 % long on the low-side φ shoulder: Darkcast's K K̄ peak sits
≈ 0.4 MeV below the PDG φ mass and has 16 % more area than the PDG-normalised line shape here). Channel level (vs the
same grids): ππ, 3π and K K̄ within ≈ 10-20 % up to 1.05 GeV; K K̄ 0.3-0.75× Darkcast at 1.1-1.7 GeV; Darkcast's K K̄π
(R up to 0.28) and "other" (up to 1.4) channels above 1.4 GeV are not modelled separately, the smooth 4π continuum
carries their share of R (so 4π is 1.1-3× Darkcast's 4π at 1.2-2 GeV); ππ above 1.3 GeV lacks the ρ(1450/1700).

Production channels (:meth:`DarkPhoton.production_channels`; rates per POT come from the parent sources):

* meson decays π⁰, η, η′ → γA′ ([BPR] Eq. 8) and ω → π⁰A′ (m below the kinematic limits);
* proton bremsstrahlung p N → p N A′ (parent 2212, ``BREMSSTRAHLUNG``; coupling factor ε² of the unit-coupling
  splitting function, :mod:`darkbeam.production.bremsstrahlung`, quasi-real Blümlein–Brunner with the VMD form factor);
* Drell–Yan q q̄ → A′ (parent 2212, ``DRELL_YAN``, for m ≥ :data:`DRELL_YAN_MIN_MASS` = 1.5 GeV, the lower end of
  its validity; coupling factor ε² of the ε = 1 table): σ̂ = (4π²αε²Q_q²/3) δ(ŝ − m²), Pythia 8 tables of σ(pp),
  σ(pn) and the (x_F, p_T) spectrum at 120 and 400 GeV/c for 1-6 GeV, σ_pA = Z σ_pp + N σ_pn (E772, PRL 64 (1990)
  2479: α = 1), per interaction A σ_pN/σ_inel(pA) (:mod:`darkbeam.production.drell_yan`). It is served by its own
  parent source (``DrellYanSource``, experiment source kind "drell_yan"); the bremsstrahlung producer takes only the
  parent-2212 channels that keep the proton (companion 2212), so the two never mix.

Invisible decays (dark matter χ of mass ``m_chi`` and dark coupling α_D = ``alpha_dark``; A′ → χχ̄ when m > 2m_χ):

* Dirac fermion χ: Γ = (α_D m/3)(1 + 2m_χ²/m²)(1 − 4m_χ²/m²)^{1/2};
* complex scalar χ: Γ = (α_D m/12)(1 − 4m_χ²/m²)^{3/2}
  (e.g. Batell, Pospelov, Ritz, PRD 80 (2009) 095024, arXiv:0903.3396, Sec. II; de Niverville, Pospelov, Ritz,
  PRD 84 (2011) 075020).

The invisible width does not scale with ε² (it is fixed by α_D): with ``alpha_dark > 0`` and m > 2m_χ the total
width, cτ and the branching ratios change non-trivially with ε, so :meth:`with_coupling` must be used to get them
(production rates still scale exactly as ε²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..errors import ConfigError, KinematicsError, check_choice, check_positive
from ..production.drell_yan import DRELL_YAN, MIN_VALID_MASS
from ..units import ALPHA_EM
from .base import DarkModel, DecayChannel, ProductionChannel, register_model

PROTON = 2212
BREMSSTRAHLUNG = "p N -> p N A'"
#: Drell–Yan channel (q q̄ → A′, darkbeam.production.drell_yan) and the lower end of its validity [GeV]
DRELL_YAN_MIN_MASS = MIN_VALID_MASS

FloatArray = NDArray[np.float64]

__all__ = [
    "CHANNELS",
    "DRELL_YAN",
    "DRELL_YAN_MIN_MASS",
    "MAX_MASS",
    "DarkPhoton",
    "br_meson_to_photon_dark_photon",
    "br_omega_to_pi0_dark_photon",
    "pion_form_factor",
    "r_ratio",
    "three_pion_r",
    "width_to_chi",
    "width_to_hadrons",
    "width_to_leptons",
]

#: largest mass for which the channel list is complete [GeV] (see module docstring)
MAX_MASS = 5.0

M_E = pdg.mass(pdg.ELECTRON)
M_MU = pdg.mass(pdg.MUON)
M_TAU = pdg.mass(pdg.TAU)
M_PI = pdg.mass(pdg.PI_PLUS)
M_PI0 = pdg.mass(pdg.PI0)
M_ETA = pdg.mass(pdg.ETA)
M_KC = pdg.mass(pdg.K_PLUS)
M_K0 = pdg.mass(311)
M_D0 = pdg.mass(421)

# ---- resonance parameters ---------------------------------------------------------------------------------------
#: [KS] fit of the pion form factor: ρ(770) and ρ′ masses and widths [GeV], ρ′ admixture β, ρ–ω mixing δ
KS_M_RHO, KS_G_RHO = 0.773, 0.145
KS_M_RHOP, KS_G_RHOP = 1.370, 0.510
KS_BETA = -0.145
KS_DELTA = 1.9e-3
#: ω(782) [PDG 2024]: mass, width [GeV], B(e⁺e⁻), B(π⁺π⁻π⁰), B(π⁰γ), B(ηγ)
M_OMEGA, G_OMEGA = 0.78266, 8.68e-3
B_OMEGA_EE, B_OMEGA_3PI, B_OMEGA_PI0G, B_OMEGA_ETAG = 7.38e-5, 0.892, 0.0835, 4.5e-4
#: φ(1020) [PDG 2024]: mass, width [GeV], B(e⁺e⁻), B(K⁺K⁻), B(K_L K_S), B(3π incl. ρπ), B(ηγ), B(π⁰γ)
M_PHI, G_PHI = 1.019461, 4.249e-3
B_PHI_EE, B_PHI_KK, B_PHI_K0K0, B_PHI_3PI, B_PHI_ETAG, B_PHI_PI0G = 2.979e-4, 0.491, 0.339, 0.1524, 0.01303, 1.32e-3
#: perturbative α_s used for the light-quark continuum (PDG QCD review: α_s(2 GeV) ≈ 0.30)
ALPHA_S_LOW = 0.30
#: multi-hadron continuum turn-on (see module docstring)
CONT_E0, CONT_W = 1.334, 0.110
#: split of the multi-hadron continuum into π⁺π⁻π⁺π⁻ and π⁺π⁻π⁰π⁰
CONT_FRACTIONS = {"pi+pi-pi+pi-": 0.4, "pi+pi-pi0pi0": 0.6}

#: branching fractions of the parents into two photons [PDG 2024]
BR_TO_GAMMA_GAMMA = {pdg.PI0: 0.98823, pdg.ETA: 0.3936, 331: 0.0231}
#: B(ω → π⁰γ) [PDG 2024]
BR_OMEGA_PI0_GAMMA = B_OMEGA_PI0G

#: decay channels: key → daughters (PDG ids); "chi chi" is the invisible channel (daughters: DarkBeam's χ id)
CHI_PDG_ID = 9900051
CHANNELS: dict[str, tuple[int, ...]] = {
    "e+e-": (11, -11),
    "mu+mu-": (13, -13),
    "tau+tau-": (15, -15),
    "pi+pi-": (211, -211),
    "pi+pi-pi0": (211, -211, 111),
    "pi0gamma": (111, 22),
    "etagamma": (221, 22),
    "K+K-": (321, -321),
    "K0K0bar": (130, 310),
    "pi+pi-pi+pi-": (211, -211, 211, -211),
    "pi+pi-pi0pi0": (211, -211, 111, 111),
    "ccbar": (4, -4),
    "chi chi": (CHI_PDG_ID, -CHI_PDG_ID),
}


# ------------------------------------------------------------------------------------------------- helpers
def _arr(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=float)


def _momentum(sqrt_s: FloatArray, m1: float, m2: float) -> FloatArray:
    """Two-body break-up momentum [GeV], 0 below threshold."""
    s = sqrt_s * sqrt_s
    lam = (s - (m1 + m2) ** 2) * (s - (m1 - m2) ** 2)
    return np.asarray(np.sqrt(np.clip(lam, 0.0, None)) / (2.0 * np.where(sqrt_s > 0, sqrt_s, 1.0)))


def _velocity(sqrt_s: FloatArray, m: float) -> FloatArray:
    """β = (1 − 4m²/s)^{1/2}, 0 below threshold."""
    return np.asarray(np.sqrt(np.clip(1.0 - 4.0 * m * m / (sqrt_s * sqrt_s), 0.0, None)))


def _bw(s: FloatArray, mass: float, width: FloatArray | float) -> NDArray[np.complex128]:
    """Normalised relativistic Breit–Wigner BW(s) = M²/(M² − s − i√s Γ(s)), BW(0) = 1."""
    return np.asarray(mass * mass / (mass * mass - s - 1j * np.sqrt(s) * width))


def _rho_width(s: FloatArray, mass: float, width: float) -> FloatArray:
    """P-wave ρ → ππ energy-dependent width Γ(s) = Γ (M/√s)(p(s)/p(M))³ ([KS] Eq. 13)."""
    rs = np.sqrt(s)
    p = _momentum(rs, M_PI, M_PI)
    p0 = float(_momentum(np.asarray(mass), M_PI, M_PI))
    return np.asarray(np.where(p > 0, width * (mass / np.where(p > 0, rs, 1.0)) * (p / p0) ** 3, 0.0))


def _phi_width(s: FloatArray) -> FloatArray:
    """φ(1020) total width with P-wave K K̄ channels: Γ[B_K⁺K⁻(p/p₀)³ + B_K⁰K̄⁰(p/p₀)³](M/√s) + Γ(1 − B_KK)."""
    rs = np.sqrt(s)
    pc = _momentum(rs, M_KC, M_KC) / float(_momentum(np.asarray(M_PHI), M_KC, M_KC))
    pn = _momentum(rs, M_K0, M_K0) / float(_momentum(np.asarray(M_PHI), M_K0, M_K0))
    kk = (B_PHI_KK * pc**3 + B_PHI_K0K0 * pn**3) * (M_PHI / np.where(rs > 0, rs, 1.0))
    return np.asarray(G_PHI * (kk + 1.0 - B_PHI_KK - B_PHI_K0K0))


# ------------------------------------------------------------------------------------------- form factors
def pion_form_factor(s: ArrayLike) -> NDArray[np.complex128]:
    """Electromagnetic pion form factor F_π(s) of [KS] (Kühn–Santamaria, Z. Phys. C 48 (1990) 445, Eqs. 12-14).

    F_π = [BW_ρ(s) (1 + δ BW_ω(s))/(1 + δ) + β BW_ρ′(s)] / (1 + β), F_π(0) = 1; s in GeV².
    """
    s = _arr(s)
    rho = _bw(s, KS_M_RHO, _rho_width(s, KS_M_RHO, KS_G_RHO))
    rhop = _bw(s, KS_M_RHOP, _rho_width(s, KS_M_RHOP, KS_G_RHOP))
    omega = _bw(s, M_OMEGA, G_OMEGA)
    return np.asarray((rho * (1.0 + KS_DELTA * omega) / (1.0 + KS_DELTA) + KS_BETA * rhop) / (1.0 + KS_BETA))


def _gounaris_sakurai(s: FloatArray, mass: FloatArray | float, width: FloatArray | float) -> NDArray[np.complex128]:
    """Gounaris–Sakurai ρ propagator normalised to 1 at s = 0 (G. J. Gounaris, J. J. Sakurai, PRL 21 (1968) 244).

    BW_GS = M²(1 + dΓ/M)/(M² − s + f(s) − i√s Γ(s)), Γ(s) = Γ(M/√s)(k/k_M)³, k = (s/4 − m_π²)^{1/2},
    f(s) = ΓM²/k_M³ [k²(h(s) − h(M²)) + (M² − s)k_M² h′(M²)], h(s) = (2/π)(k/√s) ln((√s + 2k)/2m_π),
    d = (3/π)m_π²/k_M² ln((M + 2k_M)/2m_π) + M/(2πk_M) − m_π²M/(πk_M³). Valid for s ≥ 4m_π² (used above 2m_K);
    ``mass``, ``width`` may be arrays broadcasting against ``s``.
    """
    mp2 = M_PI * M_PI
    m = np.asarray(mass, dtype=float)
    km = np.sqrt(m * m / 4.0 - mp2)
    log_m = np.log((m + 2.0 * km) / (2.0 * M_PI))
    hm = 2.0 / math.pi * km / m * log_m
    dhm = hm * (1.0 / (8.0 * km * km) - 1.0 / (2.0 * m * m)) + 1.0 / (2.0 * math.pi * m * m)
    d = 3.0 / math.pi * mp2 / (km * km) * log_m + m / (2.0 * math.pi * km) - mp2 * m / (math.pi * km**3)
    rs = np.sqrt(s)
    k = np.sqrt(np.clip(s / 4.0 - mp2, 1e-30, None))
    h = 2.0 / math.pi * k / rs * np.log((rs + 2.0 * k) / (2.0 * M_PI))
    f = width * m * m / km**3 * (k * k * (h - hm) + (m * m - s) * km * km * dhm)
    gam = width * (m / rs) * (k / km) ** 3
    return np.asarray(m * m * (1.0 + d * width / m) / (m * m - s + f - 1j * rs * gam))


def _dual_coefficient(beta: float, n: NDArray[np.int_]) -> FloatArray:
    """Dual-QCD (N_c → ∞) tower coupling c_n = (−1)ⁿ Γ(β − ½)/[Γ(½)(n + ½) Γ(n + 1) Γ(β − 1 − n)] ([CGK] Eq. 8,
    after C. Bruch, A. Khodjamirian, J. H. Kühn, EPJC 39 (2005) 41, Eq. 14); Σ_n c_n = 1.

    Written with Γ(β−1−n)⁻¹ = Γ(2−β+n) sin(π(β−1−n))/π so that large n does not overflow.
    """
    nf = n.astype(float)
    log_ratio = np.array([math.lgamma(2.0 - beta + k) - math.lgamma(k + 1.0) for k in nf])
    sign_ratio = np.array([math.copysign(1.0, math.gamma(2.0 - beta + k)) if k < 3 else 1.0 for k in nf])
    ratio = sign_ratio * np.exp(log_ratio)
    return np.asarray(
        (-1.0) ** nf
        * math.gamma(beta - 0.5)
        / (math.sqrt(math.pi) * (nf + 0.5))
        * np.sin(math.pi * (beta - 1.0 - nf))
        / math.pi
        * ratio
    )


#: [CGK] H. Czyż, A. Grzelińska, J. H. Kühn, PRD 81 (2010) 094014, arXiv:1002.0279, kaon form factors, "Fit 2"
#: (fit-result table of the paper; values as also used in PHOKHARA and Herwig 7's TwoKaonCzyzCurrent): coefficients
#: c_n of the explicitly fitted states (phases 0 or π as signs), masses/widths [GeV] of the excited states (fixed in
#: their fit to PDG values), β of the dual tower, η_φ (SU(3) breaking of the φ(1020) coupling to K⁰K̄⁰), tower
#: widths Γ_n = γ m_n (ω, φ) or Γ_ρ m_n/m_ρ (ρ); tower masses m_n = m_0 (1 + 2n)^{1/2}. The last explicit coefficient
#: of each isospin tower is the one [CGK] fix by the normalisation Σ_n c_n = 1 (reproduced here to the quoted digits).
CGK_RHO_C = (1.120, -0.107, -0.028, 0.032)
CGK_RHO_M, CGK_RHO_G = (0.77549, 1.465, 1.720), (0.1494, 0.400, 0.250)
CGK_OMEGA_C = (1.37, -0.173, -0.621, 0.43)
CGK_OMEGA_M, CGK_OMEGA_G = (0.78265, 1.425, 1.670), (0.00849, 0.215, 0.315)
CGK_PHI_M, CGK_PHI_G = (M_PHI, 1.680), (G_PHI, 0.150)
CGK_BETA_RHO, CGK_BETA_OMEGA, CGK_BETA_PHI = 2.21, 2.75, 1.91
CGK_ETA_PHI, CGK_GAMMA_OMEGA, CGK_GAMMA_PHI = 1.055, 0.5, 0.2
#: number of tower states kept (the tower sum converges as n^{-β-1/2}; 200 states: F(0) = 1 to 2e-4)
CGK_N_MAX = 200


def _cgk_tower(
    explicit_c: tuple[float, ...],
    masses: tuple[float, ...],
    widths: tuple[float, ...],
    beta: float,
    gamma: float | None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Couplings, masses and widths of one [CGK] isospin tower (explicit states first, then the dual tower)."""
    n = np.arange(CGK_N_MAX)
    c = _dual_coefficient(beta, n)
    c[: len(explicit_c)] = explicit_c
    m = masses[0] * np.sqrt(1.0 + 2.0 * n)
    m[: len(masses)] = masses
    g = (widths[0] / masses[0] if gamma is None else gamma) * m
    g[: len(widths)] = widths
    return c, m, g


def _phi_coefficients() -> tuple[float, float, float]:
    """φ-tower coefficients (c_φ0, c_φ1, c_φ2) used with the PDG 2024 φ(1020) mass and width.

    [CGK] fit M_φ, Γ_φ together with c_φ0 = 0.947 (Fit 2), which with the PDG width gives a φ peak 10 % below the
    measured one; here c_φ0 is instead fixed by the PDG 2024 Γ(φ → e⁺e⁻)B(φ → K⁺K⁻): at s = M_φ² the φ term
    dominates, |F_{K⁺}| = (c_φ0/3)(M_φ/Γ_φ), and R = β³|F|²/4 = 9 B_ee B_{K⁺K⁻}/α² (narrow-resonance peak) gives
    c_φ0 = 18 (Γ_φ/M_φ)(B_ee B_{K⁺K⁻}/β³)^{1/2}/α (= 1.000); c_φ1 = 0.0136 (Fit 2) and c_φ2 from [CGK]'s
    normalisation Σ_n c_n = 1 with the dual tower from n = 3.
    """
    beta = float(_velocity(np.asarray(M_PHI), M_KC))
    c0 = 18.0 * (G_PHI / M_PHI) * math.sqrt(B_PHI_EE * B_PHI_KK / beta**3) / ALPHA_EM
    c1 = 0.0136
    tower = float(_dual_coefficient(CGK_BETA_PHI, np.arange(3, CGK_N_MAX)).sum())
    return c0, c1, 1.0 - c0 - c1 - tower


CGK_PHI_C = _phi_coefficients()
_CGK_RHO = _cgk_tower(CGK_RHO_C, CGK_RHO_M, CGK_RHO_G, CGK_BETA_RHO, None)
_CGK_OMEGA = _cgk_tower(CGK_OMEGA_C, CGK_OMEGA_M, CGK_OMEGA_G, CGK_BETA_OMEGA, CGK_GAMMA_OMEGA)
_CGK_PHI = _cgk_tower(CGK_PHI_C, CGK_PHI_M, CGK_PHI_G, CGK_BETA_PHI, CGK_GAMMA_PHI)


def kaon_form_factor(s: ArrayLike, charged: bool) -> NDArray[np.complex128]:
    """Kaon electromagnetic form factors of [CGK] (Czyż–Grzelińska–Kühn, PRD 81 (2010) 094014, Eqs. 5-7, Fit 2).

    F_{K⁺} = ½Σ c_ρn BW_ρn + ⅙Σ c_ωn BW_ωn + ⅓Σ c_φn BW_φn,
    F_{K⁰} = −½Σ c_ρn BW_ρn + ⅙Σ c_ωn BW_ωn + ⅓(η_φ c_φ0 BW_φ0 + Σ_{n≥1} c_φn BW_φn);
    ρ states: Gounaris–Sakurai; ω states: fixed-width BW M²/(M² − s − iMΓ); φ(1020): PDG mass, P-wave width (module
    helper with the PDG channel mix) and c_φ0 from PDG Γ_ee B(K⁺K⁻) (:func:`_phi_coefficients`); excited φ: fixed
    width. Σ_n c_n = 1 for each isospin tower, so F_{K⁺}(0) = 1, F_{K⁰}(0) ≈ 0. s in GeV² (s > 4m_π²).
    """
    s = _arr(s)
    flat = np.atleast_1d(s).ravel()[:, None]
    c_r, m_r, g_r = _CGK_RHO
    c_o, m_o, g_o = _CGK_OMEGA
    c_p, m_p, g_p = _CGK_PHI
    rho = (c_r * _gounaris_sakurai(flat, m_r, g_r)).sum(axis=1)
    omega = (c_o * m_o**2 / (m_o**2 - flat - 1j * m_o * g_o)).sum(axis=1)
    phi_exc = (c_p[1:] * m_p[1:] ** 2 / (m_p[1:] ** 2 - flat - 1j * m_p[1:] * g_p[1:])).sum(axis=1)
    phi0 = c_p[0] * _bw(flat[:, 0], M_PHI, _phi_width(flat[:, 0]))
    if charged:
        out = 0.5 * rho + omega / 6.0 + (phi0 + phi_exc) / 3.0
    else:
        out = -0.5 * rho + omega / 6.0 + (CGK_ETA_PHI * phi0 + phi_exc) / 3.0
    return np.asarray(out.reshape(np.shape(s)))


#: [CGKR] H. Czyż, A. Grzelińska, J. H. Kühn, G. Rodrigo, EPJC 47 (2006) 617, hep-ph/0512180: isospin-0 part of the
#: e⁺e⁻ → π⁺π⁻π⁰ current (their Eq. 3), fit to the SND/CMD-2/BaBar data: masses and widths [GeV] of ρ, ρ′, ρ″ (in the
#: ρπ sub-channels), of ω, ω′, ω″ and φ (in s), and the couplings A [GeV⁻³] of the six amplitudes (values of their
#: fit as used in PHOKHARA; the ω → ρ → ππ isospin-1 piece, relevant only within a few widths of the ω, is omitted)
CGKR_RHO = ((0.77609, 0.14446), (1.465, 0.31), (1.7, 0.235))
CGKR_OMEGA = ((0.7824, 0.00869), (1.375, 0.250), (1.631, 0.245))
CGKR_PHI = (1.01924, 0.00414)
CGKR_A_OMEGA, CGKR_A_PHI, CGKR_A_OMEGA1, CGKR_A_OMEGA2 = 18.20, -0.87, -0.77, -1.12
CGKR_A_PHI_RHO1, CGKR_A_OMEGA2_RHO2 = -0.72, -0.59
#: Gauss–Legendre nodes per Dalitz variable for the 3π phase-space integral (ω peak reproduced to 0.1 %)
_DALITZ_NODES = 48
_GL_X, _GL_W = np.polynomial.legendre.leggauss(_DALITZ_NODES)
_GL_X, _GL_W = (_GL_X + 1.0) / 2.0, _GL_W / 2.0


def _fixed_bw(s: FloatArray, mass: float, width: float) -> NDArray[np.complex128]:
    """Fixed-width Breit–Wigner M²/(M² − s − iMΓ) (normalised to 1 at s = 0)."""
    return np.asarray(mass * mass / (mass * mass - s - 1j * mass * width))


def _three_pion_r_chunk(m: FloatArray) -> FloatArray:
    s = (m * m)[:, None, None]
    rs = np.sqrt(s)
    # outer variable s₀ = (p₊ + p₋)², inner s₊ = (p₊ + p₀)² at fixed s₀ (Dalitz boundaries from the π⁺π⁻ rest frame)
    s0_lo, s0_hi = 4.0 * M_PI * M_PI, (rs - M_PI0) ** 2
    s0 = s0_lo + (s0_hi - s0_lo) * _GL_X[None, :, None]
    e_pip = np.sqrt(s0) / 2.0
    e_pi0 = (s - s0 - M_PI0 * M_PI0) / (2.0 * np.sqrt(s0))
    q_pip = np.sqrt(np.clip(e_pip**2 - M_PI * M_PI, 0.0, None))
    q_pi0 = np.sqrt(np.clip(e_pi0**2 - M_PI0 * M_PI0, 0.0, None))
    sp_lo = (e_pip + e_pi0) ** 2 - (q_pip + q_pi0) ** 2
    sp_hi = (e_pip + e_pi0) ** 2 - (q_pip - q_pi0) ** 2
    sp = sp_lo + (sp_hi - sp_lo) * _GL_X[None, None, :]
    sm = s + 2.0 * M_PI * M_PI + M_PI0 * M_PI0 - s0 - sp
    # |p⃗₊ × p⃗₋|² in the 3π rest frame
    pp2 = ((s + M_PI * M_PI - sm) / (2.0 * rs)) ** 2 - M_PI * M_PI
    pm2 = ((s + M_PI * M_PI - sp) / (2.0 * rs)) ** 2 - M_PI * M_PI
    p02 = ((s + M_PI0 * M_PI0 - s0) / (2.0 * rs)) ** 2 - M_PI0 * M_PI0
    cross2 = np.clip(pp2 * pm2 - ((p02 - pp2 - pm2) / 2.0) ** 2, 0.0, None)

    def rho_sum(mass: float, width: float) -> NDArray[np.complex128]:
        return np.asarray(sum(_bw(x, mass, _rho_width(x, mass, width)) for x in (s0, sp, sm)))

    (m_w, g_w), (m_w1, g_w1), (m_w2, g_w2) = CGKR_OMEGA
    bw_phi = _fixed_bw(s, *CGKR_PHI)
    bw_w2 = _fixed_bw(s, m_w2, g_w2)
    amp = (
        rho_sum(*CGKR_RHO[0])
        * (
            CGKR_A_OMEGA * _fixed_bw(s, m_w, g_w)
            + CGKR_A_PHI * bw_phi
            + CGKR_A_OMEGA1 * _fixed_bw(s, m_w1, g_w1)
            + CGKR_A_OMEGA2 * bw_w2
        )
        + CGKR_A_PHI_RHO1 * rho_sum(*CGKR_RHO[1]) * bw_phi
        + CGKR_A_OMEGA2_RHO2 * rho_sum(*CGKR_RHO[2]) * bw_w2
    )
    jac = (s0_hi - s0_lo) * (sp_hi - sp_lo)
    integral = (np.abs(amp) ** 2 * cross2 * jac * _GL_W[None, :, None] * _GL_W[None, None, :]).sum(axis=(1, 2))
    return np.asarray(integral / (64.0 * math.pi**2 * m * m))


def three_pion_r(mass: ArrayLike) -> FloatArray:
    """R(e⁺e⁻ → π⁺π⁻π⁰) at √s = ``mass`` [GeV] from the [CGKR] current (ω, ω(1420), ω(1650), φ → ρπ, plus
    φ → ρ(1450)π and ω(1650) → ρ(1700)π), 0 below threshold.

    For ⟨π⁺π⁻π⁰|J^μ|0⟩ = ε^{μαβγ}p₊αp₋βp₀γ F(s₊, s₋, s₀) ([CGKR] Eq. 2), R = (2π/s)∫dΦ₃(−J·J*) with
    −J·J* = s|p⃗₊ × p⃗₋|²|F|² in the 3π rest frame and dΦ₃ = ds₀ ds₊/(128π³s), i.e.
    R = ∫ds₀ds₊ |F|² |p⃗₊ × p⃗₋|²/(64π²s) (Gauss–Legendre over the Dalitz plot). ρ propagators: P-wave width
    ([KS] Eq. 13); ω, φ states: fixed width. At the ω peak this gives 11.17, the narrow-resonance value
    9 B_ee B_3π/α² = 11.13 (PDG 2024).
    """
    m = np.atleast_1d(_arr(mass)).ravel()
    out = np.zeros_like(m)
    above = m > 2 * M_PI + M_PI0 + 1e-9
    idx = np.flatnonzero(above)
    for start in range(0, idx.size, 256):
        chunk = idx[start : start + 256]
        out[chunk] = _three_pion_r_chunk(m[chunk])
    return np.asarray(out.reshape(np.shape(_arr(mass))))


def _narrow_r(
    s: FloatArray, mass: float, width: float, b_ee: float, b_f: float, p_wave_to: float | None = None
) -> FloatArray:
    """R of e⁺e⁻ → V → F: 9 s Γ_ee Γ_F(s) / (α² [(s − M²)² + M²Γ²]); Γ_F ∝ p³ for V → Pγ (``p_wave_to`` = m_P)."""
    gamma_f = np.full_like(s, width * b_f)
    if p_wave_to is not None:
        rs = np.sqrt(s)
        ratio = _momentum(rs, p_wave_to, 0.0) / float(_momentum(np.asarray(mass), p_wave_to, 0.0))
        gamma_f = gamma_f * ratio**3
    return np.asarray(9.0 * s * width * b_ee * gamma_f / (ALPHA_EM**2 * ((s - mass**2) ** 2 + mass**2 * width**2)))


def r_ratio(mass: ArrayLike) -> dict[str, FloatArray]:
    """Exclusive hadronic R ratios R_μ^F(m) = σ(e⁺e⁻ → F)/σ(e⁺e⁻ → μ⁺μ⁻)_{m_μ=0} at √s = ``mass`` [GeV].

    Keys as in :data:`CHANNELS` (hadronic ones only); each entry is 0 below its threshold. See the module docstring
    for the model of each channel.
    """
    m = _arr(mass)
    s = m * m
    out: dict[str, FloatArray] = {}
    out["pi+pi-"] = np.where(m > 2 * M_PI, _velocity(m, M_PI) ** 3 * np.abs(pion_form_factor(s)) ** 2 / 4.0, 0.0)
    out["K+K-"] = np.where(m > 2 * M_KC, _velocity(m, M_KC) ** 3 * np.abs(kaon_form_factor(s, True)) ** 2 / 4.0, 0.0)
    out["K0K0bar"] = np.where(
        m > 2 * M_K0, _velocity(m, M_K0) ** 3 * np.abs(kaon_form_factor(s, False)) ** 2 / 4.0, 0.0
    )
    out["pi+pi-pi0"] = three_pion_r(m)
    out["pi0gamma"] = np.where(
        m > M_PI0,
        _narrow_r(s, M_OMEGA, G_OMEGA, B_OMEGA_EE, B_OMEGA_PI0G, M_PI0)
        + _narrow_r(s, M_PHI, G_PHI, B_PHI_EE, B_PHI_PI0G, M_PI0),
        0.0,
    )
    out["etagamma"] = np.where(
        m > M_ETA,
        _narrow_r(s, M_OMEGA, G_OMEGA, B_OMEGA_EE, B_OMEGA_ETAG, M_ETA)
        + _narrow_r(s, M_PHI, G_PHI, B_PHI_EE, B_PHI_ETAG, M_ETA),
        0.0,
    )
    e_th = 4 * M_PI
    t_th = 1.0 / (1.0 + math.exp(-(e_th - CONT_E0) / CONT_W))
    turn_on = np.clip((1.0 / (1.0 + np.exp(-(m - CONT_E0) / CONT_W)) - t_th) / (1.0 - t_th), 0.0, None)
    r_uds = 2.0 * (1.0 + ALPHA_S_LOW / math.pi)
    for key, frac in CONT_FRACTIONS.items():
        out[key] = np.where(m > e_th, frac * r_uds * turn_on, 0.0)
    beta_c = _velocity(m, M_D0)
    out["ccbar"] = np.where(
        m > 2 * M_D0, 3.0 * (4.0 / 9.0) * (1.0 + ALPHA_S_LOW / math.pi) * beta_c * (3.0 - beta_c**2) / 2.0, 0.0
    )
    return out


@lru_cache(maxsize=4096)
def _r_ratio_at(mass: float) -> tuple[tuple[str, float], ...]:
    """:func:`r_ratio` at one mass, memoised (R is ε-independent; coupling scans re-use it)."""
    return tuple((key, float(v)) for key, v in r_ratio(mass).items())


# ------------------------------------------------------------------------------------------------ widths
def width_to_leptons(mass: ArrayLike, lepton_mass: float, epsilon: float) -> FloatArray:
    """Γ(A′ → ℓ⁺ℓ⁻) [GeV] = (α ε² m/3)(1 + 2m_ℓ²/m²)(1 − 4m_ℓ²/m²)^{1/2} ([BPR] Eq. 6; [Darkcast] Eq. 2.8)."""
    m = _arr(mass)
    x = lepton_mass**2 / np.where(m > 0, m * m, 1.0)
    value = ALPHA_EM * epsilon**2 * m / 3.0 * (1.0 + 2.0 * x) * np.sqrt(np.clip(1.0 - 4.0 * x, 0.0, None))
    return np.asarray(np.where(m > 2 * lepton_mass, value, 0.0))


def width_to_hadrons(mass: ArrayLike, epsilon: float) -> dict[str, FloatArray]:
    """Γ(A′ → F) [GeV] = (α ε² m/3) R_μ^F(m) for each hadronic F of :func:`r_ratio` ([Darkcast] Eqs. 2.15-2.18)."""
    m = _arr(mass)
    unit = ALPHA_EM * epsilon**2 * m / 3.0
    return {key: np.asarray(unit * r) for key, r in r_ratio(m).items()}


def width_to_chi(mass: ArrayLike, m_chi: float, alpha_dark: float, spin: str = "fermion") -> FloatArray:
    """Γ(A′ → χχ̄) [GeV] for a Dirac fermion or complex scalar χ (module docstring, invisible decays)."""
    m = _arr(mass)
    x = m_chi**2 / np.where(m > 0, m * m, 1.0)
    root = np.sqrt(np.clip(1.0 - 4.0 * x, 0.0, None))
    fermion = alpha_dark * m / 3.0 * (1.0 + 2.0 * x) * root
    value = fermion if spin == "fermion" else alpha_dark * m / 12.0 * root**3
    return np.asarray(np.where(m > 2 * m_chi, value, 0.0))


def br_meson_to_photon_dark_photon(mass: float, parent: int, epsilon: float) -> float:
    """BR(P → γA′) = 2ε²(1 − m²/m_P²)³ BR(P → γγ) for P = π⁰, η, η′ ([BPR] Eq. 8; [Darkcast] Eq. 2.22).

    Zero for m ≥ m_P. The transition form factor at q² = m² is set to 1 (as in both references).
    """
    m_p = pdg.mass(parent)
    if mass >= m_p:
        return 0.0
    return float(2.0 * epsilon**2 * (1.0 - mass**2 / m_p**2) ** 3 * BR_TO_GAMMA_GAMMA[parent])


def br_omega_to_pi0_dark_photon(mass: float, epsilon: float) -> float:
    """BR(ω → π⁰A′) = ε² BR(ω → π⁰γ) [λ(M_ω², m_π², m²)/λ(M_ω², m_π², 0)]^{3/2} ([Darkcast] Sec. 2.3, vector → P V′
    with the ω → π⁰γ* transition form factor set to 1; also [BPR] Sec. III). Zero for m ≥ M_ω − m_π⁰."""
    if mass >= M_OMEGA - M_PI0:
        return 0.0
    p = float(_momentum(np.asarray(M_OMEGA), M_PI0, mass))
    p0 = float(_momentum(np.asarray(M_OMEGA), M_PI0, 0.0))
    return float(epsilon**2 * BR_OMEGA_PI0_GAMMA * (p / p0) ** 3)


# -------------------------------------------------------------------------------------------------- model
_PRODUCTION = {
    pdg.PI0: ("pi0 -> gamma A'", (pdg.PHOTON,)),
    pdg.ETA: ("eta -> gamma A'", (pdg.PHOTON,)),
    331: ("eta' -> gamma A'", (pdg.PHOTON,)),
    223: ("omega -> pi0 A'", (pdg.PI0,)),
}
_LEPTONS = {"e+e-": M_E, "mu+mu-": M_MU, "tau+tau-": M_TAU}


@register_model
@dataclass(frozen=True)
class DarkPhoton(DarkModel):
    """Dark photon of mass ``mass`` [GeV] and kinetic mixing ``epsilon`` (visible rates ∝ ε²).

    Optional dark matter: ``alpha_dark`` = α_D = g_D²/4π (0: no invisible channel), ``m_chi`` [GeV] and ``chi_spin``
    ("fermion": Dirac fermion, "scalar": complex scalar).
    """

    name: ClassVar[str] = "dark_photon"
    pdg_id: ClassVar[int] = pdg.DARK_PDG_IDS["dark_photon"]
    coupling_name: ClassVar[str] = "epsilon"
    coupling_power: ClassVar[int] = 2
    #: splitting function of proton bremsstrahlung p N → p N A′ (darkbeam.production.bremsstrahlung)
    bremsstrahlung_spin: ClassVar[str] = "vector"

    mass: float
    epsilon: float = 1.0
    alpha_dark: float = 0.0
    m_chi: float = 0.0
    chi_spin: str = "fermion"

    def __post_init__(self) -> None:
        check_positive("mass", self.mass)
        check_positive("epsilon", self.epsilon)
        check_positive("alpha_dark", self.alpha_dark, allow_zero=True)
        check_positive("m_chi", self.m_chi, allow_zero=True)
        check_choice("chi_spin", self.chi_spin, ("fermion", "scalar"))
        if self.epsilon > 1:
            raise ConfigError(f"epsilon = {self.epsilon!r} is not allowed; it must be in (0, 1]")
        if self.alpha_dark > 0 and self.m_chi == 0:
            raise ConfigError("m_chi = 0 is not allowed when alpha_dark > 0; give the dark-matter mass in GeV (> 0)")
        if self.mass > MAX_MASS:
            raise KinematicsError(
                f"mass {self.mass} GeV is above {MAX_MASS} GeV, the upper end of the dark photon's hadronic model"
            )

    @property
    def coupling(self) -> float:
        return self.epsilon

    def with_coupling(self, value: float) -> DarkPhoton:
        return replace(self, epsilon=value)

    def parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {"epsilon": self.epsilon}
        if self.alpha_dark > 0:
            params |= {"alpha_dark": self.alpha_dark, "m_chi": self.m_chi, "chi_spin": self.chi_spin}
        return params

    def partial_widths(self) -> dict[str, float]:
        widths = {key: float(width_to_leptons(self.mass, ml, self.epsilon)) for key, ml in _LEPTONS.items()}
        unit = ALPHA_EM * self.epsilon**2 * self.mass / 3.0
        widths |= {key: unit * r for key, r in _r_ratio_at(self.mass)}
        if self.alpha_dark > 0:
            widths["chi chi"] = float(width_to_chi(self.mass, self.m_chi, self.alpha_dark, self.chi_spin))
        return {k: v for k, v in widths.items() if v > 0}

    def visible_width(self) -> float:
        """Width into SM final states [GeV] (total minus χχ̄)."""
        return float(sum(v for k, v in self.partial_widths().items() if k != "chi chi"))

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {key: DecayChannel(key, CHANNELS[key], visible=key != "chi chi") for key in self.partial_widths()}

    def production_channels(self) -> list[ProductionChannel]:
        mesons = [
            ProductionChannel(parent, name, companions)
            for parent, (name, companions) in _PRODUCTION.items()
            if self._production_br(parent, 1.0) > 0
        ]
        channels = [*mesons, ProductionChannel(PROTON, BREMSSTRAHLUNG, (PROTON,))]
        if self._drell_yan_open():
            # q q̄ → A′ in p N collisions (darkbeam.production.drell_yan); companions: the hadronic remnant X
            channels.append(ProductionChannel(PROTON, DRELL_YAN, ()))
        return channels

    def _drell_yan_open(self) -> bool:
        """Drell–Yan q q̄ → A′ is declared from :data:`DRELL_YAN_MIN_MASS` (its validity) to :data:`MAX_MASS`."""
        return self.mass >= DRELL_YAN_MIN_MASS

    def _production_br(self, parent: int, epsilon: float) -> float:
        if parent == 223:
            return br_omega_to_pi0_dark_photon(self.mass, epsilon)
        return br_meson_to_photon_dark_photon(self.mass, parent, epsilon)

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        out: dict[int, dict[str, float]] = {}
        for parent, (name, _) in _PRODUCTION.items():
            br = self._production_br(parent, self.epsilon)
            if br > 0:
                out[parent] = {name: br}
        # proton bremsstrahlung: the coupling factor ε² of the unit-coupling splitting function (Blümlein & Brunner,
        # arXiv:1311.3870, Eq. for d²N/dz dp_T² ∝ ε²); the emission probability is in the sampled weights
        out[PROTON] = {BREMSSTRAHLUNG: self.epsilon**2}
        # Drell–Yan q q̄ → A′: coupling factor ε² of the ε = 1 table (σ ∝ ε² e² Q_q²; darkbeam.production.drell_yan,
        # narrow-width σ̂ = (4π²αε²Q_q²/3) δ(ŝ − M²)); the rate per POT is in the sampled weights
        if self._drell_yan_open():
            out[PROTON][DRELL_YAN] = self.epsilon**2
        return out
