"""Detector catalogue: detectors in their own frame, placed at facilities, with cited performance numbers.

A detector entry (TOML under ``darkbeam/data/detectors/``, schema :class:`DetectorSpec`) describes

* its **material** (name, composition, density) and its **active** and (where published) **fiducial** volumes as
  unions of solids (boxes, cylinders, spheres, rectangular frustums) in the detector's OWN frame: origin at the
  detector centre, y up, z along the nominal beam direction, x completing a right-handed frame; lengths in cm;
* its **placements**: where the detector sits in a facility's beam frame (origin at the target, z along the primary
  proton beam, y up; cm inside, metres in the files). A placement gives either the position vector, or the distance
  from the target with an off-axis angle and azimuth, or the distance along the beam with a transverse offset
  (DUNE-PRISM style); and a rotation mapping detector axes to beam axes (identity: detector z along the proton
  beam);
* the **exposures** (protons on target) of the main published searches at each placement;
* optionally a **dirt** volume: soil upstream of the detector along its nominal beam, with its own material, for
  events made outside the detector (DarkBeam modelling volume; placed only at the facility it belongs to);
* **performance**: kinetic-energy thresholds per particle class, energy resolution σ/E = a/√E ⊕ b per class,
  angular and timing resolution, and (for Cherenkov detectors) the opening angle below which an e⁺e⁻ pair is
  seen as one shower.

Every number in a shipped file carries a citation: numeric values are ``{value = ..., source = "..."}`` tables
(:class:`Cited`) and solids carry a ``source`` for their dimensions. The shipped catalogue is tested for
mass = volume × density against the cited mass within each entry's stated tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..config.catalogue import TomlCatalogue
from ..errors import ConfigError, UnknownNameError
from ..geometry import Box, Cylinder, Frustum, Solid, Sphere, Union

__all__ = [
    "Cited",
    "Detector",
    "DetectorSpec",
    "PlacedDetector",
    "Placement",
    "get",
    "load",
    "names",
    "off_axis_positions",
    "place_solid",
]

FloatArray = NDArray[np.float64]
PositiveFloat = Annotated[float, Field(gt=0)]
Vector3 = tuple[float, float, float]
Matrix3 = tuple[Vector3, Vector3, Vector3]

#: g/cm³ × cm³ → tonnes
_G_PER_TONNE = 1.0e6
#: particle classes used by thresholds and resolutions (see darkbeam.response.smearing.particle_class)
PARTICLE_CLASSES = (
    "electron",
    "photon",
    "muon",
    "charged_pion",
    "proton",
    "kaon",
    "neutron",
    "nucleus",
    "shower",
    "track",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(_Strict):
    """A number with its source (paper + section/table). The unit is in the field name that holds it."""

    value: float
    source: str = Field(min_length=5)


class CitedVector(_Strict):
    value: Vector3
    source: str = Field(min_length=5)


class SolidEntry(_Strict):
    """One solid in the detector's own frame [cm]. ``rotation`` maps the solid's local axes to the detector frame."""

    name: str
    shape: Literal["box", "cylinder", "sphere", "frustum"]
    half_lengths_cm: tuple[PositiveFloat, PositiveFloat, PositiveFloat] | None = None
    radius_cm: PositiveFloat | None = None
    half_length_cm: PositiveFloat | None = None
    #: frustum: (x, y) half-widths of the upstream (local z = −half_length) and downstream faces
    half_widths_upstream_cm: tuple[PositiveFloat, PositiveFloat] | None = None
    half_widths_downstream_cm: tuple[PositiveFloat, PositiveFloat] | None = None
    center_cm: Vector3 = (0.0, 0.0, 0.0)
    rotation: Matrix3 | None = None
    #: density of this solid's material if it differs from the detector's (e.g. TPC gas next to scintillator)
    density_g_cm3: Cited | None = None
    source: str = Field(min_length=5)

    @model_validator(mode="after")
    def _fields_match_shape(self) -> SolidEntry:
        need = {
            "box": {"half_lengths_cm"},
            "cylinder": {"radius_cm", "half_length_cm"},
            "sphere": {"radius_cm"},
            "frustum": {"half_widths_upstream_cm", "half_widths_downstream_cm", "half_length_cm"},
        }
        fields = (
            "half_lengths_cm",
            "radius_cm",
            "half_length_cm",
            "half_widths_upstream_cm",
            "half_widths_downstream_cm",
        )
        given = {k for k in fields if getattr(self, k) is not None}
        if given != need[self.shape]:
            raise ValueError(f"a {self.shape} needs exactly {sorted(need[self.shape])}; got {sorted(given)}")
        if self.shape == "sphere" and self.rotation is not None:
            raise ValueError("a sphere takes no rotation")
        return self

    def build(self) -> Solid:
        """The solid in the detector frame."""
        rotation = None if self.rotation is None else np.asarray(self.rotation, dtype=float)
        if self.shape == "box":
            assert self.half_lengths_cm is not None
            return Box(half_lengths=self.half_lengths_cm, center=self.center_cm, rotation=rotation)
        if self.shape == "cylinder":
            assert self.radius_cm is not None
            assert self.half_length_cm is not None
            return Cylinder(
                radius=self.radius_cm, half_length=self.half_length_cm, center=self.center_cm, rotation=rotation
            )
        if self.shape == "frustum":
            assert self.half_widths_upstream_cm is not None
            assert self.half_widths_downstream_cm is not None
            assert self.half_length_cm is not None
            return Frustum(
                half_widths_upstream=self.half_widths_upstream_cm,
                half_widths_downstream=self.half_widths_downstream_cm,
                half_length=self.half_length_cm,
                center=self.center_cm,
                rotation=rotation,
            )
        assert self.radius_cm is not None
        return Sphere(radius=self.radius_cm, center=self.center_cm)


class VolumeSpec(_Strict):
    """Active or fiducial volume: a union of disjoint solids, the cited mass and the tolerance of the mass test."""

    solids: list[SolidEntry] = Field(min_length=1)
    #: cited mass [t]; None for empty decay volumes (helium/vacuum), whose mass is irrelevant
    mass_t: Cited | None = None
    mass_tolerance: float = Field(0.05, gt=0, lt=1)
    note: str = Field(min_length=5, description="why the tolerance; how dimensions were obtained")


class MaterialSpec(_Strict):
    name: str
    composition: str
    density_g_cm3: Cited


class DirtSpec(VolumeSpec):
    """Soil upstream of the detector (detector frame, z < 0), for events made outside the detector.

    ``facility`` is the beam along whose line the dirt lies upstream (the detector's nominal beam); at placements
    at other facilities (e.g. MicroBooNE off the NuMI axis) :meth:`Detector.place` leaves the dirt out.
    """

    facility: str
    material: MaterialSpec


class Exposure(_Strict):
    """Protons on target (or protons delivered) of a published search at this placement."""

    search: str
    protons: Cited


class PlacementSpec(_Strict):
    """Where the detector centre sits in a facility's beam frame (origin: target; z: proton beam; y: up).

    Exactly one of: ``position_m``; ``distance_m`` (+ ``off_axis_angle_deg``, ``azimuth_deg``: direction from the
    target); ``along_beam_m`` (+ ``transverse_m``: (x, y) offset from the beam axis). ``rotation`` maps detector
    axes to beam-frame axes (default identity).
    """

    facility: str
    description: str
    position_m: CitedVector | None = None
    distance_m: Cited | None = None
    off_axis_angle_deg: Cited | None = None
    azimuth_deg: float = 0.0
    along_beam_m: Cited | None = None
    transverse_m: tuple[float, float] = (0.0, 0.0)
    max_transverse_m: Cited | None = None
    rotation: Matrix3 | None = None
    exposures: list[Exposure] = Field(default_factory=list)
    source: str = Field(min_length=5, description="source for azimuth/transverse/rotation choices")

    @model_validator(mode="after")
    def _one_mode(self) -> PlacementSpec:
        modes = [self.position_m is not None, self.distance_m is not None, self.along_beam_m is not None]
        if sum(modes) != 1:
            raise ValueError("give exactly one of position_m, distance_m (+ off_axis_angle_deg), along_beam_m")
        if self.off_axis_angle_deg is not None and self.distance_m is None:
            raise ValueError("off_axis_angle_deg needs distance_m")
        if self.distance_m is not None and self.distance_m.value <= 0:
            raise ValueError(f"distance_m = {self.distance_m.value} must be > 0")
        return self


class ResolutionSpec(_Strict):
    """σ_E/E = stochastic/√(E/GeV) ⊕ constant (fractions; E the kinetic energy of the class)."""

    stochastic: Cited
    constant: Cited


class DetectorSpec(_Strict):
    schema_version: Literal[1] = 1
    name: str
    description: str
    technology: str
    material: MaterialSpec
    active: VolumeSpec
    fiducial: VolumeSpec | None = None
    dirt: DirtSpec | None = None
    placements: dict[str, PlacementSpec] = Field(min_length=1)
    thresholds_mev: dict[str, Cited] = Field(default_factory=dict, description="kinetic-energy thresholds")
    energy_resolution: dict[str, ResolutionSpec] = Field(default_factory=dict)
    angular_resolution_deg: dict[str, Cited] = Field(default_factory=dict)
    timing_resolution_ns: Cited | None = None
    merging_angle_deg: Cited | None = None

    @model_validator(mode="after")
    def _known_classes(self) -> DetectorSpec:
        for table in ("thresholds_mev", "energy_resolution", "angular_resolution_deg"):
            for key in getattr(self, table):
                if key not in PARTICLE_CLASSES:
                    raise ValueError(f"{table}: unknown particle class {key!r}; allowed: {', '.join(PARTICLE_CLASSES)}")
        return self


# --- placement of solids ----------------------------------------------------------------------------------------
def place_solid(solid: Solid, rotation: FloatArray, translation: FloatArray) -> Solid:
    """The solid moved by x → R x + t (``rotation`` R (3, 3), ``translation`` t (3,) [cm]); unions recursively."""
    r = np.asarray(rotation, dtype=float)
    t = np.asarray(translation, dtype=float)
    if isinstance(solid, Union):
        return Union(*(place_solid(c, r, t) for c in solid.components))
    if isinstance(solid, Sphere):
        return Sphere(radius=solid.radius, center=tuple(r @ np.asarray(solid.center) + t))
    if isinstance(solid, Box):
        return Box(
            half_lengths=solid.half_lengths,
            center=tuple(r @ np.asarray(solid.center) + t),
            rotation=r @ solid.rotation_matrix,
        )
    if isinstance(solid, Cylinder):
        return Cylinder(
            radius=solid.radius,
            half_length=solid.half_length,
            center=tuple(r @ np.asarray(solid.center) + t),
            rotation=r @ solid.rotation_matrix,
        )
    if isinstance(solid, Frustum):
        return Frustum(
            half_widths_upstream=solid.half_widths_upstream,
            half_widths_downstream=solid.half_widths_downstream,
            half_length=solid.half_length,
            center=tuple(r @ np.asarray(solid.center) + t),
            rotation=r @ solid.rotation_matrix,
        )
    raise ConfigError(f"solid = {solid!r} is not allowed; place_solid handles Box, Cylinder, Sphere, Frustum and Union")


@dataclass(frozen=True)
class Placement:
    """A resolved placement: detector centre [cm] and detector→beam rotation in ``facility``'s beam frame."""

    name: str
    facility: str
    center_cm: tuple[float, float, float]
    rotation: tuple[Vector3, Vector3, Vector3]
    exposures: tuple[Exposure, ...] = ()
    description: str = ""

    @property
    def distance_cm(self) -> float:
        """Distance from the target (beam-frame origin) to the detector centre [cm]."""
        return float(np.linalg.norm(self.center_cm))

    @property
    def off_axis_angle_rad(self) -> float:
        """Angle between the proton beam (z) and the line target → detector centre [rad]."""
        x, y, z = self.center_cm
        return math.atan2(math.hypot(x, y), z)

    @property
    def pot(self) -> float | None:
        """Protons on target of the first listed search, or None."""
        return self.exposures[0].protons.value if self.exposures else None


def _resolve(name: str, spec: PlacementSpec) -> Placement:
    if spec.position_m is not None:
        center = np.asarray(spec.position_m.value) * 100.0
    elif spec.distance_m is not None:
        theta = math.radians(spec.off_axis_angle_deg.value if spec.off_axis_angle_deg else 0.0)
        phi = math.radians(spec.azimuth_deg)
        d = spec.distance_m.value * 100.0
        center = d * np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta)])
    else:
        assert spec.along_beam_m is not None
        center = np.array([spec.transverse_m[0], spec.transverse_m[1], spec.along_beam_m.value]) * 100.0
    rot = np.eye(3) if spec.rotation is None else np.asarray(spec.rotation, dtype=float)
    return Placement(
        name=name,
        facility=spec.facility,
        center_cm=(float(center[0]), float(center[1]), float(center[2])),
        rotation=tuple((float(a), float(b), float(c)) for a, b, c in rot),  # type: ignore[arg-type]
        exposures=tuple(spec.exposures),
        description=spec.description,
    )


