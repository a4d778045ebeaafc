"""Fast detector response: smearing, thresholds, efficiencies, classification, e+e- merging, reconstruction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkbeam.detectors import get as get_detector
from darkbeam.errors import ConfigError
from darkbeam.events import EventBatch
from darkbeam.kinematics import two_body_decay
from darkbeam.response.merging import (
    leading_pair,
    merge_pair,
    opening_angle,
    pair_mass,
    reconstruct,
    single_shower_fraction,
    visible_energy,
)
from darkbeam.response.smearing import (
    CLASS_NAMES,
    SHOWER,
    TRACK,
    DetectorResponse,
    EfficiencyTable,
    EnergyResolution,
    kinetic_energy,
    particle_class,
    passes_thresholds,
    smear_direction,
    smear_energy,
    topology,
)

M_E, M_MU, M_P = 0.000510999, 0.1056584, 0.9382721


def _along_z(kinetic: np.ndarray | float, mass: float, n: int | None = None) -> np.ndarray:
    t = np.full(n, kinetic) if n is not None else np.atleast_1d(np.asarray(kinetic, dtype=float))
    e = t + mass
    p = np.sqrt(e * e - mass * mass)
    return np.stack([np.zeros_like(p), np.zeros_like(p), p, e], axis=1)


def _at_angle(energy: float, theta: np.ndarray, phi: np.ndarray | float = 0.0) -> np.ndarray:
    """Massless four-momenta of energy ``energy`` at polar angle theta (rad) to +z."""
    theta = np.asarray(theta, dtype=float)
    return np.stack(
        [
            energy * np.sin(theta) * np.cos(phi),
            energy * np.sin(theta) * np.sin(phi),
            energy * np.cos(theta),
            np.full_like(theta, energy),
        ],
        axis=1,
    )


@pytest.mark.parametrize(("kinetic", "a", "b"), [(1.0, 0.10, 0.02), (0.25, 0.10, 0.02), (0.05, 0.0, 0.12)])
def test_energy_smearing_reproduces_sigma(kinetic: float, a: float, b: float) -> None:
    """sigma/E = a/sqrt(E) (+) b on 1e5 monoenergetic electrons; statistical error on sigma is sigma/sqrt(2N)."""
    n = 100_000
    res = EnergyResolution(stochastic=a, constant=b)
    expected = math.sqrt(a * a / kinetic + b * b)
    assert res.relative(kinetic) == pytest.approx(expected)
    smeared = smear_energy(_along_z(kinetic, M_E, n), res, np.random.default_rng(11))
    t = kinetic_energy(smeared)
    rel = np.std(t) / kinetic
    assert rel == pytest.approx(expected, abs=4 * expected / math.sqrt(2 * n))
    assert np.mean(t) == pytest.approx(kinetic, abs=4 * expected * kinetic / math.sqrt(n))
    # direction and mass are kept
    np.testing.assert_allclose(smeared[:, :2], 0.0, atol=1e-15)
    np.testing.assert_allclose(np.sqrt(np.clip(smeared[:, 3] ** 2 - smeared[:, 2] ** 2, 0, None)), M_E, rtol=1e-4)


def test_energy_resolution_rejects_negative_terms() -> None:
    with pytest.raises(ConfigError, match="stochastic"):
        EnergyResolution(stochastic=-0.1)


def test_angular_smearing_has_rayleigh_width() -> None:
    """2-D Gaussian of sigma per projection: <theta^2> = 2 sigma^2, median theta = sigma sqrt(2 ln 2)."""
    n = 100_000
    sigma = math.radians(3.0)
    p = _along_z(0.5, M_MU, n)
    out = smear_direction(p, sigma, np.random.default_rng(12))
    theta = opening_angle(p, out)
    assert np.mean(theta**2) == pytest.approx(2 * sigma**2, rel=4 * math.sqrt(1 / n) * 1.5)
    assert np.median(theta) == pytest.approx(sigma * math.sqrt(2 * math.log(2)), rel=0.01)
    np.testing.assert_allclose(np.linalg.norm(out[:, :3], axis=1), np.linalg.norm(p[:, :3], axis=1), rtol=1e-12)
    np.testing.assert_array_equal(out[:, 3], p[:, 3])


def test_classification_by_pdg() -> None:
    pdg = np.array([11, -11, 22, 13, -211, 2212, 321, 2112, 14, 1000180400, 9900012, 111])
    names = [CLASS_NAMES[c] for c in particle_class(pdg)]
    assert names == [
        "electron",
        "electron",
        "photon",
        "muon",
        "charged_pion",
        "proton",
        "kaon",
        "neutron",
        "invisible",
        "nucleus",
        "invisible",
        "other",
    ]
    topo = topology(pdg)
    assert topo[:3].tolist() == [SHOWER] * 3
    assert topo[3:7].tolist() == [TRACK] * 4


def test_thresholds_cut_exactly() -> None:
    thresholds = {"proton": 0.040, "shower": 0.010, "nucleus": 20e-6}
    kin = np.array([0.040 - 1e-9, 0.040, 0.040 + 1e-9])
    p = _along_z(kin, M_P)
    assert passes_thresholds([2212] * 3, p, thresholds).tolist() == [False, True, True]
    # electrons and photons fall back to the "shower" threshold; muons have none (pass at any energy)
    ke = np.array([0.0099, 0.0101])
    assert passes_thresholds([11, 11], _along_z(ke, M_E), thresholds).tolist() == [False, True]
    assert passes_thresholds([22, 22], _along_z(ke, 0.0), thresholds).tolist() == [False, True]
    assert passes_thresholds([13], _along_z(1e-6, M_MU), thresholds).tolist() == [True]
    # neutrinos never pass
    assert passes_thresholds([14], _along_z(1.0, 0.0), thresholds).tolist() == [False]
    with pytest.raises(ConfigError, match="thresholds key"):
        passes_thresholds([11], _along_z(1.0, M_E), {"electrons": 0.1})


def test_efficiency_tables_interpolate() -> None:
    one_d = EfficiencyTable(energy=(0.1, 0.2, 0.4), values=(0.2, 0.6, 1.0))
    np.testing.assert_allclose(one_d([0.05, 0.15, 0.3, 1.0]), [0.2, 0.4, 0.8, 1.0])
    two_d = EfficiencyTable(energy=(0.0, 1.0), cos_theta=(0.0, 1.0), values=((0.0, 0.4), (0.8, 1.0)))
    # bilinear: f(0.5, 0.5) = (0 + 0.4 + 0.8 + 1.0) / 4 = 0.55; corners exact; clipped outside
    np.testing.assert_allclose(two_d([0.5, 1.0, 0.0, 2.0], [0.5, 0.0, 1.0, -1.0]), [0.55, 0.8, 0.4, 0.8])
    with pytest.raises(ConfigError, match="efficiencies"):
        EfficiencyTable(energy=(0.1, 0.2), values=(0.5, 1.5))
    with pytest.raises(ConfigError, match="increasing"):
        EfficiencyTable(energy=(0.2, 0.1), values=(0.5, 0.5))
    with pytest.raises(ConfigError, match="cos_theta"):
        two_d([0.5])


def test_efficiency_weight_changes_the_reconstructed_spectrum() -> None:
    """A 1-D efficiency table reweights a flat kinetic-energy spectrum into the table's shape."""
    rng = np.random.default_rng(13)
    n = 100_000
    kin = rng.uniform(0.1, 0.4, n)
    table = EfficiencyTable(energy=(0.1, 0.4), values=(0.0, 1.0))
    response = DetectorResponse(efficiency={"muon": table})
    w = response.efficiency_weight(np.full(n, 13), _along_z(kin, M_MU))
    # mean efficiency of a linear ramp over a flat spectrum is 1/2; weighted mean energy is 0.1 + 2/3 * 0.3 = 0.3
    assert np.mean(w) == pytest.approx(0.5, abs=0.005)
    assert np.average(kin, weights=w) == pytest.approx(0.3, abs=0.002)
    # rows without a table keep weight 1
    assert response.efficiency_weight([11], _along_z(0.2, M_E)).tolist() == [1.0]


