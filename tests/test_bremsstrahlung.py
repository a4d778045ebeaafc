"""Proton bremsstrahlung of vectors and scalars (darkbeam.production.bremsstrahlung)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from darkbeam.errors import ConfigError, KinematicsError
from darkbeam.flux import FluxSample
from darkbeam.models.base import DarkModel, ProductionChannel
from darkbeam.production import bremsstrahlung as brems
from darkbeam.production.dark import produce
from darkbeam.units import ALPHA_EM

P_BNB = 8.89  # GeV/c, BNB protons (MiniBooNE-DM, PRD 98, 112004, Sec. II)
M_P = brems.M_PROTON


def _protons(n, p=P_BNB, weight=1.0, cuts=brems.BDNMC_CUTS):
    momentum = np.zeros((n, 4))
    momentum[:, 2] = p
    momentum[:, 3] = math.hypot(p, M_P)
    return brems.BeamProtons(2212, momentum, np.zeros((n, 3)), np.zeros(n), np.full(n, weight / n), cuts=cuts)


def _pt_integral_vector(z, mass, pt_max):
    """∫_0^{pt_max²} dp_T² w_V in closed form: w_V = a/H + b/H² + c/H³ with H = p_T² + H₀ (1311.3870 Sec. 2)."""
    m2, mp2 = mass**2, M_P**2
    zz = 2 * z * (1 - z)
    a = (1 + (1 - z) ** 2) / z
    b = -zz * (2 * mp2 + m2)
    c = zz * 2 * z**2 * mp2**2 + zz * (1 + (1 - z) ** 2) * mp2 * m2 + zz * (1 - z) * m2**2
    h0 = (1 - z) * m2 + z**2 * mp2
    h1 = h0 + pt_max**2
    value = a * math.log(h1 / h0) + b * (1 / h0 - 1 / h1) + c / 2 * (1 / h0**2 - 1 / h1**2)
    return ALPHA_EM / (2 * math.pi) * value


def test_massless_limits_are_the_textbook_splitting_functions():
    """m, M ≪ p_T: w_V → α/(2π) [1 + (1 − z)²]/(z p_T²) (Weizsäcker–Williams / Altarelli–Parisi P_γq, Nucl. Phys. B 126
    (1977) 298) and w_S → g² z/(16π² p_T²) (Yukawa emission)."""
    z, pt2 = np.array([0.2, 0.5, 0.8]), 1e6
    np.testing.assert_allclose(
        brems.vector_splitting(z, pt2, 1e-6), ALPHA_EM / (2 * np.pi) * (1 + (1 - z) ** 2) / (z * pt2), rtol=1e-5
    )
    np.testing.assert_allclose(brems.scalar_splitting(z, pt2, 1e-6), z / (16 * np.pi**2 * pt2), rtol=1e-5)


def test_vmd_form_factor_normalisation_and_omega_peak():
    """F(0) = Σ f_V = 0.999 (charge normalisation, arXiv:0910.5589); |F|² peaks at the ρ/ω mass 0.77 GeV with
    |F|² ≈ |f_ω m_ω/Γ_ω + f_ρ m_ρ/Γ_ρ|² (resonance terms dominate)."""
    assert abs(brems.proton_timelike_form_factor(0.0)) == pytest.approx(0.999, abs=0.011)
    m = np.linspace(0.5, 1.0, 5001)
    f2 = np.abs(brems.proton_timelike_form_factor(m**2)) ** 2
    assert m[np.argmax(f2)] == pytest.approx(0.77, abs=0.002)
    assert f2.max() == pytest.approx((1.011 * 0.77 / 0.0085 + 0.616 * 0.77 / 0.15) ** 2, rel=0.03)


def test_sigma_pp_fit_at_booster_energies():
    """σ_tot(pp) ≈ 40 mb at p_lab ≈ 9 GeV/c (PDG RPP, pp total cross-section data compilation); the ratio
    σ(s′)/σ(s) over BdNMC's z range (E_p − E_X ≥ 0.3 E_p) stays within 15 % of one."""
    s = 2 * M_P * math.hypot(P_BNB, M_P)
    assert float(brems.sigma_pp_total_mb(s + 2 * M_P**2)) == pytest.approx(40.0, rel=0.05)
    ratio = brems.sigma_pp_total_mb([0.3 * s, 0.7 * s]) / brems.sigma_pp_total_mb(s)
    assert np.all((ratio > 0.98) & (ratio < 1.15))


