"""Stopped-pion sources (SNS, LANSCE Lujan, J-PARC MLF): yields, the 29.79 MeV ν_μ line, the SNS flux at COHERENT's
CsI detector, kinematics, isotropy, timing and errors (darkbeam.production.stopped_pion)."""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import kv

from darkbeam import beams, pdg
from darkbeam.errors import ConfigError
from darkbeam.experiments import Experiment
from darkbeam.experiments.schema import ExperimentSpec
from darkbeam.kinematics import invariant_mass, two_body_decay
from darkbeam.production.stopped_pion import (
    BR_PI_MUNU,
    StoppedPionSource,
    dif_probability,
    nu_mu_line_energy,
    stopped_pion_flux_at_points,
    thermal_momentum_cdf,
)

#: π⁺ decays at rest (= ν per flavour) per POT at the SNS: COHERENT, PRD 106, 032003 (2022), arXiv:2109.11049
SNS_NU_PER_FLAVOUR_PER_POT = 0.0848
#: CsI[Na] detector distance from the SNS target: COHERENT, Science 357, 1123 (2017), arXiv:1708.01294
CSI_DISTANCE_CM = 1930.0


def test_yields_per_pot_equal_the_cited_numbers() -> None:
    sns = StoppedPionSource("sns", 211)
    assert sns.decays_per_pot == pytest.approx(SNS_NU_PER_FLAVOUR_PER_POT, rel=1e-12)
    assert StoppedPionSource("sns", -13).decays_per_pot == pytest.approx(0.0848 * 0.999877, rel=1e-12)
    # isospin: π⁰ = (π⁺ + π⁻)/2 with π⁻/π⁺ = 0.4 (deNiverville et al., PRD 84, 075020 (2011))
    assert StoppedPionSource("sns", 111).decays_per_pot == pytest.approx(0.5 * 1.4 * 0.0848, rel=1e-12)
    # Lujan: COHERENT's yield scaled linearly above the NN → NNπ threshold (lansce_lujan.toml)
    assert StoppedPionSource("lansce_lujan", 211).decays_per_pot == pytest.approx(
        0.0848 * (0.8 - 0.29) / (0.984 - 0.29), rel=2e-3
    )
    assert StoppedPionSource("jparc_mlf", 211).decays_per_pot == pytest.approx(0.344, rel=1e-12)
    rng = np.random.default_rng(1)
    for beam in ("sns", "lansce_lujan", "jparc_mlf"):
        for parent in (211, -13, 111, -211):
            source = StoppedPionSource(beam, parent)
            sample = source.sample(2000, rng)
            assert sample.weight.sum() == pytest.approx(source.decays_per_pot, rel=1e-12)
            assert np.all(sample.weight >= 0)
            assert np.all(np.isfinite(sample.momentum))
            assert np.all(np.isfinite(sample.time))


