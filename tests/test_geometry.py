"""Tests of darkbeam.geometry: solids, ray intersection, unions, decay-in-volume probabilities (cm)."""

from __future__ import annotations

import dataclasses
import decimal
import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy import stats

from darkbeam.errors import ConfigError
from darkbeam.geometry import (
    Box,
    Cylinder,
    Solid,
    Sphere,
    Union,
    decay_probability,
    rotation_about_axis,
    rotation_from_euler,
    sample_decay_distance,
)
from darkbeam.kinematics import isotropic_directions

FloatArray = NDArray[np.float64]

X, Y, Z = np.eye(3)


def rays(*pairs: tuple[list[float] | FloatArray, list[float] | FloatArray]) -> tuple[FloatArray, FloatArray]:
    """Stack (origin, direction) pairs into (n, 3) arrays, normalising the directions."""
    o = np.array([p[0] for p in pairs], dtype=float)
    d = np.array([p[1] for p in pairs], dtype=float)
    return o, d / np.linalg.norm(d, axis=1, keepdims=True)


# --- analytic chords ----------------------------------------------------------------------------------------
def test_sphere_chord_through_centre_is_diameter() -> None:
    sphere = Sphere(radius=2.5, center=(1.0, -2.0, 30.0))
    rng = np.random.default_rng(1)
    d = isotropic_directions(1000, rng)
    origins = np.asarray(sphere.center) - 40.0 * d  # 40 cm before the centre, aimed at it
    entry, exit_ = sphere.intersect(origins, d)
    np.testing.assert_allclose(exit_ - entry, 5.0, rtol=1e-12)
    np.testing.assert_allclose(entry, 37.5, rtol=1e-12)


def test_box_chords_along_axes() -> None:
    box = Box(half_lengths=(1.0, 2.0, 3.0), center=(0.0, 0.0, 100.0))
    o, d = rays(
        ([-10.0, 0.0, 100.0], X),
        ([0.0, -10.0, 100.0], Y),
        ([0.0, 0.0, 0.0], Z),
        ([0.0, 0.0, 200.0], -Z),
        ([0.5, 1.5, 0.0], Z),  # off-centre but inside the cross-section
    )
    entry, exit_ = box.intersect(o, d)
    np.testing.assert_allclose(entry, [9.0, 8.0, 97.0, 97.0, 97.0])
    np.testing.assert_allclose(exit_, [11.0, 12.0, 103.0, 103.0, 103.0])


def test_box_rotated_45_degrees_gives_the_diagonal() -> None:
    a, h = 2.0, 5.0
    box = Box(half_lengths=(a, a, h), center=(0.0, 0.0, 50.0), rotation=rotation_about_axis(Z, math.pi / 4))
    o, d = rays(([-20.0, 0.0, 50.0], X), ([0.0, -20.0, 50.0], Y), ([0.0, 0.0, 0.0], Z))
    entry, exit_ = box.intersect(o, d)
    np.testing.assert_allclose(exit_ - entry, [2 * a * math.sqrt(2), 2 * a * math.sqrt(2), 2 * h], rtol=1e-12)
    np.testing.assert_allclose(entry[0], 20.0 - a * math.sqrt(2), rtol=1e-12)
    # a body diagonal of an unrotated cube: length 2√3 a
    cube = Box((a, a, a))
    o, d = rays(([-10.0, -10.0, -10.0], [1.0, 1.0, 1.0]))
    entry, exit_ = cube.intersect(o, d)
    np.testing.assert_allclose(exit_ - entry, 2 * math.sqrt(3) * a, rtol=1e-12)


def test_cylinder_along_and_across_axis() -> None:
    # axis along facility x (local z rotated onto x)
    cyl = Cylinder(radius=3.0, half_length=10.0, center=(0.0, 0.0, 500.0), rotation=rotation_about_axis(Y, math.pi / 2))
    np.testing.assert_allclose(cyl.axis, [1.0, 0.0, 0.0], atol=1e-15)
    o, d = rays(
        ([-50.0, 0.0, 500.0], X),  # along the axis: 2 h
        ([0.0, 0.0, 0.0], Z),  # across, through the axis: 2 r
        ([5.0, -20.0, 500.0 + 1.5], Y),  # across, off-axis by 1.5: 2 sqrt(r² − 1.5²)
        ([0.0, 0.0, 500.0], [1.0, 0.0, 1.0]),  # from the centre at 45°: leaves through the side at r√2
        ([0.0, 0.0, 500.0], [1.0, 0.0, 0.1]),  # from the centre, shallow: leaves through the end cap
    )
    entry, exit_ = cyl.intersect(o, d)
    np.testing.assert_allclose(
        exit_ - entry, [20.0, 6.0, 2 * math.sqrt(9.0 - 2.25), 3 * math.sqrt(2), 10 * math.sqrt(1.01)]
    )
    np.testing.assert_allclose(entry, [40.0, 497.0, 20.0 - math.sqrt(9.0 - 2.25), 0.0, 0.0])


