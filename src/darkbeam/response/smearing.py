"""Fast detector response building blocks, vectorised over particle rows (pdg (n,), momentum (n, 4) [GeV]).

* :func:`particle_class` / :func:`topology`: classification by PDG id (electron, photon → showers; μ, π±, p, K± →
  tracks; ν and the dark particles → invisible; nuclei for recoil thresholds).
* :class:`EnergyResolution`: σ_E/E = a/√(E/GeV) ⊕ b ⊕ c/(E/GeV) (stochastic, constant and noise terms added in
  quadrature — the standard calorimeter parametrisation, PDG RPP 2024 "Particle detectors at accelerators",
  Sec. 35.9.1, Eq. 35.31) applied to the kinetic (visible) energy.
* :func:`smear_direction`: directions turned by a polar angle drawn from a 2-D Gaussian of width σ per projection
  (a Rayleigh distribution of the space angle), uniform azimuth — the same convention as
  :class:`darkbeam.response.PairSelection`.
* :func:`passes_thresholds`: kinetic-energy thresholds per class (≥ passes).
* :class:`EfficiencyTable`: efficiency vs kinetic energy (and optionally cos θ), linearly / bilinearly
  interpolated and held constant outside the table.
* :class:`DetectorResponse`: the above for one detector (built from a catalogue entry or by hand); the stage is
  pluggable — anything with the same ``smear`` / ``visible`` methods can replace it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError, check_positive
from ..kinematics import directions_from_angles, invariant_mass

if TYPE_CHECKING:
    from ..detectors import Detector

__all__ = [
    "CLASS_NAMES",
    "INVISIBLE",
    "OTHER",
    "SHOWER",
    "TRACK",
    "DetectorResponse",
    "EfficiencyTable",
    "EnergyResolution",
    "kinetic_energy",
    "particle_class",
    "passes_thresholds",
    "smear_direction",
    "smear_energy",
    "topology",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: particle classes (index = code returned by :func:`particle_class`); names match the catalogue's keys
CLASS_NAMES = (
    "invisible",
    "electron",
    "photon",
    "muon",
    "charged_pion",
    "proton",
    "kaon",
    "neutron",
    "nucleus",
    "other",
)
_CLASS_CODE = {name: i for i, name in enumerate(CLASS_NAMES)}
#: topology codes returned by :func:`topology`
INVISIBLE, SHOWER, TRACK, OTHER = 0, 1, 2, 3
_TOPOLOGY_OF_CLASS = np.array([INVISIBLE, SHOWER, SHOWER, TRACK, TRACK, TRACK, TRACK, OTHER, OTHER, OTHER])
_TOPOLOGY_NAME = {SHOWER: "shower", TRACK: "track"}

_ABS_PDG_CLASS = {
    11: "electron",
    22: "photon",
    13: "muon",
    211: "charged_pion",
    2212: "proton",
    321: "kaon",
    2112: "neutron",
    12: "invisible",
    14: "invisible",
    16: "invisible",
    18: "invisible",
}


def particle_class(pdg: ArrayLike) -> IntArray:
    """Class code (index into :data:`CLASS_NAMES`) of each PDG id; nuclei (|pdg| >= 1000000000) → "nucleus".

    Beyond-SM states (|pdg| in 4900000–4999999 and 9900000–9999999 as used for dark particles and HNLs) count as
    "invisible"; anything else not listed is "other".
    """
    a = np.abs(np.asarray(pdg, dtype=np.int64))
    out = np.full(a.shape, _CLASS_CODE["other"], dtype=np.int64)
    for code, name in _ABS_PDG_CLASS.items():
        out[a == code] = _CLASS_CODE[name]
    out[a >= 1_000_000_000] = _CLASS_CODE["nucleus"]
    out[((a >= 4_900_000) & (a < 5_000_000)) | ((a >= 9_900_000) & (a < 10_000_000))] = _CLASS_CODE["invisible"]
    return out


def topology(pdg: ArrayLike) -> IntArray:
    """SHOWER (e±, γ), TRACK (μ±, π±, p, K±), INVISIBLE (ν, dark states) or OTHER for each PDG id."""
    return np.asarray(_TOPOLOGY_OF_CLASS[particle_class(pdg)], dtype=np.int64)


def kinetic_energy(momentum: ArrayLike) -> FloatArray:
    """Kinetic energy E − m [GeV] of (n, 4) momenta (px, py, pz, E)."""
    p = np.asarray(momentum, dtype=float)
    return np.asarray(p[..., 3] - invariant_mass(p))


def _with_kinetic_energy(momentum: FloatArray, new_t: FloatArray) -> FloatArray:
    """Same direction and mass, kinetic energy ``new_t`` (>= 0) [GeV]."""
    m = invariant_mass(momentum)
    e = new_t + m
    pmag_new = np.sqrt(np.clip(e * e - m * m, 0.0, None))
    pmag = np.linalg.norm(momentum[:, :3], axis=1)
    scale = np.divide(pmag_new, pmag, out=np.zeros_like(pmag), where=pmag > 0)
    out = np.empty_like(momentum)
    out[:, :3] = momentum[:, :3] * scale[:, None]
    out[:, 3] = e
    return out


@dataclass(frozen=True)
class EnergyResolution:
    """σ_E/E = stochastic/√(E/GeV) ⊕ constant ⊕ noise/(E/GeV) (fractions; PDG RPP 2024 Eq. 35.31)."""

    stochastic: float = 0.0
    constant: float = 0.0
    noise: float = 0.0

    def __post_init__(self) -> None:
        for name in ("stochastic", "constant", "noise"):
            check_positive(name, getattr(self, name), allow_zero=True)

    def relative(self, energy: ArrayLike) -> FloatArray:
        """σ_E/E at ``energy`` [GeV] (inf at E = 0 when a stochastic or noise term is set)."""
        e = np.asarray(energy, dtype=float)
        with np.errstate(divide="ignore"):
            terms = (self.stochastic**2 / e if self.stochastic else 0.0) + self.constant**2
            terms = terms + ((self.noise / e) ** 2 if self.noise else 0.0)
        return np.asarray(np.sqrt(terms) * np.ones_like(e))

    def sigma(self, energy: ArrayLike) -> FloatArray:
        """Absolute σ_E [GeV] at ``energy`` [GeV]: √(a² E + b² E² + c²)."""
        e = np.asarray(energy, dtype=float)
        return np.asarray(np.sqrt(self.stochastic**2 * e + (self.constant * e) ** 2 + self.noise**2))

    def smear(self, energy: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Energies [GeV] + Gaussian(σ_E(E)), clipped at 0 (a deposit cannot be negative)."""
        e = np.asarray(energy, dtype=float)
        return np.asarray(np.clip(e + self.sigma(e) * rng.standard_normal(e.shape), 0.0, None))


