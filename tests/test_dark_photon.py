"""Dark photon widths, branching ratios and production against closed forms and Darkcast.

Reference values "Darkcast" below are the dark-photon lifetime and e⁺e⁻ branching ratio computed with Darkcast
(P. Ilten, Y. Soreq, M. Williams, W. Xue, JHEP 06 (2018) 004, arXiv:1801.04847), as tabulated by FORESEE
(F. Kling, S. Trojanowski, arXiv:2105.07077, Models/DarkPhoton/model/ctau_DarkCast.txt and br_DarkCast/e_e.txt):
cτ in metres at ε = 1.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam.errors import ConfigError, KinematicsError
from darkbeam.models import MODELS
from darkbeam.models.dark_photon import (
    DarkPhoton,
    br_meson_to_photon_dark_photon,
    br_omega_to_pi0_dark_photon,
    pion_form_factor,
    width_to_chi,
)

ALPHA = 1 / 137.035999084
M_E, M_MU = 0.51099895e-3, 0.1056583755
HBARC = 1.973269804e-14  # GeV cm

# (mass [GeV], Darkcast cτ [m] at ε = 1, Darkcast BR(e+e-)) — arXiv:1801.04847 via FORESEE (see module docstring),
# values on FORESEE's 10 MeV grid, dense at 1.00-1.03 and 1.45-1.80 GeV. Tolerance 10 % (issue #5 acceptance); all
# 200 grid masses 0.01-2 GeV are within it (largest: +9.4 % at 1.03, +9.2 % at 1.65, −8.3 % at 1.90 GeV).
DARKCAST = [
    (0.01, 8.1182e-12, 1.0),
    (0.05, 1.6236e-12, 1.0),
    (0.10, 8.1179e-13, 1.0),
    (0.20, 4.0589e-13, 1.0),
    (0.30, 1.4220e-13, 0.52550),
    (0.40, 9.3589e-14, 0.46115),
    (0.50, 6.5149e-14, 0.40126),
    (0.60, 4.0605e-14, 0.30011),
    (0.70, 1.6753e-14, 0.14446),
    (0.75, 1.0210e-14, 0.094329),
    (0.76, 9.5956e-15, 0.089835),
    (0.77, 8.6786e-15, 0.082318),
    (0.78, 5.2104e-15, 0.050064),
    (0.79, 8.9741e-15, 0.087333),
    (0.80, 1.1685e-14, 0.11515),
    (0.85, 1.8057e-14, 0.18907),
    (0.90, 2.3575e-14, 0.26137),
    (0.95, 2.6888e-14, 0.31465),
    (1.00, 2.5495e-14, 0.31406),
    (1.01, 1.6607e-14, 0.20661),
    (1.02, 1.7133e-15, 0.021527),
    (1.03, 1.3969e-14, 0.17723),
    (1.05, 2.2982e-14, 0.29726),
    (1.10, 2.4306e-14, 0.32935),
    (1.20, 2.2307e-14, 0.32974),
    (1.30, 1.8985e-14, 0.30403),
    (1.40, 1.5949e-14, 0.27506),
    (1.45, 1.4553e-14, 0.25994),
    (1.46, 1.4333e-14, 0.25778),
    (1.47, 1.4134e-14, 0.25594),
    (1.48, 1.3905e-14, 0.25351),
    (1.49, 1.3199e-14, 0.24227),
    (1.50, 1.2765e-14, 0.23587),
    (1.51, 1.2517e-14, 0.23283),
    (1.52, 1.2409e-14, 0.23235),
    (1.53, 1.2384e-14, 0.23341),
    (1.55, 1.2383e-14, 0.23643),
    (1.56, 1.2313e-14, 0.23662),
    (1.58, 1.2010e-14, 0.23375),
    (1.60, 1.1569e-14, 0.22803),
    (1.61, 1.1329e-14, 0.22468),
    (1.62, 1.1095e-14, 0.22140),
    (1.65, 1.0574e-14, 0.21492),
    (1.68, 1.0446e-14, 0.21618),
    (1.70, 1.0415e-14, 0.21809),
    (1.75, 1.0102e-14, 0.21778),
    (1.76, 1.0072e-14, 0.21837),
    (1.78, 1.0086e-14, 0.22116),
    (1.80, 1.0197e-14, 0.22611),
    (1.85, 1.0767e-14, 0.24537),
    (1.90, 1.1038e-14, 0.25835),
    (1.95, 1.0209e-14, 0.24523),
    (2.00, 9.7102e-15, 0.23923),
]


@pytest.mark.parametrize(("mass", "ctau_m", "br_ee"), DARKCAST)
def test_ctau_and_br_ee_vs_darkcast(mass, ctau_m, br_ee):
    a = DarkPhoton(mass, 1.0)
    assert a.ctau() / 100 == pytest.approx(ctau_m, rel=0.10)
    assert a.branching_ratios()["e+e-"] == pytest.approx(br_ee, rel=0.10)


# Darkcast channel branching ratios (same source as DARKCAST above: FORESEE br_DarkCast/<channel>.txt)
DARKCAST_CHANNELS = [
    (0.50, "pi+pi-", 0.20254),
    (0.70, "pi+pi-", 0.70962),
    (0.76, "pi+pi-", 0.79104),
    (0.90, "pi+pi-", 0.45174),
    (1.05, "pi+pi-", 0.14728),
    (1.20, "pi+pi-", 0.077584),
    (0.78, "pi+pi-pi0", 0.40656),
    (1.02, "pi+pi-pi0", 0.14714),
]


@pytest.mark.parametrize(("mass", "channel", "br"), DARKCAST_CHANNELS)
def test_channel_brs_vs_darkcast(mass, channel, br):
    assert DarkPhoton(mass, 1.0).branching_ratios()[channel] == pytest.approx(br, rel=0.10)


def test_four_pion_continuum_vs_darkcast():
    # Darkcast at 1.5 GeV: BR(2π⁺2π⁻) = 0.1920, BR(π⁺π⁻2π⁰) = 0.1949; this module's sum is 17 % higher (its
    # continuum carries the whole multi-hadron R, Darkcast puts part of it into "other" channels)
    brs = DarkPhoton(1.5, 1.0).branching_ratios()
    assert brs["pi+pi-pi+pi-"] + brs["pi+pi-pi0pi0"] == pytest.approx(0.1920 + 0.1949, rel=0.25)


# cτ [m] (ε = 1) and BR(e⁺e⁻) derived from Darkcast's own VMD grids (github.com/micha-a-schmidt/darkcast, commit
# db9a0f6, vmd/rf.*.dat) with Darkcast's weights (its model.py/pars.py: each single-meson grid × (r_V tr(T_V Q))² = 1,
# the ω–φ interference grid of π⁺π⁻π⁰ × 2(r_ω tr_ω)(r_φ tr_φ) = −2 for the dark photon) and
# Γ = (α m/3)(R_had + Σ_ℓ (1 + 2x)(1 − 4x)^{1/2}) (arXiv:1801.04847 Eqs. 2.8, 2.15-2.18), densely across the φ
# (these reproduce FORESEE's table above to 1e-4). Within 10 %:
DARKCAST_GRIDS = [
    (0.9900, 2.7108e-14, 0.3308),
    (1.0000, 2.5477e-14, 0.3141),
    (1.0050, 2.2753e-14, 0.2819),
    (1.0100, 1.6595e-14, 0.2066),
    (1.0125, 1.1687e-14, 0.1459),
    (1.0175, 2.3498e-15, 0.0295),
    (1.0200, 1.7121e-15, 0.0215),
    (1.0225, 4.0443e-15, 0.0510),
    (1.0250, 7.5911e-15, 0.0959),
    (1.0275, 1.1057e-14, 0.1400),
    (1.0300, 1.3959e-14, 0.1772),
    (1.0400, 2.0488e-14, 0.2627),
    (1.0500, 2.2966e-14, 0.2973),
]
# Known deviation (cτ ratio ours/Darkcast-grid band) on the low-side φ shoulder, 1.0145-1.017 GeV: Darkcast's K K̄
# peak sits ≈ 0.4 MeV below the PDG φ mass used here and has 16 % more area. An improvement must move these up.
DARKCAST_GRIDS_DEVIATIONS = [
    (1.0150, 6.2796e-15, 1.08, 1.15),
    (1.0160, 4.3967e-15, 1.08, 1.16),
]


@pytest.mark.parametrize(("mass", "ctau_m", "br_ee"), DARKCAST_GRIDS)
def test_ctau_and_br_ee_vs_darkcast_vmd_grids(mass, ctau_m, br_ee):
    a = DarkPhoton(mass, 1.0)
    assert a.ctau() / 100 == pytest.approx(ctau_m, rel=0.10)
    assert a.branching_ratios()["e+e-"] == pytest.approx(br_ee, rel=0.10)


@pytest.mark.parametrize(("mass", "ctau_m", "low", "high"), DARKCAST_GRIDS_DEVIATIONS)
def test_known_deviations_from_darkcast_vmd_grids(mass, ctau_m, low, high):
    assert low < DarkPhoton(mass, 1.0).ctau() / 100 / ctau_m < high


# Channel BRs vs Darkcast's VMD grids (same derivation as DARKCAST_GRIDS; K K̄ = K⁺K⁻ + K⁰K̄⁰), within 10 %
DARKCAST_GRID_CHANNELS = [
    (0.78, ("pi+pi-",), 0.4497),
    (0.78, ("pi+pi-pi0",), 0.4066),
    (1.00, ("pi+pi-pi0",), 0.1058),
    (1.01, ("pi+pi-pi0",), 0.1673),
    (1.02, ("K+K-", "K0K0bar"), 0.7949),
    (1.02, ("pi+pi-pi0",), 0.1471),
    (1.05, ("K+K-", "K0K0bar"), 0.2123),
    (1.05, ("pi+pi-",), 0.1473),
    (1.20, ("pi+pi-",), 0.0776),
    (1.20, ("pi+pi-pi0",), 0.0292),
    (1.40, ("pi+pi-pi0",), 0.0253),
    (1.50, ("pi+pi-pi0",), 0.0274),
    (1.65, ("pi+pi-pi0",), 0.0324),
    (1.80, ("pi+pi-pi0",), 0.0112),
]


@pytest.mark.parametrize(("mass", "channels", "br"), DARKCAST_GRID_CHANNELS)
def test_channel_brs_vs_darkcast_vmd_grids(mass, channels, br):
    brs = DarkPhoton(mass, 1.0).branching_ratios()
    assert sum(brs[c] for c in channels) == pytest.approx(br, rel=0.10)


# Known channel-level differences (ratio ours/Darkcast-grid BR band): K K̄ above 1.1 GeV (Czyż-Grzelińska-Kühn Fit 2
# vs Darkcast's fit) and 4π (this module's smooth continuum also carries Darkcast's K K̄π and "other" channels)
DARKCAST_GRID_CHANNEL_DEVIATIONS = [
    (1.20, ("K+K-", "K0K0bar"), 0.0817, 0.55, 0.75),
    (1.50, ("K+K-", "K0K0bar"), 0.0428, 0.3, 0.45),
    (1.40, ("pi+pi-pi+pi-", "pi+pi-pi0pi0"), 0.3497, 1.03, 1.2),
    (1.80, ("pi+pi-pi+pi-", "pi+pi-pi0pi0"), 0.2250, 2.0, 2.5),
]


@pytest.mark.parametrize(("mass", "channels", "br", "low", "high"), DARKCAST_GRID_CHANNEL_DEVIATIONS)
def test_channel_deviations_vs_darkcast_vmd_grids(mass, channels, br, low, high):
    brs = DarkPhoton(mass, 1.0).branching_ratios()
    assert low < sum(brs[c] for c in channels) / br < high


def test_three_pion_omega_peak_and_phi_interference():
    # ω peak: R = 9 B_ee B_3π/α² (PDG 2024: B_ee = 7.38e-5, B_3π = 0.892) within 2 %; ω-φ interference constructive
    # below and destructive above the φ (CMD-2 phase χ_φω = 162° ± 17°)
    from darkbeam.models.dark_photon import three_pion_r

    assert float(three_pion_r(0.7824)) == pytest.approx(9 * 7.38e-5 * 0.892 / ALPHA**2, rel=0.02)
    assert float(three_pion_r(1.00)) > 2 * float(three_pion_r(1.04))
    assert float(three_pion_r(0.40)) == 0.0  # below 2m_π± + m_π0


def test_cgk_dual_tower_normalisation():
    # Czyż-Grzelińska-Kühn PRD 81 094014 (2010): the dual tower couplings sum to 1 (Eq. 8), and the Fit-2 explicit
    # couplings plus the tower reproduce the normalisation F(0) = 1 of each isospin component to the quoted rounding
    import numpy as np

    from darkbeam.models.dark_photon import _CGK_OMEGA, _CGK_PHI, _CGK_RHO, _dual_coefficient

    assert _dual_coefficient(2.21, np.arange(200)).sum() == pytest.approx(1.0, abs=2e-3)
    for tower in (_CGK_RHO, _CGK_OMEGA, _CGK_PHI):
        assert tower[0].sum() == pytest.approx(1.0, abs=6e-3)
    assert _CGK_PHI[0][0] == pytest.approx(1.0, abs=0.01)  # c_φ0 from PDG Γ_ee B(K⁺K⁻) (Fit 2: 0.947)
    # c_0 of the pure dual model for β_ρ = 2.21 (≈ 1.12, the fitted c_ρ0 = 1.120 of Fit 2)
    assert _dual_coefficient(2.21, np.arange(1))[0] == pytest.approx(1.122, abs=2e-3)


def test_lepton_width_closed_form():
    # Γ = (α ε² m/3)(1 + 2x)(1 − 4x)^{1/2}, x = m_ℓ²/m² (Batell, Pospelov, Ritz arXiv:0906.5614 Eq. 6)
    m, eps = 0.5, 1e-3
    w = DarkPhoton(m, eps).partial_widths()
    for key, ml in (("e+e-", M_E), ("mu+mu-", M_MU)):
        x = ml**2 / m**2
        assert w[key] == pytest.approx(ALPHA * eps**2 * m / 3 * (1 + 2 * x) * math.sqrt(1 - 4 * x), rel=1e-6)
    # below 2 m_mu only e+e-: cτ = ħc/Γ_ee
    low = DarkPhoton(0.1, 1e-4)
    assert set(low.partial_widths()) == {"e+e-"}
    assert low.ctau() == pytest.approx(HBARC / (ALPHA * 1e-8 * 0.1 / 3), rel=1e-4)


def test_pion_form_factor_normalisation_and_rho_peak():
    assert abs(pion_form_factor(0.0)) == pytest.approx(1.0, abs=1e-12)
    # |F_π|² at the ρ peak ≈ 40-45 (e⁺e⁻ → π⁺π⁻ data, e.g. CMD-2 / KLOE); the KS fit gives ≈ 40
    peak = max(abs(pion_form_factor(s)) ** 2 for s in [0.58, 0.59, 0.60, 0.605, 0.61])
    assert 35 < peak < 50


def test_phi_peak_kk_matches_narrow_resonance():
    # R(K K̄) at the φ peak vs the narrow-resonance value 9 B_ee B_KK / α² (PDG 2024 φ parameters): the φ(1020)
    # coupling of the Czyż-Grzelińska-Kühn form factor is fixed by PDG Γ_ee B(K⁺K⁻); K⁰K̄⁰ follows via η_φ = 1.055
    a = DarkPhoton(1.019461, 1.0)
    w = a.partial_widths()
    unit = ALPHA * 1.019461 / 3
    assert w["K+K-"] / unit == pytest.approx(9 * 2.979e-4 * 0.491 / ALPHA**2, rel=0.03)
    assert w["K0K0bar"] / unit == pytest.approx(9 * 2.979e-4 * 0.339 / ALPHA**2, rel=0.08)


@pytest.mark.parametrize("parent", [111, 221, 331])
def test_meson_to_gamma_dark_photon(parent):
    # BR(P → γA′) = 2ε²(1 − m²/m_P²)³ BR(P → γγ) (white paper arXiv:2207.00597; Batell, Pospelov, Ritz 0906.5614)
    brgg = {111: 0.98823, 221: 0.3936, 331: 0.0231}[parent]
    mp = {111: 0.1349768, 221: 0.547862, 331: 0.95778}[parent]
    m, eps = 0.05, 1e-4
    assert br_meson_to_photon_dark_photon(m, parent, eps) == pytest.approx(
        2 * eps**2 * (1 - m**2 / mp**2) ** 3 * brgg, rel=1e-6
    )
    assert br_meson_to_photon_dark_photon(mp, parent, eps) == 0.0


def test_omega_to_pi0_dark_photon():
    eps = 1e-3
    assert br_omega_to_pi0_dark_photon(1e-6, eps) == pytest.approx(eps**2 * 0.0835, rel=1e-6)
    assert br_omega_to_pi0_dark_photon(0.3, eps) < br_omega_to_pi0_dark_photon(0.1, eps)
    assert br_omega_to_pi0_dark_photon(0.65, eps) == 0.0
    prod = DarkPhoton(0.3, eps).production_branching_ratios()
    assert set(prod) == {221, 331, 223, 2212}  # 2212: proton bremsstrahlung (coupling factor ε²)


def test_invisible_channel():
    m, mchi, ad = 0.3, 0.05, 0.5
    x = mchi**2 / m**2
    assert width_to_chi(m, mchi, ad, "fermion") == pytest.approx(ad * m / 3 * (1 + 2 * x) * math.sqrt(1 - 4 * x))
    assert width_to_chi(m, mchi, ad, "scalar") == pytest.approx(ad * m / 12 * (1 - 4 * x) ** 1.5)
    a = DarkPhoton(m, 1e-4, alpha_dark=ad, m_chi=mchi)
    assert a.branching_ratios()["chi chi"] > 0.999
    assert not a.decay_channels()["chi chi"].visible
    assert a.visible_width() == pytest.approx(DarkPhoton(m, 1e-4).total_width(), rel=1e-12)
    assert "chi chi" not in DarkPhoton(0.09, 1e-4, alpha_dark=ad, m_chi=mchi).partial_widths()


@given(mass=st.floats(0.0011, 4.9), eps=st.floats(1e-9, 1.0))
@settings(max_examples=60, deadline=None)
def test_brs_sum_to_one_and_scale(mass, eps):
    a = DarkPhoton(mass, eps)
    brs = a.branching_ratios()
    assert sum(brs.values()) == pytest.approx(1.0, rel=1e-12)
    assert all(0 <= v <= 1 for v in brs.values())
    assert set(a.decay_channels()) == set(brs)
    assert a.total_width() == pytest.approx(DarkPhoton(mass, 1.0).total_width() * eps**2, rel=1e-9)


def test_total_width_continuous_across_thresholds():
    # no jumps: relative change over ±1e-9 GeV stays small at every threshold (widths open as β or β³)
    for threshold in (2 * M_MU, 0.2791, 0.4144, 0.5583, 0.98735, 0.99522, 1.77693 * 2, 1.86484 * 2):
        lo = DarkPhoton(threshold - 1e-9, 1.0).total_width()
        hi = DarkPhoton(threshold + 1e-9, 1.0).total_width()
        assert hi == pytest.approx(lo, rel=2e-3)


def test_registry_and_errors():
    assert MODELS["dark_photon"] is DarkPhoton
    with pytest.raises(ConfigError, match="epsilon"):
        DarkPhoton(0.1, -1.0)
    with pytest.raises(ConfigError, match="chi_spin"):
        DarkPhoton(0.1, 1e-3, alpha_dark=0.5, m_chi=0.01, chi_spin="vector")
    with pytest.raises(ConfigError, match="m_chi"):
        DarkPhoton(0.1, 1e-3, alpha_dark=0.5)
    with pytest.raises(KinematicsError, match=r"5\.0 GeV"):
        DarkPhoton(6.0, 1e-3)