def test_nearly_parallel_rays_are_exact_and_warning_free() -> None:
    """Direction components of 1e-310 (subnormal) or 1e-160 (square underflows) must not spoil the chord."""
    cyl = Cylinder(radius=1.0, half_length=5.0)
    box = Box((1.0, 1.0, 5.0))
    for tiny in (1e-310, 1e-160, 1e-30):
        d = np.array([[tiny, 0.0, 1.0], [tiny, 0.0, 1.0], [0.0, -tiny, -1.0]])
        o = np.array([[0.5, 0.0, -10.0], [2.0, 0.0, -10.0], [0.0, 0.999, 10.0]])
        for solid in (cyl, box):
            entry, exit_ = solid.intersect(o, d)  # warnings are errors in this test suite
            np.testing.assert_allclose(entry[[0, 2]], 5.0)
            np.testing.assert_allclose(exit_[[0, 2]], 15.0)
            assert np.isnan(entry[1])


def test_misses_and_solids_behind_give_nan() -> None:
    solids: list[Solid] = [
        Box((1.0, 1.0, 1.0), center=(0.0, 0.0, 10.0)),
        Cylinder(1.0, 1.0, center=(0.0, 0.0, 10.0)),
        Sphere(1.0, center=(0.0, 0.0, 10.0)),
    ]
    o, d = rays(
        ([0.0, 0.0, 0.0], -Z),  # solid behind the origin
        ([0.0, 0.0, 20.0], Z),  # solid behind, origin past it
        ([5.0, 0.0, 0.0], Z),  # parallel, outside
        ([0.0, 0.0, 0.0], X),  # perpendicular, never comes close
        ([0.0, 0.0, 0.0], [1.0, 0.0, 4.0]),  # passes beside (x = 2.5 at z = 10)
    )
    for solid in solids:
        entry, exit_ = solid.intersect(o, d)
        assert np.all(np.isnan(entry)), solid
        assert np.all(np.isnan(exit_)), solid


def test_origin_inside_gives_entry_zero() -> None:
    o, d = rays(([0.0, 0.0, 10.0], Z), ([0.0, 0.0, 10.0], -X), ([0.0, 0.5, 10.5], Y))
    box = Box((1.0, 2.0, 3.0), center=(0.0, 0.0, 10.0))
    entry, exit_ = box.intersect(o, d)
    np.testing.assert_array_equal(entry, 0.0)
    np.testing.assert_allclose(exit_, [3.0, 1.0, 1.5])
    sphere = Sphere(2.0, center=(0.0, 0.0, 10.0))
    entry, exit_ = sphere.intersect(o, d)
    np.testing.assert_array_equal(entry, 0.0)
    np.testing.assert_allclose(exit_[:2], [2.0, 2.0])
    cyl = Cylinder(2.0, 3.0, center=(0.0, 0.0, 10.0))
    entry, exit_ = cyl.intersect(o, d)
    np.testing.assert_array_equal(entry, 0.0)
    np.testing.assert_allclose(exit_, [3.0, 2.0, 2.0 - 0.5])


def test_single_ray_and_broadcast_origin() -> None:
    sphere = Sphere(1.0, center=(0.0, 0.0, 5.0))
    entry, exit_ = sphere.intersect([0.0, 0.0, 0.0], [0.0, 0.0, 1.0])
    assert entry.shape == (1,)
    assert (entry[0], exit_[0]) == (4.0, 6.0)
    d = isotropic_directions(10, np.random.default_rng(0))
    entry, _ = sphere.intersect([0.0, 0.0, 0.0], d)
    assert entry.shape == (10,)