def test_pair_quantities() -> None:
    # back-to-back photons of 0.5 GeV: m = 1 GeV, opening angle pi
    a = np.array([[0.0, 0.0, 0.5, 0.5]])
    b = np.array([[0.0, 0.0, -0.5, 0.5]])
    assert pair_mass(a, b)[0] == pytest.approx(1.0)
    assert opening_angle(a, b)[0] == pytest.approx(math.pi)
    # two massless particles of energies E1, E2 at angle theta: m^2 = 2 E1 E2 (1 - cos theta)
    theta = np.radians([1.0, 10.0, 90.0])
    p1 = _at_angle(0.3, np.zeros(3))
    p2 = _at_angle(0.2, theta)
    np.testing.assert_allclose(opening_angle(p1, p2), theta, rtol=1e-12)
    np.testing.assert_allclose(pair_mass(p1, p2), np.sqrt(2 * 0.3 * 0.2 * (1 - np.cos(theta))), rtol=1e-9)
    # tiny angles stay accurate (atan2 form)
    tiny = _at_angle(1.0, np.array([1e-7]))
    assert opening_angle(_at_angle(1.0, np.zeros(1)), tiny)[0] == pytest.approx(1e-7, rel=1e-6)


def test_merged_fraction_equals_fraction_below_the_merging_angle() -> None:
    """Opening angles uniform in [0, 0.3] rad: the merged fraction at 0.1 rad is 1/3 (binomial error)."""
    rng = np.random.default_rng(14)
    n = 100_000
    theta = rng.uniform(0.0, 0.3, n)
    p1 = _at_angle(0.2, np.zeros(n))
    p2 = _at_angle(0.2, theta)
    merged, total = merge_pair(p1, p2, 0.1)
    np.testing.assert_array_equal(merged, opening_angle(p1, p2) < 0.1)
    assert merged.mean() == pytest.approx(1 / 3, abs=4 * math.sqrt(2 / 9 / n))
    np.testing.assert_allclose(total, p1 + p2)


