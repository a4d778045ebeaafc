"""Vectorised relativistic kinematics over arrays of events.

Four-vectors are arrays of shape ``(..., 4)`` ordered ``(px, py, pz, E)`` in GeV, as in HepMC3 and scikit-hep
`vector`. Every sampler takes a :class:`numpy.random.Generator`. Formulas: PDG RPP 2024, section 49
("Kinematics"): Källén function (49.17), two-body momentum (49.17), three-body Dalitz variables (49.22-49.23).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import KinematicsError

FloatArray = NDArray[np.float64]


def kallen(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> FloatArray:
    """Källén triangle function λ(a, b, c) = a² + b² + c² − 2ab − 2bc − 2ca (arguments are squared masses)."""
    a, b, c = (np.asarray(x, dtype=float) for x in (a, b, c))
    return np.asarray(a * a + b * b + c * c - 2 * (a * b + b * c + c * a))


def two_body_momentum(parent_mass: ArrayLike, m1: ArrayLike, m2: ArrayLike) -> FloatArray:
    """Momentum of either daughter in the rest frame of a parent decaying to masses m1, m2 [GeV].

    |p*| = λ^{1/2}(M², m1², m2²) / (2M) (PDG RPP Eq. 49.17). Returns NaN where the decay is closed.
    λ is evaluated in its factored form (M − m1 − m2)(M + m1 + m2)(M − m1 + m2)(M + m1 − m2), which keeps full
    relative precision near threshold (the expanded form leaves |p*| ~ sqrt(ε) M there, or NaN just above it).
    """
    big_m = np.asarray(parent_mass, dtype=float)
    m1 = np.asarray(m1, dtype=float)
    m2 = np.asarray(m2, dtype=float)
    above = big_m - m1 - m2
    lam = above * (big_m + m1 + m2) * (big_m - m1 + m2) * (big_m + m1 - m2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(above >= 0, np.sqrt(np.abs(lam)), np.nan) / (2 * big_m))


def invariant_mass(p4: ArrayLike) -> FloatArray:
    """Invariant mass sqrt(E² − |p|²) [GeV] of four-vectors (..., 4); negative m² is clipped to 0."""
    p4 = np.asarray(p4, dtype=float)
    m2 = p4[..., 3] ** 2 - np.sum(p4[..., :3] ** 2, axis=-1)
    return np.asarray(np.sqrt(np.clip(m2, 0.0, None)))


def boost(p4: ArrayLike, beta: ArrayLike) -> FloatArray:
    """Lorentz-boost four-vectors ``p4`` (..., 4) by velocity ``beta`` (..., 3) (units of c).

    A particle at rest in a frame moving with velocity ``beta`` gets momentum γ m β in the lab: use the
    parent's velocity to take daughters from the parent's rest frame to the lab.
    """
    p4 = np.asarray(p4, dtype=float)
    beta = np.asarray(beta, dtype=float)
    b2 = np.sum(beta * beta, axis=-1)
    if np.any(b2 >= 1.0):
        raise KinematicsError(f"boost velocity must satisfy |beta| < 1; got max |beta| = {np.sqrt(b2.max())}")
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(beta * p4[..., :3], axis=-1)
    # (γ − 1)/β² written as γ²/(γ + 1) to stay finite as β → 0
    coef = gamma**2 / (gamma + 1.0)
    energy = gamma * (p4[..., 3] + bp)
    space = p4[..., :3] + (coef * bp + gamma * p4[..., 3])[..., None] * beta
    return np.concatenate([space, energy[..., None]], axis=-1)


def velocity(p4: ArrayLike) -> FloatArray:
    """Velocity β = p/E (..., 3) of four-vectors (units of c)."""
    p4 = np.asarray(p4, dtype=float)
    return np.asarray(p4[..., :3] / p4[..., 3:4])


def isotropic_directions(n: int, rng: np.random.Generator) -> FloatArray:
    """``n`` unit vectors distributed uniformly on the sphere, shape (n, 3)."""
    cos_theta = rng.uniform(-1.0, 1.0, n)
    return directions_from_angles(cos_theta, rng.uniform(0.0, 2 * np.pi, n))


def directions_from_angles(cos_theta: ArrayLike, phi: ArrayLike, axis: ArrayLike | None = None) -> FloatArray:
    """Unit vectors at polar angle arccos(``cos_theta``) and azimuth ``phi`` about ``axis`` (default +z)."""
    cos_theta = np.asarray(cos_theta, dtype=float)
    phi = np.asarray(phi, dtype=float)
    sin_theta = np.sqrt(np.clip(1.0 - cos_theta**2, 0.0, None))
    local = np.stack([sin_theta * np.cos(phi), sin_theta * np.sin(phi), cos_theta], axis=-1)
    if axis is None:
        return local
    e1, e2, e3 = orthonormal_basis(axis)
    return np.asarray(local[..., :1] * e1 + local[..., 1:2] * e2 + local[..., 2:3] * e3)


def orthonormal_basis(axis: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Right-handed orthonormal vectors (e1, e2, e3), e3 along ``axis`` (..., 3); stable for any direction."""
    e3 = np.asarray(axis, dtype=float)
    e3 = e3 / np.linalg.norm(e3, axis=-1, keepdims=True)
    # pick the coordinate axis least aligned with e3 as a helper
    helper = np.zeros_like(e3)
    idx = np.argmin(np.abs(e3), axis=-1)
    np.put_along_axis(helper, idx[..., None], 1.0, axis=-1)
    e1 = np.cross(helper, e3)
    e1 /= np.linalg.norm(e1, axis=-1, keepdims=True)
    e2 = np.cross(e3, e1)
    return e1, e2, e3


