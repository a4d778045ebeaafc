"""Regenerate src/darkbeam/data/models/scalar_hadronic.csv: Higgs-portal scalar S → ππ and S → KK̄ widths.

Method (written for DarkBeam from the physics; see src/darkbeam/data/models/README.md):

1. I = 0 S-wave ππ/KK̄ T-matrix input in three energy regions:
   * 2m_π < √s < 0.85 GeV: ππ phase δ₁ of the dispersive GKPY "CFD" parametrisation (R. García-Martín,
     R. Kamiński, J. R. Peláez, J. Ruiz de Elvira, F. J. Ynduráin, PRD 83 (2011) 074004, Eq. 6 / Table II); the
     ππ → KK̄ modulus |M₂₁| below the KK̄ threshold (not measurable; enters via Watson's theorem) from the
     leading-order chiral unitary amplitude of J. A. Oller and E. Oset, NPA 620 (1997) 438 (f = 92.4 MeV, cutoff
     q_max = 1.03 GeV; loop function of Oller, Oset, Peláez, PRD 59 (1999) 074001, App. A).
   * 0.932 GeV < √s < √s_m = 1.3 GeV: the two-channel K-matrix fit to ππ → ππ data of R. Kamiński, J. R. Peláez,
     F. J. Ynduráin, PRD 77 (2008) 054015, App. A ("UFD" S0 wave, valid 0.932-1.42 GeV):
     K_ij = α_iα_j/(M₁² − s) + β_iβ_j/(M₂² − s) + γ_ij, α = (0.843, 0.2), β = (1.02, 1.33),
     γ₁₁ = 3.10, γ₁₂ = 1.82, γ₂₂ = −7.00, M₁ = 0.888 GeV, M₂ = 1.327 GeV, T̃ = K(1 − i k K)⁻¹ with k the channel
     momenta (k_K = i|k_K| below threshold), i.e. M = 8π√s T̃ in this script's normalisation S = 1 + 2iρ^{1/2}Mρ^{1/2}.
     The off-diagonal sign is flipped (a KK̄ state-phase convention) to match the LO ChPT / Oller-Oset convention in
     which the s = 0 normalisations below are given. This is the step that fixes the KK̄ width and, in part, the
     f₀(980) dip (see README "Accuracy"): it replaces the chiral unitary amplitude, whose f₀(980) pole sits at
     984 − 20i MeV (Roy equations: 996 − 25i MeV, García-Martín et al., PRL 107 (2011) 072001) and whose KK̄ phase
     and inelasticity above 1.1 GeV are not constrained by data.
   * 0.85-0.932 GeV: δ₁ a straight line in √s between the two (the K-matrix has a narrow unphysical 180° rotation
     at 0.924 GeV, below its range); |M₂₁| below the KK̄ threshold: chiral unitary below 0.85 GeV, K-matrix above
     0.95 GeV, straight line in between (the K-matrix's sub-threshold ππ → KK̄ element has a zero-pole pair there).
   √s_m = 1.3 GeV is below the region where ππ → 4π inelasticity (f₀(1370), f₀(1500)) makes a two-channel
   description fail; the K-matrix fit itself extends to 1.42 GeV (with √s_m = 1.42 GeV the KK̄ width drops to
   0.64-0.97 × Winkler's at 1.02-1.9 GeV, a measure of this systematic).
2. Above √s_m the phases δ₁ (ππ), δ₂ (KK̄) and the inelasticity η are continued to their asymptotic values
   δ₁ → 2π, δ₂ → 0, η → 1 with δ(s) = δ_∞ + (δ(s_m) − δ_∞) · 2/(1 + (s/s_m)^{3/2}) (B. Moussallam, EPJC 14 (2000) 111,
   Sec. 3), so that each Omnès-matrix element falls like 1/s.
3. Coupled-channel Omnès matrix Ω(s), the boundary values solving the unsubtracted dispersion relation
   Ω(s) = (1/π) ∫ ds' Im Ω(s')/(s' − s) with Im Ω = M* ρ Ω and the normalisation Ω(0) = 1 (this selects the canonical
   solution falling like 1/s) (Donoghue, Gasser, Leutwyler, Nucl. Phys. B343
   (1990) 341; Moussallam 2000), discretised with piecewise-linear Im Ω and exact principal-value weights, solved by
   linear least squares.
4. Scalar form factors in the unitary normalisation F = (√(3/2) F_π, √2 F_K): Γ(s) = Ω(s)Γ(0), Δ(s) = Ω(s)Δ(0),
   θ(s) = Ω(s)[θ(0) + s(θ'(0) − Ω'(0)θ(0))], with the leading-order ChPT normalisations Γ_π(0) = m_π², Γ_K(0) = m_π²/2,
   Δ_π(0) = 0, Δ_K(0) = m_K² − m_π²/2, θ_P(0) = 2m_P², θ'_P(0) = 1 (M. W. Winkler, PRD 99 (2019) 015018,
   arXiv:1809.01876, Sec. II and App. A; Donoghue, Gasser, Leutwyler 1990).
5. Output: |G_P|² with G_P = (2/9) θ_P + (7/9)(Γ_P + Δ_P) (Winkler Eqs. 7-8); the package computes
   Γ(S → ππ) = 3 β_π |G_π|²/(32π v² m_S) (π⁺π⁻ + π⁰π⁰), Γ(S → KK̄) = β_K |G_K|²/(8π v² m_S) (K⁺K⁻ + K⁰K̄⁰).

Run: python scripts/scalar_form_factors.py  (≈ 10 s on one core; writes the CSV next to the package data README).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

M_PI = 0.13957039  # charged pion [GeV] (PDG 2024)
M_K = 0.495644  # isospin-averaged kaon mass [GeV] (PDG 2024: (m_K± + m_K0)/2)
F_PI = 0.0924  # pion decay constant [GeV], f_π ≈ 92.4 MeV normalisation (Oller-Oset)
Q_MAX = 1.03  # loop cutoff [GeV] (Oller-Oset 1997)
SQRT_SM = 1.3  # upper end of the two-channel T-matrix input [GeV] (start of the asymptotic continuation)
V_HIGGS = (math.sqrt(2.0) * 1.1663788e-5) ** -0.5
OUT = Path(__file__).resolve().parents[1] / "src" / "darkbeam" / "data" / "models" / "scalar_hadronic.csv"

#: Kamiński-Peláez-Ynduráin 2008 (PRD 77, 054015, App. A, UFD set) S0-wave K-matrix: α_i, β_i, (γ₁₁, γ₁₂, γ₂₂),
#: pole masses M₁, M₂ [GeV]; lower end of its validity 0.932 GeV
KPY_ALPHA = (0.843, 0.2)
KPY_BETA = (1.02, 1.33)
KPY_GAMMA = (3.10, 1.82, -7.00)
KPY_M1, KPY_M2 = 0.888, 1.327
SQRT_KPY_MIN = 0.932


def _sigma(s: np.ndarray, m: float) -> np.ndarray:
    return np.sqrt(1.0 - 4.0 * m * m / (s + 1e-14j))


def loop(s: np.ndarray, m: float) -> np.ndarray:
    """Cutoff-regularised two-meson loop G(s) (Im G = −σ/16π above threshold)."""
    a = math.sqrt(1.0 + m * m / Q_MAX**2)
    sg = _sigma(s, m)
    value = sg * np.log((sg * a + 1.0) / (sg * a - 1.0)) - 2.0 * math.log(Q_MAX / m * (1.0 + a))
    return np.asarray(value / (16 * math.pi**2))


def amplitude_chiral(s: np.ndarray) -> np.ndarray:
    """Oller-Oset I = 0 S-wave amplitude M(s), shape (..., 2, 2) (used only for |M₂₁| below 0.932 GeV)."""
    v = np.zeros((*s.shape, 2, 2), dtype=complex)
    v[..., 0, 0] = (2 * s - M_PI**2) / (2 * F_PI**2)
    v[..., 0, 1] = v[..., 1, 0] = math.sqrt(3.0) * s / (4 * F_PI**2)
    v[..., 1, 1] = 3 * s / (4 * F_PI**2)
    g = np.zeros_like(v)
    g[..., 0, 0] = loop(s, M_PI)
    g[..., 1, 1] = loop(s, M_K)
    return np.asarray(np.linalg.solve(np.eye(2) + v @ g, v))


def amplitude_kpy(s: np.ndarray) -> np.ndarray:
    """Kamiński-Peláez-Ynduráin 2008 two-channel K-matrix amplitude M(s) (docstring step 1), shape (..., 2, 2)."""
    s = np.asarray(s, dtype=float)
    gam = np.array([[KPY_GAMMA[0], KPY_GAMMA[1]], [KPY_GAMMA[1], KPY_GAMMA[2]]])
    alpha, beta = np.array(KPY_ALPHA), np.array(KPY_BETA)
    kmat = (
        np.outer(alpha, alpha) / (KPY_M1**2 - s)[..., None, None]
        + np.outer(beta, beta) / (KPY_M2**2 - s)[..., None, None]
        + gam
    )
    k_pi = np.sqrt(np.clip(s / 4 - M_PI**2, 0.0, None)) + 0j
    q2 = s / 4 - M_K**2
    k_k = np.where(q2 >= 0, np.sqrt(np.abs(q2)) + 0j, 1j * np.sqrt(np.abs(q2)))
    kk = np.zeros((*s.shape, 2, 2), dtype=complex)
    kk[..., 0, 0] = k_pi
    kk[..., 1, 1] = k_k
    t = kmat @ np.linalg.inv(np.eye(2) - 1j * kk @ kmat)
    t = t * np.array([[1.0, -1.0], [-1.0, 1.0]])  # KK̄ state phase as in LO ChPT / Oller-Oset
    return np.asarray(8 * math.pi * np.sqrt(s)[..., None, None] * t)


def rho(s: np.ndarray) -> np.ndarray:
    r = np.zeros((*s.shape, 2))
    r[..., 0] = np.sqrt(np.clip(1 - 4 * M_PI**2 / s, 0, None)) / (16 * math.pi)
    r[..., 1] = np.sqrt(np.clip(1 - 4 * M_K**2 / s, 0, None)) / (16 * math.pi)
    return r


def phases_at(s_m: float) -> tuple[float, float, float]:
    """(δ₁, δ₂, η) of the K-matrix amplitude at s_m > 4m_K², δ₁ on its physical branch (π, 2π) above 1 GeV."""
    arr = np.array([s_m])
    m = amplitude_kpy(arr)[0]
    r = rho(arr)[0]
    s11 = 1 + 2j * r[0] * m[0, 0]
    s22 = 1 + 2j * r[1] * m[1, 1]
    d1 = float(np.angle(s11) / 2) % math.pi + math.pi
    return d1, float(np.angle(s22) / 2), float(abs(s11))


#: GKPY "CFD" parametrisation of δ₀⁰ below 0.85 GeV (R. García-Martín, R. Kamiński, J. R. Peláez, J. Ruiz de Elvira,
#: F. J. Ynduráin, PRD 83 (2011) 074004, Eq. 6 and Table II): B₀..B₃ and z₀ = m_π
GKPY_B = (7.14, -25.3, -33.2, -26.2)
#: √s below which the GKPY phase is used [GeV]; linear blend into the K-matrix phase up to SQRT_KPY_MIN
SQRT_BLEND = 0.85
#: √s above which |M₂₁| below the KK̄ threshold is the K-matrix one [GeV] (see k_matrix)
SQRT_M21_KPY = 0.95


def delta_gkpy(s: np.ndarray) -> np.ndarray:
    """δ₀⁰(s) [rad] of the GKPY CFD parametrisation (valid 2m_π < √s < 0.85 GeV)."""
    s0 = 4 * M_K**2
    rs = np.sqrt(s)
    k = np.sqrt(np.clip(s / 4 - M_PI**2, 1e-30, None))
    w = (rs - np.sqrt(s0 - s)) / (rs + np.sqrt(s0 - s))
    poly = M_PI / rs + GKPY_B[0] + GKPY_B[1] * w + GKPY_B[2] * w**2 + GKPY_B[3] * w**3
    cot = rs / (2 * k) * M_PI**2 / (s - M_PI**2 / 2) * poly
    return np.asarray(np.arctan2(1.0, cot))


def _m_from_phases(d1: np.ndarray, d2: np.ndarray, eta: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Two-channel M from δ₁, δ₂, η: S₁₁ = ηe^{2iδ₁}, S₂₂ = ηe^{2iδ₂}, S₁₂ = i(1 − η²)^{1/2}e^{i(δ₁+δ₂)}."""
    s11 = eta * np.exp(2j * d1)
    s22 = eta * np.exp(2j * d2)
    s12 = 1j * np.sqrt(np.clip(1 - eta**2, 0.0, None)) * np.exp(1j * (d1 + d2))
    mh = np.zeros((d1.size, 2, 2), dtype=complex)
    mh[:, 0, 0] = (s11 - 1) / (2j * r[:, 0])
    mh[:, 1, 1] = (s22 - 1) / (2j * r[:, 1])
    mh[:, 0, 1] = mh[:, 1, 0] = s12 / (2j * np.sqrt(r[:, 0] * r[:, 1]))
    return mh


