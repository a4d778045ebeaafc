"""Upscatter-then-decay events: ν_α T → N T in a detector, followed by the decay of N inside it (two vertices).

Dark-neutrino decays (:class:`DarkNeutrino`)
--------------------------------------------
References: [AHP20] Abdullahi, Hostert, Pascoli, arXiv:2007.11813 (light-Z′ dark neutrino, App. A decay rates);
[DN22] DarkNews, arXiv:2207.04137, Sec. 2.3 (decays N → ν ℓℓ via Z′, N → νγ); [MPPT18] Magill, Plestid,
Pospelov, Tsai, arXiv:1803.03262, Eq. (3); [BGKO20] Brdar, Greljo, Kopp, Opferkuch, arXiv:2007.15563, Eq. (2.3);
[KW55] Kroll, Wada, Phys. Rev. 98 (1955) 1355 (virtual-photon pair conversion).

Couplings as in :mod:`darkbeam.interactions.upscattering`: ν–N–Z′ vertex g_D V_α4 ū_N γ^μ P_L u_ν, Z′ couples
ε e J_EM, dipole L ⊃ d N̄ σ_μν P_L ν F^μν + h.c. Widths below are for a **Dirac** N (N → ν X); a **Majorana** N
also decays to the CP-conjugate final state (ν̄ X) with the same width, so its dark widths are × 2 ([DN22] Sec.
2.3). Partial widths (x = m_V²/M², M = m_N):

* N → ν V, vector vertex c γ^μ P_L, massive V (polarisations −g + qq/m²):
  Γ = c² M³/(32π m_V²) (1 − x)² (1 + 2x)  ([AHP20] App. A, the t → bW form; c = g_D |V_α4|).
* N → ν V, dipole vertex 2d σ^μν q_μ: Γ = d² M³/(4π) (1 − x)² (1 + x/2); x → 0 gives the N → νγ width
  Γ = d² M³/(4π) of [MPPT18] Eq. (3) / [BGKO20] Eq. (2.3). (The x-dependence was derived here from the trace
  (M² − q²)(4M² − q²)… checked against explicit Dirac matrices; see tests.)
* V → ℓ⁺ℓ⁻ for a vector coupling g_ℓ: Γ = g_ℓ² m_V/(12π) (1 + 2r) (1 − 4r)^{1/2}, r = m_ℓ²/m_V².
* N → ν ℓ⁺ℓ⁻ through an off-shell vector (Z′* when m_Z′ > M, and γ* from the dipole): exact factorisation for a
  mediator coupled to a conserved lepton current ([KW55]; e.g. the W* in t → bℓν),
  dΓ/dq² = Γ(N → ν V; m_V² → q²) × (1/π) √q² Γ(V → ℓℓ; q²) / ((q² − m_V²)² + m_V² Γ_V²);
  in the heavy-Z′ limit this gives Γ = c² (εe)² M⁵/(768 π³ m_Z′⁴) (massless leptons; asserted in the tests).
  For the photon (m_V = 0) this is the Kroll–Wada spectrum Γ_νγ(q²) α/(3π q²) (1 + 2r)(1 − 4r)^{1/2}.
* On-shell Z′ (m_Z′ < M): narrow width, N → ν Z′ then Z′ → ℓ⁺ℓ⁻ (ℓ = e, μ) or hadrons (the dark-photon R-ratio
  widths of :mod:`darkbeam.models.dark_photon`); Γ_Z′ from the same lepton and hadron widths (Z′ → ν ν̄ via g_D
  is O(|V_α4|⁴) and neglected). The off-shell tail below the pole is not added (relative size ~Γ_Z′/m_Z′).
* SM channels through the active–heavy mixing |U_α4|² (N → ν π⁰, μπ, ν ℓℓ via W/Z, 3ν …) from
  :class:`darkbeam.models.hnl.HNL` (Bondarenko et al. 1805.08567), added to the total width with prefix ``sm:``.
* Not included: Z′–γ interference when both portals are on at once; N → ν ℓℓ via a dark scalar.

Event generation (:func:`generate_upscatter_decay`)
---------------------------------------------------
A point-like ν source far upstream (the target, beam-frame origin) gives a flux Φ(E) [ν/cm²/POT/GeV] that is
uniform over the detector (size ≪ distance), so the density of upscattering vertices is uniform in the volume:
expected upscatters = POT × Σ_targets N_T ∫ Φ(E) σ_T(E) dE (N_T: target count in the volume). For each event:
vertex uniform in the solid; E_ν from the flux; ν direction from the origin to the vertex; (Q², N kinematics)
from :func:`~darkbeam.interactions.upscattering.sample_upscattering` (VEGAS importance sampling, weight = σ
estimate); N decays after an exponential lab distance of mean λ = |p_N| cτ/m_N along its flight. With
``force_inside=True`` (default) the distance is drawn from the exponential truncated to the volume and the
weight is multiplied by P(decay inside) = 1 − exp(−s_exit/λ); with ``force_inside=False`` it is the untruncated
exponential (decays may fall outside; no factor). Weight = POT × Φ_tot × N_T × σ-weight / n_T × P × BR(channels).
Decays are isotropic in the N rest frame (N helicity not propagated: an approximation; DarkNews keeps it). In the
off-shell three-body channels q² = m²(ℓℓ) follows the exact dΓ/dq², and the ℓ⁺ℓ⁻ direction in the pair frame is
isotropic (the V* polarisation is neglected: an approximation).

Event record (rows; HepMC status): 0 ν_α (4, at the upscattering vertex), 1 target at rest (4), 2 N (2, parent 0),
3 recoil (1, parent 0), then the decay products (1) at the decay vertex and time, with an on-shell Z′ as its own
status-2 row (parent 2) whose ℓ⁺ℓ⁻ come out at the same point (Z′ decay treated as prompt). Times: the ν leaves
the beam-frame origin at t = 0 and travels at c; N flies at β c.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from .. import detectors, pdg
from ..errors import ConfigError, KinematicsError, UnknownNameError, check_positive
from ..events import STATUS_DECAYED, STATUS_FINAL, STATUS_INCOMING, EventBatch
from ..geometry import decay_probability, sample_decay_distance
from ..geometry.solids import Solid
from ..kinematics import boost, directions_from_angles, isotropic_directions, two_body_decay
from ..units import ALPHA_EM, C_LIGHT, HBARC, N_AVOGADRO
from .nuclear import M_PROTON, Nucleus, nucleus
from .upscattering import DipolePortal, Target, ZPrimePortal, sample_upscattering, threshold_energy

FloatArray = NDArray[np.float64]

__all__ = [
    "DarkNeutrino",
    "NeutrinoSpectrum",
    "TargetDensity",
    "UpscatteringSection",
    "detector_targets",
    "generate_upscatter_decay",
    "width_n_to_nu_vector",
    "width_n_to_nu_vector_dipole",
    "width_vector_to_leptons",
]

E_CHARGE = math.sqrt(4.0 * math.pi * ALPHA_EM)
M_E, M_MU = pdg.mass(11), pdg.mass(13)
ZPRIME_PDG = pdg.DARK_PDG_IDS["dark_photon"]
N_PDG = pdg.DARK_PDG_IDS["hnl"]
_LEPTONS = {"e": (11, M_E), "mu": (13, M_MU)}
_NU_PDG = {"e": 12, "mu": 14, "tau": 16}
_Q2_GRID = 2048
#: pilot events per target (rate split and σ(E) estimate for importance sampling in E_ν)
_N_PILOT = 4000


# ================================================================================================ widths
def width_n_to_nu_vector(m_n: float, m_v: ArrayLike, coupling: float) -> FloatArray:
    """Γ(N → ν V) [GeV] for the vertex c ū_ν γ^μ P_L u_N, massive V summed over its 3 polarisations:
    c² M³/(32π m_V²) (1 − x)² (1 + 2x), x = m_V²/M² ([AHP20] App. A). Zero where closed."""
    m2 = np.asarray(m_v, dtype=float) ** 2
    x = m2 / m_n**2
    with np.errstate(divide="ignore", invalid="ignore"):
        w = coupling**2 * m_n**3 / (32.0 * math.pi * m2) * (1.0 - x) ** 2 * (1.0 + 2.0 * x)
    return np.asarray(np.where(x < 1.0, w, 0.0))


def width_n_to_nu_vector_dipole(m_n: float, m_v: ArrayLike, d: float) -> FloatArray:
    """Γ(N → ν V) [GeV] for L ⊃ d N̄σ_μν P_L ν F^μν: d² M³/(4π) (1 − x)² (1 + x/2) ([MPPT18] Eq. (3) at x = 0)."""
    x = np.asarray(m_v, dtype=float) ** 2 / m_n**2
    w = d * d * m_n**3 / (4.0 * math.pi) * (1.0 - x) ** 2 * (1.0 + 0.5 * x)
    return np.asarray(np.where(x < 1.0, w, 0.0))


def width_vector_to_leptons(m_v: ArrayLike, coupling: float, m_lepton: float) -> FloatArray:
    """Γ(V → ℓ⁺ℓ⁻) [GeV] for a vector coupling g_ℓ: g_ℓ² m_V/(12π) (1 + 2r)(1 − 4r)^{1/2}, r = m_ℓ²/m_V²."""
    m = np.asarray(m_v, dtype=float)
    r = np.where(m > 0, m_lepton**2 / np.where(m > 0, m, 1.0) ** 2, 1.0)
    w = coupling**2 * m / (12.0 * math.pi) * (1.0 + 2.0 * r) * np.sqrt(np.clip(1.0 - 4.0 * r, 0.0, None))
    return np.asarray(np.where(r < 0.25, w, 0.0))


@dataclass(frozen=True)
class _PairSpectrum:
    """dΓ/dq² of N → ν ℓ⁺ℓ⁻ through an off-shell vector, tabulated for width and inverse-CDF sampling."""

    q2: FloatArray
    cdf: FloatArray
    width: float

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        return np.asarray(np.interp(rng.random(n), self.cdf, self.q2))


def _pair_spectrum(m_n: float, m_l: float, two_body: Any, m_v: float, width_v: float, g_l: float) -> _PairSpectrum:
    """Tabulate dΓ/dq² = Γ_2(q²) (1/π) √q² Γ_ℓℓ(q²)/|q² − m_V² + i m_V Γ_V|² on a log grid in q² − 4m_ℓ²."""
    lo, hi = 4.0 * m_l**2, m_n**2
    t = np.geomspace(lo * 1e-6 + 1e-14, hi - lo, _Q2_GRID)
    q2 = lo + np.concatenate([[0.0], t])
    rq = np.sqrt(q2)
    dens = two_body(rq) / math.pi * rq * width_vector_to_leptons(rq, g_l, m_l)
    dens = dens / ((q2 - m_v**2) ** 2 + (m_v * width_v) ** 2)
    steps = 0.5 * (dens[1:] + dens[:-1]) * np.diff(q2)
    cum = np.concatenate([[0.0], np.cumsum(steps)])
    total = float(cum[-1])
    return _PairSpectrum(q2, cum / total if total > 0 else cum, total)


# ================================================================================================ model
@dataclass(frozen=True)
class DarkNeutrino:
    """A heavy (dark) neutrino N of mass ``m_n`` [GeV] with a light Z′ and/or a transition dipole.

    ``zprime``: :class:`ZPrimePortal` (Z′ mass, ε, g_D, V_α4, U_α4) or None; ``dipole``: :class:`DipolePortal`
    or None; ``majorana``: dark widths × 2 (module docstring); ``flavour``: α of V_α4, d and U_α4 ("e", "mu",
    "tau") — the light neutrino in N decays is labelled ν_α; ``include_sm``: add the SM widths through |U_α4|²
    (from :class:`~darkbeam.models.hnl.HNL`). Partial widths in GeV; the channel names are the keys of
    :meth:`partial_widths`.
    """

    m_n: float
    zprime: ZPrimePortal | None = None
    dipole: DipolePortal | None = None
    majorana: bool = False
    flavour: str = "mu"
    include_sm: bool = True
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_positive("m_n", self.m_n)
        if self.flavour not in _NU_PDG:
            raise UnknownNameError("flavour", self.flavour, _NU_PDG)
        if self.zprime is None and self.dipole is None:
            raise ConfigError("DarkNeutrino needs zprime or dipole (both are None); give at least one portal")

    # ---------------------------------------------------------------- Z′ properties
    def zprime_widths(self) -> dict[str, float]:
        """Partial widths [GeV] of the Z′ (ε e J_EM coupling): e+e-, mu+mu-, hadrons (dark-photon R ratio)."""
        zp = self.zprime
        if zp is None:
            return {}
        from ..models.dark_photon import width_to_hadrons

        out = {
            f"{name}+{name}-": float(width_vector_to_leptons(zp.m_zprime, zp.epsilon * E_CHARGE, m))
            for name, (_, m) in _LEPTONS.items()
        }
        out["hadrons"] = float(sum(float(np.sum(w)) for w in width_to_hadrons(zp.m_zprime, zp.epsilon).values()))
        return {k: v for k, v in out.items() if v > 0}

    def zprime_width(self) -> float:
        return float(sum(self.zprime_widths().values()))

    @property
    def _factor(self) -> float:
        return 2.0 if self.majorana else 1.0

    def _spectra(self) -> dict[str, tuple[_PairSpectrum, str]]:
        """Off-shell ℓℓ channels: name → (tabulated spectrum, lepton)."""
        if "spectra" in self._cache:
            return self._cache["spectra"]  # type: ignore[no-any-return]
        out: dict[str, tuple[_PairSpectrum, str]] = {}
        m = self.m_n
        for lep, (_, m_l) in _LEPTONS.items():
            if m <= 2.0 * m_l:
                continue
            zp = self.zprime
            if zp is not None and zp.m_zprime >= m:
                c = zp.g_d * abs(zp.v_alpha4)

                def z_two(rq: FloatArray, c: float = c) -> FloatArray:
                    return width_n_to_nu_vector(m, rq, c)

                out[f"nu {lep}+{lep}- (Z'*)"] = (
                    _pair_spectrum(m, m_l, z_two, zp.m_zprime, self.zprime_width(), zp.epsilon * E_CHARGE),
                    lep,
                )
            if self.dipole is not None and self.dipole.d != 0:
                d = self.dipole.d

                def g_two(rq: FloatArray, d: float = d) -> FloatArray:
                    return width_n_to_nu_vector_dipole(m, rq, d)

                out[f"nu {lep}+{lep}- (gamma*)"] = (_pair_spectrum(m, m_l, g_two, 0.0, 0.0, E_CHARGE), lep)
        self._cache["spectra"] = out
        return out

    # ---------------------------------------------------------------- widths
    def partial_widths(self) -> dict[str, float]:
        """All open partial widths [GeV] (dark channels, then SM channels prefixed ``sm:``)."""
        if "widths" in self._cache:
            return dict(self._cache["widths"])
        m, f = self.m_n, self._factor
        out: dict[str, float] = {}
        zp = self.zprime
        if zp is not None and zp.m_zprime < m:
            two = f * float(width_n_to_nu_vector(m, zp.m_zprime, zp.g_d * abs(zp.v_alpha4)))
            zw = self.zprime_widths()
            total_z = sum(zw.values())
            for name, w in zw.items():
                out[f"nu {name} (Z')"] = two * w / total_z if total_z > 0 else 0.0
        if self.dipole is not None and self.dipole.d != 0:
            out["nu gamma"] = f * float(width_n_to_nu_vector_dipole(m, 0.0, self.dipole.d))
        for name, (spec, _) in self._spectra().items():
            out[name] = f * spec.width
        if self.include_sm and zp is not None and zp.u_alpha4 != 0:
            from ..models.hnl import HNL

            mix = {"ue2": 0.0, "umu2": 0.0, "utau2": 0.0}
            mix[{"e": "ue2", "mu": "umu2", "tau": "utau2"}[self.flavour]] = zp.u_alpha4**2
            try:
                sm = HNL(m, majorana=self.majorana, **mix).partial_widths()
            except (ConfigError, KinematicsError):  # outside the HNL model's mass range: no SM channels
                sm = {}
            out.update({f"sm: {k}": float(v) for k, v in sm.items()})
        out = {k: v for k, v in out.items() if v > 0}
        self._cache["widths"] = out
        return dict(out)

    def total_width(self) -> float:
        """Γ_N [GeV]: the sum of every partial width (dark and SM)."""
        return float(sum(self.partial_widths().values()))

    def branching_ratios(self) -> dict[str, float]:
        """Γ_i/Γ_N for every open channel."""
        widths = self.partial_widths()
        total = sum(widths.values())
        return {k: v / total for k, v in widths.items()}

    def ctau(self) -> float:
        """Proper decay length cτ = ħc/Γ_N [cm]."""
        return HBARC / self.total_width()

    def visible_channels(self) -> list[str]:
        """Channels this module can generate (ν ℓℓ via Z′/Z′*/γ*, ν γ), in :meth:`partial_widths` order."""
        return [k for k in self.partial_widths() if not k.startswith("sm:") and "hadrons" not in k]

    # ---------------------------------------------------------------- decay kinematics
    def decay(
        self, p_n: FloatArray, channel: str, rng: np.random.Generator
    ) -> tuple[list[int], list[FloatArray], list[int], list[int]]:
        """Decay N four-momenta ``p_n`` (n, 4) in ``channel``: (pdg ids, lab four-momenta, parent offsets, status).

        Parent offsets are relative to the product list: −1 means "the N", k ≥ 0 the k-th product.
        """
        n = p_n.shape[0]
        nu = _NU_PDG[self.flavour]
        if channel == "nu gamma":
            p_nu, p_g = two_body_decay(p_n, 0.0, 0.0, rng)
            return [nu, 22], [p_nu, p_g], [-1, -1], [STATUS_FINAL, STATUS_FINAL]
        if channel.endswith("(Z')") and self.zprime is not None:
            lep = channel.split()[1].split("+")[0]
            lep_pdg, m_l = _LEPTONS[lep]
            p_nu, p_z = two_body_decay(p_n, 0.0, self.zprime.m_zprime, rng)
            p_lm, p_lp = two_body_decay(p_z, m_l, m_l, rng)
            return (
                [nu, ZPRIME_PDG, lep_pdg, -lep_pdg],
                [p_nu, p_z, p_lm, p_lp],
                [-1, -1, 1, 1],
                [STATUS_FINAL, STATUS_DECAYED, STATUS_FINAL, STATUS_FINAL],
            )
        spectra = self._spectra()
        if channel in spectra:
            spec, lep = spectra[channel]
            lep_pdg, m_l = _LEPTONS[lep]
            q2 = spec.sample(n, rng)
            m_n = np.sqrt(np.clip(p_n[:, 3] ** 2 - np.sum(p_n[:, :3] ** 2, axis=1), 0.0, None))
            # N rest frame: ν and V*(q²) back to back
            k = (m_n**2 - q2) / (2.0 * m_n)
            u = isotropic_directions(n, rng)
            p_nu_rest = np.concatenate([u * k[:, None], k[:, None]], axis=1)
            p_v_rest = np.concatenate([-u * k[:, None], np.sqrt(k * k + q2)[:, None]], axis=1)
            # V* rest frame: ℓ⁻ℓ⁺ back to back, isotropic (V* polarisation neglected)
            pl = np.sqrt(np.clip(0.25 * q2 - m_l**2, 0.0, None))
            w = isotropic_directions(n, rng)
            e_l = np.sqrt(pl * pl + m_l**2)
            lm = np.concatenate([w * pl[:, None], e_l[:, None]], axis=1)
            lp = np.concatenate([-w * pl[:, None], e_l[:, None]], axis=1)
            beta_v = p_v_rest[:, :3] / p_v_rest[:, 3:4]
            lm, lp = boost(lm, beta_v), boost(lp, beta_v)
            beta_n = p_n[:, :3] / p_n[:, 3:4]
            p_nu, p_lm, p_lp = boost(p_nu_rest, beta_n), boost(lm, beta_n), boost(lp, beta_n)
            return [nu, lep_pdg, -lep_pdg], [p_nu, p_lm, p_lp], [-1, -1, -1], [STATUS_FINAL] * 3
        raise UnknownNameError("N decay channel to generate", channel, self.visible_channels())


# ================================================================================================ flux
@dataclass(frozen=True)
class NeutrinoSpectrum:
    """A ν spectrum at the detector as a histogram: bin ``edges`` [GeV] and ``content`` [ν/cm²/POT per bin].

    Build it with :meth:`from_darkbeam` (output of :func:`darkbeam.neutrinos.neutrino_flux`), :meth:`from_table`
    (text file, 2 columns: E [GeV], Φ [ν/cm²/POT/GeV]; ``#`` comments; points are bin centres, edges at the
    midpoints) or :meth:`from_samples` (arrays E_ν, weight [ν/cm²/POT]).
    """

    edges: FloatArray
    content: FloatArray
    label: str = ""

    def __post_init__(self) -> None:
        e, c = np.asarray(self.edges, float), np.asarray(self.content, float)
        if e.ndim != 1 or e.size != c.size + 1 or np.any(np.diff(e) <= 0) or e[0] < 0:
            raise ConfigError(f"flux edges must be increasing, >= 0 and one longer than content; got {e.size} edges")
        if np.any(c < 0) or not np.all(np.isfinite(c)):
            raise ConfigError("flux content must be finite and >= 0")

    @property
    def total(self) -> float:
        """∫Φ dE [ν/cm²/POT]."""
        return float(np.sum(self.content))

    @classmethod
    def from_darkbeam(cls, result: Mapping[str, Mapping[str, Any]], flavour: str = "numu") -> NeutrinoSpectrum:
        if flavour not in result:
            raise UnknownNameError("neutrino flavour", flavour, result)
        r = result[flavour]
        return cls(
            np.asarray(r["energy_bins_gev"], float), np.asarray(r["flux_per_pot_cm2"], float), f"darkbeam:{flavour}"
        )

    @classmethod
    def from_table(cls, path: str | Path, scale: float = 1.0) -> NeutrinoSpectrum:
        """2-column text: E [GeV] (increasing bin centres), Φ [ν/cm²/POT/GeV]; ``scale`` converts units."""
        try:
            data = np.loadtxt(path, comments="#", ndmin=2)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"flux table {str(path)!r} cannot be read as 2 numeric columns: {exc}") from exc
        if data.shape[1] < 2 or data.shape[0] < 2:
            raise ConfigError(f"flux table {str(path)!r} needs >= 2 rows of (E [GeV], flux per GeV)")
        e, phi = data[:, 0], data[:, 1] * scale
        mid = 0.5 * (e[1:] + e[:-1])
        edges = np.concatenate([[max(0.0, e[0] - (mid[0] - e[0]))], mid, [e[-1] + (e[-1] - mid[-1])]])
        return cls(edges, phi * np.diff(edges), f"table:{path}")

    @classmethod
    def from_samples(cls, energy: ArrayLike, weight: ArrayLike, n_bins: int = 400) -> NeutrinoSpectrum:
        e, w = np.asarray(energy, float), np.asarray(weight, float)
        if e.shape != w.shape or e.size == 0:
            raise ConfigError("flux samples: energy and weight must be equal-length, non-empty arrays")
        edges = np.linspace(0.0, float(e.max()) * (1 + 1e-9), n_bins + 1)
        content, _ = np.histogram(e, edges, weights=w)
        return cls(edges, content, "samples")

    def above(self, e_min: float) -> NeutrinoSpectrum:
        """The part of the spectrum above ``e_min`` (the straddling bin is cut, keeping its density)."""
        e, c = self.edges, self.content
        lo = np.clip(e[:-1], e_min, None)
        frac = np.clip((e[1:] - lo) / np.diff(e), 0.0, 1.0)
        keep = frac > 0
        edges = np.concatenate([lo[keep], e[1:][keep][-1:]]) if keep.any() else np.array([e_min, e_min + 1.0])
        return NeutrinoSpectrum(edges, (c * frac)[keep] if keep.any() else np.zeros(1), self.label)

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` energies distributed as the histogram (uniform within a bin)."""
        return self.sample_importance(n, rng)[0]

    def sample_importance(
        self, n: int, rng: np.random.Generator, importance: ArrayLike | None = None
    ) -> tuple[FloatArray, FloatArray]:
        """``n`` energies drawn with bin probabilities p_i ∝ content_i × importance_i (default 1), uniform within
        a bin, and each event's factor content_i/p_i [ν/cm²/POT] (so mean(factor × f(E)) estimates ∫Φ f dE,
        unbiased wherever importance > 0)."""
        if self.total <= 0:
            raise KinematicsError("the neutrino flux is zero above the upscattering threshold")
        imp = np.ones(self.content.size) if importance is None else np.asarray(importance, dtype=float)
        if imp.shape != self.content.shape or np.any(imp <= 0) or not np.all(np.isfinite(imp)):
            raise ConfigError("importance must be finite, > 0 and have one value per flux bin")
        prob = self.content * imp
        prob = prob / prob.sum()
        i = np.minimum(np.searchsorted(np.cumsum(prob), rng.random(n) * (1.0 - 1e-15), side="right"), prob.size - 1)
        energy = self.edges[i] + rng.random(n) * (self.edges[i + 1] - self.edges[i])
        with np.errstate(divide="ignore"):
            factor = np.where(prob[i] > 0, self.content[i] / prob[i], 0.0)
        return np.asarray(energy), np.asarray(factor)

    def bin_index(self, energy: ArrayLike) -> NDArray[np.int64]:
        """Index of the bin holding each energy (clipped to the range)."""
        idx = np.searchsorted(self.edges, np.asarray(energy, dtype=float), side="right") - 1
        return np.asarray(np.clip(idx, 0, self.content.size - 1), dtype=np.int64)


