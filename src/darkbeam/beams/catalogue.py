"""Beam catalogue schema: one TOML file per facility in ``darkbeam/data/beams/``, validated by pydantic.

Every number is a :class:`Cited` value (``{value = ..., source = "paper/TDR + section/table"}``) so that a
reader can check it. Frame: origin at the upstream face of the target (for dumps: of the dump), z along the
primary proton beam, lengths in cm. Material constants (nuclear interaction length λ_I and radiation length X0)
are the PDG "Atomic and Nuclear Properties of Materials" values (RPP 2024, Table "Atomic and nuclear properties
of materials") in g/cm²; :attr:`MaterialSpec.interaction_length_cm` divides by the density.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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


class HornSpec(Strict):
    polarities: list[Literal["+", "-"]]
    polarity_source: NonEmpty
    n_horns: int = Field(ge=1)
    n_horns_source: NonEmpty
    current_ka: Cited
    focus_model: FocusModelSpec | None = None


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
