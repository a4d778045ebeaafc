"""Detector solids placed in the facility frame, with vectorised ray intersection.

All lengths are in cm (DarkBeam internal units). A solid is defined in its own *local* frame, centred on the
origin, and placed in the facility frame by a translation ``center`` and a rotation matrix ``rotation`` that
maps local coordinates to facility coordinates::

    x_facility = rotation @ x_local + center

Rays are given as arrays of origins (n, 3) [cm] and unit directions (n, 3). Every method works on all rays at
once (no Python loop over rays): the slab method for boxes, the quadratic (plus end-cap slab) for spheres
and cylinders, and the intersection of the six face half-spaces for rectangular frustums. Intersection
returns the distances along the ray of the part of the chord with t >= 0: if the origin is inside the solid
the entry distance is 0; if the ray misses the solid, or the solid lies entirely behind the origin, both
distances are NaN. A ray that only grazes the surface counts as a hit with a
zero-length chord.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError, check_positive

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: tolerance on |R^T R - 1| and |det R - 1| when validating rotation matrices
ROTATION_TOLERANCE = 1e-9
#: tolerance on | |d| - 1 | when validating ray directions
DIRECTION_TOLERANCE = 1e-6

__all__ = [
    "Box",
    "Cylinder",
    "Frustum",
    "Solid",
    "Sphere",
    "Union",
    "rotation_about_axis",
    "rotation_from_euler",
]


# --- rotations ----------------------------------------------------------------------------------------------
def rotation_about_axis(axis: ArrayLike, angle_rad: float) -> FloatArray:
    """Rotation matrix (3, 3) for a right-handed rotation by ``angle_rad`` [rad] about ``axis`` (Rodrigues).

    The matrix maps local to facility coordinates when used as a solid's ``rotation``: the local axes are the
    facility axes turned by ``angle_rad`` about ``axis``.
    """
    k = np.asarray(axis, dtype=float)
    if k.shape != (3,) or not np.all(np.isfinite(k)):
        raise ConfigError(f"axis = {axis!r} is not allowed; it must be a finite 3-vector")
    norm = float(np.linalg.norm(k))
    if norm == 0.0:
        raise ConfigError("axis = (0, 0, 0) is not allowed; it must be a non-zero 3-vector")
    if not math.isfinite(angle_rad):
        raise ConfigError(f"angle_rad = {angle_rad!r} is not allowed; it must be finite")
    kx, ky, kz = k / norm
    cross = np.array([[0.0, -kz, ky], [kz, 0.0, -kx], [-ky, kx, 0.0]])
    return np.asarray(np.eye(3) + math.sin(angle_rad) * cross + (1.0 - math.cos(angle_rad)) * (cross @ cross))


_AXES = {"x": (1.0, 0.0, 0.0), "y": (0.0, 1.0, 0.0), "z": (0.0, 0.0, 1.0)}


def rotation_from_euler(alpha: float, beta: float, gamma: float, sequence: str = "zyz") -> FloatArray:
    """Rotation matrix (3, 3) from intrinsic Euler angles [rad].

    ``sequence`` names the three rotation axes (each of ``x``, ``y``, ``z``; default ``"zyz"``, the usual
    physics convention). The rotations are intrinsic (about the already-rotated axes): R = R_a(alpha)
    R_b(beta) R_c(gamma) for ``sequence = "abc"``.
    """
    seq = sequence.lower()
    if len(seq) != 3 or any(c not in _AXES for c in seq) or seq[0] == seq[1] or seq[1] == seq[2]:
        raise ConfigError(
            f"sequence = {sequence!r} is not allowed; it must be three axes from 'x', 'y', 'z' with no two "
            "consecutive axes equal (e.g. 'zyz', 'zxz', 'xyz')"
        )
    r = np.eye(3)
    for axis_name, angle in zip(seq, (alpha, beta, gamma), strict=True):
        r = r @ rotation_about_axis(_AXES[axis_name], angle)
    return np.asarray(r)


def _rotation_tuple(rotation: ArrayLike | None) -> tuple[tuple[float, float, float], ...] | None:
    """Validate a rotation matrix (orthonormal, det +1) and return it as a hashable tuple of rows."""
    if rotation is None:
        return None
    r = np.asarray(rotation, dtype=float)
    if r.shape != (3, 3) or not np.all(np.isfinite(r)):
        raise ConfigError(f"rotation = {rotation!r} is not allowed; it must be a finite 3x3 matrix")
    if not np.allclose(r.T @ r, np.eye(3), rtol=0.0, atol=ROTATION_TOLERANCE):
        raise ConfigError("rotation is not allowed: the matrix is not orthonormal (R^T R != 1)")
    if abs(float(np.linalg.det(r)) - 1.0) > ROTATION_TOLERANCE:
        raise ConfigError("rotation is not allowed: det(R) must be +1 (a proper rotation, not a reflection)")
    return tuple((float(row[0]), float(row[1]), float(row[2])) for row in r)


def _vec3(field: str, value: ArrayLike) -> tuple[float, float, float]:
    v = np.asarray(value, dtype=float)
    if v.shape != (3,) or not np.all(np.isfinite(v)):
        raise ConfigError(f"{field} = {value!r} is not allowed; it must be three finite numbers")
    return float(v[0]), float(v[1]), float(v[2])


# --- ray helpers --------------------------------------------------------------------------------------------
def _rays(origins: ArrayLike, directions: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Validate rays: origins and unit directions of shape (n, 3) (or (3,), broadcast against each other)."""
    o = np.atleast_2d(np.asarray(origins, dtype=float))
    d = np.atleast_2d(np.asarray(directions, dtype=float))
    if o.ndim != 2 or o.shape[-1] != 3 or d.ndim != 2 or d.shape[-1] != 3:
        raise ConfigError(
            f"origins and directions must have shape (n, 3); got {np.shape(origins)} and {np.shape(directions)}"
        )
    try:
        o, d = np.broadcast_arrays(o, d)
    except ValueError as exc:
        raise ConfigError(
            f"origins {np.shape(origins)} and directions {np.shape(directions)} do not broadcast"
        ) from exc
    norm = np.sqrt(np.einsum("ij,ij->i", d, d))
    if d.size and not np.all(np.abs(norm - 1.0) <= DIRECTION_TOLERANCE):
        raise ConfigError("directions must be unit vectors (|d| = 1 within 1e-6)")
    return o, d