def test_pi_minus_decay_in_flight_fraction() -> None:
    """P_DIF(T) = 1 − exp(−(m/(S cτ)) arccosh(1 + T/m)) against a direct integral of ds/(βγcτ) over the
    slowing-down path at constant stopping power; the mean over the spectrum is ~1 % (stopped π⁻ are captured)."""
    source = StoppedPionSource("sns", -211)
    stopping = source.stopping_power
    m, ctau = pdg.mass(211), pdg.ctau(211)
    for t0 in (0.01, 0.06, 0.3):
        # ∫₀^T0 dT m/(S cτ p(T)) with T = u² (removes the 1/√T end point): ∫₀^√T0 2m du / (S cτ √(u² + 2m))
        u = np.linspace(0.0, math.sqrt(t0), 100_001)
        integrand = 2 * m / (stopping * ctau * np.sqrt(u**2 + 2 * m))
        integral = float(np.sum(0.5 * (integrand[1:] + integrand[:-1]) * np.diff(u)))
        assert dif_probability(np.array([t0]), stopping)[0] == pytest.approx(-math.expm1(-integral), rel=1e-6)
    fraction = source.mean_dif_probability()
    assert 0.003 < fraction < 0.03
    assert source.decays_per_pot == pytest.approx(0.4 * 0.0848 * fraction, rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(t=st.floats(1e-6, 1.0), dt=st.floats(1e-6, 1.0), s=st.floats(1e-4, 0.1))
def test_dif_probability_is_a_probability_increasing_with_energy(t: float, dt: float, s: float) -> None:
    p = dif_probability(np.array([t, t + dt]), s)
    assert 0.0 <= p[0] <= p[1] <= 1.0


def test_nu_mu_line_at_29_79_mev() -> None:
    """E_ν = (m_π² − m_μ²)/(2 m_π) = 29.79 MeV (PDG masses)."""
    assert nu_mu_line_energy() == pytest.approx(0.02979, abs=5e-6)
    result = stopped_pion_flux_at_points("sns", [[CSI_DISTANCE_CM, 0.0, 0.0]], n=20_000, seed=3)[0]
    numu = result["numu"]
    edges = np.asarray(numu["energy_bins_gev"])
    flux = np.asarray(numu["flux_per_pot_cm2"])
    assert numu["mean_energy_gev"] == pytest.approx(0.02979, abs=5e-6)
    peak = int(np.argmax(flux))
    assert edges[peak] <= 0.02979 < edges[peak + 1]
    assert flux[peak] == pytest.approx(numu["integrated_per_pot_cm2"], rel=1e-9)
    # Michel spectra: ν̄_μ mean 0.7 × m_μ/2, ν_e mean 0.6 × m_μ/2, end point m_μ/2 = 52.8 MeV
    assert result["nue"]["mean_energy_gev"] == pytest.approx(0.6 * pdg.mass(13) / 2, rel=0.01)
    assert result["numubar"]["fraction_by_parent"]["mu+ DAR"] > 0.99
    assert result["nuebar"]["integrated_per_pot_cm2"] == 0.0


def test_sns_flux_per_flavour_at_the_csi_detector() -> None:
    """Per flavour per POT at 19.3 m ≈ Y / (4π d²) (the target's extent changes it by < 1 %), and at 1.4 MW of
    ~1 GeV protons the three flavours together give ≈ 4.3 × 10⁷ ν/cm²/s, the SNS neutrino flux at the CsI
    detector quoted by COHERENT (Science 357, 1123 (2017), arXiv:1708.01294; ~10⁷ per flavour: SNS white paper
    arXiv:1211.5199, Executive Summary). That number is the SUM over ν_μ, ν̄_μ, ν_e (per flavour it would need
    0.24 ν/flavour/POT)."""
    result = stopped_pion_flux_at_points("sns", [[CSI_DISTANCE_CM, 0.0, 25.0]], n=20_000, seed=5)[0]
    point_source = SNS_NU_PER_FLAVOUR_PER_POT / (4 * math.pi * CSI_DISTANCE_CM**2)  # 1.81e-9 /cm²/POT
    for flavour in ("numu", "nue"):
        assert result[flavour]["integrated_per_pot_cm2"] == pytest.approx(point_source * BR_PI_MUNU, rel=0.01)
    assert result["numubar"]["integrated_per_pot_cm2"] == pytest.approx(point_source, rel=0.02)
    pot_per_second = 1.4e6 / (1.0 * 1.602176634e-10)  # 1.4 MW of 1 GeV protons
    total = sum(result[f]["integrated_per_pot_cm2"] for f in ("numu", "numubar", "nue")) * pot_per_second
    assert total == pytest.approx(4.3e7, rel=0.15)


def test_four_momentum_conservation_and_on_shell_parents() -> None:
    rng = np.random.default_rng(7)
    for parent in (211, -13, 111, -211):
        sample = StoppedPionSource("lansce_lujan", parent).sample(5000, rng)
        assert np.allclose(invariant_mass(sample.momentum), pdg.mass(parent), rtol=1e-9, atol=1e-12)
    pi0 = StoppedPionSource("lansce_lujan", 111).sample(5000, rng)
    g1, g2 = two_body_decay(pi0.momentum, 0.0, 0.0, rng)
    assert np.allclose(g1 + g2, pi0.momentum, rtol=1e-10, atol=1e-12)
    pi_plus = StoppedPionSource("sns", 211).sample(5000, rng)
    mu, nu = two_body_decay(pi_plus.momentum, pdg.mass(13), 0.0, rng)
    assert np.allclose(mu + nu, pi_plus.momentum, rtol=1e-10, atol=1e-12)
    assert np.allclose(nu[:, 3], nu_mu_line_energy(), rtol=1e-9)


def test_isotropy_of_pi0_and_of_the_dar_flux() -> None:
    rng = np.random.default_rng(11)
    pi0 = StoppedPionSource("sns", 111).sample(200_000, rng)
    direction = pi0.momentum[:, :3] / np.linalg.norm(pi0.momentum[:, :3], axis=1)[:, None]
    assert np.abs(direction.mean(axis=0)).max() < 0.01  # ⟨n̂⟩ = 0 (σ ≈ 0.0013)
    assert np.mean(direction[:, 2] ** 2) == pytest.approx(1 / 3, abs=0.005)
    # DAR flux is the same in every direction at equal distance from the mean decay point (the decays crowd
    # toward the upstream face: depth ∝ exp(−z/λ_I)), up to the source's extent, O((σ_z/d)²) ~ 10⁻⁵
    z0 = float(StoppedPionSource("sns", -13).sample(20_000, rng).vertex[:, 2].mean())
    d = 3000.0
    points = [[d, 0.0, z0], [0.0, d, z0], [0.0, 0.0, z0 + d], [0.0, 0.0, z0 - d]]
    fluxes = [r["nue"]["integrated_per_pot_cm2"] for r in stopped_pion_flux_at_points("sns", points, n=20_000)]
    assert np.ptp(fluxes) / np.mean(fluxes) < 0.002


def test_times_and_vertices() -> None:
    rng = np.random.default_rng(13)
    beam = beams.get("sns")
    n = 100_000
    pi0 = StoppedPionSource("sns", 111).sample(n, rng)
    pi_plus = StoppedPionSource("sns", 211).sample(n, rng)
    mu_plus = StoppedPionSource("sns", -13).sample(n, rng)
    # mean delays: τ_π = 26.03 ns, τ_π + τ_μ = 2223 ns after the prompt π⁰ (PDG lifetimes)
    lag_pi = pi_plus.time.mean() - pi0.time.mean()
    assert lag_pi == pytest.approx(pdg.lifetime(211) + 0.3, abs=2.0)
    assert mu_plus.time.mean() - pi0.time.mean() == pytest.approx(pdg.lifetime(211) + pdg.lifetime(13), rel=0.02)
    # the proton pulse: SNS ~380 ns FWHM (darkbeam.timing) → σ ≈ 161 ns
    assert np.std(pi0.time) == pytest.approx(380.0 / 2.3548, rel=0.03)
    radius, length = beam.target.radius_cm.value, beam.target.length_cm.value
    for sample in (pi0, pi_plus, mu_plus):
        assert np.all(np.hypot(sample.vertex[:, 0], sample.vertex[:, 1]) <= radius + 1e-9)
        assert np.all((sample.vertex[:, 2] >= 0) & (sample.vertex[:, 2] <= length))
    # depth ∝ exp(−z/λ_I) truncated to the target: mean below the target's midpoint
    assert pi0.vertex[:, 2].mean() < length / 2
    assert np.all(pi_plus.at_rest)
    assert not np.any(pi0.at_rest)


def test_thermal_spectrum_cdf() -> None:
    p, cdf = thermal_momentum_cdf(pdg.mass(111), 0.06, 1.0)
    assert cdf[0] == 0.0
    assert cdf[-1] == pytest.approx(1.0)
    assert np.all(np.diff(cdf) >= 0)
    # Maxwell–Jüttner mean energy ⟨E⟩ = m K₁(m/T)/K₂(m/T) + 3T (the cut at 1 GeV removes ~e⁻¹⁵ of the spectrum)
    m, slope = pdg.mass(111), 0.06
    kinetic = np.sqrt(p**2 + m**2) - m
    mean = float(np.sum(0.5 * (kinetic[1:] + kinetic[:-1]) * np.diff(cdf)))
    expected = m * kv(1, m / slope) / kv(2, m / slope) + 3 * slope - m
    assert mean == pytest.approx(expected, rel=1e-4)


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ConfigError, match="parent_pdg = 321"):
        StoppedPionSource("sns", 321)
    with pytest.raises(ConfigError, match="kind = 'horn'"):
        StoppedPionSource("bnb", 211)
    with pytest.raises(ConfigError, match="n = 0"):
        StoppedPionSource("sns", 211).sample(0, np.random.default_rng(1))
    with pytest.raises(ConfigError, match="points_cm"):
        stopped_pion_flux_at_points("sns", [[1.0, 2.0]])