def _on_shell(direction: FloatArray, momentum: FloatArray, mass: float) -> FloatArray:
    p3 = direction * momentum[..., None]
    energy = np.sqrt(momentum**2 + mass**2)
    return np.concatenate([p3, energy[..., None]], axis=-1)


def rest_to_lab(
    parent_p4: FloatArray, parent_mass: FloatArray, *daughters: tuple[FloatArray, FloatArray | float]
) -> list[FloatArray]:
    """Take daughters ``(p_rest (n, 4), mass)`` from their parent's rest frame to the frame of ``parent_p4``.

    Unlike :func:`boost` (which needs β and computes γ = 1/sqrt(1 − β²), losing ~ε γ² relative precision),
    this uses γ = E/M and γβ = p/M with the same ``parent_mass`` the rest-frame momenta were built from, so
    the daughters add up to ``parent_p4`` to rounding, at any boost. It works in light-cone components along
    the flight direction n: p± = E* ± p*·n scale by exp(±y) = ((E + |p|)/M)^(±1), and the smaller of p± is
    computed as (m² + p_T²)/(larger one), so that neither a forward nor a backward daughter suffers
    cancellation and every daughter stays on shell to ~ε relative to its own E².
    """
    flight = parent_p4[:, :3]
    p_abs = np.sqrt(np.einsum("ij,ij->i", flight, flight))
    at_rest = p_abs == 0.0
    n_hat = flight / np.where(at_rest, 1.0, p_abs)[:, None]
    n_hat[at_rest] = (0.0, 0.0, 1.0)
    exp_y = (parent_p4[:, 3] + p_abs) / parent_mass
    out = []
    for p_rest, daughter_mass in daughters:
        p_par = np.einsum("ij,ij->i", p_rest[:, :3], n_hat)
        p_t = p_rest[:, :3] - p_par[:, None] * n_hat
        # second projection: removes the O(ε |p*|) residual along n that would spoil backward daughters' masses
        p_t -= np.einsum("ij,ij->i", p_t, n_hat)[:, None] * n_hat
        m_t2 = np.square(daughter_mass) + np.einsum("ij,ij->i", p_t, p_t)
        big = p_rest[:, 3] + np.abs(p_par)
        with np.errstate(divide="ignore", invalid="ignore"):
            small = np.where(big > 0.0, m_t2 / big, 0.0)
        forward = p_par >= 0.0
        plus_lab = np.where(forward, big, small) * exp_y
        minus_lab = np.where(forward, small, big) / exp_y
        lab = np.empty_like(p_rest)
        lab[:, 3] = 0.5 * (plus_lab + minus_lab)
        np.multiply(n_hat, (0.5 * (plus_lab - minus_lab))[:, None], out=lab[:, :3])
        lab[:, :3] += p_t
        out.append(lab)
    return out