@pytest.mark.parametrize("theta0_deg", [2.0, 5.0, 8.1, 15.0])
def test_single_shower_fraction_from_two_body_decays(theta0_deg: float) -> None:
    """Isotropic X -> gamma gamma (massless daughters) of mass m and energy E: analytic merged fraction.

    With cos t* the rest-frame angle, E1,2 = E/2 (1 +- beta cos t*) and 1 - cos theta = m^2 / (2 E1 E2), so
    theta < theta0 <=> cos^2 t* < (1 - 2 m^2 / (E^2 (1 - cos theta0))) / beta^2; cos t* is uniform in [-1, 1], so
    the merged fraction is sqrt of the right-hand side (clipped to [0, 1]).
    """
    rng = np.random.default_rng(15)
    n = 100_000
    mass, energy = 0.02, 0.5
    pz = math.sqrt(energy**2 - mass**2)
    parents = np.tile([0.0, 0.0, pz, energy], (n, 1))
    d1, d2 = two_body_decay(parents, 0.0, 0.0, rng)
    theta0 = math.radians(theta0_deg)
    beta = pz / energy
    rhs = (1 - 2 * mass**2 / (energy**2 * (1 - math.cos(theta0)))) / beta**2
    expected = math.sqrt(min(max(rhs, 0.0), 1.0))
    got = single_shower_fraction(d1, d2, theta0)
    assert got == pytest.approx(expected, abs=4 * math.sqrt(max(expected * (1 - expected), 1e-6) / n) + 1e-4)


