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
* Gluon coupling, chiral regime (below ~0.9 GeV): leading-order U(3) chiral perturbation theory with the
  anomaly (η₀ mass) term, as in [ASW] (supplemental material: ALP–meson mixing, a → 3π). The ALP enters through the
  θ-term, θ(x) = 32π² g_gg a, after the chiral rotation q → exp(−iκ_q θ γ₅/2) q with κ_q = m_q⁻¹/Σ m_q⁻¹ ([ASW]'s
  choice; the results are κ-independent at LO with LO masses, not once the physical π⁰, η, η′ masses are put into the
  propagators, which we do). The amplitude of a → X is 32π² g_gg [μ(m_a²) G(m_a²) − F κ]·V_X with μ the a–P mass and
  kinetic mixing, G the P propagator (LO mixing vectors, physical masses and widths) and V_X the LO vertex of the
  U(3) basis states (π₃, η₈, η₀) (our own derivation; the contact term −Fκ·V_X comes from the same rotation).
  Channels: γγ (WZW vertices; at m_a → 0 this gives g_mix = −1.94 × 16πα g_gg, i.e. BNT's C_γγ^eff = −1.92(4) C_GG),
  π⁰π⁰π⁰ and π⁺π⁻π⁰ below m_η′ (LO quartic vertices of the U(3) Lagrangian over the Dalitz plot) times [ASW]'s
  data-driven factor :data:`K_3PI` = 2.7. First-order mixing: not valid within ~ the width of m_π⁰, m_η or m_η′.
* Gluon coupling, data-driven channels from 2m_π up to 2 GeV ([ASW]; block comment "Data-driven window" below):
  π⁺π⁻γ (ρ VMD, [ASW]'s Gounaris–Sakurai ρ), ρρ, ωω, φφ, K*K̄* ([ASW]'s VVP normalisation; ρ and K* over their
  line shapes), ηππ, η′ππ, KK̄π (light scalar nonet exchange), γγ above m_η′ via VMD, all with a suppression F(m_a).
  Measured against [ASW] (ALPINIST's digitisation, tests/test_alp.py): total width 0.84-1.16 at 0.5-0.85 GeV,
  1.16-1.17 at 1.2-1.3, 0.87-1.09 at 1.5-1.9 GeV except 1.21-1.22 at 1.8-1.85 (KK̄π 2.5-2.7 × [ASW]); 1.26-1.54 at
  1.0-1.15 GeV and 1.29 at 1.4 GeV, where every channel carrying only the ALP content (γγ, π⁺π⁻γ) is 1.4-1.7 ×
  [ASW] although our content reproduces [ASW]'s mixing formula to 1 % and their Γ(π⁺π⁻γ)/Γ(γγ) to 0.95-0.98 —
  the residual is in [ASW]'s Fig. 1 itself, not in a channel normalisation. Channel normalisations are checked in
  ratios where content and F(m_a) cancel: π⁺π⁻γ/γγ 0.95-0.98 (1.0-1.4 GeV), ρρ/π⁺π⁻γ 1.04-1.16 and ωω/π⁺π⁻γ
  0.89-0.95 (1.6-1.8 GeV). F(m_a) = (1.4 GeV/m_a)⁴ above 1.4 GeV (:func:`asw_form_factor`): [ASW]'s Fig. 2 F
  (:func:`asw_fig2_form_factor`, ≈ 1 up to 1.5 GeV) would put every channel at 1.5-1.8 GeV 1.7-2 × above [ASW]'s
  own Fig. 1. On the η′ shoulder (0.85-0.95 GeV) the ratio falls to
  0.38-0.65 (0.52 at 0.9 GeV) and rises to 1.5-3.4 at 0.97-1.0 GeV: the digitised [ASW] curves have their η′ peak
  at ≈ 0.9455 GeV, 12 MeV below m_η′ (their η peak sits at m_η), while the a–η′ mixing has its pole at the
  physical m_η′ (physical mass and width in the denominator, as in [ASW]'s mixing formula). Our η′-pole residues
  Γ(a → X)/|θ_aη′|² reproduce the PDG η′ partial widths (π⁺π⁻γ 1.32, ηπ⁺π⁻ 1.22, ηπ⁰π⁰ 1.31, γγ 1.13 at
  m_η′ − 2 MeV; 3π overshoots η′ → 3π by 2.6-4.3, as [ASW]'s LO × K_3PI), and with the reference's η′ peak mapped
  onto m_η′ γγ agrees to 0.94-1.06 and the total to 1.04-1.24 at 0.86-0.92 GeV (tests/test_alp.py).
* Gluon coupling, m_a ≥ :data:`GLUON_PQCD_MIN`: inclusive hadrons = Γ(a → gg) = 32π α_s² m_a³ g_gg²
  [1 + (97/4 − 7n_f/6) α_s/π], n_f = 3 ([BNT], inclusive hadronic ALP decay rate, with the NLO correction of
  Spira, Djouadi, Graudenz, Zerwas, Nucl. Phys. B453 (1995) 17), α_s at one loop (n_f = 3) from α_s(m_τ) = 0.312
  (PDG 2024 QCD review, τ-decay average). Measured against [ASW]'s total: 0.94-1.13 at 2.0-2.5 GeV, 1.25 at
  2.8 GeV, 1.31 at 2.95 GeV; above ~3 GeV (charm threshold, η_c mixing) this n_f = 3 estimate is rough.
  Between 1.8 and 2.0 GeV (:data:`GLUON_BLEND`) the exclusive channels are blended linearly into a → gg, so the
  total width is continuous ([ASW] switch at 1.84 GeV).

Scan coupling: ``g_agg`` with power 2 for :class:`ALP` (``g_aee`` and ``g_gg`` rescaled with it by
:meth:`ALP.with_coupling`), ``g_gg`` for :class:`GluonALP` (the gluon-dominated ALP, ``g_agg``/``g_aee`` rescaled
with it). Every amplitude is linear in the couplings, so with fixed ratios every width scales as g².

Production (metadata only here; the production stage implements them): Primakoff conversion of photons in the target
(γ N → a N, ∝ g_aγγ²), photon fusion; for a gluon coupling, mixing with the π⁰, η, η′ made in the target
(N_a = Σ_P N_P |θ_aP|² with the P spectra at the ALP mass; Kelly, Kumar, Liu, PRD 103 (2021) 095002, arXiv:2011.05995):
:meth:`ALP.meson_mixing` gives |θ_aP|², the basis-(κ_q-)independent LO U(3) amplitude with physical poles, which does
not vanish for m_a → 0 (θ_aπ → the QCD-axion value (F/2f_a)(m_d − m_u)/(m_u + m_d); block comment "Production by
mixing"). Detection channels beyond decay are declared in :data:`DETECTION_CHANNELS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
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
    "GLUON_BLEND",
    "GLUON_CHPT_MAX",
    "GLUON_PQCD_MIN",
    "KAPPA_INVERSE_MASS",
    "K_3PI",
    "MAX_MASS",
    "GluonALP",
    "alp_partial_widths",
    "alp_u3_content",
    "alpha_s",
    "asw_fig2_form_factor",
    "asw_form_factor",
    "gluon_photon_coupling",
    "gluon_photon_coupling_asw",
    "meson_mixing",
    "mixing_angle_in_basis",
    "production_mixing_amplitudes",
    "width_scalar_exchange",
    "width_to_electrons",
    "width_to_gluons",
    "width_to_photons",
    "width_to_pions_photon",
    "width_to_three_pions",
    "width_to_vector_pairs",
]

#: largest mass accepted [GeV]
MAX_MASS = 10.0

M_E = pdg.mass(pdg.ELECTRON)
M_PI0 = pdg.mass(pdg.PI0)
M_PIC = pdg.mass(pdg.PI_PLUS)
M_ETA = pdg.mass(pdg.ETA)
M_ETAP = pdg.mass(331)

#: gluon coupling: the LO chiral (mixing-only) treatment was used up to this mass [GeV] before the data-driven
#: channels of [ASW] were added (kept for reference; no longer a limit)
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
    """|θ_aP|² for P = π⁰, η, η′ (PDG ids) at ALP mass ``mass`` [GeV]: the production-by-mixing factor,
    |:func:`production_mixing_amplitudes`|² (basis-independent; block comment "Production by mixing" above). The a → X
    widths use :func:`_mixing_weights` (same amplitude up to the physical-vs-LO mass residue, see there)."""
    theta = production_mixing_amplitudes(mass, g_gg)
    return {pid: float(abs(value) ** 2) for pid, value in theta.items()}


# --------------------------------------------------------------------------------------------------------------
# Production by mixing (the π⁰, η, η′ made in the target, N_a = Σ_P N_P |θ_aP|²; Kelly, Kumar, Liu [KKL],
# PRD 103 (2021) 095002, arXiv:2011.05995; Jerhot et al. [ALPINIST], JHEP 07 (2022) 094, arXiv:2201.05170).
# The ALP–meson "mixing angle" depends on the unphysical chiral-rotation parameters κ_q (Σκ_q = 1) used to remove
# a G G̃; physical amplitudes do not (Bauer, Neubert, Renner, Schnubel, Thamm [BNRST], JHEP 04 (2022) 131,
# arXiv:2110.10698, Sec. on the chiral Lagrangian with ALPs: κ_q-independence of physical amplitudes; [ASW]
# supplemental material, where the κ_q dependence cancels between mixing and contact terms). In LO U(3) ChPT
# (block comment above) the κ-basis angle is θ^κ_aP = 32π² g_gg [μ_κ(s) G(s)]·v_P (μ_κ: kinetic + mass mixing) and
# the ALP also couples through contact terms −Fκ·V (its derivative couplings to the axial currents). The sum
# [μ_κ G − Fκ]·v_P, with the LO propagator G = Σ_P v_P v_Pᵀ/(s − λ_P), is κ-independent and equals the κ = 0
# result, where the ALP enters only through the anomaly term and mixes with η₀ alone (our derivation, checked in
# tests/test_alp_mixing.py to 1e-15):
#     θ_aP(m_a) = 32π² g_gg (F m₀²/√6) (v_P)_η₀ / (m_a² − m_P² + i m_P Γ_P)     ("pole form"),
# here with the physical pole (m_P, Γ_P); only the residue is taken at LO, because with physical masses in G the
# κ-basis sum acquires a κ-dependent residue F κ·v_P (m_P² − λ_P): with κ_q = m_q⁻¹/Σ m⁻¹, 1/3, (1,0,0), (0,0,1)
# |θ_aη|² spans 0.48-1.00 × its κ_q = m_q⁻¹/Σ value (π⁰ 0.98-1.03, η′ 0.90-1.00); the LO residue used here gives
# 0.72 (η), 0.985 (π⁰), 1.10 (η′) × that value, at every m_a (the κ-dependence sits in the residue only).
# Why the full amplitude: with κ = 0 the ALP's only LO coupling is this a–η₀ mass mixing, so any hadronic process
# making P through its field makes the ALP with amplitude θ_aP A(P) — the assumption of the mixing estimate (with
# A(pp → P* X) at P* virtuality m_a² taken equal to the on-shell one). In another basis the ALP's contact
# (derivative) couplings to the produced hadrons must be added; the bare angle alone is not a physical amplitude.
# Limits (m_a → 0): θ_aπ → (F/2)(32π² g_gg)(m_d − m_u)/(m_u + m_d) × 0.999 — the QCD-axion a–π⁰ mixing
# θ_aπ = (f_π/2f_a)(m_d − m_u)/(m_u + m_d) with 1/f_a = 32π² g_gg, f_π = F (Georgi, Kaplan, Randall, PLB 169 (1986)
# 73; Grilli di Cortona et al., JHEP 01 (2016) 034, arXiv:1511.02867, Sec. 2), and θ_aη, θ_aη′ → constants: the
# production factor does NOT fall off below m_π⁰. In the κ_q = m_q⁻¹/Σ m⁻¹ basis of [ASW]/[ALPINIST], the angle
# alone (contact terms dropped) goes as θ^κ_aπ ∝ m_a²/(m_a² − m_π²) (no π⁰ mass mixing in that basis), i.e.
# vanishes as m_a² below m_π⁰ and tends to a constant above it; this is the prescription ALPINIST's production uses
# (their ALP_rescale code: kinetic × m_a²/(m_a² − m_π²), mass mixing only for η, η′). Dropping the contact terms is
# a basis choice, not a physical suppression (Ovchynnikov, Zaporozhchenko, arXiv:2501.04525, abstract: the common
# prescription "depends on parameters of unphysical chiral rotation" and "misdescribes the mass scaling of the ALP
# flux"). :func:`mixing_angle_in_basis` gives θ^κ for comparison; tests/test_validation_alp.py measures both.
# F(m_a) (:func:`asw_form_factor`) multiplies θ as it multiplies every ALP–hadron vertex in the widths ([ASW];
# ALPINIST applies the same F to θ); it is 1 below 1.4 GeV.
_PHYS_IDS = (111, 221, 331)


def production_mixing_amplitudes(mass: float, g_gg: float) -> dict[int, complex]:
    """Basis-independent ALP–meson mixing θ_aP (complex, dimensionless) for P = π⁰ (111), η (221), η′ (331) at
    m_a = ``mass`` [GeV] and gluon coupling ``g_gg`` [GeV⁻¹]: θ_aP = F(m_a) 32π² g_gg F m₀² (v_P)_η₀/(√6 (m_a² −
    m_P² + i m_P Γ_P)) (block comment "Production by mixing": LO U(3) residue, physical pole; κ-independent)."""
    check_positive("mass", mass)
    s = mass * mass
    scale = asw_form_factor(mass) * 32.0 * math.pi**2 * g_gg * F_PI * _M0SQ / math.sqrt(6.0)
    return {
        pid: complex(scale * _EIGVEC[2, n] / (s - _PHYS_M2[n] + 1j * _PHYS_MG[n])) for n, pid in enumerate(_PHYS_IDS)
    }


def mixing_angle_in_basis(
    mass: float, g_gg: float, kappa_q: ArrayLike, *, contact: bool = False, physical_masses: bool = True
) -> dict[int, complex]:
    """κ-basis ALP–meson mixing θ^κ_aP for P = π⁰, η, η′ (block comment "Production by mixing"): the chiral rotation
    q → exp(−iκ_q θ γ₅/2) q with ``kappa_q`` = (κ_u, κ_d, κ_s) gives kinetic + mass mixing μ_κ(s); θ^κ =
    32π² g_gg [μ_κ(s) G(s)]·v_P, G with the physical (``physical_masses``) or the LO eigen-masses (no widths).
    Σκ_q = 1 is the usual convention (G G̃ removed entirely); otherwise θ(1 − Σκ_q) stays in the U(3) anomaly term,
    which this Lagrangian keeps, so any κ is valid (κ = 0: no rotation, a–η₀ mass mixing only, which with physical
    masses is :func:`production_mixing_amplitudes` without F(m_a)). ``contact=True`` adds the contact term −Fκ·v_P
    (the full amplitude, κ-independent with LO masses). For comparison and tests; the production does not use it."""
    k_q = np.asarray(kappa_q, dtype=float)
    if k_q.shape != (3,) or not np.all(np.isfinite(k_q)):
        raise ConfigError(f"kappa_q = {k_q.tolist()!r} is not allowed; it must be 3 finite numbers (κ_u, κ_d, κ_s)")
    check_positive("mass", mass)
    kap = np.array([np.trace(np.diag(k_q) @ lam) / 2.0 for lam in _BASIS])
    s = mass * mass
    mu = F_PI * (s * kap - _MQ2 @ kap)
    mu[2] += -F_PI * _M0SQ * kap[2] + _M0SQ * F_PI / math.sqrt(6.0)
    m2 = _PHYS_M2 if physical_masses else _EIGVAL
    mg = _PHYS_MG if physical_masses else np.zeros(3)
    prop = sum(np.outer(_EIGVEC[:, n], _EIGVEC[:, n]) / (s - m2[n] + 1j * mg[n]) for n in range(3))
    w = mu @ prop - (F_PI * kap if contact else 0.0)
    return {pid: complex(32.0 * math.pi**2 * g_gg * (w @ _EIGVEC[:, n])) for n, pid in enumerate(_PHYS_IDS)}


#: κ_q = m_q⁻¹/Σ m⁻¹ ([ASW]'s and ALPINIST's choice: no π⁰ mass mixing), for :func:`mixing_angle_in_basis`
KAPPA_INVERSE_MASS: tuple[float, float, float] = (float(_KAPPA_Q[0]), float(_KAPPA_Q[1]), float(_KAPPA_Q[2]))


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


@lru_cache(maxsize=32)
def _leggauss(n_nodes: int) -> tuple[FloatArray, FloatArray]:
    """Gauss–Legendre nodes and weights on [−1, 1] (cached: numpy recomputes them by an eigenvalue solve)."""
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def _dalitz_grid(
    mass: float, masses: tuple[float, float, float], n_nodes: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Gauss–Legendre nodes over the Dalitz plot of a → 1 2 3 (PDG RPP 2024 Kinematics, Eq. 49.22 for the s₂₃
    limits at fixed s₁₂): (s₁₂, s₂₃, s₁₃, weight), each (n_nodes, n_nodes) [GeV²]; Σ weight · f = ∫ ds₁₂ ds₂₃ f."""
    m1, m2, m3 = masses
    x, wx = _leggauss(n_nodes)
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
    return s12g, s23, s13, weight


def width_to_three_pions(mass: float, g_gg: float, channel: str, n_nodes: int = 48) -> float:
    """Γ(a → 3π) [GeV] for ``channel`` "pi0 pi0 pi0" or "pi+ pi- pi0": LO U(3) amplitude (module docstring) times
    :data:`K_3PI`, Dalitz integral dΓ = |A|² ds dt/(256π³ m_a³ S) with Gauss–Legendre nodes; 0 below threshold."""
    _legs, masses, symmetry = _THREE_PI[channel]
    m1, m2, m3 = masses
    if mass <= m1 + m2 + m3:
        return 0.0
    s12g, s23, s13, weight = _dalitz_grid(mass, (m1, m2, m3), n_nodes)
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


# --------------------------------------------------------------------------------------------------------------
# Data-driven window (2m_π-2 GeV) after [ASW] (PRL 123 (2019) 031803 and supplemental material, arXiv:1811.03474).
# The ALP enters every hadronic vertex through its U(3) content Φ_a (φ ⊃ a Φ_a, φ = Σ_j λ_j φ_j as above, i.e. the
# nonet matrix Π = φ/√2 contains a Φ_a/√2). [ASW]'s "a_U3" = Σ_P ⟨aP⟩ T_P is the a–π⁰/η/η′ mixing, i.e. our LO
# μ(s)G(s) WITHOUT the contact term −Fκ (which [ASW] keep only in the γγ and 3π amplitudes), used at all masses
# (as in ALPaca's current implementation of [ASW], github.com/alp-aca/alp-aca, chiPT/chiral.py). Tried and
# dropped: the flavour-singlet content a_U3 = (F/f_a) α̃_s/√6 · 1 above ~1.15 GeV of an earlier ALPaca version —
# 0.2-0.6 of [ASW]'s widths at 1.2-1.8 GeV, against 0.8-1.3 with the mixing content.
# Every exclusive amplitude carries a suppression F(m_a): [ASW]'s data-driven F ([ASW] Eq. 17, Fig. 2; ALPINIST's
# cubic fit of that figure is :func:`asw_fig2_form_factor`) is ≈ 1 up to ~1.5 GeV, but the widths of [ASW]'s
# Fig. 1 (the acceptance reference, issue #5) fall as with F = (1.4 GeV/m_a)⁴ from 1.4 GeV (all channels, γγ
# included, 1.7-2 × too high with Fig. 2's F at 1.5-1.8 GeV): :func:`asw_form_factor` keeps (1.4/m_a)⁴.
# Vector mesons: VVP vertex L = k ε^{μνρσ} tr(∂_μV_ν ∂_ρV_σ Π) (hidden local symmetry, g² = 12π as [ASW],
# V → (e/g) Q A). π⁺π⁻γ: k fixed on Γ(ω → π⁰γ) (the HLS value 3g²/(4√2π² F), which gives π⁰ → γγ exactly,
# overshoots ω → π⁰γ by 2.3), ρ → ππ with g_ρππ = g and [ASW]'s Gounaris–Sakurai ρ propagator. a → VV: [ASW]'s
# normalisation k = 3g²/(8√2π² F) (:func:`_vv_constant_asw`), ρ and K* integrated over their P-wave line shapes.
# Scalars: light nonet (a0(980), κ = K0*(700), σ = f0(500) taken as nn̄, f0(980) as ss̄) with one SPP vertex
# L = g_S tr(S ∂Π·∂Π); g_S from Γ(a0(980) → ηπ) = 75 MeV (ALPaca's a0 width, ηπ-saturated). [ASW] also include
# the f2(1270) (not here).
# Matching to a → gg: [ASW] use the sum of exclusive channels up to m_a ≈ 1.84 GeV and the perturbative inclusive
# rate above (their two totals meet there; ALPaca: a → gg from 1.84 GeV). Ours do not meet below 2 GeV (our
# exclusive sum stays above a → gg), so we blend linearly over :data:`GLUON_BLEND` = 1.8-2.0 GeV: exclusive widths
# × (1 − t), a → gg × t — the total width is continuous, and equals the perturbative rate from 2 GeV on.

M_RHO = pdg.mass(113)
M_RHOC = pdg.mass(213)
M_OMEGA = pdg.mass(223)
M_PHI = pdg.mass(333)
M_KSTC = pdg.mass(323)
M_KST0 = pdg.mass(313)
M_KC = pdg.mass(321)
M_K0 = pdg.mass(311)
#: ρ(770) width [GeV] (PDG 2024)
GAMMA_RHO = 0.1491
#: HLS gauge coupling squared g² = 12π ([ASW]; g_ρππ = g)
G_HLS_SQ = 12.0 * math.pi
#: light scalar nonet: mass, width [GeV] (PDG 2024 central values; σ width 0.4 GeV and a0 width 75 MeV as in ALPaca)
SCALAR_A0 = (0.980, 0.075)
SCALAR_KAPPA = (0.845, 0.468)
SCALAR_SIGMA = (0.500, 0.400)
SCALAR_F0 = (0.990, 0.055)


#: cubic F(m) = Σ c_n mⁿ (m in GeV) on 1.4-2 GeV: ALPINIST's fit to [ASW]'s Fig. 2 (Jerhot et al., arXiv:2201.05170,
#: ALP_rescale/alp/effective_coupling.py, "VMD-F-function ... cubic fit"); F(1.4) = 1.000, F(2) = 0.240 = (1.4/2)⁴
ASW_F_CUBIC = (-25.4899, 49.0191, -29.4815, 5.7022)


def asw_fig2_form_factor(mass: float) -> float:
    """[ASW]'s F(m_a) as drawn in their Fig. 2 ([ASW] Eq. 17): 1 up to 1.4 GeV, ALPINIST's cubic fit
    :data:`ASW_F_CUBIC` on 1.4-2 GeV (0.82 at 1.6, 0.48 at 1.8 GeV), (1.4 GeV/m_a)⁴ above. NOT used in the widths
    (see :func:`asw_form_factor`): with it and [ASW]'s mixing (which our content reproduces to 1 %), every channel,
    γγ included, comes out 1.5-2.6 × [ASW]'s Fig. 1 at 1.5-1.8 GeV (tests/test_alp.py)."""
    if mass <= 1.4:
        return 1.0
    if mass <= 2.0:
        c0, c1, c2, c3 = ASW_F_CUBIC
        return c0 + mass * (c1 + mass * (c2 + mass * c3))
    return (1.4 / mass) ** 4


def asw_form_factor(mass: float) -> float:
    """Suppression F(m_a) of every exclusive ALP–hadron vertex used in the widths: 1 up to 1.4 GeV, (1.4 GeV/m_a)⁴
    above ([ASW]'s large-mass form, from 1.4 GeV on). [ASW]'s Fig. 2 F (:func:`asw_fig2_form_factor`) is ≈ 1 up to
    ~1.5 GeV, but their Fig. 1 widths fall as if F = (1.4/m_a)⁴ from 1.4 GeV: with this form all channels agree with
    Fig. 1 to 0.8-1.3 at 1.5-1.8 GeV, with Fig. 2's F they are uniformly 1.5-2.6 × (module docstring)."""
    return 1.0 if mass <= 1.4 else (1.4 / mass) ** 4


def alp_u3_content(mass: float, g_gg: float) -> NDArray[np.complex128]:
    """Diagonal of Φ_a (λ-normalised U(3) content, φ ⊃ a Φ_a; = 2 × [ASW]'s a_U3) at m_a = ``mass`` [GeV]: the LO
    a–π⁰/η/η′ mixing μ(s)G(s) without the contact term (block comment above)."""
    u = _mixing_weights(mass) + F_PI * _KAPPA  # without the contact term −Fκ
    return np.asarray(
        32.0 * math.pi**2 * g_gg * np.array([sum(u[j] * _BASIS[j][q, q] for j in range(3)) for q in range(3)]),
        dtype=np.complex128,
    )


_Q = np.array([2.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0])
#: physical-state flavour matrices in the nonet normalisation (tr M M† = 1); η, η′ at θ_P = −19.5°
_DIAG = {
    "pi0": np.array([1.0, -1.0, 0.0]) / math.sqrt(2.0),
    "eta": np.array([1.0, 1.0, -1.0]) / math.sqrt(3.0),
    "eta'": np.array([1.0, 1.0, 2.0]) / math.sqrt(6.0),
}


def gluon_photon_coupling_asw(mass: float, g_gg: float) -> complex:
    """a γγ coupling [GeV⁻¹] from the gluon coupling: below m_η′ :func:`gluon_photon_coupling` (mixing + the
    chiral-rotation contact term; [ASW] Eqs. S26-S27 at q² = 0); from m_η′ on [ASW] drop the contact ("chiral")
    term and keep the VMD term, (α/(πF)) N_c tr(Q² Φ_a) F(m_a)."""
    if mass < M_ETAP:
        return gluon_photon_coupling(mass, g_gg)
    phi = alp_u3_content(mass, g_gg)
    return complex(ALPHA_EM / (math.pi * F_PI) * 3.0 * np.sum(_Q**2 * phi) * asw_form_factor(mass))


#: Γ(ω → π⁰γ) [GeV] = 8.68 MeV × 8.35 % (PDG 2024), which fixes the VVP vertex below
GAMMA_OMEGA_PI0_GAMMA = 8.68e-3 * 0.0835


def _vvp_constant() -> float:
    """VVP constant k [GeV⁻¹] of L = k ε^{μνρσ} tr(∂_μV_ν ∂_ρV_σ Π) (nonet matrices, tr M M† = 1), fixed on
    Γ(ω → π⁰γ) with V → (e/g) Q A, g² = 12π: c = 2k (e/g) tr(M_ω Q M_π⁰) = k e/g, Γ = |c|² p³/(12π) (ω spin
    average). The HLS value −3g²/(4√2π² F) (which gives π⁰ → γγ exactly) predicts 1.71 MeV, 2.3× the data."""
    e = math.sqrt(4.0 * math.pi * ALPHA_EM)
    g = math.sqrt(G_HLS_SQ)
    p = (M_OMEGA**2 - M_PI0**2) / (2.0 * M_OMEGA)
    return math.sqrt(GAMMA_OMEGA_PI0_GAMMA * 12.0 * math.pi / p**3) / (e / g)


def _pcm(m0: float, m1: float, m2: float) -> float:
    lam = (m0 * m0 - (m1 + m2) ** 2) * (m0 * m0 - (m1 - m2) ** 2)
    return math.sqrt(lam) / (2.0 * m0) if lam > 0 and m0 > m1 + m2 else 0.0


#: K*(892)± and K*(892)⁰ widths [GeV] (PDG 2024); ω and φ (8.7 and 4.2 MeV) are taken narrow in a → VV
GAMMA_KSTC = 0.0514
GAMMA_KST0 = 0.0473


def _vv_constant_asw() -> float:
    """[ASW]'s VVP constant for a → VV [GeV⁻¹] in the normalisation of :func:`_vvp_constant`: [ASW]'s
    Γ(a → ωω) = 9 g⁴ m_a³ β_ω³ F(m_a)² |⟨aωω⟩|²/((4π)⁵ f_a²), ⟨aVV⟩ = 2 (f_a/f_π) tr(a_U3 V V), g² = 12π
    (supplemental material of arXiv:1811.03474, a → VV; the formula as transcribed in ALPaca, github.com/alp-aca/
    alp-aca, decays/hadronic: decay_width_2w), with f_π = F_π = 92 MeV, written as L = k ε tr(∂V ∂V Π) with
    Π = nonet matrix (Π_a = √2 a_U3): k = 3g²/(8√2π² F_π) = 11.0 GeV⁻¹, half the HLS value 3g²/(4√2π² F_π) and
    0.77 × the value fixed on ω → π⁰γ (used for π⁺π⁻γ). ALPaca evaluates the formula with f_π = 130 MeV (k/√2,
    half the rate); the F(m_a)- and content-independent ratios of [ASW]'s own curves, Γ(ωω)/Γ(π⁺π⁻γ) and
    Γ(ρρ)/Γ(π⁺π⁻γ) at 1.6-1.9 GeV, select F_π: 0.44-0.58 of [ASW]'s with 130 MeV (tests/test_alp.py)."""
    return 3.0 * G_HLS_SQ / (8.0 * math.sqrt(2.0) * math.pi**2 * F_PI)


def _bw_mass_nodes(
    m0: float, width: float, daughters: tuple[float, float], s_hi: float, n: int
) -> tuple[FloatArray, FloatArray]:
    """Masses √s and weights w (Σ w f = ∫ ds ρ(s) f over [(m₁ + m₂)², s_hi]) for the P-wave spectral function
    ρ(s) = (1/π) m₀Γ(s)/((s − m₀²)² + m₀²Γ(s)²), Γ(s) = Γ (m₀/√s)(q(s)/q(m₀²))³ (q: decay momentum into the two
    ``daughters``; the form of the ρ width in BaBar, PRD 86 (2012) 032013, Eq. 28). Gauss–Legendre in
    θ = arctan((s − m₀²)/(m₀Γ)), weighted by ρ(s)/ρ_BW(s) (ρ_BW: constant width, ds ρ_BW = dθ/π)."""
    x, wx = _leggauss(n)
    s_lo = (daughters[0] + daughters[1]) ** 2
    t_lo, t_hi = math.atan((s_lo - m0 * m0) / (m0 * width)), math.atan((s_hi - m0 * m0) / (m0 * width))
    theta = 0.5 * (t_hi - t_lo) * x + 0.5 * (t_hi + t_lo)
    s = m0 * m0 + m0 * width * np.tan(theta)
    rs = np.sqrt(s)
    q = np.array([_pcm(float(r), *daughters) for r in rs])
    gam_s = width * (m0 / rs) * (q / _pcm(m0, *daughters)) ** 3
    ratio = gam_s / width * ((s - m0 * m0) ** 2 + (m0 * width) ** 2) / ((s - m0 * m0) ** 2 + (m0 * gam_s) ** 2)
    return rs, 0.5 * (t_hi - t_lo) * wx / math.pi * ratio


def width_to_vector_pairs(mass: float, g_gg: float, n_nodes: int = 48) -> dict[str, float]:
    """Γ(a → V V) [GeV] for ρ⁰ρ⁰, ρ⁺ρ⁻, ωω, φφ, K*⁺K*⁻, K*⁰K̄*⁰ ([ASW] a → VV, VVP vertex with [ASW]'s
    normalisation :func:`_vv_constant_asw`, Π → Φ_a/√2, times F(m_a)): |M|² = 2|c|² m_a²p², Γ = S |c|² p³/(4π),
    S = 1/2 for identical V, ρ⁺ρ⁻ = 2 ρ⁰ρ⁰ (isospin). The broad ρ and K* are integrated over their Breit–Wigner
    line shapes (ρ from 2m_π, K* from m_K + m_π; [ASW]'s ρρ and K*K̄* are non-zero below 2m_V), ω and φ narrow."""
    pia = alp_u3_content(mass, g_gg) / math.sqrt(2.0) * asw_form_factor(mass)
    k = _vv_constant_asw()
    out: dict[str, float] = {}
    specs = {  # name: (c as function of Π_a diagonal, (mass, width, decay products) of each V, symmetry factor)
        "rho0 rho0": (k * (pia[0] + pia[1]), (M_RHO, GAMMA_RHO, (M_PIC, M_PIC)), 0.5),
        "rho+ rho-": (k * (pia[0] + pia[1]), (M_RHOC, GAMMA_RHO, (M_PIC, M_PI0)), 1.0),
        "omega omega": (k * (pia[0] + pia[1]), (M_OMEGA, 0.0, (0.0, 0.0)), 0.5),
        "phi phi": (2.0 * k * pia[2], (M_PHI, 0.0, (0.0, 0.0)), 0.5),
        "K*+ K*-": (k * (pia[0] + pia[2]), (M_KSTC, GAMMA_KSTC, (M_K0, M_PIC)), 1.0),
        "K*0 K*0bar": (k * (pia[1] + pia[2]), (M_KST0, GAMMA_KST0, (M_KC, M_PIC)), 1.0),
    }
    for name, (c, (m_v, g_v, dau), sym) in specs.items():
        if g_v == 0.0:
            p = _pcm(mass, m_v, m_v)
            if p > 0:
                out[name] = float(sym * abs(c) ** 2 * p**3 / (4.0 * math.pi))
            continue
        m_lo = dau[0] + dau[1]
        if mass <= 2 * m_lo:
            continue
        m1, w1 = _bw_mass_nodes(m_v, g_v, dau, (mass - m_lo) ** 2, n_nodes)
        mm1, mm2 = np.meshgrid(m1, m1, indexing="ij")
        lam = (mass**2 - (mm1 + mm2) ** 2) * (mass**2 - (mm1 - mm2) ** 2)
        p_vv = np.sqrt(np.clip(lam, 0.0, None)) / (2.0 * mass)
        width = float(np.sum(np.outer(w1, w1) * p_vv**3))
        if width > 0:
            out[name] = sym * abs(c) ** 2 * width / (4.0 * math.pi)
    return out


def width_to_pions_photon(mass: float, g_gg: float, n_nodes: int = 64) -> float:
    """Γ(a → π⁺π⁻γ) [GeV] through a → ρ⁰γ (HLS, V → (e/g)QA), ρ⁰ → π⁺π⁻ (g_ρππ = g):
    dΓ/ds = (1/π) Γ(a → ρ*(s) γ) √s Γ_ρ(s) |BW_GS(s)|²/m_ρ⁴ ([ASW] ππγ via VMD, with F(m_a)), √s Γ_ρ(s) =
    g² p_π³/(6π√s) and [ASW]'s ρ line shape, the Gounaris–Sakurai propagator :func:`_rho_gounaris_sakurai`
    (normalised to 1 at s = 0, where the old 1/(s − m_ρ² + i√sΓ_ρ(s)) and it agree; 1.11× the rate at 0.7 GeV,
    1.24-1.27× above 1 GeV)."""
    if mass <= 2 * M_PIC:
        return 0.0
    pia = alp_u3_content(mass, g_gg) / math.sqrt(2.0) * asw_form_factor(mass)
    e = math.sqrt(4.0 * math.pi * ALPHA_EM)
    g = math.sqrt(G_HLS_SQ)
    # photon through its ρ⁰ component only, Q ⊃ M_ρ0/√2 ([ASW]: a → ρρ, one ρ → γ; the κ-dependent isovector
    # content, a → ρω, is left out as in [ASW]): tr(M_ρ0 (M_ρ0/√2) Π_a) = (Π_a,uu + Π_a,dd)/(2√2), two placements
    c = _vvp_constant() * (e / g) * 2.0 * (pia[0] + pia[1]) / (2.0 * math.sqrt(2.0))
    x, wx = _leggauss(n_nodes)
    # integrate in √s from 2 m_π to m_a
    lo, hi = 2 * M_PIC, mass
    rs = 0.5 * (hi - lo) * x + 0.5 * (hi + lo)
    w = 0.5 * (hi - lo) * wx * 2.0 * rs  # ds = 2√s d√s
    s = rs * rs
    p_pi = np.sqrt(np.clip(s / 4.0 - M_PIC**2, 0.0, None))
    sgam = G_HLS_SQ * p_pi**3 / (6.0 * math.pi * rs)  # √s Γ_ρ(s)
    p_gam = (mass * mass - s) / (2.0 * mass)
    two_body = abs(c) ** 2 * p_gam**3 / (4.0 * math.pi)
    dens = sgam * np.abs(_rho_gounaris_sakurai(s)) ** 2 / (math.pi * M_RHO**4)
    return float(np.sum(w * two_body * dens))


def _gs_h(s: FloatArray | float) -> FloatArray:
    """Gounaris–Sakurai h(s) = (2/π)(k/√s) ln((√s + 2k)/(2m_π)), k = (s/4 − m_π²)^{1/2}."""
    rs = np.sqrt(s)
    k = np.sqrt(np.clip(np.asarray(s) / 4.0 - M_PIC**2, 0.0, None))
    return np.asarray(2.0 / math.pi * k / rs * np.log((rs + 2.0 * k) / (2.0 * M_PIC)))


def _rho_gounaris_sakurai(s: FloatArray) -> NDArray[np.complex128]:
    """ρ(770) propagator BW_GS(s) = m²(1 + dΓ/m)/(m² − s + f(s) − i m Γ(s)) (Gounaris, Sakurai, PRL 21 (1968)
    244; in the form of BaBar, PRD 86 (2012) 032013, Eqs. 27-33, which [ASW] use for a → π⁺π⁻γ — transcribed in
    ALPaca's implementation of [ASW], decays/hadronic), Γ(s) = Γ (m/√s)(k/k_m)³,
    f(s) = Γ m²/k_m³ [k²(h(s) − h(m²)) + (m² − s) k_m² h′(m²)], d fixed by BW_GS(0) = 1."""
    m, gam = M_RHO, GAMMA_RHO
    km = math.sqrt(m * m / 4.0 - M_PIC**2)
    h_m = float(_gs_h(m * m))
    # dh/ds at m²: h = (2/π)(k/√s) L, L = ln((√s + 2k)/(2m_π)); dk/ds = 1/(8k), dL/ds = 1/(4k√s)
    dk_term = (1.0 / (8.0 * km * m) - km / (2.0 * m**3)) * math.log((m + 2.0 * km) / (2.0 * M_PIC))
    dh = 2.0 / math.pi * (dk_term + 1.0 / (4.0 * m * m))
    d = (
        3.0 / math.pi * M_PIC**2 / km**2 * math.log((m + 2.0 * km) / (2.0 * M_PIC))
        + m / (2.0 * math.pi * km)
        - M_PIC**2 * m / (math.pi * km**3)
    )
    k = np.sqrt(np.clip(s / 4.0 - M_PIC**2, 0.0, None))
    f = gam * m * m / km**3 * (k * k * (_gs_h(s) - h_m) + (m * m - s) * km * km * dh)
    gam_s = gam * (m / np.sqrt(s)) * (k / km) ** 3
    return np.asarray(m * m * (1.0 + d * gam / m) / (m * m - s + f - 1j * m * gam_s), dtype=np.complex128)


def _scalar_states() -> list[tuple[NDArray[np.float64], float, float]]:
    """(matrix M_s in nonet normalisation, mass, width) of the light scalar nonet states (see block comment)."""

    def e(i: int, j: int) -> NDArray[np.float64]:
        m = np.zeros((3, 3))
        m[i, j] = 1.0
        return m

    a0m, a0g = SCALAR_A0
    km, kg = SCALAR_KAPPA
    states = [(e(0, 1), a0m, a0g), (e(1, 0), a0m, a0g), (np.diag([1.0, -1.0, 0.0]) / math.sqrt(2.0), a0m, a0g)]
    states += [(e(i, j), km, kg) for i, j in ((0, 2), (2, 0), (1, 2), (2, 1))]
    states.append((np.diag([1.0, 1.0, 0.0]) / math.sqrt(2.0), *SCALAR_SIGMA))
    states.append((np.diag([0.0, 0.0, 1.0]), *SCALAR_F0))
    return states


_SCALARS = _scalar_states()


def _out_matrix(name: str) -> NDArray[np.float64]:
    """Flavour matrix of an outgoing pseudoscalar (coefficient of the field that creates it)."""
    if name in _DIAG:
        return np.diag(_DIAG[name])
    pos = {"pi+": (1, 0), "pi-": (0, 1), "K+": (2, 0), "K-": (0, 2), "K0": (2, 1), "K0bar": (1, 2)}[name]
    m = np.zeros((3, 3))
    m[pos] = 1.0
    return m


def _spp(s_mat: NDArray[Any], x: NDArray[Any], y: NDArray[Any]) -> complex:
    return complex(np.trace(s_mat @ x @ y) + np.trace(s_mat @ y @ x))


def _two_body_spp(m_s: NDArray[np.float64], m0: float, out: tuple[str, str], masses: tuple[float, float]) -> float:
    """Γ(S → P_i P_j) [GeV] at unit coupling: |A| = (p_i·p_j) |tr(M_S{M_i, M_j})|, Γ = |A|² p/(8π m²) × S."""
    t = abs(_spp(m_s, _out_matrix(out[0]), _out_matrix(out[1])))
    dot = (m0 * m0 - masses[0] ** 2 - masses[1] ** 2) / 2.0
    sym = 0.5 if out[0] == out[1] else 1.0
    return sym * (t * dot) ** 2 * _pcm(m0, *masses) / (8.0 * math.pi * m0 * m0)


def _scalar_coupling() -> float:
    """Universal SPP coupling g_S [GeV⁻¹] of the light nonet from Γ(a0⁰(980) → ηπ⁰) = 75 MeV. (Fixing σ and κ on
    their own widths instead — Γ = 0.4, 0.47 GeV, 3× larger couplings — overshoots [ASW]'s ηππ and KKπ by 3-60×
    with these derivative vertices, so one SU(3) coupling is kept; [ASW] fit separate σ, f0, a0, f2 couplings.)"""
    a0 = np.diag([1.0, -1.0, 0.0]) / math.sqrt(2.0)
    return math.sqrt(SCALAR_A0[1] / _two_body_spp(a0, SCALAR_A0[0], ("eta", "pi0"), (M_ETA, M_PI0)))


#: light-nonet SPP coupling g_S [GeV⁻¹] (Γ(a0 → ηπ) = 75 MeV)
G_SCALAR = _scalar_coupling()


#: scalar-exchange three-body channels: name → (outgoing names, masses, symmetry factor, PDG ids)
_SCALAR_CHANNELS: dict[str, tuple[tuple[str, str, str], tuple[float, float, float], float, tuple[int, ...]]] = {
    "eta pi+ pi-": (("eta", "pi+", "pi-"), (M_ETA, M_PIC, M_PIC), 1.0, (221, 211, -211)),
    "eta pi0 pi0": (("eta", "pi0", "pi0"), (M_ETA, M_PI0, M_PI0), 2.0, (221, 111, 111)),
    "eta' pi+ pi-": (("eta'", "pi+", "pi-"), (M_ETAP, M_PIC, M_PIC), 1.0, (331, 211, -211)),
    "eta' pi0 pi0": (("eta'", "pi0", "pi0"), (M_ETAP, M_PI0, M_PI0), 2.0, (331, 111, 111)),
    "K+ K- pi0": (("K+", "K-", "pi0"), (M_KC, M_KC, M_PI0), 1.0, (321, -321, 111)),
    "K0 K0bar pi0": (("K0", "K0bar", "pi0"), (M_K0, M_K0, M_PI0), 1.0, (311, -311, 111)),
    "K+ K0bar pi-": (("K+", "K0bar", "pi-"), (M_KC, M_K0, M_PIC), 1.0, (321, -311, -211)),
    "K- K0 pi+": (("K-", "K0", "pi+"), (M_KC, M_K0, M_PIC), 1.0, (-321, 311, 211)),
}


def width_scalar_exchange(mass: float, g_gg: float, channel: str, n_nodes: int = 40) -> float:
    """Γ(a → P₁P₂P₃) [GeV] through the light scalar nonet ([ASW] ηππ via a0/f0/σ, extended by SU(3) to η′ππ and
    KKπ): A = F(m_a) g_S² Σ_pairs Σ_S [(p_a·p_k) tr(M_S†{Π_a, M_k})] BW_S(s_ij) [(p_i·p_j) tr(M_S{M_i, M_j})],
    BW = 1/(s − m_S² + i m_S Γ_S); σ exchange cut above m_ππ = 2m_K (as ALPaca). Dalitz integral as in
    :func:`width_to_three_pions`."""
    names, masses, symmetry, _ids = _SCALAR_CHANNELS[channel]
    m1, m2, m3 = masses
    if mass <= m1 + m2 + m3:
        return 0.0
    pia = np.diag(alp_u3_content(mass, g_gg) / math.sqrt(2.0))
    mats = [_out_matrix(n) for n in names]
    s12g, s23, s13, weight = _dalitz_grid(mass, (m1, m2, m3), n_nodes)
    pair_s = {(0, 1): s12g, (1, 2): s23, (0, 2): s13}
    amp = np.zeros(s23.shape, dtype=np.complex128)
    for (i, j), sij in pair_s.items():
        k = 3 - i - j
        pa_pk = (mass**2 + masses[k] ** 2 - sij) / 2.0
        pi_pj = (sij - masses[i] ** 2 - masses[j] ** 2) / 2.0
        is_pipi = {names[i], names[j]} <= {"pi+", "pi-", "pi0"}
        for m_s, ms, gs in _SCALARS:
            left = _spp(m_s.T, pia, mats[k])
            right = _spp(m_s, mats[i], mats[j])
            if left == 0 or right == 0:
                continue
            bw = 1.0 / (sij - ms * ms + 1j * ms * gs)
            if (ms, gs) == SCALAR_SIGMA and is_pipi:
                bw = np.where(sij < 4 * M_KC**2, bw, 0.0)
            amp += left * right * pa_pk * pi_pj * bw
    amp *= G_SCALAR**2 * asw_form_factor(mass)
    return float(np.sum(weight * np.abs(amp) ** 2) / (symmetry * 256.0 * math.pi**3 * mass**3))


#: a → gg blend: exclusive channels × (1 − t), a → gg × t, t linear from 0 at the first to 1 at the second mass [GeV]
#: ([ASW] switch sharply from the exclusive sum to a → gg at 1.84 GeV, where their two totals meet; ours do not
#: meet below 2 GeV, so we interpolate — our choice; the total width is continuous)
GLUON_BLEND = (1.8, GLUON_PQCD_MIN)


@lru_cache(maxsize=4096)
def _gluon_hadronic_unit(mass: float) -> tuple[tuple[str, float], ...]:
    """Hadronic partial widths [GeV] of the gluon-coupled ALP at g_gg = 1 GeV⁻¹ (they scale as g_gg²), m ≥ 2m_π."""
    widths: dict[str, float] = {}
    if mass < GLUON_PQCD_MIN:
        widths["pi+ pi- gamma"] = width_to_pions_photon(mass, 1.0)
        if mass < M_ETAP:  # LO chiral 3π ([ASW] give a → 3π below m_η′ only)
            for channel in _THREE_PI:
                widths[channel] = width_to_three_pions(mass, 1.0, channel)
        widths.update(width_to_vector_pairs(mass, 1.0))
        for channel in _SCALAR_CHANNELS:
            widths[channel] = width_scalar_exchange(mass, 1.0, channel)
    t = min(max((mass - GLUON_BLEND[0]) / (GLUON_BLEND[1] - GLUON_BLEND[0]), 0.0), 1.0)
    out = {k: (1.0 - t) * v for k, v in widths.items()}
    if t > 0:
        out["g g"] = t * width_to_gluons(mass, 1.0)
    return tuple((k, v) for k, v in out.items() if v > 0)


def alp_partial_widths(mass: float, g_agg: float, g_aee: float, g_gg: float) -> dict[str, float]:
    """All open partial widths [GeV] of the ALP (module docstring); closed channels omitted."""
    g_eff: complex = g_agg + (gluon_photon_coupling_asw(mass, g_gg) if g_gg != 0.0 else 0.0)
    widths = {
        "gamma gamma": abs(g_eff) ** 2 * mass**3 / (64.0 * math.pi),
        "e+e-": float(width_to_electrons(mass, g_aee)),
    }
    if g_gg != 0.0:
        widths.update({k: v * g_gg**2 for k, v in _gluon_hadronic_unit(float(mass))})
    return {k: v for k, v in widths.items() if v > 0}


_CHANNELS: dict[str, tuple[int, ...]] = {
    "gamma gamma": (22, 22),
    "e+e-": (11, -11),
    "pi0 pi0 pi0": (111, 111, 111),
    "pi+ pi- pi0": (211, -211, 111),
    "g g": (21, 21),
    "pi+ pi- gamma": (211, -211, 22),
    "rho0 rho0": (113, 113),
    "rho+ rho-": (213, -213),
    "omega omega": (223, 223),
    "phi phi": (333, 333),
    "K*+ K*-": (323, -323),
    "K*0 K*0bar": (313, -313),
    **{name: spec[3] for name, spec in _SCALAR_CHANNELS.items()},
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


class _ALPDecays(DarkModel):
    """Widths, decay channels and production of both ALP parametrisations (:class:`ALP`, :class:`GluonALP`)."""

    mass: float
    g_agg: float
    g_aee: float
    g_gg: float

    def partial_widths(self) -> dict[str, float]:
        return alp_partial_widths(self.mass, self.g_agg, self.g_aee, self.g_gg)

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {key: DecayChannel(key, _CHANNELS[key]) for key in self.partial_widths()}

    def production_channels(self) -> list[ProductionChannel]:
        """Direct production channels (darkbeam.production.primakoff): Primakoff conversion of target photons,
        ``ProductionChannel(22, "primakoff", ())``, and, for a gluon coupling, mixing with the π⁰, η, η′ made in
        the target, ``ProductionChannel(<ALP id>, "mixing <P>", ())`` (parents: the meson-mixing source's rows,
        tagged with the ALP's own PDG id). Only the open ones (non-zero factor in
        :meth:`production_branching_ratios`) are listed. Photon fusion is not implemented."""
        return [
            ProductionChannel(parent, name, ())
            for parent, channels in self.production_branching_ratios().items()
            for name in channels
        ]

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        """Coupling factors of the direct channels (not branching ratios): parent 22 → {"primakoff": |g_eff|²
        [GeV⁻²]}, g_eff the a γγ coupling at the ALP mass (g_aγγ plus the gluon-induced part, read off
        Γ(a → γγ) = |g_eff|² m³/(64π)); parent = ALP id → {"mixing <P>": |θ_aP|²} (:meth:`meson_mixing`).
        Channels with a zero factor are left out."""
        from ..production.primakoff import ALP_PDG, MIXING_CHANNELS, PHOTON_PDG

        out: dict[int, dict[str, float]] = {}
        g_eff_sq = float(64.0 * math.pi * self.partial_widths().get("gamma gamma", 0.0) / self.mass**3)
        if g_eff_sq > 0.0:
            out[PHOTON_PDG] = {"primakoff": g_eff_sq}
        if self.g_gg != 0.0:
            mixing = {MIXING_CHANNELS[pid]: theta2 for pid, theta2 in self.meson_mixing().items() if theta2 > 0.0}
            if mixing:
                out[ALP_PDG] = mixing
        return out

    def meson_mixing(self) -> dict[int, float]:
        """|θ_aP|² for P = π⁰ (111), η (221), η′ (331) from the gluon coupling: the basis-independent production
        factor of module :func:`meson_mixing` (κ_q-independent LO U(3) residue, physical pole, F(m_a))."""
        return meson_mixing(self.mass, self.g_gg)


@register_model
@dataclass(frozen=True)
class ALP(_ALPDecays):
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


@register_model
@dataclass(frozen=True)
class GluonALP(_ALPDecays):
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
