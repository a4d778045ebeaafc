"""PRISM-style off-axis scans: SM neutrino flux and dark-particle decay rates vs transverse detector position.

DUNE-PRISM moves ND-LAr sideways on rails up to ~30 m off the LBNF beam axis (DUNE ND CDR, arXiv:2103.13910,
Sec. 1.3): at a fixed distance L, a larger off-axis angle θ ≈ x/L selects a narrower, lower-energy neutrino
spectrum, because a pion of energy E_π gives E_ν ≈ 0.43 E_π / (1 + γ²θ²) (two-body decay toward angle θ; e.g.
the off-axis idea of BNL E889, and PDG RPP 2024 "Neutrino beams", Sec. 34.3). :func:`prism_scan` computes, at each
position of :func:`darkbeam.detectors.off_axis_positions`,

* ``quantity="numu_flux"``: the flux integral [ν / cm² / POT] and mean energy [GeV] of each flavour at the
  detector centre, by the "ray to detector" weights of :mod:`darkbeam.neutrinos`. The parent mesons are made
  and transported ONCE; only the (cheap) rays are evaluated per position, so a 16-position scan costs about one
  :func:`darkbeam.neutrinos.neutrino_flux` call. At one position the numbers are bit-identical to
  ``neutrino_flux`` with the same seed (same random-number stream).
* ``quantity="dark"``: the expected number of decays of a dark particle (default: a 300 MeV HNL with
  |U_μ4|² = 10⁻⁸ from K⁺ decays) inside the placed active volume for the placement's POT. The dark particles are
  produced ONCE (parents aimed, where they decay at rest, at a sphere enclosing every position, which keeps the
  estimate unbiased for each) and intersected with each placed solid; the decay probability
  exp(−L₁/λ) − exp(−L₂/λ) and the signal branching ratio are those of :func:`darkbeam.scan.expected_signal`.
* ``quantity="both"``: both.

Beams without a horn focusing model (at the time of writing: LBNF) can only be run with ``horn="off"``;
``horn="auto"`` (default) picks "+" when the beam has a focusing model and "off" otherwise, and says so in the
result (``"horn"``, ``"horn_note"``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from . import beams, detectors, pdg
from .errors import ConfigError, check_choice, check_positive
from .flux import FluxSample, concatenate_flux
from .geometry import Solid, Union, decay_probability
from .interactions.decay import signal_branching_ratio
from .models.base import DarkModel
from .neutrinos import FLAVOURS, neutrino_flux_at_points
from .production import produce
from .production.beam_source import BeamSource

__all__ = [
    "PrismSection",
    "dark_rates_at_positions",
    "neutrino_flux_at_points",
    "plot_prism",
    "prism_scan",
    "resolve_horn",
]

FloatArray = NDArray[np.float64]
Quantity = Literal["numu_flux", "dark", "both"]
HornChoice = Literal["+", "-", "off", "auto"]
DETECTOR_KEY = "detector"


def resolve_horn(beam_name: str, horn: HornChoice) -> tuple[Literal["+", "-", "off"], str]:
    """The horn setting to run with and a note: ``"auto"`` → "+" if ``beam_name`` has a focusing model, else "off"."""
    check_choice("horn", horn, ("+", "-", "off", "auto"))
    if horn != "auto":
        return horn, ""
    spec = beams.get(beam_name)
    if spec.horn is not None and spec.horn.focus_model is not None:
        return "+", ""
    return "off", (
        f"beam {beam_name!r} has no horn focusing model yet; computed with horn = 'off' (unfocused mesons): "
        "absolute rates are those of a horn-off beam"
    )


def _single(solid: Solid) -> Solid:
    return solid.components[0] if isinstance(solid, Union) and len(solid.components) == 1 else solid


def _with_solid(sample: FluxSample, solid: Solid) -> FluxSample:
    """Entry/exit distances of ``sample``'s flight lines through ``solid`` (one key per volume of a Union)."""
    if isinstance(solid, Union) and len(solid.components) > 1:
        pieces = solid.path_segments(sample.vertex, sample.direction)
        return replace(
            sample,
            entry={f"{DETECTOR_KEY}#{k}": e for k, (e, _) in enumerate(pieces)},
            exit={f"{DETECTOR_KEY}#{k}": x for k, (_, x) in enumerate(pieces)},
        )
    entry, exit_ = solid.intersect(sample.vertex, sample.direction)
    return replace(sample, entry={DETECTOR_KEY: entry}, exit={DETECTOR_KEY: exit_})