@pytest.mark.parametrize("mass", [0.01, 0.3, 0.6])
def test_yield_matches_closed_form_pt_integral(mass):
    """Gauss–Legendre yield = ∫dz of the closed-form p_T² integral × |F(m²)|² (σ ratio taken at p_T = 0: its p_T
    dependence through E_X is < 10⁻³ for p_T < 0.2 GeV)."""
    cuts = brems.BDNMC_CUTS
    e_p = math.hypot(P_BNB, M_P)
    lo, hi = (float(v) for v in cuts.z_range(mass, e_p))
    ff = abs(complex(brems.proton_timelike_form_factor(mass**2))) ** 2

    def integrand(z):
        e_x = math.sqrt(mass**2 + (z * P_BNB) ** 2)
        ratio = float(brems.sigma_pp_total_mb(2 * M_P * (e_p - e_x)) / brems.sigma_pp_total_mb(2 * M_P * e_p))
        return ratio * ff * _pt_integral_vector(z, mass, cuts.pt_max)

    expected, _ = integrate.quad(integrand, lo, hi, epsrel=1e-8)
    assert brems.bremsstrahlung_yield(mass, P_BNB) == pytest.approx(expected, rel=2e-3)


@pytest.mark.parametrize(("spin", "lambda_p"), [("vector", None), ("scalar", 1.5), ("vector", 1.0)])
def test_sampled_weights_reproduce_the_integral_and_the_z_and_pt_spectra(spin, lambda_p):
    rng = np.random.default_rng(11)
    mass = 0.2
    cuts = brems.BLUMLEIN_BRUNNER_CUTS
    parents = _protons(100_000, weight=0.9, cuts=cuts)
    p4, w = brems.sample_bremsstrahlung(parents, mass, rng, spin, lambda_p)
    total = brems.bremsstrahlung_yield(mass, P_BNB, spin, cuts, lambda_p)
    assert w.sum() == pytest.approx(0.9 * total, rel=0.01)
    # on shell, along the beam, z = p_z/P and p_T as drawn
    np.testing.assert_allclose(p4[:, 3] ** 2 - np.sum(p4[:, :3] ** 2, axis=1), mass**2, atol=1e-9)
    z = p4[:, 2] / P_BNB
    pt = np.hypot(p4[:, 0], p4[:, 1])
    assert z.min() >= cuts.z_min
    assert z.max() <= cuts.z_max
    assert pt.max() <= cuts.pt_max

    def density(pt2, zz):
        return float(brems.bremsstrahlung_density(zz, pt2, mass, P_BNB, spin, lambda_p))

    for z_lo, z_hi in [(0.1, 0.2), (0.5, 0.6), (0.8, 0.9)]:
        direct, _ = integrate.dblquad(density, z_lo, z_hi, 0.0, cuts.pt_max**2, epsrel=1e-6)
        sampled = w[(z >= z_lo) & (z < z_hi)].sum() / 0.9
        assert sampled == pytest.approx(direct, rel=0.03)
    for pt_cut in (0.2, 0.5):
        direct, _ = integrate.dblquad(density, cuts.z_min, cuts.z_max, 0.0, pt_cut**2, epsrel=1e-6)
        assert w[pt < pt_cut].sum() / 0.9 == pytest.approx(direct, rel=0.02)


@settings(max_examples=15, deadline=None)
@given(mass=st.floats(0.001, 1.5), p_beam=st.floats(5.0, 400.0))
def test_weights_finite_nonnegative_and_inside_cuts(mass, p_beam):
    rng = np.random.default_rng(5)
    parents = _protons(500, p=p_beam)
    lo, hi = brems.BDNMC_CUTS.z_range(mass, math.hypot(p_beam, M_P))
    if lo >= hi:
        with pytest.raises(KinematicsError, match="no bremsstrahlung region"):
            brems.sample_bremsstrahlung(parents, mass, rng)
        return
    p4, w = brems.sample_bremsstrahlung(parents, mass, rng)
    assert np.all(np.isfinite(w))
    assert np.all(w >= 0)
    assert np.all(p4[:, 3] >= p4[:, 2])
    assert brems.bremsstrahlung_yield(mass, p_beam) >= 0


