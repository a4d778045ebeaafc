"""Transport of long-lived hadrons from the target: absorption, horn focusing, decay in flight, stopping, DAR.

Every step is a weight factor on columnar arrays (no per-particle loop). For a :class:`HadronSample` made in the
target of a catalogue beam (:mod:`darkbeam.beams`):

1. **Absorption in the target.** The path from the production point to the target's surface (cylinder of the
   catalogue's length and radius, along the hadron's initial direction) is traversed with survival probability
   exp(−ℓ/λ_I). λ_I is the PDG nuclear interaction length of the target material (measured for nucleons; used
   for mesons too, an approximation: π–nucleus inelastic cross sections are within ~20 % of p–nucleus ones at a
   few GeV, PDG RPP "Plots of cross sections and related quantities").
2. **Horn focusing** (thin-lens model). A parabolic horn gives a transverse kick proportional to the radius at
   which the meson crosses it, i.e. to its production angle, so it acts as a thin lens of focal momentum p_f
   (S.E. Kopp, "Accelerator neutrino beams", Phys. Rept. 439 (2007) 101, arXiv:physics/0609129, Sec. 4.1): a
   meson of the focused charge with θ < θ_acc leaves at θ' = θ (1 − p_f/p) (parallel at p = p_f, over-focused
   across the axis for p < p_f/2), one of the other charge at θ' = θ (1 + p_f/p). Mesons outside the acceptance
   cone and neutral ones fly straight. The lens acts at the production point (the BNB target sits inside the
   horn). |p| is unchanged. p_f and θ_acc come from the beam catalogue (``horn.focus_model``).
   **Field model** (when the catalogue's ``[horn]`` chooses it, ``horn.field_model``): the mesons are tracked
   through the toroidal fields B_φ = μ₀I/(2πr) of the horns' tabulated conductors (:mod:`.horn`); the path from
   the vertex to the end of each horn is then taken as a straight chord (direction = chord direction), followed by
   the straight flight after the last horn; mesons absorbed on an outer conductor may decay before that point, the
   rest of their weight is counted in ``absorbed_downstream`` (no decay at rest for them).
3. **Decay in flight.** The meson flies straight from the production point until the first of: the absorber
   face (z = absorber position) or the decay-pipe wall (radius R). The decay is forced into [0, s_end] with the
   truncated exponential of decay length βγcτ (inverse CDF) and weighted by P = 1 − exp(−s_end/βγcτ).
4. **Stopping in the absorber (or pipe wall, treated as absorber material).** The remainder, exp(−s_end/βγcτ),
   enters the absorber. A charged meson of kinetic energy T ranges out after R = T / (ρ ⟨dE/dx⟩_min) (constant
   minimum-ionising stopping power, PDG RPP 2024 Atomic and nuclear properties: Fe 1.451 MeV cm²/g, used for
   every absorber material (Al: 1.615, C: 1.742); this overestimates the range of slow mesons) and stops with
   probability exp(−R/λ_I) (else it interacts). Stopped
   π⁺ and K⁺ decay at rest (πDAR, KDAR) at the stopping point, after an exponential lifetime; stopped π⁻ and K⁻
   are captured by nuclei (no decay); K⁰_L does not range out (it interacts or leaves).

Output: :class:`~darkbeam.production.ParentDecays` (one row per input hadron for decays in flight, one per input
charged hadron for decays at rest) with weights in decays per POT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..beams import BeamSpec
from ..errors import ConfigError, check_choice
from ..units import C_LIGHT, MeV
from .hadrons import HadronSample
from .horn import FieldHorns, HornGeometry
from .parents import ParentDecays

FloatArray = NDArray[np.float64]
Horn = Literal["+", "-", "off"]

#: Minimum ionisation ⟨dE/dx⟩_min of iron [GeV cm²/g] (PDG RPP 2024, Atomic and nuclear properties: Fe)
DEDX_MIN_FE = 1.451 * MeV
#: Species transported (long-lived on the scale of the target): π±, K±, K⁰_L, K⁰_S.
TRANSPORTED = (211, -211, 321, -321, 130, 310)


@dataclass(frozen=True)
class TransportResult:
    """Decays in flight and at rest of one species, and the fractions lost on the way (per POT)."""

    in_flight: ParentDecays
    at_rest: ParentDecays
    absorbed_in_target: float
    absorbed_downstream: float


@dataclass(frozen=True)
class ThinLensHorn:
    """Thin-lens horn (Kopp 2007, Sec. 4.1): focal momentum [GeV], acceptance half-angle [rad], focused charge."""

    focus_momentum: float
    acceptance: float
    focused_charge: int  # +1, −1, or 0 for horn off

    def apply(self, momentum: FloatArray, charge: FloatArray) -> FloatArray:
        """New four-momenta (n, 4) after the lens; |p| and E unchanged."""
        if self.focused_charge == 0:
            return momentum
        p3 = momentum[:, :3]
        p = np.linalg.norm(p3, axis=1)
        p_t = np.hypot(p3[:, 0], p3[:, 1])
        theta = np.arctan2(p_t, p3[:, 2])
        sign = np.sign(charge) * self.focused_charge  # +1 focused, −1 defocused, 0 neutral
        lens = (theta < self.acceptance) & (sign != 0) & (p > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            new_theta = np.where(lens, theta * (1.0 - sign * self.focus_momentum / p), theta)
        new_theta = np.clip(new_theta, -np.pi / 2, np.pi / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            ux = np.where(p_t > 0, p3[:, 0] / p_t, 1.0)
            uy = np.where(p_t > 0, p3[:, 1] / p_t, 0.0)
        out = momentum.copy()
        # negative θ' means the meson crosses the axis: same plane, opposite side
        out[:, 0] = p * np.sin(new_theta) * ux
        out[:, 1] = p * np.sin(new_theta) * uy
        out[:, 2] = p * np.cos(new_theta)
        return out


def field_horns(beam: BeamSpec, horn: Horn) -> FieldHorns:
    """The beam's toroidal-field horns (``[horn.field_model]``) for polarity ``horn``."""
    check_choice("horn", horn, ("+", "-", "off"))
    if beam.horn is None or beam.horn.field_model is None:
        raise ConfigError(f"beam {beam.name!r} has no [horn.field_model]; allowed: a beam with one (e.g. 'numi')")
    fm = beam.horn.field_model
    geoms = tuple(
        HornGeometry(
            h.name,
            np.asarray(h.z_cm, dtype=float),
            np.asarray(h.inner_radius_cm, dtype=float),
            np.asarray(h.outer_z_cm, dtype=float),
            np.asarray(h.outer_radius_cm, dtype=float),
        )
        for h in fm.horns
    )
    polarity = {"+": 1, "-": -1, "off": 0}[horn]
    return FieldHorns(geoms, beam.horn.current_ka.value, polarity, fm.step_cm)


