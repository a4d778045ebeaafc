"""Neutrino upscattering ν_α T → N T into a heavy neutral lepton N on nuclei (coherent) and nucleons (elastic).

Processes and references
------------------------
* [AHP20] A.M. Abdullahi, M. Hostert, S. Pascoli, "A dark seesaw solution to low energy anomalies: MiniBooNE, the
  muon (g−2), and BaBar", arXiv:2007.11813 — light-Z′ dark-neutrino model, upscattering via Z′ (Sec. 3).
* [DN22] A.M. Abdullahi, J. Hoefken Zink, M. Hostert, D. Massaro, S. Pascoli, "DarkNews: a Python-based event
  generator for heavy neutral lepton production in neutrino-nucleus scattering", arXiv:2207.04137 — Sec. 2
  (Lagrangian, vertices c_αN, d_αN, μ_tr), Sec. 3.1 (upscattering cross section as L_μν H^μν, hadronic tensors
  for coherent spin-0 nuclei and for nucleons with Dirac/Pauli form factors, helicity of N), Sec. 3.1 nuclear
  form factors (Fourier-Bessel, dipole nucleons).
* [MPPT18] G. Magill, R. Plestid, M. Pospelov, Y.-D. Tsai, "Dipole portal to heavy neutral leptons",
  arXiv:1803.03262, Eq. (1) Lagrangian L ⊃ d N̄ σ_μν F^μν ν_L + h.c., and Sec. III upscattering.
* [BGKO20] V. Brdar, A. Greljo, J. Kopp, T. Opferkuch, arXiv:2007.15563 (dipole portal, same structure).
* [VE89] P. Vogel, J. Engel, Phys. Rev. D 39 (1989) 3378, Eq. (2): massless-limit magnetic-moment scattering
  dσ/dT = α μ² Z² (1/T − 1/E_ν) (used as a closed-form check in the tests).

How |M|² is computed (derived here, and cross-checked in the tests against closed forms)
----------------------------------------------------------------------------------------
The amplitude is a lepton current × propagator × hadron current. With a left-handed massless ν (k) and an
outgoing N (k′, mass M) of definite helicity h, the lepton tensor is linear in the vector
K_h = (k′ − h M s)/2 for the vector vertex γ^μ P_L and K_h = (k′ + h M s)/2 for the dipole vertex σ^μν q_ν P_L
(s: helicity-+1 spin vector of N). Helicity is defined in the centre-of-mass frame, as in DarkNews.
K_h is light-like: K_{−1} = ((E* + p*)/2)(1, n̂), K_{+1} = ((E* − p*)/2)(1, −n̂) for the vector vertex
(h = −1 is *helicity-conserving*, the same helicity as the incoming ν); the roles swap for the dipole.
Summing h gives K = k′, the unpolarised result. The hadron tensor for a target of mass m is
H^μν = −Ã (g^μν − q^μq^ν/q²) + B̃ P^μP^ν, P = p + p′:
spin-0 nucleus: Ã = 0, B̃ = F(Q²)²; spin-½ nucleon (averaged over its spin): Ã = Q² G_M², B̃ = (G_E² + τG_M²)/(1+τ).
Contractions (q = k − k′, q² = −Q²):
vector  L·H = Ã[2K·k + 4(K·q)(k·q)/q²] + 2B̃[2(K·P)(k·P) − P²K·k]
dipole  L·H = Ã[8(q·k)(K·q) − 2q²K·k] + B̃[−4q²(K·P)(k·P) − 4P²(K·q)(k·q) + 2P²q²K·k]
and dσ/dQ² = |M|²/(16π (s − m²)²) with |M|² = coupling² × L·H / propagator².

Dirac or Majorana N: for a massless left-handed incoming ν the right-chiral part of the Majorana vertex does
not contribute, so dσ/dQ² is the same for Dirac and Majorana N (checked against DarkNews, which has separate
Majorana expressions). The distinction enters N decays (helicity-dependent angular distributions, widths).

Parameter conventions (DarkNews 0.4.8 ``ThreePortalModel`` mapping, see :meth:`ZPrimePortal.from_darknews`)
-------------------------------------------------------------------------------------------------------------
* ``epsilon``: the Z′ couples to ε e J_EM^μ with e = √(4π α(0)). DarkNews builds the Z′–proton coupling from
  g s_W with g = (8 G_F m_W²/√2)^{1/2} and on-shell s_W² = 0.22343, i.e. e_DN = 1.0191 e(0): DarkNews' ε equals
  ours divided by 1.0191 (:data:`DARKNEWS_E_RATIO`).
* ``g_d`` and ``v_alpha4``: the ν_α–N–Z′ vertex is g_D V_α4 ū_N γ^μ P_L u_ν. For one HNL DarkNews' vertex is
  d_α4 = −g_D U_α4 |U_D4|² (to leading order in the mixings), so V_α4 = −U_α4 |U_D4|².
* ``u_alpha4``: active–heavy mixing entering the SM-Z diagram, vertex −(g/2c_W) U_α4 (DarkNews c_α4). Only the
  coherent channel includes the Z diagram (nuclear weak charge with the charge form factor, as DarkNews does);
  for a light Z′ it changes σ by ≪ 1 %.
* Dipole ``d`` [GeV⁻¹]: L ⊃ d N̄ σ_μν P_L ν_α F^μν + h.c. ([MPPT18] Eq. (1)); the vertex is 2d σ^μν q_ν. DarkNews'
  transition moment ``mu_tr_mu4`` = μ_tr has L ⊃ (μ_tr/2) N̄σFν, so d = μ_tr/2 (DarkNews' ``t_aj``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError, KinematicsError, check_positive
from ..units import ALPHA_EM, G_FERMI, HBARC, SIN2_THETA_W
from .integrate import IntegrationResult, VegasMap, vegas
from .nuclear import M_PROTON, Nucleus, nucleon_f1_f2, nucleus

FloatArray = NDArray[np.float64]
Helicity = Literal["both", "conserving", "flipping"]

__all__ = [
    "DARKNEWS_E_RATIO",
    "GEV2_TO_CM2",
    "M_Z",
    "DipolePortal",
    "Target",
    "UpscatteringEvents",
    "ZPrimePortal",
    "dsigma_dq2",
    "q2_range",
    "sample_upscattering",
    "squared_amplitude",
    "target",
    "threshold_energy",
    "total_cross_section",
]

#: 1 GeV⁻² in cm² ((ħc)² = 0.3894 mb)
GEV2_TO_CM2 = HBARC**2
E_CHARGE = math.sqrt(4.0 * math.pi * ALPHA_EM)
#: Z mass [GeV] (PDG 2024)
M_Z = 91.1876
#: DarkNews 0.4.8 effective charge g s_W (g from G_F = 1.16637876e-5, m_W = 80.37912; s_W² = 0.22343) over e(0)
DARKNEWS_E_RATIO = math.sqrt(8.0 * 1.16637876e-5 * 80.37912**2 / math.sqrt(2.0)) * math.sqrt(0.22343) / E_CHARGE
#: Z coupling g/(2 c_W) = (√2 G_F)^{1/2} m_Z
_G_Z = math.sqrt(math.sqrt(2.0) * G_FERMI) * M_Z


# ------------------------------------------------------------------------------------------------ targets
@dataclass(frozen=True)
class Target:
    """A scattering target: a nucleus scattering coherently, or one of its protons (elastic, ×Z per nucleus).

    ``regime`` is ``"coherent"`` or ``"p-el"``; ``multiplicity`` is how many such targets one nucleus holds
    (1 or Z). ``form_factor`` selects the nuclear model for coherent scattering (``"auto"``,
    ``"fourier-bessel"``, ``"helm"``, see :mod:`darkbeam.interactions.nuclear`). ``coherent_current``:
    ``"spin0"`` (default; J^π = 0⁺ nuclei such as ¹²C, ¹⁶O, ⁴⁰Ar: current F(Q²)(p + p′)^μ) or ``"dirac"``
    (the nucleus as a point Dirac fermion with F₁ = F(Q²), F₂ = 0, which is what DarkNews 0.4.8 does; it
    differs only by O(Q²/m_A²) terms, visible in the suppressed helicity-flipping Z′ rate: −11 % at 5 GeV on ¹²C).
    """

    nucleus: Nucleus
    regime: Literal["coherent", "p-el"]
    form_factor: str = "auto"
    coherent_current: Literal["spin0", "dirac"] = "spin0"

    @property
    def mass(self) -> float:
        """Mass of the particle that recoils [GeV]."""
        return self.nucleus.mass if self.regime == "coherent" else M_PROTON

    @property
    def multiplicity(self) -> int:
        return 1 if self.regime == "coherent" else self.nucleus.z


def target(name: str, regime: str = "coherent", form_factor: str = "auto", coherent_current: str = "spin0") -> Target:
    """``target("Ar40", "coherent")`` or ``target("C12", "p-el")``; cross sections are per nucleus."""
    if regime not in ("coherent", "p-el"):
        raise ConfigError(f"regime = {regime!r} is not allowed; allowed: coherent, p-el")
    if coherent_current not in ("spin0", "dirac"):
        raise ConfigError(f"coherent_current = {coherent_current!r} is not allowed; allowed: spin0, dirac")
    return Target(nucleus(name), regime, form_factor, coherent_current)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ portals
@dataclass(frozen=True)
class ZPrimePortal:
    """Light-Z′ dark-neutrino portal (see module docstring for conventions).

    m_zprime [GeV]; epsilon: kinetic mixing (Z′ coupling ε e to the EM current); g_d: dark gauge coupling;
    v_alpha4: ν_α–N–Z′ vertex in units of g_D (DarkNews: −U_α4 |U_D4|²); u_alpha4: active-heavy mixing U_α4
    (not squared) for the Z diagram.
    """

    m_zprime: float
    epsilon: float
    g_d: float
    v_alpha4: float
    u_alpha4: float = 0.0

    def __post_init__(self) -> None:
        check_positive("m_zprime", self.m_zprime)

    @classmethod
    def from_darknews(cls, *, mzprime: float, epsilon: float, gD: float, Umu4: float, UD4: float = 1.0) -> ZPrimePortal:
        """The portal equivalent to DarkNews 0.4.8 ``ThreePortalModel(mzprime, epsilon, gD, Umu4, UD4)``."""
        return cls(mzprime, epsilon * DARKNEWS_E_RATIO, gD, -Umu4 * UD4**2, Umu4)


@dataclass(frozen=True)
class DipolePortal:
    """Transition magnetic moment: L ⊃ d N̄ σ_μν P_L ν_α F^μν + h.c., d in GeV⁻¹ ([MPPT18] Eq. (1)).

    DarkNews' ``mu_tr_α4`` equals 2d.
    """

    d: float

    @classmethod
    def from_darknews(cls, *, mu_tr: float) -> DipolePortal:
        return cls(0.5 * mu_tr)


Portal = ZPrimePortal | DipolePortal


# ------------------------------------------------------------------------------------------------ kinematics
def threshold_energy(m_n: float, m_target: float) -> float:
    """Lowest ν energy for ν T → N T: E_th = M + M²/(2 m_T) [GeV]."""
    return m_n + m_n * m_n / (2.0 * m_target)


def q2_range(e_nu: ArrayLike, m_n: float, m_target: float) -> tuple[FloatArray, FloatArray]:
    """Kinematic limits (Q²_min, Q²_max) [GeV²] of ν(E) T(at rest) → N(M) T; NaN below threshold.

    CM frame: Q²_max = 2E₁(E₃ + p₃) − M²; Q²_min from Q²_min Q²_max = M⁴ m_T²/s (no cancellation for small M).
    """
    e = np.asarray(e_nu, dtype=float)
    m = m_target
    s = m * m + 2.0 * m * e
    rs = np.sqrt(s)
    e1 = (s - m * m) / (2.0 * rs)
    e3 = (s + m_n * m_n - m * m) / (2.0 * rs)
    lam = (s - (m_n + m) ** 2) * (s - (m - m_n) ** 2)
    with np.errstate(invalid="ignore"):
        p3 = np.where(s >= (m_n + m) ** 2, np.sqrt(np.abs(lam)) / (2.0 * rs), np.nan)
    q2max = 2.0 * e1 * (e3 + p3) - m_n * m_n
    q2min = m_n**4 * m * m / s / q2max
    return np.asarray(q2min), np.asarray(q2max)


def _coherent_tensor(q2: FloatArray, b_tilde: FloatArray, tgt: Target) -> tuple[FloatArray, FloatArray]:
    """(Ã, B̃) of a coherently scattering nucleus: spin-0 (Ã = 0) or point Dirac with F₁ = F (Ã = Q² B̃)."""
    if tgt.coherent_current == "dirac":
        return q2 * b_tilde, b_tilde
    return np.zeros_like(q2), b_tilde


def _hadronic(q2: FloatArray, tgt: Target, portal: Portal) -> tuple[FloatArray, FloatArray]:
    """(Ã, B̃) of the hadron tensor including the hadron-side couplings and propagators (see module doc)."""
    if isinstance(portal, ZPrimePortal):
        prop = 1.0 / (q2 + portal.m_zprime**2)
        lep = portal.g_d * portal.v_alpha4
        if tgt.regime == "coherent":
            nuc = tgt.nucleus
            ff = nuc.form_factor(q2, tgt.form_factor)
            zprime = lep * E_CHARGE * portal.epsilon * nuc.z * prop
            weak_charge = _G_Z * (nuc.z * (0.5 - 2.0 * SIN2_THETA_W) - 0.5 * nuc.n)
            zboson = -_G_Z * portal.u_alpha4 * weak_charge / (q2 + M_Z**2)
            return _coherent_tensor(q2, (ff * (zprime + zboson)) ** 2, tgt)
        coup = (lep * E_CHARGE * portal.epsilon * prop) ** 2
    else:
        coup_amp = 2.0 * portal.d * E_CHARGE / q2
        if tgt.regime == "coherent":
            ff = tgt.nucleus.form_factor(q2, tgt.form_factor)
            return _coherent_tensor(q2, (coup_amp * tgt.nucleus.z * ff) ** 2, tgt)
        coup = coup_amp**2
    f1, f2 = nucleon_f1_f2(q2, "proton")
    tau = q2 / (4.0 * M_PROTON**2)
    ge = f1 - tau * f2
    gm = f1 + f2
    return coup * q2 * gm * gm, coup * (ge * ge + tau * gm * gm) / (1.0 + tau)


def squared_amplitude(
    e_nu: ArrayLike,
    q2: ArrayLike,
    m_n: float,
    m_target: float,
    a_tilde: ArrayLike,
    b_tilde: ArrayLike,
    vertex: Literal["vector", "dipole"],
    helicity: Helicity = "both",
) -> FloatArray:
    """L_μν H^μν for ν(E) T(m_target, at rest) → N(m_n) T at Q², with unit lepton coupling (module docstring).

    ``vertex`` is ``"vector"`` (ū_N γ^μ P_L u_ν) or ``"dipole"`` (ū_N σ^μν q_ν P_L u_ν); the hadron tensor is
    −Ã(g^μν − q^μq^ν/q²) + B̃ P^μP^ν with ``a_tilde`` = Ã, ``b_tilde`` = B̃ (couplings and propagators
    included by the caller). Inputs must be inside the kinematic range (see :func:`q2_range`).
    """
    e = np.asarray(e_nu, dtype=float)
    q2 = np.asarray(q2, dtype=float)
    a_t = np.asarray(a_tilde, dtype=float)
    b_t = np.asarray(b_tilde, dtype=float)
    m = m_target
    s = m * m + 2.0 * m * e
    rs = np.sqrt(s)
    e1 = (s - m * m) / (2.0 * rs)  # = |p_ν| = |p_T| in the CM frame
    e2 = (s + m * m) / (2.0 * rs)
    e3 = (s + m_n * m_n - m * m) / (2.0 * rs)
    e4 = (s + m * m - m_n * m_n) / (2.0 * rs)
    p3 = np.sqrt(np.clip((s - (m_n + m) ** 2) * (s - (m - m_n) ** 2), 0.0, None)) / (2.0 * rs)
    mn2 = m_n * m_n
    # differences that cancel for light N, in closed form (relative precision kept at the M² scale):
    # e1(1 − cos θ*) from Q² = −M² + 2e1(E3 − p3 cos θ*); e1 − p3 and e1 − E3 from the CM energies
    p3_safe = np.where(p3 > 0, p3, 1.0)
    e1_omc = np.clip((0.5 * (q2 + mn2) - e1 * mn2 / (e3 + p3)) / p3_safe, 0.0, 2.0 * e1)
    e1_minus_p3 = mn2 * (2.0 * s + 2.0 * m * m - mn2) / (4.0 * s * (e1 + p3))
    e1_minus_e3 = -mn2 / (2.0 * rs)
    e1_cos = e1 - e1_omc

    # invariants with k = incoming ν, q = k − k′, P = p + p′
    kq = -0.5 * (mn2 + q2)
    k_p = 0.5 * (2.0 * s - 2.0 * m * m - mn2 - q2)
    qq = -q2
    pp = 4.0 * m * m + q2

    def contraction(sign: float) -> FloatArray:
        # K = a (1, σ n̂) in the CM frame, σ = ±1 (light-like); E3 − p3 = M²/(E3 + p3) avoids cancellation
        if sign > 0:
            a = 0.5 * (e3 + p3)
            kk = a * e1_omc  # K·k
            k_q = kk - a * mn2 / (e3 + p3)  # K·q = K·k − K·k′
        else:
            a = 0.5 * mn2 / (e3 + p3)
            kk = a * (2.0 * e1 - e1_omc)
            k_q = a * (e1_minus_e3 + e1_minus_p3 - e1_omc)
        k_pp = a * (e2 + sign * e1_cos) + a * (e4 + sign * p3)  # K·P
        if vertex == "vector":
            return np.asarray(a_t * (2.0 * kk + 4.0 * k_q * kq / qq) + 2.0 * b_t * (2.0 * k_pp * k_p - pp * kk))
        return np.asarray(
            a_t * (8.0 * kq * k_q - 2.0 * qq * kk)
            + b_t * (-4.0 * qq * k_pp * k_p - 4.0 * pp * k_q * kq + 2.0 * pp * qq * kk)
        )

    # vector vertex: conserving (h = −1) ↔ σ = +1; dipole vertex (chirality flip): conserving ↔ σ = −1
    cons_sign = 1.0 if vertex == "vector" else -1.0
    if helicity == "conserving":
        return contraction(cons_sign)
    if helicity == "flipping":
        return contraction(-cons_sign)
    if helicity == "both":
        return np.asarray(contraction(1.0) + contraction(-1.0))
    raise ConfigError(f"helicity = {helicity!r} is not allowed; allowed: both, conserving, flipping")


def dsigma_dq2(
    e_nu: ArrayLike,
    q2: ArrayLike,
    m_n: float,
    tgt: Target,
    portal: Portal,
    helicity: Helicity = "both",
) -> FloatArray:
    """dσ/dQ² [cm²/GeV²] per nucleus for ν_α(E) T → N T, vectorised over broadcast ``e_nu``, ``q2`` [GeV, GeV²].

    ``helicity``: ``"conserving"`` (N helicity −1, CM frame), ``"flipping"`` (+1) or ``"both"`` (sum).
    dσ/dQ² = |M|²/(16π (s − m_T²)²) with |M|² from :func:`squared_amplitude`. Zero outside the kinematic range.
    """
    check_positive("m_n", m_n)
    e, q2 = np.broadcast_arrays(np.asarray(e_nu, dtype=float), np.asarray(q2, dtype=float))
    m = tgt.mass
    e_th = threshold_energy(m_n, m)
    ec = np.where(e > e_th, e, 2.0 * e_th)
    q2min, q2max = q2_range(ec, m_n, m)
    inside = (e > e_th) & (q2 >= q2min) & (q2 <= q2max)
    q2c = np.where(inside, q2, np.sqrt(q2min * q2max))
    a_t, b_t = _hadronic(q2c, tgt, portal)
    vertex: Literal["vector", "dipole"] = "vector" if isinstance(portal, ZPrimePortal) else "dipole"
    lh = squared_amplitude(ec, q2c, m_n, m, a_t, b_t, vertex, helicity)
    flux = 16.0 * math.pi * (2.0 * m * ec) ** 2
    out = np.clip(lh, 0.0, None) / flux * GEV2_TO_CM2 * tgt.multiplicity
    return np.asarray(np.where(inside, out, 0.0))


# ------------------------------------------------------------------------------------------------ integration
def _unit_to_q2(u: FloatArray, q2min: FloatArray, q2max: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Q² = Q²_min (Q²_max/Q²_min)^u and its Jacobian dQ²/du (logarithmic map)."""
    log_ratio = np.log(q2max / q2min)
    q2 = q2min * np.exp(u * log_ratio)
    return q2, q2 * log_ratio