def test_solid_angle_fraction_of_isotropic_rays() -> None:
    r, dist = 1.0, 3.0
    sphere = Sphere(r, center=(dist, 0.0, 0.0))
    rng = np.random.default_rng(2024)
    n = 1_000_000
    entry, _ = sphere.intersect(np.zeros(3), isotropic_directions(n, rng))
    fraction = np.count_nonzero(~np.isnan(entry)) / n
    expected = (1.0 - math.sqrt(1.0 - r**2 / dist**2)) / 2.0
    assert abs(fraction - expected) < 3.0 * math.sqrt(expected * (1.0 - expected) / n)


# --- property tests -----------------------------------------------------------------------------------------
angles = st.floats(-math.pi, math.pi)
sizes = st.floats(0.05, 20.0)
coords = st.floats(-50.0, 50.0)
unit = st.floats(-1.0, 1.0)
# targets strictly inside (2% margin): a ray aimed exactly at an edge or corner grazes it, and whether such a
# zero-length chord counts as a hit is decided by rounding
interior = st.floats(-0.98, 0.98)


def _rotation(a: float, b: float, c: float) -> FloatArray:
    return rotation_from_euler(a, b, c)


def _local(solid: Box | Cylinder, points: FloatArray) -> FloatArray:
    return np.asarray((points - np.asarray(solid.center)) @ solid.rotation_matrix)