def horn_model(beam: BeamSpec, horn: Horn) -> ThinLensHorn | FieldHorns:
    """The beam's horn model for polarity ``horn`` ('+' focuses positive mesons, '-' negative, 'off'): the
    toroidal-field model when ``[horn]`` chooses it (:attr:`~darkbeam.beams.HornSpec.chosen_model`), else the
    thin lens."""
    check_choice("horn", horn, ("+", "-", "off"))
    if horn == "off":
        return ThinLensHorn(1.0, 0.0, 0)
    if beam.horn is not None and horn in beam.horn.polarities and beam.horn.chosen_model == "field":
        return field_horns(beam, horn)
    if beam.horn is None or beam.horn.focus_model is None:
        raise ConfigError(
            f"horn = {horn!r} is not allowed for beam {beam.name!r}: it has no horn focusing model; allowed: 'off'"
        )
    if horn not in beam.horn.polarities:
        raise ConfigError(f"horn = {horn!r} is not allowed for beam {beam.name!r}; allowed: {beam.horn.polarities}")
    fm = beam.horn.focus_model
    return ThinLensHorn(fm.focus_momentum_gev.value, fm.acceptance_rad.value, 1 if horn == "+" else -1)


def exit_cylinder(vertex: FloatArray, direction: FloatArray, radius: float, z_max: float) -> FloatArray:
    """Distance [cm] from points inside a z-aligned cylinder (axis through x = y = 0, 0 ≤ z ≤ z_max) to its
    surface along unit ``direction``; backward-going particles leave through z = 0."""
    dz = direction[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        s_z = np.where(dz > 0, (z_max - vertex[:, 2]) / dz, np.where(dz < 0, -vertex[:, 2] / dz, np.inf))
    a = direction[:, 0] ** 2 + direction[:, 1] ** 2
    b = vertex[:, 0] * direction[:, 0] + vertex[:, 1] * direction[:, 1]
    c = vertex[:, 0] ** 2 + vertex[:, 1] ** 2 - radius**2
    with np.errstate(divide="ignore", invalid="ignore"):
        s_r = np.where(a > 0, (-b + np.sqrt(np.clip(b * b - a * c, 0.0, None))) / a, np.inf)
    return np.asarray(np.clip(np.minimum(s_z, s_r), 0.0, None))


def transport(sample: HadronSample, beam: BeamSpec, rng: np.random.Generator, horn: Horn = "+") -> TransportResult:
    """Transport ``sample`` (made in ``beam``'s target) to its decays; see the module docstring for the model."""
    if sample.pdg not in TRANSPORTED:
        raise ConfigError(f"pdg = {sample.pdg} is not transported; allowed: {', '.join(map(str, TRANSPORTED))}")
    if beam.absorber is None:
        raise ConfigError(f"beam {beam.name!r} has no absorber; transport needs [absorber] in its catalogue entry")
    lens = horn_model(beam, horn)
    n = len(sample)
    mass = pdg.mass(sample.pdg)
    charge = pdg.charge(sample.pdg)
    ctau = pdg.ctau(sample.pdg)
    tau = pdg.lifetime(sample.pdg)
    p4 = sample.momentum
    p = np.linalg.norm(p4[:, :3], axis=1)
    direction0 = p4[:, :3] / np.maximum(p, 1e-300)[:, None]

    # 1. absorption in the target along the initial direction
    target = beam.target
    path = exit_cylinder(sample.vertex, direction0, target.radius_cm.value, target.length_cm.value)
    survive = np.exp(-path / target.material.interaction_length_cm)
    weight = sample.weight * survive
    absorbed_target = float(np.sum(sample.weight) - np.sum(weight))

    # 2. horn
    if isinstance(lens, FieldHorns) and charge != 0:
        return _transport_field(sample, beam, rng, lens, weight, absorbed_target)
    if isinstance(lens, ThinLensHorn):
        p4 = lens.apply(p4, np.full(n, charge))
    direction = p4[:, :3] / np.maximum(p, 1e-300)[:, None]

    # 3. decay in flight up to the absorber face or the pipe wall
    z_abs = beam.absorber.position_cm.value
    radius = beam.decay_pipe.radius_cm.value if beam.decay_pipe is not None else np.inf
    s_end = exit_cylinder(sample.vertex, direction, radius, z_abs)
    decay_length = p / mass * ctau
    p_decay = -np.expm1(-s_end / decay_length)
    u = rng.random(n)
    s = -decay_length * np.log1p(u * np.expm1(-s_end / decay_length))
    s = np.clip(s, 0.0, s_end)
    beta = p / p4[:, 3]
    vertex = sample.vertex + s[:, None] * direction
    time = sample.time + s / (beta * C_LIGHT)
    in_flight = ParentDecays(sample.pdg, p4, vertex, time, weight * p_decay)

    # 4. ranging out in the absorber → decay at rest
    reach = weight * (1.0 - p_decay)
    absorber = beam.absorber.material
    if charge != 0 and sample.pdg > 0:
        kinetic = p4[:, 3] - mass
        stop_range = kinetic / (absorber.density_g_cm3.value * DEDX_MIN_FE)
        p_stop = np.exp(-stop_range / absorber.interaction_length_cm)
    else:  # π⁻, K⁻ captured at rest; neutral kaons do not range out
        stop_range = np.zeros(n)
        p_stop = np.zeros(n)
    hit = sample.vertex + s_end[:, None] * direction
    stop_point = hit + stop_range[:, None] * direction
    rest = np.zeros((n, 4))
    rest[:, 3] = mass
    t_stop = sample.time + s_end / (beta * C_LIGHT) + rng.exponential(tau, n)
    at_rest = ParentDecays(sample.pdg, rest, stop_point, t_stop, reach * p_stop)
    absorbed_down = float(np.sum(reach * (1.0 - p_stop)))
    return TransportResult(in_flight, at_rest, absorbed_target, absorbed_down)


def _transport_field(
    sample: HadronSample,
    beam: BeamSpec,
    rng: np.random.Generator,
    horns: FieldHorns,
    weight: FloatArray,
    absorbed_target: float,
) -> TransportResult:
    """Steps 2–4 of :func:`transport` with the toroidal-field horns (module docstring)."""
    assert beam.absorber is not None
    n = len(sample)
    mass, ctau, tau = pdg.mass(sample.pdg), pdg.ctau(sample.pdg), pdg.lifetime(sample.pdg)
    charge = pdg.charge(sample.pdg)
    p4_in = sample.momentum
    p = np.linalg.norm(p4_in[:, :3], axis=1)
    track = horns.track(p4_in, sample.vertex, charge)
    p4 = track.momentum
    pts = track.points  # (n, K+1, 3)
    seg = np.diff(pts, axis=1)  # (n, K, 3)
    seg_len = np.linalg.norm(seg, axis=2)
    final_dir = p4[:, :3] / np.maximum(p, 1e-300)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        seg_dir = np.where(seg_len[:, :, None] > 0, seg / seg_len[:, :, None], final_dir[:, None, :])
    z_abs = beam.absorber.position_cm.value
    radius = beam.decay_pipe.radius_cm.value if beam.decay_pipe is not None else np.inf
    last = pts[:, -1]
    s_final = np.where(track.alive, exit_cylinder(last, final_dir, radius, z_abs), 0.0)
    # all segments: K chords + the final straight line
    lengths = np.concatenate([seg_len, s_final[:, None]], axis=1)
    dirs = np.concatenate([seg_dir, final_dir[:, None, :]], axis=1)
    starts = pts
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(lengths, axis=1)], axis=1)
    s_end = cum[:, -1]
    decay_length = p / mass * ctau
    p_decay = -np.expm1(-s_end / decay_length)
    u = rng.random(n)
    s = np.clip(-decay_length * np.log1p(u * np.expm1(-s_end / decay_length)), 0.0, s_end)
    j = np.clip(np.sum(s[:, None] >= cum[:, 1:-1], axis=1), 0, lengths.shape[1] - 1)
    rows = np.arange(n)
    d_dec = dirs[rows, j]
    vertex = starts[rows, j] + (s - cum[rows, j])[:, None] * d_dec
    p4_dec = np.empty_like(p4)
    p4_dec[:, :3] = p[:, None] * d_dec
    p4_dec[:, 3] = p4[:, 3]
    beta = p / p4[:, 3]
    time = sample.time + s / (beta * C_LIGHT)
    in_flight = ParentDecays(sample.pdg, p4_dec, vertex, time, weight * p_decay)

    reach = weight * (1.0 - p_decay)
    lost_in_horns = float(np.sum(reach[~track.alive]))
    reach = np.where(track.alive, reach, 0.0)
    absorber = beam.absorber.material
    if sample.pdg > 0:
        kinetic = p4[:, 3] - mass
        stop_range = kinetic / (absorber.density_g_cm3.value * DEDX_MIN_FE)
        p_stop = np.exp(-stop_range / absorber.interaction_length_cm)
    else:
        stop_range = np.zeros(n)
        p_stop = np.zeros(n)
    hit = last + s_final[:, None] * final_dir
    stop_point = hit + stop_range[:, None] * final_dir
    rest = np.zeros((n, 4))
    rest[:, 3] = mass
    t_stop = sample.time + s_end / (beta * C_LIGHT) + rng.exponential(tau, n)
    at_rest = ParentDecays(sample.pdg, rest, stop_point, t_stop, reach * p_stop)
    absorbed_down = float(np.sum(reach * (1.0 - p_stop))) + lost_in_horns
    return TransportResult(in_flight, at_rest, absorbed_target, absorbed_down)


