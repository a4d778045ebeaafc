"""SM neutrino flux from parent-meson decays, by forcing each neutrino toward a detector point ("ray to detector").

For a spin-0 parent of mass M, energy E and momentum p decaying at point v, a neutrino of rest-frame energy E* is
emitted isotropically in the rest frame. Toward a detector point D at distance d along n̂ = (D − v)/d its lab
energy and the rest-to-lab solid-angle Jacobian are (massless neutrino)

    E_ν = E* / (γ (1 − β·n̂)),     dΩ*/dΩ_lab = 1 / (γ (1 − β·n̂))²,

with γ (1 − β·n̂) = (E − p·n̂)/M = (M² + |p × n̂|²) / (M (E + p·n̂)) (the second form avoids cancellation for
forward, ultra-relativistic parents). Each parent decay contributes weight × BR × (dΩ*/dΩ_lab) / (4π d²)
neutrinos per cm² at D (per POT when the weights are per POT) — the standard technique of beam-line simulations
(e.g. the "ray to detector" weights of the NuMI/BNB flux codes; PRD 79, 072002 (2009), Sec. IV). This is exact
for spin-0 parents; for muons (spin ½) the polarisation is neglected (an approximation, stated where used).

Channels and branching ratios (PDG RPP 2024 summary tables): π⁺ → μ⁺ν_μ 0.999877; K⁺ → μ⁺ν_μ 0.6356;
K⁺ → π⁰e⁺ν_e (K_e3) 0.0507; K⁺ → π⁰μ⁺ν_μ (K_μ3) 0.03352; K⁰_L → π^∓e^±ν (K_e3) 0.4055, → π^∓μ^±ν (K_μ3) 0.2704
(half ν, half ν̄); charge conjugates for negative parents. Three-body rest-frame neutrino energies come from the
V−A K_l3 matrix element with f₊ constant and f₋ = 0 (|M|² ∝ 2(H·p_ℓ)(H·p_ν) − H² (p_ℓ·p_ν), H = p_K + p_π; e.g.
PDG RPP 2024 review "K_l3 form factors"). Muons from stopped π⁺ decay at rest (they stop too) with the Michel
spectra of unpolarised μ decay, x = 2E/m_μ: ν̄_μ (ν_μ for μ⁻) 2x²(3 − 2x), ν_e (ν̄_e) 12x²(1 − x) (PDG RPP 2024
"Muon decay parameters", electron mass neglected). Muons from π± and K± → μν decays in flight are followed
too: emitted isotropically in the parent frame, they fly straight to the absorber face or the pipe wall, decay in
flight with the forced truncated exponential (weight 1 − exp(−s_end/βγcτ_μ)) and give ν_e, ν̄_μ (μ⁺) or ν̄_e, ν_μ
(μ⁻) with the unpolarised Michel spectra in the muon frame (neglecting the muon polarisation: an approximation
that mostly moves the ν_e spectrum by O(10 %)). Muons stopping downstream are not followed.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import beams, pdg
from .errors import ConfigError, check_choice
from .kinematics import three_body_decay, two_body_decay, two_body_momentum
from .production.beam_source import hadron_source
from .production.parents import ParentDecays
from .production.transport import TransportResult, exit_cylinder, transport

FloatArray = NDArray[np.float64]
FLAVOURS: dict[int, str] = {14: "numu", -14: "numubar", 12: "nue", -12: "nuebar"}

BR_PI_MUNU = 0.999877
BR_K_MUNU = 0.6356
BR_K_E3 = 0.0507
BR_K_MU3 = 0.03352
BR_KL_E3 = 0.4055
BR_KL_MU3 = 0.2704


@dataclass(frozen=True)
class Channel:
    """One neutrino-producing decay: ``nu`` gets rest-frame energy from two-body kinematics (``companion`` mass)
    or from the K_l3 matrix element (``lepton`` mass with a π of mass ``pion``)."""

    br: float
    nu: int
    kind: Literal["two_body", "kl3"]
    lepton_mass: float
    pion_mass: float = 0.0


def channels(parent: int) -> list[Channel]:
    """Neutrino channels of ``parent`` (π±, K±, K⁰_L), PDG RPP 2024 branching ratios."""
    m_mu, m_e = pdg.mass(13), pdg.mass(11)
    sign = 1 if parent > 0 else -1
    if abs(parent) == 211:
        return [Channel(BR_PI_MUNU, 14 * sign, "two_body", m_mu)]
    if abs(parent) == 321:
        m_pi0 = pdg.mass(111)
        return [
            Channel(BR_K_MUNU, 14 * sign, "two_body", m_mu),
            Channel(BR_K_E3, 12 * sign, "kl3", m_e, m_pi0),
            Channel(BR_K_MU3, 14 * sign, "kl3", m_mu, m_pi0),
        ]
    if parent == 130:
        m_pi = pdg.mass(211)
        return [
            Channel(BR_KL_E3 / 2, 12, "kl3", m_e, m_pi),
            Channel(BR_KL_E3 / 2, -12, "kl3", m_e, m_pi),
            Channel(BR_KL_MU3 / 2, 14, "kl3", m_mu, m_pi),
            Channel(BR_KL_MU3 / 2, -14, "kl3", m_mu, m_pi),
        ]
    return []


def kl3_matrix_element(parent_mass: float, pion_mass: float, lepton_mass: float) -> Any:
    """|M|²(s12, s23) of K → π ℓ ν (1 = π, 2 = ℓ, 3 = ν), V−A with constant f₊ and f₋ = 0 (see module docstring)."""
    big_m, m_pi, m_l = parent_mass, pion_mass, lepton_mass

    def me(s12: FloatArray, s23: FloatArray) -> FloatArray:
        s13 = big_m**2 + m_pi**2 + m_l**2 - s12 - s23
        e_nu = (big_m**2 - s12) / (2 * big_m)
        e_l = (big_m**2 + m_l**2 - s13) / (2 * big_m)
        pl_pnu = (s23 - m_l**2) / 2
        h_pl = 2 * big_m * e_l - (m_l**2 + pl_pnu)
        h_pnu = 2 * big_m * e_nu - pl_pnu
        h2 = 4 * big_m**2 - 4 * big_m * (e_l + e_nu) + s23
        return np.asarray(np.clip(2 * h_pl * h_pnu - h2 * pl_pnu, 0.0, None))

    return me


def rest_frame_energies(parent: int, channel: Channel, n: int, rng: np.random.Generator) -> FloatArray:
    """``n`` rest-frame neutrino energies E* [GeV] for ``channel`` of ``parent``."""
    big_m = pdg.mass(parent)
    if channel.kind == "two_body":
        return np.full(n, float(two_body_momentum(big_m, channel.lepton_mass, 0.0)))
    rest = np.zeros((n, 4))
    rest[:, 3] = big_m
    me = kl3_matrix_element(big_m, channel.pion_mass, channel.lepton_mass)
    _, _, nu = three_body_decay(rest, (channel.pion_mass, channel.lepton_mass, 0.0), rng, matrix_element=me)
    return np.asarray(nu[:, 3])


def michel_energies(nu: Literal["mu", "e"], n: int, rng: np.random.Generator) -> FloatArray:
    """Neutrino energies [GeV] from unpolarised muon decay at rest (Michel spectra, electron mass neglected):
    ``"mu"``: 2x²(3 − 2x) (CDF 2x³ − x⁴); ``"e"``: 12x²(1 − x) (CDF 4x³ − 3x⁴), x = 2E/m_μ."""
    x = np.linspace(0.0, 1.0, 4001)
    cdf = 2 * x**3 - x**4 if nu == "mu" else 4 * x**3 - 3 * x**4
    return np.asarray(np.interp(rng.random(n), cdf, x) * pdg.mass(13) / 2)


def ray_to_point(parents: ParentDecays, e_star: FloatArray, point: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Lab energy [GeV] toward ``point`` [cm] and flux factor (dΩ*/dΩ_lab)/(4π d²) [1/cm²] per parent decay."""
    offset = np.asarray(point, dtype=float) - parents.vertex
    dist = np.linalg.norm(offset, axis=1)
    n_hat = offset / dist[:, None]
    p3 = parents.momentum[:, :3]
    energy = parents.momentum[:, 3]
    mass = np.sqrt(np.clip(energy**2 - np.einsum("ij,ij->i", p3, p3), 0.0, None))
    p_par = np.einsum("ij,ij->i", p3, n_hat)
    p_perp2 = np.einsum("ij,ij->i", p3, p3) - p_par**2
    doppler = (mass**2 + np.clip(p_perp2, 0.0, None)) / (mass * (energy + p_par))  # γ(1 − β·n̂)
    return e_star / doppler, 1.0 / (doppler**2 * 4 * np.pi * dist**2)


