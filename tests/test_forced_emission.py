"""Forced emission toward the detector for parents decaying in flight (``production.dark.forced_two_body``).

The forced sample is importance sampling of the rest-frame-isotropic two-body decay, so every weighted quantity
restricted to the aim cone must equal the unaimed one within statistical errors (rate and spectrum of particles
through a target inside the cone), in both kinematic regimes: β_parent < β*_X (one lab momentum per direction, all
directions reachable) and β_parent > β*_X (two momenta, nothing beyond sin θ_max = γ*β*/(γβ); TRIUMF Kinematics
Handbook 1987, Sec. V items 7-8), and where a fast parent's forward core lies in the cone (the defensive isotropic
share of the mixture takes over). Every row stays an exact decay: X and the companion (parent − X) on shell.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import darkbeam as db
from darkbeam import pdg
from darkbeam.kinematics import invariant_mass, two_body_decay, two_body_momentum
from darkbeam.production import produce
from darkbeam.production.dark import forced_two_body
from darkbeam.production.parents import ParentDecays

M_K = pdg.mass(321)
M_PI = pdg.mass(211)
M_S = 0.25  # K+ -> pi+ S with q = 0.148 GeV, gamma*beta* = 0.59: beta_K > beta*_S above p_K = 0.29 GeV


def _beam(n: int, p: float, rng: np.random.Generator, z_max: float = 1000.0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` kaons of momentum ``p`` [GeV] along +z decaying uniformly over 0 < z < ``z_max`` [cm]."""
    p4 = np.zeros((n, 4))
    p4[:, 2] = p
    p4[:, 3] = np.hypot(p, M_K)
    vertex = np.zeros((n, 3))
    vertex[:, 2] = rng.uniform(0.0, z_max, n)
    return p4, vertex


def _hits(vertex: np.ndarray, p4: np.ndarray, center: np.ndarray, radius: float) -> np.ndarray:
    """Whether the ray from ``vertex`` along ``p4``'s momentum crosses the sphere (center, radius)."""
    direction = p4[:, :3] / np.linalg.norm(p4[:, :3], axis=1, keepdims=True)
    offset = center - vertex
    along = np.einsum("ij,ij->i", offset, direction)
    return np.asarray((along > 0) & (np.einsum("ij,ij->i", offset, offset) - along**2 <= radius**2))


def _at(angle_deg: float, distance: float, dz: float = 0.0) -> np.ndarray:
    a = np.radians(angle_deg)
    return np.array([distance * np.sin(a), 0.0, distance * np.cos(a) + dz])


# (parent momentum GeV, aim centre, aim radius, target centre, target radius): the target lies inside the aim sphere
GEOMETRIES = {
    "on-axis, beta > beta*": (2.0, _at(0, 3000), 100.0, _at(0, 3000) + np.array([30.0, 0, 0]), 60.0),
    "target across theta_max = 8.4 deg": (2.0, _at(8.4, 3000, 500), 200.0, _at(8.4, 3000, 500), 150.0),
    "aim cone holds the kinematic cone": (2.0, _at(20, 3000), 1500.0, _at(10, 3000), 700.0),
    "vertices inside the aim sphere": (2.0, _at(0, 500), 1200.0, _at(5, 1500), 300.0),
    "off-axis 30 deg, beta < beta*": (
        0.2,
        _at(30, 3000, 500),
        600.0,
        _at(30, 3000, 500) + np.array([50.0, 0, 0]),
        400.0,
    ),
    "backward 150 deg, beta < beta*": (0.2, _at(150, 3000), 1000.0, _at(150, 3000), 700.0),
    "just above beta*, 60 deg": (0.32, _at(60, 3000), 800.0, _at(60, 3000) + np.array([0, 100.0, 0]), 600.0),
    "fast parent, cone holds its forward core": (50.0, _at(0.6, 5000), 180.0, _at(0.6, 5000), 60.0),
    "beyond theta_max: nothing": (2.0, _at(30, 3000, 500), 200.0, _at(30, 3000, 500), 200.0),
}