def total_cross_section(
    e_nu: ArrayLike,
    m_n: float,
    tgt: Target,
    portal: Portal,
    rng: np.random.Generator,
    *,
    helicity: Helicity = "both",
    n_eval: int = 4000,
    n_iter: int = 5,
    n_warmup: int = 3,
    return_error: bool = False,
) -> FloatArray | tuple[FloatArray, FloatArray]:
    """σ(E_ν) [cm²] per nucleus by VEGAS over u = log(Q²/Q²_min)/log(Q²_max/Q²_min) (one run per energy).

    Default settings give ≲ 0.1 % statistical precision (tested against adaptive quadrature: < 1 %).
    Returns σ, or (σ, error) with ``return_error``. Zero below threshold.
    """
    energies = np.atleast_1d(np.asarray(e_nu, dtype=float))
    sig = np.zeros_like(energies)
    err = np.zeros_like(energies)
    e_th = threshold_energy(m_n, tgt.mass)
    for i, e in enumerate(energies):
        if not e > e_th * (1.0 + 1e-12):
            continue
        res = _integrate_one(float(e), m_n, tgt, portal, rng, helicity, n_eval, n_iter, n_warmup)
        sig[i], err[i] = res.value, res.error
    shape = np.shape(e_nu)
    if return_error:
        return sig.reshape(shape), err.reshape(shape)
    return sig.reshape(shape)