def smear_energy(momentum: ArrayLike, resolution: EnergyResolution, rng: np.random.Generator) -> FloatArray:
    """(n, 4) momenta with the kinetic energy smeared by ``resolution``; direction and mass are kept."""
    p = np.atleast_2d(np.asarray(momentum, dtype=float))
    return _with_kinetic_energy(p, resolution.smear(kinetic_energy(p), rng))


def smear_direction(momentum: ArrayLike, sigma: ArrayLike, rng: np.random.Generator) -> FloatArray:
    """(n, 4) momenta turned by a polar angle θ = σ √(−2 ln u) (2-D Gaussian, σ [rad] per projection), |p|, E kept.

    ``sigma`` is a scalar or one value per row. θ follows a Rayleigh distribution: ⟨θ²⟩ = 2σ².
    """
    p = np.atleast_2d(np.asarray(momentum, dtype=float))
    s = np.broadcast_to(np.asarray(sigma, dtype=float), (len(p),))
    if np.any(~np.isfinite(s)) or np.any(s < 0):
        raise ConfigError(f"sigma = {sigma!r} is not allowed; angular resolutions must be finite and >= 0 (rad)")
    theta = s * np.sqrt(-2.0 * np.log1p(-rng.random(len(p))))
    phi = rng.uniform(0.0, 2.0 * np.pi, len(p))
    pmag = np.linalg.norm(p[:, :3], axis=1)
    axis = np.where(pmag[:, None] > 0, p[:, :3], np.array([0.0, 0.0, 1.0]))
    out = p.copy()
    out[:, :3] = directions_from_angles(np.cos(theta), phi, axis=axis) * pmag[:, None]
    return out