@dataclass(frozen=True)
class PlacedDetector:
    """A detector's active (and fiducial) volume in a facility's beam frame [cm]."""

    detector: Detector
    placement: Placement
    active: Solid
    fiducial: Solid | None
    #: upstream soil volume where the entry has one and the placement is at its facility, else None
    dirt: Solid | None = None


@dataclass(frozen=True)
class Detector:
    """A validated catalogue entry; solids are built in the detector frame and placed on demand."""

    spec: DetectorSpec

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def density_g_cm3(self) -> float:
        return self.spec.material.density_g_cm3.value

    def active_solid(self) -> Solid:
        """The active volume in the detector frame (a Union of the listed solids)."""
        return Union(*(s.build() for s in self.spec.active.solids))

    def fiducial_solid(self) -> Solid | None:
        """The fiducial volume in the detector frame, or None where no fiducial volume is catalogued."""
        fid = self.spec.fiducial
        return None if fid is None else Union(*(s.build() for s in fid.solids))

    def dirt_solid(self) -> Solid | None:
        """The upstream dirt volume in the detector frame, or None where the entry has none."""
        dirt = self.spec.dirt
        return None if dirt is None else Union(*(s.build() for s in dirt.solids))

    def _mass_t(self, volume: VolumeSpec, density_g_cm3: float | None = None) -> float:
        default = self.density_g_cm3 if density_g_cm3 is None else density_g_cm3
        total = 0.0
        for s in volume.solids:
            rho = s.density_g_cm3.value if s.density_g_cm3 is not None else default
            total += s.build().volume * rho
        return total / _G_PER_TONNE

    def active_mass_t(self) -> float:
        """Σ volume [cm³] × density [g/cm³] over the active solids, in tonnes."""
        return self._mass_t(self.spec.active)

    def fiducial_mass_t(self) -> float | None:
        """Σ volume × density over the fiducial solids in tonnes (None without a fiducial volume)."""
        return None if self.spec.fiducial is None else self._mass_t(self.spec.fiducial)

    def dirt_mass_t(self) -> float | None:
        """Σ volume × dirt density over the dirt solids in tonnes (None without a dirt volume)."""
        dirt = self.spec.dirt
        return None if dirt is None else self._mass_t(dirt, dirt.material.density_g_cm3.value)

    @property
    def placements(self) -> dict[str, Placement]:
        """All catalogued placements, resolved to centre [cm] and rotation."""
        return {k: _resolve(k, v) for k, v in self.spec.placements.items()}

    def placement(self, name: str) -> Placement:
        """The catalogued placement ``name``."""
        if name not in self.spec.placements:
            raise UnknownNameError(f"placement of detector {self.name!r}", name, self.spec.placements)
        return _resolve(name, self.spec.placements[name])

    def place(self, placement: str | Placement) -> PlacedDetector:
        """Active, fiducial and (at its facility) dirt solids in the placement's beam frame: x_beam = R x_det + c."""
        pl = self.placement(placement) if isinstance(placement, str) else placement
        r = np.asarray(pl.rotation, dtype=float)
        t = np.asarray(pl.center_cm, dtype=float)
        fid = self.fiducial_solid()
        dirt_spec = self.spec.dirt
        dirt = self.dirt_solid() if dirt_spec is not None and dirt_spec.facility == pl.facility else None
        return PlacedDetector(
            detector=self,
            placement=pl,
            active=place_solid(self.active_solid(), r, t),
            fiducial=None if fid is None else place_solid(fid, r, t),
            dirt=None if dirt is None else place_solid(dirt, r, t),
        )

    def threshold_gev(self, particle_class: str) -> float | None:
        """Kinetic-energy threshold [GeV] for ``particle_class``, or None if the entry gives none."""
        cited = self.spec.thresholds_mev.get(particle_class)
        return None if cited is None else cited.value * 1e-3


