"""The public pipeline: model + experiment → flux → events (``simulate``), built from the stage packages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from . import pdg
from ._version import __version__
from .errors import ConfigError, KinematicsError, check_positive
from .events import EventBatch
from .experiments import Experiment
from .experiments import get as get_experiment
from .flux import FluxSample, concatenate_flux
from .geometry import Solid, Union
from .interactions import decay_events
from .models.base import MODELS, DarkModel
from .production import produce

DETECTOR = "detector"
"""Key of the experiment's detector in :attr:`FluxSample.entry` / ``exit``."""


def build_model(name: str, mass: float, parameters: Mapping[str, Any] | None = None) -> DarkModel:
    """Instantiate the registered model ``name`` at ``mass`` [GeV] with constructor ``parameters``."""
    cls = MODELS[name]
    try:
        return cls(mass=mass, **dict(parameters or {}))  # type: ignore[call-arg]
    except TypeError as err:
        raise ConfigError(f"model.parameters for {name!r} are not accepted: {err}") from None


def resolve_experiment(experiment: Experiment | str) -> Experiment:
    return experiment if isinstance(experiment, Experiment) else get_experiment(experiment)


def make_flux(model: DarkModel, experiment: Experiment, n: int, rng: np.random.Generator) -> FluxSample:
    """``n`` dark particles per (source, production channel) toward the experiment's detector, with the ray's
    entry and exit distances in the detector. Weights: dark particles per POT at the model's coupling."""
    solid = experiment.solid
    aim = solid.bounding_sphere()
    samples = []
    for source in experiment.sources():
        if not model.production_for(source.parent_pdg):
            continue
        # a model with its own production chain (e.g. P → γ A′, A′ → χχ̄) provides produce(parents, rng)
        own = getattr(model, "produce", None)
        parents = source.sample(n, rng)
        sample = own(parents, rng) if callable(own) else produce(model, parents, rng, aim=aim)
        samples.append(with_detector(sample, solid))
    if not samples:
        names = ", ".join(pdg.name(s.parent_pdg) for s in experiment.sources())
        raise KinematicsError(
            f"mass {model.mass} GeV: {model.name} cannot be made by the sources of {experiment.name!r} ({names}); "
            "the production channels are closed at this mass"
        )
    return concatenate_flux(samples)


def with_detector(sample: FluxSample, solid: Solid) -> FluxSample:
    """``sample`` with the entry/exit distances of its flight lines through ``solid`` (per volume for a Union of
    several solids, under keys ``DETECTOR#k``; see :meth:`FluxSample.segments`)."""
    if isinstance(solid, Union) and len(solid.components) > 1:
        pieces = solid.path_segments(sample.vertex, sample.direction)
        entries = {f"{DETECTOR}#{k}": e for k, (e, _) in enumerate(pieces)}
        exits = {f"{DETECTOR}#{k}": x for k, (_, x) in enumerate(pieces)}
        return replace(sample, entry=entries, exit=exits)
    entry, exit_ = solid.intersect(sample.vertex, sample.direction)
    return replace(sample, entry={DETECTOR: entry}, exit={DETECTOR: exit_})


def provenance(card_text: str = "", seed: int | None = None, **extra: Any) -> dict[str, str]:
    """What travels into every output file: the run card, versions and seed."""
    import particle
    import scipy

    info = {
        "darkbeam_version": __version__,
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "particle_version": particle.__version__,
        "run_card": card_text,
    }
    if seed is not None:
        info["seed"] = str(seed)
    info.update({k: str(v) for k, v in extra.items()})
    return info


def simulate(
    model: DarkModel,
    experiment: Experiment | str,
    *,
    pot: float | None = None,
    n: int = 10_000,
    seed: int = 12345,
    channels: list[str] | None = None,
    batch_size: int = 100_000,
    run_card: str = "",
) -> EventBatch:
    """Generate ``n`` weighted events of ``model`` decaying inside ``experiment``'s detector.

    Σ weight is the expected number of decays into ``channels`` (default: the search's signal channels) inside
    the detector for ``pot`` protons on target (default: the search's POT), before selection efficiency.
    Flux is generated in batches of ``batch_size`` until ``n`` particles cross the detector; the first ``n`` are
    kept and the weights rescaled by (entries generated)/(entries consumed), which is unbiased because the
    entries of a batch are shuffled first.
    """
    experiment = resolve_experiment(experiment)
    pot = experiment.pot if pot is None else check_positive("pot", pot)
    check_positive("n", n)
    channels = channels or experiment.signal_channels(model.name)
    rng = np.random.default_rng(seed)
    collected: list[FluxSample] = []
    n_hits = 0
    entries_per_batch = 0
    while n_hits < n:
        flux = make_flux(model, experiment, batch_size, rng)
        entries_per_batch = len(flux)
        flux = _take(flux, rng.permutation(len(flux)))
        cumulative = np.cumsum(flux.hits(DETECTOR))
        if cumulative[-1] >= n - n_hits:
            flux = _take(flux, np.arange(int(np.searchsorted(cumulative, n - n_hits)) + 1))
        collected.append(flux)
        n_hits += int(cumulative[len(flux) - 1])
        if len(collected) >= 1000 and n_hits == 0:
            raise KinematicsError(f"no {model.name} of mass {model.mass} GeV reaches {experiment.name!r}")
    flux = concatenate_flux(collected)
    # a full batch's weights sum to the yield; the m consumed entries estimate it as (entries per batch / m) Σ w
    flux = replace(flux, weight=flux.weight * entries_per_batch / len(flux))
    info = provenance(
        run_card,
        seed,
        model=model.name,
        mass_gev=model.mass,
        coupling=model.coupling,
        experiment=experiment.name,
        pot=pot,
    )
    return decay_events(flux, model, DETECTOR, channels, pot, rng, info)


def _take(flux: FluxSample, index: np.ndarray) -> FluxSample:
    """The entries ``index`` of ``flux`` (weights unchanged)."""
    return replace(
        flux,
        momentum=flux.momentum[index],
        vertex=flux.vertex[index],
        time=flux.time[index],
        parent_pdg=flux.parent_pdg[index],
        parent_momentum=flux.parent_momentum[index],
        weight=flux.weight[index],
        companion_pdg=None if flux.companion_pdg is None else flux.companion_pdg[index],
        polarisation=None if flux.polarisation is None else flux.polarisation[index],
        antiparticle=None if flux.antiparticle is None else flux.antiparticle[index],
        entry={k: v[index] for k, v in flux.entry.items()},
        exit={k: v[index] for k, v in flux.exit.items()},
    )