def _per_class(pdg: ArrayLike, table: Mapping[str, float], default: float) -> FloatArray:
    """Value of ``table`` for each row's class, falling back to its topology ("shower"/"track"), then ``default``."""
    cls = particle_class(pdg)
    topo = _TOPOLOGY_OF_CLASS[cls]
    out = np.full(cls.shape, default, dtype=float)
    for t, tname in _TOPOLOGY_NAME.items():
        if tname in table:
            out[topo == t] = table[tname]
    for name, value in table.items():
        if name in _CLASS_CODE:
            out[cls == _CLASS_CODE[name]] = value
    return out


def passes_thresholds(pdg: ArrayLike, momentum: ArrayLike, thresholds: Mapping[str, float]) -> BoolArray:
    """Whether each row's kinetic energy is >= its class threshold [GeV] (class, else "shower"/"track", else 0).

    Invisible particles never pass.
    """
    for key in thresholds:
        if key not in _CLASS_CODE and key not in ("shower", "track"):
            allowed = ", ".join((*CLASS_NAMES, "shower", "track"))
            raise ConfigError(f"thresholds key {key!r} is not allowed; allowed: {allowed}")
    t = kinetic_energy(np.atleast_2d(np.asarray(momentum, dtype=float)))
    thr = _per_class(pdg, thresholds, 0.0)
    return np.asarray((t >= thr) & (particle_class(pdg) != _CLASS_CODE["invisible"]))


@dataclass(frozen=True)
class EfficiencyTable:
    """Efficiency vs kinetic energy [GeV] (and optionally cos θ to the beam axis), interpolated.

    ``values`` has shape (len(energy),) or (len(energy), len(cos_theta)); linear (bilinear) interpolation, held
    constant outside the grid. Values must lie in [0, 1].
    """

    energy: tuple[float, ...]
    values: tuple[float, ...] | tuple[tuple[float, ...], ...]
    cos_theta: tuple[float, ...] | None = None
    source: str = ""

    def __post_init__(self) -> None:
        e = np.asarray(self.energy, dtype=float)
        v = np.asarray(self.values, dtype=float)
        if e.ndim != 1 or len(e) < 1 or np.any(np.diff(e) <= 0):
            raise ConfigError(f"energy = {self.energy!r} is not allowed; it must be a strictly increasing list")
        want: tuple[int, ...] = (len(e),)
        if self.cos_theta is not None:
            c = np.asarray(self.cos_theta, dtype=float)
            if c.ndim != 1 or np.any(np.diff(c) <= 0):
                raise ConfigError(f"cos_theta = {self.cos_theta!r} is not allowed; it must be strictly increasing")
            want = (len(e), len(c))
        if v.shape != want:
            raise ConfigError(f"values have shape {v.shape}; expected {want}")
        if np.any(~np.isfinite(v)) or np.any(v < 0) or np.any(v > 1):
            raise ConfigError("values are not allowed: efficiencies must lie in [0, 1]")

    def __call__(self, energy: ArrayLike, cos_theta: ArrayLike | None = None) -> FloatArray:
        e_grid = np.asarray(self.energy, dtype=float)
        v = np.asarray(self.values, dtype=float)
        e = np.asarray(energy, dtype=float)
        if self.cos_theta is None:
            return np.asarray(np.interp(e, e_grid, v))
        if cos_theta is None:
            raise ConfigError("cos_theta is required for a 2-D (energy x angle) efficiency table")
        c_grid = np.asarray(self.cos_theta, dtype=float)
        c = np.asarray(cos_theta, dtype=float)
        e, c = np.broadcast_arrays(e, c)

        def locate(x: FloatArray, grid: FloatArray) -> tuple[IntArray, FloatArray]:
            if len(grid) == 1:
                return np.zeros(x.shape, dtype=np.int64), np.zeros(x.shape)
            xc = np.clip(x, grid[0], grid[-1])
            i = np.clip(np.searchsorted(grid, xc, side="right") - 1, 0, len(grid) - 2)
            return i, (xc - grid[i]) / (grid[i + 1] - grid[i])

        i, fe = locate(e, e_grid)
        j, fc = locate(c, c_grid)
        i1 = np.minimum(i + 1, len(e_grid) - 1)
        j1 = np.minimum(j + 1, len(c_grid) - 1)
        return np.asarray(
            (1 - fe) * (1 - fc) * v[i, j] + fe * (1 - fc) * v[i1, j] + (1 - fe) * fc * v[i, j1] + fe * fc * v[i1, j1]
        )


