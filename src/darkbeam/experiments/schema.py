"""Schema of an experiment entry (a TOML file in ``darkbeam/data/experiments/`` or the user's own).

An experiment is a detector placed in a facility frame, the parent sources that feed it, the exposure (POT) of a
published search, and that search's selection (signal channels, efficiency vs mass) and result (expected
background, observed events, confidence level). Every number in the shipped files carries its source.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PositiveFloat = Annotated[float, Field(gt=0)]
Vector3 = tuple[float, float, float]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BoxSpec(Strict):
    shape: Literal["box"]
    half_lengths_cm: tuple[PositiveFloat, PositiveFloat, PositiveFloat]
    center_cm: Vector3
    #: 3×3 matrix mapping the detector's local axes to the facility frame (rows: facility x, y, z)
    rotation: tuple[Vector3, Vector3, Vector3] | None = None


class CylinderSpec(Strict):
    shape: Literal["cylinder"]
    radius_cm: PositiveFloat
    half_length_cm: PositiveFloat
    center_cm: Vector3
    rotation: tuple[Vector3, Vector3, Vector3] | None = None


class SphereSpec(Strict):
    shape: Literal["sphere"]
    radius_cm: PositiveFloat
    center_cm: Vector3


class FrustumSpec(Strict):
    """Truncated rectangular pyramid along its local z axis (darkbeam.geometry.Frustum): half-widths (x, y) [cm]
    of the upstream (local z = −half_length) and downstream (z = +half_length) faces; centre midway between them."""

    shape: Literal["frustum"]
    half_widths_upstream_cm: tuple[PositiveFloat, PositiveFloat]
    half_widths_downstream_cm: tuple[PositiveFloat, PositiveFloat]
    half_length_cm: PositiveFloat
    center_cm: Vector3
    rotation: tuple[Vector3, Vector3, Vector3] | None = None


SolidSpec = Annotated[BoxSpec | CylinderSpec | SphereSpec | FrustumSpec, Field(discriminator="shape")]


class DetectorSpec(Strict):
    name: str
    solid: SolidSpec
    material: str = ""
    density_g_cm3: PositiveFloat | None = None
    source: str = Field(description="citation for the geometry")


class DetectorRef(Strict):
    """A detector from the catalogue (``darkbeam list detectors``) at one of its catalogued placements."""

    catalogue: str
    placement: str
    #: which catalogued volume is the detector: "active" (default) or "fiducial"
    volume: Literal["active", "fiducial"] = "active"
    #: names of the volume's solids that make up the detector (e.g. ["tpc1", "tpc2", "tpc3"] of ND280's active
    #: volume for a search in its gas TPCs); default: all of them
    components: list[str] | None = Field(None, min_length=1)


class DecayAtRestSpec(Strict):
    kind: Literal["decay_at_rest"]
    parent_pdg: int
    decays_per_pot: PositiveFloat
    center_cm: Vector3
    half_lengths_cm: Vector3 = (0.0, 0.0, 0.0)
    stop_time_ns: float = Field(0.0, ge=0)
    source: str = Field(description="citation for the yield and position")


class BeamSourceSpec(Strict):
    """Parents made by a catalogued beam (``darkbeam list beams``) and transported to their decays."""

    kind: Literal["beam"]
    beam: str
    parent_pdg: int
    horn: Literal["+", "-", "off"] = "+"
    stage: Literal["all", "in_flight", "at_rest"] = "all"
    #: protons on target of the run this source stands for (e.g. the antineutrino-mode run of a search that
    #: combines both horn polarities); default: the search's POT
    pot: PositiveFloat | None = None
    source: str = Field(description="what the source stands for and its validation")


class DumpMesonSourceSpec(Strict):
    """π⁰ or η made by protons stopping in a beam dump, from the Sanford–Wang fits of ``fit_beam``'s Be target
    rescaled to the dump material (darkbeam.models.light_dark_matter.DumpMesonSource)."""

    kind: Literal["dump_meson"]
    beam: str
    parent_pdg: Literal[111, 221]
    fit_beam: str = "bnb"
    a_dependence_alpha: float = Field(0.8, gt=0, le=1)
    source: str = Field(description="what the source stands for and its validation")


class StoppedPionSourceSpec(Strict):
    """Parents at a stopped-pion facility (beam kind "stopped_pion"): 211 π⁺ DAR, -13 μ⁺ DAR, 111 π⁰, -211 π⁻ DIF,
    normalised by the beam file's [stopped_pion] yields (darkbeam.production.stopped_pion.StoppedPionSource)."""

    kind: Literal["stopped_pion"]
    beam: str
    parent_pdg: Literal[211, -13, 111, -211]
    source: str = Field(description="what the source stands for and its validation")


class NtupleSourceSpec(Strict):
    """Parent decays from a user's ntuple (CSV, Parquet or ROOT; docs/parent-ntuples.md). A relative ``path`` is
    resolved against the experiment file's folder (the working directory for an experiment built in Python)."""

    kind: Literal["ntuple"]
    path: str
    parent_pdg: int
    #: protons on target the file represents; omit to read it from the file
    pot: PositiveFloat | None = None
    #: TTree name (ROOT files with more than one tree)
    tree: str | None = None
    source: str = Field(description="what the ntuple stands for (generator, version, settings)")


