"""Heavy neutral lepton (HNL) N of the neutrino portal, mixing with the active neutrinos through |U_α4|².

Physics references (all widths at tree level, Fermi theory):

* [BBGR] K. Bondarenko, A. Boyarsky, D. Gorbunov, O. Ruchayskiy, "Phenomenology of GeV-scale heavy
  neutral leptons", JHEP 11 (2018) 032, arXiv:1805.08567 — primary source. Sections cited: 2.1 and 2.1.1
  (production from light mesons), 3.1.1 (W-mediated three-body decays, I(x, y, z)), 3.1.2 (Z-mediated decays
  and the W/Z interference case, coefficients C1..C4), 3.2.1 (single meson in the final state), Appendix C
  (meson form factors). ALPINIST (arXiv:2407.08673) implements the same formulas.
* [GS07] D. Gorbunov, M. Shaposhnikov, "How to find neutral leptons of the νMSM?", JHEP 10 (2007) 015,
  arXiv:0705.1729 — second source (Sec. 3: production in meson decays; Sec. 4: HNL decays).
* [Shrock] R. E. Shrock, Phys. Lett. B 96 (1980) 159; Phys. Rev. D 24 (1981) 1232 — P⁺ → ℓ⁺ N with the
  helicity factor.

Equation numbers of [BBGR] and [GS07] could not be checked against the text when this module was written,
so the docstrings cite sections (checked against the arXiv v3 table of contents) and write each formula out
in full.

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

Validity: the channel table is complete at tree level with at most one meson in the final state for
m_N < m_K − m_e ≈ 0.493 GeV (the mass range of meson-decay production at neutrino beams), except for two
small omissions: N → ν γ (one loop, ≈ 0.8 % of the 3ν width) and the ππ continua N → ℓ π π⁰, N → ν π π
above ≈ 0.28 GeV (ρ tail, ≲ 1 % of the total there). Heavier channels (N → ℓ K, ν η, ℓ ρ, …) are not
implemented; add a row to :data:`DECAY_TABLE` to include one. Above ≈ 0.49 GeV the widths are therefore
incomplete.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..errors import ConfigError, check_positive
from ..units import F_K, F_PI, G_FERMI, HBAR, SIN2_THETA_W, V_UD, V_US
from .base import DarkModel, DecayChannel, ProductionChannel, register_model

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


def _integrate(
    integrand: Callable[[FloatArray], FloatArray], lower: ArrayLike, upper: ArrayLike
) -> FloatArray:
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


def width_k_to_pi0_lepton_hnl(
    m_n: ArrayLike,
    m_lepton: float,
    f_plus_0: float = KL3_F_PLUS_0,
    lambda_plus: float = KL3_LAMBDA_PLUS,
    lambda_0: float = KL3_LAMBDA_0,
) -> FloatArray:
    """Γ(K⁺ → π⁰ ℓ⁺ N) [GeV] per unit |U_ℓ|² (Kℓ3 with a massive neutrino; Dirac and Majorana alike).

    Derived here from the V − A amplitude (same structure as [BBGR] Sec. 2.1.1 and App. C, [GS07] Sec. 3):
    M = (G_F/√2) V_us U h_μ ū_N γ^μ (1 − γ5) v_ℓ with h = f₊(q²)(p_K + p_π) + f₋(q²) q, q = p_ℓ + p_N,
    f₋ = (f₀ − f₊)(m_K² − m_π²)/q². Integrating the lepton pair over its rest-frame angles
    (⟨p_ℓ^μ p_N^ν⟩ = a q^μ q^ν + b q² g^{μν}):

        dΓ/dq² = G_F² |V_us|² λ^{1/2}(m_K², m_π², q²) λ^{1/2}(q², m_ℓ², m_N²) / (256 π³ m_K³ q²)
                 × 4 [2 a (h·q)² + 2 b q² h² − h² (p_ℓ·p_N)],

        h·q = f₀ (m_K² − m_π²),  h² = f₊² (2m_K² + 2m_π² − q²) + 2 f₊ f₋ (m_K² − m_π²) + f₋² q²,
        a + b = (q·p_ℓ)(q·p_N)/q⁴,  a + 4b = (p_ℓ·p_N)/q².

    Form factors f₊,₀(q²) = f₊(0)/√2 × (1 + λ₊,₀ q²/m_π⁺²), with the isospin factor 1/√2 for the π⁰. For
    m_N → 0, m_ℓ → 0 this reduces to the textbook Ke3 rate G_F²|V_us|² ∫ dq² f₊² λ^{3/2} / (192π³ m_K³).
    Tree level: without the short-distance factor S_EW = 1.0232 and the K⁺π⁰ isospin breaking (≈ +5 % in
    rate), the m_N → 0 limit is ≈ 6 % below the measured BR(K⁺ → π⁰e⁺ν) = 5.07 % (4.78 % here); the ratio
    Kμ3/Ke3 agrees with experiment to 1 %.
    """
    m = np.asarray(m_n, dtype=float)
    mk2, mp2, ml2 = M_K**2, M_PI0**2, m_lepton**2
    mn2 = m**2
    delta = mk2 - mp2
    lower = (m + m_lepton) ** 2
    upper = np.full_like(m, (M_K - M_PI0) ** 2)
    open_ = m < M_K - M_PI0 - m_lepton

    def integrand(q2: FloatArray) -> FloatArray:
        n2 = mn2[..., None]
        f_plus = f_plus_0 / math.sqrt(2.0) * (1.0 + lambda_plus * q2 / M_PI**2)
        f_zero = f_plus_0 / math.sqrt(2.0) * (1.0 + lambda_0 * q2 / M_PI**2)
        f_minus = (f_zero - f_plus) * delta / q2
        h_q = f_zero * delta
        h2 = f_plus**2 * (2.0 * mk2 + 2.0 * mp2 - q2) + 2.0 * f_plus * f_minus * delta + f_minus**2 * q2
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

    value = _GF2 * V_US**2 / (256.0 * math.pi**3 * M_K**3) * _integrate(integrand, lower, upper)
    return np.asarray(np.where(open_, np.clip(value, 0.0, None), 0.0))


# ------------------------------------------------------------------------------------------ channel tables
MixingName = str  # "ue2", "umu2", "utau2", or "all" (Σ_α |U_α|²)
_FLAVOURS: tuple[str, str, str] = ("ue2", "umu2", "utau2")
_NU_IDS = {"ue2": pdg.NU_E, "umu2": pdg.NU_MU, "utau2": pdg.NU_TAU}
_NU_NAMES = {"ue2": "nu_e", "umu2": "nu_mu", "utau2": "nu_tau"}


@dataclass(frozen=True)
class DecaySpec:
    """One row of the HNL decay table.

    ``width(m_N)`` is the Dirac width [GeV] at unit mixing ``mixing`` ("all" = Σ_α |U_α|²), zero below
    ``threshold`` [GeV]. ``conjugate`` = (name, daughters) of the charge-conjugate channel that a Majorana HNL
    adds with the same width; ``None`` marks a neutral channel whose key stands for both ν and ν̄ final states
    (width × 2 for a Majorana HNL).
    """

    name: str
    daughters: tuple[int, ...]
    mixing: MixingName
    threshold: float
    width: Callable[[ArrayLike], FloatArray]
    conjugate: tuple[str, tuple[int, ...]] | None = None
    visible: bool = True


@dataclass(frozen=True)
class ProductionSpec:
    """One row of the HNL production table: parent → N + companions, width(m_N) [GeV] at unit ``mixing``."""

    parent: int
    name: str
    companions: tuple[int, ...]
    mixing: MixingName
    threshold: float  # open for m_N < threshold
    width: Callable[[ArrayLike], FloatArray]


def _decay_table() -> tuple[DecaySpec, ...]:
    e, mu, pi, pi0 = pdg.ELECTRON, pdg.MUON, pdg.PI_PLUS, pdg.PI0
    rows: list[DecaySpec] = [
        # invisible: flavour composition summed; daughters use ν_μ ν̄_μ ν_μ as representative ids
        DecaySpec("nu nu nu", (pdg.NU_MU, -pdg.NU_MU, pdg.NU_MU), "all", 0.0, width_n_to_3nu, visible=False),
    ]
    for mixing in _FLAVOURS:
        nu, nu_name = _NU_IDS[mixing], _NU_NAMES[mixing]
        rows.append(
            DecaySpec(
                f"{nu_name} e+ e-",
                (nu, -e, e),
                mixing,
                2 * M_E,
                partial(width_n_to_nu_lepton_lepton, m_lepton=M_E, same_flavour=mixing == "ue2"),
            )
        )
        rows.append(
            DecaySpec(
                f"{nu_name} mu+ mu-",
                (nu, -mu, mu),
                mixing,
                2 * M_MU,
                partial(width_n_to_nu_lepton_lepton, m_lepton=M_MU, same_flavour=mixing == "umu2"),
            )
        )
    rows += [
        DecaySpec(
            "e- mu+ nu_mu",
            (e, -mu, pdg.NU_MU),
            "ue2",
            M_E + M_MU,
            partial(width_n_to_lepton_lepton_nu, m_alpha=M_E, m_beta=M_MU),
            conjugate=("e+ mu- nubar_mu", (-e, mu, -pdg.NU_MU)),
        ),
        DecaySpec(
            "mu- e+ nu_e",
            (mu, -e, pdg.NU_E),
            "umu2",
            M_E + M_MU,
            partial(width_n_to_lepton_lepton_nu, m_alpha=M_MU, m_beta=M_E),
            conjugate=("mu+ e- nubar_e", (-mu, e, -pdg.NU_E)),
        ),
        # one neutral pion: flavour summed; daughters use ν_μ as representative id
        DecaySpec(
            "nu pi0",
            (pdg.NU_MU, pi0),
            "all",
            M_PI0,
            partial(width_n_to_nu_pseudoscalar, m_meson=M_PI0, f_meson=F_PI),
        ),
        DecaySpec(
            "e- pi+",
            (e, pi),
            "ue2",
            M_E + M_PI,
            partial(width_n_to_lepton_pseudoscalar, m_lepton=M_E, m_meson=M_PI, f_meson=F_PI, v_ckm=V_UD),
            conjugate=("e+ pi-", (-e, -pi)),
        ),
        DecaySpec(
            "mu- pi+",
            (mu, pi),
            "umu2",
            M_MU + M_PI,
            partial(width_n_to_lepton_pseudoscalar, m_lepton=M_MU, m_meson=M_PI, f_meson=F_PI, v_ckm=V_UD),
            conjugate=("mu+ pi-", (-mu, -pi)),
        ),
        # TODO(next channels, same pattern): "e- K+"/"mu- K+" (f_K, V_us, from 0.494/0.599 GeV), "nu eta",
        # "e- rho+", "nu rho0", "nu gamma", ℓ/ν ππ continua, τ channels.
    ]
    return tuple(rows)


def _production_table() -> tuple[ProductionSpec, ...]:
    e, mu, k, pi, pi0 = pdg.ELECTRON, pdg.MUON, pdg.K_PLUS, pdg.PI_PLUS, pdg.PI0
    two_body = width_pseudoscalar_to_lepton_hnl
    return (
        ProductionSpec(
            k, "K+ -> e+ N", (-e,), "ue2", M_K - M_E,
            partial(two_body, m_parent=M_K, m_lepton=M_E, f_parent=F_K, v_ckm=V_US),
        ),
        ProductionSpec(
            k, "K+ -> mu+ N", (-mu,), "umu2", M_K - M_MU,
            partial(two_body, m_parent=M_K, m_lepton=M_MU, f_parent=F_K, v_ckm=V_US),
        ),
        ProductionSpec(
            k, "K+ -> pi0 e+ N", (pi0, -e), "ue2", M_K - M_PI0 - M_E,
            partial(width_k_to_pi0_lepton_hnl, m_lepton=M_E),
        ),
        ProductionSpec(
            k, "K+ -> pi0 mu+ N", (pi0, -mu), "umu2", M_K - M_PI0 - M_MU,
            partial(width_k_to_pi0_lepton_hnl, m_lepton=M_MU),
        ),
        ProductionSpec(
            pi, "pi+ -> e+ N", (-e,), "ue2", M_PI - M_E,
            partial(two_body, m_parent=M_PI, m_lepton=M_E, f_parent=F_PI, v_ckm=V_UD),
        ),
        ProductionSpec(
            pi, "pi+ -> mu+ N", (-mu,), "umu2", M_PI - M_MU,
            partial(two_body, m_parent=M_PI, m_lepton=M_MU, f_parent=F_PI, v_ckm=V_UD),
        ),
    )  # fmt: skip


#: Decay channels of the HNL (extend by adding rows; keys must be unique, including Majorana conjugates).
DECAY_TABLE: tuple[DecaySpec, ...] = _decay_table()
#: Production channels of the HNL in meson decays.
PRODUCTION_TABLE: tuple[ProductionSpec, ...] = _production_table()

_TWO_BODY_PARENTS: dict[int, tuple[float, float, float]] = {
    pdg.K_PLUS: (M_K, F_K, V_US),
    pdg.PI_PLUS: (M_PI, F_PI, V_UD),
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

    def __init__(
        self, mass: float, ue2: float = 0, umu2: float = 0, utau2: float = 0, majorana: bool = True
    ) -> None:
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
        """(row, Dirac width [GeV]) of every open, coupled row of :data:`DECAY_TABLE`."""
        rows = []
        for spec in DECAY_TABLE:
            mixing = self._mixing(spec.mixing)
            if self.mass <= spec.threshold or mixing == 0:
                continue
            rows.append((spec, mixing * float(spec.width(self.mass))))
        return rows

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
        """Open production channels (K⁺ → ℓ⁺ N, K⁺ → π⁰ ℓ⁺ N, π⁺ → ℓ⁺ N)."""
        return [ProductionChannel(s.parent, s.name, s.companions) for s, _ in self._open_productions()]

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        """BR(parent → N + X) = Γ / Γ_parent, with Γ_parent = ħ/τ from :func:`darkbeam.pdg.lifetime`."""
        brs: dict[int, dict[str, float]] = {}
        for spec, width in self._open_productions():
            brs.setdefault(spec.parent, {})[spec.name] = width * pdg.lifetime(spec.parent) / HBAR
        return brs

    def production_width(self, parent_pdg: int, lepton_pdg: int) -> float:
        """Γ(P⁺ → ℓ⁺ N) [GeV] for P = π⁺ (211) or K⁺ (321) and ℓ = e, μ, τ (either sign); 0 if closed.

        Two-body formula of :func:`width_pseudoscalar_to_lepton_hnl` times the current |U_ℓ4|².
        """
        if abs(parent_pdg) not in _TWO_BODY_PARENTS:
            raise ConfigError(f"parent_pdg = {parent_pdg!r} is not allowed; allowed: 211, 321")
        flavours = {pdg.ELECTRON: "ue2", pdg.MUON: "umu2", pdg.TAU: "utau2"}
        if abs(lepton_pdg) not in flavours:
            raise ConfigError(f"lepton_pdg = {lepton_pdg!r} is not allowed; allowed: ±11, ±13, ±15")
        m_parent, f_parent, v_ckm = _TWO_BODY_PARENTS[abs(parent_pdg)]
        m_lepton = pdg.mass(abs(lepton_pdg))
        width = width_pseudoscalar_to_lepton_hnl(self.mass, m_parent, m_lepton, f_parent, v_ckm)
        return float(width) * self._mixings()[flavours[abs(lepton_pdg)]]
