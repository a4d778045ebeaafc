"""Tests of the heavy-neutral-lepton model (darkbeam.models.hnl).

References: [BBGR] Bondarenko, Boyarsky, Gorbunov, Ruchayskiy, JHEP 11 (2018) 032, arXiv:1805.08567;
[GS07] Gorbunov, Shaposhnikov, JHEP 10 (2007) 015, arXiv:0705.1729; [Shrock] PRD 24 (1981) 1232.
Constants are taken from darkbeam.units / darkbeam.pdg so that the tests check the formulas, not the inputs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam import pdg
from darkbeam.errors import ConfigError
from darkbeam.models.base import MODELS
from darkbeam.models.hnl import (
    HNL,
    KL3_F_PLUS_0,
    KL3_LAMBDA_0,
    KL3_LAMBDA_PLUS,
    phase_space_i,
    width_k_to_pi0_lepton_hnl,
    width_n_to_lepton_lepton_nu,
    width_n_to_nu_lepton_lepton,
)
from darkbeam.units import F_K, F_PI, G_FERMI, HBAR, SIN2_THETA_W, V_UD, V_US

M_E, M_MU = pdg.mass(11), pdg.mass(13)
M_PI, M_PI0, M_K = pdg.mass(211), pdg.mass(111), pdg.mass(321)
GF2 = G_FERMI**2


def kallen(a: float, b: float, c: float) -> float:
    return a * a + b * b + c * c - 2 * (a * b + b * c + c * a)


# ------------------------------------------------------------------------------------------------- basics
def test_registered() -> None:
    assert MODELS["hnl"] is HNL
    assert HNL.pdg_id == pdg.DARK_PDG_IDS["hnl"] == 9900012
    assert HNL.coupling_power == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mass": -0.1, "umu2": 1e-6}, "mass"),
        ({"mass": 0.0, "umu2": 1e-6}, "mass"),
        ({"mass": float("nan"), "umu2": 1e-6}, "mass"),
        ({"mass": 0.2, "umu2": -1e-6}, "umu2"),
        ({"mass": 0.2, "ue2": float("inf")}, "ue2"),
        ({"mass": 0.2, "utau2": float("nan")}, "utau2"),
        ({"mass": 0.2}, "all 0"),
        ({"mass": 0.2, "ue2": 0.0, "umu2": 0.0, "utau2": 0.0}, "all 0"),
    ],
)
def test_invalid_configuration(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        HNL(**kwargs)


def test_majorana_flag_must_be_bool() -> None:
    with pytest.raises(ConfigError, match="majorana"):
        HNL(0.2, umu2=1e-6, majorana="yes")  # type: ignore[arg-type]


def test_scan_coupling_is_dominant_flavour() -> None:
    n = HNL(0.2, ue2=1e-7, umu2=3e-7, utau2=2e-7)
    assert n.coupling_name == "umu2"
    assert n.coupling == 3e-7
    # ties resolved e > mu > tau
    assert HNL(0.2, ue2=1e-7, umu2=1e-7).coupling_name == "ue2"
    assert HNL(0.2, umu2=1e-7, utau2=1e-7).coupling_name == "umu2"
    assert HNL(0.2, utau2=1e-7).coupling_name == "utau2"
    assert n.parameters() == {"ue2": 1e-7, "umu2": 3e-7, "utau2": 2e-7, "majorana": True}


def test_with_coupling_scales_everything_linearly() -> None:
    n = HNL(0.35, ue2=1e-7, umu2=4e-7, utau2=2e-7, majorana=False)
    m = n.with_coupling(8e-7)
    assert isinstance(m, HNL)
    assert m.coupling_name == "umu2"
    assert m.coupling == 8e-7
    assert (m.ue2, m.utau2) == pytest.approx((2e-7, 4e-7), rel=1e-12)
    assert m.majorana is False
    assert m.mass == n.mass
    assert n.coupling_scale(8e-7) == pytest.approx(2.0)
    w0, w1 = n.partial_widths(), m.partial_widths()
    assert w0.keys() == w1.keys()
    for key in w0:
        assert w1[key] == pytest.approx(2.0 * w0[key], rel=1e-12)
    assert m.ctau() == pytest.approx(n.ctau() / 2.0, rel=1e-12)
    b0, b1 = n.production_branching_ratios(), m.production_branching_ratios()
    for parent, channels in b0.items():
        for key, value in channels.items():
            assert b1[parent][key] == pytest.approx(2.0 * value, rel=1e-12)
    with pytest.raises(ConfigError, match="umu2"):
        n.with_coupling(-1.0)


# ------------------------------------------------------------------------------------- closed-form widths
@pytest.mark.parametrize(
    ("mass", "hand"),
    # hand-evaluated with G_F = 1.1663788e-5, f_pi = 0.1302, m_pi0 = 0.1349768 GeV
    [(0.2, 5.441736e-17), (0.3, 3.940055e-16), (0.4, 1.152867e-15)],
)
def test_nu_pi0_width(mass: float, hand: float) -> None:
    # [BBGR] Sec. 3.2.1: Γ(N → ν_α π⁰) = G_F² f_π² M³ |U_α|² / (32π) (1 − m_π0²/M²)²  (Dirac; Majorana × 2)
    formula = GF2 * F_PI**2 * mass**3 / (32 * math.pi) * (1 - M_PI0**2 / mass**2) ** 2
    assert formula == pytest.approx(hand, rel=1e-5)
    u2 = (2e-6, 3e-6, 5e-6)  # the neutral channel sums over flavours
    dirac = HNL(mass, *u2, majorana=False).partial_widths()["nu pi0"]
    majorana = HNL(mass, *u2, majorana=True).partial_widths()["nu pi0"]
    assert dirac == pytest.approx(sum(u2) * hand, rel=1e-3)
    assert majorana == pytest.approx(2 * sum(u2) * hand, rel=1e-3)


@pytest.mark.parametrize(
    ("mass", "lepton", "hand"),
    # hand-evaluated with G_F, f_pi = 0.1302, V_ud = 0.97367, PDG 2024 masses
    [
        (0.2, "e", 9.157024e-17),
        (0.3, "e", 7.210303e-16),
        (0.4, "e", 2.147183e-15),
        (0.3, "mu", 3.522188e-16),
        (0.4, "mu", 1.610808e-15),
    ],
)
def test_lepton_pion_width(mass: float, lepton: str, hand: float) -> None:
    # [BBGR] Sec. 3.2.1: Γ(N → ℓ_α⁻ π⁺) = G_F² f_π² |V_ud|² |U_α|² M³ / (16π)
    #                     × [(1 − x_ℓ²)² − x_π²(1 + x_ℓ²)] λ^{1/2}(1, x_π², x_ℓ²),  x = m/M
    m_l = M_E if lepton == "e" else M_MU
    xl, xp = (m_l / mass) ** 2, (M_PI / mass) ** 2
    formula = (
        GF2 * F_PI**2 * V_UD**2 * mass**3 / (16 * math.pi)
        * ((1 - xl) ** 2 - xp * (1 + xl)) * math.sqrt(kallen(1, xp, xl))
    )  # fmt: skip
    assert formula == pytest.approx(hand, rel=1e-5)
    kwargs = {"ue2": 1e-6} if lepton == "e" else {"umu2": 1e-6}
    dirac = HNL(mass, majorana=False, **kwargs).partial_widths()
    majorana = HNL(mass, majorana=True, **kwargs).partial_widths()
    assert dirac[f"{lepton}- pi+"] == pytest.approx(1e-6 * hand, rel=1e-3)
    assert f"{lepton}+ pi-" not in dirac  # a Dirac N (made with ℓ⁺) decays to ℓ⁻ π⁺ only
    assert majorana[f"{lepton}- pi+"] == pytest.approx(1e-6 * hand, rel=1e-3)
    assert majorana[f"{lepton}+ pi-"] == pytest.approx(1e-6 * hand, rel=1e-3)


@pytest.mark.parametrize("mass", [0.001, 0.05, 0.3])
def test_three_neutrino_width(mass: float) -> None:
    # [BBGR] Sec. 3.1.2: Σ_β Γ(N → ν_α ν_β ν̄_β) = Σ_β (1 + δ_αβ) G_F² M⁵ |U_α|²/(768π³)
    #                                         = G_F² M⁵ |U_α|²/(192π³) for a Dirac HNL; Majorana × 2.
    u2 = (1e-5, 2e-5, 4e-5)
    expected = GF2 * mass**5 * sum(u2) / (192 * math.pi**3)
    assert HNL(mass, *u2, majorana=False).partial_widths()["nu nu nu"] == pytest.approx(expected, rel=1e-6)
    assert HNL(mass, *u2, majorana=True).partial_widths()["nu nu nu"] == pytest.approx(2 * expected, rel=1e-6)


def test_below_two_electron_masses_only_invisible() -> None:
    n = HNL(0.001, ue2=1e-3)
    assert set(n.partial_widths()) == {"nu nu nu"}
    assert n.decay_channels()["nu nu nu"].visible is False


def test_phase_space_function() -> None:
    # I(x, 0, 0) = 1 − 8x² + 8x⁶ − x⁸ − 24 x⁴ ln x (muon-decay phase space, [BBGR] Sec. 3.1.1)
    x = np.array([1e-3, 0.05, 0.2, 0.5, 0.8])
    closed = 1 - 8 * x**2 + 8 * x**6 - x**8 - 24 * x**4 * np.log(x)
    np.testing.assert_allclose(phase_space_i(x, 0.0, 0.0), closed, rtol=1e-9)
    np.testing.assert_allclose(phase_space_i(0.0, x, 0.0), closed, rtol=1e-9)
    assert phase_space_i(0.0, 0.0, 0.0) == pytest.approx(1.0, rel=1e-12)
    assert phase_space_i(0.6, 0.5, 0.0) == 0.0
    assert phase_space_i(0.2, 0.3, 0.1) == pytest.approx(float(phase_space_i(0.3, 0.2, 0.1)), rel=1e-12)


def test_charged_current_lepton_lepton_nu() -> None:
    # Γ(N → e⁻ μ⁺ ν_μ) = G_F² M⁵ |U_e|²/(192π³) I(x_e, x_μ, 0) ≈ ... I(x_μ, 0, 0) for m_e → 0
    mass = 0.35
    x = M_MU / mass
    closed = 1 - 8 * x**2 + 8 * x**6 - x**8 - 24 * x**4 * math.log(x)
    expected = GF2 * mass**5 / (192 * math.pi**3) * closed
    assert width_n_to_lepton_lepton_nu(mass, M_E, M_MU) == pytest.approx(expected, rel=2e-3)
    widths = HNL(mass, ue2=1e-6, umu2=2e-6, majorana=True).partial_widths()
    assert widths["e- mu+ nu_mu"] == pytest.approx(1e-6 * float(width_n_to_lepton_lepton_nu(mass, M_E, M_MU)))
    assert widths["e+ mu- nubar_mu"] == widths["e- mu+ nu_mu"]
    assert widths["mu- e+ nu_e"] == pytest.approx(2e-6 * float(width_n_to_lepton_lepton_nu(mass, M_MU, M_E)))
    assert widths["mu+ e- nubar_e"] == widths["mu- e+ nu_e"]
    assert width_n_to_lepton_lepton_nu(M_E + M_MU - 1e-6, M_E, M_MU) == 0.0


def test_nu_lepton_lepton_coefficients() -> None:
    # [BBGR] Sec. 3.1.2: for m_ℓ ≪ M the bracket → C1 (α ≠ β) or C3 (α = β):
    # C1 = ¼(1 − 4 s_W² + 8 s_W⁴) = g_L² + g_R² with g_L = −½ + s_W², g_R = s_W²;  C3: g_L → ½ + s_W².
    mass, sw2 = 0.45, SIN2_THETA_W
    unit = GF2 * mass**5 / (192 * math.pi**3)
    c1 = 0.25 * (1 - 4 * sw2 + 8 * sw2**2)
    c3 = 0.25 * (1 + 4 * sw2 + 8 * sw2**2)
    assert c1 == pytest.approx((-0.5 + sw2) ** 2 + sw2**2)
    assert c3 == pytest.approx((0.5 + sw2) ** 2 + sw2**2)
    assert width_n_to_nu_lepton_lepton(mass, M_E, same_flavour=False) == pytest.approx(c1 * unit, rel=1e-4)
    assert width_n_to_nu_lepton_lepton(mass, M_E, same_flavour=True) == pytest.approx(c3 * unit, rel=1e-4)
    # massive muons: suppressed, continuous to 0 at threshold, never negative or NaN
    masses = np.linspace(2 * M_MU * (1 + 1e-9), 0.5, 200)
    for same in (True, False):
        w = width_n_to_nu_lepton_lepton(masses, M_MU, same_flavour=same)
        assert np.all(np.isfinite(w))
        assert np.all(w >= 0)
        assert w[0] < 1e-8 * w[-1]
        assert np.all(np.diff(w) > 0)
    assert width_n_to_nu_lepton_lepton(0.2, M_MU, same_flavour=True) == 0.0
    # which coefficient goes with which flavour in the model: α = e uses C3 for e⁺e⁻
    widths = HNL(mass, ue2=1e-6, umu2=1e-6, utau2=1e-6, majorana=False).partial_widths()
    assert widths["nu_e e+ e-"] == pytest.approx(1e-6 * c3 * unit, rel=1e-4)
    assert widths["nu_mu e+ e-"] == pytest.approx(1e-6 * c1 * unit, rel=1e-4)
    assert widths["nu_tau e+ e-"] == pytest.approx(1e-6 * c1 * unit, rel=1e-4)
    assert widths["nu_mu mu+ mu-"] > widths["nu_e mu+ mu-"] == widths["nu_tau mu+ mu-"]


# -------------------------------------------------------------------------------- comparison to ALPINIST
# Total Dirac widths at |U_α|² = 1 read once (log-log interpolation) from ALPINIST's tables
# widths/hnl/total_Dirac_widths/{El,Mu,Tau}Mixing_{leptonic + semileptonic_singleMeson}.dat (commit 53441e5d),
# which implement the formulas of arXiv:1805.08567. ALPINIST tabulates the DIRAC width and uses
# Majorana = 2 × Dirac, the same convention as darkbeam (our Dirac agrees with their table at the 0.5 % level,
# our Majorana is twice it).
# ALPINIST also includes N → ℓ π π⁰ and ν π π (ρ tail) above 0.275 GeV, which we omit (< 1 % here).
ALPINIST_DIRAC_WIDTH = [
    ("umu2", 0.1, 2.57400e-19),
    ("umu2", 0.2, 6.35824e-17),
    ("umu2", 0.3, 8.36525e-16),
    ("umu2", 0.38, 2.58739e-15),
    ("umu2", 0.45, 5.23230e-15),
    ("ue2", 0.1, 3.59290e-19),
    ("ue2", 0.2, 1.58928e-16),
    ("ue2", 0.3, 1.22947e-15),
    ("ue2", 0.38, 3.15085e-15),
    ("utau2", 0.3, 4.56953e-16),
    ("utau2", 0.45, 2.22655e-15),
]


@pytest.mark.parametrize(("flavour", "mass", "reference"), ALPINIST_DIRAC_WIDTH)
def test_total_width_against_alpinist(flavour: str, mass: float, reference: float) -> None:
    dirac = HNL(mass, majorana=False, **{flavour: 1.0}).total_width()
    majorana = HNL(mass, majorana=True, **{flavour: 1.0}).total_width()
    assert dirac == pytest.approx(reference, rel=0.05)
    assert majorana == pytest.approx(2 * reference, rel=0.05)


# ----------------------------------------------------------------------------------------------- production
def test_two_body_production_massless_limit_is_standard_model() -> None:
    # |U|² = 1 and m_N → 0 must give the SM BR(K⁺ → μ⁺ν) = 0.6356 and BR(π⁺ → μ⁺ν) = 0.99988 (PDG 2024) up
    # to the radiative corrections missing at tree level (≈ 2 %): checks G_F, f_K, f_π, V_us, V_ud, τ_K, τ_π.
    brs = HNL(1e-6, ue2=1.0, umu2=1.0, majorana=False).production_branching_ratios()
    assert brs[321]["K+ -> mu+ N"] == pytest.approx(0.6356, rel=0.03)
    assert brs[211]["pi+ -> mu+ N"] == pytest.approx(0.99988, rel=0.03)
    # Tree-level R_K = Γ(K → eν)/Γ(K → μν) = (m_e/m_μ)² [(m_K² − m_e²)/(m_K² − m_μ²)]² = 2.569e-5 (measured
    # 2.488e-5 after the −3.8 % radiative correction); likewise R_π = 1.2834e-4 (measured 1.2327e-4).
    assert brs[321]["K+ -> e+ N"] / brs[321]["K+ -> mu+ N"] == pytest.approx(2.569e-5, rel=2e-3)
    assert brs[211]["pi+ -> e+ N"] / brs[211]["pi+ -> mu+ N"] == pytest.approx(1.2834e-4, rel=2e-3)
    # Kℓ3 at m_N → 0 vs PDG BR(K⁺ → π⁰e⁺ν) = 5.07 %, BR(K⁺ → π⁰μ⁺ν) = 3.352 %: tree level without S_EW = 1.023
    # and K⁺π⁰ isospin breaking (≈ +5 %), so ≈ 6 % low; the ratio Kμ3/Ke3 is insensitive to those.
    assert brs[321]["K+ -> pi0 e+ N"] == pytest.approx(0.0507, rel=0.08)
    ratio = brs[321]["K+ -> pi0 mu+ N"] / brs[321]["K+ -> pi0 e+ N"]
    assert ratio == pytest.approx(0.03352 / 0.0507, rel=0.02)


@pytest.mark.parametrize("mass", [0.1, 0.3, 0.38])
def test_kaon_to_muon_helicity_enhancement(mass: float) -> None:
    # [Shrock]: Γ(K⁺ → μ⁺N)/(|U_μ|² Γ(K⁺ → μ⁺ν)) = ρ(x_N, x_μ)
    #          = [x_N + x_μ − (x_N − x_μ)²] λ^{1/2}(1, x_N, x_μ) / [x_μ (1 − x_μ)²],  x = m²/m_K²
    xn, xm = (mass / M_K) ** 2, (M_MU / M_K) ** 2
    rho = (xn + xm - (xn - xm) ** 2) * math.sqrt(kallen(1, xn, xm)) / (xm * (1 - xm) ** 2)
    sm_width = GF2 * F_K**2 * V_US**2 * M_K * M_MU**2 * (1 - xm) ** 2 / (8 * math.pi)
    n = HNL(mass, umu2=1e-4)
    assert n.production_width(321, -13) / (1e-4 * sm_width) == pytest.approx(rho, rel=1e-9)
    br = n.production_branching_ratios()[321]["K+ -> mu+ N"]
    assert br == pytest.approx(1e-4 * rho * sm_width * pdg.lifetime(321) / HBAR, rel=1e-9)
    if mass == 0.3:
        assert rho == pytest.approx(3.8998, rel=1e-4)  # hand-evaluated: helicity enhancement at 0.3 GeV
    assert n.production_width(321, 11) == 0.0  # no electron mixing


def _kl3_dalitz_width(m_n: float, m_l: float, n_nodes: int = 120) -> float:
    """Independent check: Γ(K⁺ → π⁰ ℓ⁺ N) from the full |M|² integrated over the Dalitz plot.

    dΓ = |M|²/(256π³ m_K³) dm_ℓN² dm_πℓ² (PDG RPP kinematics), |M|² = 4 G_F² |V_us|² [2(h·p_ℓ)(h·p_N)
    − h² (p_ℓ·p_N)], h = f₊ (p_K + p_π) + f₋ (p_K − p_π); f₊,₀ = f₊(0)/√2 (1 + λ₊,₀ q²/m_π⁺²).
    """
    nodes, weights = np.polynomial.legendre.leggauss(n_nodes)
    mk2, mp2, ml2, mn2 = M_K**2, M_PI0**2, m_l**2, m_n**2
    lo, hi = (m_l + m_n) ** 2, (M_K - M_PI0) ** 2
    # s = m_ℓN² = q²; tan-free cosine map to tame the square-root end points
    u = 0.5 * (nodes + 1)
    s = lo + (hi - lo) * 0.5 * (1 - np.cos(np.pi * u))
    ws = (hi - lo) * 0.5 * np.pi * np.sin(np.pi * u) * 0.5 * weights
    m12 = np.sqrt(s)
    e_l = (s - mn2 + ml2) / (2 * m12)  # ℓ energy in the ℓN rest frame
    e_p = (mk2 - s - mp2) / (2 * m12)  # π energy in the ℓN rest frame
    p_l = np.sqrt(np.clip(e_l**2 - ml2, 0, None))
    p_p = np.sqrt(np.clip(e_p**2 - mp2, 0, None))
    t_lo = (e_l + e_p) ** 2 - (p_l + p_p) ** 2  # range of m_πℓ²
    t_hi = (e_l + e_p) ** 2 - (p_l - p_p) ** 2
    t = t_lo[:, None] + (t_hi - t_lo)[:, None] * u[None, :]
    wt = (t_hi - t_lo)[:, None] * 0.5 * weights[None, :]
    s2 = s[:, None]
    f_plus = KL3_F_PLUS_0 / math.sqrt(2) * (1 + KL3_LAMBDA_PLUS * s2 / M_PI**2)
    f_zero = KL3_F_PLUS_0 / math.sqrt(2) * (1 + KL3_LAMBDA_0 * s2 / M_PI**2)
    f_minus = (f_zero - f_plus) * (mk2 - mp2) / s2
    m_pin2 = mk2 + mp2 + ml2 + mn2 - s2 - t  # m_πN²
    pk_pl = (mk2 + ml2 - m_pin2) / 2
    pk_pn = (mk2 + mn2 - t) / 2
    q_pl = (s2 + ml2 - mn2) / 2
    q_pn = (s2 - ml2 + mn2) / 2
    pl_pn = (s2 - ml2 - mn2) / 2
    pk_q = (mk2 + s2 - mp2) / 2
    h_pl = f_plus * (2 * pk_pl - q_pl) + f_minus * q_pl  # P = 2 p_K − q
    h_pn = f_plus * (2 * pk_pn - q_pn) + f_minus * q_pn
    big_p2 = 4 * mk2 - 4 * pk_q + s2
    big_p_q = 2 * pk_q - s2
    h2 = f_plus**2 * big_p2 + 2 * f_plus * f_minus * big_p_q + f_minus**2 * s2
    amp2 = 4 * GF2 * V_US**2 * (2 * h_pl * h_pn - h2 * pl_pn)
    return float(np.sum(ws[:, None] * wt * amp2) / (256 * math.pi**3 * M_K**3))


@pytest.mark.parametrize(("m_n", "lepton"), [(0.05, "mu"), (0.2, "mu"), (0.1, "e"), (0.3, "e")])
def test_kl3_with_massive_hnl_against_dalitz_integration(m_n: float, lepton: str) -> None:
    m_l = M_E if lepton == "e" else M_MU
    assert width_k_to_pi0_lepton_hnl(m_n, m_l) == pytest.approx(_kl3_dalitz_width(m_n, m_l), rel=1e-4)
    name = f"K+ -> pi0 {lepton}+ N"
    kwargs: dict[str, Any] = {"ue2": 1e-5} if lepton == "e" else {"umu2": 1e-5}
    br = HNL(m_n, **kwargs).production_branching_ratios()[321][name]
    assert br == pytest.approx(1e-5 * _kl3_dalitz_width(m_n, m_l) * pdg.lifetime(321) / HBAR, rel=1e-4)


def test_production_channels_and_thresholds() -> None:
    n = HNL(0.2, ue2=1e-6, umu2=1e-6)
    names = {c.name for c in n.production_channels()}
    assert names == {"K+ -> e+ N", "K+ -> mu+ N", "K+ -> pi0 e+ N", "K+ -> pi0 mu+ N"}
    # K⁺ → π⁰ μ⁺ N closes at m_K − m_π0 − m_μ = 0.253 GeV, K⁺ → π⁰ e⁺ N at 0.358 GeV
    at_300_mev = {c.name for c in HNL(0.3, ue2=1e-6, umu2=1e-6).production_channels()}
    assert at_300_mev == names - {"K+ -> pi0 mu+ N"}
    # K⁺ → μ⁺ N closes at m_K − m_μ = 0.388 GeV
    assert {c.name for c in HNL(0.4, ue2=1e-6, umu2=1e-6).production_channels()} == {"K+ -> e+ N"}
    brs = n.production_branching_ratios()
    assert set(brs) == {321}
    assert set(brs[321]) == names
    channel = next(c for c in n.production_channels() if c.name == "K+ -> mu+ N")
    assert (channel.parent, channel.companions) == (321, (-13,))
    kl3 = next(c for c in n.production_channels() if c.name == "K+ -> pi0 e+ N")
    assert kl3.companions == (111, -11)
    # pion decays open below m_π − m_ℓ; production does not depend on Dirac vs Majorana
    light = HNL(0.02, ue2=1e-6, umu2=1e-6, majorana=True).production_branching_ratios()
    assert set(light[211]) == {"pi+ -> e+ N", "pi+ -> mu+ N"}
    assert light == HNL(0.02, ue2=1e-6, umu2=1e-6, majorana=False).production_branching_ratios()
    # above m_K − m_e nothing is produced in K/π decays; only-tau mixing produces nothing here
    assert HNL(0.4937, ue2=1e-6).production_branching_ratios() == {}
    assert HNL(0.2, utau2=1e-6).production_channels() == []
    with pytest.raises(ConfigError, match="parent_pdg"):
        n.production_width(411, -11)


# ---------------------------------------------------------------------------------------------- properties
mixing = st.one_of(st.just(0.0), st.floats(1e-12, 1e-2))


@settings(max_examples=60, deadline=None)
@given(
    mass=st.floats(0.005, 0.49),
    ue2=mixing,
    umu2=mixing,
    utau2=mixing,
)
def test_branching_ratios_and_majorana_factor(mass: float, ue2: float, umu2: float, utau2: float) -> None:
    if ue2 == umu2 == utau2 == 0.0:
        ue2 = 1e-6
    majorana = HNL(mass, ue2, umu2, utau2, majorana=True)
    dirac = HNL(mass, ue2, umu2, utau2, majorana=False)
    widths = majorana.partial_widths()
    assert all(math.isfinite(w) and w >= 0 for w in widths.values())
    assert sum(majorana.branching_ratios().values()) == pytest.approx(1.0, rel=1e-12)
    assert sum(dirac.branching_ratios().values()) == pytest.approx(1.0, rel=1e-12)
    assert majorana.total_width() == pytest.approx(2 * dirac.total_width(), rel=1e-12)
    assert 0 < majorana.ctau() < math.inf
    # channel bookkeeping: same keys, charge conservation, Dirac keys a subset of Majorana keys
    channels = majorana.decay_channels()
    assert channels.keys() == widths.keys()
    assert dirac.decay_channels().keys() == dirac.partial_widths().keys() <= widths.keys()
    for name, channel in channels.items():
        assert channel.name == name
        assert sum(pdg.charge(d) for d in channel.daughters) == 0
        assert channel.visible == (name != "nu nu nu")
    for parent, brs in majorana.production_branching_ratios().items():
        assert all(0 <= br < 1 for br in brs.values()), parent


def test_channel_list_at_reference_point() -> None:
    widths = HNL(0.4, ue2=1e-6, umu2=1e-6, utau2=1e-6, majorana=True).partial_widths()
    assert set(widths) == {
        "nu nu nu",
        "nu_e e+ e-",
        "nu_mu e+ e-",
        "nu_tau e+ e-",
        "nu_e mu+ mu-",
        "nu_mu mu+ mu-",
        "nu_tau mu+ mu-",
        "e- mu+ nu_mu",
        "e+ mu- nubar_mu",
        "mu- e+ nu_e",
        "mu+ e- nubar_e",
        "nu pi0",
        "e- pi+",
        "e+ pi-",
        "mu- pi+",
        "mu+ pi-",
    }
    daughters = HNL(0.4, umu2=1e-6).decay_channels()
    assert daughters["mu- pi+"].daughters == (13, 211)
    assert daughters["mu+ pi-"].daughters == (-13, -211)
    assert daughters["nu_mu e+ e-"].daughters == (14, -11, 11)