def k_matrix(s: np.ndarray) -> np.ndarray:
    """K = M* ρ (so that Im Ω = K Ω) from the input of the module docstring, steps 1-2.

    Below the KK̄ threshold (Watson's theorem): K₁₁ = e^{−iδ₁} sin δ₁ and K₂₁ = |M₂₁| ρ₁ e^{−iδ₁}, with δ₁ blended
    linearly between 0.85 GeV (GKPY) and 0.932 GeV (K-matrix), and |M₂₁| from the chiral unitary amplitude below
    0.85 GeV, from the K-matrix above SQRT_M21_KPY, linearly interpolated in √s in between: the K-matrix was fitted to
    ππ → ππ only and its sub-threshold ππ → KK̄ element has a zero-pole pair at 0.915-0.93 GeV (no data constrain it).
    """
    s_m = SQRT_SM**2
    out = np.zeros((*s.shape, 2, 2), dtype=complex)
    r = rho(s)
    rs = np.sqrt(s)
    mid = (rs >= 2 * M_K) & (s <= s_m)
    out[mid] = np.conj(amplitude_kpy(s[mid])) * r[mid][:, None, :]
    sub = rs < 2 * M_K
    s_sub, rs_sub = s[sub], rs[sub]
    r_sub = rho(s_sub)
    m_kpy = amplitude_kpy(s_sub)
    d_kpy = np.angle(1 + 2j * r_sub[:, 0] * m_kpy[:, 0, 0]) / 2 % math.pi
    # between 0.85 and 0.932 GeV: straight line in √s from δ_GKPY(0.85) to δ_K-matrix(0.932) (the K-matrix has a
    # narrow unphysical 180° rotation at 0.924 GeV, just below its stated range)
    d_lo = float(delta_gkpy(np.array(SQRT_BLEND**2)))
    arr_k = np.array([SQRT_KPY_MIN**2])
    d_hi = float(np.angle(1 + 2j * rho(arr_k)[0, 0] * amplitude_kpy(arr_k)[0, 0, 0]) / 2 % math.pi)
    lam = np.clip((rs_sub - SQRT_BLEND) / (SQRT_KPY_MIN - SQRT_BLEND), 0.0, 1.0)
    d_hyb = np.where(
        rs_sub < SQRT_BLEND,
        delta_gkpy(np.where(rs_sub < SQRT_BLEND, s_sub, SQRT_BLEND**2)),
        np.where(rs_sub < SQRT_KPY_MIN, d_lo + lam * (d_hi - d_lo), d_kpy),
    )
    m21_lo = float(np.abs(amplitude_chiral(np.array([SQRT_BLEND**2]))[0, 1, 0]))
    m21_hi = float(np.abs(amplitude_kpy(np.array([SQRT_M21_KPY**2]))[0, 1, 0]))
    bridge = m21_lo + (m21_hi - m21_lo) * (rs_sub - SQRT_BLEND) / (SQRT_M21_KPY - SQRT_BLEND)
    m21 = np.where(
        rs_sub < SQRT_BLEND,
        np.abs(amplitude_chiral(s_sub)[:, 1, 0]),
        np.where(rs_sub < SQRT_M21_KPY, bridge, np.abs(m_kpy[:, 1, 0])),
    )
    out[sub, 0, 0] = np.exp(-1j * d_hyb) * np.sin(d_hyb)
    out[sub, 1, 0] = m21 * r_sub[:, 0] * np.exp(-1j * d_hyb)
    hi = s > s_m
    d1m, d2m, etam = phases_at(s_m)
    f = 2.0 / (1.0 + (s[hi] / s_m) ** 1.5)
    d1 = 2 * math.pi + (d1m - 2 * math.pi) * f
    d2 = d2m * f
    eta = 1.0 - (1.0 - etam) * f
    out[hi] = np.conj(_m_from_phases(d1, d2, eta, r[hi])) * r[hi][:, None, :]
    return out