@pytest.mark.parametrize("name", list(GEOMETRIES))
def test_forced_hit_rate_equals_unaimed(name: str) -> None:
    """Σ w over forced decays that cross a target inside the aim sphere = hit fraction of an unaimed sample."""
    p, aim_center, aim_radius, target, target_radius = GEOMETRIES[name]
    rng = np.random.default_rng(list(GEOMETRIES).index(name))
    n_forced, n_iso = 20_000, 600_000
    p4, vertex = _beam(n_forced, p, rng)
    dark, weight = forced_two_body(p4, vertex, M_S, M_PI, (aim_center, aim_radius), rng)
    hit_weight = weight * _hits(vertex, dark, target, target_radius)
    forced = hit_weight.sum() / n_forced
    forced_err = np.sqrt(np.sum(hit_weight**2) / n_forced**2 - forced**2 / n_forced)
    p4_iso, vertex_iso = _beam(n_iso, p, rng)
    dark_iso, _ = two_body_decay(p4_iso, M_S, M_PI, rng)
    k = int(_hits(vertex_iso, dark_iso, target, target_radius).sum())
    if name.startswith("beyond"):
        assert k == 0
        assert np.all(weight == 0.0)
        return
    unaimed, unaimed_err = k / n_iso, np.sqrt(k) / n_iso
    assert k > 200
    assert abs(forced - unaimed) < 4 * np.hypot(forced_err, unaimed_err)
    # and at equal sample size the forced estimate is the more precise one
    assert forced_err < unaimed_err * np.sqrt(n_iso / n_forced)


def test_four_momentum_conserved_and_on_shell_at_extreme_boosts() -> None:
    rng = np.random.default_rng(1)
    n = 20_000
    p = 10 ** rng.uniform(-2, 3, n)  # 10 MeV to 1 TeV kaons in random directions
    direction = rng.normal(size=(n, 3))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    p4 = np.concatenate([direction * p[:, None], np.hypot(p, M_K)[:, None]], axis=1)
    vertex = rng.uniform(-500, 500, (n, 3))
    aim = (np.array([3000.0, 2000.0, 40000.0]), 800.0)
    dark, weight = forced_two_body(p4, vertex, M_S, M_PI, aim, rng)
    companion = p4 - dark
    assert np.all(np.isfinite(weight))
    assert np.all(weight >= 0)
    assert np.count_nonzero(weight) > 1000
    e_scale = p4[:, 3]
    assert np.max(np.abs(invariant_mass(dark) ** 2 - M_S**2) / e_scale**2) < 1e-12
    assert np.max(np.abs(invariant_mass(companion) ** 2 - M_PI**2) / e_scale**2) < 1e-12
    assert invariant_mass(companion) == pytest.approx(M_PI, rel=1e-8)
    assert invariant_mass(dark) == pytest.approx(M_S, rel=1e-8)
    # weighted particles outside the aim cone are the defensive isotropic draws, with weight 1/eps_iso >= 1
    offset = aim[0] - vertex
    distance = np.linalg.norm(offset, axis=1)
    cos_to_axis = np.einsum("ij,ij->i", offset, dark[:, :3]) / (distance * np.linalg.norm(dark[:, :3], axis=1))
    cos_alpha = np.sqrt(1 - (aim[1] / distance) ** 2)
    outside = cos_to_axis < cos_alpha - 1e-12
    assert np.all(weight[outside & (weight > 0)] >= 1.0)
    assert np.count_nonzero(~outside & (weight > 0)) > 0.9 * np.count_nonzero(weight > 0)