def _enclosing_sphere(solids: Sequence[Solid]) -> tuple[FloatArray, float]:
    """A sphere [cm] enclosing every solid's bounding sphere (the aim of at-rest parents for all positions)."""
    spheres = [s.bounding_sphere() for s in solids]
    centers = np.array([c for c, _ in spheres])
    radii = np.array([r for _, r in spheres])
    center = 0.5 * (np.min(centers - radii[:, None], axis=0) + np.max(centers + radii[:, None], axis=0))
    return center, float(np.max(np.linalg.norm(centers - center, axis=1) + radii))


def dark_rates_at_positions(
    model: DarkModel,
    beam_name: str,
    solids: Sequence[Solid],
    pot: float,
    *,
    parents: Sequence[int] = (321,),
    horn: Literal["+", "-", "off"] = "+",
    stage: Literal["all", "in_flight", "at_rest"] = "all",
    channels: Sequence[str] | None = None,
    n: int = 200_000,
    seed: int = 1,
) -> dict[str, Any]:
    """Expected decays of ``model`` in each of ``solids`` [facility frame, cm] for ``pot`` protons on target.

    ``n`` decays of each parent species (a :class:`~darkbeam.production.beam_source.BeamSource` of ``beam_name``)
    are made once; the dark particles are intersected with every solid. Per position: expected decays
    Σ_i w_i P_i × BR(channels) × POT (P_i = exp(−L₁/λ) − exp(−L₂/λ), λ = βγcτ; as
    :func:`darkbeam.scan.expected_signal`), its Monte-Carlo error √(Σ (w_i P_i)²) × BR × POT, and the number of
    generated particles crossing the volume. ``channels`` default: every open decay channel.
    """
    check_positive("pot", pot)
    if n < 1:
        raise ConfigError(f"n = {n} is not allowed; it must be >= 1")
    if not solids:
        raise ConfigError("solids must not be empty")
    rng = np.random.default_rng(seed)
    aim = _enclosing_sphere(solids)
    samples = []
    for parent in parents:
        if not model.production_for(parent):
            continue
        decays = BeamSource(beam=beam_name, parent_pdg=parent, horn=horn, stage=stage).sample(n, rng)
        own = getattr(model, "produce", None)
        samples.append(own(decays, rng) if callable(own) else produce(model, decays, rng, aim=aim))
    if not samples:
        names = ", ".join(pdg.name(p) for p in parents)
        raise ConfigError(
            f"parents = [{names}] are not allowed for {model.name} of mass {model.mass} GeV: no open production "
            "channel; choose parents the model can be made from"
        )
    flux = concatenate_flux(samples)
    chosen = list(channels) if channels is not None else list(model.branching_ratios())
    br = signal_branching_ratio(model.with_coupling(flux.reference_coupling), chosen)
    decay_length = flux.beta_gamma * model.with_coupling(flux.reference_coupling).ctau()
    expected, error, crossing = [], [], []
    for solid in solids:
        placed = _with_solid(flux, _single(solid))
        hit = placed.hits(DETECTOR_KEY)
        prob = np.zeros(int(hit.sum()))
        for entry, exit_ in placed.segments(DETECTOR_KEY):
            e, x = entry[hit], exit_[hit]
            inside = np.isfinite(e) & np.isfinite(x)
            prob[inside] += decay_probability(e[inside], x[inside], decay_length[hit][inside])
        contribution = flux.weight[hit] * prob * br * pot
        expected.append(float(contribution.sum()))
        error.append(float(np.sqrt(np.sum(contribution**2))))
        crossing.append(int(hit.sum()))
    return {
        "model": model.name,
        "mass_gev": model.mass,
        "coupling_name": model.coupling_name,
        "coupling": flux.reference_coupling,
        "parents": [pdg.name(p) for p in parents],
        "channels": chosen,
        "signal_branching_ratio": br,
        "pot": pot,
        "n_generated": len(flux),
        "expected_decays": expected,
        "expected_decays_mc_error": error,
        "n_crossing": crossing,
    }


def _default_model() -> DarkModel:
    from .models import HNL

    return HNL(mass=0.3, umu2=1e-8)


