"""Dark particles from parent decays: the production stage that turns :class:`ParentDecays` into a FluxSample.

For each open production channel of the model (``parent → dark + companions``) the parents decay with the
channel's branching ratio as a weight factor. Two-body channels use exact two-body kinematics; three-body channels
are unweighted with the model's |M|²(m12², m23²) (:meth:`~darkbeam.models.base.DarkModel.production_matrix_element`,
daughters: dark particle, companion 1, companion 2), flat phase space where the model gives none. Channels that
are decay chains through an intermediate particle (:meth:`~darkbeam.models.base.DarkModel.production_cascade`, e.g. the
HNL's D_s⁺ → τ⁺ ν_τ, τ⁺ → N̄ X⁺) are sampled by the model's cascade, which also returns the intermediate's flight time
(added to the production time; its flight length is neglected).

Aiming: for parents that decay at rest the dark particles are isotropic, and a detector 100 m away sees ~10⁻⁴ of
them. Given a target sphere (centre, radius), directions are drawn uniformly inside the cone from each decay point
that contains the sphere, and the weight is multiplied by the cone's solid-angle fraction (1 − cos α)/2. This is
exact importance sampling for an isotropic source: the weighted sample equals the isotropic one inside the cone.

Forced emission in flight (:func:`forced_two_body`, on by default when a target is given, ``aim_in_flight``): for
parents that decay in flight the LAB direction of the dark particle is drawn inside the same cone, its lab momentum
along that direction is solved for, and the weight is the cone's solid-angle fraction times the Jacobian
|dΩ*/dΩ_lab| of the rest-frame-isotropic decay, summed over the (up to two) kinematic solutions. The weighted
sample equals the isotropic decay restricted to the cone; formulas and references in :func:`forced_two_body`.
Where the cone holds a fast parent's forward core the rows fall back (defensively, in a weighted mixture) to the
plain isotropic decay, which the boost already concentrates toward the detector.

Every two-body production channel here is isotropic in the parent rest frame (spin-0 parents, or unpolarised
ones); a model's ``polarisation_from`` is the longitudinal polarisation of X along its own rest-frame momentum,
which does not depend on the emission direction, so polarised channels are aimed as well. Three-body channels
stay unaimed (isotropic, weight factor 1), as do models with their own ``produce``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..errors import KinematicsError
from ..flux import FluxSample
from ..kinematics import (
    directions_from_angles,
    invariant_mass,
    orthonormal_basis,
    rest_to_lab,
    three_body_decay,
    two_body_decay,
    two_body_momentum,
)
from ..models.base import DarkModel
from .bremsstrahlung import PROTON_PDG, produce_bremsstrahlung
from .drell_yan import DrellYanProtons, produce_drell_yan
from .parents import ParentDecays
from .primakoff import MixedMesons, PhotonParents, produce_meson_mixing, produce_primakoff

Aim = tuple[NDArray[np.float64], float]

EDGE_MIX = 0.5
"""For β > β* and an aim cone inside the kinematic cone: fraction of decays drawn in polar coordinates about the
flight direction (density ∝ 1/√(cos θ − cos θ_max), like the Jacobian) rather than uniformly on the aim cone. The
weight uses the mixture density (balance heuristic: Veach & Guibas, SIGGRAPH 1995, Eq. 8), so it is bounded near
θ_max and at most 1/(1 − EDGE_MIX) times the uniform-cone weight elsewhere."""


def cone_toward(vertex: NDArray[np.float64], aim: Aim) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Axis (n, 3) and cos of the half-angle (n,) of the cone from each ``vertex`` that holds the aim sphere."""
    center, radius = aim
    offset = np.asarray(center, dtype=float) - vertex
    distance = np.linalg.norm(offset, axis=1)
    sin_alpha = np.clip(radius / np.maximum(distance, 1e-300), 0.0, 1.0)
    return offset / np.maximum(distance, 1e-300)[:, None], np.sqrt(1.0 - sin_alpha**2)