def _experiment_with(sources: list[dict[str, object]]) -> Experiment:
    text = (resources.files("darkbeam") / "data" / "experiments" / "miniboone_dm.toml").read_text()
    raw = tomllib.loads(text)
    raw["sources"] = sources
    return Experiment(ExperimentSpec.model_validate(raw))


def test_experiment_schema_builds_stopped_pion_sources() -> None:
    experiment = _experiment_with(
        [{"kind": "stopped_pion", "beam": "lansce_lujan", "parent_pdg": 111, "source": "CCM pi0 (test)"}]
    )
    (source,) = experiment.sources()
    assert isinstance(source, StoppedPionSource)
    assert source.parent_pdg == 111
    with pytest.raises(ValueError, match="parent_pdg"):
        _experiment_with([{"kind": "stopped_pion", "beam": "sns", "parent_pdg": 321, "source": "bad"}])


def test_mlf_nu_e_flux_at_jsns2_against_the_measurement() -> None:
    """JSNS² measured the ν_e flux (μ⁺ DAR) at its detector, 24 m from the MLF mercury target, with
    ¹²C(ν_e, e⁻)¹²N_g.s.: (6.7 ± 1.6 (stat) ± 1.7 (syst)) × 10⁻⁹ cm⁻² per proton (JSNS² Collaboration,
    arXiv:2412.18509, abstract). Our MLF yield must be within 2σ of it (σ = 2.3 × 10⁻⁹ in quadrature); the
    measured value corresponds to 0.49 ± 0.17 μ⁺ DAR per POT against the 0.344 of the beam file."""
    measured, sigma = 6.7e-9, math.hypot(1.6e-9, 1.7e-9)
    result = stopped_pion_flux_at_points("jparc_mlf", [[2400.0, 0.0, 0.0]], n=20_000, seed=3)[0]
    ours = result["nue"]["integrated_per_pot_cm2"]
    assert abs(ours - measured) < 2 * sigma
    assert 0.5 < ours / measured < 1.2  # 0.71 with the beam file's 0.344
