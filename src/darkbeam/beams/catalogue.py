"""Beam catalogue schema: one TOML file per facility in ``darkbeam/data/beams/``, validated by pydantic.

Every number is a :class:`Cited` value (``{value = ..., source = "paper/TDR + section/table"}``) so that a
reader can check it. Frame: origin at the upstream face of the target (for dumps: of the dump), z along the
primary proton beam, lengths in cm. Material constants (nuclear interaction length λ_I and radiation length X0)
are the PDG "Atomic and Nuclear Properties of Materials" values (RPP 2024, Table "Atomic and nuclear properties
of materials") in g/cm²; :attr:`MaterialSpec.interaction_length_cm` divides by the density.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

NonEmpty = Annotated[str, Field(min_length=8)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(Strict):
    """A number and where it comes from."""

    value: Annotated[float, Field(gt=0)]
    source: NonEmpty


class MaterialSpec(Strict):
    """A homogeneous material: density and PDG interaction / radiation lengths."""

    name: str
    density_g_cm3: Cited
    interaction_length_g_cm2: Cited
    radiation_length_g_cm2: Cited

    @property
    def interaction_length_cm(self) -> float:
        """Nuclear interaction length λ_I [cm] = (λ_I [g/cm²]) / ρ."""
        return self.interaction_length_g_cm2.value / self.density_g_cm3.value

    @property
    def radiation_length_cm(self) -> float:
        """Radiation length X0 [cm] = (X0 [g/cm²]) / ρ."""
        return self.radiation_length_g_cm2.value / self.density_g_cm3.value


class ProtonSpec(Strict):
    momentum_gev: Cited
    kinetic_energy_gev: Cited


class TargetSpec(Strict):
    """Target (or dump) block: a cylinder of ``radius_cm`` (or half-width) and ``length_cm`` along z."""

    material: MaterialSpec
    length_cm: Cited
    radius_cm: Cited

    @property
    def interaction_lengths(self) -> float:
        """Target length in units of λ_I."""
        return self.length_cm.value / self.material.interaction_length_cm


class FocusModelSpec(Strict):
    """Parameters of DarkBeam's thin-lens horn model (see :mod:`darkbeam.production.transport`)."""

    focus_momentum_gev: Cited
    acceptance_rad: Cited


class HornConductorSpec(Strict):
    """One horn of a field model (:mod:`darkbeam.production.horn`), beam frame [cm].

    ``z_cm``/``inner_radius_cm``: nodes of the inner conductor's outer radius r_in(z) (the field region is
    z_cm[0] ≤ z ≤ z_cm[-1]); ``outer_z_cm``/``outer_radius_cm``: nodes of the outer conductor's inner radius R_out(z).
    Linear interpolation between nodes. ``source``: where the profile and the placement come from.
    """

    name: str
    z_cm: list[float] = Field(min_length=2)
    inner_radius_cm: list[Annotated[float, Field(ge=0)]] = Field(min_length=2)
    outer_z_cm: list[float] = Field(min_length=2)
    outer_radius_cm: list[Annotated[float, Field(gt=0)]] = Field(min_length=2)
    source: NonEmpty

    @model_validator(mode="after")
    def _check_profile(self) -> HornConductorSpec:
        profiles = ((self.z_cm, self.inner_radius_cm, "inner"), (self.outer_z_cm, self.outer_radius_cm, "outer"))
        for zs, rs, what in profiles:
            if len(zs) != len(rs):
                raise ValueError(f"horn {self.name!r}: {what} z and radius lists differ: {len(zs)} vs {len(rs)}")
            if any(b < a for a, b in pairwise(zs)):
                raise ValueError(f"horn {self.name!r}: {what} z nodes must be non-decreasing")
        return self


class FieldModelSpec(Strict):
    """Toroidal-field horn model (:mod:`darkbeam.production.horn`): the horns in beam order, all on the
    ``[horn] current_ka``; ``step_cm``: tracking step Δz."""

    horns: list[HornConductorSpec] = Field(min_length=1)
    step_cm: Annotated[float, Field(gt=0, le=20)] = 2.0
    step_source: NonEmpty = "DarkBeam numerical choice: tracking step of production/horn.py (not a physics input)"
    source: NonEmpty


class HornSpec(Strict):
    """Horn system. ``model`` picks the focusing model used by the transport: "thin_lens" (``focus_model``) or
    "field" (``field_model``); when omitted, "field" if a ``field_model`` is given, else "thin_lens"."""

    polarities: list[Literal["+", "-"]]
    polarity_source: NonEmpty
    n_horns: int = Field(ge=1)
    n_horns_source: NonEmpty
    current_ka: Cited
    focus_model: FocusModelSpec | None = None
    field_model: FieldModelSpec | None = None
    model: Literal["thin_lens", "field"] | None = None
    model_source: str = ""

    @property
    def chosen_model(self) -> Literal["thin_lens", "field"]:
        """The focusing model the transport uses (see the class docstring)."""
        if self.model is not None:
            return self.model
        return "field" if self.field_model is not None else "thin_lens"

    @model_validator(mode="after")
    def _check_model(self) -> HornSpec:
        if self.model == "field" and self.field_model is None:
            raise ValueError("horn.model = 'field' needs a [horn.field_model] table")
        if self.model == "thin_lens" and self.focus_model is None:
            raise ValueError("horn.model = 'thin_lens' needs a [horn.focus_model] table")
        return self


class DecayPipeSpec(Strict):
    start_cm: Annotated[float, Field(ge=0)]
    start_source: NonEmpty
    length_cm: Cited
    radius_cm: Cited


class AbsorberSpec(Strict):
    """Hadron absorber (beam stop): upstream face at ``position_cm`` along z."""

    position_cm: Cited
    material: MaterialSpec


class SpillSpec(Strict):
    spill_length_ns: Cited
    bunch_spacing_ns: Cited | None = None
    bunch_width_ns: Cited | None = None
    repetition_rate_hz: Cited


class StoppedPionYieldSpec(Strict):
    """Pion yields of a stopped-pion facility (``kind = "stopped_pion"``), used by
    :class:`darkbeam.production.stopped_pion.StoppedPionSource`.

    ``pi_plus_dar_per_pot``: π⁺ decays at rest per POT (= ν per flavour per POT); ``pi_minus_to_pi_plus``: π⁻/π⁺
    production ratio r (π⁻ per POT = r × π⁺); ``pi0_per_pot``: π⁰ per POT from a full simulation of the target where
    one is cited (else :class:`~darkbeam.production.stopped_pion.StoppedPionSource` uses the isospin estimate
    (1 + r)/2 × π⁺); ``pi_slope_gev``: slope T₀ of the thermal momentum spectrum d³N/dp³ ∝ exp(−E/T₀) of π⁰ and π⁻;
    ``stopping_time_ns``: slowing-down time.
    """

    pi_plus_dar_per_pot: Cited
    pi_minus_to_pi_plus: Cited
    pi0_per_pot: Cited | None = None
    pi_slope_gev: Cited
    stopping_time_ns: Cited


class BeamSpec(Strict):
    schema_version: Literal[1]
    name: str
    description: str
    kind: Literal["horn", "dump", "stopped_pion"]
    frame: str
    proton: ProtonSpec
    target: TargetSpec
    horn: HornSpec | None = None
    decay_pipe: DecayPipeSpec | None = None
    absorber: AbsorberSpec | None = None
    spill: SpillSpec
    pot_per_year: Cited
    stopped_pion: StoppedPionYieldSpec | None = None
    notes: str = ""
