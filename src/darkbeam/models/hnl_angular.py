"""Polarisation of heavy neutral leptons from two-body meson decays and the angular distributions of their
two-body decays, for Dirac and Majorana HNLs.

References:

* [Shrock] R. E. Shrock, Phys. Rev. D 24 (1981) 1232 — helicity structure of P → ℓ N.
* [Levy] J.-M. Levy, "Kinematics of an unstable heavy neutrino's production and decay", arXiv:1805.06419 —
  helicity amplitudes of P → ℓ N and N → ℓ π.
* [TT] J.-L. Tastet, I. Timiryasov, "Dirac vs. Majorana HNLs (and their oscillations) at SHiP",
  JHEP 04 (2020) 005, arXiv:1912.05520 — polarised decay distributions; Majorana summed over the two
  charge-conjugate channels is isotropic.
* [BdGK] A. B. Balantekin, A. de Gouvêa, B. Kayser, Phys. Lett. B 789 (2019) 488, arXiv:1808.10518 —
  angular distributions as a Dirac/Majorana discriminator.

Conventions (all formulas derived here from the V − A amplitudes and checked in the tests against explicit
Dirac-matrix traces):

* ``polarisation`` P is the longitudinal polarisation (twice the helicity expectation) of N along its momentum
  in the parent rest frame, −1 ≤ P ≤ 1. For P⁺ → ℓ⁺ N it is :func:`polarisation_two_body`; for the conjugate
  P⁻ → ℓ⁻ N̄ it is −P (CP). A massless neutrino from π⁺ → μ⁺ ν has P = −1 (left-handed).
* θ is the angle, in the N rest frame, between the charged lepton of N → ℓ π (or the ν of N → ν π⁰) and the
  polarisation axis. Then, with the analysing power α of :func:`analysing_power`,

      dΓ/dcos θ ∝ 1 − α P cos θ   for N → ℓ⁻ π⁺ and N → ν π⁰ (lepton number conserving, ``lepton_sign=-1``),
      dΓ/dcos θ ∝ 1 + α P cos θ   for N → ℓ⁺ π⁻ and N → ν̄ π⁰ (``lepton_sign=+1``).

  A Dirac N decays only through the first line; a Majorana N through both with equal widths, so the sum over
  the two charge states is isotropic for every P ([TT], [BdGK]).
* Only the direction of the spin axis matters; for decays in flight the axis is the N direction in the parent
  rest frame (the Wigner rotation of the spin by the lab boost is neglected, as in [TT]).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError

FloatArray = NDArray[np.float64]

__all__ = [
    "analysing_power",
    "decay_cos_theta_pdf",
    "dirac_majorana_observables",
    "forward_backward_asymmetry",
    "polarisation_two_body",
    "sample_decay_cos_theta",
]


def _kallen(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    return np.asarray(a * a + b * b + c * c - 2.0 * (a * b + b * c + c * a))


def polarisation_two_body(m_n: ArrayLike, m_parent: float, m_lepton: float) -> FloatArray:
    """Longitudinal polarisation P of N from P⁺ → ℓ⁺ N in the parent rest frame (Dirac N or Majorana).

    [Shrock]; [Levy] Sec. 2: with the amplitude f_P [m_N ū_N (1 − γ5) v_ℓ − m_ℓ ū_N (1 + γ5) v_ℓ], the two
    helicity rates are Γ_± ∝ m_P²(m_N² + m_ℓ²) − (m_N² − m_ℓ²)² ± (m_N² − m_ℓ²) λ^{1/2}(m_P², m_N², m_ℓ²), so

        P = (m_N² − m_ℓ²) λ^{1/2}(m_P², m_N², m_ℓ²) / [m_P²(m_N² + m_ℓ²) − (m_N² − m_ℓ²)²].

    Limits: P → −1 for m_N → 0 (the SM neutrino is left-handed), P = +1 for m_ℓ → 0 (the right-handed ℓ⁺
    forces N into helicity +½), P = 0 at m_N = m_ℓ. NaN where the decay is closed (m_N ≥ m_P − m_ℓ).
    """
    m = np.asarray(m_n, dtype=float)
    if np.any(m < 0):
        raise ConfigError(f"m_n = {m_n!r} is not allowed; HNL masses must be >= 0 GeV")
    mp2, mn2, ml2 = m_parent**2, m**2, m_lepton**2
    lam = _kallen(np.asarray(mp2), mn2, np.asarray(ml2))
    open_ = (m < m_parent - m_lepton) & (lam >= 0)
    root = np.sqrt(np.where(open_, lam, 0.0))
    denominator = mp2 * (mn2 + ml2) - (mn2 - ml2) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (mn2 - ml2) * root / denominator
    return np.asarray(np.where(open_, np.clip(value, -1.0, 1.0), np.nan))


def analysing_power(m_n: ArrayLike, m_lepton: float, m_meson: float) -> FloatArray:
    """Analysing power α of N → ℓ P (P = π, K; ℓ = e, μ, τ or a massless ν), 0 ≤ α ≤ 1.

    Derived from the amplitude f_P ū_ℓ [m_N (1 + γ5) − m_ℓ (1 − γ5)] u_N ([BBGR] Sec. 3.2.1 current; [Levy]
    Sec. 3; [TT] Sec. 2): S- and P-wave amplitudes s = (m_N − m_ℓ) √((m_N + m_ℓ)² − m_P²),
    p = (m_N + m_ℓ) √((m_N − m_ℓ)² − m_P²), α = 2sp/(s² + p²), i.e.

        α = (m_N² − m_ℓ²) λ^{1/2}(m_N², m_ℓ², m_P²) / [(m_N² − m_ℓ²)² − m_P² (m_N² + m_ℓ²)].

    α = 1 for a massless lepton (N → ν π⁰, and N → e π to O(m_e²)). NaN where the decay is closed.
    """
    m = np.asarray(m_n, dtype=float)
    mn2, ml2, mp2 = m**2, m_lepton**2, m_meson**2
    lam = _kallen(mn2, np.asarray(ml2), np.asarray(mp2))
    open_ = m > m_lepton + m_meson
    root = np.sqrt(np.where(open_, np.clip(lam, 0.0, None), 0.0))
    denominator = (mn2 - ml2) ** 2 - mp2 * (mn2 + ml2)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (mn2 - ml2) * root / denominator
    return np.asarray(np.where(open_, np.clip(value, 0.0, 1.0), np.nan))


def _check_sign(lepton_sign: int) -> int:
    if lepton_sign not in (-1, 1):
        raise ConfigError(f"lepton_sign = {lepton_sign!r} is not allowed; allowed: -1 (ℓ⁻ or ν), +1 (ℓ⁺ or ν̄)")
    return lepton_sign


def _check_polarisation(polarisation: ArrayLike) -> FloatArray:
    p = np.asarray(polarisation, dtype=float)
    if np.any(~np.isfinite(p)) or np.any(np.abs(p) > 1.0):
        raise ConfigError(f"polarisation = {polarisation!r} is not allowed; it must be finite with |P| <= 1")
    return p


def decay_cos_theta_pdf(
    cos_theta: ArrayLike, polarisation: ArrayLike, alpha: ArrayLike, lepton_sign: int | None
) -> FloatArray:
    """Normalised density of cos θ (see module docstring) for N → ℓ P, ∫_{−1}^{1} = 1.

    ``lepton_sign`` −1: N → ℓ⁻ P⁺ / ν P⁰ (the Dirac channel), +1: the charge conjugate, ``None``: the Majorana
    sum of both channels with equal weights, (1 − αPc)/4 + (1 + αPc)/4 = 1/2 (isotropic).
    """
    c = np.asarray(cos_theta, dtype=float)
    p = _check_polarisation(polarisation)
    a = np.asarray(alpha, dtype=float)
    if lepton_sign is None:
        return np.asarray(np.full(np.broadcast(c, p, a).shape, 0.5))
    s = _check_sign(lepton_sign)
    return np.asarray(0.5 * (1.0 + s * a * p * c))


def forward_backward_asymmetry(polarisation: ArrayLike, alpha: ArrayLike, lepton_sign: int | None) -> FloatArray:
    """A_FB = [N(cos θ > 0) − N(cos θ < 0)] / N of :func:`decay_cos_theta_pdf`: s α P / 2 (0 for ``None``)."""
    p = _check_polarisation(polarisation)
    a = np.asarray(alpha, dtype=float)
    if lepton_sign is None:
        return np.asarray(np.zeros(np.broadcast(p, a).shape))
    return np.asarray(_check_sign(lepton_sign) * a * p / 2.0)


def sample_decay_cos_theta(
    polarisation: ArrayLike, alpha: ArrayLike, lepton_sign: int, rng: np.random.Generator
) -> FloatArray:
    """Draw cos θ from (1 + s α P cos θ)/2 for each entry of the broadcast ``polarisation``, ``alpha``.

    Exact inverse CDF, vectorised: with a = s α P and u uniform, k = u − ½ + a/4 solves (a/4)c² + c/2 = k, so
    c = 2k / (½ + √(¼ + a k)) (cancellation-free, → 2u − 1 for a → 0). To sample a Majorana HNL, draw the
    channel sign first (±1 with probability ½ each) and call this once per sign.
    """
    s = _check_sign(lepton_sign)
    p = _check_polarisation(polarisation)
    a = s * np.asarray(alpha, dtype=float) * p
    if np.any(~np.isfinite(a)) or np.any(np.abs(a) > 1.0):
        raise ConfigError("alpha × polarisation must be finite with magnitude <= 1 (is alpha in [0, 1]?)")
    a = np.broadcast_to(a, np.broadcast(a, p).shape)
    u = rng.uniform(0.0, 1.0, a.shape)
    k = u - 0.5 + a / 4.0
    c = 2.0 * k / (0.5 + np.sqrt(np.clip(0.25 + a * k, 0.0, None)))
    return np.asarray(np.clip(c, -1.0, 1.0))


def dirac_majorana_observables(
    m_n: float, m_parent: float, m_lepton_production: float, m_lepton_decay: float, m_meson: float
) -> dict[str, dict[str, float]]:
    """Observables separating Dirac from Majorana HNLs made in P⁺ → ℓ⁺ N and seen in N → ℓ π.

    For each hypothesis: ``"lnv_over_lnc"`` = Γ(N → ℓ⁺ π⁻)/Γ(N → ℓ⁻ π⁺) (same-sign over opposite-sign lepton
    pairs relative to the production lepton: 0 Dirac, 1 Majorana at tree level), ``"afb_minus"`` and
    ``"afb_plus"``: A_FB of the ℓ⁻ and ℓ⁺ channels, ``"afb_summed"``: A_FB of all charged leptons together
    (−αP/2 for Dirac, 0 for Majorana). ``"polarisation"`` and ``"alpha"`` are the inputs P and α.
    """
    pol = float(polarisation_two_body(m_n, m_parent, m_lepton_production))
    alpha = float(analysing_power(m_n, m_lepton_decay, m_meson))
    if not (np.isfinite(pol) and np.isfinite(alpha)):
        raise ConfigError(f"m_n = {m_n!r} GeV: production P → ℓ N or decay N → ℓ π is closed for these masses")
    minus = float(forward_backward_asymmetry(pol, alpha, -1))
    plus = float(forward_backward_asymmetry(pol, alpha, +1))
    common = {"polarisation": pol, "alpha": alpha}
    return {
        "dirac": {**common, "lnv_over_lnc": 0.0, "afb_minus": minus, "afb_plus": float("nan"), "afb_summed": minus},
        "majorana": {**common, "lnv_over_lnc": 1.0, "afb_minus": minus, "afb_plus": plus, "afb_summed": 0.0},
    }