def test_scalar_lambda_band_and_cuts_validation():
    """Λ_p ∈ [1, 2] GeV band of the white paper (arXiv:2207.00597 Sec. 5.1): yield grows with Λ_p, and the off-shell
    form factor only suppresses (F_p ≤ 1)."""
    yields = [brems.bremsstrahlung_yield(0.5, 120.0, "scalar", brems.BLUMLEIN_BRUNNER_CUTS, lam) for lam in (1, 1.5, 2)]
    no_ff = brems.bremsstrahlung_yield(0.5, 120.0, "scalar", brems.BLUMLEIN_BRUNNER_CUTS, None)
    assert yields[0] < yields[1] < yields[2] < no_ff
    with pytest.raises(ConfigError, match="z_min"):
        brems.BremsstrahlungCuts(z_min=0.8, z_max=0.7)
    with pytest.raises(ConfigError, match="spin"):
        brems.bremsstrahlung_density(0.5, 0.01, 0.1, 100.0, "tensor")  # type: ignore[arg-type]


def test_beam_proton_source_weight_is_interaction_probability():
    src = brems.BeamProtonSource("bnb_offtarget")
    protons = src.sample(1000, np.random.default_rng(2))
    assert protons.pdg == 2212
    assert src.parent_pdg == 2212
    # 400 cm of steel = 23.8 λ_I: every proton interacts
    assert protons.weight.sum() == pytest.approx(src.interaction_probability())
    assert src.interaction_probability() > 0.999
    assert np.all(protons.vertex[:, 2] >= 5000.0)
    assert np.all(protons.vertex[:, 2] <= 5400.0)
    np.testing.assert_allclose(protons.momentum[:, 2], P_BNB)
    # the BNB Be target (71 cm, λ_I ≈ 42 cm): P_int = 1 − exp(−L/λ_I) < 1
    be = brems.BeamProtonSource("bnb")
    assert 0.5 < be.interaction_probability() < 0.9


class _ToyVector(DarkModel):
    """A dark photon stand-in with only a bremsstrahlung channel (ε = 1e-4 → coupling factor ε²)."""

    name = "toy_vector"
    pdg_id = 4900023
    coupling_name = "epsilon"
    coupling_power = 2

    def __init__(self, mass):
        self.mass = mass

    @property
    def coupling(self):
        return 1e-4

    def with_coupling(self, value):
        return self

    def partial_widths(self):
        return {}

    def decay_channels(self):
        return {}

    def production_channels(self):
        return [ProductionChannel(2212, "p N -> p N A'", (2212,))]

    def production_branching_ratios(self):
        return {2212: {"p N -> p N A'": 1e-8}}


def test_dark_produce_dispatches_protons_to_bremsstrahlung():
    rng = np.random.default_rng(4)
    flux = produce(_ToyVector(0.3), _protons(20_000, weight=1.0), rng)
    assert isinstance(flux, FluxSample)
    assert flux.per_pot == pytest.approx(1e-8 * brems.bremsstrahlung_yield(0.3, P_BNB), rel=0.02)
    assert np.all(flux.companion_pdg == 2212)


def test_dark_photon_and_scalar_declare_bremsstrahlung() -> None:
    """The portals' proton-bremsstrahlung coupling factors: ε² for the dark photon (Blümlein & Brunner,
    arXiv:1311.3870), (g_SNN sin θ)² for the scalar (white paper arXiv:2207.00597 Eq. 11), and the splitting
    function each one selects."""
    from darkbeam.models import DarkPhoton, HiggsPortalScalar
    from darkbeam.production.bremsstrahlung import G_SNN

    photon = DarkPhoton(0.5, 1e-5)
    assert photon.production_branching_ratios()[2212] == {"p N -> p N A'": pytest.approx(1e-10)}
    assert photon.bremsstrahlung_spin == "vector"
    scalar = HiggsPortalScalar(0.5, 1e-4)
    assert scalar.production_branching_ratios()[2212] == {"p N -> p N S": pytest.approx((G_SNN * 1e-4) ** 2)}
    assert scalar.bremsstrahlung_spin == "scalar"
