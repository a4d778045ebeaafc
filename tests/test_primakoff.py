"""ALP production in the target: Primakoff conversion of meson-decay photons and ALP–meson mixing
(darkbeam.production.primakoff), and their wiring (experiment source kinds, ALP production channels, dispatch)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from darkbeam import experiments
from darkbeam.errors import KinematicsError, UnknownNameError
from darkbeam.experiments.schema import ExperimentSpec
from darkbeam.materials import element
from darkbeam.models import ALP, GluonALP
from darkbeam.models.dark_photon import DarkPhoton
from darkbeam.production import primakoff as pk
from darkbeam.production.dark import produce
from darkbeam.production.parents import ParentDecays
from darkbeam.units import ALPHA_EM, HBARC

CU = (29, 63.546)
#: copper radiation length X0 = 12.86 g/cm² (PDG RPP 2024, atomic and nuclear properties: Cu)
X0_CU = 12.86
M_E = 0.51099895e-3


def _photons(energy, n=None):
    energy = np.atleast_1d(np.asarray(energy, dtype=float))
    if n is not None:
        energy = np.full(n, float(energy[0]))
    p4 = np.zeros((len(energy), 4))
    p4[:, 2] = energy
    p4[:, 3] = energy
    return p4


# ------------------------------------------------------------------------------------------ cross sections
def test_form_factor_limits():
    # Tsai, RMP 46 (1974) 815, Eqs. 3.38-3.39: F → 1 between the screening scale 1/a² and the nuclear scale d,
    # F → a²t (screened) below, F → d/t above
    a = pk.screening_a(29)
    d = pk.nuclear_d(63.546)
    assert a == pytest.approx(111.0 * 29 ** (-1 / 3) / M_E, rel=1e-12)
    assert d == pytest.approx(0.164 * 63.546 ** (-2 / 3), rel=1e-12)
    t_mid = math.sqrt(d / a**2)
    assert float(pk.tsai_form_factor(t_mid, *CU)) == pytest.approx(1.0, abs=1e-3)
    assert float(pk.tsai_form_factor(1e-6 / a**2, *CU)) == pytest.approx(1e-6, rel=1e-5)
    assert float(pk.tsai_form_factor(1e4 * d, *CU)) == pytest.approx(1e-4, rel=1e-3)


def test_high_energy_closed_form_against_direct_integral_and_log_limit():
    # σ_∞ = (g²αZ²/8) ∫₀^∞ F² dt/t: closed form vs quadrature, and vs its c ≫ e limit ln(a²d) − 2
    for z, a_mass in (CU, (74, 183.84), (6, 12.0107)):
        a2 = pk.screening_a(z) ** 2
        d = pk.nuclear_d(a_mass)

        def integrand(u, a2=a2, d=d):
            t = math.exp(u)
            return (a2 * t / (1 + a2 * t) / (1 + t / d)) ** 2

        quad, _ = integrate.quad(integrand, -70.0, 30.0, limit=400)
        norm = ALPHA_EM * z**2 / 8.0 * HBARC**2
        closed = pk.primakoff_cross_section_high_energy(z, a_mass)
        assert closed == pytest.approx(norm * quad, rel=1e-8)
        assert closed == pytest.approx(norm * (math.log(a2 * d) - 2.0), rel=1e-6)
    # copper at g = 1 GeV⁻¹: 4.7066e-27 cm² (ln(a²d) − 2 = 15.758)
    assert pk.primakoff_cross_section_high_energy(*CU) == pytest.approx(4.7066e-27, rel=1e-4)


@pytest.mark.parametrize("z_a", [CU, (74, 183.84), (6, 12.0107)])
def test_cross_section_approaches_high_energy_limit(z_a):
    # at E = 1 TeV and m_a = 1 MeV (t₀ = 2.5e-13 GeV² ≪ 1/a²) σ_P equals its closed-form limit to 1 %
    limit = pk.primakoff_cross_section_high_energy(*z_a, g_agg=1e-4)
    sigma = pk.primakoff_cross_section(np.array([1e3, 1e4]), 1e-3, *z_a, g_agg=1e-4)
    np.testing.assert_allclose(sigma, limit, rtol=1e-2)
    # finite t₀ removes coherence: σ grows with E toward the limit and is below it
    e = np.array([0.3, 1.0, 3.0, 10.0, 100.0])
    s = pk.primakoff_cross_section(e, 0.1, *z_a)
    assert np.all(np.diff(s) > 0)
    assert np.all(s < pk.primakoff_cross_section_high_energy(*z_a))


def test_cross_section_equals_integral_of_dsigma_dtheta():
    # [DJKRS] Eq. 2.3 form dσ/dθ = (1/4) g² α Z² F² p⁴ sin³θ / t² integrated over θ (independent of the t form)
    z, a_mass = CU
    mass, energy = 0.05, 10.0
    p = math.sqrt(energy**2 - mass**2)

    def dsigma_dtheta(theta):
        t = 2 * energy * (energy - p * math.cos(theta)) - mass**2
        ff = float(pk.tsai_form_factor(t, z, a_mass))
        return 0.25 * ALPHA_EM * z**2 * ff**2 * p**4 * math.sin(theta) ** 3 / t**2

    # angles up to ~30/E·√(400 d): beyond, F² ~ (d/t)² is negligible
    total, _ = integrate.quad(dsigma_dtheta, 0.0, 0.05, points=[1e-5, 1e-4, 1e-3, 1e-2], limit=400)
    assert float(pk.primakoff_cross_section(energy, mass, z, a_mass)) == pytest.approx(total * HBARC**2, rel=2e-3)


def test_threshold_and_scaling():
    assert float(pk.primakoff_cross_section(0.05, 0.05, *CU)) == 0.0
    assert float(pk.primakoff_cross_section(0.04, 0.05, *CU)) == 0.0
    s1 = float(pk.primakoff_cross_section(20.0, 0.02, *CU, g_agg=1e-5))
    s2 = float(pk.primakoff_cross_section(20.0, 0.02, *CU, g_agg=2e-5))
    assert s2 == pytest.approx(4 * s1, rel=1e-12)


def test_absorption_cross_section_copper():
    # (7/9) A/(X0 N_A) with PDG's X0(Cu) = 12.86 g/cm²: 6.385 b (NIST XCOM pair + Compton at high energy ≈ 6 b,
    # the value ALPINIST uses for CHARM)
    sigma = pk.photon_absorption_cross_section(63.546, X0_CU)
    assert sigma == pytest.approx(7 / 9 * 63.546 / (X0_CU * 6.02214076e23), rel=1e-12)
    assert sigma == pytest.approx(6.385e-24, rel=1e-3)
    p = pk.primakoff_conversion_probability(1e4, 1e-3, *CU, X0_CU, g_agg=1e-5)
    assert float(p) == pytest.approx(1e-10 * 4.7066e-27 / 6.385e-24, rel=2e-3)


# ------------------------------------------------------------------------------------------ sampling
def test_sampled_weights_average_to_conversion_probability():
    rng = np.random.default_rng(5)
    for energy, mass in ((5.0, 0.01), (30.0, 0.1), (2.0, 0.3)):
        momentum, factor = pk.sample_primakoff(_photons(energy, 100_000), mass, *CU, X0_CU, rng)
        expected = float(pk.primakoff_conversion_probability(energy, mass, *CU, X0_CU))
        error = factor.std() / math.sqrt(len(factor))
        assert factor.mean() == pytest.approx(expected, abs=4 * error)
        assert error < 0.015 * expected
        # on shell, E_a = E_γ
        np.testing.assert_allclose(momentum[:, 3] ** 2 - np.sum(momentum[:, :3] ** 2, axis=1), mass**2, rtol=1e-6)
        np.testing.assert_allclose(momentum[:, 3], energy)


def test_sampled_angles_follow_dsigma_dt():
    # weighted distribution of t = t₀ + 4Ep sin²(θ/2) reproduces dσ/dt in bins of ln t
    rng = np.random.default_rng(7)
    energy, mass = 10.0, 0.05
    momentum, factor = pk.sample_primakoff(_photons(energy, 200_000), mass, *CU, X0_CU, rng)
    p = math.sqrt(energy**2 - mass**2)
    cos_t = momentum[:, 2] / p
    t0 = mass**4 / (energy + p) ** 2
    t = t0 + 2 * energy * p * (1 - cos_t)
    edges = np.geomspace(t0 * 1.01, 0.05, 9)
    hist, _ = np.histogram(t, edges, weights=factor)
    sigma_abs = pk.photon_absorption_cross_section(CU[1], X0_CU)
    for lo, hi, h in zip(edges[:-1], edges[1:], hist, strict=True):
        exact, _ = integrate.quad(lambda x: float(pk.primakoff_dsigma_dt(x, energy, mass, *CU)), lo, hi, limit=200)
        exact *= HBARC**2 / sigma_abs
        assert h / len(factor) == pytest.approx(exact, rel=0.05)


@settings(max_examples=25, deadline=None)
@given(energy=st.floats(0.5, 400.0), ratio=st.floats(0.001, 0.5), seed=st.integers(0, 2**31))
def test_sampling_kinematics_property(energy, ratio, seed):
    mass = energy * ratio
    rng = np.random.default_rng(seed)
    direction = rng.normal(size=3)
    direction /= np.linalg.norm(direction)
    photon = np.concatenate([direction * energy, [energy]])[None, :].repeat(50, axis=0)
    momentum, factor = pk.sample_primakoff(photon, mass, 74, 183.84, 6.76, rng)
    assert np.all(np.isfinite(momentum))
    assert np.all(factor >= 0)
    assert np.all(np.isfinite(factor))
    p = math.sqrt(energy**2 - mass**2)
    np.testing.assert_allclose(np.linalg.norm(momentum[:, :3], axis=1), p, rtol=1e-9)
    # the angle to the photon is the one of the sampled t: rows with weight have t ≤ 400 d (beyond, F² ≈ (d/t)²
    # and the window is closed: weight 0, as where t₀ itself exceeds it)
    cos_t = momentum[:, :3] @ direction / p
    t = mass**4 / (energy + p) ** 2 + 2 * energy * p * (1 - cos_t)
    t_hi = pk.T_HI_NUCLEAR * pk.nuclear_d(183.84)
    assert np.all(t[factor > 0] <= t_hi * (1 + 1e-6) + 1e-12)
    if mass**4 / (energy + p) ** 2 >= t_hi:
        assert np.all(factor == 0)


# ------------------------------------------------------------------------------------------ sources
def test_photon_source_yield_matches_meson_table():
    # photons per POT = 2 BR(π⁰→γγ) N_π⁰ + 2 BR(η→γγ) N_η, with the p400_Cu table's 7.644 π⁰ and 0.9112 η per
    # collision (data/mesons/README.md) and P_int = 1 − exp(−200 cm/15.32 cm) ≈ 1 for the CHARM dump
    source = pk.PrimakoffPhotonSource("sps_charm_cu")
    photons = source.sample(4000, np.random.default_rng(1))
    expected = 2 * 0.98823 * 7.6440 + 2 * 0.3936 * 0.91115
    assert photons.weight.sum() == pytest.approx(expected, rel=2e-3)
    assert isinstance(photons, pk.PhotonParents)
    assert photons.pdg == 22
    assert (photons.z, photons.a_mass, photons.x0_g_cm2) == (29, 63.546, 12.86)
    # massless photons; each pair sums to its meson (π⁰ or η mass)
    np.testing.assert_allclose(photons.momentum[:, 3], np.linalg.norm(photons.momentum[:, :3], axis=1), rtol=1e-9)
    k = len(photons) // 4
    pair = photons.momentum[:k] + photons.momentum[k : 2 * k]
    mass = np.sqrt(np.clip(pair[:, 3] ** 2 - np.sum(pair[:, :3] ** 2, axis=1), 0, None))
    np.testing.assert_allclose(mass, 0.1349768, rtol=1e-3)


def test_primakoff_dispatch_and_channels():
    alp = ALP(0.05, g_agg=1e-5)
    ((channel, factor, _),) = alp.production_for(22)
    assert channel.name == "primakoff"
    assert factor == pytest.approx(1e-10, rel=1e-9)
    assert DarkPhoton(0.05, 1e-6).production_for(22) == []
    photons = pk.PrimakoffPhotonSource("sps_charm_cu").sample(4000, np.random.default_rng(2))
    flux = produce(alp, photons, np.random.default_rng(3))
    assert flux.model == "alp"
    assert np.all(flux.parent_pdg == 22)
    # Σ weight ≈ Σ_γ w_γ g² σ_P(E_γ)/σ_abs (same photons, deterministic σ)
    above = photons.momentum[:, 3] > 0.05
    exact = np.sum(
        photons.weight[above]
        * pk.primakoff_conversion_probability(photons.momentum[above, 3], 0.05, *CU, X0_CU, g_agg=1e-5)
    )
    assert flux.weight.sum() == pytest.approx(exact, rel=0.05)
    with pytest.raises(KinematicsError):
        pk.produce_primakoff(
            alp,
            ParentDecays(22, photons.momentum, photons.vertex, photons.time, photons.weight),
            np.random.default_rng(0),
        )


def test_meson_mixing_source_and_production():
    model = GluonALP(0.3, g_gg=1e-3)
    source = pk.MesonMixingSource("sps_charm_cu")
    assert source.parent_pdg == pk.ALP_PDG
    mesons = source.sample(3000, np.random.default_rng(4))
    flux = produce(model, mesons, np.random.default_rng(5))
    theta2 = model.meson_mixing()
    expected = sum(mesons.weight[mesons.meson == pid].sum() * theta2[pid] for pid in (111, 221, 331))
    assert flux.weight.sum() == pytest.approx(expected, rel=1e-12)
    # N_P per POT from the p400_Cu table: 7.644 π⁰, 0.9112 η, 0.0956 η′ per collision (data/mesons/README.md)
    for pid, n_p in ((111, 7.644), (221, 0.9112), (331, 0.0956)):
        assert mesons.weight[mesons.meson == pid].sum() == pytest.approx(n_p, rel=3e-3)
    # same three-momentum, on shell at m_a
    np.testing.assert_allclose(flux.momentum[:, :3], mesons.momentum[:, :3])
    np.testing.assert_allclose(flux.momentum[:, 3] ** 2 - np.sum(flux.momentum[:, :3] ** 2, axis=1), 0.09, rtol=1e-6)
    assert set(np.unique(flux.parent_pdg)) == {111, 221, 331}
    # a photon-only ALP has no mixing channel
    assert ALP(0.3, g_agg=1e-5).production_for(pk.ALP_PDG) == []


def test_unknown_target_and_meson_names():
    with pytest.raises(UnknownNameError, match="Cu"):
        element("Xx", "target material for Primakoff production")
    with pytest.raises(UnknownNameError):
        pk.MesonMixingSource("sps_charm_cu", mesons=(211,)).sample(10, np.random.default_rng(0))


def test_experiment_source_kinds():
    exp = experiments.get("charm_sps_alp")
    source, mixing = exp.sources()
    assert isinstance(source, pk.PrimakoffPhotonSource)
    assert source.parent_pdg == 22
    assert isinstance(mixing, pk.MesonMixingSource)
    spec = exp.spec.model_dump()
    spec["sources"] = [
        {"kind": "meson_mixing", "beam": "sps_charm_cu", "source": "test"},
        {"kind": "primakoff", "beam": "sps_charm_cu", "mesons": [111], "source": "test"},
    ]
    built = experiments.Experiment(ExperimentSpec.model_validate(spec)).sources()
    assert isinstance(built[0], pk.MesonMixingSource)
    assert built[0].mesons == (111, 221, 331)
    assert isinstance(built[1], pk.PrimakoffPhotonSource)
    assert built[1].mesons == (111,)
    spec["sources"] = [{"kind": "primakoff", "beam": "sps_charm_cu", "mesons": [331], "source": "test"}]
    with pytest.raises(ValueError, match="mesons"):
        ExperimentSpec.model_validate(spec)