@dataclass(frozen=True)
class _Emitters:
    """Decays that emit neutrinos of flavour ``nu`` with rest-frame energies ``e_star`` [GeV]: everything about a
    ray except its direction, which only the detector point fixes. ``weight`` includes the branching ratio."""

    label: str
    nu: int
    decays: ParentDecays
    e_star: FloatArray
    weight: FloatArray


def _emitters(
    species: int, result: TransportResult, beam: beams.BeamSpec, rng: np.random.Generator, decays_at_rest: bool
) -> list[_Emitters]:
    """The neutrino emitters of one transported species, drawing random numbers in the same order as
    :func:`neutrino_flux` does for one point (parent channels; muons in flight from π±/K± → μν
    with the forced truncated-exponential decay point and Michel energies; decays at rest; μ⁺ from stopped π⁺).
    Rest-frame energies do not depend on the emission direction (isotropic decays of spin-0 parents; unpolarised
    muons), so one draw serves every detector point."""
    name = pdg.name(species)
    out: list[_Emitters] = []

    def parent_channels(decays: ParentDecays, label: str) -> None:
        for channel in channels(decays.pdg):
            e_star = rest_frame_energies(decays.pdg, channel, len(decays), rng)
            out.append(_Emitters(label, channel.nu, decays, e_star, decays.weight * channel.br))

    in_flight = result.in_flight
    parent_channels(in_flight, f"{name} DIF")
    if abs(species) in (211, 321):
        two_body = [c for c in channels(in_flight.pdg) if c.kind == "two_body" and abs(c.nu) == 14]
        if two_body and len(in_flight) > 0 and beam.absorber is not None:
            m_mu = pdg.mass(13)
            muon, _ = two_body_decay(in_flight.momentum, m_mu, 0.0, rng)
            p = np.linalg.norm(muon[:, :3], axis=1)
            direction = muon[:, :3] / np.maximum(p, 1e-300)[:, None]
            radius = beam.decay_pipe.radius_cm.value if beam.decay_pipe is not None else np.inf
            vertex = in_flight.vertex.copy()
            vertex[:, 2] = np.clip(vertex[:, 2], 0.0, beam.absorber.position_cm.value)
            s_end = exit_cylinder(vertex, direction, radius, beam.absorber.position_cm.value)
            decay_length = p / m_mu * pdg.ctau(13)
            p_decay = -np.expm1(-s_end / decay_length)
            s = np.clip(-decay_length * np.log1p(rng.random(len(p)) * np.expm1(-s_end / decay_length)), 0.0, s_end)
            sign = 1 if in_flight.pdg > 0 else -1
            muons = ParentDecays(
                -13 * sign,
                muon,
                vertex + s[:, None] * direction,
                in_flight.time,
                in_flight.weight * two_body[0].br * p_decay,
            )
            label = f"{'mu+' if species > 0 else 'mu-'} DIF (from {name})"
            for nu, kind in ((-14 * sign, "mu"), (12 * sign, "e")):
                out.append(_Emitters(label, nu, muons, michel_energies(kind, len(p), rng), muons.weight))  # type: ignore[arg-type]
    at_rest = result.at_rest
    if decays_at_rest and at_rest.weight.sum() > 0:
        parent_channels(at_rest, f"{name} DAR")
        if species == 211:
            muons = ParentDecays(-13, at_rest.momentum, at_rest.vertex, at_rest.time, at_rest.weight * BR_PI_MUNU)
            for nu, kind in ((-14, "mu"), (12, "e")):
                out.append(_Emitters("mu+ DAR", nu, muons, michel_energies(kind, len(muons), rng), muons.weight))  # type: ignore[arg-type]
    return out


