"""Selections as cuts in the run card, applied after a pluggable detector-response stage.

A :class:`SelectionSection` (the card's ``[selection]`` table) states

* the response: start from the catalogue detector's thresholds, resolutions and merging angle
  (``use_detector``), override any of them per particle class (MeV, degrees in the card), and switch energy,
  angle and time smearing and e⁺e⁻ merging on or off;
* the cuts on reconstructed quantities — two-shower invariant mass [GeV], opening angle [deg], visible energy
  [GeV], numbers of showers and tracks — each a closed interval [low, high] (NaN, e.g. the pair mass of an event
  with one shower, fails a cut on it);
* a late-time window (:class:`darkbeam.timing.TimeWindow`) in ns after light-speed arrival from the target at the
  event vertex: Δt = t_event − |x_vertex|/c, with t_event the earliest visible final-state time, smeared by the
  detector's timing resolution, optionally plus the proton's time within the facility's spill
  (:data:`darkbeam.timing.BEAM_TIMING`; MicroBooNE's KDAR window and COHERENT/CCM's prompt/delayed windows, white
  paper arXiv:2207.06898 Table 5).

:func:`apply_response` runs a :class:`ResponseStage` (default :class:`FastResponse`, built from the detector and
the section) on an :class:`~darkbeam.events.EventBatch` and returns a :class:`SelectionResult`: the selected
events with their weights UNCHANGED (a particle below threshold or lost to a per-particle efficiency is dropped
at random, so Σ weight of the selection is the expected selected count), the reconstructed quantities per selected
event, and the weighted cut flow. A user swaps the response by passing any object with a ``reconstruct(batch,
rng) -> ReconstructedEvents`` method and a ``timing_resolution`` attribute.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import ConfigError
from ..events import STATUS_FINAL, EventBatch
from ..timing import TimeWindow, beam_timing, smear_times
from ..units import C_LIGHT
from .merging import ReconstructedEvents, reconstruct
from .smearing import CLASS_NAMES, DetectorResponse, EnergyResolution

__all__ = [
    "FastResponse",
    "ResponseStage",
    "SelectionResult",
    "SelectionSection",
    "apply_response",
    "event_times",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
_KEYS = (*CLASS_NAMES, "shower", "track")
NonNegative = Annotated[float, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResolutionOverride(_Strict):
    """σ_E/E = stochastic/√(E/GeV) ⊕ constant ⊕ noise/(E/GeV) (PDG RPP 2024 Eq. 35.31), fractions."""

    stochastic: NonNegative = 0.0
    constant: NonNegative = 0.0
    noise: NonNegative = 0.0


def _interval(name: str, value: tuple[float, float] | None) -> None:
    if value is not None and not value[0] <= value[1]:
        raise ValueError(f"{name} = {list(value)} is not allowed; give [low, high] with low <= high")


class SelectionSection(_Strict):
    """The ``[selection]`` table of a run card: response settings and cuts (units in the key names)."""

    #: start from the catalogue detector's response (thresholds, resolutions, merging angle, timing)
    use_detector: bool = True
    thresholds_mev: dict[str, NonNegative] = Field(default_factory=dict)
    energy_resolution: dict[str, ResolutionOverride] = Field(default_factory=dict)
    angular_resolution_deg: dict[str, NonNegative] = Field(default_factory=dict)
    smear_energy: bool = True
    smear_angle: bool = True
    smear_time: bool = True
    #: merge two showers closer than this [deg] into one (None: the detector's value); ``merge = false`` disables
    merging_angle_deg: Annotated[float, Field(ge=0, lt=180)] | None = None
    merge: bool = True
    timing_resolution_ns: NonNegative | None = None
    invariant_mass_gev: tuple[float, float] | None = None
    opening_angle_deg: tuple[float, float] | None = None
    visible_energy_gev: tuple[float, float] | None = None
    n_showers: tuple[int, int] | None = None
    n_tracks: tuple[int, int] | None = None
    #: [start, stop) ns after light-speed arrival at the event vertex (stop may be inf: use 1e30 in TOML)
    time_window_ns: tuple[float, float] | None = None
    #: add the proton time within this facility's spill (keys of darkbeam.timing.BEAM_TIMING) before the window
    spill: str | None = None
    source: str = Field("", description="citation for the cuts (paper, section)")

    @model_validator(mode="after")
    def _check(self) -> SelectionSection:
        for table in ("thresholds_mev", "energy_resolution", "angular_resolution_deg"):
            for key in getattr(self, table):
                if key not in _KEYS:
                    raise ValueError(f"{table}: unknown particle class {key!r}; allowed: {', '.join(_KEYS)}")
        for name in ("invariant_mass_gev", "opening_angle_deg", "visible_energy_gev", "n_showers", "n_tracks"):
            _interval(name, getattr(self, name))
        if self.time_window_ns is not None:
            TimeWindow(*self.time_window_ns)  # raises ConfigError on start >= stop
        if self.spill is not None:
            beam_timing(self.spill)
        return self

    def response(self, detector: object | None = None) -> FastResponse:
        """The :class:`FastResponse` this section describes, on top of ``detector``'s catalogue response
        (a :class:`darkbeam.detectors.Detector`; ignored when ``use_detector`` is false or it is None)."""
        from ..detectors import Detector

        base = DetectorResponse()
        if self.use_detector and detector is not None:
            if not isinstance(detector, Detector):
                raise ConfigError(f"detector = {detector!r} is not allowed; give a darkbeam.detectors.Detector")
            base = DetectorResponse.from_detector(detector)
        thresholds = {**base.thresholds, **{k: v * 1e-3 for k, v in self.thresholds_mev.items()}}
        resolutions = {
            **base.energy_resolution,
            **{k: EnergyResolution(v.stochastic, v.constant, v.noise) for k, v in self.energy_resolution.items()},
        }
        angular = {**base.angular_resolution, **{k: math.radians(v) for k, v in self.angular_resolution_deg.items()}}
        merging = base.merging_angle if self.merging_angle_deg is None else math.radians(self.merging_angle_deg)
        timing = base.timing_resolution if self.timing_resolution_ns is None else self.timing_resolution_ns
        return FastResponse(
            DetectorResponse(
                thresholds=thresholds,
                energy_resolution=resolutions if self.smear_energy else {},
                angular_resolution=angular if self.smear_angle else {},
                efficiency=base.efficiency,
                merging_angle=merging if self.merge else None,
                timing_resolution=timing if self.smear_time else 0.0,
            )
        )


@runtime_checkable
class ResponseStage(Protocol):
    """A detector-response parametrisation: reconstructs a batch; ``timing_resolution`` [ns] smears event times."""

    timing_resolution: float

    def reconstruct(self, batch: EventBatch, rng: np.random.Generator) -> ReconstructedEvents:
        """Per-event reconstructed quantities of ``batch`` (see :class:`ReconstructedEvents`)."""
        ...


@dataclass(frozen=True)
class FastResponse:
    """The shipped stage: :func:`darkbeam.response.merging.reconstruct` with a :class:`DetectorResponse`, after
    dropping final-state particles at random with probability 1 − efficiency (weights stay unchanged)."""

    response: DetectorResponse = field(default_factory=DetectorResponse)

    @property
    def timing_resolution(self) -> float:
        return self.response.timing_resolution

    def reconstruct(self, batch: EventBatch, rng: np.random.Generator) -> ReconstructedEvents:
        if self.response.efficiency:
            eff = self.response.efficiency_weight(batch.pdg, batch.momentum)
            lost = (batch.status == STATUS_FINAL) & (rng.random(len(eff)) >= eff)
            if np.any(lost):
                # a lost particle is invisible to the reconstruction: mark it as not final-state
                batch = replace(batch, status=np.where(lost, np.int32(0), batch.status).astype(np.int32))
        return reconstruct(batch, self.response, rng)


def event_times(batch: EventBatch, visible: BoolArray) -> FloatArray:
    """Per-event time [ns] of the earliest visible row (NaN for events without one)."""
    t = np.where(np.asarray(visible, dtype=bool), batch.time, np.inf)
    out = np.full(len(batch), np.inf)
    np.minimum.at(out, batch.event_index, t)
    return np.where(np.isfinite(out), out, np.nan)


def _vertex_distance(batch: EventBatch, visible: BoolArray) -> FloatArray:
    """Per-event distance [cm] from the target (facility origin) to the earliest visible row's vertex."""
    t = np.where(np.asarray(visible, dtype=bool), batch.time, np.inf)
    order = np.lexsort((t, batch.event_index))
    first = np.zeros(len(batch), dtype=np.int64)
    counts = batch.n_particles
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    has = counts > 0
    first[has] = order[starts[has]]
    dist = np.linalg.norm(batch.vertex[first], axis=1) if len(batch.vertex) else np.zeros(len(batch))
    return np.where(has, dist, np.nan)