# ================================================================================================ targets
@dataclass(frozen=True)
class TargetDensity:
    """An upscattering target (nucleus coherent, or its protons) and the nuclei per cm³ in the material."""

    target: Target
    nuclei_per_cm3: float


_HYDROGEN = Nucleus("H1", 1, 1, M_PROTON)
#: composition string of the detector catalogue → [(nucleus, atoms per molecule)], molar mass [g/mol]
_COMPOSITIONS: dict[str, tuple[list[tuple[str, int]], float]] = {
    "CH2": ([("C12", 1), ("H1", 2)], 14.027),  # mineral oil (as in scatter_signal.molecular_targets)
    "Ar-40": ([("Ar40", 1)], 39.962),
}


def detector_targets(
    composition: str, density_g_cm3: float, regimes: Sequence[str] = ("coherent", "p-el")
) -> list[TargetDensity]:
    """Targets of a catalogue material (``"CH2"``, ``"Ar-40"``): coherent on each nucleus heavier than H and
    proton-elastic on its Z protons; hydrogen gives proton-elastic only. n = ρ N_A / M_mol × atoms per molecule."""
    if composition not in _COMPOSITIONS:
        raise UnknownNameError("material composition for upscattering", composition, _COMPOSITIONS)
    for r in regimes:
        if r not in ("coherent", "p-el"):
            raise ConfigError(f"regime = {r!r} is not allowed; allowed: coherent, p-el")
    atoms, molar = _COMPOSITIONS[composition]
    molecules = density_g_cm3 * N_AVOGADRO / molar
    out = []
    for name, count in atoms:
        nuc = _HYDROGEN if name == "H1" else nucleus(name)
        for regime in regimes:
            if regime == "coherent" and nuc.a == 1:
                continue
            out.append(TargetDensity(Target(nuc, regime), molecules * count))  # type: ignore[arg-type]
    return out


