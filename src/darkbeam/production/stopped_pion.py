"""Stopped-pion sources: ~1 GeV protons on a thick high-Z target (SNS, LANSCE Lujan, J-PARC MLF).

A :class:`StoppedPionSource` makes the parent decays of one species at a catalogue beam with ``kind =
"stopped_pion"`` (``darkbeam list beams``), normalised by the beam file's ``[stopped_pion]`` table (every number
cited there):

* **π⁺ decay at rest** (``parent_pdg = 211``): Y₊ = ``pi_plus_dar_per_pot`` decays per POT (= neutrinos per
  flavour per POT; the COHERENT convention, PRD 106, 032003 (2022), arXiv:2109.11049). π⁺ decays in flight
  (< 1 % at these targets) are not modelled.
* **μ⁺ decay at rest** (``parent_pdg = -13``): every stopped π⁺ gives a μ⁺ (BR(π⁺ → μ⁺ν_μ) = 0.999877, PDG RPP
  2024) of 4.1 MeV that stops within ~1 mm and is not captured; Y_μ = Y₊ × BR.
* **π⁰** (``parent_pdg = 111``): Y₀ from a full simulation of the facility's target where one was found —
  ``pi0_per_pot`` of the beam file (GEANT4: SNS 0.1048, Lujan 0.0633 π⁰/POT; each entry carries its source
  and its cross-checks) — else the isospin estimate Y₀ = (1 + r)/2 × Y₊ with r = ``pi_minus_to_pi_plus``, N(π⁰) ≈
  [N(π⁺) + N(π⁻)]/2, used for the LSND beam stop by P. deNiverville, M. Pospelov, A. Ritz, PRD 84, 075020 (2011),
  arXiv:1107.4580, Sec. IV (here: J-PARC MLF). The isospin estimate counts only the π⁺ that come to rest; at the
  SNS and Lujan it gives 0.57 and 0.53 of the GEANT4 π⁰ yields (likely because π⁺ absorbed in flight and π±
  charge exchange are missing from it). :meth:`StoppedPionSource.pi0_yield` says which is used. The π⁰
  (cτ = 25 nm) decays at its production point.
* **π⁻ decay in flight** (``parent_pdg = -211``): r × Y₊ π⁻ are made; those that slow down to rest form pionic
  atoms and are captured by the nucleus (capture ≈ 100 % in high-Z material), so only the fraction decaying in
  flight while slowing down is a source. With a constant stopping power S = ρ ⟨dE/dx⟩_min (the approximation of
  :mod:`darkbeam.production.transport`, PDG RPP 2024 Fe value for every material) the decay probability along the
  slowing-down path of a π of kinetic energy T is

      P_DIF(T) = 1 − exp(−k A(T)),   k = m_π / (S cτ_π),   A(T) = arccosh(1 + T/m_π),

  from ∫ ds/(βγ cτ) = ∫ dT/(S (p/m) cτ) and ∫ dT/p = arccosh(1 + T/m) (≈ 1 % at T ~ 60 MeV in Hg). The decay
  point follows the same exponential in A (exact under constant S); nuclear absorption in flight is neglected
  (an upper bound on P_DIF). ``decays_per_pot`` is r Y₊ ⟨P_DIF⟩ over the spectrum below: ⟨P_DIF⟩ ≈ 1.0 % at the
  SNS, 0.6 % at Lujan (denser W), 1.5 % at the MLF; the other ~99 % are captured. μ⁻ from π⁻ DIF (mostly
  captured in Hg/W) and the μ⁺ decays in flight are not modelled.

Kinematics and geometry (approximations, stated):

* π⁰ and π⁻ momenta: isotropic, thermal spectrum d³N/dp³ ∝ exp(−E/T₀) with T₀ = ``pi_slope_gev``, kinetic
  energy capped at the proton's. T₀ is chosen per facility to reproduce the mean π⁰ kinetic energy of GEANT4 π⁰
  lists of the real targets (B. Dutta et al.; the beam files cite them): Lujan T₀ = 44 MeV gives ⟨T⟩ = 86 MeV and
  the GEANT4 quantiles within 10 % (KS p = 0.93); SNS 54 MeV (⟨T⟩ = 110 MeV; GEANT4's tail is longer); MLF
  118 MeV (⟨T⟩ = 272 MeV; the thermal shape is poor at 3 GeV). Isotropy is the main approximation: the GEANT4 π⁰
  at Lujan have ⟨cos θ_beam⟩ ≈ 0.25; a dN/dΩ ∝ 1 + a cos θ anisotropy leaves the flux at 90° (COHERENT, CCM)
  unchanged to first order, but not forward/backward.
* Production points: the proton interaction depth z follows exp(−z/λ_I) truncated to the target length (λ_I of
  the target material from the catalogue); x, y are uniform over the target's circular cross section. Stopped
  pions decay where they were made (their range, a few cm, is neglected; so is the μ⁺ range, ~1 mm).
* Times [ns]: proton arrival t_p from the facility's spill profile (:data:`darkbeam.timing.BEAM_TIMING` when the
  facility is listed there, else Gaussian bunches from the beam file's ``[spill]``) plus z/(β_p c); π⁰: t_p;
  π⁺ DAR: t_p + ``stopping_time_ns`` + Exp(τ_π); μ⁺ DAR: that + Exp(τ_μ); π⁻ DIF: t_p + the flight time to the
  decay point (path length over the mean of the speeds at its ends).

:func:`stopped_pion_flux_at_points` gives the SM neutrino flux of such a source (ν_μ line at 29.79 MeV from π⁺
DAR, Michel ν̄_μ and ν_e from μ⁺ DAR, ν̄_μ from π⁻ DIF) in the format of :func:`darkbeam.neutrinos.neutrino_flux`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import pdg
from ..beams import BeamSpec
from ..beams import get as get_beam
from ..beams.catalogue import StoppedPionYieldSpec
from ..errors import ConfigError
from ..kinematics import isotropic_directions, two_body_momentum
from ..timing import BEAM_TIMING, BeamTiming
from ..units import C_LIGHT
from .parents import ParentDecays
from .transport import DEDX_MIN_FE

FloatArray = NDArray[np.float64]

PI_PLUS, MU_PLUS, PI_ZERO, PI_MINUS = 211, -13, 111, -211
#: parent species a stopped-pion source makes
STOPPED_PION_PARENTS: tuple[int, ...] = (PI_PLUS, MU_PLUS, PI_ZERO, PI_MINUS)
#: BR(π⁺ → μ⁺ ν_μ) (PDG RPP 2024 summary table)
BR_PI_MUNU = 0.999877
_GRID = 4001


@dataclass(frozen=True)
class CitedYield:
    """A yield per POT and where it comes from."""

    value: float
    source: str


def _beam_spec(beam: str) -> tuple[BeamSpec, StoppedPionYieldSpec]:
    spec = get_beam(beam)
    if spec.kind != "stopped_pion" or spec.stopped_pion is None:
        raise ConfigError(
            f"beam = {beam!r} is not allowed for a stopped-pion source: it has kind = {spec.kind!r}"
            f"{'' if spec.stopped_pion is not None else ' and no [stopped_pion] yield table'}; allowed: a beam with "
            "kind = 'stopped_pion' and a [stopped_pion] table (sns, lansce_lujan, jparc_mlf)"
        )
    return spec, spec.stopped_pion


def spill_timing(spec: BeamSpec) -> BeamTiming:
    """The facility's proton time profile: :data:`darkbeam.timing.BEAM_TIMING` entry, else Gaussian bunches from
    the beam file's ``[spill]`` (one bunch of FWHM ``spill_length_ns``, or bunches of FWHM ``bunch_width_ns``
    every ``bunch_spacing_ns`` filling ``spill_length_ns``)."""
    if spec.name in BEAM_TIMING:
        return BEAM_TIMING[spec.name]
    spill = spec.spill
    if spill.bunch_spacing_ns is None:
        return BeamTiming(spec.name, 1, 0.0, spill.spill_length_ns.value, spill.spill_length_ns.source)
    width = spill.bunch_width_ns.value if spill.bunch_width_ns is not None else spill.bunch_spacing_ns.value / 4
    n_bunches = 1 + max(0, round((spill.spill_length_ns.value - width) / spill.bunch_spacing_ns.value))
    return BeamTiming(spec.name, n_bunches, spill.bunch_spacing_ns.value, width, spill.spill_length_ns.source)


def thermal_momentum_cdf(mass: float, slope: float, t_max: float) -> tuple[FloatArray, FloatArray]:
    """Grid of momenta p [GeV] and the CDF of the isotropic thermal spectrum d³N/dp³ ∝ exp(−E/T₀), i.e.
    dN/dp ∝ p² exp(−(E − m)/T₀), for kinetic energies 0 ≤ T ≤ ``t_max`` (see module docstring)."""
    p_max = math.sqrt(t_max * (t_max + 2 * mass))
    p = np.linspace(0.0, p_max, _GRID)
    kinetic = np.sqrt(p**2 + mass**2) - mass
    density = p**2 * np.exp(-kinetic / slope)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (density[1:] + density[:-1]) * np.diff(p))])
    return p, cdf / cdf[-1]


def dif_probability(kinetic: FloatArray, stopping_power: float) -> FloatArray:
    """P_DIF(T) = 1 − exp(−k arccosh(1 + T/m)), k = m_π/(S cτ_π): probability that a π of kinetic energy T [GeV]
    decays while slowing down at constant stopping power S [GeV/cm] (module docstring)."""
    m = pdg.mass(PI_MINUS)
    k = m / (stopping_power * pdg.ctau(PI_MINUS))
    return np.asarray(-np.expm1(-k * np.arccosh(1.0 + np.asarray(kinetic) / m)))


@dataclass(frozen=True)
class StoppedPionSource:
    """Decays of ``parent_pdg`` (211 π⁺ DAR, -13 μ⁺ DAR, 111 π⁰, -211 π⁻ DIF) at stopped-pion facility ``beam``.

    Implements :class:`~darkbeam.production.ParentSource`; Σ weight of a sample = :attr:`decays_per_pot`.
    """

    beam: str
    parent_pdg: int

    def __post_init__(self) -> None:
        if self.parent_pdg not in STOPPED_PION_PARENTS:
            raise ConfigError(
                f"parent_pdg = {self.parent_pdg} is not allowed for a stopped-pion source; allowed: "
                "211 (pi+ DAR), -13 (mu+ DAR), 111 (pi0), -211 (pi- DIF)"
            )
        _beam_spec(self.beam)

    @property
    def spec(self) -> BeamSpec:
        return _beam_spec(self.beam)[0]

    @property
    def yields(self) -> StoppedPionYieldSpec:
        return _beam_spec(self.beam)[1]

    @property
    def stopping_power(self) -> float:
        """S = ρ ⟨dE/dx⟩_min of the target [GeV/cm] (Fe minimum-ionisation value for every material)."""
        return self.spec.target.material.density_g_cm3.value * DEDX_MIN_FE

    def pi0_yield(self) -> CitedYield:
        """π⁰ per POT and its source: the beam file's ``pi0_per_pot`` if its schema has one, else
        else the isospin estimate (1 + r)/2 × Y₊ (module docstring)."""
        y = self.yields
        field = y.pi0_per_pot
        if field is not None:
            return CitedYield(float(field.value), str(field.source))
        ratio = y.pi_minus_to_pi_plus.value
        return CitedYield(
            0.5 * (1.0 + ratio) * y.pi_plus_dar_per_pot.value,
            "isospin estimate (1 + r)/2 x Y(pi+ DAR) (deNiverville, Pospelov, Ritz, PRD 84, 075020 (2011), Sec. IV)",
        )

    def pions_per_pot(self) -> dict[int, float]:
        """π⁺ (stopped), π⁻ and π⁰ made per POT: Y₊, r Y₊ and :meth:`pi0_yield`."""
        y = self.yields
        plus, ratio = y.pi_plus_dar_per_pot.value, y.pi_minus_to_pi_plus.value
        return {PI_PLUS: plus, PI_MINUS: ratio * plus, PI_ZERO: self.pi0_yield().value}

    def _momentum_grid(self, pdg_id: int) -> tuple[FloatArray, FloatArray]:
        return thermal_momentum_cdf(
            pdg.mass(pdg_id), self.yields.pi_slope_gev.value, self.spec.proton.kinetic_energy_gev.value
        )

    def mean_dif_probability(self) -> float:
        """⟨P_DIF⟩ of π⁻ over the thermal spectrum (quadrature on the CDF grid)."""
        p, cdf = self._momentum_grid(PI_MINUS)
        kinetic = np.sqrt(p**2 + pdg.mass(PI_MINUS) ** 2) - pdg.mass(PI_MINUS)
        prob = dif_probability(kinetic, self.stopping_power)
        return float(np.sum(0.5 * (prob[1:] + prob[:-1]) * np.diff(cdf)))

    @property
    def decays_per_pot(self) -> float:
        """Decays of :attr:`parent_pdg` per POT (module docstring)."""
        pions = self.pions_per_pot()
        if self.parent_pdg == PI_PLUS:
            return pions[PI_PLUS]
        if self.parent_pdg == MU_PLUS:
            return pions[PI_PLUS] * BR_PI_MUNU
        if self.parent_pdg == PI_ZERO:
            return pions[PI_ZERO]
        return pions[PI_MINUS] * self.mean_dif_probability()

    def production_points(self, n: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
        """``n`` proton interaction points [cm] in the target and the times [ns] the proton got there."""
        spec = self.spec
        target = spec.target
        lam, length, radius = target.material.interaction_length_cm, target.length_cm.value, target.radius_cm.value
        z = -lam * np.log1p(rng.random(n) * np.expm1(-length / lam))
        r = radius * np.sqrt(rng.random(n))
        phi = rng.uniform(0.0, 2 * np.pi, n)
        vertex = np.column_stack([r * np.cos(phi), r * np.sin(phi), z])
        proton = spec.proton
        beta_p = proton.momentum_gev.value / (proton.kinetic_energy_gev.value + pdg.mass(2212))
        time = spill_timing(spec).sample_proton_times(n, rng) + z / (beta_p * C_LIGHT)
        return vertex, time

    def _thermal(self, pdg_id: int, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` isotropic thermal momenta (n, 4) [GeV] of species ``pdg_id``."""
        p_grid, cdf = self._momentum_grid(pdg_id)
        p = np.interp(rng.random(n), cdf, p_grid)
        out = np.empty((n, 4))
        out[:, :3] = isotropic_directions(n, rng) * p[:, None]
        out[:, 3] = np.sqrt(p**2 + pdg.mass(pdg_id) ** 2)
        return out

    def sample(self, n: int, rng: np.random.Generator) -> ParentDecays:
        """``n`` decays; Σ weight = :attr:`decays_per_pot` (exactly)."""
        if int(n) != n or n < 1:
            raise ConfigError(f"n = {n!r} is not allowed; it must be an integer >= 1")
        n = int(n)
        vertex, t_proton = self.production_points(n, rng)
        total = self.decays_per_pot
        if self.parent_pdg in (PI_PLUS, MU_PLUS):
            momentum = np.zeros((n, 4))
            momentum[:, 3] = pdg.mass(self.parent_pdg)
            time = t_proton + self.yields.stopping_time_ns.value + rng.exponential(pdg.lifetime(PI_PLUS), n)
            if self.parent_pdg == MU_PLUS:
                time = time + rng.exponential(pdg.lifetime(MU_PLUS), n)
            return ParentDecays(self.parent_pdg, momentum, vertex, time, np.full(n, total / n))
        if self.parent_pdg == PI_ZERO:
            return ParentDecays(PI_ZERO, self._thermal(PI_ZERO, n, rng), vertex, t_proton, np.full(n, total / n))
        return self._pi_minus_dif(n, rng, vertex, t_proton, total)

    def _pi_minus_dif(
        self, n: int, rng: np.random.Generator, vertex: FloatArray, t_proton: FloatArray, total: float
    ) -> ParentDecays:
        """π⁻ decaying in flight while slowing down (module docstring); weights ∝ P_DIF, Σ = ``total``."""
        m = pdg.mass(PI_MINUS)
        start = self._thermal(PI_MINUS, n, rng)
        p0 = np.linalg.norm(start[:, :3], axis=1)
        direction = start[:, :3] / np.maximum(p0, 1e-300)[:, None]
        t0 = start[:, 3] - m
        stopping = self.stopping_power
        k = m / (stopping * pdg.ctau(PI_MINUS))
        a0 = np.arccosh(1.0 + t0 / m)
        prob = -np.expm1(-k * a0)
        # decay at A = a0 − Δ, Δ ~ k exp(−k Δ) truncated to [0, a0]
        delta = -np.log1p(-rng.random(n) * prob) / k
        t_decay = m * (np.cosh(np.clip(a0 - delta, 0.0, None)) - 1.0)
        path = (t0 - t_decay) / stopping
        p_decay = np.sqrt(t_decay * (t_decay + 2 * m))
        momentum = np.column_stack([direction * p_decay[:, None], t_decay + m])
        beta0, beta1 = p0 / (t0 + m), p_decay / (t_decay + m)
        inv_speed = 0.5 * (1.0 / np.maximum(beta0, 1e-12) + 1.0 / np.maximum(beta1, 1e-12))
        time = t_proton + path / C_LIGHT * np.where(path > 0, inv_speed, 0.0)
        norm = float(np.sum(prob))
        weight = total * prob / norm if norm > 0 else np.zeros(n)
        return ParentDecays(PI_MINUS, momentum, vertex + path[:, None] * direction, time, weight)