def _check_hit(solid: Solid, origin: FloatArray, target: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Aim a ray from ``origin`` through ``target`` (inside the solid); check the chord, return its ends."""
    direction = target - origin
    norm = float(np.linalg.norm(direction))
    if norm < 1e-6:
        direction, norm = np.array([0.0, 0.0, 1.0]), 1.0
    direction = direction / norm
    entry, exit_ = solid.intersect(origin[None, :], direction[None, :])
    assert np.isfinite(entry[0])
    assert 0.0 <= entry[0] <= exit_[0]
    if solid.contains(origin[None, :])[0]:
        assert entry[0] == 0.0
    mid = origin + 0.5 * (entry[0] + exit_[0]) * direction
    assert solid.contains(mid[None, :])[0]
    return origin + entry[0] * direction, origin + exit_[0] * direction


TOL = 1e-9 * 200.0  # absolute [cm]: float64 rounding at the ~100 cm scale of these rays


@settings(max_examples=200, deadline=None)
@given(
    half=st.tuples(sizes, sizes, sizes),
    center=st.tuples(coords, coords, coords),
    euler=st.tuples(angles, angles, angles),
    origin=st.tuples(coords, coords, coords),
    frac=st.tuples(interior, interior, interior),
)
def test_box_property_entry_exit_on_surface(
    half: tuple[float, float, float],
    center: tuple[float, float, float],
    euler: tuple[float, float, float],
    origin: tuple[float, float, float],
    frac: tuple[float, float, float],
) -> None:
    box = Box(half, center=center, rotation=_rotation(*euler))
    h = np.asarray(half)
    target = box.to_facility((np.asarray(frac) * h)[None, :])[0]
    o = np.asarray(origin)
    p_in, p_out = _check_hit(box, o, target)
    # on the surface: the largest |x_i| − h_i over the axes is 0 (inside the slabs, touching one face)
    out_local = _local(box, p_out[None, :])[0]
    assert abs(np.max(np.abs(out_local) - h)) < TOL
    if not box.contains(o[None, :])[0]:
        in_local = _local(box, p_in[None, :])[0]
        assert abs(np.max(np.abs(in_local) - h)) < TOL


@settings(max_examples=200, deadline=None)
@given(
    radius=sizes,
    half_length=sizes,
    center=st.tuples(coords, coords, coords),
    euler=st.tuples(angles, angles, angles),
    origin=st.tuples(coords, coords, coords),
    frac=st.tuples(interior, interior, interior),
)
def test_cylinder_property_entry_exit_on_surface(
    radius: float,
    half_length: float,
    center: tuple[float, float, float],
    euler: tuple[float, float, float],
    origin: tuple[float, float, float],
    frac: tuple[float, float, float],
) -> None:
    cyl = Cylinder(radius, half_length, center=center, rotation=_rotation(*euler))
    local_target = np.array([frac[0] * radius / math.sqrt(2), frac[1] * radius / math.sqrt(2), frac[2] * half_length])
    target = cyl.to_facility(local_target[None, :])[0]
    o = np.asarray(origin)

    def surface_distance(p: FloatArray) -> float:
        loc = _local(cyl, p[None, :])[0]
        return float(max(math.hypot(loc[0], loc[1]) - radius, abs(loc[2]) - half_length))

    p_in, p_out = _check_hit(cyl, o, target)
    assert abs(surface_distance(p_out)) < TOL
    if not cyl.contains(o[None, :])[0]:
        assert abs(surface_distance(p_in)) < TOL


@settings(max_examples=200, deadline=None)
@given(
    radius=sizes,
    center=st.tuples(coords, coords, coords),
    origin=st.tuples(coords, coords, coords),
    frac=st.tuples(interior, interior, interior),
)
def test_sphere_property_entry_exit_on_surface(
    radius: float,
    center: tuple[float, float, float],
    origin: tuple[float, float, float],
    frac: tuple[float, float, float],
) -> None:
    sphere = Sphere(radius, center=center)
    target = np.asarray(center) + np.asarray(frac) * radius / math.sqrt(3)
    o = np.asarray(origin)
    p_in, p_out = _check_hit(sphere, o, target)
    assert abs(np.linalg.norm(p_out - np.asarray(center)) - radius) < TOL
    if not sphere.contains(o[None, :])[0]:
        assert abs(np.linalg.norm(p_in - np.asarray(center)) - radius) < TOL


@settings(max_examples=100, deadline=None)
@given(
    half=st.tuples(sizes, sizes, sizes),
    center=st.tuples(coords, coords, coords),
    euler=st.tuples(angles, angles, angles),
    direction=st.tuples(unit, unit, unit).filter(lambda v: sum(x * x for x in v) > 1e-2),
)
def test_rays_pointing_away_from_bounding_sphere_miss(
    half: tuple[float, float, float],
    center: tuple[float, float, float],
    euler: tuple[float, float, float],
    direction: tuple[float, float, float],
) -> None:
    for solid in (
        Box(half, center=center, rotation=_rotation(*euler)),
        Cylinder(half[0], half[1], center=center, rotation=_rotation(*euler)),
        Sphere(half[0], center=center),
    ):
        c, r = solid.bounding_sphere()
        d = np.asarray(direction) / np.linalg.norm(direction)
        origin = c + (r + 1.0) * d  # outside the bounding sphere, moving away
        entry, exit_ = solid.intersect(origin[None, :], d[None, :])
        assert np.isnan(entry[0])
        assert np.isnan(exit_[0])


# --- volumes, containment, sampling -------------------------------------------------------------------------
SOLIDS: list[Solid] = [
    Box((1.0, 2.0, 3.0), center=(5.0, -1.0, 2.0), rotation=rotation_from_euler(0.3, 1.1, -0.7)),
    Cylinder(1.5, 4.0, center=(0.0, 3.0, 0.0), rotation=rotation_about_axis([1.0, 1.0, 0.0], 0.8)),
    Sphere(2.0, center=(-3.0, 0.0, 1.0)),
    Union(Box((1.0, 1.0, 1.0), center=(0.0, 0.0, 10.0)), Sphere(1.0, center=(0.0, 0.0, 14.0))),
]


@pytest.mark.parametrize("solid", SOLIDS, ids=lambda s: type(s).__name__)
def test_volume_by_monte_carlo(solid: Solid) -> None:
    """Uniform points in the bounding sphere's cube: the contained fraction is volume / cube volume."""
    rng = np.random.default_rng(8)
    c, r = solid.bounding_sphere()
    n = 400_000
    points = c + rng.uniform(-r, r, size=(n, 3))
    frac = np.count_nonzero(solid.contains(points)) / n
    expected = solid.volume / (2 * r) ** 3
    assert abs(frac - expected) < 4.0 * math.sqrt(expected * (1 - expected) / n)


@pytest.mark.parametrize("solid", SOLIDS, ids=lambda s: type(s).__name__)
def test_sample_points_uniform_and_inside(solid: Solid) -> None:
    rng = np.random.default_rng(9)
    n = 200_000
    points = solid.sample_points(n, rng)
    assert points.shape == (n, 3)
    assert np.all(solid.contains(points))
    c, r = solid.bounding_sphere()
    assert np.all(np.linalg.norm(points - c, axis=1) <= r * (1 + 1e-12))
    # uniform: a half-space through a point of symmetry holds half the points (for the primitives)
    if not isinstance(solid, Union):
        centre = np.asarray(solid.center)  # type: ignore[attr-defined]
        side = (points - centre) @ np.array([0.3, -0.5, 0.8])
        assert abs(np.mean(side > 0) - 0.5) < 4 * math.sqrt(0.25 / n)
        # and radially: for a sphere the fraction inside r/2 is 1/8
        if isinstance(solid, Sphere):
            inner = np.linalg.norm(points - centre, axis=1) < solid.radius / 2
            assert abs(inner.mean() - 1 / 8) < 4 * math.sqrt(7 / 64 / n)
    else:
        in_first = solid.components[0].contains(points)
        p = solid.components[0].volume / solid.volume
        assert abs(in_first.mean() - p) < 4 * math.sqrt(p * (1 - p) / n)


def test_volumes_closed_form() -> None:
    assert Box((1.0, 2.0, 3.0)).volume == 48.0
    assert Cylinder(2.0, 3.0).volume == pytest.approx(2 * math.pi * 4 * 3)
    assert Sphere(3.0).volume == pytest.approx(36 * math.pi)
    assert all(isinstance(s, Solid) for s in SOLIDS)


# --- validation ---------------------------------------------------------------------------------------------
def test_invalid_sizes_name_the_field() -> None:
    with pytest.raises(ConfigError, match=r"half_lengths\[1\]"):
        Box((1.0, -2.0, 3.0))
    with pytest.raises(ConfigError, match="half_lengths"):
        Box((1.0, 2.0))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="radius"):
        Cylinder(0.0, 1.0)
    with pytest.raises(ConfigError, match="half_length"):
        Cylinder(1.0, float("nan"))
    with pytest.raises(ConfigError, match="radius"):
        Sphere(-1.0)
    with pytest.raises(ConfigError, match="center"):
        Sphere(1.0, center=(0.0, float("inf"), 0.0))


