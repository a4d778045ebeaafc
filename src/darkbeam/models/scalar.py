"""Higgs-portal scalar S mixing with the Higgs boson with angle θ (scan coupling ``sin_theta``).

Couplings of S to SM fermions are those of the Higgs times sin θ. Sources:

* [WP] white paper "Dark Sector Physics at Neutrino Experiments", arXiv:2207.00597, Sec. 5.1 (Eqs. 10, 13, 14).
* [W] M. W. Winkler, "Decay and detection of a light scalar boson mixing with the Higgs", PRD 99 (2019) 015018,
  arXiv:1809.01876 — hadronic decays (Sec. II, App. A), partonic decays and running masses, B → K S (Sec. III).
* [BG] F. Bezrukov, D. Gorbunov, JHEP 05 (2010) 010, arXiv:0912.0390 — K → π S (Eq. 3.3), LO ChPT S → ππ (Eq. 3.7).

Decays:

* S → ℓ⁺ℓ⁻ (e, μ, τ): [WP] Eq. 13.
* S → ππ, KK̄ below 2 GeV: [W] Eqs. 7-8, Γ(S → ππ) = 3 sin²θ β_π |G_π|²/(32π v² m_S),
  Γ(S → KK̄) = sin²θ β_K |G_K|²/(8π v² m_S), G_P = (2/9)θ_P + (7/9)(Γ_P + Δ_P), with the form factors from DarkBeam's own
  coupled-channel Omnès computation (scripts/scalar_form_factors.py; table data/models/scalar_hadronic.csv; method and
  inputs in data/models/README.md: GKPY ππ phase below 0.85 GeV, Kamiński-Peláez-Ynduráin 2008 two-channel K-matrix
  0.93-1.3 GeV, Moussallam's asymptotic continuation above). Charge states: π⁺π⁻ : π⁰π⁰ = 2 : 1, K⁺K⁻ : K⁰K̄⁰ = 1 : 1
  (K⁰K̄⁰ from a CP-even state = ½ K_S K_S + ½ K_L K_L), each with its own threshold. Accuracy vs Winkler's published
  widths (tests/test_scalar.py; table in data/models/README.md): KK̄ within 10 % for 1.02-2.0 GeV; ππ within 20 % for
  0.3-0.9, 1.26-1.44 and 1.62-1.74 GeV, 0.6-0.8 × Winkler at 1.0-1.25 GeV and 1.8-2.3 × at 0.94-0.98 GeV (f₀(980)
  region: Winkler's input, as reconstructed from his form factors, has a slower-rising δ₀⁰ below and a deeper
  inelasticity dip just above the KK̄ threshold than the data fit used here), up to 3 × at 1.46-1.6 and 1.9 × at
  1.76-1.98 GeV where Γ(S → ππ) is < 10 % of the hadronic width (his Omnès matrix has f₀(1500)-region structure that
  the smooth asymptotic continuation used here lacks; README "Accuracy").
* multi-meson (4π and other) channels below 2 GeV, following [W] Sec. II.C: Γ(S → 4π) = C sin²θ m_S³ β_{4π},
  β_{4π} = (1 − 16 m_π²/m_S²)^{1/2}, with C fixed so that ππ + KK̄ + 4π equals the partonic width gg + ss̄ at
  m_S = 2 GeV; split into π⁺π⁻π⁺π⁻ : π⁺π⁻π⁰π⁰ : π⁰π⁰π⁰π⁰ = 4 : 4 : 1 (isospin counting for an I = 0 pair of I = 0
  dipion states, a stated approximation).
* above 2 GeV, partonic ([W] Sec. II.D; Spira, Djouadi, Graudenz, Zerwas, NPB 453 (1995) 17):
  Γ(S → qq̄) = 3 sin²θ m_q(m_S)² m_S β³/(8π v²) for q = s and c (running MS-bar masses at one loop from
  m_s(2 GeV) = 93.5 MeV, m_c(m_c) = 1.273 GeV, PDG 2024; c opens at 2 m_D with β from the D mass) and
  Γ(S → gg) = sin²θ α_s(m_S)² m_S³ |Σ_{q=c,b,t} A(τ_q)|²/(72π³ v²), A(τ) = (3/2)τ[1 + (1 − τ) f(τ)], τ = 4m_q²/m_S²,
  with α_s at one loop from α_s(M_Z) = 0.1180. The total width is continuous at 2 GeV by construction of C.
* S → γγ is neglected (< 1 % of Γ everywhere, [BG] Fig. 3; [W] Fig. 1).

Production (branching ratios per sin²θ; ``production_branching_ratios``):

* K⁺ → π⁺ S: [WP] Eq. 10 (top penguin; Leutwyler & Shifman NPB 343 (1990) 369; [BG] Eq. 3.3).
* K_L → π⁰ S: the same amplitude with V_td* V_ts → i Im(V_td* V_ts) (CP-violating; K_L = (K⁰ − K̄⁰)/√2 and
  ⟨π⁰|s̄d|K⁰⟩ = ⟨π⁺|s̄d|K⁺⟩/√2, as for K_L → π⁰νν̄); e.g. Batell, Freitas, Ismail, McKeen, PRD 100 (2019) 095020,
  arXiv:1909.11670, Sec. II.
* B → K S (B⁺ → K⁺ S, B⁰ → K⁰ S): [W] Sec. III (also Boiarska et al., arXiv:1904.10447, Eq. 3.4 region):
  L = sin θ · 3√2 G_F m_t² V_ts* V_tb m_b/(16π² v) · S s̄_L b_R + h.c.,
  Γ = |C|²/4 · f₀(m_S²)² (m_B² − m_K²)²/(m_b − m_s)² · λ^{1/2}(m_B², m_K², m_S²)/(16π m_B³), with
  f₀(q²) = 0.33/(1 − q²/37.46 GeV²) (Ball & Zwicky, PRD 71 (2005) 014015, Table 8) and m_b = 4.18, m_s = 0.0935 GeV.

Validity: m_S ≤ :data:`MAX_MASS` (bb̄ and quarkonium mixing are not included).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..errors import ConfigError, KinematicsError, check_positive
from ..kinematics import kallen
from ..production.bremsstrahlung import G_SNN
from ..units import G_FERMI, HBAR, HIGGS_VEV, M_TOP, V_TB, V_TD, V_TS
from .base import DarkModel, DecayChannel, ProductionChannel, register_model

PROTON = 2212
BREMSSTRAHLUNG = "p N -> p N S"

FloatArray = NDArray[np.float64]

__all__ = [
    "HADRONIC_TABLE",
    "MAX_MASS",
    "PARTONIC_ABOVE",
    "HiggsPortalScalar",
    "alpha_s",
    "hadronic_form_factors",
    "pion_form_factor_lo",
    "running_mass",
    "width_b_to_kaon_scalar",
    "width_kaon_to_pion_scalar",
    "width_klong_to_pion_scalar",
    "width_to_gluons",
    "width_to_kaons_dispersive",
    "width_to_leptons",
    "width_to_pions",
    "width_to_pions_dispersive",
    "width_to_quarks",
]

#: upper end of the mass range [GeV] (below the B-meson pair threshold; bb̄ not included)
MAX_MASS = 10.0
#: above this mass the hadronic width is partonic (gg, ss̄, cc̄) [GeV] ([W] Sec. II.D)
PARTONIC_ABOVE = 2.0
#: package data: |G_π|², |G_K|² vs m_S (scripts/scalar_form_factors.py)
HADRONIC_TABLE = ("data", "models", "scalar_hadronic.csv")

#: Im(V_td* V_ts) = A²λ⁵η̄ with the PDG 2024 Wolfenstein fit λ = 0.22501, A = 0.826, η̄ = 0.348 (CKM review Eq. 12.27)
IM_LAMBDA_T = 0.826**2 * 0.22501**5 * 0.348
#: MS-bar masses (PDG 2024 quark summary): m_s(2 GeV), m_c(m_c), m_b(m_b) [GeV]
M_S_2GEV, M_C_MC, M_B_MB = 0.0935, 1.273, 4.183
#: pole masses used in the gg loop [GeV] (PDG 2024: c 1.67, b 4.78, t 172.57)
M_C_POLE, M_B_POLE = 1.67, 4.78
#: α_s(M_Z) (PDG 2024) and M_Z [GeV]
ALPHA_S_MZ, M_Z = 0.1180, 91.1876
#: B → K scalar form factor f₀(q²) = F0 / (1 − q²/M_FIT2) (Ball & Zwicky 2005)
B_TO_K_F0, B_TO_K_MFIT2 = 0.33, 37.46
#: isospin-averaged masses used for the hadronic table [GeV]
M_PI_AVG, M_K_AVG = 0.13957039, 0.495644

M_E, M_MU, M_TAU = pdg.mass(pdg.ELECTRON), pdg.mass(pdg.MUON), pdg.mass(pdg.TAU)
M_PIC, M_PI0 = pdg.mass(pdg.PI_PLUS), pdg.mass(pdg.PI0)
M_KC, M_K0 = pdg.mass(pdg.K_PLUS), pdg.mass(311)
M_D0 = pdg.mass(421)

K_SHORT, B_PLUS, B_ZERO, K_ZERO = 310, 521, 511, 311


# ------------------------------------------------------------------------------------------ leptons, LO ChPT
def width_to_leptons(mass: float, lepton_mass: float, sin_theta: float) -> float:
    """Γ(S → ℓ⁺ℓ⁻) [GeV] = sin²θ m_ℓ² m_S β³ / (8π v²), β² = 1 − 4m_ℓ²/m_S² (white paper Eq. 13)."""
    if mass <= 2 * lepton_mass:
        return 0.0
    beta2 = 1.0 - 4 * lepton_mass**2 / mass**2
    return float(sin_theta**2 * lepton_mass**2 * mass * beta2**1.5 / (8 * math.pi * HIGGS_VEV**2))


def pion_form_factor_lo(s: float, pion_mass: float) -> float:
    """Leading-order ChPT scalar form factor G_π(s) = (2/9)(s + 11 m_π²/2) [GeV²] (Voloshin 1986)."""
    return 2.0 / 9.0 * (s + 5.5 * pion_mass**2)


def width_to_pions(mass: float, pion_mass: float, sin_theta: float, isospin_fraction: float) -> float:
    """Leading-order ChPT Γ(S → ππ) [GeV] for one charge state: ``isospin_fraction`` × white paper Eq. (14).

    Eq. (14): Γ(S → ππ) = sin²θ · 3|G_π(m_S²)|² / (32π v² m_S) · (1 − 4m_π²/m_S²)^{1/2}. Kept as the threshold
    limit of the dispersive result (which the model uses); good only within ~50 MeV of threshold.
    """
    if mass <= 2 * pion_mass:
        return 0.0
    beta = math.sqrt(1.0 - 4 * pion_mass**2 / mass**2)
    form = pion_form_factor_lo(mass**2, pion_mass)
    return float(isospin_fraction * sin_theta**2 * 3 * form**2 * beta / (32 * math.pi * HIGGS_VEV**2 * mass))


# --------------------------------------------------------------------------------------- dispersive hadrons
@cache
def _table() -> tuple[FloatArray, FloatArray, FloatArray]:
    path = resources.files("darkbeam").joinpath(*HADRONIC_TABLE)
    with path.open("r", encoding="utf-8") as handle:
        data = np.loadtxt(handle, delimiter=",", comments="#", skiprows=5)
    return data[:, 0].copy(), data[:, 1].copy(), data[:, 2].copy()


def hadronic_form_factors(mass: float) -> tuple[float, float]:
    """(|G_π(m²)|², |G_K(m²)|²) [GeV⁴] interpolated from the package table (clamped below its first row)."""
    m, g_pi, g_k = _table()
    return float(np.interp(mass, m, g_pi)), float(np.interp(mass, m, g_k))


def width_to_pions_dispersive(mass: float, pion_mass: float, sin_theta: float, isospin_fraction: float) -> float:
    """Γ(S → ππ) [GeV] of one charge state: ``isospin_fraction`` × 3 sin²θ β_π |G_π|²/(32π v² m_S) ([W] Eq. 7)."""
    if mass <= 2 * pion_mass:
        return 0.0
    beta = math.sqrt(1.0 - 4 * pion_mass**2 / mass**2)
    g2, _ = hadronic_form_factors(mass)
    return float(isospin_fraction * sin_theta**2 * 3 * beta * g2 / (32 * math.pi * HIGGS_VEV**2 * mass))


def width_to_kaons_dispersive(mass: float, kaon_mass: float, sin_theta: float, charge_fraction: float) -> float:
    """Γ(S → KK̄) [GeV] of one charge state: ``charge_fraction`` × sin²θ β_K |G_K|²/(8π v² m_S) ([W] Eq. 8)."""
    if mass <= 2 * kaon_mass:
        return 0.0
    beta = math.sqrt(1.0 - 4 * kaon_mass**2 / mass**2)
    _, g2 = hadronic_form_factors(mass)
    return float(charge_fraction * sin_theta**2 * beta * g2 / (8 * math.pi * HIGGS_VEV**2 * mass))


# ------------------------------------------------------------------------------------------------ partonic
def alpha_s(mu: float) -> float:
    """One-loop α_s(μ) from α_s(M_Z) = 0.1180 with flavour thresholds at m_b(m_b), m_c(m_c) (PDG 2024 QCD review)."""

    def run(a0: float, mu0: float, mu1: float, nf: int) -> float:
        b0 = (33.0 - 2.0 * nf) / (12.0 * math.pi)
        return a0 / (1.0 + a0 * b0 * math.log(mu1**2 / mu0**2))

    a = ALPHA_S_MZ
    if mu >= M_B_MB:
        return run(a, M_Z, mu, 5)
    a = run(a, M_Z, M_B_MB, 5)
    if mu >= M_C_MC:
        return run(a, M_B_MB, mu, 4)
    a = run(a, M_B_MB, M_C_MC, 4)
    return run(a, M_C_MC, max(mu, 0.8), 3)


def running_mass(quark: str, mu: float) -> float:
    """One-loop MS-bar mass m_q(μ) [GeV], m(μ) = m(μ₀)[α_s(μ)/α_s(μ₀)]^{12/(33 − 2n_f)} (n_f = 4 above m_c, else 3)."""
    if quark == "s":
        m0, mu0 = M_S_2GEV, 2.0
    elif quark == "c":
        m0, mu0 = M_C_MC, M_C_MC
    else:
        raise ConfigError(f"quark = {quark!r} is not allowed; allowed: s, c")
    nf = 4 if mu >= M_C_MC else 3
    return float(m0 * (alpha_s(mu) / alpha_s(mu0)) ** (12.0 / (33.0 - 2.0 * nf)))


def width_to_quarks(mass: float, quark: str, sin_theta: float) -> float:
    """Γ(S → qq̄) [GeV] = 3 sin²θ m_q(m_S)² m_S β³/(8π v²), q = s (β from 2m_K) or c (β from 2m_D) ([W] Sec. II.D)."""
    threshold_mass = M_K_AVG if quark == "s" else M_D0
    if mass <= 2 * threshold_mass:
        return 0.0
    beta2 = 1.0 - 4 * threshold_mass**2 / mass**2
    mq = running_mass(quark, mass)
    return float(3 * sin_theta**2 * mq**2 * mass * beta2**1.5 / (8 * math.pi * HIGGS_VEV**2))


def _loop_a(tau: float) -> complex:
    """Heavy-quark loop A(τ) = (3/2)τ[1 + (1 − τ)f(τ)], A → 1 for τ → ∞ (Spira et al. 1995)."""
    if tau >= 1.0:
        f: complex = complex(math.asin(1.0 / math.sqrt(tau)) ** 2)
    else:
        root = math.sqrt(1.0 - tau)
        f = -0.25 * (complex(math.log((1 + root) / (1 - root)), -math.pi)) ** 2
    return 1.5 * tau * (1.0 + (1.0 - tau) * f)


def width_to_gluons(mass: float, sin_theta: float) -> float:
    """Γ(S → gg) [GeV] = sin²θ α_s² m_S³ |Σ_{c,b,t} A(τ_q)|²/(72π³ v²) ([W] Sec. II.D; Spira et al. 1995)."""
    amp = sum(_loop_a(4 * mq**2 / mass**2) for mq in (M_C_POLE, M_B_POLE, M_TOP))
    return float(sin_theta**2 * alpha_s(mass) ** 2 * mass**3 * abs(amp) ** 2 / (72 * math.pi**3 * HIGGS_VEV**2))


def _beta_4pi(mass: float) -> float:
    return math.sqrt(max(0.0, 1.0 - 16 * M_PI_AVG**2 / mass**2))


@cache
def _four_pion_norm() -> float:
    """C of Γ(S → 4π) = C sin²θ m³ β_4π: continuity of the hadronic width at PARTONIC_ABOVE (module docstring)."""
    m = PARTONIC_ABOVE
    partonic = width_to_gluons(m, 1.0) + width_to_quarks(m, "s", 1.0) + width_to_quarks(m, "c", 1.0)
    exclusive = sum(width_to_pions_dispersive(m, mp, 1.0, frac) for mp, frac in ((M_PIC, 2 / 3), (M_PI0, 1 / 3))) + sum(
        width_to_kaons_dispersive(m, mk, 1.0, 0.5) for mk in (M_KC, M_K0)
    )
    return max(0.0, partonic - exclusive) / (m**3 * _beta_4pi(m))


# ------------------------------------------------------------------------------------------------ production
def width_kaon_to_pion_scalar(mass: float, sin_theta: float) -> float:
    """Γ(K⁺ → π⁺ S) [GeV], white paper Eq. (10).

    Γ = sin²θ/(16π m_K) · |3 V_td* V_ts m_t² m_K² / (32π² v³)|² · λ^{1/2}(1, m_S²/m_K², m_π²/m_K²).
    """
    m_k, m_pi = pdg.mass(pdg.K_PLUS), pdg.mass(pdg.PI_PLUS)
    if mass >= m_k - m_pi:
        return 0.0
    coupling = 3 * V_TD * V_TS * M_TOP**2 * m_k**2 / (32 * math.pi**2 * HIGGS_VEV**3)
    lam = kallen(1.0, mass**2 / m_k**2, m_pi**2 / m_k**2)
    return float(sin_theta**2 / (16 * math.pi * m_k) * coupling**2 * math.sqrt(lam))


def width_klong_to_pion_scalar(mass: float, sin_theta: float) -> float:
    """Γ(K_L → π⁰ S) [GeV]: white paper Eq. (10) with |V_td* V_ts| → Im(V_td* V_ts) and K_L, π⁰ masses (docstring)."""
    m_k, m_pi = pdg.mass(pdg.K_LONG), M_PI0
    if mass >= m_k - m_pi:
        return 0.0
    coupling = 3 * IM_LAMBDA_T * M_TOP**2 * m_k**2 / (32 * math.pi**2 * HIGGS_VEV**3)
    lam = kallen(1.0, mass**2 / m_k**2, m_pi**2 / m_k**2)
    return float(sin_theta**2 / (16 * math.pi * m_k) * coupling**2 * math.sqrt(lam))


def width_b_to_kaon_scalar(mass: float, sin_theta: float, charged: bool = True) -> float:
    """Γ(B → K S) [GeV] (B⁺ → K⁺ S if ``charged`` else B⁰ → K⁰ S), formula in the module docstring ([W] Sec. III)."""
    m_b = pdg.mass(B_PLUS if charged else B_ZERO)
    m_k = M_KC if charged else M_K0
    if mass >= m_b - m_k:
        return 0.0
    c = 3 * math.sqrt(2.0) * G_FERMI * M_TOP**2 * V_TS * V_TB * M_B_MB / (16 * math.pi**2 * HIGGS_VEV)
    f0 = B_TO_K_F0 / (1.0 - mass**2 / B_TO_K_MFIT2)
    matrix = f0 * (m_b**2 - m_k**2) / (M_B_MB - M_S_2GEV)
    lam = float(kallen(m_b**2, m_k**2, mass**2))
    return float(sin_theta**2 * c**2 / 4 * matrix**2 * math.sqrt(lam) / (16 * math.pi * m_b**3))


# ----------------------------------------------------------------------------------------------------- model
_LEPTONS = {"e+e-": M_E, "mu+mu-": M_MU, "tau+tau-": M_TAU}
_DAUGHTERS: dict[str, tuple[int, ...]] = {
    "e+e-": (11, -11),
    "mu+mu-": (13, -13),
    "tau+tau-": (15, -15),
    "pi+pi-": (211, -211),
    "pi0pi0": (111, 111),
    "K+K-": (321, -321),
    "K_S K_S": (310, 310),
    "K_L K_L": (130, 130),
    "pi+pi-pi+pi-": (211, -211, 211, -211),
    "pi+pi-pi0pi0": (211, -211, 111, 111),
    "pi0pi0pi0pi0": (111, 111, 111, 111),
    "gg": (21, 21),
    "ssbar": (3, -3),
    "ccbar": (4, -4),
}
_FOUR_PI = {"pi+pi-pi+pi-": 4 / 9, "pi+pi-pi0pi0": 4 / 9, "pi0pi0pi0pi0": 1 / 9}
_PRODUCTION = {
    pdg.K_PLUS: ("K+ -> pi+ S", (pdg.PI_PLUS,)),
    pdg.K_LONG: ("K_L -> pi0 S", (pdg.PI0,)),
    B_PLUS: ("B+ -> K+ S", (pdg.K_PLUS,)),
    B_ZERO: ("B0 -> K0 S", (K_ZERO,)),
}


def _production_width(parent: int, mass: float, sin_theta: float) -> float:
    if parent == pdg.K_PLUS:
        return width_kaon_to_pion_scalar(mass, sin_theta)
    if parent == pdg.K_LONG:
        return width_klong_to_pion_scalar(mass, sin_theta)
    return width_b_to_kaon_scalar(mass, sin_theta, charged=parent == B_PLUS)


def _parent_width(parent: int) -> float:
    return HBAR / pdg.lifetime(parent)


@register_model
@dataclass(frozen=True)
class HiggsPortalScalar(DarkModel):
    """Higgs-portal scalar of mass ``mass`` [GeV] and mixing ``sin_theta`` (rates ∝ sin²θ)."""

    name: ClassVar[str] = "scalar"
    pdg_id: ClassVar[int] = pdg.DARK_PDG_IDS["scalar"]
    coupling_name: ClassVar[str] = "sin_theta"
    coupling_power: ClassVar[int] = 2
    #: splitting function of proton bremsstrahlung p N → p N S (darkbeam.production.bremsstrahlung)
    bremsstrahlung_spin: ClassVar[str] = "scalar"

    mass: float
    sin_theta: float = 1.0
    #: cut-off Λ_p [GeV] of the off-shell proton form factor in bremsstrahlung (white paper arXiv:2207.00597 Eq. 11
    #: and the paper it cites, 1904.10447); vary 1–2 GeV for the uncertainty band
    bremsstrahlung_lambda_p: float = 1.5

    def __post_init__(self) -> None:
        check_positive("mass", self.mass)
        check_positive("sin_theta", self.sin_theta)
        if self.sin_theta > 1:
            raise ConfigError(f"sin_theta = {self.sin_theta!r} is not allowed; it must be in (0, 1]")
        check_positive("bremsstrahlung_lambda_p", self.bremsstrahlung_lambda_p)
        if self.mass > MAX_MASS:
            raise KinematicsError(
                f"mass {self.mass} GeV is above {MAX_MASS} GeV, the upper end of the scalar's decay model "
                "(bb̄ and quarkonium mixing are not included)"
            )

    @property
    def coupling(self) -> float:
        return self.sin_theta

    def with_coupling(self, value: float) -> HiggsPortalScalar:
        return replace(self, sin_theta=value)

    def parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {"sin_theta": self.sin_theta}
        if self.bremsstrahlung_lambda_p != 1.5:
            params["bremsstrahlung_lambda_p"] = self.bremsstrahlung_lambda_p
        return params

    def partial_widths(self) -> dict[str, float]:
        m, st = self.mass, self.sin_theta
        widths = {key: width_to_leptons(m, ml, st) for key, ml in _LEPTONS.items()}
        if m <= PARTONIC_ABOVE:
            widths["pi+pi-"] = width_to_pions_dispersive(m, M_PIC, st, 2 / 3)
            widths["pi0pi0"] = width_to_pions_dispersive(m, M_PI0, st, 1 / 3)
            widths["K+K-"] = width_to_kaons_dispersive(m, M_KC, st, 0.5)
            neutral = width_to_kaons_dispersive(m, M_K0, st, 0.5)
            widths["K_S K_S"] = widths["K_L K_L"] = 0.5 * neutral
            four_pi = _four_pion_norm() * st**2 * m**3 * _beta_4pi(m)
            widths |= {key: frac * four_pi for key, frac in _FOUR_PI.items()}
        else:
            widths["gg"] = width_to_gluons(m, st)
            widths["ssbar"] = width_to_quarks(m, "s", st)
            widths["ccbar"] = width_to_quarks(m, "c", st)
        return {k: v for k, v in widths.items() if v > 0}

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {key: DecayChannel(key, _DAUGHTERS[key]) for key in self.partial_widths()}

    def production_channels(self) -> list[ProductionChannel]:
        mesons = [
            ProductionChannel(parent, name, companions)
            for parent, (name, companions) in _PRODUCTION.items()
            if _production_width(parent, self.mass, 1.0) > 0
        ]
        return [*mesons, ProductionChannel(PROTON, BREMSSTRAHLUNG, (PROTON,))]

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        out: dict[int, dict[str, float]] = {}
        for parent, (name, _) in _PRODUCTION.items():
            width = _production_width(parent, self.mass, self.sin_theta)
            if width > 0:
                out[parent] = {name: width / _parent_width(parent)}
        # proton bremsstrahlung: coupling factor (g_SNN sin θ)² of the unit-coupling scalar splitting function
        # (effective nucleon coupling g_SNN: white paper arXiv:2207.00597 Eq. 11, citing 1904.10447)
        out[PROTON] = {BREMSSTRAHLUNG: (G_SNN * self.sin_theta) ** 2}
        return out
