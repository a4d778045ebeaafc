"""ALP widths against closed forms (PDG 2024 axion review; Bauer, Neubert, Thamm arXiv:1708.00443) and FORESEE."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam import pdg
from darkbeam.errors import ConfigError, KinematicsError
from darkbeam.models import MODELS
from darkbeam.models import alp as alp_module
from darkbeam.models.alp import (
    ALP,
    DETECTION_CHANNELS,
    GluonALP,
    alpha_s,
    asw_fig2_form_factor,
    asw_form_factor,
    gluon_photon_coupling,
    width_to_gluons,
    width_to_three_pions,
)

M_E = 0.51099895e-3
HBARC = 1.973269804e-14  # GeV cm
ALPHA = 1 / 137.035999084


@pytest.mark.parametrize("mass", [1e-3, 0.05, 0.3, 1.5])
def test_two_photon_width_closed_form(mass):
    # Γ(a → γγ) = g² m³/(64π) (PDG 2024 "Axions and other similar particles")
    g = 1e-5
    a = ALP(mass, g)
    assert a.partial_widths()["gamma gamma"] == pytest.approx(g**2 * mass**3 / (64 * math.pi), rel=5e-3)
    assert a.ctau() == pytest.approx(HBARC * 64 * math.pi / (g**2 * mass**3), rel=5e-3)


def test_bnt_normalisation():
    # Bauer, Neubert, Thamm (1708.00443) Eq. 34: Γ = 4π α² m³ C_γγ²/Λ² with g_aγγ = 16πα C_γγ/Λ
    c, lam, m = 1.0, 1000.0, 0.2
    g = 16 * math.pi * ALPHA * c / lam
    assert ALP(m, g).total_width() == pytest.approx(4 * math.pi * ALPHA**2 * m**3 * c**2 / lam**2, rel=1e-9)


def test_foresee_ctau():
    # FORESEE ALP-photon model (Kling & Trojanowski, arXiv:2105.07077, Models/ALP-photon/model/ctau.txt): cτ [m] at
    # g_aγγ = 1 GeV⁻¹; m = 0.10908 GeV → 3.0984e-11 m (FORESEE's constants differ from ours by ≈ 1.4 %)
    assert ALP(0.10907766915109564, 1.0).ctau() / 100 == pytest.approx(3.0984e-11, rel=0.02)


def test_electron_width_and_ratio_fixed_under_rescaling():
    m, g, gee = 0.05, 1e-4, 1e-6
    a = ALP(m, g, g_aee=gee)
    beta = math.sqrt(1 - 4 * M_E**2 / m**2)
    assert a.partial_widths()["e+e-"] == pytest.approx(gee**2 * m * beta / (8 * math.pi), rel=1e-9)
    b = a.with_coupling(2 * g)
    assert b.g_aee == pytest.approx(2 * gee)
    assert b.branching_ratios() == pytest.approx(a.branching_ratios())
    assert b.total_width() == pytest.approx(4 * a.total_width())
    assert set(ALP(1e-3, g, g_aee=gee).partial_widths()) == {"gamma gamma"}  # below 2 m_e


@given(mass=st.floats(1e-4, 9.9), g=st.floats(1e-9, 1e-2), gee=st.floats(0.0, 1e-3))
@settings(max_examples=50, deadline=None)
def test_brs_sum_to_one(mass, g, gee):
    a = ALP(mass, g, g_aee=gee)
    assert sum(a.branching_ratios().values()) == pytest.approx(1.0, rel=1e-12)
    assert set(a.decay_channels()) == set(a.partial_widths())


def test_metadata_and_errors():
    assert MODELS["alp"] is ALP
    assert DETECTION_CHANNELS["inverse_primakoff"][0] == "g_agg"
    # production factors are the production engineer's (darkbeam.production.primakoff); only their parents here
    assert set(ALP(0.1, 1e-5).production_branching_ratios()) <= {22, 111, 221, 331}
    with pytest.raises(ConfigError, match="g_agg"):
        ALP(0.1, 0.0)
    with pytest.raises(ConfigError, match="g_aee"):
        ALP(0.1, 1e-5, g_aee=-1.0)
    with pytest.raises(KinematicsError, match="mass"):
        ALP(20.0, 1e-5)


# ---------------------------------------------------------------------------------------------- gluon coupling
# Reference: Aloni, Soreq, Williams [ASW], PRL 123 (2019) 031803, arXiv:1811.03474, Fig. 1 (partial widths of the
# gluon-dominated ALP), as digitised by ALPINIST (Jerhot et al., arXiv:2201.05170; widths/integrated/
# digitized_width_<mode>.dat): Γ [eV] for C_GG = 1, Λ = 1 TeV, i.e. g_gg = 1e-3 GeV⁻¹ in DarkBeam's convention
# (L ⊃ g_s² g_gg a G G̃). Values read off those curves at the masses below (linear interpolation).
G_GG_REF = 1e-3
ASW_GAMMA_GAMMA = [(0.3, 0.06934), (0.4, 0.3123), (0.45, 0.7667), (0.5, 3.159), (0.6, 1.29), (0.75, 0.2781),
                   (0.8, 1.157), (1.0, 50.74)]  # fmt: skip
ASW_3PI0 = [(0.45, 0.1573), (0.5, 1.853), (0.6, 2.213)]
ASW_PIPIPI0 = [(0.45, 0.07915), (0.5, 1.194)]
ASW_TOTAL = [(0.3, 0.06874), (0.4, 0.3025), (0.45, 1.006), (0.5, 5.516), (2.0, 2.212e5), (2.2, 2.464e5),
             (2.4, 2.714e5), (2.5, 2.851e5)]  # fmt: skip


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_GAMMA_GAMMA)
def test_gluon_induced_two_photon_width_against_asw(mass, ref_ev):
    # measured ratios 0.88-0.98 (LO U(3) mixing with physical masses); ASW's γγ goes through the same mixing
    g = gluon_photon_coupling(mass, G_GG_REF)
    width_ev = abs(g) ** 2 * mass**3 / (64 * math.pi) * 1e9
    assert width_ev == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_3PI0)
def test_three_neutral_pions_against_asw(mass, ref_ev):
    # measured 1.11-1.12 with ASW's K factor 2.7 (LO alone: 0.41)
    assert width_to_three_pions(mass, G_GG_REF, "pi0 pi0 pi0") * 1e9 == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_PIPIPI0)
def test_charged_three_pions_against_asw(mass, ref_ev):
    # measured 1.02-1.05 at 0.45-0.5 GeV (1.25 at 0.6, 0.4 at 0.7: the LO charged amplitude has its zero elsewhere)
    assert width_to_three_pions(mass, G_GG_REF, "pi+ pi- pi0") * 1e9 == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_TOTAL)
def test_gluon_alp_total_width_against_asw(mass, ref_ev):
    # measured 0.96-1.13 (chiral regime) and 0.94-1.13 (a → gg, 2.0-2.5 GeV; 1.25 at 2.8, 1.31 at 2.95 GeV)
    assert GluonALP(mass, G_GG_REF).total_width() * 1e9 == pytest.approx(ref_ev, rel=0.2)


def test_gluon_photon_coupling_low_mass_limit():
    # BNT (1708.00443, effective photon coupling below the QCD scale) and Grilli di Cortona et al. (1511.02867):
    # C_γγ^eff = C_γγ − 1.92(4) C_GG for m_a ≪ m_π,
    # g = 16πα C/Λ; the LO value with m_u/m_d = 0.474 is −(2/3)(4m_d + m_u)/(m_u + m_d) = −2.02
    ratio = gluon_photon_coupling(1e-4, 1.0) / (16 * math.pi * ALPHA)
    assert ratio.real == pytest.approx(-1.92, abs=0.06)
    assert abs(ratio.imag) < 1e-3


def test_gluon_widths_scale_and_interfere():
    m = 0.5
    a = GluonALP(m, 1e-4)
    b = a.with_coupling(3e-4)
    assert b.total_width() == pytest.approx(9 * a.total_width(), rel=1e-9)
    assert b.branching_ratios() == pytest.approx(a.branching_ratios(), rel=1e-9)
    assert set(a.partial_widths()) == {"gamma gamma", "pi0 pi0 pi0", "pi+ pi- pi0", "pi+ pi- gamma"}
    assert set(GluonALP(2.5, 1e-4).partial_widths()) == {"gamma gamma", "g g"}
    assert set(GluonALP(0.3, 1e-4).partial_widths()) == {"gamma gamma", "pi+ pi- gamma"}  # below 3 m_π
    assert set(GluonALP(0.27, 1e-4).partial_widths()) == {"gamma gamma"}  # below 2 m_π
    # interference: g_aγγ chosen to cancel the gluon-induced coupling at 0.3 GeV (g_mix < 0 there)
    g_mix = gluon_photon_coupling(0.3, 1e-4).real
    assert g_mix < 0
    assert ALP(0.3, -g_mix, g_gg=1e-4).partial_widths().get("gamma gamma", 0.0) < 1e-6 * ALP(0.3, -g_mix).total_width()
    # the photon-coupled ALP keeps its ratios when rescaled, gluon coupling included
    c = ALP(0.4, 1e-5, g_gg=1e-5)
    assert c.with_coupling(2e-5).g_gg == pytest.approx(2e-5)
    assert c.with_coupling(2e-5).total_width() == pytest.approx(4 * c.total_width(), rel=1e-9)


def test_three_pion_thresholds_and_ordering():
    # a → 3π (G-parity violating, amplitude ∝ m_d − m_u at LO) is closed below 3 m_π; at 0.5 GeV 3π⁰ > π⁺π⁻π⁰ as in
    # ASW (1.85 vs 1.19 eV; ours 2.05 vs 1.26 eV)
    assert width_to_three_pions(0.4, 1e-3, "pi0 pi0 pi0") == 0.0
    assert width_to_three_pions(0.5, 1e-3, "pi0 pi0 pi0") > width_to_three_pions(0.5, 1e-3, "pi+ pi- pi0") > 0


def test_alpha_s_and_gluon_width_closed_form():
    # one loop, n_f = 3, from α_s(m_τ) = 0.312 (PDG 2024); Γ(a → gg) = 32π α_s² m³ g² (1 + 83/4 α_s/π)
    assert alpha_s(1.77686) == pytest.approx(0.312)
    a_s = alpha_s(2.0)
    assert 0.28 < a_s < 0.31
    expected = 32 * math.pi * a_s**2 * 8.0 * 1e-6 * (1 + 83 / 4 * a_s / math.pi)
    assert width_to_gluons(2.0, 1e-3) == pytest.approx(expected, rel=1e-12)


def test_meson_mixing_poles_and_metadata():
    near_eta = GluonALP(0.54, 1e-4).meson_mixing()
    far = GluonALP(0.3, 1e-4).meson_mixing()
    assert set(near_eta) == {111, 221, 331}
    assert near_eta[221] > 10 * far[221]  # resonant a–η mixing near m_η
    assert MODELS["alp_gluon"] is GluonALP
    assert GluonALP.coupling_name == "g_gg"


def test_gluon_errors():
    with pytest.raises(ConfigError, match="g_gg"):
        GluonALP(0.5, 0.0)
    with pytest.raises(ConfigError, match="g_gg"):
        ALP(0.5, 1e-5, g_gg=float("nan"))
    with pytest.raises(KinematicsError, match="mass"):
        GluonALP(12.0, 1e-4)


@given(mass=st.floats(1e-3, 9.9), g=st.floats(1e-8, 1e-3))
@settings(max_examples=30, deadline=None)
def test_gluon_brs_sum_to_one(mass, g):
    a = GluonALP(mass, g)
    assert sum(a.branching_ratios().values()) == pytest.approx(1.0, rel=1e-12)
    assert all(v >= 0 for v in a.partial_widths().values())
    assert set(a.decay_channels()) == set(a.partial_widths())


# ------------------------------------------------------------------ gluon coupling, data-driven window (0.6-2 GeV)
# Reference: [ASW] (Aloni, Soreq, Williams, PRL 123 (2019) 031803, arXiv:1811.03474) Fig. 1, partial and total
# widths [eV] at C_GG = 1, Λ = 1 TeV (g_gg = 1e-3 GeV⁻¹), as digitised by ALPINIST (Jerhot et al.,
# arXiv:2201.05170, widths/integrated/digitized_width_<mode>.dat), read off by linear interpolation. Channels are
# summed over charges as in [ASW]: ηππ = η π⁺π⁻ + η π⁰π⁰, KKπ = all four charge states, ρρ = ρ⁰ρ⁰ + ρ⁺ρ⁻.
ASW_WINDOW_TOTAL = [(0.6, 6.975), (0.65, 2.515), (0.7, 2.036), (0.75, 2.434), (0.8, 3.067), (0.85, 6.905),
                    (1.2, 5.509e4), (1.3, 1.253e5), (1.5, 2.820e5), (1.6, 3.133e5), (1.7, 2.946e5), (1.75, 2.654e5),
                    (1.9, 2.107e5), (1.95, 2.151e5)]  # fmt: skip
# measured ours/ASW (session 3: ASW's ρ line shape, VV normalisation and finite-width ρρ, K*K̄*):
# 1.09 0.96 0.87 0.84 0.86 0.81 1.17 1.16 0.97 0.87 0.95 1.05 1.09 1.00 (before: 0.70 0.79, 0.75 0.76, 1.7 1.28,
# 1.75 1.51, 1.9 1.47; 2.0 GeV: 0.94, test above)
ASW_PIPIGAMMA = [(0.65, 1.752), (0.7, 1.845), (0.75, 1.939), (0.8, 1.135), (1.5, 1178.0), (1.6, 1066.0),
                 (1.7, 799.4)]  # fmt: skip
# measured 0.85 0.88 0.91 1.10 1.17 0.99 1.03 (before 0.78 0.79 0.80 0.95 0.92 0.78 0.81); 1.0-1.4 GeV: 1.36-1.63,
# pinned below with γγ (the same ALP content)
ASW_ETAPIPI = [(1.2, 5.315e4), (1.3, 1.151e5), (1.5, 2.465e5), (1.8, 1.399e5)]  # measured 1.16 1.18 0.90 0.99
ASW_KKPI = [(1.4, 2.277e4), (1.5, 2.664e4)]  # measured 0.85 1.00 (0.36-0.51 at 1.2-1.3, 1.2-2.7 at 1.6-1.8)
ASW_3PI0_WINDOW = [(0.65, 0.3951), (0.8, 0.2368), (0.85, 1.192), (0.9, 6.717)]  # measured 1.14 0.92 0.96 0.97
ASW_GAMMA_GAMMA_HIGH = [(1.6, 5.826), (1.7, 3.620)]  # measured 1.04 1.15 (VMD above m_η′; 1.4-1.7 at 1.0-1.4 GeV)
# a → VV ([ASW]'s VVP normalisation, ρ and K* over their line shapes), summed over charges:
# measured ρρ 1.15 1.10 1.22, ωω 0.97 1.06, K*K̄* 1.10 0.97 0.95 (before: ρρ 1.32 2.72 3.26, ωω 1.64 1.80, K*K̄* 0 0 0.61)
ASW_VECTOR_PAIRS = [("rho rho", 1.6, 3.227e4), ("rho rho", 1.7, 4.971e4), ("rho rho", 1.75, 5.045e4),
                    ("omega omega", 1.7, 2.363e4), ("omega omega", 1.75, 2.727e4), ("K* K*", 1.7, 208.3),
                    ("K* K*", 1.75, 757.3), ("K* K*", 1.8, 2331.0)]  # fmt: skip

_GROUPS = {
    "eta pi pi": ("eta pi+ pi-", "eta pi0 pi0"),
    "K K pi": ("K+ K- pi0", "K0 K0bar pi0", "K+ K0bar pi-", "K- K0 pi+"),
    "rho rho": ("rho0 rho0", "rho+ rho-"),
    "omega omega": ("omega omega",),
    "K* K*": ("K*+ K*-", "K*0 K*0bar"),
}


def _width_ev(mass, *channels):
    widths = GluonALP(mass, G_GG_REF).partial_widths()
    return sum(widths.get(c, 0.0) for c in channels) * 1e9


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_WINDOW_TOTAL)
def test_gluon_alp_total_width_in_window_against_asw(mass, ref_ev):
    assert GluonALP(mass, G_GG_REF).total_width() * 1e9 == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_PIPIGAMMA)
def test_pions_photon_against_asw(mass, ref_ev):
    assert _width_ev(mass, "pi+ pi- gamma") == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_ETAPIPI)
def test_eta_pions_against_asw(mass, ref_ev):
    assert _width_ev(mass, *_GROUPS["eta pi pi"]) == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_KKPI)
def test_kaons_pion_against_asw(mass, ref_ev):
    assert _width_ev(mass, *_GROUPS["K K pi"]) == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_3PI0_WINDOW)
def test_three_neutral_pions_in_window_against_asw(mass, ref_ev):
    assert _width_ev(mass, "pi0 pi0 pi0") == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("mass", "ref_ev"), ASW_GAMMA_GAMMA_HIGH)
def test_vmd_two_photon_against_asw(mass, ref_ev):
    assert _width_ev(mass, "gamma gamma") == pytest.approx(ref_ev, rel=0.2)


@pytest.mark.parametrize(("group", "mass", "ref_ev"), ASW_VECTOR_PAIRS)
def test_vector_pairs_against_asw(group, mass, ref_ev):
    assert _width_ev(mass, *_GROUPS[group]) == pytest.approx(ref_ev, rel=0.25)


# Channel ratios in which the ALP content and F(m_a) cancel (both channels ∝ |content|² F²), [ASW] Fig. 1 values
# as above: they test each channel's normalisation alone. Γ(π⁺π⁻γ)/Γ(γγ) at 1.0-1.4 GeV: ours/ASW measured
# 0.95-0.98 with [ASW]'s Gounaris–Sakurai ρ (0.77 with the plain Breit–Wigner used before);
# Γ(ρρ)/Γ(π⁺π⁻γ) and Γ(ωω)/Γ(π⁺π⁻γ) at 1.6-1.8 GeV: 1.04-1.16 and 0.89-0.95 with [ASW]'s VVP normalisation
# (3.6 and 2.2-2.4 with the ω → π⁰γ-fixed VVP constant used before; 0.44-0.58 with f_π = 130 MeV in [ASW]'s formula).
ASW_PIPIGAMMA_OVER_GAMMA_GAMMA = [(1.0, 1274.0 / 50.74), (1.2, 753.1 / 10.15), (1.4, 1124.0 / 8.577)]
ASW_VV_OVER_PIPIGAMMA = [("rho rho", 1.6, 3.227e4 / 1066.0), ("rho rho", 1.8, 4.982e4 / 502.5),
                         ("omega omega", 1.7, 2.363e4 / 799.4), ("omega omega", 1.8, 2.706e4 / 502.5)]  # fmt: skip


@pytest.mark.parametrize(("mass", "ref_ratio"), ASW_PIPIGAMMA_OVER_GAMMA_GAMMA)
def test_pions_photon_over_two_photons_against_asw(mass, ref_ratio):
    assert _width_ev(mass, "pi+ pi- gamma") / _width_ev(mass, "gamma gamma") == pytest.approx(ref_ratio, rel=0.1)


@pytest.mark.parametrize(("group", "mass", "ref_ratio"), ASW_VV_OVER_PIPIGAMMA)
def test_vector_pairs_over_pions_photon_against_asw(group, mass, ref_ratio):
    ratio = _width_ev(mass, *_GROUPS[group]) / _width_ev(mass, "pi+ pi- gamma")
    assert ratio == pytest.approx(ref_ratio, rel=0.2)


def test_rho_line_shape_and_vector_pair_thresholds():
    # Gounaris–Sakurai ρ (BaBar PRD 86 (2012) 032013 Eqs. 27-33; normalised to 1 at s = 0 through d): at s = m_ρ²
    # |BW| = m_ρ(1 + dΓ/m_ρ)/Γ (d = 0.479 for m_ρ = 0.7753, Γ = 0.1491 GeV); at the ππ threshold 1.161
    m, gam = pdg.mass(113), 0.1491
    bw = alp_module._rho_gounaris_sakurai(np.array([4 * pdg.mass(211) ** 2 + 1e-9, m * m]))
    assert abs(bw[0]) == pytest.approx(1.161, abs=2e-3)
    assert abs(bw[1]) == pytest.approx(m * (1 + 0.4786 * gam / m) / gam, rel=2e-3)
    # finite-width ρρ, K*K̄* are smooth through 2 m_V and open below it ([ASW] Fig. 1); narrow ωω starts at 2 m_ω
    for name, m_v in (("rho0 rho0", m), ("K*+ K*-", pdg.mass(323))):
        below = alp_module.width_to_vector_pairs(2 * m_v - 1e-4, 1e-3)[name]
        above = alp_module.width_to_vector_pairs(2 * m_v + 1e-4, 1e-3)[name]
        assert below > 0
        assert above == pytest.approx(below, rel=0.01)
    assert "omega omega" not in alp_module.width_to_vector_pairs(2 * pdg.mass(223) - 1e-4, 1e-3)
    # isospin: Γ(ρ⁺ρ⁻) ≈ 2 Γ(ρ⁰ρ⁰) (equal widths; the charged mass is 0.2 % lighter)
    vv = alp_module.width_to_vector_pairs(1.8, 1e-3)
    assert vv["rho+ rho-"] / vv["rho0 rho0"] == pytest.approx(2.0, rel=0.03)


def test_asw_form_factor_and_fig2_cubic():
    # F used in the widths: 1 to 1.4 GeV, (1.4/m)⁴ above; [ASW] Fig. 2 (ALPINIST's cubic): 1 at 1.4, 0.24 at 2 GeV
    assert asw_form_factor(1.4) == 1.0
    assert asw_form_factor(1.8) == pytest.approx((1.4 / 1.8) ** 4)
    assert asw_fig2_form_factor(1.4) == pytest.approx(1.0, abs=1e-3)
    assert asw_fig2_form_factor(2.0) == pytest.approx(asw_form_factor(2.0), abs=1e-3)
    assert asw_fig2_form_factor(1.6) == pytest.approx(0.824, abs=2e-3)
    assert asw_fig2_form_factor(1.8) == pytest.approx(0.479, abs=2e-3)
    # known deviation (module docstring): with Fig. 2's F every channel would be (F_fig2/F)² = 1.98 (1.6 GeV),
    # 2.03 (1.7), 1.71 (1.8) × the rates here, which agree with [ASW]'s Fig. 1 to 0.8-1.3
    assert (asw_fig2_form_factor(1.6) / asw_form_factor(1.6)) ** 2 == pytest.approx(1.98, abs=0.03)
    assert (asw_fig2_form_factor(1.7) / asw_form_factor(1.7)) ** 2 == pytest.approx(2.03, abs=0.03)


@pytest.mark.parametrize(
    ("mass", "channels", "ref_ev", "lo", "hi"),
    [
        # documented misses (module docstring): 1.0-1.4 GeV every channel that carries only the ALP content
        # (γγ, π⁺π⁻γ) is 1.4-1.7 × [ASW] (our content reproduces [ASW]'s mixing formula to 1 %; their ratio
        # π⁺π⁻γ/γγ is reproduced to 0.95-0.98), ηππ 1.16-1.55; 1.8-1.85 GeV: KKπ 2.5-2.7
        (1.0, ("total",), 6207.0, 1.35, 1.75),  # measured 1.54 (before 1.47)
        (1.1, ("total",), 1.228e4, 1.2, 1.55),  # measured 1.38 (before 1.35)
        (1.4, ("total",), 2.125e5, 1.15, 1.45),  # measured 1.29 (before 1.24)
        (1.8, ("total",), 2.279e5, 1.1, 1.35),  # measured 1.21 (before 1.82)
        (1.0, ("gamma gamma",), 50.74, 1.3, 1.7),  # measured 1.49
        (1.3, ("gamma gamma",), 9.068, 1.35, 1.75),  # measured 1.53
        (1.0, ("pi+ pi- gamma",), 1274.0, 1.25, 1.6),  # measured 1.42 (before 1.14)
        (1.3, ("pi+ pi- gamma",), 933.3, 1.3, 1.7),  # measured 1.48 (before 1.17)
        (1.8, ("pi+ pi- gamma",), 502.5, 1.1, 1.45),  # measured 1.28 (before 1.01)
        (1.8, _GROUPS["K K pi"], 1.16e4, 2.2, 3.1),  # measured 2.66
        (1.3, _GROUPS["K K pi"], 1.205e4, 0.35, 0.7),  # measured 0.51
        (1.5, ("eta' pi+ pi-", "eta' pi0 pi0"), 2778.0, 0.3, 0.6),  # measured 0.42
        # η′ shoulder: the digitised [ASW] curves put the η′ peak at ≈ 0.9455 GeV, 12 MeV below m_η′ (see
        # test_eta_prime_shoulder_against_asw_with_the_reference_peak_on_m_eta_prime), so below the pole the
        # reference is higher and above it lower than ours; our η′-pole residues match the PDG η′ widths
        # (test_eta_prime_pole_residues_against_pdg)
        (0.88, ("total",), 43.09, 0.45, 0.7),  # measured 0.58 (before 0.54)
        (0.90, ("total",), 203.5, 0.42, 0.6),  # measured 0.52 (before 0.47)
        (0.92, ("total",), 1571.0, 0.3, 0.45),  # measured 0.38 (before 0.34)
        (0.90, ("pi+ pi- gamma",), 152.1, 0.24, 0.38),  # measured 0.31 (before 0.25)
        (0.90, _GROUPS["eta pi pi"], 73.93, 0.3, 0.48),  # measured 0.39
    ],
)
def test_known_deviations_from_asw_stay_bounded(mass, channels, ref_ev, lo, hi):
    ours = GluonALP(mass, G_GG_REF).total_width() * 1e9 if channels == ("total",) else _width_ev(mass, *channels)
    assert lo < ours / ref_ev < hi


def test_gluon_window_channels_and_continuity():
    assert {"pi+ pi- gamma", "eta pi+ pi-", "K+ K- pi0", "rho0 rho0", "omega omega"} <= set(
        GluonALP(1.7, 1e-4).partial_widths()
    )
    assert "pi0 pi0 pi0" not in GluonALP(1.2, 1e-4).partial_widths()  # [ASW]: a → 3π below m_η′ only
    assert set(GluonALP(1.9, 1e-4).partial_widths()) >= {"g g", "eta pi+ pi-"}  # blend region
    # the total width is continuous where the description changes (blend 1.8-2.0 GeV into a → gg)
    for m in (1.8, 2.0):
        below = GluonALP(m - 1e-6, 1e-3).total_width()
        above = GluonALP(m + 1e-6, 1e-3).total_width()
        assert above == pytest.approx(below, rel=1e-3)
    assert GluonALP(2.0, 1e-3).partial_widths()["g g"] == pytest.approx(width_to_gluons(2.0, 1e-3), rel=1e-12)
    # every channel has decay products with the right total charge
    for name, channel in GluonALP(1.9, 1e-4).decay_channels().items():
        assert sum(pdg.charge(p) for p in channel.daughters) == 0, name


# ------------------------------------------------------------------ η′ pole and shoulder (0.85-0.95 GeV)
# PDG 2024 η′(958): Γ = 0.188 MeV; BR(η π⁺π⁻) = 42.5 %, BR(ρ⁰γ incl. non-resonant π⁺π⁻γ) = 29.5 %,
# BR(η π⁰π⁰) = 22.4 %, BR(γγ) = 2.307 %, BR(3π⁰) = 0.250 %, BR(π⁺π⁻π⁰) = 0.361 %.
GAMMA_ETAP_PDG = 0.188e-3
ETAP_PDG_BR = {"pi+ pi- gamma": 0.295, "eta pi+ pi-": 0.425, "eta pi0 pi0": 0.224, "gamma gamma": 0.02307}


def _per_theta2(channel, delta):
    """Γ(a → X)/|θ_aη′|² at m_a = m_η′ − delta: the η′-pole residue, = Γ(η′ → X) if the model is right."""
    mass = pdg.mass(331) - delta
    theta2 = GluonALP(mass, G_GG_REF).meson_mixing()[331]
    return GluonALP(mass, G_GG_REF).partial_widths()[channel] / theta2


@pytest.mark.parametrize("channel", sorted(ETAP_PDG_BR))
def test_eta_prime_pole_residues_against_pdg(channel):
    # near the η′ pole a → X is a → η′* → X: the ALP–η′ mixing (denominator m_a² − m_η′² + i m_η′Γ_η′, physical
    # mass) times the η′ → X vertex of the data-driven window. Measured at m_η′ − 2 MeV (ratio to PDG):
    # π⁺π⁻γ 1.20, η π⁺π⁻ 1.11, η π⁰π⁰ 1.19, γγ 1.03 with |θ_aη′|² of the κ-independent production prescription
    # (meson_mixing; 1.32, 1.22, 1.31, 1.13 with the width calculation's own mixing weights, whose η′ residue is
    # 1.10 × the LO one) — the η′-pole physics is right, so the shoulder deviation from [ASW] below is not a
    # mixing/propagator error ([ASW]'s Gounaris–Sakurai ρ raises the ρ-peak region of π⁺π⁻γ by 1.2-1.3)
    ratio = _per_theta2(channel, 2e-3) / (ETAP_PDG_BR[channel] * GAMMA_ETAP_PDG)
    assert 0.85 < ratio < 1.45
    assert _per_theta2(channel, 4e-3) == pytest.approx(_per_theta2(channel, 1e-3), rel=0.15)  # pole-dominated


def test_eta_prime_pole_three_pions_known_overshoot():
    # LO U(3) a → 3π × K_3PI (K fixed on η → 3π by [ASW]) overshoots η′ → 3π: measured 4.3 (3π⁰) and 2.6
    # (π⁺π⁻π⁰) × PDG at the pole; [ASW]'s 3π (same treatment) agrees with ours to 0.96-0.97 at 0.85-0.95 GeV
    r_neutral = _per_theta2("pi0 pi0 pi0", 2e-3) / (0.00250 * GAMMA_ETAP_PDG)
    r_charged = _per_theta2("pi+ pi- pi0", 2e-3) / (0.00361 * GAMMA_ETAP_PDG)
    assert 3.5 < r_neutral < 5.5
    assert 2.0 < r_charged < 3.3


# [ASW] Fig. 1 as digitised by ALPINIST has its η′ peak at ≈ 0.9455 GeV (spikes of the digitised ρρ and γγ
# curves at 0.9453 and 0.9460 GeV) while its η peak sits at m_η (0.5474-0.5479 GeV): the reference's mass axis
# is off by 12 MeV (1.3 %) at m_η′ — [ASW]'s mixing has its pole at the physical m_η′, as in both public
# implementations of it (ALPINIST's ALP_rescale, ALPaca). Mapping the reference's masses log-linearly so that
# its η peak stays and its η′ peak lands on m_η′ (m_true = m_ref (m_ref/m_η)^c, c = ln(m_η′/0.9455)/ln(0.9455/m_η)
# = 0.0236; a comparison choice, nothing in the model changes) removes the shoulder deviation: γγ 0.94-1.06 and
# total 1.04-1.24 at 0.86-0.92 GeV (unmapped 0.43-0.82 and 0.38-0.65); the total at 0.90-0.92 (1.24) carries our
# η′ → π⁺π⁻γ residue, 1.32 × PDG with [ASW]'s ρ line shape (1.00-1.14 before), hence 25 % there.
ASW_SHOULDER = [("gamma gamma", 0.85, 4.253, 0.2), ("gamma gamma", 0.88, 11.40, 0.2), ("gamma gamma", 0.90, 25.44, 0.2),
                ("gamma gamma", 0.92, 101.5, 0.2), ("total", 0.86, 12.51, 0.2), ("total", 0.88, 43.09, 0.2),
                ("total", 0.90, 203.5, 0.25), ("total", 0.92, 1571.0, 0.25)]  # fmt: skip


@pytest.mark.parametrize(("channel", "m_ref", "ref_ev", "rel"), ASW_SHOULDER)
def test_eta_prime_shoulder_against_asw_with_the_reference_peak_on_m_eta_prime(channel, m_ref, ref_ev, rel):
    c = math.log(pdg.mass(331) / 0.9455) / math.log(0.9455 / pdg.mass(221))
    mass = m_ref * (m_ref / pdg.mass(221)) ** c
    alp = GluonALP(mass, G_GG_REF)
    ours = alp.total_width() if channel == "total" else alp.partial_widths()[channel]
    assert ours * 1e9 == pytest.approx(ref_ev, rel=rel)
