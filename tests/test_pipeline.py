"""End to end: source → flux → detector → decays → events, and the reweighting scan."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import darkbeam as db
from darkbeam.interactions import decay_events
from darkbeam.kinematics import invariant_mass
from darkbeam.pipeline import DETECTOR, make_flux
from darkbeam.production import produce
from darkbeam.scan import expected_signal

EXPERIMENT = db.experiments.get("microboone_numi_absorber")


def test_aimed_sampling_equals_isotropic():
    """Importance sampling toward the detector must not change the expected number of particles through it."""
    model = db.models.HiggsPortalScalar(0.1, 1.0)
    source = EXPERIMENT.sources()[0]
    solid = EXPERIMENT.solid
    rng = np.random.default_rng(3)
    aimed = produce(model, source.sample(200_000, rng), rng, aim=solid.bounding_sphere())
    entry, _ = solid.intersect(aimed.vertex, aimed.direction)
    aimed_rate = aimed.weight[np.isfinite(entry)].sum()
    isotropic = produce(model, source.sample(4_000_000, rng), rng)
    entry_iso, _ = solid.intersect(isotropic.vertex, isotropic.direction)
    hits = np.isfinite(entry_iso)
    iso_rate = isotropic.weight[hits].sum()
    sigma = iso_rate / np.sqrt(hits.sum())
    assert abs(aimed_rate - iso_rate) < 4 * sigma


def test_long_lifetime_limit_matches_volume_formula():
    """For λ ≫ detector, N = POT n_K BR(K→πS) BR(S→ee) ε V/(4π D²) / λ (isotropic point source, D ≫ size)."""
    mass, sin_theta = 0.12, 1e-5
    model = db.models.HiggsPortalScalar(mass, sin_theta)
    rng = np.random.default_rng(11)
    flux = make_flux(model.with_coupling(1.0), EXPERIMENT, 100_000, rng)
    pot = 1.93e20
    n_exp = expected_signal(flux, model, DETECTOR, np.array([sin_theta]), ["e+e-"], pot)[0]
    solid = EXPERIMENT.solid
    center, _ = solid.bounding_sphere()
    distance = np.linalg.norm(center - EXPERIMENT.sources()[0].center)
    decay_length = flux.beta_gamma[0] * model.ctau()
    br_prod = model.production_branching_ratios()[321]["K+ -> pi+ S"]
    analytic = pot * 0.14 * br_prod * solid.volume / (4 * np.pi * distance**2) / decay_length
    assert n_exp == pytest.approx(analytic, rel=0.03)


def test_reweighting_equals_regenerating_at_each_coupling():
    """The scan's reweighted expectation equals forced-decay events made at that coupling from the same flux."""
    model = db.models.HiggsPortalScalar(0.15, 1.0)
    rng = np.random.default_rng(5)
    flux = make_flux(model, EXPERIMENT, 20_000, rng)
    couplings = np.array([1e-5, 4e-4, 3e-3, 3e-2])
    scan = expected_signal(flux, model, DETECTOR, couplings, ["e+e-"], 1e20)
    for coupling, expected in zip(couplings, scan, strict=False):
        events = decay_events(flux, model.with_coupling(coupling), DETECTOR, ["e+e-"], 1e20, rng)
        assert events.expected_events == pytest.approx(expected, rel=1e-9)


@pytest.fixture(scope="module")
def scalar_events():
    model = db.models.HiggsPortalScalar(0.15, 4e-4)
    return db.simulate(model, EXPERIMENT, n=5000, seed=7, batch_size=20_000)


def test_events_conserve_four_momentum_and_are_on_shell(scalar_events):
    ev = scalar_events
    assert len(ev) == 5000
    k = 5  # K+, S, π+, e+, e-
    assert np.all(ev.n_particles == k)
    p = ev.momentum.reshape(-1, k, 4)
    pdg = ev.pdg.reshape(-1, k)
    assert np.all(pdg[:, 0] == 321)
    assert np.all(pdg[:, 1] == 9900025)
    assert np.all(pdg[:, 2] == 211)
    scale = p[:, 0, 3:4]
    assert np.max(np.abs(p[:, 0] - p[:, 1] - p[:, 2]) / scale) < 1e-9  # K → π S
    assert np.max(np.abs(p[:, 1] - p[:, 3] - p[:, 4]) / scale) < 1e-9  # S → e e
    masses = invariant_mass(p)
    assert masses[:, 0] == pytest.approx(0.493677, rel=1e-9)
    assert masses[:, 1] == pytest.approx(0.15, rel=1e-9)
    assert masses[:, 2] == pytest.approx(0.13957039, rel=1e-9)
    assert np.all(np.isfinite(ev.weight))
    assert np.all(ev.weight >= 0)


def test_decay_vertices_inside_detector_and_times_consistent(scalar_events):
    ev = scalar_events
    k = 5
    vertex = ev.vertex.reshape(-1, k, 3)
    time = ev.time.reshape(-1, k)
    box = EXPERIMENT.solid
    local = (vertex[:, 3] - np.asarray(box.center)) @ np.asarray(box.rotation)  # facility → detector axes
    assert np.all(np.abs(local) <= np.asarray(box.half_lengths) + 1e-6)
    p_s = ev.momentum.reshape(-1, k, 4)[:, 1]
    beta = np.linalg.norm(p_s[:, :3], axis=1) / p_s[:, 3]
    flight = np.linalg.norm(vertex[:, 3] - vertex[:, 1], axis=1)
    assert time[:, 3] - time[:, 1] == pytest.approx(flight / (beta * 29.9792458), rel=1e-9)
    # the decay point lies on the scalar's flight line
    direction = p_s[:, :3] / np.linalg.norm(p_s[:, :3], axis=1, keepdims=True)
    offset = vertex[:, 3] - vertex[:, 1]
    assert np.max(np.linalg.norm(np.cross(offset, direction), axis=1)) < 1e-6 * flight.max()


def test_seeded_run_is_reproducible_and_regression(scalar_events):
    again = db.simulate(
        db.models.HiggsPortalScalar(0.15, 4e-4), EXPERIMENT, n=5000, seed=7, batch_size=20_000
    )
    assert np.array_equal(again.momentum, scalar_events.momentum)
    assert np.array_equal(again.weight, scalar_events.weight)
    # seeded regression (DarkBeam 0.1.0): the seed-to-seed spread at n = 5000 is 1.5 % (8 seeds give 55.2 ± 0.85,
    # the reweighting scan with 4e5 particles gives 55.6), so a change beyond 1e-6 means the algorithm changed
    assert scalar_events.expected_events == pytest.approx(REGRESSION_EXPECTED_EVENTS, rel=1e-6)


REGRESSION_EXPECTED_EVENTS = 55.05525887572661


def test_scan_is_independent_of_executor():
    masses, couplings = [0.05, 0.12, 0.2], np.geomspace(1e-5, 1e-2, 20)
    serial = db.sensitivity("scalar", {}, EXPERIMENT, masses, couplings, n_flux=2000, seed=3)
    with ProcessPoolExecutor(2) as pool:
        parallel = db.sensitivity(
            "scalar", {}, EXPERIMENT, masses, couplings, n_flux=2000, seed=3, executor=pool
        )
    assert np.array_equal(serial.expected, parallel.expected)


def test_masses_above_production_threshold_give_no_band():
    result = db.sensitivity("scalar", {}, EXPERIMENT, [0.1, 0.36], np.geomspace(1e-5, 1e-1, 20), n_flux=2000)
    assert np.isfinite(result.lower[0])
    assert np.isnan(result.lower[1])
    assert np.all(result.expected[1] == 0)