def prism_scan(
    detector: str = "dune_nd_lar",
    placement: str | None = None,
    offsets_m: Sequence[float] | FloatArray = tuple(range(0, 31, 2)),
    quantity: Quantity = "numu_flux",
    *,
    beam: str | None = None,
    horn: HornChoice = "auto",
    n: int = 200_000,
    seed: int = 1,
    energy_bins_gev: Sequence[float] | None = None,
    decays_at_rest: bool = True,
    model: DarkModel | None = None,
    parents: Sequence[int] = (321,),
    channels: Sequence[str] | None = None,
    pot: float | None = None,
    n_dark: int | None = None,
) -> dict[str, Any]:
    """Off-axis scan of catalogue ``detector`` at ``placement`` moved sideways by each of ``offsets_m`` [m].

    Args:
        detector: catalogue name (``darkbeam list detectors``) or a detector TOML path.
        placement: base placement (given along the beam); default: the first such placement of the entry.
        offsets_m: transverse offsets along +x [m], each within the placement's ``max_transverse_m``.
        quantity: "numu_flux", "dark" or "both" (see the module docstring).
        beam: catalogue beam; default: the placement's facility.
        horn: "+", "-", "off" or "auto" (see :func:`resolve_horn`).
        n: mesons per species for the neutrino flux (and parent decays for the dark rate unless ``n_dark``).
        seed: seed of the numpy Generator (the flux and dark parts use ``seed`` and ``seed + 1``).
        energy_bins_gev: neutrino energy bin edges [GeV] (default 0–10 GeV in 50 MeV bins).
        decays_at_rest: include neutrinos from decays at rest (as ``neutrino_flux``).
        model: dark model for ``quantity="dark"`` (default: HNL, 0.3 GeV, |U_μ4|² = 1e-8, Majorana).
        parents: parent PDG ids of the dark particle (default K⁺).
        channels: decay channels counted (default: all).
        pot: protons on target for the dark rate (default: the placement's first exposure).
        n_dark: parent decays per species for the dark rate (default ``n``).

    Returns a JSON-serialisable dict: ``detector``, ``placement``, ``beam``, ``horn``, ``horn_note``,
    ``offsets_m``, ``positions_cm``, ``off_axis_angle_mrad``, and ``numu`` (``integrated_per_pot_cm2``,
    ``mean_energy_gev`` lists over positions, ``energy_bins_gev``, ``flux_per_pot_cm2`` per position) plus
    ``flavours`` (all four flavours' integrals and means) and/or ``dark`` (see :func:`dark_rates_at_positions`).
    """
    check_choice("quantity", quantity, ("numu_flux", "dark", "both"))
    det = detectors.get(detector)
    positions = detectors.off_axis_positions(det, offsets_m, base=placement)
    base_name = positions[0].name.split("@")[0]
    facility = positions[0].facility
    beam_name = beam if beam is not None else facility
    horn_used, note = resolve_horn(beam_name, horn)
    offsets = [float(o) for o in np.atleast_1d(np.asarray(offsets_m, dtype=float))]
    result: dict[str, Any] = {
        "detector": det.name,
        "placement": base_name,
        "beam": beam_name,
        "horn": horn_used,
        "horn_note": note,
        "offsets_m": offsets,
        "positions_cm": [list(p.center_cm) for p in positions],
        "off_axis_angle_mrad": [1e3 * p.off_axis_angle_rad for p in positions],
        "quantity": quantity,
    }
    if quantity in ("numu_flux", "both"):
        fluxes = neutrino_flux_at_points(
            beam_name, [p.center_cm for p in positions], energy_bins_gev, n, seed, horn_used, decays_at_rest
        )
        result["numu"] = {
            "integrated_per_pot_cm2": [f["numu"]["integrated_per_pot_cm2"] for f in fluxes],
            "mean_energy_gev": [f["numu"]["mean_energy_gev"] for f in fluxes],
            "energy_bins_gev": fluxes[0]["numu"]["energy_bins_gev"],
            "flux_per_pot_cm2": [f["numu"]["flux_per_pot_cm2"] for f in fluxes],
        }
        result["flavours"] = {
            flavour: {
                "integrated_per_pot_cm2": [f[flavour]["integrated_per_pot_cm2"] for f in fluxes],
                "mean_energy_gev": [f[flavour]["mean_energy_gev"] for f in fluxes],
            }
            for flavour in FLAVOURS.values()
        }
    if quantity in ("dark", "both"):
        run_pot = pot if pot is not None else positions[0].pot
        if run_pot is None:
            raise ConfigError(
                f"pot = None is not allowed: placement {base_name!r} of {det.name!r} lists no exposure; give pot"
            )
        solids = [det.place(p).active for p in positions]
        result["dark"] = dark_rates_at_positions(
            model if model is not None else _default_model(),
            beam_name,
            solids,
            run_pot,
            parents=parents,
            horn=horn_used,
            channels=channels,
            n=n_dark if n_dark is not None else n,
            seed=seed + 1,
        )
    return result