def _integrate_one(
    e: float,
    m_n: float,
    tgt: Target,
    portal: Portal,
    rng: np.random.Generator,
    helicity: Helicity,
    n_eval: int,
    n_iter: int,
    n_warmup: int,
    vegas_map: VegasMap | None = None,
) -> IntegrationResult:
    q2min, q2max = (float(v) for v in q2_range(e, m_n, tgt.mass))

    def integrand(u: FloatArray) -> FloatArray:
        q2, jac = _unit_to_q2(u[:, 0], np.full(u.shape[0], q2min), np.full(u.shape[0], q2max))
        return dsigma_dq2(e, q2, m_n, tgt, portal, helicity) * jac

    return vegas(integrand, [[0.0, 1.0]], rng, n_eval=n_eval, n_iter=n_iter, n_warmup=n_warmup, vegas_map=vegas_map)


# ------------------------------------------------------------------------------------------------ sampling
@dataclass(frozen=True)
class UpscatteringEvents:
    """Weighted upscattering events (one per input neutrino).

    e_nu [GeV]; q2 [GeV²]; recoil_kinetic T = Q²/(2m_T) [GeV]; e_n, cos_theta_n: N energy [GeV] and polar angle
    cosine to the ν direction in the lab (target at rest); weight: dσ/dQ² / pdf(Q²) [cm² per nucleus], an
    unbiased estimate of σ(E_ν) for that event (so Σ weight/n estimates the flux-averaged σ; multiply by flux
    weight × targets per area for expected counts).
    """

    e_nu: FloatArray
    q2: FloatArray
    recoil_kinetic: FloatArray
    e_n: FloatArray
    cos_theta_n: FloatArray
    weight: FloatArray