def test_invalid_rotations() -> None:
    with pytest.raises(ConfigError, match="orthonormal"):
        Box((1.0, 1.0, 1.0), rotation=2 * np.eye(3))
    with pytest.raises(ConfigError, match="det"):
        Box((1.0, 1.0, 1.0), rotation=np.diag([1.0, 1.0, -1.0]))
    with pytest.raises(ConfigError, match="3x3"):
        Cylinder(1.0, 1.0, rotation=np.eye(2))
    with pytest.raises(ConfigError, match="axis"):
        rotation_about_axis([0.0, 0.0, 0.0], 1.0)
    with pytest.raises(ConfigError, match="sequence"):
        rotation_from_euler(0.1, 0.2, 0.3, sequence="zzy")


def test_rotation_helpers() -> None:
    r = rotation_about_axis(Z, math.pi / 2)
    np.testing.assert_allclose(r @ X, Y, atol=1e-15)  # right-handed
    e = rotation_from_euler(0.4, 0.0, 0.0)
    np.testing.assert_allclose(e, rotation_about_axis(Z, 0.4), atol=1e-15)
    e = rotation_from_euler(0.3, 0.5, -0.2, sequence="zyz")
    np.testing.assert_allclose(
        e,
        rotation_about_axis(Z, 0.3) @ rotation_about_axis(Y, 0.5) @ rotation_about_axis(Z, -0.2),
        atol=1e-15,
    )
    np.testing.assert_allclose(e.T @ e, np.eye(3), atol=1e-14)
    assert np.linalg.det(e) == pytest.approx(1.0)


def test_invalid_rays() -> None:
    box = Box((1.0, 1.0, 1.0))
    with pytest.raises(ConfigError, match="unit"):
        box.intersect(np.zeros((2, 3)), np.ones((2, 3)))
    with pytest.raises(ConfigError, match=r"\(n, 3\)"):
        box.intersect(np.zeros((2, 2)), np.ones((2, 2)))
    with pytest.raises(ConfigError, match="broadcast"):
        box.intersect(np.zeros((2, 3)), np.tile(Z, (3, 1)))