def pv_weights(nodes: np.ndarray, c: np.ndarray) -> np.ndarray:
    """W[i, j] = PV ∫ hat_j(s')/(s' − c_i) ds' for piecewise-linear hat functions on ``nodes``."""
    a, b = nodes[:-1], nodes[1:]
    h = b - a
    cc = c[:, None]

    def slog(x: np.ndarray) -> np.ndarray:
        ax = np.abs(x)
        return np.where(ax > 0, np.log(np.where(ax > 0, ax, 1.0)), 0.0)

    big_l = slog(b - cc) - slog(a - cc)
    left = (-(h) + (b - cc) * big_l) / h  # weight on node a of each segment
    right = (h + (cc - a) * big_l) / h  # weight on node b
    w = np.zeros((c.size, nodes.size))
    w[:, :-1] += left
    w[:, 1:] += right
    return w


def solve_omnes() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes s [GeV²], Ω(s) (n, 2, 2) on the cut, Ω'(0) (2, 2)."""
    s_th = 4 * M_PI**2
    e_dense = np.concatenate(
        [
            2 * M_PI + np.geomspace(1e-5, 0.02, 40),
            np.arange(2 * M_PI + 0.021, 2.6, 0.003),
        ]
    )
    e_dense = np.sort(np.concatenate([e_dense, 2 * M_K + np.geomspace(1e-5, 0.02, 40)]))
    e_tail = np.geomspace(2.62, 100.0, 140)
    nodes = np.concatenate([[s_th], e_dense**2, e_tail**2])
    n = nodes.size
    # unsubtracted: Re Ω(s_i) = (1/π) PV ∫ Im Ω/(s' − s_i); normalisation Ω(0) = (1/π) ∫ Im Ω/s' = 1 (extra rows)
    w = pv_weights(nodes, nodes) / math.pi
    w_zero = pv_weights(nodes, np.zeros(1))[0] / math.pi
    kmat = k_matrix(np.where(nodes > s_th, nodes, s_th * (1 + 1e-12)))
    kmat[0] = 0.0
    omega = np.zeros((n, 2, 2), dtype=complex)
    eye_n = np.eye(n)
    # unknowns: Im Ω_{ab}(s_j), a = 0, 1, at fixed column b; rows: K (Re Ω + i Im Ω) − Im Ω = 0 (complex)
    blocks_re = []
    blocks_im = []
    for a in range(2):
        row_re = []
        row_im = []
        for c in range(2):
            blk = kmat[:, a, c][:, None] * (w + 1j * eye_n)
            if a == c:
                blk = blk - eye_n
            row_re.append(blk.real)
            row_im.append(blk.imag)
        blocks_re.append(np.hstack(row_re))
        blocks_im.append(np.hstack(row_im))
    norm_rows = np.zeros((2, 2 * n))
    norm_rows[0, :n] = w_zero
    norm_rows[1, n:] = w_zero
    scale = 1e3
    mat = np.vstack([*blocks_re, *blocks_im, scale * norm_rows])
    for col in range(2):
        rhs = np.zeros(mat.shape[0])
        rhs[4 * n + col] = scale
        sol, *_ = np.linalg.lstsq(mat, rhs, rcond=None)
        im = sol.reshape(2, n)
        re = im @ w.T
        omega[:, :, col] = (re + 1j * im).T
    # Ω'(0) = (1/π) ∫ Im Ω(s')/s'² ds' (trapezoid on the nodes)
    d0 = np.trapezoid(omega.imag / nodes[:, None, None] ** 2, nodes, axis=0) / math.pi
    return nodes, omega, d0


