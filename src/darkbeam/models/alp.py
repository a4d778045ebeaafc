"""Axion-like particle a coupled to photons (``g_agg``), electrons (``g_aee``) and gluons (``g_gg``).

Coupling convention (used everywhere in DarkBeam):

    L ⊃ −(g_aγγ/4) a F_μν F̃^μν − i g_aee a ē γ₅ e + g_s² g_gg a G^b_μν G̃^{b,μν},   X̃^μν = ½ ε^{μνρσ} X_ρσ,

with g_aγγ in GeV⁻¹ (``g_agg``, > 0 by convention), g_aee dimensionless (``g_aee``) and g_gg in GeV⁻¹ (``g_gg``,
either sign: its sign relative to g_aγγ matters through interference in a → γγ). Relation to Bauer, Neubert, Thamm
[BNT] (JHEP 12 (2017) 044, arXiv:1708.00443, Eq. 1: L ⊃ e² C_γγ (a/Λ) F F̃ + g_s² C_GG (a/Λ) G G̃ +
Σ_f (c_ff/2)(∂^μa/Λ) f̄γ_μγ₅f): g_aγγ = 4e² C_γγ/Λ = 16πα C_γγ/Λ, g_gg = C_GG/Λ, |g_aee| = |c_ee| m_e/Λ. The QCD-axion
normalisation L ⊃ (α_s/8π)(a/f) G G̃ is g_gg = 1/(32π² f). ALPINIST's digitised ALP widths (of the data-driven
calculation of Aloni, Soreq, Williams [ASW], PRL 123 (2019) 031803, arXiv:1811.03474) are tabulated for C_GG = 1,
Λ = 1 TeV, i.e. g_gg = 1e-3 GeV⁻¹ in this convention (checked: their total width at 2-2.5 GeV equals the
perturbative a → gg rate below to ≤ 13 %). FORESEE and ALPINIST use the same g_aγγ.

Widths:

* Γ(a → γγ) = |g_eff(m_a)|² m_a³/(64π) (PDG 2024 review "Axions and other similar particles", Sec. 91.2; [BNT]
  Eq. 34), g_eff = g_aγγ + g_mix, where g_mix is the gluon-induced coupling through a–π⁰–η–η′ mixing (below).
* Γ(a → e⁺e⁻) = g_aee² m_a β/(8π), β = (1 − 4m_e²/m_a²)^{1/2} ([BNT] Eq. 32, Γ = m_a m_ℓ² |c_ℓℓ|² β/(8πΛ²)).
* Gluon coupling, m_a ≤ :data:`GLUON_CHPT_MAX` (0.6 GeV): leading-order U(3) chiral perturbation theory with the
  anomaly (η₀ mass) term, as in [ASW] (supplemental material: ALP–meson mixing, a → 3π). The ALP enters through the
  θ-term, θ(x) = 32π² g_gg a, after the chiral rotation q → exp(−iκ_q θ γ₅/2) q with κ_q = m_q⁻¹/Σ m_q⁻¹ ([ASW]'s
  choice; the results are κ-independent at LO with LO masses, not once the physical π⁰, η, η′ masses are put into the
  propagators, which we do). The amplitude of a → X is 32π² g_gg [μ(m_a²) G(m_a²) − F κ]·V_X with μ the a–P mass and
  kinetic mixing, G the P propagator (LO mixing vectors, physical masses and widths) and V_X the LO vertex of the
  U(3) basis states (π₃, η₈, η₀) (our own derivation; the contact term −Fκ·V_X comes from the same rotation).
  Channels: γγ (WZW vertices; at m_a → 0 this gives g_mix = −1.94 × 16πα g_gg, i.e. BNT's C_γγ^eff = −1.92(4) C_GG),
  π⁰π⁰π⁰ and π⁺π⁻π⁰ (LO quartic vertices of the U(3) Lagrangian over the Dalitz plot) times [ASW]'s data-driven
  factor :data:`K_3PI` = 2.7. First-order mixing: not valid within ~ the width of m_π⁰ or m_η. NOT implemented:
  a → ππγ (ASW: 3 % of the total at 0.5 GeV, 35-90 % at 0.6-0.8 GeV), η π π and heavier channels; hence the 0.6 GeV
  limit (total width 0.80 of ASW's there, 0.96-1.13 at 0.3-0.5 GeV).
* Gluon coupling, m_a ≥ :data:`GLUON_PQCD_MIN`: inclusive hadrons = Γ(a → gg) = 32π α_s² m_a³ g_gg²
  [1 + (97/4 − 7n_f/6) α_s/π], n_f = 3 ([BNT], inclusive hadronic ALP decay rate, with the NLO correction of
  Spira, Djouadi, Graudenz, Zerwas, Nucl. Phys. B453 (1995) 17), α_s at one loop (n_f = 3) from α_s(m_τ) = 0.312
  (PDG 2024 QCD review, τ-decay average). Measured against [ASW]'s total: 0.94-1.13 at 2.0-2.5 GeV, 1.25 at
  2.8 GeV, 1.31 at 2.95 GeV; above ~3 GeV (charm threshold, η_c mixing) this n_f = 3 estimate is rough.
* Between the two (0.6-2.0 GeV: ππγ, then resonance-dominated ηππ, ρρ, ωω, K K π, ...) a gluon coupling is refused
  (:class:`KinematicsError`), rather than given a width we cannot trust.

Scan coupling: ``g_agg`` with power 2 for :class:`ALP` (``g_aee`` and ``g_gg`` rescaled with it by
:meth:`ALP.with_coupling`), ``g_gg`` for :class:`GluonALP` (the gluon-dominated ALP, ``g_agg``/``g_aee`` rescaled
with it). Every amplitude is linear in the couplings, so with fixed ratios every width scales as g².

Production (metadata only here; the production stage implements them): Primakoff conversion of photons in the target
(γ N → a N, ∝ g_aγγ²), photon fusion; for a gluon coupling, mixing with the π⁰, η, η′ made in the target
(N_a = Σ_P N_P |θ_aP|² with the P spectra at the ALP mass; Kelly, Kumar, Liu, PRD 103 (2021) 095002, arXiv:2011.05995):
:meth:`ALP.meson_mixing` gives |θ_aP|². Detection channels beyond decay are declared in :data:`DETECTION_CHANNELS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..errors import ConfigError, KinematicsError, check_positive
from .base import DarkModel, DecayChannel, ProductionChannel, register_model

FloatArray = NDArray[np.float64]

__all__ = [
    "ALP",
    "DETECTION_CHANNELS",
    "GLUON_CHPT_MAX",
    "GLUON_PQCD_MIN",
    "K_3PI",
    "MAX_MASS",
    "GluonALP",
    "alp_partial_widths",
    "alpha_s",
    "gluon_photon_coupling",
    "width_to_electrons",
    "width_to_gluons",
    "width_to_photons",
    "width_to_three_pions",
]

#: largest mass accepted [GeV]
MAX_MASS = 10.0

M_E = pdg.mass(pdg.ELECTRON)
M_PI0 = pdg.mass(pdg.PI0)
M_PIC = pdg.mass(pdg.PI_PLUS)
M_ETA = pdg.mass(pdg.ETA)
M_ETAP = pdg.mass(331)

#: gluon coupling, chiral (mixing) regime: below this mass [GeV]. Above it a → ππγ (not implemented) dominates:
#: our total width is 0.96-1.13 of [ASW]'s at 0.3-0.5 GeV, 0.80 at 0.6 GeV, 0.36 at 0.65 GeV, 0.08 at 0.7 GeV.
GLUON_CHPT_MAX = 0.6
#: gluon coupling, perturbative regime (inclusive a → gg) from this mass [GeV]
GLUON_PQCD_MIN = 2.0
#: [ASW]'s data-driven factor on the LO ChPT a → 3π rates (supplemental material of arXiv:1811.03474: the LO rates
#: scaled so that the same treatment reproduces the measured η, η′ → 3π widths; the value 2.7 as used in the ALPaca
#: implementation of [ASW], github.com/alp-aca/alp-aca, decays/hadronic). Test: tests/test_alp.py (3π vs ASW).
K_3PI = 2.7

ALPHA_EM = 1.0 / 137.035999084
#: pion decay constant F_π = f_π⁺/√2 = 130.2/√2 MeV [GeV] (PDG 2024, "Leptonic decays of charged pseudoscalar mesons")
F_PI = 0.09207
#: quark-mass ratios m_u/m_d = 0.474 and m_s/m̂ = 27.33 (PDG 2024 quark-mass review, central values)
MU_OVER_MD = 0.474
MS_OVER_MHAT = 27.33
#: total widths [GeV] of π⁰ (7.8 eV), η (1.31 keV) and η′ (0.188 MeV) (PDG 2024), used in the meson propagators
GAMMA_PI0 = 7.8e-9
GAMMA_ETA = 1.31e-6
GAMMA_ETAP = 0.188e-3
#: α_s(m_τ) (PDG 2024 QCD review, τ-decay average) and m_τ [GeV]
ALPHA_S_MTAU = 0.312
M_TAU = 1.77686

#: Detection processes other than decay, for the scattering stage: name → (coupling it scales with, description).
DETECTION_CHANNELS: dict[str, tuple[str, str]] = {
    "inverse_primakoff": (
        "g_agg",
        "a N → γ N, coherent on the nucleus (σ ∝ g_aγγ² Z² α, atomic/nuclear form factor); "
        "Dent et al., PRL 124 (2020) 211804, arXiv:1912.05733",
    ),
    "inverse_compton": (
        "g_aee",
        "a e⁻ → γ e⁻ (σ ∝ g_aee² α); Brdar et al., PRL 126 (2021) 201801, arXiv:2011.07054",
    ),
    "magnetic_conversion": (
        "g_agg",
        "a → γ in a transverse magnetic field B over length L: P = (g_aγγ B L/2)² for q L ≪ 1 (helioscope formula)",
    ),
}


def width_to_photons(mass: ArrayLike, g_agg: float) -> FloatArray:
    """Γ(a → γγ) [GeV] = g_aγγ² m_a³/(64π); ``g_agg`` in GeV⁻¹ (module docstring for the convention)."""
    m = np.asarray(mass, dtype=float)
    return np.asarray(g_agg**2 * m**3 / (64.0 * math.pi))


def width_to_electrons(mass: ArrayLike, g_aee: float) -> FloatArray:
    """Γ(a → e⁺e⁻) [GeV] = g_aee² m_a (1 − 4m_e²/m_a²)^{1/2}/(8π); 0 below threshold."""
    m = np.asarray(mass, dtype=float)
    beta = np.sqrt(np.clip(1.0 - 4.0 * M_E**2 / np.where(m > 0, m * m, 1.0), 0.0, None))
    return np.asarray(np.where(m > 2 * M_E, g_aee**2 * m * beta / (8.0 * math.pi), 0.0))


def alpha_s(mu: float) -> float:
    """α_s(μ) at one loop with n_f = 3 from α_s(m_τ) = 0.312 (PDG 2024); μ in GeV (meant for 1.5-4 GeV)."""
    b0 = (33.0 - 2.0 * 3) / (12.0 * math.pi)
    return ALPHA_S_MTAU / (1.0 + ALPHA_S_MTAU * b0 * math.log(mu * mu / M_TAU**2))


def width_to_gluons(mass: float, g_gg: float) -> float:
    """Inclusive Γ(a → hadrons) = Γ(a → gg) [GeV] = 32π α_s² m_a³ g_gg² [1 + (97/4 − 7n_f/6) α_s/π], n_f = 3
    ([BNT], inclusive hadronic rate, with the NLO factor of Spira et al., Nucl. Phys. B453 (1995) 17); m_a ≥ 2 GeV."""
    a_s = alpha_s(mass)
    return 32.0 * math.pi * a_s**2 * mass**3 * g_gg**2 * (1.0 + (97.0 / 4.0 - 7.0 * 3 / 6.0) * a_s / math.pi)


# --------------------------------------------------------------------------------------------------------------
# Leading-order U(3) ChPT for the gluon coupling (module docstring; our derivation, following [ASW]'s set-up).
# Fields φ = Σ_j λ_j φ_j in the basis (π₃, η₈, η₀), tr(λ_i λ_j) = 2δ_ij, U = exp(iφ/F):
#   L = (F²/4) tr(∂U∂U†) + (F²/4) tr(χU† + Uχ†) − (τ/2)(θ + (i/2) tr(log U − log U†))²,  χ = 2B diag(m_q),
# θ(x) = 32π² g_gg a. Quadratic part: M²_ij = B tr(M{λ_i,λ_j})/2 + m₀² δ_i0 δ_j0 (m₀² = 6τ/F²); quartic part:
# (1/(48F²)) tr([φ,∂φ][φ,∂φ]) + (B/(24F²)) tr(M φ⁴). The rotation φ → φ − Fκθ gives the a–φ_j mixing
# μ_j(s) = F [(s − M_q²) κ]_j − F m₀² κ₀ δ_j0 + m₀² F/√6 δ_j0 and the contact terms −F κ·V.
_BASIS = (
    np.diag([1.0, -1.0, 0.0]),
    np.diag([1.0, 1.0, -2.0]) / math.sqrt(3.0),
    math.sqrt(2.0 / 3.0) * np.eye(3),
)
_BM = np.diag(  # B m_q [GeV²] with B m̂ = m_π⁰²/2 (LO Gell-Mann–Oakes–Renner)
    [
        M_PI0**2 * MU_OVER_MD / (1.0 + MU_OVER_MD),
        M_PI0**2 / (1.0 + MU_OVER_MD),
        MS_OVER_MHAT * M_PI0**2 / 2.0,
    ]
)
_MQ2 = np.array([[np.trace(_BM @ (a @ b + b @ a)) / 2.0 for b in _BASIS] for a in _BASIS])
# anomaly mass m₀² fixed by the trace of the physical squared masses (π⁰, η, η′)
_M0SQ = M_PI0**2 + M_ETA**2 + M_ETAP**2 - float(np.trace(_MQ2))
_EIGVAL, _EIGVEC = np.linalg.eigh(_MQ2 + np.diag([0.0, 0.0, _M0SQ]))  # columns: LO π⁰, η, η′ in (π₃, η₈, η₀)
_PHYS_M2 = np.array([M_PI0**2, M_ETA**2, M_ETAP**2])
_PHYS_MG = np.array([M_PI0 * GAMMA_PI0, M_ETA * GAMMA_ETA, M_ETAP * GAMMA_ETAP])
_INV_M = 1.0 / np.diag(_BM)
_KAPPA_Q = _INV_M / _INV_M.sum()  # κ_q = m_q⁻¹/Σ m⁻¹
_KAPPA = np.array([np.trace(np.diag(_KAPPA_Q) @ lam) / 2.0 for lam in _BASIS])  # components along λ_j
#: WZW P → γγ vertices of (π₃, η₈, η₀) relative to π⁰: N_c tr(Q² λ_j) = (1, 1/√3, 2√2/√3)
_WZW = np.array([1.0, 1.0 / math.sqrt(3.0), 2.0 * math.sqrt(2.0) / math.sqrt(3.0)])


def _mixing_weights(mass: float) -> NDArray[np.complex128]:
    """w_j = [μ(s) G(s) − F κ]_j at s = m_a² [GeV]: a → X amplitude = 32π² g_gg Σ_j w_j V_j(X)."""
    s = mass * mass
    mu = F_PI * (s * _KAPPA - _MQ2 @ _KAPPA)
    mu[2] += -F_PI * _M0SQ * _KAPPA[2] + _M0SQ * F_PI / math.sqrt(6.0)
    prop = sum(np.outer(_EIGVEC[:, n], _EIGVEC[:, n]) / (s - _PHYS_M2[n] + 1j * _PHYS_MG[n]) for n in range(3))
    return np.asarray(mu @ prop - F_PI * _KAPPA, dtype=np.complex128)


def gluon_photon_coupling(mass: float, g_gg: float) -> complex:
    """Gluon-induced a γγ coupling g_mix [GeV⁻¹] through a–π⁰–η–η′ mixing (LO U(3), module docstring):
    g_mix = (α/(πF)) 32π² g_gg Σ_j w_j N_c tr(Q² λ_j); add to g_aγγ (same convention)."""
    return complex(ALPHA_EM / (math.pi * F_PI) * 32.0 * math.pi**2 * g_gg * (_mixing_weights(mass) @ _WZW))


def meson_mixing(mass: float, g_gg: float) -> dict[int, float]:
    """|θ_aP|² for P = π⁰, η, η′ (PDG ids) at ALP mass ``mass`` [GeV]: θ_aP = 32π² g_gg (w · v_P), v_P the LO
    mixing vector of P; the amplitude of a → X is Σ_P θ_aP A(P → X) with P taken at the ALP mass."""
    w = _mixing_weights(mass)
    return {
        pid: float(abs(32.0 * math.pi**2 * g_gg * (w @ _EIGVEC[:, n])) ** 2) for n, pid in enumerate((111, 221, 331))
    }


def _quartic_coefficients(legs: tuple[NDArray[np.float64], ...]) -> tuple[float, NDArray[np.float64]]:
    """LO 4-point vertex of the U(3) Lagrangian for legs with flavour matrices ``legs`` (all momenta incoming):
    V = C₀ + Σ_xy C_xy q_x·q_y (sum over the 24 assignments of legs to the fields of the quartic terms)."""
    c0 = 0.0
    c = np.zeros((4, 4))
    for perm in _PERMUTATIONS:
        a, b, d, e = (legs[i] for i in perm)
        kin = -float(np.trace((a @ b - b @ a) @ (d @ e - e @ d))) / (48.0 * F_PI**2)
        c[perm[1], perm[3]] += kin / 2.0
        c[perm[3], perm[1]] += kin / 2.0
        c0 += float(np.trace(_BM @ a @ b @ d @ e)) / (24.0 * F_PI**2)
    return c0, c


def _permutations() -> list[tuple[int, int, int, int]]:
    from itertools import permutations

    return [(p[0], p[1], p[2], p[3]) for p in permutations(range(4))]


_PERMUTATIONS = _permutations()
_E12 = np.zeros((3, 3))
_E12[0, 1] = 1.0
_PI_PLUS_OUT = math.sqrt(2.0) * _E12.T  # outgoing π⁺ is made by the π⁻ field (entry (2,1) of φ)
_PI_MINUS_OUT = math.sqrt(2.0) * _E12
_PI0_OUT = sum(_EIGVEC[k, 0] * _BASIS[k] for k in range(3))  # physical π⁰ (LO, with its η₈/η₀ admixture)
_THREE_PI = {
    "pi0 pi0 pi0": ((_PI0_OUT, _PI0_OUT, _PI0_OUT), (M_PI0, M_PI0, M_PI0), 6.0),
    "pi+ pi- pi0": ((_PI_PLUS_OUT, _PI_MINUS_OUT, _PI0_OUT), (M_PIC, M_PIC, M_PI0), 1.0),
}
_COEFFS = {
    key: [_quartic_coefficients((_BASIS[j], *legs)) for j in range(3)] for key, (legs, _, _) in _THREE_PI.items()
}


def width_to_three_pions(mass: float, g_gg: float, channel: str, n_nodes: int = 48) -> float:
    """Γ(a → 3π) [GeV] for ``channel`` "pi0 pi0 pi0" or "pi+ pi- pi0": LO U(3) amplitude (module docstring) times
    :data:`K_3PI`, Dalitz integral dΓ = |A|² ds dt/(256π³ m_a³ S) with Gauss–Legendre nodes; 0 below threshold."""
    _legs, masses, symmetry = _THREE_PI[channel]
    m1, m2, m3 = masses
    if mass <= m1 + m2 + m3:
        return 0.0
    x, wx = np.polynomial.legendre.leggauss(n_nodes)
    s_lo, s_hi = (m1 + m2) ** 2, (mass - m3) ** 2
    s12 = 0.5 * (s_hi - s_lo) * x + 0.5 * (s_hi + s_lo)
    ws = 0.5 * (s_hi - s_lo) * wx
    rs = np.sqrt(s12)
    e2 = (s12 - m1**2 + m2**2) / (2 * rs)
    e3 = (mass**2 - s12 - m3**2) / (2 * rs)
    p2 = np.sqrt(np.clip(e2**2 - m2**2, 0.0, None))
    p3 = np.sqrt(np.clip(e3**2 - m3**2, 0.0, None))
    t_lo, t_hi = (e2 + e3) ** 2 - (p2 + p3) ** 2, (e2 + e3) ** 2 - (p2 - p3) ** 2
    s23 = 0.5 * (t_hi - t_lo)[:, None] * x[None, :] + 0.5 * (t_hi + t_lo)[:, None]
    weight = ws[:, None] * 0.5 * (t_hi - t_lo)[:, None] * wx[None, :]
    s12g = np.broadcast_to(s12[:, None], s23.shape)
    s13 = mass**2 + m1**2 + m2**2 + m3**2 - s12g - s23
    mm = (m1, m2, m3)
    pair = {(1, 2): s12g, (2, 3): s23, (1, 3): s13}
    dots = np.empty((4, 4, *s23.shape))  # q_x·q_y with q₀ = p_a, q_i = −p_i (all incoming)
    dots[0, 0] = mass**2
    for i in (1, 2, 3):
        dots[i, i] = mm[i - 1] ** 2
        j, k = (n for n in (1, 2, 3) if n != i)
        dots[0, i] = dots[i, 0] = -(mass**2 + mm[i - 1] ** 2 - pair[(j, k)]) / 2.0
    for (i, k), s_ik in pair.items():
        dots[i, k] = dots[k, i] = (s_ik - mm[i - 1] ** 2 - mm[k - 1] ** 2) / 2.0
    w = _mixing_weights(mass)
    amp = np.zeros(s23.shape, dtype=np.complex128)
    for j, (c0, c) in enumerate(_COEFFS[channel]):
        amp += w[j] * (c0 + np.einsum("xy,xy...->...", c, dots))
    amp *= 32.0 * math.pi**2 * g_gg
    return float(K_3PI * np.sum(weight * np.abs(amp) ** 2) / (symmetry * 256.0 * math.pi**3 * mass**3))


def check_gluon_mass(mass: float, g_gg: float) -> None:
    """Raise :class:`KinematicsError` if a gluon coupling is asked for where no width is implemented."""
    if g_gg != 0.0 and GLUON_CHPT_MAX < mass < GLUON_PQCD_MIN:
        raise KinematicsError(
            f"mass {mass} GeV with g_gg = {g_gg} is not allowed: the gluon-coupled ALP's hadronic widths are "
            f"implemented up to {GLUON_CHPT_MAX} GeV (ChPT mixing) and from {GLUON_PQCD_MIN} GeV (a → gg), "
            "not in between (resonance-dominated channels; see darkbeam.models.alp)"
        )


def alp_partial_widths(mass: float, g_agg: float, g_aee: float, g_gg: float) -> dict[str, float]:
    """All open partial widths [GeV] of the ALP (module docstring); closed channels omitted."""
    check_gluon_mass(mass, g_gg)
    g_eff: complex = g_agg + (gluon_photon_coupling(mass, g_gg) if g_gg != 0.0 else 0.0)
    widths = {
        "gamma gamma": abs(g_eff) ** 2 * mass**3 / (64.0 * math.pi),
        "e+e-": float(width_to_electrons(mass, g_aee)),
    }
    if g_gg != 0.0:
        if mass <= GLUON_CHPT_MAX:
            for channel in _THREE_PI:
                widths[channel] = width_to_three_pions(mass, g_gg, channel)
        else:
            widths["g g"] = width_to_gluons(mass, g_gg)
    return {k: v for k, v in widths.items() if v > 0}


_CHANNELS: dict[str, tuple[int, ...]] = {
    "gamma gamma": (22, 22),
    "e+e-": (11, -11),
    "pi0 pi0 pi0": (111, 111, 111),
    "pi+ pi- pi0": (211, -211, 111),
    "g g": (21, 21),
}


def _check_common(mass: float, g_aee: float, g_gg: float) -> None:
    check_positive("mass", mass)
    check_positive("g_aee", g_aee, allow_zero=True)
    if g_aee > 1.0:
        raise ConfigError(f"g_aee = {g_aee!r} is not allowed; it must be in [0, 1]")
    if not math.isfinite(g_gg) or abs(g_gg) > 1.0:
        raise ConfigError(f"g_gg = {g_gg!r} is not allowed; it must be finite with |g_gg| <= 1 GeV⁻¹")
    if mass > MAX_MASS:
        raise KinematicsError(f"mass {mass} GeV is above {MAX_MASS} GeV, the ALP model's upper limit")
    check_gluon_mass(mass, g_gg)


@register_model
@dataclass(frozen=True)
class ALP(DarkModel):
    """ALP of mass ``mass`` [GeV], photon coupling ``g_agg`` [GeV⁻¹] (scan coupling), electron coupling ``g_aee``
    (≥ 0) and gluon coupling ``g_gg`` [GeV⁻¹] (= C_GG/Λ of [BNT]; default 0)."""

    name: ClassVar[str] = "alp"
    pdg_id: ClassVar[int] = pdg.DARK_PDG_IDS["alp"]
    coupling_name: ClassVar[str] = "g_agg"
    coupling_power: ClassVar[int] = 2

    mass: float
    g_agg: float = 1.0
    g_aee: float = 0.0
    g_gg: float = 0.0

    def __post_init__(self) -> None:
        check_positive("g_agg", self.g_agg)
        _check_common(self.mass, self.g_aee, self.g_gg)

    @property
    def coupling(self) -> float:
        return self.g_agg

    def with_coupling(self, value: float) -> ALP:
        check_positive("g_agg", value)
        r = value / self.g_agg
        return replace(self, g_agg=value, g_aee=self.g_aee * r, g_gg=self.g_gg * r)

    def parameters(self) -> dict[str, Any]:
        return {"g_agg": self.g_agg, "g_aee": self.g_aee, "g_gg": self.g_gg}

    def partial_widths(self) -> dict[str, float]:
        return alp_partial_widths(self.mass, self.g_agg, self.g_aee, self.g_gg)

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {key: DecayChannel(key, _CHANNELS[key]) for key in self.partial_widths()}

    def production_channels(self) -> list[ProductionChannel]:
        """Meson-decay production channels: none (Primakoff and photon fusion are direct channels, not meson decays;
        meson mixing for a gluon coupling is given by :meth:`meson_mixing`)."""
        return []

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        return {}

    def meson_mixing(self) -> dict[int, float]:
        """|θ_aP|² for P = π⁰ (111), η (221), η′ (331) from the gluon coupling (module :func:`meson_mixing`)."""
        return meson_mixing(self.mass, self.g_gg)


@register_model
@dataclass(frozen=True)
class GluonALP(DarkModel):
    """Gluon-dominated ALP of mass ``mass`` [GeV]: gluon coupling ``g_gg`` [GeV⁻¹] (scan coupling, = C_GG/Λ of
    [BNT]), optional photon ``g_agg`` [GeV⁻¹] and electron ``g_aee`` couplings in fixed ratio to it."""

    name: ClassVar[str] = "alp_gluon"
    pdg_id: ClassVar[int] = pdg.DARK_PDG_IDS["alp"]
    coupling_name: ClassVar[str] = "g_gg"
    coupling_power: ClassVar[int] = 2

    mass: float
    g_gg: float = 1e-3
    g_agg: float = 0.0
    g_aee: float = 0.0

    def __post_init__(self) -> None:
        check_positive("g_gg", self.g_gg)
        check_positive("g_agg", self.g_agg, allow_zero=True)
        _check_common(self.mass, self.g_aee, self.g_gg)

    @property
    def coupling(self) -> float:
        return self.g_gg

    def with_coupling(self, value: float) -> GluonALP:
        check_positive("g_gg", value)
        r = value / self.g_gg
        return replace(self, g_gg=value, g_agg=self.g_agg * r, g_aee=self.g_aee * r)

    def parameters(self) -> dict[str, Any]:
        return {"g_gg": self.g_gg, "g_agg": self.g_agg, "g_aee": self.g_aee}

    def partial_widths(self) -> dict[str, float]:
        return alp_partial_widths(self.mass, self.g_agg, self.g_aee, self.g_gg)

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {key: DecayChannel(key, _CHANNELS[key]) for key in self.partial_widths()}

    def production_channels(self) -> list[ProductionChannel]:
        """None as meson decays; production by meson mixing: :meth:`meson_mixing`."""
        return []

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        return {}

    def meson_mixing(self) -> dict[int, float]:
        """|θ_aP|² for P = π⁰ (111), η (221), η′ (331) (module :func:`meson_mixing`)."""
        return meson_mixing(self.mass, self.g_gg)