@dataclass(frozen=True)
class SelectionResult:
    """Selected events (weights unchanged), their reconstructed quantities (arrays over the SELECTED events) and
    the weighted cut flow (Σ weight after each cut, in order, starting with ``"all"``)."""

    events: EventBatch
    reconstructed: Mapping[str, NDArray[np.generic]]
    cutflow: Mapping[str, float]
    mask: BoolArray

    @property
    def efficiency(self) -> float:
        """Σ weight selected / Σ weight in (0 for an empty input)."""
        total = self.cutflow["all"]
        return float(self.events.expected_events / total) if total > 0 else 0.0


def _in(values: NDArray[np.generic], bounds: tuple[float, float] | None) -> BoolArray:
    if bounds is None:
        return np.ones(len(values), dtype=bool)
    v = np.asarray(values, dtype=float)
    return np.asarray((v >= bounds[0]) & (v <= bounds[1]))  # NaN fails


def apply_response(
    events: EventBatch,
    detector: object | None,
    selection: SelectionSection,
    rng: np.random.Generator,
    stage: ResponseStage | None = None,
) -> SelectionResult:
    """Reconstruct ``events`` with ``stage`` (default ``selection.response(detector)``) and apply the cuts.

    Reconstructed quantities per selected event: ``invariant_mass_gev``, ``opening_angle_deg`` (two leading
    visible showers, before merging), ``visible_energy_gev``, ``n_showers`` (after merging), ``n_tracks``,
    ``merged``, ``time_ns`` (earliest visible time, smeared, plus spill time if set) and
    ``time_after_light_ns`` (time_ns − |vertex|/c).
    """
    response = stage if stage is not None else selection.response(detector)
    if not isinstance(response, ResponseStage):
        raise ConfigError(f"stage = {stage!r} is not allowed; it needs reconstruct(batch, rng) and timing_resolution")
    reco = response.reconstruct(events, rng)
    times = event_times(events, reco.visible)
    if response.timing_resolution > 0:
        times = smear_times(times, response.timing_resolution, rng)
    if selection.spill is not None:
        times = times + beam_timing(selection.spill).sample_proton_times(len(events), rng)
    after_light = times - _vertex_distance(events, reco.visible) / C_LIGHT
    quantities: dict[str, NDArray[np.generic]] = {
        "invariant_mass_gev": reco.invariant_mass,
        "opening_angle_deg": np.degrees(reco.opening_angle),
        "visible_energy_gev": reco.visible_energy,
        "n_showers": reco.n_showers,
        "n_tracks": reco.n_tracks,
        "merged": reco.merged,
        "time_ns": times,
        "time_after_light_ns": after_light,
    }
    cuts: list[tuple[str, BoolArray]] = [
        ("visible", np.bincount(events.event_index[reco.visible], minlength=len(events)) > 0),
        ("invariant_mass_gev", _in(reco.invariant_mass, selection.invariant_mass_gev)),
        ("opening_angle_deg", _in(quantities["opening_angle_deg"], selection.opening_angle_deg)),
        ("visible_energy_gev", _in(reco.visible_energy, selection.visible_energy_gev)),
        ("n_showers", _in(reco.n_showers, selection.n_showers)),
        ("n_tracks", _in(reco.n_tracks, selection.n_tracks)),
    ]
    if selection.time_window_ns is not None:
        window = TimeWindow(*selection.time_window_ns)
        cuts.append(("time_window_ns", window.mask(after_light) & np.isfinite(after_light)))
    mask = np.ones(len(events), dtype=bool)
    cutflow = {"all": events.expected_events}
    for name, passed in cuts:
        mask &= passed
        cutflow[name] = float(np.sum(events.weight[mask]))
    return SelectionResult(
        events=events.select(mask),
        reconstructed={k: np.asarray(v)[mask] for k, v in quantities.items()},
        cutflow=cutflow,
        mask=mask,
    )
