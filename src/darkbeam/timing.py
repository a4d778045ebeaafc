"""Beam time structure, time of flight and time-window selections (times in ns, lengths in cm).

Facilities deliver protons in spills made of bunches (:class:`BeamTiming`): ``n_bunches`` bunches ``spacing`` ns
apart, each with a Gaussian time profile of full width at half maximum ``bunch_fwhm`` (σ = FWHM / (2√(2 ln 2))).
A single-pulse source (SNS, Lujan) is one "bunch" with the pulse's FWHM. The shipped parameters
(:data:`BEAM_TIMING`) carry their sources; a user passes their own :class:`BeamTiming` for anything else.

Time of flight: a particle of speed βc covers a distance L in L/(βc); relative to a neutrino (β = 1) it arrives
later by Δt = (L/c)(1/β − 1) (:func:`delay_vs_light`), computed from momentum and mass as
Δt = (L/c) m²/(p (E + p)) (:func:`delay_from_momentum`), which is free of cancellation for β → 1.
Late-time selections (MicroBooNE's KDAR analysis, the prompt/delayed windows of COHERENT and CCM; white paper
arXiv:2207.06898 Table 5) are masks over event times (:class:`TimeWindow`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import ConfigError, UnknownNameError, check_positive
from .units import C_LIGHT

__all__ = [
    "BEAM_TIMING",
    "BeamTiming",
    "TimeWindow",
    "arrival_time",
    "beam_timing",
    "delay_from_momentum",
    "delay_vs_light",
    "smear_times",
    "time_of_flight",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: FWHM = FWHM_PER_SIGMA × σ for a Gaussian
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


@dataclass(frozen=True)
class BeamTiming:
    """Spill of ``n_bunches`` Gaussian bunches (FWHM ``bunch_fwhm`` [ns]) every ``spacing`` [ns].

    Times are measured from the centre of the first bunch at the target. ``source`` cites the numbers.
    """

    name: str
    n_bunches: int
    spacing: float
    bunch_fwhm: float
    source: str

    def __post_init__(self) -> None:
        if int(self.n_bunches) != self.n_bunches or self.n_bunches < 1:
            raise ConfigError(f"n_bunches = {self.n_bunches!r} is not allowed; it must be an integer >= 1")
        check_positive("spacing", self.spacing, allow_zero=self.n_bunches == 1)
        check_positive("bunch_fwhm", self.bunch_fwhm)

    @property
    def bunch_sigma(self) -> float:
        """Gaussian σ of one bunch [ns]."""
        return self.bunch_fwhm / FWHM_PER_SIGMA

    @property
    def spill_length(self) -> float:
        """n_bunches × spacing [ns] (the spill duration; one FWHM for a single pulse)."""
        return self.n_bunches * self.spacing if self.n_bunches > 1 else self.bunch_fwhm

    def sample_proton_times(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` proton arrival times at the target [ns]: uniform bunch index, Gaussian time within the bunch."""
        if int(n) != n or n < 0:
            raise ConfigError(f"n = {n!r} is not allowed; it must be an integer >= 0")
        bunch = rng.integers(0, self.n_bunches, size=int(n))
        return np.asarray(bunch * self.spacing + rng.normal(0.0, self.bunch_sigma, size=int(n)), dtype=float)

    def bunch_phase(self, times: ArrayLike) -> FloatArray:
        """Time [ns] relative to the nearest bunch centre, in [−spacing/2, spacing/2) (for in-bunch timing cuts)."""
        t = np.asarray(times, dtype=float)
        if self.n_bunches == 1:
            return t
        return np.asarray((t + 0.5 * self.spacing) % self.spacing - 0.5 * self.spacing)


#: Shipped spill structures (see each ``source``); keys are the beam-catalogue facility names.
BEAM_TIMING: dict[str, BeamTiming] = {
    "bnb": BeamTiming(
        "bnb",
        n_bunches=81,
        spacing=18.83,
        bunch_fwhm=1.3 * FWHM_PER_SIGMA,
        source=(
            "Booster 53.1 MHz RF: 81 filled buckets 18.83 ns apart in a 1.6 us spill (MiniBooNE flux paper, "
            "PRD 79, 072002 (2009), arXiv:0806.1449, Sec. II); bunch width ~1.3 ns taken as Gaussian sigma "
            "(MicroBooNE BNB bunch-timing measurements; value as given in DarkBeam issue 6)"
        ),
    ),
    "numi": BeamTiming(
        "numi",
        n_bunches=504,
        spacing=18.83,
        bunch_fwhm=1.5 * FWHM_PER_SIGMA,
        source=(
            "NuMI: Main Injector 53.1 MHz buckets, 6 batches x 84 buckets (~9.5 us, the '~10 us spill'; Adamson "
            "et al., NIM A 806, 279 (2016), arXiv:1507.06690, Sec. 2); bunch sigma 1.5 ns is a DarkBeam assumption"
        ),
    ),
    "sns": BeamTiming(
        "sns",
        n_bunches=1,
        spacing=0.0,
        bunch_fwhm=380.0,
        source=(
            "SNS proton pulse ~380 ns FWHM at 60 Hz (COHERENT, Science 357, 1123 (2017), arXiv:1708.01294; "
            "as in issue 6)"
        ),
    ),
    "lansce_lujan": BeamTiming(
        "lansce_lujan",
        n_bunches=1,
        spacing=0.0,
        bunch_fwhm=290.0,
        source=(
            "Lujan Center proton pulse 290 ns (CCM, A. Schneider, SLAC seminar 2024: '290ns proton pulse'), "
            "taken as FWHM"
        ),
    ),
    "jparc_mlf": BeamTiming(
        "jparc_mlf",
        n_bunches=2,
        spacing=540.0,
        bunch_fwhm=100.0,
        source=(
            "J-PARC MLF: two 100 ns wide (taken as FWHM) bunches 540 ns apart at 25 Hz (JSNS2 detector, NIM A 1014, "
            "165742 (2021), arXiv:2104.13169, Sec. 2; JSNS2 TDR arXiv:1705.08629), as in DarkBeam's beam catalogue; "
            "issue 6 quoted 600 ns"
        ),
    ),
}
BEAM_TIMING["bnb_offtarget"] = BeamTiming(
    "bnb_offtarget", 81, 18.83, BEAM_TIMING["bnb"].bunch_fwhm, BEAM_TIMING["bnb"].source + "; same in off-target mode"
)


