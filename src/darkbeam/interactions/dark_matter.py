"""Light dark matter χ scattering in the detector through a dark photon A′ (vector portal).

Model: the A′ couples ε e Q_f to SM fermions and g_D (α_D = g_D²/4π) to the dark current; χ is a Dirac fermion
(current χ̄₂γ^μχ₁) or a complex scalar (current i(χ₁* ∂χ₂ − …), vertex g_D (k + k′)^μ). Elastic scattering has
χ₂ = χ₁; the inelastic (pseudo-Dirac) case χ₁ T → χ₂ T with m₂ = m₁ + Δ uses the same vertex with two masses.
The standard LDM variable is Y = ε² α_D (m_χ/m_A′)⁴ (white paper 004 Sec. 5.2, Fig. 8).

References
----------
* [dNPR11] P. deNiverville, M. Pospelov, A. Ritz, "Observing a light dark matter beam with neutrino
  experiments", PRD 84 (2011) 075020, arXiv:1107.4580, Sec. III: χ e → χ e for a scalar χ,
  dσ/dE_e = 4πε²αα_D [2m_e E² − (2m_e E + m_χ²)(E_e − m_e)] / [(E² − m_χ²)(m_A′² + 2m_e(E_e − m_e))²].
* [MB18] MiniBooNE collaboration (A.A. Aguilar-Arevalo et al.), "Dark matter search in nucleon, pion, and
  electron channels from a proton beam dump with MiniBooNE", PRD 98 (2018) 112004, arXiv:1807.06137, Sec. II
  (NCE-like χN → χN through the nucleon vector form factors; dipole parametrisation).
* [WP] Community white paper, ../shared/seeds/004 (Sec. 5.6.1), Eq. (23): χ–nucleus coherent
  dσ/dE_r = (x_f κ_f κ_D)² Z² |F|² / (4π p_χ² (2m_N E_r + m_X²)²) {2E_χ² m_N (1 − E_r/E_χ − m_N E_r/(2E_χ²)) + m_N E_r²}
  (from B. Dutta et al., PRL 124 (2020) 121802, arXiv:1906.10745). Implemented literally in :func:`dsigma_dt_eq23`.

Method (derived here; the tests check every closed form above): |M|² = coupling² L_μν H^μν / (2m_T T + m_A′²)²
with the χ tensor L (Dirac: ½Tr[(k̸′+m₂)γ^μ(k̸+m₁)γ^ν]; scalar: (k+k′)^μ(k+k′)^ν) and the target tensor
H = −Ã(g − qq/q²) + B̃PP of :mod:`darkbeam.interactions.upscattering` (point Dirac electron: Ã = Q², B̃ = 1;
nucleon: Ã = Q²G_M², B̃ = (G_E² + τG_M²)/(1+τ); spin-0 nucleus: Ã = 0, B̃ = Z²F²). Then
dσ/dT = |M|²/(32π m_T p_χ²) (target at rest, p_χ the lab momentum). Note Eq. (23) of [WP] equals the spin-½
point-target result without the −m_χ² T term; our coherent result (spin-0 nucleus) has neither m_N E_r² nor
m_χ² E_r — the three agree to O(T/E).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError, KinematicsError, check_positive
from ..units import ALPHA_EM
from .integrate import vegas
from .nuclear import M_PROTON, Nucleus, nucleon_f1_f2

FloatArray = NDArray[np.float64]
ChiType = Literal["fermion", "scalar"]

__all__ = [
    "M_ELECTRON",
    "dsigma_dt",
    "dsigma_dt_eq23",
    "inelastic_threshold",
    "recoil_range",
    "total_cross_section",
    "y_variable",
]

#: electron mass [GeV] (PDG 2024)
M_ELECTRON = 0.51099895e-3
_GEV2_TO_CM2 = 0.389379372e-27


def y_variable(epsilon: float, alpha_d: float, m_chi: float, m_med: float) -> float:
    """Y = ε² α_D (m_χ/m_A′)⁴ ([WP] Sec. 5.2)."""
    return epsilon**2 * alpha_d * (m_chi / m_med) ** 4


def inelastic_threshold(m_chi1: float, m_chi2: float, m_target: float) -> float:
    """Lowest χ₁ energy [GeV] for χ₁ T → χ₂ T on a target at rest: E = ((m₂ + m_T)² − m₁² − m_T²)/(2m_T)."""
    return max(((m_chi2 + m_target) ** 2 - m_chi1**2 - m_target**2) / (2.0 * m_target), m_chi1)


def recoil_range(e_chi: ArrayLike, m_chi1: float, m_chi2: float, m_target: float) -> tuple[FloatArray, FloatArray]:
    """Target kinetic-energy range (T_min, T_max) [GeV] for χ₁(E) T → χ₂ T (T_min = 0 when elastic).

    CM frame: −t = 2m_T T = 2(E_i E_f ∓ p_i p_f − m_T²) with the target's CM energies and momenta before/after.
    NaN below threshold.
    """
    e = np.asarray(e_chi, dtype=float)
    m = m_target
    m1s = m_chi1**2
    s = m1s + m * m + 2.0 * m * e
    rs = np.sqrt(s)
    lam_i = (s - (m_chi1 + m) ** 2) * (s - (m_chi1 - m) ** 2)
    lam_f = (s - (m_chi2 + m) ** 2) * (s - (m_chi2 - m) ** 2)
    with np.errstate(invalid="ignore"):
        p_i = np.sqrt(np.clip(lam_i, 0.0, None)) / (2.0 * rs)
        p_f = np.where(s >= (m_chi2 + m) ** 2, np.sqrt(np.abs(lam_f)), np.nan) / (2.0 * rs)
    e_i = (s + m * m - m1s) / (2.0 * rs)
    e_f = (s + m * m - m_chi2**2) / (2.0 * rs)
    t_max = (e_i * e_f + p_i * p_f - m * m) / m
    if m_chi1 == m_chi2:
        t_min = np.where(np.isfinite(t_max), 0.0, np.nan)
    else:
        # (E_iE_f − m²)² − (p_ip_f)² written without cancellation: E² − p² = m² for both states
        x = e_i * e_f - m * m
        num = (x * x - (p_i * p_f) ** 2) / m
        t_min = np.clip(num / (x + p_i * p_f), 0.0, None)
    return np.asarray(t_min), np.asarray(t_max)


def _target_tensor(
    t_rec: FloatArray, target: str | Nucleus, form_factor: str
) -> tuple[FloatArray, FloatArray, float, float]:
    """(Ã, B̃, m_T, charge factor) for ``"electron"``, ``"proton"``, ``"neutron"`` or a :class:`Nucleus`."""
    if isinstance(target, Nucleus):
        q2 = 2.0 * target.mass * t_rec
        ff = target.form_factor(q2, form_factor)
        return np.zeros_like(t_rec), (target.z * ff) ** 2, target.mass, 1.0
    if target == "electron":
        q2 = 2.0 * M_ELECTRON * t_rec
        return q2, np.ones_like(t_rec), M_ELECTRON, 1.0
    if target in ("proton", "neutron"):
        q2 = 2.0 * M_PROTON * t_rec
        f1, f2 = nucleon_f1_f2(q2, target)
        tau = q2 / (4.0 * M_PROTON**2)
        ge, gm = f1 - tau * f2, f1 + f2
        return q2 * gm * gm, (ge * ge + tau * gm * gm) / (1.0 + tau), M_PROTON, 1.0
    raise ConfigError(f"target = {target!r} is not allowed; allowed: electron, proton, neutron or a Nucleus")


def dsigma_dt(
    e_chi: ArrayLike,
    t_recoil: ArrayLike,
    m_chi: float,
    m_med: float,
    epsilon: float,
    alpha_d: float,
    target: str | Nucleus = "electron",
    *,
    chi: ChiType = "fermion",
    delta: float = 0.0,
    form_factor: str = "helm",
) -> FloatArray:
    """dσ/dT [cm²/GeV] for χ₁(E) T → χ₂ T through a dark photon, vs target kinetic energy T [GeV].

    ``target``: ``"electron"``, ``"proton"``/``"neutron"`` (dipole form factors, [MB18]) or a
    :class:`~darkbeam.interactions.nuclear.Nucleus` (coherent, charge form factor ``form_factor``: ``"helm"``
    (default, as [WP] Eq. (23)) or ``"fourier-bessel"``/``"auto"``). ``chi``: Dirac ``"fermion"`` (averaged over
    its spin) or complex ``"scalar"``. ``delta`` = m₂ − m₁ ≥ 0 for inelastic χ₁ → χ₂ (0: elastic). Couplings:
    ε e to the target charge, g_D = √(4πα_D) to χ. Zero outside the kinematic range ([dNPR11], module doc).
    """
    check_positive("m_chi", m_chi)
    check_positive("m_med", m_med)
    check_positive("delta", delta, allow_zero=True)
    if chi not in ("fermion", "scalar"):
        raise ConfigError(f"chi = {chi!r} is not allowed; allowed: fermion, scalar")
    e, t_rec = np.broadcast_arrays(np.asarray(e_chi, dtype=float), np.asarray(t_recoil, dtype=float))
    m1, m2 = m_chi, m_chi + delta
    a_t, b_t, m, _ = _target_tensor(t_rec.astype(float), target, form_factor)
    t_lo, t_hi = recoil_range(e, m1, m2, m)
    inside = np.isfinite(t_hi) & (t_rec >= t_lo) & (t_rec <= t_hi) & (t_rec > 0)

    s = m1 * m1 + m * m + 2.0 * m * e
    t = -2.0 * m * t_rec  # q² with q = k − k′ = p′ − p
    u = m1 * m1 + m2 * m2 + 2.0 * m * m - s - t
    kk = 0.5 * (m1 * m1 + m2 * m2 - t)  # k·k′
    k_q = m1 * m1 - kk  # k·q
    kp_q = kk - m2 * m2  # k′·q
    k_p = 0.5 * (s - m1 * m1 - m * m) + 0.5 * (m1 * m1 + m * m - u)  # k·p + k·p′
    kp_p = 0.5 * (m * m + m2 * m2 - u) + 0.5 * (s - m2 * m2 - m * m)  # k′·p + k′·p′
    pp = 4.0 * m * m - t
    with np.errstate(divide="ignore", invalid="ignore"):
        if chi == "fermion":
            mass_term = kk - m1 * m2
            g_l = 2.0 * (2.0 * kk - 4.0 * mass_term)
            q_l_q = 2.0 * (2.0 * k_q * kp_q - t * mass_term)
            p_l_p = 2.0 * (2.0 * k_p * kp_p - pp * mass_term)
        else:
            g_l = m1 * m1 + m2 * m2 + 2.0 * kk
            q_l_q = (m1 * m1 - m2 * m2) ** 2 * np.ones_like(t)
            p_l_p = (k_p + kp_p) ** 2
        lh = -a_t * (g_l - q_l_q / t) + b_t * p_l_p
    coupling2 = 4.0 * math.pi * ALPHA_EM * epsilon**2 * 4.0 * math.pi * alpha_d
    p_chi2 = np.clip(e * e - m1 * m1, 1e-300, None)
    out = coupling2 * lh / ((2.0 * m * t_rec + m_med**2) ** 2 * 32.0 * math.pi * m * p_chi2) * _GEV2_TO_CM2
    return np.asarray(np.where(inside, np.clip(out, 0.0, None), 0.0))


def dsigma_dt_eq23(
    e_chi: ArrayLike, t_recoil: ArrayLike, m_chi: float, m_med: float, coupling: float, nucleus: Nucleus
) -> FloatArray:
    """White-paper Eq. (23) ([WP]) literally: χ–nucleus coherent dσ/dE_r [cm²/GeV] with Helm form factor.

    ``coupling`` = x_f κ_f κ_D (for the dark photon: ε e g_D per unit charge).
    """
    e = np.asarray(e_chi, dtype=float)
    t_rec = np.asarray(t_recoil, dtype=float)
    m = nucleus.mass
    ff = nucleus.form_factor(2.0 * m * t_rec, "helm")
    p2 = e * e - m_chi**2
    bracket = 2.0 * e * e * m * (1.0 - t_rec / e - m * t_rec / (2.0 * e * e)) + m * t_rec**2
    out = (coupling * nucleus.z * ff) ** 2 / (4.0 * math.pi * p2 * (2.0 * m * t_rec + m_med**2) ** 2) * bracket
    return np.asarray(out * _GEV2_TO_CM2)


def total_cross_section(
    e_chi: float,
    m_chi: float,
    m_med: float,
    epsilon: float,
    alpha_d: float,
    target: str | Nucleus,
    rng: np.random.Generator,
    *,
    t_min: float = 0.0,
    t_max: float | None = None,
    chi: ChiType = "fermion",
    delta: float = 0.0,
    form_factor: str = "helm",
    n_eval: int = 4000,
) -> float:
    """σ [cm²] for recoil T in [max(t_min, T_lo), min(t_max, T_hi)] (detector thresholds), by VEGAS in log T.

    Raises :class:`KinematicsError` below the (inelastic) threshold.
    """
    m = target.mass if isinstance(target, Nucleus) else (M_ELECTRON if target == "electron" else M_PROTON)
    lo, hi = (float(v) for v in recoil_range(e_chi, m_chi, m_chi + delta, m))
    if not np.isfinite(hi):
        raise KinematicsError(
            f"e_chi = {e_chi} GeV is below the threshold {inelastic_threshold(m_chi, m_chi + delta, m):.6g} GeV "
            f"of χ T → χ′ T (m_χ = {m_chi}, Δ = {delta} GeV)"
        )
    lo = max(lo, t_min, hi * 1e-12)
    if t_max is not None:
        hi = min(hi, t_max)
    if hi <= lo:
        return 0.0
    log_ratio = math.log(hi / lo)

    def integrand(x: FloatArray) -> FloatArray:
        t_rec = lo * np.exp(x[:, 0] * log_ratio)
        return (
            dsigma_dt(
                e_chi, t_rec, m_chi, m_med, epsilon, alpha_d, target, chi=chi, delta=delta, form_factor=form_factor
            )
            * t_rec
            * log_ratio
        )

    return vegas(integrand, [[0.0, 1.0]], rng, n_eval=n_eval, n_iter=5, n_warmup=3).value
