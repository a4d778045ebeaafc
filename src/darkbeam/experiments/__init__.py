"""Experiment catalogue: detectors placed at facilities, with the sources that feed them and published searches.

``darkbeam.experiments.get(name)`` returns an :class:`Experiment`; ``names()`` lists the catalogue (the TOML
files shipped in ``darkbeam/data/experiments``); ``load(path)`` reads a user's own experiment file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .. import detectors
from ..config.catalogue import TomlCatalogue
from ..errors import ConfigError, UnknownNameError
from ..geometry import Box, Cylinder, Frustum, Solid, Sphere, Union
from ..production import DecayAtRestSource, ParentSource
from ..production.beam_source import BeamSource
from ..production.parents import ScaledSource
from ..response import PairSelection, containment
from .schema import (
    BeamSourceSpec,
    DetectorSpec,
    DrellYanSpec,
    DumpMesonSourceSpec,
    ExperimentSpec,
    MesonMixingSourceSpec,
    NtupleSourceSpec,
    PrimakoffSourceSpec,
    ProtonBremsstrahlungSpec,
    SolidSpec,
    StoppedPionSourceSpec,
)

__all__ = ["Experiment", "ExperimentSpec", "get", "load", "names"]


def _solid(spec: SolidSpec) -> Solid:
    if spec.shape == "box":
        rotation = None if spec.rotation is None else np.asarray(spec.rotation)
        return Box(half_lengths=spec.half_lengths_cm, center=spec.center_cm, rotation=rotation)
    if spec.shape == "cylinder":
        rotation = None if spec.rotation is None else np.asarray(spec.rotation)
        return Cylinder(
            radius=spec.radius_cm, half_length=spec.half_length_cm, center=spec.center_cm, rotation=rotation
        )
    if spec.shape == "frustum":
        rotation = None if spec.rotation is None else np.asarray(spec.rotation)
        return Frustum(
            half_widths_upstream=spec.half_widths_upstream_cm,
            half_widths_downstream=spec.half_widths_downstream_cm,
            half_length=spec.half_length_cm,
            center=spec.center_cm,
            rotation=rotation,
        )
    return Sphere(radius=spec.radius_cm, center=spec.center_cm)


@dataclass(frozen=True)
class Experiment:
    """A validated experiment entry with its geometry and sources built.

    ``base_dir``: folder of the experiment file (set by :func:`load`), against which relative ntuple paths are
    resolved; ``None`` (shipped entries, specs built in Python) resolves them against the working directory."""

    spec: ExperimentSpec
    base_dir: Path | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def solid(self) -> Solid:
        """The detector's active volume in the facility frame [cm]."""
        detector = self.spec.detector
        if isinstance(detector, DetectorSpec):
            return _solid(detector.solid)
        placed = detectors.get(detector.catalogue).place(detector.placement)
        if placed.placement.facility != self.spec.facility:
            raise ConfigError(
                f"experiment {self.name!r}: detector placement {detector.placement!r} is at facility "
                f"{placed.placement.facility!r}, but the experiment's facility is {self.spec.facility!r}"
            )
        active = placed.active
        volume_spec = placed.detector.spec.active
        if detector.volume == "fiducial":
            if placed.fiducial is None or placed.detector.spec.fiducial is None:
                raise ConfigError(
                    f"experiment {self.name!r}: detector.volume = 'fiducial' is not allowed for "
                    f"{detector.catalogue!r}, which has no catalogued fiducial volume; allowed: 'active'"
                )
            active = placed.fiducial
            volume_spec = placed.detector.spec.fiducial
        if detector.components is not None:
            names = [solid.name for solid in volume_spec.solids]
            for name in detector.components:
                if name not in names:
                    raise UnknownNameError(f"detector.components of experiment {self.name!r}", name, names)
            pieces = active.components if isinstance(active, Union) else (active,)
            active = Union(*(pieces[names.index(name)] for name in detector.components))
        if isinstance(active, Union) and len(active.components) == 1:
            return active.components[0]
        return active

    @property
    def pot(self) -> float:
        """Protons on target of the published search."""
        return self.spec.search.pot

    def sources(self) -> list[ParentSource]:
        """Parent sources feeding the detector."""
        built: list[ParentSource] = []
        for s in self.spec.sources:
            if isinstance(s, BeamSourceSpec):
                beam_source = BeamSource(beam=s.beam, parent_pdg=s.parent_pdg, horn=s.horn, stage=s.stage)
                built.append(beam_source if s.pot is None else ScaledSource(beam_source, s.pot / self.pot))
            elif isinstance(s, StoppedPionSourceSpec):
                from ..production.stopped_pion import StoppedPionSource

                built.append(StoppedPionSource(beam=s.beam, parent_pdg=s.parent_pdg))
            elif isinstance(s, NtupleSourceSpec):
                from ..production.ntuple import NtupleSource

                path = Path(s.path)
                if not path.is_absolute() and self.base_dir is not None:
                    path = self.base_dir / path
                built.append(NtupleSource(path=path, pot=s.pot, parent_pdg=s.parent_pdg, tree=s.tree))
            elif isinstance(s, ProtonBremsstrahlungSpec):
                from ..production.bremsstrahlung import BeamProtonSource, BremsstrahlungCuts

                cuts = BremsstrahlungCuts(s.z_min, s.z_max, s.pt_max_gev, s.energy_over_mass)
                built.append(BeamProtonSource(beam=s.beam, cuts=cuts))
            elif isinstance(s, PrimakoffSourceSpec):
                from ..production.primakoff import PrimakoffPhotonSource

                built.append(PrimakoffPhotonSource(beam=s.beam, mesons=tuple(s.mesons)))
            elif isinstance(s, DrellYanSpec):
                from ..production.drell_yan import DrellYanSource

                built.append(DrellYanSource(beam=s.beam, k_factor=s.k_factor))
            elif isinstance(s, MesonMixingSourceSpec):
                from ..production.primakoff import MesonMixingSource

                built.append(MesonMixingSource(beam=s.beam, mesons=tuple(s.mesons)))
            elif isinstance(s, DumpMesonSourceSpec):
                from ..models.light_dark_matter import DumpMesonSource

                built.append(
                    DumpMesonSource(
                        parent_pdg=s.parent_pdg, beam=s.beam, fit_beam=s.fit_beam, alpha=s.a_dependence_alpha
                    )
                )
            else:
                built.append(
                    DecayAtRestSource(
                        parent_pdg=s.parent_pdg,
                        decays_per_pot=s.decays_per_pot,
                        center=np.asarray(s.center_cm),
                        half_lengths=np.asarray(s.half_lengths_cm),
                        stop_time=s.stop_time_ns,
                    )
                )
        return built

    def efficiency(self, mass: float | NDArray[np.float64]) -> NDArray[np.float64]:
        """Tabulated selection efficiency at dark-particle ``mass`` [GeV] (interpolated, flat outside the table).

        Where the search also states two-track cuts, the full efficiency is this times the pair acceptance of the
        model's decays (see :func:`darkbeam.scan.signal_efficiency`)."""
        table = self.spec.search.efficiency
        return np.asarray(np.interp(mass, table.mass_gev, table.efficiency))

    def pair_selection(self) -> PairSelection | None:
        """The search's two-track cuts, if it states them."""
        spec = self.spec.search.pair_selection
        if spec is None:
            return None
        selection = PairSelection(
            min_energy=spec.min_energy_gev,
            min_pair_energy=spec.min_pair_energy_gev,
            min_opening_angle=float(np.radians(spec.min_opening_angle_deg)),
            angular_resolution=float(np.radians(spec.angular_resolution_deg)),
        )
        if not spec.containment:
            return selection
        name = spec.containment_material or self._detector_material()
        if not name:
            raise ConfigError(
                f"search.pair_selection.containment of experiment {self.name!r} needs a material: set "
                f"search.pair_selection.containment_material (allowed: {', '.join(sorted(containment.ALIASES))})"
            )
        containment.material(name)  # unknown names fail here, naming the allowed ones
        return replace(selection, containment=True, material=name)

    def _detector_material(self) -> str:
        detector = self.spec.detector
        if isinstance(detector, DetectorSpec):
            return detector.material
        return detectors.get(detector.catalogue).spec.material.name

    def signal_channels(self, model: str) -> list[str]:
        """Decay channels of ``model`` the search counts as signal."""
        channels = self.spec.search.channels
        if model not in channels:
            raise UnknownNameError(f"model for experiment {self.name!r}", model, channels)
        return channels[model]


_CATALOGUE = TomlCatalogue("experiment", "experiments", ExperimentSpec, Experiment)


def names() -> list[str]:
    """Names of the shipped experiments."""
    return _CATALOGUE.names()


def load(path: str | Path) -> Experiment:
    """Read an experiment file (same schema as the shipped ones); relative ntuple paths in it are resolved
    against the file's folder."""
    return replace(_CATALOGUE.load(path), base_dir=Path(path).parent)


def get(name: str) -> Experiment:
    """The catalogue entry ``name`` (see :func:`names`), or a path to a user's experiment TOML file."""
    if name.endswith(".toml"):
        return load(name)
    return _CATALOGUE.get(name)