def _summary(picked: list[tuple[str, FloatArray, FloatArray]], bins: FloatArray) -> dict[str, Any]:
    """The per-flavour summary of :func:`neutrino_flux` (same keys and the same sums, in the
    same order), without building per-ray label arrays."""
    energy = np.concatenate([e for _, e, _ in picked]) if picked else np.zeros(0)
    weight = np.concatenate([w for _, _, w in picked]) if picked else np.zeros(0)
    total = float(np.sum(weight))
    hist, _ = np.histogram(energy, bins=bins, weights=weight)
    labels = sorted({label for label, _, _ in picked})
    fractions = {
        label: float(np.sum(np.concatenate([w for lb, _, w in picked if lb == label])) / total) if total > 0 else 0.0
        for label in labels
    }
    return {
        "integrated_per_pot_cm2": total,
        "mean_energy_gev": float(np.sum(weight * energy) / total) if total > 0 else 0.0,
        "energy_bins_gev": [float(b) for b in bins],
        "flux_per_pot_cm2": [float(h) for h in hist],
        "fraction_by_parent": fractions,
    }


def neutrino_flux_at_points(
    beam_name: str,
    points_cm: Sequence[Sequence[float]] | FloatArray,
    energy_bins_gev: Sequence[float] | None = None,
    n: int = 200_000,
    seed: int = 1,
    horn: Literal["+", "-", "off"] = "+",
    decays_at_rest: bool = True,
) -> list[dict[str, dict[str, Any]]]:
    """:func:`neutrino_flux` at several detector points [cm] from ONE set of neutrino emitters.

    The mesons (π⁺, π⁻, K⁺, K⁰_L; ``n`` each) are sampled and transported once, and their decays (and the muons'
    decays) given rest-frame neutrino energies once; each point then only evaluates the ray weights
    (:func:`ray_to_point`), so the points are correlated (they share every random number).
    Returns one ``{flavour: {...}}`` dict per point with the keys of ``neutrino_flux``; at a single point and the
    same ``seed`` the result is identical to ``neutrino_flux`` (same random draws in the same order).
    """
    beam = beams.get(beam_name)
    if beam.kind == "stopped_pion":
        from .production.stopped_pion import stopped_pion_flux_at_points

        return stopped_pion_flux_at_points(beam_name, points_cm, energy_bins_gev, n, seed)
    check_choice("horn", horn, ("+", "-", "off"))
    if n < 100:
        raise ConfigError(f"n = {n} is not allowed; it must be >= 100")
    pts = np.asarray(points_cm, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 3 or len(pts) == 0 or not np.all(np.isfinite(pts)):
        raise ConfigError(f"points_cm = {points_cm!r} is not allowed; give a non-empty list of (x, y, z) in cm")
    bins = np.arange(0.0, 10.0001, 0.05) if energy_bins_gev is None else np.asarray(energy_bins_gev, dtype=float)
    if bins.ndim != 1 or len(bins) < 2 or np.any(np.diff(bins) <= 0) or bins[0] < 0:
        raise ConfigError(f"energy_bins_gev = {energy_bins_gev!r} is not allowed; give >= 2 increasing edges >= 0")
    source = hadron_source(beam)
    rng = np.random.default_rng(seed)
    emitters: list[_Emitters] = []
    for species in (211, -211, 321, 130):
        result = transport(source.sample(species, n, rng), beam, rng, horn=horn)
        emitters.extend(_emitters(species, result, beam, rng, decays_at_rest))
    out: list[dict[str, dict[str, Any]]] = []
    for point in pts:
        rays = [(em, *ray_to_point(em.decays, em.e_star, point)) for em in emitters]
        per_flavour: dict[str, dict[str, Any]] = {}
        for nu, flavour in FLAVOURS.items():
            picked = [(em.label, energy, em.weight * factor) for em, energy, factor in rays if em.nu == nu]
            per_flavour[flavour] = _summary(picked, bins)
        out.append(per_flavour)
    return out


def neutrino_flux(
    beam_name: str = "bnb",
    detector_position_cm: Sequence[float] = (0.0, 0.0, 54100.0),
    energy_bins_gev: Sequence[float] | None = None,
    n: int = 200_000,
    seed: int = 1,
    horn: Literal["+", "-", "off"] = "+",
    decays_at_rest: bool = True,
) -> dict[str, dict[str, Any]]:
    """ν_μ, ν̄_μ, ν_e, ν̄_e flux at a detector point, per POT per cm², from DarkBeam's meson production and transport.

    Args:
        beam_name: catalogue beam; hadrons from :func:`darkbeam.production.beam_source.hadron_source` (Sanford–Wang
            for the BNB's beryllium, shipped Pythia tables for the others; no table → UnknownNameError).
        detector_position_cm: detector point in the beam frame [cm] (MiniBooNE: (0, 0, 54100)).
        energy_bins_gev: bin edges [GeV] (default 0–10 GeV in 50 MeV bins, as the MiniBooNE release).
        n: hadrons sampled per species (π⁺, π⁻, K⁺, K⁰_L).
        seed: seed of the numpy Generator (one seed reproduces the result bit for bit).
        horn: '+', '-' or 'off'.
        decays_at_rest: include π⁺/K⁺ that stop in the absorber or pipe wall and the μ⁺ of stopped π⁺ (ν below
            0.24 GeV; the official BNB flux releases do not include them).

    Returns ``{flavour: {"integrated_per_pot_cm2", "mean_energy_gev", "energy_bins_gev", "flux_per_pot_cm2"
    (per bin, not per GeV), "fraction_by_parent"}}`` for flavours numu, numubar, nue, nuebar. The integral and
    mean include every neutrino (also outside the bins). ``fraction_by_parent`` keys name the source, e.g.
    ``"pi+ DIF"``, ``"K+ DIF"``, ``"mu+ DIF (from pi+)"``, ``"pi+ DAR"``, ``"mu+ DAR"``.
    """
    point = np.asarray(detector_position_cm, dtype=float)
    if point.shape != (3,) or not np.all(np.isfinite(point)):
        raise ConfigError(
            f"detector_position_cm = {detector_position_cm!r} is not allowed; give three finite numbers (cm)"
        )
    return neutrino_flux_at_points(beam_name, point[None, :], energy_bins_gev, n, seed, horn, decays_at_rest)[0]


class FluxSection(BaseModel):
    """The ``[flux]`` section of a run card: where to compute the SM neutrino flux and how finely."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    beam: str = "bnb"
    detector_position_cm: tuple[float, float, float] = (0.0, 0.0, 54100.0)
    #: bin edges [GeV]; default: the facility's own (0–10 GeV in 50 MeV bins for a beam, 0–300 MeV in 1 MeV bins
    #: for a stopped-pion source)
    energy_bins_gev: Annotated[list[Annotated[float, Field(ge=0)]], Field(min_length=2)] | None = None
    n: Annotated[int, Field(ge=100, le=50_000_000)] = 200_000
    seed: int = 1
    horn: Literal["+", "-", "off"] = "+"
    decays_at_rest: bool = True

    @field_validator("energy_bins_gev")
    @classmethod
    def _increasing(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and any(b <= a for a, b in itertools.pairwise(value)):
            raise ValueError("energy_bins_gev must be strictly increasing")
        return value

    @field_validator("beam")
    @classmethod
    def _known_beam(cls, value: str) -> str:
        if value not in beams.names() and not value.endswith(".toml"):
            raise ValueError(f"unknown beam {value!r}; allowed: {', '.join(beams.names())}")
        return value

    def compute(self) -> dict[str, dict[str, Any]]:
        """Run :func:`neutrino_flux` with this section's settings."""
        return neutrino_flux(
            self.beam,
            self.detector_position_cm,
            self.energy_bins_gev,
            self.n,
            self.seed,
            self.horn,
            self.decays_at_rest,
        )


def plot_flux(result: dict[str, dict[str, Any]], title: str = "") -> bytes:
    """PNG (bytes) of the flux per POT per cm² per GeV of each flavour vs energy, log scale."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for flavour, label in (
        ("numu", r"$\nu_\mu$"),
        ("numubar", r"$\bar\nu_\mu$"),
        ("nue", r"$\nu_e$"),
        ("nuebar", r"$\bar\nu_e$"),
    ):
        if flavour not in result:
            continue
        edges = np.asarray(result[flavour]["energy_bins_gev"])
        per_gev = np.asarray(result[flavour]["flux_per_pot_cm2"]) / np.diff(edges)
        if np.any(per_gev > 0):
            ax.stairs(per_gev, edges, label=f"{label} ({result[flavour]['integrated_per_pot_cm2']:.3g} /cm²/POT)")
    ax.set_yscale("log")
    ax.set_xlabel("neutrino energy [GeV]")
    ax.set_ylabel(r"flux [$\nu$ / cm$^2$ / POT / GeV]")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()