def test_miniboone_card_merging_angle() -> None:
    response = DetectorResponse.from_detector(get_detector("miniboone"))
    assert response.merging_angle == pytest.approx(math.radians(8.1))
    assert response.energy_resolution["shower"].constant == pytest.approx(0.12)
    assert response.thresholds["shower"] == pytest.approx(0.140)


def _batch() -> EventBatch:
    """Three events: e+e- at 4 deg; e+e- at 30 deg; mu- + nu_mu. Each 2 final-state particles."""
    pdg = np.array([[11, -11], [11, -11], [13, 14]])
    e_pair = _at_angle(0.3, np.array([0.0, math.radians(4.0)]))
    wide = _at_angle(0.3, np.array([0.0, math.radians(30.0)]))
    mu = _along_z(0.4, M_MU)[0]
    nu = np.array([0.0, 0.1, 0.0, 0.1])
    momentum = np.stack([e_pair, wide, np.stack([mu, nu])])
    return EventBatch.from_fixed(
        pdg=pdg,
        status=np.array([1, 1]),
        momentum=momentum,
        vertex=np.zeros((3, 2, 3)),
        time=np.zeros((3, 2)),
        parent=np.array([-1, -1]),
        weight=np.ones(3),
    )


def test_reconstruct_merges_collimated_pairs() -> None:
    batch = _batch()
    response = DetectorResponse(thresholds={"shower": 0.01}, merging_angle=math.radians(8.1))
    reco = reconstruct(batch, response, np.random.default_rng(16))
    assert reco.merged.tolist() == [True, False, False]
    assert reco.n_showers.tolist() == [1, 2, 0]
    assert reco.n_tracks.tolist() == [0, 0, 1]
    np.testing.assert_allclose(reco.opening_angle[:2], np.radians([4.0, 30.0]), rtol=1e-9)
    assert math.isnan(reco.opening_angle[2])
    # massless electrons approximated by E = 0.3 GeV at angle theta: m = 0.6 sin(theta/2)
    np.testing.assert_allclose(reco.invariant_mass[:2], 0.6 * np.sin(np.radians([4.0, 30.0]) / 2), rtol=1e-6)
    # visible energy: kinetic energies of visible rows; the neutrino is invisible
    np.testing.assert_allclose(reco.visible_energy, [0.6, 0.6, 0.4], rtol=1e-6)


def test_reconstruct_with_smearing_and_thresholds() -> None:
    batch = _batch()
    response = DetectorResponse(
        thresholds={"shower": 0.5},  # above both 0.3 GeV showers: nothing visible but the muon
        energy_resolution={"muon": EnergyResolution(constant=0.03)},
        angular_resolution={"track": math.radians(1.0)},
    )
    reco = reconstruct(batch, response, np.random.default_rng(17))
    assert reco.n_showers.tolist() == [0, 0, 0]
    assert reco.visible.tolist() == [False, False, False, False, True, False]
    assert reco.visible_energy[2] != pytest.approx(0.4, abs=1e-9)  # smeared
    assert reco.visible_energy[2] == pytest.approx(0.4, abs=5 * 0.03 * 0.4)
    # invisible / unsmeared rows keep their momenta
    np.testing.assert_array_equal(reco.momentum[:4], batch.momentum[:4])


def test_leading_pair_orders_by_energy() -> None:
    idx = np.array([0, 0, 0, 1, 2, 2])
    p = np.zeros((6, 4))
    p[:, 3] = [0.1, 0.5, 0.3, 0.2, 0.05, 0.07]
    p[:, 2] = p[:, 3]  # massless along z: kinetic energy = E
    first, second, count = leading_pair(idx, p, np.ones(6, dtype=bool), 3)
    assert first[:, 3].tolist() == [0.5, 0.2, 0.07]
    assert second[0, 3] == 0.3
    assert math.isnan(second[1, 3])
    assert second[2, 3] == 0.05
    assert count.tolist() == [3, 1, 2]
    np.testing.assert_allclose(visible_energy(idx, p, np.ones(6, dtype=bool), 3), [0.9, 0.2, 0.12])
