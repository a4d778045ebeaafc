"""Neutrino upscattering ν_μ T → N T: DarkNews 0.4.8 comparison, explicit-spinor checks, closed-form limits.

DarkNews reference numbers (A.M. Abdullahi et al., arXiv:2207.04137; DarkNews 0.4.8 from PyPI, run on
2026-11-21 in a separate virtual environment with ``UpscatteringProcess(numu, neutrino4, NuclearTarget(nuc),
regime, model, helicity).total_xsec(E, NINT=20, NEVAL=20000, NINT_warmup=10, NEVAL_warmup=2000, seed=42)``,
statistical precision ≈ 0.2 %). Benchmarks (DarkNews ``ThreePortalModel`` parameters):

* light Z′ (DarkNews README example point): mzprime = 0.03 GeV, m4 = 0.420 GeV, Umu4 = 1e-3, UD4 = 1, gD = 1,
  epsilon = 1e-3, HNLtype = "dirac";
* dipole: m4 = 0.1 GeV, mu_tr_mu4 = 1e-6 GeV⁻¹ (d = 5e-7 GeV⁻¹ in DarkBeam's convention), no Z′ couplings.

Cross sections are per nucleus in cm² (proton-elastic: Z × σ(ν p → N p)).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam.errors import ConfigError, KinematicsError, UnknownNameError
from darkbeam.interactions.nuclear import M_PROTON, nucleon_f1_f2
from darkbeam.interactions.upscattering import (
    E_CHARGE,
    GEV2_TO_CM2,
    DipolePortal,
    ZPrimePortal,
    dsigma_dq2,
    q2_range,
    sample_upscattering,
    squared_amplitude,
    target,
    threshold_energy,
    total_cross_section,
)
from darkbeam.units import ALPHA_EM

ZP = ZPrimePortal.from_darknews(mzprime=0.03, epsilon=1e-3, gD=1.0, Umu4=1e-3, UD4=1.0)
DP = DipolePortal.from_darknews(mu_tr=1e-6)
MASS = {"zprime": 0.42, "dipole": 0.1}

# (benchmark, nucleus, regime, E_ν [GeV], σ helicity-conserving, σ helicity-flipping) [cm²], DarkNews 0.4.8 Dirac
DARKNEWS = [
    ("zprime", "C12", "coherent", 0.75, 9.09157e-40, 4.64042e-43),
    ("zprime", "C12", "coherent", 1.0, 3.57051e-39, 3.92701e-43),
    ("zprime", "C12", "coherent", 2.0, 2.41415e-38, 9.36221e-44),
    ("zprime", "C12", "coherent", 5.0, 7.28434e-38, 6.67482e-45),
    ("zprime", "C12", "p-el", 0.75, 4.69288e-40, 1.06963e-41),
    ("zprime", "C12", "p-el", 1.0, 1.19849e-39, 6.92605e-42),
    ("zprime", "C12", "p-el", 2.0, 5.25570e-39, 2.05313e-42),
    ("zprime", "C12", "p-el", 5.0, 1.38984e-38, 3.27017e-43),
    ("zprime", "Ar40", "coherent", 0.75, 2.18105e-39, 5.52703e-43),
    ("zprime", "Ar40", "coherent", 1.0, 1.54084e-38, 9.16867e-43),
    ("zprime", "Ar40", "coherent", 2.0, 1.68561e-37, 3.56370e-43),
    ("zprime", "Ar40", "coherent", 5.0, 5.87429e-37, 2.27174e-44),
    ("zprime", "Ar40", "p-el", 0.75, 1.40786e-39, 3.20889e-41),
    ("zprime", "Ar40", "p-el", 1.0, 3.59546e-39, 2.07782e-41),
    ("zprime", "Ar40", "p-el", 2.0, 1.57671e-38, 6.15938e-42),
    ("zprime", "Ar40", "p-el", 5.0, 4.16953e-38, 9.81052e-43),
    ("dipole", "C12", "coherent", 0.3, 2.69914e-42, 2.64688e-40),
    ("dipole", "C12", "coherent", 1.0, 2.53429e-43, 5.15446e-40),
    ("dipole", "C12", "coherent", 2.0, 6.37084e-44, 6.57903e-40),
    ("dipole", "C12", "coherent", 5.0, 1.02179e-44, 8.45651e-40),
    ("dipole", "C12", "p-el", 0.3, 6.46317e-43, 7.47689e-41),
    ("dipole", "C12", "p-el", 1.0, 6.98393e-44, 1.28797e-40),
    ("dipole", "C12", "p-el", 2.0, 1.74864e-44, 1.54985e-40),
    ("dipole", "C12", "p-el", 5.0, 2.78184e-45, 1.87660e-40),
    ("dipole", "Ar40", "coherent", 0.3, 2.31462e-41, 1.83697e-39),
    ("dipole", "Ar40", "coherent", 1.0, 2.26844e-42, 4.02740e-39),
    ("dipole", "Ar40", "coherent", 2.0, 5.72697e-43, 5.30204e-39),
    ("dipole", "Ar40", "coherent", 5.0, 9.19640e-44, 6.98887e-39),
    ("dipole", "Ar40", "p-el", 0.3, 1.93895e-42, 2.24307e-40),
    ("dipole", "Ar40", "p-el", 1.0, 2.09518e-43, 3.86391e-40),
    ("dipole", "Ar40", "p-el", 2.0, 5.24593e-44, 4.64955e-40),
    ("dipole", "Ar40", "p-el", 5.0, 8.34552e-45, 5.62979e-40),
]


@pytest.mark.parametrize(("kind", "nuc", "regime", "energy", "sigma_cons", "sigma_flip"), DARKNEWS)
def test_total_cross_section_matches_darknews(
    kind: str, nuc: str, regime: str, energy: float, sigma_cons: float, sigma_flip: float
) -> None:
    """The issue's criterion: σ(E_ν) within 3 % of DarkNews 0.4.8, for the sum and for each helicity.

    DarkNews treats a nucleus as a point Dirac fermion with F₁ = F_charge (``coherent_current="dirac"``); with
    that option every number agrees within 3 %. With DarkBeam's default spin-0 current (right for the 0⁺
    ground states of ¹²C and ⁴⁰Ar) only the helicity-flipping light-Z′ coherent rate, ≲ 1e-3 of the total,
    moves (by up to −11 % at 5 GeV): asserted within 15 % there; the totals stay within 3 %.
    """
    rng = np.random.default_rng(7)
    portal = ZP if kind == "zprime" else DP
    for current in ("dirac", "spin0"):
        tgt = target(nuc, regime, coherent_current=current)
        cons = float(total_cross_section(energy, MASS[kind], tgt, portal, rng, helicity="conserving"))
        flip = float(total_cross_section(energy, MASS[kind], tgt, portal, rng, helicity="flipping"))
        # issue criterion 3 %; in DarkNews' own convention we hold 1 % (measured: ≤ 0.15 %)
        tol = 0.01 if current == "dirac" else 0.03
        assert cons + flip == pytest.approx(sigma_cons + sigma_flip, rel=tol)
        assert cons == pytest.approx(sigma_cons, rel=tol)
        loose = current == "spin0" and (kind, regime) == ("zprime", "coherent")
        assert flip == pytest.approx(sigma_flip, rel=0.15 if loose else tol)


def test_majorana_equals_dirac_for_upscattering() -> None:
    """DarkNews' separate Majorana expressions give the same total σ as Dirac within 0.7 % (run 2026-11-21:
    C12 coherent Z′ at 0.75 GeV: Majorana/Dirac = 1.0062; dipole: 1.0000); DarkBeam has one formula for both."""
    rng = np.random.default_rng(3)
    maj_over_dirac_darknews = 1.0062
    sigma = float(total_cross_section(0.75, 0.42, target("C12"), ZP, rng))
    assert sigma == pytest.approx((9.09157e-40 + 4.64042e-43) * maj_over_dirac_darknews, rel=0.03)


# ------------------------------------------------------------------------------ explicit Dirac-spinor checks
_I2 = np.eye(2)
_PAULI = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex)]
_G0 = np.block([[_I2, 0 * _I2], [0 * _I2, -_I2]]).astype(complex)
_GAMMA = [_G0] + [np.block([[0 * _I2, s], [-s, 0 * _I2]]) for s in _PAULI]
_G5 = np.block([[0 * _I2, _I2], [_I2, 0 * _I2]]).astype(complex)
_PL = 0.5 * (np.eye(4) - _G5)
_METRIC = np.diag([1.0, -1.0, -1.0, -1.0])


def _slash(p: np.ndarray) -> np.ndarray:
    return sum(_METRIC[mu, mu] * p[mu] * _GAMMA[mu] for mu in range(4))  # type: ignore[no-any-return]


def _sigma(mu: int, nu: int) -> np.ndarray:
    return 0.5j * (_GAMMA[mu] @ _GAMMA[nu] - _GAMMA[nu] @ _GAMMA[mu])  # type: ignore[no-any-return]


def _helicity_spinor(p4: np.ndarray, mass: float, h: int) -> np.ndarray:
    """Dirac-representation spinor u(p, h) of helicity h = ±1 along p (normalised ūu = 2m)."""
    p3 = p4[1:]
    pabs = np.linalg.norm(p3)
    n = p3 / pabs
    theta, phi = math.acos(np.clip(n[2], -1, 1)), math.atan2(n[1], n[0])
    if h > 0:
        chi = np.array([math.cos(theta / 2), np.exp(1j * phi) * math.sin(theta / 2)])
    else:
        chi = np.array([-np.exp(-1j * phi) * math.sin(theta / 2), math.cos(theta / 2)])
    e = p4[0]
    return np.concatenate([math.sqrt(e + mass) * chi, h * pabs / math.sqrt(e + mass) * chi])


def _cm_kinematics(e_nu: float, q2: float, m_n: float, m: float) -> tuple[np.ndarray, ...]:
    s = m * m + 2 * m * e_nu
    rs = math.sqrt(s)
    e1 = (s - m * m) / (2 * rs)
    e3 = (s + m_n**2 - m * m) / (2 * rs)
    p3 = math.sqrt((s - (m_n + m) ** 2) * (s - (m - m_n) ** 2)) / (2 * rs)
    cos = (e3 - (m_n**2 + q2) / (2 * e1)) / p3
    sin = math.sqrt(1 - cos * cos)
    k = np.array([e1, 0, 0, e1])
    p = np.array([math.sqrt(e1**2 + m * m), 0, 0, -e1])
    kp = np.array([e3, p3 * sin * math.cos(0.3), p3 * sin * math.sin(0.3), p3 * cos])
    pp = k + p - kp
    return k, p, kp, pp


def _explicit_m2(
    e_nu: float, q2: float, m_n: float, m: float, vertex: str, h: int, hadron: str
) -> float:
    """|M|² from explicit spinors: lepton current ū_N(h) Γ^μ P_L u_ν(−) times hadron current, unit couplings."""
    k, p, kp, pp = _cm_kinematics(e_nu, q2, m_n, m)
    u_nu = _helicity_spinor(k, 0.0, -1)
    ubar_n = _helicity_spinor(kp, m_n, h).conj() @ _G0
    q = k - kp
    qlow = _METRIC @ q
    if vertex == "vector":
        lep = np.array([ubar_n @ _GAMMA[mu] @ _PL @ u_nu for mu in range(4)])
    else:
        lep = np.array([sum(ubar_n @ _sigma(mu, nu) @ _PL @ u_nu * qlow[nu] for nu in range(4)) for mu in range(4)])
    lep_low = _METRIC @ lep
    if hadron == "scalar":
        return float(abs(lep_low @ (p + pp)) ** 2)
    f1, f2 = (float(x) for x in nucleon_f1_f2(q2, "proton"))
    total = 0.0
    qh = pp - p
    qh_low = _METRIC @ qh
    for s_in in (-1, 1):
        u_p = _helicity_spinor(p, m, s_in)
        for s_out in (-1, 1):
            ubar_pp = _helicity_spinor(pp, m, s_out).conj() @ _G0
            cur = np.array(
                [
                    ubar_pp
                    @ (f1 * _GAMMA[mu] + 1j * f2 / (2 * m) * sum(_sigma(mu, nu) * qh_low[nu] for nu in range(4)))
                    @ u_p
                    for mu in range(4)
                ]
            )
            total += abs(lep_low @ cur) ** 2
    return 0.5 * total


@pytest.mark.parametrize("vertex", ["vector", "dipole"])
@pytest.mark.parametrize("hadron", ["scalar", "nucleon"])
@pytest.mark.parametrize(("e_nu", "m_n", "frac"), [(1.0, 0.42, 0.3), (5.0, 0.1, 0.05), (0.8, 0.2, 0.9)])
def test_squared_amplitude_matches_explicit_spinors(
    vertex: str, hadron: str, e_nu: float, m_n: float, frac: float
) -> None:
    """Helicity-resolved L·H equals |M_h|² built from explicit helicity spinors (CM-frame helicity)."""
    m = 11.17486 if hadron == "scalar" else M_PROTON
    q2min, q2max = (float(x) for x in q2_range(e_nu, m_n, m))
    q2 = q2min * (q2max / q2min) ** frac
    if hadron == "scalar":
        a_t, b_t = 0.0, 1.0
    else:
        f1, f2 = (float(x) for x in nucleon_f1_f2(q2, "proton"))
        tau = q2 / (4 * M_PROTON**2)
        ge, gm = f1 - tau * f2, f1 + f2
        a_t, b_t = q2 * gm * gm, (ge * ge + tau * gm * gm) / (1 + tau)
    # helicity-conserving: N helicity −1 (same as ν); flipping: +1
    for hel, h in (("conserving", -1), ("flipping", 1)):
        ours = float(squared_amplitude(e_nu, q2, m_n, m, a_t, b_t, vertex, hel))  # type: ignore[arg-type]
        ref = _explicit_m2(e_nu, q2, m_n, m, vertex, h, hadron)
        assert ours == pytest.approx(ref, rel=1e-6, abs=1e-9 * max(ref, 1e-30))


# ------------------------------------------------------------------------------ closed-form limits
def test_dipole_massless_heavy_target_limit_vogel_engel() -> None:
    """m_N → 0, heavy nucleus, F = 1: dσ/dT = α (2d)² Z² (1/T − 1/E) ([VE89] Eq. (2), μ = 2d)."""
    tgt = target("Pb208", "coherent", form_factor="helm")
    d, e_nu, m_n = 1e-6, 0.05, 1e-5
    q2 = np.array([1e-7, 1e-6, 4e-6])
    t_rec = q2 / (2 * tgt.mass)
    ff = tgt.nucleus.form_factor(q2, "helm")
    ours = dsigma_dq2(e_nu, q2, m_n, tgt, DipolePortal(d)) * 2 * tgt.mass / GEV2_TO_CM2
    ref = ALPHA_EM * (2 * d) ** 2 * 82**2 * ff**2 * (1 / t_rec - 1 / e_nu)
    np.testing.assert_allclose(ours, ref, rtol=1e-3)


def test_zprime_coherent_heavy_target_limit() -> None:
    """m_N → 0: dσ/dT = g² (eεZF)² m_T (1 − T/E − m_T T/(2E²)) / (2π (2 m_T T + m_Z′²)²) (CEνNS form;
    cf. white paper 004 Eq. (23) with m_χ → 0)."""
    tgt = target("Ar40", "coherent", form_factor="helm")
    portal = ZPrimePortal(m_zprime=0.05, epsilon=1e-3, g_d=0.5, v_alpha4=1e-2, u_alpha4=0.0)
    e_nu, m_n, m = 0.3, 1e-5, tgt.mass
    q2 = np.array([1e-4, 1e-3, 1e-2])
    t_rec = q2 / (2 * m)
    ff = tgt.nucleus.form_factor(q2, "helm")
    g = portal.g_d * portal.v_alpha4
    ref = (g * E_CHARGE * 1e-3 * 18 * ff) ** 2 * m * (1 - t_rec / e_nu - m * t_rec / (2 * e_nu**2))
    ref /= 2 * math.pi * (2 * m * t_rec + 0.05**2) ** 2
    ours = dsigma_dq2(e_nu, q2, m_n, tgt, portal) * 2 * m / GEV2_TO_CM2
    np.testing.assert_allclose(ours, ref, rtol=1e-3)


def test_threshold_and_q2_range() -> None:
    m = M_PROTON
    e_th = threshold_energy(0.42, m)
    assert e_th == pytest.approx(0.42 + 0.42**2 / (2 * m))
    lo, hi = q2_range(np.array([e_th * 0.99, e_th * 1.5]), 0.42, m)
    assert np.isnan(hi[0])
    # Q² limits agree with the direct CM-frame formula −M² + 2E₁(E₃ ∓ p₃)
    s = m * m + 2 * m * e_th * 1.5
    e1, e3 = (s - m * m) / (2 * math.sqrt(s)), (s + 0.42**2 - m * m) / (2 * math.sqrt(s))
    p3 = math.sqrt(e3**2 - 0.42**2)
    assert lo[1] == pytest.approx(2 * e1 * (e3 - p3) - 0.42**2, rel=1e-9)
    assert hi[1] == pytest.approx(2 * e1 * (e3 + p3) - 0.42**2, rel=1e-12)
    assert total_cross_section(e_th * 0.999, 0.42, target("C12", "p-el"), ZP, np.random.default_rng(0)) == 0.0


@settings(max_examples=30, deadline=None)
@given(
    e_nu=st.floats(0.2, 20.0),
    frac=st.floats(-0.2, 1.2),
    m_n=st.floats(0.001, 0.15),
    dipole=st.booleans(),
    regime=st.sampled_from(["coherent", "p-el"]),
)
def test_dsigma_nonnegative_and_zero_outside(e_nu: float, frac: float, m_n: float, dipole: bool, regime: str) -> None:
    tgt = target("C12", regime)
    portal = DP if dipole else ZP
    lo, hi = (float(x) for x in q2_range(e_nu, m_n, tgt.mass))
    q2 = lo + frac * (hi - lo)
    val = float(dsigma_dq2(e_nu, max(q2, 0.0), m_n, tgt, portal))
    assert np.isfinite(val)
    assert val >= 0.0
    if not lo <= q2 <= hi:
        assert val == 0.0
    parts = sum(float(dsigma_dq2(e_nu, max(q2, 0.0), m_n, tgt, portal, h)) for h in ("conserving", "flipping"))
    assert parts == pytest.approx(val, rel=1e-9, abs=1e-300)


def test_cross_section_scales_with_couplings() -> None:
    """σ ∝ (g_D V ε)² for the Z′ (Z diagram off) and ∝ d² for the dipole (reweighting contract)."""
    tgt = target("C12")
    base = ZPrimePortal(0.03, 1e-3, 1.0, 1e-3)
    double = ZPrimePortal(0.03, 2e-3, 1.0, 1e-3)
    q2 = np.geomspace(1e-4, 0.1, 7)
    np.testing.assert_allclose(dsigma_dq2(1.0, q2, 0.42, tgt, double), 4 * dsigma_dq2(1.0, q2, 0.42, tgt, base))
    np.testing.assert_allclose(
        dsigma_dq2(1.0, q2, 0.1, tgt, DipolePortal(3e-7)), 9 * dsigma_dq2(1.0, q2, 0.1, tgt, DipolePortal(1e-7))
    )


# ------------------------------------------------------------------------------ sampler
def test_sampler_weights_estimate_cross_section_and_kinematics() -> None:
    rng = np.random.default_rng(11)
    tgt = target("Ar40")
    e = rng.uniform(0.6, 3.0, 40_000)
    ev = sample_upscattering(e, 0.42, tgt, ZP, rng)
    lo, hi = q2_range(e, 0.42, tgt.mass)
    assert np.all((ev.q2 >= lo * (1 - 1e-9)) & (ev.q2 <= hi * (1 + 1e-9)))
    assert np.all(ev.weight >= 0)
    np.testing.assert_allclose(ev.recoil_kinetic, ev.q2 / (2 * tgt.mass))
    # energy and momentum conservation: N energy + recoil = E_ν; N angle reproduces Q²
    p_n = np.sqrt(ev.e_n**2 - 0.42**2)
    np.testing.assert_allclose(-(0.42**2) + 2 * e * (ev.e_n - p_n * ev.cos_theta_n), ev.q2, rtol=1e-6, atol=1e-12)
    # Σw/n estimates the flux-averaged σ: compare with σ(E) integrated on a grid
    grid = np.linspace(0.6, 3.0, 25)
    sig = total_cross_section(grid, 0.42, tgt, ZP, rng)
    expected = float(np.trapezoid(sig, grid) / 2.4)
    mean = float(ev.weight.mean())
    err = float(ev.weight.std() / math.sqrt(e.size))
    assert err / mean < 0.01
    assert mean == pytest.approx(expected, rel=0.02)


def test_sampler_below_threshold_raises_and_zero_weights() -> None:
    rng = np.random.default_rng(0)
    tgt = target("C12", "p-el")
    with pytest.raises(KinematicsError, match="threshold"):
        sample_upscattering(np.array([0.3, 0.4]), 0.42, tgt, ZP, rng)
    ev = sample_upscattering(np.array([0.3, 2.0]), 0.42, tgt, ZP, rng)
    assert ev.weight[0] == 0.0
    assert ev.weight[1] > 0.0


def test_bad_input_raises() -> None:
    with pytest.raises(ConfigError, match="regime"):
        target("C12", "DIS")
    with pytest.raises(UnknownNameError, match="nucleus"):
        target("Xx99")
    with pytest.raises(ConfigError, match="m_zprime"):
        ZPrimePortal(-1.0, 1e-3, 1.0, 1e-3)
    with pytest.raises(ConfigError, match="m_n"):
        dsigma_dq2(1.0, 0.01, 0.0, target("C12"), ZP)
    with pytest.raises(ConfigError, match="helicity"):
        dsigma_dq2(1.0, 0.01, 0.1, target("C12"), ZP, "left")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ nuclear form factors
@pytest.mark.parametrize(("name", "rms_fm"), [("C12", 2.469), ("Ar40", 3.427)])
def test_fourier_bessel_charge_radius(name: str, rms_fm: float) -> None:
    """Small-q slope F ≈ 1 − q²⟨r²⟩/6 reproduces the rms charge radii of the Fourier-Bessel fits
    (De Vries et al., ADNDT 36 (1987) 495: ¹²C 2.469 fm, ⁴⁰Ar 3.427 fm)."""
    from darkbeam.interactions.nuclear import fourier_bessel_form_factor

    hbarc_fm = 0.1973269804
    q_fm = 0.02
    ff = float(fourier_bessel_form_factor((q_fm * hbarc_fm) ** 2, name)[()])
    r2 = 6 * (1 - ff) / q_fm**2
    assert math.sqrt(r2) == pytest.approx(rms_fm, rel=0.01)


@pytest.mark.parametrize("name", ["C12", "Ar40"])
def test_helm_close_to_fourier_bessel_at_low_q(name: str) -> None:
    """Helm (Lewin-Smith parameters) and Fourier-Bessel agree within 5 % where |F|² > 0.5 (Helm's radius
    formula c = 1.23 A^{1/3} − 0.6 fm is tuned to heavy nuclei: for ¹²C it is 3.5 % low at |F|² = 0.5)."""
    from darkbeam.interactions.nuclear import nucleus as get_nucleus

    nuc = get_nucleus(name)
    q2 = np.geomspace(1e-5, 0.02, 30)
    fb = nuc.form_factor(q2, "fourier-bessel")
    helm = nuc.form_factor(q2, "helm")
    sel = fb**2 > 0.5
    np.testing.assert_allclose(helm[sel], fb[sel], rtol=0.05)
    assert float(nuc.form_factor(np.array([0.0]))[0]) == pytest.approx(1.0)
