"""Heavy neutral lepton (HNL) N of the neutrino portal, mixing with the active neutrinos through |U_α4|².

Physics references (all widths at tree level, Fermi theory):

* [BBGR] K. Bondarenko, A. Boyarsky, D. Gorbunov, O. Ruchayskiy, "Phenomenology of GeV-scale heavy
  neutral leptons", JHEP 11 (2018) 032, arXiv:1805.08567 — primary source. Sections cited: 2.1 and 2.1.1
  (production from light mesons), 3.1.1 (W-mediated three-body decays, I(x, y, z)), 3.1.2 (Z-mediated decays
  and the W/Z interference case, coefficients C1..C4), 3.2.1 (single meson in the final state), Appendix C
  (meson form factors); also 2.1.2-2.1.3 (charm and beauty), 2.2 (τ), 3.3 (inclusive hadronic width and QCD
  corrections). ALPINIST (arXiv:2407.08673) implements the same formulas (with the differences listed in
  tests/test_hnl.py).
* [C+20] P. Coloma, E. Fernández-Martínez, M. González-López, J. Hernández-García, Z. Pavlović, "GeV-scale
  neutrinos: interactions with mesons and DUNE sensitivity", EPJC 81 (2021) 78, arXiv:2007.03701 — cross-check
  of the neutral-current meson couplings (κ_V derived here from the quark couplings of the Z).
* [GS07] D. Gorbunov, M. Shaposhnikov, "How to find neutral leptons of the νMSM?", JHEP 10 (2007) 015,
  arXiv:0705.1729 — second source (Sec. 3: production in meson decays; Sec. 4: HNL decays).
* [Shrock] R. E. Shrock, Phys. Lett. B 96 (1980) 159; Phys. Rev. D 24 (1981) 1232 — P⁺ → ℓ⁺ N with the
  helicity factor.

Equation numbers of [BBGR] and [GS07] could not be checked against the text (the search tools reach only the
abstract and table of contents of arXiv:1805.08567v3; re-checked in issue 4 session 2), so the docstrings cite
sections and write each formula out in full. The hadronic width between 1 and 2 GeV follows ALPINIST's reading
of [BBGR] (exclusive single mesons, replaced by the inclusive u, d quark width × (1 + Δ_QCD) where that is
larger, above 1 GeV; see :data:`MATCHING_MASS`, :data:`INCLUSIVE_QUARKS`), except where ALPINIST departs from
the paper's formulas (see :func:`width_n_to_nu_two_pions`). ALPINIST's QCD factor is the Adler-function series
with an electroweak factor 1.019 (code at commit 53441e5d); ours is [BBGR]'s τ-like series (:func:`delta_qcd`),
2-3 % higher between 1 and 2 GeV.

Dirac / Majorana convention (as in [BBGR] Sec. 3 and ALPINIST):

* Every formula below is the width of one lepton-number-conserving channel of a *Dirac* HNL: N (the
  particle made together with ℓ⁺ in K⁺ → ℓ⁺ N) decays to ℓ⁻ X⁺ and to ν X⁰, never to ℓ⁺ X⁻.
* A *Majorana* HNL also decays into the charge conjugate of every channel with the same width, so its total
  width is exactly twice the Dirac one for the same |U|². Charged-current channels are listed twice for a
  Majorana HNL (``"mu- pi+"`` and ``"mu+ pi-"``, each with the Dirac width), so lepton-number-violating final
  states are explicit. Neutral channels (``"nu nu nu"``, ``"nu pi0"``, ``"nu_α ℓ+ ℓ-"``) have ν and ν̄ final
  states that no detector separates; their single key carries 2 × the Dirac width for a Majorana HNL (the key
  stands for both).
* Production branching ratios are the same for Dirac and Majorana HNLs.

Scan coupling: the largest of the three mixings (ties resolved e > μ > τ); every rate is linear in it with the
flavour ratios fixed (``coupling_power = 1``).

Channels and validity (1 MeV to ≈ 5 GeV; issue 4):

* leptonic: N → 3ν, ν_α ℓ⁺ℓ⁻ (ℓ = e, μ, τ; Z, and W with interference for ℓ = ℓ_α), ℓ_α⁻ ℓ_β⁺ ν_β (α ≠ β,
  including τ) — [BBGR] Sec. 3.1;
* single mesons — [BBGR] Sec. 3.2.1: ν P⁰ (π⁰, η, η′, η_c), ℓ P⁺ (π, K, D, D_s), ν V⁰ (ω, φ, J/ψ), ℓ V⁺
  (K*, D*, D_s*); the ρ channels as ππ continua with the pion form factor (ν π⁺π⁻, ℓ π⁺π⁰);
* multi-hadron final states above :data:`MATCHING_MASS` = 1 GeV through the inclusive non-strange quark rates
  ℓ u d̄, ν u ū, ν d d̄ × (1 + Δ_QCD(α_s(m_N))) — [BBGR] Sec. 3.1 formulas with N_c and the quark couplings,
  Sec. 3.2 QCD factor — which replace the light single-meson channels when they exceed them (see
  :meth:`HNL.hadronic_regime` and :data:`INCLUSIVE_QUARKS` for why s quarks are left out); charm-meson
  channels stay exclusive.
* omitted: N → ν γ (one loop, ≈ 0.8 % of the 3ν width), channels with b quarks (m_N < 5 GeV: none open
  except through B mesons, not a decay product here). The inclusive quark channels carry quark PDG ids as
  daughters: a generator that needs hadrons must hadronise them (e.g. with Pythia), which DarkBeam does not do.
* The total width is continuous: at 1 GeV the inclusive u, d width is below (τ mixing) or within 1 % of (e, μ)
  the exclusive sum, and the max() rule switches where the two cross (≈ 1.0 GeV for e, μ; ≈ 1.6 GeV for τ).
  All partial widths vanish at their thresholds.

Production ([BBGR] Sec. 2): P⁺ → ℓ⁺ N for π, K, D, D_s, B, B_c; semileptonic P → P' ℓ N (K⁺ → π⁰, K_L → π∓,
D → K, D → π, D⁺ → η, η′, D_s⁺ → η, η′, B → D, B → π, B_s → D_s; form factors f₊, f₀; η–η′ through the flavour-basis
mixing angle, :data:`ETA_MIXING_ANGLE`) and P → V ℓ N (D → K*, D → ρ, D⁺ → ω, D_s⁺ → φ, B → D*, B → ρ, B_s → D_s*;
form factors V, A₀, A₁, A₂), all through :func:`width_semileptonic_hnl` ([BBGR] Sec. 2.1.1 and App. C; the
form-factor fits are cited at each constant: the App. C tables could not be read, see above); τ from D_s
(BR(D_s → τν) × BR(τ → N π, N K, N ρ, N ℓ ν)); μ → e ν N. Three-body kinematics: production (P → P′ ℓ N,
P → V ℓ N, μ → e ν N) and decays (N → 3ν, ν ℓℓ, ℓ ℓ ν, ℓ u d̄, ν q q̄, ν ππ, ℓ π π⁰) follow their spin-averaged
matrix elements over the Dalitz plane (:mod:`darkbeam.models.hnl_matrix_elements`, :meth:`HNL.decay_matrix_element`,
:meth:`HNL.production_matrix_element`); channels without a matrix element there use flat phase space. The τ chains
from D_s are sampled as polarised cascades D_s → τ ν, τ → N X (:mod:`darkbeam.models.hnl_tau`,
:meth:`HNL.production_cascade`). Polarisation and decay angular distributions: :mod:`darkbeam.models.hnl_angular`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import pairwise
from typing import Any, ClassVar, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..errors import ConfigError, check_positive
from ..units import F_K, F_PI, G_FERMI, HBAR, SIN2_THETA_W, V_CD, V_CS, V_UB, V_UD, V_US
from .base import CascadeSampler, DarkModel, DecayChannel, ProductionChannel, ThreeBodyMatrixElement, register_model

FloatArray = NDArray[np.float64]

__all__ = [
    "DECAY_TABLE",
    "HNL",
    "KL3_F_PLUS_0",
    "KL3_LAMBDA_0",
    "KL3_LAMBDA_PLUS",
    "PRODUCTION_TABLE",
    "phase_space_i",
    "width_k_to_pi0_lepton_hnl",
    "width_n_to_3nu",
    "width_n_to_lepton_lepton_nu",
    "width_n_to_lepton_pseudoscalar",
    "width_n_to_nu_lepton_lepton",
    "width_n_to_nu_pseudoscalar",
    "width_pseudoscalar_to_lepton_hnl",
    "width_pseudoscalar_to_vector_lepton_hnl",
    "width_semileptonic_hnl",
]

# ------------------------------------------------------------------------------------------------ constants
M_E = pdg.mass(pdg.ELECTRON)
M_MU = pdg.mass(pdg.MUON)
M_PI0 = pdg.mass(pdg.PI0)
M_PI = pdg.mass(pdg.PI_PLUS)
M_K = pdg.mass(pdg.K_PLUS)

#: K → π vector form factor at zero momentum transfer, f₊^{K⁰π⁻}(0) (FLAG 2021, N_f = 2+1+1 average 0.9698).
#: For K⁺ → π⁰ the isospin Clebsch 1/√2 is applied separately.
KL3_F_PLUS_0 = 0.9698
#: Linear slopes of f₊ and f₀ in f(t) = f(0)(1 + λ t/m_π⁺²) (PDG 2024 K± Kℓ3 linear fits:
#: λ₊ = 2.97e-2, λ₀ = 1.95e-2).
KL3_LAMBDA_PLUS = 0.0297
KL3_LAMBDA_0 = 0.0195

M_TAU = pdg.mass(pdg.TAU)
M_RHO = pdg.mass(213)
M_DS = pdg.mass(431)

#: |V_cb| (PDG 2024 CKM review, average of inclusive and exclusive determinations); not in darkbeam.units.
V_CB = 0.0411

# Meson decay constants [GeV], normalisation f_π ≈ 130 MeV. Pseudoscalars: ⟨0|A^μ|P(p)⟩ = i f_P p^μ; vectors:
# ⟨0|V^μ|V(p, ε)⟩ = i g_V ε^μ with g_V = f_V m_V [GeV²]. Values as tabulated in [BBGR] Sec. 2.1 and 3.2.1
# unless stated (their table numbers were not checked against the text).
F_D = 0.212  #: f_D⁺ [BBGR] (FLAG: 212.0 MeV)
F_DS = 0.249  #: f_Ds⁺ [BBGR] (FLAG: 249.9 MeV)
F_B = 0.1894  #: f_B⁺ (FLAG 2021, N_f = 2+1+1)
F_BC = 0.434  #: f_Bc [BBGR] (lattice, HPQCD)
F_ETA = 0.0817  #: f_η in the neutral-current normalisation of [BBGR] Sec. 3.2.1
F_ETA_PRIME = -0.0947  #: f_η′ [BBGR] Sec. 3.2.1 (sign irrelevant for widths)
F_ETA_C = 0.237  #: f_ηc [BBGR] Sec. 3.2.1
G_RHO = 0.162  #: g_ρ [GeV²] [BBGR] Sec. 3.2.1 (from τ → ν ρ)
G_OMEGA = 0.195 * 0.78266  #: f_ω = 195 MeV (hep-ph/0602110, as in [BBGR]) × m_ω
G_PHI = 0.229 * 1.019461  #: f_φ = 229 MeV (hep-ph/0602110, as in [BBGR]) × m_φ
G_KSTAR = 0.204 * 0.89167  #: f_K* = 204 MeV ([BBGR] Sec. 3.2.1) × m_K*
G_DSTAR = 0.2235 * 2.01026  #: f_D* = 223.5 MeV (ETM, Lubicz et al. PRD 96 (2017) 034524) × m_D*
G_DSSTAR = 0.2688 * 2.1122  #: f_Ds* = 268.8 MeV (same reference) × m_Ds*
G_JPSI = 0.407 * 3.0969  #: f_J/ψ = 407 MeV (from Γ(J/ψ → e⁺e⁻), PDG) × m_J/ψ
# Z vector couplings: κ_V = √2 Σ_q g_V^q c_q, g_V^u = ½ − 4/3 s_W², g_V^{d,s} = −½ + 2/3 s_W² (see
# width_n_to_nu_vector); ρ⁰ = (uū − dd̄)/√2, ω = (uū + dd̄)/√2, φ = ss̄, J/ψ = cc̄.
KAPPA_RHO = 1.0 - 2.0 * SIN2_THETA_W
KAPPA_OMEGA = 2.0 / 3.0 * SIN2_THETA_W
KAPPA_PHI = (1.0 - 4.0 / 3.0 * SIN2_THETA_W) / math.sqrt(2.0)
KAPPA_JPSI = (1.0 - 8.0 / 3.0 * SIN2_THETA_W) / math.sqrt(2.0)

#: N → ν P⁰: (key, PDG id, f_P, regime)
NEUTRAL_PSEUDOSCALARS: tuple[tuple[str, int, float, str], ...] = (
    ("pi0", pdg.PI0, F_PI, "exclusive"),
    ("eta", pdg.ETA, F_ETA, "exclusive"),
    ("eta'", 331, F_ETA_PRIME, "exclusive"),
    ("eta_c", 441, F_ETA_C, "always"),
)
#: N → ν V⁰: (key, PDG id, g_V, κ_V, regime)
NEUTRAL_VECTORS: tuple[tuple[str, int, float, float, str], ...] = (
    ("omega", 223, G_OMEGA, KAPPA_OMEGA, "exclusive"),
    ("phi", 333, G_PHI, KAPPA_PHI, "exclusive"),
    ("J/psi", 443, G_JPSI, KAPPA_JPSI, "always"),
)
#: N → ℓ⁻ P⁺: (key, PDG id, f_P, |V_qq'|, regime)
CHARGED_PSEUDOSCALARS: tuple[tuple[str, int, float, float, str], ...] = (
    ("pi", pdg.PI_PLUS, F_PI, V_UD, "exclusive"),
    ("K", pdg.K_PLUS, F_K, V_US, "exclusive"),
    ("D", 411, F_D, V_CD, "always"),
    ("D_s", 431, F_DS, V_CS, "always"),
)
#: N → ℓ⁻ V⁺: (key, PDG id, g_V, |V_qq'|, regime)
CHARGED_VECTORS: tuple[tuple[str, int, float, float, str], ...] = (
    ("K*", 323, G_KSTAR, V_US, "exclusive"),
    ("D*", 413, G_DSTAR, V_CD, "always"),
    ("D_s*", 433, G_DSSTAR, V_CS, "always"),
)
#: P⁺ → ℓ⁺ N parents: (PDG id, name, f_P, |V_qq'|)
TWO_BODY_PARENTS: tuple[tuple[int, str, float, float], ...] = (
    (pdg.PI_PLUS, "pi+", F_PI, V_UD),
    (pdg.K_PLUS, "K+", F_K, V_US),
    (411, "D+", F_D, V_CD),
    (431, "D_s+", F_DS, V_CS),
    (521, "B+", F_B, V_UB),
    (541, "B_c+", F_BC, V_CB),
)

#: D → K form factors, single pole: f₊(0) = 0.736 (HFLAV 2022 f₊(0)|V_cs| = 0.7180 / |V_cs|); poles at
#: m_Ds* = 2.112 GeV (f₊) and m_Ds0*(2317) = 2.318 GeV (f₀) (vector / scalar dominance, cf. [BBGR] App. C).
DK_F_PLUS_0 = 0.736
DK_POLES = (2.1122, 2.3178)
#: B → D form factors, single pole: f₊(0) = 0.672 (FNAL/MILC, PRD 92 (2015) 034506); poles at the B_c* and
#: B_c0 masses 6.33, 6.70 GeV (lattice estimates, HPQCD) (cf. [BBGR] App. C).
BD_F_PLUS_0 = 0.672
BD_POLES = (6.330, 6.704)

#: Hadronic matching mass [GeV]: below it the light-hadron width is the sum of exclusive single-meson channels;
#: above it the larger of that sum and the inclusive quark width × (1 + Δ_QCD) ([BBGR] Sec. 3.2: the two
#: descriptions of the hadronic width and their ratio; the max() rule is ALPINIST's, arXiv:2407.08673, whose
#: tables the tests compare with). Charm-meson channels are exclusive at every mass.
MATCHING_MASS = 1.0
#: Quarks of the inclusive hadronic width: u and d only (N → ℓ u d̄, ν u ū, ν d d̄). Strange final states stay
#: described by the exclusive K, K*, η, η′, φ channels. Reason: with the current-quark mass m_s = 93 MeV the
#: quark-level ℓ u s̄ and ν s s̄ channels open at 0.1-0.2 GeV of hadronic mass, far below the lightest strange
#: hadronic states (K at 0.49 GeV, K K̄ at 0.99 GeV, φ at 1.02 GeV), so for m_N ≤ 2 GeV they overestimate the
#: strange width by a large factor (ν s s̄ alone would be 36 % of the neutral-current quark width, +57 % for
#: τ mixing below the τ threshold). This is also the choice of ALPINIST (arXiv:2407.08673), whose inclusive
#: table equals exactly tree(u, d) × a QCD factor. Cost: at m_N = m_τ the charged-current inclusive width is
#: 3|V_ud|²(1 + Δ_QCD) = 3.35 × Γ(N → e ν ν̄)-units, 8 % below the measured R_τ = 3.64 (PDG 2024), which
#: includes strange final states (tested).
INCLUSIVE_QUARKS: tuple[int, ...] = (2, 1)

_GF2 = G_FERMI**2
_MUON_WIDTH_UNIT = _GF2 / (192.0 * math.pi**3)  # Γ = G_F² M⁵/(192π³) × dimensionless factor


# --------------------------------------------------------------------------------------------- numerics
def _sqrt_kallen(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> FloatArray:
    """λ^{1/2}(a, b, c) for squared masses, clipped at 0 outside the physical region (no NaN)."""
    a, b, c = (np.asarray(v, dtype=float) for v in (a, b, c))
    lam = a * a + b * b + c * c - 2.0 * (a * b + b * c + c * a)
    return np.asarray(np.sqrt(np.clip(lam, 0.0, None)))


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)
_GL_U = 0.5 * (_GL_NODES + 1.0)  # nodes on [0, 1]
_GL_W = 0.5 * _GL_WEIGHTS


def _integrate(integrand: Callable[[FloatArray], FloatArray], lower: ArrayLike, upper: ArrayLike) -> FloatArray:
    """∫_lower^upper integrand(s) ds, vectorised over broadcast ``lower``/``upper``.

    Gauss-Legendre (64 nodes) after s = lo + (hi − lo)(1 − cos πu)/2, which removes the square-root endpoint
    behaviour of phase-space integrands (λ^{1/2} vanishing at either end); relative accuracy ≲ 1e-9 for the
    integrands used here. Empty intervals (upper ≤ lower) give 0.
    """
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    span = np.clip(hi - lo, 0.0, None)
    u = _GL_U
    s = lo[..., None] + span[..., None] * 0.5 * (1.0 - np.cos(np.pi * u))
    jac = span[..., None] * 0.5 * np.pi * np.sin(np.pi * u)
    return np.asarray(np.sum(integrand(s) * jac * _GL_W, axis=-1))


# ------------------------------------------------------------------------------------ closed forms: decay
def width_n_to_3nu(m_n: ArrayLike) -> FloatArray:
    """Γ(N → ν_α Σ_β ν_β ν̄_β) [GeV] of a Dirac HNL per unit |U_α|², summed over the three flavours β.

    [BBGR] Sec. 3.1.2: Γ(N → ν_α ν_β ν̄_β) = (1 + δ_αβ) G_F² M⁵ |U_α|² / (768 π³); the sum over β gives
    Γ = G_F² M⁵ |U_α|² / (192 π³) (also [GS07] Sec. 4). Majorana: × 2, i.e. G_F² M⁵ |U|²/(96π³).
    """
    m = np.asarray(m_n, dtype=float)
    return np.asarray(_MUON_WIDTH_UNIT * m**5)


def _log_l(x2: FloatArray) -> FloatArray:
    """L(x) of [BBGR] Sec. 3.1.2 in a cancellation-free form.

    L = ln[(1 − 3x² − (1 − x²)√(1 − 4x²)) / (x²(1 + √(1 − 4x²)))]. The numerator equals
    4x⁶ / (1 − 3x² + (1 − x²)√(1 − 4x²)) (multiply by the conjugate), so
    L = ln[4x⁴ / ((1 − 3x² + (1 − x²)√(1 − 4x²)) (1 + √(1 − 4x²)))], which is exact and stable as x → 0
    (L → 4 ln x) and finite at threshold x → 1/2 (L → 0).
    """
    root = np.sqrt(np.clip(1.0 - 4.0 * x2, 0.0, None))
    with np.errstate(divide="ignore"):
        return np.asarray(np.log(4.0 * x2 * x2 / ((1.0 - 3.0 * x2 + (1.0 - x2) * root) * (1.0 + root))))


def width_n_to_nu_lepton_lepton(m_n: ArrayLike, m_lepton: float, same_flavour: bool) -> FloatArray:
    """Γ(N → ν_α ℓ_β⁺ ℓ_β⁻) [GeV] of a Dirac HNL per unit |U_α|² (Z; for α = β also W and W–Z interference).

    [BBGR] Sec. 3.1.2 (formula taken over from [GS07] Sec. 4), with x = m_ℓ/M and s = √(1 − 4x²):

        Γ = G_F² M⁵ |U_α|² / (192π³) × { C1 [(1 − 14x² − 2x⁴ − 12x⁶) s + 12 x⁴ (x⁴ − 1) L]
                                         + 4 C2 [x² (2 + 10x² − 12x⁴) s + 6 x⁴ (1 − 2x² + 2x⁴) L] },

    for α ≠ β: C1 = ¼(1 − 4 sin²θ_W + 8 sin⁴θ_W), C2 = ½ sin²θ_W (2 sin²θ_W − 1);
    for α = β: C1 → C3 = ¼(1 + 4 sin²θ_W + 8 sin⁴θ_W), C2 → C4 = ½ sin²θ_W (2 sin²θ_W + 1).
    L(x) is given in :func:`_log_l`. Massless limit: C1 = g_L² + g_R² with g_L = −½ + sin²θ_W (+1 for α = β),
    g_R = sin²θ_W. Zero for M ≤ 2 m_ℓ. Majorana: × 2.
    """
    m = np.asarray(m_n, dtype=float)
    sw2 = SIN2_THETA_W
    if same_flavour:
        c1 = 0.25 * (1.0 + 4.0 * sw2 + 8.0 * sw2**2)
        c2 = 0.5 * sw2 * (2.0 * sw2 + 1.0)
    else:
        c1 = 0.25 * (1.0 - 4.0 * sw2 + 8.0 * sw2**2)
        c2 = 0.5 * sw2 * (2.0 * sw2 - 1.0)
    open_ = m > 2.0 * m_lepton
    x2 = np.where(open_, (m_lepton / np.where(open_, m, 1.0)) ** 2, 0.0625)
    x4 = x2 * x2
    root = np.sqrt(np.clip(1.0 - 4.0 * x2, 0.0, None))
    log_l = np.where(x2 > 0.0, _log_l(np.where(x2 > 0.0, x2, 0.0625)), 0.0)  # x⁴ L → 0 for massless leptons
    f1 = (1.0 - 14.0 * x2 - 2.0 * x4 - 12.0 * x2 * x4) * root + 12.0 * x4 * (x4 - 1.0) * log_l
    f2 = x2 * (2.0 + 10.0 * x2 - 12.0 * x4) * root + 6.0 * x4 * (1.0 - 2.0 * x2 + 2.0 * x4) * log_l
    width = _MUON_WIDTH_UNIT * m**5 * (c1 * f1 + 4.0 * c2 * f2)
    return np.asarray(np.where(open_, np.clip(width, 0.0, None), 0.0))


def phase_space_i(x: ArrayLike, y: ArrayLike, z: ArrayLike) -> FloatArray:
    """Dimensionless three-body function I(x, y, z) of [BBGR] Sec. 3.1.1 (x = m/M etc.), I(0, 0, 0) = 1.

        I(x, y, z) = 12 ∫_{(x+y)²}^{(1−z)²} ds/s (s − x² − y²)(1 + z² − s)
                     × λ^{1/2}(s, x², y²) λ^{1/2}(1, s, z²).

    One massive lepton: I(x, 0, 0) = 1 − 8x² + 8x⁶ − x⁸ − 24 x⁴ ln x (muon-decay function). Zero if
    x + y + z ≥ 1. Evaluated by 64-point Gauss-Legendre quadrature (see :func:`_integrate`); vectorised over
    broadcast inputs.
    """
    x, y, z = (np.asarray(v, dtype=float) for v in (x, y, z))
    x2, y2, z2 = x * x, y * y, z * z
    lower = (x + y) ** 2
    upper = (1.0 - z) ** 2

    def integrand(s: FloatArray) -> FloatArray:
        a, b, c = x2[..., None], y2[..., None], z2[..., None]
        value = 12.0 / s * (s - a - b) * (1.0 + c - s) * _sqrt_kallen(s, a, b) * _sqrt_kallen(1.0, s, c)
        return np.asarray(value)

    # the Gauss nodes never touch the end points, so s = 0 (x = y = 0) is never evaluated
    value = _integrate(integrand, lower, upper)
    return np.asarray(np.where(x + y + z < 1.0, value, 0.0))


def width_n_to_lepton_lepton_nu(m_n: ArrayLike, m_alpha: float, m_beta: float) -> FloatArray:
    """Γ(N → ℓ_α⁻ ℓ_β⁺ ν_β) [GeV], α ≠ β, of a Dirac HNL per unit |U_α|² (W exchange only).

    [BBGR] Sec. 3.1.1: Γ = G_F² M⁵ |U_α|² / (192π³) × I(m_α/M, m_β/M, 0), with I from :func:`phase_space_i`
    (also [GS07] Sec. 4). Zero below threshold m_α + m_β. Majorana: the conjugate ℓ_α⁺ ℓ_β⁻ ν̄_β has the
    same width.
    """
    m = np.asarray(m_n, dtype=float)
    open_ = m > m_alpha + m_beta
    safe_m = np.where(open_, m, 1.0)
    value = _MUON_WIDTH_UNIT * m**5 * phase_space_i(m_alpha / safe_m, m_beta / safe_m, 0.0)
    return np.asarray(np.where(open_, value, 0.0))


def width_n_to_lepton_pseudoscalar(
    m_n: ArrayLike, m_lepton: float, m_meson: float, f_meson: float, v_ckm: float
) -> FloatArray:
    """Γ(N → ℓ_α⁻ P⁺) [GeV] of a Dirac HNL per unit |U_α|² (e.g. P = π with f_π, V_ud).

    [BBGR] Sec. 3.2.1 (also [GS07] Sec. 4), with x_ℓ = m_ℓ/M, x_P = m_P/M:

        Γ = G_F² f_P² |V_qq'|² |U_α|² M³ / (16π) × [(1 − x_ℓ²)² − x_P² (1 + x_ℓ²)] × λ^{1/2}(1, x_P², x_ℓ²),

    f_π ≈ 130 MeV normalisation (⟨0|d̄ γ^μ γ5 u|π⁺(p)⟩ = i f_π p^μ). Majorana: ℓ⁺ P⁻ has the same width.
    """
    m = np.asarray(m_n, dtype=float)
    open_ = m > m_lepton + m_meson
    safe_m = np.where(open_, m, 1.0)
    xl2 = (m_lepton / safe_m) ** 2
    xp2 = (m_meson / safe_m) ** 2
    shape = (1.0 - xl2) ** 2 - xp2 * (1.0 + xl2)
    value = _GF2 * f_meson**2 * v_ckm**2 * m**3 / (16.0 * math.pi) * shape * _sqrt_kallen(1.0, xp2, xl2)
    return np.asarray(np.where(open_, np.clip(value, 0.0, None), 0.0))


def width_n_to_nu_pseudoscalar(m_n: ArrayLike, m_meson: float, f_meson: float) -> FloatArray:
    """Γ(N → ν_α P⁰) [GeV] of a Dirac HNL per unit |U_α|² (Z exchange; P⁰ = π⁰ with f_π).

    [BBGR] Sec. 3.2.1 (also [GS07] Sec. 4), x_P = m_P/M:

        Γ = G_F² f_P² M³ |U_α|² / (32π) × (1 − x_P²)².

    (The neutral axial current ½(ūγγ5u − d̄γγ5d) has ⟨0|…|π⁰⟩ = i f_π p/√2: half the charged-pion rate at
    V = 1, m_ℓ → 0.) Majorana: × 2 (ν and ν̄ final states).
    """
    m = np.asarray(m_n, dtype=float)
    open_ = m > m_meson
    safe_m = np.where(open_, m, 1.0)
    value = _GF2 * f_meson**2 * m**3 / (32.0 * math.pi) * (1.0 - (m_meson / safe_m) ** 2) ** 2
    return np.asarray(np.where(open_, value, 0.0))


# ------------------------------------------------------------------------------- closed forms: production
def width_pseudoscalar_to_lepton_hnl(
    m_n: ArrayLike, m_parent: float, m_lepton: float, f_parent: float, v_ckm: float
) -> FloatArray:
    """Γ(P⁺ → ℓ_α⁺ N) [GeV] per unit |U_α|² (Dirac and Majorana alike).

    [Shrock] PLB 96 (1980) 159 / PRD 24 (1981) 1232; [BBGR] Sec. 2.1 (leptonic decay formula); [GS07] Sec. 3.
    With x_N = m_N²/m_P², x_ℓ = m_ℓ²/m_P²:

        Γ = G_F² f_P² |V_qq'|² |U_α|² m_P³ / (8π) × [x_N + x_ℓ − (x_N − x_ℓ)²] × λ^{1/2}(1, x_N, x_ℓ).

    At m_N → 0 and |U|² = 1 this is the SM rate G_F² f_P² |V|² m_P m_ℓ² (1 − m_ℓ²/m_P²)² / (8π), helicity
    suppressed; for m_N ≫ m_ℓ the suppression is lifted (factor ρ ≈ x_N (1 − x_N)² / [x_ℓ (1 − x_ℓ)²]).
    """
    m = np.asarray(m_n, dtype=float)
    xn = (m / m_parent) ** 2
    xl = (m_lepton / m_parent) ** 2
    shape = xn + xl - (xn - xl) ** 2
    value = _GF2 * f_parent**2 * v_ckm**2 * m_parent**3 / (8.0 * math.pi) * shape * _sqrt_kallen(1.0, xn, xl)
    return np.asarray(np.where(m < m_parent - m_lepton, np.clip(value, 0.0, None), 0.0))


# ------------------------------------------------------------------------ closed forms: decays above the kaon
def _nu_fermion_pair_bracket(m: FloatArray, m_f: float, c1: float, c2: float) -> FloatArray:
    """Γ / (G_F² M⁵/(192π³)) of N → ν f f̄ for couplings C1, C2 ([BBGR] Sec. 3.1.2 bracket; 0 below 2 m_f)."""
    open_ = m > 2.0 * m_f
    x2 = np.where(open_, (m_f / np.where(open_, m, 1.0)) ** 2, 0.0625)
    x4 = x2 * x2
    root = np.sqrt(np.clip(1.0 - 4.0 * x2, 0.0, None))
    log_l = np.where(x2 > 0.0, _log_l(np.where(x2 > 0.0, x2, 0.0625)), 0.0)
    f1 = (1.0 - 14.0 * x2 - 2.0 * x4 - 12.0 * x2 * x4) * root + 12.0 * x4 * (x4 - 1.0) * log_l
    f2 = x2 * (2.0 + 10.0 * x2 - 12.0 * x4) * root + 6.0 * x4 * (1.0 - 2.0 * x2 + 2.0 * x4) * log_l
    return np.asarray(np.where(open_, np.clip(c1 * f1 + 4.0 * c2 * f2, 0.0, None), 0.0))


def quark_nc_couplings(up_type: bool) -> tuple[float, float]:
    """(C1, C2) of N → ν q q̄ ([BBGR] Sec. 3.1.2 with the quark's charge |Q| = 2/3 or 1/3).

    C1 = ¼(1 − 4|Q| s_W² + 8Q² s_W⁴), C2 = ½ |Q| s_W² (2|Q| s_W² − 1): up type C1 = ¼(1 − 8/3 s_W² + 32/9 s_W⁴),
    C2 = ⅓ s_W²(4/3 s_W² − 1); down type C1 = ¼(1 − 4/3 s_W² + 8/9 s_W⁴), C2 = ⅙ s_W²(2/3 s_W² − 1).
    For |Q| = 1 these are the α ≠ β lepton coefficients of :func:`width_n_to_nu_lepton_lepton`.
    """
    q = 2.0 / 3.0 if up_type else 1.0 / 3.0
    sw2 = SIN2_THETA_W
    return 0.25 * (1.0 - 4.0 * q * sw2 + 8.0 * q * q * sw2**2), 0.5 * q * sw2 * (2.0 * q * sw2 - 1.0)


def width_n_to_nu_quark_quark(m_n: ArrayLike, m_quark: float, up_type: bool) -> FloatArray:
    """Γ(N → ν_α q q̄) [GeV] of a Dirac HNL per unit |U_α|², tree level, N_c = 3 colours (no QCD correction).

    [BBGR] Sec. 3.3 (inclusive hadronic width, quark level): N_c × the ν f f̄ formula of Sec. 3.1.2 with the
    quark couplings of :func:`quark_nc_couplings`. Multiply by 1 + Δ_QCD (:func:`delta_qcd`). Majorana: × 2.
    """
    m = np.asarray(m_n, dtype=float)
    c1, c2 = quark_nc_couplings(up_type)
    return np.asarray(3.0 * _MUON_WIDTH_UNIT * m**5 * _nu_fermion_pair_bracket(m, m_quark, c1, c2))


def width_n_to_lepton_up_down(m_n: ArrayLike, m_lepton: float, m_up: float, m_down: float, v_ckm: float) -> FloatArray:
    """Γ(N → ℓ_α⁻ u d̄) [GeV] of a Dirac HNL per unit |U_α|², tree level, N_c = 3 (no QCD correction).

    [BBGR] Sec. 3.3: Γ = N_c |V_ud|² G_F² M⁵ |U_α|²/(192π³) × I(x_ℓ, x_u, x_d), I from :func:`phase_space_i`
    (|M|² ∝ (p_N·p_d̄)(p_ℓ·p_u), as in muon decay). Multiply by 1 + Δ_QCD. Majorana: ℓ⁺ ū d has the same width.
    """
    m = np.asarray(m_n, dtype=float)
    open_ = m > m_lepton + m_up + m_down
    safe = np.where(open_, m, 1.0)
    value = 3.0 * v_ckm**2 * _MUON_WIDTH_UNIT * m**5 * phase_space_i(m_lepton / safe, m_up / safe, m_down / safe)
    return np.asarray(np.where(open_, value, 0.0))


def width_n_to_lepton_vector(
    m_n: ArrayLike, m_lepton: float, m_meson: float, g_meson: float, v_ckm: float
) -> FloatArray:
    """Γ(N → ℓ_α⁻ V⁺) [GeV] of a Dirac HNL per unit |U_α|² (V = ρ, K*, D*, D_s*).

    [BBGR] Sec. 3.2.1 (also [GS07] Sec. 4), with ⟨0|q̄' γ^μ q|V(p, ε)⟩ = i g_V ε^μ (g_V = f_V m_V, GeV²):

        Γ = G_F² g_V² |V_qq'|² |U_α|² M³/(16π m_V²) × [(1 − x_ℓ²)² + x_V²(1 + x_ℓ²) − 2x_V⁴] λ^{1/2}(1, x_V², x_ℓ²).

    Narrow-width approximation for the vector. Majorana: ℓ⁺ V⁻ has the same width.
    """
    m = np.asarray(m_n, dtype=float)
    open_ = m > m_lepton + m_meson
    safe = np.where(open_, m, 1.0)
    xl2, xv2 = (m_lepton / safe) ** 2, (m_meson / safe) ** 2
    shape = (1.0 - xl2) ** 2 + xv2 * (1.0 + xl2) - 2.0 * xv2**2
    value = _GF2 * g_meson**2 * v_ckm**2 * m**3 / (16.0 * math.pi * m_meson**2) * shape * _sqrt_kallen(1.0, xv2, xl2)
    return np.asarray(np.where(open_, np.clip(value, 0.0, None), 0.0))


def width_n_to_nu_vector(m_n: ArrayLike, m_meson: float, g_meson: float, kappa: float) -> FloatArray:
    """Γ(N → ν_α V⁰) [GeV] of a Dirac HNL per unit |U_α|² (V⁰ = ρ⁰, ω, φ, J/ψ).

    [BBGR] Sec. 3.2.1: Γ = G_F² κ_V² g_V² |U_α|² M³/(32π m_V²) (1 + 2x_V²)(1 − x_V²)², x_V = m_V/M.
    κ_V = √2 Σ_q g_V^q c_q, with the Z vector couplings g_V^u = ½ − 4/3 s_W², g_V^{d,s} = −½ + 2/3 s_W² and
    ⟨0|q̄γ^μ q|V⟩ = c_q g_V ε^μ (ρ⁰: c_u = −c_d = 1/√2 → κ = 1 − 2s_W²; see :data:`NEUTRAL_VECTORS`).
    Majorana: × 2 (ν and ν̄).
    """
    m = np.asarray(m_n, dtype=float)
    open_ = m > m_meson
    x2 = (m_meson / np.where(open_, m, 1.0)) ** 2
    value = _GF2 * kappa**2 * g_meson**2 * m**3 / (32.0 * math.pi * m_meson**2) * (1.0 + 2.0 * x2) * (1.0 - x2) ** 2
    return np.asarray(np.where(open_, value, 0.0))


#: Kühn–Santamaria pion vector form factor (Z. Phys. C 48 (1990) 445, fit to τ → ππν and e⁺e⁻ → ππ):
#: ρ(770) and ρ(1450) Breit–Wigners with p-wave energy-dependent widths, F_V(s) = (BW_ρ + β BW_ρ′)/(1 + β).
KS_RHO = (0.773, 0.145)
KS_RHO_PRIME = (1.370, 0.510)
KS_BETA = -0.145


def _p_wave_bw(s: FloatArray, mass: float, width: float) -> NDArray[np.complex128]:
    """m²/(m² − s − i√s Γ(s)), Γ(s) = Γ (m²/s)^{1/2} (p(s)/p(m))³, p = two-pion momentum (m_π = m_π⁺)."""
    p_s = np.sqrt(np.clip(s / 4.0 - M_PI**2, 0.0, None))
    p_m = math.sqrt(mass**2 / 4.0 - M_PI**2)
    root_s_gamma_s = width * mass * (p_s / p_m) ** 3  # √s Γ(s), finite at s = 0
    return np.asarray(mass**2 / (mass**2 - s - 1j * root_s_gamma_s))


def pion_form_factor_squared(s: ArrayLike) -> FloatArray:
    """|F_V(s)|² of the isovector pion form factor (Kühn–Santamaria, :data:`KS_BETA`), F_V(0) = 1."""
    s_arr = np.asarray(s, dtype=float)
    f = (_p_wave_bw(s_arr, *KS_RHO) + KS_BETA * _p_wave_bw(s_arr, *KS_RHO_PRIME)) / (1.0 + KS_BETA)
    return np.asarray(np.abs(f) ** 2)


def _integrate_across_rho(
    integrand: Callable[[FloatArray], FloatArray], lower: ArrayLike, upper: ArrayLike
) -> FloatArray:
    """:func:`_integrate` on three pieces split at s = (m_ρ ∓ 2Γ_ρ)², so the ρ peak of |F_V(s)|² is resolved at any
    HNL mass (one 64-node rule over [4m_π², M²] misses it by up to 1.7 % at M = 4 GeV)."""
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    mass, width = KS_RHO
    edges = [lo, *(np.clip((mass + k * width) ** 2, lo, hi) for k in (-2.0, 2.0)), hi]
    return np.asarray(sum(_integrate(integrand, a, b) for a, b in pairwise(edges)))


def width_n_to_lepton_two_pions(m_n: ArrayLike, m_lepton: float) -> FloatArray:
    """Γ(N → ℓ_α⁻ π⁺ π⁰) [GeV] of a Dirac HNL per unit |U_α|² (the ρ⁺ channel with its full ππ line shape).

    ⟨π⁺π⁰|ū γ^μ d|0⟩ = √2 F_V(s)(p₊ − p₀)^μ; the narrow-ρ formula of :func:`width_n_to_lepton_vector` with
    g_ρ²/m_ρ² δ(s − m_ρ²) → β³(s) |F_V(s)|²/(24π²) (the standard τ → ππν spectral function):

        Γ = G_F² |V_ud|² M³/(384π³) ∫ ds [(1 − x_ℓ²)² + x_s(1 + x_ℓ²) − 2x_s²] λ^{1/2}(1, x_s, x_ℓ²) β³(s) |F_V(s)|²,

    x_s = s/M², β³ = λ^{3/2}(s, m_π⁺², m_π⁰²)/s³, s from (m_π⁺ + m_π⁰)² to (M − m_ℓ)². The same spectral
    function gives BR(τ → ππ⁰ν) = 23.5 % at tree level (PDG 25.49 %; see tests). Majorana: the conjugate
    ℓ⁺ π⁻ π⁰ has the same width.
    """
    m = np.asarray(m_n, dtype=float)
    lower = np.full_like(m, (M_PI + M_PI0) ** 2)
    upper = np.clip(m - m_lepton, M_PI + M_PI0, None) ** 2
    open_ = m > m_lepton + M_PI + M_PI0
    safe = np.where(open_, m, 1.0)

    def integrand(s: FloatArray) -> FloatArray:
        m2 = safe[..., None] ** 2
        xs, xl2 = s / m2, (m_lepton**2) / m2
        shape = (1.0 - xl2) ** 2 + xs * (1.0 + xl2) - 2.0 * xs**2
        beta3 = (_sqrt_kallen(s, M_PI**2, M_PI0**2) / s) ** 3
        return np.asarray(shape * _sqrt_kallen(1.0, xs, xl2) * beta3 * pion_form_factor_squared(s))

    value = _GF2 * V_UD**2 * m**3 / (384.0 * math.pi**3) * _integrate_across_rho(integrand, lower, upper)
    return np.asarray(np.where(open_, np.clip(value, 0.0, None), 0.0))


def width_n_to_nu_two_pions(m_n: ArrayLike) -> FloatArray:
    """Γ(N → ν_α π⁺ π⁻) [GeV] of a Dirac HNL per unit |U_α|² (the ρ⁰ channel with its ππ line shape).

    Isovector Z current (1 − 2s_W²)(ūγu − d̄γd)/2 with ⟨π⁺π⁻|(ūγu − d̄γd)/2|0⟩ = F_V (p₊ − p₋); the narrow
    formula of :func:`width_n_to_nu_vector` with κ_ρ = 1 − 2s_W² and g_ρ²/m_ρ² δ(s − m_ρ²) → β³|F_V|²/(24π²):

        Γ = G_F² κ_ρ² M³/(768π³) ∫ ds (1 − x_s)² (1 + 2x_s) β³(s) |F_V(s)|²,  β = (1 − 4m_π⁺²/s)^{1/2}.

    Majorana: × 2 (ν and ν̄). Within 5-11 % of [BBGR]'s narrow ν ρ⁰ from 1 to 2 GeV (tested). ALPINIST
    (arXiv:2407.08673, code at commit 53441e5d) writes the coupling of this channel as (1 − 2 sin⁴θ_W)² instead of
    κ_ρ² = (1 − 2 sin²θ_W)², 2.6× larger; we follow [BBGR]. This is the whole 5-9 % difference of the τ-mixing total
    width to ALPINIST's table at 0.9-1.3 GeV (tests/test_hnl.py).
    """
    m = np.asarray(m_n, dtype=float)
    lower = np.full_like(m, 4.0 * M_PI**2)
    upper = np.clip(m, 2.0 * M_PI, None) ** 2
    open_ = m > 2.0 * M_PI
    safe = np.where(open_, m, 1.0)

    def integrand(s: FloatArray) -> FloatArray:
        xs = s / safe[..., None] ** 2
        beta3 = np.clip(1.0 - 4.0 * M_PI**2 / s, 0.0, None) ** 1.5
        return np.asarray((1.0 - xs) ** 2 * (1.0 + 2.0 * xs) * beta3 * pion_form_factor_squared(s))

    value = _GF2 * KAPPA_RHO**2 * m**3 / (768.0 * math.pi**3) * _integrate_across_rho(integrand, lower, upper)
    return np.asarray(np.where(open_, np.clip(value, 0.0, None), 0.0))


# QCD: α_s(μ) at two loops from α_s(M_Z), with flavour thresholds at the MS-bar masses m_b, m_c
ALPHA_S_MZ = 0.1180  #: PDG 2024 world average α_s(M_Z)
_M_Z = 91.1876
_QUARK_THRESHOLDS = (4.183, 1.273)  # PDG 2024 m_b(m_b), m_c(m_c) [GeV]


@lru_cache(maxsize=4096)
def alpha_s(mu: float) -> float:
    """Strong coupling α_s(μ) (MS-bar), two-loop running from α_s(M_Z) = 0.1180 (PDG 2024 QCD review Eq. 9.4-9.5).

    β(a) = −β0 a² − β1 a³ for a = α_s/(4π), β0 = 11 − 2n_f/3, β1 = 102 − 38 n_f/3; n_f = 5, 4, 3 below M_Z,
    m_b and m_c (continuous at the thresholds, leading-order matching). Integrated in ln μ² with RK4 (200 steps
    per region). Valid for μ ≳ 1 GeV (raises :class:`ConfigError` below 0.8 GeV).
    """
    check_positive("mu", mu)
    if mu < 0.8:
        raise ConfigError(f"mu = {mu!r} GeV is not allowed; alpha_s is evaluated for mu >= 0.8 GeV")
    a = ALPHA_S_MZ / (4.0 * math.pi)
    edges = [_M_Z, *[t for t in _QUARK_THRESHOLDS if t > mu], mu]
    for k in range(len(edges) - 1):
        n_f = 5 - k
        b0, b1 = 11.0 - 2.0 * n_f / 3.0, 102.0 - 38.0 * n_f / 3.0
        t0, t1 = math.log(edges[k] ** 2), math.log(edges[k + 1] ** 2)
        h = (t1 - t0) / 200.0

        def beta(x: float, b0: float = b0, b1: float = b1) -> float:
            return -b0 * x * x - b1 * x**3

        for _ in range(200):
            k1 = beta(a)
            k2 = beta(a + 0.5 * h * k1)
            k3 = beta(a + 0.5 * h * k2)
            k4 = beta(a + h * k3)
            a += h * (k1 + 2 * k2 + 2 * k3 + k4) / 6.0
    return 4.0 * math.pi * a


def delta_qcd(mu: float) -> float:
    """Δ_QCD of the inclusive hadronic width, Γ_had = (1 + Δ_QCD) Γ_tree(quarks).

    [BBGR] Sec. 3.3 (loop corrections as for τ → ν + hadrons, n_f = 3):
    Δ_QCD = α_s/π + 5.2 (α_s/π)² + 26.4 (α_s/π)³, α_s = α_s(μ = M_N) from :func:`alpha_s`.
    """
    a = alpha_s(mu) / math.pi
    return a + 5.2 * a * a + 26.4 * a**3


FormFactor = Callable[[FloatArray], FloatArray]


def width_pseudoscalar_to_pseudoscalar_lepton_hnl(
    m_n: ArrayLike,
    m_parent: float,
    m_daughter: float,
    m_lepton: float,
    v_ckm: float,
    f_plus: FormFactor,
    f_zero: FormFactor,
) -> FloatArray:
    """Γ(P → P' ℓ⁺ N) [GeV] per unit |U_ℓ|² (semileptonic with a massive neutrino; Dirac and Majorana alike).

    Derived from the V − A amplitude (same structure as [BBGR] Sec. 2.1.1 / App. C, [GS07] Sec. 3), see
    :func:`width_k_to_pi0_lepton_hnl` for the lepton tensor; ``f_plus(q²)``, ``f_zero(q²)`` are the vector and
    scalar form factors of the P → P' transition (isospin factors included in them), q² = (p_ℓ + p_N)²:

        dΓ/dq² = G_F² |V|² λ^{1/2}(m_P², m_P'², q²) λ^{1/2}(q², m_ℓ², m_N²) / (256 π³ m_P³ q²)
                 × 4 [2 a (h·q)² + 2 b q² h² − h² (p_ℓ·p_N)].
    """
    m = np.asarray(m_n, dtype=float)
    mk2, mp2, ml2 = m_parent**2, m_daughter**2, m_lepton**2
    mn2 = m**2
    delta = mk2 - mp2
    lower = (m + m_lepton) ** 2
    upper = np.full_like(m, (m_parent - m_daughter) ** 2)
    open_ = m < m_parent - m_daughter - m_lepton

    def integrand(q2: FloatArray) -> FloatArray:
        n2 = mn2[..., None]
        fp = f_plus(q2)
        f0 = f_zero(q2)
        f_minus = (f0 - fp) * delta / q2
        h_q = f0 * delta
        h2 = fp**2 * (2.0 * mk2 + 2.0 * mp2 - q2) + 2.0 * fp * f_minus * delta + f_minus**2 * q2
        pl_pn = 0.5 * (q2 - ml2 - n2)
        q_pl = 0.5 * (q2 + ml2 - n2)
        q_pn = 0.5 * (q2 - ml2 + n2)
        c1 = q_pl * q_pn / q2**2
        c2 = pl_pn / q2
        b = (c2 - c1) / 3.0
        a = c1 - b
        lepton_tensor = 4.0 * (2.0 * a * h_q**2 + 2.0 * b * q2 * h2 - h2 * pl_pn)
        phase = _sqrt_kallen(mk2, mp2, q2) * _sqrt_kallen(q2, ml2, n2) / q2
        return np.asarray(phase * lepton_tensor)

    value = _GF2 * v_ckm**2 / (256.0 * math.pi**3 * m_parent**3) * _integrate(integrand, lower, upper)
    return np.asarray(np.where(open_, np.clip(value, 0.0, None), 0.0))


def _linear_ff(f0: float, slope: float) -> FormFactor:
    """f(q²) = f0 (1 + slope q²/m_π⁺²) (Kℓ3 linear parametrisation, PDG)."""
    return lambda q2: np.asarray(f0 * (1.0 + slope * q2 / M_PI**2))


def _pole_ff(f0: float, m_pole: float) -> FormFactor:
    """Single-pole form factor f(q²) = f0 / (1 − q²/m_pole²) (vector-meson dominance)."""
    return lambda q2: np.asarray(f0 / (1.0 - q2 / m_pole**2))


def width_tau_to_hnl_pseudoscalar(m_n: ArrayLike, m_meson: float, f_meson: float, v_ckm: float) -> FloatArray:
    """Γ(τ⁻ → N P⁻) [GeV] per unit |U_τ|² (P = π, K).

    [BBGR] Sec. 2.2 (also [GS07] Sec. 3), x = m/m_τ:
    Γ = G_F² f_P² |V|² m_τ³/(16π) × [(1 − x_N²)² − x_P²(1 + x_N²)] λ^{1/2}(1, x_P², x_N²);
    at m_N → 0 the SM Γ(τ → ν π) = G_F² f_π² |V_ud|² m_τ³ (1 − x_π²)²/(16π).
    """
    m = np.asarray(m_n, dtype=float)
    xn2, xp2 = (m / M_TAU) ** 2, (m_meson / M_TAU) ** 2
    shape = (1.0 - xn2) ** 2 - xp2 * (1.0 + xn2)
    value = _GF2 * f_meson**2 * v_ckm**2 * M_TAU**3 / (16.0 * math.pi) * shape * _sqrt_kallen(1.0, xp2, xn2)
    return np.asarray(np.where(m < M_TAU - m_meson, np.clip(value, 0.0, None), 0.0))


def width_tau_to_hnl_vector(m_n: ArrayLike, m_meson: float, g_meson: float, v_ckm: float) -> FloatArray:
    """Γ(τ⁻ → N V⁻) [GeV] per unit |U_τ|² (V = ρ, K*), narrow width.

    [BBGR] Sec. 2.2: Γ = G_F² g_V² |V|² m_τ³/(16π m_V²) [(1 − x_N²)² + x_V²(1 + x_N²) − 2x_V⁴] λ^{1/2}(1, x_V², x_N²).
    """
    m = np.asarray(m_n, dtype=float)
    xn2, xv2 = (m / M_TAU) ** 2, (m_meson / M_TAU) ** 2
    shape = (1.0 - xn2) ** 2 + xv2 * (1.0 + xn2) - 2.0 * xv2**2
    value = _GF2 * g_meson**2 * v_ckm**2 * M_TAU**3 / (16.0 * math.pi * m_meson**2) * shape
    value = value * _sqrt_kallen(1.0, xv2, xn2)
    return np.asarray(np.where(m < M_TAU - m_meson, np.clip(value, 0.0, None), 0.0))


def width_lepton_to_hnl_lepton_nu(m_n: ArrayLike, m_parent: float, m_lepton: float, via_parent: bool) -> FloatArray:
    """Γ(L⁻ → ℓ⁻ + N + ν) [GeV] of a charged lepton L (τ or μ) per unit |U|², massless neutrinos.

    [BBGR] Sec. 2.2 / muon-decay matrix element |M|² ∝ (p_L·p_a)(p_ℓ·p_b):
    ``via_parent=True``: L⁻ → N ℓ⁻ ν̄_ℓ through |U_L|² (N replaces ν_L), Γ = G_F² m_L⁵/(192π³) I(x_ℓ, x_N, 0);
    ``via_parent=False``: L⁻ → ν_L ℓ⁻ N̄ through |U_ℓ|² (N replaces ν̄_ℓ), Γ = G_F² m_L⁵/(192π³) I(x_ℓ, 0, x_N).
    """
    m = np.asarray(m_n, dtype=float)
    xl, xn = m_lepton / m_parent, m / m_parent
    value = (
        _GF2
        * m_parent**5
        / (192.0 * math.pi**3)
        * (phase_space_i(xl, xn, 0.0) if via_parent else phase_space_i(xl, 0.0, xn))
    )
    return np.asarray(np.where(m < m_parent - m_lepton, value, 0.0))


def width_k_to_pi0_lepton_hnl(
    m_n: ArrayLike,
    m_lepton: float,
    f_plus_0: float = KL3_F_PLUS_0,
    lambda_plus: float = KL3_LAMBDA_PLUS,
    lambda_0: float = KL3_LAMBDA_0,
) -> FloatArray:
    """Γ(K⁺ → π⁰ ℓ⁺ N) [GeV] per unit |U_ℓ|² (Kℓ3 with a massive neutrino; Dirac and Majorana alike).

    :func:`width_pseudoscalar_to_pseudoscalar_lepton_hnl` with V_us and the linear form factors
    f₊,₀(q²) = f₊(0)/√2 × (1 + λ₊,₀ q²/m_π⁺²) (isospin factor 1/√2 for the π⁰). For m_N → 0, m_ℓ → 0 this
    reduces to the textbook Ke3 rate G_F²|V_us|² ∫ dq² f₊² λ^{3/2} / (192π³ m_K³).
    Tree level: without the short-distance factor S_EW = 1.0232 and the K⁺π⁰ isospin breaking (≈ +5 % in
    rate), the m_N → 0 limit is ≈ 6 % below the measured BR(K⁺ → π⁰e⁺ν) = 5.07 % (4.78 % here); the ratio
    Kμ3/Ke3 agrees with experiment to 1 %.
    """
    f0 = f_plus_0 / math.sqrt(2.0)
    return width_pseudoscalar_to_pseudoscalar_lepton_hnl(
        m_n, M_K, M_PI0, m_lepton, V_US, _linear_ff(f0, lambda_plus), _linear_ff(f0, lambda_0)
    )


# ------------------------------------------------------------------ semileptonic decays: helicity formalism
#: (H_t², Σ_λ H_λ²) of a semileptonic transition as functions of q²: the time-like helicity amplitude squared and
#: the sum of the squared space-like ones (λ = 0 for P → P'; λ = +, −, 0 for P → V), see
#: :func:`width_semileptonic_hnl`.
HelicityAmplitudes = Callable[[FloatArray], tuple[FloatArray, FloatArray]]


def width_semileptonic_hnl(
    m_n: ArrayLike, m_parent: float, m_daughter: float, m_lepton: float, v_ckm: float, helicity: HelicityAmplitudes
) -> FloatArray:
    """Γ(P → X ℓ⁺ N) [GeV] per unit |U_ℓ|² for a hadronic transition P → X given by its helicity amplitudes.

    Same lepton tensor as :func:`width_pseudoscalar_to_pseudoscalar_lepton_hnl` ([BBGR] Sec. 2.1.1 / App. C,
    V − A current, both leptons massive). After the integration over the lepton angles in the ℓN rest frame,
    ⟨p_ℓ^μ p_N^ν⟩ = a q^μ q^ν + b q² g^μν, only two contractions of the hadronic tensor H^μν = Σ h^μ h^ν* survive
    (the ε^μναβ part drops out): H^μν q_μ q_ν = q² H_t² and H^μ_μ = H_t² − Σ_λ H_λ², so

        dΓ/dq² = G_F² |V|² λ^{1/2}(m_P², m_X², q²) λ^{1/2}(q², m_ℓ², m_N²) / (256 π³ m_P³ q²)
                 × 4 [2 a q² H_t² + (2 b q² − p_ℓ·p_N)(H_t² − Σ_λ H_λ²)].

    For m_ℓ = m_N = 0 this is the textbook G_F²|V|² |p_X| q² Σ_λ H_λ² / (96 π³ m_P²) (Körner and Schuler,
    Z. Phys. C 46 (1990) 93); for m_N = 0 it reduces to their (Σ H_λ²)(1 + m_ℓ²/2q²) + 3 m_ℓ² H_t²/(2q²) (tested).
    Integrated with Gauss-Legendre over q² ∈ [(m_ℓ + m_N)², (m_P − m_X)²], vectorised over m_N.
    """
    m = np.asarray(m_n, dtype=float)
    mp2, mx2, ml2 = m_parent**2, m_daughter**2, m_lepton**2
    mn2 = m**2
    lower = (m + m_lepton) ** 2
    upper = np.full_like(m, (m_parent - m_daughter) ** 2)
    open_ = m < m_parent - m_daughter - m_lepton

    def integrand(q2: FloatArray) -> FloatArray:
        n2 = mn2[..., None]
        ht2, hs2 = helicity(q2)
        pl_pn = 0.5 * (q2 - ml2 - n2)
        q_pl = 0.5 * (q2 + ml2 - n2)
        q_pn = 0.5 * (q2 - ml2 + n2)
        c1 = q_pl * q_pn / q2**2
        c2 = pl_pn / q2
        b = (c2 - c1) / 3.0
        a = c1 - b
        lepton_tensor = 4.0 * (2.0 * a * q2 * ht2 + (2.0 * b * q2 - pl_pn) * (ht2 - hs2))
        phase = _sqrt_kallen(mp2, mx2, q2) * _sqrt_kallen(q2, ml2, n2) / q2
        return np.asarray(phase * lepton_tensor)

    value = _GF2 * v_ckm**2 / (256.0 * math.pi**3 * m_parent**3) * _integrate(integrand, lower, upper)
    return np.asarray(np.where(open_, np.clip(value, 0.0, None), 0.0))


def pseudoscalar_helicity(
    m_parent: float, m_daughter: float, f_plus: FormFactor, f_zero: FormFactor
) -> HelicityAmplitudes:
    """P → P': H_t = f₀ (m_P² − m_P'²)/√q², H_0 = 2 m_P |p_P'| f₊/√q² = λ^{1/2} f₊/√q² (Körner-Schuler)."""
    delta = m_parent**2 - m_daughter**2

    def amplitudes(q2: FloatArray) -> tuple[FloatArray, FloatArray]:
        lam = _sqrt_kallen(m_parent**2, m_daughter**2, q2) ** 2
        return np.asarray(f_zero(q2) ** 2 * delta**2 / q2), np.asarray(f_plus(q2) ** 2 * lam / q2)

    return amplitudes


#: Form factors of P → V as functions of q²: (V, A₀, A₁, A₂) in the convention of Wirbel, Stech, Bauer
#: (Z. Phys. C 29 (1985) 637): ⟨V|V^μ|P⟩ = 2V/(m_P+m_V) ε^μνρσ ε*_ν p_Vρ p_Pσ, ⟨V|A^μ|P⟩ = 2 m_V A₀ (ε*·q) q^μ/q²
#: + (m_P+m_V) A₁ [ε*^μ − (ε*·q) q^μ/q²] − A₂ (ε*·q)/(m_P+m_V) [(p_P+p_V)^μ − (m_P²−m_V²) q^μ/q²].
VectorFormFactors = Callable[[FloatArray], tuple[FloatArray, FloatArray, FloatArray, FloatArray]]


def vector_helicity(m_parent: float, m_vector: float, form_factors: VectorFormFactors) -> HelicityAmplitudes:
    """P → V helicity amplitudes (Körner and Schuler, Z. Phys. C 46 (1990) 93; e.g. Fajfer, Kamenik, Nišandžić,
    PRD 85 (2012) 094025, Eq. (8)), |p| = λ^{1/2}(m_P², m_V², q²)/(2 m_P):

        H_± = (m_P + m_V) A₁ ∓ 2 m_P |p| V/(m_P + m_V),
        H_0 = [(m_P² − m_V² − q²)(m_P + m_V) A₁ − 4 m_P² |p|² A₂/(m_P + m_V)] / (2 m_V √q²),
        H_t = 2 m_P |p| A₀/√q².
    """
    mp, mv = m_parent, m_vector

    def amplitudes(q2: FloatArray) -> tuple[FloatArray, FloatArray]:
        v, a0, a1, a2 = form_factors(q2)
        p = _sqrt_kallen(mp**2, mv**2, q2) / (2.0 * mp)
        h_plus = (mp + mv) * a1 - 2.0 * mp * p * v / (mp + mv)
        h_minus = (mp + mv) * a1 + 2.0 * mp * p * v / (mp + mv)
        h_zero = ((mp**2 - mv**2 - q2) * (mp + mv) * a1 - 4.0 * mp**2 * p**2 * a2 / (mp + mv)) / (2.0 * mv)
        ht2 = (2.0 * mp * p * a0) ** 2 / q2
        return np.asarray(ht2), np.asarray(h_plus**2 + h_minus**2 + h_zero**2 / q2)

    return amplitudes


def width_pseudoscalar_to_vector_lepton_hnl(
    m_n: ArrayLike, m_parent: float, m_vector: float, m_lepton: float, v_ckm: float, form_factors: VectorFormFactors
) -> FloatArray:
    """Γ(P → V ℓ⁺ N) [GeV] per unit |U_ℓ|², narrow V (Dirac and Majorana alike): :func:`width_semileptonic_hnl`
    with :func:`vector_helicity` ([BBGR] Sec. 2.1.1 and App. C: P → V with the form factors V, A₀, A₁, A₂)."""
    helicity = vector_helicity(m_parent, m_vector, form_factors)
    return width_semileptonic_hnl(m_n, m_parent, m_vector, m_lepton, v_ckm, helicity)


# ------------------------------------------------------------------ form-factor parametrisations (App. C)
def _bz_pseudoscalar_ff(r1: float, r2: float, m1_sq: float, mfit_sq: float, f0_r2: float, f0_mfit_sq: float
                        ) -> tuple[FormFactor, FormFactor]:  # fmt: skip
    """Ball-Zwicky LCSR fit (PRD 71 (2005) 014015, hep-ph/0406232, Eqs. (17)-(18), Table 8):
    f₊ = r1/(1 − q²/m1²) + r2/(1 − q²/m_fit²), f₀ = r2⁰/(1 − q²/m_fit⁰²)."""
    return (
        lambda q2: np.asarray(r1 / (1.0 - q2 / m1_sq) + r2 / (1.0 - q2 / mfit_sq)),
        lambda q2: np.asarray(f0_r2 / (1.0 - q2 / f0_mfit_sq)),
    )


#: D → π: single pole, f₊(0) = 0.645 (HFLAV 2022, arXiv:2206.07501, f₊^π(0)|V_cd| = 0.1426 / |V_cd| = 0.221);
#: f₊ pole at the effective mass 1.91 GeV of CLEO-c's simple-pole fit (PRD 80 (2009) 032005, Table XIII; the
#: D*⁺ pole at 2.010 GeV gives a spectrum too soft: −14 % in BR), f₀ pole m_D0*(2300) = 2.343 GeV (scalar dominance).
DPI_F_PLUS_0 = 0.645
DPI_POLES = (1.91, 2.343)
#: B → π: Ball-Zwicky LCSR (PRD 71 (2005) 014015, Table 8): f₊: r1 = 0.744, r2 = −0.486, m1² = m_B*² = 28.40 GeV²,
#: m_fit² = 40.73 GeV²; f₀: r2 = 0.258, m_fit² = 33.81 GeV²; f₊(0) = f₀(0) = 0.258.
BPI_BZ = (0.744, -0.486, 28.40, 40.73, 0.258, 33.81)


def dkstar_form_factors(q2: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """D → K̄* form factors (V, A₀, A₁, A₂): BaBar D⁺ → K⁻π⁺e⁺ν fit (PRD 83 (2011) 072001, arXiv:1012.1810, Sec. XI):
    single poles V ∝ 1/(1 − q²/m_V²), A₁,₂ ∝ 1/(1 − q²/m_A²) with m_V = 2.1 GeV, m_A = 2.63 GeV (fixed in the fit),
    r_V = V(0)/A₁(0) = 1.463, r_2 = A₂(0)/A₁(0) = 0.801, A₁(0) = 0.620. A₀ (not measured: it enters only through
    the lepton masses) from the exact q² = 0 constraint A₀(0) = [(m_D + m_K*)A₁(0) − (m_D − m_K*)A₂(0)]/(2m_K*),
    with the pseudoscalar pole m_Ds = 1.968 GeV (pseudoscalar dominance, as in [BBGR] App. C)."""
    a1_0, r_v, r_2 = 0.620, 1.463, 0.801
    md, mv = pdg.mass(411), pdg.mass(313)
    a0_0 = ((md + mv) * a1_0 - (md - mv) * r_2 * a1_0) / (2.0 * mv)
    pole_a = 1.0 / (1.0 - q2 / 2.63**2)
    v = r_v * a1_0 / (1.0 - q2 / 2.1**2)
    a0 = a0_0 / (1.0 - q2 / M_DS**2)
    return np.asarray(v), np.asarray(a0), np.asarray(a1_0 * pole_a), np.asarray(r_2 * a1_0 * pole_a)


#: B → D* in the CLN parametrisation (Caprini, Lellouch, Neubert, NPB 530 (1998) 153, Eqs. (35), (36)):
#: ρ² = 1.122, R₁(1) = 1.270, R₂(1) = 0.852 (HFLAV 2019, arXiv:1909.12524, Table 65 / Sec. 5.2.1); h_A1(1) = 0.904
#: (FNAL/MILC, PRD 89 (2014) 114504, FLAG 2019); R₀(1) = 1.14 and its slope for A₀ (HQET, Fajfer, Kamenik,
#: Nišandžić, PRD 85 (2012) 094025, Eq. (10)).
CLN_BDSTAR = (0.904, 1.122, 1.270, 0.852, 1.14)


def cln_form_factors(m_parent: float, m_vector: float, params: tuple[float, float, float, float, float] = CLN_BDSTAR
                     ) -> VectorFormFactors:  # fmt: skip
    """(V, A₀, A₁, A₂) of B → D* (and, with SU(3) symmetry, B_s → D_s*) from the CLN functions of w = v·v':
    h_A1(w) = h_A1(1)[1 − 8ρ²z + (53ρ² − 15)z² − (231ρ² − 91)z³], z = (√(w+1) − √2)/(√(w+1) + √2),
    R₁ = R₁(1) − 0.12(w−1) + 0.05(w−1)², R₂ = R₂(1) + 0.11(w−1) − 0.06(w−1)², R₀ = R₀(1) − 0.11(w−1) + 0.01(w−1)²;
    A₁ = (w+1)/2 R* h_A1, V = R₁ h_A1/R*, A₂ = R₂ h_A1/R*, A₀ = R₀ h_A1/R*, R* = 2√(m_P m_V)/(m_P + m_V)."""
    h1, rho2, r1_1, r2_1, r0_1 = params
    r_star = 2.0 * math.sqrt(m_parent * m_vector) / (m_parent + m_vector)

    def form_factors(q2: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        w = (m_parent**2 + m_vector**2 - q2) / (2.0 * m_parent * m_vector)
        x = np.sqrt(w + 1.0)
        z = (x - math.sqrt(2.0)) / (x + math.sqrt(2.0))
        h_a1 = h1 * (1.0 - 8.0 * rho2 * z + (53.0 * rho2 - 15.0) * z**2 - (231.0 * rho2 - 91.0) * z**3)
        d = w - 1.0
        r1 = r1_1 - 0.12 * d + 0.05 * d**2
        r2 = r2_1 + 0.11 * d - 0.06 * d**2
        r0 = r0_1 - 0.11 * d + 0.01 * d**2
        return (
            np.asarray(r1 * h_a1 / r_star),
            np.asarray(r0 * h_a1 / r_star),
            np.asarray(0.5 * (w + 1.0) * r_star * h_a1),
            np.asarray(r2 * h_a1 / r_star),
        )

    return form_factors


def brho_form_factors(q2: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """B → ρ (V, A₀, A₁, A₂): Ball-Zwicky LCSR fit (PRD 71 (2005) 014029, hep-ph/0412079, Eqs. (59)-(61), Table 8):
    V = 1.045/(1 − q²/28.30) − 0.721/(1 − q²/38.34), A₀ = 1.527/(1 − q²/27.88) − 1.220/(1 − q²/33.36),
    A₁ = 0.240/(1 − q²/37.51), A₂ = 0.009/(1 − q²/40.82) + 0.212/(1 − q²/40.82)² (q² in GeV²)."""
    v = 1.045 / (1.0 - q2 / 28.30) - 0.721 / (1.0 - q2 / 38.34)
    a0 = 1.527 / (1.0 - q2 / 27.88) - 1.220 / (1.0 - q2 / 33.36)
    a1 = 0.240 / (1.0 - q2 / 37.51)
    a2 = 0.009 / (1.0 - q2 / 40.82) + 0.212 / (1.0 - q2 / 40.82) ** 2
    return np.asarray(v), np.asarray(a0), np.asarray(a1), np.asarray(a2)


def _scaled_ff(form_factors: VectorFormFactors, factor: float) -> VectorFormFactors:
    """Isospin factor (e.g. 1/√2 for ρ⁰ = (uū − dd̄)/√2) applied to all four form factors."""

    def scaled(q2: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        v, a0, a1, a2 = form_factors(q2)
        return np.asarray(factor * v), np.asarray(factor * a0), np.asarray(factor * a1), np.asarray(factor * a2)

    return scaled


# ---------------------------------------------- charm → η, η′, φ, ρ, ω ([BBGR] Sec. 2.1.1, App. C; issue 4 session 3)
#: η–η′ mixing angle in the quark-flavour basis, φ_P = 39.3° ± 1.0° (Feldmann, Kroll, Stech, PRD 58 (1998) 114006):
#: η = cos φ_P η_q − sin φ_P η_s, η′ = sin φ_P η_q + cos φ_P η_s, η_q = (uū + dd̄)/√2, η_s = ss̄. BESIII finds
#: φ_P = 40.0° ± 2.1° from the D_s⁺ and D⁺ → η⁽′⁾ e⁺ν rates (7.33 fb⁻¹ analysis, 2023).
ETA_MIXING_ANGLE = math.radians(39.3)
#: Flavour-content factors (amplitude) of the light pseudoscalar reached by the weak current: c → s from
#: D_s⁺ = cs̄ reaches ss̄, ⟨η|ss̄⟩ = −sin φ_P, ⟨η′|ss̄⟩ = cos φ_P; c → d from D⁺ = cd̄ reaches dd̄,
#: ⟨η|dd̄⟩ = cos φ_P/√2, ⟨η′|dd̄⟩ = sin φ_P/√2. The physical form factor is factor × that of the pure flavour state.
ETA_CONTENT_DS = (-math.sin(ETA_MIXING_ANGLE), math.cos(ETA_MIXING_ANGLE))
ETA_CONTENT_D = (math.cos(ETA_MIXING_ANGLE) / math.sqrt(2.0), math.sin(ETA_MIXING_ANGLE) / math.sqrt(2.0))
#: D_s⁺ → η_s (pure ss̄) vector form factor F₊(0) = f₊^η(0)|V_cs| / (|V_cs| sin φ_P) = 0.732, from BESIII's
#: f₊^η(0)|V_cs| = 0.4519 ± 0.0071 ± 0.0065 (two-parameter series-expansion fit, "Precision measurements of
#: D_s⁺ → η e⁺ν_e and D_s⁺ → η′ e⁺ν_e", 7.33 fb⁻¹, 2023; the 3.19 fb⁻¹ analysis, PRL 122 (2019) 121801, gave 0.4455).
#: The same F₊ with cos φ_P gives f₊^η′(0)|V_cs| = 0.552 vs BESIII 0.525 ± 0.024 ± 0.009 (η′ is a test of the mixing).
#: Cross-check: HPQCD finds the D_s → η_s and D → K form factors "essentially the same" (arXiv:1111.0225); here
#: 0.732 vs :data:`DK_F_PLUS_0` = 0.736.
#: q² dependence: single poles at m_Ds* (f₊) and m_Ds0*(2317) (f₀), f₀(0) = f₊(0), as for D → K (:data:`DK_POLES`).
DS_ETA_S_F_PLUS_0 = 0.4519 / (V_CS * math.sin(ETA_MIXING_ANGLE))
#: D⁺ → η_q (uū + dd̄)/√2 vector form factor F₊(0) = f₊^η(0)|V_cd| / (|V_cd| cos φ_P/√2) = 0.720, from BESIII's
#: f₊^η(0)|V_cd| = 0.087 ± 0.008 ± 0.002 (PRL 124 (2020) 231801, D⁺ → η μ⁺ν; BESIII's 20.3 fb⁻¹ D⁺ → η ℓ⁺ν analysis
#: (2025) finds 0.078 ± 0.002 ± 0.001, −10 %: the stated uncertainty). Poles m_D*⁺ (f₊; vector dominance) and
#: m_D0*(2300) (f₀, as :data:`DPI_POLES`).
D_ETA_Q_F_PLUS_0 = 0.087 / (V_CD * math.cos(ETA_MIXING_ANGLE) / math.sqrt(2.0))
D_ETA_POLES = (2.01026, 2.343)
#: D → ρ (V, A₀, A₁, A₂) normalisation A₁(0), r_V = V(0)/A₁(0), r₂ = A₂(0)/A₁(0): CLEO-c, PRL 110 (2013) 131802
#: (D⁰ → ρ⁻e⁺ν, D⁺ → ρ⁰e⁺ν; A₁(0) = 0.56 from their branching fractions with CKM unitarity; BESIII, PRL 122 (2019)
#: 062001, finds r_V = 1.695 ± 0.097, r₂ = 0.845 ± 0.068). Single poles (their parametrisation): V at m_D*⁺ = 2.010 GeV,
#: A₁, A₂ at m_D1(2420) = 2.422 GeV; A₀ from the q² = 0 constraint with the pseudoscalar pole m_D⁺.
#: D⁺ → ω uses the same form factors (isospin/ideal mixing: ρ⁰, ω = (uū ∓ dd̄)/√2, factor 1/√2 from the dd̄).
DRHO_FF = (0.56, 1.48, 0.83)
DRHO_POLES = (2.01026, 2.4221, 1.86966)
#: D_s⁺ → φ: BaBar D_s⁺ → K⁺K⁻e⁺ν fit (PRD 78 (2008) 051101(R), arXiv:0807.1599): A₁(0) = 0.607, r_V = 1.849,
#: r₂ = 0.763, m_A = 2.28 GeV (fitted), m_V = 2.1 GeV (fixed); A₀ from the q² = 0 constraint, pole m_Ds. (BESIII,
#: JHEP 2023, D_s⁺ → φμ⁺ν: r_V = 1.58 ± 0.17, r₂ = 0.71 ± 0.14.)
DSPHI_FF = (0.607, 1.849, 0.763)
DSPHI_POLES = (2.1, 2.28, M_DS)


def pole_vector_form_factors(
    m_parent: float, m_vector: float, ratios: tuple[float, float, float], poles: tuple[float, float, float]
) -> VectorFormFactors:
    """(V, A₀, A₁, A₂) of P → V in the single-pole parametrisation of the charm experiments (e.g. BaBar PRD 78 (2008)
    051101, CLEO-c PRL 110 (2013) 131802): ``ratios`` = (A₁(0), r_V, r₂), ``poles`` = (m_V, m_A, m_P) [GeV],

        V = r_V A₁(0)/(1 − q²/m_V²),  A₁ = A₁(0)/(1 − q²/m_A²),  A₂ = r₂ A₁(0)/(1 − q²/m_A²),
        A₀ = A₀(0)/(1 − q²/m_P²),  A₀(0) = [(m_P + m_V) A₁(0) − (m_P − m_V) A₂(0)]/(2 m_V)

    (the exact q² = 0 relation A₀(0) = A₃(0) of Wirbel, Stech, Bauer, Z. Phys. C 29 (1985) 637; A₀ is not measured in
    charm decays to e, μ: it enters only through the lepton and HNL masses)."""
    a1_0, r_v, r_2 = ratios
    m_v, m_a, m_p = poles
    a0_0 = ((m_parent + m_vector) * a1_0 - (m_parent - m_vector) * r_2 * a1_0) / (2.0 * m_vector)

    def form_factors(q2: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        pole_a = 1.0 / (1.0 - q2 / m_a**2)
        return (
            np.asarray(r_v * a1_0 / (1.0 - q2 / m_v**2)),
            np.asarray(a0_0 / (1.0 - q2 / m_p**2)),
            np.asarray(a1_0 * pole_a),
            np.asarray(r_2 * a1_0 * pole_a),
        )

    return form_factors


# ------------------------------------------------------------------------------------------ channel tables
MixingName = str  # "ue2", "umu2", "utau2", or "all" (Σ_α |U_α|²)
_FLAVOURS: tuple[str, str, str] = ("ue2", "umu2", "utau2")
_NU_IDS = {"ue2": pdg.NU_E, "umu2": pdg.NU_MU, "utau2": pdg.NU_TAU}
_NU_NAMES = {"ue2": "nu_e", "umu2": "nu_mu", "utau2": "nu_tau"}
_LEPTON_IDS = {"ue2": pdg.ELECTRON, "umu2": pdg.MUON, "utau2": pdg.TAU}
_LEPTON_NAMES = {"ue2": "e", "umu2": "mu", "utau2": "tau"}
_LEPTON_MASSES = {"ue2": M_E, "umu2": M_MU, "utau2": M_TAU}

#: Hadronic regimes of a decay row: "always" (leptons, charm mesons), "exclusive" (light single mesons, used
#: below the matching mass) and "inclusive" (light quarks with QCD correction, used above it).
Regime = str


@dataclass(frozen=True)
class DecaySpec:
    """One row of the HNL decay table.

    ``width(m_N)`` is the Dirac width [GeV] at unit mixing ``mixing`` ("all" = Σ_α |U_α|²), zero below
    ``threshold`` [GeV]. ``conjugate`` = (name, daughters) of the charge-conjugate channel that a Majorana HNL
    adds with the same width; ``None`` marks a neutral channel whose key stands for both ν and ν̄ final states
    (width × 2 for a Majorana HNL). ``regime``: see :data:`Regime` and :data:`MATCHING_MASS`.
    """

    name: str
    daughters: tuple[int, ...]
    mixing: MixingName
    threshold: float
    width: Callable[[ArrayLike], FloatArray]
    conjugate: tuple[str, tuple[int, ...]] | None = None
    visible: bool = True
    regime: Regime = "always"


@dataclass(frozen=True)
class ProductionSpec:
    """One row of the HNL production table: parent → N + companions, width(m_N) [GeV] at unit ``mixing``.

    ``tau_chain``: for the rows D_s⁺ → τ⁺ ν_τ, τ⁺ → N X, the kind of τ decay (one of
    :data:`darkbeam.models.hnl_tau.TAU_CHAIN_KINDS`) and the other τ⁺ daughters in the order of
    :class:`~darkbeam.models.hnl_tau.TauChain`; the kinematics are then the cascade of :mod:`darkbeam.models.hnl_tau`
    (:meth:`HNL.production_cascade`), and ``companions`` = (ν_τ, charged τ daughter) only label the channel.
    """

    parent: int
    name: str
    companions: tuple[int, ...]
    mixing: MixingName
    threshold: float  # open for m_N < threshold
    width: Callable[[ArrayLike], FloatArray]
    tau_chain: tuple[str, tuple[int, ...]] | None = None
    #: the row makes N̄ (lepton number: τ⁺ → N̄ X⁺ through U_τ, μ⁻ → ν_μ e⁻ N̄ through U_e); N otherwise
    antiparticle: bool = False


def _with_qcd(base: Callable[[ArrayLike], FloatArray]) -> Callable[[ArrayLike], FloatArray]:
    """``base(m) × (1 + Δ_QCD(m))`` (:func:`delta_qcd`); used only above :data:`MATCHING_MASS`."""

    def width(m_n: ArrayLike) -> FloatArray:
        m = np.asarray(m_n, dtype=float)
        factor = np.vectorize(lambda x: 1.0 + delta_qcd(max(float(x), MATCHING_MASS)))(m)
        return np.asarray(base(m) * factor)

    return width


def _decay_table() -> tuple[DecaySpec, ...]:
    rows: list[DecaySpec] = [
        # invisible: flavour composition summed; daughters use ν_μ ν̄_μ ν_μ as representative ids
        DecaySpec("nu nu nu", (pdg.NU_MU, -pdg.NU_MU, pdg.NU_MU), "all", 0.0, width_n_to_3nu, visible=False),
    ]
    # ν_α ℓ⁺ ℓ⁻ (Z, and W for ℓ = ℓ_α): [BBGR] Sec. 3.1.2
    for mixing in _FLAVOURS:
        nu, nu_name = _NU_IDS[mixing], _NU_NAMES[mixing]
        for lep in _FLAVOURS:
            lid, lname, lmass = _LEPTON_IDS[lep], _LEPTON_NAMES[lep], _LEPTON_MASSES[lep]
            rows.append(
                DecaySpec(
                    f"{nu_name} {lname}+ {lname}-",
                    (nu, -lid, lid),
                    mixing,
                    2 * lmass,
                    partial(width_n_to_nu_lepton_lepton, m_lepton=lmass, same_flavour=mixing == lep),
                )
            )
    # ℓ_α⁻ ℓ_β⁺ ν_β, α ≠ β (W): [BBGR] Sec. 3.1.1
    for alpha in _FLAVOURS:
        for beta in _FLAVOURS:
            if alpha == beta:
                continue
            a_id, a_name, a_m = _LEPTON_IDS[alpha], _LEPTON_NAMES[alpha], _LEPTON_MASSES[alpha]
            b_id, b_name, b_m = _LEPTON_IDS[beta], _LEPTON_NAMES[beta], _LEPTON_MASSES[beta]
            nu_b = _NU_IDS[beta]
            rows.append(
                DecaySpec(
                    f"{a_name}- {b_name}+ {_NU_NAMES[beta]}",
                    (a_id, -b_id, nu_b),
                    alpha,
                    a_m + b_m,
                    partial(width_n_to_lepton_lepton_nu, m_alpha=a_m, m_beta=b_m),
                    conjugate=(f"{a_name}+ {b_name}- nubar_{_NU_NAMES[beta][3:]}", (-a_id, b_id, -nu_b)),
                )
            )
    # ν P⁰ and ν V⁰: flavour summed (key stands for ν and ν̄); daughters use ν_μ as representative id
    for name, pid, f_meson, regime in NEUTRAL_PSEUDOSCALARS:
        m_p = pdg.mass(pid)
        rows.append(
            DecaySpec(
                f"nu {name}", (pdg.NU_MU, pid), "all", m_p,
                partial(width_n_to_nu_pseudoscalar, m_meson=m_p, f_meson=f_meson), regime=regime,
            )
        )  # fmt: skip
    for name, pid, g_meson, kappa, regime in NEUTRAL_VECTORS:
        m_v = pdg.mass(pid)
        rows.append(
            DecaySpec(
                f"nu {name}", (pdg.NU_MU, pid), "all", m_v,
                partial(width_n_to_nu_vector, m_meson=m_v, g_meson=g_meson, kappa=kappa), regime=regime,
            )
        )  # fmt: skip
    # the ρ channels with the ππ line shape (see width_n_to_nu_two_pions / width_n_to_lepton_two_pions)
    rows.append(
        DecaySpec("nu pi+ pi-", (pdg.NU_MU, pdg.PI_PLUS, -pdg.PI_PLUS), "all", 2 * M_PI, width_n_to_nu_two_pions,
                  regime="exclusive")
    )  # fmt: skip
    # ℓ_α⁻ P⁺, ℓ_α⁻ V⁺: [BBGR] Sec. 3.2.1
    for mixing in _FLAVOURS:
        lid, lname, lmass = _LEPTON_IDS[mixing], _LEPTON_NAMES[mixing], _LEPTON_MASSES[mixing]
        rows.append(
            DecaySpec(
                f"{lname}- pi+ pi0", (lid, pdg.PI_PLUS, pdg.PI0), mixing, lmass + M_PI + M_PI0,
                partial(width_n_to_lepton_two_pions, m_lepton=lmass),
                conjugate=(f"{lname}+ pi- pi0", (-lid, -pdg.PI_PLUS, pdg.PI0)), regime="exclusive",
            )
        )  # fmt: skip
        for name, pid, f_meson, v_ckm, regime in CHARGED_PSEUDOSCALARS:
            m_p = pdg.mass(pid)
            rows.append(
                DecaySpec(
                    f"{lname}- {name}+", (lid, pid), mixing, lmass + m_p,
                    partial(width_n_to_lepton_pseudoscalar, m_lepton=lmass, m_meson=m_p, f_meson=f_meson,
                            v_ckm=v_ckm),
                    conjugate=(f"{lname}+ {name}-", (-lid, -pid)), regime=regime,
                )
            )  # fmt: skip
        for name, pid, g_meson, v_ckm, regime in CHARGED_VECTORS:
            m_v = pdg.mass(pid)
            rows.append(
                DecaySpec(
                    f"{lname}- {name}+", (lid, pid), mixing, lmass + m_v,
                    partial(width_n_to_lepton_vector, m_lepton=lmass, m_meson=m_v, g_meson=g_meson, v_ckm=v_ckm),
                    conjugate=(f"{lname}+ {name}-", (-lid, -pid)), regime=regime,
                )
            )  # fmt: skip
        # inclusive non-strange quark channel ℓ_α⁻ u d̄ with 1 + Δ_QCD: [BBGR] Sec. 3.1.1 formula with N_c |V_ud|²,
        # Sec. 3.2 QCD factor; u and d only (see INCLUSIVE_QUARKS)
        m_u, m_d = pdg.mass(2), pdg.mass(1)
        rows.append(
            DecaySpec(
                f"{lname}- u dbar", (lid, 2, -1), mixing, lmass + m_u + m_d,
                _with_qcd(partial(width_n_to_lepton_up_down, m_lepton=lmass, m_up=m_u, m_down=m_d, v_ckm=V_UD)),
                conjugate=(f"{lname}+ ubar d", (-lid, -2, 1)), regime="inclusive",
            )
        )  # fmt: skip
    for quark in INCLUSIVE_QUARKS:
        qname, m_q = {2: "u", 1: "d", 3: "s"}[quark], pdg.mass(quark)
        rows.append(
            DecaySpec(
                f"nu {qname} {qname}bar", (pdg.NU_MU, quark, -quark), "all", 2 * m_q,
                _with_qcd(partial(width_n_to_nu_quark_quark, m_quark=m_q, up_type=quark == 2)), regime="inclusive",
            )
        )  # fmt: skip
    return tuple(rows)


def _semileptonic(
    parent: int, daughter: int, v_ckm: float, f_plus: FormFactor, f_zero: FormFactor, m_lepton: float
) -> Callable[[ArrayLike], FloatArray]:
    return partial(
        width_pseudoscalar_to_pseudoscalar_lepton_hnl,
        m_parent=pdg.mass(parent), m_daughter=pdg.mass(daughter), m_lepton=m_lepton, v_ckm=v_ckm,
        f_plus=f_plus, f_zero=f_zero,
    )  # fmt: skip


def _tau_chain(tau_width: Callable[[ArrayLike], FloatArray]) -> Callable[[ArrayLike], FloatArray]:
    """Γ_eff(D_s⁺ → τ⁺ν, τ⁺ → N X) = Γ_SM(D_s⁺ → τ⁺ν_τ) × Γ(τ → N X)/Γ_τ, so that BR = BR(D_s → τν) BR(τ → N X)."""
    ds_tau = float(width_pseudoscalar_to_lepton_hnl(0.0, M_DS, M_TAU, F_DS, V_CS))
    gamma_tau = HBAR / pdg.lifetime(pdg.TAU)

    def width(m_n: ArrayLike) -> FloatArray:
        return np.asarray(ds_tau * tau_width(m_n) / gamma_tau)

    return width


def _production_table() -> tuple[ProductionSpec, ...]:
    rows: list[ProductionSpec] = []
    two_body = width_pseudoscalar_to_lepton_hnl
    # P⁺ → ℓ⁺ N: [Shrock], [BBGR] Sec. 2.1 (π, K), 2.1.2 (D, D_s), 2.1.3 (B, B_c)
    for parent, pname, f_parent, v_ckm in TWO_BODY_PARENTS:
        m_p = pdg.mass(parent)
        for mixing in _FLAVOURS:
            lid, lname, lmass = _LEPTON_IDS[mixing], _LEPTON_NAMES[mixing], _LEPTON_MASSES[mixing]
            if lmass >= m_p:
                continue
            rows.append(
                ProductionSpec(
                    parent, f"{pname} -> {lname}+ N", (-lid,), mixing, m_p - lmass,
                    partial(two_body, m_parent=m_p, m_lepton=lmass, f_parent=f_parent, v_ckm=v_ckm),
                )
            )  # fmt: skip
    # three-body semileptonic P → P' ℓ⁺ N
    kl3_plus = _linear_ff(KL3_F_PLUS_0 / math.sqrt(2.0), KL3_LAMBDA_PLUS)
    kl3_zero = _linear_ff(KL3_F_PLUS_0 / math.sqrt(2.0), KL3_LAMBDA_0)
    k0_plus = _linear_ff(KL3_F_PLUS_0, KL3_LAMBDA_PLUS)
    k0_zero = _linear_ff(KL3_F_PLUS_0, KL3_LAMBDA_0)
    dk_plus, dk_zero = _pole_ff(DK_F_PLUS_0, DK_POLES[0]), _pole_ff(DK_F_PLUS_0, DK_POLES[1])
    bd_plus, bd_zero = _pole_ff(BD_F_PLUS_0, BD_POLES[0]), _pole_ff(BD_F_PLUS_0, BD_POLES[1])
    # Cabibbo- and V_ub-suppressed P → π: D⁰ → π⁻ and B⁰ → π⁻ (factor 1), D⁺, B⁺ → π⁰ (isospin factor 1/√2)
    dpi_plus, dpi_zero = _pole_ff(DPI_F_PLUS_0, DPI_POLES[0]), _pole_ff(DPI_F_PLUS_0, DPI_POLES[1])
    dpi0_plus = _pole_ff(DPI_F_PLUS_0 / math.sqrt(2.0), DPI_POLES[0])
    dpi0_zero = _pole_ff(DPI_F_PLUS_0 / math.sqrt(2.0), DPI_POLES[1])
    bpi_plus, bpi_zero = _bz_pseudoscalar_ff(*BPI_BZ)
    bpi0_plus, bpi0_zero = _scaled_scalar_ff(bpi_plus, _ISO), _scaled_scalar_ff(bpi_zero, _ISO)
    # D_s⁺ → η⁽′⁾ (c → s onto the ss̄ component) and D⁺ → η⁽′⁾ (c → d onto dd̄): flavour-state form factor × the
    # η–η′ content factor (ETA_CONTENT_DS, ETA_CONTENT_D; mixing angle ETA_MIXING_ANGLE)
    ds_eta_s = (_pole_ff(DS_ETA_S_F_PLUS_0, DK_POLES[0]), _pole_ff(DS_ETA_S_F_PLUS_0, DK_POLES[1]))
    d_eta_q = (_pole_ff(D_ETA_Q_F_PLUS_0, D_ETA_POLES[0]), _pole_ff(D_ETA_Q_F_PLUS_0, D_ETA_POLES[1]))
    eta_ffs: dict[tuple[int, int], tuple[FormFactor, FormFactor]] = {
        (parent, daughter): (_scaled_scalar_ff(ffs[0], content), _scaled_scalar_ff(ffs[1], content))
        for parent, ffs, contents in ((431, ds_eta_s, ETA_CONTENT_DS), (411, d_eta_q, ETA_CONTENT_D))
        for daughter, content in zip((221, 331), contents, strict=True)
    }
    # P → V ([BBGR] Sec. 2.1.1, App. C): (parent, name, vector, name, |V|, (V, A0, A1, A2))
    b_dstar0 = cln_form_factors(pdg.mass(521), pdg.mass(423))
    b_dstar = cln_form_factors(pdg.mass(511), pdg.mass(413))
    bs_dsstar = cln_form_factors(pdg.mass(531), pdg.mass(433))  # SU(3): B → D* parameters for B_s → D_s*
    d_rho0 = pole_vector_form_factors(pdg.mass(411), pdg.mass(113), DRHO_FF, DRHO_POLES)
    d_omega = pole_vector_form_factors(pdg.mass(411), pdg.mass(223), DRHO_FF, DRHO_POLES)
    vector: list[tuple[int, str, int, str, float, VectorFormFactors]] = [
        (421, "D0", -323, "K*-", V_CS, dkstar_form_factors),
        (411, "D+", -313, "anti-K*0", V_CS, dkstar_form_factors),
        (521, "B+", -423, "anti-D*0", V_CB, b_dstar0),
        (511, "B0", -413, "D*-", V_CB, b_dstar),
        (531, "B_s0", -433, "D_s*-", V_CB, bs_dsstar),
        (521, "B+", 113, "rho0", V_UB, _scaled_ff(brho_form_factors, _ISO)),
        (511, "B0", -213, "rho-", V_UB, brho_form_factors),
        # D_s⁺ → φ (BaBar single-pole fit), D → ρ, ω (CLEO-c single-pole fit; ρ⁰, ω = (uū ∓ dd̄)/√2: factor 1/√2)
        (431, "D_s+", 333, "phi", V_CS, pole_vector_form_factors(M_DS, pdg.mass(333), DSPHI_FF, DSPHI_POLES)),
        (421, "D0", -213, "rho-", V_CD, pole_vector_form_factors(pdg.mass(421), pdg.mass(213), DRHO_FF, DRHO_POLES)),
        (411, "D+", 113, "rho0", V_CD, _scaled_ff(d_rho0, -_ISO)),
        (411, "D+", 223, "omega", V_CD, _scaled_ff(d_omega, _ISO)),
    ]
    for mixing in _FLAVOURS:
        lid, lname, lmass = _LEPTON_IDS[mixing], _LEPTON_NAMES[mixing], _LEPTON_MASSES[mixing]
        semi: list[tuple[int, str, int, str, float, FormFactor, FormFactor, float]] = [
            (pdg.K_PLUS, "K+", pdg.PI0, "pi0", V_US, kl3_plus, kl3_zero, 1.0),
            # K_L = (K⁰ − K̄⁰)/√2 (CP violation neglected): each charge mode is ½ Γ(K⁰ → π⁻ ℓ⁺ N)
            (pdg.K_LONG, "K_L0", -pdg.PI_PLUS, "pi-", V_US, k0_plus, k0_zero, 0.5),
            (421, "D0", -pdg.K_PLUS, "K-", V_CS, dk_plus, dk_zero, 1.0),
            (411, "D+", -311, "anti-K0", V_CS, dk_plus, dk_zero, 1.0),
            (521, "B+", -421, "anti-D0", V_CB, bd_plus, bd_zero, 1.0),
            (511, "B0", -411, "D-", V_CB, bd_plus, bd_zero, 1.0),
            # B_s⁰ → D_s⁻: B → D form factors (SU(3) symmetry, lattice ratio f^{B_s→D_s}/f^{B→D} = 1.0 ± 0.05)
            (531, "B_s0", -431, "D_s-", V_CB, bd_plus, bd_zero, 1.0),
            (421, "D0", -pdg.PI_PLUS, "pi-", V_CD, dpi_plus, dpi_zero, 1.0),
            (411, "D+", pdg.PI0, "pi0", V_CD, dpi0_plus, dpi0_zero, 1.0),
            (511, "B0", -pdg.PI_PLUS, "pi-", V_UB, bpi_plus, bpi_zero, 1.0),
            (521, "B+", pdg.PI0, "pi0", V_UB, bpi0_plus, bpi0_zero, 1.0),
            (431, "D_s+", 221, "eta", V_CS, *eta_ffs[431, 221], 1.0),
            (431, "D_s+", 331, "eta'", V_CS, *eta_ffs[431, 331], 1.0),
            (411, "D+", 221, "eta", V_CD, *eta_ffs[411, 221], 1.0),
            (411, "D+", 331, "eta'", V_CD, *eta_ffs[411, 331], 1.0),
        ]
        for parent, pname, daughter, dname, v_ckm, fp, f0, scale in semi:
            threshold = pdg.mass(parent) - pdg.mass(daughter) - lmass
            if threshold <= 0:
                continue
            base = _cached(_semileptonic(parent, daughter, v_ckm, fp, f0, lmass))
            width = base if scale == 1.0 else _scaled(base, scale)
            rows.append(ProductionSpec(parent, f"{pname} -> {dname} {lname}+ N", (daughter, -lid), mixing, threshold,
                                       width))  # fmt: skip
            if parent == pdg.K_LONG:  # the charge-conjugate mode K_L → π⁺ ℓ⁻ N̄
                rows.append(ProductionSpec(parent, f"K_L0 -> pi+ {lname}- N", (pdg.PI_PLUS, lid), mixing, threshold,
                                           width))  # fmt: skip
        for parent, pname, daughter, dname, v_ckm, ffs in vector:
            threshold = pdg.mass(parent) - pdg.mass(daughter) - lmass
            if threshold <= 0:
                continue
            width = _cached(
                partial(
                    width_pseudoscalar_to_vector_lepton_hnl,
                    m_parent=pdg.mass(parent),
                    m_vector=pdg.mass(daughter),
                    m_lepton=lmass,
                    v_ckm=v_ckm,
                    form_factors=ffs,
                )
            )
            rows.append(ProductionSpec(parent, f"{pname} -> {dname} {lname}+ N", (daughter, -lid), mixing, threshold,
                                       width))  # fmt: skip
    # τ from D_s: D_s⁺ → τ⁺ ν_τ, then τ⁺ → N̄ X⁺ ([BBGR] Sec. 2.2). BR = BR(D_s → τν) × BR(τ → N X).
    # Companions: ν_τ and the charged τ daughter (labels only). Kinematics: the polarised cascade of
    # darkbeam.models.hnl_tau, selected by the last field (kind of τ decay, other τ⁺ daughters).
    nt = pdg.NU_TAU
    TauRow = tuple[str, tuple[int, ...], str, float, Callable[[ArrayLike], FloatArray], tuple[str, tuple[int, ...]]]
    tau_rows: list[TauRow] = [
        ("pi+", (nt, pdg.PI_PLUS), "utau2", M_TAU - M_PI,
         partial(width_tau_to_hnl_pseudoscalar, m_meson=M_PI, f_meson=F_PI, v_ckm=V_UD), ("pseudoscalar", (211,))),
        ("K+", (nt, pdg.K_PLUS), "utau2", M_TAU - M_K,
         partial(width_tau_to_hnl_pseudoscalar, m_meson=M_K, f_meson=F_K, v_ckm=V_US), ("pseudoscalar", (321,))),
        ("rho+", (nt, 213), "utau2", M_TAU - M_RHO,
         partial(width_tau_to_hnl_vector, m_meson=M_RHO, g_meson=G_RHO, v_ckm=V_UD), ("vector", (213,))),
    ]  # fmt: skip
    for mixing in ("ue2", "umu2"):
        lid, lname, lmass = _LEPTON_IDS[mixing], _LEPTON_NAMES[mixing], _LEPTON_MASSES[mixing]
        # τ⁺ → N̄ ℓ⁺ ν_ℓ through U_τ, and τ⁺ → ν̄_τ ℓ⁺ N through U_ℓ
        tau_rows.append(
            (
                f"{lname}+ {_NU_NAMES[mixing]}",
                (nt, -lid),
                "utau2",
                M_TAU - lmass,
                partial(width_lepton_to_hnl_lepton_nu, m_parent=M_TAU, m_lepton=lmass, via_parent=True),
                ("lepton_via_tau", (-lid, lid + 1)),  # τ⁺ → N̄ ℓ⁺ ν_ℓ
            )
        )
        tau_rows.append(
            (
                f"{lname}+ nubar_tau",
                (nt, -lid),
                mixing,
                M_TAU - lmass,
                partial(width_lepton_to_hnl_lepton_nu, m_parent=M_TAU, m_lepton=lmass, via_parent=False),
                ("lepton_via_lepton", (-nt, -lid)),  # τ⁺ → ν̄_τ ℓ⁺ N
            )
        )
    for label, companions, mixing, threshold, tau_width, chain in tau_rows:
        rows.append(ProductionSpec(431, f"D_s+ -> nu_tau tau+(-> {label} N)", companions, mixing, threshold,
                                   _tau_chain(tau_width), tau_chain=chain,
                                   antiparticle=chain[0] != "lepton_via_lepton"))  # fmt: skip
    # muon decay μ⁻ → e⁻ ν̄_e N (U_μ) and μ⁻ → ν_μ e⁻ N̄ (U_e): [BBGR] Sec. 2.2 formulas with L = μ
    rows.append(
        ProductionSpec(
            pdg.MUON,
            "mu- -> e- nubar_e N",
            (pdg.ELECTRON, -pdg.NU_E),
            "umu2",
            M_MU - M_E,
            partial(width_lepton_to_hnl_lepton_nu, m_parent=M_MU, m_lepton=M_E, via_parent=True),
        )
    )
    rows.append(
        ProductionSpec(
            pdg.MUON,
            "mu- -> nu_mu e- N",
            (pdg.NU_MU, pdg.ELECTRON),
            "ue2",
            M_MU - M_E,
            partial(width_lepton_to_hnl_lepton_nu, m_parent=M_MU, m_lepton=M_E, via_parent=False),
            antiparticle=True,
        )
    )
    return tuple(rows)


_ISO = 1.0 / math.sqrt(2.0)  # isospin factor of π⁰, ρ⁰ made from a uū or dd̄ pair


def _scaled_scalar_ff(form_factor: FormFactor, factor: float) -> FormFactor:
    return lambda q2: np.asarray(factor * form_factor(q2))


def _cached(base: Callable[[ArrayLike], FloatArray]) -> Callable[[ArrayLike], FloatArray]:
    """Memoise a width per scalar mass (the Dalitz integrals are evaluated once per m_N; array input is not cached)."""

    @lru_cache(maxsize=4096)
    def scalar(m_n: float) -> float:
        return float(base(m_n))

    def width(m_n: ArrayLike) -> FloatArray:
        if np.ndim(m_n) == 0:
            return np.asarray(scalar(float(m_n)))  # type: ignore[arg-type]
        return base(m_n)

    return width


def _scaled(base: Callable[[ArrayLike], FloatArray], factor: float) -> Callable[[ArrayLike], FloatArray]:
    def width(m_n: ArrayLike) -> FloatArray:
        return np.asarray(factor * base(m_n))

    return width


#: Decay channels of the HNL (extend by adding rows; keys must be unique, including Majorana conjugates).
DECAY_TABLE: tuple[DecaySpec, ...] = _decay_table()
#: Production channels of the HNL in meson (and τ, μ) decays.
PRODUCTION_TABLE: tuple[ProductionSpec, ...] = _production_table()

_TWO_BODY_PARENTS: dict[int, tuple[float, float, float]] = {
    parent: (pdg.mass(parent), f_parent, v_ckm) for parent, _, f_parent, v_ckm in TWO_BODY_PARENTS
}


# ---------------------------------------------------------------------------------------------- the model
@register_model
class HNL(DarkModel):
    """Heavy neutral lepton of mass ``mass`` [GeV], mixings |U_e4|², |U_μ4|², |U_τ4|² (``ue2, umu2, utau2``).

    ``majorana=True`` (default): N is its own antiparticle and decays into both charge-conjugate channels, so
    the total width is 2 × the Dirac width at the same |U|² ([BBGR] Sec. 3). Charged-current channels then
    appear twice (e.g. ``"mu- pi+"`` and ``"mu+ pi-"``, each with the Dirac width); neutral channels
    (``"nu nu nu"``, ``"nu pi0"``, ``"nu_α ℓ+ ℓ-"``) keep one key with 2 × the Dirac width (ν and ν̄ final
    states together).
    ``majorana=False``: a Dirac N — the state made with ℓ⁺ in K⁺ → ℓ⁺ N — which decays to ℓ⁻ X⁺ only.
    Production branching ratios do not depend on ``majorana``.

    Scan coupling: ``coupling_name`` is the largest mixing (ties resolved e > μ > τ); ``with_coupling``
    rescales all three mixings together, so every width and branching ratio is linear in it.

    Channels with zero mixing, or kinematically closed, are omitted from :meth:`partial_widths`,
    :meth:`decay_channels`, :meth:`production_channels` and :meth:`production_branching_ratios`.
    """

    name: ClassVar[str] = "hnl"
    pdg_id: ClassVar[int] = pdg.DARK_PDG_IDS["hnl"]
    coupling_power: ClassVar[int] = 1

    def __init__(self, mass: float, ue2: float = 0, umu2: float = 0, utau2: float = 0, majorana: bool = True) -> None:
        self.mass = check_positive("mass", mass)
        self.ue2 = check_positive("ue2", ue2, allow_zero=True)
        self.umu2 = check_positive("umu2", umu2, allow_zero=True)
        self.utau2 = check_positive("utau2", utau2, allow_zero=True)
        if not isinstance(majorana, bool | np.bool_):
            raise ConfigError(f"majorana = {majorana!r} is not allowed; it must be true or false")
        self.majorana = bool(majorana)
        if self.ue2 == 0 and self.umu2 == 0 and self.utau2 == 0:
            raise ConfigError("ue2, umu2 and utau2 are all 0; at least one mixing must be > 0")

    def __repr__(self) -> str:
        return (
            f"HNL(mass={self.mass!r}, ue2={self.ue2!r}, umu2={self.umu2!r}, utau2={self.utau2!r}, "
            f"majorana={self.majorana!r})"
        )

    # ------------------------------------------------------------------ coupling
    def _mixings(self) -> dict[str, float]:
        return {"ue2": self.ue2, "umu2": self.umu2, "utau2": self.utau2}

    # per instance here (the dominant flavour), a ClassVar in the base class
    @property
    def coupling_name(self) -> str:  # type: ignore[override]
        """Name of the dominant mixing: the largest of ue2, umu2, utau2 (ties resolved e > μ > τ)."""
        mixings = self._mixings()
        return max(_FLAVOURS, key=lambda k: (mixings[k], -_FLAVOURS.index(k)))

    @property
    def coupling(self) -> float:
        """Value of the dominant mixing |U_α4|²."""
        return self._mixings()[self.coupling_name]

    def with_coupling(self, value: float) -> Self:
        """Same HNL with all mixings scaled by one factor so that the dominant one equals ``value``."""
        new = check_positive(self.coupling_name, value)
        dominant = self.coupling
        scaled = {k: (new if v == dominant else v * (new / dominant)) for k, v in self._mixings().items()}
        return type(self)(self.mass, majorana=self.majorana, **scaled)

    def parameters(self) -> dict[str, Any]:
        """Mixings and the Majorana switch."""
        return {"ue2": self.ue2, "umu2": self.umu2, "utau2": self.utau2, "majorana": self.majorana}

    def _mixing(self, which: MixingName) -> float:
        return self.ue2 + self.umu2 + self.utau2 if which == "all" else self._mixings()[which]

    # ------------------------------------------------------------------ decays
    def _open_decays(self) -> list[tuple[DecaySpec, float]]:
        """(row, Dirac width [GeV]) of every open, coupled row of :data:`DECAY_TABLE` in the hadronic regime
        that applies at this mass (see :data:`MATCHING_MASS` and :meth:`hadronic_regime`)."""
        rows = self._all_open_decays()
        regime = self._regime(rows)
        return [(spec, width) for spec, width in rows if spec.regime in ("always", regime)]

    def _all_open_decays(self) -> list[tuple[DecaySpec, float]]:
        rows = []
        for spec in DECAY_TABLE:
            mixing = self._mixing(spec.mixing)
            if self.mass <= spec.threshold or mixing == 0:
                continue
            if spec.regime == "inclusive" and self.mass <= MATCHING_MASS:
                continue
            rows.append((spec, mixing * float(spec.width(self.mass))))
        return rows

    def hadronic_regime(self) -> str:
        """``"exclusive"`` or ``"inclusive"``: how the light-hadron (u, d, s) final states are described.

        [BBGR] Sec. 3.3 prescription as implemented in ALPINIST (arXiv:2407.08673): single-meson channels
        (ν π⁰, ν η, ν η′, ν ρ⁰, ν ω, ν φ, ℓ π, ℓ K, ℓ ρ, ℓ K*) for m_N ≤ :data:`MATCHING_MASS` = 1 GeV; above,
        the larger of their sum and the inclusive quark-level width (ℓ u d̄, ℓ u s̄, ν q q̄) × (1 + Δ_QCD).
        The total width is therefore continuous wherever the exclusive sum exceeds the inclusive one at 1 GeV
        (true for every mixing pattern; see the tests). Scaling all mixings together does not change the choice.
        """
        return self._regime(self._all_open_decays())

    def _regime(self, rows: list[tuple[DecaySpec, float]]) -> str:
        if self.mass <= MATCHING_MASS:
            return "exclusive"
        sums = {"exclusive": 0.0, "inclusive": 0.0}
        for spec, width in rows:
            if spec.regime in sums:
                sums[spec.regime] += width
        return "inclusive" if sums["inclusive"] > sums["exclusive"] else "exclusive"

    def partial_widths(self) -> dict[str, float]:
        """Partial widths [GeV] (see the class docstring for the Majorana convention)."""
        widths: dict[str, float] = {}
        for spec, width in self._open_decays():
            if spec.conjugate is None:
                widths[spec.name] = 2.0 * width if self.majorana else width
            else:
                widths[spec.name] = width
                if self.majorana:
                    widths[spec.conjugate[0]] = width
        return widths

    def decay_channels(self) -> dict[str, DecayChannel]:
        """Open decay channels, keyed as in :meth:`partial_widths`; ``"nu nu nu"`` is invisible."""
        channels: dict[str, DecayChannel] = {}
        for spec, _ in self._open_decays():
            channels[spec.name] = DecayChannel(spec.name, spec.daughters, spec.visible)
            if spec.conjugate is not None and self.majorana:
                name, daughters = spec.conjugate
                channels[name] = DecayChannel(name, daughters, spec.visible)
        return channels

    # ------------------------------------------------------------------ production
    def _open_productions(self) -> list[tuple[ProductionSpec, float]]:
        rows = []
        for spec in PRODUCTION_TABLE:
            mixing = self._mixing(spec.mixing)
            if self.mass >= spec.threshold or mixing == 0:
                continue
            rows.append((spec, mixing * float(spec.width(self.mass))))
        return rows

    def production_channels(self) -> list[ProductionChannel]:
        """Open production channels (rows of :data:`PRODUCTION_TABLE`: two-body P⁺ → ℓ⁺ N, semileptonic
        three-body, τ from D_s, muon decay)."""
        return [
            ProductionChannel(s.parent, s.name, s.companions, dark_antiparticle=s.antiparticle)
            for s, _ in self._open_productions()
        ]

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        """BR(parent → N + X) = Γ / Γ_parent, with Γ_parent = ħ/τ from :func:`darkbeam.pdg.lifetime`."""
        brs: dict[int, dict[str, float]] = {}
        for spec, width in self._open_productions():
            brs.setdefault(spec.parent, {})[spec.name] = width * pdg.lifetime(spec.parent) / HBAR
        return brs

    def production_width(self, parent_pdg: int, lepton_pdg: int) -> float:
        """Γ(P⁺ → ℓ⁺ N) [GeV] for P = π⁺, K⁺, D⁺, D_s⁺, B⁺, B_c⁺ and ℓ = e, μ, τ (either sign); 0 if closed.

        Two-body formula of :func:`width_pseudoscalar_to_lepton_hnl` times the current |U_ℓ4|².
        """
        if abs(parent_pdg) not in _TWO_BODY_PARENTS:
            allowed = ", ".join(str(p) for p in _TWO_BODY_PARENTS)
            raise ConfigError(f"parent_pdg = {parent_pdg!r} is not allowed; allowed: {allowed}")
        flavours = {pdg.ELECTRON: "ue2", pdg.MUON: "umu2", pdg.TAU: "utau2"}
        if abs(lepton_pdg) not in flavours:
            raise ConfigError(f"lepton_pdg = {lepton_pdg!r} is not allowed; allowed: ±11, ±13, ±15")
        m_parent, f_parent, v_ckm = _TWO_BODY_PARENTS[abs(parent_pdg)]
        m_lepton = pdg.mass(abs(lepton_pdg))
        width = width_pseudoscalar_to_lepton_hnl(self.mass, m_parent, m_lepton, f_parent, v_ckm)
        return float(width) * self._mixings()[flavours[abs(lepton_pdg)]]

    @property
    def self_conjugate(self) -> bool:
        """A Majorana N is its own antiparticle; a Dirac N is not."""
        return self.majorana

    def polarisation_from(self, channel: ProductionChannel) -> float:
        """Polarisation of N from a two-body P → ℓ N channel (:meth:`production_polarisation`); 0 otherwise."""
        leptons = (pdg.ELECTRON, pdg.MUON, pdg.TAU)
        two_body = abs(channel.parent) in _TWO_BODY_PARENTS and len(channel.companions) == 1
        if two_body and abs(channel.companions[0]) in leptons:
            value = self.production_polarisation(channel.parent, channel.companions[0])
            return 0.0 if math.isnan(value) else value
        return 0.0

    def decay_cos_theta(
        self, channel: str, polarisation: NDArray[np.float64], rng: np.random.Generator
    ) -> NDArray[np.float64] | None:
        """cos θ of the charged lepton of N → ℓ∓ π± (or K±), and of the ν of a Dirac N → ν π⁰, relative to the spin
        axis: :func:`darkbeam.models.hnl_angular.sample_decay_cos_theta` with the analysing power of
        :func:`~darkbeam.models.hnl_angular.analysing_power`. ``None`` (isotropic) for every other channel and for
        the Majorana ν π⁰ key, which stands for ν and ν̄ together."""
        from .hnl_angular import analysing_power, sample_decay_cos_theta

        daughters = self.decay_channels()[channel].daughters
        if len(daughters) != 2 or not np.any(polarisation):
            return None
        lepton, meson = daughters
        if abs(lepton) in (pdg.ELECTRON, pdg.MUON) and abs(meson) in (pdg.PI_PLUS, pdg.K_PLUS):
            sign = -1 if lepton > 0 else 1  # ℓ⁻ (PDG id > 0): 1 − αP cos θ
        elif abs(lepton) in (pdg.NU_E, pdg.NU_MU, pdg.NU_TAU) and meson == pdg.PI0 and not self.majorana:
            sign = -1
        else:
            return None
        alpha = analysing_power(self.mass, pdg.mass(abs(lepton)), pdg.mass(abs(meson)))
        return sample_decay_cos_theta(polarisation, alpha, sign, rng)

    def production_polarisation(self, parent_pdg: int, lepton_pdg: int) -> float:
        """Longitudinal polarisation of N from P → ℓ N (P = π, K, D, D_s, B, B_c; sign of ``parent_pdg`` = charge).

        :func:`darkbeam.models.hnl_angular.polarisation_two_body` for P⁺ → ℓ⁺ N, and −P for P⁻ → ℓ⁻ N̄ (CP);
        NaN if the channel is closed. Same for Dirac and Majorana HNLs.
        """
        from .hnl_angular import polarisation_two_body

        if abs(parent_pdg) not in _TWO_BODY_PARENTS:
            allowed = ", ".join(str(p) for p in _TWO_BODY_PARENTS)
            raise ConfigError(f"parent_pdg = {parent_pdg!r} is not allowed; allowed: ±{allowed}")
        if abs(lepton_pdg) not in (pdg.ELECTRON, pdg.MUON, pdg.TAU):
            raise ConfigError(f"lepton_pdg = {lepton_pdg!r} is not allowed; allowed: ±11, ±13, ±15")
        m_parent = _TWO_BODY_PARENTS[abs(parent_pdg)][0]
        value = float(polarisation_two_body(self.mass, m_parent, pdg.mass(abs(lepton_pdg))))
        return value if parent_pdg > 0 else -value

    # ------------------------------------------------------------------ three-body final-state kinematics
    def decay_matrix_element(self, channel: str) -> ThreeBodyMatrixElement | None:
        """Spin-averaged |M|²(m12², m23²) of the three-body decay ``channel`` (daughters in the order of
        :meth:`decay_channels`), per unit mixing: :func:`darkbeam.models.hnl_matrix_elements.hnl_decay_matrix_element`
        (four-fermion V − A, [BBGR] Sec. 3.1; ρ channels with the pion form factor). Its Dalitz integral is the
        Dirac width of the row, 2 × for a Majorana HNL's neutral keys (ν and ν̄ final states summed, ℓ⁺ ↔ ℓ⁻
        symmetric). ``None`` for two-body channels (and unknown keys). Cached per (mass, channel, majorana)."""
        from .hnl_matrix_elements import hnl_decay_matrix_element

        daughters = _DECAY_DAUGHTERS.get(channel)  # static lookup: decay_channels() would evaluate every width
        if daughters is None or len(daughters) != 3:
            return None
        return hnl_decay_matrix_element(self.mass, daughters, self.majorana)

    def production_matrix_element(self, channel: ProductionChannel) -> ThreeBodyMatrixElement | None:
        """Spin-averaged |M|²(m12², m23²) of the three-body production ``channel`` (daughters N, companion 1,
        companion 2), per unit mixing: :func:`darkbeam.models.hnl_matrix_elements.hnl_production_matrix_element`
        (P → P′ ℓ N with the table's form factors, P → V ℓ N, μ → e ν N). ``None`` for channels without a matrix
        element there (flat phase space) and for the τ chains from D_s, which are cascades
        (:meth:`production_cascade`). Same for Dirac and Majorana HNLs."""
        from .hnl_matrix_elements import hnl_production_matrix_element

        if len(channel.companions) != 2 or (channel.parent, channel.name) in _TAU_CHAINS:
            return None
        return hnl_production_matrix_element(self.mass, channel.parent, channel.companions)

    def production_cascade(self, channel: ProductionChannel) -> CascadeSampler | None:
        """Kinematics of the τ chains D_s⁺ → τ⁺ ν_τ, τ⁺ → N X (rows with ``tau_chain`` in :data:`PRODUCTION_TABLE`):
        the polarised cascade of :func:`darkbeam.models.hnl_tau.sample_tau_cascade` (τ⁺ helicity −1 from V − A,
        N angular distribution 1 + α cos θ in the τ helicity frame, leptonic τ decays with the muon-decay matrix
        element). ``None`` for every other channel. Same for Dirac and Majorana HNLs, and for D_s⁻ (CP)."""
        from .hnl_tau import TauChain, tau_cascade_sampler

        chain = _TAU_CHAINS.get((channel.parent, channel.name))
        if chain is None:
            return None
        kind, others = chain
        return tau_cascade_sampler(TauChain(self.mass, kind, others))


#: (parent, name) → (kind, other τ⁺ daughters) of the τ-chain rows of :data:`PRODUCTION_TABLE` (for
#: :meth:`HNL.production_cascade`).
_TAU_CHAINS: dict[tuple[int, str], tuple[str, tuple[int, ...]]] = {
    (spec.parent, spec.name): spec.tau_chain for spec in PRODUCTION_TABLE if spec.tau_chain is not None
}

#: Daughters of every decay key of :data:`DECAY_TABLE`, Majorana conjugates included (for
#: :meth:`HNL.decay_matrix_element`).
_DECAY_DAUGHTERS: dict[str, tuple[int, ...]] = {
    **{spec.name: spec.daughters for spec in DECAY_TABLE},
    **{spec.conjugate[0]: spec.conjugate[1] for spec in DECAY_TABLE if spec.conjugate is not None},
}