@dataclass(frozen=True)
class DetectorResponse:
    """Per-class thresholds [GeV kinetic], energy resolutions, angular resolutions [rad], efficiencies.

    Keys are :data:`CLASS_NAMES` entries or the topologies "shower" / "track" (used where a class is not given).
    ``merging_angle`` [rad] is the opening angle below which two showers are reconstructed as one
    (see :mod:`darkbeam.response.merging`); None disables merging.
    """

    thresholds: Mapping[str, float] = field(default_factory=dict)
    energy_resolution: Mapping[str, EnergyResolution] = field(default_factory=dict)
    angular_resolution: Mapping[str, float] = field(default_factory=dict)
    efficiency: Mapping[str, EfficiencyTable] = field(default_factory=dict)
    merging_angle: float | None = None
    timing_resolution: float = 0.0

    @classmethod
    def from_detector(cls, detector: Detector) -> DetectorResponse:
        """The catalogue entry's thresholds, resolutions and merging angle (MeV → GeV, deg → rad)."""
        spec = detector.spec
        return cls(
            thresholds={k: v.value * 1e-3 for k, v in spec.thresholds_mev.items()},
            energy_resolution={
                k: EnergyResolution(stochastic=v.stochastic.value, constant=v.constant.value)
                for k, v in spec.energy_resolution.items()
            },
            angular_resolution={k: float(np.radians(v.value)) for k, v in spec.angular_resolution_deg.items()},
            merging_angle=None if spec.merging_angle_deg is None else float(np.radians(spec.merging_angle_deg.value)),
            timing_resolution=0.0 if spec.timing_resolution_ns is None else spec.timing_resolution_ns.value,
        )

    def _lookup(self, pdg: IntArray, table: Mapping[str, object]) -> dict[str, BoolArray]:
        """Row masks for each key of ``table`` (class keys take precedence over topology keys)."""
        cls = particle_class(pdg)
        topo = _TOPOLOGY_OF_CLASS[cls]
        masks: dict[str, BoolArray] = {}
        claimed = np.zeros(cls.shape, dtype=bool)
        for name in table:
            if name in _CLASS_CODE:
                masks[name] = cls == _CLASS_CODE[name]
                claimed |= masks[name]
        for t, tname in _TOPOLOGY_NAME.items():
            if tname in table:
                masks[tname] = (topo == t) & ~claimed
        return masks

    def smear(self, pdg: ArrayLike, momentum: ArrayLike, rng: np.random.Generator) -> FloatArray:
        """Energy- then direction-smeared (n, 4) momenta (rows of classes without an entry are unchanged)."""
        ids = np.asarray(pdg, dtype=np.int64)
        out = np.atleast_2d(np.asarray(momentum, dtype=float)).copy()
        for name, mask in self._lookup(ids, self.energy_resolution).items():
            if np.any(mask):
                out[mask] = smear_energy(out[mask], self.energy_resolution[name], rng)
        for name, mask in self._lookup(ids, self.angular_resolution).items():
            if np.any(mask):
                out[mask] = smear_direction(out[mask], self.angular_resolution[name], rng)
        return out

    def efficiency_weight(self, pdg: ArrayLike, momentum: ArrayLike) -> FloatArray:
        """Per-row efficiency (1 where no table applies), evaluated at kinetic energy and cos θ to +z."""
        ids = np.asarray(pdg, dtype=np.int64)
        p = np.atleast_2d(np.asarray(momentum, dtype=float))
        w = np.ones(len(p))
        t = kinetic_energy(p)
        pmag = np.linalg.norm(p[:, :3], axis=1)
        cos_t = np.divide(p[:, 2], pmag, out=np.ones_like(pmag), where=pmag > 0)
        for name, mask in self._lookup(ids, self.efficiency).items():
            table = self.efficiency[name]
            w[mask] = table(t[mask], cos_t[mask] if table.cos_theta is not None else None)
        return w

    def visible(self, pdg: ArrayLike, momentum: ArrayLike) -> BoolArray:
        """Rows above their class threshold (invisible particles excluded)."""
        return passes_thresholds(pdg, momentum, self.thresholds)