class ProtonBremsstrahlungSpec(Strict):
    """The interacting beam protons of ``beam`` as parents (PDG 2212) of proton bremsstrahlung p N → p N X
    (darkbeam.production.bremsstrahlung.BeamProtonSource). The cuts bound the region where the quasi-real
    approximation is used: z_min < z < z_max, p_T < ``pt_max_gev``, E_X and E_p − E_X ≥ ``energy_over_mass`` × m_X.
    Defaults: Blümlein & Brunner's region (arXiv:1311.3870, Sec. 2: 0.1 < z < 0.9, p_T < 1 GeV); the yield depends
    strongly on it (state the choice of a published analysis in ``source``)."""

    kind: Literal["proton_bremsstrahlung"]
    beam: str
    z_min: float = Field(0.1, gt=0, lt=1)
    z_max: float = Field(0.9, gt=0, lt=1)
    pt_max_gev: PositiveFloat = 1.0
    energy_over_mass: float = Field(3.0, ge=0)
    source: str = Field(description="what the source stands for and its validation")

    @property
    def parent_pdg(self) -> int:
        return 2212


class PrimakoffSourceSpec(Strict):
    """Photons from π⁰ → γγ and η → γγ of the mesons made in ``beam``'s target, as parents (PDG 22) of Primakoff
    production γ N → a N in that target (material from the beam file; darkbeam.production.primakoff)."""

    kind: Literal["primakoff"]
    beam: str
    mesons: list[Literal[111, 221]] = Field([111, 221], min_length=1)
    source: str = Field(description="what the source stands for and its validation")

    @property
    def parent_pdg(self) -> int:
        return 22


class MesonMixingSourceSpec(Strict):
    """The π⁰, η, η′ made in ``beam``'s target as parents of ALP–meson mixing (gluon-coupled ALPs;
    darkbeam.production.primakoff.MesonMixingSource). Parents carry the ALP's own PDG id."""

    kind: Literal["meson_mixing"]
    beam: str
    mesons: list[Literal[111, 221, 331]] = Field([111, 221, 331], min_length=1)
    source: str = Field(description="what the source stands for and its validation")


class DrellYanSpec(Strict):
    """The interacting beam protons of ``beam`` as parents (PDG 2212) of Drell–Yan q q̄ → A′
    (darkbeam.production.drell_yan.DrellYanSource): σ(pp), σ(pn) and the A′ (x_F, p_T) spectrum from the shipped
    Pythia 8 table (120 and 400 GeV/c beams, 1-6 GeV; valid from 1.5 GeV), σ_pA = Z σ_pp + N σ_pn, per interaction
    A σ_pN/σ_inel(pA) with σ_inel from the catalogue's λ_I. The beam's momentum must be within 5 % of 120 or
    400 GeV/c and its target material one of darkbeam.production.drell_yan.ELEMENTS."""

    kind: Literal["drell_yan"]
    beam: str
    #: factor on the leading-order yield; 1 = LO (default). Measured Drell–Yan over LO: 1.84 ± 0.07 (E866,
    #: darkbeam.production.drell_yan.E866_DATA_OVER_LO); state the choice in ``source``
    k_factor: PositiveFloat = 1.0
    source: str = Field(description="what the source stands for and its validation")

    @property
    def parent_pdg(self) -> int:
        return 2212


SourceSpec = Annotated[
    DecayAtRestSpec
    | BeamSourceSpec
    | DumpMesonSourceSpec
    | StoppedPionSourceSpec
    | NtupleSourceSpec
    | ProtonBremsstrahlungSpec
    | PrimakoffSourceSpec
    | MesonMixingSourceSpec
    | DrellYanSpec,
    Field(discriminator="kind"),
]


class EfficiencySpec(Strict):
    """Signal efficiency vs dark-particle mass, linearly interpolated and held constant outside the points."""

    mass_gev: list[PositiveFloat]
    efficiency: list[Annotated[float, Field(ge=0, le=1)]]
    source: str

    @model_validator(mode="after")
    def _same_length(self) -> EfficiencySpec:
        if len(self.mass_gev) != len(self.efficiency) or not self.mass_gev:
            raise ValueError("mass_gev and efficiency must be non-empty lists of equal length")
        if sorted(self.mass_gev) != self.mass_gev:
            raise ValueError("mass_gev must be increasing")
        return self


class PairSelectionSpec(Strict):
    """Two-track cuts on the visible decay pair (see darkbeam.response.PairSelection)."""

    min_energy_gev: float = Field(ge=0)
    #: threshold on the summed energy of the pair [GeV] (e.g. a calorimeter's shower-energy cut); default none
    min_pair_energy_gev: float = Field(0.0, ge=0)
    min_opening_angle_deg: float = Field(ge=0, lt=180)
    angular_resolution_deg: float = Field(ge=0)
    source: str
    #: require both charged daughters fully contained: the straight track of CSDA range from the decay vertex stays
    #: in the detector (darkbeam.response.containment; μ, π, K, p daughters)
    containment: bool = False
    #: material of the ranges (a name known to darkbeam.response.containment.material, e.g. "LAr", "polystyrene");
    #: default: the detector's material
    containment_material: str | None = None