def beam_timing(facility: str) -> BeamTiming:
    """The shipped spill structure of ``facility`` (keys of :data:`BEAM_TIMING`)."""
    if facility not in BEAM_TIMING:
        raise UnknownNameError("beam timing facility", facility, BEAM_TIMING)
    return BEAM_TIMING[facility]


def _beta(beta: ArrayLike) -> FloatArray:
    b = np.asarray(beta, dtype=float)
    if np.any(~np.isfinite(b)) or np.any(b <= 0) or np.any(b > 1):
        raise ConfigError(f"beta = {beta!r} is not allowed; it must lie in (0, 1]")
    return b


def time_of_flight(distance: ArrayLike, beta: ArrayLike) -> FloatArray:
    """Flight time L/(βc) [ns] over ``distance`` L [cm] at speed ``beta`` (units of c, in (0, 1])."""
    return np.asarray(np.asarray(distance, dtype=float) / (_beta(beta) * C_LIGHT))


def delay_vs_light(distance: ArrayLike, beta: ArrayLike) -> FloatArray:
    """Arrival delay [ns] relative to a massless particle: Δt = L/(βc) − L/c = (L/c)(1 − β)/β."""
    b = _beta(beta)
    return np.asarray(np.asarray(distance, dtype=float) / C_LIGHT * (1.0 - b) / b)


def delay_from_momentum(distance: ArrayLike, momentum: ArrayLike, mass: ArrayLike) -> FloatArray:
    """Arrival delay [ns] vs light of a particle of ``momentum`` p and ``mass`` m [GeV] over ``distance`` [cm].

    Δt = (L/c)(E − p)/p = (L/c) m²/(p (E + p)), E = √(p² + m²): exact and without cancellation for p ≫ m.
    """
    p = np.asarray(momentum, dtype=float)
    m = np.asarray(mass, dtype=float)
    if np.any(~(p > 0)) or np.any(~(m >= 0)):
        raise ConfigError("momentum must be > 0 and mass >= 0 (GeV)")
    e = np.hypot(p, m)
    return np.asarray(np.asarray(distance, dtype=float) / C_LIGHT * m * m / (p * (e + p)))


def arrival_time(production_time: ArrayLike, distance: ArrayLike, beta: ArrayLike) -> FloatArray:
    """Time [ns] at which a particle produced at ``production_time`` [ns] has flown ``distance`` [cm] at ``beta``."""
    return np.asarray(np.asarray(production_time, dtype=float) + time_of_flight(distance, beta))


def smear_times(times: ArrayLike, resolution: float, rng: np.random.Generator) -> FloatArray:
    """Times [ns] smeared by a Gaussian of σ = ``resolution`` [ns] (a detector's timing resolution)."""
    sigma = check_positive("resolution", resolution, allow_zero=True)
    t = np.asarray(times, dtype=float)
    return np.asarray(t + rng.normal(0.0, sigma, size=t.shape)) if sigma > 0 else t.copy()


@dataclass(frozen=True)
class TimeWindow:
    """Selection start <= t − reference < stop [ns] (``stop`` may be inf for "everything later than").

    ``reference`` is typically the light-speed arrival time L/c of the beam at the detector, so that the window
    is in "time after the neutrinos" (e.g. COHERENT's prompt window, the first ~1 us after the pulse, and the
    delayed window after it; MicroBooNE's KDAR window).
    """

    start: float
    stop: float = math.inf
    reference: float = 0.0

    def __post_init__(self) -> None:
        if math.isnan(self.start) or math.isnan(self.stop) or not self.start < self.stop:
            raise ConfigError(f"time window [{self.start}, {self.stop}) is not allowed; it needs start < stop")

    def mask(self, times: ArrayLike) -> BoolArray:
        """Which ``times`` [ns] fall in the window."""
        dt = np.asarray(times, dtype=float) - self.reference
        return np.asarray((dt >= self.start) & (dt < self.stop))

    @classmethod
    def after_light(cls, distance: float, start: float, stop: float = math.inf) -> TimeWindow:
        """A window in time after light-speed arrival over ``distance`` [cm] from a source at t = 0."""
        return cls(start=start, stop=stop, reference=float(distance) / C_LIGHT)