# ================================================================================================ generation
def _solid(detector: str | Solid, placement: str, volume: str) -> tuple[Solid, str, float]:
    if not isinstance(detector, str):
        return detector, "", 0.0
    det = detectors.get(detector)
    placed = det.place(placement)
    solid = placed.fiducial if volume == "fiducial" else placed.active
    if solid is None:
        raise ConfigError(f"volume = {volume!r}: detector {detector!r} has no fiducial volume; use 'active'")
    return solid, det.spec.material.composition, det.density_g_cm3


def generate_upscatter_decay(
    flux: NeutrinoSpectrum | Mapping[str, Mapping[str, Any]] | tuple[ArrayLike, ArrayLike] | str | Path,
    detector: str | Solid,
    model: DarkNeutrino,
    pot: float,
    n: int,
    rng: np.random.Generator,
    *,
    placement: str = "bnb",
    volume: str = "active",
    targets: Sequence[TargetDensity] | None = None,
    regimes: Sequence[str] = ("coherent", "p-el"),
    channels: Sequence[str] | None = None,
    flavour: str = "numu",
    force_inside: bool = True,
    helicity: str = "both",
    provenance: Mapping[str, str] | None = None,
) -> EventBatch:
    """Weighted ν T → N T, N → visible events in ``detector``; Σ weight = expected events for ``pot``.

    ``flux``: :class:`NeutrinoSpectrum`, a :func:`~darkbeam.neutrinos.neutrino_flux` result (``flavour`` picks
    the column), a table path (see :meth:`NeutrinoSpectrum.from_table`) or (E_ν, weight) arrays. ``detector``:
    catalogue name (solid from ``placement``/``volume``, targets from its material) or a beam-frame solid (then
    give ``targets``). ``model``: the :class:`DarkNeutrino` (its ``zprime`` or ``dipole`` portal upscatters;
    the Z′ one if both are set). ``channels``: decay channels to generate (default every visible one; the
    weight carries Σ BR of them). ``n`` events are split among targets ∝ their expected rates (pilot run).
    """
    check_positive("pot", pot)
    if n < 1:
        raise ConfigError(f"n = {n} is not allowed; it must be >= 1")
    if volume not in ("active", "fiducial"):
        raise ConfigError(f"volume = {volume!r} is not allowed; allowed: active, fiducial")
    spectrum = _as_spectrum(flux, flavour)
    solid, composition, density = _solid(detector, placement, volume)
    if targets is None:
        if not composition:
            raise ConfigError("targets must be given when detector is a Solid")
        targets = detector_targets(composition, density, regimes)
    portal: ZPrimePortal | DipolePortal = model.zprime if model.zprime is not None else model.dipole  # type: ignore[assignment]
    brs = model.branching_ratios()
    chosen = list(channels) if channels is not None else model.visible_channels()
    for c in chosen:
        if c not in brs or c.startswith("sm:") or "hadrons" in c:
            raise UnknownNameError("N decay channel to generate", c, model.visible_channels())
    br_sum = sum(brs[c] for c in chosen)
    n_nuclei_volume = [t.nuclei_per_cm3 * solid.volume for t in targets]

    # pilot: rate of each target, to split n (floor 5 % of an equal share)
    m_n = model.m_n
    live = [i for i, t in enumerate(targets) if spectrum.above(threshold_energy(m_n, t.target.mass)).total > 0]
    if not live or not chosen:
        return EventBatch.empty(provenance)
    rates = []
    importances = []
    for i in live:
        t = targets[i]
        sub = spectrum.above(threshold_energy(m_n, t.target.mass) * (1 + 1e-9))
        e_pilot, f_pilot = sub.sample_importance(_N_PILOT, rng)
        ev = sample_upscattering(e_pilot, m_n, t.target, portal, rng, helicity=helicity)  # type: ignore[arg-type]
        rates.append(float(np.mean(f_pilot * ev.weight)) * n_nuclei_volume[i])
        importances.append(_sigma_estimate(sub, e_pilot, ev.weight))
    share = np.asarray(rates) / max(sum(rates), 1e-300)
    share = np.maximum(share, 0.05 / len(live))
    if n < len(live):
        raise ConfigError(f"n = {n} is not allowed; it must be >= the number of open targets ({len(live)})")
    raw = 1.0 + (n - len(live)) * share / share.sum()  # every open target gets >= 1 event (unbiased total)
    counts = np.floor(raw).astype(int)
    counts[np.argsort(counts - raw)[: n - int(counts.sum())]] += 1  # largest remainders: Σ counts = n exactly

    batches = []
    for j, (i, k) in enumerate(zip(live, counts, strict=True)):
        t = targets[i]
        sub = spectrum.above(threshold_energy(m_n, t.target.mass) * (1 + 1e-9))
        batches.append(
            _one_target(
                sub,
                importances[j],
                solid,
                t,
                n_nuclei_volume[i],
                model,
                portal,
                int(k),
                pot,
                chosen,
                brs,
                br_sum,
                force_inside,
                helicity,
                rng,
                provenance,
            )
        )
    return EventBatch.concatenate(batches)