class ScatteringTargetSpec(Strict):
    """Scattering centres of one kind in the detector medium: electrons, nucleons, or whole nuclei (kind
    "nucleus", coherent χ-nucleus scattering; ``nucleus`` names one of darkbeam.interactions.nuclear's nuclei,
    e.g. "Ar40", and ``density_per_cm3`` counts nuclei)."""

    kind: Literal["electron", "proton", "neutron", "nucleus"]
    density_per_cm3: PositiveFloat
    nucleus: str | None = None
    source: str

    @model_validator(mode="after")
    def _nucleus_named(self) -> ScatteringTargetSpec:
        if (self.kind == "nucleus") != (self.nucleus is not None):
            raise ValueError("nucleus must be given exactly when kind = 'nucleus'")
        return self


class ScatteringSpec(Strict):
    """Selection of a scattering search: targets and the recoil kinetic-energy window (GeV)."""

    targets: list[ScatteringTargetSpec]
    recoil_kinetic_energy_gev: tuple[PositiveFloat, PositiveFloat]
    source: str
    #: optional multiple-hit selection for millicharged particles (darkbeam.interactions.millicharged): at least
    #: ``multi_hit_min_hits`` of ``multi_hit_layers`` layers with >= ``threshold_pe`` photo-electrons, Poisson
    #: mean eps^2 x ``mean_pe_mip`` per layer
    multi_hit_layers: int | None = Field(None, ge=1)
    multi_hit_min_hits: int = Field(2, ge=1)
    mean_pe_mip: PositiveFloat | None = None
    threshold_pe: int = Field(1, ge=1)

    @model_validator(mode="after")
    def _window(self) -> ScatteringSpec:
        lo, hi = self.recoil_kinetic_energy_gev
        if not lo < hi:
            raise ValueError("recoil_kinetic_energy_gev must be (low, high) with low < high")
        if not self.targets:
            raise ValueError("targets must not be empty")
        return self


class TimeWindowSpec(Strict):
    """Arrival-time selection of a decay search: the dark particle reaches the detector between ``start_ns`` and
    ``stop_ns`` after light-speed particles from the target (the neutrinos) would, with the protons spread over the
    facility's spill (darkbeam.timing.BEAM_TIMING; a facility without a shipped spill structure: protons at t = 0).
    E.g. a search for slow particles that opens its window when the spill's neutrinos have passed."""

    start_ns: float
    #: end of the window; default: open
    stop_ns: float | None = None
    #: add the spill length of the facility's beam timing to ``start_ns`` (a window that opens after the whole
    #: spill's neutrinos)
    after_spill: bool = False
    source: str

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindowSpec:
        if self.stop_ns is not None and not self.stop_ns > self.start_ns:
            raise ValueError(f"time_window stop_ns = {self.stop_ns} must be > start_ns = {self.start_ns}")
        return self


class SearchSpec(Strict):
    """A published search's selection and result."""

    reference: str
    pot: PositiveFloat
    channels: dict[str, list[str]] = Field(description="model name → decay channels counted as signal")
    efficiency: EfficiencySpec
    pair_selection: PairSelectionSpec | None = None
    #: arrival-time window of a decay search (darkbeam.scan.grid.signal_efficiency applies it)
    time_window: TimeWindowSpec | None = None
    background: float = Field(ge=0)
    observed: int = Field(ge=0)
    cl: float = Field(gt=0, lt=1)
    #: "bayesian": prior flat in the scanned coupling (darkbeam.stats.bayesian_upper_limit; s ∝ g^(2 coupling_power)
    #: in the long-lifetime regime of a decay search)
    method: Literal["classical", "feldman_cousins", "cls", "bayesian"] = "classical"
    #: "decay" (dark particles decaying in the detector) or "scattering" (dark particles scattering in it)
    signal: Literal["decay", "scattering"] = "decay"
    #: the scattering selection; required when signal = "scattering"
    scattering: ScatteringSpec | None = None
    #: absolute (1σ, Gaussian) uncertainty on the expected background; 0 = known background
    background_uncertainty: float = Field(0.0, ge=0)

    @model_validator(mode="after")
    def _scattering_needs_selection(self) -> SearchSpec:
        if self.signal == "scattering" and self.scattering is None:
            raise ValueError("signal = 'scattering' needs a [search.scattering] table")
        return self


class ExperimentSpec(Strict):
    schema_version: Literal[1] = 1
    name: str
    description: str
    facility: str
    frame: str = Field(description="definition of the facility frame the positions refer to")
    detector: DetectorRef | DetectorSpec
    sources: list[SourceSpec]
    search: SearchSpec
