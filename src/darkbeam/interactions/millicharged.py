"""Detection of millicharged particles (mCPs): χ e⁻ elastic scattering and the multiple-hit signature.

A millicharged fermion χ (Dirac, charge ε e, mass m_χ) scatters on atomic electrons through t-channel photon
exchange. For an electron at rest, recoil kinetic energy E_r, χ energy E and momentum p (lab), the tree-level
squared amplitude averaged over initial spins is the μe-scattering one with the muon charge set to ε e,

    ⟨|M|²⟩ = 2 e⁴ ε² [(s − m_χ² − m_e²)² + (u − m_χ² − m_e²)² + 2 (m_χ² + m_e²) t] / t²

(e.g. Peskin & Schroeder, *An Introduction to QFT*, Sec. 5.4 / problem 5.2 crossing of e⁺e⁻ → μ⁺μ⁻), with
s − m_χ² − m_e² = 2 m_e E, u − m_χ² − m_e² = −2 m_e (E − E_r), t = −2 m_e E_r. With
dσ/dE_r = ⟨|M|²⟩ / (32 π m_e p²) (from dσ/dt = ⟨|M|²⟩/(16π λ(s, m_χ², m_e²)), λ = 4 m_e² p², |dt/dE_r| = 2 m_e):

    dσ/dE_r = π α² ε² [2 m_e E² − E_r (m_χ² + m_e² + 2 m_e E) + m_e E_r²] / (m_e² p² E_r²)

which is the mCP–electron cross section of G. Magill, R. Plestid, M. Pospelov, Y.-D. Tsai, PRL 122, 071801
(2019), arXiv:1806.03310, detection section (equation number not re-checked here; there written
πα²ε² [2E²m_e + E_r² m_e − E_r(m_e² + 2E m_e + m_χ²)] / [E_r² (E² − m_χ²) m_e²]). At low recoil it
is 2π α² ε² E²/(m_e p² E_r²) ∝ ε²/E_r²: the rate is dominated by the recoil threshold E_r,min, and

    σ(E_r,min < E_r < E_r,max) = (πα²ε²/(m_e² p²)) [2 m_e E² (1/E₁ − 1/E₂) − (m_χ² + m_e² + 2 m_e E) ln(E₂/E₁)
                                                    + m_e (E₂ − E₁)]

(closed form, :func:`electron_cross_section`), E₁ = max(E_r,min, 0), E₂ = min(E_r,max, E_r^kin), with the
kinematic maximum E_r^kin = 2 m_e p² / (m_χ² + m_e² + 2 m_e E). The same expression is the m_A′ → 0, g_D → e
limit of the dark-photon χe cross section of :mod:`darkbeam.interactions.dark_matter` for a Dirac χ (test).

Multiple-hit signature (option): an mCP crossing a segmented scintillator leaves ionisation ∝ ε² (Bethe formula
with charge z = ε; ε² × a minimum-ionising particle's energy loss, ignoring the slow βγ dependence near the minimum).
With μ_MIP photo-electrons per layer for a MIP, the number of photo-electrons in a layer is Poisson with mean
ε² μ_MIP, a layer fires with p = P(N_pe ≥ k_th), and the probability of ≥ m fired layers out of n is the binomial
tail (the milliQan estimate, A. Haas, C.S. Hill, E. Izaguirre, I. Yavin, PLB 746, 117 (2015), arXiv:1410.6816,
Sec. 3; applied to T2K's ND280 upgrade in D. Gorbunov, I. Krasnov, Y. Kudenko, S. Suvorov, PLB 822, 136641
(2021), arXiv:2103.11814, the "double-hit" signature). :func:`layer_hit_probability`,
:func:`multi_hit_probability`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from ..errors import ConfigError, check_positive
from ..flux import FluxSample

FloatArray = NDArray[np.float64]

__all__ = [
    "ALPHA_EM",
    "GEV2_TO_CM2",
    "M_ELECTRON",
    "dsigma_der_electron",
    "electron_cross_section",
    "expected_electron_scattering_events",
    "layer_hit_probability",
    "max_electron_recoil",
    "multi_hit_probability",
]

#: fine-structure constant at q² = 0 (CODATA 2018)
ALPHA_EM = 7.2973525693e-3
#: electron mass [GeV] (CODATA 2018)
M_ELECTRON = 0.51099895000e-3
#: (ħc)² [GeV² cm²] (CODATA 2018): 1 GeV⁻² = 3.8937937e-28 cm²
GEV2_TO_CM2 = 3.893793721e-28


def max_electron_recoil(e_chi: ArrayLike, m_chi: float) -> FloatArray:
    """Kinematic maximum electron recoil kinetic energy [GeV]: E_r^kin = 2 m_e p² / (m_χ² + m_e² + 2 m_e E)."""
    e = np.asarray(e_chi, dtype=float)
    p2 = np.clip(e * e - m_chi**2, 0.0, None)
    return np.asarray(2.0 * M_ELECTRON * p2 / (m_chi**2 + M_ELECTRON**2 + 2.0 * M_ELECTRON * e))


def dsigma_der_electron(e_chi: ArrayLike, e_recoil: ArrayLike, m_chi: float, epsilon: float) -> FloatArray:
    """dσ/dE_r [cm²/GeV] of χ(E) e⁻ → χ e⁻ for a Dirac mCP of charge ε e (module docstring; Magill et al. 1806.03310).

    ``e_chi``: χ total energy E [GeV]; ``e_recoil``: electron recoil kinetic energy E_r [GeV]. Zero outside
    0 < E_r ≤ E_r^kin.
    """
    e = np.asarray(e_chi, dtype=float)
    er = np.asarray(e_recoil, dtype=float)
    me = M_ELECTRON
    p2 = np.clip(e * e - m_chi**2, 0.0, None)
    ok = (er > 0) & (er <= max_electron_recoil(e, m_chi)) & (p2 > 0)
    er_s = np.where(ok, er, 1.0)
    p2_s = np.where(ok, p2, 1.0)
    bracket = 2.0 * me * e * e - er_s * (m_chi**2 + me * me + 2.0 * me * e) + me * er_s * er_s
    value = np.pi * ALPHA_EM**2 * epsilon**2 * bracket / (me * me * p2_s * er_s * er_s) * GEV2_TO_CM2
    return np.asarray(np.where(ok, value, 0.0))


def electron_cross_section(
    e_chi: ArrayLike, m_chi: float, epsilon: float, er_min: float, er_max: float = np.inf
) -> FloatArray:
    """σ [cm²] per electron of χ(E) e⁻ → χ e⁻ with recoil kinetic energy in [er_min, er_max] [GeV].

    Closed-form integral of :func:`dsigma_der_electron` (module docstring); 0 where the window is empty.
    """
    if not 0.0 < er_min < er_max:
        raise ConfigError(f"recoil window ({er_min}, {er_max}) GeV is not allowed; need 0 < E_r,min < E_r,max")
    e = np.asarray(e_chi, dtype=float)
    me = M_ELECTRON
    p2 = np.clip(e * e - m_chi**2, 0.0, None)
    lo = np.full(e.shape, er_min)
    hi = np.minimum(max_electron_recoil(e, m_chi), er_max)
    ok = (hi > lo) & (p2 > 0)
    lo_s = np.where(ok, lo, 1.0)
    hi_s = np.where(ok, hi, 2.0)
    p2_s = np.where(ok, p2, 1.0)
    integral = (
        2.0 * me * e * e * (1.0 / lo_s - 1.0 / hi_s)
        - (m_chi**2 + me * me + 2.0 * me * e) * np.log(hi_s / lo_s)
        + me * (hi_s - lo_s)
    )
    sigma = np.pi * ALPHA_EM**2 * epsilon**2 * integral / (me * me * p2_s) * GEV2_TO_CM2
    return np.asarray(np.where(ok, sigma, 0.0))


def layer_hit_probability(epsilon: ArrayLike, mean_pe_mip: float, threshold_pe: int = 1) -> FloatArray:
    """Probability that one detector layer fires: P(N_pe ≥ ``threshold_pe``), N_pe ~ Poisson(ε² μ_MIP).

    ``mean_pe_mip``: mean photo-electrons a minimum-ionising unit-charge particle gives in one layer.
    """
    check_positive("mean_pe_mip", mean_pe_mip)
    if threshold_pe < 1:
        raise ConfigError(f"threshold_pe = {threshold_pe!r} is not allowed; it must be an integer >= 1")
    mu = np.asarray(epsilon, dtype=float) ** 2 * mean_pe_mip
    # P(N >= k) = 1 - P(N <= k-1) = regularised lower incomplete gamma P(k, μ); -expm1 keeps precision for k = 1
    if threshold_pe == 1:
        return np.asarray(-np.expm1(-mu))
    return np.asarray(special.gammainc(threshold_pe, mu))


def multi_hit_probability(p_layer: ArrayLike, n_layers: int, min_hits: int = 2) -> FloatArray:
    """Probability of ≥ ``min_hits`` fired layers among ``n_layers`` independent layers of probability ``p_layer``
    (binomial tail; milliQan, arXiv:1410.6816 Sec. 3). For m = 2: 1 − (1−p)ⁿ − n p (1−p)ⁿ⁻¹."""
    if n_layers < 1 or not 1 <= min_hits <= n_layers:
        raise ConfigError(
            f"n_layers = {n_layers!r}, min_hits = {min_hits!r} are not allowed; need 1 <= min_hits <= n_layers"
        )
    p = np.asarray(p_layer, dtype=float)
    return np.asarray(stats.binom.sf(min_hits - 1, n_layers, p))


def expected_electron_scattering_events(
    flux: FluxSample,
    detector: str,
    electron_density_per_cm3: float,
    recoil_window: tuple[float, float],
    pot: float,
    couplings: ArrayLike,
    *,
    efficiency: float = 1.0,
) -> FloatArray:
    """Expected selected χ e⁻ scattering events at each ε in ``couplings`` (thin target).

    N(ε) = POT × eff × Σᵢ wᵢ Lᵢ n_e σ(Eᵢ; window) × (ε/ε₀)⁴: ``flux`` weights wᵢ are χ per POT at
    ε₀ = ``flux.reference_coupling`` (production ∝ ε²), σ ∝ ε² (module docstring). Lᵢ: path length in
    ``detector`` [cm]. Returns an array shaped like ``couplings``.
    """
    check_positive("pot", pot)
    check_positive("electron_density_per_cm3", electron_density_per_cm3)
    eps = np.asarray(couplings, dtype=float)
    hit = flux.hits(detector)
    if not hit.any():
        return np.zeros(eps.shape)
    eps0 = flux.reference_coupling
    sigma = electron_cross_section(flux.momentum[hit, 3], flux.mass, eps0, recoil_window[0], recoil_window[1])
    per_pot = float(np.sum(flux.weight[hit] * flux.chord(detector)[hit] * sigma)) * electron_density_per_cm3
    return np.asarray(pot * efficiency * per_pot * (eps / eps0) ** 4)