def forced_two_body(
    parent_p4: NDArray[np.float64],
    vertex: NDArray[np.float64],
    m_dark: float,
    m_companion: float,
    aim: Aim,
    rng: np.random.Generator,
    fallback: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Forced emission toward ``aim`` for parents (n, 4) [GeV] decaying in flight at ``vertex`` (n, 3) [cm] into
    X (``m_dark``) + companion (``m_companion``), isotropically in the parent rest frame.

    Returns X's lab four-momenta (n, 4) and weight factors (n,) such that, for any function h of X's momentum,
    E[w h(p_X)] = ∫_cone h dP_iso: the weighted sample is the isotropic decay restricted to the cone from the vertex
    that holds the aim sphere (:func:`cone_toward`; the whole sphere if the vertex is inside it). Rows with no
    kinematically allowed direction in the cone get weight 0 and the momentum of ``fallback`` (default: a fresh
    isotropic decay), so every row stays a physical decay.

    Kinematics (units c = 1). Parent mass M, γ = E_P/M, γβ = |p_P|/M, flight direction f̂; X's rest-frame momentum
    q = λ^{1/2}(M², m², m_c²)/(2M) (PDG RPP 2024 Eq. 49.17), E* = √(q² + m²), β* = q/E*. For a lab direction n̂ at
    angle θ to f̂ the invariant p_P·p_X = M E*, i.e. γE − γβ p cos θ = E*, squared, is the quadratic
    (1 + γ²β² sin²θ) p² − 2 E*γβ cos θ p + (m²γ²β² − q²) = 0, with roots

        p± = [E* γβ cos θ ± γ R] / (1 + γ²β² sin²θ),   R = √(q² − m²γ²β² sin²θ)

    (the smaller-magnitude root is evaluated as (m²γ²β² − q²)/(E*γβ cos θ ∓ γR), free of cancellation). If
    mγβ < q (β < β*) only p₊ ≥ 0 exists, at every θ. If mγβ > q (β > β*) both roots are positive for cos θ > 0 and
    sin θ < sin θ_max = q/(mγβ) = γ*β*/(γβ), and nothing is emitted beyond θ_max. These are the relations of the
    TRIUMF Kinematics Handbook (2nd ed., 1987), Sec. V "Relativistic kinematics", items 7-8 (lab ↔ rest-frame
    angle, both branches, tan θ_max = 1/(γ√(δ² − 1)) with δ = β/β*, equivalent to the sin θ_max above), and of
    R. Hagedorn, *Relativistic Kinematics* (Benjamin 1963), Ch. 7 (the momentum ellipse).

    Jacobian: the Lorentz-invariant measure δ(p_P·p_X − M E*) d³p/E equals q dΩ*/M in the rest frame and
    Σ± p² dΩ/|E_P p − |p_P| E cos θ| in the lab; with γ(p − βE cos θ) = ±R at the roots,

        |dΩ*/dΩ_lab|± = p±² / (q R)

    (= (E/E*)² for m = 0, the neutrino-flux factor of :func:`darkbeam.neutrinos.ray_to_point`). The rest-frame
    direction of each root follows from q sin θ* = p sin θ and q cos θ* = ±R cos θ − γβ E sin²θ; it is boosted with
    :func:`darkbeam.kinematics.rest_to_lab`, so X and the companion (parent − X) stay on shell to rounding.

    Sampling (the weight is always target density / sampling density, target = (J₊ + J₋)/4π per steradian inside
    the aim cone of half-angle α, 0 outside): for β < β* directions are uniform on the aim cone (1 − cos of the
    angle to its axis uniform), weight (ΔΩ/4π) J₊ with ΔΩ/4π = (1 − cos α)/2. For β > β* the support is the
    intersection of the aim cone with the kinematic cone θ ≤ θ_max, and directions are drawn in polar coordinates
    about f̂: x = cos θ − cos θ_max as w² with w uniform over the θ range the aim cone spans (density ∝ 1/√x, the
    growth of J± at the edge θ_max, so the weight stays bounded there), the azimuth uniform in the window
    |φ − φ_aim| ≤ Δφ(θ) that lies inside the aim cone (spherical law of haversines, hav α = hav(θ − ψ) +
    sin θ sin ψ hav Δφ, ψ the angle between f̂ and the aim axis). No direction is wasted where the cones overlap.
    Where the aim cone lies wholly inside the kinematic cone a fraction 1 − :data:`EDGE_MIX` is drawn uniformly on
    the aim cone instead, with the mixture density in the weight (balance heuristic). Root ± is kept with
    probability p±²/(p₊² + p₋²), so the weight does not depend on which root is kept.

    Defensive mixture: a fraction ε_iso = min(1, ρ) of the rows keeps the plain isotropic decay (``fallback``),
    where ρ = (ΔΩ/4π) J₊(θ_c), θ_c the angle from f̂ to the nearest edge of the aim cone, estimates the chance that
    an isotropic decay enters the cone. When a fast parent's forward core (width ~1/γ, where J is largest) lies in
    a wide aim cone, cone draws cannot resolve it and the boost itself is the better proposal (ρ ≥ 1: purely
    isotropic, as for a detector near the beam axis); for a far or off-axis detector ρ ≪ 1 and nearly all rows are
    aimed. All draws are weighted with the mixture density (Veach & Guibas, SIGGRAPH 1995, Eq. 8 — balance
    heuristic; Hesterberg, Technometrics 37 (1995) 185 — defensive mixtures): w = 1/(ε_iso + (1 − ε_iso)/w_aim)
    in the cone (w_aim the aimed weight above, ∞ where the aimed density vanishes) and 1/ε_iso for isotropic
    draws outside it, so the rows describe the whole sphere where ε_iso > 0 and the cone alone where ε_iso = 0;
    either way every ray through the detector is weighted correctly.
    """
    parent_p4 = np.atleast_2d(np.asarray(parent_p4, dtype=float))
    vertex = np.atleast_2d(np.asarray(vertex, dtype=float))
    n = parent_p4.shape[0]
    big_m = invariant_mass(parent_p4)
    q = two_body_momentum(big_m, m_dark, m_companion)
    if np.any(~np.isfinite(q)):
        raise KinematicsError(
            f"two-body decay to masses {m_dark:.6g} + {m_companion:.6g} GeV is closed for parent mass "
            f"{big_m.min():.6g} GeV"
        )
    if fallback is None:
        fallback, _ = two_body_decay(parent_p4, m_dark, m_companion, rng)
    p_abs = np.linalg.norm(parent_p4[:, :3], axis=1)
    if np.any(p_abs <= 0.0):
        raise KinematicsError("forced_two_body is for decays in flight; some parents have momentum 0 (use the cone)")
    flight = parent_p4[:, :3] / p_abs[:, None]
    gamma = parent_p4[:, 3] / big_m
    gamma_beta = p_abs / big_m
    e_star = np.sqrt(q**2 + m_dark**2)

    # aim cone; from a vertex inside the sphere every direction reaches it
    center, radius = aim
    axis_aim, cos_alpha = cone_toward(vertex, aim)
    distance = np.linalg.norm(np.asarray(center, dtype=float) - vertex, axis=1)
    inside = distance <= radius
    sin_alpha = np.clip(radius / np.maximum(distance, 1e-300), 0.0, 1.0)
    t_aim = np.where(inside, 2.0, sin_alpha**2 / (1.0 + cos_alpha))  # 1 − cos α, without cancellation
    cos_alpha = np.where(inside, -1.0, cos_alpha)

    # kinematic cone (β > β*): sin θ_max = q/(mγβ)
    m_gb = m_dark * gamma_beta
    c_term = (m_gb - q) * (m_gb + q)  # m²γ²β² − q²
    two = c_term > 0.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        sin_max = np.where(two, q / np.where(two, m_gb, 1.0), 1.0)
        cos_max = np.where(two, np.sqrt(np.clip(c_term, 0.0, None)) / np.where(two, m_gb, 1.0), 0.0)
    t_kin = np.where(two, sin_max**2 / (1.0 + cos_max), 2.0)
    # β > β*: directions in (aim cone) ∩ (kinematic cone), drawn in polar coordinates about the flight direction:
    # x = cos θ − cos θ_max as w², w uniform over the θ range the aim cone spans, azimuth uniform in the window
    # |φ − φ_aim| ≤ Δφ(θ) inside the aim cone (spherical law of haversines). Where the aim cone lies inside the
    # kinematic cone, a fraction 1 − EDGE_MIX is drawn uniformly on the aim cone instead (balance heuristic).
    angle_aim = np.where(inside, np.pi, np.arcsin(sin_alpha))
    theta_max = np.arctan2(sin_max, cos_max)
    psi = np.arctan2(np.linalg.norm(np.cross(axis_aim, flight), axis=1), np.einsum("ij,ij->i", axis_aim, flight))
    theta_lo = np.clip(psi - angle_aim, 0.0, None)
    theta_hi = np.minimum(theta_max, psi + angle_aim)
    hav_alpha = np.sin(0.5 * angle_aim) ** 2
    x_hi = np.clip(t_kin - 2.0 * np.sin(0.5 * theta_lo) ** 2, 0.0, None)
    x_lo = np.where(psi + angle_aim >= theta_max, 0.0, np.clip(t_kin - 2.0 * np.sin(0.5 * theta_hi) ** 2, 0.0, None))
    span = np.sqrt(x_hi) - np.sqrt(x_lo)
    eps = np.where(two, np.where(psi + angle_aim < theta_max, EDGE_MIX, 1.0), 0.0)
    # basis about the flight direction with b1 toward the aim axis
    toward = axis_aim - np.einsum("ij,ij->i", axis_aim, flight)[:, None] * flight
    toward_norm = np.linalg.norm(toward, axis=1)
    f1, _, _ = orthonormal_basis(flight)
    b1 = np.where((toward_norm > 0.0)[:, None], toward / np.where(toward_norm > 0.0, toward_norm, 1.0)[:, None], f1)
    b2 = np.cross(flight, b1)

    def half_window(theta: NDArray[np.float64]) -> NDArray[np.float64]:
        """Δφ(θ): half the azimuth range about the flight direction inside the aim cone at polar angle θ."""
        denominator = np.sin(theta) * np.sin(psi)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            hav = (hav_alpha - np.sin(0.5 * (theta - psi)) ** 2) / denominator
        hav = np.where(denominator > 0.0, hav, np.where(theta - psi <= angle_aim, 1.0, -1.0))
        return np.asarray(2.0 * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0))))

    def roots(
        cos_t: NDArray[np.float64], sin_t: NDArray[np.float64], x_t: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], ...]:
        """p₊, p₋ (0 where absent), R and R/√x (β > β*) along directions at angle θ to the flight direction."""
        r_one = np.sqrt(np.clip((q - m_gb * sin_t) * (q + m_gb * sin_t), 0.0, None))
        r_over = m_gb * np.sqrt(np.clip(cos_t + cos_max, 0.0, None))
        r_t = np.where(two, r_over * np.sqrt(np.clip(x_t, 0.0, None)), r_one)
        a_t = 1.0 + (gamma_beta * sin_t) ** 2
        b_t = e_star * gamma_beta * cos_t
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            plus = np.where(b_t >= 0.0, (b_t + gamma * r_t) / a_t, c_term / (b_t - gamma * r_t))
            minus_ = np.where(two & (x_t > 0.0), c_term / (b_t + gamma * r_t), 0.0)
        return (
            np.where(np.isfinite(plus), plus, 0.0),
            np.where(np.isfinite(minus_), minus_, 0.0),
            r_t,
            r_over,
        )

    # defensive share of plain isotropic decays: ρ = (ΔΩ/4π) J₊ at the direction of the aim cone closest to the
    # flight direction estimates the chance that an isotropic decay enters the cone; where it is large (the cone
    # holds the forward core of a fast parent, whose width ~1/γ the uniform cone draws cannot resolve) isotropic
    # draws are the better proposal
    theta_c = np.clip(psi - angle_aim, 0.0, None)
    t_c = 2.0 * np.sin(0.5 * theta_c) ** 2
    x_c = np.maximum(t_kin - t_c, 0.25 * t_kin)  # away from the caustic at θ_max
    p_c, _, r_c, _ = roots(1.0 - t_c, np.sin(theta_c), x_c)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rho = np.where(r_c > 0.0, 0.5 * t_aim * p_c**2 / (q * r_c), 0.0)
    reachable = ~two | (theta_c < theta_max)
    eps_iso = np.where(reachable, np.clip(np.nan_to_num(rho), 0.0, 1.0), 0.0)

    isotropic = rng.random(n) < eps_iso
    polar = ~isotropic & (rng.random(n) < eps)
    u_polar = rng.random(n)
    u_phi = rng.random(n)
    u_root = rng.random(n)
    # polar-coordinate draw (used where ``polar``)
    x_polar = (np.sqrt(x_lo) + u_polar * span) ** 2
    t_polar = np.clip(t_kin - x_polar, 0.0, 2.0)
    theta_polar = 2.0 * np.arcsin(np.sqrt(0.5 * t_polar))
    phi_polar = (2.0 * u_phi - 1.0) * half_window(theta_polar)
    sin_polar = np.sqrt(t_polar * (2.0 - t_polar))
    dir_polar = sin_polar[:, None] * (np.cos(phi_polar)[:, None] * b1 + np.sin(phi_polar)[:, None] * b2)
    dir_polar += (1.0 - t_polar)[:, None] * flight
    # uniform draw on the aim cone
    t_cap = u_polar * t_aim
    sin_cap = np.sqrt(np.clip(t_cap * (2.0 - t_cap), 0.0, None))
    e1, e2, e3 = orthonormal_basis(axis_aim)
    phi_cap = 2 * np.pi * u_phi
    dir_cap = sin_cap[:, None] * (np.cos(phi_cap)[:, None] * e1 + np.sin(phi_cap)[:, None] * e2)
    dir_cap += (1.0 - t_cap)[:, None] * e3
    dir_iso = fallback[:, :3] / np.linalg.norm(fallback[:, :3], axis=1, keepdims=True)
    n_hat = np.where(polar[:, None], dir_polar, np.where(isotropic[:, None], dir_iso, dir_cap))

    # angle to the flight direction (exact for the polar draw)
    cos_theta = np.where(polar, 1.0 - t_polar, np.einsum("ij,ij->i", n_hat, flight))
    sin_theta = np.where(polar, sin_polar, np.linalg.norm(np.cross(n_hat, flight), axis=1))
    in_aim = np.where(polar, True, np.einsum("ij,ij->i", n_hat, axis_aim) >= cos_alpha)
    x = np.where(polar, x_polar, cos_theta - cos_max)
    allowed = ~two | (x > 0.0)
    p_plus, p_minus, r, r_over_root_x = roots(cos_theta, sin_theta, x)
    r_one = np.where(two, 1.0, r)
    root_x = np.sqrt(np.clip(x, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p2_sum = p_plus**2 + p_minus**2
        minus = u_root * p2_sum < p_minus**2
        # β < β*: uniform on the aim cone, weight (ΔΩ/4π) J₊
        weight_one = 0.5 * t_aim * p2_sum / (q * r_one)
        # β > β*: (J₊ + J₋)/(4π × mixture density per steradian); numerator and denominator times √x
        theta = np.where(polar, theta_polar, np.arctan2(sin_theta, cos_theta))
        jacobian_root_x = p2_sum / (q * r_over_root_x)
        density_root_x = 2.0 * (1.0 - eps) * root_x * in_aim / t_aim + eps * np.pi / (span * half_window(theta))
        aimed = np.where(two, jacobian_root_x / density_root_x, weight_one)
    valid = in_aim & allowed & (r > 0.0) & np.isfinite(aimed) & (p2_sum > 0.0)
    # mixture with the isotropic draws (balance heuristic): 1/weight = ε_iso + (1 − ε_iso) × 4π g_aim/(J₊ + J₋)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        weight = np.where(valid, aimed / (eps_iso * aimed + 1.0 - eps_iso), 0.0)
        weight = np.where(isotropic & ~valid, 1.0 / eps_iso, weight)  # isotropic draws outside the cone
    weight = np.where(np.isfinite(weight), weight, 0.0)

    # rest-frame direction of the chosen root, then the precise rest → lab boost
    p = np.where(minus, p_minus, p_plus)
    energy = np.sqrt(p**2 + m_dark**2)
    cos_star = np.where(minus, -r, r) * cos_theta - gamma_beta * energy * sin_theta**2
    sin_star = p * sin_theta
    norm = np.hypot(cos_star, sin_star)
    norm = np.where(norm > 0.0, norm, 1.0)
    in_plane = n_hat - cos_theta[:, None] * flight
    in_plane_norm = np.linalg.norm(in_plane, axis=1)
    fallback_axis, _, _ = orthonormal_basis(flight)
    in_plane = np.where(
        (in_plane_norm > 0.0)[:, None],
        in_plane / np.where(in_plane_norm > 0.0, in_plane_norm, 1.0)[:, None],
        fallback_axis,
    )
    rest_dir = (cos_star / norm)[:, None] * flight + (sin_star / norm)[:, None] * in_plane
    rest = np.concatenate([rest_dir * q[:, None], e_star[:, None]], axis=1)
    (lab,) = rest_to_lab(parent_p4, big_m, (rest, m_dark))
    dark = np.where((valid & ~isotropic)[:, None], lab, fallback)
    return dark, weight


def _two_body(
    parents: ParentDecays,
    model_mass: float,
    companion_mass: float,
    rng: np.random.Generator,
    aim: Aim | None,
    aim_in_flight: bool = True,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Dark-particle four-momenta (n, 4) and aiming weight factors (n,)."""
    n = len(parents)
    dark, _ = two_body_decay(parents.momentum, model_mass, companion_mass, rng)
    aim_weight = np.ones(n)
    rest = parents.at_rest if aim is not None else np.zeros(n, dtype=bool)
    if aim is not None and rest.any():
        m = int(rest.sum())
        q = two_body_momentum(parents.momentum[rest, 3], model_mass, companion_mass)
        axis, cos_alpha = cone_toward(parents.vertex[rest], aim)
        cos_theta = rng.uniform(cos_alpha, 1.0)
        direction = directions_from_angles(cos_theta, rng.uniform(0.0, 2 * np.pi, m), axis=axis)
        dark[rest] = np.concatenate([direction * q[:, None], np.sqrt(q**2 + model_mass**2)[:, None]], axis=1)
        aim_weight[rest] = (1.0 - cos_alpha) / 2.0
    moving = ~rest
    if aim is not None and aim_in_flight and moving.any():
        dark[moving], aim_weight[moving] = forced_two_body(
            parents.momentum[moving], parents.vertex[moving], model_mass, companion_mass, aim, rng, dark[moving]
        )
    return dark, aim_weight


def produce(
    model: DarkModel,
    parents: ParentDecays,
    rng: np.random.Generator,
    aim: Aim | None = None,
    aim_in_flight: bool = True,
) -> FluxSample:
    """Decay ``parents`` into the model's dark particle through every open channel of that parent.

    Returns a FluxSample whose weights are dark particles per POT at the model's current coupling:
    parent weight × channel branching ratio × aiming factor. Each channel gets ``len(parents)`` entries.
    With ``aim`` (centre [cm], radius [cm]) two-body decays are aimed at that sphere: at rest by the cone, in
    flight by forced emission (:func:`forced_two_body`) unless ``aim_in_flight`` is False. Aimed weights only
    describe particles inside the cone (Σ weight is no longer the total production); three-body channels and
    decay chains (:meth:`~darkbeam.models.base.DarkModel.production_cascade`) are never aimed.
    """
    if isinstance(parents, DrellYanProtons):  # q q̄ → A′ (Drell–Yan) from the shipped Pythia table, not a decay
        return produce_drell_yan(model, parents, rng)
    if parents.pdg == PROTON_PDG:  # p N -> p N X: quasi-real bremsstrahlung, not a decay
        return produce_bremsstrahlung(model, parents, rng)
    if isinstance(parents, PhotonParents):  # γ N -> a N in the target (Primakoff), not a decay
        return produce_primakoff(model, parents, rng)
    if isinstance(parents, MixedMesons):  # ALP-meson mixing: the meson's momentum at the ALP mass
        return produce_meson_mixing(model, parents, rng)
    channels = model.production_for(parents.pdg)
    if not channels:
        raise KinematicsError(
            f"{model.name} of mass {model.mass} GeV has no open production channel from {pdg.name(parents.pdg)}"
        )
    pieces = []
    delays: list[NDArray[np.float64] | None] = []
    for channel, br, conjugated in channels:
        companion_masses = [pdg.mass(c) for c in channel.companions]
        cascade = model.production_cascade(channel)
        delays.append(None)
        if cascade is not None:
            # a decay chain (e.g. D_s → τ ν, τ → N X): the model samples it; unaimed, like three-body channels
            dark, delays[-1] = cascade(parents.momentum, rng)
            aim_weight = np.ones(len(parents))
        elif len(companion_masses) == 1:
            dark, aim_weight = _two_body(parents, model.mass, companion_masses[0], rng, aim, aim_in_flight)
        elif len(companion_masses) == 2:
            # the model's |M|²(m12², m23²) (None = flat phase space); its maximum is cached per (mass, channel)
            me = model.production_matrix_element(channel)
            dark, _, _ = three_body_decay(
                parents.momentum,
                (model.mass, companion_masses[0], companion_masses[1]),
                rng,
                matrix_element=me,
                max_matrix_element=None if me is None else me.maximum,
            )
            aim_weight = np.ones(len(parents))
        else:
            raise KinematicsError(f"production channel {channel.name} has {len(companion_masses)} companions")
        companion = channel.companions[0] if len(channel.companions) == 1 else 0
        if conjugated and companion:
            companion = pdg.conjugate(companion)
        # the polarisation is kept in the declared channel's convention: CP maps the whole decay chain, so the
        # angular distributions of the conjugate chain are those of the declared one with every id conjugated
        is_anti = (conjugated != channel.dark_antiparticle) and not model.self_conjugate
        pieces.append((dark, parents.weight * br * aim_weight, companion, model.polarisation_from(channel), is_anti))
    n_channels = len(pieces)
    polarisation = np.repeat([p[3] for p in pieces], len(parents))
    antiparticle = np.repeat([p[4] for p in pieces], len(parents)).astype(bool)
    return FluxSample(
        model=model.name,
        mass=model.mass,
        reference_coupling=model.coupling,
        momentum=np.concatenate([p[0] for p in pieces]),
        vertex=np.tile(parents.vertex, (n_channels, 1)),
        time=np.concatenate([parents.time if d is None else parents.time + d for d in delays]),
        parent_pdg=np.full(len(parents) * n_channels, parents.pdg, dtype=np.int64),
        parent_momentum=np.tile(parents.momentum, (n_channels, 1)),
        weight=np.concatenate([p[1] for p in pieces]),
        companion_pdg=np.repeat(np.array([p[2] for p in pieces], dtype=np.int64), len(parents)),
        polarisation=polarisation if np.any(polarisation) else None,
        antiparticle=antiparticle if np.any(antiparticle) else None,
    )