def transport_naive(sample: HadronSample, beam: BeamSpec, rng: np.random.Generator, horn: Horn = "+") -> float:
    """Per-particle Python loop for the decay-in-flight step (benchmark baseline only): Σ decay weight per POT."""
    lens = horn_model(beam, horn)
    if not isinstance(lens, ThinLensHorn):
        raise ConfigError(f"transport_naive supports the thin-lens horn only; beam {beam.name!r} uses the field model")
    mass, ctau, charge = pdg.mass(sample.pdg), pdg.ctau(sample.pdg), pdg.charge(sample.pdg)
    assert beam.absorber is not None
    assert beam.decay_pipe is not None
    z_abs, radius = beam.absorber.position_cm.value, beam.decay_pipe.radius_cm.value
    lam_t = beam.target.material.interaction_length_cm
    total = 0.0
    for i in range(len(sample)):
        p4 = sample.momentum[i : i + 1]
        v = sample.vertex[i : i + 1]
        p = float(np.linalg.norm(p4[0, :3]))
        d0 = p4[:, :3] / p
        w = sample.weight[i] * np.exp(
            -exit_cylinder(v, d0, beam.target.radius_cm.value, beam.target.length_cm.value)[0] / lam_t
        )
        q = lens.apply(p4, np.array([charge]))
        s_end = exit_cylinder(v, q[:, :3] / p, radius, z_abs)[0]
        lam = p / mass * ctau
        rng.random()
        total += w * -np.expm1(-s_end / lam)
    return total


def prompt_decays(sample: HadronSample) -> ParentDecays:
    """Short-lived hadrons (π⁰, η; cτ ≪ 1 cm) decaying at their production point, as parent decays."""
    return ParentDecays(sample.pdg, sample.momentum, sample.vertex, sample.time, sample.weight)