def nu_mu_line_energy() -> float:
    """E(ν_μ) of π⁺ → μ⁺ ν_μ at rest [GeV]: (m_π² − m_μ²)/(2 m_π) = 29.79 MeV."""
    return float(two_body_momentum(pdg.mass(PI_PLUS), pdg.mass(13), 0.0))


def stopped_pion_flux_at_points(
    beam_name: str,
    points_cm: Sequence[Sequence[float]] | FloatArray,
    energy_bins_gev: Sequence[float] | None = None,
    n: int = 200_000,
    seed: int = 1,
) -> list[dict[str, dict[str, Any]]]:
    """SM neutrino flux per POT per cm² of a stopped-pion facility at detector points [cm] (facility frame).

    Emitters: π⁺ DAR → ν_μ (29.79 MeV line, BR 0.999877); μ⁺ DAR → ν̄_μ and ν_e with the Michel spectra of
    :func:`darkbeam.neutrinos.michel_energies`; π⁻ DIF → ν̄_μ (two-body, boosted toward the point). Each row's
    weight × (dΩ*/dΩ)/(4π d²) (:func:`darkbeam.neutrinos.ray_to_point`) is its flux at the point. Returns one
    ``{flavour: {...}}`` dict per point with the keys of :func:`darkbeam.neutrinos.neutrino_flux`; default bins
    0–300 MeV in 1 MeV steps. ``fraction_by_parent`` keys: ``"pi+ DAR"``, ``"mu+ DAR"``, ``"pi- DIF"``.
    """
    from ..neutrinos import FLAVOURS, _summary, michel_energies, ray_to_point

    if n < 100:
        raise ConfigError(f"n = {n} is not allowed; it must be >= 100")
    pts = np.asarray(points_cm, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 3 or len(pts) == 0 or not np.all(np.isfinite(pts)):
        raise ConfigError(f"points_cm = {points_cm!r} is not allowed; give a non-empty list of (x, y, z) in cm")
    bins = np.linspace(0.0, 0.3, 301) if energy_bins_gev is None else np.asarray(energy_bins_gev, dtype=float)
    if bins.ndim != 1 or len(bins) < 2 or np.any(np.diff(bins) <= 0) or bins[0] < 0:
        raise ConfigError(f"energy_bins_gev = {energy_bins_gev!r} is not allowed; give >= 2 increasing edges >= 0")
    rng = np.random.default_rng(seed)
    pi_plus = StoppedPionSource(beam_name, PI_PLUS).sample(n, rng)
    mu_plus = StoppedPionSource(beam_name, MU_PLUS).sample(n, rng)
    pi_minus = StoppedPionSource(beam_name, PI_MINUS).sample(n, rng)
    line = nu_mu_line_energy()
    emitters: list[tuple[str, int, ParentDecays, FloatArray, FloatArray]] = [
        ("pi+ DAR", 14, pi_plus, np.full(n, line), pi_plus.weight * BR_PI_MUNU),
        ("mu+ DAR", -14, mu_plus, michel_energies("mu", n, rng), mu_plus.weight),
        ("mu+ DAR", 12, mu_plus, michel_energies("e", n, rng), mu_plus.weight),
        ("pi- DIF", -14, pi_minus, np.full(n, line), pi_minus.weight * BR_PI_MUNU),
    ]
    out: list[dict[str, dict[str, Any]]] = []
    for point in pts:
        rays = [(label, nu, *ray_to_point(decays, e_star, point), w) for label, nu, decays, e_star, w in emitters]
        per_flavour: dict[str, dict[str, Any]] = {}
        for nu, flavour in FLAVOURS.items():
            picked = [(label, energy, w * factor) for label, nu_i, energy, factor, w in rays if nu_i == nu]
            per_flavour[flavour] = _summary(picked, bins)
        out.append(per_flavour)
    return out