def _as_spectrum(flux: Any, flavour: str) -> NeutrinoSpectrum:
    if isinstance(flux, NeutrinoSpectrum):
        return flux
    if isinstance(flux, str | Path):
        return NeutrinoSpectrum.from_table(flux)
    if isinstance(flux, Mapping):
        return NeutrinoSpectrum.from_darkbeam(flux, flavour)
    if isinstance(flux, tuple) and len(flux) == 2:
        return NeutrinoSpectrum.from_samples(flux[0], flux[1])
    raise ConfigError(
        f"flux of type {type(flux).__name__} is not allowed; give a NeutrinoSpectrum, a neutrino_flux "
        "result, a table path or (energy, weight) arrays"
    )


def _sigma_estimate(spectrum: NeutrinoSpectrum, energy: FloatArray, sigma_weight: FloatArray) -> FloatArray:
    """Smooth σ(E) estimate per flux bin from pilot events (mean weight in 16 equal-count energy groups,
    interpolated), floored at 2 % of its maximum so every bin keeps a non-zero sampling probability."""
    order = np.argsort(energy)
    groups = np.array_split(order, min(16, max(1, energy.size // 50)))
    e_mean = np.array([energy[g].mean() for g in groups])
    s_mean = np.array([sigma_weight[g].mean() for g in groups])
    centres = 0.5 * (spectrum.edges[1:] + spectrum.edges[:-1])
    est = np.interp(centres, e_mean, s_mean)
    top = float(est.max())
    return np.asarray(np.maximum(est, 0.02 * top) if top > 0 else np.ones_like(est))


def _one_target(
    spectrum: NeutrinoSpectrum,
    importance: FloatArray,
    solid: Solid,
    tgt: TargetDensity,
    n_nuclei: float,
    model: DarkNeutrino,
    portal: ZPrimePortal | DipolePortal,
    n: int,
    pot: float,
    chosen: list[str],
    brs: dict[str, float],
    br_sum: float,
    force_inside: bool,
    helicity: str,
    rng: np.random.Generator,
    provenance: Mapping[str, str] | None,
) -> EventBatch:
    m_n, m_t = model.m_n, tgt.target.mass
    e_nu, flux_factor = spectrum.sample_importance(n, rng, importance)
    ups = sample_upscattering(e_nu, m_n, tgt.target, portal, rng, helicity=helicity)  # type: ignore[arg-type]
    vertex = solid.sample_points(n, rng)
    dist = np.linalg.norm(vertex, axis=1)
    nu_dir = vertex / np.where(dist > 0, dist, 1.0)[:, None]
    nu_dir[dist == 0] = (0.0, 0.0, 1.0)
    t0 = dist / C_LIGHT
    p_nu = np.concatenate([nu_dir * e_nu[:, None], e_nu[:, None]], axis=1)
    p_abs = np.sqrt(np.clip(ups.e_n**2 - m_n**2, 0.0, None))
    n_dir = directions_from_angles(ups.cos_theta_n, rng.uniform(0.0, 2.0 * np.pi, n), axis=nu_dir)
    p_n = np.concatenate([n_dir * p_abs[:, None], ups.e_n[:, None]], axis=1)
    p_tgt = np.zeros((n, 4))
    p_tgt[:, 3] = m_t
    p_rec = p_nu + p_tgt - p_n
    # decay of N along its flight
    lam = p_abs / m_n * model.ctau()
    _, s_exit = solid.intersect(vertex, n_dir)
    s_exit = np.where(np.isfinite(s_exit), np.clip(s_exit, 0.0, None), 0.0)
    if force_inside:
        p_in = decay_probability(0.0, s_exit, lam)
        s = sample_decay_distance(np.zeros(n), s_exit, lam, rng)
    else:
        p_in = np.ones(n)
        s = rng.exponential(lam)
    beta = p_abs / ups.e_n
    v_dec = vertex + n_dir * s[:, None]
    t_dec = t0 + s / (np.where(beta > 0, beta, 1.0) * C_LIGHT)
    weight = pot * flux_factor * n_nuclei * ups.weight / n * p_in * br_sum
    # channel per event ∝ BR among the chosen ones
    probs = np.array([brs[c] for c in chosen]) / br_sum
    pick = rng.choice(len(chosen), size=n, p=probs)
    nu_pdg = _NU_PDG[model.flavour]
    t_pdg = (
        2212 if tgt.target.regime == "p-el" else 1000000000 + 10000 * tgt.target.nucleus.z + 10 * tgt.target.nucleus.a
    )
    prov = dict(provenance or {})
    prov.setdefault("generator", "darkbeam.interactions.upscatter_decay")
    out = []
    for ci, channel in enumerate(chosen):
        rows = pick == ci
        k = int(rows.sum())
        if k == 0:
            continue
        pdgs, moms, parents, stats = model.decay(p_n[rows], channel, rng)
        base_pdg = [nu_pdg, t_pdg, N_PDG, t_pdg]
        base_p4 = [p_nu[rows], p_tgt[rows], p_n[rows], p_rec[rows]]
        base_vtx = [vertex[rows]] * 4
        base_t = [t0[rows]] * 4
        all_pdg = base_pdg + pdgs
        all_p4 = base_p4 + moms
        vtx = base_vtx + [v_dec[rows]] * len(pdgs)
        tms = base_t + [t_dec[rows]] * len(pdgs)
        parent = [-1, -1, 0, 0] + [2 if p < 0 else 4 + p for p in parents]
        status = [STATUS_INCOMING, STATUS_INCOMING, STATUS_DECAYED, STATUS_FINAL, *stats]
        out.append(
            EventBatch.from_fixed(
                pdg=np.array(all_pdg, dtype=np.int64),
                status=np.array(status, dtype=np.int32),
                momentum=np.stack(all_p4, axis=1),
                vertex=np.stack(vtx, axis=1),
                time=np.stack(tms, axis=1),
                parent=np.array(parent, dtype=np.int64),
                weight=weight[rows],
                provenance=prov,
            )
        )
    return EventBatch.concatenate(out) if out else EventBatch.empty(prov)


# ================================================================================================ run-card section
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ZPrimeCard(_Strict):
    """``[upscattering.zprime]``: light-Z′ portal. ``convention = "darknews"`` reads ``epsilon``, ``g_d``,
    ``u_alpha4``, ``u_d4`` as DarkNews 0.4.8's (epsilon, gD, Umu4, UD4) (:meth:`ZPrimePortal.from_darknews`);
    ``"darkbeam"`` takes ``v_alpha4`` directly (ε coupling ε e(0) J_EM)."""

    m_zprime_gev: float = Field(gt=0)
    epsilon: float = Field(ge=0)
    g_d: float = Field(ge=0)
    u_alpha4: float = Field(0.0, ge=0, le=1)
    u_d4: float = Field(1.0, ge=0, le=1)
    v_alpha4: float | None = None
    convention: Literal["darknews", "darkbeam"] = "darknews"

    def portal(self) -> ZPrimePortal:
        if self.convention == "darknews":
            return ZPrimePortal.from_darknews(
                mzprime=self.m_zprime_gev, epsilon=self.epsilon, gD=self.g_d, Umu4=self.u_alpha4, UD4=self.u_d4
            )
        if self.v_alpha4 is None:
            raise ConfigError("upscattering.zprime.v_alpha4 is required with convention = 'darkbeam'")
        return ZPrimePortal(self.m_zprime_gev, self.epsilon, self.g_d, self.v_alpha4, self.u_alpha4)


class DipoleCard(_Strict):
    """``[upscattering.dipole]``: give ``d_gev_inv`` (L ⊃ d N̄σ_μν P_L ν F^μν) or DarkNews' ``mu_tr`` (= 2d)."""

    d_gev_inv: float | None = Field(None, gt=0)
    mu_tr: float | None = Field(None, gt=0)

    def portal(self) -> DipolePortal:
        if (self.d_gev_inv is None) == (self.mu_tr is None):
            raise ConfigError("upscattering.dipole: give exactly one of d_gev_inv and mu_tr")
        return (
            DipolePortal(self.d_gev_inv)
            if self.d_gev_inv is not None
            else DipolePortal.from_darknews(mu_tr=float(self.mu_tr or 0.0))
        )


class UpscatterFluxCard(_Strict):
    """``[upscattering.flux]``: ``source = "darkbeam"`` (neutrino_flux of ``beam`` at the placement's centre,
    ``n`` hadrons per species, ``seed``, ``horn``, ``decays_at_rest``) or ``"table"`` (``table``: 2-column text
    file E [GeV], Φ [ν/cm²/POT/GeV], relative to the card, × ``scale``)."""

    source: Literal["darkbeam", "table"] = "darkbeam"
    flavour: Literal["numu", "numubar", "nue", "nuebar"] = "numu"
    beam: str = "bnb"
    n: int = Field(200_000, ge=100, le=50_000_000)
    seed: int = 1
    horn: Literal["+", "-", "off"] = "+"
    decays_at_rest: bool = False
    table: str | None = None
    scale: float = Field(1.0, gt=0)


class UpscatteringSection(_Strict):
    """The ``[upscattering]`` section of a run card (ν T → N T, N decay in the detector; see module docstring)."""

    detector: str
    placement: str = "bnb"
    volume: Literal["active", "fiducial"] = "active"
    pot: float | None = Field(None, gt=0, description="default: the placement's first listed exposure")
    m_n_gev: float = Field(gt=0)
    majorana: bool = False
    flavour: Literal["e", "mu", "tau"] = "mu"
    regimes: tuple[Literal["coherent", "p-el"], ...] = ("coherent", "p-el")
    channels: list[str] | None = None
    force_inside: bool = True
    n_events: int = Field(100_000, ge=1, le=100_000_000)
    zprime: ZPrimeCard | None = None
    dipole: DipoleCard | None = None
    flux: UpscatterFluxCard = UpscatterFluxCard()

    def model(self) -> DarkNeutrino:
        return DarkNeutrino(
            self.m_n_gev,
            zprime=None if self.zprime is None else self.zprime.portal(),
            dipole=None if self.dipole is None else self.dipole.portal(),
            majorana=self.majorana,
            flavour=self.flavour,
        )

    def spectrum(self, base_dir: Path = Path(".")) -> NeutrinoSpectrum:
        if self.flux.source == "table":
            if self.flux.table is None:
                raise ConfigError("upscattering.flux.table is required with source = 'table'")
            return NeutrinoSpectrum.from_table(base_dir / self.flux.table, self.flux.scale)
        from ..neutrinos import neutrino_flux

        centre = detectors.get(self.detector).placement(self.placement).center_cm
        result = neutrino_flux(
            self.flux.beam, centre, None, self.flux.n, self.flux.seed, self.flux.horn, self.flux.decays_at_rest
        )
        return NeutrinoSpectrum.from_darkbeam(result, self.flux.flavour)

    def generate(
        self, seed: int, base_dir: Path = Path("."), provenance: Mapping[str, str] | None = None
    ) -> EventBatch:
        """Events for this section with ``numpy.random.default_rng(seed)``."""
        pot = self.pot
        if pot is None:
            pot = detectors.get(self.detector).placement(self.placement).pot
            if pot is None:
                raise ConfigError(f"upscattering.pot: placement {self.placement!r} lists no exposure; give pot")
        return generate_upscatter_decay(
            self.spectrum(base_dir),
            self.detector,
            self.model(),
            pot,
            self.n_events,
            np.random.default_rng(seed),
            placement=self.placement,
            volume=self.volume,
            regimes=self.regimes,
            channels=self.channels,
            force_inside=self.force_inside,
            provenance=provenance,
        )