class PrismSection(BaseModel):
    """The ``[prism]`` section of a run card (``darkbeam prism CARD.toml -o DIR``); the dark model, if any, comes
    from the card's ``[model]`` section (name + parameters) and ``prism.mass_gev``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    detector: str = "dune_nd_lar"
    placement: str | None = None
    offsets_m: Annotated[list[Annotated[float, Field(ge=0)]], Field(min_length=1)] = Field(
        default_factory=lambda: [float(x) for x in range(0, 31, 2)]
    )
    quantity: Quantity = "numu_flux"
    beam: str | None = None
    horn: HornChoice = "auto"
    n: Annotated[int, Field(ge=100, le=50_000_000)] = 200_000
    n_dark: Annotated[int, Field(ge=1, le=50_000_000)] | None = None
    seed: int = 1
    energy_bins_gev: Annotated[list[Annotated[float, Field(ge=0)]], Field(min_length=2)] | None = None
    decays_at_rest: bool = True
    mass_gev: Annotated[float, Field(gt=0)] | None = None
    parents: list[int] = Field(default_factory=lambda: [321])
    channels: list[str] | None = None
    pot: Annotated[float, Field(gt=0)] | None = None

    def compute(self, model: DarkModel | None = None) -> dict[str, Any]:
        """Run :func:`prism_scan` with this section's settings (``model`` for the dark quantity)."""
        return prism_scan(
            self.detector,
            self.placement,
            self.offsets_m,
            self.quantity,
            beam=self.beam,
            horn=self.horn,
            n=self.n,
            seed=self.seed,
            energy_bins_gev=self.energy_bins_gev,
            decays_at_rest=self.decays_at_rest,
            model=model,
            parents=self.parents,
            channels=self.channels,
            pot=self.pot,
            n_dark=self.n_dark,
        )


def plot_prism(result: dict[str, Any]) -> bytes:
    """PNG (bytes): rate vs off-axis position — ν_μ flux integral (with mean energy on a second axis) and/or the
    expected dark-particle decays, each vs transverse offset [m]."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [k for k in ("numu", "dark") if k in result]
    if not panels:
        raise ConfigError("result is not allowed: it holds neither 'numu' nor 'dark' (give a prism_scan result)")
    fig, axes = plt.subplots(len(panels), 1, figsize=(6.4, 3.6 * len(panels)), squeeze=False)
    x = np.asarray(result["offsets_m"], dtype=float)
    for ax, key in zip(axes[:, 0], panels, strict=True):
        if key == "numu":
            flux = np.asarray(result["numu"]["integrated_per_pot_cm2"])
            ax.plot(x, flux, "o-", color="C0", label=r"$\nu_\mu$ flux")
            ax.set_ylabel(r"$\nu_\mu$ / cm$^2$ / POT", color="C0")
            ax.set_yscale("log")
            twin = ax.twinx()
            twin.plot(x, result["numu"]["mean_energy_gev"], "s--", color="C1")
            twin.set_ylabel(r"$\langle E_\nu \rangle$ [GeV]", color="C1")
        else:
            dark = result["dark"]
            rate = np.asarray(dark["expected_decays"])
            err = np.asarray(dark["expected_decays_mc_error"])
            ax.errorbar(x, rate, yerr=err, fmt="o-", color="C2")
            ax.set_ylabel(f"{dark['model']} decays ({dark['pot']:.2g} POT)")
            if np.all(rate > 0):
                ax.set_yscale("log")
            ax.set_title(
                f"{dark['model']}, m = {dark['mass_gev']:g} GeV, {dark['coupling_name']} = {dark['coupling']:g}"
            )
        ax.set_xlabel(f"off-axis offset [m] ({result['detector']} at {result['placement']})")
        ax.grid(alpha=0.3)
    title = f"PRISM scan, beam {result['beam']} (horn {result['horn']})"
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()