def form_factors(
    mass: np.ndarray, nodes: np.ndarray, omega: np.ndarray, d0: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """|G_π(m²)|², |G_K(m²)|² [GeV⁴] (Winkler Eqs. 7-8) from the Omnès matrix on ``nodes``."""
    s = mass**2
    om = np.zeros((mass.size, 2, 2), dtype=complex)
    for a in range(2):
        for b in range(2):
            om[:, a, b] = np.interp(s, nodes, omega[:, a, b].real) + 1j * np.interp(s, nodes, omega[:, a, b].imag)
    norm = np.array([math.sqrt(1.5), math.sqrt(2.0)])
    gam0 = norm * np.array([M_PI**2, M_PI**2 / 2])
    del0 = norm * np.array([0.0, M_K**2 - M_PI**2 / 2])
    th0 = norm * np.array([2 * M_PI**2, 2 * M_K**2])
    th1 = norm * np.array([1.0, 1.0])
    gam = om @ gam0
    dlt = om @ del0
    tht = np.einsum("nab,nb->na", om, th0[None, :] + s[:, None] * (th1 - d0 @ th0)[None, :])
    g = (2.0 / 9.0) * tht + (7.0 / 9.0) * (gam + dlt)
    g_pi = g[:, 0] / norm[0]
    g_k = g[:, 1] / norm[1]
    return np.abs(g_pi) ** 2, np.abs(g_k) ** 2


def widths(mass: np.ndarray, g_pi2: np.ndarray, g_k2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Γ(S → ππ), Γ(S → KK̄) [GeV] at sin θ = 1 from |G_π|², |G_K|² (isospin-averaged masses)."""
    s = mass**2
    beta_pi = np.sqrt(np.clip(1 - 4 * M_PI**2 / s, 0, None))
    beta_k = np.sqrt(np.clip(1 - 4 * M_K**2 / s, 0, None))
    return (
        3 * beta_pi * g_pi2 / (32 * math.pi * V_HIGGS**2 * mass),
        beta_k * g_k2 / (8 * math.pi * V_HIGGS**2 * mass),
    )


def main() -> None:
    nodes, omega, d0 = solve_omnes()
    mass = np.round(
        np.concatenate(
            [
                np.arange(0.27, 0.95, 0.005),
                np.arange(0.95, 1.1, 0.001),
                np.arange(1.1, 2.1001, 0.005),
            ]
        ),
        6,
    )
    g_pi2, g_k2 = form_factors(mass, nodes, omega, d0)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Higgs-portal scalar: |G_pi(m^2)|^2 and |G_K(m^2)|^2 of Winkler (arXiv:1809.01876) Eqs. 7-8, from",
        "# scripts/scalar_form_factors.py (GKPY + KPY08 K-matrix input, coupled-channel Omnes; data/models/README.md).",
        "# Below the isospin-averaged thresholds (2 x 0.13957, 2 x 0.495644 GeV) the threshold value is repeated.",
        "# columns: m_S [GeV], |G_pi|^2 [GeV^4], |G_K|^2 [GeV^4]",
        "m_S,G_pi_sq,G_K_sq",
    ]
    lines += [f"{m:.4f},{a:.6e},{b:.6e}" for m, a, b in zip(mass, g_pi2, g_k2, strict=True)]
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT} ({mass.size} rows); Omega'(0) = {d0.real.tolist()} GeV^-2")


if __name__ == "__main__":
    main()
