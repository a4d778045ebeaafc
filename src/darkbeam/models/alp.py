"""Axion-like particle a coupled to photons (scan coupling ``g_agg``) and optionally to electrons.

Coupling convention (used everywhere in DarkBeam):

    L ⊃ −(g_aγγ/4) a F_μν F̃^μν − i g_aee a ē γ₅ e,   F̃^μν = ½ ε^{μνρσ} F_ρσ,

with g_aγγ in GeV⁻¹ (``g_agg``) and g_aee dimensionless (``g_aee``). Relation to Bauer, Neubert, Thamm
[BNT] (JHEP 12 (2017) 044, arXiv:1708.00443, Eq. 1: L ⊃ e² C_γγ (a/Λ) F F̃ + Σ_f (c_ff/2)(∂^μa/Λ) f̄γ_μγ₅f):
|g_aγγ| = 4e²|C_γγ|/Λ = 16πα|C_γγ|/Λ and |g_aee| = |c_ee| m_e/Λ (on-shell, after integrating by parts).
FORESEE and ALPINIST use the same g_aγγ.

Widths:

* Γ(a → γγ) = g_aγγ² m_a³/(64π) (PDG 2024 review "Axions and other similar particles", Sec. 91.2; equal to
  [BNT] Eq. 34, Γ = 4πα² m_a³ |C_γγ|²/Λ², with the relation above).
* Γ(a → e⁺e⁻) = g_aee² m_a β/(8π), β = (1 − 4m_e²/m_a²)^{1/2} ([BNT] Eq. 32, Γ = m_a m_ℓ² |c_ℓℓ|² β/(8πΛ²)).

Scan coupling: ``g_agg`` with power 2; :meth:`ALP.with_coupling` rescales ``g_aee`` by the same factor so the ratio
g_aee/g_aγγ (hence every branching ratio) is fixed and every width scales as g_aγγ².

Not implemented: the gluon coupling and its hadronic decays (3π, ππγ, ηππ, …; data-driven widths of Aloni, Soreq,
Williams, PRL 123 (2019) 031803, arXiv:1811.03474) and decays to muons; hence the model is the photon(+electron)
dominated ALP. Validity: m_a ≤ :data:`MAX_MASS` (above ~3m_π a gluon coupling induced at one loop would add hadronic
channels, which this model neglects by construction).

Production (metadata only here; the production stage implements them): Primakoff conversion of photons in the target
(γ N → a N, ∝ g_aγγ²), photon fusion. Detection channels beyond decay are declared in :data:`DETECTION_CHANNELS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import pdg
from ..errors import ConfigError, KinematicsError, check_positive
from .base import DarkModel, DecayChannel, ProductionChannel, register_model

FloatArray = NDArray[np.float64]

__all__ = ["ALP", "DETECTION_CHANNELS", "MAX_MASS", "width_to_electrons", "width_to_photons"]

#: largest mass accepted [GeV]
MAX_MASS = 10.0

M_E = pdg.mass(pdg.ELECTRON)

#: Detection processes other than decay, for the scattering stage: name → (coupling it scales with, description).
DETECTION_CHANNELS: dict[str, tuple[str, str]] = {
    "inverse_primakoff": (
        "g_agg",
        "a N → γ N, coherent on the nucleus (σ ∝ g_aγγ² Z² α, atomic/nuclear form factor); "
        "Dent et al., PRL 124 (2020) 211804, arXiv:1912.05733",
    ),
    "inverse_compton": (
        "g_aee",
        "a e⁻ → γ e⁻ (σ ∝ g_aee² α); Brdar et al., PRL 126 (2021) 201801, arXiv:2011.07054",
    ),
    "magnetic_conversion": (
        "g_agg",
        "a → γ in a transverse magnetic field B over length L: P = (g_aγγ B L/2)² for q L ≪ 1 (helioscope formula)",
    ),
}


def width_to_photons(mass: ArrayLike, g_agg: float) -> FloatArray:
    """Γ(a → γγ) [GeV] = g_aγγ² m_a³/(64π); ``g_agg`` in GeV⁻¹ (module docstring for the convention)."""
    m = np.asarray(mass, dtype=float)
    return np.asarray(g_agg**2 * m**3 / (64.0 * math.pi))


def width_to_electrons(mass: ArrayLike, g_aee: float) -> FloatArray:
    """Γ(a → e⁺e⁻) [GeV] = g_aee² m_a (1 − 4m_e²/m_a²)^{1/2}/(8π); 0 below threshold."""
    m = np.asarray(mass, dtype=float)
    beta = np.sqrt(np.clip(1.0 - 4.0 * M_E**2 / np.where(m > 0, m * m, 1.0), 0.0, None))
    return np.asarray(np.where(m > 2 * M_E, g_aee**2 * m * beta / (8.0 * math.pi), 0.0))


_CHANNELS: dict[str, tuple[int, ...]] = {"gamma gamma": (22, 22), "e+e-": (11, -11)}


@register_model
@dataclass(frozen=True)
class ALP(DarkModel):
    """ALP of mass ``mass`` [GeV], photon coupling ``g_agg`` [GeV⁻¹] and electron coupling ``g_aee`` (≥ 0)."""

    name: ClassVar[str] = "alp"
    pdg_id: ClassVar[int] = pdg.DARK_PDG_IDS["alp"]
    coupling_name: ClassVar[str] = "g_agg"
    coupling_power: ClassVar[int] = 2

    mass: float
    g_agg: float = 1.0
    g_aee: float = 0.0

    def __post_init__(self) -> None:
        check_positive("mass", self.mass)
        check_positive("g_agg", self.g_agg)
        check_positive("g_aee", self.g_aee, allow_zero=True)
        if self.g_aee > 1.0:
            raise ConfigError(f"g_aee = {self.g_aee!r} is not allowed; it must be in [0, 1]")
        if self.mass > MAX_MASS:
            raise KinematicsError(f"mass {self.mass} GeV is above {MAX_MASS} GeV, the ALP model's upper limit")

    @property
    def coupling(self) -> float:
        return self.g_agg

    def with_coupling(self, value: float) -> ALP:
        check_positive("g_agg", value)
        return replace(self, g_agg=value, g_aee=self.g_aee * value / self.g_agg)

    def parameters(self) -> dict[str, Any]:
        return {"g_agg": self.g_agg, "g_aee": self.g_aee}

    def partial_widths(self) -> dict[str, float]:
        widths = {
            "gamma gamma": float(width_to_photons(self.mass, self.g_agg)),
            "e+e-": float(width_to_electrons(self.mass, self.g_aee)),
        }
        return {k: v for k, v in widths.items() if v > 0}

    def decay_channels(self) -> dict[str, DecayChannel]:
        return {key: DecayChannel(key, _CHANNELS[key]) for key in self.partial_widths()}

    def production_channels(self) -> list[ProductionChannel]:
        """Meson-decay production channels: none (Primakoff and photon fusion are direct channels, not meson decays)."""
        return []

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        return {}