def _points(points: ArrayLike) -> FloatArray:
    p = np.atleast_2d(np.asarray(points, dtype=float))
    if p.ndim != 2 or p.shape[-1] != 3:
        raise ConfigError(f"points must have shape (n, 3); got {np.shape(points)}")
    return p


def _slab(o: FloatArray, d: FloatArray, half: FloatArray | float) -> tuple[FloatArray, FloatArray]:
    """Parameter interval in which o + t d lies inside |x| <= half, component-wise (slab method).

    Works on arrays of any matching shape; a zero direction component gives (-inf, inf) if the origin is
    inside the slab and an empty interval (inf, -inf) otherwise.
    """
    parallel = d == 0.0
    safe_d = np.where(parallel, 1.0, d)
    with np.errstate(over="ignore"):  # a subnormal component gives ±inf, which is the right answer
        t1 = (-half - o) / safe_d
        t2 = (half - o) / safe_d
    lo = np.minimum(t1, t2)
    hi = np.maximum(t1, t2)
    inside = np.abs(o) <= half
    lo = np.where(parallel, np.where(inside, -np.inf, np.inf), lo)
    hi = np.where(parallel, np.where(inside, np.inf, -np.inf), hi)
    return lo, hi


def _clip_forward(t_near: FloatArray, t_far: FloatArray, origin_inside: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Keep the t >= 0 part of [t_near, t_far]; NaN where it is empty (miss, or solid behind the origin).

    ``origin_inside`` (the solid's ``contains`` test of the origins) forces t_near <= 0 <= t_far, so that an
    origin on the surface, which ``contains`` counts as inside, gets entry exactly 0 despite rounding in
    t_near.
    """
    t_near = np.where(origin_inside, np.minimum(t_near, 0.0), t_near)
    t_far = np.where(origin_inside, np.maximum(t_far, 0.0), t_far)
    hit = (t_near <= t_far) & (t_far >= 0.0)
    entry = np.where(hit, np.maximum(t_near, 0.0), np.nan)
    exit_ = np.where(hit, t_far, np.nan)
    return entry, exit_


# --- protocol -----------------------------------------------------------------------------------------------
@runtime_checkable
class Solid(Protocol):
    """What the decay and transport code needs from a detector volume (all lengths in cm)."""

    @property
    def volume(self) -> float:
        """Volume [cm³]."""
        ...

    def intersect(self, origins: ArrayLike, directions: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Entry and exit distances (n,) [cm] along rays (origins (n, 3) [cm], unit directions (n, 3)).

        Only the t >= 0 part counts (entry = 0 for an origin inside); NaN for a miss or a solid behind the
        origin.
        """
        ...

    def contains(self, points: ArrayLike) -> BoolArray:
        """Whether points (n, 3) [cm] are inside or on the surface, shape (n,)."""
        ...

    def bounding_sphere(self) -> tuple[FloatArray, float]:
        """Centre (3,) [cm] and radius [cm] of a sphere enclosing the solid."""
        ...

    def sample_points(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` points (n, 3) [cm] uniformly distributed in the volume."""
        ...


# --- placed solids ------------------------------------------------------------------------------------------
class _Placed:
    """Placement shared by the primitive solids: local ↔ facility transforms."""

    center: tuple[float, float, float]
    rotation: ArrayLike | None

    @cached_property
    def rotation_matrix(self) -> FloatArray:
        """The local → facility rotation matrix (3, 3) (identity when ``rotation`` is None)."""
        r = np.eye(3) if self.rotation is None else np.array(self.rotation, dtype=float)
        r.setflags(write=False)
        return r

    @cached_property
    def _center_array(self) -> FloatArray:
        c = np.array(self.center, dtype=float)
        c.setflags(write=False)
        return c

    def to_local(self, points: FloatArray) -> FloatArray:
        """Facility-frame points (n, 3) [cm] → local frame: R^T (x − center)."""
        shifted = points - self._center_array
        return shifted if self.rotation is None else np.asarray(shifted @ self.rotation_matrix)

    def to_facility(self, points: FloatArray) -> FloatArray:
        """Local-frame points (n, 3) [cm] → facility frame: R x + center."""
        rotated = points if self.rotation is None else np.asarray(points @ self.rotation_matrix.T)
        return np.asarray(rotated + self._center_array)

    def _local_rays(self, origins: ArrayLike, directions: ArrayLike) -> tuple[FloatArray, FloatArray]:
        o, d = _rays(origins, directions)
        local_d = d if self.rotation is None else np.asarray(d @ self.rotation_matrix)
        return self.to_local(o), local_d

    def bounding_sphere(self) -> tuple[FloatArray, float]:
        """Centre (3,) [cm] and radius [cm] of a sphere enclosing the solid."""
        return np.array(self.center, dtype=float), self._bounding_radius()

    def _bounding_radius(self) -> float:
        raise NotImplementedError


@dataclass(frozen=True)
class Box(_Placed):
    """Rectangular box with half-lengths ``(hx, hy, hz)`` [cm] along its local axes.

    ``center`` [cm] is the box centre in the facility frame; ``rotation`` (3, 3), if given, maps local to
    facility coordinates (see :func:`rotation_about_axis`, :func:`rotation_from_euler`). Both are normalised
    on construction (``half_lengths`` and ``center`` to tuples of floats, ``rotation`` to a tuple of rows).
    """

    half_lengths: tuple[float, float, float]
    center: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rotation: ArrayLike | None = None

    def __post_init__(self) -> None:
        hl = _vec3("half_lengths", self.half_lengths)
        for name, v in zip(("half_lengths[0] (hx)", "half_lengths[1] (hy)", "half_lengths[2] (hz)"), hl, strict=True):
            check_positive(name, v)
        object.__setattr__(self, "half_lengths", hl)
        object.__setattr__(self, "center", _vec3("center", self.center))
        object.__setattr__(self, "rotation", _rotation_tuple(self.rotation))

    @property
    def volume(self) -> float:
        """Volume 8 hx hy hz [cm³]."""
        hx, hy, hz = self.half_lengths
        return 8.0 * hx * hy * hz

    def _bounding_radius(self) -> float:
        return math.hypot(*self.half_lengths)

    def intersect(self, origins: ArrayLike, directions: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Entry and exit distances (n,) [cm]; see :class:`Solid`. Slab method in the local frame."""
        o, d = self._local_rays(origins, directions)
        h = np.asarray(self.half_lengths)
        lo, hi = _slab(o, d, h)
        inside = np.all(np.abs(o) <= h, axis=-1)
        return _clip_forward(np.max(lo, axis=-1), np.min(hi, axis=-1), inside)

    def contains(self, points: ArrayLike) -> BoolArray:
        """Whether points (n, 3) [cm] are inside or on the surface, shape (n,)."""
        local = self.to_local(_points(points))
        return np.asarray(np.all(np.abs(local) <= np.asarray(self.half_lengths), axis=-1))

    def sample_points(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` points (n, 3) [cm] uniformly distributed in the box."""
        h = np.asarray(self.half_lengths)
        return self.to_facility(rng.uniform(-h, h, size=(n, 3)))


@dataclass(frozen=True)
class Cylinder(_Placed):
    """Solid cylinder of ``radius`` [cm] and ``half_length`` [cm], its axis along the local z axis.

    ``center`` [cm] is the centre of the cylinder (midway along the axis); ``rotation`` as for :class:`Box`.
    """

    radius: float
    half_length: float
    center: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rotation: ArrayLike | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "radius", check_positive("radius", self.radius))
        object.__setattr__(self, "half_length", check_positive("half_length", self.half_length))
        object.__setattr__(self, "center", _vec3("center", self.center))
        object.__setattr__(self, "rotation", _rotation_tuple(self.rotation))

    @property
    def volume(self) -> float:
        """Volume 2π r² h [cm³] (h the half-length)."""
        return 2.0 * math.pi * self.radius**2 * self.half_length

    @property
    def axis(self) -> FloatArray:
        """Unit vector (3,) of the cylinder axis in the facility frame."""
        return np.asarray(self.rotation_matrix[:, 2].copy())

    def _bounding_radius(self) -> float:
        return math.hypot(self.radius, self.half_length)

    def intersect(self, origins: ArrayLike, directions: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Entry and exit distances (n,) [cm]; see :class:`Solid`. Radial quadratic ∩ end-cap slab."""
        o, d = self._local_rays(origins, directions)
        ox, oy, dx, dy = o[:, 0], o[:, 1], d[:, 0], d[:, 1]
        s = np.hypot(dx, dy)  # |d_perp| without under/overflow; 0 for rays parallel to the axis
        safe_s = np.where(s == 0.0, 1.0, s)
        ux, uy = dx / safe_s, dy / safe_s  # unit transverse direction
        # closest approach to the axis at t0 = −(o_perp·u)/s, at distance |o_perp × u| (no cancellation)
        dist = ox * uy - oy * ux
        disc = self.radius**2 - dist * dist
        hits_side = disc >= 0.0
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            t0 = -(ox * ux + oy * uy) / safe_s
            half_chord = np.sqrt(np.clip(disc, 0.0, None)) / safe_s
            side_lo = t0 - half_chord
            side_hi = t0 + half_chord
        # (nearly) parallel to the axis: the side surface is never crossed within any finite distance
        parallel = (s == 0.0) | ~np.isfinite(side_lo) | ~np.isfinite(side_hi)
        inside_radially = np.hypot(ox, oy) <= self.radius
        rad_lo = np.where(parallel, np.where(inside_radially, -np.inf, np.inf), np.where(hits_side, side_lo, np.inf))
        rad_hi = np.where(parallel, np.where(inside_radially, np.inf, -np.inf), np.where(hits_side, side_hi, -np.inf))
        z_lo, z_hi = _slab(o[:, 2], d[:, 2], self.half_length)
        inside = inside_radially & (np.abs(o[:, 2]) <= self.half_length)
        return _clip_forward(np.maximum(rad_lo, z_lo), np.minimum(rad_hi, z_hi), inside)

    def contains(self, points: ArrayLike) -> BoolArray:
        """Whether points (n, 3) [cm] are inside or on the surface, shape (n,)."""
        local = self.to_local(_points(points))
        radial = np.hypot(local[:, 0], local[:, 1]) <= self.radius
        return np.asarray(radial & (np.abs(local[:, 2]) <= self.half_length))

    def sample_points(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` points (n, 3) [cm] uniformly distributed in the cylinder."""
        r = self.radius * np.sqrt(rng.random(n))
        phi = rng.uniform(0.0, 2.0 * np.pi, n)
        z = rng.uniform(-self.half_length, self.half_length, n)
        return self.to_facility(np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=-1))


def _half_widths(field: str, value: ArrayLike) -> tuple[float, float]:
    v = np.asarray(value, dtype=float)
    if v.shape != (2,) or not np.all(np.isfinite(v)) or not np.all(v > 0):
        raise ConfigError(f"{field} = {value!r} is not allowed; it must be two finite numbers > 0 (x, y) [cm]")
    return float(v[0]), float(v[1])


@dataclass(frozen=True)
class Frustum(_Placed):
    """Truncated rectangular pyramid (frustum) along its local z axis, e.g. a pyramidal decay vessel.

    The cross-section at local z ∈ [−h, h] (h = ``half_length`` [cm]) is the rectangle |x| <= a_x(z),
    |y| <= a_y(z), whose half-widths [cm] vary linearly from ``half_widths_upstream`` = (a_x, a_y) at z = −h to
    ``half_widths_downstream`` at z = +h. Equal faces give a :class:`Box`; the x and y tapers need not match
    (the side faces then do not meet in one apex). ``center`` [cm] is the midpoint of the axis between the two
    faces; ``rotation`` as for :class:`Box`.

    Ray intersection is exact: the solid is the intersection of six half-spaces n_k · x <= c_k (four side
    planes x = ±a_x(z), y = ±a_y(z) and the two end faces), so the chord is the intersection of the six
    parameter intervals along the ray, as in the slab method (rays parallel to a face are inside or outside its
    half-space for every t).
    """

    half_widths_upstream: tuple[float, float]
    half_widths_downstream: tuple[float, float]
    half_length: float
    center: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rotation: ArrayLike | None = None

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "half_widths_upstream", _half_widths("half_widths_upstream", self.half_widths_upstream)
        )
        object.__setattr__(
            self, "half_widths_downstream", _half_widths("half_widths_downstream", self.half_widths_downstream)
        )
        object.__setattr__(self, "half_length", check_positive("half_length", self.half_length))
        object.__setattr__(self, "center", _vec3("center", self.center))
        object.__setattr__(self, "rotation", _rotation_tuple(self.rotation))

    @property
    def volume(self) -> float:
        """Volume [cm³]: the prismatoid formula L/6 (A₁ + 4 A_m + A₂) with L = 2h and A_m the mid-section area.

        Exact here because the cross-section area is quadratic in z. For similar end faces (equal x and y
        tapers, a pyramid frustum) it equals the pyramid-frustum formula (L/3)(A₁ + A₂ + √(A₁A₂)).
        """
        (ux, uy), (dx, dy) = self.half_widths_upstream, self.half_widths_downstream
        length = 2.0 * self.half_length
        a_up, a_down, a_mid = 4.0 * ux * uy, 4.0 * dx * dy, (ux + dx) * (uy + dy)
        return length / 6.0 * (a_up + 4.0 * a_mid + a_down)

    @cached_property
    def _planes(self) -> tuple[FloatArray, FloatArray]:
        """Unit normals (4, 3) and offsets (4,) [cm] of the side faces, n · x <= c inside (local frame)."""
        (ux, uy), (dx, dy) = self.half_widths_upstream, self.half_widths_downstream
        h = self.half_length
        cx, cy = 0.5 * (ux + dx), 0.5 * (uy + dy)  # half-widths at z = 0
        sx, sy = (dx - ux) / (2.0 * h), (dy - uy) / (2.0 * h)  # d a / d z
        # |x| <= cx + sx z  <=>  ±x − sx z <= cx ; likewise for y
        normals = np.array([[1.0, 0.0, -sx], [-1.0, 0.0, -sx], [0.0, 1.0, -sy], [0.0, -1.0, -sy]])
        offsets = np.array([cx, cx, cy, cy])
        norm = np.linalg.norm(normals, axis=-1)
        normals, offsets = normals / norm[:, None], offsets / norm
        normals.setflags(write=False)
        offsets.setflags(write=False)
        return normals, offsets

    def half_widths_at(self, z_local: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Half-widths (a_x, a_y) [cm] of the cross-section at local z [cm] (linear; extrapolated outside ±h)."""
        z = np.asarray(z_local, dtype=float)
        u = (z + self.half_length) / (2.0 * self.half_length)
        (ux, uy), (dx, dy) = self.half_widths_upstream, self.half_widths_downstream
        return np.asarray(ux + (dx - ux) * u), np.asarray(uy + (dy - uy) * u)

    def _bounding_radius(self) -> float:
        (ux, uy), (dx, dy) = self.half_widths_upstream, self.half_widths_downstream
        return math.hypot(max(ux, dx), max(uy, dy), self.half_length)

    def _local_inside(self, local: FloatArray) -> BoolArray:
        normals, offsets = self._planes
        sides = np.all(local @ normals.T <= offsets, axis=-1)
        return np.asarray(sides & (np.abs(local[:, 2]) <= self.half_length))

    def intersect(self, origins: ArrayLike, directions: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Entry and exit distances (n,) [cm]; see :class:`Solid`. Intersection of the six face half-spaces."""
        o, d = self._local_rays(origins, directions)
        normals, offsets = self._planes
        gap = o @ normals.T - offsets  # (n, 4): <= 0 inside the side plane's half-space
        rate = d @ normals.T  # (n, 4): d/dt of n · x along the ray
        parallel = rate == 0.0
        safe_rate = np.where(parallel, 1.0, rate)
        with np.errstate(over="ignore"):  # a subnormal rate gives ±inf, the right limit
            t_cross = -gap / safe_rate
        # rate > 0: inside for t <= t_cross (upper bound); rate < 0: inside for t >= t_cross (lower bound)
        lo = np.where(parallel, np.where(gap <= 0.0, -np.inf, np.inf), np.where(rate < 0.0, t_cross, -np.inf))
        hi = np.where(parallel, np.where(gap <= 0.0, np.inf, -np.inf), np.where(rate > 0.0, t_cross, np.inf))
        z_lo, z_hi = _slab(o[:, 2], d[:, 2], self.half_length)
        t_near = np.maximum(np.max(lo, axis=-1), z_lo)
        t_far = np.minimum(np.min(hi, axis=-1), z_hi)
        return _clip_forward(t_near, t_far, self._local_inside(o))

    def contains(self, points: ArrayLike) -> BoolArray:
        """Whether points (n, 3) [cm] are inside or on the surface, shape (n,)."""
        return self._local_inside(self.to_local(_points(points)))

    def sample_points(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` points (n, 3) [cm] uniformly distributed in the frustum.

        With u = (z + h)/2h the cross-section area ∝ a_x(u) a_y(u) = a₁ₓa₁ᵧ (1−u)² + (a₁ₓa₂ᵧ + a₂ₓa₁ᵧ) u(1−u)
        + a₂ₓa₂ᵧ u², a mixture of Beta(1, 3), Beta(2, 2) and Beta(3, 1) densities with weights a₁ₓa₁ᵧ/3,
        (a₁ₓa₂ᵧ + a₂ₓa₁ᵧ)/6, a₂ₓa₂ᵧ/3; x and y are then uniform in the rectangle at that u.
        """
        (ux, uy), (dx, dy) = self.half_widths_upstream, self.half_widths_downstream
        weights = np.array([ux * uy / 3.0, (ux * dy + dx * uy) / 6.0, dx * dy / 3.0])
        component = rng.choice(3, size=n, p=weights / weights.sum())
        alpha = np.array([1.0, 2.0, 3.0])[component]
        u = rng.beta(alpha, 4.0 - alpha)
        z = (2.0 * u - 1.0) * self.half_length
        ax, ay = self.half_widths_at(z)
        x = rng.uniform(-1.0, 1.0, n) * ax
        y = rng.uniform(-1.0, 1.0, n) * ay
        return self.to_facility(np.stack([x, y, z], axis=-1))


@dataclass(frozen=True)
class Sphere(_Placed):
    """Solid sphere of ``radius`` [cm] centred at ``center`` [cm] (facility frame)."""

    radius: float
    center: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def rotation(self) -> None:  # type: ignore[override]
        """A sphere needs no rotation (always None)."""
        return None

    def __post_init__(self) -> None:
        object.__setattr__(self, "radius", check_positive("radius", self.radius))
        object.__setattr__(self, "center", _vec3("center", self.center))

    @property
    def volume(self) -> float:
        """Volume 4/3 π r³ [cm³]."""
        return 4.0 / 3.0 * math.pi * self.radius**3

    def _bounding_radius(self) -> float:
        return self.radius

    def intersect(self, origins: ArrayLike, directions: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Entry and exit distances (n,) [cm]; see :class:`Solid` (perpendicular-distance quadratic)."""
        o, d = self._local_rays(origins, directions)
        b = np.einsum("ij,ij->i", o, d)  # t of closest approach is −b
        perp = o - b[:, None] * d  # closest-approach vector, computed without b² − c cancellation
        disc = self.radius**2 - np.einsum("ij,ij->i", perp, perp)
        hit = disc >= 0.0
        half_chord = np.sqrt(np.clip(disc, 0.0, None))
        t_near = np.where(hit, -b - half_chord, np.inf)
        t_far = np.where(hit, -b + half_chord, -np.inf)
        inside = np.einsum("ij,ij->i", o, o) <= self.radius**2
        return _clip_forward(t_near, t_far, inside)

    def contains(self, points: ArrayLike) -> BoolArray:
        """Whether points (n, 3) [cm] are inside or on the surface, shape (n,)."""
        local = self.to_local(_points(points))
        return np.asarray(np.einsum("ij,ij->i", local, local) <= self.radius**2)

    def sample_points(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` points (n, 3) [cm] uniformly distributed in the sphere."""
        direction = rng.normal(size=(n, 3))
        direction /= np.linalg.norm(direction, axis=-1, keepdims=True)
        r = self.radius * np.cbrt(rng.random(n))
        return self.to_facility(direction * r[:, None])


# --- unions -------------------------------------------------------------------------------------------------
class Union:
    """Union of solids that do **not** overlap (e.g. several TPC modules of one detector).

    ``intersect`` returns the first entry and the last exit over all components (the gaps between components
    are included in that span; use :meth:`path_segments` for decay probabilities). ``volume`` is the sum of
    the component volumes and :meth:`sample_points` picks a component with probability proportional to its
    volume, so both are only right for disjoint components; likewise summing per-component decay probabilities
    from :meth:`path_segments` double-counts overlapping regions. Overlaps are not checked.
    """

    __slots__ = ("components",)
    components: tuple[Solid, ...]

    def __init__(self, *components: Solid) -> None:
        if not components:
            raise ConfigError("components = () is not allowed; a Union needs at least one solid")
        for i, c in enumerate(components):
            if not isinstance(c, Solid):
                raise ConfigError(f"components[{i}] = {c!r} is not allowed; it must be a Solid")
        object.__setattr__(self, "components", tuple(components))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Union is immutable")

    def __repr__(self) -> str:
        return f"Union({', '.join(map(repr, self.components))})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Union) and self.components == other.components

    def __hash__(self) -> int:
        return hash(self.components)

    @property
    def volume(self) -> float:
        """Sum of the component volumes [cm³] (components must not overlap)."""
        return float(sum(c.volume for c in self.components))

    def path_segments(self, origins: ArrayLike, directions: ArrayLike) -> list[tuple[FloatArray, FloatArray]]:
        """Per-component (entry, exit) distance arrays (n,) [cm], in the order of ``components``.

        For disjoint convex components, the probability to decay inside the union is the sum over components
        of ``decay_probability(entry_k, exit_k, λ)`` (NaN entries, i.e. missed components, contribute 0).
        """
        return [c.intersect(origins, directions) for c in self.components]

    def intersect(self, origins: ArrayLike, directions: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """First entry and last exit (n,) [cm] over all components; NaN where every component is missed."""
        segments = self.path_segments(origins, directions)
        entries = np.stack([s[0] for s in segments])
        exits = np.stack([s[1] for s in segments])
        missed = np.isnan(entries)
        entry = np.min(np.where(missed, np.inf, entries), axis=0)
        exit_ = np.max(np.where(missed, -np.inf, exits), axis=0)
        none = np.all(missed, axis=0)
        return np.where(none, np.nan, entry), np.where(none, np.nan, exit_)

    def contains(self, points: ArrayLike) -> BoolArray:
        """Whether points (n, 3) [cm] are inside any component, shape (n,)."""
        p = _points(points)
        return np.asarray(np.any(np.stack([c.contains(p) for c in self.components]), axis=0))

    def bounding_sphere(self) -> tuple[FloatArray, float]:
        """A sphere [cm] enclosing every component's bounding sphere (not the smallest one)."""
        spheres = [c.bounding_sphere() for c in self.components]
        centers = np.array([s[0] for s in spheres])
        radii = np.array([s[1] for s in spheres])
        lo = np.min(centers - radii[:, None], axis=0)
        hi = np.max(centers + radii[:, None], axis=0)
        center = 0.5 * (lo + hi)
        radius = float(np.max(np.linalg.norm(centers - center, axis=-1) + radii))
        return center, radius

    def sample_points(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` points (n, 3) [cm] uniform in the union (components chosen ∝ volume, in random order)."""
        volumes = np.array([c.volume for c in self.components])
        counts = rng.multinomial(n, volumes / volumes.sum())
        parts = [c.sample_points(int(k), rng) for c, k in zip(self.components, counts, strict=True)]
        points = np.concatenate(parts, axis=0) if parts else np.empty((0, 3))
        return np.asarray(points[rng.permutation(n)])
