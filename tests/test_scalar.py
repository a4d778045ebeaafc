"""Higgs-portal scalar widths and production against closed forms and published numbers."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam.errors import ConfigError, KinematicsError
from darkbeam.models import HiggsPortalScalar
from darkbeam.models.scalar import width_kaon_to_pion_scalar

V = 246.2196  # (sqrt(2) G_F)^(-1/2) with G_F = 1.1663788e-5 GeV^-2
M_E, M_MU, M_PIC, M_PI0 = 0.51099895e-3, 0.1056583755, 0.13957039, 0.1349768  # PDG 2024 [GeV]
HBARC = 1.973269804e-14  # GeV cm


def test_electron_width_closed_form():
    # white paper (arXiv:2207.00597) Eq. 13: Γ = sin²θ m_e² m_S (1 − 4m_e²/m_S²)^{3/2} / (8π v²)
    m = 0.1
    expected = M_E**2 * m * (1 - 4 * M_E**2 / m**2) ** 1.5 / (8 * math.pi * V**2)
    s = HiggsPortalScalar(m, 1.0)
    assert s.partial_widths()["e+e-"] == pytest.approx(expected, rel=1e-5)
    # below the dimuon threshold cτ = ħc/Γ_ee: 1.15 cm at θ = 1, 100 MeV
    assert s.ctau() == pytest.approx(HBARC / expected, rel=1e-5)
    assert s.ctau() == pytest.approx(1.1516, rel=1e-3)


def test_pion_width_leading_order_chpt():
    # white paper Eq. 14 with G_π = (2/9)(m_S² + 11 m_π²/2), π⁺π⁻ : π⁰π⁰ = 2 : 1 (Bezrukov & Gorbunov 0912.0390)
    m = 0.3
    widths = HiggsPortalScalar(m, 1.0).partial_widths()
    for key, mpi, frac in (("pi+pi-", M_PIC, 2 / 3), ("pi0pi0", M_PI0, 1 / 3)):
        g = 2 / 9 * (m**2 + 5.5 * mpi**2)
        expected = frac * 3 * g**2 * math.sqrt(1 - 4 * mpi**2 / m**2) / (32 * math.pi * V**2 * m)
        assert widths[key] == pytest.approx(expected, rel=1e-5)


def test_thresholds():
    assert set(HiggsPortalScalar(0.2, 1e-3).partial_widths()) == {"e+e-"}
    assert set(HiggsPortalScalar(0.215, 1e-3).partial_widths()) == {"e+e-", "mu+mu-"}
    assert set(HiggsPortalScalar(0.275, 1e-3).partial_widths()) == {"e+e-", "mu+mu-", "pi0pi0"}
    assert HiggsPortalScalar(0.36, 1e-3).production_branching_ratios() == {}  # above m_K − m_π
    with pytest.raises(KinematicsError, match="2 m_K"):
        HiggsPortalScalar(1.2, 1e-3)


def test_kaon_branching_ratio_normalisation():
    # BR(K⁺ → π⁺ S) → 2×10⁻³ sin²θ as m_S → 0 (Kelly, NuSTEC 2024 lecture, seed 002; Batell et al. 1909.11670
    # Eq. 5 with PDG 2024 CKM). Re-evaluated with MicroBooNE's constants (|V_td| 8.1e-3, |V_ts| 39.4e-3,
    # m_t 172.9 GeV) it gives 1.527e-3 at m_S → 0 (MicroBooNE HPS generator for arXiv:2106.00568).
    br0 = HiggsPortalScalar(1e-4, 1.0).production_branching_ratios()[321]["K+ -> pi+ S"]
    assert br0 == pytest.approx(2.0e-3, rel=0.1)  # the lecture quotes one significant figure
    from darkbeam.units import M_TOP, V_TD, V_TS

    microboone = br0 * (8.1e-3 * 39.4e-3 / (V_TD * V_TS)) ** 2 * (172.9 / M_TOP) ** 4
    assert microboone == pytest.approx(1.527e-3, rel=0.01)
    # two-body phase space: ∝ λ^{1/2}(1, m_S²/m_K², m_π²/m_K²)
    ratio = width_kaon_to_pion_scalar(0.2, 1.0) / width_kaon_to_pion_scalar(1e-4, 1.0)
    mk, mpi = 0.493677, M_PIC
    lam = lambda a, b, c: a * a + b * b + c * c - 2 * (a * b + b * c + c * a)  # noqa: E731
    assert ratio == pytest.approx(
        math.sqrt(lam(1, 0.04 / mk**2, mpi**2 / mk**2) / lam(1, 0, mpi**2 / mk**2)), 1e-6
    )


@given(mass=st.floats(0.0011, 0.99), sin_theta=st.floats(1e-8, 1.0))
@settings(max_examples=60, deadline=None)
def test_branching_ratios_sum_to_one_and_scale(mass, sin_theta):
    s = HiggsPortalScalar(mass, sin_theta)
    brs = s.branching_ratios()
    assert sum(brs.values()) == pytest.approx(1.0, rel=1e-12)
    assert all(0 <= v <= 1 for v in brs.values())
    assert s.total_width() == pytest.approx(
        HiggsPortalScalar(mass, 1.0).total_width() * sin_theta**2, rel=1e-9
    )
    assert s.with_coupling(2 * sin_theta if sin_theta <= 0.5 else sin_theta / 2).ctau() != s.ctau()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("mass", {"mass": -0.1}),
        ("sin_theta", {"mass": 0.1, "sin_theta": -1e-4}),
        ("sin_theta", {"mass": 0.1, "sin_theta": 2.0}),
    ],
)
def test_bad_parameters_name_the_field(field, kwargs):
    with pytest.raises(ConfigError, match=field):
        HiggsPortalScalar(**kwargs)
