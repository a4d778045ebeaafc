"""Thermal-relic target lines for vector-portal light dark matter: the Y(m_χ) giving Ω_χ h² = 0.120.

Standard slice: α_D = 0.5, m_A′ = 3 m_χ (any ``mass_ratio`` > 2 and α_D are accepted); Y = ε² α_D (m_χ/m_A′)⁴.
Used as overlays on scattering sensitivity plots (:func:`relic_target_y`).

Annihilation χχ̄ → A′* → f f̄ (f = e, μ, and π⁺π⁻ as the hadronic channel) with cross sections σ(s) derived here
from the e⁺e⁻ → pair cross sections (crossing/detailed balance; couplings α² → α α_D ε², 1/s² → 1/|s − M²|²):

* complex scalar χ (current i χ* ∂↔ χ):   σ(s) = (4π α α_D ε²/3) s β_χ / |s − M²|² × F(s)
* Dirac fermion χ (vector current):        σ(s) = (4π α α_D ε²/3) s (3 − β_χ²) / (2 β_χ |s − M²|²) × F(s)
* Majorana χ (axial current, L ⊃ (g_D/2) χ̄ γ^μ γ⁵ χ A′_μ, vertex g_D γ^μ γ⁵): the spin-summed χ tensor is the
  vector one with m_χ² → −m_χ², which after the angular average multiplies the Dirac σ by 2β_χ²/(3 − β_χ²):
  σ(s) = (4π α α_D ε²/3) s β_χ / |s − M²|² × F(s) (p-wave, the same σ(s) as the complex scalar)
* pseudo-Dirac χ₁,₂ (small splitting): co-annihilation χ₁χ₂ → f f̄ with the Dirac σ (s-wave), four degrees of
  freedom; the relic density equals the Dirac one (Griest & Seckel, PRD 43, 3191 (1991), effective σ).

β_χ = √(1 − 4m_χ²/s); F(s) = Σ_f (1 + 2m_f²/s)√(1 − 4m_f²/s) + R_ππ(s), R_ππ = β_π³ |F_π(s)|²/4 with the
vector-meson-dominance pion form factor |F_π|² = m_ρ⁴ / ((s − m_ρ²)² + m_ρ² Γ_ρ²) (single ρ Breit–Wigner; valid
for √s ≲ 1 GeV, i.e. m_χ ≲ 0.5 GeV). Checks of these expressions: the v → 0 limits are the standard
σv = (8π/3) α Y r⁴ v² / (m_χ² (r² − 4)²) (scalar, Majorana) and 16π α Y r⁴ / (m_χ² (r² − 4)²) (Dirac) with
r = m_A′/m_χ (e.g. E. Izaguirre, G. Krnjaic, P. Schuster, N. Toro, PRL 115, 251301 (2015), arXiv:1505.00011,
Eq. (2)-(3); A. Berlin, N. Blinov, G. Krnjaic, P. Schuster, N. Toro, PRD 99, 075001 (2019), arXiv:1807.01730,
Sec. II; tests/test_ldm_cards.py).

Freeze-out: thermal average ⟨σv⟩(T) = ∫ σ(s)(s − 4m²)√s K₁(√s/T) ds / (8 m⁴ T K₂(m/T)²) (P. Gondolo,
G. Gelmini, Nucl. Phys. B 360, 145 (1991), Eq. (3.8)); freeze-out x_f = m/T_f from
x_f = ln[c(c+2)√(45/8) g m M_Pl ⟨σv⟩(x_f) / (2π³ √(g_*) √x_f)], c = 1/2 (E.W. Kolb, M.S. Turner, *The Early
Universe* (1990), Eq. (5.43)); after it 1/Y_∞ = 1/Y_f + √(π/45) M_Pl m ∫_{x_f}^∞ g_*^{1/2,eff}(x) ⟨σv⟩ x⁻² dx
(Gondolo–Gelmini Sec. 4 form with g_*^{1/2,eff} = h_eff/√g_eff; the small dh/dT term is neglected), and
Ω h² = 2.744 × 10⁸ (m/GeV) Y_∞ per species (s₀ = 2891.2 cm⁻³, ρ_c/h² = 1.05371 × 10⁻⁵ GeV cm⁻³, PDG RPP 2024
Astrophysical constants), × 2 for χ + χ̄ of a non-self-conjugate state. g_eff, h_eff: ideal gases of γ, e±, μ±,
π^±,0 and three ν species (T_ν = T before e± annihilation, then heated photons from entropy conservation).
Target Ω_c h² = 0.120 (Planck 2018, A&A 641, A6 (2020), Table 2).

Validation (tests/test_ldm_cards.py) against the relic lines shown in Fig. 3 of the CCM collaboration's
arXiv:2110.11453 (digitised values hard-coded in the test), 3 MeV < m_χ < 180 MeV: complex scalar and Majorana
4-23 % above the published Y, pseudo-Dirac 0.77-1.03 of it; at m_χ = 300 MeV the scalar line is ×1.8 above (the
published line includes more hadronic final states / the ρ–ω region).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from ..errors import ConfigError, check_positive

FloatArray = NDArray[np.float64]
DMType = Literal["scalar", "majorana", "pseudo_dirac", "dirac"]

__all__ = ["OMEGA_H2_PLANCK", "annihilation_cross_section", "relic_abundance", "relic_target_y", "thermal_sigma_v"]

#: fine-structure constant at q² = 0 (CODATA 2018)
ALPHA_EM = 7.2973525693e-3
#: Planck mass [GeV] (PDG RPP 2024)
M_PLANCK = 1.220890e19
#: Ω_c h², Planck 2018 (A&A 641, A6 (2020), Table 2, TT,TE,EE+lowE+lensing: 0.120 ± 0.001)
OMEGA_H2_PLANCK = 0.120
#: Ω h² per unit (m/GeV) × Y: s₀ / (ρ_c/h²) with s₀ = 2891.2 cm⁻³, ρ_c/h² = 1.05371e-5 GeV cm⁻³ (PDG 2024)
_OMEGA_PER_MY = 2891.2 / 1.05371e-5
GEV2_TO_CM3_S = 1.1673e-17  # 1 GeV⁻² × c = 0.38938e-27 cm² × 2.9979e10 cm/s
_M_E, _M_MU, _M_PI, _M_PI0 = 0.51099895e-3, 0.1056583755, 0.13957039, 0.1349768
_M_RHO, _G_RHO = 0.77526, 0.1491  # PDG 2024 ρ(770) (e⁺e⁻ / charged mode)
_DM_TYPES = ("scalar", "majorana", "pseudo_dirac", "dirac")


def _check_type(dm_type: str) -> None:
    if dm_type not in _DM_TYPES:
        raise ConfigError(f"dm_type = {dm_type!r} is not allowed; allowed: {', '.join(_DM_TYPES)}")


def _final_states(s: FloatArray) -> FloatArray:
    """F(s) = Σ_{e,μ} (1 + 2m_f²/s)√(1 − 4m_f²/s) + R_ππ(s) (module docstring)."""
    out = np.zeros_like(s)
    for m_f in (_M_E, _M_MU):
        x = 4 * m_f * m_f / s
        out += np.where(x < 1, (1 + 0.5 * x) * np.sqrt(np.clip(1 - x, 0, None)), 0.0)
    x = 4 * _M_PI**2 / s
    beta3 = np.where(x < 1, np.clip(1 - x, 0, None) ** 1.5, 0.0)
    ff2 = _M_RHO**4 / ((s - _M_RHO**2) ** 2 + _M_RHO**2 * _G_RHO**2)
    return np.asarray(out + 0.25 * beta3 * ff2)


def annihilation_cross_section(
    s: ArrayLike, m_chi: float, y: float, dm_type: DMType, *, alpha_dark: float = 0.5, mass_ratio: float = 3.0
) -> FloatArray:
    """σ(χχ̄ → SM) [GeV⁻²] at CM energy² ``s`` [GeV²] for Y = ``y`` (module docstring). The A′ propagator carries
    the energy-dependent width √s Γ(√s) of A′ → χχ̄ (running-width Breit–Wigner, PDG RPP 2024 "Resonances"
    review), which vanishes at the χχ̄ threshold and so leaves the freeze-out region (s ≈ 4m_χ²) untouched."""
    _check_type(dm_type)
    s = np.asarray(s, dtype=float)
    m_med = mass_ratio * m_chi
    eps2_alpha_d = y * mass_ratio**4
    beta2 = np.clip(1 - 4 * m_chi**2 / s, 1e-300, None)
    beta = np.sqrt(beta2)
    # energy-dependent invisible width of the A′ at mass √s (only the χ pair; the ε²-suppressed SM part is
    # negligible): scalar α_D √s β³/12, Majorana (axial) α_D √s β³/6, Dirac α_D √s (1 + 2m²/s) β/3
    root_s = np.sqrt(s)
    if dm_type == "scalar":
        width = alpha_dark * root_s * beta**3 / 12
    elif dm_type == "majorana":
        width = alpha_dark * root_s * beta**3 / 6
    else:
        width = alpha_dark * root_s * (1 + 2 * m_chi**2 / s) * beta / 3
    prop = 1.0 / ((s - m_med**2) ** 2 + s * width**2)
    pref = 4 * np.pi * ALPHA_EM * eps2_alpha_d / 3 * s * prop * _final_states(s)
    if dm_type in ("scalar", "majorana"):
        return np.asarray(pref * beta)
    return np.asarray(pref * (3 - beta2) / (2 * beta))


def thermal_sigma_v(
    x: ArrayLike, m_chi: float, y: float, dm_type: DMType, *, alpha_dark: float = 0.5, mass_ratio: float = 3.0
) -> FloatArray:
    """⟨σv⟩ [GeV⁻²] at x = m_χ/T (Gondolo–Gelmini Eq. 3.8), vectorised over ``x``.

    Integration variable w = √t, t = (√s − 2m)/T ∈ [0, 64] (trapezoid, 600 nodes; the Boltzmann factor is
    e^{−t} relative to threshold, computed with the exponentially scaled Bessel functions)."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    temp = m_chi / x
    w = np.linspace(0.0, 8.0, 320)
    t = w * w
    root_s = 2 * m_chi + temp[:, None] * t[None, :]
    s = root_s**2
    sigma = annihilation_cross_section(s, m_chi, y, dm_type, alpha_dark=alpha_dark, mass_ratio=mass_ratio)
    # K₁(√s/T)/K₂(x)² = k1e(√s/T) e^{−√s/T} / (kve(2,x)² e^{−2x}) = k1e kve⁻² e^{−t}
    bessel = special.k1e(root_s / temp[:, None]) * np.exp(-t[None, :]) / special.kve(2, x)[:, None] ** 2
    integrand = sigma * (s - 4 * m_chi**2) * root_s * bessel
    # ds = 2√s d√s = 2√s T dt = 2√s T 2w dw
    integrand = integrand * 2 * root_s * temp[:, None] * 2 * w[None, :]
    return np.asarray(np.trapezoid(integrand, w, axis=1) / (8 * m_chi**4 * temp))