def sample_upscattering(
    e_nu: ArrayLike,
    m_n: float,
    tgt: Target,
    portal: Portal,
    rng: np.random.Generator,
    *,
    helicity: Helicity = "both",
    n_train: int = 4000,
) -> UpscatteringEvents:
    """Draw Q² for each neutrino energy in ``e_nu`` (n,) by importance sampling and return weighted events.

    The proposal is a VEGAS map in u = log(Q²/Q²_min)/log(Q²_max/Q²_min), trained at the median above-threshold
    energy (``n_train`` points × 6 iterations); because u is relative to each event's own range, one map serves
    the whole spectrum. Below-threshold energies get weight 0. Kinematics are exact (lab frame, target at rest).
    """
    e = np.atleast_1d(np.asarray(e_nu, dtype=float))
    m = tgt.mass
    e_th = threshold_energy(m_n, m)
    above = e > e_th * (1.0 + 1e-12)
    if not np.any(above):
        raise KinematicsError(
            f"every e_nu is below the threshold {e_th:.6g} GeV of ν T → N T with m_N = {m_n} GeV, m_T = {m:.6g} GeV"
        )
    e_ref = float(np.median(e[above]))
    vmap = _integrate_one(e_ref, m_n, tgt, portal, rng, helicity, n_train, 3, 3).map
    ec = np.where(above, e, 2.0 * e_th)
    u, jac_u, _ = vmap.map(rng.random((e.size, 1)))
    q2min, q2max = q2_range(ec, m_n, m)
    q2, jac_q = _unit_to_q2(u[:, 0], q2min, q2max)
    weight = np.where(above, dsigma_dq2(ec, q2, m_n, tgt, portal, helicity) * jac_q * jac_u, 0.0)
    recoil = q2 / (2.0 * m)
    e_n = ec - recoil
    p_n = np.sqrt(np.clip(e_n * e_n - m_n * m_n, 0.0, None))
    cos = np.clip((2.0 * ec * e_n - m_n * m_n - q2) / (2.0 * ec * np.where(p_n > 0, p_n, 1.0)), -1.0, 1.0)
    return UpscatteringEvents(e, q2, recoil, e_n, cos, weight)