def two_body_decay(
    parent_p4: ArrayLike,
    m1: float,
    m2: float,
    rng: np.random.Generator,
    cos_theta: ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Decay parents (n, 4) into daughters of masses ``m1``, ``m2`` [GeV]; returns their lab four-momenta.

    Without ``cos_theta`` the decay is isotropic in the parent rest frame. With ``cos_theta`` (n,), daughter 1
    is emitted at that polar angle to the parent's flight direction (helicity frame), with a uniform azimuth.
    """
    parent_p4 = np.atleast_2d(np.asarray(parent_p4, dtype=float))
    n = parent_p4.shape[0]
    parent_mass = invariant_mass(parent_p4)
    q = two_body_momentum(parent_mass, m1, m2)
    if np.any(~np.isfinite(q)):
        raise KinematicsError(
            f"two-body decay to masses {m1:.6g} + {m2:.6g} GeV is closed for parent mass {parent_mass.min():.6g} GeV"
        )
    phi = rng.uniform(0.0, 2 * np.pi, n)
    if cos_theta is None:
        direction = directions_from_angles(rng.uniform(-1.0, 1.0, n), phi)
    else:
        flight = parent_p4[:, :3]
        at_rest = np.linalg.norm(flight, axis=-1) == 0
        axis = np.where(at_rest[:, None], [0.0, 0.0, 1.0], flight)
        direction = directions_from_angles(cos_theta, phi, axis=axis)
    p1, p2 = rest_to_lab(parent_p4, parent_mass, (_on_shell(direction, q, m1), m1), (_on_shell(-direction, q, m2), m2))
    return p1, p2


MatrixElement = Callable[[FloatArray, FloatArray], FloatArray]
"""|M|²(m12², m23²) up to a constant, evaluated on arrays; used to weight or unweight three-body decays."""


def three_body_decay(
    parent_p4: ArrayLike,
    masses: tuple[float, float, float],
    rng: np.random.Generator,
    matrix_element: MatrixElement | None = None,
    max_matrix_element: float | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Three-body decays of parents (n, 4) into ``masses`` (m1, m2, m3) [GeV], unweighted.

    Dalitz variables (m12², m23²) are drawn uniformly over the Dalitz region (flat phase space, PDG RPP Eq.
    49.22) and, if a ``matrix_element`` |M|²(m12², m23²) is given, accepted with probability |M|²/max
    (vectorised accept-reject; ``max_matrix_element`` defaults to 1.2 × the largest value on a 200×200 grid,
    and a sampled |M|² above it raises :class:`KinematicsError` rather than biasing the sample). The
    orientation is isotropic in the parent rest frame (spin-averaged decays). Returns lab four-momenta of the
    three daughters.
    """
    parent_p4 = np.atleast_2d(np.asarray(parent_p4, dtype=float))
    n = parent_p4.shape[0]
    m1, m2, m3 = masses
    parent_mass = invariant_mass(parent_p4)
    big_m = float(np.max(parent_mass)) if n else 0.0
    if n and np.any(parent_mass < m1 + m2 + m3):
        raise KinematicsError(
            f"three-body decay to {m1:.6g} + {m2:.6g} + {m3:.6g} GeV is closed for parent mass "
            f"{parent_mass.min():.6g} GeV"
        )
    if matrix_element is not None and max_matrix_element is None:
        if not np.allclose(parent_mass, big_m):
            raise KinematicsError("give max_matrix_element when parents have different masses")
        grid_s12, grid_s23 = _dalitz_grid(big_m, masses, 200)
        max_matrix_element = 1.2 * float(np.max(matrix_element(grid_s12, grid_s23)))
    if matrix_element is not None and not (max_matrix_element is not None and max_matrix_element > 0.0):
        raise KinematicsError(
            f"max_matrix_element = {max_matrix_element!r} must be > 0 (is |M|² zero over the Dalitz region?)"
        )
    s12 = np.empty(n)
    s23 = np.empty(n)
    todo = np.arange(n)
    while todo.size:
        mm = parent_mass[todo]
        lo12, hi12 = (m1 + m2) ** 2, (mm - m3) ** 2
        # uniform over the Dalitz region: rejection from the bounding rectangle in (s12, s23)
        lo23, hi23 = (m2 + m3) ** 2, (mm - m1) ** 2
        t12 = rng.uniform(lo12, hi12)
        t23 = rng.uniform(lo23, hi23)
        inside = _in_dalitz(mm, masses, t12, t23)
        if matrix_element is not None:
            assert max_matrix_element is not None
            me = np.where(inside, matrix_element(t12, np.where(inside, t23, lo23)), 0.0)
            if np.any(me > max_matrix_element):
                raise KinematicsError(
                    f"|M|² = {float(np.max(me)):.6g} exceeds max_matrix_element = {max_matrix_element:.6g}; "
                    "the unweighted sample would be biased: pass a larger max_matrix_element"
                )
            inside &= rng.uniform(0.0, max_matrix_element, todo.size) < me
        s12[todo[inside]] = t12[inside]
        s23[todo[inside]] = t23[inside]
        todo = todo[~inside]
    return _three_body_momenta(parent_p4, parent_mass, masses, s12, s23, rng)


def _dalitz_limits_s23(
    big_m: FloatArray | float, masses: tuple[float, float, float], s12: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Range of m23² at fixed m12² (PDG RPP Eq. 49.23)."""
    m1, m2, m3 = masses
    m12 = np.sqrt(s12)
    e2 = (s12 - m1**2 + m2**2) / (2 * m12)
    e3 = (np.asarray(big_m) ** 2 - s12 - m3**2) / (2 * m12)
    p2 = np.sqrt(np.clip(e2**2 - m2**2, 0, None))
    p3 = np.sqrt(np.clip(e3**2 - m3**2, 0, None))
    return (e2 + e3) ** 2 - (p2 + p3) ** 2, (e2 + e3) ** 2 - (p2 - p3) ** 2


def _in_dalitz(
    big_m: FloatArray, masses: tuple[float, float, float], s12: FloatArray, s23: FloatArray
) -> NDArray[np.bool_]:
    lo, hi = _dalitz_limits_s23(big_m, masses, s12)
    return np.asarray((s23 >= lo) & (s23 <= hi) & (s12 <= (big_m - masses[2]) ** 2))


def _dalitz_grid(big_m: float, masses: tuple[float, float, float], k: int) -> tuple[FloatArray, FloatArray]:
    m1, m2, m3 = masses
    s12 = np.linspace((m1 + m2) ** 2, (big_m - m3) ** 2, k + 2)[1:-1]
    frac = np.linspace(0.0, 1.0, k)
    lo, hi = _dalitz_limits_s23(big_m, masses, s12)
    s23 = lo[:, None] + (hi - lo)[:, None] * frac[None, :]
    return np.broadcast_to(s12[:, None], s23.shape).ravel(), s23.ravel()


def _three_body_momenta(
    parent_p4: FloatArray,
    parent_mass: FloatArray,
    masses: tuple[float, float, float],
    s12: FloatArray,
    s23: FloatArray,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    m1, m2, m3 = masses
    n = parent_mass.shape[0]
    m12 = np.sqrt(s12)
    # (12) system and particle 3 back to back in the parent rest frame, isotropically oriented
    q3 = two_body_momentum(parent_mass, m12, m3)
    u = isotropic_directions(n, rng)
    p3_rest = _on_shell(-u, q3, m3)
    # in the (12) rest frame: angle between p2 and p3 from m23² = m2² + m3² + 2(E2 E3 − |p2||p3| cos θ)
    e2 = (s12 - m1**2 + m2**2) / (2 * m12)
    e3 = (parent_mass**2 - s12 - m3**2) / (2 * m12)
    k2 = np.sqrt(np.clip(e2**2 - m2**2, 0, None))
    k3 = np.sqrt(np.clip(e3**2 - m3**2, 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        cos23 = np.clip((m2**2 + m3**2 + 2 * e2 * e3 - s23) / (2 * k2 * k3), -1.0, 1.0)
    cos23 = np.nan_to_num(cos23, nan=1.0)
    # in the (12) frame particle 3 moves along −u; p2 at angle θ23 to it
    dir2 = directions_from_angles(cos23, rng.uniform(0.0, 2 * np.pi, n), axis=-u)
    p2_12 = _on_shell(dir2, k2, m2)
    p1_12 = _on_shell(-dir2, k2, m1)
    p12_rest = _on_shell(u, q3, 0.0)
    p12_rest[:, 3] = np.sqrt(q3**2 + s12)
    p1_rest, p2_rest = rest_to_lab(p12_rest, m12, (p1_12, m1), (p2_12, m2))
    p1, p2, p3 = rest_to_lab(parent_p4, parent_mass, (p1_rest, m1), (p2_rest, m2), (p3_rest, m3))
    return p1, p2, p3
