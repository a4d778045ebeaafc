"""Higgs-portal scalar S mixing with the Higgs boson with angle θ (scan coupling ``sin_theta``).

Couplings of S to SM fermions are those of the Higgs times sin θ. Formulas (white paper = "Dark Sector Physics at
Neutrino Experiments", Snowmass 2021, arXiv:2207.00597, Section 5.1):

* K⁺ → π⁺ S: white paper Eq. (10) (top-quark penguin; Leutwyler & Shifman, Nucl. Phys. B343 (1990) 369;
  Bezrukov & Gorbunov, JHEP 05 (2010) 010, arXiv:0912.0390, Eq. (3.3)).
* S → ℓ⁺ℓ⁻: white paper Eq. (13).
* S → ππ: white paper Eq. (14) with the leading-order chiral-perturbation-theory form factor
  G_π(s) = (2/9)(s + 11 m_π²/2) (Voloshin, Sov. J. Nucl. Phys. 44 (1986) 478; Bezrukov & Gorbunov Eq. (3.7)),
  split by isospin into π⁺π⁻ (2/3) and π⁰π⁰ (1/3), each with its own threshold. Leading-order ChPT is good near
  threshold only; the dispersive treatment (Winkler, arXiv:1809.01876) is needed above ~0.5 GeV.

Validity of this module: m_S < 2 m_K (KK, 4π, γγ and partonic channels are not included; S → γγ is below 1 %
of Γ for m_S > 2 m_e, see Bezrukov & Gorbunov Fig. 3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from .. import pdg
from ..errors import ConfigError, KinematicsError, check_positive
from ..kinematics import kallen
from ..units import HBAR, HIGGS_VEV, M_TOP, V_TD, V_TS
from .base import DarkModel, DecayChannel, ProductionChannel, register_model

#: upper end of the mass range where the channel list above is complete [GeV] (KK threshold 2 m_K0)
MAX_MASS = 2 * 0.497611


def width_to_leptons(mass: float, lepton_mass: float, sin_theta: float) -> float:
    """Γ(S → ℓ⁺ℓ⁻) [GeV] = sin²θ m_ℓ² m_S β³ / (8π v²), β² = 1 − 4m_ℓ²/m_S² (white paper Eq. 13)."""
    if mass <= 2 * lepton_mass:
        return 0.0
    beta2 = 1.0 - 4 * lepton_mass**2 / mass**2
    return float(sin_theta**2 * lepton_mass**2 * mass * beta2**1.5 / (8 * math.pi * HIGGS_VEV**2))


def pion_form_factor_lo(s: float, pion_mass: float) -> float:
    """Leading-order ChPT scalar form factor G_π(s) = (2/9)(s + 11 m_π²/2) [GeV²] (Voloshin 1986)."""
    return 2.0 / 9.0 * (s + 5.5 * pion_mass**2)


def width_to_pions(mass: float, pion_mass: float, sin_theta: float, isospin_fraction: float) -> float:
    """Γ(S → ππ) [GeV] for one charge state: ``isospin_fraction`` × white paper Eq. (14).

    Eq. (14): Γ(S → ππ) = sin²θ · 3|G_π(m_S²)|² / (32π v² m_S) · (1 − 4m_π²/m_S²)^{1/2}, summed over π⁺π⁻ and
    π⁰π⁰; isospin gives π⁺π⁻ : π⁰π⁰ = 2 : 1.
    """
    if mass <= 2 * pion_mass:
        return 0.0
    beta = math.sqrt(1.0 - 4 * pion_mass**2 / mass**2)
    form = pion_form_factor_lo(mass**2, pion_mass)
    return float(isospin_fraction * sin_theta**2 * 3 * form**2 * beta / (32 * math.pi * HIGGS_VEV**2 * mass))


def width_kaon_to_pion_scalar(mass: float, sin_theta: float) -> float:
    """Γ(K⁺ → π⁺ S) [GeV], white paper Eq. (10).

    Γ = sin²θ/(16π m_K) · |3 V_td* V_ts m_t² m_K² / (32π² v³)|² · λ^{1/2}(1, m_S²/m_K², m_π²/m_K²).
    """
    m_k, m_pi = pdg.mass(pdg.K_PLUS), pdg.mass(pdg.PI_PLUS)
    if mass >= m_k - m_pi:
        return 0.0
    coupling = 3 * V_TD * V_TS * M_TOP**2 * m_k**2 / (32 * math.pi**2 * HIGGS_VEV**3)
    lam = kallen(1.0, mass**2 / m_k**2, m_pi**2 / m_k**2)
    return float(sin_theta**2 / (16 * math.pi * m_k) * coupling**2 * math.sqrt(lam))


_LEPTONS = {"e+e-": pdg.ELECTRON, "mu+mu-": pdg.MUON}
_PIONS = {"pi+pi-": (pdg.PI_PLUS, 2.0 / 3.0), "pi0pi0": (pdg.PI0, 1.0 / 3.0)}


@register_model
@dataclass(frozen=True)
class HiggsPortalScalar(DarkModel):
    """Higgs-portal scalar of mass ``mass`` [GeV] and mixing ``sin_theta`` (rates ∝ sin²θ)."""

    name: ClassVar[str] = "scalar"
    pdg_id: ClassVar[int] = pdg.DARK_PDG_IDS["scalar"]
    coupling_name: ClassVar[str] = "sin_theta"
    coupling_power: ClassVar[int] = 2

    mass: float
    sin_theta: float = 1.0

    def __post_init__(self) -> None:
        check_positive("mass", self.mass)
        check_positive("sin_theta", self.sin_theta)
        if self.sin_theta > 1:
            raise ConfigError(f"sin_theta = {self.sin_theta!r} is not allowed; it must be in (0, 1]")
        if self.mass >= MAX_MASS:
            raise KinematicsError(
                f"mass {self.mass} GeV is above {MAX_MASS:.4f} GeV (2 m_K), where the scalar's KK and "
                "multi-hadron channels, not yet implemented, open"
            )

    @property
    def coupling(self) -> float:
        return self.sin_theta

    def with_coupling(self, value: float) -> HiggsPortalScalar:
        return replace(self, sin_theta=value)

    def parameters(self) -> dict[str, Any]:
        return {"sin_theta": self.sin_theta}

    def partial_widths(self) -> dict[str, float]:
        widths = {
            key: width_to_leptons(self.mass, pdg.mass(lepton), self.sin_theta)
            for key, lepton in _LEPTONS.items()
        }
        widths |= {
            key: width_to_pions(self.mass, pdg.mass(pion), self.sin_theta, frac)
            for key, (pion, frac) in _PIONS.items()
        }
        return {k: v for k, v in widths.items() if v > 0}

    def decay_channels(self) -> dict[str, DecayChannel]:
        daughters = {key: (lepton, -lepton) for key, lepton in _LEPTONS.items()}
        daughters |= {"pi+pi-": (pdg.PI_PLUS, -pdg.PI_PLUS), "pi0pi0": (pdg.PI0, pdg.PI0)}
        return {key: DecayChannel(key, daughters[key]) for key in self.partial_widths()}

    def production_channels(self) -> list[ProductionChannel]:
        if width_kaon_to_pion_scalar(self.mass, 1.0) == 0:
            return []
        return [ProductionChannel(pdg.K_PLUS, "K+ -> pi+ S", (pdg.PI_PLUS,))]

    def production_branching_ratios(self) -> dict[int, dict[str, float]]:
        width = width_kaon_to_pion_scalar(self.mass, self.sin_theta)
        if width == 0:
            return {}
        kaon_width = HBAR / pdg.lifetime(pdg.K_PLUS)
        return {pdg.K_PLUS: {"K+ -> pi+ S": width / kaon_width}}
