"""Tests of darkbeam.geometry.Frustum (truncated rectangular pyramid): exact ray chords, volume, sampling, placement."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from darkbeam import detectors
from darkbeam.detectors import place_solid
from darkbeam.errors import ConfigError
from darkbeam.geometry import Box, Frustum, rotation_about_axis, rotation_from_euler
from darkbeam.kinematics import isotropic_directions

FloatArray = NDArray[np.float64]

X, Y, Z = np.eye(3)

sizes = st.floats(0.5, 50.0)
coords = st.floats(-100.0, 100.0)
angles = st.floats(-math.pi, math.pi)
interior = st.floats(-0.95, 0.95)
TOL = 1e-9 * 300.0  # absolute [cm]: float64 rounding at the ~100 cm scale of these rays


def _unit(v: FloatArray) -> FloatArray:
    return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True))


def _surface_distance(f: Frustum, points: FloatArray) -> FloatArray:
    """Signed distance-like function, 0 on the surface, < 0 inside: max over the six faces of the (unit-normal)
    plane distances, written from the definition |x| <= a_x(z), |y| <= a_y(z), |z| <= h (not from the class)."""
    loc = (points - np.asarray(f.center)) @ f.rotation_matrix
    x, y, z = loc[:, 0], loc[:, 1], loc[:, 2]
    h = f.half_length
    (ux, uy), (dx, dy) = f.half_widths_upstream, f.half_widths_downstream
    sx, sy = (dx - ux) / (2 * h), (dy - uy) / (2 * h)
    ax, ay = ux + sx * (z + h), uy + sy * (z + h)
    return np.asarray(
        np.max(
            np.stack([(np.abs(x) - ax) / math.hypot(1, sx), (np.abs(y) - ay) / math.hypot(1, sy), np.abs(z) - h]),
            axis=0,
        )
    )


# --- analytic chords ----------------------------------------------------------------------------------------
def test_chords_along_and_across_the_axis() -> None:
    f = Frustum((1.0, 2.0), (3.0, 6.0), half_length=10.0, center=(0.0, 0.0, 100.0))
    o = np.array([[0.0, 0.0, 0.0], [-50.0, 0.0, 100.0], [0.0, -50.0, 95.0], [0.0, 0.0, 200.0], [0.9, 1.9, 0.0]])
    d = np.array([Z, X, Y, -Z, Z])
    entry, exit_ = f.intersect(o, d)
    # at local z: a_x = 2 + 0.1 z, a_y = 4 + 0.2 z
    np.testing.assert_allclose(entry, [90.0, 48.0, 50.0 - 3.0, 90.0, 90.0], rtol=1e-12)
    np.testing.assert_allclose(exit_, [110.0, 52.0, 50.0 + 3.0, 110.0, 110.0], rtol=1e-12)
    assert f.half_widths_at(0.0) == pytest.approx((2.0, 4.0))


def test_pyramid_frustum_pointing_at_the_origin() -> None:
    """Side faces through the origin (|x| <= 0.025 z, |y| <= 0.05 z, 46 m < z < 96 m): every ray from the origin
    inside the aperture has its chord on the end faces, entry = 46 m / cos theta_z; rays outside miss."""
    f = Frustum((115.0, 230.0), (240.0, 480.0), half_length=2500.0, center=(0.0, 0.0, 7100.0))
    rng = np.random.default_rng(3)
    tx, ty = rng.uniform(-0.0249, 0.0249, 500), rng.uniform(-0.0499, 0.0499, 500)
    d = _unit(np.stack([tx, ty, np.ones(500)], axis=-1))
    entry, exit_ = f.intersect(np.zeros(3), d)
    np.testing.assert_allclose(entry * d[:, 2], 4600.0, rtol=1e-12)
    np.testing.assert_allclose(exit_ * d[:, 2], 9600.0, rtol=1e-12)
    outside = _unit(np.stack([0.0251 + np.abs(tx), ty, np.ones(500)], axis=-1))
    assert np.all(np.isnan(f.intersect(np.zeros(3), outside)[0]))
    # a ray just inside a side face (the plane x = 0.025 z) keeps its full chord between the end faces
    graze = _unit(np.array([[0.025 * (1.0 - 1e-9), 0.0, 1.0]]))
    e, x = f.intersect(np.zeros(3), graze)
    assert np.isfinite(e[0])
    assert x[0] * graze[0, 2] == pytest.approx(9600.0)


def test_rays_parallel_to_faces_inside_and_outside() -> None:
    f = Frustum((2.0, 2.0), (4.0, 4.0), half_length=5.0)
    slope = 0.2  # d a / d z
    face = _unit(np.array([slope, 0.0, 1.0]))  # parallel to the +x side face
    # start 0.5 cm inside the +x face at z = -5 (a_x = 2): parallel to the face, stays 0.5 cm inside it
    o_in = np.array([1.5, 0.0, -5.0]) - 3.0 * face / face[2]  # on that line, 3 cm (in z) upstream of z = -5
    o_out = np.array([2.5, 0.0, -5.0]) - 3.0 * face / face[2]  # 0.5 cm outside the face, parallel to it
    entry, exit_ = f.intersect(np.stack([o_in, o_out]), np.stack([face, face]))
    assert np.isnan(entry[1])
    assert np.isnan(exit_[1])
    # the inside one: enters through z = -5 after its 3 cm of travel in z, leaves through z = +5
    assert entry[0] * face[2] == pytest.approx(3.0)
    assert exit_[0] * face[2] == pytest.approx(13.0)
    # exactly parallel to an end face (d_z = 0) inside and outside the z slab
    e, x = f.intersect(np.array([[-20.0, 0.0, 4.9], [-20.0, 0.0, 5.1]]), np.array([X, X]))
    assert e[0] == pytest.approx(20.0 - 3.98)
    assert x[0] == pytest.approx(20.0 + 3.98)
    assert np.isnan(e[1])
    assert np.isnan(x[1])


def test_misses_origins_inside_and_behind() -> None:
    f = Frustum((1.0, 1.0), (2.0, 3.0), half_length=4.0, center=(0.0, 0.0, 10.0))
    o = np.array([[0.0, 0.0, 10.0], [0.0, 0.0, 10.0], [0.0, 0.0, 20.0], [5.0, 0.0, 0.0], [0.0, 0.0, 6.0]])
    d = np.array([Z, -Z, Z, Z, -Z])
    entry, exit_ = f.intersect(o, d)
    np.testing.assert_allclose(entry[:2], [0.0, 0.0])
    np.testing.assert_allclose(exit_[:2], [4.0, 4.0])
    assert np.all(np.isnan(entry[2:4]))
    assert np.all(np.isnan(exit_[2:4]))
    assert entry[4] == 0.0  # on the upstream face, leaving: counted inside with a zero chord
    assert exit_[4] == 0.0


# --- properties ---------------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(
    up=st.tuples(sizes, sizes),
    down=st.tuples(sizes, sizes),
    half_length=sizes,
    center=st.tuples(coords, coords, coords),
    euler=st.tuples(angles, angles, angles),
    origin=st.tuples(coords, coords, coords),
    frac=st.tuples(interior, interior, interior),
)
def test_property_entry_exit_on_surface_and_chord_inside(
    up: tuple[float, float],
    down: tuple[float, float],
    half_length: float,
    center: tuple[float, float, float],
    euler: tuple[float, float, float],
    origin: tuple[float, float, float],
    frac: tuple[float, float, float],
) -> None:
    f = Frustum(up, down, half_length, center=center, rotation=rotation_from_euler(*euler))
    z = frac[2] * half_length
    ax, ay = f.half_widths_at(z)
    target = f.to_facility(np.array([[frac[0] * ax, frac[1] * ay, z]]))[0]
    o = np.asarray(origin)
    direction = target - o
    if np.linalg.norm(direction) < 1e-6:
        direction = Z.copy()
    direction = _unit(direction)
    entry, exit_ = f.intersect(o[None, :], direction[None, :])
    assert np.isfinite(entry[0])
    assert 0.0 <= entry[0] <= exit_[0]
    inside_origin = bool(f.contains(o[None, :])[0])
    if inside_origin:
        assert entry[0] == 0.0
    ends = o + np.array([entry[0], exit_[0]])[:, None] * direction
    dist = _surface_distance(f, ends)
    assert abs(dist[1]) < TOL
    if not inside_origin:
        assert abs(dist[0]) < TOL
    # points strictly between entry and exit are inside (convex solid)
    s = np.linspace(0.01, 0.99, 25)
    between = o + (entry[0] + s * (exit_[0] - entry[0]))[:, None] * direction
    assert np.all(_surface_distance(f, between) <= TOL)
    assert np.all(f.contains(between) | (_surface_distance(f, between) > -TOL))


@settings(max_examples=100, deadline=None)
@given(
    half=st.tuples(sizes, sizes, sizes),
    center=st.tuples(coords, coords, coords),
    euler=st.tuples(angles, angles, angles),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_equal_faces_give_the_box_chord(
    half: tuple[float, float, float],
    center: tuple[float, float, float],
    euler: tuple[float, float, float],
    seed: int,
) -> None:
    rot = rotation_from_euler(*euler)
    box = Box(half, center=center, rotation=rot)
    f = Frustum(half[:2], half[:2], half[2], center=center, rotation=rot)
    rng = np.random.default_rng(seed)
    o = np.asarray(center) + rng.uniform(-120.0, 120.0, size=(200, 3))
    d = isotropic_directions(200, rng)
    d[:20] = np.sign(rng.normal(size=(20, 1))) * rot[:, rng.integers(0, 3, 20)].T  # parallel to faces
    be, bx = box.intersect(o, d)
    fe, fx = f.intersect(o, d)
    np.testing.assert_array_equal(np.isnan(be), np.isnan(fe))
    np.testing.assert_allclose(fe, be, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(fx, bx, rtol=1e-9, atol=1e-9)
    assert f.volume == pytest.approx(box.volume, rel=1e-12)


def _chord_volume(f: Frustum, n: int, rng: np.random.Generator) -> tuple[float, float]:
    """Volume [cm^3] and its standard error from chords of random rays: for parallel rays crossing a disc of area
    A perpendicular to d that covers the solid, V = A <chord> (Cavalieri); each ray has its own isotropic d."""
    c, r = f.bounding_sphere()
    d = isotropic_directions(n, rng)
    e1 = _unit(np.cross(d, np.where(np.abs(d[:, :1]) < 0.9, X, Y)))
    e2 = np.cross(d, e1)
    rho, phi = r * np.sqrt(rng.random(n)), rng.uniform(0.0, 2 * math.pi, n)
    o = c - 2.0 * r * d + (rho * np.cos(phi))[:, None] * e1 + (rho * np.sin(phi))[:, None] * e2
    entry, exit_ = f.intersect(o, d)
    chord = np.where(np.isnan(entry), 0.0, exit_ - entry)
    area = math.pi * r**2
    return area * float(chord.mean()), area * float(chord.std()) / math.sqrt(n)


@settings(max_examples=15, deadline=None)
@given(up=st.tuples(sizes, sizes), ratio=st.floats(0.2, 5.0), half_length=sizes, seed=st.integers(0, 2**32 - 1))
def test_property_chord_volume_is_the_pyramid_frustum_volume(
    up: tuple[float, float], ratio: float, half_length: float, seed: int
) -> None:
    """Similar end faces (a pyramid frustum): V = (L/3)(A1 + A2 + sqrt(A1 A2)), L the length (Euclid XII /
    the Moscow papyrus formula), from ray chords and from ``volume``."""
    down = (up[0] * ratio, up[1] * ratio)
    euler = np.random.default_rng(seed).uniform(-math.pi, math.pi, 3)
    f = Frustum(up, down, half_length, center=(3.0, -2.0, 40.0), rotation=rotation_from_euler(*euler))
    a1, a2 = 4 * up[0] * up[1], 4 * down[0] * down[1]
    expected = 2 * half_length / 3 * (a1 + a2 + math.sqrt(a1 * a2))
    assert f.volume == pytest.approx(expected, rel=1e-12)
    vol, err = _chord_volume(f, 20_000, np.random.default_rng(seed))
    assert abs(vol - expected) < 5.0 * err


def test_chord_volume_with_different_x_and_y_tapers() -> None:
    """Non-similar faces (x widens, y narrows): V = L/6 (A1 + 4 A_mid + A2) (prismatoid formula), by chords."""
    f = Frustum((1.0, 6.0), (5.0, 2.0), half_length=7.0, rotation=rotation_about_axis([1.0, 2.0, 3.0], 0.7))
    expected = 14.0 / 6.0 * (4 * 6.0 + 4 * (4 * 3.0 * 4.0) + 4 * 10.0)
    assert f.volume == pytest.approx(expected, rel=1e-12)
    vol, err = _chord_volume(f, 100_000, np.random.default_rng(5))
    assert abs(vol - expected) < 5.0 * err
    assert err < 0.01 * expected


def test_sample_points_uniform_and_inside() -> None:
    f = Frustum((1.0, 2.0), (4.0, 3.0), half_length=5.0, center=(1.0, 2.0, 3.0), rotation=rotation_from_euler(1, 2, 3))
    rng = np.random.default_rng(9)
    n = 200_000
    points = f.sample_points(n, rng)
    assert np.all(f.contains(points))
    local = (points - np.asarray(f.center)) @ f.rotation_matrix
    # the fraction upstream of z = z0 is the volume of that part of the frustum
    for z0 in (-2.5, 0.0, 2.5):
        ax, ay = f.half_widths_at(z0)
        part = Frustum(f.half_widths_upstream, (float(ax), float(ay)), half_length=(z0 + 5.0) / 2.0)
        p = part.volume / f.volume
        assert abs(np.mean(local[:, 2] < z0) - p) < 4 * math.sqrt(p * (1 - p) / n)
    # symmetric in x and y
    assert abs(np.mean(local[:, 0] > 0) - 0.5) < 4 * math.sqrt(0.25 / n)
    assert abs(np.mean(local[:, 1] > 0) - 0.5) < 4 * math.sqrt(0.25 / n)
    c, r = f.bounding_sphere()
    assert np.all(np.linalg.norm(points - c, axis=1) <= r * (1 + 1e-12))


def test_invalid_sizes_name_the_field() -> None:
    with pytest.raises(ConfigError, match="half_widths_upstream"):
        Frustum((0.0, 1.0), (1.0, 1.0), 1.0)
    with pytest.raises(ConfigError, match="half_widths_downstream"):
        Frustum((1.0, 1.0), (1.0, 1.0, 1.0), 1.0)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="half_length"):
        Frustum((1.0, 1.0), (1.0, 1.0), -1.0)
    with pytest.raises(ConfigError, match="rotation"):
        Frustum((1.0, 1.0), (1.0, 1.0), 1.0, rotation=np.diag([1.0, 1.0, -1.0]))


def test_place_solid_moves_a_frustum() -> None:
    f = Frustum((1.0, 2.0), (3.0, 4.0), half_length=5.0, center=(0.0, 1.0, 0.0))
    r, t = rotation_about_axis(Y, 0.4), np.array([10.0, 0.0, 50.0])
    placed = place_solid(f, r, t)
    assert isinstance(placed, Frustum)
    rng = np.random.default_rng(2)
    o, d = rng.uniform(-10, 10, size=(300, 3)), isotropic_directions(300, rng)
    e0, x0 = f.intersect(o, d)
    e1, x1 = placed.intersect(o @ r.T + t, d @ r.T)
    np.testing.assert_allclose(e1, e0, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(x1, x0, rtol=1e-9, atol=1e-9)


# --- catalogue ----------------------------------------------------------------------------------------------
def test_ship_2019_vessel_in_the_catalogue() -> None:
    """The catalogue's SHiP 2019 vessel at sps_bdf is the frustum |x| < 0.025 z, |y| < 0.05 z, 46 m < z < 96 m
    (data/detectors/ship_2019_decay_vessel.toml): checked against a dense scan of that definition along rays."""
    placed = detectors.get("ship_2019_decay_vessel").place("sps_bdf")
    solid = placed.active
    rng = np.random.default_rng(11)
    n = 400
    o = np.column_stack([rng.uniform(-30.0, 30.0, n), rng.uniform(-30.0, 30.0, n), rng.uniform(-100.0, 200.0, n)])
    d = _unit(np.column_stack([rng.normal(0, 0.04, n), rng.normal(0, 0.06, n), np.ones(n)]))
    entry, exit_ = solid.intersect(o, d)
    t = np.linspace(0.0, 12_000.0, 120_001)  # 0.1 cm steps
    for i in range(0, n, 40):
        p = o[i] + t[:, None] * d[i]
        x, y, z = p.T
        inside = (np.abs(x) <= 0.025 * z) & (np.abs(y) <= 0.05 * z) & (z >= 4600.0) & (z <= 9600.0)
        if not inside.any():
            assert np.isnan(entry[i])
            continue
        assert abs(t[inside][0] - entry[i]) <= 0.11
        assert abs(t[inside][-1] - exit_[i]) <= 0.11
    a1, a2 = 2.3 * 4.6, 4.8 * 9.6  # m^2
    assert solid.volume / 1e6 == pytest.approx(50.0 / 3.0 * (a1 + a2 + math.sqrt(a1 * a2)), rel=1e-12)


def test_frustum_from_experiment_schema_and_catalogue_entry() -> None:
    """shape = "frustum" in an experiment's inline detector (FrustumSpec) and in a catalogue solid (SolidEntry)."""
    from pydantic import TypeAdapter, ValidationError

    from darkbeam.detectors.catalogue import SolidEntry
    from darkbeam.experiments import _solid
    from darkbeam.experiments.schema import SolidSpec

    spec = TypeAdapter(SolidSpec).validate_python(
        {
            "shape": "frustum",
            "half_widths_upstream_cm": [1.0, 2.0],
            "half_widths_downstream_cm": [3.0, 4.0],
            "half_length_cm": 5.0,
            "center_cm": [0.0, 0.0, 100.0],
        }
    )
    solid = _solid(spec)
    assert solid == Frustum((1.0, 2.0), (3.0, 4.0), 5.0, center=(0.0, 0.0, 100.0))
    with pytest.raises(ValidationError):
        TypeAdapter(SolidSpec).validate_python(
            {
                "shape": "frustum",
                "half_widths_upstream_cm": [1.0, -2.0],
                "half_widths_downstream_cm": [3.0, 4.0],
                "half_length_cm": 5.0,
                "center_cm": [0.0, 0.0, 0.0],
            }
        )
    entry = SolidEntry(
        name="v",
        shape="frustum",
        half_widths_upstream_cm=(1.0, 2.0),
        half_widths_downstream_cm=(3.0, 4.0),
        half_length_cm=5.0,
        source="test entry",
    )
    assert entry.build() == Frustum((1.0, 2.0), (3.0, 4.0), 5.0)
    with pytest.raises(ValidationError, match="frustum needs exactly"):
        SolidEntry(name="v", shape="frustum", half_lengths_cm=(1.0, 2.0, 3.0), source="test entry")
