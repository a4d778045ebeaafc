"""Millicharged particles: production BRs and kinematics, χ e⁻ cross section, multi-hit, ND280 scan."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from darkbeam import pdg
from darkbeam.errors import ConfigError, KinematicsError
from darkbeam.interactions import millicharged as mcp
from darkbeam.interactions.dark_matter import dsigma_dt
from darkbeam.kinematics import invariant_mass
from darkbeam.models.millicharged import (
    M_ELECTRON,
    Millicharged,
    _pair_cos_theta,
    dalitz_br_density,
    pseudoscalar_dalitz_br,
    sample_dalitz_q2,
    vector_meson_br,
)
from darkbeam.production.parents import ParentDecays

M_MU = 0.1056583755  # PDG 2024


# ---------------------------------------------------------------- production branching ratios
def test_kroll_wada_reproduces_pi0_dalitz_decay() -> None:
    """m_χ → m_e, ε = 1: BR(π⁰ → γe⁺e⁻)/BR(π⁰ → γγ) = 1.174 % / 98.823 % (PDG RPP 2024)."""
    ratio = pseudoscalar_dalitz_br(pdg.PI0, M_ELECTRON, 1.0) / 0.98823
    assert ratio == pytest.approx(0.01174 / 0.98823, rel=0.01)
    # QED closed form for m ≪ m_π, |F| = 1: (2α/3π)(2 ln(m_π/m_e) − 7/2) (Kroll–Wada leading log)
    closed = 2 * mcp.ALPHA_EM / (3 * np.pi) * (2 * np.log(pdg.mass(pdg.PI0) / M_ELECTRON) - 3.5)
    no_ff = pseudoscalar_dalitz_br(pdg.PI0, M_ELECTRON, 1.0, form_factor=False) / 0.98823
    assert no_ff == pytest.approx(closed, rel=2e-3)


def test_eta_dalitz_decays_with_form_factor() -> None:
    """BR(η → γμ⁺μ⁻) = (3.1 ± 0.4)e-4 and BR(η → γe⁺e⁻) = (6.9 ± 0.4)e-3 (PDG RPP 2024); the NA60 form factor
    raises the muon channel by ~50 % (without it the result is outside the PDG band)."""
    assert pseudoscalar_dalitz_br(pdg.ETA, M_MU, 1.0) == pytest.approx(3.1e-4, rel=0.13)
    assert pseudoscalar_dalitz_br(pdg.ETA, M_MU, 1.0, form_factor=False) < 3.1e-4 - 2 * 0.4e-4
    assert pseudoscalar_dalitz_br(pdg.ETA, M_ELECTRON, 1.0) == pytest.approx(6.9e-3, rel=0.06)


def test_vector_meson_dimuon_rates() -> None:
    """V → μ⁺μ⁻ from BR(V → e⁺e⁻) and the phase-space ratio: φ (2.86 ± 0.19)e-4, ω (7.4 ± 1.8)e-5 (PDG 2024)."""
    assert vector_meson_br(333, M_MU, 1.0) == pytest.approx(2.86e-4, rel=0.07)
    assert vector_meson_br(223, M_MU, 1.0) == pytest.approx(7.4e-5, rel=0.25)
    assert vector_meson_br(333, 0.6, 1.0) == 0.0


@settings(max_examples=20, deadline=None)
@given(m=st.floats(0.001, 0.26), eps=st.floats(1e-6, 0.5))
def test_branching_ratios_scale_as_epsilon_squared(m: float, eps: float) -> None:
    model = Millicharged(mass=m, epsilon=eps)
    ref = Millicharged(mass=m, epsilon=1.0).production_branching_ratios()
    for parent, brs in model.production_branching_ratios().items():
        for name, br in brs.items():
            assert br == pytest.approx(eps**2 * ref[parent][name], rel=1e-10)
    # heavier χ: smaller Dalitz BR (phase space closes)
    assert pseudoscalar_dalitz_br(pdg.ETA, m, 1.0) > pseudoscalar_dalitz_br(pdg.ETA, m * 1.05, 1.0)


def test_closed_channels() -> None:
    model = Millicharged(mass=0.3, epsilon=1e-3)
    brs = model.production_branching_ratios()
    assert pdg.PI0 not in brs
    assert pdg.ETA not in brs
    assert 333 in brs
    parents = ParentDecays(
        pdg.PI0, np.array([[0.0, 0.0, 1.0, np.hypot(1.0, 0.135)]]), np.zeros((1, 3)), np.zeros(1), np.ones(1)
    )
    with pytest.raises(KinematicsError):
        model.produce(parents, np.random.default_rng(1))
    with pytest.raises(ConfigError):
        Millicharged(mass=0.1, epsilon=2.0)


# ---------------------------------------------------------------- kinematics
def _parents(pdg_id: int, n: int, rng: np.random.Generator) -> ParentDecays:
    m = pdg.mass(pdg_id)
    p = np.column_stack([rng.normal(0, 0.3, n), rng.normal(0, 0.3, n), rng.uniform(0.5, 20.0, n)])
    e = np.sqrt(np.sum(p * p, axis=1) + m * m)
    return ParentDecays(pdg_id, np.column_stack([p, e]), np.zeros((n, 3)), np.zeros(n), np.full(n, 2.0 / n))


def test_q2_sampling_follows_the_dalitz_spectrum() -> None:
    m_chi = 0.02
    q2 = sample_dalitz_q2(pdg.ETA, m_chi, 200_000, np.random.default_rng(3))
    lo, hi = 4 * m_chi**2, pdg.mass(pdg.ETA) ** 2
    norm = integrate.quad(lambda x: dalitz_br_density(x, pdg.ETA, m_chi), lo, hi, points=[lo * 4], limit=200)[0]
    mean = integrate.quad(lambda x: x * dalitz_br_density(x, pdg.ETA, m_chi), lo, hi, limit=200)[0] / norm
    assert np.all((q2 > lo) & (q2 < hi))
    assert q2.mean() == pytest.approx(mean, rel=5 * q2.std() / mean / np.sqrt(len(q2)))
    assert norm == pytest.approx(pseudoscalar_dalitz_br(pdg.ETA, m_chi, 1.0), rel=1e-4)


def test_pair_angular_distribution() -> None:
    """⟨cos²θ⟩ of 1 + c² + r(1 − c²) on [−1, 1] is (2/3 + 2/5 + r(2/3 − 2/5)) / (8/3 + 4r/3)."""
    rng = np.random.default_rng(5)
    for r in (0.0, 0.5, 1.0):
        q2 = np.full(100_000, 1.0)
        c = _pair_cos_theta(q2, np.sqrt(r) / 2, rng)
        expected = (2 / 3 + 2 / 5 + r * (2 / 3 - 2 / 5)) / (8 / 3 + 4 * r / 3)
        assert np.mean(c * c) == pytest.approx(expected, abs=4e-3)


@pytest.mark.parametrize("parent", [pdg.PI0, pdg.ETA, 113, 333])
def test_produce_conserves_momentum_and_weights(parent: int) -> None:
    rng = np.random.default_rng(11)
    model = Millicharged(mass=0.03, epsilon=1e-3)
    parents = _parents(parent, 5000, rng)
    flux = model.produce(parents, rng)
    n = len(parents)
    chi, chibar = flux.momentum[:n], flux.momentum[n:]
    assert np.allclose(invariant_mass(chi), 0.03, rtol=1e-6)
    assert np.allclose(invariant_mass(chibar), 0.03, rtol=1e-6)
    pair_mass = invariant_mass(chi + chibar)
    m_p = pdg.mass(parent)
    if parent in (pdg.PI0, pdg.ETA):
        photon = parents.momentum - chi - chibar
        assert np.allclose(invariant_mass(photon), 0.0, atol=1e-5 * m_p)
        assert np.all((pair_mass > 0.06 - 1e-9) & (pair_mass < m_p + 1e-9))
    else:
        assert np.allclose(pair_mass, m_p, rtol=1e-7)
    br = next(iter(model.production_branching_ratios()[parent].values()))
    assert flux.weight.sum() == pytest.approx(2 * 2.0 * br, rel=1e-12)
    assert flux.antiparticle is not None
    assert flux.antiparticle.sum() == n


# ---------------------------------------------------------------- detection
def test_cross_section_equals_dark_photon_limit() -> None:
    """mCP χe = dark-photon χe (Dirac χ) for m_A′ → 0 and g_D = e (α_D = α): independent implementation."""
    e = np.array([0.2, 1.0, 5.0])
    for t in (1e-4, 1e-2, 0.1):
        a = mcp.dsigma_der_electron(e, t, 0.05, 1e-3)
        b = dsigma_dt(e, t, 0.05, 1e-8, 1e-3, mcp.ALPHA_EM, "electron", chi="fermion")
        assert np.allclose(a, b, rtol=1e-6)


@settings(max_examples=25, deadline=None)
@given(e=st.floats(0.05, 50.0), m=st.floats(1e-3, 0.5), eps=st.floats(1e-6, 0.1))
def test_cross_section_limits_and_scaling(e: float, m: float, eps: float) -> None:
    if e <= m * 1.01:
        e = m * 1.5
    p2 = e * e - m * m
    er = 1e-7
    low = mcp.dsigma_der_electron(e, er, m, eps) / mcp.GEV2_TO_CM2
    limit = 2 * np.pi * mcp.ALPHA_EM**2 * eps**2 * e * e / (mcp.M_ELECTRON * p2 * er * er)
    assert low == pytest.approx(limit, rel=1e-3)  # 1/E_r² at low recoil
    assert mcp.dsigma_der_electron(e, 2 * er, m, eps) == pytest.approx(low * mcp.GEV2_TO_CM2 / 4, rel=2e-3)
    assert mcp.electron_cross_section(e, m, 2 * eps, 1e-3) == pytest.approx(
        4 * mcp.electron_cross_section(e, m, eps, 1e-3), rel=1e-12
    )
    assert mcp.dsigma_der_electron(e, mcp.max_electron_recoil(e, m) * 1.001, m, eps) == 0.0


def test_closed_form_window_integral() -> None:
    e, m, eps = 2.0, 0.1, 1e-3
    hi = float(mcp.max_electron_recoil(e, m))
    numeric = integrate.quad(
        lambda t: float(mcp.dsigma_der_electron(e, t, m, eps)), 1e-3, 0.3, limit=200, points=[1e-2]
    )[0]
    assert float(mcp.electron_cross_section(e, m, eps, 1e-3, 0.3)) == pytest.approx(numeric, rel=1e-7)
    assert hi > 0.3
    full = integrate.quad(lambda t: float(mcp.dsigma_der_electron(e, t, m, eps)), 1e-3, hi, limit=200)[0]
    assert float(mcp.electron_cross_section(e, m, eps, 1e-3)) == pytest.approx(full, rel=1e-7)
    # below threshold of the window: zero
    assert float(mcp.electron_cross_section(0.1001, 0.1, eps, 1e-3)) == 0.0


def test_multi_hit_probability() -> None:
    p = np.array([1e-4, 0.01, 0.3])
    n = 60
    closed = 1 - (1 - p) ** n - n * p * (1 - p) ** (n - 1)
    assert np.allclose(mcp.multi_hit_probability(p, n, 2), closed, rtol=1e-9)
    assert float(mcp.multi_hit_probability(1e-6, n, 2)) == pytest.approx(n * (n - 1) / 2 * 1e-12, rel=1e-3)
    # ≥ 1 p.e.: 1 − exp(−ε² μ); ≥ 2 p.e.: 1 − e^{−μ}(1 + μ)
    mu = 0.2**2 * 20
    assert float(mcp.layer_hit_probability(0.2, 20.0, 1)) == pytest.approx(1 - np.exp(-mu), rel=1e-12)
    assert float(mcp.layer_hit_probability(0.2, 20.0, 2)) == pytest.approx(1 - np.exp(-mu) * (1 + mu), rel=1e-10)
    with pytest.raises(ConfigError):
        mcp.multi_hit_probability(0.1, 3, 4)


# ---------------------------------------------------------------- ND280 scan
def test_nd280_scan_scaling() -> None:
    from darkbeam.experiments import get
    from darkbeam.scan.scattering import millicharged_sensitivity

    exp = get("nd280_mcp")
    eps = np.array([1e-4, 1e-3])
    res = millicharged_sensitivity({}, exp, [0.05, 0.6], eps, n_parents=5000, seed=2)
    assert res.expected[0, 1] == pytest.approx(1e4 * res.expected[0, 0], rel=1e-9)  # N ∝ ε⁴
    assert res.expected[0, 1] > 0
    assert np.all(res.expected[1] == 0)
    assert res.coupling_name == "epsilon"
    assert res.model == "millicharged"
    hits = millicharged_sensitivity({}, exp, [0.05], eps, n_parents=5000, seed=2, signal="multi_hit")
    assert hits.expected[0, 1] > hits.expected[0, 0] > 0
    with pytest.raises(ConfigError):
        millicharged_sensitivity({}, exp, [0.05], eps, signal="photon")


def test_pipeline_make_flux_uses_own_production() -> None:
    """pipeline.make_flux dispatches to Millicharged.produce for every open meson source of nd280_mcp."""
    from darkbeam.experiments import get
    from darkbeam.pipeline import DETECTOR, make_flux

    model = Millicharged(mass=0.1, epsilon=1e-3)
    flux = make_flux(model, get("nd280_mcp"), 2000, np.random.default_rng(9))
    assert set(np.unique(flux.parent_pdg)) == {pdg.ETA, 113, 223, 333}  # π⁰ closed at 2 m_χ = 0.2 GeV
    assert np.all(flux.weight > 0)
    assert flux.hits(DETECTOR).any()
    assert np.allclose(invariant_mass(flux.momentum), 0.1, rtol=1e-6)
