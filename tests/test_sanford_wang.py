"""BNB meson production (MiniBooNE Sanford–Wang / Feynman-scaling fits, PRD 79, 072002 (2009))."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from darkbeam import beams
from darkbeam.errors import ConfigError
from darkbeam.production.sanford_wang import SPECIES, SanfordWangSource, d2sigma, sanford_wang
from darkbeam.units import C_LIGHT

P_BEAM = 8.89


@pytest.fixture(scope="module")
def source() -> SanfordWangSource:
    return SanfordWangSource(beams.get("bnb"))


def test_sanford_wang_formula_by_hand() -> None:
    """π⁺ at p = 2 GeV/c, θ = 0.1 rad from the π⁺ table of PRD 79, 072002 (c1..c9 = 220.7, 1.080, 1.0, 1.978,
    1.32, 5.572, 0.0868, 9.686, 1.0), evaluated independently here."""
    p, th = 2.0, 0.1
    expo = -1.0 * p**1.978 / P_BEAM**1.32 - 5.572 * th * (p - 0.0868 * P_BEAM * math.cos(th) ** 9.686)
    expected = 220.7 * p**1.080 * (1 - p / (P_BEAM - 1.0)) * math.exp(expo)
    assert float(d2sigma(211, p, th, P_BEAM)) == pytest.approx(expected, rel=1e-12)


def test_kinematic_endpoint() -> None:
    params = (220.7, 1.080, 1.0, 1.978, 1.32, 5.572, 0.0868, 9.686, 1.0)
    assert float(sanford_wang(P_BEAM - 1.0 + 1e-9, 0.05, P_BEAM, params)) == 0.0
    assert float(sanford_wang(8.5, 0.05, P_BEAM, params)) == 0.0


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SPECIES), st.floats(0.0, P_BEAM), st.floats(0.0, math.pi / 2))
def test_cross_sections_are_finite_and_non_negative(pdg_id: int, p: float, theta: float) -> None:
    value = float(d2sigma(pdg_id, p, theta, P_BEAM))
    assert math.isfinite(value)
    assert value >= 0.0


@pytest.mark.parametrize("pdg_id", [211, 321])
def test_grid_integral_matches_adaptive_quadrature(source: SanfordWangSource, pdg_id: int) -> None:
    """The sampler's normalisation (midpoint grid) agrees with scipy's adaptive integral of 2π sinθ d²σ/dp dΩ."""

    def f(theta: float, p: float) -> float:
        return float(d2sigma(pdg_id, p, theta, P_BEAM)) * 2 * math.pi * math.sin(theta)

    reference, _ = integrate.dblquad(f, 0.0, P_BEAM, 0.0, math.pi / 2, epsabs=1e-3, epsrel=1e-4)
    assert source.cross_section_mb(pdg_id) == pytest.approx(reference, rel=5e-3)


def test_normalisation_prescription(source: SanfordWangSource) -> None:
    """N_h = (1 − e^{−L/λ_I}) σ_h/σ_inel with σ_inel = A/(N_A λ_I) = 192.4 mb (PDG Be λ_I = 77.8 g/cm²)."""
    assert source.sigma_inel_mb == pytest.approx(192.35, rel=1e-3)
    assert source.interaction_probability == pytest.approx(1 - math.exp(-71.1 / 42.10), rel=1e-3)
    for h in SPECIES:
        assert source.multiplicity(h) == pytest.approx(
            source.interaction_probability * source.cross_section_mb(h) / source.sigma_inel_mb
        )
    # prescriptions: π⁰ = (π⁺ + π⁻)/2, η = π⁰/30, K⁰_L = K⁰_S
    assert source.multiplicity(111) == pytest.approx(
        0.5 * (source.multiplicity(211) + source.multiplicity(-211)), rel=1e-3
    )
    assert source.multiplicity(221) == pytest.approx(source.multiplicity(111) / 30, rel=1e-9)
    assert source.multiplicity(130) == source.multiplicity(310)


def test_yields_per_pot_are_physical(source: SanfordWangSource) -> None:
    """π⁺ dominates and is O(1) per interacting proton; K⁺/π⁺ is a few per cent (PRD 79, 072002: K⁺ gives
    ~3 % of the ν_μ flux and π⁺ ~97 %); π⁺ > π⁻ in p + Be (charge of the beam)."""
    n_pip, n_pim, n_kp = (source.multiplicity(h) for h in (211, -211, 321))
    assert 0.4 < n_pip < 1.0
    assert n_pim < n_pip
    assert 0.03 < n_kp / n_pip < 0.15


def test_sample_mean_momentum_matches_the_spectrum(source: SanfordWangSource) -> None:
    """Mean π⁺ momentum of the sample vs the integral ∫ p dσ / ∫ dσ, and sample invariants."""
    rng = np.random.default_rng(7)
    sample = source.sample(211, 200_000, rng)
    p = np.linalg.norm(sample.momentum[:, :3], axis=1)

    def moment(k: int) -> float:
        def f(theta: float, pp: float) -> float:
            return float(d2sigma(211, pp, theta, P_BEAM)) * math.sin(theta) * pp**k

        return float(integrate.dblquad(f, 0.0, P_BEAM, 0.0, math.pi / 2, epsabs=1e-4, epsrel=1e-4)[0])

    assert p.mean() == pytest.approx(moment(1) / moment(0), rel=0.01)
    assert sample.per_pot == pytest.approx(source.multiplicity(211), rel=1e-9)
    mass = np.sqrt(sample.momentum[:, 3] ** 2 - p**2)
    np.testing.assert_allclose(mass, 0.13957, rtol=1e-4)
    assert np.all((sample.vertex[:, 2] >= 0) & (sample.vertex[:, 2] <= 71.1))
    np.testing.assert_allclose(sample.time, sample.vertex[:, 2] / C_LIGHT)
    # depth distribution: truncated exponential with λ_I = 42.1 cm; its mean is λ − L/(e^{L/λ} − 1)
    lam, length = 42.10, 71.1
    assert sample.vertex[:, 2].mean() == pytest.approx(lam - length / math.expm1(length / lam), rel=0.01)


def test_same_seed_same_sample(source: SanfordWangSource) -> None:
    a = source.sample(321, 1000, np.random.default_rng(3))
    b = source.sample(321, 1000, np.random.default_rng(3))
    np.testing.assert_array_equal(a.momentum, b.momentum)


def test_bad_inputs(source: SanfordWangSource) -> None:
    with pytest.raises(ConfigError, match="pdg"):
        source.sample(2212, 10, np.random.default_rng(1))
    with pytest.raises(ConfigError, match="n = 0"):
        source.sample(211, 0, np.random.default_rng(1))
    with pytest.raises(ConfigError, match="Be"):
        SanfordWangSource(beams.get("numi"))