def test_solids_are_frozen_and_hashable() -> None:
    box = Box([1, 2, 3], center=np.array([0, 0, 1]), rotation=rotation_about_axis(Z, 0.1))  # type: ignore[arg-type]
    assert box.half_lengths == (1.0, 2.0, 3.0)
    assert box == Box((1.0, 2.0, 3.0), center=(0.0, 0.0, 1.0), rotation=rotation_about_axis(Z, 0.1))
    assert len({box, Sphere(1.0), Sphere(1.0)}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        box.center = (1.0, 1.0, 1.0)  # type: ignore[misc]
    union = Union(box, Sphere(1.0, center=(0.0, 0.0, 50.0)))
    with pytest.raises(AttributeError):
        union.components = ()
    with pytest.raises(ConfigError, match="at least one"):
        Union()
    with pytest.raises(ConfigError, match="Solid"):
        Union(box, "not a solid")  # type: ignore[arg-type]


# --- unions -------------------------------------------------------------------------------------------------
def test_union_of_tpcs_path_segments_and_decay_probability() -> None:
    # three 1 m TPC modules along z with 50 cm gaps, offset along x for the third one
    tpcs = Union(
        Box((100.0, 100.0, 50.0), center=(0.0, 0.0, 1000.0)),
        Box((100.0, 100.0, 50.0), center=(0.0, 0.0, 1150.0)),
        Box((100.0, 100.0, 50.0), center=(300.0, 0.0, 1300.0)),
    )
    o, d = rays(([0.0, 0.0, 0.0], Z), ([0.0, 0.0, 1000.0], Z), ([0.0, 500.0, 0.0], Z))
    entry, exit_ = tpcs.intersect(o, d)
    np.testing.assert_allclose(entry, [950.0, 0.0, np.nan])
    np.testing.assert_allclose(exit_, [1200.0, 200.0, np.nan])
    segments = tpcs.path_segments(o, d)
    assert len(segments) == 3
    np.testing.assert_allclose(segments[0][0], [950.0, 0.0, np.nan])
    np.testing.assert_allclose(segments[1][1], [1200.0, 200.0, np.nan])
    assert np.all(np.isnan(segments[2][0]))
    lam = np.array([10.0, 500.0, 1e5])
    total = np.sum([decay_probability(a, b, lam, outer=True) for a, b in segments], axis=0)
    expected_first = np.exp(-950 / lam) - np.exp(-1050 / lam) + np.exp(-1100 / lam) - np.exp(-1200 / lam)
    expected_second = (1 - np.exp(-50 / lam)) + np.exp(-100 / lam) - np.exp(-200 / lam)
    np.testing.assert_allclose(total, np.stack([expected_first, expected_second, np.zeros(3)]), rtol=1e-12)
    # the first-entry/last-exit span would overcount the gap
    span = decay_probability(entry, exit_, lam, outer=True)
    assert np.all(span[:2] > total[:2])
    assert tpcs.volume == pytest.approx(3 * 200 * 200 * 100)
    assert np.array_equal(tpcs.contains([[0.0, 0.0, 1000.0], [0.0, 0.0, 1075.0]]), [True, False])


# --- decay probability --------------------------------------------------------------------------------------
def test_decay_probability_closed_form_and_shapes() -> None:
    entry = np.array([10.0, 0.0, np.nan, 50.0])
    exit_ = np.array([30.0, 5.0, np.nan, 50.0])
    lam = np.array([1.0, 20.0, 300.0])
    p = decay_probability(entry, exit_, lam, outer=True)
    assert p.shape == (4, 3)
    with np.errstate(invalid="ignore"):
        closed = np.exp(-entry[:, None] / lam) - np.exp(-exit_[:, None] / lam)
    np.testing.assert_allclose(p[:2], closed[:2], rtol=1e-13)
    np.testing.assert_array_equal(p[2:], 0.0)  # miss, and zero-length chord
    # plain broadcasting: one decay length per ray
    np.testing.assert_allclose(decay_probability(entry, exit_, 20.0), p[:, 1], rtol=1e-15)
    np.testing.assert_allclose(decay_probability(entry[:3], exit_[:3], lam), np.diag(p[:3, :]), rtol=1e-15)
    assert decay_probability(2.0, 3.0, 1.0).shape == ()


def test_decay_probability_long_lifetime_limit() -> None:
    # detector-scale distances (≤ 10 m): P → (L2 − L1)/λ, corrections (L1 + L/2)/λ < 1e-9
    entry = np.array([100.0, 0.0, 500.0])
    exit_ = np.array([150.0, 1e-3, 600.0])
    lam = 1e12
    p = decay_probability(entry, exit_, lam)
    np.testing.assert_allclose(p, (exit_ - entry) / lam, rtol=1e-9)
    entry = np.append(entry, 5e7)  # 500 km away: the exp(−a/λ) factor matters at 5e-5
    exit_ = np.append(exit_, 5e7 + 1.0)
    p = decay_probability(entry, exit_, lam)
    # full double precision against 50-digit decimal arithmetic of exp(−a/λ) − exp(−b/λ)
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        exact = [
            float((-Decimal(a) / Decimal(lam)).exp() - (-Decimal(b) / Decimal(lam)).exp())
            for a, b in zip(entry, exit_, strict=True)
        ]
    np.testing.assert_allclose(p, exact, rtol=1e-14)
    # the naive difference of exponentials loses most digits here
    naive = np.exp(-entry / lam) - np.exp(-exit_ / lam)
    assert np.max(np.abs(naive / p - 1)) > 1e-6
    assert decay_probability(100.0, 150.0, np.inf) == 0.0


def test_decay_probability_short_lifetime_limit() -> None:
    assert decay_probability(100.0, 150.0, 1e-3) == 0.0
    assert decay_probability(100.0, 150.0, 0.0) == 0.0
    assert decay_probability(0.0, 150.0, 0.0) == 1.0  # starts inside: decays at once, inside
    assert decay_probability(0.0, 150.0, 1e-3) == pytest.approx(1.0)
    with pytest.raises(ConfigError, match="decay_length"):
        decay_probability(1.0, 2.0, -1.0)


# --- forced decay distance ----------------------------------------------------------------------------------
def _truncated_mean_offset(length: float, lam: float) -> float:
    """Mean of x ∈ [0, L] with density ∝ exp(−x/λ): L (1/r − 1/expm1(r)), r = L/λ (series for small r)."""
    r = length / lam
    if r < 1e-4:
        return length * (0.5 - r / 12 + r**3 / 720)
    return length * (1.0 / r - 1.0 / math.expm1(r))


@pytest.mark.parametrize("lam", [0.5, 20.0, 100.0, 1e4, 1e12])
def test_sample_decay_distance_truncated_exponential(lam: float) -> None:
    rng = np.random.default_rng(int(np.log10(lam) * 10) + 50)
    n = 400_000
    entry, exit_ = 200.0, 300.0
    t = sample_decay_distance(np.full(n, entry), np.full(n, exit_), lam, rng)
    assert t.shape == (n,)
    assert np.all((t >= entry) & (t <= exit_))
    expected = entry + _truncated_mean_offset(exit_ - entry, lam)
    assert abs(t.mean() - expected) < 3.0 * t.std() / math.sqrt(n)
    # the full distribution: Kolmogorov–Smirnov against the truncated exponential
    dist = stats.truncexpon(b=(exit_ - entry) / lam, loc=entry, scale=lam)
    assert stats.kstest(t, dist.cdf).pvalue > 1e-3


def test_sample_decay_distance_edge_cases() -> None:
    rng = np.random.default_rng(4)
    entry = np.array([1.0, 2.0, np.nan, 5.0, 0.0])
    exit_ = np.array([3.0, 2.0, np.nan, 9.0, 1.0])
    t = sample_decay_distance(entry, exit_, np.array([np.inf, 1.0, 1.0, 0.0, 1e-300]), rng)
    assert 1.0 <= t[0] <= 3.0
    assert t[1] == 2.0  # zero-length chord
    assert np.isnan(t[2])
    assert t[3] == 5.0  # λ = 0: decays at entry
    assert 0.0 <= t[4] < 1e-290
    # broadcasting (n, 1) against (m,) decay lengths
    t = sample_decay_distance(np.full((5, 1), 10.0), np.full((5, 1), 20.0), np.array([1.0, 1e3, 1e9]), rng)
    assert t.shape == (5, 3)
    assert np.all((t >= 10.0) & (t <= 20.0))
    with pytest.raises(ConfigError, match="decay_length"):
        sample_decay_distance(1.0, 2.0, np.nan, rng)