@settings(max_examples=40, deadline=None)
@given(
    p=st.floats(1e-3, 500.0),
    angle=st.floats(0.0, 180.0),
    distance=st.floats(200.0, 1e6),
    radius_fraction=st.floats(1e-4, 0.9),
    m_dark=st.floats(0.0, 0.35),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_valid_decays_in_the_cone(
    p: float, angle: float, distance: float, radius_fraction: float, m_dark: float, seed: int
) -> None:
    """Any parent boost, target direction, size and dark mass: rows are exact decays with finite weights ≥ 0,
    weighted rows fly into the aim cone, and the rest-frame momentum of X is q."""
    rng = np.random.default_rng(seed)
    n = 200
    p4, vertex = _beam(n, p, rng, z_max=100.0)
    aim = (_at(angle, distance), radius_fraction * distance)
    dark, weight = forced_two_body(p4, vertex, m_dark, M_PI, aim, rng)
    assert np.all(np.isfinite(weight))
    assert np.all(weight >= 0)
    assert np.max(np.abs((p4 - dark)[:, 3] ** 2 - np.sum((p4 - dark)[:, :3] ** 2, axis=1) - M_PI**2)) < 1e-9 * (
        1 + p**2
    )
    # rest-frame momentum: (p_K·p_X)² − M² m² = M² q²
    dot = p4[:, 3] * dark[:, 3] - np.einsum("ij,ij->i", p4[:, :3], dark[:, :3])
    q = float(two_body_momentum(M_K, m_dark, M_PI))
    assert np.sqrt(np.clip(dot**2 - M_K**2 * m_dark**2, 0, None)) / M_K == pytest.approx(
        np.full(n, q), rel=1e-6, abs=1e-9 * (1 + p)
    )
    offset = aim[0] - vertex
    d = np.linalg.norm(offset, axis=1)
    cos_to_axis = np.einsum("ij,ij->i", offset, dark[:, :3]) / (d * np.linalg.norm(dark[:, :3], axis=1))
    cos_alpha = np.sqrt(1 - np.clip(aim[1] / d, 0, 1) ** 2)
    outside = (cos_to_axis < cos_alpha - 1e-9) & (d > aim[1])
    assert np.all(weight[outside & (weight > 0)] >= 1.0)  # defensive isotropic draws only


def test_weighted_energy_spectrum_of_hits_equals_unaimed() -> None:
    """Binned chi2 of the lab-energy spectrum through a target across theta_max (both roots contribute)."""
    p, aim_center, aim_radius, target, target_radius = GEOMETRIES["target across theta_max = 8.4 deg"]
    rng = np.random.default_rng(21)
    n_forced, n_iso = 20_000, 1_000_000
    p4, vertex = _beam(n_forced, p, rng)
    dark, weight = forced_two_body(p4, vertex, M_S, M_PI, (aim_center, aim_radius), rng)
    w = weight * _hits(vertex, dark, target, target_radius)
    p4_iso, vertex_iso = _beam(n_iso, p, rng)
    dark_iso, _ = two_body_decay(p4_iso, M_S, M_PI, rng)
    hit_iso = _hits(vertex_iso, dark_iso, target, target_radius)
    edges = np.quantile(dark_iso[hit_iso, 3], np.linspace(0, 1, 13))
    edges[0], edges[-1] = 0.0, 10.0
    forced, _ = np.histogram(dark[:, 3], edges, weights=w / n_forced)
    forced_var, _ = np.histogram(dark[:, 3], edges, weights=(w / n_forced) ** 2)
    counts, _ = np.histogram(dark_iso[hit_iso, 3], edges)
    assert np.all(counts > 500)
    # both roots contribute: the spectrum spans the slow (p-) and the fast (p+) branch
    assert np.count_nonzero(forced > 0) == len(forced)
    chi2 = np.sum((forced - counts / n_iso) ** 2 / (forced_var + counts / n_iso**2))
    assert chi2 < 32.9  # chi2 with 12 dof: p = 0.001


def test_variance_reduction_icarus_like() -> None:
    """Kaons of 3 GeV decaying in the first ~100 m of a pipe, a 12.8 m sphere 800 m away at 6 degrees (at the
    edge theta_max = 6.0 deg of K -> pi S(0.24)): the relative error of the hit sum is >= 10x smaller at equal n."""
    m_s, p, n = 0.24, 3.0, 20_000
    center, radius = _at(6.0, 80_000), 1281.0
    rng = np.random.default_rng(8)

    def beam(k: int) -> tuple[np.ndarray, np.ndarray]:
        p4, vertex = _beam(k, p, rng)
        vertex[:, 2] = 5000 + rng.exponential(p / M_K * pdg.ctau(321), k)
        return p4, vertex

    p4, vertex = beam(n)
    dark, weight = forced_two_body(p4, vertex, m_s, M_PI, (center, radius), rng)
    w = weight * _hits(vertex, dark, center, radius)
    rate = w.sum() / n
    rel_forced = np.sqrt(np.sum(w**2) / w.sum() ** 2 - 1 / n)
    rel_unaimed = np.sqrt((1 - rate) / (n * rate))  # binomial error of n unaimed decays with hit probability rate
    assert rel_unaimed / rel_forced >= 10
    # and the rate agrees with 1.5 million unaimed decays (~1.0e-2 hit fraction, 0.8 % error)
    p4_iso, vertex_iso = beam(1_500_000)
    dark_iso, _ = two_body_decay(p4_iso, m_s, M_PI, rng)
    k = int(_hits(vertex_iso, dark_iso, center, radius).sum())
    assert abs(rate - k / 1_500_000) < 4 * np.hypot(rate * rel_forced, np.sqrt(k) / 1_500_000)


def _parents(n: int, rng: np.random.Generator, at_rest_fraction: float) -> ParentDecays:
    p = rng.exponential(3.0, n) * (rng.random(n) > at_rest_fraction)
    p4 = np.zeros((n, 4))
    p4[:, 2] = p
    p4[:, 3] = np.hypot(p, M_K)
    vertex = np.zeros((n, 3))
    vertex[:, 2] = rng.uniform(0, 5000, n)
    return ParentDecays(321, p4, vertex, np.zeros(n), rng.uniform(0.5, 1.5, n))


def test_decays_at_rest_unchanged_and_switch_off() -> None:
    """Decays at rest draw the same random numbers as before (bit-identical), aim_in_flight=False is the unaimed
    in-flight sampling, and produce(aim=...) turns forced emission on by default."""
    model = db.models.HiggsPortalScalar(0.2, 1e-4)
    aim = (_at(6, 80_000), 1281.0)
    parents = _parents(4000, np.random.default_rng(2), at_rest_fraction=0.5)
    on = produce(model, parents, np.random.default_rng(5), aim=aim)
    off = produce(model, parents, np.random.default_rng(5), aim=aim, aim_in_flight=False)
    rest = parents.at_rest
    assert np.array_equal(on.momentum[rest], off.momentum[rest])
    assert np.array_equal(on.weight[rest], off.weight[rest])
    unaimed = produce(model, parents, np.random.default_rng(5))
    assert np.array_equal(off.momentum[~rest], unaimed.momentum[~rest])
    assert np.array_equal(off.weight[~rest], unaimed.weight[~rest])
    assert np.all(on.weight[~rest] != unaimed.weight[~rest])  # aimed: weight factor < 1 (or 0)
    only_rest = _parents(1000, np.random.default_rng(3), at_rest_fraction=1.0)
    a = produce(model, only_rest, np.random.default_rng(9), aim=aim)
    b = produce(model, only_rest, np.random.default_rng(9), aim=aim, aim_in_flight=False)
    assert np.array_equal(a.momentum, b.momentum)
    assert np.array_equal(a.weight, b.weight)


def test_three_body_channels_stay_unaimed_and_polarised_two_body_is_aimed() -> None:
    """HNL from K+: K+ -> mu+ N (polarised, two-body) is aimed; K+ -> pi0 mu+ N (three-body) keeps weight × BR."""
    model = db.models.HNL(0.1, umu2=1e-6)
    parents = _parents(2000, np.random.default_rng(4), at_rest_fraction=0.0)
    flux = produce(model, parents, np.random.default_rng(6), aim=(_at(6, 80_000), 1281.0))
    channels = model.production_for(321)
    n = len(parents)
    for k, (channel, br, _) in enumerate(channels):
        rows = slice(k * n, (k + 1) * n)
        if len(channel.companions) == 2:
            assert np.array_equal(flux.weight[rows], parents.weight * br)
        else:
            assert not np.allclose(flux.weight[rows], parents.weight * br)
            assert np.median(flux.weight[rows] / (parents.weight * br)) < 0.05  # aimed: mostly cone fraction × J
            assert flux.polarisation is not None
            assert np.all(flux.polarisation[rows] == model.polarisation_from(channel))