def off_axis_positions(
    detector: Detector, offsets_m: Sequence[float] | FloatArray, base: str | None = None
) -> list[Placement]:
    """PRISM-style placements: the ``base`` placement moved by each transverse offset [m] along +x (beam frame).

    The detector keeps its orientation (DUNE-PRISM moves ND-LAr sideways on rails, DUNE ND CDR arXiv:2103.13910
    Sec. 1.3). ``base`` defaults to the first placement given with ``along_beam_m``. Offsets beyond the placement's
    ``max_transverse_m`` (where catalogued) or negative raise :class:`ConfigError`.
    """
    candidates = [k for k, v in detector.spec.placements.items() if v.along_beam_m is not None]
    name = base if base is not None else (candidates[0] if candidates else None)
    if name is None or name not in detector.spec.placements:
        raise ConfigError(
            f"base = {base!r} is not allowed for detector {detector.name!r}; "
            f"placements given along the beam: {', '.join(candidates) or 'none'}"
        )
    spec = detector.spec.placements[name]
    if spec.along_beam_m is None:
        raise ConfigError(f"base = {name!r} is not allowed; off-axis scans need a placement given by along_beam_m")
    offsets = np.atleast_1d(np.asarray(offsets_m, dtype=float))
    limit = spec.max_transverse_m.value if spec.max_transverse_m is not None else math.inf
    bad = ~np.isfinite(offsets) | (offsets < 0) | (offsets > limit)
    if np.any(bad):
        raise ConfigError(f"offsets_m = {offsets[bad].tolist()} are not allowed; they must lie in [0, {limit}] m")
    base_placement = _resolve(name, spec)
    out = []
    for off in offsets:
        x0, y0, z0 = base_placement.center_cm
        out.append(replace(base_placement, name=f"{name}@{off:g}m", center_cm=(x0 + float(off) * 100.0, y0, z0)))
    return out


# --- catalogue access -------------------------------------------------------------------------------------------
_CATALOGUE = TomlCatalogue("detector", "detectors", DetectorSpec, Detector)


def names() -> list[str]:
    """Names of the shipped detectors."""
    return _CATALOGUE.names()


def load(path: str | Path) -> Detector:
    """Read a user's detector file (same schema as the shipped ones)."""
    return _CATALOGUE.load(path)


def get(name: str) -> Detector:
    """The catalogue entry ``name`` (see :func:`names`), or a path to a user's detector TOML file."""
    return _CATALOGUE.get(name)