@lru_cache(maxsize=1)
def _dof_table() -> tuple[FloatArray, FloatArray, FloatArray]:
    """(log T grid, g_eff, h_eff) on 10 keV … 2 GeV (computed once)."""
    log_t = np.linspace(np.log(1e-5), np.log(2.0), 300)
    g_eff, h_eff = _dof_direct(np.exp(log_t))
    return log_t, g_eff, h_eff


def _dof(temp: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(g_eff, h_eff) at photon temperature ``temp`` [GeV], interpolated in log T from :func:`_dof_direct`."""
    log_t, g_eff, h_eff = _dof_table()
    lt = np.log(np.asarray(temp, dtype=float))
    return np.asarray(np.interp(lt, log_t, g_eff), dtype=float), np.asarray(np.interp(lt, log_t, h_eff), dtype=float)


def _dof_direct(temp: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(g_eff, h_eff) for energy and entropy density of γ, ν (3 flavours), e±, μ±, π± and π⁰ at photon temperature
    ``temp`` [GeV] (ideal gases; T_ν/T from entropy conservation after ν decoupling at T ≫ m_e)."""
    u = np.linspace(1e-4, 30.0, 1500)

    def species(m: float, g: float, fermion: bool) -> tuple[FloatArray, FloatArray]:
        z = m / temp[:, None]
        e = np.sqrt(u[None, :] ** 2 + z * z)
        occ = 1.0 / (np.exp(np.minimum(e, 700.0)) + (1.0 if fermion else -1.0))
        rho = np.trapezoid(u * u * e * occ, u, axis=1) * 15 / np.pi**4
        pres = np.trapezoid(u**4 / (3 * e) * occ, u, axis=1) * 15 / np.pi**4
        return np.asarray(g * rho, dtype=float), np.asarray(g * (rho + pres) * 0.75, dtype=float)

    g_rho = np.full(temp.shape, 2.0)
    h_s = np.full(temp.shape, 2.0)
    for m, g, fermion in ((_M_E, 4.0, True), (_M_MU, 4.0, True), (_M_PI, 2.0, False), (_M_PI0, 1.0, False)):
        r, h = species(m, g, fermion)
        g_rho += r
        h_s += h
    # electrons' entropy heats photons after ν decoupling: (T_ν/T)³ = (2 + h_e(T))/(2 + 7/2)
    _, h_e = species(_M_E, 4.0, True)
    ratio3 = (2.0 + h_e) / 5.5
    g_nu = 6 * 7 / 8
    g_rho += g_nu * ratio3 ** (4 / 3)
    h_s += g_nu * ratio3
    return g_rho, h_s


def relic_abundance(
    m_chi: float, y: float, dm_type: DMType, *, alpha_dark: float = 0.5, mass_ratio: float = 3.0
) -> float:
    """Ω_χ h² (χ and χ̄ together) for Y = ``y`` (module docstring)."""
    _check_type(dm_type)
    check_positive("m_chi", m_chi)
    check_positive("y", y)
    if mass_ratio <= 2:
        raise ConfigError(f"mass_ratio = {mass_ratio!r} is not allowed; it must be > 2")
    g_chi = {"scalar": 1.0, "majorana": 2.0, "pseudo_dirac": 4.0, "dirac": 2.0}[dm_type]
    kw = {"alpha_dark": alpha_dark, "mass_ratio": mass_ratio}
    # pseudo-Dirac: σ_eff = σ_Dirac g₁g₂·2/g_eff² = σ_Dirac/2 over 4 degrees of freedom, self-conjugate bookkeeping
    sv_scale = 0.5 if dm_type == "pseudo_dirac" else 1.0
    sv_type: DMType = "dirac" if dm_type == "pseudo_dirac" else dm_type
    x_f = 20.0
    for _ in range(30):
        sv = sv_scale * float(thermal_sigma_v(x_f, m_chi, y, sv_type, **kw)[0])
        g_eff, _ = _dof(np.array([m_chi / x_f]))
        arg = 0.5 * 2.5 * np.sqrt(45 / 8) * g_chi * m_chi * M_PLANCK * sv / (2 * np.pi**3 * np.sqrt(g_eff[0] * x_f))
        new = float(np.log(arg)) if arg > 1 else 1.0
        if abs(new - x_f) < 1e-4:
            x_f = new
            break
        x_f = new
    xs = np.geomspace(x_f, max(2000.0, 50 * x_f), 160)
    g_eff, h_eff = _dof(m_chi / xs)
    sv_x = sv_scale * thermal_sigma_v(xs, m_chi, y, sv_type, **kw)
    integral = float(np.trapezoid(h_eff / np.sqrt(g_eff) * sv_x / xs**2, xs))
    y_inf = 1.0 / (np.sqrt(np.pi / 45) * M_PLANCK * m_chi * integral)
    species = 1.0 if dm_type in ("majorana", "pseudo_dirac") else 2.0
    return float(species * _OMEGA_PER_MY * m_chi * y_inf)


def relic_target_y(
    masses: ArrayLike,
    dm_type: DMType = "scalar",
    *,
    alpha_dark: float = 0.5,
    mass_ratio: float = 3.0,
    omega_h2: float = OMEGA_H2_PLANCK,
) -> FloatArray:
    """Y(m_χ) for which Ω_χ h² = ``omega_h2`` (default Planck 2018), for each m_χ [GeV] in ``masses``.

    Ω ∝ 1/Y up to the logarithmic x_f dependence: solved by a few fixed-point steps Y ← Y Ω(Y)/Ω_target.
    Valid for 1 MeV ≲ m_χ ≲ 0.5 GeV (hadronic final states beyond ππ are not included).
    """
    _check_type(dm_type)
    out = []
    for m in np.atleast_1d(np.asarray(masses, dtype=float)):
        y = 1e-11 * (m / 0.01) ** 2
        for _ in range(4):  # each step reduces the error by ~ d ln x_f / d ln Y ≈ 1/x_f
            y *= relic_abundance(float(m), y, dm_type, alpha_dark=alpha_dark, mass_ratio=mass_ratio) / omega_h2
        out.append(y)
    return np.asarray(out)
